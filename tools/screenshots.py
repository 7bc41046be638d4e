#!/usr/bin/env python3
"""Refresh the screenshots in docs/ from the current code: build the samples, open the pages in
Debian's Chromium through Playwright (the set-up of tests/test_browser.py), write the PNGs.

    python3 tools/screenshots.py          # docs/publikasi.png, docs/publikasi-ponsel.png
    python3 tools/screenshots.py --dokumen   # also docs/preview-*.png: page 1 of sample documents
                                             # through LibreOffice and pdftoppm (55 dpi)

Needs /usr/bin/chromium (apt-get install chromium) and the playwright package (pip install .[test]);
never `playwright install`: the system browser is used.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]

# (file in docs/, page in the build output, viewport width, height): the top of the page, one screen.
SHOTS = [
    ("publikasi.png", "dukcapil-kota-contoh/publikasi.html", 1100, 1500),
    ("publikasi-ponsel.png", "dukcapil-kota-contoh/publikasi.html", 390, 1300),
]


# (file in docs/, document in the PDF build output): first pages as the README shows them.
PREVIEWS = [
    ("preview-sp.png", "dukcapil-kota-contoh/sp/ktp-el.pdf"),
    ("preview-sk.png", "dukcapil-kota-contoh/sk/keputusan-standar-pelayanan.pdf"),
    ("preview-maklumat.png", "dukcapil-kota-contoh/maklumat/maklumat-pelayanan.pdf"),
    ("preview-berita-acara.png", "dukcapil-kota-contoh/fkp/fkp-2025-01-rancangan/berita-acara.pdf"),
]


def previews(out: Path) -> None:
    """Page 1 of each sample document, from the PDFs `build --pdf` wrote into `out`."""
    import subprocess

    for name, pdf in PREVIEWS:
        source = out / pdf
        if not source.is_file():
            found = sorted(out.glob(pdf.rsplit("/", 2)[0] + "/**/" + Path(pdf).name))
            source = found[0] if found else source
        target = ROOT / "docs" / name
        subprocess.run(["pdftoppm", "-png", "-r", "55", "-f", "1", "-l", "1", "-singlefile", str(source),
                        str(target.with_suffix(""))], check=True)
        print(f"docs/{name}: {source.relative_to(out)} halaman 1")


def main() -> int:
    if not CHROMIUM.exists():
        print(f"galat: {CHROMIUM} tidak ada; pasang: apt-get install chromium", file=sys.stderr)
        return 1
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print('galat: paket playwright tidak terpasang; pasang: pip install "playwright>=1.40,<2"', file=sys.stderr)
        return 1
    sys.path.insert(0, str(ROOT))
    from sp_builder.build import build

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        build(ROOT / "samples", out, pdf="--dokumen" in sys.argv[1:])
        if "--dokumen" in sys.argv[1:]:
            previews(out)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            try:
                for name, page_path, width, height in SHOTS:
                    page = browser.new_page(viewport={"width": width, "height": height})
                    page.goto((out / page_path).as_uri())
                    page.screenshot(path=str(ROOT / "docs" / name))
                    page.close()
                    print(f"docs/{name}: {page_path} pada {width}×{height}")
            finally:
                browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
