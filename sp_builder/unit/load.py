"""Read YAML files with YAML 1.2 semantics, finding line and column only when a problem needs them.

Parsing is the hot path of `validate` on a Pemda's hundreds of services, so a file is first read
with ruamel's C parser into plain Python values; positions are looked up later, by key path, from a
node tree that is composed (pure Python, slower) only for files that have something to report.
libyaml is stricter than YAML 1.2 in a few corners (a `:` inside a plain scalar in a flow mapping,
as in `{kontak: https://lapor.go.id}`); such files are re-read with the pure parser, which is the
reference.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent
from ruamel.yaml.nodes import MappingNode, SequenceNode

from sp_builder import tables
from sp_builder.errors import Issue
from sp_builder.files import display_path, parse_yaml, read_text

KeyPath = tuple  # of str (mapping keys) and int (sequence indexes)

_fast = YAML(typ="safe", pure=False)
_pure = YAML(typ="safe", pure=True)
_composer = YAML(typ="safe", pure=True)
_fast_composer = YAML(typ="safe", pure=False)


@dataclass
class YamlFile:
    path: Path
    display: str
    text: str
    data: Any
    _node: Any = field(default=None, repr=False)

    @property
    def node(self):
        """The node tree with marks: libyaml's when it can read the file, else the pure parser's."""
        if self._node is None:
            try:
                self._node = _fast_composer.compose(self.text)
            except YAMLError:
                self._node = _composer.compose(self.text)
        return self._node

    def position(self, keypath: KeyPath) -> tuple[int, int]:
        """1-based (line, column) of the key (or list item) at keypath, or of its nearest existing
        ancestor when the key is missing. Mapping entries point at the key, as editors show them."""
        node, mark = self.node, None
        for step in keypath:
            if isinstance(node, MappingNode):
                for key_node, value_node in node.value:
                    if key_node.value == step:
                        mark, node = key_node.start_mark, value_node
                        break
                else:
                    break
            elif isinstance(node, SequenceNode) and isinstance(step, int) and step < len(node.value):
                node = node.value[step]
                mark = node.start_mark
            else:
                break
        if mark is None:
            return (1, 1)
        return (mark.line + 1, mark.column + 1)


_TAB_INDENT = re.compile(r"^( *)\t", re.MULTILINE)


def _tab_issues(text: str, display: str) -> list[Issue]:
    issues = []
    for m in _TAB_INDENT.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        issues.append(
            Issue(display, line, len(m.group(1)) + 1,
                  "indentasi memakai karakter tab; YAML hanya menerima spasi — ganti tab dengan spasi",
                  rule="yaml.tab")
        )
    return issues


# Spaces that look like spaces: pasted from Word or a web page into the indentation, they are not
# indentation to YAML ("no-break space" U+00A0, the thin and figure spaces, U+3000, a stray BOM).
_INVISIBLE = "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u202f\u205f\u3000\ufeff"
_INVISIBLE_INDENT = re.compile(rf"^([ ]*)([{_INVISIBLE}])", re.MULTILINE)
_COLUMN_ONE_KEY = re.compile(r"^([a-z_]+)\s*:", re.MULTILINE)


def _invisible_indent_issues(text: str, display: str) -> list[Issue]:
    if text.isascii():
        return []
    issues = []
    for m in _INVISIBLE_INDENT.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        issues.append(Issue(display, line, len(m.group(1)) + 1,
                            f"indentasi memakai spasi tak terlihat (U+{ord(m.group(2)):04X}, biasanya tersalin dari Word "
                            "atau halaman web), bukan spasi biasa; hapus lalu ketik ulang spasinya",
                            rule="yaml.spasi_tak_terlihat"))
    return issues


def _column_one_key(text: str, before_line: int) -> tuple[int, str] | None:
    """The nearest key above `before_line` written at column 1 that belongs inside a part (a
    component moved to the left edge by accident), as (line, key)."""
    found = None
    for m in _COLUMN_ONE_KEY.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        if line > before_line:
            break
        if tables.is_component(m.group(1)):
            found = (line, m.group(1))
    return found


def _yaml_issue(exc: MarkedYAMLError, text: str, display: str) -> Issue:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    if isinstance(exc, DuplicateKeyError):
        return _duplicate_issue(exc, text, display)
    problem = (exc.problem or "").strip()
    if problem.startswith(("expected <block end>", "did not find expected key", "mapping values are not allowed")) and (
            moved := _column_one_key(text, line - 1)):
        key_line, key = moved
        return Issue(display, key_line, 1, f'YAML tidak sah: kunci "{key}" ditulis di kolom 1 sehingga keluar dari '
                                           'bagian di atasnya; beri indentasi yang sama dengan kunci lain di bagian itu '
                                           '(mis. 2 spasi di bawah "pengelolaan:")', rule="yaml.indentasi")
    return Issue(display, line, column, f"YAML tidak sah: {_translate_problem(problem)}", rule="yaml.sintaks")


def _duplicate_issue(exc: DuplicateKeyError, text: str, display: str) -> Issue:
    """Name both lines: ruamel's error only marks the mapping and the second key."""
    second = exc.problem_mark
    first_line = None
    stack = [_composer.compose(text)]
    while stack and first_line is None:
        node = stack.pop()
        if isinstance(node, MappingNode):
            keys = [k for k, _ in node.value]
            for k in keys:
                if k.start_mark.line == second.line and k.start_mark.column == second.column:
                    first_line = next(o.start_mark.line for o in keys if o.value == k.value) + 1
            stack.extend(v for _, v in node.value)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    key = re.search(r'duplicate key "([^"]*)"', str(exc.problem))
    name = key.group(1) if key else "?"
    where = f" (pertama kali di baris {first_line})" if first_line else ""
    return Issue(display, second.line + 1, second.column + 1,
                 f'kunci "{name}" ditulis dua kali{where}; hapus salah satu', rule="yaml.kunci_ganda")


_PROBLEMS = (
    ("found character '\\t'", "karakter tab tidak boleh dipakai di sini; ganti dengan spasi"),
    ("mapping values are not allowed here", "tanda ':' tidak diharapkan di sini; beri tanda kutip pada nilai yang memuat ': '"),
    ("could not find expected ':'", "tanda ':' tidak ditemukan; setiap kunci ditulis 'kunci: nilai'"),
    ("did not find expected key", "kunci tidak ditemukan; periksa indentasi baris ini dan baris sebelumnya"),
    ("did not find expected '-' indicator", "butir daftar tidak ditemukan; periksa indentasi tanda '-'"),
    ("found unexpected end of stream", "berkas berakhir sebelum tanda kutip atau kurung ditutup"),
    ("found undefined alias", "alias (*nama) tidak dikenal"),
    ("found unclosed", "kurung atau tanda kutip belum ditutup"),
    ("expected ',' or ']'", "daftar '[ ... ]' belum ditutup atau butirnya tidak dipisah koma"),
    ("expected ',' or '}'", "pasangan '{ ... }' belum ditutup atau butirnya tidak dipisah koma"),
    ("expected <block end>", "indentasi tidak konsisten; samakan jumlah spasi dengan baris sejenis"),
    ("found unexpected ':'", "tanda ':' tidak diharapkan; beri tanda kutip pada nilai ini"),
)


def _translate_problem(problem: str) -> str:
    for english, indonesian in _PROBLEMS:
        if english in problem:
            return indonesian
    return f"struktur tidak dapat dibaca ({problem}); periksa indentasi dan tanda kutip"


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def _control_char_issue(text: str, display: str) -> Issue:
    m = _CONTROL.search(text)
    pos = m.start() if m else 0
    line = text.count("\n", 0, pos) + 1
    column = pos - (text.rfind("\n", 0, pos) + 1) + 1
    code = f" U+{ord(m.group()):04X}" if m else ""
    return Issue(display, line, column, f"berkas memuat karakter kendali{code} yang tidak boleh ada; hapus karakter itu",
                 rule="yaml.karakter_kendali")


_DATE_LIKE = re.compile(r"(?<![\w.-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\w.-])")


def _bad_date_issue(text: str, display: str) -> Issue:
    """YAML reads 2025-02-30 as a date and the calendar refuses it; name the line."""
    for m in _DATE_LIKE.finditer(text):
        try:
            dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            line = text.count("\n", 0, m.start()) + 1
            column = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
            return Issue(display, line, column, f'tanggal "{m.group()}" tidak ada di kalender; perbaiki tanggalnya '
                                                f"(TTTT-BB-HH)", rule="tanggal.tidak_sah")
    return Issue(display, 1, 1, "berkas memuat tanggal yang tidak ada di kalender; perbaiki tanggalnya",
                 rule="tanggal.tidak_sah")


# Limits against hostile files. A service file is a few KB and a few levels deep; an FKP with
# 200 participants is ~60 KB. The limits are far above any real file and far below what hurts.
MAX_YAML_BYTES = 1 << 20
MAX_DEPTH = 64  # nested mappings/lists
MAX_VALUES = 100_000  # values once aliases (*name) are expanded: a "billion laughs" file has 10^9
_C_SAFE_DEPTH = 5_000  # libyaml's composer recurses in C; ~50 000 levels crash the process


def read_yaml(path: Path, display: str | None = None) -> tuple[YamlFile | None, list[Issue]]:
    """Load one YAML file. Returns the file (None when unusable) and any problems, never raises on
    bad content. Only a mapping at the top is accepted: every sp-builder file is one."""
    display = display or display_path(path)
    text, issues = read_text(path, display, MAX_YAML_BYTES)
    if text is None:
        return None, issues
    tabs = _tab_issues(text, display) or _invisible_indent_issues(text, display)
    if tabs:
        return None, tabs
    if _depth_bound(text) > _C_SAFE_DEPTH and (deep := _too_deep_issue(text, display)):
        return None, [deep]
    try:
        data = parse_yaml(text)
    except ValueError:  # an unquoted date that is not in the calendar (2025-02-30)
        return None, [_bad_date_issue(text, display)]
    except MarkedYAMLError as exc:
        return None, [_yaml_issue(exc, text, display)]
    except YAMLError:  # a ReaderError: a control character YAML does not allow
        return None, [_control_char_issue(text, display)]
    except RecursionError:
        return None, [_too_deep_issue(text, display) or _deep_issue(display, 1, 1)]
    if data is None:
        return None, [Issue(display, 1, 1, "berkas kosong; isi berkas ini atau hapus", rule="berkas.kosong")]
    if not isinstance(data, dict):
        return None, [Issue(display, 1, 1, "isi berkas harus berupa pasangan 'kunci: nilai' di tingkat teratas",
                            rule="berkas.bukan_mapping")]
    file = YamlFile(path, display, text, data)
    try:
        _inspect(data, (), 0, {}, [0])
    except _TooDeep:
        return None, [_too_deep_issue(text, display) or _deep_issue(display, 1, 1)]
    except _TooMany:
        line, column = _first_alias(text)
        return None, [Issue(display, line, column,
                            f"alias YAML (*nama) di berkas ini mengembang menjadi lebih dari {MAX_VALUES:_} nilai "
                            "(pola \"bom alias\"); tulis nilainya langsung, tanpa alias bertingkat".replace("_", "."),
                            rule="yaml.alias_berlebihan")]
    except _NonTextKey as odd:
        keypath, key = odd.args
        line, column = file.position(keypath)
        return None, [Issue(display, line, column, f"kunci {key!r} bukan teks; setiap kunci ditulis sebagai kata, "
                                                   "mis. 'nama: ...'", rule="yaml.kunci_bukan_teks")]
    return file, issues


class _TooDeep(Exception):
    pass


class _TooMany(Exception):
    pass


class _NonTextKey(Exception):
    pass


def _inspect(value: Any, keypath: KeyPath, depth: int, sizes: dict, total: list) -> int:
    """Walk the loaded tree once: refuse mapping keys that are not text (`? `, `2025:`, `true:`), a
    tree deeper than MAX_DEPTH, and aliases that expand past MAX_VALUES. A list or mapping reached
    again through an alias is counted from `sizes` (by identity), not walked again, so a billion
    laughs costs what its text costs. Returns the expanded size of `value`."""
    if not isinstance(value, (dict, list)):
        return 1
    known = sizes.get(id(value))
    if known is not None:
        total[0] += known
        if total[0] > MAX_VALUES:
            raise _TooMany()
        return known
    if depth >= MAX_DEPTH:
        raise _TooDeep()
    size = 1
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise _NonTextKey(keypath, key)
            size += _inspect(item, keypath + (key,), depth + 1, sizes, total)
    else:
        for index, item in enumerate(value):
            size += _inspect(item, keypath + (index,), depth + 1, sizes, total)
    sizes[id(value)] = size
    total[0] += 1
    if total[0] > MAX_VALUES:
        raise _TooMany()
    return size


def _depth_bound(text: str) -> int:
    """An upper bound of the nesting depth, from counts alone: every level opens with a bracket, a
    "-" or "?" indicator, or a new line."""
    return (text.count("[") + text.count("{") + text.count("-") + text.count("?")
            + 2 * text.count("\n") + 2)


def _deep_issue(display: str, line: int, column: int) -> Issue:
    return Issue(display, line, column,
                 f"struktur bersarang terlalu dalam (lebih dari {MAX_DEPTH} tingkat); berkas sp-builder hanya "
                 "beberapa tingkat — periksa kurung [ ] { } dan indentasi", rule="yaml.terlalu_dalam")


def _events(text: str):
    """Parse events, libyaml's when it can read the text, else the pure parser's. Both parsers are
    state machines (no recursion), unlike the composers."""
    try:
        yield from _fast.parse(text)
    except YAMLError:
        yield from _pure.parse(text)


def _too_deep_issue(text: str, display: str) -> Issue | None:
    """The issue at the first collection nested deeper than MAX_DEPTH, or None when there is none
    (or when the text stops being YAML first: the parser reports that)."""
    depth = 0
    try:
        for event in _events(text):
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    return _deep_issue(display, mark.line + 1, mark.column + 1)
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
    except (YAMLError, RecursionError, ValueError):
        return None
    return None


def _first_alias(text: str) -> tuple[int, int]:
    try:
        for event in _events(text):
            if isinstance(event, AliasEvent):
                return event.start_mark.line + 1, event.start_mark.column + 1
    except (YAMLError, ValueError):
        pass
    return 1, 1
