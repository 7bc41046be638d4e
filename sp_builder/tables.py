"""Domain tables shipped as data in `schemas/` (the package `sp_builder.schemas`), loaded once."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

from sp_builder.files import parse_yaml


@functools.cache
def load_data(name: str) -> Any:
    """Read `schemas/<name>` (YAML or JSON) from the installed package."""
    text = resources.files("sp_builder.schemas").joinpath(name).read_text(encoding="utf-8")
    if name.endswith(".json"):
        return json.loads(text)
    return parse_yaml(text)


@dataclass(frozen=True)
class Component:
    key: str
    label: str
    bagian: str  # penyampaian | pengelolaan
    arti: str
    nomor: int  # 1..14, the order in SP documents
    jenis: str  # daftar | teks | durasi | biaya | saluran | jumlah: how its value is read


@functools.cache
def components() -> tuple[Component, ...]:
    rows = load_data("komponen.yaml")["komponen"]
    return tuple(
        Component(r["key"], r["label"], r["bagian"], r["arti"], n, r["jenis"]) for n, r in enumerate(rows, start=1)
    )


@functools.cache
def _by_key() -> dict[str, Component]:
    return {c.key: c for c in components()}


def component(key: str) -> Component:
    return _by_key()[key]


def is_component(key: str) -> bool:
    return key in _by_key()


def label(key: str) -> str:
    return _by_key()[key].label


def components_of(bagian: str) -> tuple[Component, ...]:
    return tuple(c for c in components() if c.bagian == bagian)


def keys_of_kind(jenis: str) -> tuple[str, ...]:
    """The components whose value is read as `jenis` ("daftar", "teks", ...), in document order."""
    return tuple(c.key for c in components() if c.jenis == jenis)


@functools.cache
def parts() -> dict[str, dict]:
    """{"penyampaian": {"nomor": "I", "judul": ...}, "pengelolaan": {...}}"""
    return load_data("komponen.yaml")["bagian"]


@functools.cache
def vulnerable_facilities() -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((f["nama"], tuple(f["sinonim"])) for f in load_data("rentan.yaml")["fasilitas"])


@functools.cache
def fkp_groups() -> dict[str, str]:
    """The FKP participant groups, key → printed label, in the order of fkp.yaml."""
    return {g["key"]: g["label"] for g in load_data("fkp.yaml")["unsur"]}


@functools.cache
def public_groups() -> tuple[str, ...]:
    """The groups that are the public (masyarakat), as PEKPPP counts FKP participation."""
    return tuple(g["key"] for g in load_data("fkp.yaml")["unsur"] if g.get("publik"))


def assessment() -> dict:
    """schemas/penilaian.yaml: review interval, derivations, score ladders, Maklumat elements."""
    return load_data("penilaian.yaml")


def review_after_days() -> int:
    return int(assessment()["tinjau_setelah_hari"])


def skm_unsur_count() -> int:
    return len(load_data("skm.yaml")["unsur"])
