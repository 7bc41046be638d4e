"""manifest.json of a build: what each output was made from and what it holds, so the next build
rewrites only what changed. Output records are typed here (one shape, written in one place) and
become JSON only when the manifest is written."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Collection

MANIFEST = "manifest.json"
FORMAT = 1  # of manifest.json; a manifest of another format is ignored (everything is rebuilt)

DOCUMENTS, CHECK = "documents", "check"  # the stages of a unit, as recorded in the manifest


@dataclass(frozen=True)
class Output:
    """One file a build made: `path` relative to OUT, its sha256 (None for a bundle not yet bound),
    the stage and kind it belongs to, its title, the inputs it was made from, and for SP documents
    the service's slug."""

    path: str
    sha256: str | None
    stage: str
    kind: str
    title: str
    inputs: dict
    layanan: str | None = None

    def as_dict(self) -> dict:
        data = {"path": self.path, "sha256": self.sha256, "stage": self.stage, "kind": self.kind,
                "title": self.title, "inputs": self.inputs}
        if self.layanan:
            data["layanan"] = self.layanan
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "Output":
        return cls(data["path"], data["sha256"], data["stage"], data.get("kind", ""), data.get("title", ""),
                   data["inputs"], data.get("layanan"))

    def as_pdf(self, path: str, sha256: str | None) -> "Output":
        """The record of the PDF made from this .docx: the same document, another file."""
        return dataclasses.replace(self, path=path, sha256=sha256)

    @property
    def is_bundle(self) -> bool:
        return self.kind == "bundel"


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()



def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()



def digest(value: object) -> str:
    """sha256 of a JSON value, independent of key order."""
    return sha256_bytes(json.dumps(value, sort_keys=True, ensure_ascii=False).encode("utf-8"))



def matches(path: Path, sha: str) -> bool:
    try:
        return sha256_file(path) == sha
    except OSError:
        return False



def stage_current(entry: dict | None, stage: str, task_now: dict, out_root: Path,
                  templates_now: Callable[[Collection[str]], dict[str, str]]) -> bool:
    """Whether every output of the stage is on disk as recorded and built from today's inputs."""
    if entry is None or entry.get("status") != "ok":
        return False
    outputs = [o for o in entry["outputs"] if o["stage"] == stage]
    for output in outputs:
        recorded = output["inputs"]
        current = {key: task_now.get(key) for key in recorded if key != "templates"}
        if "templates" in recorded:
            current["templates"] = templates_now(recorded["templates"])
        if current != recorded or not matches(out_root / output["path"], output["sha256"]):
            return False
    return bool(outputs)



def _usable(entry: object) -> bool:
    """A manifest entry this version can compare against (a hand-edited one may not be)."""
    keys = ("path", "status", "outputs", "notes", "unit", "instansi", "services", "warnings", "indeks", "kategori")
    return (isinstance(entry, dict) and all(k in entry for k in keys) and isinstance(entry["outputs"], list)
            and all(isinstance(o, dict) and {"path", "sha256", "stage", "inputs"} <= o.keys()
                    and isinstance(o["inputs"], dict) for o in entry["outputs"]))



def read_manifest(out: Path) -> dict[str, dict]:
    """The last build's unit entries by unit path; empty when there is no usable manifest."""
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("units"), list):
        return {}
    return {entry["path"]: entry for entry in data["units"] if _usable(entry)}
