"""The bagan alir in the SP: drawn from the steps when the service has no `bagan_alir` image, the
unit's image otherwise; read back from the rendered .docx."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest
from docx.shared import Mm

from sp_builder import tables
from sp_builder.documents import sp_context
from sp_builder.documents.publish import publication_page
from sp_builder.documents.render import render
from sp_builder.unit.validate import load_unit

UNIT = Path(__file__).parent / "data" / "render" / "unit"
PROSEDUR = tables.label("prosedur")


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "unit"
    shutil.copytree(UNIT, target)
    return target


def _pictures_by_row(doc) -> dict[str, list[bytes]]:
    """Component label → the image blobs in its Uraian cell."""
    found: dict[str, list[bytes]] = {}
    for table in doc.tables:
        if [c.text for c in table.rows[0].cells] != ["NO", "KOMPONEN", "URAIAN"]:
            continue
        for row in table.rows[1:]:
            blips = row.cells[2]._tc.xpath(".//a:blip/@r:embed")
            if blips:
                found[row.cells[1].text] = [doc.part.related_parts[rid].blob for rid in blips]
    return found


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("sp")
    render("sp", UNIT, folder)
    return folder


def test_service_without_bagan_alir_gets_the_drawn_flowchart(rendered):
    doc = docx.Document(str(rendered / "sp" / "izin-reklame.docx"))
    pictures = _pictures_by_row(doc)
    assert list(pictures) == [PROSEDUR]  # in the Prosedur row only
    (png,) = pictures[PROSEDUR]
    assert png.startswith(b"\x89PNG")
    assert png != (UNIT / "alur-domisili.png").read_bytes()
    shape = next(s for s in doc.inline_shapes if s.width != s.height)  # not the square logo
    width, height = sp_context._flowchart_box("F4")
    assert shape.width <= Mm(width) + 1 and shape.height <= Mm(height) + 1


def test_service_with_bagan_alir_keeps_the_units_image(rendered):
    doc = docx.Document(str(rendered / "sp" / "domisili-usaha.docx"))
    assert _pictures_by_row(doc) == {PROSEDUR: [(UNIT / "alur-domisili.png").read_bytes()]}


def test_one_step_is_not_drawn(tmp_path):
    root = _copy(tmp_path)
    path = root / "layanan" / "izin-reklame.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "prosedur: [Pemohon mengajukan permohonan daring, Petugas melakukan survei lokasi, Izin diterbitkan]",
        "prosedur: [Pemohon mengajukan permohonan daring]"), encoding="utf-8")
    render("sp", root, tmp_path / "out")
    assert _pictures_by_row(docx.Document(str(tmp_path / "out" / "sp" / "izin-reklame.docx"))) == {}


def test_steps_as_mappings_are_drawn_in_lanes(tmp_path):
    root = _copy(tmp_path)
    path = root / "layanan" / "izin-reklame.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "prosedur: [Pemohon mengajukan permohonan daring, Petugas melakukan survei lokasi, Izin diterbitkan]",
        "prosedur:\n"
        "    - {uraian: Mengajukan permohonan daring, pelaksana: Pemohon}\n"
        "    - {uraian: Berkas lengkap?, pelaksana: Petugas, jika_tidak: 1}\n"
        "    - {uraian: Menandatangani izin, pelaksana: Kepala Dinas}"), encoding="utf-8")
    render("sp", root, tmp_path / "out")
    doc = docx.Document(str(tmp_path / "out" / "sp" / "izin-reklame.docx"))
    (png,) = _pictures_by_row(doc)[PROSEDUR]
    assert png.startswith(b"\x89PNG")


def test_a_chart_of_five_lanes_goes_to_a_page_of_its_own(tmp_path):
    """In the Uraian column five lanes would print at half size: the cell says where the chart is,
    and it stands alone on a last section of the document's paper, under its heading, as large as
    that page allows (portrait or landscape, whichever prints it larger)."""
    root = _copy(tmp_path)
    path = root / "layanan" / "izin-reklame.yaml"
    lanes = ["Pemohon", "Petugas loket", "Tim survei", "Kepala Bidang", "Kepala Dinas"]
    path.write_text(path.read_text(encoding="utf-8").replace(
        "prosedur: [Pemohon mengajukan permohonan daring, Petugas melakukan survei lokasi, Izin diterbitkan]",
        "prosedur:\n" + "".join(f"    - {{uraian: Langkah {n + 1} dikerjakan, pelaksana: {lane}}}\n"
                                for n, lane in enumerate(lanes))), encoding="utf-8")
    render("sp", root, tmp_path / "out")
    doc = docx.Document(str(tmp_path / "out" / "sp" / "izin-reklame.docx"))
    assert _pictures_by_row(doc) == {}
    cell = next(row.cells[2].text for table in doc.tables for row in table.rows if row.cells[1].text == PROSEDUR)
    assert cell.endswith("Bagan alir pada halaman tersendiri: Bagan Alir Izin Penyelenggaraan Reklame.")
    last = doc.sections[-1]
    assert len(doc.sections) == 2 and (last.page_width, last.page_height) in {
        (doc.sections[0].page_width, doc.sections[0].page_height), (doc.sections[0].page_height, doc.sections[0].page_width)}
    texts = [p.text for p in doc.paragraphs if p.text]
    assert texts[-2:] == ["BAGAN ALIR", "Izin Penyelenggaraan Reklame"]
    shape = doc.inline_shapes[len(doc.inline_shapes) - 1]  # the last picture: the chart on its page
    room_w = last.page_width - last.left_margin - last.right_margin
    room_h = last.page_height - last.top_margin - last.bottom_margin - Mm(sp_context._OWN_PAGE_HEADING_MM)
    assert shape.width > 0.97 * room_w or shape.height > 0.97 * room_h
    assert sp_context.placement(sp_context.Picture("", 100, 200, steps=tuple(
        sp_context.drawn_steps(load_unit(root)[0].service("izin-reklame"))), pages=()))[0] == "sel"  # no page: stays


def test_drawn_sp_is_deterministic_and_leaves_the_unit_folder_alone(tmp_path):
    root = _copy(tmp_path)
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    render("sp", root, tmp_path / "a")
    render("sp", root, tmp_path / "b")
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before
    for name in ("izin-reklame", "legalisasi", "domisili-usaha"):
        assert (tmp_path / "a" / "sp" / f"{name}.docx").read_bytes() == \
               (tmp_path / "b" / "sp" / f"{name}.docx").read_bytes()


# --------------------------------------------------------------------------- publication page


class _Sections(HTMLParser):
    """Per <section id>: the tags met inside it (with their attributes) and the texts."""

    def __init__(self):
        super().__init__()
        self.current: str | None = None
        self.depth = 0
        self.tags: dict[str, list[tuple[str, dict]]] = {}
        self.texts: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        if tag == "section":
            if self.current is None:
                self.current = dict(attrs).get("id", "")
                self.tags[self.current], self.texts[self.current] = [], []
            self.depth += 1
        elif self.current is not None:
            self.tags[self.current].append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag == "section":
            self.depth -= 1
            if self.depth == 0:
                self.current = None

    def handle_data(self, data):
        if self.current is not None and data.strip():
            self.texts[self.current].append(data.strip())


def test_publication_page_shows_the_drawn_flowchart_as_inline_svg():
    unit, _ = load_unit(UNIT)
    page = publication_page(unit)
    parser = _Sections()
    parser.feed(page)
    svgs = {section: [a for t, a in tags if t == "svg"] for section, tags in parser.tags.items()}
    assert [a["aria-label"] for a in svgs["layanan-izin-reklame"]] == ["Bagan alir Izin Penyelenggaraan Reklame"]
    assert svgs["layanan-izin-reklame"][0]["class"] == "bagan"
    assert "Mulai" in parser.texts["layanan-izin-reklame"]
    assert "3. Izin diterbitkan" in parser.texts["layanan-izin-reklame"]
    assert len(svgs["layanan-legalisasi"]) == 1
    assert svgs["layanan-domisili-usaha"] == []  # its own image, as <img>
    assert any(t == "img" and a.get("class") == "bagan" for t, a in parser.tags["layanan-domisili-usaha"])
    ids = re.findall(r'\bid="([^"]*)"', page)
    assert len(ids) == len(set(ids))  # every service's chart has its own ids
    assert "<?xml" not in page and "<!DOCTYPE svg" not in page and "<title>step" not in page
    assert publication_page(unit) == page
