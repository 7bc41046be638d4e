"""Benchmark: services per second for `validate` on a synthetic unit of 1 000 services.

Prints our figure (parse included) against a naive baseline measured in the same run: a plain
ruamel.yaml load (pure Python, YAML 1.2) plus cerberus on each file. Also prints the two slower
paths honestly: files libyaml cannot read (flow mappings holding URLs, re-read by the pure parser)
and files that all carry a warning (their positions must be composed).

    python bench/validate.py [N]
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path

import cerberus
from ruamel.yaml import YAML

from sp_builder import tables
from sp_builder.unit.scaffold import init_unit
from sp_builder.unit.validate import load_unit


def make_unit(root: Path, n: int, variant: str) -> None:
    scaffold = root.parent / f".init-{root.name}"
    init_unit(scaffold)  # the scaffold `init` writes: a unit.yaml and one commented service
    (root / "layanan").mkdir(parents=True)
    (root / "unit.yaml").write_text((scaffold / "unit.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    base = (scaffold / "layanan" / "contoh-layanan.yaml").read_text(encoding="utf-8")
    shutil.rmtree(scaffold)
    base = base.replace("status: rancangan", "status: ditetapkan\npenetapan: {nomor: 1/2025, tanggal: 2025-03-01}")
    if variant == "flow":
        base = base.replace("    - saluran: SP4N-LAPOR!\n      kontak: https://www.lapor.go.id",
                            "    - {saluran: SP4N-LAPOR!, kontak: https://www.lapor.go.id}")
    if variant == "warning":
        base = base.replace("    - Kursi roda dan jalan landai (ramp)\n", "").replace(
            "    - Loket prioritas bagi penyandang disabilitas, lansia, dan ibu hamil\n", "")
    for i in range(n):
        text = base.replace("Contoh Pelayanan Penerbitan Surat Keterangan", f"Pelayanan Nomor {i}")
        (root / "layanan" / f"layanan-{i:04d}.yaml").write_text(text, encoding="utf-8")


def ours(root: Path, today: dt.date) -> tuple[int, int]:
    unit, issues = load_unit(root, today=today)
    return len(unit.services), len(issues)


def naive(root: Path) -> int:
    schema = {k: v for k, v in tables.load_data("layanan.schema.yaml").items() if not k.startswith("_")}
    yaml = YAML(typ="safe", pure=True)
    count = 0
    for path in sorted((root / "layanan").glob("*.yaml")):
        cerberus.Validator(schema).validate(yaml.load(path.read_text(encoding="utf-8")))
        count += 1
    return count


def reading_layer(root: Path, today: dt.date) -> float:
    """Seconds the tolerant readers take over every component value of the unit, read once each as
    validation reads them (duration, fee, staffing, items, channels, status, dates)."""
    from sp_builder.unit import readers

    unit, _ = load_unit(root, today=today)
    values = [(s.raw(c.key), c.jenis) for s in unit.services for c in tables.components()]
    meta = [(s.data.get("status"), (s.data.get("penetapan") or {}).get("tanggal")) for s in unit.services]
    start = time.perf_counter()
    for value, jenis in values:
        if jenis == "durasi":
            readers.read_duration(value)
        elif jenis == "biaya":
            readers.read_fee(value)
        elif jenis == "jumlah":
            readers.read_staffing(value)
        elif jenis == "saluran":
            readers.read_channels(value)
        else:
            readers.split_items(value)
    for status, tanggal in meta:
        readers.read_status(status)
        readers.read_date(tanggal)
    return time.perf_counter() - start


def timed(func, *args):
    start = time.perf_counter()
    result = func(*args)
    return time.perf_counter() - start, result


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    today = dt.date(2025, 6, 1)
    tmp = Path(tempfile.mkdtemp(prefix="spb-bench-"))
    try:
        rows = []
        for variant in ("bersih", "flow", "warning"):
            root = tmp / variant
            make_unit(root, n, variant)
            seconds, (services, issues) = timed(ours, root, today)
            rows.append((variant, services, issues, seconds))
        base_seconds, base_count = timed(naive, tmp / "bersih")
        print(f"sp-builder validate, {n} layanan, satu inti (parse termasuk):")
        labels = {"bersih": "bersih (jalur cepat libyaml)", "flow": "URL dalam {...} (dikutip otomatis untuk libyaml)",
                  "warning": "setiap berkas ada peringatan (posisi disusun)"}
        for variant, services, issues, seconds in rows:
            print(f"  {labels[variant]:48s} {services / seconds:8.0f} layanan/detik  ({issues} temuan, {seconds:.2f} s)")
        print(f"  {'baseline naif (ruamel murni + cerberus)':48s} {base_count / base_seconds:8.0f} layanan/detik")
        clean = rows[0][1] / rows[0][3]
        print(f"rasio jalur bersih / baseline: {clean / (base_count / base_seconds):.1f}x  (sasaran >= 500 layanan/detik)")
        read_seconds = reading_layer(tmp / "bersih", today)
        print(f"  lapisan pembaca (unit/readers.py: setiap nilai komponen dibaca seperti validate membacanya): "
              f"{read_seconds:.2f} s = {100 * read_seconds / rows[0][3]:.0f} % dari jalur bersih (sasaran <= 20 %)")
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
