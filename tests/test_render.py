"""Rendering SP, SK and Maklumat: the documents are opened with python-docx and read back."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn
from hypothesis import assume, HealthCheck, given, settings, strategies as st
from ruamel.yaml import YAML

from sp_builder.documents import render as render_mod, sp_context
from sp_builder.unit import citations
from sp_builder import tables
from sp_builder.cli import main
from sp_builder.errors import InputError, UserError
from sp_builder.files import display_path
from sp_builder.unit.model import Service, Unit
from sp_builder.documents.render import find_template, render, render_job, render_unit

DATA = Path(__file__).parent / "data" / "render"
UNIT = DATA / "unit"
ROOT = Path(__file__).resolve().parent.parent

yaml = YAML(typ="safe", pure=True)


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("keluaran")
    result = render("all", UNIT, folder)
    assert [d.kind for d in result.documents] == ["sk", "sp", "sp", "sp", "maklumat", "sop", "sop", "sop"]
    return folder


def open_docx(path: Path):
    return docx.Document(str(path))


def body_texts(doc) -> list[str]:
    return [p.text for p in doc.paragraphs if p.text.strip()]


def header_texts(section) -> list[str]:
    return [p.text for header in (section.header, section.first_page_header) for p in header.paragraphs]


def sp_tables(doc) -> list:
    return [t for t in doc.tables if [c.text for c in t.rows[0].cells] == ["NO", "KOMPONEN", "URAIAN"]]


def uraian(doc, label: str) -> list[str]:
    """Paragraph texts of the Uraian cell of a component, found by its label."""
    for table in sp_tables(doc):
        for row in table.rows[1:]:
            if row.cells[1].text == label:
                return [p.text for p in row.cells[2].paragraphs]
    raise AssertionError(f"komponen {label} tidak ditemukan")


def unit_copy(tmp_path: Path) -> Path:
    target = tmp_path / "unit"
    shutil.copytree(UNIT, target)
    return target


def load_fixture_unit(root: Path = UNIT) -> Unit:
    services = [Service(p.stem, p, yaml.load(p.read_text(encoding="utf-8")))
                for p in sorted((root / "layanan").glob("*.yaml"))]
    return Unit(root=root, data=yaml.load((root / "unit.yaml").read_text(encoding="utf-8")), services=services)


# ---------------------------------------------------------------------------------------------
# SP


def test_sp_title_kop_and_components_in_order(out):
    doc = open_docx(out / "sp" / "domisili-usaha.docx")
    texts = body_texts(doc)
    assert "STANDAR PELAYANAN" in texts
    assert "PENERBITAN SURAT KETERANGAN <DOMISILI> & USAHA" in texts
    kop = [p.text for p in doc.tables[0].rows[0].cells[1].paragraphs]
    assert kop[:2] == ["PEMERINTAH KOTA UJI", "DINAS PENANAMAN MODAL & PELAYANAN TERPADU SATU PINTU"]
    part_one, part_two = sp_tables(doc)
    labels = [row.cells[1].text for table in (part_one, part_two) for row in table.rows[1:]]
    assert labels == [c.label for c in tables.components()]
    assert [row.cells[0].text for row in part_one.rows[1:]] == ["1.", "2.", "3.", "4.", "5.", "6."]
    headings = [t for t in texts if t.startswith(("I.\t", "II.\t"))]
    assert headings == [f"{p['nomor']}.\t{p['judul']}" for p in tables.parts().values()]


def test_sp_table_layout(out):
    doc = open_docx(out / "sp" / "domisili-usaha.docx")
    for table in sp_tables(doc):
        grid = [col.w for col in table._tbl.tblGrid.gridCol_lst]
        assert [round(w / sum(grid) * 100) for w in grid] == [6, 30, 64]
        header = table.rows[0]
        assert header._tr.trPr.find(qn("w:tblHeader")) is not None
        assert all(cell.paragraphs[0].runs[0].bold for cell in header.cells)
        assert not table._tbl.xpath(".//w:cantSplit")
        assert {b.get(qn("w:val")) for b in table._tbl.tblPr.find(qn("w:tblBorders"))} == {"single"}


def test_sp_cell_texts_escape_nothing_away(out):
    doc = open_docx(out / "sp" / "domisili-usaha.docx")
    assert uraian(doc, "Persyaratan") == [
        "1.\tFotokopi KTP-el & Kartu Keluarga (KK) < 3 bulan",
        "2.\tSurat pengantar RT/RW (asli 1 lembar)",
        '3.\tPas foto "berwarna" 3x4 📷',
    ]
    assert uraian(doc, "Jangka Waktu Pelayanan") == ["3 (tiga) hari kerja sejak berkas lengkap"]
    assert uraian(doc, "Penanganan Pengaduan, Saran, dan Masukan") == [
        "1.\tSP4N-LAPOR!: https://www.lapor.go.id", "2.\tWhatsApp: 0812-0000-0000"]
    assert uraian(doc, "Jaminan Pelayanan") == ["Pelayanan dilaksanakan sesuai standar pelayanan & maklumat pelayanan."]


def test_sp_flowchart_and_logo(out):
    doc = open_docx(out / "sp" / "domisili-usaha.docx")
    assert len(doc.inline_shapes) == 2  # logo and bagan alir
    for table in sp_tables(doc):
        for row in table.rows[1:]:
            has_picture = bool(row.cells[2]._tc.xpath(".//w:drawing"))
            assert has_picture == (row.cells[1].text == tables.label("prosedur"))
    assert len(open_docx(out / "sp" / "izin-reklame.docx").inline_shapes) == 2  # logo and the drawn bagan alir


def test_biaya_texts(out):
    assert uraian(open_docx(out / "sp" / "domisili-usaha.docx"), "Biaya/Tarif") == ["Rp0,00 (tidak dipungut biaya)"]
    assert uraian(open_docx(out / "sp" / "izin-reklame.docx"), "Biaya/Tarif") == [
        "Rp50.000,00 (lima puluh ribu rupiah)",
        "Dasar hukum: Peraturan Daerah Kota Uji Nomor 1 Tahun 2024 tentang Pajak Daerah dan Retribusi Daerah",
    ]
    assert uraian(open_docx(out / "sp" / "legalisasi.docx"), "Biaya/Tarif") == [
        "1.\tLegalisasi per lembar: Rp2.500,00 (dua ribu lima ratus rupiah)",
        "2.\tSalinan digital: Sesuai tarif PNBP yang berlaku",
        "Dasar hukum:",
        "a.\tPeraturan Pemerintah Nomor 10 Tahun 2018 tentang Tarif PNBP",
        "b.\tPeraturan Daerah Kota Uji Nomor 1 Tahun 2024 tentang Pajak Daerah dan Retribusi Daerah",
    ]


def test_jumlah_pelaksana(out):
    assert uraian(open_docx(out / "sp" / "domisili-usaha.docx"), "Jumlah Pelaksana") == ["6 (enam) orang"]
    assert uraian(open_docx(out / "sp" / "izin-reklame.docx"), "Jumlah Pelaksana") == [
        "1.\tPetugas loket: 2 (dua) orang", "2.\tTim survei: 3 (tiga) orang", "Jumlah: 5 (lima) orang"]


def test_rancangan_mark_only_on_drafts(out):
    draft = open_docx(out / "sp" / "legalisasi.docx").sections[0]
    assert "RANCANGAN" in [p.text for p in draft.header.paragraphs]
    assert "RANCANGAN" in [p.text for p in draft.first_page_header.paragraphs]
    assert draft.header.paragraphs[-1].runs[0].bold
    for name in ("sp/domisili-usaha.docx", "sk/keputusan-standar-pelayanan.docx", "maklumat/maklumat-pelayanan.docx"):
        assert "RANCANGAN" not in header_texts(open_docx(out / name).sections[0])


def test_lampiran_block_only_when_established(out):
    texts = body_texts(open_docx(out / "sp" / "domisili-usaha.docx"))
    start = texts.index("LAMPIRAN")
    assert texts[start:start + 5] == [
        "LAMPIRAN",
        "KEPUTUSAN KEPALA DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU",
        "NOMOR\t:\t503/015/DPMPTSP/2025",
        "TANGGAL\t:\t15 Januari 2025",
        "TENTANG\t:\tSTANDAR PELAYANAN PADA DINAS PENANAMAN MODAL & PELAYANAN TERPADU SATU PINTU",
    ]
    assert "LAMPIRAN" not in body_texts(open_docx(out / "sp" / "legalisasi.docx"))


def test_signature_block_of_sp(out):
    texts = body_texts(open_docx(out / "sp" / "domisili-usaha.docx"))
    assert texts[-5:] == [
        "Kota Uji, 15 Januari 2025",
        "KEPALA DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU,",
        "Dra. Sri Lestari, M.AP.",
        "Pembina Tingkat I (IV/b)",
        "NIP. 19700101 199503 1 001",
    ]
    doc = open_docx(out / "sp" / "domisili-usaha.docx")
    name = next(p for p in doc.paragraphs if p.text == "Dra. Sri Lestari, M.AP.")
    assert name.runs[0].bold and name.runs[0].underline
    assert body_texts(open_docx(out / "sp" / "legalisasi.docx"))[-5] == "Kota Uji, ...................."


# ---------------------------------------------------------------------------------------------
# SK


def test_sk_heading_and_diktum(out):
    doc = open_docx(out / "sk" / "keputusan-standar-pelayanan.docx")
    texts = body_texts(doc)
    assert texts[:5] == [
        "KEPUTUSAN KEPALA DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU",
        "NOMOR 503/015/DPMPTSP/2025",
        "TENTANG",
        "STANDAR PELAYANAN PADA DINAS PENANAMAN MODAL & PELAYANAN TERPADU SATU PINTU",
        "KEPALA DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU,",
    ]
    assert "MEMUTUSKAN:" in texts
    menimbang = doc.tables[1]
    assert [row.cells[0].text for row in menimbang.rows] == ["Menimbang", "", ""]
    assert [row.cells[2].text for row in menimbang.rows] == ["a.", "b.", "c."]
    assert menimbang.rows[2].cells[3].text.startswith("bahwa berdasarkan pertimbangan")
    assert {b.get(qn("w:val")) for b in menimbang._tbl.tblPr.find(qn("w:tblBorders"))} == {"nil"}
    diktum = doc.tables[3]
    assert [row.cells[0].text for row in diktum.rows] == ["Menetapkan", "KESATU", "KEDUA", "KETIGA"]
    assert diktum.rows[0].cells[2].text == (
        "KEPUTUSAN KEPALA DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU TENTANG "
        "STANDAR PELAYANAN PADA DINAS PENANAMAN MODAL & PELAYANAN TERPADU SATU PINTU.")
    assert diktum.rows[3].cells[2].text == "Keputusan ini mulai berlaku pada tanggal ditetapkan."
    start = texts.index("Ditetapkan di Kota Uji")
    assert texts[start:start + 6] == [
        "Ditetapkan di Kota Uji", "pada tanggal 3 Februari 2025",  # the latest penetapan
        "KEPALA DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU,", "Dra. Sri Lestari, M.AP.",
        "Pembina Tingkat I (IV/b)", "NIP. 19700101 199503 1 001",
    ]


def test_sk_mengingat_is_merged_and_ranked(out):
    mengingat_table = open_docx(out / "sk" / "keputusan-standar-pelayanan.docx").tables[2]
    assert mengingat_table.rows[0].cells[0].text == "Mengingat"
    assert [row.cells[3].text for row in mengingat_table.rows] == [
        "Undang-Undang Dasar Negara Republik Indonesia Tahun 1945;",
        "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik;",
        "Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah;",
        "Peraturan Pemerintah Nomor 96 Tahun 2012 tentang Pelaksanaan Undang-Undang Nomor 25 Tahun 2009 "
        "tentang Pelayanan Publik;",
        "Peraturan Presiden Nomor 76 Tahun 2013 tentang Pengelolaan Pengaduan Pelayanan Publik;",
        # UU 12/2011 Pasal 7 ayat (1) puts the Perda in the hierarchy; a Peraturan Menteri is Pasal 8
        "Peraturan Daerah Provinsi Uji Nomor 2 Tahun 2019 tentang Penyelenggaraan Reklame;",
        "Peraturan Daerah Kota Uji Nomor 8 Tahun 2016 tentang Pembentukan dan Susunan Perangkat Daerah;",
        "Peraturan Daerah Kota Uji Nomor 1 Tahun 2024 tentang Pajak Daerah dan Retribusi Daerah;",
        "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 15 Tahun 2014 "
        "tentang Pedoman Standar Pelayanan;",
        "Peraturan Wali Kota Uji Nomor 5 Tahun 2020 tentang Pelimpahan Kewenangan Perizinan;",
        "Keputusan Menteri Pendayagunaan Aparatur Negara Nomor 63 Tahun 2003 tentang Pedoman Umum "
        "Penyelenggaraan Pelayanan Publik.",
    ]
    assert [row.cells[2].text for row in mengingat_table.rows][:3] == ["1.", "2.", "3."]


def test_sk_lampiran_holds_only_established_sps(out):
    doc = open_docx(out / "sk" / "keputusan-standar-pelayanan.docx")
    texts = body_texts(doc)
    assert texts.count("STANDAR PELAYANAN") == 2
    assert "PENERBITAN SURAT KETERANGAN <DOMISILI> & USAHA" in texts
    assert "IZIN PENYELENGGARAAN REKLAME" in texts
    assert "LEGALISASI DOKUMEN PERIZINAN" not in texts
    lampiran = [p for p in doc.paragraphs if p.text == "LAMPIRAN"]
    assert len(lampiran) == 2 and all(p.paragraph_format.page_break_before for p in lampiran)
    assert texts.count("NOMOR\t:\t503/015/DPMPTSP/2025") == 2
    assert texts.count("TANGGAL\t:\t3 Februari 2025") == 2
    assert len(sp_tables(doc)) == 4
    # inside the SK the SP signature carries no place and date of its own
    assert "Kota Uji, 15 Januari 2025" not in texts


def test_sk_number_is_the_most_frequent():
    def service(nomor: str, day: int) -> Service:
        return Service("x", Path("x.yaml"), {"status": "ditetapkan",
                                            "penetapan": {"nomor": nomor, "tanggal": dt.date(2025, 1, day)}})

    assert sp_context.sk_number([service("A", 1), service("B", 2), service("A", 3)]) == "A"
    assert sp_context.sk_number([service("A", 1), service("B", 2)]) == "B"  # tie: the newest


def test_sk_without_established_service():
    with pytest.raises(UserError, match="belum ada layanan berstatus ditetapkan"):
        render("sk", DATA / "rancangan-saja", Path("/nonexistent/never-written"))


def test_all_skips_the_sk_when_nothing_is_established(tmp_path):
    result = render("all", DATA / "rancangan-saja", tmp_path)
    assert [d.kind for d in result.documents] == ["sp", "maklumat", "sop"]
    assert result.skipped[0].startswith("sk dilewati: belum ada layanan")
    assert [note.split(":")[0] for note in result.skipped] == ["sk dilewati", "fkp dilewati"]
    assert not (tmp_path / "sk").exists()


# ---------------------------------------------------------------------------------------------
# Maklumat


def test_maklumat_defaults(out):
    doc = open_docx(out / "maklumat" / "maklumat-pelayanan.docx")
    texts = body_texts(doc)
    title = [p for p in doc.paragraphs if p.text == "MAKLUMAT PELAYANAN"][0]
    assert title.runs[0].bold and title.runs[0].font.size.pt >= 20
    statements = [t for t in texts if t[:3] in ("1.\t", "2.\t", "3.\t")]
    assert len(statements) == 3
    assert statements[0].startswith("1.\tDengan ini, kami menyatakan sanggup menyelenggarakan pelayanan")
    assert texts[-5:] == [
        "Kota Uji, 3 Februari 2025", "KEPALA DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU,",
        "Dra. Sri Lestari, M.AP.", "Pembina Tingkat I (IV/b)", "NIP. 19700101 199503 1 001"]
    assert round(doc.sections[0].page_height.mm) == 297  # A4 unless the unit sets `paper`


def test_maklumat_from_unit_yaml(tmp_path):
    root = unit_copy(tmp_path)
    data = yaml.load((root / "unit.yaml").read_text(encoding="utf-8"))
    data.update(maklumat="Kami siap melayani <semua> warga & tamu.", maklumat_tanggal=dt.date(2025, 3, 1),
                paper="F4")
    with open(root / "unit.yaml", "w", encoding="utf-8") as handle:
        yaml.dump(data, handle)
    render("maklumat", root, tmp_path / "out")
    doc = open_docx(tmp_path / "out" / "maklumat" / "maklumat-pelayanan.docx")
    texts = body_texts(doc)
    assert "“Kami siap melayani <semua> warga & tamu.”" in texts
    assert "Kota Uji, 1 Maret 2025" in texts
    assert round(doc.sections[0].page_height.mm) == 297  # `paper: F4` is the SK's and the SP's only


# ---------------------------------------------------------------------------------------------
# Whole-run properties


def test_two_renders_are_byte_identical(out, tmp_path):
    render("all", UNIT, tmp_path)
    files = sorted(p.relative_to(out) for p in out.rglob("*.docx"))
    assert [f.parts[0] for f in files] == ["maklumat", "sk", "sop", "sop", "sop", "sp", "sp", "sp"]
    for name in files:
        assert (out / name).read_bytes() == (tmp_path / name).read_bytes(), name
    with zipfile.ZipFile(out / files[0]) as archive:
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    props = open_docx(out / "sp" / "domisili-usaha.docx").core_properties
    assert props.created.date() == dt.date(2025, 1, 15)
    assert props.title == "Standar Pelayanan Penerbitan Surat Keterangan <Domisili> & Usaha"


def test_process_pool_gives_the_same_documents(tmp_path):
    unit = load_fixture_unit()
    unit.services = [dataclasses.replace(s, slug=f"{s.slug}-{n}") for n in range(4) for s in unit.services]
    serial = render_unit(unit, "sp", tmp_path / "a", workers=1)
    pooled = render_unit(unit, "sp", tmp_path / "b", workers=2)
    assert len(serial.documents) == 12
    for a, b in zip(serial.documents, pooled.documents):
        assert a.path.read_bytes() == b.path.read_bytes()


def test_input_errors_write_nothing(tmp_path):
    root = unit_copy(tmp_path)
    path = root / "layanan" / "legalisasi.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("60 menit", "secepatnya"), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        render("all", root, tmp_path / "out")
    assert any("Jangka Waktu Pelayanan" in i.format() for i in caught.value.issues)
    assert not (tmp_path / "out").exists()


def test_paper_from_unit_rescales_tables(tmp_path):
    unit = load_fixture_unit()
    unit.data["paper"] = "A4"
    result = render_unit(unit, "sp", tmp_path)
    doc = open_docx(result.documents[0].path)
    assert round(doc.sections[0].page_width.mm) == 210
    grid = [col.w for col in sp_tables(doc)[0]._tbl.tblGrid.gridCol_lst]
    assert sum(grid) / 36000 == pytest.approx(160, abs=0.2)  # A4 text width in mm


def _many_items_service(n: int) -> dict:
    data = yaml.load((UNIT / "layanan" / "legalisasi.yaml").read_text(encoding="utf-8"))
    long_line = "Panjang & <sekali> " * 300
    items = [f'Syarat {i} & <b>tebal</b> "kutip" \'apostrof\' > 😀' for i in range(1, n + 1)]
    data["penyampaian"]["persyaratan"] = items + [long_line.strip()]
    return data


def test_awkward_text_and_200_items_render_intact(tmp_path):
    unit = load_fixture_unit()
    unit.services = [Service("banyak", UNIT / "layanan" / "banyak.yaml", _many_items_service(200))]
    result = render_unit(unit, "sp", tmp_path)
    lines = uraian(open_docx(result.documents[0].path), "Persyaratan")
    assert len(lines) == 201
    assert lines[0] == '1.\tSyarat 1 & <b>tebal</b> "kutip" \'apostrof\' > 😀'
    assert lines[199] == '200.\tSyarat 200 & <b>tebal</b> "kutip" \'apostrof\' > 😀'
    assert lines[200] == "201.\t" + ("Panjang & <sekali> " * 300).strip()
    assert body_texts(open_docx(result.documents[0].path))[-1] == "NIP. 19700101 199503 1 001"  # not truncated


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=60).map(
    lambda s: s + "\r\n" + s).filter(
    lambda s: "{_" not in s and "_}" not in s and "%_" not in s))  # docxtpl's own escape sequences
def test_any_text_renders_as_written(text):
    unit = load_fixture_unit()
    data = yaml.load((UNIT / "layanan" / "legalisasi.yaml").read_text(encoding="utf-8"))
    data["penyampaian"]["persyaratan"] = [text]
    data["nama"] = text
    unit.services = [Service("acak", UNIT / "layanan" / "acak.yaml", data)]
    job = render_mod.plan_sp(unit)[0]
    blob = render_job(job, find_template("sp.docx", None, UNIT))
    doc = docx.Document(io.BytesIO(blob))
    read = unit.services[0].items("persyaratan")  # as the reading layer reads it: hand numbering off
    assume(len(read) == 1)  # a blank item is refused by validation, not rendered
    (item,) = read
    assert uraian(doc, "Persyaratan") == ["1.\t" + sp_context.clean(item.uraian)]


# ---------------------------------------------------------------------------------------------
# Templates


def _template(folder: Path, name: str, *paragraphs: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    doc = docx.Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    doc.save(folder / name)
    return folder


@pytest.mark.parametrize("tag, variable", [("{{ xyz }}", "xyz"), ("{{ sk.tidak_ada }}", "tidak_ada"),
                                           ("{% for x in daftar %}{{ x }}{% endfor %}", "daftar")])
def test_user_template_with_unknown_variable(tmp_path, tag, variable):
    folder = _template(tmp_path / "templat", "sk.docx", "Nomor {{ sk.nomor }}", tag)
    with pytest.raises(UserError) as caught:
        render("sk", UNIT, tmp_path / "out", templates=folder)
    assert str(caught.value) == f'templat {display_path(folder / "sk.docx")}: variabel "{variable}" tidak dikenal'
    assert not (tmp_path / "out").exists()


def test_user_template_syntax_error_names_template_and_line(tmp_path):
    folder = _template(tmp_path / "templat", "sk.docx", "Nomor {{ sk.nomor }}", "{% if sk.nomor %} tanpa penutup")
    with pytest.raises(UserError) as caught:
        render("sk", UNIT, tmp_path / "out", templates=folder)
    message = str(caught.value)
    assert message.startswith(f"templat {display_path(folder / 'sk.docx')}: paragraf ke-2: kesalahan sintaks Jinja")
    assert "tanpa penutup" in message  # the text around the error


def test_user_templates_are_sandboxed(tmp_path):
    folder = _template(tmp_path / "templat", "maklumat.docx", "{{ kop.instansi.__class__.__mro__ }}")
    with pytest.raises(UserError, match="maklumat.docx"):
        render("maklumat", UNIT, tmp_path / "out", templates=folder)


def test_template_search_order(tmp_path):
    root = unit_copy(tmp_path)
    _template(root / "templates", "maklumat.docx", "UNIT {{ maklumat.judul }} {{ ttd.nip }} {{ '2025-01-15'|tanggal }}")
    render("maklumat", root, tmp_path / "a")
    assert body_texts(open_docx(tmp_path / "a" / "maklumat" / "maklumat-pelayanan.docx")) == [
        "UNIT MAKLUMAT PELAYANAN 19700101 199503 1 001 15 Januari 2025"]
    user = _template(tmp_path / "pengguna", "maklumat.docx", "PENGGUNA {{ 50000|rupiah }} {{ 12|terbilang }}")
    render("maklumat", root, tmp_path / "b", templates=user)
    assert body_texts(open_docx(tmp_path / "b" / "maklumat" / "maklumat-pelayanan.docx")) == [
        "PENGGUNA Rp50.000,00 dua belas"]
    assert find_template("sp.docx", user, root).label == "sp.docx"  # falls back to the built-in
    assert not find_template("sp.docx", user, root).sandboxed


def test_built_in_templates_are_reproducible():
    import runpy

    builder = runpy.run_path(str(ROOT / "tools" / "build_templates.py"))
    for kind in ("sp", "sk", "maklumat"):
        assert builder["build"](kind) == (ROOT / "templates" / f"{kind}.docx").read_bytes(), kind


# ---------------------------------------------------------------------------------------------
# Mengingat


# The order of UU 12/2011 as amended: Pasal 7 ayat (1) (UUD, TAP MPR, UU/Perppu, PP, Perpres,
# Perda Provinsi, Perda Kabupaten/Kota), then the regulations of Pasal 8 (ministers, agencies,
# heads of region), then keputusan and the rest (schemas/singkatan_peraturan.yaml `peringkat`).
HIERARCHY = [
    ("Undang-Undang Dasar Negara Republik Indonesia Tahun 1945", "UUD"),
    ("UU 25/2009 tentang Pelayanan Publik", "UU"),
    ("Peraturan Pemerintah Pengganti Undang-Undang Nomor 2 Tahun 2022 tentang Cipta Kerja", "Perppu"),
    ("Peraturan Pemerintah Nomor 96 Tahun 2012", "PP"),
    ("Perpres 76/2013", "Perpres"),
    ("Peraturan Daerah Provinsi Jawa Barat Nomor 1 Tahun 2020", "Perda Provinsi"),
    ("Peraturan Daerah Kabupaten Contoh Nomor 3 Tahun 2019", "Perda Kabupaten/Kota"),
    ("Permendagri Nomor 108 Tahun 2019", "Permen"),
    ("PermenPANRB Nomor 15 Tahun 2014", "Permen"),
    ("Peraturan Menteri Kesehatan Nomor 43 Tahun 2019 tentang Puskesmas", "Permen"),
    ("Peraturan Badan Pengawas Obat dan Makanan Nomor 1 Tahun 2020", "Peraturan Lembaga"),
    ("Peraturan Gubernur Jawa Barat Nomor 5 Tahun 2021", "Pergub"),
    ("Peraturan Bupati Contoh Nomor 5 Tahun 2021", "Perbup"),
    ("Perwal Kota Uji No. 5 Tahun 2020", "Perwal"),
    ("Keputusan Menteri PAN Nomor 63 Tahun 2003", "Kepmen"),
    ("Surat Edaran Menteri PANRB Nomor 66 Tahun 2020", "SE"),
]


@pytest.mark.parametrize("text, kind", HIERARCHY)
def test_mengingat_kind(text, kind):
    assert citations.parse(text).kind == kind


def test_mengingat_ranks_follow_pasal_7_then_pasal_8():
    ranks = [citations.rank(citations.parse(text)) for text, _ in HIERARCHY]
    assert ranks == sorted(ranks)
    perda = citations.rank(citations.parse("Perda Kabupaten Contoh Nomor 3 Tahun 2019"))
    assert perda < citations.rank(citations.parse("PermenPANRB Nomor 15 Tahun 2014"))


def test_mengingat_merge_orders_and_deduplicates():
    merged = [e.text for e in citations.merge_mengingat([
        "Peraturan Bupati Contoh Nomor 5 Tahun 2021 tentang A",
        "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik",
        "Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah",
        "Undang-Undang Nomor 9 Tahun 2014 tentang B",
        "1.  undang-undang nomor 25 tahun 2009  tentang pelayanan publik;",
        "Peraturan Pemerintah Nomor 96 Tahun 2012 tentang C.",
        "Permenpan RB No. 15 Tahun 2014 tentang Pedoman Standar Pelayanan",
        "Perda Kabupaten Contoh No 3 Thn 2019 tentang D",
    ])]
    assert merged == [
        "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik",
        "Undang-Undang Nomor 9 Tahun 2014 tentang B",
        "Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah",
        "Peraturan Pemerintah Nomor 96 Tahun 2012 tentang C",
        "Peraturan Daerah Kabupaten Contoh Nomor 3 Tahun 2019 tentang D",
        "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 15 Tahun 2014 "
        "tentang Pedoman Standar Pelayanan",
        "Peraturan Bupati Contoh Nomor 5 Tahun 2021 tentang A",
    ]


# ---------------------------------------------------------------------------------------------
# CLI


def test_cli_render(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["render", "sp", str(UNIT), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert f"ditulis: {tmp_path / 'sp' / 'legalisasi.docx'}" in result.stdout
    assert sorted(p.name for p in (tmp_path / "sp").iterdir()) == [
        "domisili-usaha.docx", "izin-reklame.docx", "legalisasi.docx"]

    wrong = runner.invoke(main, ["render", "brosur", str(UNIT), "-o", str(tmp_path)])
    assert wrong.exit_code == 2 and 'jenis dokumen "brosur" tidak dikenal' in wrong.output

    none = runner.invoke(main, ["render", "sk", str(DATA / "rancangan-saja"), "-o", str(tmp_path / "x")])
    assert none.exit_code == 1 and "belum ada layanan berstatus ditetapkan" in none.output


def test_sk_memperhatikan_names_the_berita_acara_of_the_fkp(tmp_path):
    samples = Path(__file__).parents[1] / "samples" / "dukcapil-kota-contoh"
    render_mod.render("sk", samples, tmp_path)
    doc = open_docx(tmp_path / "sk" / "keputusan-standar-pelayanan.docx")
    (table,) = [t for t in doc.tables if t.rows[0].cells[0].text == "Memperhatikan"]
    assert [c.text for c in table.rows[0].cells][1:] == [
        ":", "", "Berita Acara Forum Konsultasi Publik Penyusunan Standar Pelayanan pada Dinas Kependudukan dan "
                 "Pencatatan Sipil tanggal 22 Januari 2026 Nomor 400.12/0031/DKPS/2026."]


def test_sk_without_fkp_has_no_memperhatikan(out):
    doc = open_docx(out / "sk" / "keputusan-standar-pelayanan.docx")
    assert all(t.rows[0].cells[0].text != "Memperhatikan" for t in doc.tables if t.rows)


@pytest.mark.parametrize("tag, said", [
    ("{% if sk.nomor %} tanpa penutup",
     'blok "if" tidak ditutup sampai akhir templat; tambahkan {% endif %} (atau {%p endif %} / {%tr endif %}, '
     "seperti pembukanya)"),
    ("{{ sk.nomor ", "tag {{ … }} atau {% … %} tidak ditutup dalam paragrafnya; tutup di paragraf yang sama"),
    ("{{ sk.nomor sk.tanggal }}", 'diharapkan }}, tetapi tertulis "sk"'),
    ("{% endfor %}", 'tag "endfor" tidak menutup blok apa pun; hapus, atau tambahkan pembukanya'),
    ("{{ sk.nomor|huruf_besar }}", 'filter "huruf_besar" tidak dikenal'),
    ("{{ 'Nomor }}", "tanda kutip ' tidak ditutup"),
    ("{{ }}", "ekspresi kosong sebelum }}: tulis nama variabel atau nilainya"),
])
def test_user_template_syntax_errors_are_told_in_indonesian(tmp_path, tag, said):
    folder = _template(tmp_path / "templat", "sk.docx", "Nomor {{ sk.nomor }}", tag)
    with pytest.raises(UserError) as caught:
        render("sk", UNIT, tmp_path / "out", templates=folder)
    message = str(caught.value)
    assert f"kesalahan sintaks Jinja: {said}" in message, message
    assert not re.search(r"\b(expected|unexpected|Encountered|Jinja was)\b", message), message
    assert not (tmp_path / "out").exists()
