"""`sp-builder diff`: each kind of change per component, services added and removed, the FKP
agreements validating inside a real FKP file, the DOCX matrix read back, the command's exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from hypothesis import given, settings, strategies as st
from ruamel.yaml import YAML

from sp_builder import cli, diff, tables
from sp_builder.diff import Change, compare_items
from sp_builder.unit.validate import load_unit

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "dukcapil-kota-contoh"


def edit(path: Path, change) -> None:
    """Change a service file through its data, keeping the rest of the file as it was."""
    yaml = YAML()
    yaml.width = 4096
    data = yaml.load(path.read_text(encoding="utf-8"))
    change(data)
    with path.open("w", encoding="utf-8") as handle:
        yaml.dump(data, handle)


@pytest.fixture
def units(tmp_path, monkeypatch) -> tuple[Path, Path]:
    monkeypatch.chdir(tmp_path)
    old, new = tmp_path / "lama", tmp_path / "baru"
    shutil.copytree(SAMPLE, old)
    shutil.copytree(SAMPLE, new)
    return old, new


def only_service(report: diff.DiffReport, slug: str) -> diff.ServiceDiff:
    changed = [s for s in report.services if s.status != "sama"]
    assert [s.slug for s in changed] == [slug]
    return changed[0]


def components(service: diff.ServiceDiff) -> dict[str, list[Change]]:
    return {c.key: c.changes for c in service.components}


# ---------------------------------------------------------------------------------------------
# Kinds of change


def test_identical_units_have_no_differences(units):
    report = diff.compare(*units)
    assert not report.has_changes and report.count("sama") == 6
    assert diff.as_text(report).endswith("Tidak ada perbedaan.\n")


def test_added_item(units):
    old, new = units
    edit(new / "layanan" / "ktp-el.yaml", lambda d: d["penyampaian"]["persyaratan"].append("Pas foto berwarna 3x4"))
    service = only_service(diff.compare(old, new), "ktp-el")
    assert components(service) == {"persyaratan": [Change("ditambah", "", "Pas foto berwarna 3x4", None, 7)]}


def test_removed_item(units):
    old, new = units
    edit(new / "layanan" / "ktp-el.yaml", lambda d: d["penyampaian"]["produk"].pop(1))
    service = only_service(diff.compare(old, new), "ktp-el")
    assert components(service) == {"produk": [Change(
        "dihapus", "Identitas Kependudukan Digital (IKD), bagi pemohon yang melakukan aktivasi", "", 2, None)]}


def test_edited_item_is_matched_by_content_not_position(units):
    """An item put in front shifts every position; the edited item is still found by its text."""
    old, new = units

    def change(data):
        steps = data["penyampaian"]["prosedur"]
        steps[5] = "Petugas mencetak KTP-el serta memeriksa mutu cetakan, kesesuaian data, dan foto"
        steps.insert(0, "Pemohon membaca papan informasi standar pelayanan")

    edit(new / "layanan" / "ktp-el.yaml", change)
    changes = components(only_service(diff.compare(old, new), "ktp-el"))["prosedur"]
    assert [(c.kind, c.old_position, c.new_position) for c in changes] == [("ditambah", None, 1), ("diubah", 6, 7)]
    edited = changes[1]
    assert edited.semula == "Petugas mencetak KTP-el serta memeriksa mutu cetakan dan kesesuaian data"
    assert edited.menjadi == "Petugas mencetak KTP-el serta memeriksa mutu cetakan, kesesuaian data, dan foto"
    assert edited.similarity >= diff.SIMILAR


def test_reordered_list_is_moved_not_changed(units):
    old, new = units
    edit(new / "layanan" / "ktp-el.yaml", lambda d: d["pengelolaan"]["pengawasan_internal"].reverse())
    changes = components(only_service(diff.compare(old, new), "ktp-el"))["pengawasan_internal"]
    assert {c.kind for c in changes} == {"dipindah"}
    assert len(changes) == 3  # of four reversed items one keeps its place in the common order
    assert all(c.semula == c.menjadi for c in changes)


def test_unrelated_rewrite_is_removed_and_added_but_a_single_value_is_changed(units):
    old, new = units

    def change(data):
        data["penyampaian"]["jangka_waktu"] = "1 hari kerja"
        data["pengelolaan"]["kompetensi_pelaksana"][0] = "Menguasai bahasa isyarat dasar"

    edit(new / "layanan" / "ktp-el.yaml", change)
    found = components(only_service(diff.compare(old, new), "ktp-el"))
    assert [(c.kind, c.semula, c.menjadi) for c in found["jangka_waktu"]] == [("diubah", "60 menit", "1 hari kerja")]
    assert [c.kind for c in found["kompetensi_pelaksana"]] == ["dihapus", "ditambah"]


def test_values_compared_as_the_document_shows_them(units):
    """biaya: 0 and biaya: Gratis print the same Rp0,00; a text jaminan reflowed is the same text."""
    old, new = units

    def change(data):
        data["penyampaian"]["biaya"] = "Gratis"
        data["pengelolaan"]["jaminan_pelayanan"] = "  " + data["pengelolaan"]["jaminan_pelayanan"].upper()

    edit(new / "layanan" / "ktp-el.yaml", change)
    assert not diff.compare(old, new).has_changes


def test_added_removed_and_renamed_services(units):
    old, new = units
    (new / "layanan" / "pindah-datang.yaml").unlink()
    shutil.copy(new / "layanan" / "ktp-el.yaml", new / "layanan" / "ktp-el-keliling.yaml")
    edit(new / "layanan" / "akta-kematian.yaml", lambda d: d.__setitem__("nama", "Penerbitan Akta Kematian"))
    report = diff.compare(old, new)
    status = {s.slug: s.status for s in report.services}
    assert status["pindah-datang"] == "dihapus" and status["ktp-el-keliling"] == "ditambah"
    assert status["akta-kematian"] == "diubah" and status["ktp-el"] == "sama"
    renamed = next(s for s in report.services if s.slug == "akta-kematian")
    assert renamed.renamed and renamed.old_nama.startswith("Pencatatan Kematian")
    text = diff.as_text(report)
    assert "Layanan dihapus: Penerbitan Surat Keterangan Pindah" in text
    assert "Layanan baru: Penerbitan Kartu Tanda Penduduk Elektronik (KTP-el) [ktp-el-keliling]" in text
    assert "  Nama layanan: “Pencatatan Kematian" in text
    assert "Ringkasan: 1 layanan berubah (0 perubahan komponen), 1 layanan baru, 1 layanan dihapus, " \
           "4 layanan tanpa perubahan." in text


def test_files_named_otherwise_are_paired_by_the_service_name(units):
    """A folder imported from a book names its files after the printed names: the files left over
    on both sides meet by the service's name (case, punctuation and "Pelayanan" aside), and the
    views say the pairing; an ambiguous name pairs nothing."""
    old, new = units
    (new / "layanan" / "ktp-el.yaml").rename(new / "layanan" / "penerbitan-kartu-tanda-penduduk-elektronik-ktp-el.yaml")
    moved = new / "layanan" / "penerbitan-akta-kematian.yaml"
    (new / "layanan" / "akta-kematian.yaml").rename(moved)
    edit(moved, lambda d: d["penyampaian"].__setitem__("jangka_waktu", "5 hari kerja"))
    report = diff.compare(old, new)
    by_slug = {s.slug: s for s in report.services}
    assert len(report.services) == 6 and report.count("ditambah") == report.count("dihapus") == 0
    ktp = by_slug["penerbitan-kartu-tanda-penduduk-elektronik-ktp-el"]
    assert (ktp.status, ktp.files) == ("sama", "ktp-el → penerbitan-kartu-tanda-penduduk-elektronik-ktp-el")
    assert by_slug["penerbitan-akta-kematian"].status == "diubah"
    text = diff.as_text(report)
    assert ("Layanan Penerbitan Kartu Tanda Penduduk Elektronik (KTP-el) [ktp-el → penerbitan-kartu-tanda-penduduk-"
            "elektronik-ktp-el]: sama (berkas dipasangkan menurut nama layanan)") in text
    assert "[akta-kematian → penerbitan-akta-kematian]: berubah" in text
    data = {s["slug"]: s for s in json.loads(diff.as_json(report))["layanan"]}
    assert data["penerbitan-akta-kematian"]["slug_semula"] == "akta-kematian"
    assert data["kartu-keluarga"]["slug_semula"] is None
    # two new files with one name: neither is paired, the old file is removed and both are new
    shutil.copy(new / "layanan" / "penerbitan-kartu-tanda-penduduk-elektronik-ktp-el.yaml", new / "layanan" / "ktp-el-2.yaml")
    status = {s.slug: s.status for s in diff.compare(old, new).services}
    assert status["ktp-el"] == "dihapus" and status["ktp-el-2"] == status[
        "penerbitan-kartu-tanda-penduduk-elektronik-ktp-el"] == "ditambah"


def test_a_draft_with_invalid_values_is_still_compared(units, tmp_path):
    """An imported SP may keep a tariff as text; it is compared as written instead of failing."""
    old, new = units
    edit(new / "layanan" / "ktp-el.yaml", lambda d: d["penyampaian"].__setitem__("biaya", "Rp10.000 per lembar"))
    changes = components(only_service(diff.compare(old, new), "ktp-el"))["biaya"]
    assert changes == [Change("diubah", "Rp0,00 (tidak dipungut biaya)", "Rp10.000 per lembar", 1, 1,
                              changes[0].similarity)]


def test_text_view_names_components_by_label(units):
    old, new = units
    edit(new / "layanan" / "ktp-el.yaml", lambda d: d["penyampaian"].__setitem__("jangka_waktu", "45 menit"))
    edit(new / "layanan" / "ktp-el.yaml", lambda d: d["penyampaian"]["produk"].append("Surat keterangan"))
    text = diff.as_text(diff.compare(old / "layanan" / "ktp-el.yaml", new / "layanan" / "ktp-el.yaml"))
    assert f"  {tables.label('jangka_waktu')}\n    diubah: “60 menit” → “45 menit”\n" in text
    assert f"  {tables.label('produk')}\n    ditambah (butir 3): “Surat keterangan”\n" in text


@pytest.mark.parametrize("old, new, expected", [
    ([], [], []),
    (["a"], [], [Change("dihapus", "a", "", 1, None)]),
    (["Satu", "Dua"], ["satu.", "DUA"], []),
    (["x", "x", "y"], ["y", "x", "x"], [Change("dipindah", "y", "y", 3, 1)]),
])
def test_compare_items_edge_cases(old, new, expected):
    assert compare_items(old, new) == expected


ITEMS = st.lists(st.sampled_from(["KTP-el", "Kartu Keluarga", "Akta kelahiran anak", "Pas foto 3x4",
                                   "Surat pengantar RT/RW", "Formulir F-1.01"]) | st.text(max_size=40), max_size=8)


@given(old=ITEMS, new=ITEMS)
@settings(max_examples=300, deadline=None)
def test_every_item_is_accounted_for_once(old, new):
    """Each old item is kept, moved, changed or removed, and each new one kept, moved, changed or
    added: exactly once, so nothing is reported twice or lost."""
    changes = compare_items(old, new)
    old_seen = [c.old_position for c in changes if c.old_position is not None]
    new_seen = [c.new_position for c in changes if c.new_position is not None]
    assert len(old_seen) == len(set(old_seen)) and len(new_seen) == len(set(new_seen))
    kept = len(old) - len(old_seen)
    assert kept == len(new) - len(new_seen) >= 0
    for c in changes:
        assert (c.semula == old[c.old_position - 1]) if c.old_position else c.kind == "ditambah"
        assert (c.menjadi == new[c.new_position - 1]) if c.new_position else c.kind == "dihapus"


@given(items=ITEMS, data=st.data())
@settings(max_examples=200, deadline=None)
def test_a_permutation_only_moves(items, data):
    shuffled = data.draw(st.permutations(items))
    assert {c.kind for c in compare_items(items, shuffled)} <= {"dipindah"}


# ---------------------------------------------------------------------------------------------
# Views


def test_json_view(units):
    old, new = units
    edit(new / "layanan" / "ktp-el.yaml", lambda d: d["penyampaian"].__setitem__("jangka_waktu", "45 menit"))
    data = json.loads(diff.as_json(diff.compare(old, new)))
    assert data["ada_perbedaan"] is True
    assert data["ringkasan"] == {"diubah": 1, "ditambah": 0, "dihapus": 0, "sama": 5, "perubahan": 1}
    ktp = next(s for s in data["layanan"] if s["slug"] == "ktp-el")
    assert ktp["status"] == "diubah" and ktp["nama_semula"] is None
    assert ktp["komponen"] == [{"key": "jangka_waktu", "label": "Jangka Waktu Pelayanan", "perubahan": [
        {"jenis": "diubah", "semula": "60 menit", "menjadi": "45 menit", "butir_semula": 1, "butir_menjadi": 1,
         "kemiripan": 0.75}]}]


def _fkp_changes(new: Path) -> None:
    edit(new / "layanan" / "ktp-el.yaml", lambda d: d["penyampaian"].__setitem__("jangka_waktu", "45 menit"))
    edit(new / "layanan" / "kartu-keluarga.yaml", lambda d: d["penyampaian"]["persyaratan"].append(
        "Surat pernyataan tanggung jawab mutlak (SPTJM) bila dokumen tidak lengkap"))
    edit(new / "layanan" / "akta-kematian.yaml", lambda d: d["pengelolaan"]["pengawasan_internal"].pop())
    edit(new / "layanan" / "pindah-datang.yaml", lambda d: d["pengelolaan"]["sarana_prasarana"].reverse())


def test_fkp_entries_validate_inside_a_complete_fkp_file(units):
    old, new = units
    _fkp_changes(new)
    result = CliRunner().invoke(cli.main, ["diff", "lama", "baru", "--format", "fkp"])
    assert result.exit_code == 0, result.output
    assert "# 6 butir hanya berpindah urutan; perpindahan tidak dimuat" in result.stdout  # 7 reversed
    fkp_file = new / "fkp" / "2026-01-fkp-sp.yaml"
    complete = fkp_file.read_text(encoding="utf-8")
    start, end = complete.index("\nkesepakatan:"), complete.index("\npenandatangan:")
    fkp_file.write_text(complete[:start] + "\n" + result.stdout + complete[end:], encoding="utf-8")

    unit, issues = load_unit(new)
    fkp = next(f for f in unit.fkps if f.slug == "2026-01-fkp-sp")
    assert fkp.data["kesepakatan"] == [
        {"layanan": "akta-kematian", "komponen": "pengawasan_internal",
         "semula": "Pemeriksaan berkala oleh Inspektorat Kota Contoh", "menjadi": ""},
        {"layanan": "kartu-keluarga", "komponen": "persyaratan", "semula": "",
         "menjadi": "Surat pernyataan tanggung jawab mutlak (SPTJM) bila dokumen tidak lengkap"},
        {"layanan": "ktp-el", "komponen": "jangka_waktu", "semula": "60 menit", "menjadi": "45 menit"},
    ]
    fkp_issues = [i for i in issues if i.path.endswith("2026-01-fkp-sp.yaml")]
    assert fkp_issues == [], [i.format() for i in fkp_issues]
    assert [i for i in issues if i.is_error] == []


def test_docx_matrix_read_back(units):
    old, new = units
    _fkp_changes(new)
    result = CliRunner().invoke(cli.main, ["diff", "lama", "baru", "--format", "docx", "-o", "matriks.docx"])
    assert result.exit_code == 0, result.output
    doc = Document(str(Path("matriks.docx")))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "MATRIKS PERUBAHAN STANDAR PELAYANAN"
    assert texts[1] == "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL"
    assert "Layanan: Penerbitan Kartu Tanda Penduduk Elektronik (KTP-el)" in texts
    tables_by_service = dict(zip([t for t in texts if t.startswith("Layanan: ")], doc.tables))
    ktp = tables_by_service["Layanan: Penerbitan Kartu Tanda Penduduk Elektronik (KTP-el)"]
    rows = [[c.text for c in row.cells] for row in ktp.rows]
    assert rows == [["No", "Komponen", "Semula", "Menjadi", "Keterangan"],
                    ["1.", "Jangka Waktu Pelayanan", "60 menit", "45 menit", "diubah"]]
    kematian = [[c.text for c in row.cells] for row in tables_by_service[
        "Layanan: Pencatatan Kematian dan Penerbitan Kutipan Akta Kematian"].rows]
    assert kematian[1] == ["1.", "Pengawasan Internal", "Pemeriksaan berkala oleh Inspektorat Kota Contoh", "-",
                           "dihapus (butir 3)"]
    pindah = tables_by_service["Layanan: Penerbitan Surat Keterangan Pindah dan Pelayanan Pindah Datang Penduduk WNI"]
    assert all(row.cells[4].text.startswith("dipindah dari butir ") for row in pindah.rows[1:])
    assert len(pindah.rows) == 1 + 6


def test_docx_matrix_without_differences_says_so(units):
    result = CliRunner().invoke(cli.main, ["diff", "lama", "baru", "--format", "docx", "-o", "m.docx"])
    assert result.exit_code == 0
    doc = Document("m.docx")
    assert "Tidak ada perbedaan." in [p.text for p in doc.paragraphs] and doc.tables == []


# ---------------------------------------------------------------------------------------------
# The command


def test_cli_exit_0_with_and_without_differences(units):
    runner = CliRunner()
    same = runner.invoke(cli.main, ["diff", "lama", "baru"])
    assert same.exit_code == 0 and "Tidak ada perbedaan." in same.stdout
    edit(units[1] / "layanan" / "ktp-el.yaml", lambda d: d["penyampaian"].__setitem__("jangka_waktu", "45 menit"))
    changed = runner.invoke(cli.main, ["diff", "lama/layanan/ktp-el.yaml", "baru/layanan/ktp-el.yaml"])
    assert changed.exit_code == 0
    assert "Layanan Penerbitan Kartu Tanda Penduduk Elektronik (KTP-el) [ktp-el]: berubah" in changed.stdout
    written = runner.invoke(cli.main, ["diff", "lama", "baru", "--format", "json", "-o", "beda.json"])
    assert written.exit_code == 0 and json.loads(Path("beda.json").read_text(encoding="utf-8"))["ada_perbedaan"]


def test_cli_bad_input_exits_1(units):
    old, new = units
    (new / "layanan" / "ktp-el.yaml").write_text("nama: [tidak ditutup\n", encoding="utf-8")
    runner = CliRunner()
    broken = runner.invoke(cli.main, ["diff", "lama", "baru"])
    assert broken.exit_code == 1
    assert "baru/layanan/ktp-el.yaml:" in broken.stderr and "YAML tidak sah" in broken.stderr
    mixed = runner.invoke(cli.main, ["diff", "lama/layanan/ktp-el.yaml", "baru"])
    assert mixed.exit_code == 1 and "bukan berkas dengan folder" in mixed.stderr
    (old / "unit.yaml").rename(old / "unit.txt")
    not_service = runner.invoke(cli.main, ["diff", "lama/unit.txt", "lama/layanan/ktp-el.yaml"])
    assert not_service.exit_code == 1 and "bukan berkas layanan" in not_service.stderr


def test_cli_docx_needs_an_output_file(units):
    result = CliRunner().invoke(cli.main, ["diff", "lama", "baru", "--format", "docx"])
    assert result.exit_code == 2 and "--format docx memerlukan -o" in result.stderr


def test_two_files_take_the_slug_of_the_one_inside_a_unit(tmp_path):
    from sp_builder.diff import compare, kesepakatan

    unit = tmp_path / "unit"
    shutil.copytree(Path(__file__).parent / "data" / "unit-valid", unit)
    draft = tmp_path / "ktp-el-draf-2026.yaml"
    draft.write_text((unit / "layanan" / "ktp-el.yaml").read_text(encoding="utf-8").replace(
        "jangka_waktu: 1 hari kerja", "jangka_waktu: 2 jam"), encoding="utf-8")
    rows = kesepakatan(compare(unit / "layanan" / "ktp-el.yaml", draft))
    assert rows == [{"layanan": "ktp-el", "komponen": "jangka_waktu", "semula": "1 hari kerja", "menjadi": "2 jam"}]
