"""The compliance calendar: what falls due when, from a unit's own dates (schemas/kalender.yaml).

From the check report: the yearly SP review (penetapan + 365 days), the FKP before that
re-establishment, the next SKM semester after the latest survey answers, the SKM follow-up, and the
Maklumat renewal — each with the score its indicator has now and, where the instrument's options tie
a level to a time ("1 bulan setelah laporan SKM", "1 tahun sekali"), the date by which that level is
still reachable. `to_ics` writes the deadlines as an iCalendar file (one all-day VEVENT per
deadline, a fixed DTSTAMP from the build's date and UIDs from unit path + kind + date, so the same
unit gives the same bytes); `merge_ics` joins the units' files for a whole build.
"""

from __future__ import annotations

import calendar as _month_lengths
import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any, Iterable

import icalendar

from sp_builder import fmt_id, tables
from sp_builder.instrument import Indicator, Instrument
from sp_builder.survey.skm import Period

LATE, SOON, PLANNED, DONE = "terlambat", "segera", "terjadwal", "selesai"
PRODID = "-//sp-builder//Kalender kepatuhan//ID"


@dataclass(frozen=True)
class Level:
    """A level of the related indicator and the last date it is reachable."""
    nilai: int
    tanggal: dt.date
    teks: str
    terlewat: bool = False  # the date has passed: the level comes back only once the task is done


@dataclass
class Deadline:
    jenis: str  # a key of kalender.yaml `tenggat`
    judul: str
    tanggal: dt.date
    status: str  # terlambat | segera | terjadwal | selesai
    keterangan: str
    sumber: str
    konvensi: bool
    layanan: list[str] = field(default_factory=list)
    indikator: str | None = None  # the related indicator's id in the report's instrument
    nilai: int | None = None  # its score now
    tingkat: list[Level] = field(default_factory=list)  # the next level and the top one, with dates

    @property
    def tingkat_berikutnya(self) -> Level | None:
        return self.tingkat[0] if self.tingkat else None


def rules() -> dict:
    return tables.load_data("kalender.yaml")


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, _month_lengths.monthrange(year, month)[1]))


_SPAN = re.compile(r"(\d+)\s*(bulan|tahun)\s+(?:setelah|sekali)", re.IGNORECASE)


def time_spans(indicator: Indicator) -> dict[int, tuple[int, str]]:
    """Level → (number, "bulan" | "tahun") where the option's text ties the level to a time."""
    spans = {}
    for option in indicator.opsi:
        found = _SPAN.search(option.teks)
        if found:
            spans[option.nilai] = (int(found[1]), found[2].lower())
    return spans


def _after(base: dt.date, span: tuple[int, str]) -> dt.date:
    number, unit = span
    if unit == "tahun":  # years as the SP review counts them
        return base + dt.timedelta(days=number * tables.review_after_days())
    return add_months(base, number)


def _related(rule: dict, instrument: Instrument) -> Indicator | None:
    wanted = rule.get("indikator") or {}
    for indicator in instrument.indicators.values():
        if wanted.get("dari_berkas") and indicator.dari_berkas == wanted["dari_berkas"]:
            return indicator
        if indicator.id in (wanted.get("id") or ()):
            return indicator
    return None


def _status(day: dt.date, today: dt.date) -> str:
    if day < today:
        return LATE
    return SOON if (day - today).days <= int(rules()["segera_hari"]) else PLANNED


class _Builder:
    def __init__(self, report: Any):
        self.report = report
        self.today: dt.date = report.today
        self.scores = {i.id: i.nilai for a in report.aspects for i in a.indikator}
        self.out: list[Deadline] = []

    def add(self, kind: str, day: dt.date, keterangan: str, layanan: Iterable[str] = (), base: dt.date | None = None,
            status: str | None = None) -> None:
        rule = rules()["tenggat"][kind]
        indicator = _related(rule, self.report.instrumen)
        deadline = Deadline(kind, rule["judul"], day, status or _status(day, self.today), keterangan,
                            str(rule["sumber"]), bool(rule.get("konvensi")), list(layanan))
        if indicator is not None:
            deadline.indikator = indicator.id
            deadline.nilai = self.scores.get(indicator.id, 0)
            deadline.tingkat = _levels(indicator, deadline.nilai, base if base is not None else day, self.today)
        self.out.append(deadline)

    def reviews(self) -> None:
        groups: dict[dt.date, list] = {}
        for service in self.report.model.services:
            if not service.is_draft and service.penetapan_tanggal:
                groups.setdefault(service.penetapan_tanggal, []).append(service)
        fkps = [f for f in self.report.model.fkps if f.tanggal]
        ahead = int(rules()["tenggat"]["fkp_penetapan_ulang"]["sebelum_hari"])
        for fixed, services in sorted(groups.items()):
            due = fixed + dt.timedelta(days=tables.review_after_days())
            slugs = [s.slug for s in services]
            self.add("peninjauan_sp", due, f"SP ditetapkan {fmt_id.tanggal(fixed)}; tinjau dan tetapkan ulang paling "
                                           f"lambat {fmt_id.tanggal(due)}", slugs, base=fixed)
            held = [f for f in fkps if f.tanggal > fixed and all(
                any(self.report.model.match_service(n) is s for n in f.layanan) for s in services)]
            if held:
                last = max(held, key=lambda f: f.tanggal)
                self.add("fkp_penetapan_ulang", due - dt.timedelta(days=ahead),
                         f"FKP sudah diselenggarakan {fmt_id.tanggal(last.tanggal)} sesudah penetapan", slugs,
                         status=DONE)
            else:
                self.add("fkp_penetapan_ulang", due - dt.timedelta(days=ahead),
                         f"bahas rancangan SP hasil peninjauan dengan masyarakat, {ahead} hari sebelum penetapan ulang "
                         f"({fmt_id.tanggal(due)})", slugs)

    def survey(self) -> None:
        survey = self.report.survey
        latest = survey.rentang[1] if survey is not None and survey.rentang else None
        current = Period.semester(self.today)
        if latest is None:
            due = current
            said = "belum ada data SKM di skm/" if survey is None else "jawaban SKM di skm/ tanpa tanggal"
        else:
            after = Period.semester(add_months(_period_end(Period.semester(latest)), 1))
            due = max(after, current)
            said = f"jawaban SKM terakhir {fmt_id.tanggal(latest)}"
            if due != after:
                said += f"; {after.label} terlewat"
        end = _period_end(due)
        start = dt.date(due.year, due.months[0], 1)
        self.add("skm_semester", end, f"SKM {due.label} ({fmt_id.tanggal(start)} – {fmt_id.tanggal(end)}); {said}")
        if latest is not None:
            indicator = _related(rules()["tenggat"]["skm_tindak_lanjut"], self.report.instrumen)
            spans = time_spans(indicator) if indicator else {}
            if spans:
                top = max(spans)
                due = _after(latest, spans[top])
                self.add("skm_tindak_lanjut", due, f"tindak lanjuti seluruh rekomendasi SKM ({fmt_id.tanggal(latest)}) "
                                                   f"paling lambat {fmt_id.tanggal(due)} untuk nilai {top}",
                         base=latest)

    def maklumat(self) -> None:
        unit = self.report.model
        signed = unit.maklumat_tanggal
        where = "maklumat_tanggal di unit.yaml"
        if signed is None:
            fixed = [s.penetapan_tanggal for s in unit.services if not s.is_draft and s.penetapan_tanggal]
            if not fixed:
                return
            signed, where = max(fixed), "ditandatangani bersama penetapan SP terakhir"
        years = int(rules()["tenggat"]["maklumat"]["setelah_tahun"])
        due = _add_years(signed, years)
        self.add("maklumat", due, f"Maklumat {fmt_id.tanggal(signed)} ({where}); perbarui paling lambat "
                                  f"{fmt_id.tanggal(due)}")


def _add_years(day: dt.date, years: int) -> dt.date:
    return add_months(day, 12 * years)


def _period_end(period: Period) -> dt.date:
    month = period.months[-1]
    return dt.date(period.year, month, _month_lengths.monthrange(period.year, month)[1])


def _levels(indicator: Indicator, now: int, base: dt.date, today: dt.date) -> list[Level]:
    """The next level above `now` whose option names a time, and the top such level, with the
    last date each is reachable (base + the option's time)."""
    spans = time_spans(indicator)
    above = sorted(level for level in spans if level > now)
    chosen = above[:1] + ([above[-1]] if len(above) > 1 else [])
    dated = [(level, _after(base, spans[level])) for level in chosen]
    return [Level(level, day, indicator.option_for_score(level).teks, day < today) for level, day in dated]


def deadlines(report: Any) -> list[Deadline]:
    """Every deadline of one unit's check report, by date."""
    if report.model is None:
        return []
    builder = _Builder(report)
    builder.reviews()
    builder.survey()
    builder.maklumat()
    order = list(rules()["tenggat"])
    return sorted(builder.out, key=lambda d: (d.tanggal, order.index(d.jenis), d.layanan))


# ---------------------------------------------------------------------------------------------
# Views


def level_words(deadline: Deadline) -> str:
    """ "nilai sekarang 3 (4.a.K); tingkat 5 paling lambat 15 Januari 2027" """
    if deadline.indikator is None:
        return ""
    words = f"nilai sekarang {deadline.nilai} ({deadline.indikator})"
    for level in deadline.tingkat:
        words += f"; tingkat {level.nilai} paling lambat {fmt_id.tanggal(level.tanggal)}"
        words += " (terlewat)" if level.terlewat else ""
    return words


def as_data(items: list[Deadline]) -> list[dict]:
    return [{"jenis": d.jenis, "judul": d.judul, "tanggal": d.tanggal.isoformat(), "status": d.status,
             "layanan": d.layanan, "keterangan": d.keterangan, "sumber": d.sumber, "konvensi": d.konvensi,
             "indikator": d.indikator, "nilai": d.nilai,
             "tingkat": [{"nilai": t.nilai, "tanggal": t.tanggal.isoformat(), "teks": t.teks, "terlewat": t.terlewat}
                         for t in d.tingkat]}
            for d in items]


def text_lines(items: list[Deadline]) -> list[str]:
    marks = {LATE: "!", SOON: "»", PLANNED: "·", DONE: "✓"}
    out = ["KALENDER KEPATUHAN (! terlambat, » segera, · terjadwal, ✓ selesai)"]
    if not items:
        return out + ["  belum ada tanggal di berkas unit (penetapan SP, SKM, maklumat_tanggal)"]
    for d in items:
        what = f"{d.judul}" + (f": {', '.join(d.layanan)}" if d.layanan else "")
        out.append(f"  {marks[d.status]} {fmt_id.tanggal(d.tanggal)} — {what}")
        out.append(f"      {d.keterangan}")
        if d.indikator:
            out.append(f"      {level_words(d)}")
        out.append(f"      dasar: {'konvensi — ' if d.konvensi and 'konvensi' not in d.sumber else ''}{d.sumber}")
    return out


def description(d: Deadline) -> str:
    parts = [d.keterangan]
    if d.layanan:
        parts.append(f"Layanan: {', '.join(d.layanan)}")
    if d.indikator:
        parts.append(level_words(d)[0].upper() + level_words(d)[1:])
    parts.append(f"Dasar: {d.sumber}" + (" (konvensi)" if d.konvensi and "konvensi" not in d.sumber else ""))
    return "\n".join(parts)


def _uid(unit_key: str, d: Deadline) -> str:
    digest = hashlib.sha256(f"{unit_key}\n{d.jenis}\n{d.tanggal.isoformat()}".encode("utf-8")).hexdigest()[:20]
    return f"{d.jenis}-{d.tanggal:%Y%m%d}-{digest}@sp-builder"


def _calendar(name: str) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    return cal


def _stamp(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)


def to_ics(items: list[Deadline], *, unit: str, unit_key: str, stamp: dt.date) -> bytes:
    """One all-day VEVENT per deadline; the same input gives the same bytes."""
    cal = _calendar(f"Kalender kepatuhan — {unit}")
    for d in items:
        event = icalendar.Event()
        event.add("uid", _uid(unit_key, d))
        event.add("dtstamp", _stamp(stamp))
        event.add("dtstart", d.tanggal)
        event.add("dtend", d.tanggal + dt.timedelta(days=1))
        event.add("summary", f"[{unit}] {d.judul}" + (f": {', '.join(d.layanan)}" if d.layanan else ""))
        event.add("description", description(d))
        event.add("categories", [d.jenis])
        event.add("status", "CONFIRMED")
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical()


def merge_ics(files: Iterable[bytes], *, name: str) -> bytes:
    """The events of every unit's kalender.ics in one calendar, in the order given."""
    cal = _calendar(name)
    for data in files:
        for event in icalendar.Calendar.from_ical(data).walk("VEVENT"):
            cal.add_component(event)
    return cal.to_ical()
