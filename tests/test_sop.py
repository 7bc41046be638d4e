"""`sp-builder render sop`: one SOP AP (PermenPANRB 35/2012) per service, read back with python-docx."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from sp_builder.cli import main
from sp_builder.documents import render as render_mod, sop
from sp_builder.documents.render import render

UNIT = Path(__file__).parent / "data" / "render" / "unit"
LANES = ["Pemohon", "Petugas loket", "Tim survei", "Kepala Dinas"]
STEPS = [  # (uraian, pelaksana, kelengkapan, waktu, output)
    ("Mengajukan permohonan", "Pemohon", "Surat permohonan", "5 menit", "Permohonan"),
    ("Berkas lengkap?", "Petugas loket", "Surat permohonan", "10 menit", "Berkas terverifikasi"),
    ("Mencatat permohonan", "Petugas loket", "", "5 menit", "Register"),
    ("Menjadwalkan survei", "Petugas loket", "", "10 menit", "Jadwal survei"),
    ("Melakukan survei lokasi", "Tim survei", "Desain reklame", "1 hari kerja", "Berita acara survei"),
    ("Menyusun rekomendasi", "Tim survei", "", "2 jam", "Rekomendasi"),
    ("Memeriksa rekomendasi", "Petugas loket", "", "1 jam", "Konsep izin"),
    ("Menandatangani izin", "Kepala Dinas", "", "30 menit", "Izin"),
    ("Mencatat izin", "petugas  loket", "", "10 menit", "Register izin"),
    ("Menerima izin", "Pemohon", "", "5 menit", "Izin diterima"),
]
STEPS = STEPS + [(f"{u} (salinan arsip, langkah ke-{n + 11})", p, k, w, o)
                 for n, (u, p, k, w, o) in enumerate(STEPS)]  # 20 steps: more than a page holds


def _service_yaml(steps) -> str:
    lines = ["  prosedur:"]
    for n, (uraian, pelaksana, kelengkapan, waktu, output) in enumerate(steps, start=1):
        lines.append(f"    - uraian: {uraian}")
        lines.append(f"      pelaksana: {pelaksana}")
        if kelengkapan:
            lines.append(f"      kelengkapan: [{kelengkapan}]")
        lines.append(f"      waktu: {waktu}")
        lines.append(f"      output: {output}")
        if n == 2:
            lines.append("      jika_tidak: 1")
            lines.append("      keterangan: dikembalikan bila belum lengkap")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("unit") / "unit"
    shutil.copytree(UNIT, root)
    path = root / "layanan" / "izin-reklame.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "  prosedur: [Pemohon mengajukan permohonan daring, Petugas melakukan survei lokasi, Izin diterbitkan]\n",
        _service_yaml(STEPS))
    text += ("sop:\n  nomor: 800/012/SOP/2025\n  tanggal_pembuatan: 2025-01-06\n  tanggal_efektif: 2025-02-10\n"
             "  keterkaitan: [SOP Pengaduan Masyarakat]\n  peringatan: Izin tidak terbit tepat waktu\n"
             "  pencatatan: [Buku register izin, Aplikasi SiCantik]\n")
    path.write_text(text, encoding="utf-8")
    folder = tmp_path_factory.mktemp("sop")
    result = render("sop", root, folder)
    assert [d.path.name for d in result.documents] == ["domisili-usaha.docx", "izin-reklame.docx",
                                                       "legalisasi.docx"]
    return folder


def _doc(out: Path, slug: str = "izin-reklame"):
    return docx.Document(str(out / "sop" / f"{slug}.docx"))


def _identity(doc) -> dict[str, str]:
    table = doc.tables[0]
    found = {}
    for row in table.rows:
        cells = row.cells
        if cells[1].text and cells[1]._tc is not cells[2]._tc:
            found[cells[1].text] = cells[2].text
    return found


def _grid(doc) -> dict[str, str]:
    rows = doc.tables[0].rows
    out = {}
    for head, body in zip(rows, rows[1:]):
        if head.cells[0].text in ("Dasar Hukum", "Keterkaitan", "Peringatan"):
            out[head.cells[0].text] = body.cells[0].text
            out[head.cells[-1].text] = body.cells[-1].text
    return out


def test_identity_sheet(out):
    doc = _doc(out)
    identity = _identity(doc)
    assert identity["Nomor SOP"] == ": 800/012/SOP/2025"
    assert identity["Tanggal Pembuatan"] == ": 6 Januari 2025"
    assert identity["Tanggal Revisi"] == ": -"
    assert identity["Tanggal Efektif"] == ": 10 Februari 2025"
    assert identity["Nama SOP"] == ": Izin Penyelenggaraan Reklame"
    signer = identity["Disahkan oleh"].split("\n")
    assert signer[0] == "Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"
    assert "Dra. Sri Lestari, M.AP." in signer and "NIP. 19700101 199503 1 001" in signer
    grid = _grid(doc)
    assert grid["Dasar Hukum"].split("\n")[1] == (
        "2.\tPeraturan Presiden Nomor 76 Tahun 2013 tentang Pengelolaan Pengaduan Pelayanan Publik")
    assert grid["Kualifikasi Pelaksana"] == "1.\tMemahami ketentuan reklame"
    assert grid["Peralatan/Perlengkapan"] == "1.\tRuang tunggu\n2.\tJalan landai"
    assert grid["Keterkaitan"] == "SOP Pengaduan Masyarakat"
    assert grid["Peringatan"] == "Izin tidak terbit tepat waktu"
    assert grid["Pencatatan dan Pendataan"] == "1.\tBuku register izin\n2.\tAplikasi SiCantik"
    assert "DINAS PENANAMAN MODAL" in doc.tables[0].cell(0, 0).text.upper()


def test_fields_the_sp_lacks_print_a_blank(out):
    identity = _identity(_doc(out, "legalisasi"))
    assert identity["Nomor SOP"] == f": {sop.BLANK}" and identity["Tanggal Pembuatan"] == f": {sop.BLANK}"
    assert _grid(_doc(out, "legalisasi"))["Keterkaitan"] == "-"


def _flow_tables(doc):
    return [t for t in doc.tables[1:]]


def _header_cells(row) -> list[str]:
    """Texts of a row's distinct cells (a merged cell once)."""
    seen, out = set(), []
    for cell in row.cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            out.append(cell.text)
    return out


def test_one_column_per_pelaksana_in_order_and_header_repeated(out):
    doc = _doc(out)
    tables = _flow_tables(doc)
    assert len(tables) >= 2  # twenty steps do not fit one landscape page
    for table in tables:
        top, sub = table.rows[0], table.rows[1]
        assert _header_cells(top) == ["No.", "Kegiatan", "Pelaksana", "Mutu Baku", "Keterangan"]
        assert _header_cells(sub) == ["No.", "Kegiatan", *LANES, "Kelengkapan", "Waktu", "Output", "Keterangan"]
        for row in (top, sub):
            assert row._tr.trPr.find(qn("w:tblHeader")) is not None
    section = doc.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE and section.page_width > section.page_height
    assert doc.paragraphs[-1]._p.xpath("./w:pPr/w:pageBreakBefore") or any(
        p._p.xpath("./w:pPr/w:pageBreakBefore") for p in doc.paragraphs)


def _symbols(row) -> list[int]:
    """How many pictures each cell of a row holds."""
    return [len(cell._tc.xpath(".//w:drawing")) for cell in row.cells]


def test_symbols_in_their_lane_and_mutu_baku_per_row(out):
    rows = [row for table in _flow_tables(_doc(out)) for row in table.rows[2:]]
    assert [row.cells[0].text for row in rows] == [str(n) for n in range(1, 21)]
    for row, (uraian, pelaksana, kelengkapan, waktu, output) in zip(rows, STEPS):
        cells = row.cells
        assert cells[1].text == uraian
        lane = [k.casefold() for k in LANES].index(" ".join(pelaksana.split()).casefold())
        pictures = _symbols(row)[2:2 + len(LANES)]
        assert [n > 0 for n in pictures] == [i == lane for i in range(len(LANES))]
        assert [c.text for c in cells[2 + len(LANES):2 + len(LANES) + 3]] == [kelengkapan, waktu, output]
    assert rows[1].cells[-1].text == "dikembalikan bila belum lengkap\nYa: langkah 3\nTidak: langkah 1"


def _lane(step: int) -> int:
    return 2 + [k.casefold() for k in LANES].index(" ".join(STEPS[step - 1][1].split()).casefold())


def _blobs(table, cell) -> list[bytes]:
    part = table.part
    return [part.related_parts[rid].blob for rid in cell._tc.xpath(".//a:blip/@r:embed")]


def test_off_page_connectors_on_both_pages(out):
    tables = _flow_tables(_doc(out))
    for page, (this, following) in enumerate(zip(tables, tables[1:])):
        last, first = this.rows[-1], following.rows[2]
        n_last, n_first = int(last.cells[0].text), int(first.cells[0].text)
        assert n_first == n_last + 1
        assert _symbols(last)[_lane(n_last)] == 2  # the step's symbol, then the connector
        assert _symbols(first)[_lane(n_first)] == 2  # the connector, then the step's symbol
        assert len(this.rows) - 2 <= sop.STEPS_PER_PAGE
        foot = _blobs(this, last.cells[_lane(n_last)])[-1]
        head = _blobs(following, first.cells[_lane(n_first)])[0]
        assert foot == head == sop._symbol("penghubung", "ABCDEFGH"[page])  # the same letter on both pages
    assert _symbols(tables[0].rows[2])[_lane(1)] == 1  # "Mulai" alone
    assert _symbols(tables[-1].rows[-1])[_lane(20)] == 1  # "Selesai" alone


def test_no_pelaksana_one_column(out):
    table = _flow_tables(_doc(out, "legalisasi"))[0]
    assert _header_cells(table.rows[1]) == ["No.", "Kegiatan", "Pelaksana", "Kelengkapan", "Waktu", "Output",
                                            "Keterangan"]
    assert [_symbols(row)[2] for row in table.rows[2:]] == [1, 1]


def test_deterministic_and_a_kind_of_its_own(tmp_path, out):
    again = tmp_path / "again"
    render("sop", UNIT, again)
    render("sop", UNIT, tmp_path / "twice")
    for name in ("domisili-usaha", "izin-reklame", "legalisasi"):
        assert (again / "sop" / f"{name}.docx").read_bytes() == (tmp_path / "twice" / "sop" / f"{name}.docx").read_bytes()
    assert "sop" in render_mod.kind_names()
    unit = render_mod.load_unit(UNIT)[0]
    assert [j.output for j in render_mod.plan(unit, "sop")[0]] == ["sop/domisili-usaha.docx",
                                                                  "sop/izin-reklame.docx", "sop/legalisasi.docx"]
    jobs = render_mod.plan(unit, "all")[0]  # part of `all` (and so of build), after the SP documents
    assert [j.kind for j in jobs] == ["sk", "sp", "sp", "sp", "maklumat", "sop", "sop", "sop"]
    assert [j.output for j in jobs if j.kind == "sop"] == [j.output for j in render_mod.plan(unit, "sop")[0]]


def test_cli_render_sop(tmp_path):
    result = CliRunner().invoke(main, ["render", "sop", str(UNIT), "-o", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "o" / "sop" / "izin-reklame.docx").is_file()
