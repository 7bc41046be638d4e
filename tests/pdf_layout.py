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
- `check(pdf, docx)`: all three.
"""

from __future__ import annotations

import html
import re
import subprocess
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from pypdf import PdfReader

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
                 tuple(normal(html.unescape(w)) for w in _WORD.findall(m.group(5))))
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


def check(pdf: Path, docx: Path | None = None, *, min_lines: int = 3) -> list[str]:
    docx = Path(docx) if docx else Path(pdf).with_suffix(".docx")
    pdf = Path(pdf)
    return broken_words(pdf, docx) + orphan_pages(pdf, min_lines=min_lines) + repeated_words(pdf)
