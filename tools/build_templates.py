"""Write the built-in document templates (templates/sp.docx, sk.docx, maklumat.docx).

The templates are generated, not hand-edited, so their layout can be reviewed as code and rebuilt
identically: `python tools/build_templates.py` (or `--out DIR`). They hold the static layout, made
with `sp_builder.docx_kit` like every other document, and docxtpl/Jinja tags where data goes. The
variables they use are listed in `sp_builder/context.py`.

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
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.shared import Cm, Emu, Pt

from sp_builder import docx_kit as kit
from sp_builder.write import write_bytes_atomic

ROOT = Path(__file__).resolve().parent.parent
LIST_STYLE = "Daftar"
LIST_INDENT = Cm(0.8)
LAMPIRAN_STYLE = "Kepala Lampiran"


def _add_styles(doc) -> None:
    """The hanging-indent style of numbered lines and the label/colon style of the Lampiran block."""
    style = doc.styles.add_style(LIST_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    fmt = style.paragraph_format
    fmt.left_indent = LIST_INDENT
    fmt.first_line_indent = -LIST_INDENT
    fmt.tab_stops.add_tab_stop(LIST_INDENT)

    half = Emu(kit.text_width(doc.sections[0]) // 2)
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
    kit.add_page_number(section)
    if not draft_mark:
        return
    first = section.first_page_header
    first.paragraphs[0].text = "{%p if rancangan %}"
    _draft_mark(first)
    kit.para(first)  # a header part must keep one paragraph when the mark is left out
    kit.para(section.header, "{%p if rancangan %}")
    _draft_mark(section.header)


def _draft_mark(header) -> None:
    kit.para(header, "RANCANGAN", bold=True, size=14, align=kit.RIGHT)
    kit.para(header, "{%p endif %}")


def _kop(doc) -> None:
    kit.add_kop(
        doc,
        "{{ kop.instansi|upper }}",
        "{{ kop.unit|upper }}",
        ["{{ kop.alamat }}", "{%p if kop.kontak %}", "{{ kop.kontak }}", "{%p endif %}"],
        "{{ kop.logo }}",
    )


def _signature(doc, ttd: str, *, ditetapkan: str = "") -> None:
    """The signature block with tags; `ditetapkan` names the SK variable for the two-line form."""
    if ditetapkan:
        lines = [kit.Line(f"Ditetapkan di {{{{ {ditetapkan}.tempat }}}}"),
                 kit.Line(f"pada tanggal {{{{ {ditetapkan}.tanggal }}}}")]
    else:
        lines = [kit.Line(f"{{%p if {ttd}.tempat_tanggal %}}"), kit.Line(f"{{{{ {ttd}.tempat_tanggal }}}}"),
                 kit.Line("{%p endif %}")]
    lines += [
        kit.Line(f"{{{{ {ttd}.jabatan|upper }}}},"),
        kit.Line(f"{{{{ {ttd}.nama }}}}", bold=True, underline=True, gap=True),
        kit.Line(f"{{%p if {ttd}.pangkat %}}"), kit.Line(f"{{{{ {ttd}.pangkat }}}}"), kit.Line("{%p endif %}"),
        kit.Line(f"{{%p if {ttd}.nip %}}"), kit.Line(f"NIP. {{{{ {ttd}.nip }}}}"), kit.Line("{%p endif %}"),
    ]
    kit.para(doc)
    kit.add_right_block(doc, lines, space_before=0)


def _lines_cell(cell, lines: str, picture: str | None = None) -> None:
    """A cell holding numbered/plain lines from `lines` ([{nomor, teks}]) and an optional picture."""
    cell.paragraphs[0].text = f"{{%p for b in {lines} %}}"
    kit.para(cell, "{%p if b.nomor %}")
    kit.para(cell, "{{ b.nomor }}\t{{ b.teks }}", style=LIST_STYLE)
    kit.para(cell, "{%p else %}")
    kit.para(cell, "{{ b.teks }}")
    kit.para(cell, "{%p endif %}")
    kit.para(cell, "{%p endfor %}")
    if picture:
        kit.para(cell, f"{{%p if {picture} %}}")
        kit.para(cell, f"{{{{ {picture} }}}}", align=kit.CENTER, space_before=6, space_after=6)
        kit.para(cell, "{%p endif %}")


def _sp_body(doc, *, new_page: bool) -> None:
    """One SP (variable `sp`): Lampiran block, title, parts I and II as tables, signature."""
    kit.para(doc, "{%p if sp.lampiran %}")
    first = kit.para(doc, "LAMPIRAN", left_indent=Emu(kit.text_width(doc.sections[0]) // 2))
    if new_page:
        kit.set_page_break_before(first)
    kit.para(doc, "KEPUTUSAN {{ sp.lampiran.jabatan|upper }}", left_indent=Emu(kit.text_width(doc.sections[0]) // 2))
    for label, value in (("NOMOR", "sp.lampiran.nomor"), ("TANGGAL", "sp.lampiran.tanggal"),
                         ("TENTANG", "sp.lampiran.tentang|upper")):
        kit.para(doc, f"{label}\t:\t{{{{ {value} }}}}", style=LAMPIRAN_STYLE)
    kit.para(doc)
    kit.para(doc, "{%p endif %}")
    kit.para(doc, "STANDAR PELAYANAN", bold=True, size=14, align=kit.CENTER, keep_with_next=True)
    kit.para(doc, "{{ sp.nama|upper }}", bold=True, align=kit.CENTER, keep_with_next=True)
    kit.para(doc, "{{ sp.unit|upper }}", bold=True, align=kit.CENTER, keep_with_next=True)
    kit.para(doc, keep_with_next=True)

    conf = kit.settings()["tabel_sp"]
    kit.para(doc, "{%p for bagian in sp.bagian %}")
    kit.para(doc, "{{ bagian.nomor }}.\t{{ bagian.judul }}", bold=True, style=LIST_STYLE, space_after=6)
    table = kit.add_table(doc, kit.percent_widths(doc.sections[0], conf["lebar_persen"]), conf["kepala"], rows=3)
    kit.set_cell_margins(table, Cm(0.1))
    start, row, end = table.rows[1:]
    start.cells[0].paragraphs[0].text = "{%tr for k in bagian.komponen %}"
    end.cells[0].paragraphs[0].text = "{%tr endfor %}"
    number, label, uraian = row.cells
    number.paragraphs[0].text = "{{ k.nomor }}."
    number.paragraphs[0].alignment = kit.CENTER
    label.paragraphs[0].text = "{{ k.label }}"
    _lines_cell(uraian, "k.baris", picture="k.gambar")
    kit.para(doc)
    kit.para(doc, "{%p endfor %}")
    _signature(doc, "sp.ttd")


def build_sp(doc) -> None:
    _headers(doc, draft_mark=True)
    _kop(doc)
    _sp_body(doc, new_page=False)


def _label_table(doc, label: str, items: str, marker: str) -> None:
    """Menimbang / Mengingat: label, ":", letter or number, text; borderless, hanging items."""
    widths = [Cm(3.2), Cm(0.5), Cm(0.9)]
    widths.append(Emu(kit.text_width(doc.sections[0]) - sum(widths)))
    table = kit.add_table(doc, widths, borders=False, rows=3)
    kit.set_cell_margins(table, Cm(0.05))
    start, row, end = table.rows
    start.cells[0].paragraphs[0].text = f"{{%tr for m in {items} %}}"
    end.cells[0].paragraphs[0].text = "{%tr endfor %}"
    cells = row.cells
    cells[0].paragraphs[0].text = f"{{% if loop.first %}}{label}{{% endif %}}"
    cells[1].paragraphs[0].text = "{% if loop.first %}:{% endif %}"
    cells[2].paragraphs[0].text = f"{{{{ m.{marker} }}}}"
    text = cells[3].paragraphs[0]
    text.text = "{{ m.teks }}"
    text.alignment = kit.JUSTIFY
    text.paragraph_format.space_after = Pt(4)
    kit.para(doc)


def build_sk(doc) -> None:
    _headers(doc, draft_mark=False)
    _kop(doc)
    for text in ("KEPUTUSAN {{ sk.jabatan|upper }}", "NOMOR {{ sk.nomor }}", "", "TENTANG", "",
                 "{{ sk.tentang|upper }}", "", "{{ sk.jabatan|upper }},", ""):
        kit.para(doc, text, bold=bool(text), align=kit.CENTER)
    _label_table(doc, "Menimbang", "sk.menimbang", "huruf")
    _label_table(doc, "Mengingat", "sk.mengingat", "nomor")
    kit.para(doc, "MEMUTUSKAN:", bold=True, align=kit.CENTER, space_after=12)

    widths = [Cm(3.2), Cm(0.5)]
    widths.append(Emu(kit.text_width(doc.sections[0]) - sum(widths)))
    table = kit.add_table(doc, widths, borders=False, rows=4)
    kit.set_cell_margins(table, Cm(0.05))
    first, start, row, end = table.rows
    for cell, text in zip(first.cells, ("Menetapkan", ":", "{{ sk.menetapkan }}")):
        cell.paragraphs[0].text = text
        cell.paragraphs[0].paragraph_format.space_after = Pt(8)
    first.cells[2].paragraphs[0].alignment = kit.JUSTIFY
    start.cells[0].paragraphs[0].text = "{%tr for d in sk.diktum %}"
    end.cells[0].paragraphs[0].text = "{%tr endfor %}"
    for cell, text in zip(row.cells, ("{{ d.label }}", ":", "{{ d.teks }}")):
        cell.paragraphs[0].text = text
        cell.paragraphs[0].paragraph_format.space_after = Pt(8)
    row.cells[2].paragraphs[0].alignment = kit.JUSTIFY
    _signature(doc, "ttd", ditetapkan="sk")

    kit.para(doc, "{%p for sp in lampiran %}")
    _sp_body(doc, new_page=True)
    kit.para(doc, "{%p endfor %}")


def build_maklumat(doc) -> None:
    _headers(doc, draft_mark=False)
    _kop(doc)
    kit.para(doc, "{{ maklumat.judul }}", bold=True, size=22, align=kit.CENTER, space_before=24, space_after=30)
    kit.para(doc, "{%p for b in maklumat.pernyataan %}")
    kit.para(doc, "{%p if b.nomor %}")
    numbered = kit.para(doc, "{{ b.nomor }}\t{{ b.teks }}", size=14, style=LIST_STYLE, space_after=12)
    numbered.alignment = kit.JUSTIFY
    kit.para(doc, "{%p else %}")
    single = kit.para(doc, "“{{ b.teks }}”", bold=True, size=14, align=kit.CENTER, space_after=12)
    single.paragraph_format.line_spacing = 1.5
    kit.para(doc, "{%p endif %}")
    kit.para(doc, "{%p endfor %}")
    kit.para(doc)
    _signature(doc, "ttd")


BUILDERS = {"sp": build_sp, "sk": build_sk, "maklumat": build_maklumat}


def build(kind: str) -> bytes:
    """The template of one document kind as deterministic .docx bytes."""
    doc = kit.new_document(kind)
    _add_styles(doc)
    BUILDERS[kind](doc)
    kit.slim(doc)
    kit.set_core_properties(doc, title=f"Templat {kind}", author="sp-builder")
    return kit.to_bytes(doc)


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
