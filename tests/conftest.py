"""Shared fixtures: the valid unit every rule test plants one defect into."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from fuzz_profiles import *  # noqa: F401,F403 — hypothesis profiles (ci, fuzz)
from unit_guard import *  # noqa: F401,F403 — no CLI test may change a unit folder

DATA = Path(__file__).parent / "data"

os.environ.pop("SOURCE_DATE_EPOCH", None)  # "today" is the machine's date in tests unless one sets it


@pytest.fixture
def unit(tmp_path, monkeypatch) -> Path:
    """A copy of tests/data/unit-valid; the working directory is the unit, so paths in messages
    read as a user in that folder would see them ("layanan/ktp-el.yaml")."""
    root = tmp_path / "unit"
    shutil.copytree(DATA / "unit-valid", root)
    monkeypatch.chdir(root)
    return root
