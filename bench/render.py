"""Benchmark: SP documents per second and PDFs per second, each against a naive baseline
measured in the same run.

    python bench/render.py [--unit samples/dukcapil-kota-contoh] [--docs 200] [--baseline 20] [--no-pdf]

- .docx: `render_jobs` (template bytes loaded once, patched XML and compiled Jinja reused, a process
  per core) against a loop that loads a fresh DocxTemplate from disk and renders and saves it per
  document.
- PDF: `pdf.convert` (many files per soffice call, two concurrent calls with their own profiles)
  against one soffice call per document; the baseline converts `--baseline` documents and its time
  for all documents is extrapolated.
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined

from sp_builder.documents import pdf, render as render_mod
from sp_builder.unit.validate import load_unit
from sp_builder.write import write_bytes_atomic

ROOT = Path(__file__).resolve().parent.parent


def jobs_for(unit_path: Path, count: int) -> list[render_mod.Job]:
    unit, issues = load_unit(unit_path)
    if unit is None or any(i.is_error for i in issues):
        sys.exit(f"unit {unit_path} tidak valid")
    originals = unit.services
    unit.services = [dataclasses.replace(s, slug=f"{s.slug}-{n:03d}")
                     for n in range(count // len(originals) + 1) for s in originals][:count]
    return render_mod.plan_sp(unit)


def naive(jobs: list[render_mod.Job], template: Path) -> float:
    start = time.perf_counter()
    for job in jobs:
        tpl = DocxTemplate(str(template))
        tpl.render(render_mod.attach_images(job.context, tpl, []),
                   Environment(undefined=StrictUndefined, autoescape=True), autoescape=True)
        tpl.save(io.BytesIO())
    return time.perf_counter() - start


def soffice_one_by_one(files: list[Path], outdir: Path) -> float:
    """One soffice call per document, sharing one (already initialised) profile, as a shell loop would."""
    exe = pdf.soffice_command()
    profile = Path(tempfile.mkdtemp(prefix="bench-lo-"))

    def run(path: Path) -> None:
        subprocess.run([exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                        "--convert-to", "pdf", "--outdir", str(outdir), str(path)],
                       check=True, capture_output=True)

    run(files[0])  # creates the profile; not timed
    start = time.perf_counter()
    for path in files:
        run(path)
    elapsed = time.perf_counter() - start
    shutil.rmtree(profile, ignore_errors=True)
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description="SP render and PDF benchmark")
    parser.add_argument("--unit", type=Path, default=ROOT / "samples" / "dukcapil-kota-contoh")
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--baseline", type=int, default=20, help="documents the PDF baseline converts")
    parser.add_argument("--no-pdf", action="store_true")
    args = parser.parse_args()

    jobs = jobs_for(args.unit, args.docs)
    source = render_mod.find_template("sp.docx", None, args.unit)
    template = Path(tempfile.mkdtemp(prefix="bench-tpl-")) / "sp.docx"
    template.write_bytes(source.data)

    naive_s = naive(jobs, template)
    start = time.perf_counter()
    blobs = render_mod.render_jobs(jobs, {"sp.docx": source})
    ours_s = time.perf_counter() - start
    n = len(jobs)
    print(f"SP .docx, {n} dokumen dari {args.unit.name}:")
    print(f"  naif (DocxTemplate baru per dokumen): {n / naive_s:7.1f} dok/detik ({naive_s:.2f} s)")
    print(f"  sp-builder (render_jobs)            : {n / ours_s:7.1f} dok/detik ({ours_s:.2f} s)")
    print(f"  percepatan                          : {naive_s / ours_s:.1f}x")
    if args.no_pdf:
        return 0

    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as scratch:
        folder = Path(scratch)
        files = []
        for job, blob in zip(jobs, blobs):
            path = folder / job.output
            write_bytes_atomic(path, blob)
            files.append(path)
        k = min(args.baseline, n)
        base_s = soffice_one_by_one(files[:k], folder / "baseline")
        start = time.perf_counter()
        pdf.convert(files)
        batch_s = time.perf_counter() - start
    base_all = base_s / k * n
    print(f"PDF, {n} dokumen:")
    print(f"  satu soffice per dokumen: {k / base_s:7.2f} dok/detik "
          f"(diukur pada {k} dokumen: {base_s:.1f} s; untuk {n} dokumen diekstrapolasi {base_all:.0f} s)")
    print(f"  sp-builder (pdf.convert): {n / batch_s:7.2f} dok/detik ({batch_s:.1f} s untuk {n} dokumen)")
    print(f"  percepatan              : {base_all / batch_s:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
