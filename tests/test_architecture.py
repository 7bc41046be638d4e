"""The shape of the package: no import cycle, the CLI a thin layer, the tables that code and data
share kept in step, and the policies of the library (not only of the CLI)."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import grimp
import pytest

from sp_builder import instrument, tables
from sp_builder.assessment.proofs import PROOFS
from sp_builder.documents import layout, ooxml
from sp_builder.errors import UserError
from sp_builder.unit.model import Unit
from sp_builder.write import write_report

PACKAGE = Path(__file__).resolve().parent.parent / "sp_builder"


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Every module that can reach itself through imports, with one path that shows it."""
    found = []
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            path = graph.find_shortest_chain(importer=imported, imported=module)
            if path:
                found.append([module, *path])
    return found


def test_no_import_cycle_in_the_package():
    graph = grimp.build_graph("sp_builder")
    assert _cycles(graph) == []


def test_a_cycle_is_found_when_there_is_one():
    """The cycle finder itself, on a graph with one circle: a check that cannot fail is no check."""
    graph = grimp.ImportGraph()
    for name in ("p", "p.a", "p.b", "p.c"):
        graph.add_module(name)
    graph.add_import(importer="p.a", imported="p.b")
    graph.add_import(importer="p.b", imported="p.a")
    graph.add_import(importer="p.c", imported="p.a")
    assert [cycle[0] for cycle in _cycles(graph)] == ["p.a", "p.b"]


def _lines(path: Path) -> int:
    return sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())


def test_the_cli_is_under_five_percent_of_the_package():
    total = sum(_lines(p) for p in PACKAGE.rglob("*.py"))
    cli = _lines(PACKAGE / "cli.py") + _lines(PACKAGE / "click_id.py")
    assert cli / total < 0.05, f"cli.py + click_id.py: {cli} of {total} lines"


def test_every_derivation_in_the_data_has_its_proof():
    """penilaian.yaml names what the files can prove; instruments may only use those names, and each
    has a proof function. Adding one without the other fails here."""
    assert set(PROOFS) == set(tables.assessment()["turunan"]) == set(instrument.DERIVATIONS)


def test_component_kinds_come_from_the_table():
    assert tables.keys_of_kind("teks") == ("jaminan_pelayanan", "jaminan_keamanan", "evaluasi_kinerja")
    assert len(tables.keys_of_kind("daftar")) == 7
    assert {c.jenis for c in tables.components()} == {"daftar", "teks", "durasi", "biaya", "saluran", "jumlah"}


def test_score_ladders_are_data():
    ladder = tables.assessment()["tangga"]["sarana_rentan"]
    assert ladder[0] == {"paling_sedikit": 13, "nilai": 5}  # indicator 18.c.K: 13 or more of the 14
    assert ladder[-1] == {"nilai": 0}


def test_reports_never_overwrite_a_unit_input_through_the_library(tmp_path):
    """The policy lives in write.py, so a library caller gets it as the CLI does."""
    unit = tmp_path / "unit"
    (unit / "layanan").mkdir(parents=True)
    (unit / "unit.yaml").write_text("instansi: X\n", encoding="utf-8")
    target = unit / "layanan" / "ktp-el.yaml"
    target.write_text("nama: KTP-el\n", encoding="utf-8")
    with pytest.raises(UserError, match="tidak menimpa .*ktp-el.yaml: berkas itu masukan unit"):
        write_report(target, b"laporan")
    assert target.read_text(encoding="utf-8") == "nama: KTP-el\n"
    report = unit / "laporan.html"
    write_report(report, b"<p>laporan</p>")
    assert report.read_bytes() == b"<p>laporan</p>"


@pytest.mark.parametrize("instansi, kop_tables", [("Pemerintah Kota Uji", 1), ("", 0)])
def test_one_report_opening_with_the_same_guard_everywhere(tmp_path, instansi, kop_tables):
    unit = Unit(tmp_path, {"instansi": instansi, "unit": "Dinas Uji", "alamat": "Jl. Uji 1"})
    doc = layout.report_opening("laporan", unit, "JUDUL LAPORAN")
    document = docx.Document(io.BytesIO(ooxml.to_bytes(doc)))
    assert len(document.tables) == kop_tables
    assert [p.text for p in document.paragraphs if p.text][-1] == "JUDUL LAPORAN"
    if kop_tables:
        assert "PEMERINTAH KOTA UJI" in " ".join(c.text for c in document.tables[0].rows[0].cells)
