"""`sp-builder render sop`: one SOP AP (PermenPANRB 35/2012) per service, read back with python-docx."""

from __future__ import annotations

import datetime as dt
import inspect
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from pypdf import PdfReader

import pdf_layout
from sp_builder import tables
from sp_builder.cli import main
from sp_builder.documents import pdf, render as render_mod, sop
from sp_builder.documents.render import render
from sp_builder.unit.validate import load_unit

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


def _notes(cell) -> list[str]:
    """The alt texts of a cell's pictures (what the drawn slice shows)."""
    return cell._tc.xpath(".//wp:docPr/@descr")


def _lane_of(step: int) -> int:
    return [k.casefold() for k in LANES].index(" ".join(STEPS[step - 1][1].split()).casefold())


def _pages(out) -> list[list[int]]:
    return [[int(row.cells[0].text) for row in table.rows[2:]] for table in _flow_tables(_doc(out))]


def test_symbols_in_their_lane_and_mutu_baku_per_row(out):
    rows = [row for table in _flow_tables(_doc(out)) for row in table.rows[2:]]
    assert [row.cells[0].text for row in rows] == [str(n) for n in range(1, 21)]
    last_of_page = {page[-1] for page in _pages(out)}
    for n, (row, (uraian, pelaksana, kelengkapan, waktu, output)) in enumerate(zip(rows, STEPS), start=1):
        cells = row.cells
        assert cells[1].text == uraian
        lane = _lane_of(n)
        # the drawing inks the step's lane and, when the flow moves to another lane on this page, the
        # lanes its elbow crosses; no other
        following = lane if n in last_of_page or n == 20 else _lane_of(n + 1)
        inked = set(range(min(lane, following), max(lane, following) + 1))
        assert [count for count in _symbols(row)[2:2 + len(LANES)]] == [int(i in inked) for i in range(len(LANES))]
        kind = "mulai" if n == 1 else "selesai" if n == 20 else "keputusan" if n == 2 else "kegiatan"
        assert _notes(cells[2 + lane])[0].startswith(f"langkah {n}: {kind}")
        assert all(_notes(cells[2 + i]) == [f"garis alir langkah {n}"] for i in inked - {lane})
        assert [c.text for c in cells[2 + len(LANES):2 + len(LANES) + 3]] == [kelengkapan, waktu, output]
    assert rows[1].cells[-1].text == "dikembalikan bila belum lengkap\nYa: langkah 3\nTidak: langkah 1"
    assert _notes(rows[1].cells[2 + _lane_of(2)]) == ["langkah 2: keputusan; lanjut ke langkah 3; Tidak: ke langkah 1"]


def test_each_row_drawing_spans_its_lanes_edge_to_edge(out):
    table = _flow_tables(_doc(out))[0]
    for row in table.rows[2:]:
        height = int(row._tr.xpath("./w:trPr/w:trHeight/@w:val")[0]) * 635  # twips to EMU
        assert row._tr.xpath("./w:trPr/w:trHeight/@w:hRule") == ["atLeast"]
        widths = []
        for cell in row.cells[2:2 + len(LANES)]:
            width = int(cell._tc.xpath("./w:tcPr/w:tcW/@w:w")[0]) * 635
            widths.append(width)
            assert cell._tc.xpath("./w:tcPr/w:tcMar/*/@w:w") == ["0"] * 4  # the slice meets the lane's borders
            for extent in cell._tc.xpath(".//wp:extent"):
                assert abs(int(extent.get("cx")) - width) < 635 * 2  # the lane's width, to a twip
                assert abs(int(extent.get("cy")) - (height - 3600)) < 635 * 2  # the row's height less 0,1 mm
        band = sop.ooxml.text_width(_doc(out).sections[0]) * (100 - sum(sop.WIDTHS.values())) / 100
        assert abs(sum(widths) - band) < 635 * len(LANES)  # the lanes share the band left by the other columns


def test_the_flow_lines_meet_at_the_row_borders():
    """Drawn in mm over the lane band: into the symbol from the row's top, out at its foot, and an
    elbow just above the foot to the next step's lane."""
    steps = [{"nomor": str(n), "lajur": lane, "simbol": symbol, "jika_tidak": tidak}
             for n, (lane, symbol, tidak) in enumerate([(0, ("kapsul", "Mulai"), None), (1, ("keputusan", ""), 1),
                                                        (1, ("kapsul", "Selesai"), None)], start=1)]
    lane = 30.0
    inks = sop._page_ink(steps, [20.0, 25.0, 20.0], lane, None, None, 3)
    first, decision, last = inks
    assert (15.0, 20.0 - sop.ELBOW_MM, 45.0, 20.0 - sop.ELBOW_MM) in first.lines  # the elbow to lane 2
    assert (45.0, 20.0 - sop.ELBOW_MM, 45.0, 20.0) in first.lines  # down to the row's foot
    assert decision.lines[0][:3] == (45.0, 0.0, 45.0) and decision.heads[0][:2] == (45.0, decision.lines[0][3])
    assert ("Ya", 45.8) == decision.labels[0][:2] and decision.labels[1][0] == "Tidak"
    track = [line for line in decision.lines if line[0] == line[2] and line[3] == 0.0]
    assert len(track) == 1 and 45.0 < track[0][0] < 60.0  # the Tidak line runs up inside its lane
    assert first.heads[-1][2] == "left" and first.heads[-1][1] == first.lines[-1][1]  # into Mulai from the side
    assert not last.heads[1:] and last.lines[0][1] == 0.0  # Selesai: the line in, nothing out


def test_a_tidak_to_another_page_is_a_stub_naming_its_step():
    steps = [{"nomor": "9", "lajur": 0, "simbol": ("keputusan", ""), "jika_tidak": 2},
             {"nomor": "10", "lajur": 0, "simbol": ("kegiatan", ""), "jika_tidak": None}]
    decision, _ = sop._page_ink(steps, [20.0, 20.0], 30.0, "A", "B", 12)
    assert [label[0] for label in decision.labels] == ["Ya", "Tidak", "ke 2"]
    assert decision.heads[-1][2] == "right" and decision.notes == [
        "langkah 9: keputusan", "dari penghubung A", "lanjut ke langkah 10", "Tidak: ke langkah 2"]


def test_off_page_connectors_on_both_pages(out):
    tables = _flow_tables(_doc(out))
    for page, (this, following) in enumerate(zip(tables, tables[1:])):
        last, first = this.rows[-1], following.rows[2]
        n_last, n_first = int(last.cells[0].text), int(first.cells[0].text)
        assert n_first == n_last + 1
        letter = "ABCDEFGH"[page]  # the same letter on both pages, in the lanes of the steps it joins
        assert _notes(last.cells[2 + _lane_of(n_last)])[0].endswith(f"; ke penghubung {letter}")
        assert f"; dari penghubung {letter};" in _notes(first.cells[2 + _lane_of(n_first)])[0]
        assert len(this.rows) - 2 <= sop.STEPS_PER_PAGE
    assert "penghubung" not in _notes(tables[0].rows[2].cells[2 + _lane_of(1)])[0]  # "Mulai" alone
    assert _notes(tables[-1].rows[-1].cells[2 + _lane_of(20)]) == ["langkah 20: selesai"]


needs_pdf_tools = pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdfimages") is None,
                                     reason="LibreOffice (soffice) atau poppler-utils (pdfimages) tidak terpasang")


@needs_pdf_tools
def test_the_drawn_slices_are_placed_in_the_pdf(out, tmp_path):
    """LibreOffice places every slice: the PDF's pictures per page are the logo on the identity
    sheet, then each flowchart page's slices; each page repeats the header."""
    source = tmp_path / "izin-reklame.docx"
    shutil.copyfile(out / "sop" / "izin-reklame.docx", source)
    [pdf_path] = pdf.convert([source])
    listing = subprocess.run(["pdfimages", "-list", str(pdf_path)], capture_output=True, text=True, check=True).stdout
    per_page: dict[int, int] = {}
    for line in listing.splitlines()[2:]:
        page, _num, kind = line.split()[:3]
        if kind == "image":  # the slices' transparency comes as an "smask" of its own
            per_page[int(page)] = per_page.get(int(page), 0) + 1
    tables = _flow_tables(_doc(out))
    drawn = [sum(sum(_symbols(row)[2:2 + len(LANES)]) for row in table.rows[2:]) for table in tables]
    assert [per_page.get(page, 0) for page in range(1, len(tables) + 2)] == [1, *drawn]
    reader = PdfReader(pdf_path)
    placed = pdf_layout.placed_images(pdf_path)
    assert len(reader.pages) == 1 + len(tables)
    for number, page in enumerate(reader.pages[1:], start=2):
        words = " ".join(page.extract_text().split())
        assert "Pelaksana" in words and " ".join(LANES) in words
        # the rows' slices meet at each row border, so the lines run on: a row's top within 0,3 mm
        # of the bottom of the row above (the border's own line is 0,18 mm)
        bands = sorted({(round(p.y0 + p.height, 1), round(p.y0, 1)) for p in placed if p.page == number},
                       reverse=True)  # PDF y grows upwards
        rows = [band for n, band in enumerate(bands) if n == 0 or abs(band[0] - bands[n - 1][0]) > 0.5]
        assert len(rows) == len(tables[number - 2].rows) - 2
        gaps = [(upper[1] - lower[0]) * 25.4 / 72 for upper, lower in zip(rows, rows[1:])]
        assert all(-0.05 < gap < 0.3 for gap in gaps), gaps


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


# ---------------------------------------------------------------------------------------------
# The `sop:` mapping, validated


SOP_DEFECTS = (  # appended to izin-reklame.yaml, whose last line is 32: `sop:` is line 33
    "sop:\n"
    "  nomor: 800/012/SOP/2025\n"
    "  tanggal_pembuatan: besok\n"
    "  tanggal_revisi: 01/13/2025\n"
    "  peringatn: Izin tidak terbit tepat waktu\n"
    "  disahkan_oleh: {jabatan: Kepala Dinas, nip: 197001011995031001}\n"
    "  keterkaitan: {sop: Pengaduan}\n"
    "  pencatatan:\n"
)


def _sop_issues(tmp_path, block: str) -> list:
    root = tmp_path / "unit"
    shutil.copytree(UNIT, root)
    path = root / "layanan" / "izin-reklame.yaml"
    assert len(path.read_text(encoding="utf-8").splitlines()) == 32
    path.write_text(path.read_text(encoding="utf-8") + block, encoding="utf-8")
    _, issues = load_unit(root, today=dt.date(2025, 3, 1))
    return [i for i in issues if i.path.endswith("izin-reklame.yaml") and i.line >= 33]


def test_the_sop_mapping_is_checked_at_its_lines(tmp_path):
    found = [(i.line, i.column, i.severity.value, i.rule, i.message) for i in _sop_issues(tmp_path, SOP_DEFECTS)]
    assert found == [
        (35, 3, "galat", "tanggal.tidak_sah", 'Tanggal pembuatan SOP "besok" bukan tanggal yang sah; tulis TTTT-BB-HH '
                                             '(mis. 2025-01-15), HH-BB-TTTT atau "15 Januari 2025"'),
        (36, 3, "galat", "tanggal.bulan_dulu", 'Tanggal revisi SOP "01/13/2025" tampaknya ditulis bulan lebih dulu '
                                              "(gaya Amerika); tulis hari lebih dulu, mis. 16-02-2026, atau TTTT-BB-HH, "
                                              "mis. 2026-02-16"),
        (37, 3, "peringatan", "kunci.tidak_dikenal", 'kunci "peringatn" tidak dikenal; maksud Anda "peringatan"?'),
        (38, 42, "galat", "nip.bukan_teks", "NIP ditulis sebagai angka (197001011995031001) sehingga dapat berubah; "
                                            'tulis di antara tanda kutip, mis. nip: "197001011995031001"'),
        (39, 3, "galat", "nilai.tipe", "\"keterkaitan\" harus berupa teks atau daftar (butir diawali '- '), bukan "
                                       "pasangan 'kunci: nilai'"),
        (40, 3, "galat", "nilai.kosong", '"pencatatan" tidak boleh kosong; isi nilainya atau hapus kuncinya'),
    ]


def test_sop_dates_in_any_form_the_unit_writes_and_their_order(tmp_path):
    block = ("sop:\n  tanggal_pembuatan: 6 Januari 2025\n  tanggal_efektif: 05-01-2025\n"
             "  disahkan_oleh: {jabatan: Sekretaris, nama: Budi, nip: \"19700101 199503 1 001\"}\n")
    found = [(i.line, i.column, i.rule, i.message) for i in _sop_issues(tmp_path, block)]
    assert found == [(35, 3, "sop.efektif_sebelum_dibuat", "tanggal efektif SOP 5 Januari 2025 mendahului tanggal "
                                                            "pembuatannya 6 Januari 2025; periksa kedua tanggal")]


def test_every_key_sop_reads_is_known_to_the_schema():
    keys = set(tables.load_data("layanan.schema.yaml")["sop"]["schema"])
    read = set(re.findall(r'sop\.get\("(\w+)"\)', inspect.getsource(sop.context)))
    assert read and read == keys
