"""`sp-builder rapikan`: a unit's files rewritten in the canonical form, keeping its comments, its
key order and its words.

What changes, and nothing else: numbering typed by hand is removed from list items ("1. Surat" →
"Surat"); a numbered text block where a list is expected becomes a YAML list (a sub-list as a
heading item with its items under it, the form rules.py `_sublist_heading` accepts); a list item
that YAML read as a one-key mapping because of an unquoted colon becomes the quoted text the unit
meant; `status` in lower case; dates ISO; a NIP spaced "19700101 199503 1 001"; complaint
channels written as text become {saluran, kontak}; `jumlah_pelaksana` "4 (empat) orang" becomes 4.
Durations, fees and every other text stay as written: the readers accept them as they are.

The rewriting is ruamel.yaml's round trip (comments, quotes and key order kept); a file in which
nothing needs tidying is returned byte for byte. Tidying twice changes nothing the second time.
`tidy_paths` shows each change as a unified diff and, with write=True, writes a file only when it
validates without errors before and after, and only inside the unit folder given.
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.emitter import RoundTripEmitter
from ruamel.yaml.error import CommentMark
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, FoldedScalarString, LiteralScalarString, ScalarString
from ruamel.yaml.tokens import CommentToken

from sp_builder import clock, fmt_id, tables
from sp_builder.errors import Issue, Severity
from sp_builder.files import display_path, parse_yaml
from sp_builder.unit import readers
from sp_builder.unit.load import YamlFile, read_yaml
from sp_builder.unit.rules import check_fkp_file, check_service_file, check_unit_file
from sp_builder.write import write_text_atomic

KINDS = ("layanan", "fkp", "unit")

_QUOTES = "\"'“”‘’„«»"


class _Emitter(RoundTripEmitter):
    """Where a new text needs quotes, double ones, as the samples and the validator's advice write
    them; texts the unit quoted keep their own quotes."""

    MAX_SIMPLE_KEY_LENGTH = 1000  # a long sub-list heading stays "- heading:" (parsers allow 1024)

    def choose_scalar_style(self) -> Any:
        style = super().choose_scalar_style()
        return '"' if style == "'" and self.event.style != "'" else style


def _yaml(mapping: int = 2, sequence: int = 4, offset: int = 2) -> YAML:
    yaml = YAML(typ="rt")
    yaml.Emitter = _Emitter
    yaml.preserve_quotes = True
    yaml.width = 1 << 16  # never re-wrap a long line
    yaml.allow_unicode = True
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


_KEY_LINE = re.compile(r"^( *)[^\s#-][^:#]*:\s*(?:#.*)?$")
_SEQ_LINE = re.compile(r"^( *)- ")


def _indentation(text: str) -> tuple[int, int, int]:
    """(mapping, sequence, offset) as ruamel's `indent` takes them, guessed from the file: the step
    of the first nested mapping, and where the first block sequence puts its dash and its items
    (samples: 2, 4, 2). Defaults for what the file does not show."""
    mapping = sequence = offset = None
    lines = text.split("\n")
    for above, below in zip(lines, lines[1:]):
        head = _KEY_LINE.match(above)
        if not head:
            continue
        outer = len(head.group(1))
        inner = len(below) - len(below.lstrip(" "))
        if not below.strip() or inner <= outer:
            continue
        if _SEQ_LINE.match(below):
            if sequence is None:
                offset = inner - outer
                sequence = offset + 2
        elif mapping is None and not below.lstrip().startswith("#"):
            mapping = inner - outer
        if mapping is not None and sequence is not None:
            break
    mapping = mapping if mapping in (2, 3, 4) else 2
    if sequence is None or offset is None or offset > 8:
        sequence, offset = 4, 2
    return mapping, max(sequence, offset + 2), offset


# ---------------------------------------------------------------------------------------------
# Values


def _like(old: Any, text: str) -> str:
    """A new text in the quoting the unit gave the old one (a block scalar becomes plain)."""
    if isinstance(old, ScalarString) and not isinstance(old, (LiteralScalarString, FoldedScalarString)):
        return type(old)(text)
    return text


def _numbered(text: str) -> bool:
    """True when the text starts with numbering typed by hand (or odd spaces the readers drop)."""
    return readers.strip_numbering(text) != text.strip()


_SOURCE: list[list[str]] = []  # the lines of the file being tidied (tidy_text sets it)
_OFFSET: list[int] = []  # where its sequences put their dash, relative to the key above


def _raw(item: Any, key: Any, tail: Any) -> str:
    """A value as the unit typed it: YAML 1.2 reads "082331134799" as a number and would drop
    its 0, so numbers are taken from the line they were written on."""
    if isinstance(tail, str) or not _SOURCE or not isinstance(item, CommentedMap):
        return str(tail)
    try:
        line, column = item.lc.value(key)
        text = _SOURCE[-1][line][column:]
    except (KeyError, IndexError, TypeError):
        return str(tail)
    text = re.split(r"\s#", text, maxsplit=1)[0].strip()
    return text if text and not text.startswith(("'", '"', "{", "[", "|", ">", "&", "!")) else str(tail)


def _colon_text(item: dict) -> str | None:
    """The text an unquoted-colon item meant (readers.colon_text with the value as typed), without
    its typed numbering."""
    meant = readers.colon_text(item, lambda head, tail: _raw(item, head, tail))
    return readers.strip_numbering(meant) if meant is not None else None


def _from_nodes(nodes: Iterable[readers.ItemNode]) -> list:
    """Items the readers found, as YAML: a text, {uraian, keterangan}, or a heading over its
    sub-list."""
    out: list = []
    for node in nodes:
        if node.children:
            children = CommentedSeq(_from_nodes(node.children))
            heading = node.text.rstrip(": ").strip()
            if heading:
                out.append(CommentedMap([(heading, children)]))
            else:
                out.extend(children)
        elif node.keterangan:
            out.append(CommentedMap([("uraian", node.text), ("keterangan", node.keterangan)]))
        elif node.text:
            out.append(DoubleQuotedScalarString(node.text) if node.from_colon else node.text)
    return out


def _tidy_item(item: Any) -> list | None:
    """The items one list entry becomes, or None when it stays as it is."""
    if isinstance(item, str):
        if not _numbered(item) and len(item.strip().split("\n")) < 2:
            return None
        nodes = readers.split_items([str(item)])
        if not nodes:
            return None
        if len(nodes) == 1 and not nodes[0].children:
            return None if nodes[0].text == item.strip() else [_like(item, nodes[0].text)]
        return _from_nodes(nodes)
    if not isinstance(item, dict):
        return None
    if "uraian" in item:
        uraian = item["uraian"]
        if isinstance(uraian, str) and _numbered(uraian) and readers.strip_numbering(uraian):
            item["uraian"] = _like(uraian, readers.strip_numbering(uraian))
            return [item]
        return None
    if readers.is_sublist_heading(item):
        (key, sub), = item.items()
        tidied = _tidy_seq(sub)
        name = readers.strip_numbering(key).rstrip(": ").strip()
        if name and name != key and isinstance(item, CommentedMap):
            item.insert(0, name, sub)
            del item[key]
            if key in item.ca.items:
                item.ca.items[name] = item.ca.items.pop(key)
            return [item]
        return [item] if tidied else None
    meant = _colon_text(item)
    if meant:
        return [DoubleQuotedScalarString(meant)]
    return None


def _tokens(slot: Any) -> list[CommentToken]:
    if isinstance(slot, CommentToken):
        return [slot]
    if isinstance(slot, list):
        return [t for part in slot for t in _tokens(part)]
    return []


def _comments_within(node: Any) -> list[CommentToken]:
    """Every comment held inside a collection that is being replaced."""
    found: list[CommentToken] = []
    if isinstance(node, (CommentedMap, CommentedSeq)):
        found += _tokens(node.ca.comment)
        for key, slot in node.ca.items.items():
            found += _tokens(slot)
        found += _tokens(node.ca.end)
        for child in (node.values() if isinstance(node, CommentedMap) else node):
            found += _comments_within(child)
    return found


def _merged(tokens: list[CommentToken]) -> list | None:
    """Comments of entries that became other items, as the end-of-entry comment of the last of
    them: the first as it was (an end-of-line comment stays one), the others on lines of their
    own at their own column."""
    tokens = sorted(tokens, key=lambda t: (t.start_mark.line, t.start_mark.column) if t.start_mark else (0, 0))
    if not tokens:
        return None
    text = ""
    for k, token in enumerate(tokens):
        value = token.value if token.value.endswith("\n") else token.value + "\n"
        if k and value.startswith("#"):
            column = token.start_mark.column if token.start_mark is not None else 0
            value = " " * column + value
            if not text.endswith("\n"):
                text += "\n"
        text += value
    if not text.startswith(("#", "\n")):
        text = "\n" + text
    return [CommentToken(text, tokens[0].start_mark or CommentMark(0), None), None, None, None]


def _replace(seq: list, start: int, stop: int, new: list, reused: tuple = ()) -> None:
    """seq[start:stop] = new, the comments of the old entries (and within them) kept after the
    last new item; `reused` are old entries that live on among the new items."""
    if not isinstance(seq, CommentedSeq):
        seq[start:stop] = new
        return
    tokens: list[CommentToken] = []
    for j in range(start, stop):
        tokens += _tokens(seq.ca.items.pop(j, None))
        if not any(seq[j] is r for r in reused):
            tokens += _comments_within(seq[j])
    list.__delitem__(seq, slice(start, stop))
    shift = stop - start
    for k in sorted(j for j in seq.ca.items if j >= stop):
        seq.ca.items[k - shift] = seq.ca.items.pop(k)
    for offset, value in enumerate(new):
        seq.insert(start + offset, value)
    merged = _merged(tokens)
    if merged is not None and new:
        _attach(seq, start + len(new) - 1, merged)


def _tidy_seq(seq: list) -> bool:
    """Tidy a list in place, each entry's comment kept after the last item it became."""
    changed = False
    for i in range(len(seq) - 1, -1, -1):
        old = seq[i]
        new = _tidy_item(old)
        if new is None:
            continue
        changed = True
        if len(new) == 1 and new[0] is old:
            continue
        _replace(seq, i, i + 1, new, tuple(n for n in new if n is old))
    return changed


def _attach(seq: CommentedSeq, index: int, comment: list) -> None:
    """Put a comment after the item at index (on the deepest last scalar within it)."""
    target = seq[index]
    if isinstance(target, CommentedSeq) and target:
        _attach(target, len(target) - 1, comment)
        return
    if isinstance(target, CommentedMap) and target:
        last = next(reversed(target))
        if isinstance(target[last], CommentedSeq) and target[last]:
            _attach(target[last], len(target[last]) - 1, comment)
            return
        slot = target.ca.items.setdefault(last, [None, None, None, None])
        slot[2] = _join(slot[2], comment[0])
        return
    slot = seq.ca.items.setdefault(index, [None, None, None, None])
    slot[0] = _join(slot[0], comment[0])


def _join(first: CommentToken | None, second: CommentToken | None) -> CommentToken | None:
    if first is None or second is None:
        return first or second
    value = first.value if first.value.endswith("\n") else first.value + "\n"
    rest = second.value[1:] if second.value.startswith("\n") else second.value
    return CommentToken(value + rest, first.start_mark, None)


def _channel_map(ch: readers.Channel) -> CommentedMap:
    label = (readers.strip_numbering(ch.label) or readers.strip_numbering(ch.text) or ch.text).rstrip(" ;:,-–")
    entry = CommentedMap([("saluran", label or ch.text)])
    if ch.contact:
        entry["kontak"] = ch.contact
    return entry


def _is_channel(entry: Any) -> bool:
    return isinstance(entry, dict) and ("saluran" in entry or "kontak" in entry)


def _as_written(entry: Any) -> Any:
    """A channel entry YAML split at an unquoted colon, as the text typed (numbers with their 0)."""
    if isinstance(entry, dict) and not readers.is_sublist_heading(entry):
        meant = _colon_text(entry)
        if meant is not None:
            return meant
    return entry


def _flat(nodes) -> list[readers.ItemNode]:
    out = []
    for node in nodes:
        out += [node, *_flat(node.children)]
    return out


def _unread(entries: list, channels: list[readers.Channel]) -> list[str]:
    """The unit's lines that no channel holds: a heading over its channels ("Menyampaikan
    pengaduan ... via:"), a channel merged into the same one written before. Kept as comments,
    so no word of the unit is lost."""
    kept = [" ".join(ch.text.split()) for ch in channels]
    lines = []
    for entry in entries:
        for node in _flat(readers.split_items([entry] if not isinstance(entry, list) else entry)):
            text = " ".join(node.text.split())
            if text and not any(k and (k in text or text in k) for k in kept):
                lines.append(text)
    return lines


def _note(seq: CommentedSeq, start: int, lines: list[str], column: int) -> None:
    """Comment lines above the item at start."""
    if not lines:
        return
    if start == 0:
        seq.yaml_set_start_comment("\n".join(lines), indent=column)
        return
    text = "\n" + "".join(" " * column + "# " + line + "\n" for line in lines)
    _attach(seq, start - 1, [CommentToken(text, CommentMark(column), None), None, None, None])


def _column(section: Any, key: str, seq: Any) -> int:
    """The column of a list's dashes: where the file put them, or the key's column plus the
    file's offset."""
    try:
        if isinstance(seq, CommentedSeq) and seq.lc.line is not None and len(seq):
            return seq.lc.item(0)[1] - 2
    except (AttributeError, KeyError, TypeError, IndexError):
        pass
    try:
        return section.lc.key(key)[1] + (_OFFSET[-1] if _OFFSET else 2)
    except (AttributeError, KeyError, TypeError):
        return 4


def _tidy_channels(section: dict, key: str) -> bool:
    """`pengaduan`: channels written as text (a block, a line, list entries, "a.Facebook: ...")
    become {saluran, kontak}; a channel already written so keeps its words (numbering removed)."""
    value = section[key]
    if isinstance(value, str):
        channels = readers.read_channels(value)
        if not channels:
            return False
        column = _column(section, key, None)
        section[key] = CommentedSeq([_channel_map(ch) for ch in channels])
        _note(section[key], 0, _unread([str(value)], channels), column)
        _move_key_comment(section, key, value)
        return True
    if not isinstance(value, list):
        return False
    changed = False
    column = _column(section, key, value)
    i = len(value)
    while i > 0:
        entry = value[i - 1]
        if _is_channel(entry):
            saluran = entry.get("saluran")
            if isinstance(saluran, str) and _numbered(saluran) and readers.strip_numbering(saluran):
                entry["saluran"] = _like(saluran, readers.strip_numbering(saluran))
                changed = True
            i -= 1
            continue
        start = i - 1  # a run of entries written as text, read together (a heading, then its channels)
        while start > 0 and not _is_channel(value[start - 1]):
            start -= 1
        run = [_as_written(e) for e in value[start:i]]
        channels = readers.read_channels(run) if all(e is not None for e in run) else []
        if channels:
            _replace(value, start, i, [_channel_map(ch) for ch in channels])
            _note(value, start, _unread(run, channels), column)
            changed = True
        i = start
    return changed


def _move_key_comment(section: CommentedMap, key: str, old: Any) -> None:
    """A block scalar replaced by a list: the comment lines that followed the block follow the
    list, not the key."""
    if not isinstance(section, CommentedMap) or key not in section.ca.items:
        return
    slot = section.ca.items[key]
    token = slot[2] if len(slot) > 2 else None
    new = section[key]
    if token is None or not isinstance(new, CommentedSeq) or not new:
        return
    if not isinstance(old, (LiteralScalarString, FoldedScalarString)) and not str(old).count("\n"):
        return  # an end-of-line comment of a one-line value stays on the key's line
    slot[2] = None
    column = token.start_mark.column if token.start_mark is not None else 0
    value = "\n" + " " * column + token.value
    moved = CommentToken(value, CommentMark(column), None)
    _attach(new, len(new) - 1, [moved, None, None, None])


def _tidy_list(section: dict, key: str) -> bool:
    value = section[key]
    if isinstance(value, list):
        return _tidy_seq(value)
    if not isinstance(value, str) or not any(_numbered(line) for line in value.split("\n") if line.strip()):
        return False
    nodes = readers.split_items(str(value))
    if not nodes:
        return False
    if len(nodes) == 1 and not nodes[0].children:
        if nodes[0].text == value.strip():
            return False
        section[key] = _like(value, nodes[0].text)
        return True
    section[key] = CommentedSeq(_from_nodes(nodes))
    _move_key_comment(section, key, value)
    return True


def _tidy_staffing(section: dict, key: str) -> bool:
    value = section[key]
    if not isinstance(value, str):
        return False
    reading = readers.read_staffing(value)
    if reading is None or reading.rows or reading.approximate:
        return False
    section[key] = reading.total
    return True


def _tidy_date(holder: Any, key: str) -> bool:
    if not isinstance(holder, dict) or not isinstance(holder.get(key), str):
        return False
    found = readers.read_date(holder[key]).date
    if found is None or isinstance(found, dt.datetime):
        return False
    holder[key] = found
    return True


def _tidy_nip(holder: Any) -> bool:
    if not isinstance(holder, dict) or "nip" not in holder:
        return False
    value = holder["nip"]
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return False
    digits = re.sub(rf"[\s{_QUOTES}]", "", str(value))
    if not re.fullmatch(r"[0-9]{18}", digits):
        return False
    spaced = fmt_id.nip(digits)
    if spaced == value:
        return False
    holder["nip"] = _like(value, spaced) if isinstance(value, str) else spaced
    return True


def _tidy_status(data: dict) -> bool:
    value = data.get("status")
    canon = readers.read_status(value) if isinstance(value, str) else None
    if canon is None or canon == value:
        return False
    data["status"] = _like(value, canon)
    return True


def _tidy_service(data: dict) -> bool:
    changed = _tidy_status(data)
    changed |= _tidy_date(data.get("penetapan"), "tanggal")
    for part in tables.parts():
        section = data.get(part)
        if not isinstance(section, dict):
            continue
        for key in list(section):
            if not isinstance(key, str) or not tables.is_component(key) or tables.component(key).bagian != part:
                continue
            jenis = tables.component(key).jenis
            if jenis == "daftar":
                changed |= _tidy_list(section, key)
            elif jenis == "saluran":
                changed |= _tidy_channels(section, key)
            elif jenis == "jumlah":
                changed |= _tidy_staffing(section, key)
    return changed


def _tidy_fkp(data: dict) -> bool:
    changed = _tidy_date(data, "tanggal")
    changed |= _tidy_date(data.get("undangan"), "tanggal")
    for person in data.get("peserta") or [] if isinstance(data.get("peserta"), list) else []:
        changed |= _tidy_nip(person)
    signers = data.get("penandatangan")
    if isinstance(signers, dict):
        for person in signers.values():
            changed |= _tidy_nip(person)
    return changed


def _tidy_unit(data: dict) -> bool:
    changed = _tidy_nip(data.get("pimpinan"))
    changed |= _tidy_date(data, "maklumat_tanggal")
    return changed


_TIDIERS = {"layanan": _tidy_service, "fkp": _tidy_fkp, "unit": _tidy_unit}


def tidy_text(text: str, kind: str) -> str:
    """One file's text in the canonical form (kind: layanan | fkp | unit). The text itself when
    nothing needs tidying (or when it is not a YAML mapping: validation reports that)."""
    if kind not in _TIDIERS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    yaml = _yaml(*_indentation(text))
    data = yaml.load(text)
    _SOURCE.append(text.split("\n"))
    _OFFSET.append(_indentation(text)[2])
    try:
        if not isinstance(data, dict) or not _TIDIERS[kind](data):
            return text
    finally:
        _SOURCE.pop()
        _OFFSET.pop()
    out = io.StringIO()
    yaml.dump(data, out)
    result = out.getvalue()
    if not text.endswith("\n") and result.endswith("\n"):
        result = result[:-1]
    return result


# ---------------------------------------------------------------------------------------------
# The hint in `validate`


def hand_numbered(data: Any) -> bool:
    """Cheap, on the values validation already read: does a list component of this service hold
    an item with numbering typed by hand (which `rapikan` removes)?"""
    if not isinstance(data, dict):
        return False
    for part in tables.parts():
        section = data.get(part)
        if not isinstance(section, dict):
            continue
        for key, value in section.items():
            if not isinstance(key, str) or not tables.is_component(key):
                continue
            if tables.component(key).jenis not in ("daftar", "saluran"):
                continue
            if isinstance(value, str):
                if any(_marked(line) for line in value.split("\n") if line.strip()):
                    return True
            elif isinstance(value, list) and _list_numbered(value):
                return True
    return False


# What a numbering mark can start with: a digit, "(", a letter or Roman numeral before "." or ")",
# or a bullet sign. Texts that start otherwise (most) skip the readers' full pattern.
_MAYBE_MARK = re.compile(r"\s*(?:[\d(]|[^\W\d_]{1,8}[.)]|[^\w\s])")


def _marked(text: str) -> bool:
    return bool(_MAYBE_MARK.match(text)) and readers.strip_numbering(text) != " ".join(text.split()) \
        and _numbered(text)


def _list_numbered(items: list) -> bool:
    for item in items:
        if isinstance(item, str) and _marked(item):
            return True
        if isinstance(item, dict):
            if readers.is_sublist_heading(item) and _list_numbered(next(iter(item.values()))):
                return True
            text = item.get("uraian", item.get("saluran"))
            if isinstance(text, str) and _marked(text):
                return True
    return False


HINT_RULES = frozenset({"butir.titik_dua", "pengaduan.titik_dua"})


def hint(display: str, data: Any, issues: Iterable[Issue]) -> Issue | None:
    """The one warning `validate` adds to a service file `rapikan` would tidy: one with a list
    item YAML split at an unquoted colon, or with numbering typed by hand."""
    reasons = []
    if hand_numbered(data):
        reasons.append("nomor butir yang diketik sendiri dihapus")
    if any(i.rule in HINT_RULES and i.path == display for i in issues):
        reasons.append("butir bertitik dua ditulis sebagai teks berkutip")
    if not reasons:
        return None
    return Issue(display, 1, 0, f"jalankan `sp-builder rapikan {display}` untuk menulis bentuk bakunya "
                                f"({'; '.join(reasons)})", Severity.WARNING, rule="rapikan.tersedia")


# ---------------------------------------------------------------------------------------------
# Files


@dataclass
class FileTidy:
    """One file: its path as shown, the unified diff of its tidying ("" when nothing changes),
    whether it was written, and its problems (why it was not)."""

    path: Path
    display: str
    diff: str = ""
    written: bool = False
    issues: list[Issue] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.diff)


@dataclass
class TidyResult:
    files: list[FileTidy] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)  # paths that are no unit, or not found

    @property
    def all_issues(self) -> list[Issue]:
        return self.issues + [i for f in self.files for i in f.issues]

    @property
    def changed(self) -> list[FileTidy]:
        return [f for f in self.files if f.changed]

    @property
    def exit_code(self) -> int:
        return 1 if any(i.is_error for i in self.all_issues) else 0


def kind_of(path: Path) -> str:
    if path.name == "unit.yaml":
        return "unit"
    return "fkp" if path.parent.name == "fkp" else "layanan"


def unified_diff(old: str, new: str, display: str) -> str:
    if old == new:
        return ""
    lines = difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                 f"a/{display}", f"b/{display}")
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def _unit_root_of(path: Path) -> Path:
    parent = path.parent
    return parent.parent if parent.name in ("layanan", "fkp") else parent


def _unit_files(root: Path) -> list[Path]:
    files = [root / "unit.yaml"] if (root / "unit.yaml").exists() else []
    for folder in ("layanan", "fkp"):
        if (root / folder).is_dir():
            files += sorted(p for p in (root / folder).iterdir() if p.suffix in (".yaml", ".yml"))
    return files


def _within(path: Path, root: Path) -> bool:
    """The file lies in the unit folder, also once every symbolic link is followed."""
    try:
        real, base = path.resolve(), root.resolve()
    except (OSError, RuntimeError):
        return False
    return real.is_relative_to(base) and real.is_file()


def _problem(display: str, message: str, rule: str) -> Issue:
    return Issue(display, 0, 0, message, rule=rule)


def _errors_of(path: Path, display: str, text: str, problems: list[Issue] = ()) -> list[Issue]:
    """The errors of one file's text, by the rules that need no other file (those of
    `validate FILE`: unit/validate.py's validate_file, which cannot be imported here: validate
    imports this module for its hint)."""
    errors = [i for i in problems if i.is_error]
    try:
        data = parse_yaml(text)
    except Exception as exc:  # the emitter wrote what the parser cannot read: never write it
        return errors + [_problem(display, f"hasil rapikan tidak terbaca kembali ({type(exc).__name__}); berkas "
                                           "tidak diubah", "rapikan.gagal")]
    if not isinstance(data, dict):
        return errors + [_problem(display, "isi berkas bukan pasangan kunci: nilai; berkas tidak diubah",
                                  "rapikan.gagal")]
    kind = kind_of(path)
    if kind == "layanan" and "peserta" in data and "penyampaian" not in data:
        kind = "fkp"
    checker = {"unit": check_unit_file, "fkp": check_fkp_file, "layanan": check_service_file}[kind]
    check = checker(YamlFile(path, display, text, data), _unit_root_of(path), clock.today())
    return errors + [i for i in check.issues() if i.is_error and i.path == display]


def _tidy_file(path: Path, root: Path, write: bool) -> FileTidy:
    display = display_path(path)
    result = FileTidy(path, display)
    if not _within(path, root):
        result.issues.append(_problem(display, f"dilewati: {display} berada (atau menaut) di luar folder unit "
                                               f"{display_path(root)}; rapikan hanya mengubah berkas unit",
                                      "rapikan.di_luar_unit"))
        return result
    file, problems = read_yaml(path, display)
    if file is None:
        result.issues += problems
        return result
    try:
        new = tidy_text(file.text, kind_of(path))
    except Exception as exc:  # ruamel's round trip refuses what the validator's reader took
        result.issues.append(_problem(display, f"{display} tidak dapat dirapikan otomatis "
                                               f"({type(exc).__name__}); berkas dibiarkan apa adanya",
                                      "rapikan.gagal"))
        return result
    result.diff = unified_diff(file.text, new, display)
    if not write or not result.diff:
        return result
    before = _errors_of(path, display, file.text, problems)
    after = _errors_of(path, display, new) if not before else []
    if before or after:
        found = before or after
        result.issues += found
        when = "masih memiliki" if before else "akan memiliki"
        result.issues.append(_problem(display, f"{display} tidak ditulis: berkas ini {when} {len(found)} galat; "
                                               f"perbaiki dulu (sp-builder validate {display}), lalu jalankan ulang "
                                               "sp-builder rapikan --tulis", "rapikan.ada_galat"))
        return result
    write_text_atomic(path.resolve(), new)
    result.written = True
    return result


def tidy_paths(paths: Iterable[Path | str], write: bool = False) -> TidyResult:
    """Each file named, or each file of each unit folder (unit.yaml, layanan/, fkp/) at or below
    a folder named, tidied: the diffs, and with write=True the changed files written atomically
    (only those that validate without errors before and after, only inside their unit)."""
    result = TidyResult()
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            units = [path] if (path / "unit.yaml").is_file() else sorted(p.parent for p in path.rglob("unit.yaml"))
            if not units:
                result.issues.append(_problem(display_path(path), "bukan folder unit: tidak ada unit.yaml di folder "
                                                                  "ini maupun di bawahnya", "unit.tidak_ada"))
            targets = [(f, root) for root in units for f in _unit_files(root)]
        elif path.exists() or path.is_symlink():
            targets = [(path, _unit_root_of(path))]
        else:
            result.issues.append(_problem(display_path(path), "berkas atau folder tidak ditemukan", "berkas.tidak_ada"))
            continue
        for file, root in targets:
            key = file.resolve() if _within(file, root) else file.absolute()
            if key in seen:
                continue
            seen.add(key)
            result.files.append(_tidy_file(file, root, write))
    return result
