"""Commands end to end through click: exit codes, what they print, and the files they leave."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from sp_builder import cli



@pytest.fixture
def runner():
    return CliRunner()




def _age_fixture(root: Path) -> None:
    import datetime as dt
    recent = (dt.date.today() - dt.timedelta(days=30)).isoformat()
    fkp_day = (dt.date.today() - dt.timedelta(days=60)).isoformat()
    for rel, old, new in (("layanan/ktp-el.yaml", "2025-02-03", recent), ("fkp/fkp-2025.yaml", "2025-01-10", fkp_day)):
        path = root / rel
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_validate_clean_unit_exits_0(runner, unit):
    _age_fixture(unit)
    result = runner.invoke(cli.main, ["validate", "."])
    assert result.exit_code == 0, result.output + result.stderr
    assert "Tidak ada masalah." in result.stdout


def test_validate_errors_exit_1_with_positions(runner, unit):
    _age_fixture(unit)
    path = unit / "layanan" / "ktp-el.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("jangka_waktu: 1 hari kerja", "jangka_waktu: secepatnya"),
                    encoding="utf-8")
    result = runner.invoke(cli.main, ["validate", "."])
    assert result.exit_code == 1
    assert 'layanan/ktp-el.yaml:15:3: galat: Jangka Waktu Pelayanan: "secepatnya" bukan durasi' in result.stdout
    assert "1 galat, 1 peringatan" in result.stderr  # and the FKP agreement not applied


def test_strict_turns_warnings_into_failure(runner, unit):
    _age_fixture(unit)
    path = unit / "fkp" / "fkp-2025.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("[ktp-el, kartu-keluarga]", "[ktp-el]"), encoding="utf-8")
    assert runner.invoke(cli.main, ["validate", "."]).exit_code == 0
    strict = runner.invoke(cli.main, ["validate", "--strict", "."])
    assert strict.exit_code == 1
    assert "peringatan: rancangan SP ini belum dibahas" in strict.stdout


def test_json_format_is_data(runner, unit):
    _age_fixture(unit)
    (unit / "unit.yaml").write_text((unit / "unit.yaml").read_text(encoding="utf-8").replace(
        'nip: "19750512 200003 2 004"', "nip: 197505122000032004"), encoding="utf-8")
    result = runner.invoke(cli.main, ["validate", "--format", "json", "."])
    assert result.exit_code == 1
    (issue,) = json.loads(result.stdout)
    assert issue == {"file": "unit.yaml", "line": 12, "column": 3, "severity": "galat", "component": "",
                     "rule": "nip.bukan_teks", "message": issue["message"]}
    assert "tanda kutip" in issue["message"]


def test_usage_errors_exit_2(runner):
    assert runner.invoke(cli.main, ["validate"]).exit_code == 2
    assert runner.invoke(cli.main, ["validate", "--tidak-ada", "x"]).exit_code == 2
    assert runner.invoke(cli.main, ["tidak-ada"]).exit_code == 2


def test_init_scaffolds_a_unit_that_validates_clean_and_never_overwrites(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli.main, ["init", "baru"])
    assert result.exit_code == 0, result.stderr
    assert "dibuat: baru/unit.yaml" in result.stdout
    text = (tmp_path / "baru" / "layanan" / "contoh-layanan.yaml").read_text(encoding="utf-8")
    assert "# 3. Jangka Waktu Pelayanan" in text
    check = runner.invoke(cli.main, ["validate", "--strict", "baru"])
    assert check.exit_code == 0, check.stdout
    (tmp_path / "baru" / "unit.yaml").write_text("instansi: milik saya\n", encoding="utf-8")
    again = runner.invoke(cli.main, ["init", "baru"])
    assert again.exit_code == 1
    assert "tidak menimpa" in again.stderr
    assert (tmp_path / "baru" / "unit.yaml").read_text(encoding="utf-8") == "instansi: milik saya\n"


def test_init_keeps_existing_files_in_a_folder_without_unit(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sebagian" / "layanan").mkdir(parents=True)
    (tmp_path / "sebagian" / "layanan" / "contoh-layanan.yaml").write_text("nama: punya saya\n", encoding="utf-8")
    result = runner.invoke(cli.main, ["init", "sebagian"])
    assert result.exit_code == 0
    assert "dilewati (sudah ada): sebagian/layanan/contoh-layanan.yaml" in result.stdout
    assert (tmp_path / "sebagian" / "layanan" / "contoh-layanan.yaml").read_text() == "nama: punya saya\n"


def test_unexpected_error_is_a_message_not_a_traceback(runner, monkeypatch, tmp_path):
    def boom(paths):
        raise RuntimeError("rusak")
    monkeypatch.setattr(cli, "validate_paths", boom)
    result = runner.invoke(cli.main, ["validate", str(tmp_path)])
    assert result.exit_code == 1
    assert "galat internal: RuntimeError: rusak" in result.stderr
    assert "--debug" in result.stderr and "Traceback" not in result.stderr
    debug = runner.invoke(cli.main, ["--debug", "validate", str(tmp_path)])
    assert "Traceback" in debug.stderr


def test_python_dash_m_runs_the_cli():
    done = subprocess.run([sys.executable, "-m", "sp_builder", "--version"], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.startswith("sp-builder ")


@pytest.mark.parametrize("args, words", [
    (["validate"], "Galat: Argumen belum diberikan 'JALUR...'."),
    (["tidak-ada"], "Galat: Perintah 'tidak-ada' tidak dikenal."),
    (["check", "--format", "xml", "."], "'xml' bukan salah satu dari 'text', 'json', 'html', 'docx', 'pdf'."),
    (["skm", "--populasi", "nol", "x.csv"], "'nol' bukan bilangan yang sah."),
    (["render", "sp", "tidak-ada-folder", "-o", "x"], "Folder 'tidak-ada-folder' tidak ditemukan."),
])
def test_usage_errors_are_indonesian(runner, tmp_path, monkeypatch, args, words):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli.main, args, prog_name="sp-builder")
    assert result.exit_code == 2
    assert result.stderr.startswith("Penggunaan: sp-builder ")
    assert "untuk bantuan." in result.stderr and words in result.stderr


def test_help_is_indonesian(runner):
    result = runner.invoke(cli.main, ["--help"], prog_name="sp-builder")
    assert "Penggunaan: sp-builder [OPSI] PERINTAH [ARGUMEN]..." in result.stdout
    assert "Opsi:" in result.stdout and "Perintah:" in result.stdout
    assert "Tampilkan bantuan ini lalu keluar." in result.stdout
