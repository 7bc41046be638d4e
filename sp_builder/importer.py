"""Read an existing Standar Pelayanan document back into a layanan YAML (`sp-builder import`).

Most units already have their SPs typed in Word. Those documents vary: the component labels
("Waktu Penyelesaian", "Biaya/Tarif", "Sarana dan Prasarana"), two or three columns, one table
or one per part, heading rows, merged cells, numbering typed by hand ("1.", "a.", "1)", "•") or
made by Word. The reader is therefore tolerant and driven by data: the label variants live in
`schemas/impor.yaml`, the components themselves in `schemas/komponen.yaml`.

It reads what `render sp` writes exactly (so render → import gives back the same service) and
real documents as well as it can. Whatever it cannot place is kept as comments at the top of the
YAML, so nothing is lost; whatever it placed with doubt is reported as a note. The output is then
run through the validator, whose findings tell the user what is still to be filled in.

A text PDF (not a scan) is read on a best-effort basis from its extracted text lines.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import functools
import io
import re
import tempfile
import textwrap
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from lxml.etree import XMLSyntaxError
from pypdf import PdfReader
from pypdf.errors import PdfReadError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

from sp_builder import fmt_id, ocr, tables
from sp_builder.documents import flowchart
from sp_builder.errors import Issue, UserError
from sp_builder.files import display_path, package_problem, quiet_pypdf
from sp_builder.unit import readers
from sp_builder.unit.model import is_free_word, parse_duration
from sp_builder.unit.validate import validate_file
from sp_builder.write import write_text_atomic

NAME_KEY = "nama"  # a label that names the service rather than a component
WRAP = 96  # column at which long texts are folded in the YAML

# ---------------------------------------------------------------------------------------------
# Labels


@functools.cache
def _conf() -> dict:
    return tables.load_data("impor.yaml")


_LEADING_NUMBER = re.compile(r"^\s*(?:\(?(?:\d{1,3}|[a-z]|[ivx]{1,4})[.)]|\(\d{1,3}\))\s*", re.IGNORECASE)


def normal_label(text: str) -> str:
    """Lower case, no numbering, no punctuation, no filler words: the form labels are compared in."""
    text = _LEADING_NUMBER.sub("", text.casefold().replace("dan/atau", " "))
    words = re.sub(r"[^\w\s]|_", " ", text).split()
    ignored = set(_conf()["abaikan"])
    return " ".join(w for w in words if w not in ignored)


@functools.cache
def _label_index() -> dict[str, str]:
    """Normalised label variant → component key (or "nama")."""
    index = {normal_label(c.label): c.key for c in tables.components()}
    for key, variants in _conf()["komponen"].items():
        for variant in variants:
            index.setdefault(normal_label(variant), key)
    for variant in _conf()[NAME_KEY]:
        index.setdefault(normal_label(variant), NAME_KEY)
    return index


LABEL_CUTOFF = 0.95  # least difflib ratio of a close spelling to a known label
OCR_LABEL_CUTOFF = 0.85  # the same for a label read by OCR, which misreads letters ("Intenai")


def match_label(text: str, cutoff: float = LABEL_CUTOFF) -> str | None:
    """The component key a label names, or "nama", or None.

    Exact match on the normalised form first, then the longest variant the label starts with
    ("Persyaratan Pelayanan Administratif"), then a close spelling ("Persyaratn"), within
    `cutoff` (lower for a label read by OCR).
    """
    norm = normal_label(text)
    if not norm:
        return None
    index = _label_index()
    if norm in index:
        return index[norm]
    prefixes = [v for v in index if norm.startswith(v + " ")]
    if prefixes:
        return index[max(prefixes, key=len)]
    close = difflib.get_close_matches(norm, list(index), n=1, cutoff=cutoff)
    return index[close[0]] if close else None


def _is_header_row(texts: list[str]) -> bool:
    words = {normal_label(w) for w in _conf()["kepala_tabel"]}
    filled = [normal_label(t) for t in texts if t.strip()]
    return bool(filled) and all(t in words for t in filled)


def _is_part_heading(text: str) -> bool:
    norm = normal_label(text)
    return any(normal_label(h) in norm for h in _conf()["judul_bagian"])


# ---------------------------------------------------------------------------------------------
# Lines and items of one Uraian cell


@dataclass(frozen=True)
class Line:
    """One line of a cell: its text without the list marker, and that marker."""

    text: str
    marker: str = ""  # as written: "1.", "a)", "•"; "" when none or numbered by Word itself
    kind: str = ""  # angka | huruf | butir | otomatis (Word list numbering) | "" (no marker)
    level: int = 0  # Word lists: which list and indent level; 0 for typed markers
    starts_paragraph: bool = True


_MARKER = re.compile(
    r"""^\s*(?:
        (?P<angka>\(?\d{1,3}(?:\.\d{1,3})*[.)])
      | (?P<huruf>\(?[a-zA-Z][.)])
      | (?P<butir>[-–—•●▪◦○■□➢►✓*·\ue000-\uf8ff])  # and Symbol/Wingdings bullets (U+F0B7, U+F0A7 …)
    )\s+(?P<rest>\S.*)$""",
    re.VERBOSE | re.DOTALL,
)


def parse_line(text: str, *, starts_paragraph: bool = True) -> Line:
    """Split a typed list marker ("1.", "a)", "(2)", "•", "-") off the start of a line."""
    m = _MARKER.match(text)
    if not m:
        return Line(text.strip(), starts_paragraph=starts_paragraph)
    kind = next(k for k in ("angka", "huruf", "butir") if m.group(k))
    return Line(m.group("rest").strip(), m.group(kind), kind, 0, starts_paragraph)


def _rank(line: Line) -> tuple:
    """What makes lines siblings: the marker kind, the Word list level, and for bullets the glyph
    (documents mark sub-items with another bullet: "●" items, "▪" sub-items)."""
    return line.kind, line.level, line.marker if line.kind == "butir" else ""


def _group(lines: list[Line]) -> list[list[str]]:
    """Lines → items, each item the texts of its line and of its sub-lines.

    The first marker kind in the cell (numbers, letters, bullets, Word numbering at a level) makes
    the items; other markers and unmarked lines after an item belong to it. An unmarked line that
    ends in ":" is a heading of its own ("Persyaratan teknis:", "Dasar hukum:").
    """
    top = next((_rank(line) for line in lines if line.kind), None)
    items: list[list[str]] = []
    open_item = False
    for line in lines:
        if line.kind and _rank(line) == top:
            items.append([line.text])
            open_item = True
        elif line.kind and open_item:
            items[-1].append(f"{line.marker} {line.text}".strip())
        elif line.kind or top is None or not open_item:
            items.append([line.text])
            open_item = bool(line.kind)
        elif line.text.endswith(":"):
            items.append([line.text])
            open_item = False
        else:
            items[-1].append(line.text)
    return items


_LIST_END = re.compile(r"\s*(?:[;,]\s*(?:dan|atau)|;)\s*$", re.IGNORECASE)


def nested_items_of(lines: list[Line]) -> list[tuple[str, list[str]]]:
    """The items of a list cell with their sub-items ("a. Asrama" under "1. Bangunan dan Gedung"),
    as the reading layer reads a sub-list: (item, sub-items), each without its closing "; dan"."""
    top = next((_rank(line) for line in lines if line.kind), None)
    items: list[list] = []  # [head texts, [sub-item texts]]
    open_item = False
    for line in lines:
        if line.kind and _rank(line) == top:
            items.append([[line.text], []])
            open_item = True
        elif line.kind and open_item:
            items[-1][1].append([line.text])
        elif line.kind or top is None or not open_item:
            items.append([[line.text], []])
            open_item = bool(line.kind)
        elif line.text.endswith(":"):
            items.append([[line.text], []])
            open_item = False
        else:
            (items[-1][1][-1] if items[-1][1] else items[-1][0]).append(line.text)
    out = []
    for head, subs in items:
        text = _LIST_END.sub("", " ".join(p for p in head if p))
        children = [c for c in (_LIST_END.sub("", " ".join(s for s in sub if s)) for sub in subs) if c]
        if text or children:
            out.append((text, children))
    return out


def items_of(lines: list[Line]) -> list[str]:
    """The items of a list cell, without the "; dan" that closes items of Indonesian lists."""
    out = []
    for parts in _group(lines):
        text = _LIST_END.sub("", " ".join(p for p in parts if p))
        if text:
            out.append(text)
    return out


def has_markers(lines: list[Line]) -> bool:
    return any(line.kind for line in lines)


def paragraphs_of(lines: list[Line]) -> list[str]:
    """Unnumbered text: the lines of one paragraph joined, one string per paragraph."""
    paragraphs: list[list[str]] = []
    for line in lines:
        if line.starts_paragraph or not paragraphs:
            paragraphs.append([])
        paragraphs[-1].append(line.text)
    return [" ".join(p) for p in paragraphs if " ".join(p).strip()]


# ---------------------------------------------------------------------------------------------
# Component values


@dataclass
class Notes:
    """What the import could not place (kept as comments) and what it placed with doubt."""

    unmapped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def note(self, key: str, message: str) -> None:
        self.notes.append(f"{tables.label(key)}: {message}")


_KETERANGAN = re.compile(r"^(?P<uraian>[^()]+?)\s+\((?P<keterangan>[^()]+)\)$")


def list_item(text: str, key: str) -> str | dict:
    """An item, or {uraian, keterangan} when it ends in a parenthesised remark of several words,
    as the renderer writes a keterangan. One-word brackets are abbreviations ("(KTP-el)") and
    stay; legal bases keep their brackets (the Keputusan's Mengingat uses the text whole)."""
    m = _KETERANGAN.match(text)
    if key == "dasar_hukum" or not m or len(m.group("keterangan").split()) < 2:
        return text
    return {"uraian": m.group("uraian").strip(), "keterangan": m.group("keterangan").strip()}


_WORDS_IN_BRACKETS = r"\([a-z]+(?:\s+[a-z]+)*\)"
_TERBILANG = re.compile(r"(\d+(?:[.,]\d+)?)\s*" + _WORDS_IN_BRACKETS, re.IGNORECASE)


def without_terbilang(text: str) -> str:
    """"3 (tiga) hari kerja" → "3 hari kerja": the words only repeat the number."""
    return _TERBILANG.sub(r"\1", text)


def jangka_waktu_value(lines: list[Line], notes: Notes) -> str:
    text = "; ".join(without_terbilang(item) for item in items_of(lines))
    if parse_duration(text) is None:
        notes.note("jangka_waktu", f'"{text}" bukan durasi yang dikenali; tulis angka dan satuan, mis. "3 hari kerja"')
    return text


_RUPIAH = re.compile(
    r"^rp\.?\s*(?P<amount>\d{1,3}(?:\.\d{3})+|\d+)"  # Rp50.000 / Rp 50000
    r"(?:,(?:\d{1,2}|-{1,2}))?\s*(?:,-)?"  # ,00 / ,-
    r"\s*(?:\([^()]*\))?\s*\.?$",  # (lima puluh ribu rupiah)
    re.IGNORECASE,
)
_DASAR = re.compile(r"^dasar\s+hukum\b\s*:?\s*(?P<rest>.*)$", re.IGNORECASE | re.DOTALL)
_REGULATION = re.compile(r"\b(?:nomor|no\.?)\s*\S+.*\btahun\s+\d{4}", re.IGNORECASE)
_FEE_SPLIT = re.compile(r":\s+(?=rp\.?\s*\d)", re.IGNORECASE)


def amount(text: str) -> int | None:
    """"Rp50.000,00", "Rp 50.000,-", "Rp50.000,00 (lima puluh ribu rupiah)" → 50000; else None."""
    m = _RUPIAH.match(text.strip())
    return int(m.group("amount").replace(".", "")) if m else None


def _is_free(text: str) -> bool:
    core = re.sub(r"\s*\([^()]*\)\s*$", "", text).strip()
    return amount(text) == 0 or is_free_word(text) or is_free_word(core)


def _fee_row(text: str) -> dict:
    """"uraian: Rp12.000,00 (...)" → {uraian, tarif: 12000}; a text tariff stays text."""
    found = list(_FEE_SPLIT.finditer(text))
    if found:
        uraian, tarif = text[: found[-1].start()], text[found[-1].end():]
    elif ": " in text:
        uraian, tarif = text.split(": ", 1)
    else:
        uraian, tarif = "", text
    value = amount(tarif)
    return {"uraian": uraian.strip(), "tarif": tarif.strip() if value is None else value}


def biaya_value(lines: list[Line], notes: Notes):
    """Free → 0; an amount or text tariff with its legal basis → {tarif, dasar_hukum}; a paid
    tariff without a legal basis stays the text as written (and is reported)."""
    split = next((i for i, line in enumerate(lines) if _DASAR.match(line.text)), len(lines))
    fee_items = items_of(lines[:split])
    dasar: list[str] = []
    if split < len(lines):
        rest = _DASAR.match(lines[split].text).group("rest").strip()
        dasar = ([rest] if rest else []) + items_of(lines[split + 1:])
    if not dasar and len(fee_items) == 1 and (reading := readers.read_fee(fee_items[0])) is not None \
            and not reading.free and reading.basis:
        return fee_items[0]  # "Sesuai tarif PNBP berdasarkan PP Nomor 22 Tahun 2023 ...": its basis is in the text
    dasar += [item for item in fee_items if _REGULATION.search(item) and not re.search(r"\brp\b", item, re.I)]
    fee_items = [item for item in fee_items if item not in dasar]
    dasar_value = dasar[0] if len(dasar) == 1 else dasar
    if fee_items and all(_is_free(item) for item in fee_items):
        return {"tarif": 0, "dasar_hukum": dasar_value} if dasar else 0
    if not dasar:
        text = "; ".join(fee_items)
        notes.note("biaya", f'tarif "{text}" tanpa dasar hukum disalin apa adanya; tulis {{tarif: ..., '
                            'dasar_hukum: "Peraturan Daerah ... Nomor ... Tahun ..."}')
        return text
    numbered = [line for line in lines[:split] if line.kind]
    if len(fee_items) == 1 and not numbered:
        value = amount(fee_items[0])
        tarif = fee_items[0] if value is None else value
    else:
        tarif = [_fee_row(item) for item in fee_items]
    return {"tarif": tarif, "dasar_hukum": dasar_value}


_CONTACT_AT_END = re.compile(
    r"^(?P<saluran>.*?\S)\s*[-–:]?\s+"
    r"(?P<kontak>(?:https?://|www\.)\S+"  # a web address
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # an e-mail address
    r"|\(?\+?\d[\d\s().-]{6,}\d)$"  # a telephone number
)


def channel(text: str) -> str | dict:
    """"SP4N-LAPOR!: https://www.lapor.go.id" → {saluran, kontak}; "Kotak saran" stays text."""
    m = re.match(r"^(?P<saluran>[^:]*?\S)\s*:\s+(?P<kontak>\S.*)$", text) or _CONTACT_AT_END.match(text)
    if not m:
        return text
    return {"saluran": m.group("saluran").strip(), "kontak": m.group("kontak").strip()}


_STAFF = re.compile(
    r"""^(?:(?P<jabatan>.*?\S)\s*(?::|=|-|–)?\s+)?
    (?P<n>\d{1,3}(?:\.\d{3})+|\d+)\s*(?:\([a-z]+(?:\s+[a-z]+)*\))?\s*
    (?:orang|org\.?|personel|personil|petugas|pegawai)?\s*\.?$""",
    re.IGNORECASE | re.VERBOSE,
)
_TOTAL = re.compile(r"^(?:jumlah|total)\b", re.IGNORECASE)


def jumlah_pelaksana_value(lines: list[Line], notes: Notes):
    """"6 (enam) orang" → 6; "Jabatan: 2 (dua) orang" lines → [{jabatan, jumlah}]. A "Jumlah: ..."
    line is the total, which the format computes: it is only checked against the rows."""
    totals_written = [line.text for line in lines if _TOTAL.match(line.text)]  # unnumbered, after the rows
    rows, totals, unread = [], [], []
    for text in items_of([line for line in lines if not _TOTAL.match(line.text)]) + totals_written:
        m = _STAFF.match(text)
        if not m:
            unread.append(text)
        elif m.group("jabatan") and not _TOTAL.match(m.group("jabatan")):
            rows.append({"jabatan": m.group("jabatan").strip(), "jumlah": int(m.group("n").replace(".", ""))})
        else:
            totals.append(int(m.group("n").replace(".", "")))
    if unread and not rows and not totals:
        notes.note("jumlah_pelaksana", "jumlah orang tidak dikenali; teks disalin apa adanya, tulis angka "
                                       "(mis. 6) atau daftar {jabatan, jumlah}")
        return "; ".join(unread)
    notes.unmapped += [f"{tables.label('jumlah_pelaksana')}: {text}" for text in unread]
    if not rows:
        return totals[0]
    counted = sum(row["jumlah"] for row in rows)
    if any(total != counted for total in totals):
        notes.note("jumlah_pelaksana", f"jumlah {totals[0]} orang tidak sama dengan total rincian {counted} orang; "
                                       "periksa rinciannya")
    return rows


def text_value(lines: list[Line]) -> str | list[str]:
    """Numbered → a list of statements; plain paragraphs → one text, paragraphs kept apart."""
    if has_markers(lines):
        return items_of(lines)
    return "\n\n".join(paragraphs_of(lines))


def component_value(key: str, lines: list[Line], notes: Notes):
    if key == "jangka_waktu":
        return jangka_waktu_value(lines, notes)
    if key == "biaya":
        return biaya_value(lines, notes)
    if key == "jumlah_pelaksana":
        return jumlah_pelaksana_value(lines, notes)
    if key == "pengaduan":
        return [channel(item) for item in items_of(lines)]
    if key in tables.keys_of_kind("teks"):
        return text_value(lines)
    assert key in tables.keys_of_kind("daftar"), key
    return [list_item(item, key) if not children else {item.rstrip(" :"): [list_item(c, key) for c in children]}
            for item, children in nested_items_of(lines)]


# ---------------------------------------------------------------------------------------------
# What a document holds, whatever its format


@dataclass
class Found:
    """The raw reading of a document: Uraian lines per component, the text around the tables."""

    lines: dict[str, list[Line]] = field(default_factory=dict)  # in document order
    names: list[str] = field(default_factory=list)  # from "Jenis Pelayanan" rows
    outside: list[str] = field(default_factory=list)  # paragraphs and other tables, in order
    title: str = ""  # the document's own title property
    pictures: set[str] = field(default_factory=set)  # components whose cell holds an image
    repeated: set[str] = field(default_factory=set)
    notes: Notes = field(default_factory=Notes)
    last: str | None = None  # the component read last: a table split over pages goes on with it
    label_col: int = 0  # where the labels were in the last table
    ocr: bool = False  # some of its text was read by OCR from a scanned page

    def add(self, key: str, lines: list[Line], *, continues: bool) -> None:
        if key in self.lines and not continues:
            self.repeated.add(key)
        self.lines.setdefault(key, []).extend(lines)
        self.last = key


# ---------------------------------------------------------------------------------------------
# Word documents

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
_EMBED = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"


def _own_picture(cell: _Cell) -> bool:
    """Whether the cell holds a picture of the unit's own: one sp-builder drew from the procedure
    (marked in its PNG) is no picture to bring back."""
    for drawing in cell._tc.iter(f"{_W}drawing"):
        blips = list(drawing.iter(_BLIP))
        if not blips:
            return True
        for blip in blips:
            part = cell.part.related_parts.get(blip.get(_EMBED))
            if part is None or flowchart.DRAWN_MARK not in part.blob[:512]:
                return True
    return False


def _word_numbering(paragraph: Paragraph) -> tuple[bool, int]:
    """(numbered, level) of a paragraph in a Word list, set on the paragraph or by its style
    ("List Number", "List Bullet"): Word draws these markers, the text does not hold them. The
    level tells lists apart by list id and indent, so a sub-list belongs to the item above it."""
    holders = [paragraph._p.pPr]
    style = paragraph.style
    while style is not None:
        holders.append(style.element.pPr)
        style = style.base_style
    for p_pr in holders:
        num_pr = p_pr.numPr if p_pr is not None else None
        if num_pr is not None and num_pr.numId is not None:
            indent = num_pr.ilvl.val if num_pr.ilvl is not None else 0
            return num_pr.numId.val != 0, num_pr.numId.val * 16 + indent
    return False, 0


def _paragraph_lines(paragraph: Paragraph) -> list[Line]:
    """A paragraph → lines (a soft line break starts a new line in the same paragraph)."""
    numbered, level = _word_numbering(paragraph)
    lines = []
    for n, piece in enumerate(paragraph.text.split("\n")):
        if not piece.strip():
            continue
        if numbered and n == 0:
            lines.append(Line(piece.strip(), "", "otomatis", level, True))
        else:
            lines.append(parse_line(piece, starts_paragraph=n == 0))
    return lines


def _unique(cells) -> list[_Cell]:
    """Cells of a row without the repeats python-docx gives for horizontally merged cells."""
    out: list[_Cell] = []
    for cell in cells:
        if not any(cell._tc is seen._tc for seen in out):
            out.append(cell)
    return out


def cell_lines(cell: _Cell) -> list[Line]:
    """The lines of a cell in order; a nested table gives one line per row, cells joined by ": "."""
    lines: list[Line] = []
    for block in cell.iter_inner_content():
        if isinstance(block, Paragraph):
            lines += _paragraph_lines(block)
        else:
            for row in block.rows:
                texts = [c.text.strip() for c in _unique(row.cells) if c.text.strip()]
                if texts:
                    lines.append(parse_line(": ".join(fmt_id.fold(t) for t in texts)))
    return lines


def _label_of(cell: _Cell) -> str | None:
    """A label cell may add an explanation below the label: try the whole text, then its first line."""
    text = cell.text.strip()
    return match_label(text) or (match_label(text.split("\n")[0]) if "\n" in text else None)


def _is_number(text: str) -> bool:
    return bool(re.fullmatch(r"\(?(?:\d{1,3}|[a-z]|[ivx]{1,4})[.)]?", text.strip(), re.IGNORECASE))


def read_table(table: Table, found: Found) -> bool:
    """Read the component rows of one table into `found`. Returns False (and reads nothing) when
    the table has neither a component label nor a Komponen/Uraian header row: a kop, a Lampiran
    block or a signature table. A table that goes on from the one before (a table split over
    pages) continues its last component."""
    consumed: list = []  # cells already read: vertically merged cells repeat in every row
    rows: list[tuple[str | None, list[_Cell], str]] = []  # (component, its Uraian cells, text of a row not placed)
    label_col, current, is_sp = found.label_col, found.last, False
    for row in table.rows:
        cells = _unique(row.cells)
        texts = [c.text.strip() for c in cells]
        if not any(texts):
            continue
        hit = next(((i, key) for i, cell in enumerate(cells[:-1][:2]) if (key := _label_of(cell))), None)
        joined = " | ".join(fmt_id.fold(t) for t in texts if t)
        if hit:
            label_col, key = hit
            current = key if key != NAME_KEY else None
            is_sp = True
        elif _is_header_row(texts):
            is_sp = True
            continue
        elif _is_part_heading(joined):
            current = None
            rows.append((None, [], ""))
            continue
        elif current and all(not t or _is_number(t) for t in texts[: label_col + 1]):
            key = current  # a continuation: the Uraian goes on in this row
        else:
            rows.append((None, [], joined))
            continue
        uraian = [c for c in cells[label_col + 1:] if not any(c._tc is seen for seen in consumed)]
        consumed += [c._tc for c in uraian]
        rows.append((key, uraian, ""))
    if not is_sp:
        return False
    found.label_col = label_col
    previous = found.last
    for key, cells, text in rows:
        if key == NAME_KEY:
            found.names.append(" ".join(fmt_id.fold(c.text) for c in cells))
        elif key:
            lines = [line for cell in cells for line in cell_lines(cell)]
            found.add(key, lines, continues=key == previous)
            if any(_own_picture(cell) for cell in cells):
                found.pictures.add(key)
        elif normal_label(text).startswith("standar pelayanan"):
            found.outside.append(text)  # a title row: the service name may be in it
        elif text:
            found.notes.unmapped.append(text)
        previous = key
    return True


def open_docx(path: Path):
    """A Word document a user handed us, or the Indonesian reason it cannot be opened (a zip bomb,
    an old .doc, a damaged package); shared by the single-SP and the book import."""
    problem = package_problem(path)
    if problem:
        raise UserError(f"{display_path(path)}: {problem}")
    try:
        return Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, XMLSyntaxError):
        hint = ("berkas .doc lama: buka di Word lalu simpan sebagai .docx" if path.suffix.lower() == ".doc"
                else "buka di Word atau LibreOffice lalu simpan ulang sebagai .docx")
        raise UserError(f"{display_path(path)} bukan dokumen Word (.docx) yang dapat dibaca; {hint}") from None


def read_docx(path: Path) -> Found:
    doc = open_docx(path)
    found = Found(title=doc.core_properties.title or "")
    for block in doc.iter_inner_content():
        if isinstance(block, Paragraph):
            if block.text.strip():
                found.outside.append(block.text.strip())
            if _is_part_heading(block.text):
                found.last = None  # the next table starts a part: it continues nothing
        elif not read_table(block, found):
            for row in block.rows:
                text = " ".join(c.text.strip() for c in _unique(row.cells) if c.text.strip())
                if text:
                    found.outside += [line.strip() for line in text.split("\n") if line.strip()]
    return found


# ---------------------------------------------------------------------------------------------
# Text PDFs (best effort)

_PAGE_NOISE = re.compile(r"^(?:-\s*\d+\s*-|rancangan|halaman\s+\d+.*)$", re.IGNORECASE)
_ROW_NUMBER = re.compile(r"^(?P<n>\d{1,2})\.?\s+(?P<rest>\S.*)$")
_JABATAN_LINE = re.compile(r"^[A-Z][A-Z .,/()'-]+,$")
_STARTS_OWN_LINE = (_DASAR, _TOTAL)  # lines the renderer writes unnumbered after a numbered list


@dataclass(frozen=True)
class _LabelStart:
    key: str
    label: list[str]  # its words as written
    rest: list[str]  # the text beside the label on the lines it takes: the start of the Uraian
    lines: int  # how many lines the label takes (a label wraps in its narrow column)


@functools.cache
def _label_prefixes() -> frozenset[str]:
    """Every leading run of words of every known label, normalised."""
    out = set()
    for label in _label_index():
        words = label.split()
        out.update(" ".join(words[:k]) for k in range(1, len(words) + 1))
    return frozenset(out)


def _pdf_label(lines: list[str], i: int, expected: set[int]) -> _LabelStart | None:
    """A component label starting at line i, after the row number.

    The label column is narrow, so a label wraps over up to four lines, and a line may carry the
    start of the Uraian after its piece of the label. The label is grown line by line while its
    words are still the start of a known label; the longest complete label wins. Accepted when the
    row is numbered and the label ends its line, is followed by a list marker, or carries the
    expected row number. Rows must be numbered: an unnumbered line that happens to start with a
    label word ("retribusi)" wrapped from an item) is Uraian.
    """
    m = _ROW_NUMBER.match(lines[i])
    number, first = (int(m.group("n")), m.group("rest")) if m else (None, lines[i])
    window = [first.split()] + [line.split() for line in lines[i + 1: i + 4]]
    label: list[str] = []
    taken: list[int] = []  # words of each line that belong to the label
    best = None
    for words in window:
        size = next((k for k in range(len(words), 0, -1)
                     if normal_label(" ".join(label + words[:k])) in _label_prefixes()), 0)
        if not size:
            break
        label += words[:size]
        taken.append(size)
        if normal_label(" ".join(label)) in _label_index():
            best = (normal_label(" ".join(label)), list(taken))
    if best is None or number is None:
        return None
    key, taken = _label_index()[best[0]], best[1]
    while taken[-1] and not normal_label(window[len(taken) - 1][taken[-1] - 1]):
        taken[-1] -= 1  # a trailing "dan" on a later line starts the Uraian ("dan S-1 bagi ...")
    if not taken[-1]:
        taken.pop()
    rest = [" ".join(words[n:]) for words, n in zip(window, taken) if len(words) > n]
    first_rest = " ".join(window[0][taken[0]:])
    if not first_rest or _MARKER.match(first_rest) or number in expected:
        return _LabelStart(key, [w for words, n in zip(window, taken) for w in words[:n]], rest, len(taken))
    return None


def _is_signature(line: str) -> bool:
    """The place-and-date or the JABATAN, line that opens the signature block after the tables."""
    m = re.match(r"^(?P<place>[^,]{2,40}),\s*(?P<date>\d{1,2}\s+\w+\s+\d{4}|\.{4,})$", line)
    return bool(m and (m.group("date").startswith(".") or parse_date(m.group("date")))) or bool(
        _JABATAN_LINE.match(line))


def _join_wrapped(lines: list[Line]) -> list[Line]:
    """A PDF wraps text at the cell edge: an unmarked line continues the line before it."""
    out: list[Line] = []
    for line in lines:
        if out and not line.kind and not any(p.match(line.text) for p in _STARTS_OWN_LINE):
            before = out[-1].text
            glue = "" if re.search(r"\w-$|/$", before) else " "
            out[-1] = dataclasses.replace(out[-1], text=before + glue + line.text)
        else:
            out.append(line)
    return out


def _pdf_text(path: Path, use_ocr: bool = False) -> tuple[list[str], set[int], str, bool]:
    """The text lines without page numbers, draft marks and repeated table headers; the indexes of
    the lines that follow a page break; the document title; whether a page was read by OCR (with
    `use_ocr`, the pages without a text layer are)."""
    try:
        with quiet_pypdf():  # a damaged file's English warnings; the message below says it
            reader = PdfReader(str(path))
            texts = [page.extract_text() or "" for page in reader.pages]
            title = str((reader.metadata or {}).get("/Title", "") or "")
    except (PdfReadError, OSError, ValueError):
        raise UserError(f"{display_path(path)} bukan PDF yang dapat dibaca; periksa apakah berkasnya rusak "
                        "atau terenkripsi") from None
    scanned = [n for n, page_text in enumerate(texts) if not page_text.strip()] if use_ocr else []
    for n, page in ocr.read_pages(path, scanned).items():
        texts[n] = "\n".join(page.cell_lines)
    text = "\n".join(texts)
    lines: list[str] = []
    after_break: set[int] = set()
    for raw in text.splitlines():
        line = fmt_id.fold(raw)
        if line and not _PAGE_NOISE.match(line) and not _is_header_row(line.split()):
            lines.append(line)
        elif line:
            after_break.add(len(lines))
    return lines, after_break, title, bool(scanned)


def _label_tail(label: list[str], line: str) -> int:
    """How many words at the start of `line` finish `label`: the end of a label that a page break
    cut off and put after the first Uraian lines ("Jaminan Keamanan dan Keselamatan" … "Pelayanan")."""
    words = line.split()
    grown = [k for k in range(1, min(len(words), 4) + 1)
             if normal_label(" ".join(label + words[:k])) in _label_index()
             and normal_label(" ".join(label + words[:k])) != normal_label(" ".join(label))]
    return max(grown, default=0)


def read_pdf(path: Path, use_ocr: bool = False) -> Found:
    """Best effort on the extracted text: a label line (in the order of the 14 components, each
    once) opens a component, its lines follow, the signature block closes the last one. With
    `use_ocr` the pages without a text layer are read by OCR (`found.ocr` says so)."""
    lines, after_break, title, scanned = _pdf_text(path, use_ocr)
    if not lines:
        raise UserError(f"{display_path(path)} tidak memuat teks (hasil pindai?); impor memerlukan PDF teks "
                        "atau dokumen Word" + ("" if use_ocr else f", atau tambahkan --ocr untuk membacanya dengan "
                                               f"OCR (perlu: {ocr.INSTALL})"))
    found = Found(title=title, ocr=scanned)
    order = {c.key: c.nomor for c in tables.components()}
    current, last, row, i, restart, label = None, 0, 0, 0, True, []
    while i < len(lines):
        line = lines[i]
        if current and i in after_break and _label_tail(label, line):
            line = " ".join(line.split()[_label_tail(label, line):])
            if not line:
                i += 1
                continue
        expected = {row + 1, 1} if restart else {row + 1}  # numbering may restart after a part heading
        start = _pdf_label(lines, i, expected) if current is not None or last == 0 else None
        if start and (start.key == NAME_KEY or order[start.key] > last):
            if start.key == NAME_KEY:
                found.names.append(" ".join(start.rest).lstrip(": "))
            else:
                current, last, label = start.key, order[start.key], start.label
                row = int(_ROW_NUMBER.match(line).group("n"))
                found.add(current, [parse_line(text) for text in start.rest if text.strip(" :")], continues=False)
            i += start.lines
            restart = False
            continue
        restart = restart or _is_part_heading(line)
        if current and _is_signature(line):
            current = None
            last = len(order) + 1  # nothing after the signature is a component
        if current and not _is_part_heading(line):
            found.lines[current].append(parse_line(line))
        elif not current:
            found.outside.append(line)
        i += 1
    for key, component_lines in found.lines.items():
        found.lines[key] = _join_wrapped(component_lines)
    return found


# ---------------------------------------------------------------------------------------------
# Name and status


def parse_date(text: str) -> dt.date | None:
    """"16 Februari 2026", "16-02-2026", "16/02/2026", "2026-02-16" → a date."""
    return fmt_id.baca_tanggal(text)


def _header_field(window: list[str], name: str) -> str:
    """The value after "NAME :" in a Lampiran header; a value wrapped after "/" (a PDF line) or
    left for the next line continues there, up to the next field."""
    for k, text in enumerate(window):
        m = re.search(rf"\b{name}\b\s*:?\s*(.*)$", text, re.IGNORECASE)
        if not m:
            continue
        value = m.group(1).strip(" :\t")
        for more in window[k + 1:]:
            wrapped = value.endswith(("/", "-", "."))
            if re.match(r"^(?:nomor|tanggal|tentang)\b", more, re.IGNORECASE) or (value and not wrapped):
                break
            value += ("" if wrapped or not value else " ") + more.strip()
        return value
    return ""


def penetapan(outside: list[str], notes: Notes) -> dict | None:
    """NOMOR and TANGGAL of a Lampiran header ("LAMPIRAN / KEPUTUSAN ... / NOMOR : ... /
    TANGGAL : ..."), when both are filled in."""
    for i, line in enumerate(outside):
        if not re.match(r"^lampiran\b", line, re.IGNORECASE):
            continue
        window = outside[i: i + 12]
        nomor = _header_field(window, "nomor")
        date = parse_date(_header_field(window, "tanggal"))
        if re.search(r"\w", nomor) and date:
            return {"nomor": nomor, "tanggal": date}
        notes.notes.append("kepala Lampiran ditemukan tetapi NOMOR atau TANGGAL belum terisi atau tidak terbaca; "
                           'status dibiarkan "rancangan"')
        return None
    return None


_SMALL_WORDS = ("dan", "atau", "di", "ke", "dari", "yang", "untuk", "pada", "bagi", "serta", "dengan", "dalam",
                "oleh", "tentang", "atas", "melalui", "terhadap", "sebagai", "tanpa", "kepada")


def readable_case(name: str) -> str:
    """An all-capitals title → capitalised words, small words lower, bracketed words as written."""
    if name != name.upper():
        return name
    out, depth = [], 0
    for n, word in enumerate(name.split()):
        inside = depth > 0 or word.startswith("(")
        depth += word.count("(") - word.count(")")
        if inside:
            out.append(word)
        elif n and word.lower() in _SMALL_WORDS:
            out.append(word.lower())
        else:
            out.append("-".join(part[:1].upper() + part[1:].lower() for part in word.split("-")))
    return " ".join(out)


def service_name(found: Found, source: Path, notes: Notes) -> str:
    """From a "Jenis Pelayanan" row, else the title ("STANDAR PELAYANAN" + name, on one line or
    the next), else the file name. The document's title property restores the letter case the
    title paragraph lost to capitals (and the end of a name a PDF wrapped onto the next line),
    when it names the same service."""
    name = next((n for n in found.names if n.strip()), "")
    if not name:
        for i, line in enumerate(found.outside):
            m = re.match(r"^standar\s+pelayanan(?:\s+publik)?\b[\s:–-]*(?P<rest>.*)$", line, re.IGNORECASE)
            if not m:
                continue
            rest = m.group("rest").strip()
            if not rest and i + 1 < len(found.outside):
                rest = found.outside[i + 1].strip()
            if rest and not re.match(r"^(?:pada|di|lampiran|nomor|tanggal|tentang)\b", rest, re.IGNORECASE):
                name = rest
                break
    if not name:
        notes.notes.append(f'nama layanan tidak ditemukan di dokumen; diambil dari nama berkas "{source.stem}"')
        return re.sub(r"[-_]+", " ", source.stem).strip()
    name = fmt_id.fold(name)
    title = re.sub(r"^standar\s+pelayanan\s+|\s*\(rancangan\)$", "", found.title.strip(), flags=re.IGNORECASE)
    lead = re.match(r"^(pelayanan|layanan)\s+", name, re.IGNORECASE)
    if title and lead and not re.match(r"^(pelayanan|layanan)\s+", title, re.IGNORECASE):
        title = f"{lead.group(1).capitalize()} {title}"  # the title writes "Standar Pelayanan" once
    same = title.casefold() == name.casefold() or title.casefold().startswith(name.casefold() + " ")
    return title if same else readable_case(name)


# ---------------------------------------------------------------------------------------------
# The imported service


@dataclass
class Imported:
    """A service read from a document: its data in the layanan format, and what needs a look."""

    source: Path
    data: dict
    unmapped: list[str]
    notes: list[str]

    def to_yaml(self) -> str:
        """Block-style YAML with the unplaced text as comments at the top."""
        head = [f"# Diimpor dari {self.source.name} oleh sp-builder import; periksa sebelum dipakai."]
        for text in self.unmapped:
            lines = textwrap.wrap(fmt_id.fold(text), WRAP) or [""]
            head.append(f"# tidak terpetakan: {lines[0]}")
            head += [f"#   {line}" for line in lines[1:]]
        for text in self.notes:
            head += ["# periksa: " + line if n == 0 else "#   " + line
                     for n, line in enumerate(textwrap.wrap(text, WRAP))]
        body = io.StringIO()
        _yaml().dump(_fold_texts(_commented(self.data)), body)
        return "\n".join(head) + "\n" + body.getvalue()


def _yaml() -> YAML:
    yaml = YAML()
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # long items stay on one line; texts are folded by _scalar
    return yaml


def _scalar(value):
    """Multi-paragraph text as a literal block, a long text folded at WRAP columns."""
    if not isinstance(value, str):
        return value
    if "\n" in value:
        return LiteralScalarString(value)
    if len(value) <= WRAP or value != fmt_id.fold(value):
        return value
    folded = FoldedScalarString(value)
    positions, end = [], 0
    for line in textwrap.wrap(value, WRAP, break_long_words=False, break_on_hyphens=False)[:-1]:
        end += len(line)
        positions.append(end)
        end += 1
    folded.fold_pos = positions
    return folded


def _commented(value, top: bool = True):
    """Plain data → ruamel's types, with a blank line before each part of the service."""
    if isinstance(value, dict):
        out = CommentedMap((key, _commented(item, False)) for key, item in value.items())
        for key in ("penyampaian", "pengelolaan") if top else ():
            if key in out:
                out.yaml_set_comment_before_after_key(key, before="\n")
        return out
    if isinstance(value, list):
        return [_commented(item, False) for item in value]
    return value


def _fold_texts(data: CommentedMap) -> CommentedMap:
    """Text components as folded or literal blocks (in place); everything else as plain values."""
    for part in ("penyampaian", "pengelolaan"):
        for key in tables.keys_of_kind("teks"):
            section = data.get(part) or {}
            if isinstance(section.get(key), str):
                section[key] = _scalar(section[key])
    return data


_DAYS = re.compile(r"\b(senin|selasa|rabu|kamis|jum'?at|sabtu|minggu)\b", re.IGNORECASE)
_CLOCK_RANGE = re.compile(r"\b\d{1,2}[.:]\d{2}\s*(?:-|–|s\.?d\.?|sampai)\s*\d{1,2}[.:]\d{2}\b", re.IGNORECASE)


def _service_hours(found: Found) -> list[str]:
    """Lines of the Jangka Waktu rows that state the service hours ("Senin–Kamis 08.00–15.30"),
    taken out of the duration: they are `waktu_pelayanan`, not a duration."""
    lines = found.lines.get("jangka_waktu", [])
    hours = [line for line in lines if line.text and (_DAYS.search(line.text) or _CLOCK_RANGE.search(line.text))
             and parse_duration(line.text) is None]
    if hours:
        found.lines["jangka_waktu"] = [line for line in lines if line not in hours]
    return [fmt_id.fold(line.text) for line in hours]


def assemble(found: Found, source: Path) -> Imported:
    """The layanan data from a raw reading: values in component order, each in its structured form."""
    notes = found.notes
    if not found.lines:
        raise UserError(f"{display_path(source)}: tidak ditemukan tabel komponen standar pelayanan; pastikan kolom "
                        'Komponen memuat label seperti "Persyaratan", "Jangka Waktu Pelayanan", "Biaya/Tarif"')
    data: dict = {"nama": service_name(found, source, notes), "status": "rancangan"}
    fixed = penetapan(found.outside, notes)
    if fixed:
        data["status"] = "ditetapkan"
        data["penetapan"] = fixed
    for key in sorted(found.repeated, key=lambda k: tables.component(k).nomor):
        notes.note(key, "muncul lebih dari sekali di dokumen; uraiannya digabung")
    if "prosedur" in found.pictures:
        notes.note("prosedur", "sel memuat gambar (bagan alir) yang tidak diimpor; simpan gambarnya di folder unit "
                               "dan tulis bagan_alir: nama-berkas.png")
    hours = _service_hours(found)
    if hours:
        data["waktu_pelayanan"] = hours[0] if len(hours) == 1 else hours
    for comp in tables.components():
        lines = [line for line in found.lines.get(comp.key, []) if line.text]
        if lines:
            data.setdefault(comp.bagian, {})[comp.key] = component_value(comp.key, lines, notes)
        elif comp.key in found.lines:
            notes.note(comp.key, "uraiannya kosong di dokumen")
    return Imported(source, data, notes.unmapped, notes.notes)


def read_sp(path: Path | str, use_ocr: bool = False) -> Imported:
    """Read an SP document (.docx, or a text .pdf; a scanned .pdf with `use_ocr`) into layanan data."""
    path = Path(path)
    if path.suffix.lower() == ".pdf":
        found = read_pdf(path, use_ocr)
        imported = assemble(found, path)
        if found.ocr:
            imported.notes.append(ocr.NOTE)
        return imported
    return assemble(read_docx(path), path)


# ---------------------------------------------------------------------------------------------
# The command


@dataclass
class ImportResult:
    imported: Imported
    text: str  # the YAML
    issues: list[Issue]  # what validation still finds in it: what to fill in


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-") or "layanan"


def check_yaml(text: str, display: str, today: dt.date | None = None) -> list[Issue]:
    """Validate the YAML as a layanan file would be, naming it as the user will see it."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "layanan" / "impor.yaml"
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8")
        return [dataclasses.replace(issue, path=display) for issue in validate_file(path, today)]


def import_sp(source: Path | str, output: Path | str | None = None, *, force: bool = False,
              today: dt.date | None = None, use_ocr: bool = False) -> ImportResult:
    """Read `source`, validate the YAML, and write it to `output` (never over a file without
    `force`). Without `output` nothing is written: the caller prints `text`."""
    source = Path(source)
    output = Path(output) if output is not None else None
    if output is not None and output.exists() and not force:
        raise UserError(f"{display_path(output)} sudah ada; tidak ditimpa. Pilih nama lain dengan -o, "
                        "atau tambahkan --force untuk menimpanya")
    imported = read_sp(source, use_ocr)
    text = imported.to_yaml()
    display = display_path(output) if output is not None else f"{slug(imported.data['nama'])}.yaml"
    issues = check_yaml(text, display, today)
    if output is not None:
        write_text_atomic(output, text)
    return ImportResult(imported, text, issues)
