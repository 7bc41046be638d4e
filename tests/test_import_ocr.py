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

from sp_builder import cli, importer, ocr, tables

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


def scan(source: Path, target: Path, dpi: int = 300) -> Path:
    """`source` as a scanner would give it: every page a grey picture, no text layer."""
    folder = target.parent / f"{target.stem}-halaman"
    folder.mkdir()
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(source), str(folder / "h")], check=True,
                   timeout=300)
    images = [Image.open(path) for path in sorted(folder.glob("h-*.png"))]
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
    slugs = ["penerbitan-kartu-tanda-penduduk-elektronik-ktp-el", "penerbitan-kartu-keluarga",
             "penerbitan-kutipan-akta-kelahiran", "penerbitan-kutipan-akta-kematian",
             "penerbitan-surat-keterangan-pindah", "legalisasi-dokumen-kependudukan"]
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
