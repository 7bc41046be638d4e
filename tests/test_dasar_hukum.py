"""Dasar hukum checked as citations: the "Nomor … Tahun …" rule reads the line with
unit/citations.py, the register (built-in and a Pemda's own peraturan.yaml) gives warnings at the
line of each citation, and two spellings of one regulation with different titles are named for
the Keputusan's Mengingat."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from sp_builder.cli import main
from sp_builder.errors import Severity
from sp_builder.unit import dasar_hukum
from sp_builder.unit.validate import load_unit, validate_file, validate_paths

DATA = Path(__file__).parent / "data"
TODAY = dt.date(2025, 6, 1)
KTP = "layanan/ktp-el.yaml"
KK = "layanan/kartu-keluarga.yaml"
# The two dasar hukum lines of the fixture's KTP-el service (lines 24 and 25, column 7).
UU_25 = "    - Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik\n"
UU_24 = "    - Undang-Undang Nomor 24 Tahun 2013 tentang Perubahan atas Undang-Undang Nomor 23 Tahun 2006 tentang " \
        "Administrasi Kependudukan\n"


def plant(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture lacks {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def issues_of(root: Path, rule: str):
    _, issues = load_unit(root, today=TODAY)
    return [i for i in issues if i.rule == rule]


@pytest.fixture(autouse=True)
def _fresh_cache():
    dasar_hukum._load.cache_clear()
    yield
    dasar_hukum._load.cache_clear()


# --- the "Nomor … Tahun …" rule ---------------------------------------------------------------

@pytest.mark.parametrize("line", [
    "UU No. 25 Thn 2009 tentang Pelayanan Publik",
    "Undang-Undang No 25 tahun 2009 tentang Pelayanan Publik",
    "UU 25/2009 tentang Pelayanan Publik",
    "Keputusan Menteri Kesehatan Nomor HK.01.07/Menkes/1186/2022 tentang Penanggulangan Covid-19",
    "Peraturan Menteri Pertanian Nomor 47/Permentan/KP.450/7/2012",
    "Undang-Undang Dasar Negara Republik Indonesia Tahun 1945",
])
def test_number_and_year_written_other_ways_do_not_warn(unit, line):
    plant(unit, KTP, UU_25, f"    - {line}\n")
    assert issues_of(unit, "dasar_hukum.tanpa_nomor") == []


@pytest.mark.parametrize("line", ["UU Pelayanan Publik", "Peraturan Bupati tentang Standar Pelayanan",
                                  "Undang-Undang Nomor 24 Tahun 2Ol3 tentang Perubahan"])
def test_line_without_number_or_year_still_warns(unit, line):
    plant(unit, KTP, UU_25, f"    - {line}\n")
    found = issues_of(unit, "dasar_hukum.tanpa_nomor")
    assert [(i.path, i.line, i.column, i.severity) for i in found] == [(KTP, 24, 7, Severity.WARNING)]


# --- register findings, one case per kind, at the line and column of the citation -------------

# (case, old line, new line, line, column, rule, words in the message, is a note)
CASES = [
    ("dicabut", UU_25, "    - Undang-Undang Nomor 36 Tahun 2009 tentang Kesehatan\n", 24, 7, "dasar_hukum.dicabut",
     "UU 36/2009 tentang Kesehatan telah dicabut dengan UU 17/2023 tentang Kesehatan; perbarui dasar hukum", False),
    ("dicabut_singkatan", UU_24, "    - UU No. 32 Thn 2004 tentang Pemerintahan Daerah\n", 25, 7, "dasar_hukum.dicabut",
     "UU 32/2004 tentang Pemerintahan Daerah telah dicabut dengan UU 23/2014", False),
    ("judul_tidak_cocok", UU_25, "    - UU No. 5 Tahun 2009 tentang Pelayanan Publik\n", 24, 7,
     "dasar_hukum.judul_tidak_cocok",
     "Nomor 5 Tahun 2009 tentang Pelayanan Publik: yang berjudul 'Pelayanan Publik' adalah UU 25/2009", False),
    ("tanpa_perubahan", UU_24, "    - Undang-Undang Nomor 23 Tahun 2006 tentang Administrasi Kependudukan\n", 25, 7,
     "dasar_hukum.tanpa_perubahan", "catatan: UU 23/2006 tentang Administrasi Kependudukan telah diubah dengan "
                                    "UU 24/2013; tulis juga \"sebagaimana telah diubah dengan Undang-Undang Nomor 24",
     True),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_register_finding_at_its_line(unit, case):
    _, old, new, line, column, rule, words, note = case
    plant(unit, KTP, old, new)
    found = issues_of(unit, rule)
    assert len(found) == 1, [i.format() for i in found]
    issue = found[0]
    assert (issue.path, issue.line, issue.column) == (KTP, line, column), issue.format()
    assert issue.severity is Severity.WARNING and issue.component == "Dasar Hukum"
    assert words in issue.message
    assert issue.message.startswith("catatan: ") is note


def test_amendment_cited_in_the_line_or_on_another_line_is_enough(unit):
    # the fixture cites UU 24/2013 on its own line: UU 23/2006 above it needs no note
    plant(unit, KTP, UU_25, "    - Undang-Undang Nomor 23 Tahun 2006 tentang Administrasi Kependudukan\n")
    assert issues_of(unit, "dasar_hukum.tanpa_perubahan") == []
    plant(unit, KTP, "    - Undang-Undang Nomor 23 Tahun 2006 tentang Administrasi Kependudukan\n",
          "    - Undang-Undang Nomor 11 Tahun 2008 tentang Informasi dan Transaksi Elektronik "
          "sebagaimana telah diubah dengan Undang-Undang Nomor 19 Tahun 2016\n")
    assert issues_of(unit, "dasar_hukum.tanpa_perubahan") == []


def test_valid_fixture_has_no_register_findings(unit):
    _, issues = load_unit(unit, today=TODAY)
    assert [i for i in issues if i.rule.startswith(("dasar_hukum.", "peraturan."))] == []


def test_a_single_file_is_checked_against_the_register(unit):
    plant(unit, KTP, UU_25, "    - Undang-Undang Nomor 44 Tahun 2009 tentang Rumah Sakit\n")
    found = [i for i in validate_file(unit / KTP, TODAY) if i.rule == "dasar_hukum.dicabut"]
    assert [(i.line, i.column) for i in found] == [(24, 7)]


def test_cli_prints_the_warning_line(unit):
    plant(unit, KTP, UU_25, "    - UU No. 36 Tahun 2009 tentang Kesehatan\n")
    outcome = CliRunner().invoke(main, ["validate", "."])
    assert ("layanan/ktp-el.yaml:24:7: peringatan: Dasar Hukum: UU 36/2009 tentang Kesehatan telah dicabut dengan "
            "UU 17/2023 tentang Kesehatan; perbarui dasar hukum") in outcome.output
    assert outcome.exit_code == 0  # warnings only


# --- a Pemda's own register -------------------------------------------------------------------

PERDA_LAMA = "    - Peraturan Daerah Kabupaten Contoh Nomor 3 Tahun 2015 tentang Retribusi Jasa Umum\n"


def test_pemda_register_beside_the_units_is_merged_in(unit):
    plant(unit, KTP, UU_25, PERDA_LAMA)
    assert issues_of(unit, "dasar_hukum.dicabut") == []  # the built-in register knows no Perda
    shutil.copy(DATA / "peraturan-pemda.yaml", unit.parent / "peraturan.yaml")
    found = issues_of(unit, "dasar_hukum.dicabut")
    assert [(i.path, i.line, i.column) for i in found] == [(KTP, 24, 7)]
    assert ("Perda Kabupaten Contoh 3/2015 tentang Retribusi Jasa Umum telah dicabut dengan Perda Kabupaten Contoh "
            "9/2023 tentang Pajak Daerah dan Retribusi Daerah") in found[0].message
    # the built-in entries still apply
    plant(unit, KTP, UU_24, "    - UU 36/2009 tentang Kesehatan\n")
    assert [i.line for i in issues_of(unit, "dasar_hukum.dicabut")] == [24, 25]


def test_pemda_register_in_the_unit_folder_wins_over_one_above(unit):
    plant(unit, KTP, UU_25, PERDA_LAMA)
    shutil.copy(DATA / "peraturan-pemda.yaml", unit.parent / "peraturan.yaml")
    (unit / "peraturan.yaml").write_text("peraturan: []\n", encoding="utf-8")
    assert dasar_hukum.find_pemda_register(unit) == (unit / "peraturan.yaml").resolve()
    assert issues_of(unit, "dasar_hukum.dicabut") == []


def test_pemda_register_is_looked_for_at_most_three_folders_up(tmp_path):
    deep = tmp_path / "a" / "b" / "c"
    deep.mkdir(parents=True)
    (tmp_path / "a" / "peraturan.yaml").write_text("peraturan: []\n", encoding="utf-8")
    assert dasar_hukum.find_pemda_register(deep) == (tmp_path / "a" / "peraturan.yaml").resolve()
    assert dasar_hukum.find_pemda_register(deep / "d") is None


def test_broken_pemda_register_is_reported_at_its_lines(unit):
    shutil.copy(DATA / "peraturan-rusak.yaml", unit.parent / "peraturan.yaml")
    plant(unit, KTP, UU_25, "    - UU 36/2009 tentang Kesehatan\n")
    _, issues = load_unit(unit, today=TODAY)
    problems = [i for i in issues if i.rule == "peraturan.tidak_valid"]
    assert problems and all(i.path.endswith("peraturan.yaml") and i.is_error for i in problems)
    entry_2 = [i for i in problems if "entri 2 (Perbup Contoh 12/2020)" in i.message]
    assert [(i.line, i.column) for i in entry_2] == [(10, 5)], [i.format() for i in problems]
    assert "tidak ada `sumber`" in entry_2[0].message
    assert all("hanya daftar bawaan sp-builder yang dipakai" in i.message for i in problems)
    # the built-in register is still used meanwhile
    assert [i.line for i in issues if i.rule == "dasar_hukum.dicabut"] == [24]


def test_unreadable_pemda_register_is_a_yaml_issue(unit):
    (unit.parent / "peraturan.yaml").write_text("peraturan:\n  - id: [UU 1/2020\n", encoding="utf-8")
    _, issues = load_unit(unit, today=TODAY)
    bad = [i for i in issues if i.path.endswith("peraturan.yaml")]
    assert bad and all(i.is_error and i.line > 0 for i in bad)


def test_units_sharing_a_register_report_its_problems_once(unit):
    shutil.copytree(unit, unit.parent / "unit-2")
    shutil.copy(DATA / "peraturan-rusak.yaml", unit.parent / "peraturan.yaml")
    issues = validate_paths([unit, unit.parent / "unit-2"], TODAY)
    problems = [i for i in issues if i.rule == "peraturan.tidak_valid"]
    assert len(problems) == len(set(problems)) > 0


def test_register_is_cached_per_path_and_modification_time(unit):
    target = unit.parent / "peraturan.yaml"
    shutil.copy(DATA / "peraturan-pemda.yaml", target)
    first = dasar_hukum.register_for(unit)
    assert dasar_hukum.register_for(unit) is first
    assert first.register.by_id("Perda Kabupaten Contoh 9/2023") is not None
    target.write_text(target.read_text(encoding="utf-8").replace("Pajak Daerah dan Retribusi Daerah", "Pajak Daerah"),
                      encoding="utf-8")
    stat = target.stat()
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    second = dasar_hukum.register_for(unit)
    assert second is not first
    assert second.register.by_id("Perda Kabupaten Contoh 9/2023").judul == "Pajak Daerah"


# --- the Keputusan's Mengingat: two titles for one regulation -----------------------------------

def _establish_kk(unit: Path) -> None:
    plant(unit, KK, "status: rancangan\n", "status: ditetapkan\npenetapan:\n  nomor: 400.12/016/DKPS/2025\n"
                                           "  tanggal: 2025-02-03\n")


def test_two_titles_for_one_regulation_warn_naming_both_lines(unit):
    _establish_kk(unit)
    plant(unit, KTP, UU_24, "    - Peraturan Daerah Kota Contoh Nomor 8 Tahun 2016 tentang Pembentukan Perangkat "
                            "Daerah\n")
    plant(unit, KK, "  dasar_hukum:\n", "  dasar_hukum:\n    - Perda Kota Contoh No. 8 Thn 2016 tentang Pembentukan "
                                        "dan Susunan Perangkat Daerah\n")
    found = issues_of(unit, "dasar_hukum.judul_berbeda")
    assert len(found) == 1, [i.format() for i in found]
    issue = found[0]
    assert issue.severity is Severity.WARNING
    assert (issue.path, issue.line, issue.column) == (KTP, 25, 7)  # the second of the two (files in order)
    assert issue.message == ('Mengingat Keputusan (SK): judul berbeda untuk peraturan yang sama: '
                             '"Pembentukan dan Susunan Perangkat Daerah" (layanan/kartu-keluarga.yaml:20) dan '
                             '"Pembentukan Perangkat Daerah" (layanan/ktp-el.yaml:25); dipakai '
                             '"Pembentukan dan Susunan Perangkat Daerah"')


def test_same_title_in_other_spellings_does_not_warn(unit):
    _establish_kk(unit)
    plant(unit, KK, "  dasar_hukum:\n", "  dasar_hukum:\n    - UU No. 25 Thn 2009 tentang PELAYANAN PUBLIK\n")
    assert issues_of(unit, "dasar_hukum.judul_berbeda") == []


def test_draft_services_are_not_in_the_keputusan(unit):
    plant(unit, KTP, UU_24, "    - Peraturan Daerah Kota Contoh Nomor 8 Tahun 2016 tentang Pembentukan Perangkat "
                            "Daerah\n")
    plant(unit, KK, "  dasar_hukum:\n", "  dasar_hukum:\n    - Perda Kota Contoh No. 8 Thn 2016 tentang Pembentukan "
                                        "dan Susunan Perangkat Daerah\n")
    assert issues_of(unit, "dasar_hukum.judul_berbeda") == []  # KK is still a rancangan


def test_a_line_far_longer_than_any_citation_is_not_compared_with_the_register(unit):
    import time

    plant(unit, KTP, UU_25, "    - UU 36/2009 tentang " + "ab" * 30_000 + "\n")
    started = time.monotonic()
    _, issues = load_unit(unit, today=TODAY)
    assert time.monotonic() - started < 2
    assert [i for i in issues if i.rule.startswith("dasar_hukum.") and i.rule != "dasar_hukum.tanpa_nomor"] == []
