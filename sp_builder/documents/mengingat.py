"""The Mengingat list of a Keputusan: legal bases ranked by the hierarchy of regulations.

UU 12/2011 Pasal 7 and 8 order the kinds (UUD, TAP MPR, UU/Perppu, PP, Perpres, Peraturan
Menteri/Lembaga, Perda Provinsi, Perda Kabupaten/Kota, Perkada, then Keputusan); the patterns
that recognise each kind are data in `schemas/dokumen.yaml`. Within a kind, older comes first.
"""

from __future__ import annotations

import functools
import re
from typing import Iterable

from sp_builder import fmt_id, tables

_LEADING_MARK = re.compile(r"^\s*(?:\(?[0-9]{1,3}[.)]|\(?[a-z][.)]|[-•*–])\s+", re.IGNORECASE)
_NOMOR_TAHUN = re.compile(r"\bno(?:mor|\.)?\s*([0-9]+)[^\s]*\s+tahun\s+([0-9]{4})", re.IGNORECASE)
_SLASH = re.compile(r"\b([0-9]+)\s*/\s*([0-9]{4})\b")
_TAHUN = re.compile(r"\btahun\s+([0-9]{4})\b", re.IGNORECASE)


@functools.cache
def _ranks() -> tuple[tuple[str, tuple[re.Pattern, ...]], ...]:
    rows = tables.load_data("dokumen.yaml")["hierarki_peraturan"]
    return tuple(
        (row["jenis"], tuple(re.compile(pattern, re.IGNORECASE) for pattern in row["pola"]))
        for row in rows
    )


def _bare(text: str) -> str:
    return _LEADING_MARK.sub("", fmt_id.fold(text))


def rank(text: str) -> int:
    """Position of the text's kind in the hierarchy (0 = UUD); unknown kinds rank last."""
    bare = _bare(text)
    for n, (_, patterns) in enumerate(_ranks()):
        if any(pattern.match(bare) for pattern in patterns):
            return n
    return len(_ranks())


def kind(text: str) -> str:
    """Name of the text's kind, "Lainnya" when no pattern matches."""
    n = rank(text)
    return _ranks()[n][0] if n < len(_ranks()) else "Lainnya"


def number_and_year(text: str) -> tuple[int | None, int | None]:
    """("Nomor 25 Tahun 2009" | "25/2009") → (25, 2009); "... Tahun 1945" → (None, 1945)."""
    found = _NOMOR_TAHUN.search(text) or _SLASH.search(text)
    if found:
        return int(found.group(1)), int(found.group(2))
    year = _TAHUN.search(text)
    return None, int(year.group(1)) if year else None


def sort_key(text: str) -> tuple:
    number, year = number_and_year(text)
    return (
        rank(text),
        year if year is not None else 10_000,
        number if number is not None else 10**9,
        normal(text),
    )


def normal(text: str) -> str:
    """Comparison form: marks, spacing, case and final punctuation do not make a new entry."""
    return _bare(text).casefold().rstrip(" ;.,")


def merge(texts: Iterable[str]) -> list[str]:
    """The distinct legal bases (first spelling kept), ordered by hierarchy, then age."""
    seen: dict[str, str] = {}
    for text in texts:
        key = normal(text)
        if key and key not in seen:
            seen[key] = _bare(text).rstrip(" ;.,")
    return sorted(seen.values(), key=sort_key)
