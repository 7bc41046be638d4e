"""Indeks Kepuasan Masyarakat per PermenPANRB 14/2017, computed exactly.

A rounded weight (0,111 or 0,11 instead of 1/9) can move a unit across a mutu edge, so the index
is a Fraction from integer answer counts and is rounded once, half up, to the two decimals that
are printed and classified. The result is one object; text, JSON and DOCX are views of it
(`skm_report`). `analyse` and `analyse_folder` are the entry points for the CLI, `check` and
`build`: they return the result and every issue, and no result when any issue is an error.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import os
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from itertools import chain
from pathlib import Path
from typing import Callable, Iterable, Sequence

from sp_builder import clock, fmt_id, tables
from sp_builder.errors import ExitCode, Issue, Severity, UserError, sorted_issues
from sp_builder.files import display_path
from sp_builder.survey.responses import (PROFILE_FIELDS, REPEATS_SHOWN, Respondent, SUFFIXES, SurveyFile, Unsur,
                                         age_groups, read_survey, unsur_table)
from sp_builder.unit import readers
from sp_builder.unit.load import read_yaml
from sp_builder.unit.model import Service, match_service

# ---------------------------------------------------------------------------------------------
# Mutu bands and sample size


@dataclass(frozen=True)
class Mutu:
    mutu: str  # A | B | C | D
    kinerja: str  # Sangat baik | Baik | Kurang baik | Tidak baik
    dari: Decimal  # converted value 25–100, inclusive bounds
    sampai: Decimal
    ikm: str  # the index range 1–4 as printed in the regulation's table


@functools.cache
def mutu_bands() -> tuple[Mutu, ...]:
    """Best first, as the data file lists them."""
    rows = tables.load_data("skm.yaml")["mutu"]
    return tuple(Mutu(r["mutu"], r["kinerja"], Decimal(r["dari"]), Decimal(r["sampai"]), r["ikm"]) for r in rows)


def classify(nilai: Decimal) -> Mutu:
    """The band of a converted value already rounded to two decimals (76,605 must arrive as 76,61)."""
    for band in mutu_bands():
        if nilai >= band.dari:
            return band
    return mutu_bands()[-1]


def converted(index: Fraction) -> Decimal:
    """Index 1–4 → the printed value 25–100: ×25, rounded half up to two decimals."""
    return fmt_id.bulat(index * 25, 2)


def sample_size(populasi: int) -> int:
    """Krejcie & Morgan's minimum sample, rounded to the nearest whole number as their table is."""
    spec = tables.load_data("skm.yaml")["sampel"]
    chi2, p, d = (Fraction(spec[k]) for k in ("chi_kuadrat", "proporsi", "galat"))
    exact = chi2 * populasi * p * (1 - p) / (d * d * (populasi - 1) + chi2 * p * (1 - p))
    return int(fmt_id.bulat(exact, 0))


# ---------------------------------------------------------------------------------------------
# Scores


@dataclass(frozen=True)
class UnsurScore:
    unsur: Unsur
    counts: tuple[int, int, int, int]  # how many answered 1, 2, 3, 4

    @property
    def responden(self) -> int:
        return sum(self.counts)

    @property
    def nrr(self) -> Fraction:
        """Nilai rata-rata: the sum of answers over those who answered (blanks excluded)."""
        return Fraction(sum(score * n for score, n in enumerate(self.counts, start=1)), self.responden)

    @property
    def nilai(self) -> Decimal:
        return converted(self.nrr)

    @property
    def mutu(self) -> Mutu:
        return classify(self.nilai)


@dataclass(frozen=True)
class WeightNote:
    """What a circulating rounded weight would print instead, when that differs from the exact one."""

    bobot: Decimal  # 0.111 or 0.11 for nine unsur
    nilai: Decimal
    mutu: Mutu


@dataclass(frozen=True)
class Ikm:
    responden: int
    unsur: tuple[UnsurScore, ...]  # the unsur answered at least once, in canonical order
    ikm: Fraction  # 1–4
    catatan: tuple[WeightNote, ...]

    @property
    def nilai(self) -> Decimal:
        return converted(self.ikm)

    @property
    def mutu(self) -> Mutu:
        return classify(self.nilai)

    @property
    def bobot(self) -> Fraction:
        return Fraction(1, len(self.unsur))

    def terendah(self, n: int = 3) -> list[UnsurScore]:
        """The n lowest unsur by exact NRR; ties keep the canonical order."""
        return sorted(self.unsur, key=lambda s: s.nrr)[:n]


def score(answers: Sequence[tuple[int, ...]]) -> Ikm:
    """The index of a group of respondents, each a tuple of one answer per unsur in canonical
    order (0 = not asked; `Respondent.answers`) with at least one answer.

    All answers are packed into one bytes object and counted per unsur and score in C, then turned
    into one Fraction per unsur — instead of adding a Fraction per answer, which is slower by
    more than an order of magnitude (bench/skm.py).
    """
    table = unsur_table()
    packed = bytes(chain.from_iterable(answers))
    used = []
    for position, unsur in enumerate(table):
        column = packed[position::len(table)]
        counts = (column.count(1), column.count(2), column.count(3), column.count(4))
        if any(counts):
            used.append(UnsurScore(unsur, counts))
    total = sum((s.nrr for s in used), Fraction(0))
    index = total / len(used)
    return Ikm(len(answers), tuple(used), index, _weight_notes(total, len(used), converted(index)))


def _weight_notes(total_nrr: Fraction, n: int, exact: Decimal) -> tuple[WeightNote, ...]:
    notes = []
    for places in (3, 2):
        weight = fmt_id.bulat(Fraction(1, n), places)
        if Fraction(weight) == Fraction(1, n):
            continue
        nilai = converted(total_nrr * Fraction(weight))
        if nilai != exact:
            notes.append(WeightNote(weight, nilai, classify(nilai)))
    return tuple(notes)


# ---------------------------------------------------------------------------------------------
# Periods


@dataclass(frozen=True, order=True)
class Period:
    """A year ("2025"), semester ("2025-S1") or triwulan ("2025-T1")."""

    year: int
    kind: str  # "" | "S" | "T"
    number: int = 0

    @classmethod
    def parse(cls, text: str) -> "Period":
        text = text.strip().upper()
        year, _, part = text.partition("-")
        limits = {"S": 2, "T": 4}
        if not (year.isdigit() and len(year) == 4) or part and not (
                part[:1] in limits and part[1:].isdigit() and 1 <= int(part[1:]) <= limits[part[0]]):
            raise UserError(f'periode "{text}" tidak dikenal; tulis tahun (2025), semester (2025-S1, 2025-S2) '
                            "atau triwulan (2025-T1 … 2025-T4)", ExitCode.USAGE)
        return cls(int(year), part[:1], int(part[1:] or 0))

    @classmethod
    def semester(cls, day: dt.date) -> "Period":
        return cls(day.year, "S", 1 if day.month <= 6 else 2)

    @classmethod
    def triwulan(cls, day: dt.date) -> "Period":
        return cls(day.year, "T", (day.month - 1) // 3 + 1)

    @property
    def months(self) -> range:
        size = {"": 12, "S": 6, "T": 3}[self.kind]
        first = (max(self.number, 1) - 1) * size + 1
        return range(first, first + size)

    def __contains__(self, day: dt.date) -> bool:
        return day.year == self.year and day.month in self.months

    @property
    def key(self) -> str:
        return f"{self.year}-{self.kind}{self.number}" if self.kind else str(self.year)

    @property
    def name(self) -> str:
        """"Semester I", "Triwulan III", "Tahun"."""
        word = {"": "Tahun", "S": "Semester", "T": "Triwulan"}[self.kind]
        return f"{word} {fmt_id.romawi(self.number)}" if self.kind else word

    @property
    def label(self) -> str:
        return f"{self.name} {self.year}"

    def ended(self, today: dt.date) -> bool:
        return (self.year, self.months[-1]) < (today.year, today.month)


def frequency(dates: Iterable[dt.date]) -> dict[int, tuple[Period, ...]]:
    """Year → the semesters in which at least one questionnaire was filled in."""
    semesters = sorted({Period.semester(d) for d in set(dates)})
    years: dict[int, tuple[Period, ...]] = {}
    for period in semesters:
        years[period.year] = years.get(period.year, ()) + (period,)
    return years


def frequency_issues(years: dict[int, tuple[Period, ...]], path: str, today: dt.date) -> list[Issue]:
    """A warning for each year, from the first surveyed to the last, that had or can still have
    fewer than two surveys (one per semester; the regulation's minimum is one a year)."""
    if not years:
        return []
    issues = []
    for year in range(min(years), max(years) + 1):
        done = years.get(year, ())
        still_possible = {p for p in (Period(year, "S", 1), Period(year, "S", 2)) if not p.ended(today)}
        if len(set(done) | still_possible) >= 2:
            continue
        if done:
            held = " dan ".join(p.name for p in done)
            message = f"SKM tahun {year} hanya dilaksanakan pada {held}"
        else:
            message = f"tidak ada SKM pada tahun {year}"
        issues.append(Issue(path, 0, 0, f"{message}; lakukan survei sedikitnya dua kali setahun (per semester)",
                            Severity.WARNING, rule="skm.frekuensi"))
    return issues


# ---------------------------------------------------------------------------------------------
# The result


@dataclass(frozen=True)
class Group:
    key: str  # a service slug, or a period key such as "2025-S1"; "" for rows without one
    label: str
    ikm: Ikm


@dataclass(frozen=True)
class Profile:
    field: str  # jenis_kelamin | umur | pendidikan | pekerjaan
    judul: str
    rows: tuple[tuple[str, int], ...]  # (value, respondents); "Tidak diisi" for blanks


@dataclass(frozen=True)
class Sample:
    populasi: int
    minimum: int
    responden: int

    @property
    def cukup(self) -> bool:
        return self.responden >= self.minimum


@dataclass(frozen=True)
class FollowUp:
    """One row of the rencana tindak lanjut: a low unsur and the SP components it points at."""

    skor: UnsurScore
    komponen: tuple[str, ...]  # labels of the SP components (or maklumat) to revise

    @property
    def sasaran(self) -> str:
        return " dan ".join(self.komponen)


@dataclass(frozen=True)
class SkmResult:
    sumber: tuple[str, ...]  # the files read, as shown to the user
    layanan: str  # the --layanan filter, "" for all services
    periode: Period | None  # the --periode filter
    ikm: Ikm
    per_layanan: tuple[Group, ...]
    per_periode: tuple[Group, ...]  # per semester
    per_triwulan: tuple[Group, ...]
    profil: tuple[Profile, ...]
    frekuensi: dict[int, tuple[Period, ...]]
    rentang: tuple[dt.date, dt.date] | None  # first and last tanggal, when known
    sampel: Sample | None

    @property
    def responden(self) -> int:
        return self.ikm.responden

    def rencana_tindak_lanjut(self, n: int = 3) -> list[FollowUp]:
        return [FollowUp(s, tuple(target_label(k) for k in s.unsur.tindak_lanjut)) for s in self.ikm.terendah(n)]


def target_label(key: str) -> str:
    """Document label of a follow-up target: one of the 14 components, or another SP document."""
    if tables.is_component(key):
        return tables.label(key)
    return tables.load_data("skm.yaml")["sasaran_lain"][key]


_NO_VALUE = "Tidak diisi"
_NO_SERVICE = "(tanpa layanan)"
_NO_DATE = "(tanpa tanggal)"


def _groups(respondents: Sequence[Respondent], key: Callable[[Respondent], str],
            label: Callable[[str], str], missing: str) -> tuple[Group, ...]:
    """One index per key value, sorted, with the respondents lacking a value last."""
    buckets: dict[str, list[tuple[int, ...]]] = {}
    for r in respondents:
        buckets.setdefault(key(r), []).append(r.answers)
    ordered = sorted((k for k in buckets if k), key=lambda k: (k.casefold(), k)) + [k for k in buckets if not k]
    return tuple(Group(k, label(k) if k else missing, score(buckets[k])) for k in ordered)


def _profiles(respondents: Sequence[Respondent], present: set[str]) -> tuple[Profile, ...]:
    spec = tables.load_data("skm.yaml")["profil"]
    profiles = []
    for position, field in enumerate(PROFILE_FIELDS):
        if field not in present:
            continue
        counts = Counter(r.profil[position] or _NO_VALUE for r in respondents)
        known = [label for _, label in age_groups()] if field == "umur" else list(spec[field].get("nilai") or ())
        rank = {value: n for n, value in enumerate(known)}
        rows = sorted(counts.items(), key=lambda kv: (kv[0] == _NO_VALUE, rank.get(kv[0], len(rank)), -kv[1], kv[0]))
        profiles.append(Profile(field, spec[field]["judul"], tuple(rows)))
    return tuple(profiles)


def summarise(files: Sequence[SurveyFile], *, layanan: str = "", periode: Period | None = None,
              populasi: int | None = None, today: dt.date | None = None,
              names: dict[str, str] | None = None) -> tuple[SkmResult | None, list[Issue]]:
    """Combine files that read without errors into one result, with the advice it gives. Services
    are told apart by `readers.name_key` ("KK", "kk", "Layanan KK" are one); `names` gives the
    printed name of a slug (the unit's services, when the rows were linked to them)."""
    today = today or clock.today()
    names = names or {}
    name_key = functools.cache(readers.name_key)  # once per distinct name, not per respondent
    source = _source(files)
    everyone = [r for f in files for r in f.respondents]
    wanted_key = name_key(layanan) if layanan else ""
    chosen = [r for r in everyone
              if (not layanan or name_key(r.layanan) == wanted_key)
              and (periode is None or r.tanggal is not None and r.tanggal in periode)]
    if not chosen:
        wanted = [f'layanan "{layanan}"'] if layanan else []
        wanted += [periode.label] if periode else []
        hint = ""
        if layanan and not any(name_key(r.layanan) == wanted_key for r in everyone):
            written = list(dict.fromkeys(r.layanan for r in everyone if r.layanan))
            guess = readers.closest(layanan, written + list(names.values()))
            hint = f' (maksud Anda "{guess}"?)' if guess else ""
        return None, [Issue(source, 0, 0, f"tidak ada responden untuk {' pada '.join(wanted)}{hint}; "
                                          "periksa kolom layanan dan tanggal", rule="skm.tanpa_responden")]
    fields = set().union(*(f.fields for f in files))
    dates = [r.tanggal for r in everyone if r.tanggal]
    years = frequency(dates)
    issues = frequency_issues(years, source, today)
    if "tanggal" not in fields:
        issues.append(Issue(source, 0, 0, "tidak ada kolom tanggal; frekuensi survei (dua kali setahun) tidak dapat "
                                          "diperiksa — tambahkan kolom tanggal", Severity.WARNING,
                            rule="skm.tanpa_tanggal"))
    overall = score([r.answers for r in chosen])
    used = {s.unsur.kode for s in overall.unsur}
    with_column = set().union(*(f.unsur for f in files)) if all(f.unsur for f in files) else None
    for unsur in unsur_table():
        if unsur.kode not in used and (with_column is None or unsur.kode in with_column):  # else named by the reader
            issues.append(Issue(source, 0, 0, f"{unsur.judul} tidak dijawab responden mana pun; IKM dihitung dari "
                                              f"{len(used)} unsur (bobot 1/{len(used)})", Severity.WARNING,
                                rule="skm.unsur_tidak_ada"))
    sample = None
    if populasi is not None:
        sample = Sample(populasi, sample_size(populasi), len(chosen))
        if not sample.cukup:
            issues.append(Issue(source, 0, 0, f"jumlah responden {len(chosen)} kurang dari sampel minimum "
                                              f"{sample.minimum} untuk populasi {fmt_id.desimal(populasi, 0)} "
                                              "(Krejcie dan Morgan); tambah responden",
                                Severity.WARNING, rule="skm.sampel_kurang"))
    chosen_dates = {r.tanggal for r in chosen if r.tanggal}
    semester_of = {d: Period.semester(d).key for d in chosen_dates}
    quarter_of = {d: Period.triwulan(d).key for d in chosen_dates}
    spelling: dict[str, str] = {}  # "KK" and "kk" are one service, shown as first written
    for name in dict.fromkeys(r.layanan for r in chosen):
        spelling.setdefault(name_key(name), name)
    result = SkmResult(
        sumber=tuple(f.path for f in files),
        layanan=layanan,
        periode=periode,
        ikm=overall,
        per_layanan=_groups(chosen, lambda r: spelling[name_key(r.layanan)], lambda k: names.get(k, k),
                            _NO_SERVICE)
        if "layanan" in fields else (),
        per_periode=_groups(chosen, lambda r: semester_of.get(r.tanggal, ""), lambda k: Period.parse(k).label, _NO_DATE)
        if "tanggal" in fields else (),
        per_triwulan=_groups(chosen, lambda r: quarter_of.get(r.tanggal, ""), lambda k: Period.parse(k).label, _NO_DATE)
        if "tanggal" in fields else (),
        profil=_profiles(chosen, fields),
        frekuensi=years,
        rentang=(min(chosen_dates), max(chosen_dates)) if chosen_dates else None,
        sampel=sample,
    )
    return result, issues


def _source(files: Sequence[SurveyFile]) -> str:
    """Where result-wide advice points: the one file, or the folder the files share."""
    if len(files) == 1:
        return files[0].path
    return display_path(Path(os.path.commonpath([os.path.abspath(f.path) for f in files])))


def survey_files(paths: Iterable[Path | str]) -> list[Path]:
    """Files named directly, plus the response files of any folder given: the folder itself, or
    its `skm/` subfolder when it is a unit folder."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            folder = path / "skm" if (path / "skm").is_dir() else path
            found += sorted(p for p in folder.iterdir()
                            if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith(("~$", ".")))
        else:
            found.append(path)
    return found


def analyse(paths: Iterable[Path | str], *, layanan: str = "", periode: str | None = None,
            populasi: int | None = None, today: dt.date | None = None,
            services: Sequence[Service] | None = None) -> tuple[SkmResult | None, list[Issue]]:
    """Read response files (or folders of them) and compute the IKM.

    Returns (result, issues), issues sorted; result is None when any issue is an error, so nothing
    is ever reported from input that did not read cleanly. Raises UserError for a malformed
    `periode` or a file of another type (a usage mistake, not bad data).

    The layanan column and `layanan` are matched to the unit's services by slug, nama or alias
    (`model.match_service`): `services`, or those of the unit folder holding the files.
    """
    period = Period.parse(periode) if periode else None
    if populasi is not None and populasi < 1:
        raise UserError("populasi harus bilangan bulat positif", ExitCode.USAGE)
    paths = list(paths)
    unreadable: list[str] = []
    if services is None:
        services, unreadable = unit_services(paths)
    paths = survey_files(paths)
    if not paths:
        raise UserError("tidak ada berkas survei (.csv atau .xlsx) untuk dihitung")
    files: list[SurveyFile] = []
    issues: list[Issue] = []
    for path in paths:
        if path.suffix.lower() not in SUFFIXES:
            raise UserError(f"{display_path(path)}: bukan berkas survei; gunakan .csv atau .xlsx", ExitCode.USAGE)
        survey, problems = read_survey(path)
        issues += problems
        if survey is not None:
            files.append(survey)
    if services:
        files, linked = _link_services(files, services, unreadable)
        issues += linked
        wanted = match_service(services, layanan) if layanan else None
        layanan = wanted.slug if wanted else layanan
    if any(i.is_error for i in issues):
        return None, sorted_issues(issues)
    result, advice = summarise(files, layanan=layanan, periode=period, populasi=populasi, today=today,
                               names={s.slug: s.nama or s.slug for s in services or ()})
    return result, sorted_issues(issues + advice)


def unit_services(paths: Iterable[Path | str]) -> tuple[list[Service], list[str]]:
    """The services of the unit folder holding these survey files (`<unit>/skm/x.csv`, `<unit>/skm`
    or `<unit>` itself): each `layanan/*.yaml` that reads as a mapping, and the display paths of
    those that do not (a name may belong to one of them). ([], []) outside a unit."""
    for raw in paths:
        path = Path(raw).resolve()
        folder = path if path.is_dir() else path.parent
        for root in (folder, folder.parent):
            if (root / "unit.yaml").is_file() and (root / "layanan").is_dir():
                return _read_services(root / "layanan")
    return [], []


def _read_services(folder: Path) -> tuple[list[Service], list[str]]:
    services, unreadable = [], []
    for path in sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()):
        file, _ = read_yaml(path)
        if file is not None and isinstance(file.data, dict):
            services.append(Service(path.stem, path, file.data))
        else:
            unreadable.append(display_path(path))
    return services, unreadable


def _containing(name: str, candidates: Sequence[str]) -> str | None:
    """The one candidate whose key holds the name's key or is held in it ("Kartu Tanda Penduduk" in
    "Penerbitan Kartu Tanda Penduduk Elektronik (KTP-el)"), for names too short for `closest`."""
    key = readers.name_key(name)
    found = list(dict.fromkeys(c for c in candidates if len(key) >= 4 and (key in readers.name_key(c)
                                                                          or readers.name_key(c) in key)))
    return found[0] if len(found) == 1 else None


def _link_services(files: list[SurveyFile], services: Sequence[Service],
                   unreadable: Sequence[str]) -> tuple[list[SurveyFile], list[Issue]]:
    """Each file with its layanan column read as service slugs ("Surat Keterangan Domisili" →
    surat-keterangan-domisili), and a warning at each cell naming no service, with the closest
    service (the same name down the column summarised after REPEATS_SHOWN lines)."""
    candidates = [name for s in services for name in (s.nama or s.slug, *s.alias)]
    by_name = {}
    for s in services:
        by_name.setdefault(s.nama or s.slug, s)
        for alias in s.alias:
            by_name.setdefault(alias, s)
    linked, issues = [], []
    for survey in files:
        slugs: dict[str, str] = {}
        problems: list[Issue] = []
        for name, lines in survey.layanan_baris:
            found = match_service(services, name)
            if found is not None:
                if found.slug != name:
                    slugs[name] = found.slug
                continue
            guess = readers.closest(name, candidates) or _containing(name, candidates)
            if guess:
                target = by_name[guess]
                hint = (f'paling mirip: "{guess}" ({target.slug}); bila itu maksudnya, tulis namanya seperti itu atau '
                        f'tambahkan alias: ["{name}"] di {display_path(target.path)}')
            else:
                shown = ", ".join(f'"{s.nama or s.slug}"' for s in services[:5]) + (", …" if len(services) > 5 else "")
                hint = f"layanan unit ini: {shown}; tulis nama, slug atau alias salah satunya"
            if unreadable:
                hint += f"; mungkin layanan ini ada di berkas yang tidak dapat dibaca: {', '.join(unreadable)}"
            message = (f'layanan "{name}" tidak cocok dengan layanan mana pun di folder layanan/ (slug, nama atau '
                       f"alias); {hint}. Baris ini tetap dihitung dalam IKM keseluruhan")
            problems += [Issue(survey.path, line, survey.layanan_kolom, message, Severity.WARNING,
                               rule="skm.layanan_tidak_cocok") for line in lines[:REPEATS_SHOWN]]
            rest = lines[REPEATS_SHOWN:]
            if rest:
                span = f"baris {rest[0]}–{rest[-1]}" if len(rest) > 1 else f"baris {rest[0]}"
                problems.append(Issue(survey.path, rest[0], survey.layanan_kolom,
                                      f'kolom layanan: {len(rest)} baris lagi berisi "{name}", {span}; perbaiki '
                                      "dengan cara yang sama seperti di atas", Severity.WARNING,
                                      rule="skm.layanan_tidak_cocok"))
        issues += problems
        if slugs:
            survey = dataclasses.replace(survey, respondents=tuple(
                dataclasses.replace(r, layanan=slugs[r.layanan]) if r.layanan in slugs else r
                for r in survey.respondents))
        linked.append(survey)
    return linked, issues


def analyse_folder(path: Path | str, *, today: dt.date | None = None) -> tuple[SkmResult | None, list[Issue]]:
    """The survey of a unit: `path` is the unit folder or its `skm/` folder. (None, []) when the
    unit has no response files — an SKM not done is for `check` to judge, not an input error."""
    files = survey_files([path]) if Path(path).is_dir() else []
    if not files:
        return None, []
    return analyse(files, today=today)
