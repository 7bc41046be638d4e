"""Hostile YAML files: each is refused (or read) with an Indonesian message at its position, exit 1,
and never a traceback, a hang or a crashed interpreter."""

from __future__ import annotations

import re
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from sp_builder import cli
from sp_builder.unit import load
from sp_builder.unit.load import MAX_DEPTH, MAX_VALUES, MAX_YAML_BYTES, read_yaml
from sp_builder.unit.validate import validate_file

SERVICE = "layanan/ktp-el.yaml"


def _validate(*args: str):
    result = CliRunner().invoke(cli.main, ["validate", *args])
    assert "Traceback" not in result.output + result.stderr
    assert "galat internal" not in result.output + result.stderr
    return result


def _billion_laughs() -> str:
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, 9):
        name, prev = chr(ord("a") + level), chr(ord("a") + level - 1)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\nnama: bom\n"


def test_alias_bomb_is_refused_at_the_first_alias(unit):
    (unit / "layanan" / "bom.yaml").write_text(_billion_laughs(), encoding="utf-8")
    result = _validate(".")
    assert result.exit_code == 1
    assert ('layanan/bom.yaml:2:8: galat: alias YAML (*nama) di berkas ini mengembang menjadi lebih dari 100.000 '
            'nilai (pola "bom alias"); tulis nilainya langsung, tanpa alias bertingkat') in result.output


def test_a_few_aliases_are_still_yaml(unit):
    text = (unit / SERVICE).read_text(encoding="utf-8")
    text = text.replace("  persyaratan:", "  persyaratan: &syarat", 1)
    text = text.replace("  prosedur:", "  catatan_syarat: *syarat\n  prosedur:", 1)
    path = unit / "layanan" / "alias.yaml"
    path.write_text(text, encoding="utf-8")
    file, issues = read_yaml(path)
    assert issues == [] and file.data["penyampaian"]["catatan_syarat"] == file.data["penyampaian"]["persyaratan"]


def test_expansion_just_under_the_limit_is_accepted(tmp_path):
    side = 300  # 300 × 300 = 90 000 values once expanded, under MAX_VALUES
    assert side * side < MAX_VALUES < side * side * 2
    text = "a: &a [" + ", ".join(["x"] * side) + "]\nb: [" + ", ".join(["*a"] * side) + "]\n"
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    file, issues = read_yaml(path)
    assert issues == [] and len(file.data["b"]) == side
    path.write_text(text.replace("b: [", "b: [" + "*a, " * side), encoding="utf-8")
    file, issues = read_yaml(path)
    assert file is None and issues[0].rule == "yaml.alias_berlebihan" and (issues[0].line, issues[0].column) == (2, 5)


@pytest.mark.parametrize("depth", [MAX_DEPTH, 10_000])
def test_deep_flow_nesting_is_refused_where_it_passes_the_limit(unit, depth):
    (unit / "layanan" / "dalam.yaml").write_text("nama: " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    result = _validate(".")
    assert result.exit_code == 1
    # the top mapping is level 1, so the 64th "[" opens level 65, at column len("nama: ") + 64
    assert (f"layanan/dalam.yaml:1:{6 + MAX_DEPTH}: galat: struktur bersarang terlalu dalam (lebih dari "
            f"{MAX_DEPTH} tingkat)") in result.output


def test_nesting_at_the_limit_is_accepted(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("nama: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n", encoding="utf-8")
    file, issues = read_yaml(path)
    assert issues == [] and file is not None


def test_deep_block_nesting_is_refused_at_its_line(tmp_path):
    text = "".join(" " * i + f"k{i}:\n" for i in range(600)) + " " * 600 + "v\n"
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    file, issues = read_yaml(path, "x.yaml")
    assert file is None
    assert [(i.line, i.column, i.rule) for i in issues] == [(MAX_DEPTH + 1, MAX_DEPTH + 1, "yaml.terlalu_dalam")]


def test_nesting_that_would_crash_libyaml_is_caught_before_parsing(tmp_path):
    """400 000 levels crash ruamel's C composer (a segmentation fault, measured): the depth is
    checked on the parser's events first. Run in a child process so a regression cannot take the
    test run down with it."""
    unit_dir = tmp_path / "u"
    (unit_dir / "layanan").mkdir(parents=True)
    (unit_dir / "layanan" / "x.yaml").write_text("nama: " + "[" * 400_000 + "]" * 400_000 + "\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "sp_builder", "validate", "layanan/x.yaml"], cwd=unit_dir,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert "layanan/x.yaml:1:70: galat: struktur bersarang terlalu dalam" in done.stdout + done.stderr


def test_fifty_megabyte_file_is_refused_by_its_size_without_reading_it(unit):
    big = unit / "layanan" / "besar.yaml"
    with big.open("wb") as handle:  # sparse: 50 MB long, nothing on disk, and reading it would be slow
        handle.truncate(50 * 1024 * 1024)
    result = _validate(".")
    assert result.exit_code == 1
    assert ("layanan/besar.yaml: galat: berkas terlalu besar (50,0 MB; batas 1,0 MB); berkas sp-builder biasanya "
            "hanya beberapa KB — periksa apakah ini berkas yang benar") in result.output


def test_a_file_just_under_the_size_limit_is_read(tmp_path):
    path = tmp_path / "x.yaml"
    body = "nama: x\nket: |\n"
    line = "  " + "a" * 97 + "\n"
    path.write_text(body + line * ((MAX_YAML_BYTES - len(body)) // len(line)), encoding="utf-8")
    assert path.stat().st_size <= MAX_YAML_BYTES
    file, issues = read_yaml(path)
    assert issues == [] and file.data["nama"] == "x"


def test_binary_file_is_named_as_not_text(unit):
    (unit / "layanan" / "foto.yaml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    result = _validate(".")
    assert result.exit_code == 1
    assert ("layanan/foto.yaml:3:1: galat: berkas ini bukan teks (memuat bita 0x00): mungkin gambar, PDF, dokumen "
            "Word, atau teks UTF-16 tanpa penanda BOM") in result.output


def test_latin1_file_names_the_byte_its_character_and_its_position(unit):
    text = (unit / SERVICE).read_text(encoding="utf-8").replace("nama: ", "nama: Pelayanan Café ", 1)
    (unit / SERVICE).write_bytes(text.encode("latin-1"))
    result = _validate(".")
    assert result.exit_code == 1
    assert ('layanan/ktp-el.yaml:1:20: galat: berkas bukan UTF-8 (bita 0xE9, dalam Windows-1252/Latin-1 berarti "é"); '
            "simpan ulang berkas dengan pengodean UTF-8") in result.output


@pytest.mark.parametrize("codec, name", [("utf-16-le", "UTF-16"), ("utf-16-be", "UTF-16"), ("utf-32-le", "UTF-32")])
def test_utf16_and_utf32_with_a_bom_are_read_with_a_warning_and_right_positions(unit, codec, name):
    text = (unit / SERVICE).read_text(encoding="utf-8")
    bad = re.sub(r"jangka_waktu: [^\n]*", "jangka_waktu: secepatnya", text, count=1)  # no duration at all
    line = bad[: bad.index("jangka_waktu")].count("\n") + 1
    bom = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff", "utf-32-le": b"\xff\xfe\x00\x00"}[codec]
    (unit / SERVICE).write_bytes(bom + bad.encode(codec))
    issues = validate_file(Path(SERVICE))
    assert any(i.rule == "berkas.bukan_utf8" and not i.is_error and f"pengodean {name}" in i.message
               and (i.line, i.column) == (1, 1) for i in issues)
    wrong = [i for i in issues if i.rule.startswith("jangka_waktu")]
    assert wrong and wrong[0].line == line and wrong[0].is_error
    result = _validate(".")
    assert result.exit_code == 1 and f"layanan/ktp-el.yaml:{line}:" in result.output


def test_utf16_without_a_bom_is_refused_as_not_text(unit):
    (unit / SERVICE).write_bytes((unit / SERVICE).read_text(encoding="utf-8").encode("utf-16-le"))
    result = _validate(".")
    assert result.exit_code == 1
    assert "layanan/ktp-el.yaml:1:2: galat: berkas ini bukan teks (memuat bita 0x00)" in result.output


def test_bom_and_windows_line_endings_keep_positions(unit):
    text = (unit / SERVICE).read_text(encoding="utf-8")
    bad = re.sub(r"jangka_waktu: [^\n]*", "jangka_waktu: secepatnya", text, count=1)  # no duration at all
    line = bad[: bad.index("jangka_waktu")].count("\n") + 1
    column = bad.split("\n")[line - 1].index("jangka_waktu") + 1
    plain = validate_file(Path(SERVICE)) if (unit / SERVICE).write_text(bad, encoding="utf-8") else None
    (unit / SERVICE).write_bytes(b"\xef\xbb\xbf" + bad.replace("\n", "\r\n").encode("utf-8"))
    windows = validate_file(Path(SERVICE))
    assert [i.format() for i in windows] == [i.format() for i in plain]
    wrong = [i for i in windows if i.rule.startswith("jangka_waktu")]
    assert wrong and (wrong[0].line, wrong[0].column) == (line, column)


def test_a_fifo_or_device_named_yaml_is_not_read_forever(unit):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes on this platform")
    os.mkfifo(unit / "layanan" / "pipa.yaml")  # reading it would block: it is not a regular file
    result = _validate(".")
    assert "pipa.yaml" not in result.output  # skipped like any non-file, and the run ends
    assert result.exit_code == 0



@pytest.mark.parametrize("value, shape", [("[ktp-el, kk]", "daftar (butir diawali '- ')"),
                                          ("{nama: ktp-el}", "pasangan 'kunci: nilai'")])
def test_an_agreement_naming_a_list_or_mapping_as_its_service_is_a_positioned_error(unit, value, shape):
    """Found by the fuzz run: a kesepakatan row whose `layanan` is not text crashed the cross-file
    check with "unhashable type" before the schema's message could be shown."""
    path = unit / "fkp" / "fkp-2025.yaml"
    text = path.read_text(encoding="utf-8").replace("{layanan: ktp-el,", f"{{layanan: {value},", 1)
    path.write_text(text, encoding="utf-8")
    result = _validate(".")
    assert result.exit_code == 1
    assert f'fkp/fkp-2025.yaml:13:6: galat: "layanan" harus berupa teks, bukan {shape}' in result.output
