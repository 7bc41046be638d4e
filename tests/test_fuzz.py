"""Robustness: whatever a unit folder holds, the library answers with positioned Indonesian issues
and the command line with a message and exit code 0 or 1 — never an exception, never a traceback.

Every test here takes its number of examples from the hypothesis profile (tests/fuzz_profiles.py):
"ci" keeps the normal suite short and reproducible, "fuzz" (tools/fuzz.sh) runs the long search.
Expensive tests (rendering, the command line) run a fixed fraction of the profile's number, so the
fuzz profile scales them too. Temporary folders are made inside each example, not by fixtures.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import functools
import io
import json
import re
import shutil
import tempfile
import zipfile
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, note, reject, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from sp_builder import fmt_id, tables
from sp_builder.errors import InputError, Issue, Severity, UserError
from sp_builder.unit.load import read_yaml
from sp_builder.files import real_path

pytestmark = pytest.mark.fuzz

TODAY = dt.date(2025, 6, 1)
DATA = Path(__file__).parent / "data"
VALID = DATA / "unit-valid"
SCHEMAS = Path(__file__).parent.parent / "schemas"

_CHEAP = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                   HealthCheck.filter_too_much])


def share(fraction: float):
    """Settings for an expensive test: a fraction of the active profile's examples (at least 5)."""
    return settings(max_examples=max(5, int(settings.default.max_examples * fraction)), **_CHEAP)


cheap = settings(**_CHEAP)


# ---------------------------------------------------------------------------------------------
# What every issue must look like

_INDONESIAN = re.compile(
    r"\b(tidak|bukan|harus|tulis|berkas|kunci|belum|wajib|ada|di|dan|atau|yang|ini|itu|kolom|jawaban|"
    r"tanggal|ganti|hapus|isi|periksa|kosong|dikenal|folder|sebelum|setelah|layanan|peserta|unsur|tarif|"
    r"komponen|butir|daftar|tanda|karakter|pilih|kurung|indentasi|ditulis|memuat|instrumen|bukti|opsi)\b",
    re.IGNORECASE)
_ENGLISH_EXCEPTION = re.compile(r"Traceback|^\w*(Error|Exception)\b|object has no attribute|unhashable type|"
                                r"not supported between|takes \d+ positional")
_LINE_BREAKS = re.compile(r"\r\n|[\n\r\x85\u2028\u2029]")


def line_count(text: str) -> int:
    """Lines as YAML counts them (\\r, NEL, LS and PS break lines too)."""
    return len(_LINE_BREAKS.findall(text)) + 1


def assert_message(message: str) -> None:
    assert message and message == message.strip(), repr(message)
    assert _INDONESIAN.search(message), f"message not in Indonesian: {message!r}"
    assert not _ENGLISH_EXCEPTION.search(message), f"an exception leaked into a message: {message!r}"


def assert_issue(issue: Issue, lines: int | None = None) -> None:
    """One issue: a path, a position (0 = the file as a whole), a severity, an Indonesian message."""
    assert isinstance(issue, Issue)
    assert issue.path
    assert issue.line >= 0 and issue.column >= 0
    assert issue.column == 0 or issue.line >= 1
    if lines is not None:
        assert issue.line <= lines + 1, (issue, lines)
    assert isinstance(issue.severity, Severity)
    assert_message(issue.message)
    assert issue.format().startswith(issue.path)
    json.dumps(issue.as_dict(), ensure_ascii=False)


def assert_issues_in_unit(issues: list[Issue], root: Path) -> None:
    """Issues of a unit: sorted, each naming a path inside the unit and a line inside that file."""
    assert issues == sorted(issues, key=Issue.sort_key)
    resolved = root.resolve()
    for issue in issues:
        target = real_path(issue.path).resolve()
        assert target == resolved or target.is_relative_to(resolved), (issue.path, root)
        lines = None
        if target.is_file() and target.suffix in (".yaml", ".yml"):
            raw = target.read_bytes()
            lines = line_count(raw.decode("utf-8", "replace"))
        assert_issue(issue, lines)


# ---------------------------------------------------------------------------------------------
# Values and YAML trees, with the key names of the real schemas


@functools.cache
def schema_keys() -> tuple[str, ...]:
    """Every key a schema of schemas/ names, at any depth, plus the 14 components and the keys of
    evaluasi.yaml."""
    keys: set[str] = set()

    def walk(schema: dict) -> None:
        for key, rule in schema.items():
            if key.startswith("_"):
                continue
            keys.add(key)
            if isinstance(rule, dict):
                for nested in (rule.get("schema"), (rule.get("schema") or {}).get("schema")
                               if isinstance(rule.get("schema"), dict) else None):
                    if isinstance(nested, dict) and all(isinstance(v, dict) for v in nested.values()):
                        walk(nested)

    for path in sorted(SCHEMAS.glob("*.schema.yaml")):
        walk(tables.load_data(path.name))
    keys |= {c.key for c in tables.components()}
    keys |= {"instrumen", "periode", "jawaban", "opsi", "catatan", "bukti", "uraian", "keterangan", "tarif",
             "saluran", "kontak", "jabatan", "jumlah", "semula", "menjadi", "berkas"}
    return tuple(sorted(keys))


@functools.cache
def indicator_ids() -> tuple[str, ...]:
    from sp_builder.instrument import load_instrument

    return tuple(load_instrument().indicators)


SLUGS = ["ktp-el", "kartu-keluarga", "akta-lahir", "x", "layanan baru", "ünïcödé"]
INTERESTING = [
    "", " ", "0", "Gratis", "Rp0,00", "tidak dipungut biaya", "3 hari kerja", "paling lama 14 hari kerja",
    "3 (tiga) hari kerja sejak berkas lengkap", "secepatnya", "60 menit", "rancangan", "ditetapkan", "A4", "F4",
    "penyelenggara", "pengguna_layanan", "oms", "media", "dengar pendapat", "diskusi kelompok terfokus",
    "SP4N-LAPOR!", "https://www.lapor.go.id", "dukcapil@kotauji.go.id", "bukan surel", "http://", "logo.png",
    "alur.png", "../x.png", "/etc/passwd", "C:\\x.png", "bukti/tidak-ada.pdf", "x.json", "transisi-2022-a",
    "permenpanrb-17-2017", "197001011995031001", "19750512 200003 2 004", "199913312020121001",
    "000000000000000000", "2025-01-15", "2025-02-30", "15/01/2025", "15 Januari 2025", "2024-13-01",
    "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik", "Perda Nomor 1 Tahun 2020", "UUD 1945",
    "{{ x }}", "{% for x in y %}", "{{ unit.nama }}", "& <x> \"'", "\u200b", "\ufeff", "\x00", "\x1b[31m",
    "a\nb", "\t", "\u202e", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "🙂", "1.a.Ak", "3.a.T", "ktp-el", "jangka_waktu", "biaya",
] + SLUGS

# Control characters are left to test_read_yaml_text: YAML forbids them in a file, and they would
# only turn every tree below into the same "karakter kendali" error.
PRINTABLE = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff\ufffe\uffff\x85\u2028\u2029")
texts = st.text(PRINTABLE, max_size=30)
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10, 100), st.integers(-10**30, 10**30), st.floats(),
    texts, st.text(PRINTABLE, min_size=200, max_size=2000), st.dates(), st.datetimes(),
    st.sampled_from([v for v in INTERESTING if not re.search(r"[\x00-\x1f\ufeff]", v)]),
)
keys = st.one_of(st.sampled_from(schema_keys()), st.sampled_from(SLUGS), st.sampled_from(indicator_ids()),
                 st.text(PRINTABLE, max_size=10))
odd_keys = st.one_of(st.integers(), st.booleans(), st.none(), st.dates())
trees = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(keys, children, max_size=6),
        st.dictionaries(st.one_of(keys, odd_keys), children, max_size=3),
    ),
    max_leaves=25,
)
documents = st.one_of(st.dictionaries(keys, trees, min_size=1, max_size=10), trees)

_yaml = YAML(typ="safe", pure=True)
_yaml.width = 1 << 16  # ruamel's emitter can fold a double-quoted line right after an escaped "\\" and
# so write a space that was not in the value (its bug, not the reader's): do not fold


def dump(value) -> str:
    buffer = io.StringIO()
    _yaml.dump(value, buffer)
    return buffer.getvalue()


def load_valid(name: str) -> dict:
    return _yaml.load((VALID / name).read_text(encoding="utf-8"))


@st.composite
def mutated(draw, base: dict, values=trees, max_changes: int = 4):
    """A copy of a valid document with a few values replaced, deleted or added at any depth."""
    import copy

    doc = copy.deepcopy(base)
    for _ in range(draw(st.integers(0, max_changes))):
        node, path = doc, []
        while isinstance(node, (dict, list)) and node and draw(st.booleans()):
            step = draw(st.sampled_from(list(node)) if isinstance(node, dict) else st.integers(0, len(node) - 1))
            if not isinstance(node[step], (dict, list)):
                break
            node, path = node[step], path + [step]
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if isinstance(node, dict):
            if node and action != "add":
                key = draw(st.sampled_from(list(node)))
                if action == "delete":
                    del node[key]
                else:
                    node[key] = draw(values)
            else:
                node[draw(keys)] = draw(values)
        elif isinstance(node, list):
            if node and action != "add":
                index = draw(st.integers(0, len(node) - 1))
                if action == "delete":
                    del node[index]
                else:
                    node[index] = draw(values)
            else:
                node.append(draw(values))
    return doc


# A unit folder: unit.yaml, layanan/, fkp/, evaluasi.yaml — each file a random tree, a mutated
# valid file, or raw text; sometimes missing.
def file_content(base: dict | None):
    options = [documents.map(dump), st.text(max_size=200)]
    if base is not None:
        options = [mutated(base).map(dump)] * 2 + options
    return st.one_of(*options)


@st.composite
def units(draw):
    files: dict[str, str] = {}
    if draw(st.integers(0, 9)):
        files["unit.yaml"] = draw(file_content(load_valid("unit.yaml")))
    for slug in draw(st.lists(st.sampled_from(SLUGS), max_size=3, unique=True)):
        base = load_valid(f"layanan/{draw(st.sampled_from(['ktp-el', 'kartu-keluarga']))}.yaml")
        files[f"layanan/{slug}.yaml"] = draw(file_content(base))
    for slug in draw(st.lists(st.sampled_from(["fkp-2025", "fkp-lain"]), max_size=2, unique=True)):
        files[f"fkp/{slug}.yaml"] = draw(file_content(load_valid("fkp/fkp-2025.yaml")))
    if draw(st.booleans()):
        base = {"instrumen": "transisi-2022-a", "periode": 2025,
                "jawaban": {"1.a.Ak": {"opsi": 3, "catatan": "ada", "bukti": ["logo.png"]}}}
        files["evaluasi.yaml"] = draw(file_content(base))
    return files


@contextlib.contextmanager
def loaded_unit(files: dict[str, str | bytes]):
    """The files written as a unit in a temporary folder and loaded: (root, unit or None, issues),
    the issues checked to be sorted and inside the unit."""
    from sp_builder.unit.validate import load_unit

    note(repr(files))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "unit"
        write_unit(root, files)
        unit, issues = load_unit(root, TODAY)
        assert_issues_in_unit(issues, root)
        yield root, unit, issues


def write_unit(root: Path, files: dict[str, str | bytes]) -> None:
    root.mkdir(parents=True)
    for name in ("logo.png", "alur.png"):
        shutil.copy(VALID / name, root / name)
    (root / "layanan").mkdir()
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# (a) read_yaml on arbitrary bytes and text


def _check_read(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.yaml"
        path.write_bytes(raw)
        file, issues = read_yaml(path, "x.yaml")
    if file is None:
        assert any(issue.is_error for issue in issues)
    else:
        assert not any(issue.is_error for issue in issues)
        assert isinstance(file.data, dict) and all(isinstance(k, str) for k in file.data)
    lines = max(line_count(raw.decode(codec, "replace")) for codec in ("utf-8", "utf-16-le", "utf-16-be"))
    for issue in issues:
        assert issue.path == "x.yaml"
        assert_issue(issue, lines)


YAML_TOKENS = st.sampled_from([
    "a", "nama", "persyaratan", "- ", "-", ": ", ":", "\n", "\n  ", "\n    ", "  ", " ", "\t", "[", "]", "{", "}",
    ", ", "'", '"', "\\", "#", "&x ", "*x", "*y", "!!str ", "!!binary ", "!x ", "? ", "|", ">", "|-\n  ", "---\n",
    "...\n", "%YAML 1.2\n", "%TAG ! tag:x:\n", "<<: ", "~", "null", "true", "yes", "no", "0x1F", "0o17", ".inf",
    ".nan", "1e400", "9" * 40, "2025-02-30", "2025-01-15", "2025-01-15T10:00:00", "https://x.id", "é", "🙂",
    "\u2028", "\x85", "\r", "\r\n", "\x00", "\x07", "\ufeff", "\\x00", "\\u00e9", "=", "@", "`",
])
yaml_like_text = st.lists(YAML_TOKENS, max_size=40).map("".join)


@cheap
@given(raw=st.one_of(
    st.binary(max_size=300),
    yaml_like_text.map(lambda t: t.encode("utf-8")),
    st.tuples(st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff", b""]),
              st.sampled_from(["utf-8", "utf-16-le", "utf-16-be", "utf-32", "latin-1"]), yaml_like_text)
    .map(lambda t: t[0] + t[2].encode(t[1], "replace")),
))
def test_read_yaml_never_raises_on_arbitrary_bytes(raw):
    _check_read(raw)


@cheap
@given(text=st.one_of(st.text(max_size=300), yaml_like_text))
def test_read_yaml_never_raises_on_arbitrary_text(text):
    _check_read(text.encode("utf-8", "surrogatepass"))


def _without_nan(value) -> bool:
    if isinstance(value, float):
        return value == value
    if isinstance(value, dict):
        return all(_without_nan(k) and _without_nan(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_without_nan(v) for v in value)
    return True


def _keypaths(value, prefix=()):
    if isinstance(value, dict):
        for key, item in value.items():
            yield prefix + (key,)
            yield from _keypaths(item, prefix + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield prefix + (index,)
            yield from _keypaths(item, prefix + (index,))


@cheap
@given(tree=st.dictionaries(keys, trees, min_size=1, max_size=10))
def test_a_dumped_tree_reads_back_equal_with_positions_inside_the_file(tree):
    """YAML 1.2 written by a YAML 1.2 dumper is read back as written, and every key path has a
    position on a line of the file."""
    text = dump(tree)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.yaml"
        path.write_text(text, encoding="utf-8")
        file, issues = read_yaml(path, "x.yaml")
    for issue in issues:
        assert_issue(issue, line_count(text))
    if file is None:
        return
    if _without_nan(tree):
        assert file.data == tree
    lines = line_count(text)
    for keypath in _keypaths(tree):
        line, column = file.position(keypath)
        assert 1 <= line <= lines and column >= 1, (keypath, line, column)


# ---------------------------------------------------------------------------------------------
# (b) random unit folders: load_unit, validate_paths, validate_file


@cheap
@given(files=units())
def test_load_unit_and_validate_paths_never_raise(files):
    from sp_builder.unit.validate import validate_paths

    with loaded_unit(files) as (root, unit, issues):
        event("load_unit: " + ("no unit" if unit is None else "errors" if any(i.is_error for i in issues) else "valid"))
        if "unit.yaml" not in files:
            assert unit is None
        if unit is not None:
            assert {s.slug for s in unit.services} <= {Path(n).stem for n in files if n.startswith("layanan/")}
        paths = [root] + [root / name for name in sorted(files)]
        everything = validate_paths(paths, TODAY)
        assert_issues_in_unit(everything, root)
        if "unit.yaml" in files:  # a folder without one is "bukan folder unit" as a whole
            assert set(issues) <= set(validate_paths([root], TODAY))


# ---------------------------------------------------------------------------------------------
# (c) a unit that validates without errors renders: whole services built from valid parts mutated

words = st.text(PRINTABLE, min_size=1, max_size=30).filter(str.strip)  # valid for most text fields
plausible = st.one_of(
    words, words, words, st.lists(words, min_size=1, max_size=3), st.lists(words, min_size=1, max_size=3),
    st.sampled_from(INTERESTING), texts, st.integers(-5, 10**30), st.dates(),
    st.lists(st.one_of(texts, st.sampled_from(INTERESTING)), min_size=1, max_size=3),
    st.lists(st.fixed_dictionaries({"uraian": texts}, optional={"keterangan": texts}), min_size=1, max_size=3),
    st.fixed_dictionaries({"tarif": st.one_of(st.integers(0, 10**30), texts, st.lists(
        st.fixed_dictionaries({"uraian": texts, "tarif": st.integers(0, 10**30)}), min_size=1, max_size=3)),
        "dasar_hukum": st.sampled_from(INTERESTING[-30:])}),
    st.lists(st.fixed_dictionaries({"jabatan": texts, "jumlah": st.integers(0, 10**6)}), min_size=1, max_size=3),
    st.lists(st.fixed_dictionaries({"saluran": texts, "kontak": texts}), min_size=1, max_size=3),
    trees,
)


@st.composite
def renderable_units(draw):
    files = {"unit.yaml": dump(draw(mutated(load_valid("unit.yaml"), plausible, 2)))}
    for slug in draw(st.lists(st.sampled_from(SLUGS), min_size=1, max_size=3, unique=True)):
        base = load_valid(f"layanan/{draw(st.sampled_from(['ktp-el', 'kartu-keluarga']))}.yaml")
        files[f"layanan/{slug}.yaml"] = dump(draw(mutated(base, plausible, 3)))
    fkp = load_valid("fkp/fkp-2025.yaml")
    fkp["layanan"] = [Path(n).stem for n in files if n.startswith("layanan/")]
    fkp.pop("kesepakatan", None)
    if draw(st.booleans()):
        files["fkp/fkp-2025.yaml"] = dump(draw(mutated(fkp, plausible, 2)))
    return files


def render_in_memory(unit) -> list[tuple[str, bytes]]:
    from sp_builder.documents.render import plan, render_jobs, template_sources

    jobs, _skipped = plan(unit, "all")
    sources = template_sources(jobs, None, unit.root)
    return [(job.output, blob) for job, blob in zip(jobs, render_jobs(jobs, sources, workers=1))]


@share(0.5)
@given(files=renderable_units())
def test_a_unit_without_errors_renders_every_document(files):
    with loaded_unit(files) as (root, unit, issues):
        if unit is None or any(i.is_error for i in issues):
            event("unit has errors: not rendered")
            return
        event("unit valid: rendered")
        try:
            documents = render_in_memory(unit)
        except UserError as exc:  # a document that does not apply is a message, not a crash
            assert_message(str(exc))
            return
    assert len([d for d, _ in documents if str(d).startswith("sp")]) == len(unit.services)
    for name, blob in documents:
        with zipfile.ZipFile(io.BytesIO(blob)) as docx:
            assert "word/document.xml" in docx.namelist(), name
            xml = docx.read("word/document.xml").decode("utf-8")
        assert "{{" not in xml and "{%" not in xml or any("{{" in c or "{%" in c for c in files.values())


# ---------------------------------------------------------------------------------------------
# (d) formatters

all_dates = st.dates()
four_digit_years = st.dates(min_value=dt.date(1000, 1, 1))


@cheap
@given(d=all_dates)
def test_date_formatters_round_trip_through_baca_tanggal(d):
    long = fmt_id.tanggal(d)
    assert long == f"{d.day} {fmt_id.bulan(d.month)} {d.year}"
    assert fmt_id.tanggal_hari(d) == f"{fmt_id.hari(d)}, {long}"
    assert fmt_id.baca_tanggal(d.isoformat()) == d
    assert fmt_id.baca_tanggal(dt.datetime.combine(d, dt.time(23, 59))) == d
    if d.year >= 1000:
        assert fmt_id.baca_tanggal(long) == d
        assert fmt_id.baca_tanggal(fmt_id.tanggal_angka(d)) == d
        assert fmt_id.baca_tanggal(long.upper() + ".") == d
    words = fmt_id.tanggal_kata(d)
    assert words == (f"{fmt_id.hari(d)} tanggal {fmt_id.terbilang(d.day)} bulan {fmt_id.bulan(d.month)} "
                     f"tahun {fmt_id.terbilang(d.year)}")
    assert not re.search(r"\d", words)


_UNITS = {w: n for n, w in enumerate(["nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan",
                                      "sembilan", "sepuluh", "sebelas"])}
_SCALES = (("triliun", 10**12), ("miliar", 10**9), ("juta", 10**6))


def parse_terbilang(words: list[str]) -> int:
    """The inverse of fmt_id.terbilang, written independently: the last (so outermost) occurrence of
    the largest scale word splits a number into head × scale + tail."""
    if words[:1] == ["minus"]:
        return -parse_terbilang(words[1:])
    for word, value in _SCALES:
        if word in words:
            i = len(words) - 1 - words[::-1].index(word)
            assert i > 0, words
            return parse_terbilang(words[:i]) * value + (parse_terbilang(words[i + 1:]) if words[i + 1:] else 0)
    for word, head in (("ribu", None), ("seribu", ["satu"])):
        if word in words:
            i = words.index(word)
            head = head or words[:i]
            assert head and (word == "ribu" or i == 0), words
            return parse_terbilang(head) * 1000 + (parse_terbilang(words[i + 1:]) if words[i + 1:] else 0)
    for word, head in (("ratus", None), ("seratus", ["satu"])):
        if word in words:
            i = words.index(word)
            head = head or words[:i]
            assert len(head) == 1 and head != ["satu"] or word == "seratus", words
            return _UNITS[head[0]] * 100 + (parse_terbilang(words[i + 1:]) if words[i + 1:] else 0)
    if len(words) >= 2 and words[1] == "puluh":
        assert 2 <= _UNITS[words[0]] <= 9, words
        return _UNITS[words[0]] * 10 + (_UNITS[words[2]] if len(words) == 3 else 0)
    if len(words) == 2 and words[1] == "belas":
        assert 2 <= _UNITS[words[0]] <= 9, words
        return 10 + _UNITS[words[0]]
    assert len(words) == 1, words
    return _UNITS[words[0]]


@cheap
@given(n=st.one_of(st.integers(-10**4, 10**4), st.integers(-10**40, 10**40)))
def test_terbilang_round_trips_and_is_lowercase_words(n):
    words = fmt_id.terbilang(n)
    assert re.fullmatch(r"[a-z]+( [a-z]+)*", words)
    assert n == 0 or "nol" not in words.split()
    assert parse_terbilang(words.split()) == n
    assert fmt_id.angka_kata(n).endswith(f" ({words})")


@cheap
@given(n=st.one_of(st.integers(0, 10**6), st.integers(-10**40, 10**40)))
def test_rupiah_round_trips_for_any_size(n):
    text = fmt_id.rupiah(n)
    assert re.fullmatch(r"Rp-?\d{1,3}(\.\d{3})*,00", text)
    assert int(text.removeprefix("Rp").removesuffix(",00").replace(".", "")) == n
    full = fmt_id.rupiah_terbilang(n)
    assert full.startswith(text + " (") and full.endswith(")")
    assert ("tidak dipungut biaya" in full) == (n == 0)


@cheap
@given(x=st.one_of(st.floats(), st.decimals(), st.fractions(), st.integers(-10**40, 10**40)),
       places=st.integers(0, 6))
def test_desimal_is_indonesian_notation_or_a_value_error(x, places):
    value = (Decimal(x.numerator) / Decimal(x.denominator) if isinstance(x, Fraction)
             else Decimal(repr(x)) if isinstance(x, float) else Decimal(x))
    try:
        text = fmt_id.desimal(x, places)
    except ValueError:  # the documented refusal: infinity and NaN
        assert not value.is_finite()
        return
    assert value.is_finite()
    assert re.fullmatch(r"-?\d{1,3}(\.\d{3})*" + (r",\d{%d}" % places if places else ""), text), text
    written = Decimal(text.replace(".", "").replace(",", "."))
    assert abs(written - value) <= Decimal(1).scaleb(-places) / 2 + abs(value) * Decimal("1e-27")


@cheap
@given(s=st.one_of(
    st.text(max_size=30),
    st.lists(st.sampled_from(list("0123456789") + [" ", "\t", "\u3000", "\xa0", "٣", "x"]), max_size=24).map("".join),
    st.text(alphabet="0123456789", min_size=18, max_size=18),
))
def test_nip_groups_18_digits_and_leaves_anything_else_stripped(s):
    out = fmt_id.nip(s)
    digits = "".join(s.split())
    if re.fullmatch(r"[0-9]{18}", digits):
        assert out == f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"
    else:
        assert out == s.strip()
    assert fmt_id.nip(out) == out  # idempotent


_DAY_MONTH = st.integers(0, 99).map(str) | st.integers(0, 9).map(lambda n: f"0{n}")
_MONTHS = ["Januari", "Pebruari", "agu", "Nopember", "des", "Brumaire", "sept", "mei", "MARET"]


@cheap
@given(value=st.one_of(
    st.text(max_size=40), st.integers(), st.floats(), st.none(), st.booleans(), st.dates(), st.datetimes(),
    st.tuples(_DAY_MONTH, st.sampled_from(["-", "/", ".", " ", "--"]), _DAY_MONTH, st.integers(0, 99999),
              st.sampled_from(["", " 10:00", "T08:00:00", ".", " x"]))
    .map(lambda t: f"{t[0]}{t[1]}{t[2]}{t[1]}{t[3]}{t[4]}"),
    st.tuples(st.integers(0, 9999), st.sampled_from(["-", "/"]), _DAY_MONTH, _DAY_MONTH)
    .map(lambda t: f"{t[0]:04d}{t[1]}{t[2]}{t[1]}{t[3]}"),
    st.tuples(_DAY_MONTH, st.sampled_from(_MONTHS), st.integers(0, 9999))
    .map(lambda t: f"{t[0]} {t[1]} {t[2]:04d}"),
))
def test_baca_tanggal_returns_a_real_date_or_none(value):
    got = fmt_id.baca_tanggal(value)
    assert got is None or type(got) is dt.date
    if isinstance(value, dt.date):
        assert got == (value.date() if isinstance(value, dt.datetime) else value)
    if got is not None and isinstance(value, str):
        assert str(got.year) in value or f"{got.year:04d}" in value


_ROMAN = {"M": 1000, "D": 500, "C": 100, "L": 50, "X": 10, "V": 5, "I": 1}


@cheap
@given(n=st.integers(-10**6, 10**6))
def test_romawi_and_bulan_return_text_or_the_documented_value_error(n):
    try:
        roman = fmt_id.romawi(n)
    except ValueError as exc:
        assert not 1 <= n <= 3999 and str(n) in str(exc)
    else:
        values = [_ROMAN[c] for c in roman]
        assert sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values)) == n
    try:
        name = fmt_id.bulan(n)
    except ValueError as exc:
        assert not 1 <= n <= 12 and str(n) in str(exc)
    else:
        assert 1 <= n <= 12 and name.isalpha() and name[0].isupper()
        assert fmt_id.tanggal(dt.date(2025, n, 1)) == f"1 {name} 2025"


# ---------------------------------------------------------------------------------------------
# an instrument file (a unit may bring its own): checked, never a crash; a clean one builds


@functools.cache
def shipped_instrument() -> dict:
    return json.loads((Path(__file__).parents[1] / "schemas" / "instrumen" / "transisi-2022-a.json")
                      .read_text(encoding="utf-8"))


@cheap
@given(data=st.one_of(trees, st.deferred(lambda: mutated(shipped_instrument(), trees, 6))))
def test_instrument_check_never_raises_and_a_file_it_passes_builds(data):
    from sp_builder.instrument import _build, check_instrument_data

    problems = check_instrument_data(data, "x.json")
    assert all(isinstance(p, Issue) and p.path == "x.json" and p.is_error for p in problems)
    event("instrument: " + ("problems" if problems else "clean"))
    if not problems:
        instrument = _build(data)
        assert instrument.indicators


# ---------------------------------------------------------------------------------------------
# (e) SKM survey files


@functools.cache
def survey_headers() -> tuple[str, ...]:
    data = tables.load_data("skm.yaml")
    headers = [f"U{i}" for i in range(0, 12)] + ["Unsur 3", "u 7 perilaku", "U1 Prosedur"]
    headers += [s for row in data["unsur"] for s in row["sinonim"][:2]]
    headers += [h for names in data["kolom"].values() for h in names[:2]]
    headers += ["Bagaimana pendapat Saudara?", "Persyaratan dan prosedur", "", "Timestamp"]
    return tuple(headers)


@functools.cache
def answer_words() -> tuple[str, ...]:
    data = tables.load_data("skm.yaml")
    words = [w for spellings in data["jawaban_umum"].values() for w in spellings]
    words += [w for row in data["unsur"] for spellings in row["jawaban"].values() for w in spellings[:1]]
    return tuple(words)


cells = st.one_of(
    st.sampled_from(["1", "2", "3", "4", "0", "5", "-1", "2,5", "3.0", "+4", "", " ", "a. Sangat baik", "L", "P",
                     "Perempuan", "SMA", "S1", "PNS", "25", "25 th", "999", "2025-01-15", "15/01/2025",
                     "31/02/2025", "15 Januari 2025", "kemarin", "ktp-el", '"', "'", "\\", "\x00", "=1+1"]),
    st.sampled_from(answer_words()), st.text(max_size=15), st.integers(-10, 10**20).map(str),
)


@st.composite
def survey_csv(draw) -> bytes:
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    header = draw(st.lists(st.one_of(st.sampled_from(survey_headers()), st.text(max_size=12)), max_size=14))
    width = max(len(header), 1)
    rows = draw(st.lists(st.lists(cells, min_size=0, max_size=width + 2), max_size=12))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=draw(st.sampled_from(["\n", "\r\n", "\r"])),
                        quoting=draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC])))
    for row in [header, *rows]:
        writer.writerow(row)
    text = buffer.getvalue()
    if draw(st.integers(0, 9)) == 0:  # a broken export: cut, quote left open, or a huge field
        text = draw(st.sampled_from([text[: len(text) // 2], text + '"unterminated', text + "x" * 200_000]))
    prefix = draw(st.sampled_from([b"", b"\xef\xbb\xbf"]))
    encoding = draw(st.sampled_from(["utf-8"] * 8 + ["utf-16", "latin-1"]))
    return prefix + text.encode(encoding, "replace")


def _check_survey(path: Path, raw_lines: int) -> None:
    from sp_builder.survey import skm
    from sp_builder.survey.responses import read_survey

    survey, issues = read_survey(path)
    for issue in issues:
        assert_issue(issue, raw_lines)
    if survey is None:
        assert any(i.is_error for i in issues)
    else:
        for respondent in survey.respondents:
            assert len(respondent.answers) == 9 and all(0 <= a <= 4 for a in respondent.answers)
            assert any(respondent.answers)
    try:
        result, analysed = skm.analyse([path], today=TODAY)
    except UserError as exc:
        pytest.fail(f"analyse raised UserError on a .csv/.xlsx file: {exc}")
    for issue in analysed:
        assert_issue(issue)
    if result is None:
        assert any(i.is_error for i in analysed)
    else:
        assert not any(i.is_error for i in analysed)
        assert Decimal(25) <= result.ikm.nilai <= Decimal(100)
        assert result.responden >= 1


@cheap
@given(raw=st.one_of(survey_csv(), st.binary(max_size=300)))
def test_survey_csv_reading_never_raises(raw):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "survei.csv"
        path.write_bytes(raw)
        _check_survey(path, line_count(raw.decode("utf-8", "replace")))


xlsx_cells = st.one_of(cells, st.none(), st.integers(-10, 10), st.floats(allow_nan=False, allow_infinity=False),
                       st.booleans(), st.dates(min_value=dt.date(1900, 3, 1)),
                       st.datetimes(min_value=dt.datetime(1900, 3, 1)))


@share(0.2)
@given(header=st.lists(st.sampled_from(survey_headers()), max_size=12),
       rows=st.lists(st.lists(xlsx_cells, max_size=13), max_size=8))
def test_survey_xlsx_reading_never_raises(header, rows):
    import openpyxl
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = openpyxl.Workbook()
    sheet = book.active
    for row in [header, *rows]:  # a worksheet cannot hold control characters
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", c) if isinstance(c, str) else c for c in row])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "survei.xlsx"
        book.save(path)
        _check_survey(path, len(rows) + 1)


# ---------------------------------------------------------------------------------------------
# (f) the command line


def _run(args: list[str]):
    from click.testing import CliRunner

    from sp_builder.cli import main

    result = CliRunner().invoke(main, args, catch_exceptions=True)
    output = result.output + (getattr(result, "stderr", "") or "")
    assert result.exception is None or isinstance(result.exception, SystemExit), (args, output)
    assert "Traceback" not in output and "galat internal" not in output, (args, output)
    assert result.exit_code in (0, 1), (args, result.exit_code, output)
    return result


@share(0.2)
@given(files=st.one_of(units(), renderable_units()),
       csv_raw=st.one_of(st.none(), survey_csv()))
def test_cli_never_shows_a_traceback(files, csv_raw):
    note(repr(files))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "unit"
        if csv_raw is not None:
            files = {**files, "skm/survei.csv": csv_raw}
        write_unit(root, files)
        result = _run(["validate", str(root)])
        assert result.output.strip()
        result = _run(["validate", "--format", "json", str(root)])
        issues = json.loads(result.stdout)
        assert all(set(i) == {"file", "line", "column", "severity", "component", "rule", "message"} for i in issues)
        assert (result.exit_code == 1) == any(i["severity"] == "galat" for i in issues)
        _run(["check", str(root)])
        result = _run(["check", "--format", "json", str(root)])
        if result.exit_code == 0 or result.stdout.lstrip().startswith("{"):
            report = json.loads(result.stdout)
            assert {"unit", "services", "aspects", "indeks", "kategori", "kesenjangan"} <= set(report)
        out = Path(tmp) / "keluaran"
        result = _run(["render", "all", str(root), "-o", str(out)])
        event(f"render exit {result.exit_code}")
        if result.exit_code == 1:
            assert not out.exists() or not any(out.rglob("*.docx"))
        if csv_raw is not None:
            _run(["skm", str(root)])
            _run(["skm", "--format", "json", str(root / "skm" / "survei.csv")])
