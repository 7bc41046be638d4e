"""Static HTML for people, not for machines: a unit's publication page and the index of a build.

`publication_page` is what a unit must publish (DOMAIN.md §2, §5): for each service the six
service-delivery components, worded exactly as in the SP document (the lines come from
`wording.component_lines`), the Maklumat Pelayanan with the head's name, and the complaint channels.
It is one self-contained file (inline CSS, images as data URIs, no script) so it can be copied to a
web server, opened from a USB stick at the service counter, or printed as posters: a first page with
the list of services, then each service on a page of its own headed by the unit's name, then the
Maklumat and the channels; A4 by default, A3 when the `<html>` element carries the class
`kertas-a3` (`paper="A3"`, or edit the attribute), through a named `@page`. On a phone the
components stack in one column.

`index_page` is a view of the build manifest (`build.py`): every unit with its services, status,
error and warning counts, index and category, and relative links to every document written.

Every text from the user's files is HTML-escaped; a contact becomes a link only when it is an
http(s) address, an e-mail address or a telephone number, never another scheme.
"""

from __future__ import annotations

import base64
import functools
import html
import mimetypes
import re
from pathlib import Path
from urllib.parse import quote

from sp_builder import __version__, fmt_id, tables
from sp_builder.documents import flowchart, sp_context
from sp_builder.unit import wording

from sp_builder.documents import layout, ooxml
from sp_builder.errors import UserError
from sp_builder.unit.model import Channel, Service, Unit

PAPERS = ("A4", "A3")

_URL = re.compile(r"https?://[^\s<>\"']+\Z", re.IGNORECASE)
_EMAIL = re.compile(r"[^\s@<>\"']+@[^\s@<>\"']+\.[a-z]{2,}\Z", re.IGNORECASE)
_PHONE = re.compile(r"\+?[\d\s().-]{6,}\Z")


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _clean(text: str) -> str:
    """The text without characters HTML cannot carry either (the same set as XML 1.0)."""
    return ooxml.xml_safe(text)


def contact_link(text: str) -> str:
    """The contact as escaped HTML: a link for a web address, e-mail or telephone, else plain."""
    value = _clean(text).strip()
    if _URL.match(value):
        href = value
    elif _EMAIL.match(value):
        href = f"mailto:{value}"
    elif _PHONE.match(value) and sum(c.isdigit() for c in value) >= 6:
        href = "tel:" + re.sub(r"[^\d+]", "", value)
    else:
        return _e(value)
    return f'<a href="{_e(href)}">{_e(value)}</a>'


def data_uri(path: Path) -> str:
    """The file as a data: URI, so the page needs nothing beside itself."""
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


# ---------------------------------------------------------------------------------------------
# The publication page

_PAGE_CSS = """
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font-family:"Noto Sans","Liberation Sans",Arial,Helvetica,sans-serif;color:#1a1a1a;line-height:1.45;background:#f4f6f9}
.halaman{max-width:64rem;margin:0 auto;padding:1rem;background:#fff}
a{color:#0b4f8a;overflow-wrap:anywhere}
.kop{display:flex;gap:1rem;align-items:center;border-bottom:4px double #1f4e79;padding-bottom:.75rem}
.kop img{width:72px;height:72px;object-fit:contain;flex:none}
.kop p{margin:.1rem 0}.instansi{font-weight:bold;text-transform:uppercase;letter-spacing:.03em}
h1{font-size:1.5rem;margin:.1rem 0;text-transform:uppercase;color:#1f4e79}
h2{font-size:1.25rem;color:#1f4e79;margin:0 0 .4rem}
.judul{font-size:1.1rem;text-align:center;margin:1rem 0 .25rem;letter-spacing:.05em}
.pengantar{text-align:center;margin:0 0 1rem;color:#444}
.peringatan-rancangan{border:2px solid #b00020;color:#b00020;padding:.5rem .75rem;border-radius:6px;margin:1rem 0}
nav ol{padding-left:1.4rem;columns:2 18rem}
.layanan{border-top:3px solid #1f4e79;margin-top:1.5rem;padding-top:.75rem}
.rancangan{display:inline-block;background:#b00020;color:#fff;font-size:.75em;font-weight:bold;letter-spacing:.08em;padding:.1rem .5rem;border-radius:4px;vertical-align:middle}
.penetapan{margin:0 0 .75rem;color:#444;font-size:.95rem}
.cetak-unit{display:none}
.komponen{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:.75rem;margin:0}
.k{border:1px solid #c9d3de;border-radius:6px;padding:.6rem .8rem;break-inside:avoid;background:#fff;min-width:0;overflow-wrap:break-word}
.k.lebar{grid-column:1/-1}
.k dt{font-weight:bold;color:#1f4e79;margin-bottom:.3rem}
.k dt .nomor{display:inline-block;min-width:1.6rem;height:1.6rem;line-height:1.6rem;text-align:center;border-radius:50%;background:#1f4e79;color:#fff;margin-right:.4rem;font-size:.85rem}
.k dd{margin:0}
.baris{list-style:none;margin:0;padding:0}
.baris li{display:flex;gap:.35rem;margin:.15rem 0}
.baris .n{flex:none;min-width:1.4rem}
.baris li>span:last-child{min-width:0;overflow-wrap:anywhere}
.bagan{display:block;max-width:100%;height:auto;margin-top:.5rem}
svg.bagan{margin-left:auto;margin-right:auto}
svg.bagan text{font-family:"Liberation Sans",Arial,Helvetica,sans-serif}
.maklumat{margin-top:2rem;border:3px double #1f4e79;padding:1rem 1.25rem}
.maklumat h2{text-align:center;letter-spacing:.1em}
.ttd{margin:1.5rem 0 0 auto;width:max-content;max-width:100%;text-align:center}
.ttd p{margin:.1rem 0}.ttd .nama{font-weight:bold;text-decoration:underline;margin-top:2.5rem}
.pengaduan{margin-top:2rem}
.saluran{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(15rem,1fr));gap:.5rem}
.saluran li{border:1px solid #c9d3de;border-radius:6px;padding:.5rem .75rem;min-width:0;overflow-wrap:anywhere}
.saluran strong{display:block}
footer{margin-top:2rem;font-size:.8rem;color:#666;text-align:center}
@media (max-width:40rem){
 .halaman{padding:.75rem}
 .kop{flex-direction:column;text-align:center}
 h1{font-size:1.2rem}
 .komponen{grid-template-columns:1fr}
 nav ol{columns:1}
}
@page{size:A4 portrait;margin:12mm}
@page poster-a3{size:A3 portrait;margin:15mm}
@media print{
 body{background:#fff;font-size:10.5pt}
 .halaman{max-width:none;padding:0}
 footer{display:none}
 a{color:inherit;text-decoration:none}
 .layanan,.maklumat{break-before:page}
 .layanan{border-top:none;margin-top:0;padding-top:0}
 .cetak-unit{display:block;margin:0 0 .5rem;padding-bottom:.3rem;border-bottom:2px solid #1f4e79;font-weight:bold;text-transform:uppercase}
 nav a{text-decoration:none}
 .k,.saluran li,.ttd{break-inside:avoid}
 .rancangan{border:2px solid #b00020;background:none;color:#b00020}
 .kertas-a3 body{page:poster-a3;font-size:15pt}
 .kertas-a3 .kop img{width:110px;height:110px}
}
"""

# Components that hold long lists read better across the whole width.
_WIDE = {"persyaratan", "prosedur"}


def _lines_html(lines: list[dict]) -> str:
    items = []
    for line in lines:
        number = f'<span class="n">{_e(_clean(line["nomor"]))}</span>' if line["nomor"] else ""
        items.append(f"<li>{number}<span>{_e(_clean(line['teks']))}</span></li>")
    return f'<ul class="baris">{"".join(items)}</ul>'


def _component_html(unit: Unit, service: Service, component: tables.Component) -> str:
    lines = wording.component_lines(service, component.key) or [{"nomor": "", "teks": "-"}]
    body = _lines_html(lines)
    if component.key == "prosedur" and service.bagan_alir and (unit.root / service.bagan_alir).is_file():
        body += (f'<img class="bagan" src="{data_uri(unit.root / service.bagan_alir)}" '
                 f'alt="Bagan alir {_e(_clean(service.nama))}">')
    elif component.key == "prosedur":
        steps = sp_context.drawn_steps(service)
        if steps is not None:
            body += flowchart_svg(steps, service.slug, service.nama)
    wide = " lebar" if component.key in _WIDE else ""
    return (f'<div class="k{wide}" data-komponen="{component.key}"><dt><span class="nomor">{component.nomor}</span>'
            f"{_e(component.label)}</dt><dd>{body}</dd></div>")


_SVG_PROLOGUE = re.compile(r"\A.*?(?=<svg\b)", re.DOTALL)
_SVG_TITLE = re.compile(r"<title>[^<]*</title>\n?")
_SVG_ID = re.compile(r'\b(id|href)="(#?)([^"]*)"')


@functools.lru_cache(maxsize=256)
def _svg(steps: tuple) -> str:
    return flowchart.draw(list(steps), "svg").decode("utf-8")


def flowchart_svg(steps: list, slug: str, nama: str) -> str:
    """The drawn bagan alir as inline SVG (scalable, text selectable): without its XML prologue,
    its ids prefixed with the service's slug (one page holds every service), labelled for screen
    readers. Graphviz escapes the steps' text."""
    svg = _SVG_PROLOGUE.sub("", _svg(tuple(steps)), count=1)
    svg = _SVG_TITLE.sub("", svg)  # Graphviz's node names ("step1") would show as tooltips
    prefix = f"bagan-{re.sub(r'[^A-Za-z0-9_-]', '-', slug)}-"
    svg = _SVG_ID.sub(lambda m: f'{m.group(1)}="{m.group(2)}{prefix}{m.group(3)}"', svg)
    label = _e(f"Bagan alir {_clean(nama)}")
    return svg.replace("<svg ", f'<svg class="bagan" role="img" aria-label="{label}" ', 1).strip()


def _penetapan_text(unit: Unit, service: Service) -> str:
    if service.is_draft:
        return ("Rancangan: standar pelayanan ini belum ditetapkan dan masih dapat berubah setelah "
                "dibahas bersama masyarakat dalam Forum Konsultasi Publik.")
    words = f"Ditetapkan dengan Keputusan {unit.pimpinan.jabatan}".rstrip()
    if service.penetapan_nomor:
        words += f" Nomor {service.penetapan_nomor}"
    if service.penetapan_tanggal:
        words += f" tanggal {fmt_id.tanggal(service.penetapan_tanggal)}"
    return words + "."


def _service_html(unit: Unit, service: Service) -> str:
    status = "rancangan" if service.is_draft else "ditetapkan"
    badge = ' <span class="rancangan">RANCANGAN</span>' if service.is_draft else ""
    components = "".join(_component_html(unit, service, c) for c in tables.components_of("penyampaian"))
    return (f'<section class="layanan" id="layanan-{_e(service.slug)}" data-status="{status}">'
            f'<p class="cetak-unit">{_e(_clean(unit.instansi))} — {_e(_clean(unit.nama))}</p>'
            f"<h2>{_e(_clean(service.nama))}{badge}</h2>"
            f'<p class="penetapan">{_e(_clean(_penetapan_text(unit, service)))}</p>'
            f'<dl class="komponen">{components}</dl></section>')


def _kop_html(unit: Unit) -> str:
    logo = unit.logo
    image = (f'<img src="{data_uri(logo)}" alt="Logo {_e(_clean(unit.instansi))}">'
             if logo is not None and logo.is_file() else "")
    contacts = []
    if unit.contact("alamat"):
        contacts.append(_e(_clean(unit.contact("alamat"))))
    for key, label in (("telepon", "Telepon"), ("email", "Pos-el"), ("laman", "Laman")):
        if unit.contact(key):
            contacts.append(f"{label}: {contact_link(unit.contact(key))}")
    lines = "".join(f"<p>{line}</p>" for line in contacts)
    return (f'<header class="kop">{image}<div><p class="instansi">{_e(_clean(unit.instansi))}</p>'
            f"<h1>{_e(_clean(unit.nama))}</h1>{lines}</div></header>")


def _maklumat_html(unit: Unit) -> str:
    data = sp_context.maklumat(unit)
    ttd = data["ttd"]
    statements = _lines_html(data["maklumat"]["pernyataan"])
    place_date = "" if ttd["tanggal"] == layout.DATE_PLACEHOLDER else f"<p>{_e(ttd['tempat_tanggal'])}</p>"
    signer = [f"<p>{_e(ttd['jabatan'])}</p>", f'<p class="nama">{_e(ttd["nama"])}</p>']
    if ttd["pangkat"]:
        signer.append(f"<p>{_e(ttd['pangkat'])}</p>")
    if ttd["nip"]:
        signer.append(f"<p>NIP {_e(ttd['nip'])}</p>")
    return (f'<section class="maklumat" id="maklumat"><h2>{_e(data["maklumat"]["judul"])}</h2>{statements}'
            f'<div class="ttd">{place_date}{"".join(signer)}</div></section>')


def complaint_channels(unit: Unit) -> list[Channel]:
    """Every complaint channel named by any service, once each, in the order first named."""
    seen, channels = set(), []
    for service in unit.services:
        for channel in service.pengaduan:
            key = (fmt_id.fold(channel.saluran).casefold(), fmt_id.fold(channel.kontak).casefold())
            if key not in seen:
                seen.add(key)
                channels.append(channel)
    return channels


def _channels_html(unit: Unit) -> str:
    items = "".join(
        f"<li><strong>{_e(_clean(c.saluran))}</strong>{contact_link(c.kontak) if c.kontak else ''}</li>"
        for c in complaint_channels(unit)
    )
    return (f'<section class="pengaduan" id="pengaduan"><h2>Saluran {_e(tables.label("pengaduan"))}</h2>'
            f'<ul class="saluran">{items}</ul></section>')


def publication_page(unit: Unit, *, paper: str = "A4") -> str:
    """The unit's publication page as one self-contained HTML document."""
    if paper not in PAPERS:
        raise UserError(f'ukuran kertas poster "{paper}" tidak dikenal; pilih {" atau ".join(PAPERS)}')
    drafts = [s for s in unit.services if s.is_draft]
    toc = "".join(f'<li><a href="#layanan-{_e(s.slug)}">{_e(_clean(s.nama))}</a>'
                  f'{" (RANCANGAN)" if s.is_draft else ""}</li>' for s in unit.services)
    notice = (f'<p class="peringatan-rancangan">{len(drafts)} dari {len(unit.services)} standar pelayanan di '
              "halaman ini masih RANCANGAN: belum ditetapkan dan masih dapat berubah.</p>" if drafts else "")
    title = f"Standar Pelayanan {_clean(unit.nama)}"
    return "".join([
        f'<!DOCTYPE html>\n<html lang="id" class="kertas-{paper.lower()}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{_PAGE_CSS}</style></head>",
        f'<body><div class="halaman">{_kop_html(unit)}',
        '<p class="judul"><strong>STANDAR PELAYANAN</strong></p>',
        '<p class="pengantar">Persyaratan, prosedur, waktu, biaya, produk, dan saluran pengaduan setiap '
        "jenis pelayanan, sebagaimana ditetapkan dalam Standar Pelayanan.</p>",
        notice,
        f'<nav aria-label="Jenis pelayanan"><h2>Jenis Pelayanan</h2><ol>{toc}</ol></nav>',
        "<main>", *(_service_html(unit, s) for s in unit.services),
        _maklumat_html(unit), _channels_html(unit), "</main>",
        f"<footer>Dibuat dengan sp-builder {_e(__version__)}</footer></div></body></html>\n",
    ])


# ---------------------------------------------------------------------------------------------
# The index of a build

_INDEX_CSS = """
*{box-sizing:border-box}
body{margin:0 auto;max-width:72rem;padding:1rem;font-family:"Noto Sans","Liberation Sans",Arial,sans-serif;color:#1a1a1a;line-height:1.4}
h1{font-size:1.4rem;color:#1f4e79}h2{font-size:1.15rem;margin-top:2rem;border-bottom:2px solid #1f4e79}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border:1px solid #bbb;padding:.3rem .45rem;vertical-align:top;text-align:left}
th{background:#e8eef5}.angka{text-align:right}.scroll{overflow-x:auto}
.galat{color:#b00020;font-weight:bold}.ok{color:#1b7a1b}.rancangan{color:#b00020}
.zona-Hijau{color:#1b7a1b}.zona-Kuning{color:#9a7b00}.zona-Merah{color:#b00020}
.ringkas{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;padding:0;list-style:none}
.ringkas strong{font-size:1.3rem}
ul.dokumen{padding-left:1.2rem}code{overflow-wrap:anywhere}
@media (max-width:40rem){
 th,td{padding:.25rem}
 #unit thead,.layanan thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
 #unit,#unit tbody,.layanan,.layanan tbody{display:block}
 #unit tr,.layanan tr{display:block;border:1px solid #bbb;border-radius:6px;margin:0 0 .75rem}
 #unit td,.layanan td{display:flow-root;padding:.3rem .45rem .3rem 8.5rem;border:0;border-top:1px solid #e2e2e2;text-align:left;overflow-wrap:anywhere}
 #unit td:first-child,.layanan td:first-child{border-top:0;background:#e8eef5;border-radius:6px 6px 0 0}
 #unit td::before,.layanan td::before{content:attr(data-label);float:left;margin-left:-8.05rem;width:7.6rem;font-weight:bold;color:#1a1a1a}
}
"""


def _href(path: str) -> str:
    return _e(quote(path))


def _links(outputs: list[dict]) -> str:
    """Links for the files of one document: "Word", "PDF", ... by suffix."""
    names = {".docx": "Word", ".pdf": "PDF", ".html": "HTML", ".json": "JSON"}
    return " · ".join(f'<a href="{_href(o["path"])}">{names.get(Path(o["path"]).suffix, Path(o["path"]).suffix)}</a>'
                      for o in outputs)


def _grouped(outputs: list[dict]) -> list[tuple[str, list[dict]]]:
    """Outputs grouped by title (a .docx and its PDF share one), in manifest order."""
    groups: dict[str, list[dict]] = {}
    for output in outputs:
        groups.setdefault(output["title"], []).append(output)
    return list(groups.items())


def _status_cell(unit: dict) -> str:
    if unit["status"] == "galat":
        return '<span class="galat">galat</span>'
    return '<span class="ok">siap</span>'


def _kategori(unit: dict) -> str:
    cat = unit.get("kategori")
    if not cat:
        return "-"
    return f'<span class="zona-{_e(cat.get("zona", ""))}">{_e(cat["kode"])} ({_e(cat["nama"])})</span>'


def _indeks(unit: dict) -> str:
    """The estimated index; marked * when the unit has no self-assessment, so it is only a floor."""
    if unit.get("indeks") is None:
        return "-"
    floor = '<abbr title="tanpa penilaian mandiri: batas bawah">*</abbr>' if unit.get("penilaian_mandiri") is False else ""
    return _e(fmt_id.desimal(unit["indeks"])) + floor


def _publication(unit: dict) -> dict | None:
    return next((o for o in unit["outputs"] if o["kind"] == "publikasi"), None)


def _unit_row(n: int, unit: dict) -> str:
    services = unit["services"]
    drafts = sum(1 for s in services if s["status"] != "ditetapkan")
    page = _publication(unit)
    link = f'<a href="{_href(page["path"])}">buka</a>' if page else "-"
    return (f'<tr data-unit="{_e(unit["path"])}"><td class="angka" data-label="No">{n}</td>'
            f'<td data-label="Unit"><a href="#unit-{n}">{_e(unit["unit"] or unit["path"])}</a>'
            f'<br><small>{_e(unit.get("instansi", ""))}</small></td><td data-label="Status">{_status_cell(unit)}</td>'
            f'<td class="angka" data-kolom="layanan" data-label="Layanan">{len(services)}</td>'
            f'<td class="angka" data-kolom="ditetapkan" data-label="Ditetapkan">{len(services) - drafts}</td>'
            f'<td class="angka" data-kolom="rancangan" data-label="Rancangan">{drafts}</td>'
            f'<td class="angka" data-kolom="galat" data-label="Galat">{unit["errors"]}</td>'
            f'<td class="angka" data-kolom="peringatan" data-label="Peringatan">{unit["warnings"]}</td>'
            f'<td class="angka" data-kolom="indeks" data-label="Indeks">{_indeks(unit)}</td>'
            f'<td data-label="Kategori">{_kategori(unit)}</td>'
            f'<td data-kolom="publikasi" data-label="Halaman publikasi">{link}</td></tr>')


def _unit_section(n: int, unit: dict) -> str:
    h = [f'<section id="unit-{n}" data-unit="{_e(unit["path"])}"><h2>{n}. {_e(unit["unit"] or unit["path"])}</h2>',
         f'<p>Folder: <code>{_e(unit["path"])}</code> — {_status_cell(unit)}; {unit["errors"]} galat, '
         f'{unit["warnings"]} peringatan; indeks perkiraan {_indeks(unit)} {_kategori(unit)}</p>']
    if unit["issues"]:
        h.append('<ul class="masalah">')
        h += [f'<li class="galat">{_e(i["file"])}{":" + str(i["line"]) if i["line"] else ""}: '
              f'{_e(i["component"] + ": " if i["component"] else "")}{_e(i["message"])}</li>' for i in unit["issues"]]
        h.append("</ul>")
    h += [f"<p><small>{_e(note)}</small></p>" for note in unit["notes"]]
    by_service: dict[str, list[dict]] = {}
    for output in unit["outputs"]:
        if output.get("layanan"):
            by_service.setdefault(output["layanan"], []).append(output)
    h.append('<div class="scroll"><table class="layanan"><thead><tr><th>No</th><th>Layanan</th><th>Status</th>'
             "<th>Galat</th><th>Peringatan</th><th>Standar Pelayanan</th></tr></thead><tbody>")
    for k, service in enumerate(unit["services"], start=1):
        status = service["status"]
        h.append(f'<tr data-layanan="{_e(service["slug"])}"><td class="angka" data-label="No">{k}</td>'
                 f'<td data-label="Layanan">{_e(service["nama"])}</td>'
                 f'<td class="{_e(status)}" data-label="Status">{_e(status)}</td>'
                 f'<td class="angka" data-label="Galat">{service["errors"]}</td>'
                 f'<td class="angka" data-label="Peringatan">{service["warnings"]}</td>'
                 f'<td data-label="Standar Pelayanan">{_links(by_service.get(service["slug"], [])) or "-"}</td></tr>')
    h.append("</tbody></table></div>")
    others = [o for o in unit["outputs"] if not o.get("layanan")]
    if others:
        h.append('<ul class="dokumen">')
        h += [f"<li>{_e(title)}: {_links(files)}</li>" for title, files in _grouped(others)]
        h.append("</ul>")
    h.append("</section>")
    return "".join(h)


def index_page(manifest: dict) -> str:
    """The index of a build output folder, from its manifest; links are relative to the folder."""
    units = manifest["units"]
    services = [s for u in units for s in u["services"]]
    established = sum(1 for s in services if s["status"] == "ditetapkan")
    failed = sum(1 for u in units if u["status"] == "galat")
    h = ['<!DOCTYPE html>\n<html lang="id"><head><meta charset="utf-8">',
         '<meta name="viewport" content="width=device-width, initial-scale=1">',
         f"<title>Standar Pelayanan — {len(units)} unit</title><style>{_INDEX_CSS}</style></head><body>",
         "<h1>Standar Pelayanan: dokumen dan kesiapan per unit</h1>",
         f'<ul class="ringkas"><li><strong id="jumlah-unit">{len(units)}</strong> unit</li>'
         f'<li><strong id="jumlah-layanan">{len(services)}</strong> layanan</li>'
         f'<li><strong id="jumlah-ditetapkan">{established}</strong> ditetapkan</li>'
         f'<li><strong id="jumlah-rancangan">{len(services) - established}</strong> rancangan</li>'
         f'<li><strong id="jumlah-galat">{failed}</strong> unit bergalat</li></ul>',
         '<div class="scroll"><table id="unit"><thead><tr><th>No</th><th>Unit</th><th>Status</th><th>Layanan</th>'
         "<th>Ditetapkan</th><th>Rancangan</th><th>Galat</th><th>Peringatan</th><th>Indeks</th>"
         "<th>Kategori</th><th>Halaman publikasi</th></tr></thead><tbody>"]
    h += [_unit_row(n, unit) for n, unit in enumerate(units, start=1)]
    h.append("</tbody></table></div>")
    if any(unit.get("penilaian_mandiri") is False for unit in units):
        h.append('<p id="catatan-indeks"><small>* Unit tanpa jawaban penilaian mandiri (evaluasi.yaml): indeksnya '
                 "hanya menghitung yang dibuktikan berkas unit, sehingga merupakan batas bawah.</small></p>")
    h += [_unit_section(n, unit) for n, unit in enumerate(units, start=1)]
    h.append(f"<footer><p><small>sp-builder {_e(manifest['sp_builder'])}</small></p></footer></body></html>\n")
    return "".join(h)
