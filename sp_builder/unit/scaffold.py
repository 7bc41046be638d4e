"""`init`: a new unit folder from commented examples that validate clean, worded for its kind.

templates/init/ holds the files with @@key@@ tokens; templates/init/jenis.yaml the wording of each
kind of unit (Dinas, Kecamatan, Puskesmas, ...). Besides those files the scaffold writes an
evaluasi.yaml skeleton of the default instrument (every indicator as a comment), a header-only
survey template under skm/templat/ and an F-03 one under f03/templat/ (subfolders, so no command
reads them as answers) and bukti/.
"""

from __future__ import annotations

import json
import re
import string
from importlib import resources
from pathlib import Path

from sp_builder import tables
from sp_builder.errors import UserError
from sp_builder.files import parse_yaml
from sp_builder.instrument import DEFAULT_INSTRUMENT, FORM_F03, available, load_instrument
from sp_builder.write import write_text_atomic

KIND_FILE = "jenis.yaml"
DEFAULT_KIND = "dinas"
_TOKEN = re.compile(r"@@([a-z_]+)@@")
_BLOCK = re.compile(r"^([ \t]*)@@([a-z_]+)@@[ \t]*$", re.M)
# A plain YAML scalar that needs no quotes: starts with a letter or digit, no ": ", " #", flow signs.
_PLAIN = re.compile(r"^[A-Za-z0-9(][^:#{}\[\],&*!|>'\"%@`]*$")


def _base():
    return resources.files("sp_builder.templates").joinpath("init")


def _kinds_data() -> dict:
    text = _base().joinpath(KIND_FILE).read_text(encoding="utf-8")
    return parse_yaml(text)


def kinds() -> tuple[str, ...]:
    """The kinds of unit `init --jenis` knows, in the order of jenis.yaml."""
    return tuple(_kinds_data()["jenis"])


def _scaffold_files() -> list[tuple[str, str]]:
    """(relative path, text) of every unit file in templates/init/ (jenis.yaml excluded)."""
    out = []
    stack = [(_base(), "")]
    while stack:
        folder, prefix = stack.pop()
        for entry in folder.iterdir():
            rel = f"{prefix}{entry.name}"
            if entry.is_dir():
                stack.append((entry, rel + "/"))
            elif entry.name.endswith(".yaml") and rel != KIND_FILE:
                out.append((rel, entry.read_text(encoding="utf-8")))
    return sorted(out)


def _scalar(text: str) -> str:
    """text as a YAML scalar: plain when that reads back as the same text, else double-quoted."""
    text = str(text)
    if _PLAIN.match(text) and text == text.strip() and ": " not in text:
        return text
    return json.dumps(text, ensure_ascii=False)


def _values(kind: str, nama: str | None) -> dict[str, str]:
    data = _kinds_data()
    if kind not in data["jenis"]:
        raise UserError(f'jenis unit "{kind}" tidak dikenal; pilih salah satu: {", ".join(data["jenis"])}')
    values = dict(data["bawaan"]) | dict(data["jenis"][kind])
    name = " ".join((nama or values["nama"]).split())
    if not name:
        raise UserError("--nama tidak boleh kosong")
    prefixes = values.get("awalan") or []
    if prefixes and not any(name.lower().startswith(p.lower() + " ") for p in prefixes):
        name = f'{values["awalan_baku"]} {name}'  # "Sukamaju" for a Kecamatan is "Kecamatan Sukamaju"
    short = name
    for prefix in prefixes:
        if short.lower().startswith(prefix.lower() + " "):
            short = short[len(prefix):].strip()
            break
    fill = {"nama": name, "sebutan": short}
    out = {key: string.Template(str(value)).safe_substitute(fill)
           for key, value in values.items() if isinstance(value, str)}
    out["unit"] = name
    code = out["kode_nomor"]
    out["nomor_contoh"] = f"000.8/001/{code}/2025"
    out["nomor_ba"] = f"000.8/001/{code}/2025"
    out["nomor_undangan"] = f"005/010/{code}/2025"
    agreement = {"layanan": out["layanan_kode"], "komponen": "jangka_waktu",
                 "semula": out["semula"], "menjadi": out["jangka_waktu"]}
    out["kesepakatan"] = "- {" + ", ".join(f"{k}: {_scalar(v)}" for k, v in agreement.items()) + "}"
    return out


def _fill(text: str, values: dict[str, str]) -> str:
    def block(m: re.Match) -> str:
        indent, key = m.group(1), m.group(2)
        return "\n".join(indent + line if line else line for line in values[key].splitlines())

    text = _BLOCK.sub(block, text)
    return _TOKEN.sub(lambda m: _scalar(values[m.group(1)]), text)


def evaluation_skeleton() -> str:
    """evaluasi.yaml for the default instrument: every indicator a commented answer line."""
    inst = load_instrument(DEFAULT_INSTRUMENT)
    lines = [
        "# evaluasi.yaml — penilaian mandiri sebelum PEKPPP (evaluasi kinerja pelayanan publik).",
        f"# Instrumen: {inst.nama}.",
        f"# Rincian setiap indikator, opsi 0–5, bobot, dan bukti dukung: sp-builder instrumen {inst.id}",
        "# Mengisi jawaban: hapus \"{}\" setelah jawaban:, lalu hapus tanda # di depan baris indikator",
        "# yang dijawab dan isi opsi (kode opsi), catatan, dan berkas bukti di folder bukti/.",
        "# `sp-builder check .` membandingkan jawaban dengan yang dibuktikan berkas unit.",
        f"instrumen: {inst.id}",
        "periode: 2026",
        "jawaban: {}",
    ]
    for aspect in inst.aspek:
        lines.append(f"  # --- Aspek {aspect.id}. {aspect.nama} (bobot {round(aspect.bobot * 100)}%) ---")
        for ind in aspect.indikator:
            codes = "/".join(o.kode for o in ind.opsi)
            teks = " ".join(ind.teks.split())
            lines.append(f"  # {ind.id}: {{opsi: \"?\", catatan: \"\", bukti: []}}   # opsi {codes} — {teks}")
    return "\n".join(lines) + "\n"


def survey_template() -> str:
    """Header of a survey file in the questionnaire's order: respondent profile, then U1..U9."""
    unsur = [u["kode"] for u in tables.load_data("skm.yaml")["unsur"]]
    return ",".join(["tanggal", "layanan", "umur", "jenis_kelamin", "pendidikan", "pekerjaan", *unsur]) + "\n"


def f03_template() -> str:
    """Header of an F-03 answers file (the service users' PEKPPP form): the items' codes in order."""
    form = load_instrument(available(FORM_F03)[-1], formulir=FORM_F03)
    return ",".join(ind.id for aspect in form.aspek for ind in aspect.indikator) + "\n"


def init_unit(target: Path, kind: str = DEFAULT_KIND, nama: str | None = None) -> tuple[list[Path], list[Path]]:
    """Write the scaffold into target. Never overwrites: existing files are skipped and returned."""
    values = _values(kind, nama)
    if target.exists() and not target.is_dir():
        raise UserError(f"{target} sudah ada dan bukan folder")
    if (target / "unit.yaml").exists():
        raise UserError(f"{target} sudah berisi unit.yaml; init tidak menimpa unit yang sudah ada")
    files = []
    for rel, text in _scaffold_files():
        if rel == "layanan/contoh-layanan.yaml":
            rel = f"layanan/{values['layanan_kode']}.yaml"
        files.append((rel, _fill(text, values)))
    files.append(("evaluasi.yaml", evaluation_skeleton()))
    files.append(("skm/templat/survei-skm.csv", survey_template()))
    files.append(("f03/templat/f03-pengguna-layanan.csv", f03_template()))
    written, skipped = [], []
    for rel, text in files:
        path = target / rel
        if path.exists():
            skipped.append(path)
            continue
        write_text_atomic(path, text)
        written.append(path)
    for folder in ("skm", "bukti"):
        (target / folder).mkdir(parents=True, exist_ok=True)
    return written, skipped
