"""Survey responses as units actually have them, read with the position of every cell.

Units bring CSV (comma or semicolon, UTF-8 with or without BOM) and `.xlsx` exports of Google
Forms or Excel. Headers are either the project's `U1`…`U9` or the questionnaire's own words, and
two orders of the nine unsur circulate, so a column is recognised by the unsur it names — never
by where it stands. Answers are 1–4 or the questionnaire's answer words. Every problem becomes an
Issue with the file, line and 1-based column of its cell; reading never stops at the first one.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from sp_builder import fmt_id, tables
from sp_builder.errors import Issue, Severity
from sp_builder.load import read_text
from sp_builder.load import display_path

SUFFIXES = (".csv", ".xlsx", ".xls")  # .xls is recognised only to say how to convert it
PROFILE_FIELDS = ("jenis_kelamin", "umur", "pendidikan", "pekerjaan")


@dataclass(frozen=True)
class Unsur:
    kode: str  # "U1"
    nama: str
    sinonim: tuple[str, ...] = field(repr=False)
    jawaban: dict[str, int] = field(repr=False)  # normalised answer word → score 1..4
    kata: tuple[str, ...]  # the standard answer word of each score 1..4, for messages
    tindak_lanjut: tuple[str, ...]  # SP components (or other targets) to revise when low

    @property
    def judul(self) -> str:
        return f"{self.kode} {self.nama}"


@dataclass(frozen=True, slots=True)
class Respondent:
    """One questionnaire: answers in canonical order U1…U9 (0 = not asked), and who answered."""

    answers: tuple[int, ...]
    tanggal: dt.date | None = None
    layanan: str = ""
    profil: tuple[str, ...] = ("", "", "", "")  # as PROFILE_FIELDS; "" = not filled in


@dataclass(frozen=True)
class SurveyFile:
    path: str  # as shown in messages
    respondents: tuple[Respondent, ...]
    fields: frozenset[str]  # the other recognised columns: tanggal, layanan, profile fields


# ---------------------------------------------------------------------------------------------
# The tables of schemas/skm.yaml that reading needs


def normalise(text: Any) -> str:
    """Lowercase words separated by single spaces: "Sopan  dan Ramah!" → "sopan dan ramah"."""
    return " ".join(re.sub(r"[\W_]+", " ", str(text).lower()).split())


@functools.cache
def unsur_table() -> tuple[Unsur, ...]:
    data = tables.load_data("skm.yaml")
    umum = data["jawaban_umum"]
    table = []
    for row in data["unsur"]:
        words: dict[str, int] = {}
        for source in (row["jawaban"], umum):
            for score, spellings in source.items():
                for word in spellings:
                    words.setdefault(normalise(word), int(score))
        table.append(Unsur(
            kode=row["kode"],
            nama=row["nama"],
            sinonim=tuple(normalise(s) for s in row["sinonim"]),
            jawaban=words,
            kata=tuple(row["jawaban"][score][0] for score in (1, 2, 3, 4)),
            tindak_lanjut=tuple(row["tindak_lanjut"]),
        ))
    return tuple(table)


@functools.cache
def _field_headers() -> dict[str, str]:
    """Normalised header → field name, for the columns that are not unsur."""
    return {normalise(h): name for name, headers in tables.load_data("skm.yaml")["kolom"].items() for h in headers}


@functools.cache
def _profile_spellings() -> dict[str, dict[str, str]]:
    """field → {normalised spelling → printed value}, for the fields whose values are merged."""
    merged = {}
    for name, spec in tables.load_data("skm.yaml")["profil"].items():
        values = spec.get("nilai") or {}
        merged[name] = {normalise(s): shown for shown, spellings in values.items() for s in (shown, *spellings)}
    return merged


@functools.cache
def age_groups() -> tuple[tuple[int, str], ...]:
    return tuple((g["sampai"], g["label"]) for g in tables.load_data("skm.yaml")["profil"]["umur"]["kelompok"])


# ---------------------------------------------------------------------------------------------
# Headers

_CODE = re.compile(r"^(?:u|unsur)\s*(\d+)\b\s*(.*)$")
_QUESTION = re.compile(r"^(?:\d+\s+)?(?:bagaimana|apakah|menurut)\b")


@dataclass(frozen=True)
class _Column:
    index: int  # 0-based position in the row
    kind: str  # "unsur" | "field"
    key: int | str  # index into unsur_table() | field name


def _unsur_by_name(text: str) -> list[int]:
    padded = f" {text} "
    return [i for i, u in enumerate(unsur_table()) if any(f" {s} " in padded for s in u.sinonim)]


def _match_header(header: str, column: int, where: tuple[str, int]) -> tuple[_Column | None, list[Issue]]:
    """What one header names, and why it is refused when it looks like an unsur but is none."""
    path, line = where
    text = normalise(header)
    table = unsur_table()
    if text in _field_headers():
        return _Column(column - 1, "field", _field_headers()[text]), []
    code = _CODE.match(text)
    by_name = _unsur_by_name(code.group(2) if code else text)
    if code and not 1 <= int(code.group(1)) <= len(table):
        return None, [Issue(path, line, column,
                            f'kolom "{header}" tampak seperti unsur SKM tetapi bukan U1–U9; '
                            'beri judul U1…U9 atau nama unsurnya, mis. "Persyaratan"',
                            rule="skm.kolom_bukan_unsur")]
    if len(by_name) > 1:
        names = ", ".join(table[i].judul for i in by_name)
        return None, [Issue(path, line, column,
                            f'kolom "{header}" menyebut lebih dari satu unsur ({names}); '
                            "tulis judul yang menyebut satu unsur saja, mis. U1…U9",
                            rule="skm.kolom_ganda_makna")]
    if code:
        numbered = int(code.group(1)) - 1
        if by_name and by_name[0] != numbered:
            named = table[by_name[0]]
            return _Column(column - 1, "unsur", by_name[0]), [Issue(
                path, line, column,
                f'kolom "{header}": kode {table[numbered].kode} berarti {table[numbered].nama}, tetapi namanya '
                f"menyebut {named.nama}; dihitung sebagai {named.judul} (menurut nama). Samakan kode dan nama.",
                Severity.WARNING, rule="skm.kode_nama_berbeda")]
        return _Column(column - 1, "unsur", numbered), []
    if by_name:
        return _Column(column - 1, "unsur", by_name[0]), []
    if _QUESTION.match(text):
        return None, [Issue(path, line, column,
                            f'kolom "{header}" tampak seperti pertanyaan survei tetapi tidak menyebut satu pun '
                            "dari sembilan unsur; kolom ini tidak dihitung",
                            Severity.WARNING, rule="skm.pertanyaan_tak_dikenal")]
    return None, []


def _columns(header: list[Any], where: tuple[str, int]) -> tuple[list[_Column], list[Issue]]:
    path, line = where
    columns: list[_Column] = []
    issues: list[Issue] = []
    seen: dict[tuple[str, int | str], int] = {}
    for number, cell in enumerate(header, start=1):
        if _blank(cell):
            continue
        column, problems = _match_header(str(cell).strip(), number, where)
        issues += problems
        if column is None:
            continue
        first = seen.setdefault((column.kind, column.key), number)
        if first != number:
            what = unsur_table()[column.key].judul if column.kind == "unsur" else f"kolom {column.key}"
            issues.append(Issue(path, line, number,
                                f'kolom "{str(cell).strip()}" berisi {what}, yang sudah ada di kolom {first}; '
                                "hapus salah satunya", rule="skm.kolom_ganda"))
            continue
        columns.append(column)
    return columns, issues


# ---------------------------------------------------------------------------------------------
# Cells


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
_OPTION_LETTER = re.compile(r"^[a-d][.)]\s+", re.IGNORECASE)


def parse_answer(value: Any, unsur: Unsur) -> tuple[int, str, str]:
    """(score, "", "") with score 1..4, or 0 for a blank; (0, rule, message) when the cell cannot be
    an answer to this unsur."""
    if _blank(value):
        return 0, "", ""
    number: float | None = None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
        number = float(value.strip().replace(",", "."))
    scale = f"tulis 1 ({unsur.kata[0]}) sampai 4 ({unsur.kata[3]}), atau kosongkan bila unsur ini tidak ditanyakan"
    if number is not None and number != int(number):
        shown = str(value).strip()
        return 0, "skm.jawaban_bukan_bulat", f"{unsur.judul}: jawaban {shown} bukan bilangan bulat; {scale}"
    if number is not None and not 1 <= number <= 4:
        return 0, "skm.jawaban_di_luar_rentang", f"{unsur.judul}: jawaban {int(number)} di luar rentang 1–4; {scale}"
    if number is not None:
        return int(number), "", ""
    text = str(value).strip()
    score = unsur.jawaban.get(normalise(_OPTION_LETTER.sub("", text)))
    if score:
        return score, "", ""
    return 0, "skm.jawaban_tidak_dikenal", (f'{unsur.judul}: jawaban "{text}" tidak dikenal; tulis 1–4 atau '
                                            f'salah satu dari: {", ".join(unsur.kata)}')


def parse_date(value: Any) -> dt.date | None:
    """A date cell: an Excel date, or text as `fmt_id.baca_tanggal` reads it (day-first, as
    Indonesia writes dates); None if unreadable."""
    return fmt_id.baca_tanggal(value)


_AGE = re.compile(r"(\d{1,3})\s*(?:th|thn|tahun)?\.?", re.IGNORECASE)


def _years(value: Any) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    m = _AGE.fullmatch(str(value).strip())
    return float(m[1]) if m else None


def profile_value(name: str, value: Any) -> str:
    """The printed value of a profile cell (`name` as in PROFILE_FIELDS): known spellings merged
    ("L" → "Laki-laki"), an age in years put in its age group, anything else as written."""
    if _blank(value):
        return ""
    text = str(value).strip()
    if name == "umur" and (years := _years(value)) is not None:
        return next((label for limit, label in age_groups() if years <= limit), text)
    return _profile_spellings()[name].get(normalise(text), text)


# ---------------------------------------------------------------------------------------------
# Files

Row = tuple[int, list[Any]]  # (1-based line, cells)


def _csv_rows(text: str) -> Iterator[Row]:
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";"), key=lambda d: len(next(csv.reader([first], delimiter=d), [])))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 1
    for record in reader:
        yield line, record
        line = reader.line_num + 1


def _xlsx_rows(path: Path) -> list[Row]:
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        return [(n, list(cells)) for n, cells in enumerate(sheet.iter_rows(values_only=True), start=1)]
    finally:
        book.close()


def _rows(path: Path, shown: str) -> tuple[list[Row] | None, list[Issue]]:
    if path.suffix.lower() == ".xls":
        return None, [Issue(shown, 0, 0, "berkas .xls (Excel 97–2003) tidak didukung; simpan ulang sebagai .xlsx "
                                         "atau CSV UTF-8", rule="skm.xls_lama")]
    if path.suffix.lower() == ".xlsx":
        try:
            return _xlsx_rows(path), []
        except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError):
            return None, [Issue(shown, 0, 0, "berkas .xlsx tidak dapat dibuka (rusak atau bukan .xlsx); simpan ulang "
                                             "dari Excel atau Google Sheets sebagai .xlsx", rule="skm.xlsx_rusak")]
    text, issues = read_text(path, shown)
    if text is None:
        return None, issues
    return list(_csv_rows(text)), []


def read_survey(path: Path | str) -> tuple[SurveyFile | None, list[Issue]]:
    """Read one response file: every respondent, and every problem with its line and column."""
    path = Path(path)
    shown = display_path(path)
    rows, issues = _rows(path, shown)
    if rows is None:
        return None, issues
    rows = [(line, cells) for line, cells in rows if not all(_blank(c) for c in cells)]
    if not rows:
        return None, [Issue(shown, 0, 0, "berkas kosong; baris pertama berisi judul kolom (U1…U9), "
                                         "lalu satu baris per responden", rule="skm.berkas_kosong")]
    header_line, header = rows[0]
    columns, issues = _columns(header, (shown, header_line))
    unsur_columns = [c for c in columns if c.kind == "unsur"]
    if not unsur_columns:
        issues.append(Issue(shown, 0, 0, "tidak ada kolom unsur SKM; beri judul kolom U1…U9 atau nama unsurnya "
                                         '(mis. "Persyaratan", "Waktu penyelesaian")', rule="skm.tanpa_unsur"))
        return None, issues
    respondents = []
    for line, cells in rows[1:]:
        respondent = _respondent(cells, columns, (shown, line), issues)
        if respondent is not None:
            respondents.append(respondent)
    if not respondents and not any(i.is_error for i in issues):
        issues.append(Issue(shown, 0, 0, "tidak ada jawaban responden di bawah judul kolom",
                            rule="skm.tanpa_responden"))
    fields = frozenset(c.key for c in columns if c.kind == "field")
    return SurveyFile(shown, tuple(respondents), fields), issues


def _respondent(cells: list[Any], columns: list[_Column], where: tuple[str, int],
                issues: list[Issue]) -> Respondent | None:
    """One row as a Respondent (None when it has no answer); its problems are added to issues."""
    path, line = where
    table = unsur_table()
    answers = [0] * len(table)
    values: dict[str, Any] = {}
    for column in columns:
        value = cells[column.index] if column.index < len(cells) else None
        if column.kind == "field":
            values[column.key] = value
            continue
        score, rule, problem = parse_answer(value, table[column.key])
        if problem:
            issues.append(Issue(path, line, column.index + 1, problem, rule=rule))
        answers[column.key] = score
    tanggal = None
    raw_date = values.get("tanggal")
    if not _blank(raw_date):
        tanggal = parse_date(raw_date)
        if tanggal is None:
            index = next(c.index for c in columns if c.key == "tanggal")
            issues.append(Issue(path, line, index + 1,
                                f'tanggal "{str(raw_date).strip()}" tidak dapat dibaca; tulis TTTT-BB-HH '
                                "(mis. 2025-01-15) atau HH/BB/TTTT (mis. 15/01/2025)",
                                rule="skm.tanggal_tidak_terbaca"))
    if not any(answers):
        issues.append(Issue(path, line, 0, "baris ini tidak berisi jawaban unsur satu pun; responden ini "
                                           "tidak dihitung", Severity.WARNING, rule="skm.baris_tanpa_jawaban"))
        return None
    return Respondent(
        answers=tuple(answers),
        tanggal=tanggal,
        layanan="" if _blank(values.get("layanan")) else str(values["layanan"]).strip(),
        profil=tuple(profile_value(f, values.get(f)) for f in PROFILE_FIELDS),
    )
