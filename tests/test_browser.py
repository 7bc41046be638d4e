"""The HTML pages in a real browser: Debian's Chromium driven headless by Playwright's Python API.

The samples are built once per module (one unit's e-mail address made long, the kind that spilled out
of its card); every publikasi.html, index.html and penilaian-mandiri.html is opened at a phone's
360 px and a laptop's 1366 px. Skipped when /usr/bin/chromium or the playwright package is missing.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from sp_builder.build import build

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
VIEWPORTS = {"ponsel": (360, 740), "laptop": (1366, 768)}
SAMPLES = Path(__file__).parent.parent / "samples"
LONG_EMAIL = "pengaduan.pelayanan.laboratorium.kesehatan.masyarakat@puskesmas-sukamaju.contohkab.go.id"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium (/usr/bin/chromium) tidak terpasang; "
                                "pasang: apt-get install chromium")
sync_api = pytest.importorskip("playwright.sync_api", reason="paket playwright tidak terpasang (pip install .[test])")


def launch(playwright):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("sampel") / "samples"
    shutil.copytree(SAMPLES, root)
    service = root / "puskesmas-contoh" / "layanan" / "laboratorium.yaml"
    text = service.read_text(encoding="utf-8")
    assert "puskesmas.sukamaju@contohkab.go.id" in text
    service.write_text(text.replace("puskesmas.sukamaju@contohkab.go.id", LONG_EMAIL), encoding="utf-8")
    target = tmp_path_factory.mktemp("keluaran")
    build(root, target)
    return target


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(params=list(VIEWPORTS), scope="module")
def viewport(request) -> tuple[str, int, int]:
    return (request.param, *VIEWPORTS[request.param])


@pytest.fixture(scope="module")
def tab(browser, viewport):
    _, width, height = viewport
    page = browser.new_page(viewport={"width": width, "height": height})
    yield page
    page.close()


def pages(out: Path) -> list[Path]:
    return [out / "index.html", *sorted(out.glob("*/publikasi.html")), *sorted(out.glob("*/check/penilaian-mandiri.html"))]


def open_page(tab, path: Path):
    tab.goto(path.as_uri())
    return tab


# Elements sticking out to the right of the viewport, not inside a container that clips or scrolls.
_OUTSIDE_VIEWPORT = """() => {
  const w = window.innerWidth, found = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (!r.width || r.right <= w + 1) continue;
    let p = el.parentElement, held = false;
    for (; p && p !== document.body; p = p.parentElement)
      if (getComputedStyle(p).overflowX !== 'visible') { held = true; break; }
    if (!held) found.push(`${el.tagName.toLowerCase()}.${el.className} ${Math.round(r.right)}px: `
                          + (el.textContent || '').trim().slice(0, 60));
  }
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: w, found: found.slice(0, 5)};
}"""

# Descendants of each card whose box ends right of the card's right edge (+1 px).
_OUTSIDE_CARD = """(selector) => {
  const found = [];
  let cards = 0;
  for (const card of document.querySelectorAll(selector)) {
    if (!card.getClientRects().length) continue;
    cards++;
    const edge = card.getBoundingClientRect().right;
    for (const el of card.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width && r.right > edge + 1)
        found.push(`${el.tagName.toLowerCase()} ${Math.round(r.right)} > ${Math.round(edge)}: `
                   + (el.textContent || '').trim().slice(0, 60));
    }
  }
  return {cards, found: found.slice(0, 5)};
}"""

# The card selectors: publish.py's .k (one component), .saluran li (one channel), .maklumat; on a phone
# the index's and the checklist's rows are stacked into cards too.
CARDS = {
    "publikasi.html": ".k, .saluran li, .maklumat",
    "index.html": "#unit tbody tr, table.layanan tbody tr",
    "penilaian-mandiri.html": "#matriks tbody tr",
}


def test_no_page_overflows_sideways(out, tab, viewport):
    for path in pages(out):
        result = open_page(tab, path).evaluate(_OUTSIDE_VIEWPORT)
        where = f"{path.relative_to(out)} pada {viewport[1]} px"
        assert result["scrollWidth"] <= result["innerWidth"], f"{where}: halaman melebar, {result}"
        assert result["found"] == [], f"{where}: keluar dari tepi kanan: {result['found']}"


def test_no_text_outside_its_card(out, tab, viewport):
    for path in pages(out):
        if path.name != "publikasi.html" and viewport[0] != "ponsel":
            continue  # the index's and the checklist's rows are cards only when stacked
        result = open_page(tab, path).evaluate(_OUTSIDE_CARD, CARDS[path.name])
        where = f"{path.relative_to(out)} pada {viewport[1]} px"
        assert result["cards"] > 0, f"{where}: tidak ada kartu {CARDS[path.name]}"
        assert result["found"] == [], f"{where}: teks keluar dari kartunya: {result['found']}"


def test_the_long_email_stays_in_its_card_as_a_link(out, tab):
    page = open_page(tab, out / "puskesmas-contoh" / "publikasi.html")
    link = page.locator(f'.saluran li a[href="mailto:{LONG_EMAIL}"]')
    assert link.count() == 1
    card, box = link.locator("xpath=ancestor::li[1]").bounding_box(), link.bounding_box()
    assert box["x"] >= card["x"] - 1 and box["x"] + box["width"] <= card["x"] + card["width"] + 1


_CONTACT_SHAPES = [(re.compile(r"^\S+@\S+\.\S+$"), "mailto:"), (re.compile(r"^https?://"), "http"),
                   (re.compile(r"^[+(]?[\d][\d\s().-]{5,}$"), ("tel:", "https://wa.me/"))]


def test_contact_channels_are_links(out, tab):
    kinds = set()
    for path in sorted(out.glob("*/publikasi.html")):
        page = open_page(tab, path)
        channels = page.eval_on_selector_all(".saluran li", """items => items.map(li => ({
            text: li.textContent.replace(li.querySelector('strong')?.textContent || '', '').trim(),
            href: li.querySelector('a')?.getAttribute('href') || null}))""")
        assert channels, f"{path.relative_to(out)}: tidak ada saluran pengaduan"
        for channel in channels:
            for shape, prefix in _CONTACT_SHAPES:
                if shape.search(channel["text"]):
                    assert channel["href"] and channel["href"].startswith(prefix), \
                        f"{path.relative_to(out)}: kontak {channel['text']!r} bukan tautan {prefix}"
                    kinds.add(channel["href"].split(":")[0])
        assert page.locator('a[href^="mailto:"]').count() and page.locator('a[href^="tel:"]').count()
    assert kinds >= {"mailto", "tel", "https"}


def test_the_checklist_fits_a_laptop_without_sideways_scrolling(out, browser):
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    try:
        for path in sorted(out.glob("*/check/penilaian-mandiri.html")):
            page.goto(path.as_uri())
            widths = page.eval_on_selector("#matriks", "t => [t.parentElement.scrollWidth, t.parentElement.clientWidth]")
            assert widths[0] <= widths[1], f"{path.relative_to(out)}: daftar periksa perlu digeser ({widths})"
            assert page.locator("#matriks thead th").count() == 15
    finally:
        page.close()


def test_the_checklist_is_stacked_on_a_phone(out, browser):
    """Each service is a card of its own: name on top, then every component with its label and status."""
    page = browser.new_page(viewport={"width": 360, "height": 740})
    try:
        for path in sorted(out.glob("*/check/penilaian-mandiri.html")):
            page.goto(path.as_uri())
            rows = page.eval_on_selector_all("#matriks tbody tr", """rows => rows.map(tr => {
                const name = tr.querySelector('th').getBoundingClientRect(), w = window.innerWidth;
                return {name: [name.left, name.right], label: getComputedStyle(tr.querySelector('td'), '::before').content,
                        cells: [...tr.querySelectorAll('td')].map(td => {
                          const r = td.getBoundingClientRect(); return r.left >= 0 && r.right <= w + 1 && r.width > 0; })};
            })""")
            assert rows
            for row in rows:
                assert 0 <= row["name"][0] and row["name"][1] <= 361, f"{path.relative_to(out)}: nama layanan terpotong"
                assert all(row["cells"]) and len(row["cells"]) == 14, f"{path.relative_to(out)}: sel di luar layar"
                assert row["label"] not in ("none", "normal", '""'), "tiap sel tidak berlabel komponennya"
    finally:
        page.close()


def test_the_index_tables_need_no_sideways_scrolling_on_a_phone(out, browser):
    """On a phone each row of the index's tables is stacked into a card: nothing is cut at the right edge."""
    page = browser.new_page(viewport={"width": 360, "height": 740})
    try:
        page.goto((out / "index.html").as_uri())
        widths = page.eval_on_selector_all(".scroll", "boxes => boxes.map(s => [s.scrollWidth, s.clientWidth])")
        assert len(widths) == 4 and all(scroll <= client for scroll, client in widths), widths
    finally:
        page.close()
