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

# ---------------------------------------------------------------------------------------------
# Jangka waktu


@dataclass(frozen=True)
class Duration:
    number: float
    unit: str  # menit | jam | hari | hari kerja | minggu | bulan
    text: str  # as written by the user

    @property
    def number_text(self) -> str:
        return str(int(self.number)) if self.number == int(self.number) else str(self.number).replace(".", ",")


_DURATION_RE = re.compile(
    r"""^\s*
    (?:(?:paling\s+lama|paling\s+lambat|selambat-lambatnya|maksimal|maks\.?|maksimum)\s+)?
    (?P<num>\d+(?:[.,]\d+)?)
    \s*(?:\([a-z\s]+\))?\s*
    (?P<unit>hari\s+kerja|hari\s+kalender|menit|jam|hari|minggu|bulan)\b
    (?P<rest>.*)$""",
    re.IGNORECASE | re.VERBOSE | re.DOTALL,
)


def parse_duration(value: Any) -> Duration | None:
    """`"3 hari kerja"`, `"60 menit"`, `"3 (tiga) hari kerja sejak berkas lengkap"` → Duration; else None."""
    if not isinstance(value, str):
        return None
    m = _DURATION_RE.match(value)
    if not m:
        return None
    number = float(m.group("num").replace(",", "."))
    if number <= 0:
        return None
    unit = fmt_id.fold(m.group("unit").lower())
    return Duration(number, unit, value.strip())


# ---------------------------------------------------------------------------------------------
# Biaya

FREE_WORDS = ("gratis", "tidak dipungut biaya", "tidak dikenakan biaya", "tanpa biaya", "nihil", "rp0", "rp 0", "rp0,00", "rp 0,00", "rp. 0", "rp.0", "0", "nol rupiah")


@dataclass(frozen=True)
class Fee:
    uraian: str
    amount: int | None  # rupiah, when a number was given
    text: str  # the tarif as written when it is text ("Sesuai tarif PNBP ...")


@dataclass(frozen=True)
class Biaya:
    free: bool
    fees: tuple[Fee, ...] = ()
    dasar_hukum: tuple[str, ...] = ()


def is_free_word(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return value == 0
    if isinstance(value, str):
        return value.strip().lower().rstrip(".") in FREE_WORDS
    return False


def parse_biaya(value: Any) -> Biaya:
    """Normalise one of the three forms; call only on validated input."""
    if is_free_word(value):
        return Biaya(free=True)
    tarif = value.get("tarif")
    dasar = value.get("dasar_hukum") or ()
    dasar = (dasar,) if isinstance(dasar, str) else tuple(dasar)
    if is_free_word(tarif):
        return Biaya(free=True, dasar_hukum=dasar)
    if isinstance(tarif, list):
        fees = tuple(_fee(row.get("uraian", ""), row.get("tarif")) for row in tarif)
    else:
        fees = (_fee("", tarif),)
    return Biaya(free=False, fees=fees, dasar_hukum=dasar)


def _fee(uraian: str, tarif: Any) -> Fee:
    if isinstance(tarif, int) and not isinstance(tarif, bool):
        return Fee(str(uraian), tarif, "")
    return Fee(str(uraian), None, str(tarif))


# ---------------------------------------------------------------------------------------------
# List items, complaint channels, staffing


@dataclass(frozen=True)
class Item:
    uraian: str
    keterangan: str = ""


@dataclass(frozen=True)
class Channel:
    saluran: str
    kontak: str = ""


@dataclass(frozen=True)
class Staffing:
    total: int
    rows: tuple[tuple[str, int], ...] = ()


def as_list(value: Any) -> list:
    """A single value where a list is expected is taken as a one-item list."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def parse_items(value: Any) -> list[Item]:
    items = []
    for entry in as_list(value):
        if isinstance(entry, dict):
            items.append(Item(str(entry.get("uraian", "")), str(entry.get("keterangan", "") or "")))
        else:
            items.append(Item(str(entry)))
    return items


def parse_channels(value: Any) -> list[Channel]:
    channels = []
    for entry in as_list(value):
        if isinstance(entry, dict):
            channels.append(Channel(str(entry.get("saluran", "")), str(entry.get("kontak", "") or "")))
        else:
            channels.append(Channel(str(entry)))
    return channels


def parse_staffing(value: Any) -> Staffing:
    if isinstance(value, int):
        return Staffing(value)
    rows = tuple((str(r.get("jabatan", "")), int(r.get("jumlah", 0))) for r in value)
    return Staffing(sum(n for _, n in rows), rows)


# ---------------------------------------------------------------------------------------------
# Dates


def as_date(value: Any) -> dt.date | None:
    """YAML dates arrive as date objects; quoted ones as ISO strings."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


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

    def _part(self, key: str) -> dict:
        """A mapping of the file (penetapan, penyampaian, pengelolaan), or {} when the file holds
        something else there: `check` reports on services with errors, so this must not fail."""
        value = self.data.get(key)
        return value if isinstance(value, dict) else {}

    @property
    def status(self) -> str:
        return str(self.data.get("status", "rancangan"))

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

    @property
    def tanggal(self) -> dt.date | None:
        return as_date(self.data.get("tanggal"))

    @property
    def layanan(self) -> list[str]:
        return [str(s) for s in as_list(self.data.get("layanan"))]

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
        return [Agreement(str(r.get("layanan", "")), str(r.get("komponen", "")), _one_line(r.get("semula", "")),
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


@dataclass
class Unit:
    root: Path
    data: dict
    services: list[Service] = field(default_factory=list)
    fkps: list[Fkp] = field(default_factory=list)

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
        """`paper:` of unit.yaml (A4, F4), or None for each document kind's default."""
        return str(self.data["paper"]) if self.data.get("paper") else None

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


def texts_of(value: Any) -> list[str]:
    """Every text a component holds (items, their uraian/keterangan, channel names and contacts)."""
    out = []
    for entry in as_list(value):
        if isinstance(entry, dict):
            out.extend(str(v) for v in entry.values() if isinstance(v, (str, int)))
        elif isinstance(entry, (str, int)):
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
    return any(_LAPOR.search(t) for t in texts_of(value))



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
