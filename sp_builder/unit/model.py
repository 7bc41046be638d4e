"""The unit as typed values: what validation accepted, normalised so renderers never see raw YAML.

The parse functions here are shared by validation (which reports what does not parse) and by the
model (which only ever sees input that validated), so the two can never disagree.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from sp_builder import fmt_id, tables
from sp_builder.unit import readers

# ---------------------------------------------------------------------------------------------
# Component values, read once by unit/readers.py: validation reports what does not read, the model
# and every document show what did.

Duration = readers.DurationReading
Channel = readers.Channel


def parse_duration(value: Any) -> readers.DurationReading | None:
    """Any text with a number and a time unit, stages and bounds included; None for "secepatnya"."""
    return readers.read_duration(value)


@dataclass(frozen=True)
class Fee:
    uraian: str
    amount: int | None  # rupiah, when a number was given
    text: str  # the tarif as written when it is text ("Sesuai tarif PNBP ...")
    tail: str = ""  # words after the amount opening a list ("dengan:"), and that list
    detail: tuple[str, ...] = ()


@dataclass(frozen=True)
class Biaya:
    free: bool
    fees: tuple[Fee, ...] = ()
    dasar_hukum: tuple[str, ...] = ()
    basis_in_text: bool = False  # the unit's own text names the basis ("Sesuai Perda ... : Rp10.000")


def is_free_word(value: Any) -> bool:
    """Free of charge in any of the forms units write: 0, "Rp. 0,-", "Tidak dipungut biaya (Gratis)"."""
    reading = readers.read_fee(value)
    return reading is not None and reading.free


def parse_biaya(value: Any) -> Biaya:
    """The fee as the documents show it; call only on validated input."""
    reading = readers.read_fee(value)
    if reading is None:
        return Biaya(free=False)
    fees = tuple(Fee(row.uraian, row.amount, "" if row.amount is not None else row.text, row.tail, row.detail)
                 for row in reading.rows)
    in_text = isinstance(value, str) and bool(reading.basis) and all(
        fmt_id.fold(basis) in fmt_id.fold(value) for basis in reading.basis)
    return Biaya(free=reading.free, fees=() if reading.free else fees, dasar_hukum=tuple(reading.basis),
                 basis_in_text=in_text)


@dataclass(frozen=True)
class Item:
    uraian: str  # without the numbering the unit typed
    keterangan: str = ""
    children: tuple["Item", ...] = ()  # a sub-list ("a." under "1.")


@dataclass(frozen=True)
class Staffing:
    total: int
    rows: tuple[tuple[str, int], ...] = ()
    approximate: bool = False  # "minimal 2 orang": accepted, with a warning to write the number


def as_list(value: Any) -> list:
    """A single value where a list is expected is taken as a one-item list."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _item(node: readers.ItemNode) -> Item:
    return Item(node.text, node.keterangan, tuple(_item(child) for child in node.children))


def parse_items(value: Any) -> list[Item]:
    """List items as the unit meant them: hand numbering removed, a numbered text block split into
    its items, sub-lists kept as children."""
    return [_item(node) for node in readers.split_items(value)]


def parse_channels(value: Any) -> list[Channel]:
    """Complaint channels, each recognised by kind with its contact and link, however written."""
    return readers.read_channels(value)


def parse_staffing(value: Any) -> Staffing:
    reading = readers.read_staffing(value)
    if reading is None:
        return Staffing(0)
    return Staffing(reading.total, tuple((r.jabatan, r.jumlah) for r in reading.rows), reading.approximate)


# ---------------------------------------------------------------------------------------------
# Dates


def as_date(value: Any) -> dt.date | None:
    """A date as units write it: YAML's own, 2026-02-16, 16-02-2026, 16/02/2026, "16 Februari
    2026"; None for anything else (a month-first date included)."""
    if isinstance(value, dt.datetime):
        return value.date()
    return readers.read_date(value).date


# ---------------------------------------------------------------------------------------------
# The unit


@dataclass
class Person:
    nama: str
    jabatan: str = ""
    nip: str = ""  # digits only, 18 long when given
    pangkat: str = ""

    @classmethod
    def from_data(cls, data: dict | None) -> "Person":
        data = data or {}
        return cls(
            nama=str(data.get("nama", "") or ""),
            jabatan=str(data.get("jabatan", "") or ""),
            nip=re.sub(r"\s", "", str(data.get("nip", "") or "")),
            pangkat=str(data.get("pangkat", "") or ""),
        )


@dataclass
class Service:
    slug: str
    path: Path
    data: dict

    @property
    def nama(self) -> str:
        return str(self.data.get("nama", ""))

    @property
    def alias(self) -> list[str]:
        """Other names of the service (`alias:` as one text or a list): what a survey form or an
        FKP calls it."""
        return [fmt_id.fold(str(a)) for a in as_list(self.data.get("alias"))
                if isinstance(a, (str, int, float)) and not isinstance(a, bool) and str(a).strip()]

    def _part(self, key: str) -> dict:
        """A mapping of the file (penetapan, penyampaian, pengelolaan), or {} when the file holds
        something else there: `check` reports on services with errors, so this must not fail."""
        value = self.data.get(key)
        return value if isinstance(value, dict) else {}

    @property
    def status(self) -> str:
        """rancangan or ditetapkan, in any case the unit typed it."""
        return readers.read_status(self.data.get("status", "rancangan")) or str(self.data.get("status"))

    @property
    def is_draft(self) -> bool:
        return self.status != "ditetapkan"

    @property
    def penetapan_nomor(self) -> str:
        return str(self._part("penetapan").get("nomor", "") or "")

    @property
    def penetapan_tanggal(self) -> dt.date | None:
        return as_date(self._part("penetapan").get("tanggal"))

    def raw(self, key: str) -> Any:
        comp = tables.component(key)
        return self._part(comp.bagian).get(key)

    @property
    def waktu_pelayanan(self) -> list[str]:
        """The service hours ("Senin–Kamis 08.00–15.30"), `waktu_pelayanan:` at the top of the file."""
        value = self.data.get("waktu_pelayanan")
        return [fmt_id.fold(str(v)) for v in as_list(value) if v is not None and str(v).strip()]

    @property
    def bagan_alir(self) -> str:
        return str(self._part("penyampaian").get("bagan_alir", "") or "")

    @property
    def jangka_waktu(self) -> Duration | None:
        return parse_duration(self.raw("jangka_waktu"))

    @property
    def biaya(self) -> Biaya:
        return parse_biaya(self.raw("biaya"))

    @property
    def pengaduan(self) -> list[Channel]:
        return parse_channels(self.raw("pengaduan"))

    @property
    def jumlah_pelaksana(self) -> Staffing:
        return parse_staffing(self.raw("jumlah_pelaksana"))

    def items(self, key: str) -> list[Item]:
        """Any list or text component as items (text components give one item per paragraph)."""
        return parse_items(self.raw(key))


def _mapping(value: Any) -> dict:
    """An optional mapping of a file as a dict, {} when it holds something else: `check` reports on
    files with errors, so the typed model must not fail on them."""
    return value if isinstance(value, dict) else {}


def _one_line(value: Any) -> str:
    return fmt_id.fold(str(value)) if value is not None else ""


@dataclass(frozen=True)
class Participant:
    nama: str
    unsur: str  # a key of fkp.yaml's unsur
    instansi: str = ""
    jabatan: str = ""
    nip: str = ""

    @classmethod
    def from_data(cls, data: Any) -> "Participant":
        data = _mapping(data)
        return cls(_one_line(data.get("nama", "")), str(data.get("unsur", "") or ""),
                   _one_line(data.get("instansi", "") or ""), _one_line(data.get("jabatan", "") or ""),
                   re.sub(r"\s", "", str(data.get("nip", "") or "")))

    @property
    def person(self) -> "Person":
        return Person(self.nama, self.jabatan, self.nip)


@dataclass(frozen=True)
class Agreement:
    """One row of an FKP's kesepakatan: what a component of a service was and becomes."""

    layanan: str
    komponen: str
    semula: str
    menjadi: str


@dataclass(frozen=True)
class Photo:
    berkas: str
    keterangan: str = ""


@dataclass
class Fkp:
    slug: str
    path: Path
    data: dict
    # Unit.match_service once the FKP belongs to a Unit: `layanan` and `kesepakatan` then give the
    # slug of a service the file names by nama or alias.
    resolve: Any = field(default=None, repr=False, compare=False)

    def _slug(self, name: str) -> str:
        found = self.resolve(name) if self.resolve else None
        return found.slug if found else name

    @property
    def tanggal(self) -> dt.date | None:
        return as_date(self.data.get("tanggal"))

    @property
    def layanan(self) -> list[str]:
        return [self._slug(str(s)) for s in as_list(self.data.get("layanan"))]

    @property
    def waktu(self) -> str:
        return _one_line(self.data.get("waktu") or "")

    @property
    def tempat(self) -> str:
        return _one_line(self.data.get("tempat") or "")

    @property
    def nomor(self) -> str:
        return _one_line(self.data.get("nomor") or "")

    @property
    def metode(self) -> str:
        return _one_line(self.data.get("metode", "") or "")

    @property
    def metode_uraian(self) -> str:
        return _one_line(self.data.get("metode_uraian") or "")

    @property
    def peserta(self) -> list[Participant]:
        return [Participant.from_data(p) for p in as_list(self.data.get("peserta")) if isinstance(p, dict)]

    @property
    def kesepakatan(self) -> list[Agreement]:
        return [Agreement(self._slug(str(r.get("layanan", ""))), str(r.get("komponen", "")), _one_line(r.get("semula", "")),
                          _one_line(r.get("menjadi", "")))
                for r in as_list(self.data.get("kesepakatan")) if isinstance(r, dict)]

    @property
    def penyelenggara(self) -> Person:
        """The provider's signer as the file writes it."""
        return Person.from_data(_mapping(_mapping(self.data.get("penandatangan")).get("penyelenggara")))

    @property
    def masyarakat(self) -> Participant:
        """The public's signer of the Berita Acara."""
        return Participant.from_data(_mapping(self.data.get("penandatangan")).get("masyarakat"))

    @property
    def undangan_tanggal(self) -> dt.date | None:
        return as_date(_mapping(self.data.get("undangan")).get("tanggal"))

    @property
    def undangan_nomor(self) -> str:
        return _one_line(_mapping(self.data.get("undangan")).get("nomor") or "")

    @property
    def undangan_sifat(self) -> str:
        return _one_line(_mapping(self.data.get("undangan")).get("sifat") or "")

    @property
    def photos(self) -> list[Photo]:
        if not self.data.get("foto"):
            return []
        return [Photo(str(berkas), keterangan) for _, berkas, keterangan in fkp_photos(self.data["foto"])]


# `paper:` of unit.yaml: the kinds a mapping may name, and those a single paper name applies to.
PAPER_KINDS = ("sk", "sp", "maklumat", "fkp", "laporan")
PAPER_STRING_KINDS = ("sk", "sp")


def paper_kind(kind: str) -> str:
    """The `paper:` key of a document kind: sk, sp, maklumat; fkp for the FKP documents
    (berita-acara-fkp, ...); laporan for every report (SKM, penilaian mandiri, Matriks Perubahan)."""
    if kind in ("sk", "sp", "maklumat"):
        return kind
    if kind == "fkp" or kind.endswith("-fkp"):
        return "fkp"
    return "laporan"


@dataclass
class Unit:
    root: Path
    data: dict
    services: list[Service] = field(default_factory=list)
    fkps: list[Fkp] = field(default_factory=list)

    def __post_init__(self) -> None:
        for fkp in self.fkps:
            fkp.resolve = self.match_service

    @property
    def instansi(self) -> str:
        return str(self.data.get("instansi", ""))

    @property
    def nama(self) -> str:
        return str(self.data.get("unit", ""))

    @property
    def kota(self) -> str:
        return str(self.data.get("kota", "") or "")

    @property
    def pimpinan(self) -> Person:
        return Person.from_data(self.data.get("pimpinan"))

    @property
    def paper(self) -> str | None:
        """The paper of the Keputusan and its Lampiran SP (`paper_of("sk")`)."""
        return self.paper_of("sk")

    def paper_of(self, kind: str) -> str | None:
        """The paper unit.yaml sets for a document kind, or None for the kind's default
        (`schemas/dokumen.yaml`). `paper: F4` (a string) is the paper of the SK and its Lampiran SP
        only; `paper: {maklumat: F4, fkp: A4, ...}` names it per kind (PAPER_KINDS)."""
        value = self.data.get("paper")
        group = paper_kind(kind)
        if isinstance(value, dict):
            chosen = value.get(group)
            return str(chosen) if chosen else None
        if value and group in PAPER_STRING_KINDS:
            return str(value)
        return None

    @property
    def maklumat(self) -> list[str]:
        """The unit's own Maklumat statements, whitespace folded; [] for the default text."""
        return [fmt_id.fold(str(s)) for s in as_list(self.data.get("maklumat"))]

    @property
    def maklumat_tanggal(self) -> dt.date | None:
        return as_date(self.data.get("maklumat_tanggal"))

    def contact(self, key: str) -> str:
        """alamat, telepon, email or laman as written, "" when absent."""
        return str(self.data.get(key, "") or "")

    @property
    def logo(self) -> Path | None:
        logo = self.data.get("logo")
        return self.root / logo if logo else None

    def service(self, slug: str) -> Service | None:
        return next((s for s in self.services if s.slug == slug), None)

    def match_service(self, name: Any) -> Service | None:
        """The service a survey, an FKP or `skm --layanan` names: see `match_service`."""
        return match_service(self.services, name)


def match_service(services: Iterable[Service], name: Any) -> Service | None:
    """The service `name` means: its slug exactly, else the one service whose slug, nama or an
    alias has the same `readers.name_key` (case, punctuation and a leading "Pelayanan"/"Layanan"
    do not count). None when no service or more than one matches."""
    services = list(services)
    text = str(name).strip() if name is not None else ""
    if not text:
        return None
    exact = [s for s in services if s.slug == text]
    if len(exact) == 1:
        return exact[0]
    key = readers.name_key(text)
    if not key:
        return None
    found = [s for s in services if key in {readers.name_key(n) for n in (s.slug, s.nama, *s.alias)}]
    return found[0] if len(found) == 1 else None


def texts_of(value: Any) -> list[str]:
    """Every text a component holds (items, their uraian/keterangan, channel names and contacts)."""
    out = []
    for entry in as_list(value):
        if isinstance(entry, dict):
            for key, item in entry.items():
                if isinstance(item, (str, int)) and not isinstance(item, bool):
                    out.append(str(item))
                elif isinstance(item, list):  # a heading with its sub-list: the heading and every item
                    out.append(str(key))
                    out.extend(texts_of(item))
        elif isinstance(entry, list):
            out.extend(texts_of(entry))
        elif isinstance(entry, (str, int)) and not isinstance(entry, bool):
            out.append(str(entry))
    return out



@functools.cache
def _facility_patterns() -> tuple[tuple[str, re.Pattern], ...]:
    return tuple(
        (name, re.compile(r"\b(" + "|".join(re.escape(s) for s in synonyms) + r")\b", re.IGNORECASE))
        for name, synonyms in tables.vulnerable_facilities()
    )



def vulnerable_facilities_in(lines: Iterable[str]) -> list[str]:
    """Which of the vulnerable-group facilities of rentan.yaml the sarana_prasarana lines mention."""
    text = "\n".join(lines)
    return [name for name, pattern in _facility_patterns() if pattern.search(text)]



_LAPOR = re.compile(r"lapor", re.IGNORECASE)



def has_lapor_channel(value: Any) -> bool:
    """An SP4N-LAPOR! channel among the complaint channels, by kind (not "laporan harian")."""
    return any(channel.kind == "lapor" for channel in readers.read_channels(value))



def fkp_photos(value: Any) -> list[tuple[tuple, Any, str]]:
    """(key path, berkas, keterangan) of each photo of an FKP's `foto:` (a path, a list of paths or
    of {berkas, keterangan}); shared by validation and the documentation annex."""
    if not isinstance(value, list):
        return [(("foto",), value, "")]
    out = []
    for i, item in enumerate(value):
        if isinstance(item, dict):
            out.append((("foto", i, "berkas"), item.get("berkas"), str(item.get("keterangan", "") or "")))
        else:
            out.append((("foto", i), item, ""))
    return out
