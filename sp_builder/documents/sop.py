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
   a decision, rectangle otherwise; `flowchart.draw_symbol`) | Mutu Baku: Kelengkapan, Waktu, Output
   | Keterangan. Both header rows repeat on every page. A procedure longer than `STEPS_PER_PAGE`
   continues on the next page, the flow carried by lettered off-page connectors (pentagons "A",
   "B", ...) at the foot of one page and the head of the next, in the lanes of the steps they join.
"""

from __future__ import annotations

import functools
import io
from typing import Any

from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Mm, Pt

from sp_builder import fmt_id
from sp_builder.documents import flowchart, layout, ooxml
from sp_builder.errors import UserError
from sp_builder.unit import wording
from sp_builder.unit.model import Service, Unit, as_date, as_list

__all__ = ["STEPS_PER_PAGE", "build", "context", "services_with_steps"]

STEPS_PER_PAGE = 14  # rows of the flowchart table per page at most; fewer when rows are tall
FONT_SIZE = 10
IDENTITY_SIZE = 9  # the identity sheet's lists (a long dasar hukum must still fit one page)
BLANK = "…………………………"
SYMBOL_MAX_MM = (24.0, 14.0)  # a symbol's largest size in its lane cell
SYMBOL_SHARE = 0.7  # of the lane's width at most (LibreOffice clips a picture near a narrow cell's width)

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
            "lajur": lane, "simbol": symbol,
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


def _write_list(cell, lines: list[str], size: float) -> None:
    """Numbered lines ("1.<tab>text") with a hanging indent, so wrapped text clears the number."""
    _write(cell, lines or ["-"], size=size)
    for paragraph in cell.paragraphs:
        if "\t" in paragraph.text:
            fmt = paragraph.paragraph_format
            fmt.left_indent, fmt.first_line_indent = HANG, -HANG
            fmt.tab_stops.add_tab_stop(HANG)


def _picture(cell, png: bytes, max_width: Emu, first: bool) -> None:
    paragraph = cell.paragraphs[0] if first and not cell.paragraphs[0].text else cell.add_paragraph()
    paragraph.alignment = ooxml.CENTER
    paragraph.paragraph_format.space_before = Pt(2)
    paragraph.paragraph_format.space_after = Pt(2)
    width, height = ooxml.picture_size(png, Emu(min(max_width, Mm(SYMBOL_MAX_MM[0]))), Mm(SYMBOL_MAX_MM[1]))
    natural = ooxml.picture_size(png, Mm(500), Mm(500))
    if natural[0] < width:  # never enlarged
        width, height = natural
    paragraph.add_run().add_picture(io.BytesIO(png), width=width, height=height)


def _merge_right(row, start: int) -> Any:
    cell = row.cells[start]
    return cell.merge(row.cells[-1]) if start < len(row.cells) - 1 else cell


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
        paragraphs[0].add_run().add_picture(ctx["logo"], width=Cm(2.3))
    for text in (ctx["instansi"].upper(), ctx["unit"].upper()):
        if text:
            paragraph = left.add_paragraph() if paragraphs else left.paragraphs[0]
            run = paragraph.add_run(ooxml.xml_safe(text))
            run.bold = True
            run.font.size = Pt(12)
            paragraphs.append(paragraph)
    for paragraph in paragraphs:
        paragraph.alignment = ooxml.CENTER
    r = rows
    for left_label, left_lines, right_label, right_lines in ctx["kisi"]:
        head, body = table.rows[r], table.rows[r + 1]
        _write(head.cells[0], [left_label], bold=True, size=IDENTITY_SIZE)
        _write(_merge_right(head, 1), [right_label], bold=True, size=IDENTITY_SIZE)
        _write_list(body.cells[0], _numbered(left_lines), IDENTITY_SIZE)
        _write_list(_merge_right(body, 1), _numbered(right_lines), IDENTITY_SIZE)
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
    table = ooxml.add_table(doc, widths, rows=len(rows) + 2)
    ooxml.set_cell_margins(table, Cm(0.1), Cm(0.03))
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

    for n, step in enumerate(rows):
        row = table.rows[n + 2]
        ooxml.set_cant_split(row, True)
        cells = row.cells
        _write(cells[0], [step["nomor"]], align=ooxml.CENTER)
        _write(cells[1], [step["kegiatan"]] + [f"- {r}" for r in step["rincian"]])
        lane_cell = cells[2 + step["lajur"]]
        max_w = Emu(int(lane_w * SYMBOL_SHARE))
        if n == 0 and into:
            _picture(lane_cell, _symbol("penghubung", into), max_w, True)
        _picture(lane_cell, _symbol(*step["simbol"]), max_w, not (n == 0 and into))
        if n == len(rows) - 1 and out:
            _picture(lane_cell, _symbol("penghubung", out), max_w, False)
        _write(cells[first_mutu], step["kelengkapan"])
        _write(cells[first_mutu + 1], [step["waktu"]], align=ooxml.CENTER)
        _write(cells[first_mutu + 2], [step["output"]])
        _write(cells[first_mutu + 3], step["keterangan"])
        for cell in cells:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP


def _column_mm(section, ctx: dict) -> dict[str, float]:
    width = ooxml.text_width(section).mm
    fixed = sum(WIDTHS.values())
    out = {k: width * v / 100 for k, v in WIDTHS.items()}
    out["lajur"] = width * (100 - fixed) / 100 / max(1, len(ctx["pelaksana"]))
    return out


def _row_mm(step: dict, cols: dict[str, float]) -> float:
    """A generous estimate of a step's row height: its tallest cell (text at FONT_SIZE, about
    1,9 mm a character and 4,4 mm a line, or its symbol)."""
    def lines(texts: list[str], col: str) -> int:
        per_line = max(1, int((cols[col] - 2) / 1.9))
        return sum(max(1, -(-len(t) // per_line)) for t in texts) if texts else 1
    text = max(lines([step["kegiatan"]] + [f"- {r}" for r in step["rincian"]], "kegiatan"),
               lines(step["kelengkapan"], "kelengkapan"), lines([step["waktu"]], "waktu"),
               lines([step["output"]], "output"), lines(step["keterangan"], "keterangan"))
    symbol = min(cols["lajur"] * SYMBOL_SHARE, SYMBOL_MAX_MM[0]) * (0.55 if step["simbol"][0] == "keputusan" else 0.45)
    return max(text * 4.4, symbol + 2.5) + 1.5


def _pages(section, ctx: dict) -> list[list[dict]]:
    """The steps of each page of the flowchart table, so each page's rows fit under its header
    (with room for the off-page connector of a page that continues)."""
    cols = _column_mm(section, ctx)
    room = Emu(section.page_height - section.top_margin - section.bottom_margin).mm - 30  # header rows, gap
    connector = 11.0
    pages: list[list[dict]] = [[]]
    used = connector  # the connector a continued page starts with (none on the first: kept simple)
    for step in ctx["langkah"]:
        need = _row_mm(step, cols)
        if pages[-1] and (used + need + connector > room or len(pages[-1]) >= STEPS_PER_PAGE):
            pages.append([])
            used = connector
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
