"""The layout rules behind tests/test_pdf_layout.py, checked without LibreOffice (fast, on any
machine): service titles, paper per document kind and its validation, column widths that hold
their longest word, tables kept with the closing block, the Matriks Perubahan's subtitle."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from ruamel.yaml import YAML

from sp_builder import diff, fmt_id
from sp_builder.documents import fkp_context, layout, ooxml
from sp_builder.documents.render import render
from sp_builder.unit.validate import load_unit

SAMPLE = Path(__file__).parent.parent / "samples" / "dukcapil-kota-contoh"
yaml = YAML()


@pytest.mark.parametrize("nama, judul", [
    ("Pelayanan Surat Keterangan Domisili", "Standar Pelayanan Surat Keterangan Domisili"),
    ("Layanan Pengaduan", "Standar Pelayanan Pengaduan"),
    ("pelayanan  Legalisasi", "Standar Pelayanan Legalisasi"),
    ("Penerbitan KTP-el", "Standar Pelayanan Penerbitan KTP-el"),
    ("Pelayanan", "Standar Pelayanan Pelayanan"),  # nothing left to name: kept as written
    ("Pelayanannya Cepat", "Standar Pelayanan Pelayanannya Cepat"),
])
def test_judul_sp_writes_the_word_once(nama, judul):
    assert fmt_id.judul_sp(nama) == judul


def _unit_copy(tmp_path: Path, **changes) -> Path:
    root = tmp_path / "unit"
    shutil.copytree(SAMPLE, root)
    data = yaml.load((root / "unit.yaml").read_text(encoding="utf-8"))
    data.update(changes)
    with open(root / "unit.yaml", "w", encoding="utf-8") as handle:
        yaml.dump(data, handle)
    return root


def test_fkp_documents_name_a_pelayanan_service_once(tmp_path):
    root = _unit_copy(tmp_path)
    path = root / "layanan" / "ktp-el.yaml"
    data = yaml.load(path.read_text(encoding="utf-8"))
    data["nama"] = "Pelayanan Surat Keterangan Domisili"
    with open(path, "w", encoding="utf-8") as handle:
        yaml.dump(data, handle)
    unit, _ = load_unit(root)
    fkp = unit.fkps[0]
    ba = fkp_context.berita_acara(unit, fkp)
    assert ba["ba"]["hasil"][0]["judul"] == "Standar Pelayanan Surat Keterangan Domisili"
    for ctx in (fkp_context.daftar_hadir(unit, fkp), fkp_context.undangan(unit, fkp)):
        acara = ctx["fkp"]["acara"]
        assert "Standar Pelayanan Surat Keterangan Domisili" in acara and "Pelayanan Pelayanan" not in acara
    out = render("all", root, tmp_path / "out")
    titles = [d.title for d in out.documents]
    assert "Standar Pelayanan Surat Keterangan Domisili" in titles
    assert not [t for t in titles if "Pelayanan Pelayanan" in t]


def _heights(result) -> dict[str, int]:
    return {d.path.stem if d.kind != "sp" else f"sp/{d.path.stem}": round(docx.Document(d.path).sections[0].page_height.mm)
            for d in result.documents if d.kind in ("sk", "sp", "maklumat", "fkp")}


def test_paper_string_is_the_sk_and_sp_s_only(tmp_path):
    """`paper: F4` (the README: for the SK and its Lampiran): the Maklumat and the FKP documents
    keep A4."""
    root = _unit_copy(tmp_path, paper="A4")
    heights = _heights(render("all", _unit_copy(tmp_path / "f4", paper="F4"), tmp_path / "f4-out"))
    assert heights["keputusan-standar-pelayanan"] == 330 and heights["sp/ktp-el"] == 330
    assert heights["maklumat-pelayanan"] == 297
    assert heights["berita-acara"] == heights["daftar-hadir"] == heights["undangan"] == 297
    heights = _heights(render("all", root, tmp_path / "a4-out"))
    assert heights["keputusan-standar-pelayanan"] == 297 and heights["maklumat-pelayanan"] == 297


def test_paper_mapping_per_kind(tmp_path):
    root = _unit_copy(tmp_path, paper={"sk": "A4", "maklumat": "F4", "fkp": "F4"})
    heights = _heights(render("all", root, tmp_path / "out"))
    assert heights["keputusan-standar-pelayanan"] == 297
    assert heights["sp/ktp-el"] == 330  # sp left out: its default F4
    assert heights["maklumat-pelayanan"] == 330 and heights["berita-acara"] == 330
    unit, _ = load_unit(root)
    assert layout.paper_for("skm", unit) == "A4" and layout.paper_for("laporan", unit) == "A4"


@pytest.mark.parametrize("paper, rule, words", [
    ("A5", "kertas.tidak_dikenal", ['"A5"', "A4 atau F4", "SK dan Lampiran SP"]),
    ({"sk": "F4", "maklumt": "A4"}, "kertas.jenis_tidak_dikenal", ['"maklumt"', "sk, sp, maklumat, fkp, laporan"]),
    ({"maklumat": "B5"}, "kertas.tidak_dikenal", ['"B5"', "maklumat", "A4 atau F4"]),
])
def test_paper_is_validated_with_a_clear_message(tmp_path, paper, rule, words):
    _, issues = load_unit(_unit_copy(tmp_path, paper=paper))
    found = [i for i in issues if i.rule == rule]
    assert len(found) == 1 and found[0].is_error
    assert all(word in found[0].message for word in words), found[0].message


def test_a_column_holds_its_longest_word_or_the_type_gets_smaller():
    doc = layout.new_document("laporan")
    width = ooxml.text_width(doc.sections[0])
    widths = ooxml.percent_widths(doc.sections[0], [5, 16, 9, 20, 19, 12, 19])
    header = ["No", "Unsur", "Nilai", "Komponen SP yang ditinjau", "Kegiatan", "Waktu", "Penanggung jawab"]
    rows = [("1", "Penanganan Pengaduan, Saran dan Masukan", "3,01", "Persyaratan", "", "", "")]
    assert ooxml.fit_widths(widths, header, rows, size=12) is None
    fitted = ooxml.fit_widths(widths, header, rows, size=11)
    assert sum(fitted) == width and fitted[0] > widths[0] and fitted[1] > widths[1]
    table = ooxml.text_table(doc, widths, header, rows)
    sizes = {run.font.size.pt for row in table.rows for cell in row.cells for p in cell.paragraphs for run in p.runs}
    assert sizes == {11.0}
    roomy = ooxml.percent_widths(doc.sections[0], [10, 45, 45])
    assert ooxml.fit_widths(roomy, ["No", "A", "B"], [("1", "x", "y")]) == roomy  # nothing to fix: unchanged


def test_matrix_subtitle_has_names_and_dates_not_paths(tmp_path):
    old, new = tmp_path / "a" / "ktp-el.yaml", tmp_path / "b" / "ktp-el.yaml"
    for path in (old, new):
        path.parent.mkdir()
    shutil.copyfile(SAMPLE / "layanan" / "ktp-el.yaml", old)
    data = yaml.load(old.read_text(encoding="utf-8"))
    data["status"] = "rancangan"
    data["penyampaian"]["jangka_waktu"] = "30 menit"
    with open(new, "w", encoding="utf-8") as handle:
        yaml.dump(data, handle)
    report = diff.compare(old, new, today=dt.date(2026, 3, 2))
    texts = [p.text for p in docx.Document(io.BytesIO(diff.as_docx(report))).paragraphs]
    subtitle = next(t for t in texts if t.startswith("Standar Pelayanan"))
    assert subtitle == ("Standar Pelayanan Penerbitan Kartu Tanda Penduduk Elektronik (KTP-el) — Semula: "
                        "ditetapkan 16 Februari 2026; menjadi: rancangan; keadaan per 2 Maret 2026")
    assert not [t for t in texts if ".yaml" in t or str(tmp_path) in t]


def test_table_end_kept_with_the_closing_block():
    doc = layout.new_document("laporan")
    table = ooxml.text_table(doc, ooxml.percent_widths(doc.sections[0], [10, 90]), ["No", "Isi"],
                             [(str(n), "isi") for n in range(5)])
    ooxml.para(doc)
    ooxml.para(doc, "Demikian.", keep_with_next=True)
    ooxml.para(doc, "Penyelenggara,")
    alone = ooxml.text_table(doc, ooxml.percent_widths(doc.sections[0], [10, 90]), ["No", "Isi"], [("1", "x")])
    ooxml.para(doc, "Bebas")
    assert ooxml.keep_table_ends_with_next(doc) == 1

    def kept(tr):
        return [p.pPr is not None and p.pPr.find(qn("w:keepNext")) is not None for p in tr.iter(qn("w:p"))]
    rows = list(table._tbl.iterchildren(qn("w:tr")))
    assert [all(kept(tr)) for tr in rows] == [False, False, False, False, True, True]
    assert not any(kept(tr)[0] for tr in alone._tbl.iterchildren(qn("w:tr")))
    blank = table._tbl.getnext()
    assert blank.pPr.find(qn("w:keepNext")) is not None


def test_rows_that_cannot_split_are_all_kept_with_the_closing_block():
    """A daftar hadir: LibreOffice keeps its table with the signature only when every row is kept."""
    doc = layout.new_document("laporan")
    table = ooxml.text_table(doc, ooxml.percent_widths(doc.sections[0], [10, 90]), ["No", "Nama"],
                             [(str(n), "nama") for n in range(6)])
    for row in table.rows[1:]:
        ooxml.set_cant_split(row, True)
    ooxml.para(doc, "Kota Contoh, 22 Januari 2026", keep_with_next=True)
    ooxml.para(doc, "KEPALA DINAS,")
    assert ooxml.keep_table_ends_with_next(doc) == 1
    body = [tr for tr in table._tbl.iterchildren(qn("w:tr"))][1:]
    assert all(p.pPr.find(qn("w:keepNext")) is not None for tr in body for p in tr.iter(qn("w:p")))


def test_reflow_moves_the_last_rows_to_a_new_page_with_the_header():
    from sp_builder.documents import reflow

    doc = layout.new_document("laporan")
    ooxml.text_table(doc, ooxml.percent_widths(doc.sections[0], [10, 90]), ["No", "Nama"],
                     [(str(n), f"nama {n}") for n in range(1, 6)])
    ooxml.para(doc)
    ooxml.para(doc, "Kota Contoh, 22 Januari 2026", keep_with_next=True)
    ooxml.para(doc, "KEPALA DINAS,")
    assert reflow.closings(doc) == [(0, "Kota Contoh, 22 Januari 2026")]
    assert reflow.push_rows(doc, 0)
    first, tail = [docx.table.Table(t, doc) for t in doc.element.body.iterchildren(qn("w:tbl"))]
    assert [r.cells[0].text for r in first.rows] == ["No", "1", "2", "3"]
    assert [r.cells[0].text for r in tail.rows] == ["No", "4", "5"]
    breaker = first._tbl.getnext()
    assert breaker.pPr.find(qn("w:pageBreakBefore")) is not None and not "".join(breaker.itertext())
    assert not reflow.push_rows(doc, 1)  # two rows only: nothing left to move
