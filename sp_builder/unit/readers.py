"""Tolerant readers of component values: what units write, read once for every command.

Published SPs write "± 15 menit", "Rp. 0,-", "4 (empat) orang", "1. Surat Pengantar ..." and
complaint channels as one line of text. validate, render, import, diff, check and build must read
those the same way, or one command accepts what another refuses; so each form is read here, once,
into a small frozen value that keeps the unit's own words (`text`) beside the structure the code
needs. The word lists live in `schemas/bacaan.yaml`; this module holds only the grammar.

Readers never raise on user input: a value they cannot read gives None (or a reading that says
what is missing) and the validator turns that into a message.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import functools
import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from sp_builder import fmt_id, tables

# ---------------------------------------------------------------------------------------------
# Shared text handling

# Spaces pasted from Word and web pages (no-break, thin, figure, zero-width) count as spaces.
_ODD_CHARS = str.maketrans(
    {c: " " for c in "\u00a0\u2007\u202f\u2009\u200a\u3000"}
    | {"\u200b": None, "\ufeff": None, "\u00ad": None}
    | {c: "-" for c in "\u2010\u2011\u2012\u2212"}
)


def _clean(text: str) -> str:
    """Odd spaces to plain ones, odd hyphens to "-", tabs to spaces; newlines are kept (they
    separate items)."""
    if not text.isascii():
        text = text.translate(_ODD_CHARS)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\t", " ") if "\t" in text else text


def _fold(text: str) -> str:
    """One line, single spaces: the form word tables are matched against."""
    return " ".join(_clean(text).split())


def _words_re(words: list[str] | tuple[str, ...]) -> str:
    """An alternation of literal words, longest first so "hari kerja" wins over "hari", with
    runs of spaces inside a word matching any whitespace."""
    ordered = sorted({w.casefold() for w in words}, key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(part) for part in w.split()) for w in ordered)


def _is_text(value: Any) -> bool:
    return isinstance(value, str)


def _is_number(value: Any) -> bool:
    """YAML's true/false are ints to Python and .inf/.nan are floats; none is a number in an SP."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


@functools.cache
def _data() -> dict:
    return tables.load_data("bacaan.yaml")


@functools.cache
def _number_words() -> dict[str, float]:
    """"satu" .. "seratus" as fmt_id writes them, plus the table's extra words ("setengah")."""
    words = {fmt_id.terbilang(n): float(n) for n in range(1, 101)}
    words |= {str(k).casefold(): float(v) for k, v in _data()["angka_kata"].items()}
    return words


@functools.cache
def _number_word_re() -> str:
    return _words_re(list(_number_words()))


_AND_A_HALF = re.compile(r"\s+setengah$", re.IGNORECASE)


def _number(text: str) -> float | None:
    """"3", "1,5", "3 (tiga)", "tiga (3)", "tiga" → the number; digits win over words; "satu
    setengah", "2 setengah" (and a half) add 0,5."""
    text = text.strip()
    if (half := _AND_A_HALF.search(text)) and (whole := _number(text[: half.start()])):
        return whole + 0.5
    if m := re.search(r"\d+(?:[.,]\d+)?", text):
        return float(m.group().replace(",", "."))
    return _number_words().get(" ".join(text.casefold().split()))


def _plain_number(value: float) -> str:
    """3.0 → "3", 1.5 → "1,5": numbers as Indonesian text writes them."""
    if value == int(value):
        return str(int(value))
    return f"{value:.4f}".rstrip("0").rstrip(".").replace(".", ",")


# ---------------------------------------------------------------------------------------------
# Hand numbering and list items

_ROMAN = r"(?:x{0,3}(?:ix|iv|v?i{1,3}|v)|x{1,3})"


@functools.cache
def _mark_re() -> re.Pattern:
    """A numbering mark typed at the start of an item: "1." "1)" "(1)" "a." "a)" "(a)" "ii." or a
    bullet. "1." needs a space or a letter after it ("1.Kotak Saran" is numbered, "1.5 jam" is
    not); "a." needs a space, the end or a capital ("a.Facebook"), so "a.n." stays text."""
    bullets = "|".join(re.escape(b) for b in sorted(_data()["tanda_butir"], key=len, reverse=True))
    return re.compile(
        rf"""(?:
            \(\s*(?P<pnum>\d{{1,3}})\s*\)
          | \(\s*(?P<palpha>[a-z]|{_ROMAN})\s*\)
          | (?P<num>\d{{1,3}}(?:\.\d{{1,3}})*)(?P<numc>[.)])(?=[ ]|$|[^\W\d_])
          | (?P<alpha>{_ROMAN}|[a-z])(?P<alphac>[.)])(?=[ ]|$|(?-i:[A-Z]))
          | (?P<bullet>(?:{bullets})(?!\d))
        )[ ]*""",
        re.IGNORECASE | re.VERBOSE,
    )


def strip_numbering(text: str) -> str:
    """The item without the numbering typed by hand ("1. 1. Surat" → "Surat"): documents number
    items themselves, so a typed number would print twice. "3 hari" and "2 lembar" keep theirs."""
    rest = _clean(str(text)).strip()
    while (m := _mark_re().match(rest)) and m.end():  # each turn shortens the text
        rest = rest[m.end():].strip()
    return rest


def _mark(line: str) -> tuple[str, str, str] | None:
    """(style, value, rest) of a numbered line; style tells levels apart ("1." vs "1)" vs "a.")."""
    m = _mark_re().match(line)
    if not m or m.end() == 0:
        return None
    rest = line[m.end():]
    if m["pnum"]:
        return "(1)", m["pnum"], rest
    if m["palpha"]:
        return "(a)", m["palpha"].lower(), rest
    if m["num"]:
        return "1" + m["numc"], m["num"], rest
    if m["alpha"]:
        return "a" + m["alphac"], m["alpha"].lower(), rest
    return "-" + m["bullet"], "", rest


@dataclass(frozen=True)
class ItemNode:
    """One list item as the unit meant it: its words without typed numbering, an optional
    keterangan, and the sub-items typed under it ("a." under "1.")."""

    text: str
    keterangan: str = ""
    children: tuple[ItemNode, ...] = ()
    from_colon: bool = False  # YAML read "- 3. Bagi domisili: fotokopi ..." as a one-key mapping


@dataclass
class _Draft:
    text: str
    children: list[_Draft] = field(default_factory=list)

    def freeze(self) -> ItemNode:
        return ItemNode(self.text.strip(), children=tuple(c.freeze() for c in self.children))


def _resolve_roman(style: str, value: str, stack: list[list]) -> tuple[str, str]:
    """"i." after "h." is a letter; "i." opening a sub-list, or "ii.", is a Roman numeral."""
    if not style.startswith("a") or not re.fullmatch(_ROMAN, value):
        return style, value
    closer = style[1:]
    for entry in reversed(stack):
        if entry[0] == "a" + closer and len(value) == 1 and entry[3] and ord(value) == ord(entry[3]) + 1:
            return style, value
        if entry[0] == "i" + closer:
            return "i" + closer, value
    if len(value) > 1 or value == "i":
        return "i" + closer, value
    return style, value


def _inline_split(line: str) -> list[str] | None:
    """"1. KTP 2. KK 3. Surat pengantar" on one line (copied from a PDF) → its items, when the
    line opens with "1." or "a." and the next numbers follow in order."""
    m = re.match(r"\s*(?:(1)|([aA]))([.)])\s", line)
    if not m:
        return None
    closer = m.group(3)
    digits = m.group(1) is not None
    parts, start, n = [], m.end(), 2
    while True:
        token = str(n) if digits else chr(ord("a") + n - 1)
        nxt = re.compile(rf"(?:(?<=\s)|(?<=;)){re.escape(token)}{re.escape(closer)}(?=\s)", 0 if digits else re.IGNORECASE)
        found = nxt.search(line, start)
        if not found:
            break
        parts.append(line[start:found.start()])
        start, n = found.end(), n + 1
    if not parts:
        return None
    parts.append(line[start:])
    return [p.strip() for p in parts]


def _split_block(text: str) -> list[ItemNode]:
    """A text block where a list is expected: one item per numbered line (wrapped lines join the
    item above), sub-lists by a change of numbering style or by indentation; a block without any
    numbering gives one item per line."""
    lines = [ln.rstrip() for ln in _clean(text).split("\n") if ln.strip()]
    if not lines:
        return []
    if len(lines) == 1:
        parts = _inline_split(lines[0])
        if parts:
            return [ItemNode(strip_numbering(p)) for p in parts if strip_numbering(p)]
        return [ItemNode(strip_numbering(lines[0]))]
    marked = [(len(ln) - len(ln.lstrip(" ")), _mark(ln.lstrip(" ")), ln.strip()) for ln in lines]
    bare = [k for k, (_, m, t) in enumerate(marked) if m is None and _BARE_NUMBER.match(t)]
    if any(m for _, m, _ in marked) and _bare_levels([(marked[k][0], marked[k][2]) for k in bare]):
        for k in bare:  # "1 BPJS" over its "1. FC KK": a level of its own
            indent, _, text = marked[k]
            number = _BARE_NUMBER.match(text)
            marked[k] = (indent, ("1 ", number[1], text[number.end():]), text)
    if not any(m for _, m, _ in marked):
        return _without_bare_numbers([ItemNode(strip_numbering(t)) for _, _, t in marked if strip_numbering(t)])
    roots: list[_Draft] = []
    stack: list[list] = []  # [style, indent, draft, last value]
    for indent, mark, line in marked:
        if mark is None:
            if stack:
                last = stack[-1][2]
                last.text = f"{last.text} {line}".strip()
            else:
                draft = _Draft(line)
                roots.append(draft)
                if line.endswith(":"):
                    stack.append(["intro", indent, draft, ""])
            continue
        style, value, rest = mark
        style, value = _resolve_roman(style, value, stack)
        draft = _Draft(strip_numbering(rest))
        level = next((k for k in range(len(stack) - 1, -1, -1) if stack[k][0] == style and stack[k][1] <= indent + 1), None)
        if level is not None and level == len(stack) - 1 and indent >= stack[level][1] + 2 and (style.startswith("-") or style == "1 "):
            level = None  # the same bullet, indented further: a sub-list
        if level is None and stack and indent + 1 < stack[-1][1]:
            level = next((k for k in range(len(stack) - 1, -1, -1) if stack[k][1] <= indent), None)
        if level is not None:
            del stack[level + 1:]
            parent = stack[level - 1][2] if level > 0 else None
            stack[level] = [style, indent, draft, value]
        else:
            parent = stack[-1][2] if stack else None
            stack.append([style, indent, draft, value])
        (parent.children if parent is not None else roots).append(draft)
    return [d.freeze() for d in roots if d.text or d.children]


# Keys a prosedur step may carry for the drawn flowchart and the SOP AP (SPEC: prosedur items): a
# one-key mapping on one of them is meant as a mapping.
STEP_KEYS = frozenset({"uraian", "keterangan", "pelaksana", "waktu", "output", "kelengkapan", "jika_tidak"})


def colon_text(item: Any, tail_text: Any = None) -> str | None:
    """The text the unit meant when YAML read an unquoted "3. Bagi usaha: fotokopi ..." as a
    one-key mapping, or None when the mapping is meant as one (a step's key, a heading over its
    sub-list). `tail_text(head, tail)` may give the value as typed (a number keeps its 0)."""
    if not isinstance(item, dict) or len(item) != 1:
        return None
    (head, tail), = item.items()
    if head in STEP_KEYS or not isinstance(head, str):
        return None
    if tail is None:
        return f"{head}:"
    if isinstance(tail, (str, int, float)) and not isinstance(tail, bool):
        return f"{head}: {tail_text(head, tail) if tail_text else tail}"
    return None


def is_sublist_heading(item: Any) -> bool:
    """`- Bangunan dan Gedung:` with its items indented under it: a sub-list, as units write them."""
    return (isinstance(item, dict) and len(item) == 1 and isinstance(next(iter(item)), str)
            and isinstance(next(iter(item.values())), list))


def split_items(value: Any) -> list[ItemNode]:
    """Any list component as items: a list of texts or {uraian, keterangan}, a numbered text
    block, or a single text. A one-key mapping with a list under it ("- Persyaratan umum:" and
    its sub-list) is an item with children; with a text under it, the text YAML split at an
    unquoted colon, joined back and flagged so the validator can say to quote it."""
    if value is None:
        return []
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return _split_block(str(value))
    if isinstance(value, dict):
        return [_mapping_item(value)]
    if not isinstance(value, list):
        return [ItemNode(str(value))]
    nodes: list[ItemNode] = []
    for entry in value:
        if isinstance(entry, list):
            children = tuple(split_items(entry))
            if nodes:
                last = nodes.pop()
                nodes.append(ItemNode(last.text, last.keterangan, last.children + children, last.from_colon))
            else:
                nodes.extend(children)
        elif isinstance(entry, dict):
            nodes.append(_mapping_item(entry))
        elif entry is not None:
            nodes.extend(_split_entry(str(entry)))
    return _without_bare_numbers(nodes)


_BARE_NUMBER = re.compile(r"(\d{1,3})[ \t]+(?=([^\W\d_][\w%]*))")


@functools.cache
def _counted_things() -> frozenset[str]:
    """Words after a number that count a thing ("1 lembar"), so the number is not numbering."""
    return frozenset(str(w).casefold() for w in _data()["satuan_benda"])


def _bare_numbered(texts: list[str]) -> bool:
    """Whether a list's items were numbered with bare numbers, "1 BPJS", "2 KTP": at least two
    items, counting 1, 2, 3 … in order, none whose number counts a thing ("1 lembar")."""
    if len(texts) < 2:
        return False
    for n, text in enumerate(texts, 1):
        m = _BARE_NUMBER.match(text.strip())
        if not m or int(m[1]) != n or m[2].casefold() in _counted_things():
            return False
    return True


def _bare_levels(lines: list[tuple[int, str]]) -> bool:
    """Whether the bare-numbered lines of a block ((indent, text)) number it: per indentation, runs
    that each count 1, 2, 3 … (a sub-list starts again at 1), at least one run of two."""
    runs: dict[int, list[list[str]]] = {}
    for indent, text in lines:
        number = int(_BARE_NUMBER.match(text)[1])
        level = runs.setdefault(indent, [])
        if number == 1 or not level:
            level.append([])
        level[-1].append(text)
    all_runs = [run for level in runs.values() for run in level]
    lone_first = all(len(run) > 1 or _BARE_NUMBER.match(run[0])[2].casefold() not in _counted_things()
                     for run in all_runs)
    return lone_first and any(len(run) >= 2 for run in all_runs) and all(
        _bare_numbered(run) for run in all_runs if len(run) >= 2)


def _without_bare_numbers(nodes: list[ItemNode]) -> list[ItemNode]:
    if not _bare_numbered([node.text for node in nodes]):
        return nodes
    return [ItemNode(_BARE_NUMBER.sub("", node.text.strip(), count=1), node.keterangan, node.children, node.from_colon)
            for node in nodes]


def _split_entry(text: str) -> list[ItemNode]:
    """One entry of a list the unit wrote: split only when it holds several numbered lines (a
    block pasted as one item); otherwise one item, its line breaks as written."""
    lines = [ln.strip() for ln in _clean(text).split("\n") if ln.strip()]
    if sum(1 for ln in lines if _mark(ln)) >= 2:
        return _split_block(text)
    rest = strip_numbering(text)
    return [ItemNode(rest)] if rest else []


def _mapping_item(entry: dict) -> ItemNode:
    if "uraian" in entry:
        return ItemNode(strip_numbering(str(entry.get("uraian") or "")), _fold(str(entry.get("keterangan") or "")))
    if len(entry) == 1:
        key, val = next(iter(entry.items()))
        if isinstance(val, list):
            return ItemNode(strip_numbering(str(key)).rstrip(":").strip(), children=tuple(split_items(val)))
        joined = f"{key}: {val}" if val not in (None, "") else f"{key}:"
        return ItemNode(strip_numbering(joined), from_colon=True)
    return ItemNode(_fold(", ".join(f"{k}: {v}" for k, v in entry.items())), from_colon=True)


# Spaces around a colon, but not the colon of a time ("08:00") or of a URL ("https://").
_COLON_SPACES = re.compile(r"(?<=\D)\s*:\s*(?!//)|^\s*:\s*|\s+:\s*|:\s+")
_TRAILING = re.compile(r"(?:\s*[;,]\s*(?:dan|atau|serta)\s*|\s*\b(?:dan|atau)\s*$|\s*[;,.]+\s*)+$", re.IGNORECASE)


@functools.cache
def _paren_words_re() -> re.Pattern:
    words = _number_word_re()
    return re.compile(rf"(\d+)(?:\s*\(\s*(?:{words})(?:\s+(?:{words}|ribu|juta|rupiah))*\s*\))+", re.IGNORECASE)


def comparable(text: Any) -> str:
    """The form two texts are compared in (diff, import, rapikan): no typed numbering, single
    spaces, "Email : x" as "Email: x", "60 (enam puluh) menit" as "60 menit", and no trailing
    "; dan", ";" or "." — none of which a reader sees as a change."""
    s = _fold(strip_numbering(str(text)))
    s = _paren_words_re().sub(r"\1", s)
    s = _COLON_SPACES.sub(": ", s)
    while (trimmed := _TRAILING.sub("", s).strip().rstrip(":").rstrip()) != s:
        s = trimmed  # nor a closing ":" of a heading over its sub-list
    return s


# ---------------------------------------------------------------------------------------------
# Jangka waktu


@functools.cache
def _units() -> dict[str, dict]:
    """Canonical unit → {menit, hari_kerja} per working minute/day (see bacaan.yaml)."""
    per_day = float(_data()["menit_per_hari_kerja"])
    out = {}
    for row in _data()["satuan_waktu"]:
        if "menit" in row:
            minutes = float(row["menit"])
            out[row["satuan"]] = {"menit": minutes, "hari_kerja": minutes / per_day}
        else:
            days = float(row["hari_kerja"])
            out[row["satuan"]] = {"menit": days * per_day, "hari_kerja": days}
    return out


@functools.cache
def _unit_variants() -> dict[str, str]:
    return {" ".join(v.casefold().split()): row["satuan"] for row in _data()["satuan_waktu"] for v in row["varian"]}


@functools.cache
def _comparisons() -> tuple[re.Pattern, dict[str, str]]:
    meaning = {" ".join(w.casefold().split()): row["arti"] for row in _data()["pembanding"] for w in row["kata"]}
    return re.compile(rf"(?:^|(?<=[\s(]))(?:{_words_re(list(meaning))})\s*$", re.IGNORECASE), meaning


@functools.cache
def _duration_re() -> re.Pattern:
    words = _number_word_re()
    num = rf"(?:(?:{words})\s*\(\s*\d+(?:[.,]\d+)?\s*\)|\d+(?:[.,]\d+)?(?:\s*\(\s*[^\W\d_][^()\n]*\))?|(?:{words}))"
    unit = rf"(?:{_words_re(list(_unit_variants()))})(?![^\W\d_])"
    sep = _words_re(_data()["rentang"])
    ones = "|".join(re.escape(w) for w in _data()["satu_satuan"])
    half = r"(?:\s+setengah(?![^\W\d_]))?"  # "satu setengah jam"
    return re.compile(
        rf"""(?<![\w.,])(?:
            (?P<kn>{num})\s*[x×]\s*24\s*jam(?![^\W\d_])
          | (?:(?P<lo>{num}{half})\s*(?P<lu>{unit})?\s*(?:{sep})\s*)?(?P<hi>{num}{half})\s*(?P<hu>{unit})(?P<hh>\s+setengah(?![^\W\d_]))?
          | (?P<one>{ones})(?![-\w])
        )""",
        re.IGNORECASE | re.VERBOSE,
    )


_LEGAL_BEFORE = re.compile(r"(?:nomor|no\.?|nmr\.?)\s*$", re.IGNORECASE)
_YEAR_AFTER = re.compile(r"\s*\d{4}\b")
_SEGMENT_SPLIT = re.compile(r"[;\n]|(?<!\d),|,(?!\d)")
_CONNECTORS = re.compile(r"^(?:dan|serta|lalu|kemudian|atau)\s+|\s+(?:dan|serta|selama|yaitu|adalah|ialah|waktu)$", re.IGNORECASE)


@dataclass(frozen=True)
class Amount:
    """A number of one time unit, "3 hari kerja"."""

    number: float
    unit: str  # canonical: menit | jam | hari | hari kerja | hari kalender | minggu | bulan | tahun | detik

    @property
    def minutes(self) -> float:
        """Working minutes (1 hari kerja = 480), so "90 menit" and "1 hari kerja" compare."""
        return self.number * _units()[self.unit]["menit"]

    @property
    def working_days(self) -> float:
        return self.number * _units()[self.unit]["hari_kerja"]

    @property
    def number_text(self) -> str:
        return _plain_number(self.number)

    def __str__(self) -> str:
        return f"{self.number_text} {self.unit}"


@dataclass(frozen=True)
class Stage:
    """One stage of a duration: "Pendaftaran 10 menit" or "1 sampai 3 hari kerja"; `low` and
    `high` differ for a range. `bound` says how the unit bounded it: maks, kurang, sekitar, min."""

    label: str
    text: str
    low: Amount
    high: Amount
    bound: str = ""


@dataclass(frozen=True)
class DurationReading:
    """A concrete `jangka_waktu`: its stages in order and upper bounds for comparisons.

    `number`, `unit` and `number_text` match model.Duration for a single stage; for several
    stages they give the longest stage, while `max_minutes` / `max_working_days` add all stages
    up (stages may be alternatives, so the sum is a bound, never an underestimate)."""

    text: str
    stages: tuple[Stage, ...]

    @property
    def _longest(self) -> Stage:
        return max(self.stages, key=lambda s: s.high.minutes)

    @property
    def number(self) -> float:
        return self._longest.high.number

    @property
    def unit(self) -> str:
        return self._longest.high.unit

    @property
    def number_text(self) -> str:
        return self._longest.high.number_text

    @property
    def is_staged(self) -> bool:
        return len(self.stages) > 1

    @property
    def max_minutes(self) -> float:
        return sum(s.high.minutes for s in self.stages)

    @property
    def max_working_days(self) -> float:
        return self.max_minutes / float(_data()["menit_per_hari_kerja"])


def _unit_of(text: str | None) -> str | None:
    return _unit_variants().get(" ".join(text.casefold().split())) if text else None


def _clean_label(raw: str) -> tuple[str, str]:
    """(label, bound) from the words before an amount: numbering, separators and comparison
    words ("maksimal", "±", "kurang dari") are not part of the label."""
    label = strip_numbering(_fold(raw)).strip(" :-–—,.;/")
    bound = ""
    pattern, meaning = _comparisons()
    for _ in range(3):
        m = pattern.search(label)
        if not m:
            break
        bound = bound or meaning.get(" ".join(m.group().casefold().split()), "")
        label = label[: m.start()].strip(" :-–—,.;/(")
    for _ in range(2):
        label = _CONNECTORS.sub("", label).strip(" :-–—,.;/")
    return label, bound


def _segment_stages(segment: str, prefix: str) -> list[Stage]:
    """The stages of one segment (a line or a part between ";" or ","): one per amount, each
    labelled by the words before it; words after the last amount (a condition) stay in its text."""
    found = []
    for m in _duration_re().finditer(segment):
        if m["one"]:
            unit = _data()["satu_satuan"][m["one"].casefold()]
            low = high = Amount(1.0, unit)
        elif m["kn"]:
            n = _number(m["kn"])
            if not n or n <= 0:
                continue
            low = high = Amount(n, _data()["kali_24_jam"])
        else:
            if _LEGAL_BEFORE.search(segment[: m.start()]) or (
                _unit_of(m["hu"]) == "tahun" and _YEAR_AFTER.match(segment, m.end())
            ):
                continue
            hi_n = _number(m["hi"])
            if hi_n is None or hi_n <= 0:
                continue
            if m["hh"]:  # "1 jam setengah"
                hi_n += 0.5
            high = Amount(hi_n, _unit_of(m["hu"]))
            lo_n = _number(m["lo"]) if m["lo"] else None
            low = Amount(lo_n, _unit_of(m["lu"]) or high.unit) if lo_n is not None else high
            if low.minutes > high.minutes:
                low, high = high, low
        found.append((m.start(), m.end(), low, high))
    stages: list[Stage] = []
    prev_end = 0
    for i, (start, end, low, high) in enumerate(found):
        before = segment[prev_end:start]
        if stages and not before.strip() and low == high and stages[-1].low == stages[-1].high \
                and _units()[stages[-1].high.unit]["menit"] > _units()[high.unit]["menit"]:
            last = stages.pop()  # "1 jam 30 menit": one amount in the smaller unit
            factor = _units()[last.high.unit]["menit"] / _units()[high.unit]["menit"]
            high = low = Amount(last.high.number * factor + high.number, high.unit)
            stage_text = f"{last.text} {segment[start:end]}"
            stages.append(Stage(last.label, stage_text.strip(), low, high, last.bound))
            prev_end = end
            continue
        label, bound = _clean_label(((prefix + " ") if i == 0 and prefix else "") + before)
        tail = segment[end:] if i == len(found) - 1 else ""
        text = strip_numbering(_fold(segment[prev_end:end] + tail)).strip(" ,;")
        if i == 0 and prefix:
            text = f"{prefix} {text}"
        stages.append(Stage(label, text, low, high, bound))
        prev_end = end
    return stages


_CONDITION = re.compile(r"^(?:jika|apabila|bila|bilamana|sejak|setelah|sesudah|terhitung|dihitung|bagi|untuk|dengan|tergantung|kecuali)\b", re.IGNORECASE)


def _heads_next(segment: str, rest: list[str]) -> bool:
    """A short line without an amount above an amount without a label ("Pasien Lama" over "5-10
    Menit") labels that amount, unless it reads as a condition ("sejak berkas lengkap")."""
    words = _fold(segment).split()
    if not rest or not words or len(words) > 6 or _CONDITION.match(_fold(segment)):
        return False
    after = _segment_stages(rest[0], "")
    return bool(after) and not after[0].label


_QUOTES = re.compile(r"[“”„‟\"]")  # '“10-15” Menit' (Puskesmas Suppa): quotes around the numbers


def _text_stages(text: str) -> list[Stage]:
    """Stages of a duration text: segments with no amount are a label for the next one when
    they end with ":" ("a. Verifikasi dokumen:" above its time) and a condition of the previous
    one otherwise ("..., jika berkas lengkap")."""
    stages: list[Stage] = []
    pending = ""
    segments = [s for s in _SEGMENT_SPLIT.split(_QUOTES.sub("", _clean(text))) if s.strip()]
    for k, segment in enumerate(segments):
        found = _segment_stages(segment, pending.strip())
        if found:
            stages.extend(found)
            pending = ""
        elif segment.strip().endswith(":") or not stages or _heads_next(segment, segments[k + 1:]):
            pending = f"{pending} {strip_numbering(_fold(segment))}".strip()
        else:
            last = stages.pop()
            stages.append(Stage(last.label, f"{last.text}, {_fold(segment)}", last.low, last.high, last.bound))
    return stages


def read_duration(value: Any) -> DurationReading | None:
    """Any `jangka_waktu` that names at least one number with a time unit: "< 10 menit",
    "1 x 24 jam", "1 sampai 3 hari kerja sejak permohonan diajukan", "Pendaftaran 10 menit,
    penyelesaian 1 hari kerja", lettered stages on several lines, or `[{tahap, waktu}]`.
    None when no concrete duration is named ("secepatnya", "sesuai antrean")."""
    if _is_text(value):
        stages = _text_stages(value)
        return DurationReading(_fold(value), tuple(stages)) if stages else None
    if isinstance(value, dict):
        if "waktu" in value:
            value = [value]
        else:
            value = [{"tahap": k, "waktu": v} for k, v in value.items()]
    if not isinstance(value, list) or not value:
        return None
    stages, texts = [], []
    for entry in value:
        if isinstance(entry, dict):
            label, waktu = _fold(str(entry.get("tahap") or "")), entry.get("waktu")
        else:
            label, waktu = "", entry
        found = _text_stages(waktu) if _is_text(waktu) else []
        if not found:
            return None  # one stage without a concrete time makes the whole duration vague
        if label:
            found = [Stage(f"{label}: {s.label}" if s.label else label, f"{label}: {s.text}", s.low, s.high, s.bound) for s in found]
        stages.extend(found)
        texts.append(f"{label}: {_fold(waktu)}" if label else _fold(waktu))
    return DurationReading("; ".join(texts), tuple(stages))


def duration_hint(value: Any = None) -> str:
    """What to write instead of a duration that names no time, naming what was written (the
    vague word, a number without unit) and showing the staged forms too."""
    example = ('tulis angka dan satuan, mis. "3 hari kerja" atau "paling lama 60 menit"; jika ada beberapa '
               'tahap, tulis tiap tahap dengan waktunya: "Pendaftaran 10 menit; penyelesaian 1 hari kerja", '
               'atau sebagai daftar "- tahap: Pendaftaran" dengan "waktu: 10 menit"')
    if isinstance(value, bool):
        return f'"{str(value).lower()}" bukan jangka waktu; {example}.'
    if _is_number(value):
        return f'angka "{_plain_number(float(value))}" tanpa satuan waktu; {example}.'
    if isinstance(value, list | dict) and value:
        entries = value if isinstance(value, list) else [value]
        waktu = [e.get("waktu") if isinstance(e, dict) else e for e in entries]
        vague = next((w for w in waktu if not (_is_text(w) and _text_stages(w))), None)
        return duration_hint(vague) if vague is not None and vague != value else f"ada tahap tanpa waktu; {example}."
    if not _is_text(value) or not value.strip():
        return f"Jangka waktu belum diisi; {example}."
    folded = _fold(value).casefold()
    vague = next((w for w in sorted(_data()["tanpa_durasi"], key=len, reverse=True)
                  if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", folded)), None)
    return f'"{vague or _fold(value)}" bukan durasi yang pasti; {example}.'


# ---------------------------------------------------------------------------------------------
# Biaya

_MONEY = re.compile(
    r"(?<![\w])rp\.?\s*(?P<n>\d{1,3}(?:[.\s]\d{3})+(?!\d)|\d+(?:[.,]\d+)?(?=\s*(?:ribu|rb|juta|jt)\b)|\d+)"
    r"(?:,(?:\d{1,2}|-{1,2})|\.-)?(?:\s*(?P<mul>ribu|rb|juta|jt)\b)?",
    re.IGNORECASE,
)
_BARE_MONEY = re.compile(r"\s*(?:rp\.?\s*)?(\d{1,3}(?:\.\d{3})+|\d+)(?:,(?:00|-{1,2})|\.-)?\s*(?:rupiah)?\s*[.,]?\s*", re.IGNORECASE)


@dataclass(frozen=True)
class FeeRow:
    """One tariff: `amount` in rupiah when a number was given; `text` the tariff as written."""

    uraian: str
    amount: int | None
    text: str = ""
    tail: str = ""  # words after the amount that open a list: "dengan :" of "Rp15.000,- dengan :"
    detail: tuple[str, ...] = ()  # that list: "1) Indeks golongan jenis usaha." …


@dataclass(frozen=True)
class FeeReading:
    """`biaya` read: free, or its tariffs and the legal basis (given, or named in the text)."""

    free: bool
    rows: tuple[FeeRow, ...] = ()
    basis: tuple[str, ...] = ()
    text: str = ""

    @property
    def needs_basis(self) -> bool:
        """A paid service always needs its dasar hukum (the validator makes this an error)."""
        return not self.free and not self.basis

    @property
    def amounts(self) -> tuple[int, ...]:
        return tuple(r.amount for r in self.rows if r.amount is not None)


@functools.cache
def _fee_res() -> tuple[re.Pattern, re.Pattern, re.Pattern, re.Pattern, re.Pattern]:
    d = _data()
    free = re.compile(rf"(?<!\w)(?:{_words_re(d['gratis'])})(?!\w)|(?<!\w)rp\.?\s*0+(?:[.,]0+)?(?:\s*,?-{{1,2}})?(?![\d.,]*[1-9])", re.IGNORECASE)
    paid = re.compile(rf"(?<!\w)(?:{_words_re(d['tanda_berbayar'])})(?!\w)", re.IGNORECASE)
    basis = re.compile(
        rf"(?:(?:{_words_re(d['pengantar_dasar'])})\s+)?(?P<b>(?<!\w)(?:{_words_re(d['dasar_biaya'])})(?!\w)[^:;\n]*?)"
        r"(?=\s*(?:[:;\n]|\brp\.?\s*\d|$))",
        re.IGNORECASE,
    )
    legal = re.compile(r"\b(?:nomor|no\.?\s*\d|tahun\s*\d{4}|thn\.?\s*\d{4}|tentang)", re.IGNORECASE)
    intro = re.compile(rf"(?:{_words_re(d['pengantar_dasar'])})\s*$", re.IGNORECASE)
    return free, paid, basis, legal, intro


def _rupiah(m: re.Match) -> int:
    digits = m["n"]
    mul = (m["mul"] or "").casefold()
    if mul:  # "Rp 1,5 juta", "Rp50 ribu"
        grouped = re.fullmatch(r"\d{1,3}(?:[.\s]\d{3})+", digits)
        value = float(re.sub(r"\D", "", digits) if grouped else digits.replace(",", "."))
        return round(value * (1_000_000 if mul in ("juta", "jt") else 1_000))
    return int(re.sub(r"\D", "", digits))


def _bases(text: str) -> list[str]:
    _, _, basis, legal, _ = _fee_res()
    out = []
    for m in basis.finditer(text):
        b = m["b"].strip(" ,.-")
        if b.count(")") > b.count("("):
            b = b.rstrip(")").strip(" ,.-")
        if legal.search(b) and b not in out:
            out.append(b)
    return out


def _without_bases(text: str, bases: tuple[str, ...]) -> str:
    for b in bases:
        text = text.replace(b, "")
    return _fold(text)


@functools.cache
def _trailing_paid() -> re.Pattern:
    """A payment word ending a row's label: "Pasien Umum :Retribusi Rp.20.000" is the row "Pasien Umum"."""
    return re.compile(rf"\s*:?\s*(?:{_words_re(_data()['tanda_berbayar'])})\s*$", re.IGNORECASE)


def _fee_text(text: str) -> FeeReading | None:
    folded = _fold(text)
    if not folded:
        return None
    free, paid, _, _, _ = _fee_res()
    if _BARE_MONEY.fullmatch(folded):
        amount = int(re.sub(r"\D", "", _BARE_MONEY.fullmatch(folded).group(1)))
        return FeeReading(True, text=folded) if amount == 0 else FeeReading(False, (FeeRow("", amount, folded),), (), folded)
    bases = tuple(_bases(folded))
    rows: list[FeeRow] = []
    for segment in re.split(r"[;\n]", _clean(text)):
        seg = _fold(segment)
        if not seg:
            continue
        amounts = list(_MONEY.finditer(seg))
        if not amounts and rows and rows[-1].tail:  # the list a row opened with ":"
            last = rows.pop()
            rows.append(dataclasses.replace(last, detail=last.detail + (strip_numbering(seg),)))
        elif not amounts:
            if free.search(seg):  # "Pasien JKN : Gratis" beside a paid row
                rows.append(FeeRow(_fold(free.sub(" ", seg)).strip(" :-,.()"), 0, seg))
            elif len(_without_bases(seg, bases).split()) >= 2:  # "Bagi peserta JKN biaya ditanggung penjamin"
                rows.append(FeeRow("", None, seg))
        for m in amounts:
            uraian = _fold(_fee_res()[4].sub("", _without_bases(seg[: m.start()], bases).strip(" :-,")))
            after = _fold(seg[m.end():]).strip(" ,.-")  # "dengan :" after the last amount opens a list
            tail = re.sub(r"\s+:$", ":", after) if m is amounts[-1] and after.endswith(":") else ""
            rows.append(FeeRow(_trailing_paid().sub("", uraian).strip(" :-,"), _rupiah(m), seg, tail))
    if any(r.amount for r in rows):  # a free option beside paid ones stays a row ("Rp0" at the KUA)
        return FeeReading(False, tuple(rows), bases, folded)
    if free.search(folded):
        rest = free.sub(" ", folded)
        for b in bases:  # "... sesuai Perbup ... tentang Tarif Layanan" names a tariff law, not a price
            rest = rest.replace(b, " ")
        if not paid.search(rest):
            return FeeReading(True, (), bases, folded)
    return FeeReading(False, (FeeRow("", None, folded),), bases, folded)


def read_fee(value: Any) -> FeeReading | None:
    """`biaya` in any of the forms units write: 0, "Rp. 0,-", "Tidak dipungut biaya (Gratis)",
    "Layanan ini tidak dipungut biaya.", an amount ("Rp 10.000,-"), a text naming its basis
    ("Sesuai Perda ... Nomor 5 Tahun 2023 tentang Retribusi ...: Rp10.000"), or the mapping
    {tarif, dasar_hukum} with tarif as a number, a text or a table [{uraian, tarif}].
    None when it is not a fee at all (true/false, an empty text, a mapping without tarif)."""
    if _is_number(value):
        if value < 0:
            return None
        return FeeReading(True, text="0") if value == 0 else FeeReading(False, (FeeRow("", int(value)),), (), _plain_number(float(value)))
    if _is_text(value):
        return _fee_text(value)
    if isinstance(value, list):
        value = {"tarif": value}
    if not isinstance(value, dict) or "tarif" not in value:
        return None
    dasar = value.get("dasar_hukum")
    given = [_fold(str(d)) for d in (dasar if isinstance(dasar, list) else [dasar]) if d not in (None, "")]
    tarif = value["tarif"]
    if isinstance(tarif, list):
        if not tarif:
            return None
        rows, named = [], []
        for row in tarif:
            if isinstance(row, dict) and "tarif" in row:
                uraian, inner = _fold(str(row.get("uraian") or "")), read_fee(row["tarif"])
            elif isinstance(row, dict) and len(row) == 1:  # "- Pasien umum: Rp10.000" read as a mapping
                key, val = next(iter(row.items()))
                uraian, inner = _fold(str(key)), read_fee(val)
            elif _is_text(row):
                uraian, inner = "", read_fee(row)
            else:
                return None
            if inner is None:
                return None
            if inner.free or not inner.rows:
                rows.append(FeeRow(uraian, 0, inner.text))
            else:
                rows.extend(FeeRow(uraian or r.uraian, r.amount, r.text or inner.text) for r in inner.rows)
            named.extend(b for b in inner.basis if b not in named)
        if all(r.amount == 0 for r in rows):
            return FeeReading(True, (), tuple(given + named), "")
        return FeeReading(False, tuple(rows), tuple(given + [b for b in named if b not in given]), "")
    inner = read_fee(tarif)
    if inner is None:
        return None
    basis = tuple(given + [b for b in inner.basis if b not in given])
    return FeeReading(inner.free, inner.rows, basis, inner.text)


# ---------------------------------------------------------------------------------------------
# Jumlah pelaksana


@dataclass(frozen=True)
class StaffRow:
    jabatan: str
    jumlah: int


@dataclass(frozen=True)
class StaffingReading:
    """`jumlah_pelaksana`: the total, rows per jabatan when named, and whether the unit wrote
    an approximation ("minimal 2 orang") that the validator asks to make a number."""

    total: int
    rows: tuple[StaffRow, ...] = ()
    approximate: bool = False
    text: str = ""


@functools.cache
def _count_re() -> re.Pattern:
    words = _number_word_re()
    orang = _words_re(_data()["satuan_orang"])
    return re.compile(
        rf"(?<![\w.,])(?P<n>\d+|{words})(?:\s*\(\s*[^\W\d_][^()]*\))?"
        rf"(?:\s*(?:-|–|s\.?d\.?|s/d|sampai|hingga)\s*(?P<n2>\d+)(?:\s*\([^()]*\))?)?"
        rf"(?P<u>\s*(?:{orang})(?:\s+(?:{orang}))?(?!\w))?",
        re.IGNORECASE,
    )


@functools.cache
def _approx_re() -> re.Pattern:
    return re.compile(rf"(?<!\w)(?:{_words_re(_data()['perkiraan_orang'])})(?!\w)", re.IGNORECASE)


@functools.cache
def _count_forms() -> tuple[re.Pattern, re.Pattern]:
    words = _number_word_re()
    return (re.compile(rf"(\d+)\s*(?:\(\s*(?:{words})(?:\s+(?:{words}))*\s*\))?", re.IGNORECASE),
            re.compile(rf"({words})(?:\s*\(\s*(\d+)\s*\))?", re.IGNORECASE))


def read_count(value: Any) -> int | None:
    """"4", "4 (empat)", "empat", "empat (4)", 4 → 4; anything else (true, "4 orang") → None."""
    if _is_number(value):
        return int(value) if value == int(value) and value >= 0 else None
    if not _is_text(value):
        return None
    digits_first, words_first = _count_forms()
    text = _fold(value)
    if m := digits_first.fullmatch(text):
        return int(m.group(1))
    if m := words_first.fullmatch(text):
        n = _number(m.group(2) or m.group(1))
        return int(n) if n is not None and n == int(n) else None
    return None


def _staff_rows(text: str) -> list[tuple[str, int, bool]] | None:
    """(jabatan, jumlah, approximate) for each count in one item; None when it names none."""
    matches = [m for m in _count_re().finditer(text) if m["u"] or m["n"].isdigit()]
    with_unit = [m for m in matches if m["u"]]
    if with_unit:
        matches = with_unit
    elif len(matches) != 1:
        return None
    rows = []
    prev = 0
    count_first = not _staff_label(text[: matches[0].start()])  # "2 orang staf" vs "Staf 2 orang"
    for i, m in enumerate(matches):
        n = _number(m["n2"] or m["n"])
        if n is None or n != int(n):
            return None
        nxt = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        before, after = text[prev:m.start()], text[m.end():nxt]
        approx = bool(m["n2"]) or bool(_approx_re().search(before))
        jabatan = _staff_label(after) if count_first else (_staff_label(before) or _staff_label(after))
        rows.append((jabatan, int(n), approx))
        prev = m.end()
    return rows


def _staff_label(raw: str) -> str:
    label = _approx_re().sub(" ", strip_numbering(_fold(raw)))
    label = re.sub(r"^(?:dan|serta|,|;)\s+|\s+(?:dan|serta|sebanyak|berjumlah|yaitu|terdiri dari|terdiri atas)$", "", _fold(label), flags=re.IGNORECASE)
    label = label.strip(" :-–,;.")
    if label.count("(") < label.count(")"):
        label = label.rstrip(")").strip()
    if label.count("(") > label.count(")"):
        label = label.lstrip("(").strip()
    return "" if re.fullmatch(r"(?:(?:jumlah|total)(?:\s+\w+)?)?", label, re.IGNORECASE) else label


def read_staffing(value: Any) -> StaffingReading | None:
    """`jumlah_pelaksana`: 4, "4 (empat) orang", "4 orang petugas", "minimal 2 orang",
    "Petugas loket 2 orang" items (summed), or [{jabatan, jumlah}]. None when no count is named,
    a count is not a whole number, or the total is zero."""
    if _is_number(value):
        return StaffingReading(int(value), text=str(int(value))) if value == int(value) and value > 0 else None
    entries: list[Any]
    if _is_text(value):
        entries = [n.text for n in _flatten(split_items(value))]
    elif isinstance(value, list):
        entries = value
    else:
        return None
    rows: list[StaffRow] = []
    approx = False
    for entry in entries:
        if isinstance(entry, dict):
            n = read_count(entry.get("jumlah"))
            if n is None:
                found = _staff_rows(_fold(str(entry.get("jumlah") or "")))
                if not found or len(found) != 1:
                    return None
                n, approx = found[0][1], approx or found[0][2]
            rows.append(StaffRow(_fold(str(entry.get("jabatan") or "")), n))
        elif _is_number(entry):
            if entry != int(entry) or entry < 0:
                return None
            rows.append(StaffRow("", int(entry)))
        elif _is_text(entry):
            found = _staff_rows(_fold(entry))
            if found is None:
                return None
            rows.extend(StaffRow(j, n) for j, n, _ in found)
            approx = approx or any(a for _, _, a in found)
        else:
            return None
    total = sum(r.jumlah for r in rows)
    if total <= 0:
        return None
    text = _fold(value) if _is_text(value) else ""
    if len(rows) == 1 and not rows[0].jabatan:
        rows = []
    return StaffingReading(total, tuple(rows), approx, text)


def _flatten(nodes: list[ItemNode]) -> list[ItemNode]:
    out = []
    for n in nodes:
        out.append(n)
        out.extend(_flatten(list(n.children)))
    return out


# ---------------------------------------------------------------------------------------------
# Pengaduan


@dataclass(frozen=True)
class Channel:
    """A complaint channel: its `kind` (lapor, whatsapp, sms, telepon, email, laman, instagram,
    facebook, x, tiktok, youtube, kotak_saran, langsung, surat, lainnya), the unit's name for it
    (`label`), the contact as written and a `link` for the publication page ("" when the contact
    cannot be one, e.g. an account name with spaces)."""

    kind: str
    label: str
    contact: str = ""
    link: str = ""
    text: str = ""

    @property
    def saluran(self) -> str:
        return self.label

    @property
    def kontak(self) -> str:
        return self.contact


_EMAIL = r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_TLD = r"(?:go\.id|co\.id|ac\.id|sch\.id|or\.id|desa\.id|web\.id|my\.id|id|com|net|org|info)"
_URL = rf"https?://[^\s,;]+[^\s,;.)]|www\.[^\s,;]+[^\s,;.)]|(?<![@\w.-])(?:[\w-]+\.)+{_TLD}\b(?:/[^\s,;]*[^\s,;.)])?"
_PHONE = r"(?<![\w/])(?:\( *(?:\+?62|0) *\d{1,4} *\)|\+?62[ .-]?\d{1,4}|0\d{1,4})(?:[ .\-]?\d){5,12}(?!\d)"
_CONTACT = re.compile(rf"(?P<email>{_EMAIL})|(?P<url>{_URL})|(?P<phone>{_PHONE})|(?P<handle>(?<![\w@])@[\w.]*\w)", re.IGNORECASE)
_COLON = re.compile(r":(?!//)(?!\d)")
_PIECE_SPLIT = re.compile(r"[;]|,(?!\d)|(?<!\d),|\s+(?:dan|atau|serta)\s+(?=[A-Za-z])")


@functools.cache
def _channel_kinds() -> tuple[tuple[str, str, re.Pattern, str], ...]:
    return tuple(
        (row["jenis"], row["nama"], re.compile("|".join(f"(?:{p})" for p in row["pola"]), re.IGNORECASE), row.get("akun", ""))
        for row in _data()["saluran"]
    )


def _kind_of(text: str) -> str | None:
    return next((kind for kind, _, pattern, _ in _channel_kinds() if pattern.search(text)), None)


def _kind_row(kind: str) -> tuple[str, str, re.Pattern, str] | None:
    return next((row for row in _channel_kinds() if row[0] == kind), None)


def _phone_digits(token: str) -> str | None:
    """"(0274) 123-456" → "62274123456"; None for numbers that are not Indonesian phone numbers."""
    digits = re.sub(r"\D", "", token)
    if digits.startswith("62"):
        return digits
    if digits.startswith("0"):
        return "62" + digits[1:]
    return None


def _link(kind: str, contact: str) -> str:
    tokens = list(_CONTACT.finditer(contact))
    for t in tokens:
        if t["email"] and kind in ("email", "lainnya", "surat"):
            return f"mailto:{t['email']}"
        if t["url"]:
            url = t["url"]
            return url if re.match(r"https?://", url, re.IGNORECASE) else f"https://{url}"
        if t["phone"]:
            intl = _phone_digits(t["phone"])
            if intl is None:
                continue
            if kind == "whatsapp":
                return f"https://wa.me/{intl}"
            if kind == "sms":
                return f"sms:+{intl}"
            if kind in ("telepon", "lainnya", "langsung"):
                return f"tel:+{intl}"
        if t["handle"]:
            row = _kind_row(kind)
            if row and row[3]:
                return row[3].format(akun=t["handle"][1:])
    if kind == "email" and tokens and tokens[0]["email"]:
        return f"mailto:{tokens[0]['email']}"
    if kind in ("telepon", "sms") and (m := re.fullmatch(r"\s*(\d{3,6})\s*", contact)):
        return f"{'tel' if kind == 'telepon' else 'sms'}:{m.group(1)}"
    if kind == "lapor":
        return "https://www.lapor.go.id"
    return ""


_PHONE_KINDS = ("telepon", "whatsapp", "sms")


def _kind_from_contact(contact: str, inherit: Channel | None) -> str | None:
    """The kind a bare contact shows: an address is email, a URL a web page, a number the kind
    of the phone channel just before it ("WA 0812..., 0813...") or a telephone."""
    token = _CONTACT.search(contact)
    if token is None:
        return None
    if token["email"]:
        return "email"
    if token["url"]:
        return "laman"
    if token["phone"]:
        return inherit.kind if inherit is not None and inherit.kind in _PHONE_KINDS else "telepon"
    return None


def _channel(piece: str, inherit: Channel | None) -> Channel | None:
    text = _fold(piece).strip(" ,;-–")
    text = re.sub(r"^(?:dan|atau|serta|melalui|via)\s+", "", text, flags=re.IGNORECASE)
    if not text:
        return None
    kind = _kind_of(text)
    colon = _COLON.search(text)
    if colon:
        label, contact = text[: colon.start()].strip(" -–"), text[colon.end():].strip()
        if not _kind_of(label) and not _CONTACT.search(label) and _kind_of(contact):
            return _channel(contact, inherit)
    else:
        tokens = list(_CONTACT.finditer(text))
        if tokens:
            contact = text[tokens[0].start(): tokens[-1].end()]
            label = (text[: tokens[0].start()] + " " + text[tokens[-1].end():]).strip()
            label = re.sub(r"\s*(?:di|ke|pada|melalui|nomor|no\.?|nomer|:|-)\s*$", "", _fold(label), flags=re.IGNORECASE).strip(" :-–")
        else:
            label, contact = text, ""
    if kind is None:
        kind = _kind_from_contact(contact or text, inherit) or "lainnya"
        if inherit is not None and kind == inherit.kind and kind in _PHONE_KINDS:
            label = label or inherit.label
    if not label:
        row = _kind_row(kind)
        label = row[1] if row else ""
    return Channel(kind, label, contact, _link(kind, contact or text), text)


def _pieces(text: str) -> list[str]:
    """A channel line split at "," ";" and "dan"/"atau"/"serta" where each part is a channel of
    its own. A part that names neither a kind nor a contact ("Kota Contoh" after "Jl. Merdeka
    No. 1,") stays with the part before it, and so does a part that only continues a channel
    still without contact ("WhatsApp Konsultasi dan Pengaduan: 0811...", "langsung atau tatap
    muka"); merged parts keep the unit's own separators."""
    cuts = [0]
    for m in _PIECE_SPLIT.finditer(text):
        if m.group().strip() in (";", ",") or (_CONTACT.search(text[cuts[-1]:m.start()])
                                               and _CONTACT.search(text[m.end():])):
            cuts += [m.start(), m.end()]  # "dan"/"atau" joins two channels only between contacts
    cuts.append(len(text))
    spans = [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts), 2) if text[cuts[i]:cuts[i + 1]].strip()]
    out: list[list[int]] = []
    for start, end in spans:
        part = text[start:end]
        kind, contact = _kind_of(part), _CONTACT.search(part)
        if out:
            prev = text[out[-1][0]:out[-1][1]]
            prev_kind, prev_contact = _kind_of(prev), _CONTACT.search(prev)
            if (not kind and not contact) or (prev_kind and not prev_contact and kind in (None, prev_kind)):
                out[-1][1] = end
                continue
        out.append([start, end])
    return [piece for a, b in out for piece in _split_labels(text[a:b].strip())]


_LABEL_AFTER_CONTACT = re.compile(r"(?<=\S)\s+(?=[A-Za-z][\w/.-]*(?:\s[\w/.-]+){0,2}\s?:\s?\S)")


def _split_labels(piece: str) -> list[str]:
    """"WA : 0811... surel : x@y.go.id" (two channels YAML folded into one line): a new "label :"
    after a contact starts a channel of its own."""
    if len(_CONTACT.findall(piece)) < 2:
        return [piece]
    out, start = [], 0
    for m in _LABEL_AFTER_CONTACT.finditer(piece):
        head = piece[start:m.start()]
        if _CONTACT.search(head) and _COLON.search(head):
            out.append(head.strip())
            start = m.end()
    out.append(piece[start:].strip())
    return [p for p in out if p]


def read_channels(value: Any) -> list[Channel]:
    """`pengaduan` as channels, whatever its form: [{saluran, kontak}], a list of texts, a
    numbered block, or one line separated by commas or semicolons. Each is recognised by kind
    where possible, gets a link where its contact allows, and duplicates are merged."""
    found: list[Channel] = []
    entries = value if isinstance(value, list) else [value]
    for entry in entries:
        if entry is None:
            continue
        if isinstance(entry, dict) and ("saluran" in entry or "kontak" in entry):
            label = _fold(str(entry.get("saluran") or ""))
            contact = _fold(str(entry.get("kontak") or ""))
            kind = _kind_of(label) or _kind_of(contact) or _kind_from_contact(contact, None) or "lainnya"
            found.append(Channel(kind, label, contact, _link(kind, contact), f"{label}: {contact}".strip(": ")))
            continue
        pending = ""
        # a text is split by its lines (each line a channel), not kept as one item as a list entry is
        for node in _flatten(split_items(entry if not isinstance(entry, dict) else [entry])):
            text = f"{pending} {node.text}".strip() if pending and not _kind_of(node.text) else node.text
            pending = ""
            if not _CONTACT.search(text) and (node.children or text.endswith(":")):
                # a heading ("Media Internet:") over its channels, or a name whose contact is
                # on the next line ("Website :" above the address)
                pending = text if not node.children else ""
                continue
            for piece in _pieces(text):
                ch = _channel(piece, found[-1] if found else None)
                if ch:
                    found.append(ch)
        if pending and (ch := _channel(pending.rstrip(": "), found[-1] if found else None)):
            found.append(ch)
    merged: list[Channel] = []
    seen: dict[tuple[str, str], Channel] = {}
    for ch in found:
        key = (ch.kind, _contact_key(ch))
        kept = seen.get(key)
        if kept is not None and contact_keys(f"{ch.label} {ch.contact}") <= contact_keys(f"{kept.label} {kept.contact}"):
            continue  # the same channel written twice ("Telp (0736) 21097, Fax (0736) 21097")
        seen.setdefault(key, ch)
        merged.append(ch)
    return merged


def contact_keys(text: str) -> set[str]:
    """The contacts named in a text, phone numbers by their digits: what must survive splitting
    and merging channels."""
    return {(_phone_digits(t["phone"]) or re.sub(r"\D", "", t["phone"])) if t["phone"] else t.group().casefold()
            for t in _CONTACT.finditer(text)}


def _contact_key(ch: Channel) -> str:
    """Phone numbers compare by their digits ("0812-0000-0000" = "0812 0000 0000"), other
    contacts by their text, a channel without contact by its name."""
    token = _CONTACT.search(ch.contact)
    if token and token["phone"]:
        return _phone_digits(token["phone"]) or re.sub(r"\D", "", token["phone"])
    return ch.contact.casefold().rstrip("/") or ch.label.casefold()


# ---------------------------------------------------------------------------------------------
# Names, dates, status, survey answers

_LEADING_SERVICE = re.compile(r"^(?:pelayanan|layanan)\s+", re.IGNORECASE)


def name_key(text: Any) -> str:
    """The key a service is matched by, from its slug, name or an alias: case, accents,
    punctuation, hyphens, spaces and a leading "Pelayanan"/"Layanan" do not count, so
    "ktp-el", "KTP-el" and "Pelayanan KTP el" meet."""
    s = unicodedata.normalize("NFKD", _fold(str(text))).encode("ascii", "ignore").decode()
    s = re.sub(r"[\W_]+", " ", s.casefold()).strip()
    s = _LEADING_SERVICE.sub("", s)
    return s.replace(" ", "")


def closest(name: str, candidates: list[str] | tuple[str, ...]) -> str | None:
    """The candidate a mistyped name most likely meant, for a "maksud Anda ...?" warning."""
    keys: dict[str, str] = {}
    for c in candidates:
        keys.setdefault(name_key(c), c)
    match = difflib.get_close_matches(name_key(name), list(keys), n=1, cutoff=0.6)
    return keys[match[0]] if match else None


@dataclass(frozen=True)
class DateReading:
    """A date field read: `date`, or None with `month_first` when the text is a valid date only
    as a US month-first one ("02/16/2026"), so the message can say to write day first."""

    date: dt.date | None
    month_first: bool = False

    @property
    def ok(self) -> bool:
        return self.date is not None


_WEEKDAY = re.compile(r"^(?:(?:hari\s+)?(?:senin|selasa|rabu|kamis|jum'?at|jumat|sabtu|minggu|ahad)\s*,?\s*)?(?:tanggal|tgl\.?)?\s*", re.IGNORECASE)
_NUMERIC = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")


def read_date(value: Any) -> DateReading:
    """Date objects, "2026-02-16", "2026-2-16", "16-02-2026", "16/02/2026", "16 Februari 2026",
    "Senin, 16 Februari 2026". A day-first reading always wins where both are possible."""
    if isinstance(value, (dt.date, dt.datetime)):
        return DateReading(fmt_id.baca_tanggal(value))
    if not _is_text(value):
        return DateReading(None)
    text = _WEEKDAY.sub("", _fold(value).replace("’", "'"), count=1)
    found = fmt_id.baca_tanggal(text)
    if found:
        return DateReading(found)
    m = _NUMERIC.fullmatch(text.rstrip("."))
    if m:
        try:
            dt.date(int(m[3]), int(m[1]), int(m[2]))
        except ValueError:
            return DateReading(None)
        return DateReading(None, month_first=True)
    return DateReading(None)


@functools.cache
def _status_words() -> dict[str, str]:
    return {" ".join(w.casefold().split()): canon for canon, words in _data()["status"].items() for w in words}


def read_status(value: Any) -> str | None:
    """"Ditetapkan", "DITETAPKAN", "rancangan " → "ditetapkan" / "rancangan"; else None."""
    if not _is_text(value):
        return None
    return _status_words().get(_fold(value).casefold().strip(" .:"))


_ANSWER = re.compile(r"\s*([1-4])(?:[.,]0+)?(?:\s*(?:[-–—.):=]|\s)\s*(?!\d)[^\d]*)?\s*")


def read_answer(value: Any) -> int | None:
    """A survey answer 1..4: 4, "4", "4 - Sangat Sesuai", "4. Sangat sesuai"; else None."""
    if _is_number(value):
        return int(value) if value == int(value) and 1 <= value <= 4 else None
    if not _is_text(value):
        return None
    m = _ANSWER.fullmatch(_fold(value))
    return int(m.group(1)) if m else None
