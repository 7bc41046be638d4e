"""Books built here from lists of services (tests/book_fixtures.py) and imported back: a Word
Keputusan with its Lampiran of six SPs (running header and footer with page fields, a "SALINAN"
mark, real Word list numbering, a table split over two pages, merged part-heading cells, an extra
"Waktu Pelayanan" row); the same converted to PDF by LibreOffice; and a PDF whose lists are typed
with bullet glyphs, with the BSrE e-signature note on every page and labels on two lines.

Each imported service must equal what was put in. "Equal" is read through the model: every
component as the SP document shows it (`wording.component_lines`, the lines `render` and `diff`
use), in the reading layer's comparable form, and the structured values themselves where the book
leaves no choice (lists, channels, biaya, jumlah pelaksana)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from book_fixtures import ESIGN, KEPUTUSAN, RUNNING_HEADER, SERVICES, word_keputusan
from ruamel.yaml import YAML

from sp_builder import book, tables
from sp_builder.unit import readers, wording
from sp_builder.unit.model import Service
from sp_builder.unit.validate import validate_paths

TODAY = dt.date(2026, 3, 1)
NO_SOFFICE = shutil.which("soffice") is None
PENETAPAN = {"nomor": "35 Tahun 2026", "tanggal": dt.date(2026, 2, 16)}

# Furniture of the built books: none of it may reach any value.
FURNITURE = re.compile(
    r"ditandatangani secara elektronik|BSrE|BSSN|sertifikat elektronik|Halaman \d+|dari \d+$|^-\s*\d*\s*-$"
    r"|\bSALINAN\b|Keputusan Kepala Dinas Kependudukan dan Pencatatan Sipil Kota Contoh Nomor"
    r"|(?-i:^(?:NO|KOMPONEN|URAIAN)$|\bNO KOMPONEN\b)|STANDAR PELAYANAN YANG TERKAIT|[\ue000-\uf8ff•▪●◦➢✓]",
    re.IGNORECASE)


def _load(path: Path):
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def _strings(value):
    if isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str):
        yield value


def shown(data: dict) -> dict[str, list[str]]:
    """Every component as the SP shows it, in the form the reading layer compares texts in."""
    service = Service("x", Path("x.yaml"), data)
    return {c.key: [readers.comparable(line["teks"]) for line in wording.component_lines(service, c.key)]
            for c in tables.components()}


def assert_same_services(imported: list[dict], expected: list[dict]) -> None:
    assert [d["nama"] for d in imported] == [s["nama"] for s in expected]
    for got, want in zip(imported, expected):
        assert shown(got) == shown(want), want["nama"]
        # the structured values as well, not only how they read
        assert got["penyampaian"] == want["penyampaian"], want["nama"]
        assert got["pengelolaan"] == want["pengelolaan"], want["nama"]
        assert got["waktu_pelayanan"] == want["waktu_pelayanan"], want["nama"]
        assert got["status"] == "ditetapkan" and got["penetapan"] == PENETAPAN, want["nama"]


def assert_no_furniture(folder: Path) -> None:
    files = [folder / "unit.yaml", *sorted((folder / "layanan").glob("*.yaml"))]
    assert len(files) == 7
    for path in files:
        for text in _strings(_load(path)):
            assert not FURNITURE.search(text), (path.name, text)


def assert_unit(result: book.BookResult, folder: Path) -> None:
    unit = _load(folder / "unit.yaml")
    assert unit == {
        "instansi": "Pemerintah Kota Contoh", "unit": "Dinas Kependudukan dan Pencatatan Sipil",
        "alamat": "Jalan Merdeka Nomor 1, Kota Contoh 12345", "telepon": "(021) 1234567",
        "email": "dukcapil@contohkota.go.id", "laman": "https://dukcapil.contohkota.go.id", "kota": "Kota Contoh",
        "pimpinan": {"nama": "Dr. Budi Santoso, M.Si.", "nip": "197001011995031001",
                     "pangkat": "Pembina Utama Muda (IV/c)",
                     "jabatan": "Kepala Dinas Kependudukan dan Pencatatan Sipil Kota Contoh"}}
    assert result.keputusan.nomor == PENETAPAN["nomor"]
    assert result.keputusan.tanggal == PENETAPAN["tanggal"]
    assert result.keputusan.mengingat == KEPUTUSAN["mengingat"]
    text = (folder / "unit.yaml").read_text(encoding="utf-8")
    assert "# Keputusan Nomor 35 Tahun 2026 tanggal 16 Februari 2026" in text
    assert "#   2. Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik" in text
    assert result.notes == []


def check_book(source: Path, out: Path) -> book.BookResult:
    result = book.import_book(source, out, today=TODAY)
    # the running header and the page numbers are no text of the book, not even outside the tables
    assert not any("kota contoh nomor 35" in t.casefold() for t in result.book.outside)
    assert not any(re.fullmatch(r"-\s*\d+\s*-|Halaman \d+ dari \d+|SALINAN", t) for t in result.book.outside)
    assert not any(ESIGN[:40] in t for t in result.book.outside)
    imported = [s.imported.data for s in result.services]
    assert_same_services(imported, SERVICES)
    assert_unit(result, out)
    assert_no_furniture(out)
    for service in result.services:
        assert service.imported.unmapped == [], service.slug
    errors = [i.format() for i in validate_paths([out], TODAY) if i.is_error]
    assert errors == []
    report = book.report(result)
    assert report.startswith(f"6 layanan ditemukan di {source.name}")
    assert "Keputusan Nomor 35 Tahun 2026, tanggal 16 Februari 2026; Mengingat: 8 peraturan" in report
    assert report.count("komponen 14/14;") == 6 and "tidak ditemukan" not in report
    assert [s.slug for s in result.services] == [
        "penerbitan-kartu-tanda-penduduk-elektronik-ktp-el", "penerbitan-kartu-keluarga",
        "penerbitan-kutipan-akta-kelahiran", "penerbitan-kutipan-akta-kematian",
        "penerbitan-surat-keterangan-pindah", "legalisasi-dokumen-kependudukan"]
    return result


def _pages(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [" ".join(page.extract_text().split()) for page in PdfReader(str(path)).pages]


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict[str, Path]:
    """The Word Keputusan, and with LibreOffice its PDF and the bullets book's PDF (one conversion)."""
    folder = tmp_path_factory.mktemp("buku-dibangun")
    made = {"docx": word_keputusan(folder / "keputusan.docx"),
            "bullets-docx": word_keputusan(folder / "keputusan-butir.docx", style="bullets")}
    if not NO_SOFFICE:
        from sp_builder.documents import pdf

        made["pdf"], made["bullets-pdf"] = pdf.convert([made["docx"], made["bullets-docx"]])
    return made


def test_the_word_keputusan_imports_as_it_was_put_in(books, tmp_path):
    from docx import Document

    doc = Document(str(books["docx"]))
    # the book is what the test says: Word's own list numbering, no typed numbers in the Uraian
    body = doc.element.body.xml
    assert body.count("<w:numPr>") > 100 and "<w:tblHeader/>" in body and 'w:gridSpan w:val="3"' in body
    uraian = [p.text for t in doc.tables for row in t.rows[1:] for p in row.cells[-1].paragraphs]
    assert not any(re.match(r"\d+[.)]\s", text) for text in uraian)
    section = doc.sections[0]
    assert section.header.paragraphs[0].text == RUNNING_HEADER and section.header.paragraphs[1].text == "- 2 -"
    assert section.footer.paragraphs[0].text == "Halaman 1 dari 9"
    check_book(books["docx"], tmp_path / "unit")


def test_the_bullets_book_in_word_imports_as_it_was_put_in(books, tmp_path):
    check_book(books["bullets-docx"], tmp_path / "unit")


@pytest.mark.skipif(NO_SOFFICE, reason="LibreOffice (soffice) tidak terpasang")
def test_the_keputusan_as_pdf_through_libreoffice_imports_as_it_was_put_in(books, tmp_path):
    pages = _pages(books["pdf"])
    assert len(pages) >= 10
    for n, page in enumerate(pages[1:], 2):  # the running header, the page numbers, the repeated header row
        assert page.startswith(RUNNING_HEADER[:40]) and f"- {n} -" in page and f"Halaman {n} dari {len(pages)}" in page
    assert sum("NO KOMPONEN URAIAN" in page for page in pages) > 6
    lines, _, _, _ = book.pdf_lines(books["pdf"])
    by_page: dict[int, list] = {}
    for line in lines:
        by_page.setdefault(line.page, []).append(line)
    split_rows = [p for p, page in by_page.items() if len(page) > 1 and page[0].text == "NO KOMPONEN URAIAN"
                  and page[1].x > 200]  # a page that opens inside a row's Uraian: the row goes on from before
    assert len(split_rows) >= 2, split_rows
    check_book(books["pdf"], tmp_path / "unit")


@pytest.mark.skipif(NO_SOFFICE, reason="LibreOffice (soffice) tidak terpasang")
def test_the_pdf_with_bullet_glyphs_esign_footer_and_two_line_labels(books, tmp_path):
    pages = _pages(books["bullets-pdf"])
    assert len(pages) >= 10
    # the book really carries what the import must see through
    assert all(" ".join(ESIGN.split()[:6]) in page for page in pages)
    assert all(glyph in "".join(pages) for glyph in "\uf0b7•▪●◦➢✓")
    lines, _, _, _ = book.pdf_lines(books["bullets-pdf"])  # the label wraps in its column, items beside it
    starts = [n for n, line in enumerate(lines) if line.text.startswith("2. Sistem,")]
    assert len(starts) == 6
    for n in starts:  # the label's first line stops before "Prosedur", which comes on a later line
        label = lines[n].text.split("•")[0]
        assert "Prosedur" not in label
        assert any(line.words[0].text == "Prosedur" for line in lines[n + 1: n + 4])
    check_book(books["bullets-pdf"], tmp_path / "unit")


def test_a_keputusan_not_yet_dated_leaves_every_sp_rancangan(tmp_path):
    """The draft of the Keputusan: NOMOR filled in, "pada tanggal ....": nothing is ditetapkan
    yet, and the report says why."""
    source = word_keputusan(tmp_path / "rancangan.docx", SERVICES[:2], KEPUTUSAN | {"tanggal": None})
    result = book.import_book(source, tmp_path / "unit", today=TODAY)
    assert [s.slug for s in result.services] == ["penerbitan-kartu-tanda-penduduk-elektronik-ktp-el",
                                                "penerbitan-kartu-keluarga"]
    for service in result.services:
        assert service.imported.data["status"] == "rancangan" and "penetapan" not in service.imported.data
        assert _load(tmp_path / "unit" / "layanan" / f"{service.slug}.yaml")["status"] == "rancangan"
    assert result.keputusan.nomor == "35 Tahun 2026" and result.keputusan.tanggal is None
    assert any("tanggal penetapan tidak ditemukan" in note for note in result.notes)
    assert "peringatan: tanggal penetapan tidak ditemukan" in book.report(result)
    assert_same_services_but_status(result, SERVICES[:2])


def assert_same_services_but_status(result: book.BookResult, expected: list[dict]) -> None:
    for service, want in zip(result.services, expected, strict=True):
        got = service.imported.data
        assert shown(got) == shown(want) and got["penyampaian"] == want["penyampaian"], want["nama"]
        assert got["pengelolaan"] == want["pengelolaan"], want["nama"]


def test_a_title_in_capitals_gets_the_sps_own_spelling_of_acronyms_back():
    from sp_builder.importer import Found, Line

    found = Found()
    found.lines["persyaratan"] = [Line("KTP-el lama"), Line("Akun OSS yang aktif"), Line("FOTOKOPI KARTU KELUARGA"),
                                  Line("Kartu keluarga asli")]
    assert book.restore_case("Penerbitan Kartu Keluarga dan KTP-EL melalui Sistem Oss", True, found) == \
        "Penerbitan Kartu Keluarga dan KTP-el melalui Sistem OSS"
    # a title the unit typed in mixed case is its own spelling
    assert book.restore_case("Penerbitan KTP-EL", False, found) == "Penerbitan KTP-EL"
    assert book.decision_number("35 TAHUN 2026") == "35 Tahun 2026"
    assert book.decision_number("400.12/35/DKPS/2026") == "400.12/35/DKPS/2026"
