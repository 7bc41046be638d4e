"""The publication page and the build index, read back with html.parser."""

from __future__ import annotations

import base64
import datetime as dt
import shutil
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from sp_builder import fmt_id, tables

from sp_builder.documents import ooxml
from sp_builder.errors import UserError
from sp_builder.unit.model import Service, Unit
from sp_builder.documents.publish import complaint_channels, contact_link, index_page, publication_page
from sp_builder.documents.render import render
from sp_builder.unit.validate import load_unit

DATA = Path(__file__).parent / "data"
UNIT = DATA / "render" / "unit"
TODAY = dt.date(2025, 6, 1)
VOID = {"meta", "img", "br", "link", "input", "hr", "source"}


class Node:
    """An element of a parsed page: enough of a DOM to find elements and read their text."""

    def __init__(self, tag: str, attrs: dict, parent: "Node | None"):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    def text(self, sep: str = "") -> str:
        return sep.join(c if isinstance(c, str) else c.text(sep) for c in self.children)

    def iter(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.iter()

    def find_all(self, tag: str | None = None, class_: str | None = None, **attrs) -> list["Node"]:
        def matches(node: Node) -> bool:
            return ((tag is None or node.tag == tag)
                    and (class_ is None or class_ in node.attrs.get("class", "").split())
                    and all(node.attrs.get(key.replace("_", "-")) == value for key, value in attrs.items()))
        return [node for node in self.iter() if matches(node)]

    def find(self, tag: str | None = None, class_: str | None = None, **attrs) -> "Node":
        found = self.find_all(tag, class_, **attrs)
        assert found, f"tidak ada <{tag} class={class_} {attrs}>"
        return found[0]


class _TreeBuilder(HTMLParser):
    """Builds the tree and fails on any end tag that does not close the element open last."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.current = self.root
        self.declarations: list[str] = []

    def handle_decl(self, decl):
        self.declarations.append(decl)

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, {k: v or "" for k, v in attrs}, self.current))

    def handle_endtag(self, tag):
        assert self.current.tag == tag, f"</{tag}> menutup <{self.current.tag}>"
        self.current = self.current.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse_html(page: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(page)
    builder.close()
    assert builder.current is builder.root, f"<{builder.current.tag}> tidak ditutup"
    assert builder.declarations == ["DOCTYPE html"]
    return builder.root


def component_lines(section: Node, key: str) -> list[str]:
    """The lines of one component as the SP document writes them: number, tab, text."""
    block = section.find("div", data_komponen=key)
    return ["\t".join(span.text() for span in li.find_all("span")) for li in block.find("ul", class_="baris").find_all("li")]


@pytest.fixture(scope="module")
def fixture_unit() -> Unit:
    unit, issues = load_unit(UNIT, TODAY)
    assert unit is not None and not any(i.is_error for i in issues)
    return unit


@pytest.fixture(scope="module")
def page(fixture_unit) -> Node:
    return parse_html(publication_page(fixture_unit))


# ---------------------------------------------------------------------------------------------
# Publication page


def test_six_components_with_their_labels_in_order_for_every_service(page, fixture_unit):
    sections = page.find_all("section", class_="layanan")
    assert [s.attrs["id"] for s in sections] == [f"layanan-{s.slug}" for s in fixture_unit.services]
    expected = [(c.key, c.label) for c in tables.components_of("penyampaian")]
    assert [label for _, label in expected] == ["Persyaratan", "Sistem, Mekanisme, dan Prosedur",
                                               "Jangka Waktu Pelayanan", "Biaya/Tarif", "Produk Pelayanan",
                                               "Penanganan Pengaduan, Saran, dan Masukan"]
    for section in sections:
        blocks = section.find_all("div", class_="k")
        assert [(b.attrs["data-komponen"], b.find("dt").text()[1:]) for b in blocks] == [
            (key, label) for key, label in expected]
        assert [b.find("span", class_="nomor").text() for b in blocks] == ["1", "2", "3", "4", "5", "6"]


def test_values_of_a_sample_service(page):
    section = page.find("section", id="layanan-domisili-usaha")
    assert section.find("h2").text() == "Penerbitan Surat Keterangan <Domisili> & Usaha"
    assert component_lines(section, "persyaratan") == [
        "1.\tFotokopi KTP-el & Kartu Keluarga (KK) < 3 bulan",
        "2.\tSurat pengantar RT/RW (asli 1 lembar)",
        '3.\tPas foto "berwarna" 3x4 📷',
    ]
    assert component_lines(section, "jangka_waktu") == ["3 (tiga) hari kerja sejak berkas lengkap"]
    assert component_lines(section, "biaya") == ["Rp0,00 (tidak dipungut biaya)"]
    assert component_lines(section, "produk") == ["1.\tSurat Keterangan Domisili Usaha"]
    assert component_lines(section, "pengaduan") == ["1.\tSP4N-LAPOR!: https://www.lapor.go.id",
                                                     "2.\tWhatsApp: 0812-0000-0000"]
    assert section.find("p", class_="penetapan").text() == (
        "Ditetapkan dengan Keputusan Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu "
        "Nomor 503/015/DPMPTSP/2025 tanggal 15 Januari 2025.")
    reklame = page.find("section", id="layanan-izin-reklame")
    assert component_lines(reklame, "biaya") == [
        "Rp50.000,00 (lima puluh ribu rupiah)",
        "Dasar hukum: Peraturan Daerah Kota Uji Nomor 1 Tahun 2024 tentang Pajak Daerah dan Retribusi Daerah"]


def test_the_page_says_exactly_what_the_sp_document_says(page, fixture_unit, tmp_path):
    render("sp", UNIT, tmp_path, today=TODAY)
    for service in fixture_unit.services:
        doc = docx.Document(str(tmp_path / "sp" / f"{service.slug}.docx"))
        cells = {row.cells[1].text: [p.text for p in row.cells[2].paragraphs if p.text]
                 for table in doc.tables for row in table.rows[1:] if len(row.cells) == 3}
        section = page.find("section", id=f"layanan-{service.slug}")
        for component in tables.components_of("penyampaian"):
            assert component_lines(section, component.key) == cells[component.label], (service.slug, component.key)


def test_draft_services_are_marked_rancangan(page):
    draft = page.find("section", id="layanan-legalisasi")
    assert draft.attrs["data-status"] == "rancangan"
    assert draft.find("span", class_="rancangan").text() == "RANCANGAN"
    assert draft.find("p", class_="penetapan").text().startswith("Rancangan: standar pelayanan ini belum ditetapkan")
    for slug in ("domisili-usaha", "izin-reklame"):
        established = page.find("section", id=f"layanan-{slug}")
        assert established.attrs["data-status"] == "ditetapkan"
        assert not established.find_all("span", class_="rancangan")
    assert page.find("p", class_="peringatan-rancangan").text().startswith("1 dari 3 standar pelayanan")
    toc = [li.text() for li in page.find("nav").find_all("li")]
    assert toc[2] == "Legalisasi Dokumen Perizinan (RANCANGAN)"


def test_maklumat_with_the_heads_name_and_complaint_channels(page):
    maklumat = page.find("section", id="maklumat")
    assert maklumat.find("h2").text() == "MAKLUMAT PELAYANAN"
    statements = ["\t".join(s.text() for s in li.find_all("span")) for li in maklumat.find_all("li")]
    assert len(statements) == 3
    assert statements[0].startswith("1.\tDengan ini, kami menyatakan sanggup menyelenggarakan pelayanan")
    assert "sanksi dan/atau memberikan kompensasi" in statements[2]
    signer = [p.text() for p in maklumat.find("div", class_="ttd").find_all("p")]
    assert signer[0] == "Kota Uji, 3 Februari 2025"
    assert signer[1:] == ["Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "Dra. Sri Lestari, M.AP.",
                          "Pembina Tingkat I (IV/b)", "NIP 19700101 199503 1 001"]
    assert maklumat.find("p", class_="nama").text() == "Dra. Sri Lestari, M.AP."
    channels = page.find("section", id="pengaduan")
    assert channels.find("h2").text() == "Saluran Penanganan Pengaduan, Saran, dan Masukan"
    items = channels.find_all("li")
    assert [li.find("strong").text() for li in items] == ["SP4N-LAPOR!", "WhatsApp"]  # each channel once
    assert items[0].find("a").attrs["href"] == "https://www.lapor.go.id"
    assert items[1].find("a").attrs["href"] == "tel:081200000000"


def test_self_contained_printable_and_readable_on_a_phone(page, fixture_unit):
    assert not page.find_all("link") and not page.find_all("script")
    assert page.find("html").attrs == {"lang": "id", "class": "kertas-a4"}
    assert page.find("meta", name="viewport").attrs["content"] == "width=device-width, initial-scale=1"
    images = page.find_all("img")
    assert len(images) == 2  # the logo and the one flowchart
    logo, flowchart = images
    assert base64.b64decode(logo.attrs["src"].removeprefix("data:image/png;base64,")) == (UNIT / "logo.png").read_bytes()
    assert base64.b64decode(flowchart.attrs["src"].removeprefix("data:image/png;base64,")) == (
        UNIT / "alur-domisili.png").read_bytes()
    assert flowchart.parent.parent.attrs["data-komponen"] == "prosedur"
    hrefs = [a.attrs["href"] for a in page.find_all("a")]
    assert all(h.startswith(("#", "https://", "mailto:", "tel:")) for h in hrefs)
    css = page.find("style").text()
    assert "@page{size:A4 portrait" in css and "@page poster-a3{size:A3 portrait" in css
    assert ".kertas-a3 body{page:poster-a3" in css
    assert "@media (max-width:40rem)" in css and ".komponen{grid-template-columns:1fr}" in css
    assert ".layanan,.maklumat{break-before:page}" in css
    a3 = parse_html(publication_page(fixture_unit, paper="A3"))
    assert a3.find("html").attrs["class"] == "kertas-a3"
    with pytest.raises(UserError, match="A4 atau A3"):
        publication_page(fixture_unit, paper="F4")


def test_user_text_is_escaped_and_no_other_link_scheme(tmp_path):
    root = tmp_path / "unit"
    shutil.copytree(UNIT, root)
    nasty = '<script>alert("x")</script> & <b>tebal</b>'
    unit, _ = load_unit(root, TODAY)
    service = unit.services[0]
    service.data["nama"] = nasty
    service.data["penyampaian"]["persyaratan"] = [nasty, "A&B <C>"]
    service.data["penyampaian"]["pengaduan"] = [{"saluran": "Tautan <jahat>", "kontak": "javascript:alert(1)"},
                                                {"saluran": "Surel", "kontak": "aduan@kotauji.go.id"}]
    unit.data["unit"] = "Dinas A & B <Uji>"
    text = publication_page(unit)
    assert "<script>" not in text and "<b>" not in text
    parsed = parse_html(text)
    assert not parsed.find_all("script") and not parsed.find_all("b")
    section = parsed.find("section", id=f"layanan-{service.slug}")
    assert section.find("h2").text() == nasty
    assert component_lines(section, "persyaratan") == [f"1.\t{nasty}", "2.\tA&B <C>"]
    assert parsed.find("h1").text() == "Dinas A & B <Uji>"
    assert parsed.find("title").text() == "Standar Pelayanan Dinas A & B <Uji>"
    channels = parsed.find("section", id="pengaduan").find_all("li")
    assert channels[0].text() == "Tautan <jahat>javascript:alert(1)" and not channels[0].find_all("a")
    assert channels[1].find("a").attrs["href"] == "mailto:aduan@kotauji.go.id"


@pytest.mark.parametrize("text, html", [
    ("https://www.lapor.go.id", '<a href="https://www.lapor.go.id">https://www.lapor.go.id</a>'),
    ("https://x.go.id/?a=1&b=2", '<a href="https://x.go.id/?a=1&amp;b=2">https://x.go.id/?a=1&amp;b=2</a>'),
    ("aduan@kotauji.go.id", '<a href="mailto:aduan@kotauji.go.id">aduan@kotauji.go.id</a>'),
    ("(021) 123-4567", '<a href="tel:0211234567">(021) 123-4567</a>'),
    ("+62 812 0000 0000", '<a href="tel:+6281200000000">+62 812 0000 0000</a>'),
    ("javascript:alert(1)", "javascript:alert(1)"),
    ("Ruang tunggu lantai 1", "Ruang tunggu lantai 1"),
    ("12", "12"),
    ('https://a.go.id/"><script>', "https://a.go.id/&quot;&gt;&lt;script&gt;"),
])
def test_contact_links(text, html):
    assert contact_link(text) == html


def test_complaint_channels_once_each_in_first_named_order():
    def service(slug, channels):
        return Service(slug, Path(f"{slug}.yaml"), {"penyampaian": {"pengaduan": channels}})

    unit = Unit(Path("."), {}, [
        service("a", [{"saluran": "SP4N-LAPOR!", "kontak": "https://www.lapor.go.id"}, "Kotak saran"]),
        service("b", [{"saluran": "sp4n-lapor!", "kontak": "https://www.LAPOR.go.id"}, {"saluran": "WhatsApp",
                                                                                        "kontak": "0812"}]),
    ])
    assert [(c.saluran, c.kontak) for c in complaint_channels(unit)] == [
        ("SP4N-LAPOR!", "https://www.lapor.go.id"), ("Kotak saran", ""), ("WhatsApp", "0812")]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(max_size=40), item=st.text(max_size=40))
def test_arbitrary_text_never_breaks_the_page(fixture_unit, name, item):
    service = Service("x", Path("x.yaml"), {
        "nama": name, "status": "rancangan",
        "penyampaian": {"persyaratan": [item], "prosedur": [item], "jangka_waktu": "1 hari", "biaya": 0,
                        "produk": [item], "pengaduan": [{"saluran": item, "kontak": item}]}})
    unit = Unit(fixture_unit.root, {**fixture_unit.data, "unit": name}, [service])
    parsed = parse_html(publication_page(unit))
    section = parsed.find("section", id="layanan-x")
    assert section.find("h2").find_all("span", class_="rancangan")
    assert section.find("h2").text() == ooxml.xml_safe(name) + " RANCANGAN"
    read = service.items("persyaratan")  # as the reading layer reads it: typed numbering off, blank is none
    expected = [f"{n}.\t{ooxml.xml_safe(i.uraian)}" for n, i in enumerate(read, start=1)] or ["-"]
    assert component_lines(section, "persyaratan") == expected


# ---------------------------------------------------------------------------------------------
# Index page (from a manifest written by hand; tests/test_build.py checks it on real builds)


def _manifest() -> dict:
    output = {"stage": "documents", "inputs": {}, "sha256": "0" * 64}
    return {"format": 1, "sp_builder": "0.1.0", "units": [
        {"path": "opd a/unit & co", "unit": "Dinas <A> & B", "instansi": "Kota Uji", "status": "ok",
         "errors": 0, "warnings": 2, "indeks": 3.456, "kategori": {"kode": "B", "nama": "Baik", "zona": "Hijau"},
         "notes": ["sk dilewati: belum ada layanan berstatus ditetapkan"], "issues": [],
         "services": [{"slug": "ktp", "nama": "KTP <el>", "status": "rancangan", "file": "layanan/ktp.yaml",
                       "errors": 0, "warnings": 2}],
         "outputs": [
             {**output, "path": "opd a/unit & co/sp/ktp.docx", "kind": "sp", "title": "SP KTP", "layanan": "ktp"},
             {**output, "path": "opd a/unit & co/sp/ktp.pdf", "kind": "sp", "title": "SP KTP", "layanan": "ktp"},
             {**output, "path": "opd a/unit & co/publikasi.html", "kind": "publikasi", "title": "Halaman publikasi"},
         ]},
        {"path": "rusak", "unit": "rusak", "instansi": "", "status": "galat", "errors": 1, "warnings": 0,
         "indeks": None, "kategori": None, "notes": [], "services": [], "outputs": [],
         "issues": [{"file": "rusak/layanan/a.yaml", "line": 3, "column": 1, "severity": "galat",
                     "component": "Jangka Waktu Pelayanan", "rule": "x", "message": 'bukan durasi: "<segera>"'}]},
    ]}


def test_index_rows_counts_links_and_escaping():
    parsed = parse_html(index_page(_manifest()))
    rows = parsed.find("table", id="unit").find("tbody").find_all("tr")
    assert [r.attrs["data-unit"] for r in rows] == ["opd a/unit & co", "rusak"]
    cells = {td.attrs["data-kolom"]: td.text() for td in rows[0].find_all("td") if "data-kolom" in td.attrs}
    assert cells == {"layanan": "1", "ditetapkan": "0", "rancangan": "1", "galat": "0", "peringatan": "2",
                     "indeks": fmt_id.desimal(3.456), "publikasi": "buka"}
    assert rows[0].find("td", data_kolom="publikasi").find("a").attrs["href"] == "opd%20a/unit%20%26%20co/publikasi.html"
    assert rows[0].find("a").text() == "Dinas <A> & B"
    assert rows[1].find("td", data_kolom="indeks").text() == "-" and rows[1].find("span", class_="galat")
    assert parsed.find("strong", id="jumlah-galat").text() == "1"
    service = parsed.find("tr", data_layanan="ktp")
    assert [a.text() for a in service.find_all("a")] == ["Word", "PDF"]
    assert service.find_all("td")[1].text() == "KTP <el>"
    problem = parsed.find("ul", class_="masalah").find("li").text()
    assert problem == 'rusak/layanan/a.yaml:3: Jangka Waktu Pelayanan: bukan durasi: "<segera>"'
    assert "sk dilewati" in parsed.find("section", id="unit-1").text()


def test_index_marks_an_index_without_self_assessment():
    from sp_builder.documents.publish import index_page

    unit = {"path": "a", "status": "ok", "unit": "Dinas A", "instansi": "Pemkab", "services": [], "errors": 0,
            "warnings": 0, "indeks": 0.54, "kategori": {"kode": "F", "nama": "Gagal", "zona": "Merah"},
            "penilaian_mandiri": False, "outputs": [], "issues": [], "notes": []}
    page = index_page({"sp_builder": "0", "units": [unit]})
    assert '0,54<abbr title="tanpa penilaian mandiri: batas bawah">*</abbr>' in page
    assert "merupakan batas bawah" in page
    page = index_page({"sp_builder": "0", "units": [{**unit, "penilaian_mandiri": True}]})
    assert "<abbr" not in page and "batas bawah" not in page
