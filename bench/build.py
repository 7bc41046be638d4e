"""Benchmark: `build` of a synthetic Pemda, against naive baselines measured in the same run.

    python bench/build.py [--units 100] [--services 10] [-j 2] [--pdf] [--pdf-baseline 10]

The Pemda: `--units` copies of samples/dukcapil-kota-contoh (unit, evaluation, evidence, FKP and
SKM data), five units per OPD folder, each grown to `--services` services by copies of its service
files under new names; every unit and service name carries the unit's number, so no two units
give the same documents.

Each phase runs in a fresh Python process, so its peak RSS (`resource.getrusage`, the process
itself and its largest child) is its own; the phase's own timer starts after the imports, and the
process's wall time (interpreter start and imports included) is shown beside it.

- naive: every document (SP, SK, Maklumat, FKP) by a fresh `DocxTemplate` loaded from disk,
  rendered with a plain Jinja environment holding sp-builder's filters (so each template is compiled
  again, as docxtpl does by default) and saved, one after the other; the unit loaded and its
  documents planned the same way build does;
- render_jobs: the same documents, the same way, but rendered by `render_jobs` in one process
  (template bytes read once, patched XML and compiled Jinja reused), each written to disk;
- build -j 1 and build -j N into an empty folder (.docx, no PDF): the same documents, plus the SKM
  report, the check reports, the publication pages, the index and the manifest; its documents per
  second count the same documents as the naive loop;
- build again with nothing changed, and after editing one established service of one unit (a step
  of its procedure, which no FKP agreement and no check finding mentions); the files rewritten are
  listed.

With `--pdf` (minutes): build --pdf into another empty folder; its PDF pages per second (pages of
every document's PDF, bundles not counted, over the whole build --pdf) against one soffice call per
document, measured on `--pdf-baseline` documents of that build and extrapolated to all; then
build --pdf again after editing one service of another unit.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "dukcapil-kota-contoh"
TODAY = dt.date(2026, 3, 1)
DOCUMENT_KINDS = ("sp", "sk", "maklumat", "fkp")  # the docxtpl documents, the naive loop's and build's


def _renamed(text: str, suffix: str) -> str:
    """The service file with `suffix` added to its name (the first `nama:` at the start of a line)."""
    head, sep, rest = text.partition("\nnama: ")
    assert sep, "berkas layanan tanpa nama"
    line, newline, tail = rest.partition("\n")
    return f"{head}{sep}{line}{suffix}{newline}{tail}"


def make_pemda(target: Path, units: int, services: int) -> list[Path]:
    """The synthetic Pemda under `target`; returns the unit folders."""
    originals = sorted((SAMPLE / "layanan").glob("*.yaml"))
    folders = []
    for n in range(1, units + 1):
        unit = target / f"opd-{(n - 1) // 5 + 1:02d}" / f"dukcapil-{n:03d}"
        shutil.copytree(SAMPLE, unit, ignore=shutil.ignore_patterns("layanan"))
        yaml = unit / "unit.yaml"
        text = yaml.read_text(encoding="utf-8")
        yaml.write_text(text.replace("\nunit: Dinas Kependudukan dan Pencatatan Sipil\n",
                                     f"\nunit: Dinas Kependudukan dan Pencatatan Sipil Wilayah {n}\n", 1),
                        encoding="utf-8")
        (unit / "layanan").mkdir()
        for k in range(services):
            source = originals[k % len(originals)]
            name = source.name if k < len(originals) else f"{source.stem}-{k + 1:02d}.yaml"
            suffix = f" (Wilayah {n})" if k < len(originals) else f" (Wilayah {n}, Loket {k + 1})"
            (unit / "layanan" / name).write_text(_renamed(source.read_text(encoding="utf-8"), suffix),
                                                 encoding="utf-8")
        folders.append(unit)
    return folders


def naive(pemda: Path, out: Path) -> dict:
    """Every document with a fresh DocxTemplate per document, sequentially."""
    from docxtpl import DocxTemplate
    from jinja2 import Environment, StrictUndefined

    from sp_builder.documents.jinja_env import FILTERS
    from sp_builder.documents.render import attach_images, find_template, plan
    from sp_builder.unit.validate import find_units, load_unit

    env = Environment(undefined=StrictUndefined, autoescape=True, keep_trailing_newline=True)
    env.filters.update(FILTERS)
    templates = out / "_templat"
    templates.mkdir(parents=True)
    documents = 0
    for unit_root in find_units(pemda):
        unit, _ = load_unit(unit_root, TODAY)
        jobs = [job for job in plan(unit, "all")[0] if job.kind in DOCUMENT_KINDS]  # the SOP has no template
        for job in jobs:
            template = templates / job.template
            if not template.exists():
                template.write_bytes(find_template(job.template, None, unit_root).data)
            tpl = DocxTemplate(str(template))
            tpl.render(attach_images(job.context, tpl, []), env, autoescape=True)
            target = out / unit_root.relative_to(pemda) / job.output
            target.parent.mkdir(parents=True, exist_ok=True)
            tpl.save(str(target))
            documents += 1
    return {"documents": documents}


def render_only(pemda: Path, out: Path) -> dict:
    """The naive loop's documents through render_jobs, in this one process."""
    from sp_builder.documents.render import plan, render_jobs, template_sources
    from sp_builder.unit.validate import find_units, load_unit
    from sp_builder.write import write_bytes_atomic

    documents = 0
    for unit_root in find_units(pemda):
        unit, _ = load_unit(unit_root, TODAY)
        jobs = [job for job in plan(unit, "all")[0] if job.kind in DOCUMENT_KINDS]  # the SOP has no template
        sources = template_sources(jobs, None, unit_root)
        for job, blob in zip(jobs, render_jobs(jobs, sources, workers=1)):
            write_bytes_atomic(out / unit_root.relative_to(pemda) / job.output, blob)
            documents += 1
    return {"documents": documents}


def build_phase(pemda: Path, out: Path, workers: int, pdf: bool) -> dict:
    from sp_builder.build import build

    result = build(pemda, out, workers=workers, pdf=pdf, today=TODAY)
    if result.exit_code:
        sys.exit("build gagal: " + "; ".join(result.summary()))
    outputs = [o for unit in result.units for o in unit.entry["outputs"]]
    return {"written": result.written, "unchanged": result.unchanged,
            "documents": sum(1 for o in outputs if o["kind"] in DOCUMENT_KINDS and o["path"].endswith(".docx"))}


def phase(name: str, pemda: Path, out: Path, workers: int) -> dict:
    """Run in a child process: one phase, timed, with its peak memory."""
    start = time.perf_counter()
    if name == "naive":
        figures = naive(pemda, out)
    elif name == "render":
        figures = render_only(pemda, out)
    else:
        figures = build_phase(pemda, out, workers, name == "pdf")
    figures["seconds"] = time.perf_counter() - start
    figures["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures["rss_child_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return figures


def run_phase(name: str, pemda: Path, out: Path, workers: int = 1) -> dict:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "--phase", name, "--pemda", str(pemda), "--out", str(out),
                           "-j", str(workers)], capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"fase {name} gagal:\n{done.stderr}{done.stdout}")
    figures = json.loads(done.stdout)
    figures["process_seconds"] = time.perf_counter() - start
    return figures


def stamps(out: Path) -> dict[str, int]:
    return {p.relative_to(out).as_posix(): p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}


def pages(paths: list[Path]) -> int:
    from pypdf import PdfReader

    return sum(len(PdfReader(path).pages) for path in paths)


def edit_step(service: Path) -> None:
    """Lengthen the first step of the service's procedure: its SP, its unit's SK (when established)
    and publication page change; in kartu-keluarga no FKP agreement and no check finding mention it."""
    marker = "\n  prosedur:\n    - "
    head, found, rest = service.read_text(encoding="utf-8").partition(marker)
    assert found, f"{service} tanpa prosedur"
    step, newline, tail = rest.partition("\n")
    service.write_text(f"{head}{marker}{step} dan dicatat dalam buku register{newline}{tail}", encoding="utf-8")


def pdf_rows(pemda: Path, units: list[Path], scratch: Path, workers: int, baseline: int) -> list[str]:
    """build --pdf, again after editing one service, then one soffice call per document on a few
    of its documents."""
    from render import soffice_one_by_one  # bench/render.py, beside this file

    out = scratch / "pdf"
    figures = run_phase("pdf", pemda, out, workers)
    edit_step(units[-1] / "layanan" / "kartu-keluarga.yaml")
    before = stamps(out)
    again = run_phase("pdf", pemda, out, workers)
    after = stamps(out)
    touched = sorted(path for path in after if after[path] != before.get(path))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    pdfs = [out / o["path"] for unit in manifest["units"] for o in unit["outputs"]
            if o["path"].endswith(".pdf") and o["kind"] != "bundel"]
    total_pages = pages(pdfs)
    sample = [pdf.with_suffix(".docx") for pdf in pdfs[:: max(1, len(pdfs) // baseline)][:baseline]]
    one_by_one = scratch / "satu-per-satu"
    seconds = soffice_one_by_one(sample, one_by_one)
    sample_pages = pages(sorted(one_by_one.glob("*.pdf")))
    extrapolated = seconds / len(sample) * len(pdfs)
    ours = total_pages / figures["seconds"]
    theirs = sample_pages / seconds
    return [
        f"PDF: {len(pdfs)} dokumen, {total_pages} halaman",
        f"  build -j {workers} --pdf (folder kosong, seluruhnya)   {figures['seconds']:7.1f} s  "
        f"{ours:6.1f} halaman/detik  RSS {figures['rss_mb']:.0f} MB, anak {figures['rss_child_mb']:.0f} MB",
        f"  satu soffice per dokumen, {len(sample)} dokumen diukur {seconds:7.1f} s  {theirs:6.1f} halaman/detik  "
        f"(untuk {len(pdfs)} dokumen diekstrapolasi {extrapolated:.0f} s)",
        f"  percepatan: {ours / theirs:.1f}x",
        f"  build --pdf lagi setelah 1 layanan diubah: {again['seconds']:.1f} s, {len(touched)} berkas ditulis: "
        + ", ".join(touched),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description="build benchmark")
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--services", type=int, default=10)
    parser.add_argument("-j", type=int, default=os.cpu_count() or 1, help="pekerja build (bawaan: jumlah inti)")
    parser.add_argument("--pdf", action="store_true", help="ukur juga PDF (beberapa menit)")
    parser.add_argument("--pdf-baseline", type=int, default=10, help="dokumen yang diukur satu soffice per dokumen")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--pemda", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(phase(args.phase, args.pemda, args.out, args.j)))
        return 0

    with tempfile.TemporaryDirectory(prefix="bench-build-") as scratch:
        scratch = Path(scratch)
        units = make_pemda(scratch / "pemda", args.units, args.services)
        pemda = scratch / "pemda"
        rows = [("naif: DocxTemplate baru per dokumen, berurutan", run_phase("naive", pemda, scratch / "naif")),
                ("render_jobs, 1 proses, dokumen yang sama", run_phase("render", pemda, scratch / "render"))]
        rows.append(("build -j 1 (folder kosong)", run_phase("build", pemda, scratch / "j1", 1)))
        rows.append((f"build -j {args.j} (folder kosong)", run_phase("build", pemda, scratch / "jn", args.j)))
        rows.append((f"build -j {args.j} lagi, tanpa perubahan", run_phase("build", pemda, scratch / "jn", args.j)))
        edit_step(units[0] / "layanan" / "kartu-keluarga.yaml")  # established
        before = stamps(scratch / "jn")
        rows.append((f"build -j {args.j} setelah 1 layanan diubah", run_phase("build", pemda, scratch / "jn", args.j)))
        after = stamps(scratch / "jn")
        touched = sorted(path for path in after if after[path] != before.get(path))
        extra = pdf_rows(pemda, units, scratch, args.j, args.pdf_baseline) if args.pdf else []

    naive_rate = rows[0][1]["documents"] / rows[0][1]["seconds"]
    print(f"Pemda sintetis: {args.units} unit × {args.services} layanan dari {SAMPLE.name} "
          f"(dengan FKP dan SKM), {rows[0][1]['documents']} dokumen docxtpl; {os.cpu_count()} inti")
    print(f"{'':46s} {'waktu':>8s} {'proses':>8s} {'dok/detik':>10s} {'RSS':>7s} {'RSS anak':>9s}  berkas")
    for label, figures in rows:
        rate = f"{figures['documents'] / figures['seconds']:10.1f}" if figures.get("unchanged", 0) == 0 else f"{'':10s}"
        files = (f"{figures['written']} ditulis, {figures['unchanged']} sama" if "written" in figures
                 else f"{figures['documents']} ditulis")
        child = f"{figures['rss_child_mb']:6.0f} MB" if figures["rss_child_mb"] >= 1 else f"{'-':>9s}"
        print(f"{label:46s} {figures['seconds']:7.2f}s {figures['process_seconds']:7.2f}s {rate} "
              f"{figures['rss_mb']:4.0f} MB {child}  {files}")

    def ratio(n: int) -> str:
        return f"{rows[n][1]['documents'] / rows[n][1]['seconds'] / naive_rate:.1f}x"

    print(f"dokumen/detik vs naif: build -j {args.j} {ratio(3)} (sasaran ≥ 3x), build -j 1 {ratio(2)}, "
          f"render_jobs saja {ratio(1)}")
    print(f"tanpa perubahan: {rows[4][1]['seconds']:.2f} s (sasaran < 1 s); 1 layanan diubah: "
          f"{rows[5][1]['seconds']:.2f} s (sasaran < 2 s), {len(touched)} berkas ditulis: {', '.join(touched)}")
    peak = max(max(f["rss_mb"], f["rss_child_mb"]) for _, f in rows)
    print(f"memori puncak satu proses: {peak:.0f} MB (sasaran < 300 MB)")
    for line in extra:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
