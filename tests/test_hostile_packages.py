"""Office files are zips: a .docx or .xlsx whose parts unpack to gigabytes ("zip bomb") is refused
from the sizes in its directory, before any reader unpacks it."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from sp_builder import cli
from sp_builder.files import MAX_UNPACKED_BYTES, package_problem

BOMB_MESSAGE = "isinya mengembang menjadi 257,0 MB saat dibuka (batas 256,0 MB)"


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    """A zip with one 257 MB part of spaces: about 250 kB on disk."""
    path = tmp_path_factory.mktemp("bom") / "bom.zip"
    chunk = b" " * (1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        with package.open("word/document.xml", "w") as part:
            for _ in range(257):
                part.write(chunk)
    assert path.stat().st_size < 2 << 20
    return path


def _run(*args: str):
    result = CliRunner().invoke(cli.main, list(args))
    assert "Traceback" not in result.output + result.stderr and "galat internal" not in result.stderr
    return result


def test_package_limit_is_measured_on_the_declared_sizes(bomb, tmp_path):
    assert BOMB_MESSAGE in package_problem(bomb)
    assert package_problem(bomb.read_bytes()) == package_problem(bomb)
    small = tmp_path / "kecil.zip"
    with zipfile.ZipFile(small, "w") as package:
        package.writestr("a.xml", b"x" * 1000)
    assert package_problem(small) is None
    assert package_problem(b"bukan zip") is None  # the reader says it in its own words
    assert MAX_UNPACKED_BYTES == 256 << 20


def test_import_refuses_a_zip_bomb_docx(bomb, unit):
    source = unit.parent / "sp-lama.docx"
    source.write_bytes(bomb.read_bytes())
    result = _run("import", str(source), "-o", "layanan/baru.yaml")
    assert result.exit_code == 1
    assert "sp-lama.docx: " + BOMB_MESSAGE in result.stderr
    assert not (unit / "layanan" / "baru.yaml").exists()


def test_skm_refuses_a_zip_bomb_xlsx(bomb, tmp_path):
    survey = tmp_path / "skm.xlsx"
    survey.write_bytes(bomb.read_bytes())
    result = _run("skm", str(survey))
    assert result.exit_code == 1
    assert "skm.xlsx: galat: " + BOMB_MESSAGE in result.output + result.stderr


def test_render_refuses_a_zip_bomb_user_template_and_writes_nothing(bomb, unit, tmp_path):
    (unit / "templates").mkdir()
    (unit / "templates" / "sp.docx").write_bytes(bomb.read_bytes())
    out = tmp_path / "keluaran"
    result = _run("render", "sp", ".", "-o", str(out))
    assert result.exit_code == 1
    assert "templat templates/sp.docx: " + BOMB_MESSAGE in result.stderr
    assert not out.exists() or not any(out.rglob("*"))


@pytest.mark.parametrize("name", ["skm.csv", "skm.xlsx"])
def test_a_survey_over_200_megabytes_is_refused_by_its_size(tmp_path, name):
    survey = tmp_path / name
    with survey.open("wb") as handle:  # sparse: nothing is written to disk
        handle.truncate(300 << 20)
    result = _run("skm", str(survey))
    assert result.exit_code == 1
    assert (f"{name}: galat: berkas terlalu besar (300,0 MB; batas 200,0 MB); 100.000 jawaban survei hanya sekitar "
            "6 MB — periksa apakah ini berkas yang benar") in result.output + result.stderr
