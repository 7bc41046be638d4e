"""Round trip of a whole unit: `sp-builder build` every sample unit to PDF, merge its SP PDFs
into one book (pypdf `PdfWriter.append`), `sp-builder import` the book into a new folder, and
`sp-builder diff` the two unit folders: no differences.

What an SP document never prints cannot come back, and the test says so where it steps in:
- the file name (slug) of a service: the book gives each service the slug of its printed name
  ("penerbitan-kartu-keluarga-kk"), the unit chose "kartu-keluarga". `diff` pairs the files left
  over on both sides by the service's name, and says so ("berkas dipasangkan menurut nama layanan");
- unit.yaml's `maklumat` and `maklumat_tanggal`: the Maklumat Pelayanan is a document of its own,
  not part of an SP; the NIP comes back without the spaces the unit typed (the same number).
Everything else — every component of every service, the names with their letter case, status and
penetapan, the kop, the head and the paper — must come back.

Values the SP prints alike come back in one reading, which `diff` (comparing as the SP shows a
component) accepts: `biaya: Gratis` comes back `biaya: 0` ("Rp0,00 (tidak dipungut biaya)" on
paper), and an item whose text ends in brackets comes back as {uraian, keterangan}, which prints
the same "uraian (keterangan)".
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from sp_builder import cli

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
UNITS = sorted(p.name for p in SAMPLES.iterdir() if (p / "unit.yaml").is_file())
NOT_IN_AN_SP = {"maklumat", "maklumat_tanggal"}  # unit.yaml fields no SP prints (see the docstring)

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) tidak terpasang")


def _load(path: Path):
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """Every sample unit built once, with PDFs."""
    out = tmp_path_factory.mktemp("keluaran")
    result = CliRunner().invoke(cli.main, ["build", str(SAMPLES), "-o", str(out), "--pdf", "-j", "2"])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module", params=UNITS)
def round_trip(request, built, tmp_path_factory):
    """(the sample unit, the folder imported from its merged SP book, the book, the import's output)."""
    from pypdf import PdfWriter

    name = request.param
    work = tmp_path_factory.mktemp(name)
    sps = sorted((built / name / "sp").glob("*.pdf"))
    assert len(sps) == len(list((SAMPLES / name / "layanan").glob("*.yaml")))
    writer = PdfWriter()
    for part in sps:
        writer.append(str(part))
    book = work / "buku-sp.pdf"
    writer.write(str(book))
    imported = work / "impor"
    result = CliRunner().invoke(cli.main, ["import", str(book), "-o", str(imported)])
    assert result.exit_code == 0, result.output
    # the slug is the unit's file name, which no SP prints: the imported file of each service, by its exact name
    slugs = {_load(p)["nama"]: p.stem for p in (SAMPLES / name / "layanan").glob("*.yaml")}
    files = {}
    for path in sorted((imported / "layanan").glob("*.yaml")):
        nama = _load(path)["nama"]
        assert nama in slugs, f"{path.name}: nama {nama!r} tidak ada di {name}"
        files[slugs.pop(nama)] = path
    assert slugs == {}  # every service came back
    return SAMPLES / name, imported, book, result.output, files


def test_diff_of_the_unit_and_its_imported_book_shows_no_differences(round_trip):
    original, imported, _, _, files = round_trip
    runner = CliRunner()
    text = runner.invoke(cli.main, ["diff", str(original), str(imported)])
    assert text.exit_code == 0, text.output
    assert "Tidak ada perbedaan." in text.output, text.output
    report = runner.invoke(cli.main, ["diff", str(original), str(imported), "--format", "json"])
    data = json.loads(report.output)
    assert data["ada_perbedaan"] is False
    assert data["ringkasan"]["sama"] == len(list((original / "layanan").glob("*.yaml")))
    assert all(s["status"] == "sama" and s["komponen"] == [] for s in data["layanan"])
    # each service paired with its imported file by the service's name, and the text says so
    assert {s["slug_semula"] or s["slug"]: s["slug"] for s in data["layanan"]} == {k: v.stem for k, v in files.items()}
    renamed = [k for k, v in files.items() if k != v.stem]
    assert text.output.count("berkas dipasangkan menurut nama layanan") == len(renamed)


def test_status_penetapan_and_waktu_pelayanan_come_back(round_trip):
    original, imported, _, _, files = round_trip
    for path in sorted((original / "layanan").glob("*.yaml")):
        want, got = _load(path), _load(files[path.stem])
        assert got["nama"] == want["nama"]
        assert got["status"] == want["status"], path.name
        assert got.get("penetapan") == want.get("penetapan"), path.name
        assert got.get("waktu_pelayanan") == want.get("waktu_pelayanan"), path.name


def test_the_unit_comes_back_but_for_what_no_sp_prints(round_trip):
    original, imported, _, _, files = round_trip
    want, got = _load(original / "unit.yaml"), _load(imported / "unit.yaml")
    want["pimpinan"]["nip"] = want["pimpinan"]["nip"].replace(" ", "")
    assert {k: v for k, v in want.items() if k not in NOT_IN_AN_SP} == got


def test_the_import_report_of_the_book(round_trip):
    original, _, book, output, _ = round_trip
    count = len(list((original / "layanan").glob("*.yaml")))
    assert output.startswith(f"{count} layanan ditemukan di {book.name}")
    assert output.count("komponen 14/14;") == count
    assert "0 galat" in output and "tercampur" not in output
    assert " 1 galat" not in output and "tidak ditemukan" not in output


def test_the_imported_unit_validates_without_errors(round_trip):
    from sp_builder.unit.validate import validate_paths

    _, imported, _, _, _ = round_trip
    errors = [i.format() for i in validate_paths([imported], dt.date(2026, 6, 1)) if i.is_error]
    assert errors == []
