"""Rendering the FKP documents (Berita Acara, daftar hadir, undangan, dokumentasi): every document is
opened with python-docx (the PDF test with pypdf) and read back."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import runpy
import shutil
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from hypothesis import HealthCheck, given, settings, strategies as st
from pypdf import PdfReader
from ruamel.yaml import YAML

from sp_builder.documents import render as render_mod, sp_context
from sp_builder.cli import main
from sp_builder.documents.sp_context import NotApplicable
from sp_builder.errors import InputError
from sp_builder.unit.model import Unit
from sp_builder.documents.render import find_template, render, render_job, render_unit
from sp_builder.unit.validate import load_unit

DATA = Path(__file__).parent / "data"
VALID = DATA / "unit-valid"
PHOTOS = DATA / "fkp"
ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2025, 6, 1)
FKP_TEMPLATES = ("berita-acara-fkp", "daftar-hadir-fkp", "undangan-fkp", "dokumentasi-fkp")

yaml = YAML(typ="safe", pure=True)
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) tidak terpasang")


def make_unit(tmp_path: Path, **changes) -> Path:
    """A copy of tests/data/unit-valid with the photos under foto/ and its FKP file updated."""
    root = tmp_path / "unit"
    shutil.copytree(VALID, root)
    shutil.copytree(PHOTOS, root / "foto")
    path = root / "fkp" / "fkp-2025.yaml"
    data = yaml.load(path.read_text(encoding="utf-8"))
    data.update(changes)
    with open(path, "w", encoding="utf-8") as handle:
        yaml.dump(data, handle)
    return root


def loaded(root: Path) -> Unit:
    unit, issues = load_unit(root, today=TODAY)
    assert not [i for i in issues if i.is_error], [i.format() for i in issues]
    return unit


def render_one(unit: Unit, output: str, **data) -> docx.document.Document:
    """One FKP document of the unit's first FKP, with `data` laid over the FKP file (no validation)."""
    fkp = dataclasses.replace(unit.fkps[0], data={**unit.fkps[0].data, **data})
    job = next(j for j in render_mod.plan_fkp(dataclasses.replace(unit, fkps=[fkp])) if j.output.endswith(output))
    return docx.Document(io.BytesIO(render_job(job, find_template(job.template, None, unit.root))))


def blocks(doc) -> list:
    """Body paragraphs (non-empty) and tables, in document order."""
    out = []
    for child in doc.element.body.iterchildren():
        if child.tag == qn("w:p"):
            paragraph = Paragraph(child, doc)
            if paragraph.text.strip():
                out.append(paragraph)
        elif child.tag == qn("w:tbl"):
            out.append(Table(child, doc))
    return out


def texts(doc) -> list[str]:
    return [b.text for b in blocks(doc) if isinstance(b, Paragraph)]


def rows(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def table_after(doc, heading: str) -> Table:
    found = False
    for block in blocks(doc):
        if isinstance(block, Paragraph) and block.text == heading:
            found = True
        elif found and isinstance(block, Table):
            return block
    raise AssertionError(f"tidak ada tabel setelah {heading!r}")


def table_with_header(doc, header: list[str]) -> Table:
    return next(t for t in doc.tables if [c.text for c in t.rows[0].cells] == header)


@pytest.fixture(scope="module")
def unit(tmp_path_factory) -> Unit:
    root = make_unit(
        tmp_path_factory.mktemp("fkp"),
        nomor="400.12/007/DKPS/2025",
        kesepakatan=[
            {"layanan": "ktp-el", "komponen": "jangka_waktu", "semula": "3 hari kerja", "menjadi": "1 hari kerja"},
            {"layanan": "ktp-el", "komponen": "persyaratan", "semula": "Fotokopi KK & KTP <asli>",
             "menjadi": "Cukup menunjukkan NIK"},
        ],
        foto=["foto/foto-pembukaan.jpg", {"berkas": "foto/foto-diskusi.png", "keterangan": "Diskusi & tanya jawab"}],
    )
    return loaded(root)


@pytest.fixture(scope="module")
def out(unit, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("keluaran")
    result = render_unit(unit, "fkp", folder)
    assert [d.path.relative_to(folder).as_posix() for d in result.documents] == [
        "fkp/fkp-2025/berita-acara.docx", "fkp/fkp-2025/daftar-hadir.docx", "fkp/fkp-2025/undangan.docx",
        "fkp/fkp-2025/dokumentasi.docx"]
    return folder / "fkp" / "fkp-2025"


def ba(out: Path):
    return docx.Document(str(out / "berita-acara.docx"))


# ---------------------------------------------------------------------------------------------
# Berita Acara


@pytest.mark.parametrize("day, words", [
    (dt.date(2025, 1, 10), "Jumat tanggal sepuluh bulan Januari tahun dua ribu dua puluh lima (10-01-2025)"),
    (dt.date(2025, 1, 1), "Rabu tanggal satu bulan Januari tahun dua ribu dua puluh lima (01-01-2025)"),
    (dt.date(2025, 3, 11), "Selasa tanggal sebelas bulan Maret tahun dua ribu dua puluh lima (11-03-2025)"),
    (dt.date(2025, 6, 21), "Sabtu tanggal dua puluh satu bulan Juni tahun dua ribu dua puluh lima (21-06-2025)"),
    (dt.date(2025, 12, 31),
     "Rabu tanggal tiga puluh satu bulan Desember tahun dua ribu dua puluh lima (31-12-2025)"),
    (dt.date(2024, 2, 29),
     "Kamis tanggal dua puluh sembilan bulan Februari tahun dua ribu dua puluh empat (29-02-2024)"),
    (dt.date(2000, 8, 17), "Kamis tanggal tujuh belas bulan Agustus tahun dua ribu (17-08-2000)"),
])
def test_opening_writes_the_date_in_words(unit, day, words):
    doc = render_one(unit, "berita-acara.docx", tanggal=day)
    opening = next(t for t in texts(doc) if t.startswith("Pada hari ini"))
    assert opening == (
        f"Pada hari ini {words} pukul 09.00–12.00 WIB, bertempat di Aula Dinas Kependudukan dan Pencatatan "
        "Sipil, telah dilaksanakan Forum Konsultasi Publik penyusunan Standar Pelayanan pada Dinas "
        "Kependudukan dan Pencatatan Sipil dengan metode diskusi kelompok terfokus.")


def test_title_nomor_and_agenda_by_service_name(out):
    lines = texts(ba(out))
    start = lines.index("BERITA ACARA")
    assert lines[start:start + 4] == ["BERITA ACARA", "FORUM KONSULTASI PUBLIK", "PENYUSUNAN STANDAR PELAYANAN",
                                      "NOMOR : 400.12/007/DKPS/2025"]
    agenda = lines.index("Agenda Forum Konsultasi Publik adalah pembahasan Rancangan Standar Pelayanan:")
    assert lines[agenda + 1:agenda + 3] == ["1.\tPenerbitan Kartu Tanda Penduduk Elektronik (KTP-el)",
                                            "2.\tPenerbitan Kartu Keluarga"]
    assert "Demikian Berita Acara ini dibuat dengan sebenarnya untuk dipergunakan sebagaimana mestinya." in lines


def test_without_nomor_and_with_another_method(unit):
    doc = render_one(unit, "berita-acara.docx", nomor=None, metode="rapat kerja",
                     metode_uraian="rapat kerja terbuka bersama forum RT/RW", waktu=None)
    lines = texts(doc)
    assert not any(t.startswith("NOMOR") for t in lines)
    opening = next(t for t in lines if t.startswith("Pada hari ini"))
    assert "(10-01-2025), bertempat di" in opening  # no time given, no "pukul"
    assert opening.endswith("dengan metode rapat kerja terbuka bersama forum RT/RW.")


def test_participants_counted_by_group(out):
    doc = ba(out)
    intro = ("Forum Konsultasi Publik dihadiri oleh 5 (lima) orang peserta, sebagaimana daftar hadir terlampir, "
             "dengan rincian menurut unsur sebagai berikut:")
    assert rows(table_after(doc, intro)) == [
        ["No", "Unsur", "Jumlah (orang)"],
        ["1", "Penyelenggara Pelayanan", "1"],
        ["2", "Pengguna Layanan", "1"],
        ["3", "Pemangku Kepentingan", "1"],
        ["4", "Ahli/Pakar/Akademisi", "1"],
        ["5", "Media Massa", "1"],
        ["Jumlah", "Jumlah", "5"],  # the label spans two columns
    ]


def test_agreements_per_service_with_component_labels(out):
    doc = ba(out)
    lines = texts(doc)
    assert rows(table_after(doc, "1.\tStandar Pelayanan Penerbitan Kartu Tanda Penduduk Elektronik (KTP-el)")) == [
        ["No", "Komponen", "Semula", "Menjadi"],
        ["1", "Jangka Waktu Pelayanan", "3 hari kerja", "1 hari kerja"],
        ["2", "Persyaratan", "Fotokopi KK & KTP <asli>", "Cukup menunjukkan NIK"],
    ]
    second = lines.index("2.\tStandar Pelayanan Penerbitan Kartu Keluarga")
    assert lines[second + 1] == "Rancangan Standar Pelayanan ini disepakati tanpa perubahan."
    assert len([t for t in doc.tables if t.rows[0].cells[1].text == "Komponen"]) == 1


def test_agreement_rows_stay_whole_and_only_the_last_table_is_kept_with_the_closing(unit):
    """Each agreement row cannot split (w:cantSplit: LibreOffice moves it whole to the next page,
    tests/test_pdf_layout.py); a table followed by the next service's heading is not chained to it
    (the heading is kept with its own table), the last one is kept whole with the closing
    "Demikian ..." (its rows cannot split), and the reflow measures that closing only."""
    doc = render_one(unit, "berita-acara.docx", kesepakatan=[
        {"layanan": "ktp-el", "komponen": "jangka_waktu", "semula": "3 hari kerja", "menjadi": "1 hari kerja"},
        {"layanan": "ktp-el", "komponen": "persyaratan", "semula": "Fotokopi KK", "menjadi": "Cukup NIK"},
        {"layanan": "ktp-el", "komponen": "biaya", "semula": "Rp5.000", "menjadi": "Tidak dipungut biaya"},
        {"layanan": "kartu-keluarga", "komponen": "produk", "semula": "Kartu Keluarga", "menjadi": "KK elektronik"},
    ])
    tables = [t for t in doc.tables if t.rows[0].cells[1].text == "Komponen"]
    assert [[row.cells[3].text for row in t.rows[1:]] for t in tables] == [
        ["1 hari kerja", "Cukup NIK", "Tidak dipungut biaya"], ["KK elektronik"]]

    def kept(row) -> bool:
        return all(p.pPr is not None and p.pPr.find(qn("w:keepNext")) is not None for p in row._tr.iter(qn("w:p")))
    for table in tables:
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows[1:])
    assert [kept(row) for row in tables[0].rows[1:]] == [False, False, False]
    assert [kept(row) for row in tables[1].rows[1:]] == [True]
    from sp_builder.documents import reflow
    body_tables = list(doc.element.body.iterchildren(qn("w:tbl")))
    assert [text for n, text in reflow.closings(doc) if body_tables[n] in (t._tbl for t in tables)] == [
        "Demikian Berita Acara ini dibuat dengan sebenarnya untuk dipergunakan sebagaimana mestinya."]


def test_signatures_side_by_side(out):
    table = ba(out).tables[-1]
    assert rows(table) == [
        ["Perwakilan Masyarakat,", "Penyelenggara,\nKepala Dinas"],
        ["Siti Aminah", "Dra. Sri Wahyuni, M.Si."],
        # the provider signs as the head of the unit: pangkat comes from unit.yaml, NIP is grouped
        ["Pengguna Layanan\nWarga Kel. Sukamaju", "Pembina Tingkat I (IV/b)\nNIP. 19750512 200003 2 004"],
    ]
    name = table.rows[1].cells[1].paragraphs[0].runs[0]
    assert name.bold and name.underline
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)


# ---------------------------------------------------------------------------------------------
# Daftar hadir


def test_daftar_hadir_rows(out):
    doc = docx.Document(str(out / "daftar-hadir.docx"))
    lines = texts(doc)
    assert lines[lines.index("DAFTAR HADIR") + 1:lines.index("DAFTAR HADIR") + 3] == [
        "FORUM KONSULTASI PUBLIK", "PENYUSUNAN STANDAR PELAYANAN"]
    details = next(t for t in doc.tables if t.rows[0].cells[0].text == "Hari/Tanggal")
    assert rows(details) == [
        ["Hari/Tanggal", ":", "Jumat, 10 Januari 2025"],
        ["Waktu", ":", "pukul 09.00–12.00 WIB"],
        ["Tempat", ":", "Aula Dinas Kependudukan dan Pencatatan Sipil"],
        ["Acara", ":", "Pembahasan Rancangan Standar Pelayanan Penerbitan Kartu Tanda Penduduk Elektronik "
                       "(KTP-el) dan Penerbitan Kartu Keluarga"],
    ]
    table = table_with_header(doc, ["No", "Nama", "Unsur", "Instansi/Jabatan", "Tanda Tangan"])
    assert rows(table)[1:] == [
        ["1", "Siti Aminah", "Pengguna Layanan", "Warga Kel. Sukamaju", "1."],
        ["2", "Andi Pratama", "Penyelenggara Pelayanan", "Kepala Bidang Pelayanan", "2."],
        ["3", "Rudi Hartono", "Pemangku Kepentingan", "Kecamatan Sukamaju", "3."],
        ["4", "Dewi Lestari", "Ahli/Pakar/Akademisi", "Universitas Uji", "4."],
        ["5", "Bambang", "Media Massa", "Harian Uji", "5."],
    ]
    assert lines[-3:] == ["Dra. Sri Wahyuni, M.Si.", "Pembina Tingkat I (IV/b)", "NIP. 19750512 200003 2 004"]


def test_daftar_hadir_layout(out):
    table = table_with_header(docx.Document(str(out / "daftar-hadir.docx")),
                              ["No", "Nama", "Unsur", "Instansi/Jabatan", "Tanda Tangan"])
    header, *body = table.rows
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    widths = [col.w for col in table._tbl.tblGrid.gridCol_lst]
    assert widths[4] / 36000 >= 35  # mm to sign in
    for row in body:
        assert row._tr.trPr.find(qn("w:cantSplit")) is not None
        assert row.height.cm >= 1.0 and row.height_rule == docx.enum.table.WD_ROW_HEIGHT_RULE.AT_LEAST
    indents = [row.cells[4].paragraphs[0].paragraph_format.left_indent for row in body]
    assert indents[0] in (None, 0) and indents[1] > 0 and indents[2] in (None, 0)  # 1. left, 2. right


# ---------------------------------------------------------------------------------------------
# Undangan


def test_undangan_head_address_and_body(out):
    doc = docx.Document(str(out / "undangan.docx"))
    head = next(t for t in doc.tables if t.rows[0].cells[0].text == "Nomor")
    assert [[c.text for c in row.cells][:3] for row in head.rows] == [
        ["Nomor", ":", "...................."], ["Sifat", ":", "Biasa"], ["Lampiran", ":", "1 (satu) berkas"],
        ["Hal", ":", "Undangan Forum Konsultasi Publik"]]
    assert head.rows[0].cells[3].text == "Kota Uji, 3 Januari 2025"  # a week before the forum
    lines = texts(doc)
    start = lines.index("Yth. Bapak/Ibu/Saudara (daftar terlampir)")
    assert lines[start + 1:start + 4] == [
        "unsur Penyelenggara Pelayanan, Pengguna Layanan, Pemangku Kepentingan, Ahli/Pakar/Akademisi, dan "
        "Media Massa", "di", "Tempat"]
    details = next(t for t in doc.tables if t.rows[0].cells[1].text == "Hari/tanggal")
    assert [[c.text for c in row.cells][1:] for row in details.rows] == [
        ["Hari/tanggal", ":", "Jumat, 10 Januari 2025"],
        ["Waktu", ":", "pukul 09.00 WIB s.d. selesai"],
        ["Tempat", ":", "Aula Dinas Kependudukan dan Pencatatan Sipil"],
        ["Acara", ":", "Pembahasan Rancangan Standar Pelayanan Penerbitan Kartu Tanda Penduduk Elektronik "
                       "(KTP-el) dan Penerbitan Kartu Keluarga"]]
    assert "Demikian disampaikan, atas perhatian dan kehadirannya diucapkan terima kasih." in lines
    signature = lines.index("KEPALA DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL KOTA UJI,")
    assert lines[signature + 1:signature + 4] == ["Dra. Sri Wahyuni, M.Si.", "Pembina Tingkat I (IV/b)",
                                                  "NIP. 19750512 200003 2 004"]


def test_undangan_lampiran_lists_the_invitees(out):
    doc = docx.Document(str(out / "undangan.docx"))
    lines = texts(doc)
    heading = next(p for p in blocks(doc) if isinstance(p, Paragraph) and p.text.startswith("LAMPIRAN SURAT"))
    assert heading.paragraph_format.page_break_before
    assert "TANGGAL\t:\t3 Januari 2025" in lines and "HAL\t:\tUndangan Forum Konsultasi Publik" in lines
    assert rows(table_with_header(doc, ["No", "Nama", "Unsur", "Instansi/Jabatan"]))[1:3] == [
        ["1", "Siti Aminah", "Pengguna Layanan", "Warga Kel. Sukamaju"],
        ["2", "Andi Pratama", "Penyelenggara Pelayanan", "Kepala Bidang Pelayanan"]]


def test_undangan_from_the_fkp_file_and_the_head_not_invited(unit):
    peserta = [*unit.fkps[0].data["peserta"],
               {"nama": "Dra. Sri Wahyuni, M.Si.", "unsur": "penyelenggara", "jabatan": "Kepala Dinas"}]
    doc = render_one(unit, "undangan.docx", peserta=peserta, waktu="pukul 8.30 wita sampai selesai",
                     undangan={"nomor": "005/12/DKPS/2025", "tanggal": dt.date(2025, 1, 6), "sifat": "Penting"})
    head = next(t for t in doc.tables if t.rows[0].cells[0].text == "Nomor")
    assert [row.cells[2].text for row in head.rows][:2] == ["005/12/DKPS/2025", "Penting"]
    assert head.rows[0].cells[3].text == "Kota Uji, 6 Januari 2025"
    details = next(t for t in doc.tables if t.rows[0].cells[1].text == "Hari/tanggal")
    assert details.rows[1].cells[3].text == "pukul 08.30 WITA s.d. selesai"
    names = [r[1] for r in rows(table_with_header(doc, ["No", "Nama", "Unsur", "Instansi/Jabatan"]))[1:]]
    assert len(names) == 5 and "Dra. Sri Wahyuni, M.Si." not in names


# ---------------------------------------------------------------------------------------------
# Dokumentasi


def test_dokumentasi_photos_with_captions(out):
    doc = docx.Document(str(out / "dokumentasi.docx"))
    lines = texts(doc)
    assert lines[:3] == ["DOKUMENTASI KEGIATAN", "FORUM KONSULTASI PUBLIK", "PENYUSUNAN STANDAR PELAYANAN"]
    assert "Jumat, 10 Januari 2025, Aula Dinas Kependudukan dan Pencatatan Sipil" in lines
    assert [t for t in lines if t.startswith("Foto")] == ["Foto 1", "Foto 2: Diskusi & tanya jawab"]
    logo, *pictures = doc.inline_shapes  # the kop's logo first
    assert logo.height.mm == pytest.approx(23, abs=0.5) and len(pictures) == 2
    assert pictures[0].width.mm == pytest.approx(126.7, abs=0.5)  # 4:3 photo, 95 mm high
    assert pictures[1].height.mm == pytest.approx(95, abs=0.5)


def test_no_photos_no_dokumentasi(tmp_path):
    result = render("fkp", make_unit(tmp_path), tmp_path / "out", today=TODAY)
    assert [d.path.name for d in result.documents] == ["berita-acara.docx", "daftar-hadir.docx", "undangan.docx"]


def test_missing_photo_stops_the_render(tmp_path):
    root = make_unit(tmp_path, foto=["foto/tidak-ada.jpg"])
    with pytest.raises(InputError) as caught:
        render("fkp", root, tmp_path / "out", today=TODAY)
    assert any(i.rule == "berkas.tidak_ada" and "foto/tidak-ada.jpg" in i.message for i in caught.value.issues)
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------------------------------------
# Text as written, determinism, render all, CLI


def test_ampersand_and_angle_brackets_render_intact(unit):
    peserta = [{"nama": "PT <Maju> & Sejahtera", "unsur": "pengguna_layanan", "instansi": "A & B <cabang>"},
               *unit.fkps[0].data["peserta"][1:]]
    data = {"peserta": peserta, "tempat": "Aula \"Merdeka\" & Ruang <2>",
            "penandatangan": {**unit.fkps[0].data["penandatangan"],
                              "masyarakat": {"nama": "PT <Maju> & Sejahtera", "unsur": "pengguna_layanan"}}}
    hadir = render_one(unit, "daftar-hadir.docx", **data)
    table = table_with_header(hadir, ["No", "Nama", "Unsur", "Instansi/Jabatan", "Tanda Tangan"])
    assert rows(table)[1][:4] == ["1", "PT <Maju> & Sejahtera", "Pengguna Layanan", "A & B <cabang>"]
    assert texts(hadir)[-1] == "NIP. 19750512 200003 2 004"  # nothing after the names was lost
    berita = render_one(unit, "berita-acara.docx", **data)
    assert "bertempat di Aula \"Merdeka\" & Ruang <2>, telah" in next(
        t for t in texts(berita) if t.startswith("Pada hari ini"))
    assert berita.tables[-1].rows[1].cells[0].text == "PT <Maju> & Sejahtera"
    undangan = render_one(unit, "undangan.docx", **data)
    assert rows(table_with_header(undangan, ["No", "Nama", "Unsur", "Instansi/Jabatan"]))[1][1] == \
        "PT <Maju> & Sejahtera"


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40).filter(
    lambda s: s.strip() and "{_" not in s and "_}" not in s and "%_" not in s))  # docxtpl's own escapes
def test_any_participant_name_renders_as_written(unit, name):
    peserta = [{"nama": name, "unsur": "pengguna_layanan"}, *unit.fkps[0].data["peserta"][1:]]
    doc = render_one(unit, "daftar-hadir.docx", peserta=peserta)
    table = table_with_header(doc, ["No", "Nama", "Unsur", "Instansi/Jabatan", "Tanda Tangan"])
    assert table.rows[1].cells[1].text == sp_context.clean(" ".join(name.split()))  # one line, as written


def test_two_renders_are_byte_identical(unit, out, tmp_path):
    render_unit(unit, "fkp", tmp_path)
    names = sorted(p.name for p in out.glob("*.docx"))
    assert len(names) == 4
    for name in names:
        assert (out / name).read_bytes() == (tmp_path / "fkp" / "fkp-2025" / name).read_bytes(), name
    props = ba(out).core_properties
    assert props.title == "Berita Acara Forum Konsultasi Publik 10 Januari 2025"
    assert props.created.date() == dt.date(2025, 1, 10)
    assert docx.Document(str(out / "undangan.docx")).core_properties.created.date() == dt.date(2025, 1, 3)


def test_render_all_includes_the_fkp_documents(tmp_path):
    result = render("all", make_unit(tmp_path), tmp_path / "out", today=TODAY)
    # (the SOP AP of each service comes with `all` too, where render.py lists it; tests/test_sop.py)
    assert [d.kind for d in result.documents if d.kind != "sop"] == ["sk", "sp", "sp", "maklumat", "fkp", "fkp",
                                                                      "fkp"]
    assert [d.title for d in result.documents if d.kind == "fkp"] == [
        "Berita Acara Forum Konsultasi Publik 10 Januari 2025", "Daftar Hadir Forum Konsultasi Publik 10 Januari 2025",
        "Undangan Forum Konsultasi Publik 10 Januari 2025"]
    assert result.skipped == []


def test_render_fkp_without_fkp_files(tmp_path):
    root = make_unit(tmp_path)
    shutil.rmtree(root / "fkp")
    with pytest.raises(NotApplicable, match="belum ada berkas FKP"):
        render("fkp", root, tmp_path / "out", today=TODAY)
    result = render("all", root, tmp_path / "out", today=TODAY)
    assert [note.split(":")[0] for note in result.skipped] == ["fkp dilewati"]


def test_built_in_fkp_templates_are_reproducible():
    builder = runpy.run_path(str(ROOT / "tools" / "build_templates.py"))
    for kind in FKP_TEMPLATES:
        assert builder["build"](kind) == (ROOT / "templates" / f"{kind}.docx").read_bytes(), kind


def test_cli_render_fkp(tmp_path):
    from click.testing import CliRunner

    root = make_unit(tmp_path)
    result = CliRunner().invoke(main, ["render", "fkp", str(root), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert f"ditulis: {tmp_path / 'out' / 'fkp' / 'fkp-2025' / 'berita-acara.docx'}" in result.stdout


# ---------------------------------------------------------------------------------------------
# PDF (real LibreOffice; one conversion call for all four documents)


def _forty() -> list[dict]:
    groups = ["penyelenggara", "pengguna_layanan", "pemangku_kepentingan", "ahli", "oms", "media"]
    return [{"nama": f"Peserta Nomor {n} & Rekan", "unsur": groups[n % 6],
             "instansi": f"Instansi Contoh Kelurahan {n}", "jabatan": "Anggota"} for n in range(1, 41)]


@needs_soffice
def test_pdf_forty_participants_repeat_the_header_on_every_page(tmp_path):
    root = make_unit(tmp_path, peserta=_forty(), foto=["foto/foto-pembukaan.jpg"])
    result = render("fkp", root, tmp_path / "out", pdf=True, today=TODAY)
    hadir = next(d for d in result.documents if d.path.name == "daftar-hadir.docx")
    pages = PdfReader(hadir.pdf).pages
    with_rows = [n for n, page in enumerate(pages, start=1) if "Peserta Nomor" in page.extract_text()]
    assert len(with_rows) >= 2
    for n in with_rows:
        text = pages[n - 1].extract_text()
        assert "Nama" in text and "Tanda Tangan" in text, f"halaman {n} tanpa baris judul tabel"
    all_text = " ".join(" ".join(p.extract_text().split()) for p in pages)
    assert "Peserta Nomor 1 & Rekan" in all_text and "Peserta Nomor 40 & Rekan" in all_text
    berita = " ".join(PdfReader(result.documents[0].pdf).pages[0].extract_text().split())
    assert "BERITA ACARA" in berita and "dihadiri oleh 40 (empat puluh) orang peserta" in berita
    bundle = PdfReader(result.bundle)
    assert [item.title for item in bundle.outline] == [d.title for d in result.documents]
    assert len(bundle.outline) == 4
