"""Bring a unit's SP book in (`sp-builder import BOOK -o UNIT_DIR`): one Word or PDF document with
many SPs — a Keputusan with its Lampiran, or a "Buku Standar Pelayanan" — becomes a unit folder.

How a book is read:
- PDF: the text is taken with its positions (pypdf's text visitor; no extra dependency), grouped
  into lines per page. Page furniture is dropped before anything else: lines in the top or bottom
  band of the page that repeat on many pages (running headers, footers, the BSrE e-signature note),
  page numbers ("- 2 -", "Halaman 3 dari 72", a bare number), watermarks ("SALINAN"). A line
  repeated in the top band is kept once only on the first page (a letterhead in every page's
  header is the kop); a running header that begins on page 2 is furniture throughout.
- The component table is read by position: a row starts where a row number is followed by a known
  component label in the left column; the label may wrap over several lines in its column; the
  Uraian column is whatever lies right of the label. Lines that start left of the label column and
  are not labels (a numbered service title "2. Surat Keterangan Pindah Sekolah", a heading) are
  text outside the tables.
- An SP starts where the component table starts again (a component that comes before the last one
  read, e.g. "Persyaratan" after "Evaluasi Kinerja") or after a title between tables. Its name is
  the title ("2. Nama", "JENIS PELAYANAN: Nama", "STANDAR PELAYANAN Nama", "A. Pelayanan …");
  a title in capitals gets back the SP's own spelling of its acronyms ("(KTP-EL)" → "(KTP-el)").
- Values are read by the one-SP importer (`importer.assemble`, i.e. the reading layer), so a
  book's service reads exactly as the same SP in its own file would.
- Word: the body in order; every component table is read by `importer.read_table`; a table that
  starts at "Persyaratan" (or names its service) or follows a title paragraph starts a new SP.

The text before the first table gives the kop (instansi, unit, alamat, telepon, email, laman) and,
when the book is a Keputusan, its NOMOR, Menimbang and Mengingat; the signature block
("Ditetapkan di … pada tanggal …", the jabatan, the name, pangkat, NIP) gives the head and the date;
the page size gives the unit's `paper` when it is A4 or F4.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import json
import re
import textwrap
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from docx.text.paragraph import Paragraph
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from sp_builder import fmt_id, importer, ocr, tables
from sp_builder.errors import Issue, UserError
from sp_builder.files import display_path, quiet_pypdf
from sp_builder.importer import NAME_KEY, Found, Imported, normal_label, parse_line
from sp_builder.unit import citations, readers
from sp_builder.unit.validate import validate_paths
from sp_builder.write import write_text_atomic

# Private-use glyphs that Symbol/Wingdings bullets become in a PDF's text (U+F0B7 "", U+F0A7,
# U+F0D8, U+F076, U+F0FC …) and other bullets: all read as the one bullet the importer knows.
_BULLETS = re.compile(r"[\ue000-\uf8ff\u2022\u25aa\u25cf\u25e6\u27a2\u2713\u25a0\u25a1\u2043\u2219]")


def clean(text: str) -> str:
    """One line as a person reads it: bullet glyphs as "•", whitespace single."""
    return fmt_id.fold(_BULLETS.sub(" • ", text)).replace("• •", "•")


# ---------------------------------------------------------------------------------------------
# Page furniture

_ESIGN = re.compile(
    r"dokumen ini (?:telah )?ditandatangani secara elektronik|sertifikat elektronik yang diterbitkan oleh"
    r"|balai sertifikasi elektronik|informasi dan transaksi elektronik, tanda ?tangan|^undang no 11 tahun 2008",
    re.IGNORECASE)
_ESIGN_IN_BAND = re.compile(r"^(?:hukum yang sah\.?|balai besar sertifikasi elektronik)$", re.IGNORECASE)
_PAGE_NUMBER = re.compile(r"^(?:-\s*\d+\s*-|halaman\s+\d+(?:\s+dari\s+\d+)?|hal\.?\s*\d+|page\s+\d+(?:\s+of\s+\d+)?)$",
                          re.IGNORECASE)
_PAGE_NUMBER_IN_BAND = re.compile(r"^(?:\d{1,3}|\d+\s*/\s*\d+)$")
_WATERMARK = re.compile(r"^(?:salinan|rancangan|draft|draf|konsep)$", re.IGNORECASE)
BAND = 0.12  # top and bottom share of a page where headers and footers live
REPEAT = 0.3  # a band line on at least this share of the pages (and 3) is furniture


def is_furniture_text(text: str, band: bool = True) -> bool:
    """Furniture recognisable by its wording: e-signature notes, page numbers, watermarks. A bare
    number or "hukum yang sah." is furniture only in the header or footer band of a page (in the
    body it is the end of a wrapped line: "Ruang tunggu lantai" / "1")."""
    text = text.strip()
    return bool(_ESIGN.search(text) or _PAGE_NUMBER.match(text) or _WATERMARK.match(text)
                or (band and (_PAGE_NUMBER_IN_BAND.match(text) or _ESIGN_IN_BAND.match(text))))


def _shape(text: str) -> str:
    """A line's form for spotting repetition: numbers do not count ("Halaman 3", "Halaman 4")."""
    return re.sub(r"\d+", "#", " ".join(text.casefold().split()))


def _ocr_shape(text: str) -> str:
    """`_shape` for lines read by OCR: digits, punctuation and spacing do not count either."""
    return re.sub(r"[\d\W_]+", "#", text.casefold())


# ---------------------------------------------------------------------------------------------
# PDF lines with positions


@dataclass
class Word:
    x: float
    text: str
    end: float = 0.0  # where it ends (estimated from the font's widths)


@dataclass
class PdfLine:
    page: int
    y: float
    words: list[Word]
    band: bool = False
    size: float = 10.0
    top: bool = False  # in the top band (a running header)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def x(self) -> float:
        return self.words[0].x


def _widths(font_dict) -> tuple[int, list[float], float] | None:
    """(first char, widths, missing width) of a simple font, in thousandths of the size."""
    try:
        widths = font_dict.get("/Widths") if font_dict is not None else None
        if widths is None:
            return None
        widths = [float(w) for w in widths.get_object()]
        descriptor = font_dict.get("/FontDescriptor")
        missing = float(descriptor.get_object().get("/MissingWidth", 500)) if descriptor is not None else 500.0
        return int(font_dict.get("/FirstChar", 0)), widths, missing or 500.0
    except (AttributeError, TypeError, ValueError, KeyError):
        return None


def _text_width(text: str, table, size: float) -> float:
    """The width of a text as drawn: from the font's /Widths when it has them, else half the size
    per character (character and word spacing of justified text are not counted)."""
    if table is None:
        return len(text) * size * 0.5
    first, widths, missing = table
    total = 0.0
    for ch in text:
        try:
            code = ch.encode("cp1252")[0]
        except (UnicodeEncodeError, IndexError):
            code = -1
        total += widths[code - first] if 0 <= code - first < len(widths) else missing
    return total / 1000 * size


def _fragments(page) -> list[tuple[float, float, str, float, float]]:
    out = []
    tables_by_font: dict[int, object] = {}

    def visit(text, cm, tm, font_dict, font_size):
        if not text:
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = abs(tm[3] * cm[3]) or abs(tm[0] * cm[0]) or 1
        size = (font_size or 10) * scale
        key = id(font_dict)
        if key not in tables_by_font:
            tables_by_font[key] = _widths(font_dict)
        text = text.replace("\n", " ")
        out.append((y, x, text, size, _text_width(text.rstrip(), tables_by_font[key], size)))

    page.extract_text(visitor_text=visit)
    return out


def _page_lines(page, number: int) -> list[PdfLine]:
    return _lines_of(_fragments(page), number, float(page.mediabox.height) or 842.0)


def _lines_of(fragments: list[tuple[float, float, str, float, float]], number: int, height: float) -> list[PdfLine]:
    """A page's fragments (from its text layer, or its words read by OCR) → its lines."""
    frags = sorted(fragments, key=lambda f: (-f[0], f[1]))
    groups: list[list[tuple]] = []
    for frag in frags:
        for group in groups[-3:]:
            if abs(group[0][0] - frag[0]) <= 2.5:
                group.append(frag)
                break
        else:
            groups.append([frag])
    lines = []
    for group in sorted(groups, key=lambda g: -g[0][0]):
        group.sort(key=lambda f: f[1])
        words: list[Word] = []
        prev_end, prev_text = None, ""
        for y, x, text, size, width in group:
            if not text.strip():
                prev_text += " "  # a space of its own: the next fragment is a new word
                continue
            gap = x - prev_end if prev_end is not None else None
            touching = (gap is not None and not prev_text.endswith(" ") and not text.startswith(" ")
                        and not _BULLETS.match(text)  # a bullet glyph starts an item, never ends a word
                        and (gap < size * 0.12 or ((text.strip() == "-" or prev_text.strip() == "-"
                                                    or text[0] in ".,;:)") and gap < size * 1.5)))
            char = width / max(len(text.rstrip()), 1)
            offset = len(text) - len(text.lstrip())
            for m in re.finditer(r"\S+", text):
                piece = _BULLETS.sub("•", m.group())
                if touching and m.start() == offset and words:
                    words[-1].text += piece
                    words[-1].end = x + m.end() * char
                else:
                    words.append(Word(x + m.start() * char, piece, x + m.end() * char))
            prev_end, prev_text = x + width, text
        y = group[0][0]
        if not words:
            continue
        lines.append(PdfLine(number, y, words, band=y < height * BAND or y > height * (1 - BAND),
                             size=max(f[3] for f in group), top=y > height * (1 - BAND)))
    return lines


def pdf_lines(path: Path) -> tuple[list[PdfLine], int, list[int], dict[int, set[str]]]:
    """The lines of every page without page furniture; the number of pages; the pages without
    text (scanned or pictures), numbered from 1."""
    lines, pages, blank, marks, _ = _pdf_lines(path)
    return lines, pages, blank, marks


def _pdf_lines(path: Path, use_ocr: bool = False) -> tuple[list[PdfLine], int, list[int], dict[int, set[str]],
                                                             list[int]]:
    """`pdf_lines`, and with `use_ocr` the pages without a text layer read by OCR (their numbers,
    from 1, come last)."""
    try:
        with quiet_pypdf():  # a damaged file's English warnings; the message below says it
            reader = PdfReader(str(path))
            pages = [_page_lines(page, n) for n, page in enumerate(reader.pages)]
    except (PdfReadError, OSError, ValueError, KeyError):
        raise UserError(f"{display_path(path)} bukan PDF yang dapat dibaca; periksa apakah berkasnya rusak "
                        "atau terenkripsi") from None
    read_by_ocr = [n for n, page in enumerate(pages) if not page] if use_ocr else []
    for n, scanned in ocr.read_pages(path, read_by_ocr).items():
        pages[n] = _lines_of(scanned.fragments, n, scanned.height)
    # OCR reads the same footer a little differently on each page ("Halaman 6 dari 10",
    # "Halaman6 dari 10 -"): with pages read by OCR, only the letters count for repetition
    shape_of = _ocr_shape if read_by_ocr else _shape
    seen = Counter(shape for page in pages for shape in {shape_of(line.text) for line in page if line.band})
    limit = max(3, REPEAT * len(pages))
    out = []
    kept_once: set[str] = set()
    marks: dict[int, set[str]] = {}  # page (from 1) → its watermarks ("rancangan", "salinan")
    numbers = _page_numbers(pages)
    first_page = next((n for n, page in enumerate(pages) if page), 0)
    for page in pages:
        for n, line in enumerate(page):
            if _WATERMARK.match(line.text.strip()):
                marks.setdefault(line.page + 1, set()).add(line.text.strip().casefold())
            bare = bool(_PAGE_NUMBER_IN_BAND.match(line.text.strip()))
            if is_furniture_text(line.text, line.band and (not bare or (line.page, n) in numbers)):
                continue
            shape = shape_of(line.text)
            if line.band and seen[shape] >= limit and not _is_table_line(line):
                if line.top and shape not in kept_once and line.page == first_page:
                    # a letterhead in every page's header: on the first page it is the kop; a running
                    # header that starts on a later page ("Keputusan … Nomor …") is furniture throughout
                    kept_once.add(shape)
                else:
                    continue
            out.append(line)
    return out, len(pages), [n + 1 for n, page in enumerate(pages) if not page], marks, [n + 1 for n in read_by_ocr]


def _page_numbers(pages: list[list[PdfLine]]) -> set[tuple[int, int]]:
    """(page, line) of the bare numbers that are page numbers: the first or last line of a page,
    in the band, counting with the pages (the same offset between number and page on at least
    two pages, or the page's own number) — not the "1" of "lantai" / "1" wrapped to a page's foot."""
    found = []
    for page in pages:
        for n in {0, len(page) - 1} if page else ():
            line = page[n]
            if line.band and re.fullmatch(r"\d{1,3}", line.text.strip()):
                found.append((line.page, n, int(line.text.strip()) - line.page))
    offsets = Counter(offset for _, _, offset in found)
    return {(p, n) for p, n, offset in found if offsets[offset] >= 2 or offset == 1}


def _is_table_line(line: PdfLine) -> bool:
    """A line of a component table, never furniture however often it repeats at the same place
    (books with one SP per page have the same first rows on every page)."""
    words = [w.text for w in line.words]
    text = " ".join(words)
    if importer._is_header_row(words) or importer._is_part_heading(text):
        return True
    start = 1 if _NUMBER.match(words[0]) and len(words) > 1 else 0
    return bool(_label_words(words[start:], []))


# ---------------------------------------------------------------------------------------------
# Rows and text outside the tables


HOURS_LABELS = {normal_label(t) for t in ("Waktu Pelayanan", "Jam Pelayanan", "Jam Layanan", "Waktu Layanan")}
EXTRA = "_lain"  # a row real books add that is no SP component
EXTRA_LABELS = {normal_label(t) for t in ("Lokasi Pelayanan", "Lokasi", "Tempat Pelayanan", "Produk Hukum",
                                          "Keterangan", "Catatan")}


@functools.cache
def _prefixes() -> frozenset[str]:
    """Every leading run of words of every component label, and of the extra rows books carry."""
    extra = {" ".join(label.split()[:k]) for label in EXTRA_LABELS for k in range(1, len(label.split()) + 1)}
    return importer._label_prefixes() | extra


OCR_WORD_RATIO = 0.8  # least difflib ratio of a label word read by OCR to the word it stands for


@functools.cache
def _prefixes_by_length() -> dict[int, tuple[tuple[str, ...], ...]]:
    out: dict[int, list[tuple[str, ...]]] = {}
    for prefix in sorted(_prefixes()):
        out.setdefault(len(prefix.split()), []).append(tuple(prefix.split()))
    return {n: tuple(words) for n, words in out.items()}


@functools.lru_cache(maxsize=4096)
def ocr_prefix(norm: str) -> str | None:
    """The known label prefix that `norm` (a normalised label read by OCR) misspells: as many
    words, each the same or, when longer than three letters, within OCR_WORD_RATIO of it
    ("pengawasan intenai" → "pengawasan internal"); the closest when several fit."""
    if norm in _prefixes():
        return norm
    words = norm.split()
    best, best_score = None, 0.0
    for prefix in _prefixes_by_length().get(len(words), ()):
        score = 1.0
        for read, known in zip(words, prefix):
            if read == known:
                continue
            ratio = difflib.SequenceMatcher(None, read, known).ratio() if len(known) > 3 else 0.0
            if ratio < OCR_WORD_RATIO:
                break
            score = min(score, ratio)
        else:
            if score > best_score:
                best, best_score = " ".join(prefix), score
    return best


@dataclass
class Row:
    number: int
    label: list[str]
    label_x: float
    lines: list[str] = field(default_factory=list)
    boundary: float | None = None  # where the Uraian column starts
    page: int = 0  # from 1
    ocr: bool = False  # its label was read by OCR: misspelt label words count
    unread: bool = False  # a numbered row whose label OCR misread past recognition: no component
    breaks: set[int] = field(default_factory=set)  # lines that start a paragraph after a blank line
    _last: tuple[int, float, float] | None = None  # page, y and size of the last Uraian line

    def add(self, line: PdfLine, words: list[Word]) -> None:
        size = line.size
        if self._last and self._last[0] == line.page and self._last[1] - line.y > 2.2 * max(size, self._last[2]):
            self.breaks.add(len(self.lines))
        self._last = (line.page, line.y, size)
        self.lines.append(clean(" ".join(w.text for w in words)))

    def uraian(self) -> list[importer.Line]:
        """The Uraian lines, a line wrapped at the cell edge joined to the one before, except
        across a blank line (two unnumbered paragraphs stay two)."""
        out: list[importer.Line] = []
        start = 0
        for end in sorted(self.breaks) + [len(self.lines)]:
            out += importer._join_wrapped([parse_line(t) for t in self.lines[start:end]])
            start = end
        return out

    @property
    def key(self) -> str | None:
        text = " ".join(self.label)
        norm = normal_label(text)
        if self.unread:
            return EXTRA
        if self.ocr:
            norm = ocr_prefix(norm) or norm
        if norm in EXTRA_LABELS:
            return EXTRA
        if norm in importer._label_index():
            return importer._label_index()[norm]
        if norm in _prefixes():
            return None
        return importer.match_label(text, importer.OCR_LABEL_CUTOFF) if self.ocr else importer.match_label(text)


@dataclass
class Outside:
    text: str


_NUMBER = re.compile(r"^(\d{1,2})[.)]?$")
_ALWAYS_OUTSIDE = re.compile(
    r"^(?:lampiran\b|nomor\s*:|tanggal\s*:|tentang\s*:|standar\s+pelayanan\b|ditetapkan\s+di\b|pada\s+tanggal\b"
    r"|nip\b|(?:jenis|nama)\s+(?:pelayanan|layanan)\s*:)", re.IGNORECASE)
_SIGNATURE_START = re.compile(r"^(?:ditetapkan\s+di\b|pada\s+tanggal\b)", re.IGNORECASE)


_OCR_DASH = re.compile(r"[—–-]")


def _label_words(words: list[str], label: list[str], ocr: bool = False) -> int:
    """How many of `words` grow `label` while it stays the start of a known label; with `ocr`
    (words read by OCR) a misspelt word counts as the word it is close to (`ocr_prefix`)."""
    best = 0
    if not words:
        return 0
    for k in range(1, min(len(words), 7) + 1):
        if importer._MARKER.match(words[0] + " x") and not label:
            break
        if ocr and k > 1 and _OCR_DASH.fullmatch(words[k - 1]):
            continue  # OCR reads a speck inside a label as a dash ("Penanganan — Pengaduan,")
        if not re.search(r"\w", words[k - 1]) or importer._MARKER.match(words[k - 1] + " x"):
            break  # a bullet or list number starts the Uraian
        norm = normal_label(" ".join(label + words[:k]))
        if norm in _prefixes() or (ocr and ocr_prefix(norm)):
            best = k
    return best


def _column_gap(line: PdfLine, start: int) -> int:
    """The index of the first word after `start` that stands apart from the word before it by a
    column gap: a label ends there and the Uraian begins ("Jaminan" | "Pelayanan diberikan …",
    the second line of the label "Jaminan / Pelayanan" being below)."""
    for n in range(start + 1, len(line.words)):
        if line.words[n].x - line.words[n - 1].end > 1.5 * line.size:
            return n
    return len(line.words)


def pdf_events(lines: list[PdfLine], ocr_pages: frozenset[int] = frozenset()) -> list[Row | Outside]:
    """Lines → component rows (label, Uraian lines) and the text outside the tables, in order.
    On `ocr_pages` (from 0) label words misread by OCR still count (`_label_words`)."""
    events: list[Row | Outside] = []
    row: Row | None = None
    boundary = float("inf")
    closed_by_signature = False
    table_seen = False  # a header row, part heading or numbered row: unnumbered rows may follow

    def close():
        nonlocal row
        if row is not None:
            if row.key is None:  # a title that only began like a label ("1. Sistem Penerimaan ...")
                events.append(Outside(" ".join(([f"{row.number}."] if row.number else []) + row.label + row.lines)))
            else:
                events.append(row)
        row = None

    for line in lines:
        words = [w.text for w in line.words]
        text = clean(line.text)
        if not text:
            continue
        fuzzy = line.page in ocr_pages
        if importer._is_header_row(text.split()) or importer._is_part_heading(text):
            table_seen = True
            if importer._is_part_heading(text):
                close()
            continue
        number = _NUMBER.match(words[0])
        start = None
        if number and len(words) > 1 and line.x < boundary - 3:
            start = 1
        elif (not number and table_seen and line.x < boundary - 3 and not closed_by_signature
              and (row is None or (abs(line.x - row.label_x) <= 6 and not _label_words(words[:1], row.label, fuzzy)))):
            start = 0  # a table without a number column: the label alone starts the row
        k = _label_words(words[start:_column_gap(line, start)], [], fuzzy) if start is not None else 0
        unread = False
        if (not k and fuzzy and start == 1 and row is not None and row.number and not closed_by_signature
                and int(number.group(1)) == row.number + 1 and abs(line.words[1].x - row.label_x) <= 12):
            # the next row, its label misread past recognition ("2 MAN, MEA anne,"), its Uraian
            # beyond a column gap in the Uraian column (a title has none): a row of no component,
            # so its Uraian (a numbered list) is not taken for titles starting a new SP
            gap = _column_gap(line, 1)
            if gap < len(line.words) and abs(line.words[gap].x - (row.boundary or boundary)) <= 12:
                k, unread = gap - 1, True
        if k:
            close()
            closed_by_signature = False
            table_seen = True
            row = Row(int(number.group(1)) if start else 0, words[start:start + k], line.words[start].x,
                      page=line.page + 1, ocr=fuzzy, unread=unread)
            rest = line.words[start + k:]
            if rest:
                row.boundary = rest[0].x
                row.add(line, rest)
            else:
                row.boundary = min(boundary, line.words[start + k - 1].end + line.size)
            boundary = row.boundary
            continue
        if _ALWAYS_OUTSIDE.match(text) or importer._is_signature(text):
            close()
            closed_by_signature = closed_by_signature or bool(_SIGNATURE_START.match(text))
            events.append(Outside(text))
            continue
        if row is None or closed_by_signature:
            events.append(Outside(text))
            continue
        title_like = bool(_TITLE.match(text)) and not _label_words(words[1:], [], fuzzy)
        if line.x < row.label_x - 8 or (line.x < row.label_x + 12 and (number or title_like)):
            close()  # starts left of the label column: a title or heading between tables
            events.append(Outside(text))
            continue
        # label continuation: left of the Uraian column, near the label column, not a list item
        taken = 0
        while taken < len(line.words) and line.words[taken].x < (row.boundary or boundary) - 3:
            word = line.words[taken]
            if taken == 0 and importer._MARKER.match(word.text + " x"):
                break
            grows = _label_words([word.text], row.label, fuzzy)
            close_by = taken and word.x - line.words[taken - 1].end < 1.5 * line.size  # the same label line
            if not grows and not close_by and (taken or abs(word.x - row.label_x) > 6):
                break
            row.label.append(word.text)
            taken += 1
        rest = line.words[taken:]
        if rest:
            row.add(line, rest)
            if row.boundary is None or rest[0].x < row.boundary:
                row.boundary = max(rest[0].x, row.label_x + 20)
    close()
    return events


# ---------------------------------------------------------------------------------------------
# Service names


_TITLE = re.compile(r"^(?:(?:\d{1,2}|[A-Z]|[IVX]{1,4})[.)]\s*)(?P<name>\S.{2,})$")
_JENIS = re.compile(r"^(?:jenis|nama)\s+(?:pelayanan|layanan)\s*:?\s*(?P<name>\S.*)$", re.IGNORECASE)
_SP_TITLE = re.compile(r"^standar\s+pelayanan(?:\s+publik)?\s*:?\s*(?P<name>.*)$", re.IGNORECASE)


def _titled(texts: list[str]) -> bool:
    """Whether the texts before a table hold a service's title; the part headings of one SP
    ("II. STANDAR PELAYANAN YANG TERKAIT DENGAN PROSES PENGELOLAAN …") start no new SP."""
    return any((_TITLE.match(t) or _JENIS.match(t) or _SP_TITLE.match(t)) and not importer._is_part_heading(t)
               for t in texts)


_BEFORE_TITLE = re.compile(r"^(?:lampiran\b|nip\b|memutuskan|m\s*e\s*m\s*u\s*t\s*u\s*s\s*k\s*a\s*n|menetapkan\b"
                           r"|ditetapkan\s+di\b)", re.IGNORECASE)


_UNIT_WORD = re.compile(r"^(?:pada|di|dinas|badan|kantor|upt|uptd|puskesmas|kecamatan|kelurahan|desa|sekolah|sd|sdn"
                        r"|smp|smpn|sma|sman|smk|rsud|rumah\s+sakit|unit|bagian|sekretariat|inspektorat|satuan)\b",
                        re.IGNORECASE)


def title_of(texts: list[str], unit_names: set[str]) -> str:
    """The service name among the texts between two tables: a "Jenis Pelayanan: …" line, a
    numbered title, a "STANDAR PELAYANAN …" title (not naming the unit), else the last line."""
    def usable(name: str) -> bool:
        return bool(name) and normal_label(name) not in unit_names and not _ALWAYS_OUTSIDE.match(name) \
            and not importer._is_part_heading(name)

    cut = max((i for i, t in enumerate(texts) if _BEFORE_TITLE.match(t)), default=-1)
    texts = texts[cut + 1:]  # not a Mengingat item or the signature of the Keputusan before the Lampiran
    for pattern in (_JENIS, _TITLE):
        for text in reversed(texts):
            m = pattern.match(text)
            if m and usable(m.group("name").strip()):
                return m.group("name").strip(" :")
    for i, text in enumerate(texts):
        m = _SP_TITLE.match(text)
        if m:
            first = m.group("name").strip()
            lines = ([first] if first else []) + texts[i + 1: i + 5]
            name = []
            for line in lines[:4]:  # a long title wraps: "PENERBITAN SURAT … PINDAH" / "DATANG PENDUDUK WNI"
                if not usable(line) or _UNIT_WORD.match(line) or (name and (line.isupper() != name[0].isupper())):
                    break
                name.append(line)
            if name:
                return " ".join(name)
    candidates = [t for t in texts if usable(t) and not re.match(r"^(?:nomor|tanggal|tentang)\b", t, re.IGNORECASE)]
    return candidates[-1] if candidates else ""


_TOKEN = re.compile(r"\w[\w-]*\w|\w")


def _marked_case(form: str) -> bool:
    """A spelling only its writer knows: a capital after the first letter ("KTP-el", "SIAK",
    "NIB"), and when all in capitals, short as acronyms are (not a word typed in capitals)."""
    letters = re.sub(r"\W", "", form)
    return len(letters) > 1 and any(c.isupper() for c in letters[1:]) and (
        not letters.isupper() or len(letters) <= 5)


def restore_case(name: str, was_capitals: bool, found: Found) -> str:
    """A title in capitals has lost how the unit spells its acronyms and mixed-case words
    ("(KTP-EL)", "SISTEM OSS"): a word of the name that the SP's own Uraian spells with inner
    capitals is written as the Uraian spells it most often ("(KTP-el)", "Sistem OSS")."""
    if not was_capitals:
        return name
    forms: dict[str, Counter] = {}
    for lines in found.lines.values():
        for line in lines:
            if line.text == line.text.upper():
                continue  # a line in capitals tells nothing about spelling
            for token in _TOKEN.findall(line.text):
                if _marked_case(token):
                    forms.setdefault(token.casefold(), Counter())[token] += 1

    def spelled(m: re.Match) -> str:
        counter = forms.get(m.group().casefold())
        return counter.most_common(1)[0][0] if counter else m.group()

    return _TOKEN.sub(spelled, name)


# ---------------------------------------------------------------------------------------------
# The book


@dataclass
class Part:
    """One SP of the book: its raw reading and the texts that came before its table."""

    found: Found
    titles: list[str]
    first_page: int = 0  # from 1; 0 for Word
    marks: set[str] = field(default_factory=set)  # watermarks on its first page ("rancangan")


@dataclass
class Book:
    source: Path
    parts: list[Part]
    front: list[str]  # the text before the first table: kop, Keputusan, Menimbang, Mengingat
    outside: list[str]  # every text outside the tables, in order (for the signature block)
    pages: int = 0
    blank_pages: list[int] = field(default_factory=list)
    paper: str = ""  # the paper of its pages when it is one the documents use (A4, F4)
    ocr_pages: list[int] = field(default_factory=list)  # pages read by OCR, from 1


def paper_of(width_mm: float, height_mm: float) -> str:
    """The paper name (schemas/dokumen.yaml `kertas`) of a portrait page, within 2 mm; "" for
    another size (Letter, a scan's odd size)."""
    for name, (width, height) in tables.load_data("dokumen.yaml")["kertas"].items():
        if abs(width - width_mm) <= 2 and abs(height - height_mm) <= 2:
            return name
    return ""


def _order(key: str) -> int:
    return tables.component(key).nomor


def _segment(events: list[Row | Outside]) -> tuple[list[Part], list[str], list[str]]:
    parts: list[Part] = []
    front: list[str] = []
    outside: list[str] = []
    pending: list[str] = []  # texts since the last row
    last_order = 0
    current: Part | None = None
    for event in events:
        if isinstance(event, Outside):
            outside.append(event.text)
            if not parts:
                front.append(event.text)
            pending.append(event.text)
            continue
        key = event.key
        titled = current is not None and _titled(pending)
        if key == NAME_KEY:
            pending.append("Jenis Pelayanan: " + " ".join(event.lines))
            current = None
            continue
        if key == EXTRA:
            if current is not None:  # Lokasi Pelayanan, Produk Hukum …: kept as a comment, never in a component
                current.found.notes.unmapped.append(f"{' '.join(event.label)}: {' '.join(event.lines)}".strip(": "))
            continue
        again = key in current.found.lines if current else False
        restart = again and (key == "persyaratan" or (key == "prosedur" and last_order >= _order("dasar_hukum")))
        if current is None or restart or (titled and _order(key) <= 3):
            current = Part(Found(), list(pending), first_page=event.page)
            parts.append(current)
            last_order = 0
        lines = event.uraian()
        if key == "pengaduan":
            lines = _channel_lines(lines)
        hours = key == "jangka_waktu" and normal_label(" ".join(event.label)) in HOURS_LABELS
        current.found.add(key, lines, continues=key == current.found.last or hours)  # hours: waktu_pelayanan
        last_order = max(last_order, _order(key))
        pending = []
    return parts, front, outside


_INTRO = re.compile(r"^(?P<intro>.*?\b(?:via|melalui|sebagai berikut|berikut))\s*:\s*(?P<rest>.*)$", re.IGNORECASE)


def _channel_lines(lines: list[importer.Line]) -> list[importer.Line]:
    """Complaint channels as their own items: "Instagram ; @x" is "Instagram: @x"; an unnumbered
    intro ("… langsung via:") is not a channel; a marker left at the end of the intro ("via: a.")
    goes to the text after it; a channel without contact ("telepon: -") is left out."""
    out: list[importer.Line] = []
    carry = ""
    for line in lines:
        text = re.sub(r":\s*:", ":", re.sub(r"\s*;\s*(?=\S)", ": ", line.text)).rstrip(" ;")
        if carry and not line.kind:
            line = parse_line(f"{carry} {text}")
            text, carry = line.text, ""
        m = _INTRO.match(text)
        if m and not line.kind and len(m.group("intro").split()) >= 2:
            rest = m.group("rest").strip()
            if re.fullmatch(r"[a-z1-9][.)]", rest):
                carry = rest
                continue
            if not rest:
                continue
            line = parse_line(rest)
            text = line.text
        if re.fullmatch(r"[^:]+:\s*[-–.]*\s*", text):  # "telepon: -": no contact given
            continue
        out.append(importer.Line(text, line.marker, line.kind, line.level, line.starts_paragraph))
    return out


def read_pdf_book(path: Path, use_ocr: bool = False) -> Book:
    lines, pages, blank, marks, read_by_ocr = _pdf_lines(path, use_ocr)
    if not lines:
        raise UserError(f"{display_path(path)} tidak memuat teks (hasil pindai?); impor memerlukan PDF teks "
                        "atau dokumen Word" + ("" if use_ocr else f", atau tambahkan --ocr untuk membacanya dengan "
                                               f"OCR (perlu: {ocr.INSTALL})"))
    parts, front, outside = _segment(pdf_events(lines, frozenset(page - 1 for page in read_by_ocr)))
    for part in parts:
        part.marks = marks.get(part.first_page, set())
    with quiet_pypdf():
        box = PdfReader(str(path)).pages[0].mediabox
    paper = paper_of(float(box.width) * 25.4 / 72, float(box.height) * 25.4 / 72)
    return Book(path, parts, front, outside, pages, blank, paper, read_by_ocr)


def _table_keys(table) -> list[str]:
    keys = []
    for row in table.rows:
        cells = importer._unique(row.cells)
        for cell in cells[:-1][:2]:
            key = importer._label_of(cell)
            if key:
                keys.append(key)
                break
    return keys


def read_docx_book(path: Path) -> Book:
    doc = importer.open_docx(path)
    header = []
    for section in doc.sections[:1]:
        # a letterhead in the header: the first page's own header when it has one (the others then
        # hold a running header, "Keputusan … Nomor …" and "- 2 -", which is furniture)
        holder = section.first_page_header if section.different_first_page_header_footer else section.header
        for paragraph in holder.paragraphs:
            text = clean(paragraph.text)
            if text and text not in header and not is_furniture_text(text):
                header.append(text)
    parts: list[Part] = []
    front: list[str] = list(header)
    outside: list[str] = list(header)
    pending: list[str] = []
    pending_marks: set[str] = set()
    current: Part | None = None
    for block in doc.iter_inner_content():
        if isinstance(block, Paragraph):
            for piece in block.text.split("\n"):
                text = clean(piece)
                if _WATERMARK.match(text):
                    pending_marks.add(text.casefold())
                if text and not is_furniture_text(text):
                    outside.append(text)
                    pending.append(text)
                    if not parts:
                        front.append(text)
            if importer._is_part_heading(block.text) and current:
                current.found.last = None
            continue
        keys = _table_keys(block)
        if not keys:
            texts = [clean(line) for row in block.rows for cell in importer._unique(row.cells)
                     for line in cell.text.split("\n") if clean(line)]
            outside += texts
            pending += texts
            if not parts:
                front += texts
            continue
        titled = _titled(pending)
        starts = keys[0] == NAME_KEY or (keys[0] == "persyaratan" and (current is None or current.found.last
                                                                        != "persyaratan"))
        if current is None or starts or titled:
            current = Part(Found(), list(pending), marks=pending_marks)
            pending_marks = set()
            parts.append(current)
        importer.read_table(block, current.found)
        if any(normal_label(cell.text) in HOURS_LABELS for row in block.rows for cell in importer._unique(row.cells)[:2]):
            current.found.repeated.discard("jangka_waktu")  # the hours row: waktu_pelayanan, not a second duration
        pending = []
    for part in parts:
        if part.found.names:
            part.titles.append("Jenis Pelayanan: " + part.found.names[0])
        if "pengaduan" in part.found.lines:
            part.found.lines["pengaduan"] = _channel_lines(part.found.lines["pengaduan"])
    section = doc.sections[0]
    paper = paper_of(section.page_width.mm, section.page_height.mm) if section.page_width and section.page_height \
        else ""
    return Book(path, parts, front, outside, paper=paper)


def read_book(path: Path | str, use_ocr: bool = False) -> Book:
    """The book's SPs; with `use_ocr` a PDF's pages without a text layer are read by OCR."""
    path = Path(path)
    book = read_pdf_book(path, use_ocr) if path.suffix.lower() == ".pdf" else read_docx_book(path)
    if not book.parts:
        raise UserError(f"{display_path(path)}: tidak ditemukan tabel komponen standar pelayanan; pastikan kolom "
                        'Komponen memuat label seperti "Persyaratan", "Jangka Waktu Pelayanan", "Biaya/Tarif"')
    return book


# ---------------------------------------------------------------------------------------------
# Kop, Keputusan, signature

_ACRONYMS = {"sd", "sdn", "smp", "smpn", "sma", "sman", "smk", "smkn", "mi", "min", "mts", "mtsn", "ma", "man",
             "tk", "paud", "upt", "uptd", "rsud", "kua", "blud", "dpmptsp", "ptsp", "ri", "puskesmas_",
             "dukcapil_", "bpbd", "wni", "wna", "ktp", "kk", "kia", "nik", "npwp", "umkm", "sktm", "bpjs", "pbi", "pbg", "bappeda", "bkpsdm", "dprd", "satpol", "pp", "kb", "ppkb"}


def readable(name: str) -> str:
    """An all-capitals line → capitalised words; acronyms (SD, UPT, RSUD) stay capitals."""
    if name != name.upper():
        return name
    words = []
    for word in importer.readable_case(name).split():
        core = re.sub(r"\W", "", word).casefold()
        words.append(word.upper() if core in _ACRONYMS else word)
    return " ".join(words)


_PHONE = re.compile(r"\b(?:telepon|telp\.?|tlp\.?|phone|fax|faks)\b\.?\s*:?\s*(?P<v>[\d()+][\d\s()./-]{5,}\d)",
                    re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:go\.id|sch\.id|ac\.id|id)\b(?:/\S*)?",
                  re.IGNORECASE)
_ADDRESS = re.compile(r"^(?:jalan|jl\.?|jln\.?|alamat)\b", re.IGNORECASE)


_STREET = re.compile(r"(?:^|\s)(?:jalan|jl\.?|jln\.?)\s", re.IGNORECASE)  # "Mal Pelayanan Publik …, Jl. …"
_CONTACT_WORD = re.compile(r"\b(?:telepon|telp|tlp|phone|fax|faks|pos-?el|e-?mail|surel|laman|website)\b",
                           re.IGNORECASE)


def _address(lines: list[str]) -> str:
    """The address of a letterhead, which may wrap ("Jl. Raya … No. 12, Kecamatan Sukamaju,
    Kabupaten" / "Contoh 45681, Telepon …"): its line, and the next while no contact has begun,
    up to the first telephone, e-mail or web address."""
    text = lines[0]
    for more in lines[1:]:
        if _CONTACT_WORD.search(text) or _PHONE.search(text) or _EMAIL.search(text) or _CONTACT_WORD.match(more) \
                or _EMAIL.match(more) or more == more.upper():
            break
        text = f"{text} {more}"
    text = re.sub(r"^alamat\s*:?\s*", "", text, flags=re.IGNORECASE)
    text = _PHONE.split(text)[0] if _PHONE.search(text) else text
    text = _CONTACT_WORD.split(text)[0]
    return text.strip(" ,;")


def kop(front: list[str]) -> dict:
    """instansi, unit, alamat, telepon, email, laman from the letterhead lines before the title."""
    lines = []
    for text in front:
        if re.match(r"^(?:keputusan|peraturan|standar\s+pelayanan|buku|modul|lampiran)\b", text, re.IGNORECASE):
            break
        lines.append(text)
    out: dict = {}
    heads: list[str] = []
    for n, text in enumerate(lines):
        contact_line = _ADDRESS.match(text) or _EMAIL.search(text) or _PHONE.search(text) or re.search(
            r"\b(?:laman|website|pos-?el|e-?mail|kode pos)\b", text, re.IGNORECASE)
        if not contact_line and not out.get("alamat") and text == text.upper() and re.search(r"[A-Z]", text):
            heads.append(text)
            continue
        if (_ADDRESS.match(text) or _STREET.search(text)) and "alamat" not in out:
            out["alamat"] = _address(lines[n:n + 3])
        if (m := _PHONE.search(text)) and "telepon" not in out:
            out["telepon"] = m.group("v").strip()
        if (m := _EMAIL.search(text)) and "email" not in out:
            out["email"] = m.group()
        rest = _EMAIL.sub("", text)
        if (m := _URL.search(rest)) and "laman" not in out:
            url = m.group().rstrip(".,;")
            out["laman"] = url if url.startswith("http") else "https://" + url
    joined: list[str] = []
    for head in heads:  # a name wrapped in the letterhead ("DINAS KEPENDUDUKAN DAN" / "PENCATATAN SIPIL")
        if joined and re.search(r"(?:\b(?:dan|serta|atau|dan/atau)|[&,-])$", joined[-1], re.IGNORECASE):
            joined[-1] = f"{joined[-1]} {head}"
        else:
            joined.append(head)
    heads = joined
    if heads:
        out["instansi"] = readable(heads[0])
        out["unit"] = readable(heads[-1]) if len(heads) > 1 else readable(heads[0])
        out["_kop_lain"] = [readable(h) for h in heads[1:-1]]
    return out


_KEPUTUSAN = re.compile(r"^keputusan\b", re.IGNORECASE)
_NOMOR = re.compile(r"^nomor\s*:?\s*(?P<v>\S.*)$", re.IGNORECASE)


def decision_number(text: str) -> str:
    """A Keputusan's number as it is cited: the capitals of a title line ("NOMOR 35 TAHUN 2026")
    are no part of it, so "35 TAHUN 2026" reads "35 Tahun 2026", as in "Nomor 35 Tahun 2026"."""
    return re.sub(r"\bTAHUN\b", "Tahun", fmt_id.fold(text))


@dataclass
class Keputusan:
    nomor: str
    tanggal: dt.date | None
    tentang: str
    penetap: str  # the jabatan that decides ("KEPALA SDN …")
    mengingat: list[str]
    tanggal_text: str = ""
    notes: list[str] = field(default_factory=list)


def _items(texts: list[str]) -> list[str]:
    """Numbered lines (wrapped) → items; each unnumbered line its own item when none is numbered
    (Word numbering); without the "; dan" or ";" that closes each item."""
    lines = [parse_line(t) for t in texts]
    items = importer.items_of(importer._join_wrapped(lines)) if importer.has_markers(lines) else texts
    return [re.sub(r"\s*;\s*(?:dan)?$", "", item) for item in items if item]


def _field_after(texts: list[str], pattern: str) -> str:
    for text in texts:
        m = re.search(pattern + r"\s*:?\s*(?P<v>.+)$", text, re.IGNORECASE)
        if m and m.group("v").strip(" :"):
            return m.group("v").strip(" :")
    return ""


def keputusan(book: Book) -> Keputusan | None:
    front = book.front
    start = next((i for i, t in enumerate(front) if _KEPUTUSAN.match(t)), None)
    if start is None:
        return None
    head = front[start: start + 14]
    nomor = next((m.group("v").strip(" :") for t in head if (m := _NOMOR.match(t))), "")
    about = next((i for i, t in enumerate(head) if re.match(r"^tentang\b", t, re.IGNORECASE)), None)
    tentang = ""
    penetap = ""
    if about is not None:
        rest = []
        for t in head[about + 1:]:
            if re.match(r"^(?:dengan rahmat|menimbang)", t, re.IGNORECASE):
                break
            rest.append(t)
        tentang = " ".join(([re.sub(r"^tentang\s*:?\s*", "", head[about], flags=re.IGNORECASE)]
                            if len(head[about].split()) > 1 else []) + rest).strip()
    grace = next((i for i, t in enumerate(front) if re.match(r"^dengan rahmat", t, re.IGNORECASE)), None)
    if grace is not None and grace + 1 < len(front):
        penetap = front[grace + 1].rstrip(",")
    if not re.search(r"standar\s+pelayanan", tentang, re.IGNORECASE):
        return None
    if not any(re.match(r"^(?:menimbang|mengingat|memutuskan|m\s*e\s*m\s*u\s*t\s*u\s*s)", t, re.IGNORECASE)
               for t in front):
        return None  # a Lampiran header ("LAMPIRAN KEPUTUSAN … NOMOR … TENTANG …"), not the Keputusan itself
    # Mengingat: from its label to the next part
    mengingat_texts: list[str] = []
    inside = False
    for t in book.front:
        m = re.match(r"^mengingat\s*:?\s*(?P<rest>.*)$", t, re.IGNORECASE)
        if m:
            inside = True
            if m.group("rest"):
                mengingat_texts.append(m.group("rest"))
            continue
        if inside and re.match(r"^(?:memperhatikan|memutuskan|m\s*e\s*m\s*u\s*t\s*u\s*s|menetapkan|lampiran)\b",
                               t, re.IGNORECASE):
            break
        if inside:
            mengingat_texts.append(t)
    # the date: "pada tanggal" under "Ditetapkan di" (not a Menimbang line wrapped before "pada
    # tanggal 20 Januari"), else the first "pada tanggal", else the Lampiran header's "Tanggal :"
    signed = next((i for i, t in enumerate(book.outside) if re.match(r"^ditetapkan\s+di\b", t, re.IGNORECASE)), None)
    date_text = ((_field_after(book.outside[signed: signed + 4], r"^pada\s+tanggal") if signed is not None else "")
                 or _field_after(book.outside, r"^pada\s+tanggal") or _field_after(book.outside, r"^tanggal"))
    reading = readers.read_date(date_text) if date_text else readers.DateReading(None)
    result = Keputusan(decision_number(nomor), reading.date, fmt_id.fold(tentang), fmt_id.fold(penetap),
                       _items(mengingat_texts), date_text)
    year = re.search(r"(?:19|20)\d{2}\s*$", result.nomor)
    if result.tanggal and year and int(year.group()) != result.tanggal.year:
        result.notes.append(f'tanggal penetapan "{date_text}" tidak sesuai dengan tahun pada nomor '
                            f'({year.group()}); periksa tanggalnya di dokumen')
    if not result.tanggal:
        result.notes.append("tanggal penetapan tidak ditemukan atau tidak terbaca (tanda tangan berupa gambar?); "
                            "status dibiarkan rancangan")
    return result


_PANGKAT = re.compile(r"\b(?:pembina|penata|pengatur|juru)\b.*|\([IV]{1,3}\s*/\s*[a-e]\)", re.IGNORECASE)
_NIP = re.compile(r"^nip\.?\s*:?\s*(?P<v>[\d\s]{18,24})", re.IGNORECASE)


def signature(outside: list[str]) -> dict:
    """kota, jabatan, nama, pangkat, NIP of the signature block: the first that opens with
    "Ditetapkan di", else the first "pada tanggal" with a NIP below it, else the first
    place-and-date or NIP line."""
    start = next((i for i, t in enumerate(outside) if re.match(r"^ditetapkan\s+di\b", t, re.IGNORECASE)), None)
    if start is None:  # "pada tanggal" opens it only with a NIP below (not a wrapped "… pada tanggal 20 Januari")
        start = next((i for i, t in enumerate(outside) if _SIGNATURE_START.match(t)
                      and any(_NIP.match(u) for u in outside[i: i + 10])), None)
    if start is None:
        start = next((i for i, t in enumerate(outside) if importer._is_signature(t) or _NIP.match(t)), None)
    if start is None:
        return {}
    block = outside[start: start + 10]
    out: dict = {}
    place = _field_after(block, r"^ditetapkan\s+di")
    for text in block:
        m = re.match(r"^(?P<place>[^,:]{2,40}),\s*(?P<date>\d{1,2}\s+\w+\s+\d{4})", text)
        if m:
            place = place or m.group("place")
    if place:
        out["kota"] = place.strip()
    nip_at = next((i for i, t in enumerate(block) if _NIP.match(t)), None)
    if nip_at is not None:
        out["nip"] = re.sub(r"\s+", "", _NIP.match(block[nip_at]).group("v"))
        before = [t for t in block[:nip_at] if not re.match(r"^(?:ditetapkan|pada\s+tanggal)", t, re.IGNORECASE)
                  and not re.match(r"^[^,]{2,40},\s*\d{1,2}\s+\w+\s+\d{4}$", t)]
        if before and _PANGKAT.search(before[-1]) and len(before) >= 2:
            out["pangkat"] = before.pop()
        if before:
            out["nama"] = before.pop()
        jabatan = [t.rstrip(",") for t in before if t.endswith(",") or t == t.upper()]
        if jabatan:
            out["jabatan"] = readable(" ".join(jabatan))
    return out


# ---------------------------------------------------------------------------------------------
# The unit folder


@dataclass
class Service:
    slug: str
    imported: Imported
    text: str
    issues: list[Issue] = field(default_factory=list)


@dataclass
class BookResult:
    book: Book
    unit: dict
    keputusan: Keputusan | None
    services: list[Service]
    unit_text: str
    unit_issues: list[Issue]
    notes: list[str]


def _q(value) -> str:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)


def unit_yaml(unit: dict, decision: Keputusan | None, source: Path, notes: list[str]) -> str:
    lines = [f"# Diimpor dari {source.name} oleh sp-builder import; periksa sebelum dipakai."]
    for note in notes:
        lines.append(f"# periksa: {note}")
    for key in ("instansi", "unit", "alamat", "telepon", "email", "laman", "kota"):
        if unit.get(key):
            lines.append(f"{key}: {_q(unit[key])}")
        else:
            lines.append(f"# {key}: tidak ditemukan di dokumen")
    if unit.get("paper"):
        lines.append(f"paper: {unit['paper']}  # ukuran halaman dokumen yang diimpor")
    for other in unit.get("_kop_lain", []):
        lines.append(f"# baris kop lain: {other}")
    head = unit.get("pimpinan", {})
    lines.append("pimpinan:")
    for key in ("nama", "jabatan", "nip", "pangkat"):
        if head.get(key):
            lines.append(f"  {key}: {_q(head[key])}")
        elif key != "pangkat":
            lines.append(f"  # {key}: tidak ditemukan di dokumen; isi sendiri")
    if decision:
        lines.append("")
        lines.append(f"# Keputusan Nomor {decision.nomor}"
                     + (f" tanggal {fmt_id.tanggal(decision.tanggal)}" if decision.tanggal else ""))
        if decision.tentang:
            lines.append(f"# tentang {decision.tentang}")
        lines.append("# Mengingat:")
        for n, item in enumerate(decision.mengingat, 1):
            wrapped = textwrap.wrap(item, 92) or [""]
            lines.append(f"#   {n}. {wrapped[0]}")
            lines += [f"#      {w}" for w in wrapped[1:]]
    return "\n".join(lines) + "\n"


_REGULATION_HEAD = re.compile(
    r"^(?:peraturan|keputusan|surat\s+edaran|instruksi|undang|ketetapan|qanun|permen|kepmen|perda|perbup"
    r"|perwal|pergub|perpres|keppres|inpres|pp|uu|se)\b", re.IGNORECASE)


def heal_dasar_hukum(items: list, notes: list[str]) -> list:
    """A legal basis a book numbered line by line ("1. Permendikbud Nomor 22 Tahun 2016 tentang
    Standar", "2. Proses Pendidikan Dasar dan Menengah"): an item that names no kind of regulation
    (citations.parse) continues the one before it, when that one does."""
    out: list = []
    for item in items:
        if (isinstance(item, str) and out and isinstance(out[-1], str) and not citations.parse(item).kind
                and citations.parse(out[-1]).kind and not _REGULATION_HEAD.match(item)):
            notes.append(f'{tables.label("dasar_hukum")}: "{fmt_id.short(item, 50)}" tidak menyebut jenis '
                         "peraturan; digabung dengan butir sebelumnya")
            out[-1] = f"{out[-1]} {item}"
        else:
            out.append(item)
    return out


def _unique_slug(name: str, taken: set[str]) -> str:
    base = importer.slug(name)
    if len(base) > 60:
        base = base[:61].rsplit("-", 1)[0]  # at a word's end
    base = base.strip("-") or "layanan"
    out, n = base, 2
    while out in taken:
        out, n = f"{base}-{n}", n + 1
    taken.add(out)
    return out


def _ocr_parts(book: Book) -> set[int]:
    """The indexes of the parts that have a page read by OCR (a part runs from its first page to
    the next part's first page)."""
    if not book.ocr_pages:
        return set()
    starts = [part.first_page for part in book.parts]
    ends = starts[1:] + [book.pages]
    return {n for n, (start, end) in enumerate(zip(starts, ends))
            if any(start <= page <= max(start, end) for page in book.ocr_pages)}


def import_book(source: Path | str, unit_dir: Path | str, *, force: bool = False,
                today: dt.date | None = None, use_ocr: bool = False) -> BookResult:
    """Read the book, write unit.yaml and layanan/<slug>.yaml (never over an existing file without
    `force`), validate the folder. With `use_ocr` the pages of a PDF without a text layer are read
    by OCR (`sp_builder.ocr`), and the services read from them carry a note to proofread them."""
    source, unit_dir = Path(source), Path(unit_dir)
    if unit_dir.exists() and not unit_dir.is_dir():
        raise UserError(f"{display_path(unit_dir)} sudah ada dan bukan folder; pilih folder unit lain dengan -o")
    book = read_book(source, use_ocr)
    scanned = _ocr_parts(book)
    unit = kop(book.front)
    decision = keputusan(book)
    sign = signature(book.outside)
    unit_notes: list[str] = list(decision.notes) if decision else []
    if book.parts and any(page <= max(book.parts[0].first_page, 1) for page in book.ocr_pages):
        unit_notes.append(f"kop dan Keputusan {ocr.NOTE}, nomor, dan tanggalnya")  # from the pages before the SPs
    if sign.get("kota"):
        unit["kota"] = sign["kota"]
    elif (m := re.search(r"\b(?:kabupaten|kota)\s+(\w[\w -]*)$", unit.get("instansi", ""), re.IGNORECASE)):
        unit["kota"] = m.group(1).strip()
        unit_notes.append(f'tempat penandatanganan tidak ditemukan; kota diisi "{unit["kota"]}" dari nama instansi')
    if book.paper:
        unit["paper"] = book.paper
    head = {k: sign[k] for k in ("nama", "jabatan", "nip", "pangkat") if sign.get(k)}
    if "jabatan" not in head and decision and decision.penetap:
        head["jabatan"] = readable(decision.penetap)
    unit["pimpinan"] = head
    if not sign.get("nama"):
        unit_notes.append("blok tanda tangan (nama, NIP) tidak terbaca sebagai teks (gambar/pindaian?); "
                          "lengkapi pimpinan sendiri")
    unit_names = {normal_label(unit.get("unit", "")), normal_label(unit.get("instansi", ""))} - {""}
    services: list[Service] = []
    taken: set[str] = set()
    last_fixed = None
    for n, part in enumerate(book.parts, 1):
        name = title_of(part.titles, unit_names) or f"Layanan {n}"
        part.found.names = [name]
        imported = importer.assemble(part.found, source)
        data = imported.data
        data["nama"] = restore_case(readable(fmt_id.fold(name)), name == name.upper(), part.found)
        bases = (data.get("pengelolaan") or {}).get("dasar_hukum")
        if isinstance(bases, list):
            data["pengelolaan"]["dasar_hukum"] = heal_dasar_hukum(bases, imported.notes)
        own = importer.penetapan(part.titles, importer.Notes())  # this SP's own Lampiran header
        if own:
            fixed = own | {"nomor": decision_number(own["nomor"])}
        elif "rancangan" in part.marks or "draft" in part.marks or "draf" in part.marks:
            fixed = None
        elif decision and decision.tanggal and decision.nomor:
            fixed = {"nomor": decision.nomor, "tanggal": decision.tanggal}
        else:
            fixed = last_fixed  # the Lampiran goes on
        last_fixed = fixed or last_fixed
        data.pop("penetapan", None)
        data["status"] = "ditetapkan" if fixed else "rancangan"
        if fixed:
            data["penetapan"] = fixed
        data = {k: data[k] for k in ("nama", "status", "penetapan") if k in data} | data
        imported.data = data
        if n - 1 in scanned:
            imported.notes.append(ocr.NOTE)
        slug = _unique_slug(data["nama"], taken)
        services.append(Service(slug, imported, imported.to_yaml()))
    targets = [unit_dir / "unit.yaml"] + [unit_dir / "layanan" / f"{s.slug}.yaml" for s in services]
    existing = [t for t in targets if t.exists()]
    if existing and not force:
        names = ", ".join(display_path(t) for t in existing[:3]) + (" …" if len(existing) > 3 else "")
        raise UserError(f"{names} sudah ada; tidak ditimpa. Pilih folder lain dengan -o, atau tambahkan --force "
                        "untuk menimpanya")
    text = unit_yaml(unit, decision, source, unit_notes)
    write_text_atomic(unit_dir / "unit.yaml", text)
    for service in services:
        write_text_atomic(unit_dir / "layanan" / f"{service.slug}.yaml", service.text)
    issues = validate_paths([unit_dir], today)
    by_file: dict[str, list[Issue]] = {}
    for issue in issues:
        by_file.setdefault(Path(issue.path).name, []).append(issue)
    for service in services:
        service.issues = by_file.get(f"{service.slug}.yaml", [])
    unit_issues = [i for i in issues if Path(i.path).name not in {f"{s.slug}.yaml" for s in services}]
    return BookResult(book, unit, decision, services, text, unit_issues, unit_notes)


# ---------------------------------------------------------------------------------------------
# The report


MAX_ITEMS = 60  # more items in one component than any real SP has
MAX_CHARS = 8000  # more text in one component than any real SP has


def readers_text(value) -> list[str]:
    if isinstance(value, dict):
        return [t for item in value.values() for t in readers_text(item)]
    if isinstance(value, list):
        return [t for item in value for t in readers_text(item)]
    return [str(value)] if value is not None else []


def _count(value) -> int:
    if isinstance(value, list):
        return len(value)
    return 1 if value not in (None, "", []) else 0


def _page_ranges(pages: list[int]) -> str:
    """[1, 2, 3, 5] → "1–3, 5"."""
    runs: list[list[int]] = []
    for page in sorted(pages):
        if runs and page == runs[-1][1] + 1:
            runs[-1][1] = page
        else:
            runs.append([page, page])
    return ", ".join(f"{a}–{b}" if b > a else str(a) for a, b in runs)


def report(result: BookResult) -> str:
    """One block per service: components found, items per component, what is missing, what
    validation still finds."""
    book = result.book
    out = [f"{len(result.services)} layanan ditemukan di {book.source.name}"
           + (f" ({book.pages} halaman" + (f", {len(book.blank_pages)} tanpa teks" if book.blank_pages else "") + ")"
              if book.pages else "")]
    if book.blank_pages:
        out.append(f"peringatan: halaman {', '.join(map(str, book.blank_pages))} tanpa lapisan teks (hasil pindai atau "
                   "gambar); isinya tidak terbaca dan harus dilengkapi sendiri"
                   + ("" if book.ocr_pages else ", atau ulangi impor dengan --ocr"))
    if book.ocr_pages:
        out.append(f"peringatan: halaman {_page_ranges(book.ocr_pages)} {ocr.NOTE} dan angka setiap nilai terhadap "
                   "dokumen aslinya")
    if result.keputusan:
        k = result.keputusan
        out.append(f"Keputusan Nomor {k.nomor}" + (f", tanggal {fmt_id.tanggal(k.tanggal)}" if k.tanggal else "")
                   + f"; Mengingat: {len(k.mengingat)} peraturan (disimpan sebagai komentar di unit.yaml)")
    for note in result.notes:
        out.append(f"peringatan: {note}")
    width = max((len(s.slug) for s in result.services), default=10)
    comps = tables.components()
    for n, service in enumerate(result.services, 1):
        data = service.imported.data
        found = {c.key: (data.get(c.bagian) or {}).get(c.key) for c in comps}
        present = [c for c in comps if found[c.key] not in (None, "", [])]
        missing = [c.label for c in comps if c not in present]
        errors = sum(1 for i in service.issues if i.is_error)
        warnings = len(service.issues) - errors
        out.append("")
        out.append(f"{n:>2}. {service.slug + '.yaml':<{width + 5}} {data['nama']}")
        out.append(f"    komponen {len(present)}/{len(comps)}; butir: "
                   + ", ".join(f"{c.key} {_count(found[c.key])}" for c in present))
        if missing:
            out.append("    tidak ditemukan: " + "; ".join(missing))
        crowded = [c.label for c in present if _count(found[c.key]) > MAX_ITEMS
                   or len(" ".join(readers_text(found[c.key]))) > MAX_CHARS]
        if crowded:
            out.append(f"    peringatan: {'; '.join(crowded)}: lebih dari {MAX_ITEMS} butir atau {MAX_CHARS} karakter, "
                       "kemungkinan isi layanan lain tercampur")
        if ocr.NOTE in service.imported.notes:
            out.append(f"    {ocr.NOTE}")
        out.append(f"    validasi: {errors} galat, {warnings} peringatan")
    if result.unit_issues:
        out.append("")
        out.append("unit.yaml:")
        out += [f"    {issue.format()}" for issue in result.unit_issues]
    return "\n".join(out)


def services_in(path: Path | str, use_ocr: bool = False) -> int:
    """How many SPs a document holds (0 when it cannot be read as a book): the single-SP import
    tells the user when a file is a whole book."""
    try:
        return len(read_book(Path(path), use_ocr).parts)
    except Exception:  # noqa: BLE001 - only a hint after the import itself succeeded
        return 0
