"""Write the built-in document templates (templates/sp.docx, sk.docx, maklumat.docx, *-fkp.docx).

The templates are generated, not hand-edited, so their layout can be reviewed as code and rebuilt
identically: `python tools/build_templates.py` (or `--out DIR`). They hold the static layout, made
with `sp_builder.docx_kit` like every other document, and docxtpl/Jinja tags where data goes. The
variables they use are listed in `sp_builder/context.py` and, for the FKP documents,
`sp_builder/context_fkp.py`.

Tags used: `{{ x }}` prints a value; `{%p ... %}` (a paragraph of its own) wraps paragraphs in a
loop or condition; `{%tr ... %}` (a row of its own) repeats table rows. Numbered lines are text
("1.", tab, text) in a hanging-indent style, not Word list numbering, so they read the same in Word
and LibreOffice and survive copy and paste.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.shared import Cm, Emu, Length, Pt
from docx.table import _Row

from sp_builder.documents import layout, ooxml
from sp_builder.write import write_bytes_atomic

ROOT = Path(__file__).resolve().parent.parent
LIST_STYLE = "Daftar"
LIST_INDENT = Cm(0.8)
LAMPIRAN_STYLE = "Kepala Lampiran"
CELL_PADDING = Cm(0.05)  # above and below the text in the bordered FKP tables
# The Keputusan's label column (Menimbang, Mengingat, Memperhatikan, Menetapkan, KESATU …). Its
# longest label, "Memperhatikan", measures 3,26 cm at 12 pt in URW Bookman Light (LibreOffice's
# stand-in for Bookman Old Style) and about as much in Bookman Old Style itself; with the 0,05 cm
# cell margins 3,2 cm broke it as "Memperhatika / n". 3,8 cm leaves room for a wider fallback font.
SK_LABEL_WIDTH = Cm(3.8)


def _add_styles(doc) -> None:
    """The hanging-indent style of numbered lines and the label/colon style of the Lampiran block."""
    style = doc.styles.add_style(LIST_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    fmt = style.paragraph_format
    fmt.left_indent = LIST_INDENT
    fmt.first_line_indent = -LIST_INDENT
    fmt.tab_stops.add_tab_stop(LIST_INDENT)

    half = Emu(ooxml.text_width(doc.sections[0]) // 2)
    style = doc.styles.add_style(LAMPIRAN_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    fmt = style.paragraph_format
    fmt.left_indent = Emu(half + Cm(2.6))
    fmt.first_line_indent = -Cm(2.6)
    fmt.tab_stops.add_tab_stop(Emu(half + Cm(2.2)), WD_TAB_ALIGNMENT.LEFT)
    fmt.tab_stops.add_tab_stop(Emu(half + Cm(2.6)), WD_TAB_ALIGNMENT.LEFT)


def _headers(doc, draft_mark: bool) -> None:
    """Page number from page 2; on drafts a bold RANCANGAN on every page (both headers)."""
    section = doc.sections[0]
    ooxml.add_page_number(section)
    if not draft_mark:
        return
    first = section.first_page_header
    first.paragraphs[0].text = "{%p if rancangan %}"
    _draft_mark(first)
    ooxml.para(first)  # a header part must keep one paragraph when the mark is left out
    ooxml.para(section.header, "{%p if rancangan %}")
    _draft_mark(section.header)


def _draft_mark(header) -> None:
    ooxml.para(header, "RANCANGAN", bold=True, size=14, align=ooxml.RIGHT)
    ooxml.para(header, "{%p endif %}")


def _kop(doc) -> None:
    layout.add_kop(
        doc,
        "{{ kop.instansi|upper }}",
        "{{ kop.unit|upper }}",
        ["{{ kop.alamat }}", "{%p if kop.kontak %}", "{{ kop.kontak }}", "{%p endif %}"],
        "{{ kop.logo }}",
    )


def _signature(doc, ttd: str, *, ditetapkan: str = "") -> None:
    """The signature block with tags; `ditetapkan` names the SK variable for the two-line form."""
    if ditetapkan:
        lines = [layout.Line(f"Ditetapkan di {{{{ {ditetapkan}.tempat }}}}"),
                 layout.Line(f"pada tanggal {{{{ {ditetapkan}.tanggal }}}}")]
    else:
        lines = [layout.Line(f"{{%p if {ttd}.tempat_tanggal %}}"), layout.Line(f"{{{{ {ttd}.tempat_tanggal }}}}"),
                 layout.Line("{%p endif %}")]
    lines += [
        layout.Line(f"{{{{ {ttd}.jabatan|upper }}}},"),
        layout.Line(f"{{{{ {ttd}.nama }}}}", bold=True, underline=True, gap=True),
        layout.Line(f"{{%p if {ttd}.pangkat %}}"), layout.Line(f"{{{{ {ttd}.pangkat }}}}"), layout.Line("{%p endif %}"),
        layout.Line(f"{{%p if {ttd}.nip %}}"), layout.Line(f"NIP. {{{{ {ttd}.nip }}}}"), layout.Line("{%p endif %}"),
    ]
    ooxml.para(doc)
    layout.add_right_block(doc, lines, space_before=0)


def _lines_cell(cell, lines: str, picture: str | None = None) -> None:
    """A cell holding numbered/plain lines from `lines` ([{nomor, teks}]) and an optional picture."""
    cell.paragraphs[0].text = f"{{%p for b in {lines} %}}"
    ooxml.para(cell, "{%p if b.nomor %}")
    ooxml.para(cell, "{{ b.nomor }}\t{{ b.teks }}", style=LIST_STYLE)
    ooxml.para(cell, "{%p else %}")
    ooxml.para(cell, "{{ b.teks }}")
    ooxml.para(cell, "{%p endif %}")
    ooxml.para(cell, "{%p endfor %}")
    if picture:
        ooxml.para(cell, f"{{%p if {picture} %}}")
        ooxml.para(cell, f"{{{{ {picture} }}}}", align=ooxml.CENTER, space_before=6, space_after=6)
        ooxml.para(cell, "{%p endif %}")


def _sp_body(doc, *, new_page: bool) -> None:
    """One SP (variable `sp`): Lampiran block, title, parts I and II as tables, signature."""
    ooxml.para(doc, "{%p if sp.lampiran %}")
    first = ooxml.para(doc, "LAMPIRAN", left_indent=Emu(ooxml.text_width(doc.sections[0]) // 2))
    if new_page:
        ooxml.set_page_break_before(first)
    ooxml.para(doc, "KEPUTUSAN {{ sp.lampiran.jabatan|upper }}", left_indent=Emu(ooxml.text_width(doc.sections[0]) // 2))
    for label, value in (("NOMOR", "sp.lampiran.nomor"), ("TANGGAL", "sp.lampiran.tanggal"),
                         ("TENTANG", "sp.lampiran.tentang|upper")):
        ooxml.para(doc, f"{label}\t:\t{{{{ {value} }}}}", style=LAMPIRAN_STYLE)
    ooxml.para(doc)
    ooxml.para(doc, "{%p endif %}")
    ooxml.para(doc, "STANDAR PELAYANAN", bold=True, size=14, align=ooxml.CENTER, keep_with_next=True)
    ooxml.para(doc, "{{ sp.nama|upper }}", bold=True, align=ooxml.CENTER, keep_with_next=True)
    ooxml.para(doc, "{{ sp.unit|upper }}", bold=True, align=ooxml.CENTER, keep_with_next=True)
    ooxml.para(doc, keep_with_next=True)

    conf = layout.settings()["tabel_sp"]
    ooxml.para(doc, "{%p for bagian in sp.bagian %}")
    ooxml.para(doc, "{{ bagian.nomor }}.\t{{ bagian.judul }}", bold=True, style=LIST_STYLE, space_after=6)
    table = ooxml.add_table(doc, ooxml.percent_widths(doc.sections[0], conf["lebar_persen"]), conf["kepala"], rows=3)
    ooxml.set_cell_margins(table, Cm(0.1))
    start, row, end = table.rows[1:]
    start.cells[0].paragraphs[0].text = "{%tr for k in bagian.komponen %}"
    end.cells[0].paragraphs[0].text = "{%tr endfor %}"
    number, label, uraian = row.cells
    number.paragraphs[0].text = "{{ k.nomor }}."
    number.paragraphs[0].alignment = ooxml.CENTER
    label.paragraphs[0].text = "{{ k.label }}"
    _lines_cell(uraian, "k.baris", picture="k.gambar")
    ooxml.para(doc)
    ooxml.para(doc, "{%p endfor %}")
    _signature(doc, "sp.ttd")


def build_sp(doc) -> None:
    _headers(doc, draft_mark=True)
    _kop(doc)
    _sp_body(doc, new_page=False)


def _label_table(doc, label: str, items: str, marker: str) -> None:
    """Menimbang / Mengingat: label, ":", letter or number, text; borderless, hanging items."""
    widths = [SK_LABEL_WIDTH, Cm(0.5), Cm(0.9)]
    widths.append(Emu(ooxml.text_width(doc.sections[0]) - sum(widths)))
    table = ooxml.add_table(doc, widths, borders=False, rows=3)
    ooxml.set_cell_margins(table, Cm(0.05))
    start, row, end = table.rows
    start.cells[0].paragraphs[0].text = f"{{%tr for m in {items} %}}"
    end.cells[0].paragraphs[0].text = "{%tr endfor %}"
    cells = row.cells
    cells[0].paragraphs[0].text = f"{{% if loop.first %}}{label}{{% endif %}}"
    cells[1].paragraphs[0].text = "{% if loop.first %}:{% endif %}"
    cells[2].paragraphs[0].text = f"{{{{ m.{marker} }}}}"
    text = cells[3].paragraphs[0]
    text.text = "{{ m.teks }}"
    text.alignment = ooxml.JUSTIFY
    text.paragraph_format.space_after = Pt(4)
    ooxml.para(doc)


def build_sk(doc) -> None:
    _headers(doc, draft_mark=False)
    _kop(doc)
    for text in ("KEPUTUSAN {{ sk.jabatan|upper }}", "NOMOR {{ sk.nomor }}", "", "TENTANG", "",
                 "{{ sk.tentang|upper }}", "", "{{ sk.jabatan|upper }},", ""):
        ooxml.para(doc, text, bold=bool(text), align=ooxml.CENTER)
    _label_table(doc, "Menimbang", "sk.menimbang", "huruf")
    _label_table(doc, "Mengingat", "sk.mengingat", "nomor")
    ooxml.para(doc, "{%p if sk.memperhatikan %}")  # no table at all without an FKP (a table needs rows)
    _label_table(doc, "Memperhatikan", "sk.memperhatikan", "nomor")
    ooxml.para(doc, "{%p endif %}")
    ooxml.para(doc, "MEMUTUSKAN:", bold=True, align=ooxml.CENTER, space_after=12)

    widths = [SK_LABEL_WIDTH, Cm(0.5)]
    widths.append(Emu(ooxml.text_width(doc.sections[0]) - sum(widths)))
    table = ooxml.add_table(doc, widths, borders=False, rows=4)
    ooxml.set_cell_margins(table, Cm(0.05))
    first, start, row, end = table.rows
    for cell, text in zip(first.cells, ("Menetapkan", ":", "{{ sk.menetapkan }}")):
        cell.paragraphs[0].text = text
        cell.paragraphs[0].paragraph_format.space_after = Pt(8)
    first.cells[2].paragraphs[0].alignment = ooxml.JUSTIFY
    start.cells[0].paragraphs[0].text = "{%tr for d in sk.diktum %}"
    end.cells[0].paragraphs[0].text = "{%tr endfor %}"
    for cell, text in zip(row.cells, ("{{ d.label }}", ":", "{{ d.teks }}")):
        cell.paragraphs[0].text = text
        cell.paragraphs[0].paragraph_format.space_after = Pt(8)
    row.cells[2].paragraphs[0].alignment = ooxml.JUSTIFY
    _signature(doc, "ttd", ditetapkan="sk")

    ooxml.para(doc, "{%p for sp in lampiran %}")
    _sp_body(doc, new_page=True)
    ooxml.para(doc, "{%p endfor %}")


def build_maklumat(doc) -> None:
    _headers(doc, draft_mark=False)
    _kop(doc)
    ooxml.para(doc, "{{ maklumat.judul }}", bold=True, size=22, align=ooxml.CENTER, space_before=24, space_after=30)
    ooxml.para(doc, "{%p for b in maklumat.pernyataan %}")
    ooxml.para(doc, "{%p if b.nomor %}")
    numbered = ooxml.para(doc, "{{ b.nomor }}\t{{ b.teks }}", size=14, style=LIST_STYLE, space_after=12)
    numbered.alignment = ooxml.JUSTIFY
    ooxml.para(doc, "{%p else %}")
    single = ooxml.para(doc, "“{{ b.teks }}”", bold=True, size=14, align=ooxml.CENTER, space_after=12)
    single.paragraph_format.line_spacing = 1.5
    ooxml.para(doc, "{%p endif %}")
    ooxml.para(doc, "{%p endfor %}")
    ooxml.para(doc)
    _signature(doc, "ttd")


# ---------------------------------------------------------------------------------------------
# Forum Konsultasi Publik (NASKAH §3)


def _event_title(doc, title: str) -> None:
    """The document's title, then the event's title lines (`fkp.judul`), bold and centred."""
    ooxml.para(doc, title, bold=True, size=14, align=ooxml.CENTER, keep_with_next=True)
    ooxml.para(doc, "{%p for line in fkp.judul %}")
    ooxml.para(doc, "{{ line }}", bold=True, align=ooxml.CENTER, keep_with_next=True)
    ooxml.para(doc, "{%p endfor %}")


def _loop_rows(table, first: int, loop: str) -> _Row:
    """Mark rows first and first+2 as the `{%tr %}` loop around row first+1; returns that row."""
    start, row, end = table.rows[first:first + 3]
    start.cells[0].paragraphs[0].text = f"{{%tr {loop} %}}"
    end.cells[0].paragraphs[0].text = "{%tr endfor %}"
    return row


def _fill_row(row, texts: list[str], centred: tuple[int, ...] = (0,)) -> None:
    for n, (cell, text) in enumerate(zip(row.cells, texts)):
        cell.paragraphs[0].text = text
        if n in centred:
            cell.paragraphs[0].alignment = ooxml.CENTER


def _rincian(doc, items: str, indent: Length = Emu(0)) -> None:
    """Label, colon, value rows (Hari/tanggal, Waktu, Tempat, Acara), borderless."""
    widths = [indent, Cm(3.2), Cm(0.5)] if indent else [Cm(3.2), Cm(0.5)]
    widths.append(Emu(ooxml.text_width(doc.sections[0]) - sum(widths)))
    table = ooxml.add_table(doc, widths, borders=False, rows=3)
    ooxml.set_cell_margins(table, Cm(0.05))
    row = _loop_rows(table, 0, f"for r in {items}")
    _fill_row(row, ([""] if indent else []) + ["{{ r.label }}", ":", "{{ r.nilai }}"], centred=())
    ooxml.para(doc)


def _list_loop(doc, items: str, text: str) -> None:
    """Numbered lines ("1.", tab, text) in the hanging-indent list style."""
    ooxml.para(doc, f"{{%p for l in {items} %}}")
    ooxml.para(doc, text, style=LIST_STYLE)
    ooxml.para(doc, "{%p endfor %}")


def build_berita_acara_fkp(doc) -> None:
    """Title, opening with the date in words, agenda, participants by group, agreements per service,
    closing, and the two signatures side by side."""
    _headers(doc, draft_mark=False)
    _kop(doc)
    _event_title(doc, "BERITA ACARA")
    ooxml.para(doc, "{%p if fkp.nomor %}")
    ooxml.para(doc, "NOMOR : {{ fkp.nomor }}", align=ooxml.CENTER)
    ooxml.para(doc, "{%p endif %}")
    ooxml.para(doc)
    section = doc.sections[0]

    ooxml.para(doc, "{{ ba.pembukaan }}", align=ooxml.JUSTIFY, space_after=8)
    ooxml.para(doc, "{{ ba.agenda }}", align=ooxml.JUSTIFY, keep_with_next=True)
    _list_loop(doc, "fkp.layanan", "{{ l.nomor }}.\t{{ l.nama }}")
    ooxml.para(doc, space_after=4)

    ooxml.para(doc, "{{ ba.kehadiran }}", align=ooxml.JUSTIFY, space_after=6, keep_with_next=True)
    conf = layout.settings()["tabel_unsur"]
    table = ooxml.add_table(doc, ooxml.percent_widths(section, conf["lebar_persen"]), conf["kepala"], rows=4)
    ooxml.set_cell_margins(table, Cm(0.1), CELL_PADDING)
    _fill_row(_loop_rows(table, 1, "for u in ba.unsur"), ["{{ u.nomor }}", "{{ u.label }}", "{{ u.jumlah }}"],
              centred=(0, 2))
    total = table.rows[4]
    label = total.cells[0].merge(total.cells[1])
    label.paragraphs[0].text = "Jumlah"
    label.paragraphs[0].alignment = ooxml.CENTER
    total.cells[2].paragraphs[0].text = "{{ ba.jumlah }}"
    total.cells[2].paragraphs[0].alignment = ooxml.CENTER
    for cell in total.cells:
        for run in cell.paragraphs[0].runs:
            run.bold = True
    ooxml.para(doc, space_after=4)

    ooxml.para(doc, "{{ ba.hasil_pengantar }}", align=ooxml.JUSTIFY, space_after=6, keep_with_next=True)
    ooxml.para(doc, "{%p for h in ba.hasil %}")
    ooxml.para(doc, "{{ h.nomor }}.\t{{ h.judul }}", bold=True, style=LIST_STYLE,
             space_after=4, keep_with_next=True)
    ooxml.para(doc, "{%p if h.kesepakatan %}")
    conf = layout.settings()["tabel_fkp"]
    table = ooxml.add_table(doc, ooxml.percent_widths(section, conf["lebar_persen"]), conf["kepala"], rows=3)
    ooxml.set_cell_margins(table, Cm(0.1), CELL_PADDING)
    agreement = _loop_rows(table, 1, "for k in h.kesepakatan")
    _fill_row(agreement, ["{{ k.nomor }}", "{{ k.komponen }}", "{{ k.semula }}", "{{ k.menjadi }}"])
    ooxml.set_cant_split(agreement, True)  # an agreement is read whole: never split across pages
    ooxml.para(doc, "{%p else %}")
    ooxml.para(doc, "{{ h.catatan }}", left_indent=LIST_INDENT)
    ooxml.para(doc, "{%p endif %}")
    ooxml.para(doc, space_after=4)
    ooxml.para(doc, "{%p endfor %}")

    ooxml.para(doc, "{{ ba.penutup }}", align=ooxml.JUSTIFY, space_after=18, keep_with_next=True)
    _two_signatures(doc)


def _two_signatures(doc) -> None:
    """Perwakilan Masyarakat left, Penyelenggara right; names on one row so they line up however
    long the jabatan above them is. Rows do not split, and the block stays on one page."""
    table = ooxml.add_table(doc, ooxml.percent_widths(doc.sections[0], [50, 50]), borders=False, rows=3)
    ooxml.set_cell_margins(table, Cm(0.1))
    heads, names, details = table.rows
    for row in table.rows:
        ooxml.set_cant_split(row, True)
    left, right = heads.cells
    left.paragraphs[0].text = "{{ ba.masyarakat.judul }},"
    right.paragraphs[0].text = "{{ ba.penyelenggara.judul }},"
    ooxml.para(right, "{{ ba.penyelenggara.jabatan }}")
    for who, cell in zip(("masyarakat", "penyelenggara"), names.cells):
        paragraph = cell.paragraphs[0]
        run = paragraph.add_run(f"{{{{ ba.{who}.nama }}}}")
        run.bold = run.underline = True
        paragraph.paragraph_format.space_before = Pt(60)
    left, right = details.cells
    left.paragraphs[0].text = "{%p for line in ba.masyarakat.keterangan %}"
    ooxml.para(left, "{{ line }}")
    ooxml.para(left, "{%p endfor %}")
    right.paragraphs[0].text = "{%p if ba.penyelenggara.pangkat %}"
    for text in ("{{ ba.penyelenggara.pangkat }}", "{%p endif %}", "{%p if ba.penyelenggara.nip %}",
                 "NIP. {{ ba.penyelenggara.nip }}", "{%p endif %}"):
        ooxml.para(right, text)
    for row in (heads, names):
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True


def build_daftar_hadir_fkp(doc) -> None:
    """Kop, title, the event's details, then one row of at least 1 cm per participant with the
    signature numbers staggered (odd left, even right); the header row repeats on every page.
    Cells keep the default top alignment: LibreOffice does not centre one-line cells in the first
    row after a repeated header, which left that row looking different from the others."""
    _headers(doc, draft_mark=False)
    _kop(doc)
    _event_title(doc, "DAFTAR HADIR")
    ooxml.para(doc)
    _rincian(doc, "fkp.rincian")
    conf = layout.settings()["tabel_hadir"]
    widths = ooxml.percent_widths(doc.sections[0], conf["lebar_persen"])
    table = ooxml.add_table(doc, widths, conf["kepala"], rows=3)
    ooxml.set_cell_margins(table, Cm(0.1), CELL_PADDING)
    row = _loop_rows(table, 1, "for p in fkp.peserta")
    ooxml.set_cant_split(row, True)
    row.height = Cm(conf["tinggi_baris_cm"])
    row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    _fill_row(row, ["{{ p.nomor }}", "{{ p.nama }}", "{{ p.unsur }}", "{{ p.instansi_jabatan }}"])
    sign = row.cells[4]
    sign.paragraphs[0].text = "{%p if p.ganjil %}"
    ooxml.para(sign, "{{ p.nomor }}.")
    ooxml.para(sign, "{%p else %}")
    ooxml.para(sign, "{{ p.nomor }}.", left_indent=Emu(widths[4] // 2))
    ooxml.para(sign, "{%p endif %}")
    _signature(doc, "ttd")


def build_undangan_fkp(doc) -> None:
    """Surat undangan (NASKAH §3.4): date on the Nomor line, Nomor/Sifat/Lampiran/Hal, Yth., body
    with the event's details, the head's signature, then the Lampiran listing the invitees."""
    _headers(doc, draft_mark=False)
    _kop(doc)
    width = ooxml.text_width(doc.sections[0])
    widths = [Cm(2.4), Cm(0.5), Cm(6.6)]
    widths.append(Emu(width - sum(widths)))
    table = ooxml.add_table(doc, widths, borders=False, rows=4)
    ooxml.set_cell_margins(table, Cm(0.05))
    for row, (label, value) in zip(table.rows, (("Nomor", "nomor"), ("Sifat", "sifat"),
                                                 ("Lampiran", "lampiran"), ("Hal", "hal"))):
        cells = row.cells
        cells[0].paragraphs[0].text = label
        cells[1].paragraphs[0].text = ":"
        target = cells[2] if label == "Nomor" else cells[2].merge(cells[3])
        target.paragraphs[0].text = f"{{{{ undangan.{value} }}}}"
    date = table.rows[0].cells[3].paragraphs[0]
    date.text = "{{ undangan.tempat_tanggal }}"
    date.alignment = ooxml.RIGHT
    ooxml.para(doc)

    hanging = Cm(0.95)
    ooxml.para(doc, "Yth. {{ undangan.yth }}")
    ooxml.para(doc, "{%p if undangan.unsur %}")
    ooxml.para(doc, "{{ undangan.unsur }}", left_indent=hanging)
    ooxml.para(doc, "{%p endif %}")
    ooxml.para(doc, "di")
    ooxml.para(doc, "Tempat", left_indent=hanging, space_after=12)

    ooxml.para(doc, "{{ undangan.pembukaan }}", align=ooxml.JUSTIFY, space_after=6)
    _rincian(doc, "undangan.rincian", indent=hanging)
    ooxml.para(doc, "{%p for t in undangan.penutup %}")
    ooxml.para(doc, "{{ t }}", align=ooxml.JUSTIFY, space_after=6)
    ooxml.para(doc, "{%p endfor %}")
    _signature(doc, "ttd")

    half = Emu(width // 2)
    heading = ooxml.para(doc, "LAMPIRAN SURAT {{ undangan.jabatan|upper }}", left_indent=half)
    ooxml.set_page_break_before(heading)
    for label, value in (("NOMOR", "undangan.nomor"), ("TANGGAL", "undangan.tanggal"), ("HAL", "undangan.hal")):
        ooxml.para(doc, f"{label}\t:\t{{{{ {value} }}}}", style=LAMPIRAN_STYLE)
    ooxml.para(doc)
    ooxml.para(doc, "DAFTAR UNDANGAN", bold=True, align=ooxml.CENTER, space_after=12)
    conf = layout.settings()["tabel_undangan"]
    table = ooxml.add_table(doc, ooxml.percent_widths(doc.sections[0], conf["lebar_persen"]), conf["kepala"], rows=3)
    ooxml.set_cell_margins(table, Cm(0.1), CELL_PADDING)
    row = _loop_rows(table, 1, "for p in undangan.undangan")
    ooxml.set_cant_split(row, True)
    _fill_row(row, ["{{ p.nomor }}", "{{ p.nama }}", "{{ p.unsur }}", "{{ p.instansi_jabatan }}"])


def build_dokumentasi_fkp(doc) -> None:
    """Each photo centred with its caption under it, kept on the same page."""
    _headers(doc, draft_mark=False)
    _kop(doc)
    _event_title(doc, "DOKUMENTASI KEGIATAN")
    ooxml.para(doc, "{{ fkp.hari_tanggal }}, {{ fkp.tempat }}", align=ooxml.CENTER, space_after=12)
    ooxml.para(doc, "{%p for f in dokumentasi.foto %}")
    ooxml.para(doc, "{{ f.gambar }}", align=ooxml.CENTER, space_before=6, keep_with_next=True)
    ooxml.para(doc, "{{ f.keterangan }}", align=ooxml.CENTER, space_before=4, space_after=12)
    ooxml.para(doc, "{%p endfor %}")


BUILDERS = {
    "sp": build_sp, "sk": build_sk, "maklumat": build_maklumat,
    "berita-acara-fkp": build_berita_acara_fkp, "daftar-hadir-fkp": build_daftar_hadir_fkp,
    "undangan-fkp": build_undangan_fkp, "dokumentasi-fkp": build_dokumentasi_fkp,
}


def build(kind: str) -> bytes:
    """The template of one document kind as deterministic .docx bytes."""
    doc = layout.new_document(kind)
    _add_styles(doc)
    BUILDERS[kind](doc)
    ooxml.slim(doc)
    ooxml.set_core_properties(doc, title=f"Templat {kind}", author="sp-builder")
    return ooxml.to_bytes(doc)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "templates", help="target folder")
    args = parser.parse_args(argv)
    for kind in BUILDERS:
        path = args.out / f"{kind}.docx"
        write_bytes_atomic(path, build(kind))
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
