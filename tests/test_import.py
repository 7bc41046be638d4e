"""`sp-builder import`: SP documents in the shapes real units use, read back field by field; the
render → import round trip over every sample service; the command's files and exit codes."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from hypothesis import given, settings, strategies as st

from sp_builder import cli, diff, importer, tables
from sp_builder.documents import render
from sp_builder.errors import UserError
from sp_builder.importer import Line, parse_line
from sp_builder.unit.load import read_yaml
from sp_builder.unit.model import Service
from sp_builder.unit.validate import load_unit

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
DATA = Path(__file__).parent / "data"
PNG = DATA / "unit-valid" / "alur.png"

# ---------------------------------------------------------------------------------------------
# Building documents


def fill(cell, lines: list) -> None:
    """Cell paragraphs: a string, or (text, style) for Word list styles."""
    for n, entry in enumerate(lines):
        text, style = entry if isinstance(entry, tuple) else (entry, None)
        paragraph = cell.paragraphs[0] if n == 0 else cell.add_paragraph()
        paragraph.text = text
        if style:
            paragraph.style = style
    if not lines:
        cell.paragraphs[0].text = ""


def sp_table(doc, rows: list, *, number: bool = True):
    """rows: (label, [lines]) or a str for a heading row spanning the table."""
    cols = 3 if number else 2
    table = doc.add_table(rows=0, cols=cols)
    header = table.add_row().cells
    for cell, text in zip(header, ["NO", "KOMPONEN", "URAIAN"][-cols:]):
        cell.text = text
    n = 0
    for row in rows:
        cells = table.add_row().cells
        if isinstance(row, str):
            merged = cells[0].merge(cells[-1])
            merged.text = row
            continue
        n += 1
        label, lines = row
        if number:
            cells[0].text = f"{n}."
        cells[-2].text = label
        fill(cells[-1], lines)
    return table


FULL_PART_I = [
    ("Persyaratan Pelayanan", ["1. Fotokopi KTP-el orang tua", "2. Kartu Keluarga (fotokopi 1 lembar)",
                               "3. Surat keterangan lahir dari rumah sakit atau bidan;"]),
    ("Sistem, Mekanisme dan Prosedur", ["a. Pemohon mengambil nomor antrean", "b. Petugas memverifikasi berkas",
                                        "c. Pejabat menandatangani kutipan akta"]),
    ("Waktu Penyelesaian", ["3 (tiga) hari kerja"]),
    ("BIAYA", ["Gratis"]),
    ("Hasil Pelayanan", ["• Kutipan Akta Kelahiran", "• Kartu Keluarga (KK) yang dimutakhirkan"]),
    ("Penanganan Pengaduan, Saran dan Masukan", ["1) SP4N-LAPOR!: https://www.lapor.go.id",
                                                 "2) WhatsApp: 0812-1111-2222", "3) Kotak saran"]),
]
FULL_PART_II = [
    ("Dasar Hukum", ["1. Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik;",
                     "2. Peraturan Presiden Nomor 96 Tahun 2018 tentang Persyaratan dan Tata Cara Pendaftaran "
                     "Penduduk dan Pencatatan Sipil; dan"]),
    ("Sarana, Prasarana, dan/atau Fasilitas", ["- Ruang tunggu", "- Kursi roda", "- Toilet khusus disabilitas"]),
    ("Kompetensi Pelaksana", ["1. Memahami SIAK", "2. Mampu melayani dengan santun"]),
    ("Pengawasan Internal", ["1. Supervisi oleh Kepala Bidang"]),
    ("Jumlah Pelaksana", ["6 (enam) orang"]),
    ("Jaminan Pelayanan", ["Pelayanan sesuai standar.", "Bila terlambat, petugas memberi penjelasan tertulis."]),
    ("Jaminan Keamanan dan Keselamatan Pelayanan", ["Data pemohon dijamin kerahasiaannya."]),
    ("Evaluasi Kinerja Pelaksana", ["Survei Kepuasan Masyarakat setiap semester."]),
]


def save(doc, tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    doc.save(str(path))
    return path


@pytest.fixture
def one_table_doc(tmp_path) -> Path:
    """One three-column table, part headings as merged rows, label variants, typed numbering."""
    doc = Document()
    doc.add_paragraph("STANDAR PELAYANAN PENERBITAN AKTA KELAHIRAN")
    sp_table(doc, ["I. KOMPONEN STANDAR PELAYANAN YANG TERKAIT DENGAN PROSES PENYAMPAIAN PELAYANAN",
                   *FULL_PART_I,
                   "II. KOMPONEN STANDAR PELAYANAN YANG TERKAIT DENGAN PROSES PENGELOLAAN PELAYANAN",
                   *FULL_PART_II])
    return save(doc, tmp_path, "akta.docx")


def test_one_table_with_heading_rows_reads_every_component(one_table_doc):
    result = importer.read_sp(one_table_doc)
    data = result.data
    assert data["nama"] == "Penerbitan Akta Kelahiran"
    assert data["status"] == "rancangan" and "penetapan" not in data
    part1, part2 = data["penyampaian"], data["pengelolaan"]
    assert part1["persyaratan"] == [
        "Fotokopi KTP-el orang tua",
        {"uraian": "Kartu Keluarga", "keterangan": "fotokopi 1 lembar"},
        "Surat keterangan lahir dari rumah sakit atau bidan",
    ]
    assert part1["prosedur"] == ["Pemohon mengambil nomor antrean", "Petugas memverifikasi berkas",
                                 "Pejabat menandatangani kutipan akta"]
    assert part1["jangka_waktu"] == "3 hari kerja"
    assert part1["biaya"] == 0
    assert part1["produk"] == ["Kutipan Akta Kelahiran", "Kartu Keluarga (KK) yang dimutakhirkan"]
    assert part1["pengaduan"] == [{"saluran": "SP4N-LAPOR!", "kontak": "https://www.lapor.go.id"},
                                  {"saluran": "WhatsApp", "kontak": "0812-1111-2222"}, "Kotak saran"]
    assert part2["dasar_hukum"] == [
        "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik",
        "Peraturan Presiden Nomor 96 Tahun 2018 tentang Persyaratan dan Tata Cara Pendaftaran Penduduk dan "
        "Pencatatan Sipil",
    ]
    assert part2["sarana_prasarana"] == ["Ruang tunggu", "Kursi roda", "Toilet khusus disabilitas"]
    assert part2["kompetensi_pelaksana"] == ["Memahami SIAK", "Mampu melayani dengan santun"]
    assert part2["pengawasan_internal"] == ["Supervisi oleh Kepala Bidang"]
    assert part2["jumlah_pelaksana"] == 6
    assert part2["jaminan_pelayanan"] == ("Pelayanan sesuai standar.\n\n"
                                          "Bila terlambat, petugas memberi penjelasan tertulis.")
    assert part2["jaminan_keamanan"] == "Data pemohon dijamin kerahasiaannya."
    assert part2["evaluasi_kinerja"] == "Survei Kepuasan Masyarakat setiap semester."
    assert result.unmapped == [] and result.notes == []
    assert list(part1) == [c.key for c in tables.components_of("penyampaian")]
    assert list(part2) == [c.key for c in tables.components_of("pengelolaan")]


def test_written_yaml_loads_back_to_the_same_data_and_validates(one_table_doc, tmp_path):
    out = tmp_path / "unit" / "layanan" / "akta-kelahiran.yaml"
    result = importer.import_sp(one_table_doc, out)
    file, problems = read_yaml(out)
    assert problems == [] and file.data == result.imported.data
    assert out.read_text(encoding="utf-8") == result.text
    assert result.text.startswith("# Diimpor dari akta.docx")
    assert "\npenyampaian:\n  persyaratan:\n    - Fotokopi KTP-el orang tua\n" in result.text
    assert "  jaminan_pelayanan: |-\n    Pelayanan sesuai standar.\n\n    Bila terlambat" in result.text
    assert [i for i in result.issues if i.is_error] == []
    assert all(i.path.endswith("akta-kelahiran.yaml") for i in result.issues)


def test_two_tables_two_columns_word_numbering_and_paragraph_items(tmp_path):
    """A table per part, no No column, labels numbered by hand, Word list styles, plain paragraphs."""
    doc = Document()
    doc.add_paragraph("STANDAR PELAYANAN")
    doc.add_paragraph("PENERBITAN KARTU IDENTITAS ANAK (KIA)")
    doc.add_paragraph("A. Service Delivery")
    sp_table(doc, [
        ("1. Persyaratan", ["Akta kelahiran anak", "Kartu Keluarga orang tua",
                            "Pas foto anak (bagi anak berusia 5 tahun ke atas)"]),
        ("2. Prosedur", [("Pemohon menyerahkan berkas", "List Number"), ("Petugas mencetak KIA:", "List Number"),
                         ("memeriksa data", "List Bullet 2"), ("mencetak kartu", "List Bullet 2"),
                         ("Pemohon menerima KIA", "List Number")]),
        ("3. Jangka Waktu Penyelesaian", ["Paling lama 1 (satu) hari kerja"]),
        ("4. Biaya/Tarif", ["Rp50.000,00 (lima puluh ribu rupiah)",
                            "Dasar hukum: Peraturan Daerah Kota Contoh Nomor 5 Tahun 2023 tentang Retribusi"]),
        ("5. Produk Pelayanan", ["Kartu Identitas Anak"]),
        ("6. Pengaduan", ["SP4N-LAPOR! https://www.lapor.go.id", "Email pengaduan@contoh.go.id"]),
    ], number=False)
    doc.add_paragraph("B. Manufacturing")
    sp_table(doc, [
        ("7. Landasan Hukum", ["Undang-Undang Nomor 24 Tahun 2013 tentang Perubahan atas Undang-Undang Nomor 23 "
                               "Tahun 2006 tentang Administrasi Kependudukan"]),
        ("8. Sarana dan Prasarana", ["Loket prioritas"]),
        ("9. Kompetensi", ["Operator SIAK bersertifikat"]),
        ("10. Pengawasan", ["Supervisi Kepala Seksi"]),
        ("11. Jumlah Petugas", ["1. Petugas loket: 2 (dua) orang", "2. Operator SIAK: 3 (tiga) orang",
                                "Jumlah: 5 (lima) orang"]),
        ("12. Jaminan Pelayanan", ["1. KIA terbit tepat waktu", "2. Tanpa pungutan"]),
        ("13. Jaminan Keamanan", ["Berkas disimpan dengan aman."]),
        ("14. Evaluasi Kinerja", ["Evaluasi setiap triwulan."]),
    ], number=False)
    data = importer.read_sp(save(doc, tmp_path, "kia.docx")).data
    part1, part2 = data["penyampaian"], data["pengelolaan"]
    assert data["nama"] == "Penerbitan Kartu Identitas Anak (KIA)"
    assert part1["persyaratan"] == ["Akta kelahiran anak", "Kartu Keluarga orang tua",
                                    {"uraian": "Pas foto anak", "keterangan": "bagi anak berusia 5 tahun ke atas"}]
    assert part1["prosedur"] == ["Pemohon menyerahkan berkas", {"Petugas mencetak KIA": ["memeriksa data", "mencetak kartu"]},
                                 "Pemohon menerima KIA"]
    assert part1["jangka_waktu"] == "Paling lama 1 hari kerja"
    assert part1["biaya"] == {"tarif": 50000, "dasar_hukum": "Peraturan Daerah Kota Contoh Nomor 5 Tahun 2023 "
                                                             "tentang Retribusi"}
    assert part1["produk"] == ["Kartu Identitas Anak"]
    assert part1["pengaduan"] == [{"saluran": "SP4N-LAPOR!", "kontak": "https://www.lapor.go.id"},
                                  {"saluran": "Email", "kontak": "pengaduan@contoh.go.id"}]
    assert part2["dasar_hukum"][0].startswith("Undang-Undang Nomor 24 Tahun 2013")
    assert part2["sarana_prasarana"] == ["Loket prioritas"]
    assert part2["jumlah_pelaksana"] == [{"jabatan": "Petugas loket", "jumlah": 2},
                                         {"jabatan": "Operator SIAK", "jumlah": 3}]
    assert part2["jaminan_pelayanan"] == ["KIA terbit tepat waktu", "Tanpa pungutan"]
    assert part2["evaluasi_kinerja"] == "Evaluasi setiap triwulan."


def test_merged_cells_and_continuation_rows_join_one_component(tmp_path):
    """The label merged down over rows that split its Uraian, a row with an empty label, a label
    cell merged across the No column."""
    doc = Document()
    doc.add_paragraph("STANDAR PELAYANAN LEGALISASI DOKUMEN")
    table = doc.add_table(rows=5, cols=3)
    for cell, text in zip(table.rows[0].cells, ("No", "Komponen", "Uraian")):
        cell.text = text
    table.cell(1, 0).merge(table.cell(2, 0)).text = "1."
    table.cell(1, 1).merge(table.cell(2, 1)).text = "Persyaratan"
    fill(table.cell(1, 2), ["1. Dokumen asli"])
    fill(table.cell(2, 2), ["2. Fotokopi dokumen"])
    fill(table.cell(3, 2), ["3. KTP-el pemohon"])
    merged = table.cell(4, 0).merge(table.cell(4, 1))
    merged.text = "Waktu Pelayanan"
    table.cell(4, 2).text = "15 menit"
    data = importer.read_sp(save(doc, tmp_path, "legalisasi.docx")).data
    assert data["penyampaian"]["persyaratan"] == ["Dokumen asli", "Fotokopi dokumen", "KTP-el pemohon"]
    assert data["penyampaian"]["jangka_waktu"] == "15 menit"
    assert data["nama"] == "Legalisasi Dokumen"


def test_a_table_split_over_pages_continues_and_a_signature_table_is_left_out(tmp_path):
    doc = Document()
    doc.add_paragraph("STANDAR PELAYANAN LEGALISASI DOKUMEN")
    sp_table(doc, [("Persyaratan", ["1. Dokumen asli", "2. Fotokopi dokumen"])])
    second = sp_table(doc, [("Prosedur", ["1. Pemohon datang"]), ("Persyaratan", ["5. Materai"])])
    continued = second.add_row()  # Uraian going on under the repeated header, label cells empty
    fill(continued.cells[2], ["3. KTP-el pemohon", "4. Surat kuasa bila diwakilkan"])
    second.rows[0]._tr.addnext(continued._tr)
    signature = doc.add_table(rows=2, cols=2)
    signature.cell(0, 1).text, signature.cell(1, 1).text = "KEPALA DINAS,", "Dr. Budi Santoso"
    result = importer.read_sp(save(doc, tmp_path, "legalisasi.docx"))
    assert result.data["penyampaian"]["persyaratan"] == [
        "Dokumen asli", "Fotokopi dokumen", "KTP-el pemohon", "Surat kuasa bila diwakilkan", "Materai"]
    assert result.data["penyampaian"]["prosedur"] == ["Pemohon datang"]
    assert result.notes == ["Persyaratan: muncul lebih dari sekali di dokumen; uraiannya digabung"]
    assert result.unmapped == []
    assert "Dr. Budi Santoso" not in result.to_yaml()


def _lampiran_doc(tmp_path, nomor: str, tanggal: str, *, as_table: bool) -> Path:
    doc = Document()
    doc.add_paragraph("LAMPIRAN")
    doc.add_paragraph("KEPUTUSAN KEPALA DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL")
    if as_table:
        table = doc.add_table(rows=2, cols=3)
        for row, (label, value) in zip(table.rows, (("NOMOR", nomor), ("TANGGAL", tanggal))):
            row.cells[0].text, row.cells[1].text, row.cells[2].text = label, ":", value
    else:
        doc.add_paragraph(f"NOMOR\t:\t{nomor}")
        doc.add_paragraph(f"TANGGAL\t:\t{tanggal}")
    doc.add_paragraph("STANDAR PELAYANAN PENERBITAN AKTA KEMATIAN")
    sp_table(doc, FULL_PART_I + FULL_PART_II)
    return save(doc, tmp_path, "akta-kematian.docx")


@pytest.mark.parametrize("as_table", [False, True], ids=["paragraf", "tabel"])
def test_lampiran_with_nomor_and_tanggal_makes_it_ditetapkan(tmp_path, as_table):
    result = importer.read_sp(_lampiran_doc(tmp_path, "400.12/77/DKPS/2025", "15 Januari 2025", as_table=as_table))
    assert result.data["status"] == "ditetapkan"
    assert result.data["penetapan"] == {"nomor": "400.12/77/DKPS/2025", "tanggal": dt.date(2025, 1, 15)}
    assert result.data["nama"] == "Penerbitan Akta Kematian"


def test_lampiran_left_blank_stays_rancangan_with_a_note(tmp_path):
    result = importer.read_sp(_lampiran_doc(tmp_path, "....................", "....................", as_table=False))
    assert result.data["status"] == "rancangan" and "penetapan" not in result.data
    assert any("NOMOR atau TANGGAL belum terisi" in n for n in result.notes)


def test_rows_it_cannot_place_become_comments_at_the_top(tmp_path):
    doc = Document()
    doc.add_paragraph("STANDAR PELAYANAN PENERBITAN AKTA KELAHIRAN")
    table = sp_table(doc, FULL_PART_I + FULL_PART_II)
    cells = table.add_row().cells
    cells[0].text, cells[1].text, cells[2].text = "15.", "Lokasi Pelayanan", "Gedung B lantai 2"
    result = importer.read_sp(save(doc, tmp_path, "akta.docx"))
    assert result.unmapped == ["15. | Lokasi Pelayanan | Gedung B lantai 2"]
    text = result.to_yaml()
    assert "# tidak terpetakan: 15. | Lokasi Pelayanan | Gedung B lantai 2\n" in text
    assert "Lokasi Pelayanan" not in text.split("\nnama:")[1]


def test_name_from_the_file_name_and_missing_components_reported(tmp_path):
    doc = Document()
    sp_table(doc, [("Persyaratan", ["1. Surat permohonan"]), ("Jangka Waktu", ["2 jam"])])
    result = importer.import_sp(save(doc, tmp_path, "surat-keterangan-usaha.docx"))
    assert result.imported.data["nama"] == "surat keterangan usaha"
    assert any("diambil dari nama berkas" in n for n in result.imported.notes)
    missing = {i.component for i in result.issues if i.rule == "komponen.tidak_ada"}
    assert missing == {c.label for c in tables.components_of("penyampaian")} - {"Persyaratan", "Jangka Waktu Pelayanan"}
    part = next(i for i in result.issues if i.rule == "bagian.tidak_ada")
    assert '"pengelolaan:"' in part.message and "Evaluasi Kinerja Pelaksana" in part.message
    assert all(i.path == "surat-keterangan-usaha.yaml" for i in result.issues)


def test_flowchart_picture_and_nested_staff_table(tmp_path):
    doc = Document()
    doc.add_paragraph("STANDAR PELAYANAN PINDAH DATANG")
    table = sp_table(doc, [("Prosedur", ["1. Pemohon datang"]), ("Jumlah Pelaksana", [])])
    table.rows[1].cells[2].add_paragraph().add_run().add_picture(str(PNG))
    nested = table.rows[2].cells[2].add_table(rows=2, cols=2)
    for row, (jabatan, jumlah) in zip(nested.rows, (("Petugas loket", "2 orang"), ("Operator", "1 orang"))):
        row.cells[0].text, row.cells[1].text = jabatan, jumlah
    result = importer.read_sp(save(doc, tmp_path, "pindah.docx"))
    assert result.data["penyampaian"]["prosedur"] == ["Pemohon datang"]
    assert result.data["pengelolaan"]["jumlah_pelaksana"] == [{"jabatan": "Petugas loket", "jumlah": 2},
                                                              {"jabatan": "Operator", "jumlah": 1}]
    assert any(n.startswith("Sistem, Mekanisme, dan Prosedur: sel memuat gambar") for n in result.notes)


def test_not_a_word_document_or_no_sp_table_is_a_user_error(tmp_path):
    bad = tmp_path / "sp.docx"
    bad.write_text("bukan zip", encoding="utf-8")
    with pytest.raises(UserError, match="bukan dokumen Word"):
        importer.read_sp(bad)
    doc = Document()
    doc.add_paragraph("Surat undangan")
    doc.add_table(rows=1, cols=2).rows[0].cells[0].text = "Hari"
    with pytest.raises(UserError, match="tidak ditemukan tabel komponen"):
        importer.read_sp(save(doc, tmp_path, "undangan.docx"))


# ---------------------------------------------------------------------------------------------
# Values, one component at a time


def lines(*texts: str) -> list[Line]:
    return [parse_line(t) for t in texts]


PERDA = "Peraturan Daerah Kota Contoh Nomor 1 Tahun 2024 tentang Retribusi Daerah"


@pytest.mark.parametrize("texts, expected", [
    (["Rp0,00"], 0),
    (["Gratis"], 0),
    (["Tidak dipungut biaya"], 0),
    (["Rp0,00 (tidak dipungut biaya)"], 0),
    (["Rp0,00 (tidak dipungut biaya)", f"Dasar hukum: {PERDA}"], {"tarif": 0, "dasar_hukum": PERDA}),
    (["Rp50.000,00 (lima puluh ribu rupiah)", f"Dasar hukum: {PERDA}"], {"tarif": 50000, "dasar_hukum": PERDA}),
    (["Rp 25.000,-", PERDA], {"tarif": 25000, "dasar_hukum": PERDA}),
    (["Sesuai tarif PNBP", "Dasar hukum: Peraturan Pemerintah Nomor 60 Tahun 2016"],
     {"tarif": "Sesuai tarif PNBP", "dasar_hukum": "Peraturan Pemerintah Nomor 60 Tahun 2016"}),
    (["1. Akta: Rp10.000,00 (sepuluh ribu rupiah)", "2. Salinan (per lembar): Rp5.000,00", "Dasar hukum:",
      "a. Perda A Nomor 1 Tahun 2020", "b. Perbup B Nomor 2 Tahun 2021"],
     {"tarif": [{"uraian": "Akta", "tarif": 10000}, {"uraian": "Salinan (per lembar)", "tarif": 5000}],
      "dasar_hukum": ["Perda A Nomor 1 Tahun 2020", "Perbup B Nomor 2 Tahun 2021"]}),
])
def test_biaya_forms(texts, expected):
    notes = importer.Notes()
    assert importer.biaya_value(lines(*texts), notes) == expected
    assert notes.notes == []


def test_paid_biaya_without_legal_basis_keeps_the_text_and_says_so():
    notes = importer.Notes()
    assert importer.biaya_value(lines("Rp10.000 per lembar"), notes) == "Rp10.000 per lembar"
    assert notes.notes and notes.notes[0].startswith("Biaya/Tarif: tarif \"Rp10.000 per lembar\" tanpa dasar hukum")


@pytest.mark.parametrize("text, expected", [
    ("1 (satu) hari kerja", "1 hari kerja"),
    ("paling lama 14 (empat belas) hari kalender sejak berkas lengkap",
     "paling lama 14 hari kalender sejak berkas lengkap"),
    ("60 menit", "60 menit"),
])
def test_jangka_waktu_drops_the_number_in_words(text, expected):
    notes = importer.Notes()
    assert importer.jangka_waktu_value(lines(text), notes) == expected
    assert notes.notes == []


def test_jangka_waktu_that_is_no_duration_is_reported():
    notes = importer.Notes()
    assert importer.jangka_waktu_value(lines("Secepatnya"), notes) == "Secepatnya"
    assert "bukan durasi" in notes.notes[0]


@pytest.mark.parametrize("texts, expected", [
    (["6 (enam) orang"], 6),
    (["1.000 (seribu) orang"], 1000),
    (["12 petugas"], 12),
    (["1. Front office: 2 (dua) orang", "2. Back office = 3 orang", "Jumlah: 5 (lima) orang"],
     [{"jabatan": "Front office", "jumlah": 2}, {"jabatan": "Back office", "jumlah": 3}]),
])
def test_jumlah_pelaksana_forms(texts, expected):
    notes = importer.Notes()
    assert importer.jumlah_pelaksana_value(lines(*texts), notes) == expected
    assert notes.notes == [] and notes.unmapped == []


def test_jumlah_pelaksana_total_that_does_not_add_up_is_reported():
    notes = importer.Notes()
    value = importer.jumlah_pelaksana_value(
        lines("1. Loket: 2 orang", "2. Operator: 2 orang", "Jumlah: 5 orang"), notes)
    assert value == [{"jabatan": "Loket", "jumlah": 2}, {"jabatan": "Operator", "jumlah": 2}]
    assert "jumlah 5 orang tidak sama dengan total rincian 4 orang" in notes.notes[0]


@pytest.mark.parametrize("text, expected", [
    ("SP4N-LAPOR!: https://www.lapor.go.id", {"saluran": "SP4N-LAPOR!", "kontak": "https://www.lapor.go.id"}),
    ("Telepon : (021) 1234567", {"saluran": "Telepon", "kontak": "(021) 1234567"}),
    ("Telepon (021) 1234567", {"saluran": "Telepon", "kontak": "(021) 1234567"}),
    ("Website - https://dukcapil.contoh.go.id", {"saluran": "Website", "kontak": "https://dukcapil.contoh.go.id"}),
    ("Kotak saran di ruang tunggu", "Kotak saran di ruang tunggu"),
])
def test_pengaduan_channels(text, expected):
    assert importer.channel(text) == expected


@pytest.mark.parametrize("label, key", [
    ("Jangka Waktu Penyelesaian", "jangka_waktu"), ("WAKTU PELAYANAN", "jangka_waktu"),
    ("Waktu Penyelesaian", "jangka_waktu"), ("Biaya/Tarif", "biaya"), ("Biaya", "biaya"), ("Tarif", "biaya"),
    ("Sarana, Prasarana, dan/atau Fasilitas", "sarana_prasarana"), ("Sarana dan Prasarana", "sarana_prasarana"),
    ("Jumlah Pelaksana", "jumlah_pelaksana"), ("Penanganan Pengaduan, Saran dan Masukan", "pengaduan"),
    ("Pengaduan", "pengaduan"), ("Sistem, Mekanisme dan Prosedur", "prosedur"), ("Prosedur", "prosedur"),
    ("Mekanisme", "prosedur"), ("Produk Pelayanan", "produk"), ("Hasil Pelayanan", "produk"),
    ("Kompetensi Pelaksana", "kompetensi_pelaksana"), ("Pengawasan Internal", "pengawasan_internal"),
    ("Jaminan Pelayanan", "jaminan_pelayanan"), ("Jaminan Keamanan dan Keselamatan Pelayanan", "jaminan_keamanan"),
    ("Evaluasi Kinerja Pelaksana", "evaluasi_kinerja"), ("Dasar Hukum", "dasar_hukum"),
    ("Persyaratan Pelayanan", "persyaratan"), ("1. Persyaratan", "persyaratan"), ("a. Biaya / Tarif", "biaya"),
    ("1) Produk", "produk"), ("Persyaratn", "persyaratan"), ("Persyaratan Pelayanan Administratif", "persyaratan"),
    ("Jenis Pelayanan", "nama"), ("Jam Pelayanan", "jangka_waktu"), ("Lokasi Pelayanan", None), ("Keterangan", None),
])
def test_label_variants(label, key):
    assert importer.match_label(label) == key


def test_every_official_label_is_recognised():
    assert all(importer.match_label(c.label) == c.key for c in tables.components())


@pytest.mark.parametrize("texts, expected", [
    (["1. Satu", "2. Dua;", "3. Tiga; dan"], ["Satu", "Dua", "Tiga"]),
    (["a) Satu", "b) Dua"], ["Satu", "Dua"]),
    (["(1) Satu", "(2) Dua"], ["Satu", "Dua"]),
    (["● Satu", "▪ sub", "● Dua"], ["Satu ▪ sub", "Dua"]),
    (["1. Petugas:", "a. memeriksa", "b. mencatat", "2. Selesai"], ["Petugas: a. memeriksa b. mencatat", "Selesai"]),
    (["Persyaratan administrasi:", "1. KTP", "2. KK"], ["Persyaratan administrasi:", "KTP", "KK"]),
    (["Satu", "Dua"], ["Satu", "Dua"]),
])
def test_items_from_numbered_lettered_and_bulleted_lines(texts, expected):
    assert importer.items_of(lines(*texts)) == expected


# what a YAML file can hold: no surrogates, no control characters except tab and line breaks
YAML_TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs", "Cc", "Cn")) | st.sampled_from("\t\n"))


@given(items=st.lists(YAML_TEXT.filter(lambda t: t.strip()), min_size=1, max_size=6), paragraph=YAML_TEXT)
@settings(max_examples=150, deadline=None)
def test_yaml_writer_keeps_any_text(items, paragraph, tmp_path_factory):
    """Whatever the cells hold, the YAML written reads back to the same values."""
    items = [" ".join(t.split()) for t in items]
    data = {"nama": items[0], "status": "rancangan",
            "penyampaian": {"persyaratan": items, "jangka_waktu": items[-1]},
            "pengelolaan": {"jaminan_pelayanan": " ".join(paragraph.split()) or "x"}}
    imported = importer.Imported(Path("x.docx"), data, [paragraph], [])
    path = tmp_path_factory.mktemp("yaml") / "x.yaml"
    path.write_text(imported.to_yaml(), encoding="utf-8")
    file, problems = read_yaml(path)
    assert problems == []
    assert file.data == data


# ---------------------------------------------------------------------------------------------
# Round trip: render sp, then import


def normalised(data: dict) -> dict:
    """A service compared as the model sees it: the same document must come out of both."""
    service = Service("x", Path("x.yaml"), data)
    out = {"nama": service.nama, "status": service.status,
           "penetapan": (service.penetapan_nomor, service.penetapan_tanggal)}
    for comp in tables.components():
        key, raw = comp.key, service.raw(comp.key)
        if key == "jangka_waktu":
            duration = service.jangka_waktu
            out[key] = (duration.number, duration.unit, importer.without_terbilang(duration.text))
        elif key == "biaya":
            out[key] = service.biaya
        elif key == "pengaduan":
            out[key] = service.pengaduan
        elif key == "jumlah_pelaksana":
            out[key] = service.jumlah_pelaksana
        elif key in tables.keys_of_kind("teks"):
            texts = re.split(r"\n\s*\n", raw.strip()) if isinstance(raw, str) else raw
            out[key] = [" ".join(t.split()) for t in texts]
        else:
            out[key] = [f"{i.uraian} ({i.keterangan})" if i.keterangan else i.uraian for i in service.items(key)]
    return out


@pytest.fixture(scope="module", params=sorted(p.name for p in SAMPLES.iterdir() if (p / "unit.yaml").is_file()))
def rendered(request, tmp_path_factory):
    root = SAMPLES / request.param
    out = tmp_path_factory.mktemp(f"sp-{request.param}")
    result = render.render("sp", root, out)
    unit, _ = load_unit(root)
    return unit, {Path(d.path).stem: Path(d.path) for d in result.documents}


def test_render_then_import_gives_back_every_sample_service(rendered, tmp_path):
    unit, documents = rendered
    assert sorted(documents) == sorted(s.slug for s in unit.services)
    for service in unit.services:
        out = tmp_path / "layanan" / f"{service.slug}.yaml"
        result = importer.import_sp(documents[service.slug], out)
        assert normalised(result.imported.data) == normalised(service.data), service.slug
        assert result.imported.unmapped == [] and result.imported.notes == [], service.slug
        assert [i for i in result.issues if i.is_error] == [], service.slug
        report = diff.compare(service.path, out)
        assert not report.has_changes, diff.as_text(report)


needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) tidak terpasang")


@needs_soffice
def test_a_text_pdf_of_a_rendered_sp_imports_like_the_docx(rendered):
    from sp_builder.documents import pdf

    _, documents = rendered
    docx_files = sorted(documents.values())
    for docx_file, pdf_file in zip(docx_files, pdf.convert(docx_files)):
        assert importer.read_sp(pdf_file).data == importer.read_sp(docx_file).data, pdf_file.name


@needs_soffice
def test_a_text_pdf_of_a_typed_sp_best_effort(tmp_path):
    """A PDF of a hand-made SP: numbered rows, heading rows, a signature block after the table."""
    from sp_builder.documents import pdf

    doc = Document()
    doc.add_paragraph("STANDAR PELAYANAN PENERBITAN AKTA KELAHIRAN")
    sp_table(doc, [*FULL_PART_I, *FULL_PART_II])
    doc.add_paragraph("Kota Contoh, 2 Januari 2025")
    doc.add_paragraph("KEPALA DINAS,")
    doc.add_paragraph("Dr. Budi Santoso")
    source = save(doc, tmp_path, "akta.docx")
    data = importer.read_sp(pdf.convert([source])[0]).data
    expected = importer.read_sp(source).data
    assert data["nama"] == "Penerbitan Akta Kelahiran"
    assert data["penyampaian"] == expected["penyampaian"]
    assert data["pengelolaan"]["jaminan_pelayanan"] == expected["pengelolaan"]["jaminan_pelayanan"].replace("\n\n", " ")
    assert data["pengelolaan"]["evaluasi_kinerja"] == "Survei Kepuasan Masyarakat setiap semester."
    assert {k: v for k, v in data["pengelolaan"].items() if k != "jaminan_pelayanan"} == \
        {k: v for k, v in expected["pengelolaan"].items() if k != "jaminan_pelayanan"}


# ---------------------------------------------------------------------------------------------
# The command


def test_cli_prints_yaml_without_o_and_writes_with_o(one_table_doc, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    shown = runner.invoke(cli.main, ["import", str(one_table_doc)])
    assert shown.exit_code == 0, shown.output
    assert shown.stdout.startswith("# Diimpor dari akta.docx")
    assert "nama: Penerbitan Akta Kelahiran\n" in shown.stdout
    assert not (tmp_path / "layanan").exists()
    written = runner.invoke(cli.main, ["import", str(one_table_doc), "-o", "layanan/akta-kelahiran.yaml"])
    assert written.exit_code == 0, written.output
    assert "ditulis: layanan/akta-kelahiran.yaml" in written.stderr
    assert (tmp_path / "layanan" / "akta-kelahiran.yaml").read_text(encoding="utf-8") == shown.stdout


def test_cli_never_overwrites_without_force(one_table_doc, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "akta.yaml"
    target.write_text("nama: milik pengguna\n", encoding="utf-8")
    runner = CliRunner()
    refused = runner.invoke(cli.main, ["import", str(one_table_doc), "-o", "akta.yaml"])
    assert refused.exit_code == 1
    assert "akta.yaml sudah ada; tidak ditimpa" in refused.stderr and "--force" in refused.stderr
    assert target.read_text(encoding="utf-8") == "nama: milik pengguna\n"
    forced = runner.invoke(cli.main, ["import", str(one_table_doc), "-o", "akta.yaml", "--force"])
    assert forced.exit_code == 0
    assert "nama: Penerbitan Akta Kelahiran" in target.read_text(encoding="utf-8")


def test_cli_reports_what_is_left_to_fill_in(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    doc = Document()
    doc.add_paragraph("STANDAR PELAYANAN SURAT PINDAH")
    sp_table(doc, [("Persyaratan", ["1. KK"]), ("Biaya", ["Rp10.000"])])
    path = save(doc, tmp_path, "pindah.docx")
    result = CliRunner().invoke(cli.main, ["import", str(path), "-o", "pindah.yaml"])
    assert result.exit_code == 0
    assert "peringatan: Biaya/Tarif: tarif \"Rp10.000\" tanpa dasar hukum" in result.stderr
    assert "Yang masih perlu dilengkapi (hasil validasi):" in result.stderr
    assert re.search(r"pindah\.yaml:\d+:\d+: galat: Biaya/Tarif: \"Rp10.000\": tarif yang tidak nol wajib menyebut dasar hukumnya", result.stderr)
    assert "galat: Jangka Waktu Pelayanan: komponen wajib belum diisi" in result.stderr


def test_cli_bad_document_exits_1(tmp_path):
    bad = tmp_path / "sp.docx"
    bad.write_bytes(b"PK\x03\x04 rusak")
    result = CliRunner().invoke(cli.main, ["import", str(bad)])
    assert result.exit_code == 1
    assert "galat:" in result.stderr and "bukan dokumen Word" in result.stderr
