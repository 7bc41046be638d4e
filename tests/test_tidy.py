"""`sp-builder rapikan`: the canonical form of a unit's files, comments, key order and words kept;
idempotent; written only when the file validates, and never outside its unit."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, strategies as st

from sp_builder import tables
from sp_builder.cli import main
from sp_builder.files import parse_yaml
from sp_builder.unit import readers
from sp_builder.unit.tidy import hand_numbered, kind_of, tidy_paths, tidy_text
from sp_builder.unit.validate import validate_paths

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "corpus"
SERVICE_FILES = sorted([*ROOT.glob("samples/*/layanan/*.yaml"), *CORPUS.glob("*/layanan/*.yaml")])
ALL_FILES = sorted([*SERVICE_FILES, *ROOT.glob("samples/*/unit.yaml"), *ROOT.glob("samples/*/fkp/*.yaml"),
                    *CORPUS.glob("*/unit.yaml")])
KECAMATAN = CORPUS / "kecamatan-pendopo-barat"
KECAMATAN_FILE = "layanan/surat-keterangan-pindah-keluar.yaml"


def _id(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _comments(text: str) -> list[str]:
    return sorted(line.strip() for line in text.splitlines() if line.strip().startswith("#"))


def _copy(source: Path, tmp_path: Path) -> Path:
    root = tmp_path / source.name
    shutil.copytree(source, root)
    return root


@pytest.mark.parametrize("path", ALL_FILES, ids=_id)
def test_tidying_twice_changes_nothing_the_second_time(path):
    once = tidy_text(path.read_text(encoding="utf-8"), kind_of(path))
    assert tidy_text(once, kind_of(path)) == once


@pytest.mark.parametrize("path", ALL_FILES, ids=_id)
def test_every_comment_line_and_the_key_order_are_kept(path):
    text = path.read_text(encoding="utf-8")
    tidied = tidy_text(text, kind_of(path))
    assert all(comment in tidied for comment in _comments(text))
    before, after = parse_yaml(text), parse_yaml(tidied)
    assert list(before) == list(after)
    for key, value in before.items():
        if isinstance(value, dict):
            assert list(value) == list(after[key]), key


def _items(value) -> list[str]:
    def walk(nodes):
        for node in nodes:
            yield readers.comparable(node.text)
            yield from walk(node.children)
    return [t for t in walk(readers.split_items(value)) if t]


@pytest.mark.parametrize("path", SERVICE_FILES, ids=_id)
def test_the_readers_read_the_same_service_before_and_after(path):
    """Only the form changes: every list component gives the same items, every contact survives,
    the staffing total, the status and the dates are the same."""
    text = path.read_text(encoding="utf-8")
    before, after = parse_yaml(text), parse_yaml(tidy_text(text, "layanan"))
    assert readers.read_status(before.get("status")) == readers.read_status(after.get("status"))
    if isinstance(before.get("penetapan"), dict):
        assert (readers.read_date(before["penetapan"].get("tanggal")).date
                == readers.read_date(after["penetapan"].get("tanggal")).date)
    for part in tables.parts():
        for key, value in (before.get(part) or {}).items():
            if not tables.is_component(key):
                continue
            new = after[part][key]
            jenis = tables.component(key).jenis
            if jenis == "daftar":
                assert _items(value) == _items(new), key
            elif jenis == "saluran":
                old_contacts = set().union(*(readers.contact_keys(f"{c.label} {c.contact}")
                                             for c in readers.read_channels(value)))
                new_contacts = set().union(*(readers.contact_keys(f"{c.label} {c.contact}")
                                             for c in readers.read_channels(new)))
                # more, never fewer: YAML reads an unquoted "Hotline : 082331134799" as a number without
                # its 0, which rapikan writes back as the unit typed it
                assert old_contacts <= new_contacts, key
            elif jenis == "jumlah":
                old, now = readers.read_staffing(value), readers.read_staffing(new)
                assert (old and old.total) == (now and now.total)
            else:
                assert value == new, key


_MARKS = st.sampled_from(["", "1. ", "2) ", "(3) ", "a. ", "b) ", "- ", "• ", "ii. ", "10. "])
_WORDS = st.lists(st.sampled_from(["Surat", "pengantar", "KTP", "asli", "fotokopi", "Kartu", "Keluarga", "RT/RW",
                                   "2", "lembar", "(KK)", "bagi", "pemohon;"]), min_size=1, max_size=6)


@given(st.lists(st.tuples(_MARKS, _WORDS), min_size=1, max_size=6), st.booleans())
def test_generated_list_items_lose_their_typed_numbers_once(items, as_block):
    texts = [mark + " ".join(words) for mark, words in items]
    if as_block:
        body = "  persyaratan: |\n" + "".join(f"    {t}\n" for t in texts)
    else:
        body = "  persyaratan:\n" + "".join(f"    - {_quoted(t)}\n" for t in texts)
    text = f"nama: Contoh\npenyampaian:\n{body}  produk: [Surat]\n"
    once = tidy_text(text, "layanan")
    assert tidy_text(once, "layanan") == once
    after = parse_yaml(once)["penyampaian"]["persyaratan"]
    assert _items(after) == _items(parse_yaml(text)["penyampaian"]["persyaratan"])
    if not as_block:
        assert after == [readers.strip_numbering(t) for t in texts]
    assert not hand_numbered(parse_yaml(once))


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '\\"') + '"' if text.startswith(("-", "•", "(")) else text


COMMENTED = """\
# Kepala berkas
nama: Surat Keterangan   # nama layanan
status: Ditetapkan
penetapan:
  nomor: 1/2026
  tanggal: 16-02-2026  # tanggal SK
penyampaian:
  # persyaratan dari Lampiran
  persyaratan:
    - 1. Surat Pengantar Desa   # asli
    # baris di antara butir
    - 3. Bagi domisili usaha/lembaga: fotokopi akta
  prosedur: |
    1. Pemohon datang;
    2. Petugas memeriksa berkas.
  # setelah prosedur
  jangka_waktu: 1 hari kerja
  biaya: Gratis
  produk: Surat Keterangan
  pengaduan:
    - Telepon : 0322321322   # telepon kantor
    - WhatsApp : 081234567890
pengelolaan:
  jumlah_pelaksana: 4 (empat) orang   # dua loket, dua operator
# penutup
"""


def test_a_file_with_comments_keeps_every_comment_and_takes_the_canonical_form():
    tidied = tidy_text(COMMENTED, "layanan")
    assert _comments(tidied) == _comments(COMMENTED)
    data = parse_yaml(tidied)
    assert data["status"] == "ditetapkan"
    assert str(data["penetapan"]["tanggal"]) == "2026-02-16"
    assert data["penyampaian"]["persyaratan"] == ["Surat Pengantar Desa", "Bagi domisili usaha/lembaga: fotokopi akta"]
    assert '    - "Bagi domisili usaha/lembaga: fotokopi akta"' in tidied.splitlines()
    assert data["penyampaian"]["prosedur"] == ["Pemohon datang;", "Petugas memeriksa berkas."]
    assert data["penyampaian"]["pengaduan"] == [{"saluran": "Telepon", "kontak": "0322321322"},
                                                {"saluran": "WhatsApp", "kontak": "081234567890"}]
    assert data["pengelolaan"]["jumlah_pelaksana"] == 4
    lines = tidied.splitlines()  # the comment after the block follows the list, not the key
    assert lines.index("  # setelah prosedur") == lines.index("    - Petugas memeriksa berkas.") + 1
    assert lines[0] == "# Kepala berkas" and lines[-1] == "# penutup"


def test_a_file_with_nothing_to_tidy_is_returned_byte_for_byte():
    text = "nama: X\npenyampaian:\n  persyaratan:\n  -   KTP   \n  - 'KK'   # c\n"
    assert tidy_text(text, "layanan") == text


def test_sub_lists_become_headings_over_their_items_as_validation_accepts():
    text = "nama: X\npengelolaan:\n  sarana_prasarana: |\n    Ruang tunggu :\n    1. Kursi\n    2. Kipas angin\n"
    data = parse_yaml(tidy_text(text, "layanan"))
    assert data["pengelolaan"]["sarana_prasarana"] == [{"Ruang tunggu": ["Kursi", "Kipas angin"]}]


def test_unit_and_fkp_files_nip_spaced_and_dates_iso():
    unit = 'instansi: X\npimpinan:\n  nama: A\n  nip: "197001011995031001"  # NIP\nmaklumat_tanggal: 2 Januari 2026\n'
    tidied = tidy_text(unit, "unit")
    assert re.search(r'^  nip: "19700101 199503 1 001" +# NIP$', tidied, re.M) and "maklumat_tanggal: 2026-01-02" in tidied
    fkp = ("tanggal: 16/02/2026\nundangan:\n  tanggal: 10 Februari 2026\npenandatangan:\n"
           "  penyelenggara: {nama: A, nip: “197001011995031001”}\n")
    data = parse_yaml(tidy_text(fkp, "fkp"))
    assert str(data["tanggal"]) == "2026-02-16" and str(data["undangan"]["tanggal"]) == "2026-02-10"
    assert data["penandatangan"]["penyelenggara"]["nip"] == "19700101 199503 1 001"


def test_durations_fees_and_other_texts_stay_as_written():
    text = ("nama: X\npenyampaian:\n  jangka_waktu: ± 15 menit\n  biaya: Rp. 0,-\n  persyaratan:\n    - 1. KTP\n"
            "pengelolaan:\n  jaminan_pelayanan: |\n    1. Sesuai standar\n")
    data = parse_yaml(tidy_text(text, "layanan"))
    assert data["penyampaian"]["jangka_waktu"] == "± 15 menit" and data["penyampaian"]["biaya"] == "Rp. 0,-"
    assert data["pengelolaan"]["jaminan_pelayanan"] == "1. Sesuai standar\n"


# ---------------------------------------------------------------------------------------------
# Files: diffs, writing, refusing


def test_the_diff_has_a_b_headers_and_the_hunk_removes_the_typed_numbers(monkeypatch):
    monkeypatch.chdir(CORPUS)
    result = CliRunner().invoke(main, ["rapikan", "kecamatan-pendopo-barat"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert f"--- a/kecamatan-pendopo-barat/{KECAMATAN_FILE}\n+++ b/kecamatan-pendopo-barat/{KECAMATAN_FILE}\n" in out
    assert re.search(r"^@@ -\d+,\d+ \+\d+,\d+ @@", out, re.M)
    assert "\n-    - 1. Surat Pengantar Desa\n" in out and "\n+    - Surat Pengantar Desa\n" in out
    assert "\n-  jumlah_pelaksana: 5 (lima) orang\n" in out and "\n+  jumlah_pelaksana: 5\n" in out
    assert "--tulis" in result.stderr


def test_write_then_nothing_left_to_tidy(tmp_path, monkeypatch):
    root = _copy(KECAMATAN, tmp_path)
    path = root / KECAMATAN_FILE
    # Planted: the two missing components (the source was cut off), so that the file validates.
    path.write_text(path.read_text(encoding="utf-8") + "  jaminan_keamanan: Data pemohon dirahasiakan\n"
                    "  evaluasi_kinerja: Survei kepuasan setiap semester\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = tidy_paths([root.name], write=True)
    assert result.exit_code == 0, [i.format() for i in result.all_issues]
    assert [f.display for f in result.files if f.written] == [f"{root.name}/{KECAMATAN_FILE}"]
    written = path.read_text(encoding="utf-8")
    assert "    - Surat Pengantar Desa\n" in written and "1. Surat" not in written
    assert not any(i.rule == "rapikan.tersedia" for i in validate_paths([root.name]))
    again = CliRunner().invoke(main, ["rapikan", root.name])
    assert again.exit_code == 0 and again.stdout == "tidak ada yang perlu dirapikan\n"


def test_the_command_line_writes_with_tulis(tmp_path, monkeypatch, capsys):
    """`rapikan --tulis` changes unit files by design, which tests/unit_guard.py forbids every
    CliRunner call: the command is run through click directly, on a copy."""
    root = _copy(ROOT / "samples" / "puskesmas-contoh", tmp_path)
    path = root / "layanan" / "laboratorium.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  produk:\n    - ", "  produk:\n    - 1. ", 1), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as done:
        main.main(["rapikan", "--tulis", f"{root.name}/layanan/laboratorium.yaml"], prog_name="sp-builder")
    assert done.value.code == 0
    captured = capsys.readouterr()
    assert "+++ b/puskesmas-contoh/layanan/laboratorium.yaml" in captured.out
    assert "ditulis: puskesmas-contoh/layanan/laboratorium.yaml" in captured.err
    assert path.read_text(encoding="utf-8") == text


def test_a_file_with_errors_is_not_written_and_the_exit_code_is_1(tmp_path, monkeypatch):
    root = _copy(KECAMATAN, tmp_path)  # two required components missing: errors
    path = root / KECAMATAN_FILE
    before = path.read_bytes()
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["rapikan", "--tulis", root.name])
    assert result.exit_code == 1
    assert path.read_bytes() == before
    assert f"{root.name}/{KECAMATAN_FILE} tidak ditulis: berkas ini masih memiliki 2 galat" in result.stderr
    assert "-    - 1. Surat Pengantar Desa" in result.stdout  # the diff is still shown


def test_never_writes_outside_the_unit_through_a_symbolic_link(tmp_path, monkeypatch):
    root = _copy(ROOT / "samples" / "puskesmas-contoh", tmp_path / "unit")
    outside = tmp_path / "luar.yaml"
    service = (root / "layanan" / "laboratorium.yaml").read_text(encoding="utf-8")
    outside.write_text(service.replace("  produk:\n    - ", "  produk:\n    - 1. ", 1), encoding="utf-8")
    before = outside.read_bytes()
    link = root / "layanan" / "luar.yaml"
    try:
        os.symlink(outside, link)
    except OSError:
        pytest.skip("no symbolic links here")
    monkeypatch.chdir(tmp_path)
    for paths in ([root], [link]):
        result = tidy_paths(paths, write=True)
        assert outside.read_bytes() == before and link.is_symlink()
        assert any(i.rule == "rapikan.di_luar_unit" and "luar.yaml" in i.path for i in result.all_issues)
        assert result.exit_code == 1
        assert not any(f.written for f in result.files)


def test_a_folder_that_is_no_unit_and_a_missing_path_are_named(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "kosong").mkdir()
    result = CliRunner().invoke(main, ["rapikan", "kosong", "tidak-ada.yaml"])
    assert result.exit_code == 1
    assert "kosong: galat: bukan folder unit" in result.stderr
    assert "tidak-ada.yaml: galat: berkas atau folder tidak ditemukan" in result.stderr


# ---------------------------------------------------------------------------------------------
# The hint in validate


def test_validate_hints_at_rapikan_once_per_file_that_it_would_tidy(monkeypatch):
    monkeypatch.chdir(CORPUS)
    issues = validate_paths(["kecamatan-pendopo-barat", "disdukcapil-lamongan", "bbppmpv-seni-budaya"])
    hints = [i for i in issues if i.rule == "rapikan.tersedia"]
    assert sorted(i.path for i in hints) == ["disdukcapil-lamongan/layanan/penerbitan-kartu-keluarga-baru.yaml",
                                             f"kecamatan-pendopo-barat/{KECAMATAN_FILE}"]
    hint = next(i for i in hints if i.path.startswith("kecamatan"))
    assert hint.line == 1 and not hint.is_error
    assert f"jalankan `sp-builder rapikan kecamatan-pendopo-barat/{KECAMATAN_FILE}` untuk menulis bentuk bakunya" \
        in hint.message
    assert not any(i.rule == "rapikan.tersedia" for i in validate_paths([ROOT / "samples"]))
