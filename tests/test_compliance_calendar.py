"""The compliance calendar: its dates for a unit with known penetapan, SKM, FKP and Maklumat dates,
the indicator scores and level dates beside them, the views, and the iCalendar files (one VEVENT
per deadline, the same bytes twice, per unit and for a whole build)."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from pathlib import Path

import icalendar
from docx import Document

from sp_builder.assessment import compliance_calendar as cal
from sp_builder.assessment.check import build_report
from sp_builder.assessment.views import as_html, as_json, as_text, render
from sp_builder.build import build

DATA = Path(__file__).parent / "data"
TODAY = dt.date(2025, 6, 1)
ROW = "4,4,4,4,4,4,4,4,4"


def _dated(unit: Path) -> Path:
    """unit-valid (ktp-el established 3 Feb 2025, FKP 10 Jan 2025) with SKM answers of March and
    April 2025 and a Maklumat signed 10 Feb 2025."""
    (unit / "skm").mkdir()
    (unit / "skm" / "2025-s1.csv").write_text(
        f"tanggal,U1,U2,U3,U4,U5,U6,U7,U8,U9\n2025-03-10,{ROW}\n2025-04-20,{ROW}\n", encoding="utf-8")
    with (unit / "unit.yaml").open("a", encoding="utf-8") as f:
        f.write("maklumat_tanggal: 2025-02-10\n")
    return unit


def _by_kind(items):
    return {d.jenis: d for d in items}


def test_dates_for_known_penetapan_skm_fkp_and_maklumat(unit):
    items = build_report(_dated(unit), today=TODAY).kalender
    got = {d.jenis: (d.tanggal, d.status) for d in items}
    assert got == {
        "peninjauan_sp": (dt.date(2026, 2, 3), cal.PLANNED),  # 3 Feb 2025 + 365 days
        "fkp_penetapan_ulang": (dt.date(2026, 1, 4), cal.PLANNED),  # 30 days before the re-establishment
        "skm_semester": (dt.date(2025, 12, 31), cal.PLANNED),  # last answers in Semester I → Semester II 2025
        "skm_tindak_lanjut": (dt.date(2025, 5, 20), cal.LATE),  # 20 Apr + 1 month, for the top level
        "maklumat": (dt.date(2026, 2, 10), cal.PLANNED),  # maklumat_tanggal + 1 year (a convention)
    }
    assert [d.tanggal for d in items] == sorted(d.tanggal for d in items)
    kinds = _by_kind(items)
    assert kinds["peninjauan_sp"].layanan == ["ktp-el"] and kinds["peninjauan_sp"].indikator == "4.a.K"
    # reviewed within a year, but kartu-keluarga is a draft (not every service): 4; 5 needs every one by then
    review = kinds["peninjauan_sp"]
    assert review.nilai == 4 and [(t.nilai, t.tanggal) for t in review.tingkat] == [(5, dt.date(2026, 2, 3))]
    follow = kinds["skm_tindak_lanjut"]
    assert (follow.indikator, follow.nilai) == ("9.a.Ak", 0)
    assert [(t.nilai, t.tanggal) for t in follow.tingkat] == [(1, dt.date(2026, 4, 20)), (5, dt.date(2025, 5, 20))]
    assert kinds["maklumat"].konvensi and "konvensi" in kinds["maklumat"].sumber
    assert not kinds["peninjauan_sp"].konvensi and "PermenPANRB 15/2014" in kinds["peninjauan_sp"].sumber


def test_overdue_review_names_the_next_level_and_a_later_fkp_counts(unit):
    _dated(unit)
    later = dt.date(2026, 3, 1)
    kinds = _by_kind(build_report(unit, today=later).kalender)
    review = kinds["peninjauan_sp"]
    assert review.status == cal.LATE and review.nilai == 2  # within two years, not every service
    assert [(t.nilai, t.tanggal) for t in review.tingkat] == [(3, dt.date(2027, 2, 3)), (5, dt.date(2026, 2, 3))]
    assert kinds["skm_semester"].tanggal == dt.date(2026, 6, 30)  # Semester II 2025 passed: the current one
    fkp = (unit / "fkp" / "fkp-2025.yaml").read_text(encoding="utf-8")
    (unit / "fkp" / "fkp-2025-revisi.yaml").write_text(fkp.replace("tanggal: 2025-01-10", "tanggal: 2025-12-01"),
                                                        encoding="utf-8")
    fkp_row = _by_kind(build_report(unit, today=later).kalender)["fkp_penetapan_ulang"]
    assert fkp_row.status == cal.DONE and "1 Desember 2025" in fkp_row.keterangan


def test_months_end_on_the_last_day():
    assert cal.add_months(dt.date(2025, 1, 31), 1) == dt.date(2025, 2, 28)
    assert cal.add_months(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)


def test_views_show_the_section(unit):
    report = build_report(_dated(unit), today=TODAY)
    text = as_text(report)
    assert "KALENDER KEPATUHAN" in text
    assert "3 Februari 2026 — Peninjauan ulang Standar Pelayanan: ktp-el" in text
    assert ("nilai sekarang 0 (9.a.Ak); tingkat 1 paling lambat 20 April 2026; tingkat 5 paling lambat 20 Mei 2025 "
            "(terlewat)") in text
    assert 'id="kalender"' in as_html(report) and "Kalender kepatuhan" in as_html(report)
    data = json.loads(as_json(report))["kalender"]
    assert [d["jenis"] for d in data][0] == "skm_tindak_lanjut" and data[0]["tanggal"] == "2025-05-20"


def test_the_word_report_has_the_calendar_table(unit):
    report = build_report(_dated(unit), today=TODAY)
    doc = Document(io.BytesIO(render(report, "docx")))
    headings = [p.text for p in doc.paragraphs if p.text[:3] in {"D. ", "E. ", "F. "}]
    assert headings[:2] == ["D. Kesenjangan dan Tindakan", "E. Kalender Kepatuhan"]
    table = doc.tables[-1]  # the contradictions that may follow are paragraphs
    assert [c.text for c in table.rows[0].cells] == ["Tanggal", "Tenggat", "Status", "Keterangan", "Indikator"]
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert len(rows) == len(report.kalender) == 5
    assert rows[0][0] == "20 Mei 2025" and rows[0][2] == report.kalender[0].status
    review = next(r for r in rows if r[1].startswith("Peninjauan ulang Standar Pelayanan"))
    assert review[0] == "3 Februari 2026" and review[1].endswith("(ktp-el)")


def test_ics_one_event_per_deadline_and_deterministic(unit):
    report = build_report(_dated(unit), today=TODAY)
    blob = cal.to_ics(report.kalender, unit=report.unit, unit_key="dukcapil", stamp=TODAY)
    assert blob == cal.to_ics(report.kalender, unit=report.unit, unit_key="dukcapil", stamp=TODAY)
    events = icalendar.Calendar.from_ical(blob).walk("VEVENT")
    assert len(events) == len(report.kalender) == 5
    assert len({str(e["uid"]) for e in events}) == 5
    first = events[0]
    assert first.decoded("dtstart") == dt.date(2025, 5, 20) and first.decoded("dtend") == dt.date(2025, 5, 21)
    assert first.decoded("dtstamp") == dt.datetime(2025, 6, 1, tzinfo=dt.timezone.utc)
    assert str(first["summary"]) == "[Dinas Kependudukan dan Pencatatan Sipil] Tindak lanjut hasil SKM"
    other = cal.to_ics(report.kalender, unit=report.unit, unit_key="lain", stamp=TODAY)
    assert {str(e["uid"]) for e in icalendar.Calendar.from_ical(other).walk("VEVENT")}.isdisjoint(
        str(e["uid"]) for e in events)


def test_build_writes_one_per_unit_and_one_for_the_whole_build(unit, tmp_path):
    root = tmp_path / "pemda"
    shutil.copytree(_dated(unit), root / "dukcapil")
    shutil.copytree(DATA / "unit-valid", root / "opd" / "kedua")
    out = tmp_path / "out"
    build(root, out, workers=1, today=TODAY)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    recorded = [o["path"] for u in manifest["units"] for o in u["outputs"] if o["kind"] == "kalender"]
    assert recorded == ["dukcapil/check/kalender.ics", "opd/kedua/check/kalender.ics"]
    per_unit = [icalendar.Calendar.from_ical((out / p).read_bytes()).walk("VEVENT") for p in recorded]
    whole = icalendar.Calendar.from_ical((out / "kalender.ics").read_bytes()).walk("VEVENT")
    assert [str(e["uid"]) for e in whole] == [str(e["uid"]) for events in per_unit for e in events]
    assert len(per_unit[0]) == 5


def test_check_writes_the_calendar_file(unit, tmp_path):
    from click.testing import CliRunner

    from sp_builder import cli

    target = tmp_path / "kalender.ics"
    result = CliRunner().invoke(cli.main, ["check", str(_dated(unit)), "--kalender", str(target)])
    assert f"ditulis: {target}" in result.output
    events = icalendar.Calendar.from_ical(target.read_bytes()).walk("VEVENT")
    assert {str(e["categories"].cats[0]) for e in events} == {
        "peninjauan_sp", "fkp_penetapan_ulang", "skm_semester", "skm_tindak_lanjut", "maklumat"}
    refused = CliRunner().invoke(cli.main, ["check", str(unit), "--kalender", str(unit / "unit.yaml")])
    assert refused.exit_code == 2 and "tidak menimpa" in refused.output
