#!/usr/bin/env python3
"""Refresh the screenshots in docs/ from the current code: build the samples, open the pages in
Debian's Chromium through Playwright (the set-up of tests/test_browser.py), write the PNGs.

    python3 tools/screenshots.py          # docs/publikasi.png, docs/publikasi-ponsel.png

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
        build(ROOT / "samples", out)
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
