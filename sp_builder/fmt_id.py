"""Indonesian formatting: dates, money, number words, NIP and Roman numerals.

Every document and template formats through this one module, so the conventions of
NASKAH.md §5 (EYD, tata naskah dinas) live in a single place and do not depend on the
host's locale.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

_BULAN = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)
_HARI = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
_SATUAN = (
    "nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan",
    "sembilan", "sepuluh", "sebelas",
)
_SKALA = ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"), (10**3, "ribu"))
_ROMAWI = (
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
)


# Month spellings found in real documents and exports, besides the full EYD names.
_BULAN_LAIN = {
    "jan": 1, "feb": 2, "pebruari": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "agu": 8, "agt": 8,
    "ags": 8, "agus": 8, "sep": 9, "sept": 9, "okt": 10, "nov": 11, "nopember": 11, "des": 12,
}
_ISO = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T].*)?")
_DAY_FIRST = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[ T].*)?")
_WORDS = re.compile(r"(\d{1,2})\s+([a-z]+)\s+(\d{4})(?:[ ,].*)?")


def baca_tanggal(value: object) -> date | None:
    """A date as Indonesians write it: ISO "2025-01-15", day-first "15/01/2025" or "15-01-2025",
    words "15 Januari 2025" (abbreviations and old spellings too); a time after it is ignored.
    Date objects pass through. None when it is not a real date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip().rstrip(".").lower()
    months = {name.lower(): n for n, name in enumerate(_BULAN, start=1)} | _BULAN_LAIN
    try:
        if m := _ISO.fullmatch(text):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _DAY_FIRST.fullmatch(text):
            return date(int(m[3]), int(m[2]), int(m[1]))
        if (m := _WORDS.fullmatch(text)) and m[2] in months:
            return date(int(m[3]), months[m[2]], int(m[1]))
    except ValueError:
        return None
    return None


def bulan(n: int) -> str:
    """Full month name (1 = Januari); EYD never abbreviates months in official text."""
    if not 1 <= n <= 12:
        raise ValueError(f"bulan harus 1..12, bukan {n}")
    return _BULAN[n - 1]


def hari(d: date) -> str:
    """Indonesian weekday name, computed from the date rather than the host locale."""
    return _HARI[d.weekday()]


def tanggal(d: date) -> str:
    """Body and signature date, "15 Januari 2025": no leading zero, month in full."""
    return f"{d.day} {bulan(d.month)} {d.year}"


def tanggal_hari(d: date) -> str:
    """Date with its weekday, "Jumat, 10 Januari 2025", as in invitations and notes."""
    return f"{hari(d)}, {tanggal(d)}"


def tanggal_angka(d: date) -> str:
    """Numeric date "10-01-2025" for tables and forms where space is short."""
    return f"{d.day:02d}-{d.month:02d}-{d.year}"


def tanggal_kata(d: date) -> str:
    """Berita Acara wording, every part in words so the date cannot be altered.

    Gives "Jumat tanggal sepuluh bulan Januari tahun dua ribu dua puluh lima"; the
    caller writes "Pada hari ini " before it.
    """
    return (
        f"{hari(d)} tanggal {terbilang(d.day)} bulan {bulan(d.month)}"
        f" tahun {terbilang(d.year)}"
    )


def terbilang(n: int) -> str:
    """Number in lowercase Indonesian words, for amounts and dates written out in full.

    Above a trillion the scale word repeats ("seribu triliun"), as the press writes it.
    """
    if n < 0:
        return "minus " + terbilang(-n)
    if n < 12:
        return _SATUAN[n]
    if n < 20:
        return f"{_SATUAN[n - 10]} belas"
    if n < 100:
        return f"{_SATUAN[n // 10]} puluh" + _sisa(n % 10)
    if n < 1000:
        ratus = "seratus" if n < 200 else f"{_SATUAN[n // 100]} ratus"
        return ratus + _sisa(n % 100)
    if n < 2000:
        return "seribu" + _sisa(n - 1000)
    nilai, nama = next((v, s) for v, s in _SKALA if n >= v)
    return f"{terbilang(n // nilai)} {nama}" + _sisa(n % nilai)


def _sisa(n: int) -> str:
    """The remainder after a bigger unit: nothing for zero ("seratus", not "seratus nol")."""
    return f" {terbilang(n)}" if n else ""


def bulat(x: float | Decimal | Fraction | int, places: int = 2) -> Decimal:
    """Round half up to `places` decimals, as Indonesian scoring tables do (76,605 → 76,61).

    Floats go through their shortest repr so 76.605 rounds as written, not as the binary
    76.60499…; Python's own round() would round half to even. Any finite size is exact (the
    precision grows with the number; a tariff of 10**30 must not stop a document); infinity and
    NaN raise ValueError.
    """
    with localcontext() as ctx:
        if isinstance(x, Fraction):
            ctx.prec = max(28, len(str(abs(x.numerator) // x.denominator)) + places + 2)
            exact = Decimal(x.numerator) / Decimal(x.denominator)
        else:
            exact = Decimal(repr(x)) if isinstance(x, float) else Decimal(x)
            if not exact.is_finite():
                raise ValueError(f"bukan bilangan terhingga: {x}")
            ctx.prec = max(28, exact.adjusted() + places + 2)
        return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def desimal(x: float | Decimal | Fraction | int, places: int = 2) -> str:
    """Indonesian number notation: dot for thousands, comma for decimals ("1.234,50")."""
    english = f"{bulat(x, places):,.{places}f}"
    return english.translate(str.maketrans(",.", ".,"))


def rupiah(n: int) -> str:
    """Money as EYD writes it: "Rp50.000,00", no space and no dot after Rp."""
    return "Rp" + desimal(n)


def rupiah_terbilang(n: int) -> str:
    """Tariff with its amount in words, "Rp50.000,00 (lima puluh ribu rupiah)".

    A free service says so in words instead of "nol rupiah".
    """
    if n == 0:
        return f"{rupiah(n)} (tidak dipungut biaya)"
    return f"{rupiah(n)} ({terbilang(n)} rupiah)"


def angka_kata(n: int) -> str:
    """Number followed by its words, "3 (tiga)", as legal text writes "3 (tiga) hari kerja"."""
    return f"{desimal(n, 0)} ({terbilang(n)})"


def nip(s: str) -> str:
    """Group an 18-digit NIP as "19700101 199503 1 001" (birth date, appointment, sex, serial).

    Anything that is not 18 digits is returned stripped, so validation, not formatting,
    reports it.
    """
    digits = "".join(s.split())
    if not re.fullmatch(r"[0-9]{18}", digits):
        return s.strip()
    return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"


def romawi(n: int) -> str:
    """Roman numeral for letter numbers, where the month is often written "XII"."""
    if not 1 <= n <= 3999:
        raise ValueError(f"angka Romawi hanya untuk 1..3999, bukan {n}")
    parts = []
    for nilai, huruf in _ROMAWI:
        count, n = divmod(n, nilai)
        parts.append(huruf * count)
    return "".join(parts)


def fold(text: str) -> str:
    """Whitespace of any kind (new lines of folded YAML, double spaces, tabs) made single spaces."""
    return " ".join(text.split())


def short(text: str, limit: int = 60) -> str:
    """One line of at most `limit` characters, cut with "…" — for quoting a value in a message."""
    text = fold(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


_KATA_LAYANAN = re.compile(r"^(?:pelayanan|layanan)\s+(?=\S)", re.IGNORECASE)


def tanpa_kata_layanan(nama: str) -> str:
    """A service name without its leading "Pelayanan"/"Layanan", for a phrase that already says
    it: "Pelayanan Surat Keterangan Domisili" → "Surat Keterangan Domisili"."""
    return _KATA_LAYANAN.sub("", nama.strip(), count=1)


def judul_sp(nama: str) -> str:
    """"Standar Pelayanan <nama>" with the word written once: "Standar Pelayanan Surat Keterangan
    Domisili", never "Standar Pelayanan Pelayanan Surat ..."."""
    return f"Standar Pelayanan {tanpa_kata_layanan(nama)}"
