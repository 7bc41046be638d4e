"""`sp-builder instrumen [ID]`: the shipped instruments, and one instrument in full — every aspect
and indicator with its weight, options and scores, and the evidence evaluators ask to see — as
data (JSON) and as text. Views of `Instrument` only; nothing here scores a unit."""

from __future__ import annotations

import json
from decimal import Decimal

from sp_builder import fmt_id
from sp_builder.instrument import (DEFAULT_INSTRUMENT, FORM_F03, Aspect, Indicator, Instrument, load_instrument,
                                   shipped)

_METHOD = {"tertimbang": "rata-rata tertimbang menurut bobot indikator",
           "rata_rata": "rata-rata skor indikator (bobot indikator sama dalam aspeknya)"}
_ROLE_WORDS = {"dihasilkan": "dibuat sp-builder", "bahan": "bahannya dari sp-builder"}


def _number(value: Decimal | float, places: int = 4) -> float:
    return float(fmt_id.bulat(Decimal(str(value)), places))


def _percent(value: Decimal | float) -> str:
    """17 → "17", 11.1111 → "11,11" (Indonesian notation, no trailing zeros)."""
    shown = fmt_id.desimal(Decimal(str(value)), 2)
    return shown.rstrip("0").rstrip(",") if "," in shown else shown


def _unit_word(instrument: Instrument) -> str:
    return "butir" if instrument.formulir == FORM_F03 else "indikator"


# ---------------------------------------------------------------------------------------------
# Data


def catalogue() -> dict:
    """Every shipped instrument (F-02) and questionnaire (F-03), the default marked."""
    entries = []
    loaded = [load_instrument(ident, formulir=None) for ident in shipped()]
    for inst in sorted(loaded, key=lambda i: (i.formulir, i.id)):  # F-02 instruments before F-03 forms
        entries.append({"id": inst.id, "nama": inst.nama, "formulir": inst.formulir,
                        "indikator": len(inst.indicators), "nilai_aspek": inst.nilai_aspek,
                        "bawaan": inst.id == DEFAULT_INSTRUMENT})
    return {"bawaan": DEFAULT_INSTRUMENT, "instrumen": entries}


def _indicator_data(inst: Instrument, aspect: Aspect, ind: Indicator) -> dict:
    return {
        "id": ind.id, "teks": ind.teks,
        "bobot_dalam_aspek": _number(inst.weight_in_aspect(aspect, ind)),
        "bobot_persen": ind.bobot_persen,
        "bobot_dalam_indeks": _number(inst.indicator_share(aspect, ind), 6),
        "bobot_keyakinan": ind.bobot_keyakinan, "sumber": ind.sumber, "keyakinan": ind.keyakinan,
        "dari_berkas": ind.dari_berkas,
        "opsi": [{"kode": o.kode, "teks": o.teks, "nilai": o.nilai} for o in ind.opsi],
        "bukti": [{"teks": b.teks, "keyakinan": b.keyakinan, "dihasilkan": b.dihasilkan, "bahan": b.bahan,
                   "berkas": inst.keluaran[b.dihasilkan or b.bahan].berkas if (b.dihasilkan or b.bahan) else None}
                  for b in ind.bukti],
    }


def describe(inst: Instrument) -> dict:
    """One instrument in full."""
    return {
        "id": inst.id, "nama": inst.nama, "formulir": inst.formulir, "bawaan": inst.id == DEFAULT_INSTRUMENT,
        "dasar_hukum": list(inst.dasar_hukum), "nilai_aspek": inst.nilai_aspek, "skala": {"max": inst.skala_max},
        "aspek": [{"id": a.id, "nama": a.nama, "bobot": a.bobot, "bobot_persen": _number(a.bobot * 100, 2),
                   "indikator": [_indicator_data(inst, a, i) for i in a.indikator]} for a in inst.aspek],
        "kategori": [{"kode": c.kode, "nama": c.nama, "min": float(c.min), "max": float(c.max), "zona": c.zona}
                     for c in sorted(inst.kategori, key=lambda c: c.min)],
        "keluaran": {tag: {"jenis": o.jenis, "berkas": o.berkas, "judul": o.judul} for tag, o in inst.keluaran.items()},
    }


# ---------------------------------------------------------------------------------------------
# Text


def catalogue_text(data: dict) -> str:
    entries = data["instrumen"]
    width = max(len(e["id"]) for e in entries)
    out = ["INSTRUMEN PENILAIAN BAWAAN (* = bawaan, dipakai bila evaluasi.yaml tidak menyebut instrumen)"]
    for e in entries:
        word = "butir" if e["formulir"] == FORM_F03 else "indikator"
        out.append(f"  {'*' if e['bawaan'] else ' '} {e['id']:{width}s}  {e['formulir']}  "
                   f"{e['indikator']:>2} {word:9s}  {e['nama']}")
    out += ["", "Formulir F-03 adalah kuesioner pengguna layanan, bukan instrumen untuk evaluasi.yaml.",
            "Rincian satu instrumen: sp-builder instrumen ID"]
    return "\n".join(out) + "\n"


def _evidence_line(inst: Instrument, item) -> str:
    tag = item.dihasilkan or item.bahan
    line = item.teks + (f" (keyakinan {item.keyakinan})" if item.keyakinan else "")
    if tag:
        role = "dihasilkan" if item.dihasilkan else "bahan"
        line += f" — {_ROLE_WORDS[role]}: {inst.keluaran[tag].berkas}"
    return line


def describe_text(inst: Instrument) -> str:
    word = _unit_word(inst)
    out = [f"INSTRUMEN {inst.id}" + (" (bawaan)" if inst.id == DEFAULT_INSTRUMENT else ""),
           f"Nama: {inst.nama}", f"Formulir: {inst.formulir}, {len(inst.indicators)} {word}"]
    if inst.dasar_hukum:
        out.append(f"Dasar hukum: {'; '.join(inst.dasar_hukum)}")
    out += [f"Nilai aspek: {_METHOD.get(inst.nilai_aspek, inst.nilai_aspek)}; skala 0–{inst.skala_max}",
            "Indeks = jumlah (bobot aspek × nilai aspek)."]
    for aspect in inst.aspek:
        out += ["", f"ASPEK {aspect.id}. {aspect.nama} — bobot {_percent(aspect.bobot * 100)}%"]
        for ind in aspect.indikator:
            weight = (f"bobot {_percent(inst.weight_in_aspect(aspect, ind) * 100)}% dari aspek, "
                      f"{_percent(inst.indicator_share(aspect, ind) * 100)}% dari indeks")
            if ind.bobot_keyakinan:
                weight += f"; keyakinan bobot {ind.bobot_keyakinan}"
            out += [f"  [{ind.id}] {ind.teks}", f"      {weight}", "      opsi (kode: teks → nilai):"]
            out += [f"        {o.kode}: {o.teks} → {o.nilai}" for o in ind.opsi]
            if ind.bukti:
                out.append("      bukti dukung:")
                out += [f"        · {_evidence_line(inst, b)}" for b in ind.bukti]
    out += ["", "KATEGORI (indeks dibulatkan dua desimal)"]
    for cat in sorted(inst.kategori, key=lambda c: c.min, reverse=True):
        out.append(f"  {cat.kode:3s} {cat.nama:24s} {fmt_id.desimal(cat.min)}–{fmt_id.desimal(cat.max)}"
                   + (f" ({cat.zona})" if cat.zona else ""))
    if any(i.bukti for i in inst.indicators.values()):
        out += ["", "Keyakinan: H dua sumber independen sepakat atau dokumen resmi; M+ dua implementasi pihak ketiga "
                    "sepakat tanpa teks resmi; M satu sumber; L disimpulkan. Berkas: keluaran sp-builder build di "
                    "folder keluaran unit (<layanan>, <fkp>: slug layanan dan FKP)."]
    return "\n".join(out) + "\n"


def render(ident: str | None, fmt: str) -> str:
    """The listing (no id) or one instrument (an id or a .json path), as text or JSON."""
    if ident is None:
        data = catalogue()
        return catalogue_text(data) if fmt == "text" else json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    inst = load_instrument(ident, formulir=None)
    return describe_text(inst) if fmt == "text" else json.dumps(describe(inst), ensure_ascii=False, indent=2) + "\n"
