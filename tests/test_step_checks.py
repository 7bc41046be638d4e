"""Consistency of the procedure steps (the SOP's mutu baku) with the SP: warnings at their position."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sp_builder.errors import Severity
from sp_builder.unit.validate import load_unit

TODAY = dt.date(2025, 6, 1)
KK = "layanan/kartu-keluarga.yaml"
OLD = "  prosedur:\n    - Pemohon menyerahkan berkas\n    - Petugas mencetak Kartu Keluarga\n"


def _plant(root: Path, prosedur: str, *, jangka: str | None = None) -> list:
    path = root / KK
    text = path.read_text(encoding="utf-8")
    assert OLD in text
    text = text.replace(OLD, prosedur, 1)
    if jangka is not None:
        text = text.replace("jangka_waktu: 60 menit", f"jangka_waktu: {jangka}", 1)
    path.write_text(text, encoding="utf-8")
    _unit, issues = load_unit(root, today=TODAY)
    return [i for i in issues if i.rule.startswith("prosedur.") and i.path == KK]


def _lines(root: Path) -> list[str]:
    return (root / KK).read_text(encoding="utf-8").splitlines()


def test_steps_times_add_up_to_more_than_jangka_waktu(unit):
    issues = _plant(unit, "  prosedur:\n"
                          "    - {uraian: Pemohon menyerahkan berkas, waktu: 15 menit}\n"
                          "    - Petugas memverifikasi berkas\n"
                          "    - {uraian: Petugas mencetak Kartu Keluarga, waktu: 1 jam}\n")
    (issue,) = issues
    assert (issue.line, issue.column, issue.severity, issue.rule) == (6, 3, Severity.WARNING, "prosedur.waktu_melebihi")
    assert _lines(unit)[5] == "  prosedur:"
    jangka_line = next(n for n, line in enumerate(_lines(unit), start=1) if "jangka_waktu:" in line)
    assert "langkah 1 dan 3" in issue.message and "75 menit" in issue.message
    assert f'"60 menit" (baris {jangka_line})' in issue.message
    assert issue.component == "Sistem, Mekanisme, dan Prosedur"


def test_steps_within_jangka_waktu_and_in_working_days(unit):
    assert _plant(unit, "  prosedur:\n"
                        "    - {uraian: Pemohon menyerahkan berkas, waktu: 15 menit}\n"
                        "    - {uraian: Petugas mencetak Kartu Keluarga, waktu: 45 menit}\n") == []


def test_steps_in_days_against_a_range(unit):
    (issue,) = _plant(unit, "  prosedur:\n"
                            "    - {uraian: Pemohon menyerahkan berkas, waktu: 1 hari kerja}\n"
                            "    - {uraian: Petugas mencetak Kartu Keluarga, waktu: 1 sampai 2 hari kerja}\n",
                      jangka="1 sampai 2 hari kerja")
    assert issue.rule == "prosedur.waktu_melebihi" and "3 hari kerja" in issue.message


def test_kelengkapan_not_among_persyaratan(unit):
    issues = _plant(unit, "  prosedur:\n"
                          "    - uraian: Pemohon menyerahkan berkas\n"
                          "      kelengkapan: [surat pengantar RT/RW, Akta kelahiran]\n"
                          "    - {uraian: Petugas mencetak Kartu Keluarga, kelengkapan: Surat pengantar}\n")
    (issue,) = issues  # "surat pengantar RT/RW" and "Surat pengantar" are in the persyaratan
    assert (issue.line, issue.column, issue.rule) == (8, 44, "prosedur.kelengkapan_bukan_persyaratan")
    assert _lines(unit)[7][43:].startswith("Akta kelahiran")
    assert '"Akta kelahiran" pada langkah 1' in issue.message


def test_step_without_pelaksana_when_others_have_one(unit):
    issues = _plant(unit, "  prosedur:\n"
                          "    - {uraian: Menyerahkan berkas, pelaksana: Pemohon}\n"
                          "    - Petugas memverifikasi berkas\n"
                          "    - - rincian tanpa pelaksana\n"
                          "    - {uraian: Mencetak Kartu Keluarga, pelaksana: Petugas}\n")
    (issue,) = issues  # the sub-step list is not a step
    assert (issue.line, issue.column, issue.rule) == (8, 7, "prosedur.tanpa_pelaksana")
    assert "langkah 2 tidak menyebut pelaksana, padahal langkah 1 dan 3" in issue.message


def test_plain_steps_give_no_step_warnings(unit):
    _unit, issues = load_unit(unit, today=TODAY)
    assert [i for i in issues if i.rule.startswith("prosedur.")] == []


def test_an_fkp_agreement_on_the_procedure_the_steps_do_not_reflect(unit):
    """The forum agreed a step the procedure does not have yet: the agreement is flagged at its line
    in the FKP file, naming the service file and line (the cross-file rule for every component)."""
    fkp = unit / "fkp" / "fkp-2025.yaml"
    text = fkp.read_text(encoding="utf-8")
    row = "  - {layanan: ktp-el, komponen: jangka_waktu, semula: 3 hari kerja, menjadi: 1 hari kerja}\n"
    assert row in text
    agreed = ("  - {layanan: kartu-keluarga, komponen: prosedur, semula: tanpa pemberitahuan, "
              "menjadi: Petugas mengirim pemberitahuan melalui WhatsApp}\n")
    fkp.write_text(text.replace(row, row + agreed), encoding="utf-8")
    _unit, issues = load_unit(unit, today=TODAY)
    (issue,) = [i for i in issues if i.rule == "fkp.kesepakatan_belum_diterapkan"]
    assert issue.path == "fkp/fkp-2025.yaml" and issue.line == 14
    assert issue.component == "Sistem, Mekanisme, dan Prosedur" and f"{KK}:" in issue.message
    _plant(unit, OLD.replace("    - Petugas mencetak Kartu Keluarga\n",
                             "    - Petugas mencetak Kartu Keluarga\n"
                             "    - Petugas mengirim pemberitahuan melalui WhatsApp\n"))
    _unit, issues = load_unit(unit, today=TODAY)
    assert not [i for i in issues if i.rule == "fkp.kesepakatan_belum_diterapkan"]
