"""One reading of every value, shared by every command: the forms published SPs write are accepted
by `validate`, shown as the unit meant them in the SP (no doubled numbering, channels split), and
read the same by `import`. The readers themselves are tested string by string in test_readers.py."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import docx
import pytest

from sp_builder.documents.render import render
from sp_builder.importer import read_sp
from sp_builder.unit.validate import load_unit

DATA = Path(__file__).parent / "data"
TODAY = dt.date(2025, 6, 1)
KTP = "layanan/ktp-el.yaml"


@pytest.fixture
def unit(tmp_path) -> Path:
    root = tmp_path / "unit"
    shutil.copytree(DATA / "unit-valid", root)
    return root


def plant(root: Path, old: str, new: str) -> None:
    path = root / KTP
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture lacks {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def uraian(docx_path: Path) -> dict[str, list[str]]:
    document = docx.Document(io.BytesIO(docx_path.read_bytes()))
    out = {}
    for table in document.tables:
        for row in table.rows:
            cells = [c.text for c in row.cells]
            if len(cells) >= 3 and cells[1] and cells[1] != "KOMPONEN":
                out[cells[1]] = [line for line in cells[2].split("\n") if line]  # a picture has no text
    return out


def errors_and_warnings(root: Path) -> tuple[list[str], list[str]]:
    _, issues = load_unit(root, today=TODAY)
    return [i.rule for i in issues if i.is_error], [i.rule for i in issues if not i.is_error]


# (value as published SPs write it, the line the SP shows in the Uraian cell)
ACCEPTED = [
    ("jangka_waktu: 1 hari kerja", "jangka_waktu: Pendaftaran 10 menit, penyelesaian 1 hari kerja",
     "Jangka Waktu Pelayanan", ["Pendaftaran 10 menit, penyelesaian 1 hari kerja"]),
    ("jangka_waktu: 1 hari kerja", "jangka_waktu: 1 x 24 jam", "Jangka Waktu Pelayanan", ["1 x 24 jam"]),
    ("jangka_waktu: 1 hari kerja", "jangka_waktu: \"± 15 menit\"", "Jangka Waktu Pelayanan", ["± 15 menit"]),
    ("jangka_waktu: 1 hari kerja",
     "jangka_waktu:\n    - {tahap: Verifikasi dokumen, waktu: maksimal 7 hari kerja}\n    - {tahap: Penerbitan, waktu: 1 hari kerja}",
     "Jangka Waktu Pelayanan", ["Verifikasi dokumen: maksimal 7 hari kerja", "Penerbitan: 1 hari kerja"]),
    ("biaya: 0", 'biaya: "Rp. 0,-"', "Biaya/Tarif", ["Rp0,00 (tidak dipungut biaya)"]),
    ("biaya: 0", "biaya: Tidak dipungut biaya (Gratis)", "Biaya/Tarif", ["Rp0,00 (tidak dipungut biaya)"]),
    ("biaya: 0", "biaya: Gratis / Tidak dipungut biaya", "Biaya/Tarif", ["Rp0,00 (tidak dipungut biaya)"]),
    ("jumlah_pelaksana: 6", "jumlah_pelaksana: 4 (empat) orang", "Jumlah Pelaksana", ["4 (empat) orang"]),
    ("jumlah_pelaksana: 6", "jumlah_pelaksana:\n    - Petugas loket 2 orang\n    - Operator SIAK 3 orang",
     "Jumlah Pelaksana", ["1.\tPetugas loket: 2 (dua) orang", "2.\tOperator SIAK: 3 (tiga) orang",
                          "Jumlah: 5 (lima) orang"]),
    ("    - Pemohon mengambil nomor antrean\n    - Petugas memverifikasi berkas\n",
     "    - 1. Pemohon mengambil nomor antrean\n    - 2) Petugas memverifikasi berkas\n",
     "Sistem, Mekanisme, dan Prosedur",
     ["1.\tPemohon mengambil nomor antrean", "2.\tPetugas memverifikasi berkas",
      "3.\tPemohon melakukan perekaman biometrik"]),
    ("  produk:\n    - KTP-el\n", "  produk: |\n    1. KTP-el\n    2. Tanda terima\n", "Produk Pelayanan",
     ["1.\tKTP-el", "2.\tTanda terima"]),
    # Magelang's Izin Gangguan: a tariff times the factors listed under it, none lost, none renumbered
    ("biaya: 0", "biaya:\n    tarif: |\n      Hasil perkalian tarif retribusi Rp. 15.000,- dengan :\n      1) Indeks golongan jenis usaha.\n"
     "      2) Luas tempat usaha.\n    dasar_hukum: Peraturan Daerah Kota Uji Nomor 1 Tahun 2024 tentang Retribusi Daerah",
     "Biaya/Tarif", ["1.\tHasil perkalian tarif: Rp15.000,00 (lima belas ribu rupiah) dengan:",
                     "a.\tIndeks golongan jenis usaha.", "b.\tLuas tempat usaha.",
                     "Dasar hukum: Peraturan Daerah Kota Uji Nomor 1 Tahun 2024 tentang Retribusi Daerah"]),
    # Puskesmas Suppa and Payakumbuh: a paid row, a free row and a sentence in one cell
    ("biaya: 0", "biaya:\n    tarif: |\n      Pasien umum : Rp.5.000\n      Pasien JKN : Gratis\n"
     "      Bagi pasien pemegang jaminan kesehatan, biaya ditanggung penjamin\n"
     "    dasar_hukum: Peraturan Daerah Kota Uji Nomor 1 Tahun 2024 tentang Retribusi Daerah",
     "Biaya/Tarif", ["1.\tPasien umum: Rp5.000,00 (lima ribu rupiah)", "2.\tPasien JKN: Rp0,00 (tidak dipungut biaya)",
                     "3.\tBagi pasien pemegang jaminan kesehatan, biaya ditanggung penjamin",
                     "Dasar hukum: Peraturan Daerah Kota Uji Nomor 1 Tahun 2024 tentang Retribusi Daerah"]),
    ("jangka_waktu: 1 hari kerja", "jangka_waktu: satu setengah jam", "Jangka Waktu Pelayanan", ["satu setengah jam"]),
    # RSUD Ciamis: numbers without a dot over a "1." sub-list
    ("  produk:\n    - KTP-el\n", "  produk: |\n    1 KTP-el\n      1. Kartu fisik\n    2 Tanda terima\n", "Produk Pelayanan",
     ["1.\tKTP-el", "a.\tKartu fisik", "2.\tTanda terima"]),
]


@pytest.mark.parametrize("old, new, label, shown", ACCEPTED, ids=[c[1][:40] for c in ACCEPTED])
def test_published_forms_validate_and_render_as_meant(unit, tmp_path, old, new, label, shown):
    plant(unit, old, new)
    errors, _ = errors_and_warnings(unit)
    assert errors == []
    render("sp", unit, tmp_path / "out")
    assert uraian(tmp_path / "out" / "sp" / "ktp-el.docx")[label] == shown


def test_complaint_channels_written_as_one_text_are_split(unit, tmp_path):
    plant(unit, '    - {saluran: SP4N-LAPOR!, kontak: https://www.lapor.go.id}\n    - {saluran: WhatsApp, kontak: "0812-0000-0000"}\n',
          '    - "SP4N-LAPOR!: https://www.lapor.go.id, WhatsApp: 0812-0000-0000; email: dukcapil@kotauji.go.id"\n')
    errors, warnings = errors_and_warnings(unit)
    assert errors == [] and "pengaduan.tanpa_lapor" not in warnings
    render("sp", unit, tmp_path / "out")
    assert uraian(tmp_path / "out" / "sp" / "ktp-el.docx")["Penanganan Pengaduan, Saran, dan Masukan"] == [
        "1.\tSP4N-LAPOR!: https://www.lapor.go.id", "2.\tWhatsApp: 0812-0000-0000", "3.\temail: dukcapil@kotauji.go.id"]


def test_laporan_is_not_a_lapor_channel(unit):
    plant(unit, "    - {saluran: SP4N-LAPOR!, kontak: https://www.lapor.go.id}\n",
          "    - {saluran: Buku laporan harian, kontak: di loket}\n")
    assert "pengaduan.tanpa_lapor" in errors_and_warnings(unit)[1]


def test_status_dates_and_hours_as_units_write_them(unit, tmp_path):
    plant(unit, "status: ditetapkan", "status: Ditetapkan\nwaktu_pelayanan: Senin–Kamis 08.00–15.30, Jumat 08.00–11.00")
    plant(unit, "tanggal: 2025-02-03", 'tanggal: "3 Februari 2025"')
    model, issues = load_unit(unit, today=TODAY)
    assert [i for i in issues if i.is_error] == []
    service = model.service("ktp-el")
    assert service.status == "ditetapkan" and service.penetapan_tanggal == dt.date(2025, 2, 3)
    render("sp", unit, tmp_path / "out")
    assert uraian(tmp_path / "out" / "sp" / "ktp-el.docx")["Jangka Waktu Pelayanan"] == [
        "1 hari kerja", "Waktu pelayanan: Senin–Kamis 08.00–15.30, Jumat 08.00–11.00"]


def test_an_unquoted_colon_in_a_list_item_is_the_text_meant_with_a_warning(unit, tmp_path):
    plant(unit, "    - Telah berusia 17 tahun, sudah kawin, atau pernah kawin\n",
          "    - 3. Bagi domisili usaha/lembaga: fotocopy akta pendirian\n")
    model, issues = load_unit(unit, today=TODAY)
    (warning,) = [i for i in issues if i.rule == "butir.titik_dua"]
    assert warning.path.endswith(KTP) and (warning.line, warning.column, warning.component) == (8, 7, "Persyaratan")
    assert "beri tanda kutip" in warning.message
    assert not any(i.is_error for i in issues)
    render("sp", unit, tmp_path / "out")
    assert uraian(tmp_path / "out" / "sp" / "ktp-el.docx")["Persyaratan"][0] == (
        "1.\tBagi domisili usaha/lembaga: fotocopy akta pendirian")


@pytest.mark.parametrize("new, rule", [
    ("jangka_waktu: secepatnya", "jangka_waktu.tidak_konkret"),
    ("jangka_waktu: sesuai antrean", "jangka_waktu.tidak_konkret"),
    ("jangka_waktu: tidak menentu", "jangka_waktu.tidak_konkret"),
])
def test_texts_without_a_concrete_duration_stay_errors(unit, new, rule):
    plant(unit, "jangka_waktu: 1 hari kerja", new)
    _, issues = load_unit(unit, today=TODAY)
    (issue,) = [i for i in issues if i.is_error]
    assert issue.rule == rule and "Pendaftaran 10 menit; penyelesaian 1 hari kerja" in issue.message


def test_a_fee_amount_without_its_basis_stays_an_error_and_with_it_passes(unit):
    plant(unit, "biaya: 0", "biaya: Rp10.000,-")
    errors, _ = errors_and_warnings(unit)
    assert errors == ["biaya.tanpa_dasar_hukum"]
    plant(unit, "biaya: Rp10.000,-", 'biaya: "Sesuai Perda Kota Uji Nomor 5 Tahun 2023 tentang Retribusi: Rp10.000"')
    assert errors_and_warnings(unit)[0] == []


def test_import_reads_the_service_hours_apart_from_the_duration(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=0, cols=3)
    for label, text in [("Persyaratan", "1. KTP"), ("Jangka Waktu Pelayanan", "1 hari kerja"),
                        ("Jam Pelayanan", "Senin - Kamis 08.00 - 15.30\nJumat 08.00 - 11.00"),
                        ("Biaya/Tarif", "Rp. 0,-")]:
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = str(len(table.rows)), label, text
    path = tmp_path / "sp.docx"
    document.save(path)
    data = read_sp(path).data
    assert data["penyampaian"]["jangka_waktu"] == "1 hari kerja"
    assert data["waktu_pelayanan"] == ["Senin - Kamis 08.00 - 15.30", "Jumat 08.00 - 11.00"]
    assert data["penyampaian"]["biaya"] == 0


# ---------------------------------------------------------------------------------------------
# Messages that point at the real cause


def test_indentation_made_of_no_break_spaces_is_named(unit):
    plant(unit, "  jangka_waktu: 1 hari kerja", "\u00a0\u00a0jangka_waktu: 1 hari kerja")
    _, issues = load_unit(unit, today=TODAY)
    (issue,) = [i for i in issues if i.path.endswith(KTP)]
    assert (issue.line, issue.column, issue.rule) == (15, 1, "yaml.spasi_tak_terlihat")
    assert "spasi tak terlihat (U+00A0" in issue.message and "tersalin dari Word" in issue.message


@pytest.mark.parametrize("old, new, line", [
    ("  jumlah_pelaksana: 6", "jumlah_pelaksana: 6", 29),  # the YAML still parses: a top-level key
    ("  jaminan_pelayanan:", "jaminan_pelayanan:", 30),
])
def test_a_component_moved_to_column_one_is_explained_as_indentation(unit, old, new, line):
    plant(unit, old, new)
    _, issues = load_unit(unit, today=TODAY)
    (issue,) = [i for i in issues if i.path.endswith(KTP) and i.is_error]
    assert (issue.line, issue.column) == (line, 1)
    assert "ditulis di kolom 1" in issue.message and "indentasi" in issue.message
    assert "None" not in issue.message


def test_an_unreadable_service_file_gives_no_false_missing_service(unit):
    (unit / KTP).write_text("nama: [rusak\n", encoding="utf-8")
    _, issues = load_unit(unit, today=TODAY)
    assert not any(i.rule == "fkp.layanan_tidak_ada" for i in issues)
    pointing = [i for i in issues if i.rule == "fkp.layanan_tidak_terbaca"]
    assert pointing and all("ktp-el.yaml tidak dapat dibaca" in i.message for i in pointing)


@pytest.mark.parametrize("value", ["~", "[]", "[~]", "{}", '""', "[{}]", "[{uraian: ~}]"])
def test_no_message_says_none(unit, value):
    for key in ("persyaratan", "jangka_waktu", "biaya", "pengaduan"):
        shutil.rmtree(unit)
        shutil.copytree(DATA / "unit-valid", unit)
        text = (unit / KTP).read_text(encoding="utf-8")
        lines = text.split("\n")
        start = next(n for n, ln in enumerate(lines) if ln.startswith(f"  {key}:"))
        end = next(n for n in range(start + 1, len(lines)) if not lines[n].startswith("    "))
        lines[start:end] = [f"  {key}: {value}"]
        (unit / KTP).write_text("\n".join(lines), encoding="utf-8")
        _, issues = load_unit(unit, today=TODAY)
        assert issues, (key, value)
        assert not any("None" in i.message for i in issues), [i.message for i in issues]


# ---------------------------------------------------------------------------------------------
# Any value the readers accept renders, and imports back to the same reading

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

_NUMBERS = st.sampled_from(["1", "3", "10", "14", "60", "1 (satu)", "3 (tiga)", "tiga"])
_UNITS = st.sampled_from(["menit", "jam", "hari kerja", "hari", "HK", "minggu", "bulan", "hari kalender"])
_BOUNDS = st.sampled_from(["", "maksimal ", "paling lama ", "± ", "kurang lebih ", "< "])
_DURATION = st.builds(lambda b, n, u, tail: f"{b}{n} {u}{tail}", _BOUNDS, _NUMBERS, _UNITS,
                      st.sampled_from(["", " sejak berkas lengkap", " jika berkas lengkap"]))
_STAGED = st.builds(lambda a, b: f"Pendaftaran {a}, penyelesaian {b}", _DURATION, _DURATION)
_FREE = st.sampled_from(["0", '"Rp. 0,-"', "Gratis", "Tidak dipungut biaya (Gratis)", "Tidak dikenakan biaya",
                         "Gratis / Tidak dipungut biaya", "Nihil", '"Rp0,00"'])
_ITEM = st.sampled_from(["Fotokopi KTP", "Surat Pengantar RT/RW", "Kartu Keluarga asli", "Pas foto 3x4 2 lembar",
                         "Formulir permohonan yang telah diisi"])
_MARK = st.sampled_from(["", "1. ", "a. ", "- ", "• ", "(1) ", "1) "])
_STAFF = st.sampled_from(["4", "4 (empat) orang", "3 orang", '"2 orang petugas"'])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(duration=st.one_of(_DURATION, _STAGED), fee=_FREE, items=st.lists(st.tuples(_MARK, _ITEM), min_size=1,
       max_size=4, unique_by=lambda x: x[1]), staff=_STAFF)
def test_accepted_values_render_and_import_back_to_the_same_reading(tmp_path_factory, duration, fee, items, staff):
    from sp_builder import diff, importer

    root = tmp_path_factory.mktemp("u") / "unit"
    shutil.copytree(DATA / "unit-valid", root)
    listed = "".join(f'    - "{mark}{text}"\n' for mark, text in items)
    plant(root, "jangka_waktu: 1 hari kerja", f'jangka_waktu: "{duration}"')
    plant(root, "biaya: 0", f"biaya: {fee}")
    plant(root, "jumlah_pelaksana: 6", f"jumlah_pelaksana: {staff}")
    plant(root, "    - Telah berusia 17 tahun, sudah kawin, atau pernah kawin\n"
                '    - {uraian: Kartu Keluarga, keterangan: "fotokopi 1 lembar & asli < 1 tahun"}\n', listed)
    _, issues = load_unit(root, today=TODAY)
    assert [i.message for i in issues if i.is_error] == []
    out = root.parent / "out"
    render("sp", root, out)
    shown = uraian(out / "sp" / "ktp-el.docx")
    assert shown["Persyaratan"] == [f"{n}.\t{text}" for n, (_, text) in enumerate(items, start=1)]
    back = root.parent / "kembali.yaml"
    imported = importer.import_sp(out / "sp" / "ktp-el.docx", back)
    assert [i for i in imported.issues if i.is_error] == []
    report = diff.compare(root / KTP, back)
    assert not report.has_changes, diff.as_text(report)
