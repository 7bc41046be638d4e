"""Exact strings for sp_builder.fmt_id, plus properties over wide input ranges."""

from __future__ import annotations

import babel.dates

import re
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from num2words import num2words

from sp_builder import fmt_id

EXAMPLES = [
    (fmt_id.tanggal, date(2025, 1, 15), "15 Januari 2025"),
    (fmt_id.tanggal, date(2025, 3, 1), "1 Maret 2025"),
    (fmt_id.tanggal, date(2024, 12, 9), "9 Desember 2024"),
    (fmt_id.hari, date(2025, 1, 10), "Jumat"),
    (fmt_id.hari, date(2024, 2, 29), "Kamis"),
    (fmt_id.tanggal_hari, date(2025, 1, 10), "Jumat, 10 Januari 2025"),
    (fmt_id.tanggal_angka, date(2025, 1, 10), "10-01-2025"),
    (fmt_id.tanggal_kata, date(2025, 1, 10),
     "Jumat tanggal sepuluh bulan Januari tahun dua ribu dua puluh lima"),
    (fmt_id.tanggal_kata, date(2025, 3, 1),
     "Sabtu tanggal satu bulan Maret tahun dua ribu dua puluh lima"),
    (fmt_id.tanggal_kata, date(2025, 5, 11),
     "Minggu tanggal sebelas bulan Mei tahun dua ribu dua puluh lima"),
    (fmt_id.tanggal_kata, date(2025, 3, 21),
     "Jumat tanggal dua puluh satu bulan Maret tahun dua ribu dua puluh lima"),
    (fmt_id.tanggal_kata, date(2025, 12, 31),
     "Rabu tanggal tiga puluh satu bulan Desember tahun dua ribu dua puluh lima"),
    (fmt_id.tanggal_kata, date(2024, 2, 29),
     "Kamis tanggal dua puluh sembilan bulan Februari tahun dua ribu dua puluh empat"),
    (fmt_id.tanggal_kata, date(2000, 1, 1),
     "Sabtu tanggal satu bulan Januari tahun dua ribu"),
    (fmt_id.tanggal_kata, date(2001, 1, 1),
     "Senin tanggal satu bulan Januari tahun dua ribu satu"),
    (fmt_id.tanggal_kata, date(2100, 1, 1),
     "Jumat tanggal satu bulan Januari tahun dua ribu seratus"),
    (fmt_id.terbilang, 0, "nol"),
    (fmt_id.terbilang, 1, "satu"),
    (fmt_id.terbilang, 10, "sepuluh"),
    (fmt_id.terbilang, 11, "sebelas"),
    (fmt_id.terbilang, 12, "dua belas"),
    (fmt_id.terbilang, 19, "sembilan belas"),
    (fmt_id.terbilang, 20, "dua puluh"),
    (fmt_id.terbilang, 100, "seratus"),
    (fmt_id.terbilang, 101, "seratus satu"),
    (fmt_id.terbilang, 111, "seratus sebelas"),
    (fmt_id.terbilang, 200, "dua ratus"),
    (fmt_id.terbilang, 1000, "seribu"),
    (fmt_id.terbilang, 1001, "seribu satu"),
    (fmt_id.terbilang, 1500, "seribu lima ratus"),
    (fmt_id.terbilang, 2000, "dua ribu"),
    (fmt_id.terbilang, 11000, "sebelas ribu"),
    (fmt_id.terbilang, 50000, "lima puluh ribu"),
    (fmt_id.terbilang, 100000, "seratus ribu"),
    (fmt_id.terbilang, 1000000, "satu juta"),
    (fmt_id.terbilang, 1001000, "satu juta seribu"),
    (fmt_id.terbilang, 2500000, "dua juta lima ratus ribu"),
    (fmt_id.terbilang, 1000000000, "satu miliar"),
    (fmt_id.terbilang, 10**12, "satu triliun"),
    (fmt_id.terbilang, 3 * 10**12 + 7, "tiga triliun tujuh"),
    (fmt_id.terbilang, 10**15, "seribu triliun"),
    (fmt_id.terbilang, -5, "minus lima"),
    (fmt_id.rupiah, 50000, "Rp50.000,00"),
    (fmt_id.rupiah, 0, "Rp0,00"),
    (fmt_id.rupiah, 1500000, "Rp1.500.000,00"),
    (fmt_id.rupiah_terbilang, 50000, "Rp50.000,00 (lima puluh ribu rupiah)"),
    (fmt_id.rupiah_terbilang, 0, "Rp0,00 (tidak dipungut biaya)"),
    (fmt_id.angka_kata, 3, "3 (tiga)"),
    (fmt_id.angka_kata, 14, "14 (empat belas)"),
    (fmt_id.angka_kata, 1500, "1.500 (seribu lima ratus)"),
    (fmt_id.desimal, 87.28, "87,28"),
    (fmt_id.desimal, 1234.5, "1.234,50"),
    (fmt_id.desimal, 76.605, "76,61"),
    (fmt_id.desimal, 2.675, "2,68"),
    (fmt_id.desimal, Decimal("76.605"), "76,61"),
    (fmt_id.desimal, Fraction(15321, 200), "76,61"),
    (fmt_id.desimal, Fraction(1, 3), "0,33"),
    (fmt_id.desimal, 1234567, "1.234.567,00"),
    (fmt_id.desimal, -1234.5, "-1.234,50"),
    (fmt_id.nip, "197001011995031001", "19700101 199503 1 001"),
    (fmt_id.nip, " 19740324 200604 1 015 ", "19740324 200604 1 015"),
    (fmt_id.nip, "1974032420060410", "1974032420060410"),
    (fmt_id.nip, "  12345  ", "12345"),
    (fmt_id.nip, "19700101199503100X", "19700101199503100X"),
    (fmt_id.bulan, 1, "Januari"),
    (fmt_id.bulan, 8, "Agustus"),
    (fmt_id.bulan, 12, "Desember"),
    (fmt_id.romawi, 1, "I"),
    (fmt_id.romawi, 2, "II"),
    (fmt_id.romawi, 4, "IV"),
    (fmt_id.romawi, 9, "IX"),
    (fmt_id.romawi, 12, "XII"),
    (fmt_id.romawi, 2025, "MMXXV"),
]


@pytest.mark.parametrize(
    ("func", "arg", "expected"),
    EXAMPLES,
    ids=[f"{f.__name__}({a!r})" for f, a, _ in EXAMPLES],
)
def test_exact(func, arg, expected):
    assert func(arg) == expected


def test_bulat_rounds_half_up():
    assert fmt_id.bulat(76.605, 2) == Decimal("76.61")
    assert fmt_id.bulat(Decimal("88.305"), 2) == Decimal("88.31")
    assert fmt_id.bulat(Fraction(5, 2), 0) == Decimal("3")
    assert fmt_id.bulat(2.5, 0) == Decimal("3")
    assert fmt_id.desimal(2.5, 0) == "3"


def test_all_months_in_order():
    names = [fmt_id.bulan(m) for m in range(1, 13)]
    assert names == ("Januari Februari Maret April Mei Juni Juli Agustus September "
                     "Oktober November Desember").split()


def test_weekdays_follow_the_calendar():
    # 17 Agustus 1945, the Proklamasi, was a Friday; the next six days follow in order.
    start = date(1945, 8, 17)
    names = [fmt_id.hari(start + timedelta(days=i)) for i in range(7)]
    assert names == ["Jumat", "Sabtu", "Minggu", "Senin", "Selasa", "Rabu", "Kamis"]
    assert fmt_id.hari(date(2025, 1, 6)) == "Senin"  # ISO week 2 of 2025 starts on it


@pytest.mark.parametrize(("func", "arg"), [(fmt_id.bulan, 0), (fmt_id.bulan, 13),
                                           (fmt_id.romawi, 0), (fmt_id.romawi, 4000)])
def test_out_of_range_raises(func, arg):
    with pytest.raises(ValueError):
        func(arg)


dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))


@given(dates)
def test_dates_agree_with_babel_calendar(d):
    assert fmt_id.hari(d) == babel.dates.format_date(d, "EEEE", locale="id")
    assert fmt_id.tanggal(d) == babel.dates.format_date(d, "d MMMM y", locale="id")


@given(dates)
def test_tanggal_kata_shape(d):
    text = fmt_id.tanggal_kata(d)
    assert text.startswith(f"{fmt_id.hari(d)} tanggal {fmt_id.terbilang(d.day)} bulan ")
    assert text.endswith(f" tahun {fmt_id.terbilang(d.year)}")


@given(st.integers(min_value=0, max_value=10**15))
def test_terbilang_total_and_clean(n):
    words = fmt_id.terbilang(n)
    assert words == words.strip()
    assert "  " not in words
    assert re.fullmatch(r"[a-z ]+", words)
    assert n == 0 or "nol" not in words


@given(st.integers(min_value=0, max_value=10**15 - 1))
def test_terbilang_matches_num2words(n):
    # num2words writes a thousand after juta/miliar/triliun as "satu ribu"; KBBI and legal texts
    # write "seribu" in every position ("satu juta seribu"), as terbilang does.
    expected = re.sub(r"(^|(?:juta|miliar|triliun) )satu ribu", r"\1seribu", num2words(n, lang="id"))
    assert fmt_id.terbilang(n) == expected


def test_thousand_after_a_larger_unit_is_seribu():
    assert fmt_id.terbilang(479_001_000) == "empat ratus tujuh puluh sembilan juta seribu"
    assert fmt_id.terbilang(21_000) == "dua puluh satu ribu"


@given(st.integers(min_value=0, max_value=10**15))
def test_rupiah_round_trips(n):
    text = fmt_id.rupiah(n)
    assert text.startswith("Rp") and text.endswith(",00")
    assert int(text.removeprefix("Rp").removesuffix(",00").replace(".", "")) == n


@given(st.text(alphabet="0123456789", min_size=18, max_size=18))
def test_nip_grouping(digits):
    grouped = fmt_id.nip(digits)
    assert [len(part) for part in grouped.split(" ")] == [8, 6, 1, 3]
    assert grouped.replace(" ", "") == digits


@pytest.mark.parametrize("text, expected", [
    ("2025-01-15", date(2025, 1, 15)), ("2025/01/15 10:20:30", date(2025, 1, 15)),
    ("15/01/2025 10:20", date(2025, 1, 15)), ("15-01-2025", date(2025, 1, 15)), ("15.01.2025", date(2025, 1, 15)),
    ("15 Januari 2025", date(2025, 1, 15)), ("16 Februari 2026.", date(2026, 2, 16)),
    ("3 Agu 2025", date(2025, 8, 3)), ("1 Nopember 2024", date(2024, 11, 1)), ("1 pebruari 2024", date(2024, 2, 1)),
    ("30 Februari 2025", None), ("2025-13-01", None), ("15 Brumaire 2025", None), ("kemarin", None), (45678, None),
])
def test_baca_tanggal(text, expected):
    assert fmt_id.baca_tanggal(text) == expected


def test_baca_tanggal_passes_date_objects_through():
    from datetime import datetime

    assert fmt_id.baca_tanggal(datetime(2025, 1, 15, 8, 30)) == date(2025, 1, 15)
    assert fmt_id.baca_tanggal(date(2025, 1, 15)) == date(2025, 1, 15)
