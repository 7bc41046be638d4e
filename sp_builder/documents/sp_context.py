"""Rendering contexts: the model turned into plain dicts and lists of display-ready strings.

Templates (built-in or a user's) see only what is built here, never the raw YAML, so they keep
working when the input format grows. Everything is already formatted the Indonesian way (dates,
rupiah with terbilang, NIP groups), numbered where the document shows numbers, and free of
characters XML cannot hold. Images are `Picture` values; the renderer turns them into inline images
of the document being rendered.

Variables every built-in template can use:
- `rancangan` (bool): the document is a draft (only SPs of `rancangan` services).
- `kop`: instansi, unit, alamat, kontak, logo (Picture or "").
- `sp` (in sp.docx) and each item of `lampiran` (in sk.docx): nama, slug, unit, status, rancangan,
  lampiran ({jabatan, nomor, tanggal, tentang} or None), bagian (list of {nomor, judul, komponen}),
  komponen (by key), each component {nomor, key, label, baris [{nomor, teks}], gambar}, ttd.
- `sk`: jabatan, nomor, tanggal, tempat, tentang, menimbang [{huruf, teks}], mengingat
  [{nomor, teks}], memperhatikan [{nomor, teks}] (the Berita Acara of the FKPs held before the
  penetapan; empty when none), menetapkan, diktum [{label, teks}].
- `maklumat`: judul, pernyataan [{nomor, teks}]; `ttd`: tempat_tanggal, tempat, tanggal, jabatan,
  nama, pangkat, nip.
"""

from __future__ import annotations

import collections
import datetime as dt
from dataclasses import dataclass, field
import functools
from typing import Any

from docx.image.image import Image

from sp_builder import fmt_id, tables
from sp_builder.unit import citations, wording
from sp_builder.unit.dasar_hukum import register_for

from sp_builder.documents import flowchart, layout, ooxml
from sp_builder.errors import UserError
from sp_builder.unit.model import Service, Unit, as_list

@dataclass(frozen=True)
class Picture:
    """An image to place in a document, fitted into a box of max_width × max_height millimetres:
    a file at `path`, or (`path` empty) the PNG bytes in `data`, or the bagan alir of `steps`,
    drawn where the document is rendered (in the worker process) and never enlarged."""

    path: str
    max_width_mm: float
    max_height_mm: float
    data: bytes = field(default=b"", repr=False)
    steps: tuple = field(default=(), repr=False)
    # A drawn chart too wide or tall for its cell goes on a page of its own after the document:
    # the pages it may take (orientation, room width and height in mm) and the service it draws.
    pages: tuple = ()
    title: str = ""


class NotApplicable(UserError):
    """The document cannot be made for this unit (e.g. an SK with no established service)."""


def clean(value: Any) -> Any:
    """Strip characters XML 1.0 cannot carry, recursively; everything else stays as written."""
    if isinstance(value, str):
        return ooxml.xml_safe(value)
    if isinstance(value, dict):
        return {key: clean(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(item) for item in value]
    return value


# ---------------------------------------------------------------------------------------------
# Components


def _flowchart(unit: Unit, service: Service) -> Picture | str:
    """The unit's `bagan_alir` image, fitted to the SP's Uraian column (its full width, or less when
    that would make it taller than the page's room for it); without one, the flowchart drawn from
    the procedure steps (two or more), at most that wide and high."""
    paper = layout.paper_for("sp", unit)
    width_mm, height_mm = _flowchart_box(paper)
    if service.bagan_alir:
        return Picture(str(unit.root / service.bagan_alir), width_mm, height_mm)
    steps = drawn_steps(service)
    if steps is None:
        return ""
    return Picture("", width_mm, height_mm, steps=tuple(steps), pages=_own_pages(paper), title=fmt_id.fold(service.nama))


def drawn_steps(service: Service) -> list[flowchart.Step] | None:
    """The steps to draw as the service's bagan alir: None when the unit gives its own image
    (`bagan_alir`), when the procedure has fewer than two steps, or when its shape cannot be
    drawn (validation says why; the documents show the steps as text)."""
    if service.bagan_alir:
        return None
    try:
        steps = flowchart.read_steps(service.raw("prosedur"))
    except UserError:
        return None
    return steps if len(steps) >= 2 else None


# Box text is wrapped so the lanes share the Uraian column at print size: a chart of one column
# gets wide boxes (and stays short), one of several narrower boxes (and keeps its text readable;
# it is shrunk only when even the narrowest do not fit). About 4,6 pt a character at 9 pt, and a
# lane is its box plus 46 pt (padding and the margins where "Tidak" connectors run).
WRAP_RANGE = (16, 52)


def _wrap_for(steps: list, width_mm: float) -> int:
    lanes = max(1, flowchart.lane_count(steps))
    chars = int((width_mm / 25.4 * 72 / lanes - 46) / 4.6)
    return max(WRAP_RANGE[0], min(WRAP_RANGE[1], chars))


@functools.lru_cache(maxsize=512)
def drawn_png(steps: tuple, wrap: int = 0, fill_mm: float = 0.0) -> bytes:
    """PNG of these steps, its lanes sharing `fill_mm` (cached: an SK draws each of its Lampiran
    SPs again)."""
    return flowchart.draw(list(steps), "png", wrap or flowchart.WRAP, fill_mm)


def natural_mm(png: bytes) -> tuple[float, float]:
    """Print size of a PNG at its own resolution."""
    image = Image.from_blob(png)
    return (image.px_width / image.horz_dpi * 25.4, image.px_height / image.vert_dpi * 25.4)


# The picture's room in the SP table: the Uraian column less its cell margins (tools/build_templates),
# and the page's text height less the table's header row and the lines of the steps above it.
_CELL_MARGIN_MM = 1.0
_HEIGHT_RESERVE_MM = 35.0


# The room on a page of its own: the text area less the heading above the chart.
_OWN_PAGE_HEADING_MM = 20.0
# In its cell a chart printed at this share of its size or more stays there (its 9 pt text at
# 6,75 pt or more: three lanes do, four or more do not).
CELL_SCALE_KEPT = 0.75


def _own_pages(paper: str) -> tuple[tuple[str, float, float], ...]:
    """(orientation, width, height) in mm of the text area of a page of this paper, portrait and
    landscape, less the chart's heading."""
    width, height = (value.mm for value in layout.paper_size(paper))
    margins = layout.settings()["tepi_cm"]
    across, down = 10 * (margins["kiri"] + margins["kanan"]), 10 * (margins["atas"] + margins["bawah"])
    return (("potret", width - across, height - down - _OWN_PAGE_HEADING_MM),
            ("lanskap", height - across, width - down - _OWN_PAGE_HEADING_MM))


def placement(picture: Picture) -> tuple[str, bytes, float, float]:
    """Where a drawn chart goes and its print size: ("sel", png, w, h) in its cell when it prints
    there at CELL_SCALE_KEPT of its size or more, or better than on a page of its own; else
    ("potret" | "lanskap", png, w, h) on the page where it prints largest, redrawn for that width."""
    def fitted(width_mm: float, height_mm: float) -> tuple[float, bytes, float, float]:
        wrap = _wrap_for(list(picture.steps), width_mm)
        png = drawn_png(picture.steps, wrap, width_mm)
        natural_w, natural_h = natural_mm(png)
        scale = min(1.0, width_mm / natural_w, height_mm / natural_h)
        return scale, png, natural_w * scale, natural_h * scale

    cell = fitted(picture.max_width_mm, picture.max_height_mm)
    if cell[0] >= CELL_SCALE_KEPT or not picture.pages:
        return ("sel", *cell[1:])
    best = max(((fitted(w, h), name) for name, w, h in picture.pages), key=lambda x: x[0][0])
    (scale, png, width, height), name = best
    return ("sel", *cell[1:]) if scale <= cell[0] else (name, png, width, height)


def _flowchart_box(paper: str) -> tuple[float, float]:
    width, height = (value.mm for value in layout.paper_size(paper))
    margins = layout.settings()["tepi_cm"]
    text_w = width - 10 * (margins["kiri"] + margins["kanan"])
    text_h = height - 10 * (margins["atas"] + margins["bawah"])
    column = text_w * layout.settings()["tabel_sp"]["lebar_persen"][-1] / 100 - 2 * _CELL_MARGIN_MM
    return column, text_h - _HEIGHT_RESERVE_MM


def signer(unit: Unit, date: dt.date | None, *, with_place_date: bool = True) -> dict:
    """The head's signature block; an unknown date prints the dotted blank of a draft."""
    head = unit.pimpinan
    when = fmt_id.tanggal(date) if date else layout.DATE_PLACEHOLDER
    place_date = f"{unit.kota}, {when}" if unit.kota else when
    return {
        "tempat_tanggal": place_date if with_place_date else "",
        "tempat": unit.kota,
        "tanggal": when,
        "jabatan": head.jabatan,
        "nama": head.nama,
        "pangkat": head.pangkat,
        "nip": fmt_id.nip(head.nip) if head.nip else "",
    }


def kop(unit: Unit) -> dict:
    lines = layout.kop_lines(unit)
    logo = unit.logo
    return {
        "instansi": unit.instansi,
        "unit": unit.nama,
        "alamat": lines[0] if lines else "",
        "kontak": lines[1] if len(lines) > 1 else "",
        "logo": Picture(str(logo), 23, 23) if logo and logo.is_file() else "",
    }


def tentang(unit: Unit) -> str:
    return f"Standar Pelayanan pada {unit.nama}"


def sp(unit: Unit, service: Service, keputusan: dict | None, *, in_sk: bool = False) -> dict:
    """One SP. `keputusan` ({jabatan, nomor, tanggal, tentang}) fills the Lampiran header block;
    inside an SK the signature block carries no place and date (the SK's own block has them)."""
    components = {}
    for comp in tables.components():
        components[comp.key] = {
            "nomor": str(comp.nomor),
            "key": comp.key,
            "label": comp.label,
            "baris": wording.component_lines(service, comp.key) or [wording.line("-")],
            "gambar": _flowchart(unit, service) if comp.key == "prosedur" else "",
        }
    parts = [
        {"nomor": part["nomor"], "judul": part["judul"],
         "komponen": [components[c.key] for c in tables.components_of(bagian)]}
        for bagian, part in tables.parts().items()
    ]
    return {
        "slug": service.slug,
        "nama": service.nama,
        "unit": unit.nama,
        "status": service.status,
        "rancangan": service.is_draft,
        "lampiran": keputusan,
        "bagian": parts,
        "komponen": components,
        "ttd": signer(unit, service.penetapan_tanggal, with_place_date=not in_sk),
    }


def sp_document(unit: Unit, service: Service) -> dict:
    """Context of sp.docx for one service; an established SP shows its Keputusan as Lampiran."""
    keputusan = None
    if not service.is_draft:
        keputusan = {
            "jabatan": unit.pimpinan.jabatan,
            "nomor": service.penetapan_nomor,
            "tanggal": fmt_id.tanggal(service.penetapan_tanggal) if service.penetapan_tanggal else "",
            "tentang": tentang(unit),
        }
    return clean({"rancangan": service.is_draft, "kop": kop(unit), "sp": sp(unit, service, keputusan)})


# ---------------------------------------------------------------------------------------------
# Keputusan


def established(unit: Unit) -> list[Service]:
    services = [s for s in unit.services if not s.is_draft]
    if not services:
        raise NotApplicable(
            f"belum ada layanan berstatus ditetapkan di {unit.root}; Keputusan (SK) hanya memuat "
            "Standar Pelayanan yang sudah ditetapkan. Tulis `status: ditetapkan` dan `penetapan` "
            "(nomor, tanggal) pada layanan yang sudah ditetapkan."
        )
    return services


def sk_number(services: list[Service]) -> str:
    """The SK number: the services' common `penetapan.nomor`. When they differ, the most frequent
    one; a tie goes to the number of the most recently established service."""
    counts = collections.Counter(s.penetapan_nomor for s in services)
    newest: dict[str, dt.date] = {}
    for s in services:
        newest[s.penetapan_nomor] = max(newest.get(s.penetapan_nomor, dt.date.min),
                                        s.penetapan_tanggal or dt.date.min)
    return max(counts, key=lambda nomor: (counts[nomor], newest[nomor]))


def latest_date(services: list[Service]) -> dt.date | None:
    dates = [s.penetapan_tanggal for s in services if s.penetapan_tanggal]
    return max(dates) if dates else None


def _fill(text: str, unit: Unit, **more: str) -> str:
    return fmt_id.fold(text).format(
        unit=unit.nama, jabatan=unit.pimpinan.jabatan, instansi=unit.instansi, **more
    )


def forums_before(unit: Unit, services: list[Service], fixed: dt.date | None) -> list:
    """The FKPs that discussed any of these services on or before the penetapan, oldest first."""
    slugs = {s.slug for s in services}
    return sorted((f for f in unit.fkps if f.tanggal and slugs & set(f.layanan) and (fixed is None or f.tanggal <= fixed)),
                  key=lambda f: f.tanggal)


def _closing_punctuation(texts: list[str]) -> list[str]:
    """Mengingat items end with ";" and the last with "." (NASKAH §5)."""
    return [text + (";" if n < len(texts) - 1 else ".") for n, text in enumerate(texts)]


def mengingat_lines(unit: Unit, services: list[Service]) -> list[str]:
    """The Mengingat of the Keputusan: every regulation the services cite, once, written in full,
    ordered by UU 12/2011 Pasal 7 then Pasal 8 (citations.merge_mengingat), titles from the unit's
    register (unit/dasar_hukum.py). Validation warns where two spellings carry different titles."""
    lines = [text for s in services for text in as_list(s.raw("dasar_hukum")) if isinstance(text, str)]
    return [entry.text for entry in citations.merge_mengingat(lines, register_for(unit.root).register)]


def sk(unit: Unit) -> dict:
    """Context of sk.docx: one Keputusan for all established services, their SPs as Lampiran."""
    services = established(unit)
    nomor = sk_number(services)
    date = latest_date(services)
    words = layout.settings()["sk"]
    menimbang = [_fill(text, unit) for text in words["menimbang"]]
    letters = [f"{wording.letters(n)}." for n in range(1, len(menimbang) + 1)] if len(menimbang) > 1 else [""]
    legal = mengingat_lines(unit, services)
    jabatan = unit.pimpinan.jabatan
    heard = [{"teks": _fill(words["memperhatikan"], unit, tanggal=fmt_id.tanggal(f.tanggal),
                            nomor=f" Nomor {f.nomor}" if f.nomor else "")}
             for f in forums_before(unit, services, date)]
    for n, item in enumerate(heard, start=1):
        item["nomor"] = f"{n}." if len(heard) > 1 else ""
        item["teks"] += ";" if n < len(heard) else "."
    keputusan = {
        "jabatan": jabatan,
        "nomor": nomor,
        "tanggal": fmt_id.tanggal(date) if date else "",
        "tentang": tentang(unit),
    }
    context = {
        "rancangan": False,
        "kop": kop(unit),
        "sk": {
            **keputusan,
            "tempat": unit.kota,
            "menimbang": [{"huruf": h, "teks": t} for h, t in zip(letters, menimbang)],
            "mengingat": wording.numbered(_closing_punctuation(legal)),
            "memperhatikan": heard,
            "menetapkan": f"KEPUTUSAN {jabatan.upper()} TENTANG {tentang(unit).upper()}.",
            "diktum": [{"label": d["label"], "teks": _fill(d["teks"], unit)} for d in words["diktum"]],
        },
        "ttd": signer(unit, date),
        "lampiran": [sp(unit, s, keputusan, in_sk=True) for s in services],
    }
    return clean(context)


# ---------------------------------------------------------------------------------------------
# Maklumat


def maklumat(unit: Unit) -> dict:
    """Context of maklumat.docx: the unit's statements (or the defaults), dated `maklumat_tanggal`
    or the latest penetapan date."""
    words = layout.settings()["maklumat"]
    statements = unit.maklumat or [fmt_id.fold(s) for s in words["pernyataan"]]
    date = unit.maklumat_tanggal or latest_date(
        [s for s in unit.services if not s.is_draft]
    )
    lines = wording.numbered(statements) if len(statements) > 1 else [wording.line(statements[0])]
    return clean({
        "rancangan": False,
        "kop": kop(unit),
        "maklumat": {"judul": words["judul"], "pernyataan": lines},
        "ttd": signer(unit, date),
    })
