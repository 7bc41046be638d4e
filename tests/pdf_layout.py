"""Layout checks on PDFs made by LibreOffice, for tests (not shipped).

Words and lines with their positions come from poppler's `pdftotext -bbox-layout` (poppler-utils,
installed by tools/setup.sh next to LibreOffice): one call per PDF, plain XHTML out, and poppler
groups words into lines and blocks the way a reader sees them, which pypdf's text visitor does not.

Checks (each returns a list of problems; an empty list passes; each problem names the document,
the page and the words):
- `broken_words(pdf, docx)`: every word printed in the PDF is a word of the source document. A word
  LibreOffice broke inside a narrow cell or a label column ("Memperhatika" / "n") is reported with
  its pieces; any other word not in the source is reported as unknown. Breaks after a hyphen or a
  slash ("terus-" / "menerus") are allowed when the joined word is in the source.
- `orphan_pages(pdf)`: no page that starts with the closing block (place and date, "Ditetapkan di",
  "Demikian ...", the JABATAN line of a signature) with fewer than `min_lines` lines of the body
  above it on that page: a signature block alone, or with only the tail of a table.
- `repeated_words(pdf)`: no word printed twice in a row ("Standar Pelayanan Pelayanan"), in the
  text, the document title and the bookmarks.
- `split_rows(pdf, docx)`: no row of a table the document keeps whole (the Berita Acara's agreements,
  the daftar hadir; known by their header cells in the .docx) split across two pages: on a page where
  such a table goes on under its repeated header, the first row starts there with its number.
- `image_widths(pdf, docx)`: every image printed at its size in the .docx (placement read from the
  content stream with pypdf), the SP's bagan alir at the full width of its Uraian cell (or as high
  as the page has room for), the kop's logo filling its 2,3 cm box on one side.
- `check(pdf, docx)`: all of them.
"""

from __future__ import annotations

import html
import math
import re
import subprocess
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from pypdf import PdfReader
from pypdf.generic import ContentStream

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MARGIN_PT = 50  # lines this close to the top or bottom edge are the header (page number) or footer

_LINE = re.compile(r"<line xMin=\"([\d.]+)\" yMin=\"([\d.]+)\" xMax=\"([\d.]+)\" yMax=\"([\d.]+)\">(.*?)</line>", re.S)
_WORD = re.compile(r"<word [^>]*>([^<]*)</word>")
_PAGE = re.compile(r"<page width=\"([\d.]+)\" height=\"([\d.]+)\">(.*?)</page>", re.S)
_PAGE_NUMBER = re.compile(r"^[-–]?\s*\d+\s*[-–]?$")
_CLOSING = [
    re.compile(r"^Ditetapkan di\b"),
    re.compile(r"^Demikian\b"),
    re.compile(r"^[A-Z][^,]{1,60}, (\d{1,2} \w+ \d{4}|\.{5,})$"),  # "Kota Contoh, 16 Februari 2026"
    re.compile(r"^[A-Z][A-Z0-9 .,/()'-]{6,},$"),  # "KEPALA DINAS ...," starting a signature
    re.compile(r"^Perwakilan Masyarakat,"),
]
_UPPER = re.compile(r"^[A-Z][A-Z0-9 .,/()'-]{3,}$")


@dataclass(frozen=True)
class Line:
    page: int  # 1-based
    x0: float
    y0: float
    x1: float
    words: tuple[str, ...]
    y1: float = 0.0

    @property
    def text(self) -> str:
        return " ".join(self.words)


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    lines: tuple[Line, ...]

    @property
    def body(self) -> list[Line]:
        """The lines between header and footer (page numbers left out)."""
        return [line for line in self.lines
                if MARGIN_PT < line.y0 < self.height - MARGIN_PT or not _PAGE_NUMBER.match(line.text)]


def normal(word: str) -> str:
    word = unicodedata.normalize("NFKC", word).replace("\u00ad", "")
    return word.replace("“", '"').replace("”", '"').replace("‘", "'").replace("’", "'")


def pages(pdf: Path) -> list[Page]:
    """Every page's lines in poppler's reading order."""
    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    result = []
    for number, match in enumerate(_PAGE.finditer(out), start=1):
        lines = tuple(
            Line(number, float(m.group(1)), float(m.group(2)), float(m.group(3)),
                 tuple(normal(html.unescape(w)) for w in _WORD.findall(m.group(5))), float(m.group(4)))
            for m in _LINE.finditer(match.group(3)))
        result.append(Page(number, float(match.group(1)), float(match.group(2)), lines))
    return result


def docx_text(docx: Path) -> str:
    """The text of a .docx (body, headers, footers) with paragraphs, tabs and breaks as spaces."""
    parts = []
    with zipfile.ZipFile(docx) as package:
        names = [n for n in package.namelist()
                 if re.fullmatch(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml", n)]
        for name in names:
            root = etree.fromstring(package.read(name))
            for element in root.iter():
                if element.tag == f"{W}t":
                    parts.append(element.text or "")
                elif element.tag in (f"{W}tab", f"{W}br", f"{W}cr", f"{W}p"):
                    parts.append(" ")
    return "".join(parts)


def source_words(docx: Path) -> set[str]:
    return {normal(word) for word in docx_text(docx).split()}


def _joins(page: Page, line: Line, *, below: bool) -> list[str]:
    """First words of the lines just below `line` (or last words of the lines just above), in
    any column: poppler may put the next line of a cell after the other cells of its row."""
    height = 30
    if below:
        return [other.words[0] for other in page.lines
                if other.words and line.y0 < other.y0 <= line.y0 + height and other.x0 < line.x1]
    return [other.words[-1] for other in page.lines
            if other.words and line.y0 - height <= other.y0 < line.y0 and other.x1 > line.x0]


def broken_words(pdf: Path, docx: Path) -> list[str]:
    """Words printed in the PDF that are not words of the .docx, as "document hlm. N: 'a / b'"."""
    known = source_words(docx)
    problems = []
    for page in pages(pdf):
        for line in page.body:
            for i, word in enumerate(line.words):
                if word in known or _PAGE_NUMBER.match(word):
                    continue
                # any position: poppler joins the cells of a row ("Memperhatika :") into one line
                after = [w for w in _joins(page, line, below=True) if word + w in known]
                before = [w for w in _joins(page, line, below=False) if w + word in known]
                if after and word[-1] in "-/–":
                    continue  # a break after a hyphen, dash or slash
                if word[-1] in "-/–" and any(k.startswith(word) and len(k) > len(word) for k in known):
                    continue  # the same, its rest on the next page ("KTP-" / "el" over a page break)
                if any(k.endswith(word) and len(k) > len(word) and k[-len(word) - 1] in "-/–" for k in known):
                    continue  # and that rest, at the top of the next page
                if before and before[0][-1] in "-/–":
                    continue
                if after:
                    problems.append(f"{pdf.name} hlm. {page.number}: kata terpotong '{word} / {after[0]}'")
                elif before:
                    continue  # reported with its first piece
                else:
                    problems.append(f"{pdf.name} hlm. {page.number}: kata '{word}' tidak ada di sumber "
                                    f"(baris: {line.text!r})")
    return problems


def _closing_start(lines: list[Line]) -> int | None:
    """The first line of the closing block; a JABATAN wrapped over two lines starts at its first."""
    for n, line in enumerate(lines):
        if any(pattern.match(line.text) for pattern in _CLOSING):
            if n > 0 and _UPPER.match(lines[n - 1].text) and lines[n - 1].x0 >= line.x0 - 40:
                return n - 1
            return n
    return None


def orphan_pages(pdf: Path, *, min_lines: int = 3) -> list[str]:
    """Pages (after the first) whose body starts with the closing block, or holds fewer than
    `min_lines` lines above it."""
    problems = []
    for page in pages(pdf)[1:]:
        lines = [line for line in page.body if line.words]
        start = _closing_start(lines)
        if start is not None and start < min_lines:
            above = " | ".join(line.text for line in lines[:start])
            problems.append(
                f"{pdf.name} hlm. {page.number}: blok penutup {lines[start].text!r} hanya dengan "
                f"{start} baris di atasnya" + (f" ({above})" if above else ""))
    return problems


def _doubled(text: str) -> list[str]:
    """Pairs of the same word twice in a row (words split on spaces, so "Undang-Undang" is one)."""
    words = text.split()
    return [f"{a} {b}" for a, b in zip(words, words[1:])
            if a.casefold() == b.casefold() and len(a) > 1 and a.isalpha()]


def repeated_words(pdf: Path) -> list[str]:
    """A word twice in a row on one printed line, in the document title or in a bookmark."""
    problems = []
    for page in pages(pdf):
        for line in page.body:
            problems += [f"{pdf.name} hlm. {page.number}: kata berulang '{pair}' ({line.text!r})"
                         for pair in _doubled(line.text)]
    reader = PdfReader(pdf)
    title = (reader.metadata or {}).get("/Title") or ""
    problems += [f"{pdf.name} judul: kata berulang '{pair}'" for pair in _doubled(str(title))]

    def walk(items):
        for item in items:
            if isinstance(item, list):
                yield from walk(item)
            else:
                yield item.title
    problems += [f"{pdf.name} penanda {mark!r}: kata berulang '{pair}'"
                 for mark in walk(reader.outline) for pair in _doubled(mark)]
    return problems


# Tables whose rows a document keeps whole on one page, by their header cells: the Berita Acara's
# agreements (kesepakatan) and the daftar hadir.
UNSPLIT_TABLES = (("No", "Komponen", "Semula", "Menjadi"),
                  ("No", "Nama", "Unsur", "Instansi/Jabatan", "Tanda Tangan"))
_FURNITURE = re.compile(r"^RANCANGAN$")  # the draft mark


@dataclass(frozen=True)
class Row:
    header: tuple[str, ...]
    cells: tuple[str, ...]

    @property
    def number(self) -> str:
        return self.cells[0].rstrip(".")

    @property
    def words(self) -> list[str]:
        return " ".join(self.cells[1:]).split()


def _cell_text(tc) -> str:
    paragraphs = ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in tc.iter(f"{W}p")]
    return " ".join(normal(word) for word in " ".join(paragraphs).split())


def table_rows(docx: Path, headers=UNSPLIT_TABLES) -> list[Row]:
    """The body rows of the .docx tables whose first row is one of `headers`, in document order."""
    with zipfile.ZipFile(docx) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    rows = []
    for tbl in root.iter(f"{W}tbl"):
        trs = tbl.findall(f"{W}tr")
        head = tuple(_cell_text(tc) for tc in trs[0].findall(f"{W}tc")) if trs else ()
        if head not in headers:
            continue
        rows += [Row(head, tuple(_cell_text(tc) for tc in tr.findall(f"{W}tc"))) for tr in trs[1:]
                 if tr.find(f"{W}trPr/{W}tblHeader") is None]
    return rows


def _header_rows(page: Page, header: tuple[str, ...]) -> list[list[Line]]:
    """The lines of each printing of the table's header row on the page, top first: lines level
    with a line that starts with the first header cell, holding the first word of every cell."""
    firsts = [cell.split()[0] for cell in header]
    found = []
    for line in page.lines:
        if not line.words or line.words[0] != firsts[0] or any(abs(line.y0 - g[0].y0) < 3 for g in found):
            continue
        level = sorted((other for other in page.lines if other.words and abs(other.y0 - line.y0) < 3),
                       key=lambda other: other.x0)
        words = [word for other in level for word in other.words]
        if all(first in words for first in firsts):
            found.append(level)
    return sorted(found, key=lambda group: group[0].y0)


def split_rows(pdf: Path, docx: Path, headers=UNSPLIT_TABLES) -> list[str]:
    """Rows of the tables named by `headers` (read from the .docx) that LibreOffice split across
    two pages. A page on which such a table goes on starts with its repeated header row; the first
    row under it must start there, with its number in the No column. Text between that header and
    the first number is the end of the previous page's last row: reported with the row's number,
    its first words and the words carried over. A table or a numbered row of the .docx that the
    PDF does not show is reported too, so the check cannot pass on a document it did not read."""
    pdf, rows = Path(pdf), table_rows(docx, headers)
    if not rows:
        return []
    problems = []
    document = pages(pdf)
    for header in dict.fromkeys(row.header for row in rows):
        mine = [row for row in rows if row.header == header]
        numbers = {row.number for row in mine}
        seen: dict[str, int] = {}
        printed = False
        last_number = ""
        for page in document:
            body = [line for line in page.body if line.words and not _FURNITURE.match(line.text)]
            groups = _header_rows(page, header)
            if not groups:
                continue
            printed = True
            no = groups[0][0]  # the header's "No" line: the number column's position
            # a row's number, alone or joined by poppler with the next cell's first line
            starts = [line for line in body if line.words[0].isdigit() and line.words[0] in numbers
                      and no.x0 - 12 <= line.x0 <= no.x1 and line.y0 > groups[0][0].y0 + 1]
            for line in starts:
                seen[line.words[0]] = seen.get(line.words[0], 0) + 1
            top = groups[0]
            repeated = page.number > 1 and not [line for line in body if line.y1 <= top[0].y0 + 1]
            if repeated:
                bottom = max(line.y1 for line in top)
                limit = min([line.y0 for line in starts] + [g[0].y0 for g in groups[1:]] + [page.height])
                carried = [line for line in body if bottom - 1 < line.y0 < limit - 1 and line not in top]
                if carried:
                    words = [word for line in sorted(carried, key=lambda l: (l.y0, l.x0)) for word in line.words]
                    candidates = [row for row in mine if row.number == last_number] or mine
                    row = max(candidates, key=lambda r: sum(word in r.words for word in words))
                    problems.append(
                        f"{pdf.name} hlm. {page.number}: baris {row.number} tabel {' / '.join(header)} "
                        f"terpotong dari hlm. {page.number - 1} ({' '.join(row.words[:6])} …); "
                        f"berlanjut: {' '.join(words[:10])}")
            if starts:
                last_number = max(starts, key=lambda line: line.y0).words[0]
        if not printed:
            problems.append(f"{pdf.name}: tabel {' / '.join(header)} tidak ditemukan di PDF")
            continue
        expected: dict[str, int] = {}
        for row in mine:
            expected[row.number] = expected.get(row.number, 0) + 1
        missing = sorted((n for n, count in expected.items() if seen.get(n, 0) < count), key=lambda n: (len(n), n))
        if missing:
            problems.append(f"{pdf.name}: baris bernomor {', '.join(missing)} tabel {' / '.join(header)} "
                            "tidak ditemukan di bawah kepala tabelnya")
    return problems


# ---------------------------------------------------------------------------------------------
# Images

EMU_PER_PT = 12700
TWIP_PER_PT = 20
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"


@dataclass(frozen=True)
class Placed:
    """An image as printed: page, width and height in points, left edge from the page's left and
    bottom edge from its foot."""
    page: int
    width: float
    height: float
    x0: float
    y0: float = 0.0


def _times(m: list[float], n: list[float]) -> list[float]:
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return [a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u]


def placed_images(pdf: Path) -> list[Placed]:
    """Every image XObject drawn in the PDF, with the size the content stream gives it (the current
    transformation matrix at its `Do`, through `q`/`Q`, `cm` and nested forms), in drawing order."""
    reader = PdfReader(pdf)
    found: list[Placed] = []

    def walk(number: int, content, resources, ctm: list[float]) -> None:
        stack = []
        xobjects = resources.get("/XObject", {}) if resources else {}
        for operands, operator in ContentStream(content, reader).operations:
            if operator == b"q":
                stack.append(ctm)
            elif operator == b"Q" and stack:
                ctm = stack.pop()
            elif operator == b"cm":
                ctm = _times([float(value) for value in operands], ctm)
            elif operator == b"Do" and operands[0] in xobjects:
                xobject = xobjects[operands[0]].get_object()
                if xobject.get("/Subtype") == "/Image":
                    a, b, c, d, e, f = ctm
                    found.append(Placed(number, math.hypot(a, b), math.hypot(c, d), min(e, e + a + c),
                                        min(f, f + b + d)))
                elif xobject.get("/Subtype") == "/Form":
                    matrix = [float(value) for value in xobject.get("/Matrix", [1, 0, 0, 1, 0, 0])]
                    walk(number, xobject, xobject.get("/Resources", resources), _times(matrix, ctm))

    for number, page in enumerate(reader.pages, start=1):
        if page.get_contents() is not None:
            walk(number, page.get_contents(), page.get("/Resources"), [1, 0, 0, 1, 0, 0])
    return found


@dataclass(frozen=True)
class Drawing:
    """An image of the .docx: its extent and the text width of the table cell that holds it (None
    outside a table), in points, and the page's text width and height."""
    width: float
    height: float
    cell: float | None
    text_width: float
    text_height: float
    label: str  # the first words of the cell's row, to name the image in a message


def _twips(element, attribute: str = "w") -> float:
    return float(element.get(f"{W}{attribute}", 0) or 0) / TWIP_PER_PT if element is not None else 0.0


def _cell_width(cell) -> float:
    """The text width of a table cell: its tcW (or its grid columns), less its left and right margins
    (the cell's own, else the table's)."""
    tbl = next(cell.iterancestors(f"{W}tbl"))
    width = _twips(cell.find(f"{W}tcPr/{W}tcW"))
    if not width:
        row, grid = cell.getparent(), [_twips(col) for col in tbl.iterfind(f"{W}tblGrid/{W}gridCol")]
        start = sum(int(c.find(f"{W}tcPr/{W}gridSpan").get(f"{W}val")) if c.find(f"{W}tcPr/{W}gridSpan") is not None
                    else 1 for c in row.findall(f"{W}tc")[:row.index(cell)])
        span = cell.find(f"{W}tcPr/{W}gridSpan")
        width = sum(grid[start:start + (int(span.get(f"{W}val")) if span is not None else 1)])
    for side, other in (("left", "start"), ("right", "end")):
        for holder in (cell.find(f"{W}tcPr/{W}tcMar"), tbl.find(f"{W}tblPr/{W}tblCellMar")):
            margin = None if holder is None else holder.find(f"{W}{side}")
            margin = margin if margin is not None or holder is None else holder.find(f"{W}{other}")
            if margin is not None:
                width -= _twips(margin)
                break
    return width


def drawings(docx: Path) -> list[Drawing]:
    """The inline and anchored images of the document body, in document order, each with the
    section that holds it (the first sectPr after it)."""
    with zipfile.ZipFile(docx) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    found, pending = [], []
    for element in root.iter(f"{_WP}extent", f"{W}sectPr"):
        if element.tag == f"{_WP}extent":
            pending.append(element)
            continue
        size, margin = element.find(f"{W}pgSz"), element.find(f"{W}pgMar")
        text_width = _twips(size, "w") - _twips(margin, "left") - _twips(margin, "right")
        text_height = _twips(size, "h") - _twips(margin, "top") - _twips(margin, "bottom")
        for extent in pending:
            cell = next(extent.iterancestors(f"{W}tc"), None)
            label = ""
            if cell is not None:
                words = "".join(t.text or "" for t in cell.getparent().iter(f"{W}t")).split()
                label = " ".join(words[:5])
            found.append(Drawing(float(extent.get("cx")) / EMU_PER_PT, float(extent.get("cy")) / EMU_PER_PT,
                                 _cell_width(cell) if cell is not None else None, text_width, text_height, label))
        pending = []
    return found


FLOWCHART_ROW = "Sistem, Mekanisme, dan Prosedur"  # the SP row whose Uraian cell holds the bagan alir
FLOWCHART_RESERVE_PT = 35 / 25.4 * 72  # of the page's text height: the table header and the steps above
LOGO_PT = 23 / 25.4 * 72  # the kop's logo box, 2,3 cm (layout.LOGO_BOX)
FILL = 0.97  # an image "fills" a width or height from 97 % of it
OWN_PAGE_HEADING = "BAGAN ALIR"  # a page of its own for a chart too wide or tall for its cell
OWN_PAGE_HEADING_PT = 20 / 25.4 * 72  # its heading's share of the page (sp_context._OWN_PAGE_HEADING_MM)


def _mm(points: float) -> str:
    return f"{points * 25.4 / 72:.0f} mm".replace(".", ",")


def image_widths(pdf: Path, docx: Path) -> list[str]:
    """Every image printed at the size the .docx gives it, and that size the intended one: the SP's
    bagan alir (in the Uraian cell of the Sistem, Mekanisme, dan Prosedur row) fills the cell's
    width, or the page's room for it in height when it is tall; a logo in the kop (the first table)
    fills the 2,3 cm box on one side. Other images (the SOP's symbols, FKP photos) are checked against
    the .docx only. A problem names the document, the page, the image and both widths."""
    pdf = Path(pdf)
    printed, planned = placed_images(pdf), drawings(docx)
    if len(printed) != len(planned):
        return [f"{pdf.name}: {len(printed)} gambar tercetak, {len(planned)} gambar di .docx"]
    with zipfile.ZipFile(docx) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    first_table = next(root.iter(f"{W}tbl"), None)
    extents = list(root.iter(f"{_WP}extent"))
    kop = {n for n, extent in enumerate(extents)
           if first_table is not None and first_table in list(extent.iterancestors(f"{W}tbl"))}
    reader = PdfReader(str(pdf))
    own_pages = {n for n, page in enumerate(reader.pages, 1)
                 if (page.extract_text() or "").lstrip().startswith(OWN_PAGE_HEADING)}
    problems = []
    for n, (image, drawing) in enumerate(zip(printed, planned)):
        where = f"{pdf.name} hlm. {image.page}"
        name = "logo kop" if n in kop else f"gambar pada baris {drawing.label!r}" if drawing.label else "gambar"
        if abs(image.width - drawing.width) > max(1.5, 0.01 * drawing.width):
            problems.append(f"{where}: {name} dicetak {_mm(image.width)} lebarnya, di .docx {_mm(drawing.width)}")
        if n in kop:
            if max(image.width, image.height) < FILL * LOGO_PT:
                problems.append(f"{where}: {name} {_mm(image.width)} × {_mm(image.height)}, lebih kecil dari "
                                f"kotak logo {_mm(LOGO_PT)}")
        elif drawing.cell is None and image.page in own_pages:  # a bagan alir on a page of its own
            room = drawing.text_height - OWN_PAGE_HEADING_PT
            if image.width < FILL * drawing.text_width and image.height < FILL * room:
                problems.append(f"{where}: bagan alir di halaman tersendiri {_mm(image.width)} × "
                                f"{_mm(image.height)}, tidak mengisi lebar {_mm(drawing.text_width)} atau tinggi "
                                f"{_mm(room)}")
        elif FLOWCHART_ROW in drawing.label and drawing.cell:
            room = drawing.text_height - FLOWCHART_RESERVE_PT
            if image.width < FILL * drawing.cell and image.height < FILL * room:
                problems.append(f"{where}: bagan alir {_mm(image.width)} dari lebar kolom Uraian "
                                f"{_mm(drawing.cell)} (tinggi {_mm(image.height)} dari {_mm(room)})")
    return problems


def check(pdf: Path, docx: Path | None = None, *, min_lines: int = 3) -> list[str]:
    docx = Path(docx) if docx else Path(pdf).with_suffix(".docx")
    pdf = Path(pdf)
    return broken_words(pdf, docx) + orphan_pages(pdf, min_lines=min_lines) + repeated_words(pdf) + \
        split_rows(pdf, docx) + image_widths(pdf, docx)
