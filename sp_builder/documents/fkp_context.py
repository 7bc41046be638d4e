"""Rendering contexts of the Forum Konsultasi Publik documents (NASKAH §3, DOMAIN.md §4).

Each FKP file gives four documents: the Berita Acara, its daftar hadir, the surat undangan and, when
the file lists photos, a documentation annex. Like `sp_context.py`, everything here is plain strings
and lists, formatted the Indonesian way; the kop and the head's signature block come from there.
Default wording is data (`schemas/dokumen.yaml`, key `fkp`).

Variables of the FKP templates, besides `kop`:
- `fkp` (all four): judul (the event's title lines), nomor, hari_tanggal, tanggal, waktu ("pukul
  09.00–12.00 WIB" or ""), tempat, acara, rincian [{label, nilai}] (Hari/Tanggal, Waktu when
  known, Tempat, Acara), layanan [{nomor, nama}], peserta [{nomor, nama, unsur,
  instansi_jabatan, ganjil}].
- `ba` (berita-acara-fkp.docx): pembukaan, agenda, kehadiran, unsur [{nomor, label, jumlah}],
  jumlah, hasil_pengantar, hasil [{nomor, nama, judul ("Standar Pelayanan <nama>", the word
  written once), kesepakatan [{nomor, komponen, semula, menjadi}],
  catatan}], penutup, masyarakat {judul, nama, keterangan [lines]}, penyelenggara {judul, ...ttd}.
- `ttd` (daftar-hadir-fkp.docx: the organiser; undangan-fkp.docx: the head): tempat_tanggal,
  tempat, tanggal, jabatan, nama, pangkat, nip.
- `undangan` (undangan-fkp.docx): tempat_tanggal, tanggal, nomor, sifat, lampiran, hal, yth,
  unsur (the groups invited, as one text), pembukaan, rincian [{label, nilai}], penutup [texts],
  jabatan, undangan [{nomor, nama, unsur, instansi_jabatan, ganjil}] (the invitees).
- `dokumentasi` (dokumentasi-fkp.docx): foto [{gambar (Picture), keterangan}].
"""

from __future__ import annotations

import datetime as dt
import re

from sp_builder.documents import sp_context
from sp_builder import fmt_id, tables

from sp_builder.documents import layout
from sp_builder.documents.sp_context import Picture
from sp_builder.unit.model import Fkp, Participant, Person, Unit

PHOTO_BOX_MM = (150, 95)  # two photos with their captions per A4 page (one on the first, under the kop)

_START = re.compile(r"(\d{1,2})[.:](\d{2})")
_ZONE = re.compile(r"\b(WIB|WITA|WIT)\b", re.IGNORECASE)


def words() -> dict:
    return layout.settings()["fkp"]


def series(items: list[str]) -> str:
    """"A", "A dan B", "A, B, dan C": EYD's serial comma before the last item of three or more."""
    if len(items) < 3:
        return " dan ".join(items)
    return f"{', '.join(items[:-1])}, dan {items[-1]}"


# ---------------------------------------------------------------------------------------------
# Time and method


def waktu(fkp: Fkp) -> str:
    """The time as written, with "pukul" before a bare hour: "pukul 09.00–12.00 WIB"."""
    text = fkp.waktu
    if text and text[0].isdigit():
        return f"pukul {text}"
    return text


def waktu_mulai(fkp: Fkp) -> str:
    """The start for an invitation, "pukul 09.00 WIB s.d. selesai"; the time as written when it
    names no hour, a dotted blank when the file has none."""
    text = fkp.waktu
    start = _START.search(text)
    if not start:
        return text or f"pukul {layout.DATE_PLACEHOLDER} s.d. selesai"
    zone = _ZONE.search(text)
    hour = f"{int(start.group(1)):02d}.{start.group(2)}"
    return f"pukul {hour}{' ' + zone.group(1).upper() if zone else ''} s.d. selesai"


def metode(fkp: Fkp) -> str:
    """A known method by its name; another by its `metode_uraian`."""
    name = fkp.metode
    if name.lower() in tables.load_data("fkp.yaml")["metode"]:
        return name.lower()
    return fkp.metode_uraian or name


# ---------------------------------------------------------------------------------------------
# People


def instansi_jabatan(person: Participant) -> str:
    return ", ".join(part for part in (person.jabatan, person.instansi) if part)


def _unsur_label(person: Participant) -> str:
    return tables.fkp_groups().get(person.unsur, "")


def participant_rows(people: list[Participant]) -> list[dict]:
    """Numbered table rows; `ganjil` places the signature number left (odd) or right (even)."""
    return [
        {"nomor": str(n), "nama": p.nama, "unsur": _unsur_label(p),
         "instansi_jabatan": instansi_jabatan(p), "ganjil": n % 2 == 1}
        for n, p in enumerate(people, start=1)
    ]


def unsur_counts(fkp: Fkp) -> list[tuple[str, int]]:
    """(group label, participants) for each group present, in the order of `schemas/fkp.yaml`."""
    seen = [p.unsur for p in fkp.peserta]
    return [(label, seen.count(key)) for key, label in tables.fkp_groups().items() if key in seen]


def _same_person(a: Person, b: Person) -> bool:
    if a.nip and b.nip:
        return a.nip == b.nip
    return fmt_id.fold(a.nama).casefold() == fmt_id.fold(b.nama).casefold()


def penyelenggara(unit: Unit, fkp: Fkp) -> Person:
    """The provider's signer; when it is the head of the unit, what the FKP file leaves out
    (pangkat, NIP, jabatan) comes from unit.yaml."""
    person = fkp.penyelenggara
    head = unit.pimpinan
    if not _same_person(person, head):
        return person
    return Person(person.nama, person.jabatan or head.jabatan, person.nip or head.nip,
                  person.pangkat or head.pangkat)


def _signer(unit: Unit, person: Person, date: dt.date | None) -> dict:
    """`sp_context.signer`'s block for another person than the head (same keys, same formatting)."""
    return {**sp_context.signer(unit, date), "jabatan": person.jabatan, "nama": person.nama,
            "pangkat": person.pangkat, "nip": fmt_id.nip(person.nip) if person.nip else ""}


def _masyarakat(fkp: Fkp) -> dict:
    person = fkp.masyarakat
    lines = [_unsur_label(person), person.jabatan, person.instansi]
    return {"judul": words()["berita_acara"]["masyarakat"], "nama": person.nama,
            "keterangan": [line for line in lines if line]}


# ---------------------------------------------------------------------------------------------
# The event


def service_names(unit: Unit, fkp: Fkp) -> list[str]:
    """Names of the services discussed, from their layanan files."""
    return [(service.nama if (service := unit.match_service(name)) else name) for name in fkp.layanan]


def _fill(text: str, unit: Unit, fkp: Fkp, **extra: str) -> str:
    """One format call (values holding braces stay as written); whitespace of folded YAML made single."""
    held, time = fkp.tanggal, waktu(fkp)
    values = {
        "unit": unit.nama, "jabatan": unit.pimpinan.jabatan, "instansi": unit.instansi,
        "tanggal_kata": fmt_id.tanggal_kata(held), "tanggal_angka": fmt_id.tanggal_angka(held),
        "tanggal": fmt_id.tanggal(held), "hari_tanggal": fmt_id.tanggal_hari(held),
        "tempat": fkp.tempat, "metode": metode(fkp),
        "waktu": f" {time}" if time else "",
        # after "Standar Pelayanan" in the wording: a name starting with "Pelayanan" written once
        "layanan": series([fmt_id.tanpa_kata_layanan(name) for name in service_names(unit, fkp)]),
        **extra,
    }
    return fmt_id.fold(text).format(**values)


def event(unit: Unit, fkp: Fkp) -> dict:
    """The variables every FKP document shares (`fkp`)."""
    day, time, place = fmt_id.tanggal_hari(fkp.tanggal), waktu(fkp), fkp.tempat
    acara = _fill(words()["acara"], unit, fkp)
    return {
        "judul": list(words()["judul"]),
        "nomor": fkp.nomor,
        "hari_tanggal": day,
        "tanggal": fmt_id.tanggal(fkp.tanggal),
        "waktu": time,
        "tempat": place,
        "acara": acara,
        "rincian": [{"label": label, "nilai": value} for label, value in (
            ("Hari/Tanggal", day), ("Waktu", time), ("Tempat", place), ("Acara", acara)) if value],
        "layanan": [{"nomor": str(n), "nama": name} for n, name in enumerate(service_names(unit, fkp), start=1)],
        "peserta": participant_rows(fkp.peserta),
    }


def title(fkp: Fkp, document: str) -> str:
    """Bookmark and document title, e.g. "Berita Acara Forum Konsultasi Publik 10 Januari 2025"."""
    return f"{document} Forum Konsultasi Publik {fmt_id.tanggal(fkp.tanggal)}"


# ---------------------------------------------------------------------------------------------
# Berita Acara


def _agreements(unit: Unit, fkp: Fkp) -> list[dict]:
    """Per service (agenda first, then any other named in `kesepakatan`), its agreements."""
    rows = fkp.kesepakatan
    def slug_of(name: str) -> str:  # slug, nama or alias → the slug (names of no service as written)
        return service.slug if (service := unit.match_service(name)) else name

    slugs = list(dict.fromkeys(slug_of(name) for name in [*fkp.layanan, *(r.layanan for r in rows)]))
    unchanged = words()["berita_acara"]["tanpa_perubahan"]
    out = []
    for n, slug in enumerate(slugs, start=1):
        mine = [r for r in rows if slug_of(r.layanan) == slug]
        service = unit.match_service(slug)
        out.append({
            "nomor": str(n),
            "nama": service.nama if service else slug,
            "judul": fmt_id.judul_sp(service.nama if service else slug),
            "kesepakatan": [
                {"nomor": str(i), "komponen": tables.label(r.komponen), "semula": r.semula, "menjadi": r.menjadi}
                for i, r in enumerate(mine, start=1)
            ],
            "catatan": "" if mine else unchanged,
        })
    return out


def berita_acara(unit: Unit, fkp: Fkp) -> dict:
    text = words()["berita_acara"]
    counts = unsur_counts(fkp)
    total = len(fkp.peserta)
    provider = penyelenggara(unit, fkp)
    return sp_context.clean({
        "kop": sp_context.kop(unit),
        "fkp": event(unit, fkp),
        "ba": {
            "pembukaan": _fill(text["pembukaan"], unit, fkp),
            "agenda": _fill(text["agenda"], unit, fkp),
            "kehadiran": _fill(text["kehadiran"], unit, fkp, jumlah=fmt_id.angka_kata(total)),
            "unsur": [{"nomor": str(n), "label": label, "jumlah": str(count)}
                      for n, (label, count) in enumerate(counts, start=1)],
            "jumlah": str(total),
            "hasil_pengantar": _fill(text["hasil"], unit, fkp),
            "hasil": _agreements(unit, fkp),
            "penutup": _fill(text["penutup"], unit, fkp),
            "masyarakat": _masyarakat(fkp),
            "penyelenggara": {**_signer(unit, provider, fkp.tanggal), "judul": text["penyelenggara"]},
        },
    })


# ---------------------------------------------------------------------------------------------
# Daftar hadir


def daftar_hadir(unit: Unit, fkp: Fkp) -> dict:
    return sp_context.clean({
        "kop": sp_context.kop(unit),
        "fkp": event(unit, fkp),
        "ttd": _signer(unit, penyelenggara(unit, fkp), fkp.tanggal),
    })


# ---------------------------------------------------------------------------------------------
# Undangan


def undangan_tanggal(fkp: Fkp) -> dt.date:
    """`undangan.tanggal`, or the set number of days before the forum."""
    return fkp.undangan_tanggal or fkp.tanggal - dt.timedelta(
        days=int(words()["undangan"]["hari_sebelum"]))


def undangan(unit: Unit, fkp: Fkp) -> dict:
    """The letter from the head of the unit to every participant but the head; its Lampiran lists them."""
    text = words()["undangan"]
    sent = undangan_tanggal(fkp)
    head = unit.pimpinan
    invited = [p for p in fkp.peserta if not _same_person(p.person, head)]
    groups = [label for key, label in tables.fkp_groups().items() if any(p.unsur == key for p in invited)]
    signer = sp_context.signer(unit, sent)
    return sp_context.clean({
        "kop": sp_context.kop(unit),
        "fkp": event(unit, fkp),
        "undangan": {
            "tempat_tanggal": signer["tempat_tanggal"],
            "tanggal": fmt_id.tanggal(sent),
            "nomor": fkp.undangan_nomor or layout.DATE_PLACEHOLDER,
            "sifat": fkp.undangan_sifat or fmt_id.fold(text["sifat"]),
            "lampiran": text["lampiran"],
            "hal": text["hal"],
            "yth": text["yth"],
            "unsur": f"unsur {series(groups)}" if groups else "",
            "pembukaan": _fill(text["pembukaan"], unit, fkp),
            "rincian": [
                {"label": "Hari/tanggal", "nilai": fmt_id.tanggal_hari(fkp.tanggal)},
                {"label": "Waktu", "nilai": waktu_mulai(fkp)},
                {"label": "Tempat", "nilai": fkp.tempat},
                {"label": "Acara", "nilai": _fill(words()["acara"], unit, fkp)},
            ],
            "penutup": [_fill(paragraph, unit, fkp) for paragraph in text["penutup"]],
            "jabatan": head.jabatan,
            "undangan": participant_rows(invited),
        },
        "ttd": sp_context.signer(unit, sent, with_place_date=False),
    })


# ---------------------------------------------------------------------------------------------
# Dokumentasi


def photos(unit: Unit, fkp: Fkp) -> list[dict]:
    """Each photo of `foto:` with its caption, "Foto 1: Pembukaan oleh Kepala Dinas" (or "Foto 1")."""
    out = []
    for n, photo in enumerate(fkp.photos, start=1):
        caption = f"Foto {n}: {fmt_id.fold(photo.keterangan)}" if photo.keterangan else f"Foto {n}"
        out.append({"gambar": Picture(str(unit.root / photo.berkas), *PHOTO_BOX_MM), "keterangan": caption})
    return out


def dokumentasi(unit: Unit, fkp: Fkp) -> dict:
    return sp_context.clean({
        "kop": sp_context.kop(unit),
        "fkp": event(unit, fkp),
        "dokumentasi": {"foto": photos(unit, fkp)},
    })
