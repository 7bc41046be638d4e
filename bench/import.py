"""Benchmark: `sp-builder import BOOK -o UNIT_DIR` on a book of 20 SPs, against a naive baseline
measured in the same run. The issue's target: a 70-page book of 20 SPs in under 10 s on one core;
the sample SPs run to about 4,4 F4 pages each, so this book has 88 pages (the harder case).

The book is made as a unit's own would be: 20 services (the sample units' 13, the first 7 again
under other names) rendered by `render sp` on F4, converted by LibreOffice, merged into one PDF
(pypdf `PdfWriter.append`). The import is timed in this process (one core: the import runs no
pool), split into its stages: the text with positions and the page furniture (`pdf_lines`), the
rows and the split into SPs, the values through the reading layer, writing and validating.

Baseline: pypdf's own layout text extraction (`extract_text(extraction_mode="layout")`) of every
page — what one would reach for to keep the columns, before a single row is read. The ratio says
how the whole import compares with that first step alone.

OCR (`import --ocr`): the first pages of the same book are rasterised at 300 dpi in grey and
written back as an image-only PDF, as a scanner gives it, and read by `sp_builder.ocr` with one
tesseract at a time (`OMP_THREAD_LIMIT=1`): seconds per page on one core. Skipped when tesseract
with its Indonesian data is not installed.

    python bench/import.py [--services 20] [--repeat 3] [--ocr-pages 4]
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from ruamel.yaml import YAML

from sp_builder import book, ocr
from sp_builder.documents import pdf, render
from sp_builder.errors import UserError

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


def make_unit(root: Path, count: int) -> None:
    """A unit of `count` services taken from the sample units, renamed after the 13th."""
    shutil.copytree(SAMPLES / "dukcapil-kota-contoh", root, ignore=shutil.ignore_patterns("fkp", "skm", "bukti",
                                                                                          "evaluasi.yaml"))
    layanan = root / "layanan"
    sources = sorted(p for unit in sorted(SAMPLES.iterdir()) for p in (unit / "layanan").glob("*.yaml"))
    yaml = YAML()
    yaml.width = 4096
    for n in range(count):
        source = sources[n % len(sources)]
        target = layanan / (source.stem if n < len(sources) else f"{source.stem}-{n // len(sources) + 1}")
        data = yaml.load(source.read_text(encoding="utf-8"))
        if n >= len(sources):
            data["nama"] = f"{data['nama']} Tahap {n // len(sources) + 1}"
        for key in ("bagan_alir", "alias"):
            data.pop(key, None)
        with open(target.with_suffix(".yaml"), "w", encoding="utf-8") as handle:
            yaml.dump(data, handle)


def make_book(work: Path, count: int) -> Path:
    unit = work / "unit"
    make_unit(unit, count)
    documents = sorted(Path(d.path) for d in render.render("sp", unit, work / "keluaran").documents)
    writer = PdfWriter()
    for part in pdf.convert(documents):
        writer.append(str(part))
    path = work / "buku-sp.pdf"
    writer.write(str(path))
    return path


def scanned(source: Path, count: int, work: Path) -> Path:
    """The first `count` pages of `source` as a scan: pictures at 300 dpi, no text layer."""
    import subprocess

    from PIL import Image

    folder = work / "pindaian"
    folder.mkdir()
    subprocess.run(["pdftoppm", "-r", str(ocr.DPI), "-gray", "-png", "-l", str(count), str(source),
                    str(folder / "h")], check=True, timeout=600)
    images = [Image.open(path) for path in sorted(folder.glob("h-*.png"))]
    target = work / "buku-pindaian.pdf"
    images[0].save(target, "PDF", save_all=True, append_images=images[1:], resolution=ocr.DPI)
    return target


def ocr_figure(source: Path, count: int, work: Path) -> None:
    try:
        ocr.check_available()
    except UserError as exc:
        print(f"OCR dilewati: {exc}")
        return
    scan = scanned(source, count, work)
    start = time.perf_counter()
    pages = ocr._read_cached(scan.resolve(), 0, 0, tuple(range(count)), 1)  # one page at a time, no cache
    seconds = time.perf_counter() - start
    words = sum(len(page.fragments) for page in pages)
    print(f"OCR (--ocr, {ocr.DPI} dpi, satu inti): {seconds / count:.2f} detik/halaman "
          f"({count} halaman, {words} kata, {seconds:.1f} detik)")


def timed(fn, repeat: int):
    best, value = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - start)
    return best, value


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--services", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--ocr-pages", type=int, default=4, help="pages read by OCR for its figure (0: none)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-import-"))
    try:
        made = time.perf_counter()
        source = make_book(work, args.services)
        pages = len(PdfReader(str(source)).pages)
        print(f"buku: {args.services} SP, {pages} halaman ({time.perf_counter() - made:.1f} detik untuk membuatnya)")

        def whole():
            out = work / "impor"
            shutil.rmtree(out, ignore_errors=True)
            return book.import_book(source, out, today=dt.date(2026, 6, 1))

        total, result = timed(whole, args.repeat)
        if len(result.services) != args.services:
            sys.exit(f"galat: {len(result.services)} layanan ditemukan, bukan {args.services}")
        lines_s, (lines, *_rest) = timed(lambda: book.pdf_lines(source), args.repeat)
        rows_s, _ = timed(lambda: book._segment(book.pdf_events(lines)), args.repeat)
        read_s, _ = timed(lambda: book.read_pdf_book(source), args.repeat)

        def layout():
            return [page.extract_text(extraction_mode="layout") for page in PdfReader(str(source)).pages]

        naive_s, _ = timed(layout, args.repeat)
        print(f"impor (satu inti): {total:.2f} detik, {pages / total:.1f} halaman/detik (sasaran < 10 detik)")
        print(f"  teks dengan posisi dan perabot halaman: {lines_s:.2f} detik")
        print(f"  baris dan pemisahan SP: {rows_s:.3f} detik")
        print(f"  nilai, penulisan, validasi: {total - read_s:.2f} detik")
        print(f"pembanding naif (pypdf extract_text layout, tiap halaman, tanpa membaca satu baris pun): "
              f"{naive_s:.2f} detik")
        faster = total < naive_s
        print(f"rasio: impor utuh {max(naive_s, total) / min(naive_s, total):.2f}× "
              f"{'lebih cepat' if faster else 'lebih lambat'} daripada ekstraksi naif saja")
        real = ROOT / "tests" / "data" / "buku" / "sdn-simoangin-angin-2026.pdf"
        if real.is_file():
            real_s, real_result = timed(lambda: book.import_book(real, work / "impor-nyata", force=True,
                                                                 today=dt.date(2026, 6, 1)), args.repeat)
            print(f"buku nyata {real.name}: {len(real_result.services)} SP, {real_result.book.pages} halaman, "
                  f"{real_s:.2f} detik")
        if args.ocr_pages:
            ocr_figure(source, min(args.ocr_pages, pages), work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
