"""The tolerant readers against the forms published SPs use (tests/data/bentuk-nyata.yaml), one
test per string, plus properties: any text reads without raising, numbering strips to a fixed
point, and splitting a complaint text never loses a contact."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from sp_builder.unit import readers

# Read as the unit files are read (YAML 1.2, safe), without depending on where the loader lives.
DATA = YAML(typ="safe", pure=True).load((Path(__file__).parent / "data" / "bentuk-nyata.yaml").read_text(encoding="utf-8"))


def _cases(group: str) -> list:
    """(id, case) pairs of a group made of sourced sub-groups."""
    out = []
    for n, block in enumerate(DATA[group]):
        assert block["sumber"], f"{group}[{n}] has no sumber"
        for k, case in enumerate(block["kasus"]):
            out.append(pytest.param(case, id=f"{group}-{n}.{k}-{str(case['masukan'])[:40]}"))
    return out


def _flat(group: str, key: str = "kasus") -> list:
    assert DATA[group]["sumber"]
    return [pytest.param(c, id=f"{group}-{k}-{str(c)[:40]}") for k, c in enumerate(DATA[group][key])]


def _amount(text: str) -> tuple[float, str]:
    number, unit = text.split(" ", 1)
    return float(number), unit


# ---------------------------------------------------------------------------------------------
# Jangka waktu


@pytest.mark.parametrize("case", _cases("durasi"))
def test_duration(case):
    reading = readers.read_duration(case["masukan"])
    assert reading is not None, case["masukan"]
    got = [(s.label, (s.low.number, s.low.unit), (s.high.number, s.high.unit), s.bound) for s in reading.stages]
    want = []
    for row in case["tahap"]:
        label, low, high = row[:3]
        bound = row[3] if len(row) > 3 else ""
        want.append((label, _amount(low), _amount(high), bound))
    assert len(got) == len(want), got
    for g, w in zip(got, want):
        if w[0] is not None:
            assert g[0] == w[0]
        assert g[1:] == w[1:]
    assert math.isclose(reading.max_minutes, case["maks_menit"], rel_tol=1e-4)
    assert math.isclose(reading.max_working_days * 480, reading.max_minutes, rel_tol=1e-9)


@pytest.mark.parametrize("value", _flat("durasi_tidak"))
def test_duration_not_concrete(value):
    assert readers.read_duration(value) is None
    hint = readers.duration_hint(value)
    assert "Pendaftaran 10 menit; penyelesaian 1 hari kerja" in hint and "tahap" in hint
    assert "None" not in hint


@pytest.mark.parametrize(
    ("text", "number", "unit", "number_text"),
    [("3 hari kerja", 3.0, "hari kerja", "3"), ("60 menit", 60.0, "menit", "60"),
     ("3 (tiga) hari kerja sejak berkas lengkap", 3.0, "hari kerja", "3"), ("1,5 jam", 1.5, "jam", "1,5"),
     ("maksimal 14 hari kalender", 14.0, "hari kalender", "14")],
)
def test_duration_single_stage_fields_of_model_duration(text, number, unit, number_text):
    """A single stage keeps the fields renderers read from model.Duration today."""
    reading = readers.read_duration(text)
    assert (reading.number, reading.unit, reading.number_text, reading.text) == (number, unit, number_text, text)


def test_duration_hint_names_what_was_written():
    assert readers.duration_hint("Secepatnya setelah berkas diterima").startswith('"secepatnya" bukan durasi')
    assert readers.duration_hint(None).startswith("Jangka waktu belum diisi")
    assert readers.duration_hint(30).startswith('angka "30" tanpa satuan waktu')
    assert readers.duration_hint([{"tahap": "Verifikasi", "waktu": "sesuai antrean"}]).startswith('"sesuai antrean" bukan')


def test_duration_stage_keeps_condition_text():
    reading = readers.read_duration("Penerbitan 3 hari kerja, jika berkas lengkap dan benar")
    assert reading.stages[0].text == "Penerbitan 3 hari kerja, jika berkas lengkap dan benar"
    assert reading.text == "Penerbitan 3 hari kerja, jika berkas lengkap dan benar"


# ---------------------------------------------------------------------------------------------
# Biaya


@pytest.mark.parametrize("case", _cases("biaya"))
def test_fee(case):
    reading = readers.read_fee(case["masukan"])
    assert reading is not None
    assert reading.free is bool(case.get("gratis", False))
    if reading.free:
        assert reading.amounts == ()
    else:
        assert list(reading.amounts) == case["tarif"]
    assert list(reading.basis) == case.get("dasar", [])
    assert reading.needs_basis is bool(case.get("perlu_dasar", False))
    if "baris" in case:  # every line of the unit's text stays a row, none lost
        assert [[r.uraian, r.amount] for r in reading.rows] == case["baris"]
    if "rincian" in case:  # a formula's factors listed under its row
        assert [list(r.detail) for r in reading.rows] == case["rincian"]


@pytest.mark.parametrize("value", _flat("biaya_tidak"))
def test_fee_not_a_fee(value):
    assert readers.read_fee(value) is None


# ---------------------------------------------------------------------------------------------
# Jumlah pelaksana


@pytest.mark.parametrize("case", _cases("pelaksana"))
def test_staffing(case):
    reading = readers.read_staffing(case["masukan"])
    assert reading is not None
    assert reading.total == case["total"]
    assert [[r.jabatan, r.jumlah] for r in reading.rows] == case.get("rincian", [])
    assert reading.approximate is bool(case.get("perkiraan", False))


@pytest.mark.parametrize("value", _flat("pelaksana_tidak"))
def test_staffing_not_a_count(value):
    assert readers.read_staffing(value) is None


# ---------------------------------------------------------------------------------------------
# Numbering, items, comparison


@pytest.mark.parametrize("pair", _flat("nomor"))
def test_strip_numbering(pair):
    assert readers.strip_numbering(pair[0]) == pair[1]


def _tree(nodes) -> list:
    return [n.text if not n.children else [n.text, _tree(n.children)] for n in nodes]


@pytest.mark.parametrize("case", _cases("butir"))
def test_split_items(case):
    assert _tree(readers.split_items(case["masukan"])) == case["harapan"]


def test_items_keep_keterangan_and_flag_unquoted_colon():
    nodes = readers.split_items([{"uraian": "3. Pas foto", "keterangan": "2 lembar"}, {"3. Bagi domisili usaha": "fotocopy akta"}, "KTP"])
    assert (nodes[0].text, nodes[0].keterangan, nodes[0].from_colon) == ("Pas foto", "2 lembar", False)
    assert nodes[1].from_colon and not nodes[2].from_colon


@pytest.mark.parametrize("pair", _flat("banding", "sama"))
def test_comparable_equal(pair):
    assert readers.comparable(pair[0]) == readers.comparable(pair[1])


@pytest.mark.parametrize("pair", _flat("banding", "beda"))
def test_comparable_different(pair):
    assert readers.comparable(pair[0]) != readers.comparable(pair[1])


def test_numbered_block_compares_equal_to_its_items():
    block = readers.split_items("1. Surat Pengantar RT/RW;\n2. Fotokopi KK; dan\n3. Pas foto.")
    items = readers.split_items(["Surat Pengantar RT/RW", "Fotokopi KK", "Pas foto"])
    assert [readers.comparable(n.text) for n in block] == [readers.comparable(n.text) for n in items]


# ---------------------------------------------------------------------------------------------
# Pengaduan


@pytest.mark.parametrize("case", _cases("saluran"))
def test_channels(case):
    got = [[c.kind, c.contact, c.link] for c in readers.read_channels(case["masukan"])]
    assert got == case["harapan"]


def test_channels_keep_unit_words_as_label():
    channels = readers.read_channels("- Media telepon dinas : (0322)321322\n- 081234567890")
    assert [(c.label, c.saluran, c.kontak) for c in channels] == [
        ("Media telepon dinas", "Media telepon dinas", "(0322)321322"),
        ("Media telepon dinas", "Media telepon dinas", "081234567890"),
    ]
    assert readers.read_channels("pengaduan@contoh.go.id")[0].label == "Email"


# ---------------------------------------------------------------------------------------------
# Names, dates, status, answers, counts


@pytest.mark.parametrize("pair", _flat("nama", "sama"))
def test_name_key_meets(pair):
    assert readers.name_key(pair[0]) == readers.name_key(pair[1])


@pytest.mark.parametrize("pair", _flat("nama", "beda"))
def test_name_key_keeps_apart(pair):
    assert readers.name_key(pair[0]) != readers.name_key(pair[1])


@pytest.mark.parametrize("case", _flat("nama", "mirip"))
def test_closest(case):
    assert readers.closest(case[0], case[1]) == case[2]


@pytest.mark.parametrize("pair", _flat("tanggal"))
def test_date(pair):
    reading = readers.read_date(pair[0])
    if pair[1] == "bulan_dulu":
        assert reading.date is None and reading.month_first and not reading.ok
    elif pair[1] is None:
        assert reading.date is None and not reading.month_first
    else:
        assert reading.ok and reading.date == dt.date.fromisoformat(pair[1])


@pytest.mark.parametrize("pair", _flat("status"))
def test_status(pair):
    assert readers.read_status(pair[0]) == pair[1]


@pytest.mark.parametrize("pair", _flat("jawaban"))
def test_answer(pair):
    assert readers.read_answer(pair[0]) == pair[1]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("4 (empat)", 4), ("4", 4), ("empat", 4), ("empat (4)", 4), ("dua belas", 12), (3, 3), (True, None), ("4 orang", None), ("", None)],
)
def test_count(value, expected):
    assert readers.read_count(value) == expected


def test_data_file_has_enough_published_strings():
    """Issue 16 asks for at least 150 strings; the brief for this file, 170."""
    total = sum(len(b["kasus"]) for g in ("durasi", "biaya", "pelaksana", "butir", "saluran") for b in DATA[g])
    total += sum(len(DATA[g]["kasus"]) for g in ("durasi_tidak", "biaya_tidak", "pelaksana_tidak", "nomor", "tanggal", "status", "jawaban"))
    total += sum(len(DATA[g][k]) for g, k in (("banding", "sama"), ("banding", "beda"), ("nama", "sama"), ("nama", "beda"), ("nama", "mirip")))
    assert total >= 170, total


# ---------------------------------------------------------------------------------------------
# Today's canonical forms (the sample units) read as before


SAMPLES = sorted((Path(__file__).parent.parent / "samples").glob("*/layanan/*.yaml"))


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: f"{p.parent.parent.name}/{p.stem}")
def test_sample_services_read(path):
    data = YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))
    penyampaian, pengelolaan = data["penyampaian"], data["pengelolaan"]
    assert readers.read_duration(penyampaian["jangka_waktu"]).text == str(penyampaian["jangka_waktu"])
    fee = readers.read_fee(penyampaian["biaya"])
    assert fee.free or fee.basis
    assert readers.read_staffing(pengelolaan["jumlah_pelaksana"]).total > 0
    channels = readers.read_channels(penyampaian["pengaduan"])
    assert len(channels) == len(penyampaian["pengaduan"]) and all(c.kind != "lainnya" for c in channels)
    assert channels[0].kind == "lapor" and channels[0].link.startswith("https://")
    for key in ("persyaratan", "prosedur", "produk"):
        assert [n.text for n in readers.split_items(penyampaian[key])] == [
            (e["uraian"] if isinstance(e, dict) else str(e)).strip() for e in penyampaian[key]
        ]


def test_there_are_samples():
    assert len(SAMPLES) >= 10


# ---------------------------------------------------------------------------------------------
# Properties

_SP_WORDS = st.sampled_from([
    "1.", "a.", "(1)", "-", "•", "\uf0b7", "3", "(tiga)", "hari", "kerja", "menit", "jam", "s.d.", "-", "±", "<", "x", "24",
    "Rp", "10.000", ",-", "0", "gratis", "tidak", "dipungut", "biaya", "orang", "Perda", "Nomor", "Tahun", "2023", ":", ";",
    ",", "\n", "  ", "WA", "Telp", "(0274)", "123-456", "0812-0000-0000", "email", "a@b.go.id", "www.x.go.id", "@akun", "dan",
    "Kotak saran", "SP4N-LAPOR!", "Jl.", "No.", "\u00a0", "minimal", "tahap", "ii)", "(", ")", "/", "s/d",
])
_SP_TEXT = st.lists(_SP_WORDS, max_size=25).map(" ".join)
_ANY_TEXT = st.one_of(st.text(max_size=200), _SP_TEXT)


@settings(max_examples=300, deadline=None)
@given(_ANY_TEXT)
def test_any_text_reads_without_raising(text):
    duration = readers.read_duration(text)
    if duration is not None:
        assert duration.stages and duration.max_minutes > 0
    fee = readers.read_fee(text)
    if fee is not None:
        assert fee.free or fee.rows
    readers.read_staffing(text)
    readers.read_channels(text)
    readers.split_items(text)
    readers.comparable(text)
    readers.name_key(text)
    readers.read_date(text)
    readers.read_status(text)
    readers.read_answer(text)
    readers.read_count(text)
    readers.duration_hint(text)


@settings(max_examples=300, deadline=None)
@given(_ANY_TEXT)
def test_strip_numbering_is_idempotent(text):
    once = readers.strip_numbering(text)
    assert readers.strip_numbering(once) == once


@settings(max_examples=300, deadline=None)
@given(_ANY_TEXT)
def test_comparable_is_idempotent(text):
    once = readers.comparable(text)
    assert readers.comparable(once) == once


_CHANNEL_PIECE = st.tuples(
    st.sampled_from(["WhatsApp", "Telp.", "Email", "Instagram", "Website", "SMS", "Hotline", "", "Pengaduan", "Kotak saran", "Datang langsung ke"]),
    st.sampled_from([" : ", " ", ": "]),
    st.sampled_from(["0812-3456-7890", "(0274) 123-456", "+62 811-3699-514", "pengaduan@contoh.go.id", "www.contoh.go.id",
                     "@dukcapil", "https://lapor.go.id", "Jl. Merdeka No. 1, Kota Contoh", "082331134799", ""]),
).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(_CHANNEL_PIECE, min_size=1, max_size=6), st.sampled_from([", ", "; ", "\n", "\n- ", " dan "]))
def test_channels_never_lose_a_contact(pieces, sep):
    text = sep.join(pieces)
    channels = readers.read_channels(text)
    written = readers.contact_keys(" | ".join(f"{c.label} {c.contact}" for c in channels))
    assert readers.contact_keys(text) <= written, (text, channels)


def test_contact_keys_see_every_contact_form():
    """The property above is only as strong as contact_keys: it must see each form it is fed."""
    text = "0812-3456-7890 (0274) 123-456 +62 811-3699-514 pengaduan@contoh.go.id www.contoh.go.id @dukcapil https://lapor.go.id"
    assert readers.contact_keys(text) == {
        "6281234567890", "62274123456", "628113699514", "pengaduan@contoh.go.id", "www.contoh.go.id", "@dukcapil", "https://lapor.go.id",
    }
