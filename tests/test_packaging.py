"""The wheel carries the data the code reads: schemas, instruments, templates, the init scaffold."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).parents[1]


def test_wheel_contains_schemas_and_templates(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "-w", str(tmp_path), str(ROOT)], check=True, capture_output=True)
    (wheel,) = tmp_path.glob("sp_builder-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"sp_builder/schemas/{p.relative_to(ROOT / 'schemas')}" for p in (ROOT / "schemas").rglob("*")
                if p.suffix in (".yaml", ".json")}
    expected |= {f"sp_builder/templates/{p.relative_to(ROOT / 'templates')}" for p in (ROOT / "templates").rglob("*")
                 if p.suffix in (".docx", ".yaml")}
    assert "sp_builder/schemas/instrumen/transisi-2022-a.json" in expected
    assert "sp_builder/templates/init/layanan/contoh-layanan.yaml" in expected
    assert expected <= names, sorted(expected - names)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "sp-builder = sp_builder.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
