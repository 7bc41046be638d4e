"""How a component reads as lines of text: numbered items, rupiah with terbilang, "6 (enam)
orang". The SP, the Keputusan's Lampiran, the publication page, `diff` and the rule that checks an
FKP agreement was applied all read a component through here, so they can never disagree."""

from __future__ import annotations

import re

from sp_builder import fmt_id, tables
from sp_builder.unit.model import Biaya, Service


def line(teks: str, nomor: str = "") -> dict:
    return {"nomor": nomor, "teks": teks}



def numbered(texts: list[str], style: str = "angka") -> list[dict]:
    marks = [f"{n}." for n in range(1, len(texts) + 1)] if style == "angka" else [
        f"{letters(n)}." for n in range(1, len(texts) + 1)
    ]
    return [line(text, mark) for text, mark in zip(texts, marks)]



def letters(n: int) -> str:
    """1 → a, 26 → z, 27 → aa: the lettering of rincian in Indonesian legal text."""
    out = ""
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(ord("a") + rest) + out
    return out



def paragraphs(text: str) -> list[dict]:
    parts = [part.strip() for part in re.split(r"\n\s*\n", text.strip())]
    return [line(part) for part in parts if part]



def person_count(n: int) -> str:
    return f"{fmt_id.angka_kata(n)} orang"



def biaya_lines(biaya: Biaya) -> list[dict]:
    """Free: "Rp0,00 (tidak dipungut biaya)"; a tarif with its terbilang, or as written; then the
    legal basis ("Dasar hukum: ..." or a lettered list)."""
    if biaya.free:
        lines = [line(fmt_id.rupiah_terbilang(0))]
    else:
        texts = [(fmt_id.rupiah_terbilang(fee.amount) + (f" {fee.tail}" if fee.tail else "")) if fee.amount is not None
                 else fee.text for fee in biaya.fees]
        if len(biaya.fees) == 1 and not biaya.fees[0].uraian:
            rows = [line(texts[0])]
        else:
            rows = numbered([f"{fee.uraian}: {text}" if fee.uraian else text
                              for fee, text in zip(biaya.fees, texts)])
        lines = []
        for fee, row in zip(biaya.fees, rows):  # a formula's factors under their row, lettered
            lines += [row] + numbered(list(fee.detail), "huruf")
    if biaya.basis_in_text and all(fee.amount is None for fee in biaya.fees):
        return lines  # the unit's sentence already names its basis; shown once
    if len(biaya.dasar_hukum) == 1:
        lines.append(line(f"Dasar hukum: {biaya.dasar_hukum[0]}"))
    elif biaya.dasar_hukum:
        lines.append(line("Dasar hukum:"))
        lines += numbered(list(biaya.dasar_hukum), "huruf")
    return lines



def _item_text(item) -> str:
    return f"{item.uraian} ({item.keterangan})" if item.keterangan else item.uraian


def item_lines(items: list) -> list[dict]:
    """Items numbered 1., 2., ...; a sub-list lettered a., b., ... under its item (`tingkat` 2)."""
    lines = []
    for n, item in enumerate(items, start=1):
        lines.append(line(_item_text(item), f"{n}."))
        for m, child in enumerate(item.children, start=1):
            lines.append({**line(_item_text(child), f"{letters(m)}."), "tingkat": 2})
    return lines


def _duration_lines(service: Service, raw) -> list[dict]:
    duration = service.jangka_waktu
    if duration is None:
        return [line(str(raw))]
    if isinstance(raw, (list, dict)):
        return [line(stage.text if not stage.label or stage.text.startswith(stage.label) else f"{stage.label}: {stage.text}")
                for stage in duration.stages]
    return [line(duration.text)]


def component_lines(service: Service, key: str) -> list[dict]:
    """The Uraian of one component as lines; lists are numbered 1., 2., ... (the numbering a unit
    typed itself is not repeated); a staged duration written as a list shows one stage per line."""
    raw = service.raw(key)
    if key == "jangka_waktu":
        return _duration_lines(service, raw) + [line(f"Waktu pelayanan: {hours}") for hours in service.waktu_pelayanan]
    if key == "biaya":
        return biaya_lines(service.biaya)
    if key == "pengaduan":
        return numbered([f"{c.saluran.rstrip(' ;:,')}: {c.kontak}" if c.kontak else c.saluran
                         for c in service.pengaduan])
    if key == "jumlah_pelaksana":
        staffing = service.jumlah_pelaksana
        if not staffing.rows:
            return [line(person_count(staffing.total))]
        rows = numbered([f"{jabatan}: {person_count(n)}" for jabatan, n in staffing.rows])
        return rows + [line(f"Jumlah: {person_count(staffing.total)}")]
    if isinstance(raw, str) and tables.component(key).jenis == "teks":
        return paragraphs(raw)
    return item_lines(service.items(key))
