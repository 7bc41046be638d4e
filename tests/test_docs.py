"""Examples that cannot drift: every command example with shown output in the README and in the
user guide (docs/panduan/*.md) is run against a copy of the samples and compared with the document.

An example is a fenced ```sh block directly followed (blank lines allowed) by a fenced ```text
block. The commands run with bash, in order, in one scratch folder per document holding a copy of
samples/, with SOURCE_DATE_EPOCH at 1 December 2026 and stdout and stderr merged. In the text block
a line "…" stands for any number of lines (none included) and a line ending in "…" for any line
that starts with what precedes it. `<!-- persiapan: COMMAND -->` on the line before the sh block
runs COMMAND first. A changed message fails here until the document shows the new one.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs" / "panduan").glob("*.md"))]
TODAY = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.timezone.utc)
ELISION = "…"
_PREP = re.compile(r"^<!--\s*persiapan:\s*(.*?)\s*-->$")


@dataclass(frozen=True)
class Example:
    line: int  # of the ```sh fence, 1-based
    prep: str
    commands: str
    expected: tuple[str, ...]


def _fence(lines: list[str], start: int) -> tuple[list[str], int]:
    """The lines of the fenced block whose opening fence is at `start`, and the index after it."""
    end = start + 1
    while end < len(lines) and lines[end].strip() != "```":
        end += 1
    return lines[start + 1:end], end + 1


def examples(text: str) -> list[Example]:
    lines = text.splitlines()
    found, i = [], 0
    while i < len(lines):
        if lines[i].strip() != "```sh":
            i += 1
            continue
        commands, after = _fence(lines, i)
        j = after
        while j < len(lines) and not lines[j].strip():
            j += 1
        if j < len(lines) and lines[j].strip() == "```text":
            expected, after = _fence(lines, j)
            k = i - 1
            while k >= 0 and not lines[k].strip():
                k -= 1
            m = _PREP.match(lines[k].strip()) if k >= 0 else None
            found.append(Example(i + 1, m.group(1) if m else "", "\n".join(commands), tuple(expected)))
        i = after
    return found


def matches(expected: tuple[str, ...], actual: tuple[str, ...]) -> bool:
    @functools.lru_cache(maxsize=None)
    def at(e: int, a: int) -> bool:
        if e == len(expected):
            return a == len(actual)
        want = expected[e]
        if want.strip() == ELISION:
            return any(at(e + 1, b) for b in range(a, len(actual) + 1))
        if a == len(actual):
            return False
        if want.endswith(ELISION):
            ok = actual[a].startswith(want[: -len(ELISION)])
        else:
            ok = actual[a] == want.rstrip()
        return ok and at(e + 1, a + 1)

    return at(0, 0)


def _run(script: str, cwd: Path) -> str:
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(int(TODAY.timestamp())), PYTHONUNBUFFERED="1",
               COLUMNS="100", TZ="UTC", LC_ALL="C.UTF-8")
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    done = subprocess.run(["bash", "-c", script], cwd=cwd, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=300)
    return done.stdout


def test_the_documents_have_examples():
    assert len(examples((ROOT / "README.md").read_text(encoding="utf-8"))) >= 8
    assert examples("```sh\nsp-builder x\n```\n\n```text\nok\n…\n```\n") == [
        Example(1, "", "sp-builder x", ("ok", "…"))]


def test_the_matcher_allows_marked_elisions_only():
    assert matches(("a", "…", "d"), ("a", "b", "c", "d"))
    assert matches(("a", "…"), ("a",))
    assert matches(("galat: x …",), ("galat: x y z",))
    assert not matches(("a", "d"), ("a", "b", "d"))
    assert not matches(("galat: x …",), ("galat: y",))


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_shown_output_is_what_the_tool_prints(document, tmp_path):
    found = examples(document.read_text(encoding="utf-8"))
    if not found:
        pytest.skip("no example with shown output")
    shutil.copytree(ROOT / "samples", tmp_path / "samples")
    failures = []
    for ex in found:
        if ex.prep:
            _run(ex.prep, tmp_path)
        output = _run(ex.commands, tmp_path)
        actual = tuple(line.rstrip() for line in output.rstrip("\n").splitlines())
        if not matches(ex.expected, actual):
            failures.append(f"{document.relative_to(ROOT)}:{ex.line}: $ {ex.commands}\n"
                            "--- the document shows\n" + "\n".join(ex.expected) +
                            "\n--- the tool prints\n" + "\n".join(actual))
    assert not failures, "\n\n".join(failures)


def test_the_page_of_messages_is_what_rules_page_writes_now():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import rules_page
    finally:
        sys.path.pop(0)
    page = ROOT / "docs" / "panduan" / "pesan.md"
    assert page.read_text(encoding="utf-8") == rules_page.render(), (
        "docs/panduan/pesan.md is out of date: run python3 tools/rules_page.py and commit the page")
