"""Read YAML files with YAML 1.2 semantics, finding line and column only when a problem needs them.

Parsing is the hot path of `validate` on a Pemda's hundreds of services, so a file is first read
with ruamel's C parser into plain Python values; positions are looked up later, by key path, from a
node tree that is composed (pure Python, slower) only for files that have something to report.
libyaml is stricter than YAML 1.2 in a few corners (a `:` inside a plain scalar in a flow mapping,
as in `{kontak: https://lapor.go.id}`); such files are re-read with the pure parser, which is the
reference.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, SequenceNode

from sp_builder.errors import Issue

KeyPath = tuple  # of str (mapping keys) and int (sequence indexes)

_fast = YAML(typ="safe", pure=False)
_pure = YAML(typ="safe", pure=True)
_composer = YAML(typ="safe", pure=True)
_fast_composer = YAML(typ="safe", pure=False)


_display_base: list[Path] = []  # set by `display_relative_to`; the working directory otherwise


@contextlib.contextmanager
def display_relative_to(base: Path):
    """Show paths relative to `base` inside the block, whatever the working directory: `build`
    writes reports whose bytes must not depend on where it was started."""
    _display_base.append(Path(base).resolve())
    try:
        yield
    finally:
        _display_base.pop()


def display_path(path: Path) -> str:
    """The path as a user would type it: relative to the working directory (or the base set by
    `display_relative_to`) when it lies below it, absolute otherwise."""
    absolute = os.path.abspath(path)
    base = str(_display_base[-1]) if _display_base else os.getcwd()
    if absolute == base or absolute.startswith(base.rstrip(os.sep) + os.sep):
        return os.path.relpath(absolute, base)
    return absolute


def real_path(display: str) -> Path:
    """The file a path shown by `display_path` names (the inverse of display_path)."""
    base = _display_base[-1] if _display_base else Path.cwd()
    return Path(os.path.abspath(base / display))


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


def decode_text(raw: bytes, display: str) -> tuple[str | None, list[Issue]]:
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        byte = raw[exc.start]
        return None, [
            Issue(
                display, line, column,
                f"berkas bukan UTF-8 (bita 0x{byte:02X}); simpan ulang berkas dengan pengodean UTF-8",
                rule="berkas.bukan_utf8",
            )
        ]


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


def _yaml_issue(exc: MarkedYAMLError, text: str, display: str) -> Issue:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    if isinstance(exc, DuplicateKeyError):
        return _duplicate_issue(exc, text, display)
    problem = (exc.problem or "").strip()
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


# `{saluran: SP4N-LAPOR!, kontak: https://www.lapor.go.id}`, as SPEC writes it, is YAML 1.2 that
# libyaml refuses (a ":" inside a plain scalar in a flow mapping). Quoting such a URL gives the
# same string and keeps the fast parser; positions always come from the text as written.
_FLOW_URL = re.compile(r"(?<=[{,]\s)(\w+:\s+)(https?://[^\s,{}\[\]\"'#]+)(?=\s*[,}])")


def _quote_flow_urls(text: str) -> str:
    if "://" not in text or "{" not in text:
        return text
    return _FLOW_URL.sub(lambda m: f'{m.group(1)}"{m.group(2)}"', text)


def parse_yaml(text: str):
    """YAML 1.2 text to plain values: libyaml's C parser when it can read the text, the pure
    parser (the reference) otherwise. Raises what the parsers raise."""
    try:
        return _fast.load(_quote_flow_urls(text))
    except YAMLError:
        return _pure.load(text)


def read_text(path: Path, display: str) -> tuple[str | None, list[Issue]]:
    """A user's text file as UTF-8 (a BOM is allowed), or the issue saying why it cannot be read."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, [Issue(display, 0, 0, "berkas tidak ditemukan", rule="berkas.tidak_ada")]
    except IsADirectoryError:
        return None, [Issue(display, 0, 0, "ini folder, bukan berkas", rule="berkas.tidak_terbaca")]
    except PermissionError:
        return None, [Issue(display, 0, 0, "tidak ada izin membaca berkas ini", rule="berkas.tidak_terbaca")]
    except OSError as exc:
        return None, [Issue(display, 0, 0, f"berkas tidak dapat dibaca (galat sistem {exc.errno})",
                            rule="berkas.tidak_terbaca")]
    return decode_text(raw, display)


def read_yaml(path: Path, display: str | None = None) -> tuple[YamlFile | None, list[Issue]]:
    """Load one YAML file. Returns the file (None when unusable) and any problems, never raises on
    bad content. Only a mapping at the top is accepted: every sp-builder file is one."""
    display = display or display_path(path)
    text, issues = read_text(path, display)
    if text is None:
        return None, issues
    tabs = _tab_issues(text, display)
    if tabs:
        return None, tabs
    try:
        data = parse_yaml(text)
    except ValueError:  # an unquoted date that is not in the calendar (2025-02-30)
        return None, [_bad_date_issue(text, display)]
    except MarkedYAMLError as exc:
        return None, [_yaml_issue(exc, text, display)]
    except YAMLError:  # a ReaderError: a control character YAML does not allow
        return None, [_control_char_issue(text, display)]
    if data is None:
        return None, [Issue(display, 1, 1, "berkas kosong; isi berkas ini atau hapus", rule="berkas.kosong")]
    if not isinstance(data, dict):
        return None, [Issue(display, 1, 1, "isi berkas harus berupa pasangan 'kunci: nilai' di tingkat teratas",
                            rule="berkas.bukan_mapping")]
    file = YamlFile(path, display, text, data)
    odd = _non_text_key(data, ())
    if odd is not None:
        keypath, key = odd
        line, column = file.position(keypath)
        return None, [Issue(display, line, column, f"kunci {key!r} bukan teks; setiap kunci ditulis sebagai kata, "
                                                   "mis. 'nama: ...'", rule="yaml.kunci_bukan_teks")]
    return file, []


def _non_text_key(value: Any, keypath: KeyPath) -> tuple[KeyPath, Any] | None:
    """The first mapping key that is not a string (`? `, `2025:`, `true:`), with the path of its parent."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                return keypath, key
            found = _non_text_key(item, keypath + (key,))
            if found:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = _non_text_key(item, keypath + (index,))
            if found:
                return found
    return None
