"""Reports never overwrite what a unit is made of: `-o` or `--bundle` naming an existing YAML,
survey or image file, or a file in a unit's bukti/ folder, is refused before any work."""

from __future__ import annotations

import hashlib

import pytest
from click.testing import CliRunner

from sp_builder import cli

SURVEY = "nama_layanan,U1,U2,U3,U4,U5,U6,U7,U8,U9\nktp-el,4,4,3,4,4,3,4,4,4\n"


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("args, target", [
    (["check", ".", "--format", "json", "-o", "unit.yaml"], "unit.yaml"),
    (["check", ".", "-o", "layanan/ktp-el.yaml"], "layanan/ktp-el.yaml"),
    (["check", ".", "--bundle", "logo.png"], "logo.png"),
    (["check", ".", "--bundle", "bukti/sk.pdf"], "bukti/sk.pdf"),
    (["diff", "layanan/ktp-el.yaml", "layanan/kartu-keluarga.yaml", "-o", "layanan/kartu-keluarga.yaml"],
     "layanan/kartu-keluarga.yaml"),
    (["skm", "skm/2025.csv", "-o", "skm/2025.csv"], "skm/2025.csv"),
])
def test_a_report_never_overwrites_a_unit_input(unit, args, target):
    (unit / "bukti").mkdir()
    (unit / "bukti" / "sk.pdf").write_bytes(b"%PDF-1.4 bukti\n")
    (unit / "skm").mkdir()
    (unit / "skm" / "2025.csv").write_text(SURVEY, encoding="utf-8")
    before = _digest(unit / target)
    result = CliRunner().invoke(cli.main, args)
    assert result.exit_code == 2
    assert (f"galat: tidak menimpa {target}: berkas itu masukan unit (YAML, survei, gambar, atau bukti); tulis laporan "
            "ke berkas lain, mis. laporan.html") in result.stderr
    assert _digest(unit / target) == before


def test_a_report_may_replace_an_earlier_report(unit):
    runner = CliRunner()
    first = runner.invoke(cli.main, ["check", ".", "--format", "json", "-o", "laporan.json"])
    assert first.exit_code in (0, 1) and (unit / "laporan.json").is_file()
    again = runner.invoke(cli.main, ["check", ".", "--format", "json", "-o", "laporan.json"])
    assert again.exit_code == first.exit_code and "ditulis: laporan.json" in again.stderr
