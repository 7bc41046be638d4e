"""SOP AP (Standar Operasional Prosedur Administrasi Pemerintahan, PermenPANRB 35/2012) per service.

Built with python-docx (no template): two landscape parts, as published SOPs have them.

1. The identity sheet: the unit (logo, instansi, unit) beside Nomor SOP, Tanggal Pembuatan, Tanggal
   Revisi, Tanggal Efektif, Disahkan oleh (the head of the unit unless `sop.disahkan_oleh` says
   otherwise) and Nama SOP; then the grid Dasar Hukum | Kualifikasi Pelaksana, Keterkaitan |
   Peralatan/Perlengkapan, Peringatan | Pencatatan dan Pendataan. Dasar hukum, kualifikasi
   (kompetensi_pelaksana) and peralatan (sarana_prasarana) come from the SP, worded as in the SP;
   the rest from the service file's optional `sop:` mapping::

       sop:
         nomor: 800/012/SOP/2026
         tanggal_pembuatan: 2026-01-05
         tanggal_revisi: 2026-02-01
         tanggal_efektif: 2026-02-10
         disahkan_oleh: {jabatan: Kepala Dinas, nama: ..., nip: ...}   # default: unit.yaml pimpinan
         keterkaitan: [SOP Pengaduan Masyarakat]
         peringatan: Bila SOP ini tidak dilaksanakan, pelayanan tertunda
         pencatatan: [Buku register, Aplikasi SIAK]

   A field left out prints a dotted blank to fill by hand.
2. The flowchart table: No | Kegiatan | one column per pelaksana (in order of first appearance; the
   steps' `pelaksana`) holding the step's symbol (capsule for the first and last step, diamond for
   a decision, rectangle otherwise; `flowchart.draw_symbol`) and the arrows connecting them (see
   "The connecting arrows" below) | Mutu Baku: Kelengkapan, Waktu, Output | Keterangan. Both
   header rows repeat on every page. A procedure that does not fit a page (or longer than
   `STEPS_PER_PAGE`) continues on the next, the flow carried by lettered off-page connectors
   (pentagons "A", "B", ...) at the foot of one page and the head of the next, in the lanes of the
   steps they join.
"""

from __future__ import annotations

import dataclasses
import functools
import io
from typing import Any

from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Mm, Pt
from PIL import Image, ImageChops, ImageDraw, ImageFont, ImageOps

from sp_builder import fmt_id
from sp_builder.documents import flowchart, layout, ooxml
from sp_builder.errors import UserError
from sp_builder.unit import wording
from sp_builder.unit.model import Service, Unit, as_date, as_list

__all__ = ["STEPS_PER_PAGE", "build", "context", "services_with_steps"]

STEPS_PER_PAGE = 14  # rows of the flowchart table per page at most; fewer when rows are tall
FONT_SIZE = 10
IDENTITY_SIZES = (9, 8.5, 8, 7.5, 7)  # the identity sheet's lists: the largest at which it fits one page
BLANK = "…………………………"
SYMBOL_MAX_MM = (24.0, 14.0)  # a symbol's largest size in its lane cell
SYMBOL_SHARE = 0.7  # of the lane's width at most: room beside it for a decision's Tidak line

# Column widths of the flowchart table in percent of the text width; the pelaksana columns share
# what is left.
WIDTHS = {"no": 4, "kegiatan": 21, "kelengkapan": 12, "waktu": 7, "output": 11, "keterangan": 11}


# ---------------------------------------------------------------------------------------------
# Context (plain data, made in the planning process)


def services_with_steps(unit: Unit) -> list[tuple[Service, list[flowchart.Step]]]:
    """The services whose procedure can be read as steps (validation reports the others)."""
    out = []
    for service in unit.services:
        try:
            steps = flowchart.read_steps(service.raw("prosedur"))
        except UserError:
            continue
        out.append((service, steps))
    return out


def _texts(value: Any) -> list[str]:
    return [fmt_id.fold(str(v)) for v in as_list(value) if v is not None and str(v).strip()]


def _lines(value: Any) -> list[dict]:
    """One text as a line, several numbered (as the SP shows its lists)."""
    texts = _texts(value)
    return wording.numbered(texts) if len(texts) > 1 else [wording.line(t) for t in texts]


def _date(value: Any) -> str:
    when = as_date(value)
    if when:
        return fmt_id.tanggal(when)
    return fmt_id.fold(str(value)) if value not in (None, "") else BLANK


def _signer(unit: Unit, value: Any) -> dict:
    if isinstance(value, dict):
        nip = str(value.get("nip") or "")
        return {"jabatan": fmt_id.fold(str(value.get("jabatan") or "")), "nama": fmt_id.fold(str(value.get("nama") or "")),
                "nip": fmt_id.nip(nip) if nip.replace(" ", "").isdigit() else nip}
    if isinstance(value, str) and value.strip():
        return {"jabatan": fmt_id.fold(value), "nama": "", "nip": ""}
    head = unit.pimpinan
    return {"jabatan": head.jabatan, "nama": head.nama, "nip": fmt_id.nip(head.nip) if head.nip else ""}


def _lanes(steps: list[flowchart.Step]) -> tuple[list[str], list[int]]:
    names: list[str] = []
    keys: dict[str, int] = {}
    index = []
    for step in steps:
        name = step.pelaksana or flowchart.DEFAULT_LANE
        key = " ".join(name.split()).casefold()
        if key not in keys:
            keys[key] = len(names)
            names.append(name)
        index.append(keys[key])
    return names, index


def _keterangan(step: flowchart.Step, total: int) -> list[str]:
    """The step's keterangan, and for a decision where each answer leads (one line each)."""
    parts = [step.keterangan] if step.keterangan else []
    if step.is_decision:
        ya = f"langkah {step.nomor + 1}" if step.nomor < total else "selesai"
        tidak = "selesai" if step.jika_tidak == flowchart.SELESAI else f"langkah {step.jika_tidak}"
        parts += [f"Ya: {ya}", f"Tidak: {tidak}"]
    return parts


def context(unit: Unit, service: Service, steps: list[flowchart.Step]) -> dict:
    """Everything the SOP of one service shows, as display-ready strings."""
    sop = service.data.get("sop") if isinstance(service.data.get("sop"), dict) else {}
    lanes, lane_of = _lanes(steps)
    total = len(steps)
    rows = []
    for step, lane in zip(steps, lane_of):
        if step.is_decision:
            symbol = ("keputusan", "")
        elif step.nomor == 1:
            symbol = ("kapsul", "Mulai")
        elif step.nomor == total:
            symbol = ("kapsul", "Selesai")
        else:
            symbol = ("kegiatan", "")
        rows.append({
            "nomor": str(step.nomor), "kegiatan": step.uraian, "rincian": list(step.rincian),
            "lajur": lane, "simbol": symbol, "jika_tidak": step.jika_tidak,
            "kelengkapan": list(step.kelengkapan), "waktu": step.waktu or "", "output": step.output or "",
            "keterangan": _keterangan(step, total),
        })
    logo = unit.logo
    return {
        "instansi": unit.instansi, "unit": unit.nama,
        "logo": str(logo) if logo and logo.is_file() else "",
        "kertas": layout.paper_for("sop", unit),
        "font": layout.font_for("sop"),
        "identitas": [
            ("Nomor SOP", fmt_id.fold(str(sop.get("nomor") or "")) or BLANK),
            ("Tanggal Pembuatan", _date(sop.get("tanggal_pembuatan"))),
            ("Tanggal Revisi", _date(sop.get("tanggal_revisi")) if sop.get("tanggal_revisi") else "-"),
            ("Tanggal Efektif", _date(sop.get("tanggal_efektif") or service.penetapan_tanggal)),
        ],
        "disahkan": _signer(unit, sop.get("disahkan_oleh")),
        "nama": fmt_id.fold(service.nama),
        "kisi": [
            ("Dasar Hukum", wording.component_lines(service, "dasar_hukum"),
             "Kualifikasi Pelaksana", wording.component_lines(service, "kompetensi_pelaksana")),
            ("Keterkaitan", _lines(sop.get("keterkaitan")),
             "Peralatan/Perlengkapan", wording.component_lines(service, "sarana_prasarana")),
            ("Peringatan", _lines(sop.get("peringatan")),
             "Pencatatan dan Pendataan", _lines(sop.get("pencatatan"))),
        ],
        "pelaksana": lanes,
        "langkah": rows,
    }


# ---------------------------------------------------------------------------------------------
# The document


@functools.lru_cache(maxsize=64)
def _symbol(kind: str, label: str) -> bytes:
    return flowchart.draw_symbol(kind, label, "png", compact=True)


def _landscape(section, paper: str) -> None:
    layout.set_page(section, paper)
    width, height = layout.paper_size(paper)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = height, width
    section.top_margin = section.bottom_margin = Cm(1.5)
    section.left_margin = section.right_margin = Cm(2.0)


def _write(cell, lines: list[str], *, bold: bool = False, align=None, size: float = FONT_SIZE) -> None:
    """The cell's text, one paragraph a line (the first in the cell's own paragraph)."""
    for n, text in enumerate(lines or [""]):
        paragraph = cell.paragraphs[0] if n == 0 else cell.add_paragraph()
        if text:
            run = paragraph.add_run(ooxml.xml_safe(text))
            run.bold = bold or None
            run.font.size = Pt(size)
        if align is not None:
            paragraph.alignment = align


def _numbered(lines: list[dict]) -> list[str]:
    return [f"{line['nomor']}\t{line['teks']}" if line["nomor"] else line["teks"] for line in lines]


HANG = Cm(0.6)
PAD = Pt(1.5)  # above and below a text cell's text in the flowchart table


def _pad(cell) -> None:
    cell.paragraphs[0].paragraph_format.space_before = PAD
    cell.paragraphs[-1].paragraph_format.space_after = PAD


def _write_list(cell, lines: list[str], size: float) -> None:
    """Numbered lines ("1.<tab>text") with a hanging indent, so wrapped text clears the number."""
    _write(cell, lines or ["-"], size=size)
    for paragraph in cell.paragraphs:
        if "\t" in paragraph.text:
            fmt = paragraph.paragraph_format
            fmt.left_indent, fmt.first_line_indent = HANG, -HANG
            fmt.tab_stops.add_tab_stop(HANG)


def _set_row_height(row, height: Emu) -> None:
    """The row at least this tall (w:trHeight atLeast): as tall as its drawing unless its text needs more."""
    tr_pr = row._tr.get_or_add_trPr()
    element = OxmlElement("w:trHeight")
    element.set(qn("w:val"), str(int(height) // 635))  # twentieths of a point
    element.set(qn("w:hRule"), "atLeast")
    tr_pr.append(element)


def _cell_margins(cell, left_right: Emu = Emu(0), top_bottom: Emu = Emu(0)) -> None:
    """The cell's own inner margins (w:tcMar)."""
    margins = OxmlElement("w:tcMar")
    for side, size in (("top", top_bottom), ("left", left_right), ("bottom", top_bottom), ("right", left_right)):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), str(int(size) // 635))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    cell._tc.get_or_add_tcPr().append(margins)


def _mark_size(paragraph, size: Pt) -> None:
    """The size of the paragraph mark, which sets the height of an empty paragraph's line."""
    p_pr = paragraph._p.get_or_add_pPr()
    r_pr = p_pr.find(qn("w:rPr"))
    if r_pr is None:
        r_pr = OxmlElement("w:rPr")
        p_pr.append(r_pr)
    for tag in ("w:sz", "w:szCs"):
        element = OxmlElement(tag)
        element.set(qn("w:val"), str(int(size.pt * 2)))
        r_pr.append(element)


def _slice(cell, png: bytes | None, width: Emu, height: Emu, note: str) -> None:
    """A lane cell of a step row: its slice of the row's drawing, edge to edge (no cell margins,
    no paragraph spacing, a 1 pt paragraph mark), or nothing when the row draws nothing there."""
    _cell_margins(cell)
    paragraph = cell.paragraphs[0]
    fmt = paragraph.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0
    _mark_size(paragraph, Pt(1))
    if png is not None:
        run = paragraph.add_run()
        run.font.size = Pt(1)
        shape = run.add_picture(io.BytesIO(png), width=width, height=Emu(int(height) - int(Mm(0.1))))
        for side in ("distT", "distB", "distL", "distR"):  # LibreOffice's default is 0,32 cm a side
            shape._inline.set(side, "0")
        shape._inline.docPr.set("descr", ooxml.xml_safe(note))


def _merge_right(row, start: int) -> Any:
    cell = row.cells[start]
    return cell.merge(row.cells[-1]) if start < len(row.cells) - 1 else cell


def _run_in(lines: list[dict]) -> list[dict]:
    """A list as one paragraph, "1. Ruang tunggu; 2. Toilet; …": how a long list of short items
    still fits the identity sheet's page."""
    return [{"nomor": "", "teks": "; ".join(f"{x['nomor']} {x['teks']}".strip() for x in lines)}] if lines else []


def _identity_mm(kisi: list, identitas: int, half_mm: float, size: float) -> float:
    """The identity sheet's height with its lists at `size` points: the upper block (one line a
    field, six for the signature) and each pair of lists under its heading, the lines counted with
    the font's own widths (flowchart.wrap_width: Liberation Sans, the SOP's font) in the column
    less its margins and the hanging number, a line 1,15 times the point size."""
    line = 1.15 * size * 25.4 / 72
    points = (half_mm - 3) / 25.4 * 72

    def height(lines: list[dict]) -> float:
        width = points - (HANG.pt if any(item["nomor"] for item in lines) else 0)
        return max(1, sum(len(flowchart.wrap_width(item["teks"], width, size)) for item in lines)) * line

    upper = (identitas + 1 + 6 + 2) * 4.3
    return upper + sum(line + 2 + max(height(left), height(right)) + 1 for _, left, _, right in kisi)


def _fitted_identity(section, ctx: dict) -> tuple[float, list]:
    """The lists' size and the lists themselves, so the sheet fits its page: the largest size down
    to 8 pt; failing that, the longest list run in and those sizes again, list by list; only then
    the smallest sizes."""
    room = (section.page_height - section.top_margin - section.bottom_margin) / 36000 - 3
    half = ooxml.text_width(section) / 36000 / 2
    kisi = [list(pair) for pair in ctx["kisi"]]

    def fits(size: float) -> bool:
        return _identity_mm(kisi, len(ctx["identitas"]), half, size) <= room

    readable = [size for size in IDENTITY_SIZES if size >= 8]
    while True:
        size = next((size for size in readable if fits(size)), None)
        if size is not None:
            return size, kisi
        longest = max(((len(pair[k]), n, k) for n, pair in enumerate(kisi) for k in (1, 3) if len(pair[k]) > 1),
                      default=None)
        if longest is None:
            return next((size for size in IDENTITY_SIZES if fits(size)), IDENTITY_SIZES[-1]), kisi
        _, n, k = longest
        kisi[n][k] = _run_in(kisi[n][k])


def _identity(doc, ctx: dict) -> None:
    width = ooxml.text_width(doc.sections[0])
    half = Emu(width // 2)
    widths = [half, Emu(int(width * 0.16)), Emu(width - half - int(width * 0.16))]
    rows = len(ctx["identitas"]) + 2  # + Disahkan oleh, Nama SOP
    table = ooxml.add_table(doc, widths, rows=rows + 6)
    ooxml.set_cell_margins(table, Cm(0.15), Cm(0.05))
    for n, (label, value) in enumerate(ctx["identitas"] + [("Disahkan oleh", ""), ("Nama SOP", ctx["nama"])]):
        row = table.rows[n]
        _write(row.cells[1], [label])
        if label == "Disahkan oleh":
            signer = ctx["disahkan"]
            _write(row.cells[2], [signer["jabatan"], "", "", "", signer["nama"] or BLANK,
                                  f"NIP. {signer['nip']}" if signer["nip"] else ""], align=ooxml.CENTER)
            if signer["nama"]:
                row.cells[2].paragraphs[4].runs[0].bold = True
        else:
            _write(row.cells[2], [f": {value}"], bold=label == "Nama SOP")
    left = table.cell(0, 0).merge(table.cell(rows - 1, 0))
    left.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraphs = []
    if ctx["logo"]:
        paragraphs.append(left.paragraphs[0])
        width, height = ooxml.picture_size(ctx["logo"], *layout.LOGO_BOX)  # the kop's box, a tall logo too
        paragraphs[0].add_run().add_picture(ctx["logo"], width=width, height=height)
    for text in (ctx["instansi"].upper(), ctx["unit"].upper()):
        if text:
            paragraph = left.add_paragraph() if paragraphs else left.paragraphs[0]
            run = paragraph.add_run(ooxml.xml_safe(text))
            run.bold = True
            run.font.size = Pt(12)
            paragraphs.append(paragraph)
    for paragraph in paragraphs:
        paragraph.alignment = ooxml.CENTER
    size, kisi = _fitted_identity(doc.sections[0], ctx)
    r = rows
    for left_label, left_lines, right_label, right_lines in kisi:
        head, body = table.rows[r], table.rows[r + 1]
        _write(head.cells[0], [left_label], bold=True, size=size)
        _write(_merge_right(head, 1), [right_label], bold=True, size=size)
        _write_list(body.cells[0], _numbered(left_lines), size)
        _write_list(_merge_right(body, 1), _numbered(right_lines), size)
        for cell in (head.cells[0], head.cells[1]):
            _shade(cell)
        r += 2


def _shade(cell, fill: str = "D9D9D9") -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def _flow_table(doc, ctx: dict, rows: list[dict], into: str | None, out: str | None) -> None:
    """One page of the flowchart table; `into`/`out` are the letters of the off-page connectors
    at its head and foot (None on the first and the last page)."""
    width = ooxml.text_width(doc.sections[0])
    lanes = ctx["pelaksana"]
    fixed = sum(WIDTHS.values())
    lane_w = Emu(int(width * (100 - fixed) / 100 / max(1, len(lanes))))
    w = {k: Emu(int(width * v / 100)) for k, v in WIDTHS.items()}
    widths = [w["no"], w["kegiatan"], *([lane_w] * len(lanes)), w["kelengkapan"], w["waktu"], w["output"],
              w["keterangan"]]
    cols = _column_mm(doc.sections[0], ctx)
    table = ooxml.add_table(doc, widths, rows=len(rows) + 2)
    # no cell margin above and below: LibreOffice adds a row's top and bottom margins to its height
    # (even where the lane cell sets its own to 0), which opened a gap in the arrows at every row
    # border; the text keeps its distance from the lines by paragraph spacing instead (_pad)
    ooxml.set_cell_margins(table, Cm(0.1), Cm(0))
    top, sub = table.rows[0], table.rows[1]
    for row in (top, sub):
        ooxml.repeat_header(row)
        ooxml.set_cant_split(row, True)
    n_lanes = len(lanes)
    first_mutu = 2 + n_lanes
    spans = [(0, 0, "No."), (1, 1, "Kegiatan"), (2, first_mutu - 1, "Pelaksana"),
             (first_mutu, first_mutu + 2, "Mutu Baku"), (first_mutu + 3, first_mutu + 3, "Keterangan")]
    unnamed = lanes == [flowchart.DEFAULT_LANE]  # no step names its pelaksana: one column, one title
    for start, end, title in spans:
        cell = top.cells[start].merge(top.cells[end]) if end > start else top.cells[start]
        if title in ("No.", "Kegiatan", "Keterangan") or (title == "Pelaksana" and unnamed):
            cell = cell.merge(sub.cells[start])
        _write(cell, [title], bold=True, align=ooxml.CENTER)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    for n, name in enumerate([] if unnamed else lanes):
        _write(sub.cells[2 + n], [name], bold=True, align=ooxml.CENTER)
    for n, name in enumerate(("Kelengkapan", "Waktu", "Output")):
        _write(sub.cells[first_mutu + n], [name], bold=True, align=ooxml.CENTER)
    for row in (top, sub):
        for cell in row.cells:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            _shade(cell)
            _pad(cell)

    heights = [_row_mm(step, cols, lane_w.mm, n == 0 and into is not None, n == len(rows) - 1 and out is not None)
               for n, step in enumerate(rows)]
    inks = _page_ink(rows, heights, lane_w.mm, into, out, len(ctx["langkah"]))
    for n, step in enumerate(rows):
        row = table.rows[n + 2]
        ooxml.set_cant_split(row, True)
        cells = row.cells
        _write(cells[0], [step["nomor"]], align=ooxml.CENTER)
        _write(cells[1], [step["kegiatan"]] + [f"- {r}" for r in step["rincian"]])
        _set_row_height(row, Mm(heights[n]))
        for lane, png in enumerate(_slices(inks[n], n_lanes, lane_w.mm)):
            note = "; ".join(inks[n].notes) if lane == step["lajur"] else f"garis alir langkah {step['nomor']}"
            _slice(cells[2 + lane], png, lane_w, Mm(heights[n]), note)
        _write(cells[first_mutu], step["kelengkapan"])
        _write(cells[first_mutu + 1], [step["waktu"]], align=ooxml.CENTER)
        _write(cells[first_mutu + 2], [step["output"]])
        _write(cells[first_mutu + 3], step["keterangan"])
        for n_cell, cell in enumerate(cells):
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
            if not 2 <= n_cell < first_mutu:
                _pad(cell)


# ---------------------------------------------------------------------------------------------
# The connecting arrows
#
# Each step row of the flowchart table is drawn as one picture over the band of pelaksana columns
# (Pillow, at the symbols' resolution), cut at the lane borders into one slice per lane it inks:
# every slice sits in its own lane cell, as wide as the cell, so the table's own lines separate the
# lanes and the drawing lines up with them. A row is as tall as its drawing (w:trHeight "atLeast",
# from a generous estimate of its text), so the lines of one row meet those of the next at the
# row border. In a row: the line from the row's top into the symbol (an arrowhead at the symbol),
# the symbol, and the line leaving its foot, straight down when the next step is in the same lane,
# else down, across to the next step's lane just above the row's foot, and down again, as
# published SOPs draw it. A decision's "Ya" is that line; its "Tidak" leaves the diamond's right
# corner to a track near its lane's right border, runs up (or down) the rows to its `jika_tidak`
# step and enters that step's symbol from the side; a target on another page gets a labelled stub
# ("ke 3"). A page that continues ends with the arrow into the off-page connector (pentagon "A")
# under its last symbol, and the next page starts with the same connector above its first one.

DRAW_DPI = flowchart.DPI  # the symbols' own resolution: pasted without scaling when they fit
SUPERSAMPLE = 4  # lines and arrowheads drawn at 4x and reduced: smooth edges, the same bytes each time
LINE_MM = 0.35  # 1 pt, the symbols' own line
HEAD_MM = (1.8, 0.8)  # arrowhead length and half width
STUB_MM = 3.0  # the line from the row's top into the symbol
FOOT_MM = 3.5  # below the symbol at least: the line out, its elbow, the "Ya"
ELBOW_MM = 2.0  # the elbow's height above the row's foot
CONNECTOR_MM = 7.0  # the off-page connector's height at most
TRACK_SHARE = 0.08  # a Tidak track's distance from its lane's right border, in lane widths
LABEL_PT = 7.0
DIAMOND_MM = 20.0  # a decision's width at most


@functools.lru_cache(maxsize=64)
def _symbol_image(kind: str, label: str):
    """The symbol as a greyscale image, and the bounding box of its ink (the PNG has a margin)."""
    image = Image.open(io.BytesIO(_symbol(kind, label))).convert("L")
    return image, ImageOps.invert(image).getbbox()


def _symbol_mm(kind: str, label: str, max_w: float, max_h: float) -> tuple[float, float]:
    """The symbol's printed size: its natural size (at DRAW_DPI), never enlarged, fitted to the box;
    the diamond, drawn here with the lines (its own picture would be shrunk to a third, its
    outline with it), twice as wide as it is tall."""
    if kind == "keputusan":
        w = min(max_w, 2 * max_h, DIAMOND_MM)
        return w, w / 2
    image, _ = _symbol_image(kind, label)
    w, h = (px * 25.4 / DRAW_DPI for px in image.size)
    scale = min(1.0, max_w / w, max_h / h)
    return w * scale, h * scale


@dataclasses.dataclass
class _Ink:
    """One row's drawing over the lane band, in mm from the band's top left."""

    height: float
    lines: list[tuple[float, float, float, float]] = dataclasses.field(default_factory=list)
    heads: list[tuple[float, float, str]] = dataclasses.field(default_factory=list)  # tip x, y; "down", "left", "right"
    labels: list[tuple[str, float, float, str]] = dataclasses.field(default_factory=list)  # text, x, y; anchor
    symbols: list[tuple[str, str, float, float, float, float]] = dataclasses.field(default_factory=list)
    # kind, label, x centre, y top, w, h
    notes: list[str] = dataclasses.field(default_factory=list)  # what the drawing shows, as its alt text

    def path(self, *points: tuple[float, float]) -> None:
        for (x1, y1), (x2, y2) in zip(points, points[1:]):
            self.lines.append((x1, y1, x2, y2))


@dataclasses.dataclass
class _Placed:
    """A symbol's box in its row: ink edges in mm."""

    cx: float
    top: float
    bottom: float
    left: float
    right: float

    @property
    def mid(self) -> float:
        return (self.top + self.bottom) / 2


def _ink_box(kind: str, label: str, cx: float, top: float, w: float, h: float) -> _Placed:
    if kind == "keputusan":
        return _Placed(cx, top, top + h, cx - w / 2, cx + w / 2)
    image, box = _symbol_image(kind, label)
    sx, sy = w / image.size[0], h / image.size[1]
    left = cx - w / 2
    return _Placed(cx, top + box[1] * sy, top + box[3] * sy, left + box[0] * sx, left + box[2] * sx)


def _max_symbol(lane_mm: float, kind: str) -> tuple[float, float]:
    share = SYMBOL_SHARE - (0.1 if kind == "keputusan" else 0.0)  # room for the Tidak track
    return min(lane_mm * share, SYMBOL_MAX_MM[0]), SYMBOL_MAX_MM[1]


def _symbol_height(step: dict, lane_mm: float) -> float:
    return _symbol_mm(*step["simbol"], *_max_symbol(lane_mm, step["simbol"][0]))[1]


def _connector_mm(letter: str, lane_mm: float) -> tuple[float, float]:
    return _symbol_mm("penghubung", letter, lane_mm * SYMBOL_SHARE, CONNECTOR_MM)


def _drawn_height(step: dict, lane_mm: float, head: bool, foot: bool) -> float:
    """The height the row's drawing needs: connectors, stubs and the symbol."""
    need = STUB_MM + _symbol_height(step, lane_mm) + FOOT_MM
    return need + (_connector_mm("A", lane_mm)[1] + 1.0 if head else 0.0) + (
        _connector_mm("A", lane_mm)[1] + STUB_MM - FOOT_MM + 1.0 if foot else 0.0)


def _label_of(step: dict) -> str:
    return step["simbol"][1].lower()


def _page_ink(page: list[dict], heights: list[float], lane_mm: float, into: str | None, out: str | None,
              total: int) -> list[_Ink]:
    """The drawing of every row of one page (see the section's comment)."""
    inks = [_Ink(h) for h in heights]
    placed: list[_Placed] = []
    for n, (step, ink) in enumerate(zip(page, inks)):
        cx = (step["lajur"] + 0.5) * lane_mm
        top = 0.0
        ink.notes.append(f"langkah {step['nomor']}: " + {"kapsul": _label_of(step), "keputusan": "keputusan",
                                                          "kegiatan": "kegiatan"}[step["simbol"][0]])
        if n == 0 and into:
            ink.notes.append(f"dari penghubung {into}")
            cw, ch = _connector_mm(into, lane_mm)
            ink.symbols.append(("penghubung", into, cx, 1.0, cw, ch))
            top = _ink_box("penghubung", into, cx, 1.0, cw, ch).bottom
        kind, label = step["simbol"]
        w, h = _symbol_mm(kind, label, *_max_symbol(lane_mm, kind))
        y = (top if top else 0.0) + STUB_MM
        ink.symbols.append((kind, label, cx, y, w, h))
        box = _ink_box(kind, label, cx, y, w, h)
        placed.append(box)
        if int(step["nomor"]) > 1:  # the line in (none above Mulai)
            ink.path((cx, top), (cx, box.top))
            ink.heads.append((cx, box.top, "down"))
        last_of_page = n == len(page) - 1
        if last_of_page and out:
            ink.notes.append(f"ke penghubung {out}")
            cw, ch = _connector_mm(out, lane_mm)
            y = box.bottom + STUB_MM
            ink.symbols.append(("penghubung", out, cx, y, cw, ch))
            target = _ink_box("penghubung", out, cx, y, cw, ch).top
            ink.path((cx, box.bottom), (cx, target))
            ink.heads.append((cx, target, "down"))
        elif not last_of_page:
            nx = (page[n + 1]["lajur"] + 0.5) * lane_mm
            elbow = ink.height - ELBOW_MM
            ink.notes.append(f"lanjut ke langkah {page[n + 1]['nomor']}")
            if nx == cx:
                ink.path((cx, box.bottom), (cx, ink.height))
            else:
                ink.path((cx, box.bottom), (cx, elbow), (nx, elbow), (nx, ink.height))
        if kind == "keputusan" and int(step["nomor"]) < total:
            ink.labels.append(("Ya", cx + 0.8, box.bottom + 0.4, "la"))
    tracks: dict[int, int] = {}  # lane -> tracks in use there (a second decision runs beside the first)
    for n, step in enumerate(page):
        target = step.get("jika_tidak")
        if target is None:
            continue
        box, ink = placed[n], inks[n]
        lane = step["lajur"]
        slot = tracks.get(lane, 0)
        tracks[lane] = slot + 1
        border = (lane + 1) * lane_mm
        x_t = min(border - lane_mm * TRACK_SHARE * (1 + slot), box.right + 7.0 + 2.0 * slot)
        goal = total if target == 0 else target
        rows = [int(s["nomor"]) for s in page]
        up = goal in rows and rows.index(goal) < n
        # beside the line leaving the corner, on the side its track does not take (below a line
        # running back up), ending inside the lane
        x = min(box.right + 0.3, border - 0.3 - _label_mm("Tidak"))
        ink.labels.append(("Tidak", x, box.mid + 0.6, "la") if up else ("Tidak", x, box.mid - 0.6, "lb"))
        ink.notes.append(f"Tidak: ke langkah {goal}")
        if goal not in rows or goal == int(step["nomor"]):  # on another page: a stub naming it
            ink.path((box.right, box.mid), (x_t, box.mid))
            ink.heads.append((x_t, box.mid, "right"))
            ink.labels.append((f"ke {goal}", box.right + 0.2, box.mid + 0.6, "la"))
            continue
        j = rows.index(goal)
        ink.path((box.right, box.mid), (x_t, box.mid), (x_t, 0.0 if up else ink.height))
        for k in range(min(j, n) + 1, max(j, n)):
            inks[k].path((x_t, 0.0), (x_t, inks[k].height))
        aim = placed[j]
        edge, direction = (aim.right, "left") if x_t > aim.cx else (aim.left, "right")
        inks[j].path((x_t, inks[j].height if up else 0.0), (x_t, aim.mid), (edge, aim.mid))
        inks[j].heads.append((edge, aim.mid, direction))
    return inks


def _label_mm(text: str) -> float:
    return _label_font(round(LABEL_PT * 25.4 / 72 * 10)).getlength(text) / 10


@functools.lru_cache(maxsize=4)
def _label_font(px: int):
    try:
        return ImageFont.truetype(flowchart.FONT.replace(" ", "") + "-Regular.ttf", px)
    except OSError:
        return ImageFont.load_default(px)


def _raster(ink: _Ink, width_mm: float) -> Image.Image:
    """The row's drawing as a greyscale image at DRAW_DPI."""
    ppm = DRAW_DPI / 25.4
    size = (max(1, round(width_mm * ppm)), max(1, round(ink.height * ppm)))
    s = ppm * SUPERSAMPLE
    layer = Image.new("L", (size[0] * SUPERSAMPLE, size[1] * SUPERSAMPLE), 0)
    pen = ImageDraw.Draw(layer)
    half = LINE_MM * s / 2
    for x1, y1, x2, y2 in ink.lines:  # as rectangles, so the corners of an elbow close
        pen.rectangle((min(x1, x2) * s - half, min(y1, y2) * s - half, max(x1, x2) * s + half,
                       max(y1, y2) * s + half), fill=255)
    length, wide = HEAD_MM[0] * s, HEAD_MM[1] * s
    for x, y, direction in ink.heads:
        x, y = x * s, y * s
        points = {"down": [(x, y), (x - wide, y - length), (x + wide, y - length)],
                  "left": [(x, y), (x + length, y - wide), (x + length, y + wide)],
                  "right": [(x, y), (x - length, y - wide), (x - length, y + wide)]}[direction]
        pen.polygon(points, fill=255)
    for kind, _label, cx, top, w, h in ink.symbols:
        if kind == "keputusan":
            left, mid, right, bottom = (cx - w / 2) * s, (top + h / 2) * s, (cx + w / 2) * s, (top + h) * s
            pen.polygon([(cx * s, top * s + half), (right - half, mid), (cx * s, bottom - half), (left + half, mid)],
                        outline=255, width=round(2 * half))
    font = _label_font(round(LABEL_PT * 25.4 / 72 * s))
    for text, x, y, anchor in ink.labels:
        pen.text((x * s, y * s), text, fill=255, font=font, anchor=anchor)
    image = ImageOps.invert(layer.reduce(SUPERSAMPLE))  # black on white, as the symbols are
    for kind, label, cx, top, w, h in ink.symbols:
        if kind == "keputusan":
            continue
        symbol, _ = _symbol_image(kind, label)
        box = (round((cx - w / 2) * ppm), round(top * ppm))
        target = (max(1, round(w * ppm)), max(1, round(h * ppm)))
        if target != symbol.size:
            symbol = symbol.resize(target, Image.LANCZOS)
        region = (box[0], box[1], box[0] + target[0], box[1] + target[1])
        image.paste(ImageChops.darker(image.crop(region), symbol), region[:2])
    return image


def _transparent(image: Image.Image) -> Image.Image:
    """The drawing as ink over nothing (the table's lines show through its white), in INK's grey."""
    ink = Image.new("L", image.size, int(flowchart.INK[1:3], 16))
    ink.putalpha(ImageOps.invert(image))
    return ink


def _slices(ink: _Ink, lanes: int, lane_mm: float) -> list[bytes | None]:
    """The row's drawing cut at the lane borders: one PNG per lane it inks, None for a blank lane."""
    image = _raster(ink, lanes * lane_mm)
    ppm = DRAW_DPI / 25.4
    edges = [round(k * lane_mm * ppm) for k in range(lanes)] + [image.size[0]]
    out = []
    for left, right in zip(edges, edges[1:]):
        part = image.crop((left, 0, right, image.size[1]))
        if ImageOps.invert(part).getbbox() is None:
            out.append(None)
            continue
        buffer = io.BytesIO()
        _transparent(part).save(buffer, "PNG", dpi=(DRAW_DPI, DRAW_DPI))
        out.append(buffer.getvalue())
    return out


def _column_mm(section, ctx: dict) -> dict[str, float]:
    width = ooxml.text_width(section).mm
    fixed = sum(WIDTHS.values())
    out = {k: width * v / 100 for k, v in WIDTHS.items()}
    out["lajur"] = width * (100 - fixed) / 100 / max(1, len(ctx["pelaksana"]))
    return out


def _wrapped(text: str, chars: int) -> int:
    """Lines a text takes in a column of `chars` characters, wrapped at spaces."""
    lines, used = 1, 0
    for word in text.split():
        length = len(word)
        if used and used + 1 + length > chars:
            lines, used = lines + 1, 0
        if not used and length > chars:  # a word longer than the column breaks anywhere
            lines += (length - 1) // chars
            length = (length - 1) % chars + 1
        used += (1 if used else 0) + length
    return lines


def _text_mm(step: dict, cols: dict[str, float]) -> float:
    """A generous estimate of a step row's text height: its tallest cell at FONT_SIZE (about
    1,9 mm a character, 4,4 mm a line)."""
    def lines(texts: list[str], col: str) -> int:
        per_line = max(1, int((cols[col] - 2) / 1.9))
        return sum(_wrapped(t, per_line) for t in texts) if texts else 1
    text = max(lines([step["kegiatan"]] + [f"- {r}" for r in step["rincian"]], "kegiatan"),
               lines(step["kelengkapan"], "kelengkapan"), lines([step["waktu"]], "waktu"),
               lines([step["output"]], "output"), lines(step["keterangan"], "keterangan"))
    return text * 4.4 + 1.5 + 2 * PAD.mm


def _row_mm(step: dict, cols: dict[str, float], lane_mm: float, head: bool, foot: bool) -> float:
    """The row's height: its text's or its drawing's, whichever is taller (`head`, `foot`: it
    holds the off-page connector at the page's head or foot)."""
    return round(max(_text_mm(step, cols), _drawn_height(step, lane_mm, head, foot)), 1)


def _pages(section, ctx: dict) -> list[list[dict]]:
    """The steps of each page of the flowchart table, so each page's rows fit under its header
    (with room for the off-page connector of a page that continues)."""
    cols = _column_mm(section, ctx)
    lane = cols["lajur"]
    per_line = max(1, int((lane - 2) / 1.9))
    header = 5.5 + max(_wrapped(name, per_line) for name in ctx["pelaksana"]) * 4.4 + 1.0  # bold: generous
    # less the header rows and the paragraph that starts the page (its line, about 4,5 mm)
    room = Emu(section.page_height - section.top_margin - section.bottom_margin).mm - header - 5.0 - 3.0
    pages: list[list[dict]] = [[]]
    used = 0.0
    final = ctx["langkah"][-1]["nomor"] if ctx["langkah"] else None
    for step in ctx["langkah"]:
        head = not pages[-1] and len(pages) > 1
        need = _row_mm(step, cols, lane, head, False)
        # the room its connector would take, were the page to end after it
        foot = _row_mm(step, cols, lane, head, True) - need if step["nomor"] != final else 0.0
        if pages[-1] and (used + need + foot > room or len(pages[-1]) >= STEPS_PER_PAGE):
            pages.append([])
            used = 0.0
            need = _row_mm(step, cols, lane, True, False)
        pages[-1].append(step)
        used += need
    return pages


def build(ctx: dict):
    """The SOP document (python-docx) of one service's context."""
    doc = layout.new_document("sop")
    ooxml.set_font(doc, ctx["font"], FONT_SIZE)
    _landscape(doc.sections[0], ctx["kertas"])
    _identity(doc, ctx)
    pages = _pages(doc.sections[0], ctx)
    letters = [wording.letters(n).upper() for n in range(1, len(pages))]
    for n, page in enumerate(pages):
        breaker = ooxml.para(doc, "")
        ooxml.set_page_break_before(breaker)
        breaker.paragraph_format.space_after = Pt(0)
        _flow_table(doc, ctx, page, letters[n - 1] if n > 0 else None, letters[n] if n < len(pages) - 1 else None)
    return doc
