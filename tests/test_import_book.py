"""`sp-builder import BOOK -o UNIT_DIR`: a book of many SPs (a Keputusan with its Lampiran) becomes a
unit folder — on a real published book (tests/data/buku, see its SOURCE.md) and on a Word book
built here."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from ruamel.yaml import YAML

from sp_builder import book, cli
from sp_builder.unit.validate import validate_paths

BUKU = Path(__file__).parent / "data" / "buku" / "sdn-simoangin-angin-2026.pdf"
TODAY = dt.date(2026, 12, 1)

# Furniture that must never reach a value: the BSrE footer, page numbers, bullet glyphs.
FURNITURE = re.compile(r"ditandatangani secara elektronik|BSrE|sertifikat elektronik|Transaksi Elektronik"
                       r"|hukum yang sah|Halaman \d+|^-\s*\d+\s*-$|[\ue000-\uf8ff]", re.IGNORECASE)


def _load(path: Path):
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def _strings(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str):
        yield value


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    out = tmp_path_factory.mktemp("buku") / "sdn-simoangin-angin"
    result = book.import_book(BUKU, out, today=TODAY)
    return out, result


EXPECTED_NAMES = [
    "Sistem Penerimaan Siswa Baru", "Surat Keterangan Pindah Sekolah",
    "Surat Pengantar Keterangan Pengganti Ijazah", "Surat keterangan pernah menjadi siswa di sekolah",
    "Pelayanan Legalisir STTB/IJAZAH/DANEM", "Surat Keterangan Kesalahan Penulisan Ijazah",
    "Surat Keterangan Prestasi", "Proses Pembelajaran", "Pelayanan Ekstrakulikuler",
    "Pelayanan Bimbingan dan Konseling", "Pelayanan Informasi Publik", "Pelayanan Unit Kesehatan Sekolah (UKS)",
    "Pelayanan Laboratorium", "Pelayanan Perpustakaan",
]


def test_every_sp_of_the_real_book_is_found_with_its_name_and_slug(real):
    out, result = real
    assert [s.imported.data["nama"] for s in result.services] == EXPECTED_NAMES
    slugs = [s.slug for s in result.services]
    assert slugs[:2] == ["sistem-penerimaan-siswa-baru", "surat-keterangan-pindah-sekolah"]
    assert "pelayanan-unit-kesehatan-sekolah-uks" in slugs and len(set(slugs)) == 14
    assert sorted(p.stem for p in (out / "layanan").glob("*.yaml")) == sorted(slugs)


def test_components_of_the_real_book(real):
    _, result = real
    counts = [sum(len(part) for part in (s.imported.data.get(k) or {} for k in ("penyampaian", "pengelolaan")))
              for s in result.services]
    assert counts[:13] == [14] * 13
    assert counts[13] == 6  # the last page (part II of Perpustakaan and the signature) is a scanned image


def test_two_services_read_component_by_component(real):
    out, _ = real
    pindah = _load(out / "layanan" / "surat-keterangan-pindah-sekolah.yaml")
    assert pindah["penyampaian"]["persyaratan"] == [
        "Pindah ke SD Negeri Simoangin-angin: Surat Pindah dari Dapodik",
        "Pindah keluar SD Negeri Simoangin-angin : Surat Permohonan Pindah dari orangtua"]
    assert pindah["penyampaian"]["prosedur"] == ["Pemohon menyerahkan berkas persyaratan",
                                                 "Pemohon menerima layanan"]
    assert pindah["penyampaian"]["pengaduan"] == [
        {"saluran": "e-mail", "kontak": "sdnsimoangin@gmail.com"},
        {"saluran": "Instagram", "kontak": "@sdnsimoangin"},
        {"saluran": "Wa", "kontak": "085655914559"},
        {"saluran": "Yt", "kontak": "@sdnsimoangin"},
        {"saluran": "Website", "kontak": "https://website-sdn-simoangin angin.vercel.app/"},
        {"saluran": "Formulir Pengaduan Digital",
         "kontak": "https://docs.google.com/forms/d/e/1FAIpQLSdXjt-tROQzKO4Wec9DSZ2JQrt9cdTwplmr5BPwhfCaQkUv7Q/viewform"},
    ]
    assert pindah["pengelolaan"]["pengawasan_internal"] == [  # split by a page break and its footer
        "Dilakukan oleh atasan langsung", "Dilakukan oleh Dinas Pendidikan",
        "Dilakukan sistem pengendalian internal pemerintah dan pengawasan fungsional oleh Inspektorat",
        "Dilakukan pengawasan internal secara berkelanjutan."]
    uks = _load(out / "layanan" / "pelayanan-unit-kesehatan-sekolah-uks.yaml")
    assert uks["penyampaian"]["prosedur"] == [
        "Pengguna layanan dibawa ke UKS oleh Dokcil atau guru penanggung jawab",
        "Pengguna layanan ditangani oleh tim UKS",
        "Pengguna layanan ditindaklanjuti ke unit kesehatan berikutnya jika kondisi perlu penanganan lanjutan"]
    assert uks["penyampaian"]["jangka_waktu"] == "30 menit, tergantung kondisi siswa pengguna layanan"
    assert uks["pengelolaan"]["dasar_hukum"] == [
        "Undang-Undang Nomor 36 Tahun 2009 tentang Kesehatan",
        "Peraturan Bersama 4 Menteri tentang Pembinaan dan Pengembangan UKS"]
    assert uks["pengelolaan"]["jaminan_keamanan"][-2:] == [  # crosses a page break
        "Tersedia P3K dan perlengkapan pertolongan pertama", "Tersedia kamera Pengawas CCTV"]


def test_no_furniture_in_any_value_of_any_written_file(real):
    out, _ = real
    files = sorted((out / "layanan").glob("*.yaml"))
    assert len(files) == 14
    for path in files:
        data = _load(path)
        for text in _strings(data):
            assert not FURNITURE.search(text), (path.name, text)
            assert "Apresiasi" not in text and "Menyampaikan pengaduan" not in text, (path.name, text)
        for channel in data["penyampaian"]["pengaduan"]:  # one channel per item, never merged
            assert isinstance(channel, dict) and channel["kontak"].count("http") <= 1, (path.name, channel)


def test_unit_yaml_of_the_real_book(real):
    out, _ = real
    unit = _load(out / "unit.yaml")
    assert unit["instansi"] == "Pemerintah Kabupaten Sidoarjo"
    assert unit["unit"] == "SD Negeri Simoangin-Angin"
    assert unit["alamat"] == "Jalan Simoangin-angin, Wonoayu, Sidoarjo, Jawa Timur 61261"
    assert unit["email"] == "sdnsimoangin@gmail.com"
    assert unit["kota"] == "Sidoarjo"
    assert unit["pimpinan"]["jabatan"] == "Kepala SDN Simoangin-Angin"
    text = (out / "unit.yaml").read_text(encoding="utf-8")
    assert "# Mengingat:" in text and "#   2. Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik" in text
    assert "#   8. Peraturan Bupati Sidoarjo Nomor 16 Tahun 2022" in text
    assert "# baris kop lain: Dinas Pendidikan dan Kebudayaan" in text
    assert not FURNITURE.search(text)


def test_keputusan_makes_every_sp_ditetapkan(real):
    out, result = real
    assert result.keputusan.nomor == "400.3.5/207/438.5.1.1.278/2026"
    assert len(result.keputusan.mengingat) == 8
    for path in (out / "layanan").glob("*.yaml"):
        data = _load(path)
        assert data["status"] == "ditetapkan"
        # the text layer says "Tanggal : 10 Juli 2016" (the scanned signature says 2026): kept, and flagged
        assert data["penetapan"] == {"nomor": "400.3.5/207/438.5.1.1.278/2026", "tanggal": dt.date(2016, 7, 10)}
    assert any("tidak sesuai dengan tahun pada nomor" in note for note in result.notes)


def test_the_report_names_counts_and_what_is_missing(real):
    _, result = real
    text = book.report(result)
    assert text.startswith("14 layanan ditemukan di sdn-simoangin-angin-2026.pdf (26 halaman, 2 tanpa teks)")
    assert "komponen 14/14; butir: persyaratan 4, prosedur 5" in text
    assert "komponen 6/14" in text and "tidak ditemukan: Dasar Hukum;" in text
    assert "validasi:" in text
    assert "peringatan: halaman 3, 26 tanpa lapisan teks" in text
    assert "tercampur" not in text


def test_importing_the_book_into_one_yaml_says_it_is_a_book(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli.main, ["import", str(BUKU), "-o", "satu.yaml"])
    assert result.exit_code == 0, result.output
    assert "memuat 14 SP" in result.stderr and "-o FOLDER-UNIT" in result.stderr


# ---------------------------------------------------------------------------------------------
# A Word book made here


def _table(doc, rows, numbered=True):
    """A component table: NO | KOMPONEN | URAIAN, or KOMPONEN | URAIAN with grid lines."""
    table = doc.add_table(rows=0, cols=3 if numbered else 2)
    if not numbered:
        table.style = "Table Grid"
    for cell, text in zip(table.add_row().cells, ["NO", "KOMPONEN", "URAIAN"][0 if numbered else 1:]):
        cell.text = text
    for n, (label, lines) in enumerate(rows, 1):
        cells = table.add_row().cells
        if numbered:
            cells[0].text = f"{n}."
        cells[-2].text = label
        cells[-1].paragraphs[0].text = lines[0]
        for line in lines[1:]:
            cells[-1].add_paragraph(line)


def _sp(doc, title, produk, waktu, numbered=True):
    doc.add_paragraph(title)
    _table(doc, numbered=numbered, rows=[
        ("Persyaratan", ["1. Kartu Keluarga", "2. KTP-el lama"]),
        ("Sistem, Mekanisme, dan Prosedur", ["\uf0b7 Pemohon mengambil antrean", "\uf0b7 Petugas memverifikasi berkas",
                                              "\uf0b7 Pemohon menerima dokumen"]),
        ("Jangka Waktu Penyelesaian", [waktu]),
        ("Biaya/Tarif", ["Tidak dipungut biaya (Gratis)"]),
        ("Produk Pelayanan", [produk]),
        ("Penanganan Pengaduan, Saran dan Masukan", ["Pengaduan disampaikan melalui:",
                                                     "a. SP4N-LAPOR! ; https://www.lapor.go.id",
                                                     "b. WhatsApp ; 0812-1111-2222", "c. Kotak saran"]),
    ])
    doc.add_paragraph("Dokumen ini telah ditandatangani secara elektronik menggunakan sertifikat elektronik yang "
                      "diterbitkan oleh BSrE")
    doc.add_paragraph("- 3 -")
    _table(doc, numbered=numbered, rows=[
        ("Dasar Hukum", ["1. Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik",
                         ("2. Peraturan Presiden Nomor 96 Tahun 2018 tentang Persyaratan dan Tata Cara Pendaftaran "
                          "Penduduk dan Pencatatan Sipil")]),
        ("Sarana, Prasarana, dan/atau Fasilitas", ["1. Ruang tunggu", "2. Kursi roda", "3. Toilet khusus disabilitas"]),
        ("Kompetensi Pelaksana", ["1. Memahami SIAK"]),
        ("Pengawasan Internal", ["1. Supervisi oleh Kepala Bidang"]),
        ("Jumlah Pelaksana", ["4 (empat) orang"]),
        ("Jaminan Pelayanan", ["Pelayanan sesuai standar."]),
        ("Jaminan Keamanan dan Keselamatan Pelayanan", ["Data pemohon dijamin kerahasiaannya."]),
        ("Evaluasi Kinerja Pelaksana", ["Survei Kepuasan Masyarakat setiap semester."]),
    ])


def word_book(path: Path) -> Path:
    doc = Document()
    for text in ["PEMERINTAH KOTA CONTOH", "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL",
                 "Jl. Merdeka No. 1, Kota Contoh 12345 Telepon (021) 1234567",
                 "Email: dukcapil@contohkota.go.id Laman: https://dukcapil.contohkota.go.id",
                 "KEPUTUSAN KEPALA DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL KOTA CONTOH",
                 "NOMOR 400.12/35/DKPS/2026", "TENTANG", "STANDAR PELAYANAN PADA DINAS KEPENDUDUKAN",
                 "DENGAN RAHMAT TUHAN YANG MAHA ESA", "KEPALA DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL,",
                 "Menimbang : a. bahwa setiap penyelenggara wajib menetapkan standar pelayanan;",
                 "Mengingat : 1. Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik;",
                 "2. Peraturan Pemerintah Nomor 96 Tahun 2012 tentang Pelaksanaan Undang-Undang Nomor 25 Tahun",
                 "2009 tentang Pelayanan Publik;",
                 "MEMUTUSKAN:", "Menetapkan : KEPUTUSAN TENTANG STANDAR PELAYANAN.",
                 "Ditetapkan di Kota Contoh", "pada tanggal 16 Februari 2026",
                 "KEPALA DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL,", "Dr. Budi Santoso, M.Si.",
                 "Pembina Utama Muda (IV/c)", "NIP. 19700101 199503 1 001",
                 "LAMPIRAN KEPUTUSAN KEPALA DINAS", "NOMOR 400.12/35/DKPS/2026", "TANGGAL 16 Februari 2026"]:
        doc.add_paragraph(text)
    _sp(doc, "1. Penerbitan KTP-el", "KTP-el", "1 (satu) hari kerja")
    _sp(doc, "2. Penerbitan Kartu Keluarga", "Kartu Keluarga", "3 hari kerja")
    doc.save(str(path))
    return path


def test_a_word_book_imports_into_a_unit_folder_that_validates(tmp_path):
    source = word_book(tmp_path / "buku.docx")
    out = tmp_path / "dukcapil"
    result = book.import_book(source, out, today=dt.date(2026, 3, 1))
    assert [s.slug for s in result.services] == ["penerbitan-ktp-el", "penerbitan-kartu-keluarga"]
    unit = _load(out / "unit.yaml")
    assert unit == {
        "instansi": "Pemerintah Kota Contoh", "unit": "Dinas Kependudukan dan Pencatatan Sipil",
        "alamat": "Jl. Merdeka No. 1, Kota Contoh 12345", "telepon": "(021) 1234567",
        "email": "dukcapil@contohkota.go.id", "laman": "https://dukcapil.contohkota.go.id", "kota": "Kota Contoh",
        "pimpinan": {"nama": "Dr. Budi Santoso, M.Si.", "jabatan": "Kepala Dinas Kependudukan dan Pencatatan Sipil",
                     "nip": "197001011995031001", "pangkat": "Pembina Utama Muda (IV/c)"}}
    ktp = _load(out / "layanan" / "penerbitan-ktp-el.yaml")
    assert ktp["nama"] == "Penerbitan KTP-el"
    assert ktp["status"] == "ditetapkan"
    assert ktp["penetapan"] == {"nomor": "400.12/35/DKPS/2026", "tanggal": dt.date(2026, 2, 16)}
    assert ktp["penyampaian"]["prosedur"] == ["Pemohon mengambil antrean", "Petugas memverifikasi berkas",
                                              "Pemohon menerima dokumen"]
    assert ktp["penyampaian"]["pengaduan"] == [{"saluran": "SP4N-LAPOR!", "kontak": "https://www.lapor.go.id"},
                                               {"saluran": "WhatsApp", "kontak": "0812-1111-2222"}, "Kotak saran"]
    assert ktp["penyampaian"]["jangka_waktu"] == "1 hari kerja"
    assert len(ktp["pengelolaan"]) == 8
    kk = _load(out / "layanan" / "penerbitan-kartu-keluarga.yaml")
    assert kk["penyampaian"]["produk"] == ["Kartu Keluarga"]
    text = (out / "unit.yaml").read_text(encoding="utf-8")
    assert "#   1. Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik" in text
    assert "#   2. Peraturan Pemerintah Nomor 96 Tahun 2012 tentang Pelaksanaan Undang-Undang Nomor 25 Tahun" in text
    for path in [out / "unit.yaml", *(out / "layanan").glob("*.yaml")]:
        for value in _strings(_load(path)):
            assert not FURNITURE.search(value), (path.name, value)
    errors = [i for i in validate_paths([out], dt.date(2026, 3, 1)) if i.is_error]
    assert errors == []


def test_refuses_to_overwrite_without_force(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    source = word_book(tmp_path / "buku.docx")
    runner = CliRunner()
    first = runner.invoke(cli.main, ["import", str(source), "-o", "unit-baru"])
    assert first.exit_code == 0, first.output
    assert "2 layanan ditemukan di buku.docx" in first.stdout
    assert (tmp_path / "unit-baru" / "layanan" / "penerbitan-ktp-el.yaml").is_file()
    mine = tmp_path / "unit-baru" / "unit.yaml"
    mine.write_text("instansi: milik pengguna\n", encoding="utf-8")
    refused = runner.invoke(cli.main, ["import", str(source), "-o", "unit-baru"])
    assert refused.exit_code == 1
    assert "unit-baru/unit.yaml" in refused.stderr and "sudah ada; tidak ditimpa" in refused.stderr
    assert "--force" in refused.stderr
    assert mine.read_text(encoding="utf-8") == "instansi: milik pengguna\n"
    forced = runner.invoke(cli.main, ["import", str(source), "-o", "unit-baru", "--force"])
    assert forced.exit_code == 0, forced.output
    assert "Pemerintah Kota Contoh" in mine.read_text(encoding="utf-8")


@pytest.mark.parametrize("target", ["unit-baru", "layanan.yaml"])
@pytest.mark.parametrize("ocr_flag", [[], ["--ocr"]])
def test_a_damaged_pdf_is_named_in_indonesian_only(tmp_path, monkeypatch, caplog, target, ocr_flag):
    """A file that is no PDF: one Indonesian message, exit 1, nothing written; none of pypdf's
    English warnings ("invalid pdf header", "EOF marker not found") reaches the operator."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "buku.pdf").write_text("bukan pdf\n", encoding="utf-8")
    result = CliRunner().invoke(cli.main, ["import", "buku.pdf", "-o", target, *ocr_flag])
    assert result.exit_code == 1
    assert result.stderr == ("galat: buku.pdf bukan PDF yang dapat dibaca; periksa apakah berkasnya rusak "
                             "atau terenkripsi\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["buku.pdf"]
    assert [r.getMessage() for r in caplog.records if r.name.startswith("pypdf")] == []  # logged to stderr otherwise


def test_a_single_sp_file_still_goes_to_one_yaml(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    source = word_book(tmp_path / "buku.docx")
    result = CliRunner().invoke(cli.main, ["import", str(source), "-o", "satu.yaml"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "satu.yaml").is_file() and not (tmp_path / "layanan").exists()


def test_furniture_lines_by_wording():
    for text in ["- 2 -", "Halaman 3 dari 72", "3", "SALINAN",
                 "Dokumen ini telah ditandatangani secara elektronik menggunakan sertifikat elektronik"]:
        assert book.is_furniture_text(text), text
    assert not book.is_furniture_text("Pemohon mengambil nomor antrean")
    assert book.clean("\uf0b7 Ruang tunggu") == "• Ruang tunggu"


@pytest.mark.skipif(__import__("shutil").which("soffice") is None, reason="LibreOffice (soffice) tidak terpasang")
def test_the_word_book_as_pdf_through_libreoffice_imports_like_the_docx(tmp_path):
    """Positions, not text order: LibreOffice draws the label column and the Uraian column side by
    side, wraps labels and items, and keeps the U+F0B7 bullets and the e-signature footer."""
    from sp_builder.documents import pdf

    source = word_book(tmp_path / "buku.docx")
    (pdf_file,) = pdf.convert([source])
    from_docx = book.import_book(source, tmp_path / "dari-docx", today=TODAY)
    from_pdf = book.import_book(pdf_file, tmp_path / "dari-pdf", today=TODAY)
    assert [s.imported.data for s in from_pdf.services] == [s.imported.data for s in from_docx.services]
    assert from_pdf.unit == from_docx.unit
    assert from_pdf.unit_text.splitlines()[1:] == from_docx.unit_text.splitlines()[1:]


def buku_tanpa_keputusan(path: Path) -> Path:
    """A "Buku Standar Pelayanan": the kop in the page header, a running footer, one SP per page with
    its "STANDAR PELAYANAN" title block and a "Jenis Pelayanan" row; no Keputusan."""
    from docx.enum.text import WD_BREAK

    doc = Document()
    section = doc.sections[0]
    for text in ["PEMERINTAH KABUPATEN CONTOH", "UPTD PUSKESMAS SUKAMAJU",
                 "Jalan Kenanga No. 5, Sukamaju Telp. (0274) 555123 Email: puskesmas@contohkab.go.id"]:
        section.header.add_paragraph(text)
    section.footer.paragraphs[0].text = "Buku Standar Pelayanan UPTD Puskesmas Sukamaju Tahun 2026"
    for n, (name, produk) in enumerate([("PELAYANAN PEMERIKSAAN UMUM", "Hasil pemeriksaan"),
                                        ("PELAYANAN LABORATORIUM", "Hasil laboratorium"),
                                        ("PELAYANAN IMUNISASI", "Buku KIA terisi")]):
        if n:
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        doc.add_paragraph("STANDAR PELAYANAN")
        doc.add_paragraph(name)
        _table(doc, [("Jenis Pelayanan", [name.title()]),
                     ("Persyaratan", ["\uf0b7 Kartu identitas", "\uf0b7 Kartu BPJS (bila ada)"]),
                     ("Prosedur", ["1. Pasien mendaftar di loket", "2. Pasien diperiksa petugas"]),
                     ("Waktu Pelayanan", ["30 menit"]), ("Biaya", ["Rp 0,-"]), ("Produk Pelayanan", [produk]),
                     ("Pengaduan", ["1. SP4N-LAPOR! : https://www.lapor.go.id", "2. Kotak saran"]),
                     ("Dasar Hukum", ["1. Undang-Undang Nomor 17 Tahun 2023 tentang Kesehatan"]),
                     ("Sarana dan Prasarana", ["1. Ruang tunggu", "2. Kursi roda"]),
                     ("Kompetensi Pelaksana", ["1. Dokter umum"]), ("Pengawasan Internal", ["1. Kepala Puskesmas"]),
                     ("Jumlah Pelaksana", ["3 orang"]), ("Jaminan Pelayanan", ["Sesuai standar."]),
                     ("Jaminan Keamanan dan Keselamatan Pelayanan", ["Rekam medis dijaga."]),
                     ("Evaluasi Kinerja Pelaksana", ["Survei kepuasan tiap semester."])])
    doc.save(str(path))
    return path


@pytest.mark.parametrize("as_pdf", [False, True])
def test_a_book_without_keputusan_one_sp_per_page(tmp_path, as_pdf):
    source = buku_tanpa_keputusan(tmp_path / "buku-puskesmas.docx")
    if as_pdf:
        if __import__("shutil").which("soffice") is None:
            pytest.skip("LibreOffice (soffice) tidak terpasang")
        from sp_builder.documents import pdf

        (source,) = pdf.convert([source])
    result = book.import_book(source, tmp_path / "puskesmas", today=TODAY)
    assert [s.imported.data["nama"] for s in result.services] == [
        "Pelayanan Pemeriksaan Umum", "Pelayanan Laboratorium", "Pelayanan Imunisasi"]
    assert result.keputusan is None
    for service in result.services:
        data = service.imported.data
        assert data["status"] == "rancangan" and "penetapan" not in data
        assert data["penyampaian"]["persyaratan"] == ["Kartu identitas",
                                                      {"uraian": "Kartu BPJS", "keterangan": "bila ada"}]
        assert len(data["penyampaian"]) == 6 and len(data["pengelolaan"]) == 8
        for text in _strings(data):
            assert "Buku Standar Pelayanan" not in text and not FURNITURE.search(text), text
    assert result.unit["instansi"] == "Pemerintah Kabupaten Contoh"
    assert result.unit["unit"] == "UPTD Puskesmas Sukamaju"
    assert result.unit["telepon"] == "(0274) 555123"
    assert result.unit["email"] == "puskesmas@contohkab.go.id"


@pytest.mark.skipif(__import__("shutil").which("soffice") is None, reason="LibreOffice (soffice) tidak terpasang")
def test_a_two_column_table_without_row_numbers_and_letter_titles(tmp_path):
    """KOMPONEN | URAIAN only (the label alone starts a row), services titled "A. …", "B. …"."""
    from sp_builder.documents import pdf

    doc = Document()
    for text in ["PEMERINTAH KOTA CONTOH", "DINAS SOSIAL", "Jl. Merdeka No. 1, Kota Contoh"]:
        doc.add_paragraph(text)
    _sp(doc, "A. Pelayanan Rekomendasi PBI", "Surat rekomendasi", "1 hari kerja", numbered=False)
    _sp(doc, "B. Pelayanan Surat Keterangan Tidak Mampu", "SKTM", "2 hari kerja", numbered=False)
    source = tmp_path / "dinsos.docx"
    doc.save(str(source))
    (pdf_file,) = pdf.convert([source])
    from_docx = book.import_book(source, tmp_path / "dari-docx", today=TODAY)
    from_pdf = book.import_book(pdf_file, tmp_path / "dari-pdf", today=TODAY)
    assert [s.imported.data["nama"] for s in from_pdf.services] == [
        "Pelayanan Rekomendasi PBI", "Pelayanan Surat Keterangan Tidak Mampu"]
    assert [s.imported.data for s in from_pdf.services] == [s.imported.data for s in from_docx.services]
    assert all(len(s.imported.data["pengelolaan"]) == 8 for s in from_pdf.services)


@pytest.mark.parametrize("as_pdf", [False, True])
def test_extra_rows_go_to_their_field_or_a_comment_and_never_split_a_service(tmp_path, as_pdf):
    """A "Waktu Pelayanan" row (service hours) after the components becomes waktu_pelayanan; a
    "Lokasi Pelayanan" row is kept as a comment; neither starts another service."""
    doc = Document()
    for text in ["PEMERINTAH KOTA CONTOH", "DINAS SOSIAL", "Jl. Merdeka No. 1, Kota Contoh"]:
        doc.add_paragraph(text)
    for title in ["1. Layanan Satu", "2. Layanan Dua"]:
        doc.add_paragraph(title)
        _table(doc, [("Persyaratan", ["1. KTP"]), ("Prosedur", ["1. Datang", "2. Pulang"]),
                     ("Jangka Waktu Penyelesaian", ["1 hari kerja"]), ("Biaya", ["Gratis"]), ("Produk", ["Surat"]),
                     ("Pengaduan", ["1. SP4N-LAPOR! : https://www.lapor.go.id"]),
                     ("Waktu Pelayanan", ["Senin - Jumat 08.00 - 15.00"]),
                     ("Lokasi Pelayanan", ["Kantor Dinas Sosial lantai 1"]),
                     ("Dasar Hukum", ["1. Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik"]),
                     ("Sarana dan Prasarana", ["1. Ruang tunggu"]), ("Kompetensi Pelaksana", ["1. Paham"]),
                     ("Pengawasan Internal", ["1. Kepala"]), ("Jumlah Pelaksana", ["2 orang"]),
                     ("Jaminan Pelayanan", ["Ya."]), ("Jaminan Keamanan dan Keselamatan Pelayanan", ["Aman."]),
                     ("Evaluasi Kinerja Pelaksana", ["Survei."])])
    source = tmp_path / "dinsos.docx"
    doc.save(str(source))
    if as_pdf:
        if __import__("shutil").which("soffice") is None:
            pytest.skip("LibreOffice (soffice) tidak terpasang")
        from sp_builder.documents import pdf

        (source,) = pdf.convert([source])
    result = book.import_book(source, tmp_path / "dinsos", today=TODAY)
    assert [s.slug for s in result.services] == ["layanan-satu", "layanan-dua"]
    for service in result.services:
        data = service.imported.data
        assert data["waktu_pelayanan"] == "Senin - Jumat 08.00 - 15.00"
        assert data["penyampaian"]["jangka_waktu"] == "1 hari kerja"
        assert len(data["penyampaian"]) == 6 and len(data["pengelolaan"]) == 8
        assert "Kantor Dinas Sosial lantai 1" in service.text.split("\nnama:")[0]  # a comment at the top
        assert "Kantor Dinas" not in str(data) and service.imported.notes == []


@pytest.mark.skipif(__import__("shutil").which("soffice") is None, reason="LibreOffice (soffice) tidak terpasang")
def test_rendered_sps_merged_into_one_pdf_book_import_as_each_alone(tmp_path):
    """Round trip: every sample unit's SPs rendered to PDF and merged into one book; the book gives
    back every service as importing its own PDF does (the name too, from the title block), and
    each SP's status: its own Lampiran header → ditetapkan, its RANCANGAN mark → rancangan."""
    from pypdf import PdfWriter

    from sp_builder import importer
    from sp_builder.documents import pdf, render
    from sp_builder.unit.validate import load_unit

    samples = Path(__file__).resolve().parent.parent / "samples"
    for root in sorted(p for p in samples.iterdir() if (p / "unit.yaml").is_file()):
        unit, _ = load_unit(root)
        out = tmp_path / root.name
        documents = sorted(Path(d.path) for d in render.render("sp", root, out).documents)
        pdfs = pdf.convert(documents)
        writer = PdfWriter()
        for part in pdfs:
            writer.append(str(part))
        writer.write(str(out / "buku.pdf"))
        result = book.import_book(out / "buku.pdf", out / "impor", today=TODAY)
        assert len(result.services) == len(pdfs), root.name
        by_slug = {s.slug: s for s in unit.services}
        for service, alone in zip(result.services, pdfs):
            data, single = service.imported.data, importer.read_sp(alone).data
            assert {k: v for k, v in data.items() if k != "nama"} == \
                {k: v for k, v in single.items() if k != "nama"}, alone.name
            original = by_slug[alone.stem]
            assert data["nama"].casefold() == original.nama.casefold(), alone.name
            assert data["status"] == original.status, alone.name
