"""The register of regulations a unit sees, and its findings as validation issues.

`register.py` knows regulations; this module knows units. A Pemda keeps its own Perda and
Perkada in a `peraturan.yaml` beside its units: the nearest one in the unit folder or one of the
folders above it, at most `LEVELS` folders in all (the unit folder, its parent, its grandparent),
so `pemda/peraturan.yaml` serves `pemda/dukcapil/` and `pemda/kecamatan/sleman/` alike. The file
is read with the project's hardened YAML reader and merged over the built-in register
(`schemas/peraturan.yaml`); its problems are issues (galat) at their line, and while it has any,
validation and the Keputusan use the built-in register alone. Registers are cached per file and
modification time, so a unit of forty services reads its Pemda's file once.

Register findings have two severities, sp-builder's issues only galat and peringatan: a finding
the register calls "catatan" (an amended regulation cited without its amendment, a status not yet
verified) becomes a peringatan whose message starts with "catatan:", so it is shown and counted
as a warning but reads as the softer note it is.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from sp_builder import tables
from sp_builder.errors import Issue, Severity
from sp_builder.files import display_path
from sp_builder.unit import register as registers
from sp_builder.unit.load import YamlFile, read_yaml
from sp_builder.unit.register import Finding, Register, RegisterError

PEMDA_REGISTER = "peraturan.yaml"
LEVELS = 3  # the unit folder and at most two folders above it
RULE_REGISTER = "peraturan.tidak_valid"
NOTE_PREFIX = "catatan: "


@dataclass(frozen=True)
class UnitRegister:
    """The register that applies to one unit: built-in, with the Pemda's file merged in when it
    is valid; `issues` are the problems of that file."""

    register: Register
    path: Path | None = None
    issues: tuple[Issue, ...] = ()


def unit_root_of(path: Path) -> Path:
    """The unit folder of a file: `<unit>/layanan/x.yaml` → `<unit>`."""
    parent = Path(path).parent
    return parent.parent if parent.name in ("layanan", "fkp") else parent


def find_pemda_register(unit_root: Path | str) -> Path | None:
    """The nearest `peraturan.yaml` in the unit folder or above it (at most LEVELS folders)."""
    folder = Path(unit_root).resolve()
    for _ in range(LEVELS):
        candidate = folder / PEMDA_REGISTER
        if candidate.is_file():
            return candidate
        if folder.parent == folder:
            break
        folder = folder.parent
    return None


def register_for(unit_root: Path | str) -> UnitRegister:
    """The register of the unit at `unit_root` (cached per Pemda file and modification time)."""
    path = find_pemda_register(unit_root)
    if path is None:
        return UnitRegister(registers.builtin())
    try:
        stat = path.stat()
    except OSError:
        return UnitRegister(registers.builtin())
    return _load(str(path), display_path(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=64)
def _load(path_text: str, display: str, mtime_ns: int, size: int) -> UnitRegister:
    path = Path(path_text)
    file, problems = read_yaml(path, display)
    if file is None:
        return UnitRegister(registers.builtin(), path, tuple(problems))
    builtin_data = (tables.load_data(registers.REGISTER), f"schemas/{registers.REGISTER}")
    try:
        merged = registers.build_register(builtin_data, (file.data, display))
    except RegisterError as exc:
        return UnitRegister(registers.builtin(), path, tuple(_problem_issue(file, p) for p in exc.problems))
    return UnitRegister(merged, path, tuple(problems))


_ENTRY = re.compile(r"^entri (\d+)\b")


def _problem_issue(file: YamlFile, problem: str) -> Issue:
    """A RegisterError problem ("<file>: entri 3 (UU 5/2009): `judul` kosong") at its line."""
    prefix = f"{file.display}: "
    text = problem[len(prefix):] if problem.startswith(prefix) else problem
    keypath: tuple = ("peraturan",)
    rows = file.data.get("peraturan") if isinstance(file.data, dict) else None
    found = _ENTRY.match(text)
    if found:
        keypath = ("peraturan", int(found.group(1)) - 1)
    elif isinstance(rows, list):  # a reference problem names the entry by its id
        for n, row in enumerate(rows):
            ident = str(row.get("id", "")).strip() if isinstance(row, dict) else ""
            if ident and text.startswith(f"{ident}: "):
                keypath = ("peraturan", n)
                break
    line, column = file.position(keypath)
    return Issue(file.display, line, column, f"daftar peraturan Pemda: {text}; selama belum diperbaiki, "
                                             "hanya daftar bawaan sp-builder yang dipakai",
                 Severity.ERROR, "", RULE_REGISTER)


def severity_and_message(finding: Finding) -> tuple[Severity, str]:
    """A register finding as sp-builder shows it: a "catatan" is a warning that says it is a note."""
    if finding.severity == "catatan":
        return Severity.WARNING, NOTE_PREFIX + finding.message
    return Severity.WARNING, finding.message


# The longest regulation titles run to some 400 characters; the register compares titles with
# difflib, whose cost grows with the length, so a line far longer than any citation (a pasted
# paragraph, a hostile file) is not compared: 16 lines of 60 000 characters took 45 s.
MAX_CITATION_CHARS = 1_000


def line_findings(lines: Iterable[str], register: Register) -> list[tuple[int, Finding]]:
    """Findings for a dasar hukum list, as (index of the line, finding); non-text items and lines
    longer than MAX_CITATION_CHARS are skipped but keep their index."""
    texts = [item if isinstance(item, str) and len(item) <= MAX_CITATION_CHARS else "" for item in lines]
    return registers.findings_for_lines(texts, register)
