"""Survey responses as units actually have them, read with the position of every cell.

Units bring CSV (comma, semicolon or tab; UTF-8 with or without BOM, or UTF-16 as Excel's "Teks
Unicode" export writes it; Windows-1252 is refused with how to save as UTF-8) and `.xlsx` exports of
Google Forms or Excel (see `_xlsx_rows` for sheets, formulas, merged cells and hidden rows).
Headers are either the project's `U1`…`U9` or the questionnaire's own words, and two orders of the
nine unsur circulate, so a column is recognised by the unsur it names — never by where it stands.
Answers are 1–4 or the questionnaire's answer words ("3,0" counts as 3; "2,5" is refused). Every
problem becomes an Issue with the file, line and 1-based column of its cell; reading never stops at
the first one.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import datetime as dt
import functools
import io
import math
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import openpyxl
from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.exceptions import InvalidFileException

from sp_builder import fmt_id, tables
from sp_builder.errors import Issue, Severity
from sp_builder.files import decode_text, display_path, package_problem, read_text, size_issue
from sp_builder.unit import readers

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
    unsur: frozenset[str] = frozenset()  # kode of the unsur that have a column ("U1"); empty = not known
    layanan_kolom: int = 0  # 1-based column of the layanan field, 0 without one
    # each service name as written in the layanan column, with the lines that wrote it (first seen first)
    layanan_baris: tuple[tuple[str, tuple[int, ...]], ...] = field(default=(), repr=False)


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
_SCORE_PREFIX = re.compile(r"^\s*[1-4](?:[.,]0+)?\s*[-–—.):=(]?\s*")  # "4 - " of "4 - Sangat Sesuai"


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
    if number is not None and not math.isfinite(number):  # "9" * 400, or an .xlsx cell past 1.8e308
        return 0, "skm.jawaban_di_luar_rentang", f"{unsur.judul}: jawaban {fmt_id.short(str(value), 20)} di luar rentang 1–4; {scale}"
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
    numbered = readers.read_answer(text)  # "4 - Sangat Sesuai", "4. Sangat sesuai", "3 (Mudah)"
    if numbered:
        words = _SCORE_PREFIX.sub("", text, count=1)
        said = unsur.jawaban.get(normalise(words))
        if said and said != numbered:
            return 0, "skm.jawaban_bertentangan", (
                f'{unsur.judul}: jawaban "{text}" menulis angka {numbered} tetapi "{words.strip()}" berarti {said}; '
                f"perbaiki salah satunya; {scale}")
        return numbered, "", ""
    return 0, "skm.jawaban_tidak_dikenal", (f'{unsur.judul}: jawaban "{text}" tidak dikenal; tulis 1–4 atau '
                                            f'salah satu dari: {", ".join(unsur.kata)}')


def parse_date(value: Any) -> dt.date | None:
    """A date cell: an Excel date, or text as `fmt_id.baca_tanggal` reads it (day-first, as
    Indonesia writes dates); None if unreadable."""
    return fmt_id.baca_tanggal(value)


_AGE = re.compile(r"(\d{1,3})(?:[.,]\d+)?\s*(?:th|thn|tahun)?\.?", re.IGNORECASE)  # "25", "25,5", "25 th"


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


class UncalculatedFormula(str):
    """An .xlsx cell holding a formula whose value was never stored (a file written by a program,
    not saved by Excel or LibreOffice): its value is unknown, and guessing would be wrong."""


class _BrokenCsv(Exception):
    """The csv module gave up (a field over its size limit: in practice a quote never closed)."""

    def __init__(self, line: int):
        super().__init__(line)
        self.line = line


def _delimiter(head: list[str]) -> str:
    """The separator of the header: of the first lines, the first that names an unsur when split by
    comma, semicolon or tab (split the widest by the one that does); the header may sit below title
    lines, and answers with a decimal comma ("3,0;2,5") must not decide. Without such a line, the
    one that splits the first line widest."""
    def split(line: str, delimiter: str) -> list[str]:
        try:
            return next(csv.reader([line], delimiter=delimiter), [])
        except csv.Error:  # a field past the csv module's size limit: the reader below reports it
            return [line]

    for line in head:
        naming = {d: fields for d in (",", ";", "\t") if _names_unsur(fields := split(line, d))}
        if naming:
            return max(naming, key=lambda d: len(naming[d]))
    return max((",", ";", "\t"), key=lambda d: len(split(head[0], d)))


def _csv_rows(text: str) -> Iterator[Row]:
    delimiter = _delimiter(text.splitlines()[:HEADER_SEARCH] or [""])  # a lone "\r" ends a line, as below
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 1
    try:
        for record in reader:
            yield line, record
            line = reader.line_num + 1
    except csv.Error:
        raise _BrokenCsv(line) from None


def _utf16(raw: bytes) -> str | None:
    """The codec of a UTF-16 file — Excel's "Teks Unicode" export is UTF-16 with a BOM, separated
    by tabs — or None. Without a BOM, ASCII text in UTF-16 shows as a zero byte every other byte."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    sample = raw[:200]
    if len(sample) >= 4 and sample.count(0) * 3 >= len(sample):
        return "utf-16-le" if sample[1::2].count(0) > sample[0::2].count(0) else "utf-16-be"
    return None


def _csv_text(path: Path, shown: str) -> tuple[str | None, list[Issue]]:
    """A CSV as text: UTF-8 (with or without BOM) or UTF-16; anything else is refused with how to
    save it again (Excel's plain "CSV" is Windows-1252, and guessing it would garble names)."""
    try:
        raw = path.read_bytes()
    except OSError:
        return read_text(path, shown)  # the same errors, worded once
    codec = _utf16(raw)
    if codec:
        try:
            return raw.decode(codec).lstrip("\ufeff"), []
        except UnicodeDecodeError:
            return None, [Issue(shown, 0, 0, "berkas tampak UTF-16 tetapi rusak; simpan ulang sebagai CSV UTF-8",
                                rule="berkas.bukan_utf8")]
    text, issues = decode_text(raw, shown)
    hint = ('; di Excel: Simpan Sebagai → "CSV UTF-8 (dibatasi koma)"; di LibreOffice: Simpan Sebagai → CSV '
            'dengan set karakter "Unicode (UTF-8)"')
    return text, [dataclasses.replace(i, message=i.message + hint) if i.rule == "berkas.bukan_utf8" else i
                  for i in issues]


_HIDDEN_ROW = re.compile(r"""<(?:\w+:)?row\b[^>]*?\bhidden=["'](?:1|true)["'][^>]*>""")
_ROW_NUMBER = re.compile(r"""\br=["'](\d+)["']""")
_MERGE = re.compile(r"""<(?:\w+:)?mergeCell\b[^>]*?\bref=["']([A-Z]+\d+:[A-Z]+\d+)["']""")


def _sheet_layout(path: Path, sheet) -> tuple[list[int], list[tuple[int, int, int, int]]]:
    """Hidden row numbers and merged ranges (min_col, min_row, max_col, max_row) of a sheet;
    openpyxl's read-only mode, which keeps large exports fast, does not expose them."""
    inner = getattr(sheet, "_worksheet_path", None)
    if not inner:
        return [], []
    with zipfile.ZipFile(path) as archive:
        xml = archive.read(inner).decode("utf-8", "replace")
    hidden = [int(m[1]) for tag in _HIDDEN_ROW.finditer(xml) if (m := _ROW_NUMBER.search(tag.group(0)))]
    merged = [range_boundaries(ref) for ref in _MERGE.findall(xml)]
    return hidden, merged


def _sheet_rows(sheet) -> tuple[list[Row], list[tuple[int, int]]]:
    """Rows of a sheet as values, and the (row, column) of every formula cell (its text in place)."""
    rows, formulas = [], []
    for number, cells in enumerate(sheet.iter_rows(), start=1):
        values = []
        for column, cell in enumerate(cells, start=1):
            if getattr(cell, "data_type", None) == "f":
                formulas.append((number, column))
                values.append(str(getattr(cell.value, "text", cell.value)))
            else:
                values.append(cell.value)
        rows.append((number, values))
    return rows, formulas


HEADER_SEARCH = 10  # the header row (the first naming an unsur) is looked for in this many rows


def _names_unsur(header: list[Any]) -> bool:
    return any(column.kind == "unsur" for column in _columns(header, ("", 0))[0])


def _header_index(rows: list[Row]) -> int | None:
    """Index of the header among the first non-blank rows: the first that names an unsur, so the
    title lines an export puts above the table ("REKAP SKM 2026", the unit's name) are passed over."""
    filled = 0
    for index, (_, cells) in enumerate(rows):
        if all(_blank(c) for c in cells):
            continue
        if _names_unsur(cells):
            return index
        filled += 1
        if filled >= HEADER_SEARCH:
            break
    return None


def _xlsx_rows(path: Path, shown: str) -> tuple[list[Row], list[Issue]]:
    """The responses of a workbook. The sheet read is the first visible one with a row naming an
    unsur near its top (so a "Petunjuk" sheet before the data is passed over); other sheets that also name unsur
    (a "Rekap" of averages) are not counted, and a warning says so. Formulas count with the value
    Excel stored; a merged cell counts its value in every cell it covers; hidden rows are counted,
    with a warning."""
    issues: list[Issue] = []
    book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        sheets = [sheet for sheet in book.worksheets if sheet.sheet_state == "visible"] or book.worksheets[:1]
        read = [(sheet, *_sheet_rows(sheet)) for sheet in sheets]
        with_unsur = [entry for entry in read if _header_index(entry[1]) is not None]
        sheet, rows, formulas = (with_unsur or read)[0]
        for other, _, _ in with_unsur[1:]:
            issues.append(Issue(shown, 0, 0, f'lembar "{other.title}" juga memuat kolom unsur SKM tetapi tidak '
                                             f'dihitung; hanya lembar "{sheet.title}" yang dibaca — satukan jawaban '
                                             "dalam satu lembar", Severity.WARNING, rule="skm.lembar_lain"))
        if sheet is not read[0][0] and with_unsur:
            issues.append(Issue(shown, 0, 0, f'dibaca lembar "{sheet.title}" (lembar pertama "{read[0][0].title}" '
                                             "tidak memuat kolom unsur); nomor baris di bawah ini merujuk lembar itu",
                                Severity.WARNING, rule="skm.lembar_dibaca"))
        hidden, merged = _sheet_layout(path, sheet)
    finally:
        book.close()
    if formulas:
        _formula_values(path, sheet.title, rows, formulas)
    for min_col, min_row, max_col, max_row in merged:
        top = rows[min_row - 1][1] if min_row <= len(rows) else []
        value = top[min_col - 1] if min_col <= len(top) else None
        for number in range(min_row, min(max_row, len(rows)) + 1):
            cells = rows[number - 1][1]
            cells.extend([None] * (max_col - len(cells)))
            for column in range(min_col, max_col + 1):
                if cells[column - 1] is None:
                    cells[column - 1] = value
    hidden = [n for n in hidden if n <= len(rows) and not all(_blank(c) for c in rows[n - 1][1])]
    if hidden:
        listed = ", ".join(str(n) for n in hidden[:5]) + (", …" if len(hidden) > 5 else "")
        issues.append(Issue(shown, hidden[0], 0, f"{len(hidden)} baris disembunyikan di Excel (baris {listed}) "
                                                 "tetapi tetap dihitung; hapus barisnya bila tidak boleh dihitung",
                            Severity.WARNING, rule="skm.baris_tersembunyi"))
    return rows, issues


def _formula_values(path: Path, title: str, rows: list[Row], formulas: list[tuple[int, int]]) -> None:
    """Put in place of each formula the value Excel stored with it, or an UncalculatedFormula."""
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        stored = {number: list(cells) for number, cells in
                  enumerate(book[title].iter_rows(values_only=True), start=1)}
    finally:
        book.close()
    for number, column in formulas:
        cached = stored.get(number, [])
        value = cached[column - 1] if column <= len(cached) else None
        cells = rows[number - 1][1]
        cells[column - 1] = UncalculatedFormula(cells[column - 1]) if value is None else value


MAX_SURVEY_BYTES = 200 << 20  # 100 000 responses are ~6 MB as CSV, ~4 MB as .xlsx


def _rows(path: Path, shown: str) -> tuple[list[Row] | None, list[Issue]]:
    with contextlib.suppress(OSError):
        if (size := path.stat().st_size) > MAX_SURVEY_BYTES:
            return None, [size_issue(shown, size, MAX_SURVEY_BYTES, "100.000 jawaban survei hanya sekitar 6 MB")]
    if path.suffix.lower() == ".xls":
        return None, [Issue(shown, 0, 0, "berkas .xls (Excel 97–2003) tidak didukung; simpan ulang sebagai .xlsx "
                                         "atau CSV UTF-8", rule="skm.xls_lama")]
    if path.suffix.lower() == ".xlsx":
        problem = package_problem(path)
        if problem:
            return None, [Issue(shown, 0, 0, problem, rule="skm.xlsx_rusak")]
        try:
            return _xlsx_rows(path, shown)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError):
            return None, [Issue(shown, 0, 0, "berkas .xlsx tidak dapat dibuka (rusak atau bukan .xlsx); simpan ulang "
                                             "dari Excel atau Google Sheets sebagai .xlsx", rule="skm.xlsx_rusak")]
    text, issues = _csv_text(path, shown)
    if text is None:
        return None, issues
    try:
        return list(_csv_rows(text)), []
    except _BrokenCsv as exc:
        return None, [Issue(shown, exc.line, 0, f'baris {exc.line} dan seterusnya tidak dapat dibaca sebagai CSV: satu '
                                                'sel terlalu panjang, biasanya karena tanda kutip (") yang tidak '
                                                "ditutup; periksa tanda kutip mulai baris ini", rule="skm.csv_rusak")]


def read_rows(path: Path | str) -> tuple[list[Row] | None, list[Issue]]:
    """The rows of any answer file as this module reads survey exports (CSV in its encodings and
    separators, .xlsx with formulas, merged cells and hidden rows), each with its 1-based line; for
    other questionnaires, such as the PEKPPP F-03, that read their own headers."""
    path = Path(path)
    return _rows(path, display_path(path))


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
    start = _header_index(rows) or 0
    if start:
        lines = f"baris {rows[0][0]}" + (f"–{rows[start - 1][0]}" if start > 1 else "")
        issues.append(Issue(shown, rows[0][0], 0, f"{lines} di atas judul kolom dilewati sebagai judul laporan; "
                                                   f"judul kolom dibaca dari baris {rows[start][0]}",
                            Severity.WARNING, rule="skm.baris_judul"))
    rows = rows[start:]
    header_line, header = rows[0]
    columns, header_issues = _columns(header, (shown, header_line))
    issues += header_issues
    unsur_columns = [c for c in columns if c.kind == "unsur"]
    if not unsur_columns:
        issues.append(Issue(shown, 0, 0, "tidak ada kolom unsur SKM; beri judul kolom U1…U9 atau nama unsurnya "
                                         '(mis. "Persyaratan", "Waktu penyelesaian")', rule="skm.tanpa_unsur"))
        return None, issues
    issues += _missing_unsur(header, columns, (shown, header_line))
    width = max(c.index for c in columns) + 1
    short_rows = path.suffix.lower() == ".csv"  # .xlsx rows may end at their last filled cell
    respondents = []
    row_issues: list[Issue] = []
    lines_of: dict[str, list[int]] = {}
    for line, cells in rows[1:]:
        if short_rows and len(cells) < width:
            row_issues.append(_short_row(cells, columns, (shown, line)))
        respondent = _respondent(cells, columns, (shown, line), row_issues)
        if respondent is not None:
            respondents.append(respondent)
            if respondent.layanan:
                lines_of.setdefault(respondent.layanan, []).append(line)
    issues += fold_repeats(row_issues, _column_labels(header, columns), rows)
    if not respondents and not any(i.is_error for i in issues):
        issues.append(Issue(shown, 0, 0, "tidak ada jawaban responden di bawah judul kolom",
                            rule="skm.tanpa_responden"))
    fields = frozenset(c.key for c in columns if c.kind == "field")
    present = frozenset(unsur_table()[c.key].kode for c in unsur_columns)
    layanan_kolom = next((c.index + 1 for c in columns if c.key == "layanan"), 0)
    return SurveyFile(shown, tuple(respondents), fields, present, layanan_kolom,
                      tuple((name, tuple(lines)) for name, lines in lines_of.items())), issues


def _missing_unsur(header: list[Any], columns: list[_Column], where: tuple[str, int]) -> list[Issue]:
    """One warning naming the unsur that have no column, at the header (reported with the other
    problems of the file, so a misspelt header is found in the same run); a header that was not
    recognised and resembles a missing unsur is named with it."""
    path, line = where
    table = unsur_table()
    present = {c.key for c in columns if c.kind == "unsur"}
    missing = [i for i in range(len(table)) if i not in present]
    if not missing:
        return []
    used = {c.index for c in columns}
    unknown = {str(cell).strip(): n for n, cell in enumerate(header, start=1)
               if n - 1 not in used and not _blank(cell)}
    hints, column = [], 0
    for i in missing:
        guess = None
        for name in (table[i].nama, *table[i].sinonim):
            guess = readers.closest(name, list(unknown))
            if guess:
                break
        if guess:
            column = column or unknown[guess]
            hints.append(f'kolom {unknown[guess]} "{guess}" tidak dikenali — maksudnya {table[i].judul}?')
    names = ", ".join(table[i].judul for i in missing)
    message = (f"tidak ada kolom untuk {len(missing)} unsur: {names}; unsur ini tidak dihitung dari berkas ini — "
               f'beri judul kolom U1…U9 atau nama unsurnya (mis. "{table[missing[0]].nama}")')
    if hints:
        message += "; " + "; ".join(hints)
    return [Issue(path, line, column, message, Severity.WARNING, rule="skm.kolom_unsur_tidak_ada")]


def _short_row(cells: list[Any], columns: list[_Column], where: tuple[str, int]) -> Issue:
    path, line = where
    table = unsur_table()
    lost = [table[c.key].kode if c.kind == "unsur" else str(c.key) for c in columns if c.index >= len(cells)]
    width = max(c.index for c in columns) + 1
    return Issue(path, line, len(cells) + 1 if cells else 0,
                 f"baris ini hanya berisi {len(cells)} kolom, judul kolom {width}: {', '.join(lost)} dianggap "
                 "tidak diisi; bila jawabannya ada, periksa pemisah kolom (koma atau titik koma) yang hilang",
                 Severity.WARNING, rule="skm.baris_pendek")


def _column_labels(header: list[Any], columns: list[_Column]) -> dict[int, str]:
    """1-based column → how a summary names it: the unsur code ("U3") or the header as written."""
    table = unsur_table()
    return {c.index + 1: table[c.key].kode if c.kind == "unsur" else str(header[c.index]).strip() for c in columns}


REPEATS_SHOWN = 3  # the same problem down a column: this many lines in full, then one summary

_REPEAT_WORDS = {
    "skm.jawaban_tidak_dikenal": "berisi jawaban yang tidak dikenal",
    "skm.jawaban_di_luar_rentang": "berisi jawaban di luar rentang 1–4",
    "skm.jawaban_bukan_bulat": "berisi jawaban yang bukan bilangan bulat",
    "skm.jawaban_bertentangan": "berisi jawaban yang angka dan katanya berbeda",
    "skm.rumus_tanpa_nilai": "berisi rumus tanpa nilai tersimpan",
    "skm.tanggal_tidak_terbaca": "berisi tanggal yang tidak dapat dibaca",
    "skm.baris_pendek": "berakhir di sini, sebelum kolom terakhir judul kolom",
    "skm.baris_tanpa_jawaban": "tanpa jawaban unsur satu pun (tidak dihitung)",
}


def fold_repeats(issues: list[Issue], labels: dict[int, str], rows: list[Row] | None = None) -> list[Issue]:
    """The issues of the rows, with the same problem (rule) repeated in one column shown for its
    first REPEATS_SHOWN lines and then once as "kolom U3: 120 baris lagi berisi …" at the next line,
    with the values written there (from `rows`) and the lines it spans."""
    groups: dict[tuple, list[Issue]] = {}
    cells: dict[int, list[Any]] | None = None
    for issue in issues:
        groups.setdefault((issue.path, issue.column, issue.rule, issue.severity), []).append(issue)
    out: list[Issue] = []
    for (path, column, rule, severity), found in groups.items():
        out += found[:REPEATS_SHOWN]
        rest = found[REPEATS_SHOWN:]
        if not rest:
            continue
        what = _REPEAT_WORDS.get(rule, f"dengan masalah yang sama ({rule})")
        values = ""
        if column and rows is not None:
            cells = cells if cells is not None else dict(rows)
            seen = list(dict.fromkeys(fmt_id.short(str(v), 30) for i in rest
                                      if not _blank(v := _cell(cells.get(i.line, []), column))))
            if seen:
                values = " (" + ", ".join(f'"{v}"' for v in seen[:3]) + (", …" if len(seen) > 3 else "") + ")"
        lines = f"baris {rest[0].line}–{rest[-1].line}" if len(rest) > 1 else f"baris {rest[0].line}"
        where = f"kolom {labels.get(column, column)}: " if column else ""
        out.append(Issue(path, rest[0].line, column,
                         f"{where}{len(rest)} baris lagi {what}{values}, {lines}; perbaiki dengan cara yang "
                         "sama seperti di atas", severity, rule=rule))
    return out


def _cell(cells: list[Any], column: int) -> Any:
    return cells[column - 1] if column - 1 < len(cells) else None


def _respondent(cells: list[Any], columns: list[_Column], where: tuple[str, int],
                issues: list[Issue]) -> Respondent | None:
    """One row as a Respondent (None when it has no answer); its problems are added to issues."""
    path, line = where
    table = unsur_table()
    answers = [0] * len(table)
    values: dict[str, Any] = {}
    for column in columns:
        value = cells[column.index] if column.index < len(cells) else None
        if isinstance(value, UncalculatedFormula):
            issues.append(Issue(path, line, column.index + 1,
                                f"sel berisi rumus {value} tanpa nilai tersimpan; buka dan simpan ulang berkas di "
                                "Excel atau LibreOffice agar nilainya tersimpan, atau ganti rumus dengan nilainya",
                                rule="skm.rumus_tanpa_nilai"))
            value = None
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
