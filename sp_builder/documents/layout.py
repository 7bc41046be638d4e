"""The layout of Indonesian official documents (NASKAH.md) on top of the OOXML building blocks: the
paper and font of each document kind, the kop surat, the signature block, and the opening every
report shares. The conventions live here once; `ooxml.py` knows nothing of units or people."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.shared import Cm, Emu, Length, Mm, Pt
from docx.table import Table

from sp_builder import fmt_id, tables
from sp_builder.documents.ooxml import (
    CENTER, add_table, blank, para, picture_size, set_bottom_border, set_col_widths, set_font, text_width,
)
from sp_builder.errors import UserError
from sp_builder.unit.model import Person, Unit


DATE_PLACEHOLDER = "...................."



LOGO_BOX = (Cm(2.3), Cm(2.3))



def settings() -> dict:
    """Layout settings and default wording, `schemas/dokumen.yaml`."""
    return tables.load_data("dokumen.yaml")



def font_for(kind: str) -> str:
    """Font family of a document kind (sp, sk, maklumat, ...) from the settings; Arial otherwise."""
    conf = settings()
    family = conf["dokumen"].get(kind, {}).get("huruf", "surat")
    return conf["huruf"][family]



def paper_for(kind: str, unit: Unit | None = None) -> str:
    """The paper the unit sets for this kind (`Unit.paper_of`: `paper: F4` is the SK's and the
    SP's only, a mapping names any kind), else the kind's default from the settings."""
    chosen = unit.paper_of(kind) if unit is not None else None
    return chosen or settings()["dokumen"].get(kind, {}).get("kertas", "A4")



def kop_lines(unit: Unit) -> list[str]:
    """The address lines of a kop: address and telephone, then e-mail and website.

    A label and its value are joined by a no-break space so a wrapped line never separates them.
    """
    def labelled(key: str, label: str) -> str:
        return f"{label}\u00a0{unit.contact(key)}" if unit.contact(key) else ""

    first = ", ".join(part for part in (unit.contact("alamat"), labelled("telepon", "Telepon")) if part)
    second = ", ".join(part for part in (labelled("email", "Pos-el"), labelled("laman", "Laman")) if part)
    return [line for line in (first, second) if line]



def add_kop(doc, instansi: str, nama_unit: str, lines: Sequence[str], logo: Path | str | None) -> Table:
    """A kop perangkat daerah (NASKAH §1.5): logo left, centred text block, double rule below.

    The block is a borderless three-column table whose right column mirrors the logo column, so
    the text stays centred on the page with or without a logo. `logo` is an image path, or text
    placed in the logo cell (a template tag), or None. Texts are written as given: callers pass
    them upper-cased (or as template tags that upper-case them).
    """
    width = text_width(doc.sections[-1])
    side = Cm(2.5)
    table = add_table(doc, [side, Emu(width - 2 * side), side], borders=False)
    logo_cell, text_cell, _ = table.rows[0].cells
    for cell in (logo_cell, text_cell):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    logo_para = logo_cell.paragraphs[0]
    logo_para.alignment = CENTER
    if isinstance(logo, Path):
        w, h = picture_size(logo, *LOGO_BOX)
        logo_para.add_run().add_picture(str(logo), width=w, height=h)
    elif logo:
        logo_para.add_run(logo)
    first = text_cell.paragraphs[0]
    first.alignment = CENTER
    first.add_run(instansi).font.size = Pt(12)
    para(text_cell, nama_unit, bold=True, size=16, align=CENTER)
    for line in lines:
        para(text_cell, line, size=10, align=CENTER)
    rule = para(doc, size=4)
    set_bottom_border(rule)
    para(doc)
    return table



def add_kop_surat(doc, unit: Unit) -> Table:
    """The unit's kop: instansi (upper), unit (upper, bold), address and contacts, logo, rule."""
    logo = unit.logo if unit.logo and unit.logo.is_file() else None
    return add_kop(doc, unit.instansi.upper(), unit.nama.upper(), kop_lines(unit), logo)



@dataclass(frozen=True)
class Line:
    """One line of a right-hand block; `gap` leaves room for a signature above it."""

    text: str
    bold: bool = False
    underline: bool = False
    gap: bool = False



def signature_lines(place: str, date: dt.date | None, jabatan: str, person: Person, *,
                    ditetapkan: bool = False) -> list[Line]:
    """Lines of NASKAH §1.7: place and date, JABATAN, signature space, name, pangkat, NIP.

    An unknown date (a draft) prints a dotted blank to be filled in by hand. `ditetapkan` gives
    the two-line form of a Keputusan ("Ditetapkan di ..." / "pada tanggal ...").
    """
    when = fmt_id.tanggal(date) if date else DATE_PLACEHOLDER
    if ditetapkan:
        lines = [Line(f"Ditetapkan di {place}"), Line(f"pada tanggal {when}")]
    else:
        lines = [Line(f"{place}, {when}" if place else when)]
    lines.append(Line(f"{jabatan.upper()},"))
    lines.append(Line(person.nama, bold=True, underline=True, gap=True))
    if person.pangkat:
        lines.append(Line(person.pangkat))
    if person.nip:
        lines.append(Line(f"NIP. {fmt_id.nip(person.nip)}"))
    return lines



def add_right_block(doc, lines: Sequence[Line], *, space_before: float = 12) -> None:
    """Lines in the right half of the text width, kept together on one page."""
    indent = Emu(text_width(doc.sections[-1]) // 2)
    for n, line in enumerate(lines):
        before = space_before if n == 0 else (60 if line.gap else None)
        para(doc, line.text, bold=line.bold, underline=line.underline, left_indent=indent,
             space_before=before, keep_with_next=n < len(lines) - 1)



def add_signature_block(doc, place: str, date: dt.date | None, jabatan: str, person: Person, *,
                        ditetapkan: bool = False) -> None:
    """Place and date, JABATAN, space to sign, name (bold, underlined), pangkat, "NIP. ..."."""
    add_right_block(doc, signature_lines(place, date, jabatan, person, ditetapkan=ditetapkan))



def new_document(kind: str, unit: Unit | None = None):
    """A blank document with the page and font of a document kind (see `schemas/dokumen.yaml`)."""
    doc = Document(io.BytesIO(blank()))
    set_page(doc.sections[0], paper_for(kind, unit))
    set_font(doc, font_for(kind), settings()["huruf"]["ukuran"])
    return doc



def report_opening(kind: str, unit: Unit | None, title: str, *, size: float | None = None,
                   space_before: float | None = None):
    """Every report's first lines (SKM, self-assessment, evidence bundle cover, Matriks Perubahan):
    a blank document of the kind, the unit's kop when the unit names its instansi, and the centred
    bold title. One opening, so a unit without `instansi` gets the same reports from every command."""
    doc = new_document(kind, unit)
    if unit is not None and unit.instansi:
        add_kop_surat(doc, unit)
    para(doc, title, bold=True, size=size, align=CENTER, space_before=space_before)
    return doc


def paper_size(paper: str) -> tuple[Length, Length]:
    """(width, height) of a paper name from the settings: A4 210 × 297 mm, F4 215 × 330 mm."""
    sizes = settings()["kertas"]
    if paper not in sizes:
        raise UserError(f'ukuran kertas "{paper}" tidak dikenal; pilih salah satu: {", ".join(sizes)}')
    width, height = sizes[paper]
    return Mm(width), Mm(height)



def set_page(section, paper: str = "A4") -> None:
    """Portrait page of the given paper with the margins of NASKAH §1.4 (2 / 2,5 / 3 / 2 cm)."""
    width, height = paper_size(paper)
    margins = settings()["tepi_cm"]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = width, height
    section.top_margin = Cm(margins["atas"])
    section.bottom_margin = Cm(margins["bawah"])
    section.left_margin = Cm(margins["kiri"])
    section.right_margin = Cm(margins["kanan"])
    section.header_distance = Cm(1.0)
    section.footer_distance = Cm(1.0)



def set_paper(doc, paper: str) -> None:
    """Change the paper of every section of a finished document and rescale its tables.

    Templates are laid out for one paper; a unit may ask for another. Tables are scaled by the
    change in text width so they keep filling the line instead of running into the margin.
    """
    old = text_width(doc.sections[0])
    for section in doc.sections:
        set_page(section, paper)
    new = text_width(doc.sections[0])
    if old != new:
        for table in doc.tables:
            grid = table._tbl.tblGrid.gridCol_lst
            set_col_widths(table, [Emu(int(col.w * new / old)) for col in grid if col.w is not None])
