"""F-03 answers (the service users' PEKPPP form) and the IPP estimate: known answers computed by
hand, headers by code, key or question words, answers 0–5 with every problem at its cell, the
category edges of the blend, and the views that show it saying where the blend comes from."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from sp_builder import cli
from sp_builder.assessment import f03
from sp_builder.assessment.check import build_report
from sp_builder.assessment.views import as_html, as_text
from sp_builder.instrument import load_instrument

CODES = ["1.a.K1", "2.a.K1", "3.a.K1", "4.a.K1", "5.b.Ak", "6.b.Ak", "7.b.Ak", "8.c.As", "9.c.K", "10.c.As",
         "11.c.As", "12.d.T", "14.d.T", "15.e.K"]


def _csv(path: Path, header: list[str], rows: list[list]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(",".join(map(str, r)) for r in [header, *rows]) + "\n", encoding="utf-8")
    return path


def test_known_answers_by_hand(unit):
    # aspect 1: items 1-4 mean (5+3)/2 = 4 each; aspect 2: 4; aspect 3: 4; aspect 4: 4; aspect 5: (2+3)/2 = 2,5
    rows = [[5, 5, 5, 5] + [4] * 9 + [2], [3, 3, 3, 3] + [4] * 9 + [3]]
    _csv(unit / "f03" / "jawaban.csv", CODES, rows)
    report = build_report(unit)
    assert report.f03.responden == 2
    assert report.f03.indeks == (4 + 4 + 4 + 4 + Decimal("2.5")) / 5 == Decimal("3.7")
    ipp = report.ipp
    assert ipp.dipadukan and ipp.nilai == Decimal("0.75") * report.indeks + Decimal("0.25") * Decimal("3.7")
    assert "pihak ketiga" in ipp.catatan


def test_without_answers_the_ipp_is_f02_alone_and_labelled(unit):
    report = build_report(unit)
    assert report.f03 is None and report.ipp.nilai == report.indeks and not report.ipp.dipadukan
    assert "F-02 saja" in as_text(report) and "pihak ketiga" in as_text(report)


def _estimate(f02: str, f03_index: str):
    inst = load_instrument()
    result = f03.F03Result(load_instrument("f03-2023", formulir="F-03"), [], 10, [], [], Decimal(f03_index))
    return f03.estimate_ipp(Decimal(f02), result, inst)


def test_category_edges_stay_exact():
    # 0,75 × 4,34 + 0,25 × 5 = 4,505 → 4,51 (half up) → A; in binary floats this is 4,50499…
    assert _estimate("4.34", "5").nilai == Decimal("4.505") and _estimate("4.34", "5").kategori.kode == "A"
    assert _estimate("4", "4.04").nilai == Decimal("4.01") and _estimate("4", "4.04").kategori.kode == "A-"
    assert _estimate("4", "4").kategori.kode == "B"
    assert _estimate("1", "1").kategori.kode == "F" and _estimate("1", "1.04").kategori.kode == "E"


def test_headers_by_key_and_question_words_in_xlsx(tmp_path):
    form = load_instrument("f03-2023", formulir="F-03")
    header = ["Stempel waktu", "persyaratan", "2. Prosedur yang dilalui untuk memperoleh layanan mudah.",
              "Tarif yang diinformasikan sesuai dengan yang dibayarkan"] + CODES[3:]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["REKAP F-03 2026"])
    sheet.append(header)
    sheet.append(["2026-01-05", 5, 4, 3] + [5] * 11)
    book.save(tmp_path / "f03.xlsx")
    result, issues = f03.analyse([tmp_path / "f03.xlsx"])
    assert result is not None and [i.rule for i in issues if i.is_error] == []
    assert [i.nilai for i in result.butir[:3]] == [5, 4, 3]
    assert f03.match_header("Sarana toilet", form) == [] and [i.id for i in f03.match_header("Toilet", form)] == ["10.c.As"]


def test_problems_at_their_cell_in_indonesian(tmp_path):
    path = _csv(tmp_path / "f03.csv", CODES[:13], [[5] * 13, ["x", 7, "\"2,5\""] + [4] * 10])
    result, issues = f03.analyse([path])
    shown = [i.format() for i in issues]
    assert any(s.endswith('f03.csv:3:1: galat: butir 1.a.K1: jawaban "x" bukan angka; tulis angka 0 sampai 5, '
                          "atau kosongkan bila responden tidak menjawab") for s in shown), shown
    assert any(":3:2: galat: butir 2.a.K1: jawaban 7 di luar rentang 0–5" in s for s in shown)
    assert any(":3:3: galat: butir 3.a.K1: jawaban 2,5 bukan bilangan bulat" in s for s in shown)
    assert any("tidak ada kolom untuk 1 butir F-03: 15.e.K" in s for s in shown)
    assert any("paling sedikit 10" in s for s in shown)


def test_check_option_and_views(unit, tmp_path):
    answers = _csv(tmp_path / "lain.csv", CODES, [[4] * 14] * 10)
    result = CliRunner().invoke(cli.main, ["check", str(unit), "--format", "json", "--f03", str(answers)])
    data = json.loads(result.output)
    assert data["ipp"]["dipadukan"] and data["ipp"]["f03"]["indeks"] == 4.0 and data["ipp"]["f03"]["responden"] == 10
    assert abs(data["ipp"]["nilai"] - (0.75 * data["indeks"] + 1.0)) < 0.006
    assert "pihak ketiga" in data["ipp"]["catatan"]
    report = build_report(unit, f03=answers)
    html = as_html(report)
    assert 'id="ipp"' in html and "pihak ketiga" in html


def test_a_header_without_answers_is_said(tmp_path):
    path = _csv(tmp_path / "templat.csv", CODES, [])
    result, issues = f03.analyse([path])
    assert result is None and [i.rule for i in issues] == ["f03.tanpa_responden"]
