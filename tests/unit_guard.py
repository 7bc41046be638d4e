"""Unit folder guard: no command may change or delete a file of a unit folder ("nothing lost").

conftest.py re-exports this module's names with `import *`, so its fixtures are active for every
test and its hook is collected from conftest (by attribute name; the hook has its own name and a
`specname`, like fuzz_profiles.py, so it replaces no other module's hook).

For every CLI invocation of the session — `click.testing.CliRunner.invoke`, and `subprocess.run`
of `python -m sp_builder ...` or of an `sp-builder` executable — `plan_invocation` finds the
guarded folders, `snapshot` hashes their files before and after, and `violations` lists what
changed. The guarded folders are:

- every unit folder (a folder holding unit.yaml) named by an argument, or holding a file named
  by an argument (`validate unit/layanan/ktp-el.yaml`), or found below a directory argument at
  any depth (`build ROOT`, `validate ROOT`), or the working directory and the unit it lies in;
- the target of `init` when it exists (init fills a folder; it must not overwrite what is there).

Allowed, and nothing else:

- new files anywhere for `init` (it creates a unit);
- new files at an output the command was given (`-o/--out/--output`, `--bundle`): the file
  itself, or anything below an output folder (`render`/`build`); such a path may also be
  rewritten or deleted on a later run, unless it is a unit input (YAML, survey, image, template,
  evidence) — a report written over unit.yaml is data loss whatever the option said;
- rewriting the output file of `import --force` (and of `init --force`, should it exist), or the
  files of the unit folder `import BOOK -o UNIT_DIR --force` writes.

A session fixture also hashes the repository's samples/ at the start and checks them at the end:
tests copy samples to a temporary folder before building or editing them.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from sp_builder.manifest import sha256_file

__all__ = ["unit_guard_cli", "unit_guard_samples", "pytest_terminal_summary_unit_guard"]

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
UNIT_FILE = "unit.yaml"
OUTPUT_OPTIONS = ("-o", "--out", "--output", "--bundle")
DIR_OUTPUT_COMMANDS = {"render", "build"}  # their -o names a folder
GLOBAL_OPTIONS = {"--debug"}
INPUT_SUFFIXES = {".yaml", ".yml", ".csv", ".xlsx", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}
INPUT_FOLDERS = {"bukti", "templates"}
MAX_WALK_DIRS = 5000  # a directory argument is searched for units; bound the walk

STATS = {"invocations": 0, "folders": 0, "seconds": 0.0}


@dataclass
class Plan:
    """What one invocation may touch."""

    command: str
    cwd: Path
    force: bool = False
    roots: list[Path] = field(default_factory=list)  # guarded folders (units, the init target)
    output_files: set[Path] = field(default_factory=set)
    output_dirs: set[Path] = field(default_factory=set)


# ---------------------------------------------------------------------------------------------
# Finding the guarded folders


def _split_args(args) -> list[str]:
    if args is None:
        return []
    if isinstance(args, str):
        return shlex.split(args)
    return [os.fspath(a) for a in args]


def _absolute(value: str, cwd: Path) -> Path:
    path = Path(value).expanduser()
    return Path(os.path.normpath(path if path.is_absolute() else cwd / path))


def _unit_around(path: Path) -> Path | None:
    """The unit folder path is, or lies in."""
    for folder in (path, *path.parents):
        if (folder / UNIT_FILE).is_file():
            return folder
    return None


def _units_below(folder: Path) -> list[Path]:
    """Unit folders below folder, any depth (as build and validate find them)."""
    found, seen = [], 0
    for current, dirs, files in os.walk(folder):
        seen += 1
        if UNIT_FILE in files:
            found.append(Path(current))
            dirs[:] = []  # the unit's own tree is hashed whole
            continue
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
        if seen >= MAX_WALK_DIRS:
            break
    return found


def _outermost(paths) -> list[Path]:
    """Drop folders that lie inside another one of the list."""
    ordered = sorted(set(paths), key=lambda p: len(p.parts))
    kept: list[Path] = []
    for path in ordered:
        if not any(path == k or k in path.parents for k in kept):
            kept.append(path)
    return kept


def plan_invocation(args, cwd: Path | str | None = None, command: str | None = None) -> Plan:
    """The guarded folders and allowed outputs of `sp-builder ARGS` run in cwd.

    command: the subcommand when the caller invoked one directly (not the group)."""
    tokens = _split_args(args)
    cwd = Path(os.path.normpath(Path(cwd or os.getcwd()).resolve()))
    rest = list(tokens)
    if command is None:
        while rest and rest[0] in GLOBAL_OPTIONS:
            rest.pop(0)
        command = rest.pop(0) if rest and not rest[0].startswith("-") else ""
    plan = Plan(command=command, cwd=cwd, force="--force" in rest)
    values: list[str] = []
    outputs: list[tuple[str, str]] = []
    index = 0
    while index < len(rest):
        token = rest[index]
        index += 1
        if token == "--":
            values += rest[index:]
            break
        if token in OUTPUT_OPTIONS:
            if index < len(rest):
                outputs.append((token, rest[index]))
                values.append(rest[index])
                index += 1
            continue
        name, eq, value = token.partition("=")
        if token.startswith("--") and eq:
            if name in OUTPUT_OPTIONS:
                outputs.append((name, value))
            values.append(value)
        elif token.startswith("-o") and not token.startswith("--") and len(token) > 2:
            outputs.append(("-o", token[2:]))
            values.append(token[2:])
        elif not token.startswith("-"):
            values.append(token)
    for option, output in outputs:
        path = _absolute(output, cwd)
        if command in DIR_OUTPUT_COMMANDS and option != "--bundle":
            plan.output_dirs.add(path)  # render/build: -o names a folder
        elif command == "import" and path.suffix.lower() not in (".yaml", ".yml"):
            plan.output_dirs.add(path)  # import BOOK -o UNIT_DIR: a unit folder
        else:
            plan.output_files.add(path)

    roots: list[Path] = []
    around = _unit_around(cwd)
    if around is not None:
        roots.append(around)
    if command == "init" and values and _absolute(values[0], cwd).is_dir():
        roots.append(_absolute(values[0], cwd))  # the folder init fills, unit or not
    for value in values:
        path = _absolute(value, cwd)
        if not path.exists():
            continue
        unit = _unit_around(path)
        if unit is not None:
            roots.append(unit)
        elif path.is_dir() and path not in plan.output_dirs:
            roots += _units_below(path)
    plan.roots = _outermost(roots)
    return plan


# ---------------------------------------------------------------------------------------------
# Hashing and comparing


def hash_tree(root: Path) -> dict[Path, str]:
    """Every file below root (symlinks not followed) → its sha256."""
    tree: dict[Path, str] = {}
    for current, dirs, files in os.walk(root):
        dirs.sort()
        for name in files:
            path = Path(current) / name
            if path.is_symlink():
                tree[path] = "symlink:" + os.readlink(path)
            elif path.is_file():
                tree[path] = sha256_file(path)
    return tree


def snapshot(plan: Plan) -> dict[Path, str]:
    tree: dict[Path, str] = {}
    for root in plan.roots:
        if root.is_dir():
            tree.update(hash_tree(root))
    return tree


def _root_of(plan: Plan, path: Path) -> Path:
    for root in plan.roots:
        if root == path or root in path.parents:
            return root
    return path.parent


def is_unit_input(rel: Path) -> bool:
    """What a unit is made of: YAML, surveys, images, its templates and evidence."""
    return rel.suffix.lower() in INPUT_SUFFIXES or (len(rel.parts) > 1 and rel.parts[0] in INPUT_FOLDERS)


def _is_output(plan: Plan, path: Path) -> bool:
    return path in plan.output_files or any(d == path or d in path.parents for d in plan.output_dirs)


def violations(plan: Plan, before: dict[Path, str], after: dict[Path, str]) -> list[str]:
    """Every change to a guarded folder the command was not allowed to make, one line each."""
    found = []
    forced = plan.force and plan.command in {"init", "import"}

    def show(path: Path) -> str:
        try:
            return str(path.relative_to(plan.cwd))
        except ValueError:
            return str(path)

    for path in sorted(set(before) | set(after)):
        old, new = before.get(path), after.get(path)
        if old == new:
            continue
        output = _is_output(plan, path)
        input_file = is_unit_input(path.relative_to(_root_of(plan, path)))
        if old is None:
            if plan.command == "init" or output:
                continue
            found.append(f"new file: {show(path)}")
        elif output and (not input_file or (forced and (path in plan.output_files or plan.command == "import"))):
            continue
        elif new is None:
            found.append(f"deleted: {show(path)}")
        else:
            found.append(f"modified: {show(path)}")
    return found


def guarded(plan: Plan, action):
    """Run action() between two snapshots; return (its result, the violations)."""
    start = time.perf_counter()
    before = snapshot(plan)
    middle = time.perf_counter()
    try:
        result = action()
    except BaseException:  # a command that raised (catch_exceptions=False) must not hide damage
        found = violations(plan, before, snapshot(plan))
        if found:
            pytest.fail("unit_guard: a command raised after changing a unit folder:\n  " + "\n  ".join(found),
                        pytrace=False)
        raise
    resumed = time.perf_counter()
    found = violations(plan, before, snapshot(plan))
    STATS["seconds"] += (middle - start) + (time.perf_counter() - resumed)
    return result, found


def _fail(plan: Plan, args, found: list[str]) -> None:
    pytest.fail(
        f"unit_guard: `sp-builder {' '.join(_split_args(args))}` (in {plan.cwd}) changed a unit folder "
        f"({', '.join(str(r) for r in plan.roots)}):\n  " + "\n  ".join(found),
        pytrace=False,
    )


# ---------------------------------------------------------------------------------------------
# The hooks into CliRunner and subprocess


_real_invoke = CliRunner.invoke
_real_run = subprocess.run


def _invoke(self, cli, args=None, *rest, **kwargs):
    import click

    command = None if isinstance(cli, click.Group) else (cli.name or "")
    plan = plan_invocation(args, command=command)
    STATS["invocations"] += 1
    STATS["folders"] += len(plan.roots)
    result, found = guarded(plan, lambda: _real_invoke(self, cli, args, *rest, **kwargs))
    if found:
        _fail(plan, args, found)
    return result


def sp_builder_args(argv) -> list[str] | None:
    """The CLI arguments when argv runs sp-builder, else None."""
    if isinstance(argv, (str, bytes)) or not isinstance(argv, (list, tuple)) or not argv:
        return None
    argv = [os.fsdecode(a) if isinstance(a, bytes) else os.fspath(a) for a in argv]
    if Path(argv[0]).name in {"sp-builder", "sp-builder.exe"}:
        return argv[1:]
    for index, token in enumerate(argv[:-1]):
        if token == "-m" and argv[index + 1] == "sp_builder":
            return argv[index + 2:]
    return None


def _run(*popenargs, **kwargs):
    argv = popenargs[0] if popenargs else kwargs.get("args")
    args = sp_builder_args(argv)
    if args is None:
        return _real_run(*popenargs, **kwargs)
    cwd = kwargs.get("cwd") or os.getcwd()
    plan = plan_invocation(args, cwd)
    STATS["invocations"] += 1
    STATS["folders"] += len(plan.roots)
    result, found = guarded(plan, lambda: _real_run(*popenargs, **kwargs))
    if found:
        _fail(plan, args, found)
    return result


@pytest.fixture(scope="session", autouse=True)
def unit_guard_cli():
    """Guard every CLI invocation of the session (patched on the class, so every runner)."""
    patch = pytest.MonkeyPatch()
    patch.setattr(CliRunner, "invoke", _invoke)
    patch.setattr(subprocess, "run", _run)
    yield STATS
    patch.undo()


@pytest.fixture(scope="session", autouse=True)
def unit_guard_samples():
    """No test may write into the repository's samples/."""
    before = hash_tree(SAMPLES) if SAMPLES.is_dir() else {}
    yield
    after = hash_tree(SAMPLES) if SAMPLES.is_dir() else {}
    plan = Plan(command="", cwd=SAMPLES.parent, roots=[SAMPLES])
    found = violations(plan, before, after)
    if found:
        pytest.fail("unit_guard: the tests changed the repository's samples/:\n  " + "\n  ".join(found),
                    pytrace=False)


@pytest.hookimpl(specname="pytest_terminal_summary")
def pytest_terminal_summary_unit_guard(terminalreporter) -> None:
    if STATS["invocations"]:
        terminalreporter.write_line(
            f"unit_guard: {STATS['invocations']} CLI invocations checked, "
            f"{STATS['folders']} guarded folders hashed before and after ({STATS['seconds']:.1f} s)")
