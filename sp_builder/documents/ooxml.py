"""OOXML plumbing shared by every generated Word document: paragraphs, fields, borders, tables
with their grid, pictures, core properties and deterministic, atomic saving. It takes python-docx
objects and plain values only; the conventions of official documents (paper, kop, signature) are
`layout.py`'s. The functions also serve `tools/build_templates.py`, which writes Jinja tags where a
document would hold data.

Widths are always written on the table *grid* (`w:gridCol`) as well as on the cells: LibreOffice
lays tables out from the grid and ignores cell widths, Word uses both.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import zipfile
from pathlib import Path
from typing import Collection, Sequence

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.image.image import Image
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.pkgwriter import PackageWriter
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Length, Pt
from docx.table import Table, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from sp_builder.errors import UserError
from sp_builder.files import display_path
from sp_builder.write import write_bytes_atomic

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
DEFAULT_TIMESTAMP = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

CENTER = WD_ALIGN_PARAGRAPH.CENTER
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY
RIGHT = WD_ALIGN_PARAGRAPH.RIGHT


def xml_safe(text: str) -> str:
    """The text as a document can hold it: without the characters XML 1.0 cannot carry (NUL, most
    C0 controls, lone surrogates), which lxml refuses, and with Windows and old Mac line ends made
    plain newlines (a carriage return would otherwise become a second line break). Tabs stay."""
    return _NOT_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


# ---------------------------------------------------------------------------------------------
# Page and fonts


def text_width(section) -> Length:
    return Emu(section.page_width - section.left_margin - section.right_margin)


def set_font(doc, name: str, size: float = 12) -> None:
    """Base font of the document (Normal style, all scripts) with single spacing and no gaps."""
    style = doc.styles["Normal"]
    style.font.name = name
    style.font.size = Pt(size)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    fmt = style.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0


# ---------------------------------------------------------------------------------------------
# Paragraphs


def para(container, text: str = "", *, bold: bool = False, underline: bool = False,
         size: float | None = None, align=None, style: str | None = None,
         space_before: float | None = None, space_after: float | None = None,
         keep_with_next: bool = False, left_indent: Length | None = None):
    """Add one paragraph with one run to a document, cell or header; sizes in points."""
    paragraph = container.add_paragraph(style=style)
    if text:
        run = paragraph.add_run(xml_safe(text))
        run.bold = bold or None
        run.underline = underline or None
        if size:
            run.font.size = Pt(size)
    fmt = paragraph.paragraph_format
    if align is not None:
        paragraph.alignment = align
    if space_before is not None:
        fmt.space_before = Pt(space_before)
    if space_after is not None:
        fmt.space_after = Pt(space_after)
    if keep_with_next:
        fmt.keep_with_next = True
    if left_indent is not None:
        fmt.left_indent = left_indent
    return paragraph


def set_page_break_before(paragraph) -> None:
    paragraph.paragraph_format.page_break_before = True


def set_bottom_border(paragraph, val: str = "thickThinSmallGap", size_eighths: int = 24) -> None:
    """A rule under the paragraph; the default is the thick-over-thin double rule of a kop."""
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", val), ("w:sz", str(size_eighths)), ("w:space", "1"), ("w:color", "auto")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    # w:pBdr must precede w:shd, w:tabs, w:spacing, w:ind and w:jc in w:pPr
    successors = {qn(t) for t in ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc")}
    anchor = next((child for child in p_pr if child.tag in successors), None)
    if anchor is None:
        p_pr.append(borders)
    else:
        anchor.addprevious(borders)


def add_field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) computed by the word processor when the page is laid out."""
    def char(kind: str):
        run = OxmlElement("w:r")
        fld = OxmlElement("w:fldChar")
        fld.set(qn("w:fldCharType"), kind)
        run.append(fld)
        return run

    instr_run = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    instr_run.append(instr)
    placeholder = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    placeholder.append(text)
    for element in (char("begin"), instr_run, char("separate"), placeholder, char("end")):
        paragraph._p.append(element)


def add_page_number(section) -> None:
    """"- 2 -" centred at the top from page 2; page 1 carries no number (NASKAH §0)."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = CENTER
    paragraph.add_run("- ")
    add_field(paragraph, "PAGE")
    paragraph.add_run(" -")


def picture_size(path: Path | bytes, max_width: Length, max_height: Length) -> tuple[Length, Length]:
    """The largest size of an image (a file, or its bytes) that fits a box keeping its aspect ratio."""
    try:
        image = Image.from_blob(path) if isinstance(path, bytes) else Image.from_file(str(path))
    except Exception as exc:  # python-docx raises several types for unreadable images
        name = "gambar" if isinstance(path, bytes) else f"gambar {display_path(path)}"
        raise UserError(f"{name} tidak dapat dibaca; gunakan PNG atau JPEG") from exc
    width, height = image.width, image.height
    scale = min(max_width / width, max_height / height)
    return Emu(int(width * scale)), Emu(int(height * scale))


# ---------------------------------------------------------------------------------------------
# Kop surat


# ---------------------------------------------------------------------------------------------
# Signature block


# ---------------------------------------------------------------------------------------------
# Tables

_TBLPR_ORDER = (
    "w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders",
    "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
)


def _put_tblpr(table: Table, element) -> None:
    """Replace or insert a child of w:tblPr at its schema position."""
    tbl_pr = table._tbl.tblPr
    for old in tbl_pr.findall(element.tag):
        tbl_pr.remove(old)
    rank = {qn(tag): n for n, tag in enumerate(_TBLPR_ORDER)}
    mine = rank[element.tag]
    later = next((child for child in tbl_pr if rank.get(child.tag, -1) > mine), None)
    if later is None:
        tbl_pr.append(element)
    else:
        later.addprevious(element)


def set_col_widths(table: Table, widths: Sequence[Length]) -> None:
    """Fixed column widths on the grid (read by LibreOffice), the cells and the table width."""
    for col, width in zip(table._tbl.tblGrid.gridCol_lst, widths):
        col.w = Emu(width)
    for tr in table._tbl.tr_lst:  # the XML cells directly: python-docx's row.cells recomputes the grid
        for tc, width in zip(tr.tc_lst, widths):
            tc.width = Emu(width)
    total = OxmlElement("w:tblW")
    total.set(qn("w:w"), str(int(sum(widths) / 635)))  # EMU → twips
    total.set(qn("w:type"), "dxa")
    _put_tblpr(table, total)
    table.autofit = False


def set_borders(table: Table, on: bool = True, size_eighths: int = 4) -> None:
    """Single thin borders on every edge and between all cells, or none at all."""
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single" if on else "nil")
        if on:
            element.set(qn("w:sz"), str(size_eighths))
            element.set(qn("w:space"), "0")
            element.set(qn("w:color"), "auto")
        borders.append(element)
    _put_tblpr(table, borders)


def set_cell_margins(table: Table, left_right: Length, top_bottom: Length = Emu(0)) -> None:
    """Inner cell margins of the whole table (Word's default is 0,19 cm left and right)."""
    margins = OxmlElement("w:tblCellMar")
    for side, size in (("top", top_bottom), ("left", left_right), ("bottom", top_bottom), ("right", left_right)):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), str(int(size / 635)))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    _put_tblpr(table, margins)


def repeat_header(row: _Row) -> None:
    """Repeat this row at the top of every page the table runs onto."""
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn("w:tblHeader")) is None:
        tr_pr.append(OxmlElement("w:tblHeader"))


def set_cant_split(row: _Row, cant_split: bool) -> None:
    """Forbid (True) or allow (False) a row to break across pages.

    Long SP rows (200 requirements) must be allowed to split, otherwise Word pushes them to the
    next page and LibreOffice clips them.
    """
    tr_pr = row._tr.get_or_add_trPr()
    for old in tr_pr.findall(qn("w:cantSplit")):
        tr_pr.remove(old)
    if cant_split:
        element = OxmlElement("w:cantSplit")
        anchor = next((c for c in tr_pr if c.tag in {qn("w:trHeight"), qn("w:tblHeader")}), None)
        if anchor is None:
            tr_pr.append(element)
        else:
            anchor.addprevious(element)


def add_table(container, widths: Sequence[Length], header: Sequence[str] | None = None, *,
              borders: bool = True, rows: int = 1) -> Table:
    """A fixed-width table; with `header`, a bold centred first row repeated on every page.

    `rows` counts the body rows (after the header). Rows may split across pages (new rows carry no
    cantSplit, which is Word's default).
    """
    n_rows = rows + (1 if header else 0)
    table = container.add_table(rows=n_rows, cols=len(widths))
    set_col_widths(table, widths)
    set_borders(table, borders)
    if header:
        first = table.rows[0]
        repeat_header(first)
        for cell, title in zip(first.cells, header):
            paragraph = cell.paragraphs[0]
            paragraph.alignment = CENTER
            paragraph.add_run(title).bold = True
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    return table


def fill_rows(table: Table, rows: Sequence[Sequence[str]], *, start: int = 1, right: Collection[int] = (),
              center: Collection[int] = ()) -> None:
    """Write rows of text into a table from row `start` on (1: after add_table's header); columns
    in `right` / `center` are aligned so. Works on the XML cells directly (python-docx's
    `row.cells` recomputes the grid for every row)."""
    for tr, values in zip(table._tbl.tr_lst[start:], rows):
        for n, (tc, value) in enumerate(zip(tr.tc_lst, values)):
            paragraph = Paragraph(tc.p_lst[0], table)
            paragraph.text = value
            if n in right:
                paragraph.alignment = RIGHT
            elif n in center:
                paragraph.alignment = CENTER


WORD_CELL_MARGIN = Cm(0.19)  # Word's and LibreOffice's default inner margin, left and right


_NARROW = set("ijlftrI.,;:!'()[]|/-")
_WIDE = set("mwMW%@")


def word_width(word: str, size: float = 12, *, bold: bool = False) -> Length:
    """A generous estimate of a word's printed width in Arial (Liberation Sans): i, l, t, r and
    punctuation 0,33 em, m and w 0,89 em, other capitals 0,72 em, other letters and digits 0,58 em,
    bold 8 % wider. Used to keep a column wide enough for its longest word, so LibreOffice never
    breaks one inside a cell ("N / o", "Kenaik / an")."""
    ems = sum(0.33 if ch in _NARROW else 0.89 if ch in _WIDE else 0.72 if ch.isupper() else 0.58
              for ch in word)
    return Emu(int(ems * size * (1.08 if bold else 1.0) * 12700))


def fit_widths(widths: Sequence[Length], header: Sequence[str], rows: Sequence[Sequence[str]], *,
               size: float = 12, margin: Length = WORD_CELL_MARGIN) -> list[Length] | None:
    """The widths unchanged when every column holds its longest word (header bold); otherwise the
    narrow columns widened to it, the room taken from the others in proportion to what they can
    spare (the total stays the same); None when the columns cannot all hold their longest word."""
    need = []
    for n, width in enumerate(widths):
        texts = ([(header[n], True)] if header and n < len(header) else []) + \
            [(row[n], False) for row in rows if n < len(row)]
        longest = max((word_width(word, size, bold=bold) for text, bold in texts for word in str(text).split()),
                      default=0)
        need.append(Emu(int(longest * 1.05) + 2 * margin + Cm(0.05)))
    short = sum(max(0, n - w) for w, n in zip(widths, need))
    if not short:
        return list(widths)
    spare = [max(0, w - n) for w, n in zip(widths, need)]
    if sum(spare) < short:
        return None
    out = [max(w, n) if n > w else int(w - short * sp / sum(spare)) for w, n, sp in zip(widths, need, spare)]
    out[spare.index(max(spare))] += sum(widths) - sum(out)  # rounding, to the roomiest column
    return [Emu(w) for w in out]


def text_table(container, widths: Sequence[Length], header: Sequence[str], rows: Sequence[Sequence[str]], *,
               right: Collection[int] = (), center: Collection[int] = (), size: float = 12) -> Table:
    """A bordered table with a repeated header row and these rows of text. A column too narrow for
    its longest word is widened (`fit_widths`); when the columns cannot all be, the table's type is
    made up to 3 pt smaller until they can."""
    fitted, smaller = None, size
    for smaller in (size, size - 1, size - 2, size - 3):
        fitted = fit_widths(widths, header, rows, size=smaller)
        if fitted is not None:
            break
    table = add_table(container, fitted or widths, header, rows=len(rows))
    fill_rows(table, rows, right=right, center=center)
    if smaller != size and fitted is not None:  # a smaller type only where the words do not fit
        for run in table._tbl.iter(qn("w:r")):
            Run(run, table).font.size = Pt(smaller)
    return table


def percent_widths(section, percents: Sequence[float]) -> list[Length]:
    """Column widths as percentages of the section's text width (the last takes the rest)."""
    width = text_width(section)
    sizes = [Emu(int(width * p / 100)) for p in percents[:-1]]
    return sizes + [Emu(width - sum(sizes))]


# ---------------------------------------------------------------------------------------------
# Properties and saving


def set_core_properties(doc, *, title: str, author: str, subject: str = "",
                        when: dt.datetime | dt.date | None = None) -> None:
    """Fixed metadata: the same input must give the same bytes, so no clock is read here."""
    if isinstance(when, dt.date) and not isinstance(when, dt.datetime):
        when = dt.datetime(when.year, when.month, when.day, tzinfo=dt.timezone.utc)
    when = when or DEFAULT_TIMESTAMP
    props = doc.core_properties
    props.title = xml_safe(title)
    props.subject = xml_safe(subject)
    props.author = xml_safe(author)
    props.last_modified_by = "sp-builder"
    props.comments = ""
    props.keywords = ""
    props.category = ""
    props.revision = 1
    props.created = when
    props.modified = when
    props.last_printed = when


class _FixedZipWriter:
    """python-docx's package-writer interface over a zip with fixed entry times and attributes.

    python-docx stamps every zip entry with the current time, so two saves of one document
    differ; entries written here are byte-identical from run to run. Already-compressed media
    are stored as they are.
    """

    def __init__(self, target):
        self._zip = zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED)

    def write(self, pack_uri, blob: bytes) -> None:
        name = pack_uri.membername
        info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
        stored = name.lower().endswith((".png", ".jpg", ".jpeg", ".gif"))
        info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        info.create_system = 0
        info.external_attr = 0
        self._zip.writestr(info, blob)

    def close(self) -> None:
        self._zip.close()


def to_bytes(doc) -> bytes:
    """The document as deterministic .docx bytes, written in one pass.

    Uses python-docx's own part serialisation (PackageWriter) with the fixed-time zip writer
    above, instead of saving and re-zipping.
    """
    package = doc.part.package
    for part in package.parts:
        part.before_marshal()
    out = io.BytesIO()
    writer = _FixedZipWriter(out)
    PackageWriter._write_content_types_stream(writer, package.parts)
    PackageWriter._write_pkg_rels(writer, package.rels)
    PackageWriter._write_parts(writer, package.parts)
    writer.close()
    return out.getvalue()


_UNNEEDED_RELTYPES = {
    RT.THUMBNAIL,  # the preview image of python-docx's own default template
    RT.CUSTOM_XML,  # its bibliography sources
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",  # Word 2010 copy of styles.xml
}
_STYLE_REFS = tuple(qn(tag) for tag in ("w:pStyle", "w:rStyle", "w:tblStyle", "w:numStyleLink", "w:styleLink"))
_STYLE_LINKS = tuple(qn(tag) for tag in ("w:basedOn", "w:next", "w:link"))


def _kept(p) -> bool:
    ppr = p.pPr
    return ppr is not None and ppr.find(qn("w:keepNext")) is not None and \
        ppr.find(qn("w:keepNext")).get(qn("w:val"), "true") not in ("0", "false")


def heads_table(p) -> bool:
    """A kept paragraph that, with the kept or empty paragraphs after it, leads into a table with a
    header row: the heading of the next data table (a Berita Acara's "2. Standar Pelayanan ..."),
    not a closing block (which may lead into a signature table, one without a header row)."""
    following = p
    while following is not None and following.tag == qn("w:p") and \
            (_kept(following) or not "".join(following.itertext()).strip()):
        following = following.getnext()
    if following is None or following.tag != qn("w:tbl"):
        return False
    first = following.find(qn("w:tr"))
    return first is not None and first.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None


def keep_table_ends_with_next(doc, rows: int = 2) -> int:
    """A table followed (after empty paragraphs) by a block kept together with keep-with-next, such
    as a closing or signature block, is kept with that block: keep-with-next on the paragraphs of
    its last `rows` body rows, or of every body row when no row may split (a daftar hadir), and on
    the empty paragraphs between. Returns the tables changed. The heading of the next table
    (`heads_table`) is no such block: it is kept with its own table, and chaining the tables before
    it to it pushed a Berita Acara's agreement tables together onto the next page.

    Measured with LibreOffice 7.4 on the samples: the last two rows kept bring the Berita Acara's
    closing over with its last agreements; the daftar hadir's signature (rows that cannot split)
    stays with its table only when every row is kept. Marking every row of an SP table, whose rows
    may split, made it worse (rows moved together, the signature still alone), so SP tables get the
    last two. Rows repeated by a template loop cannot be told apart in the template, so this runs on
    the rendered document."""
    changed = 0
    body = doc.element.body
    for tbl in body.iterchildren(qn("w:tbl")):
        between = []
        following = tbl.getnext()
        while following is not None and following.tag == qn("w:p") and not "".join(following.itertext()).strip():
            between.append(following)
            following = following.getnext()
        if following is None or following.tag != qn("w:p") or not _kept(following) or heads_table(following):
            continue  # nothing kept after it, or only the heading of the next table (kept with that table)
        body_rows = [tr for tr in tbl.iterchildren(qn("w:tr")) if tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is None]
        whole = all(tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for tr in body_rows)
        kept_rows = body_rows if whole else body_rows[-rows:]
        for p in [p for tr in kept_rows for p in tr.iter(qn("w:p"))] + between:
            if not _kept(p):
                ppr = p.get_or_add_pPr()
                for old in ppr.findall(qn("w:keepNext")):
                    ppr.remove(old)
                ppr._insert_keepNext(OxmlElement("w:keepNext"))
        changed += 1
    return changed


def slim(doc) -> None:
    """Drop the bulk python-docx's default template carries and no document here uses.

    That template holds some 800 kB of unused style definitions (latent styles, dozens of table
    styles, a second styles part) plus a thumbnail and bibliography parts; every render would
    parse, serialise and compress them. Kept: styles referenced by the body, headers, footers or
    numbering (with what they are based on or linked to) and the default styles. Call it last,
    once nothing will add a paragraph with a style not used so far.
    """
    for rels in (doc.part.package.rels, doc.part.rels):
        for r_id in [r_id for r_id, rel in rels.items() if rel.reltype in _UNNEEDED_RELTYPES]:
            del rels[r_id]
    roots = [doc.part.element] + [
        rel.target_part.element for rel in doc.part.rels.values()
        if not rel.is_external and rel.reltype in (RT.HEADER, RT.FOOTER, RT.NUMBERING)
    ]
    wanted = {el.get(qn("w:val")) for root in roots for tag in _STYLE_REFS for el in root.iter(tag)}
    styles = doc.styles.element
    by_id = {style.get(qn("w:styleId")): style for style in styles.iterchildren(qn("w:style"))}
    wanted |= {sid for sid, style in by_id.items() if style.get(qn("w:default")) in ("1", "true")}
    pending = list(wanted)
    while pending:
        style = by_id.get(pending.pop())
        for tag in _STYLE_LINKS:
            link = style.find(tag) if style is not None else None
            if link is not None and link.get(qn("w:val")) not in wanted:
                wanted.add(link.get(qn("w:val")))
                pending.append(link.get(qn("w:val")))
    for sid, style in by_id.items():
        if sid not in wanted:
            styles.remove(style)
    latent = styles.find(qn("w:latentStyles"))
    if latent is not None:
        styles.remove(latent)


def save(doc, path: Path) -> None:
    """Save deterministically and atomically (a reader never sees a half-written file)."""
    write_bytes_atomic(Path(path), to_bytes(doc))


@functools.cache
def blank() -> bytes:
    """python-docx's default document with its unused styles dropped: parsing it takes under 1 ms
    instead of ~8 ms, which counts when a build makes a report per unit."""
    doc = Document()
    section = doc.sections[0]
    for part in (section.header, section.footer):
        part.paragraphs  # creates the part, so slim keeps the Header/Footer styles it refers to
    slim(doc)
    section.header.is_linked_to_previous = True  # and drops the empty parts again
    section.footer.is_linked_to_previous = True
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


