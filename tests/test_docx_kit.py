"""The docx building kit: page, kop surat, signature block, tables, deterministic atomic saving."""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Cm, Mm

from sp_builder.documents import layout, ooxml
from sp_builder.errors import UserError
from sp_builder.unit.model import Person, Unit

DATA = Path(__file__).parent / "data" / "render" / "unit"

UNIT_DATA = {
    "instansi": "Pemerintah Kota Uji",
    "unit": "Dinas Penanaman Modal & Pelayanan Terpadu Satu Pintu",
    "alamat": "Jl. Merdeka No. 2, Kota Uji 12345",
    "telepon": "(021) 7654321",
    "email": "dpmptsp@kotauji.go.id",
    "laman": "https://dpmptsp.kotauji.go.id",
    "logo": "logo.png",
    "kota": "Kota Uji",
    "pimpinan": {"nama": "Dra. Sri Lestari, M.AP.", "jabatan": "Kepala Dinas Uji",
                 "nip": "197001011995031001", "pangkat": "Pembina Tingkat I (IV/b)"},
}


@pytest.fixture
def unit() -> Unit:
    return Unit(root=DATA, data=dict(UNIT_DATA))


def reopen(doc):
    return docx.Document(io.BytesIO(ooxml.to_bytes(doc)))


@pytest.mark.parametrize("paper, size", [("A4", (210, 297)), ("F4", (215, 330))])
def test_set_page_sizes_and_margins(paper, size):
    doc = docx.Document()
    layout.set_page(doc.sections[0], paper)
    section = reopen(doc).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == size
    assert [round(m.cm, 2) for m in (section.top_margin, section.bottom_margin,
                                     section.left_margin, section.right_margin)] == [2.0, 2.5, 3.0, 2.0]


def test_unknown_paper_is_a_user_error():
    with pytest.raises(UserError, match="A4, F4"):
        layout.set_page(docx.Document().sections[0], "Legal")


def test_new_document_uses_the_kind_settings(unit):
    sk = layout.new_document("sk")
    assert round(sk.sections[0].page_height.mm) == 330
    assert sk.styles["Normal"].font.name == "Bookman Old Style"
    letter = layout.new_document("laporan")
    assert round(letter.sections[0].page_height.mm) == 297
    assert letter.styles["Normal"].font.name == "Arial"
    unit.data["paper"] = "A4"
    assert round(layout.new_document("sk", unit).sections[0].page_height.mm) == 297


def test_kop_surat(unit):
    doc = layout.new_document("maklumat", unit)
    layout.add_kop_surat(doc, unit)
    doc = reopen(doc)
    table = doc.tables[0]
    texts = [p.text for p in table.rows[0].cells[1].paragraphs]
    assert texts == [
        "PEMERINTAH KOTA UJI",
        "DINAS PENANAMAN MODAL & PELAYANAN TERPADU SATU PINTU",
        "Jl. Merdeka No. 2, Kota Uji 12345, Telepon\u00a0(021) 7654321",
        "Pos-el\u00a0dpmptsp@kotauji.go.id, Laman\u00a0https://dpmptsp.kotauji.go.id",
    ]
    assert table.rows[0].cells[1].paragraphs[1].runs[0].bold
    assert len(doc.inline_shapes) == 1  # the logo
    rule = doc.paragraphs[0]._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert rule.get(qn("w:val")) == "thickThinSmallGap"


def test_kop_without_logo_or_contacts(unit):
    for key in ("logo", "telepon", "email", "laman"):
        del unit.data[key]
    doc = layout.new_document("maklumat", unit)
    layout.add_kop_surat(doc, unit)
    assert len(doc.inline_shapes) == 0
    assert [p.text for p in doc.tables[0].rows[0].cells[1].paragraphs][2:] == ["Jl. Merdeka No. 2, Kota Uji 12345"]


def _right_block(doc) -> list:
    return [p for p in doc.paragraphs if p.text]


def test_signature_block(unit):
    doc = layout.new_document("maklumat", unit)
    layout.add_signature_block(doc, "Kota Uji", dt.date(2025, 1, 15), unit.pimpinan.jabatan, unit.pimpinan)
    lines = _right_block(reopen(doc))
    assert [p.text for p in lines] == [
        "Kota Uji, 15 Januari 2025", "KEPALA DINAS UJI,", "Dra. Sri Lestari, M.AP.",
        "Pembina Tingkat I (IV/b)", "NIP. 19700101 199503 1 001",
    ]
    name = lines[2].runs[0]
    assert name.bold and name.underline
    assert lines[2].paragraph_format.space_before.pt >= 48  # room to sign
    half = ooxml.text_width(doc.sections[0]) // 2
    assert all(p.paragraph_format.left_indent == pytest.approx(half, abs=Mm(0.1)) for p in lines)
    assert all(p.paragraph_format.keep_with_next for p in lines[:-1])


def test_signature_block_of_a_keputusan_and_of_a_draft():
    head = Person("Budi", "Kepala Dinas", "", "")
    doc = layout.new_document("sk")
    layout.add_signature_block(doc, "Kota Uji", dt.date(2025, 2, 3), "Kepala Dinas", head, ditetapkan=True)
    layout.add_signature_block(doc, "Kota Uji", None, "Kepala Dinas", head)
    texts = [p.text for p in _right_block(doc)]
    assert texts == ["Ditetapkan di Kota Uji", "pada tanggal 3 Februari 2025", "KEPALA DINAS,", "Budi",
                     f"Kota Uji, {layout.DATE_PLACEHOLDER}", "KEPALA DINAS,", "Budi"]


def test_table_grid_header_and_borders():
    doc = layout.new_document("sp")
    widths = ooxml.percent_widths(doc.sections[0], [6, 30, 64])
    table = ooxml.add_table(doc, widths, ["NO", "KOMPONEN", "URAIAN"], rows=2)
    table = reopen(doc).tables[0]
    grid = [col.w for col in table._tbl.tblGrid.gridCol_lst]
    assert sum(grid) == pytest.approx(ooxml.text_width(doc.sections[0]), abs=Mm(0.1))
    assert [round(w / sum(grid) * 100) for w in grid] == [6, 30, 64]
    header = table.rows[0]
    assert [c.text for c in header.cells] == ["NO", "KOMPONEN", "URAIAN"]
    assert all(c.paragraphs[0].runs[0].bold for c in header.cells)
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr is None or row._tr.trPr.find(qn("w:cantSplit")) is None for row in table.rows)
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {b.get(qn("w:val")) for b in borders} == {"single"}
    assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"


def test_borderless_table_and_cant_split():
    doc = layout.new_document("sk")
    table = ooxml.add_table(doc, [Cm(3), Cm(10)], borders=False)
    ooxml.set_cant_split(table.rows[0], True)
    assert {b.get(qn("w:val")) for b in table._tbl.tblPr.find(qn("w:tblBorders"))} == {"nil"}
    assert table.rows[0]._tr.trPr.find(qn("w:cantSplit")) is not None
    ooxml.set_cant_split(table.rows[0], False)
    assert table.rows[0]._tr.trPr.find(qn("w:cantSplit")) is None


def test_set_paper_rescales_tables():
    doc = layout.new_document("sp")  # F4: 165 mm of text
    ooxml.add_table(doc, ooxml.percent_widths(doc.sections[0], [30, 70]))
    layout.set_paper(doc, "A4")  # 160 mm
    grid = [col.w for col in doc.tables[0]._tbl.tblGrid.gridCol_lst]
    assert sum(grid) == pytest.approx(Mm(160), abs=Mm(0.1))


def test_picture_size_keeps_aspect_ratio(tmp_path):
    width, height = ooxml.picture_size(DATA / "alur-domisili.png", Mm(100), Mm(100))  # 300 × 400 px
    assert height == pytest.approx(Mm(100), abs=Mm(0.01))
    assert width / height == pytest.approx(0.75, abs=0.001)
    broken = tmp_path / "rusak.png"
    broken.write_bytes(b"not an image")
    with pytest.raises(UserError, match="rusak.png"):
        ooxml.picture_size(broken, Mm(10), Mm(10))


def test_output_is_deterministic_with_fixed_metadata(unit):
    def build() -> bytes:
        doc = layout.new_document("maklumat", unit)
        layout.add_kop_surat(doc, unit)
        ooxml.add_page_number(doc.sections[0])
        ooxml.set_core_properties(doc, title="Uji", author=unit.nama, when=dt.date(2025, 1, 15))
        return ooxml.to_bytes(doc)

    first = build()
    assert first == build()
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {ooxml.FIXED_ZIP_TIME}
        assert "word/styles.xml" in archive.namelist()
    props = docx.Document(io.BytesIO(first)).core_properties
    assert {props.created.replace(tzinfo=None), props.modified.replace(tzinfo=None)} == {dt.datetime(2025, 1, 15)}
    assert props.title == "Uji"


def test_slim_drops_unused_styles_but_keeps_used_ones():
    doc = layout.new_document("sp")
    doc.add_paragraph("butir", style="List Number")
    ooxml.slim(doc)
    styles = {s.name for s in reopen(doc).styles}
    assert {"Normal", "List Number"} <= styles
    assert "Light Grid Accent 1" not in styles
    with zipfile.ZipFile(io.BytesIO(ooxml.to_bytes(doc))) as archive:
        assert "docProps/thumbnail.jpeg" not in archive.namelist()
        assert "word/stylesWithEffects.xml" not in archive.namelist()


def test_save_is_atomic_and_deterministic(tmp_path, monkeypatch):
    doc = layout.new_document("sk")
    ooxml.para(doc, "isi")
    target = tmp_path / "sub" / "a.docx"
    ooxml.save(doc, target)
    assert target.read_bytes() == ooxml.to_bytes(doc)

    def fail(*args):
        raise OSError("disk full")

    before = target.read_bytes()
    monkeypatch.setattr(os, "replace", fail)
    ooxml.para(doc, "tambahan")
    with pytest.raises(OSError):
        ooxml.save(doc, target)
    assert target.read_bytes() == before
    assert os.listdir(target.parent) == ["a.docx"]
