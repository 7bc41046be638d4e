"""`init`: a new unit folder from commented examples that validate clean."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from sp_builder.errors import UserError
from sp_builder.write import write_text_atomic


def _scaffold_files() -> list[tuple[str, str]]:
    """(relative path, text) of every file in templates/init/."""
    base = resources.files("sp_builder.templates").joinpath("init")
    out = []
    stack = [(base, "")]
    while stack:
        folder, prefix = stack.pop()
        for entry in folder.iterdir():
            rel = f"{prefix}{entry.name}"
            if entry.is_dir():
                stack.append((entry, rel + "/"))
            elif entry.name.endswith(".yaml"):
                out.append((rel, entry.read_text(encoding="utf-8")))
    return sorted(out)


def init_unit(target: Path) -> tuple[list[Path], list[Path]]:
    """Write the scaffold into target. Never overwrites: existing files are skipped and returned."""
    if target.exists() and not target.is_dir():
        raise UserError(f"{target} sudah ada dan bukan folder")
    if (target / "unit.yaml").exists():
        raise UserError(f"{target} sudah berisi unit.yaml; init tidak menimpa unit yang sudah ada")
    written, skipped = [], []
    for rel, text in _scaffold_files():
        path = target / rel
        if path.exists():
            skipped.append(path)
            continue
        write_text_atomic(path, text)
        written.append(path)
    for folder in ("skm", "bukti"):
        (target / folder).mkdir(parents=True, exist_ok=True)
    return written, skipped
