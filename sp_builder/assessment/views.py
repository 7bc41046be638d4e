"""Views of one CheckReport: data (JSON), text, a self-contained HTML page, and a Word report.

The checklist comes first in every view: it is what a unit fixes before anything else.
"""

from __future__ import annotations

import html
import json
from decimal import Decimal

from sp_builder import fmt_id

from sp_builder.documents import layout, ooxml
from sp_builder.assessment.check import CheckReport
from sp_builder.assessment import compliance_calendar as calendar_view, f03 as f03_view

STATUS_MARK = {"terisi": "✓", "kosong": "✗", "galat": "!"}
STEP_MARK = {"selesai": "✓", "belum": "✗", "terlambat": "!"}


def _num(value: Decimal, places: int = 2) -> str:
    return fmt_id.desimal(value, places)


def _float(value: Decimal, places: int = 2) -> float:
    return float(fmt_id.bulat(value, places))


# ---------------------------------------------------------------------------------------------
# Data


def as_data(report: CheckReport) -> dict:
    """The stable JSON shape of SPEC: unit, services, aspects, indeks, kategori, kesenjangan — plus
    the checklist, the instrument and the contradictions."""
    cat = report.kategori
    return {
        "unit": report.unit,
        "instrumen": {"id": report.instrumen.id, "nama": report.instrumen.nama},
        "periode": report.periode,
        "services": [
            {
                "file": row.file,
                "slug": row.slug,
                "nama": row.nama,
                "status": row.status,
                "errors": [i.as_dict() for i in row.errors],
                "warnings": [i.as_dict() for i in row.warnings],
                "komponen": [{"key": c.key, "label": c.label, "status": c.status, "pesan": c.pesan}
                             for c in row.cells],
                "siklus": [{"langkah": s.nama, "status": s.status,
                            "tanggal": s.tanggal.isoformat() if s.tanggal else None, "keterangan": s.keterangan}
                           for s in row.steps],
            }
            for row in report.services
        ],
        "aspects": [
            {
                "id": a.id,
                "nama": a.nama,
                "bobot": a.bobot,
                "nilai": _float(a.nilai, 3),
                "indikator": [
                    {"id": i.id, "nilai": i.nilai, "sumber": i.sumber, "jawaban": i.jawaban, "bukti": i.bukti,
                     "dibuktikan_berkas": None if i.bukti_berkas is None else
                     {"nilai": i.bukti_berkas.nilai, "plafon": i.bukti_berkas.plafon, "alasan": i.bukti_berkas.alasan}}
                    for i in a.indikator
                ],
            }
            for a in report.aspects
        ],
        "indeks": _float(report.indeks),
        "kategori": {"kode": cat.kode, "nama": cat.nama, "zona": cat.zona},
        "penilaian_mandiri": report.penilaian_mandiri,
        "ipp": f03_view.as_data(report.ipp, report.f03),
        "kalender": calendar_view.as_data(report.kalender),
        "kesenjangan": [
            {"indikator": g.indikator, "aspek": g.aspek, "nilai": g.nilai, "sasaran": g.sasaran,
             "kenaikan": _float(g.kenaikan, 3), "tindakan": g.tindakan,
             "bukti": [{"teks": b.teks, "keyakinan": b.keyakinan, "peran": b.peran, "keluaran": b.keluaran,
                        "berkas": b.berkas, "catatan": b.catatan} for b in g.bukti]}
            for g in report.kesenjangan
        ],
        "kontradiksi": [i.as_dict() for i in report.kontradiksi],
        "issues": [i.as_dict() for i in report.issues],
    }


def as_json(report: CheckReport) -> str:
    return json.dumps(as_data(report), ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------------------------------------
# Text


def other_issues(report: CheckReport) -> list:
    """Problems outside the service files (unit.yaml, fkp, evaluasi.yaml, skm); those of the
    services are in the checklist already."""
    service_files = {row.file for row in report.services}
    return [i for i in report.issues if i.path not in service_files and i not in report.kontradiksi]


_ROLE_WORDS = {"dihasilkan": "dibuat sp-builder", "bahan": "bahannya dari sp-builder"}


def _files(paths: list[str], most: int = 3) -> str:
    shown = ", ".join(paths[:most])
    return shown + (f" dan {len(paths) - most} lainnya" if len(paths) > most else "")


def evidence_line(need) -> str:
    """One evidence requirement: what to prepare and, where sp-builder makes it, the file."""
    if need.peran is None:
        return need.teks
    if need.berkas:
        return f"{need.teks} — {_ROLE_WORDS[need.peran]}: {_files(need.berkas)}"
    return f"{need.teks} — {_ROLE_WORDS[need.peran]}, tetapi {need.catatan}"


def as_text(report: CheckReport, gaps: int = 10) -> str:
    out = [f"PENILAIAN MANDIRI PELAYANAN PUBLIK — {report.unit}", f"Instrumen: {report.instrumen.nama}", ""]
    out.append("DAFTAR PERIKSA 14 KOMPONEN (✓ terisi, ✗ kosong, ! galat)")
    for row in report.services:
        marks = "".join(STATUS_MARK[c.status] for c in row.cells)
        out.append(f"  {marks}  {row.slug} ({row.status})")
        for cell in row.cells:
            if cell.status != "terisi":
                out.append(f"      {cell.label}: {cell.pesan}")
    out.append("")
    out.append("SIKLUS STANDAR PELAYANAN (✓ selesai, ✗ belum, ! terlambat)")
    for row in report.services:
        out.append(f"  {row.slug}")
        for step in row.steps:
            when = f" {fmt_id.tanggal(step.tanggal)}" if step.tanggal else ""
            out.append(f"    {STEP_MARK[step.status]} {step.nama}{when} — {step.keterangan}")
    out += [""] + calendar_view.text_lines(report.kalender)
    others = other_issues(report)
    if others:
        out += ["", "MASALAH PADA BERKAS LAIN"]
        out += [f"  {i.format()}" for i in others]
    if report.kontradiksi:
        out += ["", "KONTRADIKSI PENILAIAN MANDIRI DENGAN BERKAS"]
        out += [f"  {i.format()}" for i in report.kontradiksi]
    out += ["", "NILAI ASPEK"]
    for a in report.aspects:
        out.append(f"  {a.id}. {a.nama:40s} bobot {_num(Decimal(str(a.bobot * 100)), 0)}%  nilai {_num(a.nilai)}")
    cat = report.kategori
    out += ["", f"INDEKS PERKIRAAN: {_num(report.indeks)} — {cat.kode} {cat.nama}"]
    out += [report.catatan_indeks] if report.catatan_indeks else []
    out += f03_view.text_lines(report.ipp, report.f03) + [""]
    out.append(f"KESENJANGAN TERBESAR (kenaikan indeks bila dipenuhi), {min(gaps, len(report.kesenjangan))} "
               f"dari {len(report.kesenjangan)}")
    if any(g.bukti for g in report.kesenjangan[:gaps]):
        out.append("  (bukti dukung yang diminta evaluator; berkas: keluaran sp-builder build di folder keluaran unit)")
    for n, gap in enumerate(report.kesenjangan[:gaps], start=1):
        out.append(f"  {n}. [{gap.indikator}] +{_num(gap.kenaikan, 3)}: {gap.tindakan}")
        out += [f"       · {evidence_line(b)}" for b in gap.bukti]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------
# HTML

_CSS = """
*{box-sizing:border-box}
body{font-family:Arial,Helvetica,sans-serif;margin:0 auto;max-width:80rem;padding:1rem;color:#1a1a1a;line-height:1.4}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:2px solid #1f4e79}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border:1px solid #bbb;padding:.3rem .4rem;vertical-align:top}
th{background:#e8eef5}.terisi,.selesai{color:#1b7a1b}.kosong,.belum{color:#b00020}.galat,.terlambat{color:#b35c00}
.skor{font-size:2rem;font-weight:bold}.scroll{overflow-x:auto}.zona-Hijau{color:#1b7a1b}.zona-Kuning{color:#9a7b00}
.zona-Merah{color:#b00020}svg text{font-size:12px;font-family:Arial,sans-serif}
td small,th small,li{overflow-wrap:anywhere}
#matriks{font-size:.8rem}#matriks th,#matriks td{padding:.25rem .3rem}#matriks tbody th{text-align:left;width:11rem}
@media (max-width:40rem){
 #matriks thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
 #matriks,#matriks tbody{display:block;font-size:.9rem}
 #matriks tr{display:grid;grid-template-columns:repeat(auto-fill,minmax(9rem,1fr));margin:0 0 .75rem;border:1px solid #bbb;border-radius:6px}
 #matriks tbody th{grid-column:1/-1;width:auto;border:0;border-radius:6px 6px 0 0}
 #matriks td{border:0;border-top:1px solid #ddd}
 #matriks td::before{content:attr(data-label);display:block;color:#1a1a1a;font-weight:bold}
}
@media print{body{max-width:none}h2{page-break-after:avoid}}
"""


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _chart(report: CheckReport) -> str:
    """Inline SVG bars: each aspect's weighted value against its maximum weight × 5."""
    width, bar_h, gap, label_w = 640, 22, 10, 240
    height = len(report.aspects) * (bar_h + gap) + 10
    scale = (width - label_w - 60) / 5
    parts = [f'<svg role="img" aria-label="Nilai aspek" viewBox="0 0 {width} {height}" width="100%">']
    for n, a in enumerate(report.aspects):
        y = 5 + n * (bar_h + gap)
        value = float(a.nilai)
        parts.append(f'<text x="0" y="{y + 15}">{_e(a.nama)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{5 * scale:.1f}" height="{bar_h}" fill="#e8eef5"/>')
        parts.append(f'<rect class="nilai" data-aspek="{a.id}" x="{label_w}" y="{y}" width="{value * scale:.1f}" '
                     f'height="{bar_h}" fill="#1f4e79"/>')
        parts.append(f'<text x="{label_w + 5 * scale + 6:.1f}" y="{y + 15}">{_num(a.nilai)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def as_html(report: CheckReport) -> str:
    cat = report.kategori
    h = ['<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">',
         '<meta name="viewport" content="width=device-width, initial-scale=1">',
         f"<title>Penilaian mandiri — {_e(report.unit)}</title><style>{_CSS}</style></head><body>",
         f"<h1>Penilaian Mandiri Pelayanan Publik<br>{_e(report.unit)}</h1>",
         f"<p>Instrumen: {_e(report.instrumen.nama)}</p>",
         f'<p>Indeks perkiraan: <span class="skor" id="indeks">{_num(report.indeks)}</span> '
         f'<span id="kategori" class="zona-{_e(cat.zona)}">{_e(cat.kode)} — {_e(cat.nama)}</span></p>',
         f'<p id="catatan-indeks"><small>{_e(report.catatan_indeks)}</small></p>' if report.catatan_indeks else "",
         '<div id="ipp">' + "".join(f"<p>{_e(line.strip())}</p>" for line in f03_view.text_lines(report.ipp, report.f03))
         + "</div>",
         "<h2>Daftar periksa 14 komponen</h2><div class=\"scroll\"><table id=\"matriks\"><thead><tr><th>Layanan</th>"]
    if report.services:
        h += [f'<th title="{_e(c.label)}">{c.key.replace("_", " ")}</th>' for c in report.services[0].cells]
    h.append("</tr></thead><tbody>")
    for row in report.services:
        h.append(f"<tr><th>{_e(row.nama)}<br><small>{_e(row.file)}</small></th>")
        h += [f'<td class="{c.status}" data-label="{_e(c.key.replace("_", " "))}" title="{_e(c.pesan)}">{STATUS_MARK[c.status]} {c.status}</td>' for c in row.cells]
        h.append("</tr>")
    h.append("</tbody></table></div><h2>Siklus standar pelayanan</h2>")
    for row in report.services:
        h.append(f'<h3>{_e(row.nama)}</h3><div class="scroll"><table><tbody>')
        for step in row.steps:
            when = fmt_id.tanggal(step.tanggal) if step.tanggal else ""
            h.append(f'<tr><td>{_e(step.nama)}</td><td class="{step.status}">{step.status}</td>'
                     f"<td>{_e(when)}</td><td>{_e(step.keterangan)}</td></tr>")
        h.append("</tbody></table></div>")
    h.append(_calendar_html(report))
    others = other_issues(report)
    if others:
        h.append('<h2>Masalah pada berkas lain</h2><ul id="masalah">')
        h += [f'<li class="{"galat" if i.is_error else "terlambat"}">{_e(i.format())}</li>' for i in others]
        h.append("</ul>")
    if report.kontradiksi:
        h.append("<h2>Kontradiksi penilaian mandiri dengan berkas</h2><ul>")
        h += [f"<li>{_e(i.format())}</li>" for i in report.kontradiksi]
        h.append("</ul>")
    h.append(f"<h2>Nilai aspek</h2>{_chart(report)}<div class=\"scroll\"><table id=\"aspek\"><thead><tr><th>Aspek</th><th>Bobot</th>"
             "<th>Nilai (0–5)</th></tr></thead><tbody>")
    for a in report.aspects:
        h.append(f'<tr data-aspek="{a.id}"><td>{_e(a.nama)}</td><td>{_num(Decimal(str(a.bobot * 100)), 0)}%</td>'
                 f"<td>{_num(a.nilai)}</td></tr>")
    h.append("</tbody></table></div><h2>Kesenjangan, diurutkan menurut kenaikan indeks</h2>"
             '<div class="scroll"><table id="kesenjangan"><thead><tr><th>No</th><th>Indikator</th><th>Nilai</th><th>Kenaikan</th>'
             "<th>Tindakan</th><th>Bukti dukung yang disiapkan</th></tr></thead><tbody>")
    for n, g in enumerate(report.kesenjangan, start=1):
        evidence = "".join(f'<li data-keluaran="{_e(b.keluaran or "")}">{_e(evidence_line(b))}</li>' for b in g.bukti)
        h.append(f"<tr><td>{n}</td><td>{_e(g.indikator)}</td><td>{g.nilai} → {g.sasaran}</td>"
                 f"<td>+{_num(g.kenaikan, 3)}</td><td>{_e(g.tindakan)}</td>"
                 f'<td class="bukti">{f"<ul>{evidence}</ul>" if evidence else "-"}</td></tr>')
    h.append("</tbody></table></div></body></html>\n")
    return "".join(h)


def _calendar_html(report: CheckReport) -> str:
    """The "Kalender kepatuhan" section: one row per deadline, by date."""
    rows = "".join(
        f'<tr data-jenis="{_e(d.jenis)}" class="{_e(d.status)}"><td>{_e(fmt_id.tanggal(d.tanggal))}</td>'
        f"<td>{_e(d.judul)}{'<br><small>' + _e(', '.join(d.layanan)) + '</small>' if d.layanan else ''}</td>"
        f"<td>{_e(d.status)}</td><td>{_e(d.keterangan)}</td><td>{_e(calendar_view.level_words(d)) or '-'}</td>"
        f"<td><small>{_e(d.sumber)}</small></td></tr>" for d in report.kalender)
    return ('<h2>Kalender kepatuhan</h2><div class="scroll"><table id="kalender"><thead><tr><th>Tanggal</th><th>Tenggat</th>'
            "<th>Status</th><th>Keterangan</th><th>Indikator</th><th>Dasar</th></tr></thead><tbody>"
            + (rows or '<tr><td colspan="6">Belum ada tanggal di berkas unit.</td></tr>') + "</tbody></table></div>")


# ---------------------------------------------------------------------------------------------
# Word


def render(report: CheckReport, fmt: str) -> bytes:
    """The report in one of the formats of `check --format`."""
    if fmt == "docx":
        return as_docx(report)
    view = {"text": as_text, "json": as_json, "html": as_html}[fmt]
    return view(report).encode("utf-8")


def as_docx(report: CheckReport) -> bytes:
    unit = report.model
    doc = layout.report_opening("laporan", unit, "LAPORAN PENILAIAN MANDIRI PELAYANAN PUBLIK")
    ooxml.para(doc, report.unit.upper(), bold=True, align=ooxml.CENTER)
    cat = report.kategori
    ooxml.para(doc, f"Instrumen: {report.instrumen.nama}")
    ooxml.para(doc, f"Indeks perkiraan: {_num(report.indeks)} — kategori {cat.kode} ({cat.nama})", bold=True)
    if report.catatan_indeks:
        ooxml.para(doc, report.catatan_indeks)
    for line in f03_view.text_lines(report.ipp, report.f03):
        ooxml.para(doc, line.strip())
    section = doc.sections[0]

    ooxml.para(doc, "A. Daftar Periksa 14 Komponen", bold=True)
    ooxml.text_table(doc, ooxml.percent_widths(section, [30, 15, 55]), ["Layanan", "Terisi", "Kekurangan"], [
        (row.nama, f"{sum(1 for c in row.cells if c.status == 'terisi')}/14",
         "; ".join(f"{c.label}: {c.pesan}" for c in row.cells if c.status != "terisi") or "-")
        for row in report.services])

    ooxml.para(doc, "B. Siklus Standar Pelayanan", bold=True)
    steps = [(row.nama, step.nama, step.status, step.keterangan)
             for row in report.services for step in row.steps if step.status != "selesai"]
    ooxml.text_table(doc, ooxml.percent_widths(section, [28, 27, 13, 32]),
                        ["Layanan", "Langkah", "Status", "Keterangan"], steps or [("Semua langkah selesai", "", "", "")])

    ooxml.para(doc, "C. Nilai Aspek", bold=True)
    ooxml.text_table(doc, ooxml.percent_widths(section, [8, 52, 20, 20]), ["No", "Aspek", "Bobot", "Nilai"],
                        [(str(a.id), a.nama, f"{_num(Decimal(str(a.bobot * 100)), 0)}%", _num(a.nilai))
                         for a in report.aspects])

    ooxml.para(doc, "D. Kesenjangan dan Tindakan", bold=True)
    ooxml.text_table(doc, ooxml.percent_widths(section, [6, 14, 12, 12, 56]),
                        ["No", "Indikator", "Nilai", "Kenaikan", "Tindakan"],
                        [(str(n), g.indikator, f"{g.nilai} → {g.sasaran}", f"+{_num(g.kenaikan, 3)}", g.tindakan)
                         for n, g in enumerate(report.kesenjangan[:15], start=1)] or [("", "", "", "", "-")])
    ooxml.para(doc, "E. Kalender Kepatuhan", bold=True)
    ooxml.text_table(doc, ooxml.percent_widths(section, [15, 31, 12, 24, 18]),
                        ["Tanggal", "Tenggat", "Status", "Keterangan", "Indikator"],
                        [(fmt_id.tanggal(d.tanggal), d.judul + (f" ({', '.join(d.layanan)})" if d.layanan else ""),
                          d.status, d.keterangan, calendar_view.level_words(d) or "-") for d in report.kalender]
                        or [("", "Belum ada tanggal di berkas unit.", "", "", "")])
    if report.kontradiksi:
        ooxml.para(doc, "F. Kontradiksi Penilaian Mandiri dengan Berkas", bold=True)
        for issue in report.kontradiksi:
            ooxml.para(doc, issue.format())
    ooxml.set_core_properties(doc, title=f"Penilaian mandiri {report.unit}", author="sp-builder",
                                 when=report.today)
    return ooxml.to_bytes(doc)
