"""Benchmark: `build` of a synthetic Pemda (units × services made from the samples), against a
naive baseline measured in the same run.

    python bench/build.py [--units 30] [--services 10]

Each phase runs in a fresh Python process, so its peak RSS (`resource.getrusage`) is its own:

- naive: per unit, one after the other, what a shell loop over `render all` and `check` does, but
  in one process (no interpreter start-ups counted): `render("all")`, the check report in HTML
  and JSON, the SKM report; no incrementality, everything every time;
- build -j 1 and build -j 2 into an empty folder (.docx, no PDF);
- build again with nothing changed (hashing only), and after editing one service file.

Peak RSS is printed for the main process and for the largest worker process.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
TODAY = dt.date(2026, 3, 1)


def make_pemda(target: Path, units: int, services: int) -> None:
    """`units` unit folders in OPD folders of five, each a sample unit grown to `services` services
    (copies of its own service files under new names, so every reference stays valid)."""
    samples = sorted(p for p in SAMPLES.iterdir() if (p / "unit.yaml").is_file())
    for n in range(units):
        sample = samples[n % len(samples)]
        unit = target / f"opd-{n // 5 + 1:02d}" / f"{sample.name}-{n + 1:02d}"
        shutil.copytree(sample, unit)
        originals = sorted((unit / "layanan").glob("*.yaml"))
        for k in range(len(originals), services):
            source = originals[k % len(originals)]
            text = source.read_text(encoding="utf-8").replace("\nnama: ", f"\nnama: (Salinan {k + 1}) ", 1)
            (unit / "layanan" / f"{source.stem}-salinan-{k + 1:02d}.yaml").write_text(text, encoding="utf-8")
        for extra in originals[services:]:
            extra.unlink()


def naive(pemda: Path, out: Path) -> None:
    from sp_builder import check_views, skm, skm_report
    from sp_builder.check import build_report
    from sp_builder.render import render
    from sp_builder.validate import find_units
    from sp_builder.write import write_bytes_atomic

    for unit in find_units(pemda):
        target = out / unit.relative_to(pemda)
        render("all", unit, target, today=TODAY)
        report = build_report(unit, today=TODAY)
        for fmt in ("html", "json"):
            write_bytes_atomic(target / "check" / f"penilaian-mandiri.{fmt}", check_views.render(report, fmt))
        survey, _ = skm.analyse_folder(unit / "skm", today=TODAY)
        if survey is not None:
            write_bytes_atomic(target / "skm" / "laporan-skm.docx",
                               skm_report.render(survey, "docx", skm_report.unit_for([unit])))
            write_bytes_atomic(target / "skm" / "laporan-skm.json", skm_report.render(survey, "json"))


def phase(name: str, pemda: Path, out: Path, workers: int) -> dict:
    """Run in a child process: one phase, timed, with its peak memory."""
    from sp_builder.build import build

    start = time.perf_counter()
    if name == "naive":
        naive(pemda, out)
        detail = ""
    else:
        result = build(pemda, out, workers=workers, today=TODAY)
        if result.exit_code:
            sys.exit("build gagal: " + "; ".join(result.summary()))
        detail = f"{result.written} berkas ditulis"
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "detail": detail,
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "rss_worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


def run_phase(name: str, pemda: Path, out: Path, workers: int = 1) -> dict:
    output = subprocess.run([sys.executable, __file__, "--phase", name, "--pemda", str(pemda), "--out", str(out),
                             "-j", str(workers)], check=True, capture_output=True, text=True).stdout
    return json.loads(output)


def main() -> int:
    parser = argparse.ArgumentParser(description="build benchmark")
    parser.add_argument("--units", type=int, default=30)
    parser.add_argument("--services", type=int, default=10)
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--pemda", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("-j", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(phase(args.phase, args.pemda, args.out, args.j)))
        return 0

    with tempfile.TemporaryDirectory(prefix="bench-build-") as scratch:
        scratch = Path(scratch)
        pemda = scratch / "pemda"
        make_pemda(pemda, args.units, args.services)
        rows = [("naif: render+check+skm per unit, berurutan", run_phase("naive", pemda, scratch / "naif"))]
        rows.append(("build -j 1 (folder kosong)", run_phase("build", pemda, scratch / "j1", 1)))
        rows.append(("build -j 2 (folder kosong)", run_phase("build", pemda, scratch / "j2", 2)))
        rows.append(("build -j 2 lagi, tanpa perubahan", run_phase("build", pemda, scratch / "j2", 2)))
        service = next((pemda / "opd-01").glob("*/layanan/*.yaml"))
        service.write_text(service.read_text(encoding="utf-8").replace("\nnama: ", "\nnama: (Diubah) ", 1),
                           encoding="utf-8")
        rows.append(("build -j 2 setelah 1 berkas layanan diubah", run_phase("build", pemda, scratch / "j2", 2)))

    base = rows[0][1]["seconds"]
    print(f"Pemda sintetis: {args.units} unit × {args.services} layanan (dari samples/), .docx tanpa PDF")
    print(f"{'':46s} {'waktu':>8s} {'vs naif':>8s} {'RSS utama':>10s} {'RSS pekerja':>12s}")
    for label, figures in rows:
        worker = f"{figures['rss_worker_mb']:9.0f} MB" if figures["rss_worker_mb"] >= 1 else f"{'-':>12s}"
        print(f"{label:46s} {figures['seconds']:7.2f}s {base / figures['seconds']:7.1f}x "
              f"{figures['rss_mb']:7.0f} MB {worker}  {figures['detail']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
