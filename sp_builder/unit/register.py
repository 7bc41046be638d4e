"""The register of regulations: full titles and status (in force, amended, revoked), as data.

A legal section corrects one file, `schemas/peraturan.yaml`, and a Pemda adds its own Perda and
Perkada in a `peraturan.yaml` beside its units; both are validated when loaded, because a
register that points at a regulation it does not hold would make every warning built on it
doubtful. Findings are plain data (rule, message, severity); the validator attaches the file
and line of the citation.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sp_builder import files, tables
from sp_builder.unit import citations
from sp_builder.unit.citations import Citation
from sp_builder.errors import UserError

REGISTER = "peraturan.yaml"
STATUSES = ("berlaku", "dicabut")
CONFIDENCE = ("tinggi", "sedang", "rendah", "belum_diverifikasi")
_KEYS = {"id", "judul", "status", "diubah_dengan", "dicabut_dengan", "cara", "sumber", "keyakinan",
         "catatan", "alasan"}
_URL = re.compile(r"^https?://\S+$")

RULE_REVOKED = "dasar_hukum.dicabut"
RULE_TITLE = "dasar_hukum.judul_tidak_cocok"
RULE_AMENDED = "dasar_hukum.tanpa_perubahan"


class RegisterError(UserError):
    """A register file that cannot be trusted; carries every problem found, not just the first."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("daftar peraturan tidak valid:\n" + "\n".join(f"  - {p}" for p in problems))


@dataclass(frozen=True)
class Regulation:
    """One entry of the register."""

    id: str  # the short form it is known by: "UU 25/2009", "PermenPANRB 15/2014"
    citation: Citation
    judul: str
    status: str  # "berlaku" | "dicabut"
    diubah_dengan: tuple[str, ...] = ()
    dicabut_dengan: str = ""
    cara: str = "dicabut dengan"  # the verb of the replacement, e.g. "ditetapkan menjadi undang-undang dengan"
    sumber: tuple[str, ...] = ()
    keyakinan: str = "sedang"
    catatan: str = ""
    alasan: str = ""
    asal: str = REGISTER  # the file the entry came from

    @property
    def verified(self) -> bool:
        return self.keyakinan != "belum_diverifikasi"

    def label(self) -> str:
        """ "UU 36/2009 tentang Kesehatan" """
        return f"{citations.short(self.citation)} tentang {self.judul}"


@dataclass(frozen=True)
class Finding:
    """A remark on one citation; `severity` is "peringatan" (warning) or "catatan" (a softer note)."""

    rule: str
    message: str
    severity: str = "peringatan"


@dataclass(frozen=True)
class Status:
    """What the register knows of a citation."""

    state: str  # "berlaku" | "dicabut" | "tidak_dikenal"
    regulation: Regulation | None = None
    replaced_by: tuple[Regulation, ...] = ()  # the chain of replacements, the current one last
    amendments: tuple[Regulation | str, ...] = ()  # a str when the amendment is not in the register


@dataclass
class Register:
    """Regulations by identity (citations.key); built by `load_register`."""

    entries: dict[tuple, Regulation] = field(default_factory=dict)

    def get(self, citation: Citation) -> Regulation | None:
        return self.entries.get(citations.key(citation)) if citation.ok else None

    def by_id(self, ident: str) -> Regulation | None:
        return self.get(citations.parse(ident))

    def title_of(self, citation: Citation) -> str | None:
        regulation = self.get(citation)
        return regulation.judul if regulation else None

    def status_of(self, citation: Citation) -> Status:
        regulation = self.get(citation)
        if regulation is None:
            return Status("tidak_dikenal")
        amendments = tuple(self.by_id(i) or i for i in regulation.diubah_dengan)
        chain: list[Regulation] = []
        current = regulation
        while current.dicabut_dengan:
            successor = self.by_id(current.dicabut_dengan)
            if successor is None or successor in chain or successor is regulation:
                break
            chain.append(successor)
            current = successor
        return Status(regulation.status, regulation, tuple(chain), amendments)

    def findings(self, citation: Citation, others: Iterable[Citation] = ()) -> list[Finding]:
        """The remarks on one citation: revoked, title that belongs to another number, amended but
        cited without its amendment. `others` are the other citations of the same list: an
        amendment cited on its own line counts as cited."""
        if not citation.ok:
            return []
        found: list[Finding] = []
        regulation = self.get(citation)
        mismatch = self._title_finding(citation, regulation)
        if mismatch:
            found.append(mismatch)
        if regulation is None:
            return found
        status = self.status_of(citation)
        if regulation.status == "dicabut":
            found.append(self._revoked_finding(regulation, status))
        elif status.amendments and not _mentions_amendment(citation, status.amendments, others):
            found.append(self._amended_finding(regulation, status))
        return found

    def _title_finding(self, citation: Citation, regulation: Regulation | None) -> Finding | None:
        if not citation.title:
            return None
        cited = _normal(citation.title)
        if regulation is not None and _similar(cited, _normal(regulation.judul)):
            return None
        owners = [r for r in self.entries.values()
                  if r.citation.kind == citation.kind and _same_title(cited, _normal(r.judul))
                  and citations.key(r.citation) != citations.key(citation)]
        number = f"Nomor {citation.number}"
        if citation.year and not citations.number_carries_year(citation.number, citation.year):
            number += f" Tahun {citation.year}"
        if len(owners) == 1:
            owner = owners[0]
            return Finding(RULE_TITLE, f"{number} tentang {citation.title}: yang berjudul "
                                       f"'{owner.judul}' adalah {citations.short(owner.citation)}")
        if owners and regulation is None:
            owner = max(owners, key=lambda r: (r.status == "berlaku", r.citation.year or 0))
            return Finding(RULE_TITLE, f"{citations.short(citation)} tentang {citation.title} tidak ada dalam "
                                       f"daftar peraturan; yang berlaku dengan judul '{owner.judul}' adalah "
                                       f"{citations.short(owner.citation)}", "catatan")
        if regulation is not None:
            return Finding(RULE_TITLE, f"{citations.short(citation)} berjudul '{regulation.judul}', bukan "
                                       f"'{citation.title}'; periksa nomor, tahun, dan judul")
        return None

    def _revoked_finding(self, regulation: Regulation, status: Status) -> Finding:
        chain = list(status.replaced_by)
        if not chain:
            message = (f"{regulation.label()} telah {regulation.cara} {regulation.dicabut_dengan}; "
                       "perbarui dasar hukum")
        else:
            steps = [f"telah {regulation.cara} {chain[0].label()}"]
            previous = chain[0]
            for successor in chain[1:]:
                steps.append(f"yang telah {previous.cara} {successor.label()}")
                previous = successor
            message = f"{regulation.label()} " + ", ".join(steps) + "; perbarui dasar hukum"
        if not regulation.verified:
            return Finding(RULE_REVOKED, message + " (status ini belum diverifikasi; periksa sumbernya)",
                           "catatan")
        return Finding(RULE_REVOKED, message)

    def _amended_finding(self, regulation: Regulation, status: Status) -> Finding:
        latest = status.amendments[-1]
        latest_text = citations.full_text(latest.citation, latest.judul) if isinstance(latest, Regulation) \
            else citations.full_text(citations.parse(str(latest)))
        labels = [citations.short(a.citation) if isinstance(a, Regulation) else str(a)
                  for a in status.amendments]
        how = "telah diubah dengan" if len(labels) == 1 else "telah beberapa kali diubah, terakhir dengan"
        phrase = "sebagaimana " + how
        caveat = "" if not isinstance(latest, Regulation) or latest.verified else \
            " (perubahan ini belum diverifikasi; periksa sumbernya)"
        return Finding(RULE_AMENDED,
                       f"{regulation.label()} {how} {labels[-1]}; tulis juga "
                       f"\"{phrase} {latest_text}\"{caveat}", "catatan")


def _normal(title: str) -> str:
    return re.sub(r"[^\w]+", " ", title.casefold()).strip()


def _same_title(a: str, b: str) -> bool:
    return a == b or difflib.SequenceMatcher(None, a, b).ratio() >= 0.95


def _similar(a: str, b: str) -> bool:
    """Close enough to be the same title written carelessly (a word missing, a typo)."""
    return a in b or b in a or difflib.SequenceMatcher(None, a, b).ratio() >= 0.75


def _mentions_amendment(citation: Citation, amendments: tuple, others: Iterable[Citation]) -> bool:
    """An amendment counts as cited when the line says "diubah"/"perubahan" or names it, or when
    another line of the list cites it."""
    rest = citation.rest.casefold()
    if "diubah" in rest or "perubahan" in rest:
        return True
    keys = {citations.key(a.citation) for a in amendments if isinstance(a, Regulation)}
    return any(o.ok and citations.key(o) in keys for o in others)


# --- loading and validating -------------------------------------------------------------

def _as_list(value: Any) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _read_entries(data: Any, origin: str) -> tuple[list[Regulation], list[str]]:
    """Entries of one register file and the problems of their form (references checked later)."""
    problems: list[str] = []
    if not isinstance(data, Mapping) or not isinstance(data.get("peraturan"), list):
        return [], [f"{origin}: harus berisi daftar `peraturan:`"]
    entries: list[Regulation] = []
    seen: dict[tuple, str] = {}
    for n, row in enumerate(data["peraturan"], start=1):
        where = f"{origin}: entri {n}"
        if not isinstance(row, Mapping):
            problems.append(f"{where}: harus berupa pemetaan (id, judul, status, sumber, keyakinan)")
            continue
        ident = str(row.get("id", "")).strip()
        where += f" ({ident})" if ident else ""
        citation = citations.parse(ident)
        if not ident or not citation.ok:
            problems.append(f"{where}: `id` harus menyebut jenis, nomor, dan tahun, mis. \"UU 25/2009\"")
            continue
        for unknown in sorted(set(row) - _KEYS):
            problems.append(f"{where}: kunci \"{unknown}\" tidak dikenal")
        judul = str(row.get("judul") or "").strip()
        if not judul:
            problems.append(f"{where}: `judul` kosong")
        status = row.get("status")
        if status not in STATUSES:
            problems.append(f"{where}: `status` harus salah satu dari {', '.join(STATUSES)}")
        revoked_by = str(row.get("dicabut_dengan") or "").strip()
        if status == "dicabut" and not revoked_by:
            problems.append(f"{where}: status dicabut tanpa `dicabut_dengan`")
        if status == "berlaku" and revoked_by:
            problems.append(f"{where}: status berlaku tetapi ada `dicabut_dengan`")
        sumber = [str(s).strip() for s in _as_list(row.get("sumber")) if str(s).strip()]
        keyakinan = row.get("keyakinan")
        if keyakinan not in CONFIDENCE:
            problems.append(f"{where}: `keyakinan` harus salah satu dari {', '.join(CONFIDENCE)}")
        if not sumber:
            problems.append(f"{where}: tidak ada `sumber`; tulis alamat publik teks peraturannya")
        elif not any(_URL.match(s) for s in sumber) and keyakinan != "belum_diverifikasi":
            problems.append(f"{where}: `sumber` tanpa alamat (URL) hanya boleh dengan keyakinan belum_diverifikasi")
        k = citations.key(citation)
        if k in seen:
            problems.append(f"{where}: peraturan yang sama sudah ada sebagai {seen[k]}")
            continue
        seen[k] = ident
        entries.append(Regulation(
            ident, citation, judul, status if status in STATUSES else "berlaku",
            tuple(str(i).strip() for i in _as_list(row.get("diubah_dengan"))), revoked_by,
            str(row.get("cara") or "dicabut dengan").strip(), tuple(sumber),
            keyakinan if keyakinan in CONFIDENCE else "rendah", str(row.get("catatan") or "").strip(),
            str(row.get("alasan") or "").strip(), origin))
    return entries, problems


def _check_references(register: Register) -> list[str]:
    problems = []
    for regulation in register.entries.values():
        refs = list(regulation.diubah_dengan) + ([regulation.dicabut_dengan] if regulation.dicabut_dengan else [])
        for ref in refs:
            target = citations.parse(ref)
            where = f"{regulation.asal}: {regulation.id}"
            if not target.ok:
                problems.append(f"{where}: \"{ref}\" tidak terbaca sebagai peraturan (mis. \"UU 17/2023\")")
            elif register.get(target) is None and not regulation.alasan:
                problems.append(f"{where}: \"{ref}\" tidak ada dalam daftar; tambahkan entrinya atau "
                                "tulis `alasan`")
    return problems


def build_register(*sources: tuple[Any, str]) -> Register:
    """A register from (data, origin) pairs, later ones overriding earlier entries of the same
    regulation. Raises RegisterError with every problem found."""
    register = Register()
    problems: list[str] = []
    for data, origin in sources:
        entries, found = _read_entries(data, origin)
        problems += found
        for regulation in entries:
            register.entries[citations.key(regulation.citation)] = regulation
    problems += _check_references(register)
    if problems:
        raise RegisterError(problems)
    return register


@functools.cache
def builtin() -> Register:
    """The register shipped in `schemas/peraturan.yaml`."""
    return build_register((tables.load_data(REGISTER), f"schemas/{REGISTER}"))


def load_register(pemda: str | Path | Mapping | None = None,
                  parse_yaml: Callable[[str], Any] | None = None) -> Register:
    """The built-in register with a Pemda's own `peraturan.yaml` merged over it (its entries add
    Perda and Perkada, or correct a built-in entry). `pemda` is a path or already-read data."""
    if pemda is None:
        return builtin()
    if isinstance(pemda, Mapping):
        data, origin = pemda, REGISTER
    else:
        path = Path(pemda)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise RegisterError([f"{path}: tidak dapat dibaca ({exc.strerror or exc})"]) from None
        reader = parse_yaml or files.parse_yaml
        try:
            data = reader(text)
        except Exception as exc:  # the YAML parsers raise their own error types
            raise RegisterError([f"{path}: bukan YAML yang valid ({exc})"]) from None
        origin = str(path)
    return build_register((tables.load_data(REGISTER), f"schemas/{REGISTER}"), (data, origin))


def status_of(citation: Citation, register: Register | None = None) -> Status:
    return (register or builtin()).status_of(citation)


def findings(citation: Citation, register: Register | None = None,
             others: Iterable[Citation] = ()) -> list[Finding]:
    return (register or builtin()).findings(citation, others)


def findings_for_lines(lines: Iterable[str], register: Register | None = None) -> list[tuple[int, Finding]]:
    """Findings for a dasar hukum list, as (index of the line, finding)."""
    parsed = [citations.parse(line) for line in lines]
    result = []
    for n, citation in enumerate(parsed):
        others = parsed[:n] + parsed[n + 1:]
        result += [(n, f) for f in findings(citation, register, others)]
    return result
