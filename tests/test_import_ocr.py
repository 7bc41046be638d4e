"""`sp-builder import … --ocr`: a scanned SP book (a PDF whose pages are only pictures) read
through Tesseract.

The scanned book is made here: the six-SP Word Keputusan of tests/book_fixtures.py, converted to
PDF by LibreOffice, every page rasterised at 300 dpi in grey (pdftoppm) and written back as an
image-only PDF (Pillow), so no text layer is left. Imported with --ocr it must give back what was
put in. OCR makes mistakes, so the comparison is in two tiers, with these thresholds:
- exact: the number of SPs, every name and slug, status and penetapan, the short values that OCR
  reads reliably (Jangka Waktu, Biaya/Tarif, Jumlah Pelaksana, Waktu Pelayanan, the complaint
  channels with their addresses and numbers), the kop and the head (name, NIP, pangkat), and the
  Keputusan's number and date;
- close: every component's text as the SP shows it has a difflib ratio of at least 0.9 to what was
  put in, and at least 95 % of all the component lines of the book are read exactly.
A one-SP document (title, numbered table, signature) scanned the same way and imported with
`-o FILE.yaml --ocr` reads as its text PDF does: the same name, the short values above exactly,
every component at a ratio of at least 0.9.
"""

from __future__ import annotations

import datetime as dt
import difflib
import shutil
import subprocess
from pathlib import Path

import pytest
from book_fixtures import KEPUTUSAN, SERVICES, word_keputusan
from click.testing import CliRunner
from docx import Document
from PIL import Image
from ruamel.yaml import YAML
from test_import import FULL_PART_I, FULL_PART_II, save, sp_table
from test_import_book_built import PENETAPAN, shown

from sp_builder import book, cli, importer, ocr, tables

TODAY = dt.date(2026, 3, 1)


def _tesseract_missing() -> str:
    if shutil.which("tesseract") is None:
        return "tesseract tidak terpasang (apt-get install tesseract-ocr tesseract-ocr-ind)"
    langs = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, check=False)
    if "ind" not in (langs.stdout + langs.stderr).split():
        return "data bahasa Indonesia untuk tesseract tidak terpasang (apt-get install tesseract-ocr-ind)"
    if shutil.which("soffice") is None or shutil.which("pdftoppm") is None:
        return "LibreOffice (soffice) atau pdftoppm tidak terpasang"
    return ""


MISSING = _tesseract_missing()
needs_ocr = pytest.mark.skipif(bool(MISSING), reason=MISSING)

EXACT = ("jangka_waktu", "biaya", "jumlah_pelaksana", "pengaduan")
RATIO = 0.9  # least difflib ratio of a component's text to what was put in
LINES_EXACT = 0.95  # least share of the book's component lines read exactly


def scan(source: Path, target: Path, dpi: int = 300, skew: float = 0.0, blur: float = 0.0) -> Path:
    """`source` as a scanner would give it: every page a grey picture, no text layer; with `skew`
    the pages lie askew by that many degrees (one way on odd pages, the other on even ones), with
    `blur` slightly out of focus."""
    from PIL import ImageFilter

    folder = target.parent / f"{target.stem}-halaman"
    folder.mkdir()
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(source), str(folder / "h")], check=True,
                   timeout=300)
    images = []
    for n, path in enumerate(sorted(folder.glob("h-*.png"))):
        image = Image.open(path)
        if skew:
            image = image.rotate(skew if n % 2 else -skew, resample=Image.BICUBIC, fillcolor=255)
        if blur:
            image = image.filter(ImageFilter.GaussianBlur(blur))
        images.append(image)
    images[0].save(target, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    for image in images:
        image.close()
    shutil.rmtree(folder)
    return target


def _load(path: Path):
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def _ratio(a: list[str], b: list[str]) -> float:
    return difflib.SequenceMatcher(None, "\n".join(a), "\n".join(b)).ratio()


@pytest.fixture(scope="module")
def scanned(tmp_path_factory) -> dict[str, Path]:
    """The six-SP Keputusan and a one-SP document, as text PDFs and as scans."""
    from sp_builder.documents import pdf

    folder = tmp_path_factory.mktemp("buku-pindaian")
    doc = Document()  # one SP as units type it: a title, the numbered table, the signature block
    doc.add_paragraph("STANDAR PELAYANAN PENERBITAN AKTA KELAHIRAN")
    sp_table(doc, [*FULL_PART_I, *FULL_PART_II])
    for text in ("Kota Contoh, 2 Januari 2025", "KEPALA DINAS,", "Dr. Budi Santoso"):
        doc.add_paragraph(text)
    made, one = pdf.convert([word_keputusan(folder / "keputusan.docx"), save(doc, folder, "satu.docx")])
    return {"pdf": made, "scan": scan(made, folder / "keputusan-pindaian.pdf"),
            "rough": scan(made, folder / "keputusan-miring.pdf", dpi=200, skew=0.7, blur=0.6),
            "one-pdf": one, "one-scan": scan(one, folder / "satu-pindaian.pdf")}


@needs_ocr
def test_the_scan_has_no_text_and_without_ocr_the_message_says_what_to_do(scanned, tmp_path, monkeypatch):
    from pypdf import PdfReader

    pages = PdfReader(str(scanned["scan"])).pages
    assert len(pages) == len(PdfReader(str(scanned["pdf"])).pages) >= 10
    assert all(not (page.extract_text() or "").strip() for page in pages)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli.main, ["import", str(scanned["scan"]), "-o", "unit"])
    assert result.exit_code == 1
    assert "keputusan-pindaian.pdf tidak memuat teks (hasil pindai?)" in result.stderr
    assert "tambahkan --ocr" in result.stderr and "apt-get install tesseract-ocr tesseract-ocr-ind" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "unit").exists()
    single = CliRunner().invoke(cli.main, ["import", str(scanned["one-scan"]), "-o", "satu.yaml"])
    assert single.exit_code == 1 and "tambahkan --ocr" in single.stderr
    assert not (tmp_path / "satu.yaml").exists()


SLUGS = ["penerbitan-kartu-tanda-penduduk-elektronik-ktp-el", "penerbitan-kartu-keluarga",
         "penerbitan-kutipan-akta-kelahiran", "penerbitan-kutipan-akta-kematian",
         "penerbitan-surat-keterangan-pindah", "legalisasi-dokumen-kependudukan"]


@needs_ocr
def test_a_skewed_blurred_200_dpi_scan_still_gives_every_sp(scanned, tmp_path):
    """A rougher scan: 200 dpi, pages 0,7° askew both ways, slightly blurred. The page is turned
    straight from the skew of its baselines before the columns are read; the same thresholds hold
    for every component (ratio ≥ 0.9) and the lines (95 % exact); names, slugs, statuses exact."""
    result = book.import_book(scanned["rough"], tmp_path / "unit", today=TODAY, use_ocr=True)
    assert [s.slug for s in result.services] == SLUGS
    lines = exact = 0
    for service, want in zip(result.services, SERVICES, strict=True):
        got = service.imported.data
        assert got["nama"] == want["nama"] and ocr.NOTE in service.imported.notes
        assert got["status"] == "ditetapkan" and got["penetapan"] == PENETAPAN, service.slug
        read, put = shown(got), shown(want)
        for key in put:
            assert _ratio(read[key], put[key]) >= RATIO, (service.slug, key, read[key], put[key])
            lines += len(put[key])
            exact += len(set(read[key]) & set(put[key]))
    assert exact / lines >= LINES_EXACT, (exact, lines)
    assert result.book.ocr_pages == list(range(1, result.book.pages + 1)) and result.book.blank_pages == []


@needs_ocr
def test_a_scanned_book_read_with_ocr_gives_back_what_was_put_in(scanned, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli.main, ["import", str(scanned["scan"]), "-o", "unit", "--ocr"])
    assert result.exit_code == 0, result.output
    report = result.stdout
    assert report.startswith("6 layanan ditemukan di keputusan-pindaian.pdf (")
    assert "dibaca dengan OCR: periksa ejaan dan angka setiap nilai" in report
    assert report.count("    dibaca dengan OCR: periksa ejaan\n") == 6
    assert "Keputusan Nomor 35 Tahun 2026, tanggal 16 Februari 2026; Mengingat: 8 peraturan" in report
    slugs = SLUGS
    assert sorted(p.stem for p in (tmp_path / "unit" / "layanan").glob("*.yaml")) == sorted(slugs)
    lines = exact = 0
    for slug, want in zip(slugs, SERVICES, strict=True):
        path = tmp_path / "unit" / "layanan" / f"{slug}.yaml"
        assert path.read_text(encoding="utf-8").splitlines()[1] == "# periksa: dibaca dengan OCR: periksa ejaan"
        got = _load(path)
        assert got["nama"] == want["nama"]
        assert got["status"] == "ditetapkan" and got["penetapan"] == PENETAPAN, slug
        assert got["waktu_pelayanan"] == want["waktu_pelayanan"], slug
        for key in EXACT:
            part = next(c.bagian for c in tables.components() if c.key == key)
            assert got[part][key] == want[part][key], (slug, key)
        read, put = shown(got), shown(want)
        for key in put:
            assert _ratio(read[key], put[key]) >= RATIO, (slug, key, read[key], put[key])
            lines += len(put[key])
            exact += len(set(read[key]) & set(put[key]))
    assert exact / lines >= LINES_EXACT, (exact, lines)
    unit = _load(tmp_path / "unit" / "unit.yaml")
    assert {k: unit[k] for k in ("instansi", "unit", "telepon", "email", "laman", "kota")} == {
        "instansi": "Pemerintah Kota Contoh", "unit": "Dinas Kependudukan dan Pencatatan Sipil",
        "telepon": "(021) 1234567", "email": "dukcapil@contohkota.go.id",
        "laman": "https://dukcapil.contohkota.go.id", "kota": "Kota Contoh"}
    assert unit["pimpinan"] == {"nama": KEPUTUSAN["nama"], "nip": "197001011995031001",
                                "pangkat": KEPUTUSAN["pangkat"],
                                "jabatan": "Kepala Dinas Kependudukan dan Pencatatan Sipil Kota Contoh"}
    comments = [line[4:].strip() for line in (tmp_path / "unit" / "unit.yaml").read_text(encoding="utf-8").splitlines()
                if line.startswith("#   ")]
    assert "# Keputusan Nomor 35 Tahun 2026 tanggal 16 Februari 2026" in (tmp_path / "unit" / "unit.yaml").read_text(
        encoding="utf-8")
    note = "kop dan Keputusan dibaca dengan OCR: periksa ejaan, nomor, dan tanggalnya"
    assert f"# periksa: {note}" in (tmp_path / "unit" / "unit.yaml").read_text(encoding="utf-8")
    assert f"peringatan: {note}" in report
    mengingat = " ".join(" ".join(comments).split())
    assert _ratio([mengingat], [" ".join(f"{n}. {m}" for n, m in enumerate(KEPUTUSAN["mengingat"], 1))]) >= RATIO


@needs_ocr
def test_a_single_scanned_sp_reads_as_its_text_pdf(scanned, tmp_path, monkeypatch):
    text = importer.import_sp(scanned["one-pdf"], tmp_path / "teks.yaml", today=TODAY).imported
    read = importer.import_sp(scanned["one-scan"], tmp_path / "ocr.yaml", today=TODAY, use_ocr=True).imported
    assert read.notes[-1] == ocr.NOTE and ocr.NOTE not in text.notes
    assert read.data["nama"] == text.data["nama"] == "Penerbitan Akta Kelahiran"
    for part in ("penyampaian", "pengelolaan"):
        for key, value in text.data[part].items():
            if key in EXACT:
                assert read.data[part][key] == value, key
            assert _ratio([str(read.data[part].get(key))], [str(value)]) >= RATIO, key
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli.main, ["import", str(scanned["one-scan"]), "-o", "satu.yaml", "--ocr"])
    assert result.exit_code == 0, result.output
    assert "peringatan: dibaca dengan OCR: periksa ejaan" in result.stderr
    assert _load(tmp_path / "satu.yaml")["nama"] == "Penerbitan Akta Kelahiran"


@needs_ocr
def test_only_the_pages_without_text_are_read_by_ocr(scanned, tmp_path):
    """A book whose fourth page was scanned in (the others keep their text layer): without --ocr
    the report names the page and suggests --ocr; with it only that page is read by OCR, only the
    services on it get the note, and every SP comes back. A text PDF with --ocr runs no OCR."""
    from pypdf import PdfReader, PdfWriter

    text, pictures = PdfReader(str(scanned["pdf"])), PdfReader(str(scanned["scan"]))
    writer = PdfWriter()
    for n, page in enumerate(text.pages):
        writer.add_page(pictures.pages[n] if n == 3 else page)
    mixed = tmp_path / "campuran.pdf"
    writer.write(str(mixed))
    without = book.import_book(mixed, tmp_path / "tanpa", today=TODAY)
    assert without.book.blank_pages == [4] and without.book.ocr_pages == []
    assert ("peringatan: halaman 4 tanpa lapisan teks (hasil pindai atau gambar); isinya tidak terbaca dan harus "
            "dilengkapi sendiri, atau ulangi impor dengan --ocr") in book.report(without)
    result = book.import_book(mixed, tmp_path / "dengan", today=TODAY, use_ocr=True)
    assert result.book.blank_pages == [] and result.book.ocr_pages == [4]
    assert result.notes == []  # the kop and the Keputusan are on pages 1-3, read from their text
    report = book.report(result)
    assert "peringatan: halaman 4 dibaca dengan OCR: periksa ejaan dan angka setiap nilai" in report
    noted = [s.slug for s in result.services if ocr.NOTE in s.imported.notes]
    on_page_4 = [s.slug for s, part in zip(result.services, result.book.parts) if part.first_page <= 4]
    assert noted and set(noted) <= set(on_page_4) and len(noted) < 6
    assert [s.slug for s in result.services] == SLUGS
    for service, want in zip(result.services, SERVICES, strict=True):
        read, put = shown(service.imported.data), shown(want)
        assert all(_ratio(read[key], put[key]) >= RATIO for key in put), service.slug
        if service.slug not in noted:
            assert read == put, service.slug  # read from the text layer: exactly as put in
    plain = book.import_book(scanned["pdf"], tmp_path / "teks", today=TODAY, use_ocr=True)
    assert plain.book.ocr_pages == [] and not any(ocr.NOTE in s.imported.notes for s in plain.services)


def _blank_scan(path: Path) -> Path:
    Image.new("L", (850, 1100), 255).save(path, "PDF", resolution=100)
    return path


def test_without_tesseract_ocr_stops_naming_what_to_install(tmp_path, monkeypatch):
    source = _blank_scan(tmp_path / "pindaian.pdf")
    monkeypatch.setattr(ocr, "which", lambda program: None if program == "tesseract" else shutil.which(program))
    monkeypatch.chdir(tmp_path)
    for output in ("unit", "satu.yaml"):
        result = CliRunner().invoke(cli.main, ["import", str(source), "-o", output, "--ocr"])
        assert result.exit_code == 1, result.output
        assert result.stderr.strip() == ("galat: --ocr memerlukan program tesseract, yang tidak ditemukan di PATH; "
                                         "pasang dengan: apt-get install tesseract-ocr tesseract-ocr-ind")
        assert not (tmp_path / output).exists()


def test_without_the_indonesian_data_ocr_stops_naming_what_to_install(tmp_path, monkeypatch):
    source = _blank_scan(tmp_path / "pindaian.pdf")
    monkeypatch.setattr(ocr, "which", lambda program: f"/usr/bin/{program}")
    monkeypatch.setattr(ocr, "_run", lambda command, what: subprocess.CompletedProcess(
        command, 0, b'List of available languages in "/usr/share/tesseract-ocr/5/tessdata/" (2):\neng\nosd\n', b""))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli.main, ["import", str(source), "-o", "unit", "--ocr"])
    assert result.exit_code == 1, result.output
    assert "--ocr memerlukan data bahasa Indonesia (ind) untuk tesseract" in result.stderr
    assert "pasang dengan: apt-get install tesseract-ocr tesseract-ocr-ind" in result.stderr
    assert not (tmp_path / "unit").exists()


HOCR = """<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><body>
<div class='ocr_page' id='page_1' title='image "x.png"; bbox 0 0 2550 3300; ppageno 0'>
 <span class='ocr_line' id='line_1_1' title="bbox 377 636 1978 678; baseline 0.001 -10; x_size 42; x_descenders 10">
  <span class='ocrx_word' title='bbox 377 637 404 669; x_wconf 91'>4,</span>
  <span class='ocrx_word' title='bbox 450 630 460 680; x_wconf 40'>|</span>
  <span class='ocrx_word' title='bbox 517 636 642 669; x_wconf 96'>Waktu</span>
  <span class='ocrx_word' title='bbox 1109 637 1212 669; x_wconf 93'>Senin</span>
 </span>
 <span class='ocr_line' id='line_1_2' title="bbox 1240 3000 1310 3030; baseline 0 0; x_size 26">
  <span class='ocrx_word' title='bbox 1240 3000 1310 3030; x_wconf 70'>-B-</span>
 </span>
</div></body></html>"""


def test_hocr_words_become_fragments_in_pdf_points():
    page = ocr.parse_hocr(HOCR)
    assert page.height == pytest.approx(792.0)  # 3300 px at 300 dpi: a Letter page
    assert page.lines == ["4. Waktu Senin", "- 8 -"]  # a ruled line dropped, "4," and "-B-" mended
    (y1, x1, t1, s1, w1), (_, x2, t2, _, _), (y3, x3, _, _, w3), (y4, _, t4, _, _) = page.fragments
    assert (t1, t2, t4) == ("4. ", "Waktu ", "- 8 - ")
    assert x1 == pytest.approx(377 * 72 / 300) and x2 == pytest.approx(517 * 72 / 300) and w1 == pytest.approx((404 - 377) * 72 / 300)
    assert x3 == pytest.approx(1109 * 72 / 300) and w3 == pytest.approx((1212 - 1109) * 72 / 300)
    # on the baseline (678 - 10 px, sloping 0.001 px per px), y upwards from the page's foot
    assert y1 == pytest.approx(792 - 668 * 72 / 300)
    assert y3 == pytest.approx(792 - (668 + 0.001 * (1109 - 377)) * 72 / 300)
    assert y4 == pytest.approx(792 - 3030 * 72 / 300) and s1 == pytest.approx(42 * 72 / 300)


def _line(y1: int, words: list[tuple[int, str]], slope: float) -> str:
    spans = "".join(f"<span class='ocrx_word' title='bbox {x} {y1 - 32} {x + 100} {y1}; x_wconf 95'>{text}</span>"
                    for x, text in words)
    return (f"<span class='ocr_line' title=\"bbox {words[0][0]} {y1 - 40} {words[0][0] + 1000} {y1}; "
            f"baseline {slope} -10; x_size 42\">{spans}</span>")


def test_a_skewed_page_is_turned_straight_before_its_columns_are_read():
    """Two rows of a page lying 0,7° askew (a slope of 0,0122): the lower row starts 12 px further
    left, its words lower to the right. Straightened, each row's words share one baseline and
    the label column and the Uraian column stand at one x in both rows."""
    slope = 0.0122
    text = (f"<html xmlns='http://www.w3.org/1999/xhtml'><body><div class='ocr_page' title='bbox 0 0 2550 3300'>"
            f"{_line(1000, [(400, 'Persyaratan'), (1200, 'KTP-el'), (1310, 'lama')], slope)}"
            f"{_line(2000, [(388, 'Prosedur'), (1188, 'Pemohon'), (1298, 'datang')], slope)}</div></body></html>")
    first, second = ocr.parse_hocr(text).fragments[:3], ocr.parse_hocr(text).fragments[3:]
    for row in (first, second):
        assert max(f[0] for f in row) - min(f[0] for f in row) < 0.1  # one baseline
    for a, b in zip(first, second):
        assert abs(a[1] - b[1]) < 0.5  # one column
    assert first[0][0] - second[0][0] == pytest.approx(1000 * 72 / 300, abs=0.5)


def _row_line(page: int, y: float, texts: list[str], x: float = 60.0) -> "book.PdfLine":
    words = []
    for text in texts:  # one word after another, a space apart: one label cell
        words.append(book.Word(x, text, x + 5.0 * len(text)))
        x += 5.0 * len(text) + 3.0
    return book.PdfLine(page, y, words)


def test_a_label_misread_by_ocr_still_grows_on_ocr_pages_only():
    """"Pengawasan Intenai" (OCR's "Internal") grows as a label word by word on a page read by OCR
    (every word within a difflib ratio of 0.8 of the word of a known label) and names its
    component; the same words on a page with a text layer are no label, as before."""
    words = ["Pengawasan", "Intenai"]
    assert book._label_words(words, []) == 1 and book._label_words(words, [], ocr=True) == 2
    assert book.ocr_prefix("pengawasan intenai") == "pengawasan internal"
    assert book.ocr_prefix("pengawasan dilakukan") is None  # an Uraian word is no misread label word
    dashed = ["Penanganan", "—", "Pengaduan,", "Menyampaikan"]  # a speck read as a dash inside the label
    assert book._label_words(dashed, []) == 1 and book._label_words(dashed, [], ocr=True) == 3
    assert book._label_words(["Persyaratan", "-", "KTP"], [], ocr=True) == 1  # a dash before the Uraian
    assert importer.match_label("Kompetensl Pelaksama") is None  # a text layer's label is spelt as typed
    assert importer.match_label("Kompetensl Pelaksama", importer.OCR_LABEL_CUTOFF) == "kompetensi_pelaksana"
    misread = ["Evaluasi", "Kinerja", "Pelaksnaa"]  # "Evaluasi Kinerja" alone names no component
    lines = [_row_line(3, 700, ["4", *words]), _row_line(3, 680, ["5", "Jumlah", "Pelaksana"]),
             _row_line(3, 660, ["8", *misread])]
    rows = [e for e in book.pdf_events(lines, frozenset({3})) if isinstance(e, book.Row)]
    assert [(r.number, r.label, r.key, r.ocr) for r in rows] == [
        (4, words, "pengawasan_internal", True), (5, ["Jumlah", "Pelaksana"], "jumlah_pelaksana", True),
        (8, misread, "evaluasi_kinerja", True)]
    assert [r.lines for r in rows] == [[], [], []]
    plain = book.pdf_events(lines)  # a text layer, as before: the label stops at the misspelt word, the Uraian has it
    assert [(e.number, e.label, e.key, e.lines) for e in plain] == [
        (4, ["Pengawasan"], "pengawasan_internal", ["Intenai"]), (5, ["Jumlah", "Pelaksana"], "jumlah_pelaksana", []),
        (8, ["Evaluasi", "Kinerja"], "evaluasi_kinerja", ["Pelaksnaa"])]


REAL_BOOK = Path(__file__).parent / "data" / "buku" / "sdn-simoangin-angin-2026.pdf"
REAL_PAGES = [*range(10), 14, 15, 16]  # from 0: the kop, the Keputusan, the first four SPs, and the
# eighth ("Proses Pembelajaran", whose garbled second row once split it in two), each with the
# start of the next SP the cut leaves in
# Read from a 300 dpi scan of those pages: the components each whole SP misses, OCR having
# misread their labels past recognition ("(dasar Haku", "Fengugasan Internal", "Byaluasi
# Kinerja.relaksana", "2 MAN, MEA anne, (an ENasAKo" for "2 Sistem, Mekanisme, dan Prosedur")
REAL_MISSED = {
    "sistem-penerimaan-siswa-baru": {"dasar_hukum"},
    "surat-keterangan-pindah-sekolah": {"dasar_hukum", "pengawasan_internal"},
    "surat-pengantar-keterangan-pengganti-ijazah": set(),
    "surat-keterangan-pernah-menjadi-siswa-di-sekolah": {"evaluasi_kinerja"},
    "proses-pembelajaran": {"prosedur", "dasar_hukum", "evaluasi_kinerja"},
}
REAL_CUT = ["pelayanan-legalisir-sttb-ijazah-danem", "pelayanan-ekstrakulikuler"]  # only begun in those pages


@needs_ocr
def test_a_scan_of_the_real_school_book_gives_its_sps_and_their_components(tmp_path):
    """Pages of the real 14-SP school book, scanned at 300 dpi: its SPs in order, none split, each
    whole one with every component but those named above (misread labels like "Evaluasi
    Kinerja.Falaksata", "Pengawasan Intenai" and "Penanganan — Pengaduan," are found: 63 of
    the 70 components; before misspelt label words counted, the first four SPs gave 49 of their
    56 and "Proses Pembelajaran" was split in two). The whole book gives its 14 SPs and 182 of
    196 components (15 SPs and 174 before)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    pages = PdfReader(str(REAL_BOOK)).pages
    for n in REAL_PAGES:
        writer.add_page(pages[n])
    with open(tmp_path / "awal.pdf", "wb") as out:
        writer.write(out)
    result = book.import_book(scan(tmp_path / "awal.pdf", tmp_path / "awal-pindaian.pdf"), tmp_path / "unit",
                              today=TODAY, use_ocr=True)
    keys = {c.key for c in tables.components()}
    found = {s.slug: {k for part in ("penyampaian", "pengelolaan") for k in s.imported.data.get(part) or {}}
             for s in result.services}
    assert list(found) == [*list(REAL_MISSED)[:4], REAL_CUT[0], "proses-pembelajaran", REAL_CUT[1]]
    assert {slug: keys - found[slug] for slug in REAL_MISSED} == REAL_MISSED
    assert sum(len(found[slug] & keys) for slug in REAL_MISSED) == 63
    assert [s.imported.data["nama"] for s in result.services][5] == "Proses Pembelajaran"


def test_a_row_number_read_glued_to_its_label_through_the_rule_is_parted():
    """"5|Jumlah": the row number, the table's rule between the number and label columns, the
    label's first word, read as one word (after a "|" of the left rule). It becomes two words, the
    number and the label word, each with its share of the box; a "|" inside a later word stays."""
    words = [(120, "|"), (200, "5|Jumlah"), (440, "Pelaksana"), (1200, "1|2")]
    text = (f"<html xmlns='http://www.w3.org/1999/xhtml'><body><div class='ocr_page' title='bbox 0 0 2550 3300'>"
            f"{_line(1000, words, 0)}</div></body></html>")
    page = ocr.parse_hocr(text)
    assert page.lines == ["5 Jumlah Pelaksana 1|2"]
    (_, x1, t1, _, w1), (_, x2, t2, _, _) = page.fragments[:2]
    assert (t1, t2) == ("5 ", "Jumlah ")
    assert x1 == pytest.approx(200 * 72 / 300) and x2 == pytest.approx((200 + round(100 / 8)) * 72 / 300)
    assert w1 == pytest.approx(round(100 / 8) * 72 / 300)


def _placed_line(page: int, y: float, cells: list[tuple[float, list[str]]]) -> "book.PdfLine":
    """A line of a table: each cell's words from its x."""
    return book.PdfLine(page, y, [w for x, texts in cells for w in _row_line(page, y, texts, x).words])


def test_a_row_whose_label_ocr_garbled_keeps_its_numbered_uraian_out_of_the_titles():
    """"2 MAN, MEA anne, (an ENasAKo" for "2 Sistem, Mekanisme, dan Prosedur": on a page read by
    OCR the row after row 1, with its Uraian in the Uraian column, is a row of no component (its
    text kept as a note), so its numbered list ("6. Siswa bersama Guru ...") starts no new SP; on
    a text page it stays outside the table as before, and a numbered title after the table (no
    Uraian column) never becomes such a row."""
    lines = [_placed_line(3, 700, [(40, ["1"]), (60, ["Persyaratan"]), (250, ["Kartu", "pelajar"])]),
             _placed_line(3, 680, [(40, ["2"]), (60, ["MAN,", "MEA", "anne,"]), (250, ["1.", "Siswa", "hadir"])]),
             _placed_line(3, 665, [(250, ["2.", "Siswa", "pulang"])]),
             _placed_line(3, 650, [(40, ["3"]), (60, ["Jangka", "Waktu"]), (250, ["30", "menit"])]),
             _placed_line(3, 600, [(40, ["4."]), (60, ["Surat", "keterangan", "pernah", "menjadi", "siswa"])])]
    events = book.pdf_events(lines, frozenset({3}))
    assert [(e.number, e.key, e.lines) if isinstance(e, book.Row) else e.text for e in events] == [
        (1, "persyaratan", ["Kartu pelajar"]), (2, book.EXTRA, ["1. Siswa hadir", "2. Siswa pulang"]),
        (3, "jangka_waktu", ["30 menit"]), "4. Surat keterangan pernah menjadi siswa"]
    assert events[1].label == ["MAN,", "MEA", "anne,"]
    plain = book.pdf_events(lines)
    assert [e.text for e in plain if isinstance(e, book.Outside)][0] == "2 MAN, MEA anne, 1. Siswa hadir"
    assert book.EXTRA not in [e.key for e in plain if isinstance(e, book.Row)]
