"""Check a unit folder (or single files) against the SP contract and return every problem at once:
the entry points of validation. The rules themselves are in `rules.py`; the self-assessment file is
read by `evaluation.py`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Iterable

from sp_builder import clock
from sp_builder.errors import Issue, sorted_issues
from sp_builder.unit.dasar_hukum import register_for
from sp_builder.unit.evaluation import load_evaluation
from sp_builder.files import display_path
from sp_builder.unit.load import read_yaml
from sp_builder.unit.model import Fkp, Service, Unit
from sp_builder.unit.rules import FileCheck, check_cross_files, check_fkp_file, check_service_file, check_unit_file
from sp_builder.unit.tidy import hint as tidy_hint


def _yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())



def _check_folder(folder: Path, checker, issues: list[Issue],
                  unreadable: dict[str, str] | None = None) -> list[FileCheck]:
    """Read and check every YAML file of a folder; files that cannot be read add their issues (and,
    when `unreadable` is given, their slug and path as shown)."""
    checks = []
    for path in _yaml_files(folder):
        file, problems = read_yaml(path)
        issues += problems
        if file:
            checks.append(checker(file))
        elif unreadable is not None:
            unreadable[path.stem] = display_path(path)
    return checks



def _issues_with_hint(check: FileCheck) -> list[Issue]:
    """A file's issues and, for a service file that `rapikan` would tidy (hand numbering, an
    item split at an unquoted colon), one warning that says so."""
    issues = check.issues()
    data = check.file.data
    if isinstance(data, dict) and ("penyampaian" in data or "pengelolaan" in data):
        found = tidy_hint(check.file.display, data, issues)
        if found is not None:
            issues.append(found)
    return issues



def load_unit(root: Path | str, today: dt.date | None = None) -> tuple[Unit | None, list[Issue]]:
    """Load and validate a whole unit folder. The Unit holds every file that could be read, even
    with errors (so `check` can report on it); callers that render must refuse when any issue is
    an error. Returns (None, issues) when unit.yaml itself is unusable."""
    root = Path(root)
    today = today or clock.today()
    unit_file, issues = read_yaml(root / "unit.yaml", display_path(root / "unit.yaml"))
    checks: list[FileCheck] = []
    if unit_file:
        checks.append(check_unit_file(unit_file, root, today))
    unreadable: dict[str, str] = {}  # service files that could not be read: the FKP rules point to them
    services = {check.file.path.stem: (Service(check.file.path.stem, check.file.path, check.file.data), check)
                for check in _check_folder(root / "layanan", lambda f: check_service_file(f, root, today), issues,
                                           unreadable)}
    fkps = [(Fkp(check.file.path.stem, check.file.path, check.file.data), check)
            for check in _check_folder(root / "fkp", lambda f: check_fkp_file(f, root, today), issues)]
    checks += [check for _, check in services.values()] + [check for _, check in fkps]
    if not (root / "layanan").is_dir() or not services and not any(
            i.path.startswith(display_path(root / "layanan")) for i in issues):
        issues.append(Issue(display_path(root / "layanan"), 0, 0,
                            "folder layanan/ belum berisi berkas layanan; buat satu berkas .yaml per jenis pelayanan",
                            rule="unit.tanpa_layanan"))
    check_cross_files(root, services, fkps, unreadable)
    issues += register_for(root).issues  # the Pemda's peraturan.yaml, when it has problems
    for check in checks:
        issues += _issues_with_hint(check)
    if unit_file is None:
        return None, sorted_issues(issues)
    unit = Unit(root, unit_file.data, [s for s, _ in services.values()], [f for f, _ in fkps])
    return unit, sorted_issues(issues)



def _unit_root_of(path: Path) -> Path:
    parent = path.parent
    return parent.parent if parent.name in ("layanan", "fkp") else parent



def validate_file(path: Path, today: dt.date | None = None) -> list[Issue]:
    """One file on its own: the rules that need no other file (cross-file rules need the unit)."""
    today = today or clock.today()
    file, issues = read_yaml(path)
    if file is None:
        return issues
    root = _unit_root_of(path)
    if path.name == "unit.yaml":
        check = check_unit_file(file, root, today)
    elif path.parent.name == "fkp" or ("peserta" in file.data and "penyampaian" not in file.data):
        check = check_fkp_file(file, root, today)
    else:
        check = check_service_file(file, root, today)
    return sorted_issues(issues + _issues_with_hint(check) + list(register_for(root).issues))



def find_units(root: Path) -> list[Path]:
    """Every folder holding a unit.yaml at or below root, in a stable order."""
    if (root / "unit.yaml").is_file():
        return [root]
    return sorted(p.parent for p in root.rglob("unit.yaml"))



def evaluation_issues(root: Path) -> list[Issue]:
    """Problems of the unit's evaluasi.yaml (indicators, options, evidence), checked where `check`
    reads it."""
    return load_evaluation(root, None)[2]



def validate_paths(paths: Iterable[Path | str], today: dt.date | None = None) -> list[Issue]:
    issues: list[Issue] = []
    for raw in paths:
        path = Path(raw)
        if path.is_file():
            issues += validate_file(path, today)
        elif path.is_dir():
            units = find_units(path)
            if not units:
                issues.append(Issue(display_path(path), 0, 0, "bukan folder unit: tidak ada unit.yaml di folder ini "
                                                              "maupun di bawahnya; buat dengan: sp-builder init FOLDER",
                                    rule="unit.tidak_ada"))
            for unit_root in units:
                issues += load_unit(unit_root, today)[1] + evaluation_issues(unit_root)
        else:
            issues.append(Issue(display_path(path), 0, 0, "berkas atau folder tidak ditemukan", rule="berkas.tidak_ada"))
    return sorted_issues(dict.fromkeys(issues))  # units sharing a peraturan.yaml: once


def owning_unit(paths: Iterable[Path | str], today: dt.date | None = None) -> Unit | None:
    """The unit whose kop heads a report on these files: the unit folder holding them
    (`<unit>/skm/*.csv`), a unit folder given directly, or the working directory — the first whose
    unit.yaml validates without errors. Only unit.yaml is checked: the report needs the kop and
    the head, not the services."""
    candidates = []
    for raw in paths:
        path = Path(raw).resolve()
        folder = path if path.is_dir() else path.parent
        candidates += [folder, folder.parent]
    candidates.append(Path.cwd())
    for root in candidates:
        if not (root / "unit.yaml").is_file():
            continue
        file, issues = read_yaml(root / "unit.yaml")
        if file is None or any(i.is_error for i in issues):
            continue
        if not check_unit_file(file, root, today or clock.today()).has_errors:
            return Unit(root, file.data)
    return None
