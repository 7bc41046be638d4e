"""The service users' PEKPPP questionnaire (F-03): its answers, its index, and the IPP estimate.

Answers are read like SKM exports (survey/responses.py reads the rows: CSV or .xlsx, headers by
name): one row per respondent, one column per F-03 item, named by the item's code ("1.a.K1"), its
key ("persyaratan") or the words of its question, answers 0–5. Item value = mean of its answers,
aspect value = mean of its items (the form's `nilai_aspek`), F-03 index = Σ aspect weight × value.
The IPP blend (`ipp` of the form's data file: 0,75 × F-02 + 0,25 × F-03) comes from a third-party
implementation, not from an official text; every view that shows it says so (`IppEstimate.catatan`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from sp_builder import fmt_id, tables
from sp_builder.errors import Issue, Severity
from sp_builder.files import display_path
from sp_builder.instrument import FORM_F03, Category, Indicator, Instrument, available, load_instrument
from sp_builder.survey.responses import SUFFIXES, fold_repeats, normalise, read_rows

HEADER_SEARCH = 10  # the header row (the first naming an item) is looked for in this many rows
_LEADING_NUMBER = re.compile(r"^(?:no|nomor|butir)?\s*\d+\s+")  # "1. Persyaratan …" after normalise
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def default_form() -> str:
    """The shipped F-03 form used for answers (the newest one)."""
    return available(FORM_F03)[-1]


@dataclass(frozen=True)
class ItemScore:
    indicator: Indicator
    nilai: Decimal | None  # mean of the answers; None when no respondent answered it
    jawaban: int  # how many respondents answered it


@dataclass(frozen=True)
class AspectScore:
    id: int
    nama: str
    bobot: float
    nilai: Decimal


@dataclass
class F03Result:
    form: Instrument
    sumber: list[str]
    responden: int
    butir: list[ItemScore]
    aspek: list[AspectScore]
    indeks: Decimal
    issues: list[Issue] = field(default_factory=list)


@dataclass(frozen=True)
class IppEstimate:
    """The IPP as `check` estimates it: the blend when F-03 answers exist, else F-02 alone."""
    nilai: Decimal
    f02: Decimal
    f03: Decimal | None
    bobot_f02: Decimal
    bobot_f03: Decimal
    kategori: Category
    catatan: str  # where the blend comes from, or that this is F-02 alone

    @property
    def dipadukan(self) -> bool:
        return self.f03 is not None


def blend_data(form_id: str | None = None) -> dict:
    """The `ipp` entry of the F-03 form's data file (weights, formula, source, confidence)."""
    return tables.load_data(f"instrumen/{form_id or default_form()}.json")["ipp"]


def estimate_ipp(f02: Decimal, f03: F03Result | None, instrument: Instrument) -> IppEstimate:
    """0,75 × F-02 + 0,25 × F-03 (weights from the form's data) when there are F-03 answers;
    else F-02 alone, labelled as such. Exact decimals, so the category edges stay exact."""
    data = blend_data(f03.form.id if f03 else None)
    w02, w03 = Decimal(str(data["bobot_f02"])), Decimal(str(data["bobot_f03"]))
    source = (f'{fmt_id.desimal(w02)} × F-02 + {fmt_id.desimal(w03)} × F-03: bobot dari {data["jenis_sumber"].split(";")[0]}, '
              f'keyakinan {data.get("keyakinan", "")}')
    if f03 is None:
        note = (f"IPP perkiraan = indeks F-02 saja (belum ada jawaban F-03 pengguna layanan di f03/); dengan jawaban F-03 "
                f"dihitung {source}")
        return IppEstimate(f02, f02, None, w02, w03, instrument.category(f02), note)
    value = w02 * f02 + w03 * f03.indeks
    note = f"IPP perkiraan = {source}"
    return IppEstimate(value, f02, f03.indeks, w02, w03, instrument.category(value), note)


# ---------------------------------------------------------------------------------------------
# Headers


def _keys(indicator: Indicator, raw: dict) -> tuple[str, str, str]:
    """(code, key, question) of an item, normalised."""
    return normalise(indicator.id), normalise(str(raw.get("kunci", "")).replace("_", " ")), normalise(indicator.teks)


def _raw_items(form: Instrument) -> dict[str, dict]:
    data = tables.load_data(f"instrumen/{form.id}.json")
    return {str(i["id"]): i for a in data["aspek"] for i in a["indikator"]}


def match_header(header: Any, form: Instrument) -> list[Indicator]:
    """The items a header names: by code ("1.a.K1", also leading a question), by key
    ("persyaratan"), or by the words of the question (the whole question, or at least three of
    its first words)."""
    text = normalise(header)
    if not text:
        return []
    raw = _raw_items(form)
    found = []
    for indicator in form.indicators.values():
        code, key, question = _keys(indicator, raw.get(indicator.id, {}))
        rest = _LEADING_NUMBER.sub("", text)
        words = rest.split()
        if (text == code or text.startswith(code + " ") or (key and rest == key)
                or f" {question} " in f" {rest} "
                or (len(words) >= 3 and f" {question} ".startswith(f" {rest} "))):
            found.append(indicator)
    return found


def _header_index(rows: list, form: Instrument) -> int | None:
    """The first of the first rows naming an item: title lines above the table are passed over."""
    for index, (_, cells) in enumerate(rows[:HEADER_SEARCH]):
        if any(len(match_header(c, form)) == 1 for c in cells if c is not None):
            return index
    return None


# ---------------------------------------------------------------------------------------------
# Answers


def parse_answer(value: Any, indicator: Indicator, scale: int) -> tuple[int | None, str]:
    """(score, "") with score 0..scale, (None, "") for a blank, (None, message) otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, ""
    hint = f"tulis angka 0 sampai {scale}, atau kosongkan bila responden tidak menjawab"
    number: float | None = None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
        number = float(value.strip().replace(",", "."))
    shown = fmt_id.short(str(value).strip(), 20)
    if number is None:
        return None, f'butir {indicator.id}: jawaban "{shown}" bukan angka; {hint}'
    if not math.isfinite(number) or number != int(number):
        return None, f"butir {indicator.id}: jawaban {shown} bukan bilangan bulat; {hint}"
    if not 0 <= number <= scale:
        return None, f"butir {indicator.id}: jawaban {shown} di luar rentang 0–{scale}; {hint}"
    return int(number), ""


def answer_files(root: Path) -> list[Path]:
    """The answer files of `f03/` in a unit folder (or of the folder or file given)."""
    if root.is_file():
        return [root]
    return sorted(p for p in root.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES
                  and not p.name.startswith(("~$", ".")))


def read_answers(path: Path, form: Instrument) -> tuple[list[dict[str, int]], list[Issue]]:
    """Every respondent of one file (item id → answer) and every problem with line and column."""
    shown = display_path(path)
    rows, issues = read_rows(path)
    if rows is None:
        return [], [_as_f03(i) for i in issues]
    issues = [_as_f03(i) for i in issues]
    rows = [(line, cells) for line, cells in rows if any(c is not None and str(c).strip() for c in cells)]
    if not rows:
        return [], issues + [Issue(shown, 0, 0, "berkas F-03 kosong; baris pertama berisi judul kolom (kode butir, "
                                                "mis. 1.a.K1, atau kata pertanyaannya), lalu satu baris per responden",
                                   rule="f03.berkas_kosong")]
    start = _header_index(rows, form)
    if start is None:
        return [], issues + [Issue(shown, rows[0][0], 0, "tidak ada kolom butir F-03; beri judul kolom kode butir "
                                                         '(mis. "1.a.K1") atau kata pertanyaannya (mis. "Persyaratan")',
                                   rule="f03.tanpa_butir")]
    header_line, header = rows[start]
    columns: dict[int, Indicator] = {}
    seen: dict[str, int] = {}
    for number, cell in enumerate(header, start=1):
        if cell is None or not str(cell).strip():
            continue
        found = match_header(cell, form)
        if len(found) > 1:
            issues.append(Issue(shown, header_line, number, f'kolom "{str(cell).strip()}" menyebut lebih dari satu '
                                f'butir ({", ".join(i.id for i in found)}); tulis kode butirnya', rule="f03.kolom_ganda_makna"))
        elif found:
            item = found[0]
            if item.id in seen:
                issues.append(Issue(shown, header_line, number, f'kolom "{str(cell).strip()}" berisi butir {item.id}, '
                                    f"yang sudah ada di kolom {seen[item.id]}; hapus salah satunya", rule="f03.kolom_ganda"))
                continue
            seen[item.id] = number
            columns[number - 1] = item
    missing = [i.id for i in form.indicators.values() if i.id not in seen]
    if missing:
        issues.append(Issue(shown, header_line, 0, f"tidak ada kolom untuk {len(missing)} butir F-03: "
                            f"{', '.join(missing)}; butir ini bernilai 0 — tambahkan kolomnya (kode butir atau kata "
                            "pertanyaannya)", Severity.WARNING, rule="f03.butir_tidak_ada"))
    respondents: list[dict[str, int]] = []
    row_issues: list[Issue] = []
    for line, cells in rows[start + 1:]:
        answers, bad = {}, False
        for index, item in columns.items():
            value = cells[index] if index < len(cells) else None
            score, problem = parse_answer(value, item, form.skala_max)
            if problem:
                bad = True
                row_issues.append(Issue(shown, line, index + 1, problem, rule="f03.jawaban_tidak_sah"))
            elif score is not None:
                answers[item.id] = score
        if answers:
            respondents.append(answers)
        elif not bad:
            row_issues.append(Issue(shown, line, 0, "baris ini tidak berisi jawaban F-03 satu pun; responden ini tidak "
                                    "dihitung", Severity.WARNING, rule="f03.baris_tanpa_jawaban"))
    if not respondents and len(rows) == start + 1:
        row_issues.append(Issue(shown, header_line, 0, "tidak ada jawaban responden di bawah judul kolom; isi satu "
                                "baris per responden, jawaban 0–5", Severity.WARNING, rule="f03.tanpa_responden"))
    labels = {index + 1: item.id for index, item in columns.items()}
    return respondents, issues + fold_repeats(row_issues, labels, rows)


def _as_f03(issue: Issue) -> Issue:
    """A reading problem of the shared survey reader, named for F-03 (its rule ids say skm)."""
    return Issue(issue.path, issue.line, issue.column, issue.message, issue.severity,
                 rule=issue.rule.replace("skm.", "f03.", 1))


def analyse(paths: list[Path], form_id: str | None = None) -> tuple[F03Result | None, list[Issue]]:
    """The F-03 index of the answers in `paths`; (None, issues) when no respondent could be read."""
    form = load_instrument(form_id or default_form(), formulir=FORM_F03)
    respondents: list[dict[str, int]] = []
    issues: list[Issue] = []
    for path in paths:
        found, problems = read_answers(path, form)
        respondents += found
        issues += problems
    if not respondents:
        return None, issues
    limits = tables.load_data(f"instrumen/{form.id}.json").get("responden") or {}
    if limits.get("min") and len(respondents) < limits["min"]:
        where = display_path(paths[0].parent if len(paths) > 1 else paths[0])
        issues.append(Issue(where, 0, 0, f"jawaban F-03 dari {len(respondents)} responden; panduan KemenPANRB meminta "
                            f"paling sedikit {limits['min']} (paling banyak {limits.get('max', '-')}) responden per unit",
                            Severity.WARNING, rule="f03.responden_kurang"))
    items = []
    for indicator in form.indicators.values():
        given = [r[indicator.id] for r in respondents if indicator.id in r]
        items.append(ItemScore(indicator, Decimal(sum(given)) / len(given) if given else None, len(given)))
    means = {i.indicator.id: i.nilai or Decimal(0) for i in items}
    aspects = [AspectScore(a.id, a.nama, a.bobot, _aspect_value(form, a, means)) for a in form.aspek]
    index = sum((Decimal(str(a.bobot)) * a.nilai for a in aspects), Decimal(0))
    return F03Result(form, [display_path(p) for p in paths], len(respondents), items, aspects, index, issues), issues


def _aspect_value(form: Instrument, aspect, means: dict[str, Decimal]) -> Decimal:
    values = [(means[i.id], Decimal(str(i.bobot or 0))) for i in aspect.indikator]
    if form.nilai_aspek == "tertimbang":
        total = sum(w for _, w in values)
        return sum(s * w for s, w in values) / total if total else Decimal(0)
    return sum(s for s, _ in values) / len(values)


def analyse_unit(root: Path, override: Path | None = None) -> tuple[F03Result | None, list[Issue]]:
    """A unit's F-03 answers: `override` (the --f03 option, a file or folder), else `f03/` in the
    unit folder; (None, []) when there are none."""
    source = override if override is not None else root / "f03"
    if not source.exists():
        return None, []
    files = answer_files(source)
    if not files:
        return None, []
    return analyse(files)


def as_data(estimate: IppEstimate, result: F03Result | None) -> dict:
    """The IPP estimate and the F-03 answers behind it, for the JSON view."""
    return {
        "nilai": float(fmt_id.bulat(estimate.nilai)),
        "kategori": {"kode": estimate.kategori.kode, "nama": estimate.kategori.nama, "zona": estimate.kategori.zona},
        "dipadukan": estimate.dipadukan,
        "bobot_f02": float(estimate.bobot_f02), "bobot_f03": float(estimate.bobot_f03),
        "catatan": estimate.catatan,
        "f03": None if result is None else {
            "formulir": result.form.id, "sumber": result.sumber, "responden": result.responden,
            "indeks": float(fmt_id.bulat(result.indeks, 3)),
            "aspek": [{"id": a.id, "nama": a.nama, "nilai": float(fmt_id.bulat(a.nilai, 3))} for a in result.aspek],
            "butir": [{"id": i.indicator.id, "nilai": None if i.nilai is None else float(fmt_id.bulat(i.nilai, 3)),
                       "jawaban": i.jawaban} for i in result.butir],
        },
    }


def text_lines(estimate: IppEstimate, result: F03Result | None) -> list[str]:
    """The IPP lines of the text and Word views."""
    cat = estimate.kategori
    lines = [f"IPP PERKIRAAN: {fmt_id.desimal(estimate.nilai)} — {cat.kode} {cat.nama}"
             + ("" if estimate.dipadukan else " (F-02 saja)")]
    if result is not None:
        lines.append(f"  F-03 (penilaian pengguna layanan): {fmt_id.desimal(result.indeks)} dari {result.responden} "
                     f"responden ({', '.join(result.sumber)})")
    lines.append(f"  {estimate.catatan}")
    return lines
