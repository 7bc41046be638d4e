"""Dasar hukum read as citations (sp_builder/citations.py) and the register of regulations
(sp_builder/register.py, schemas/peraturan.yaml)."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from sp_builder.unit import citations as C
from sp_builder.unit import register as R

DATA = Path(__file__).parent / "data"


def _yaml(name: str):
    return YAML(typ="safe").load((DATA / name).read_text(encoding="utf-8"))


def _real_cases():
    for group in _yaml("kutipan-nyata.yaml")["kelompok"]:
        for case in group["kutipan"]:
            yield pytest.param(case, id=case["teks"][:60])


REAL = list(_real_cases())


# --- reading ------------------------------------------------------------------------------

def test_the_real_corpus_is_large_and_sourced():
    groups = _yaml("kutipan-nyata.yaml")["kelompok"]
    assert sum(len(g["kutipan"]) for g in groups) >= 110
    assert all(g["sumber"] for g in groups)


@pytest.mark.parametrize("case", REAL)
def test_reads_published_citations(case):
    c = C.parse(case["teks"])
    assert (c.kind, c.issuer, c.number, c.year, c.title, c.pasal) == (
        case["jenis"], case.get("penerbit", ""), case["nomor"], case["tahun"], case.get("judul", ""),
        case.get("pasal", ""))


# Written by hand, independent of the reader: (line, kind, issuer, number, year, title).
HAND = [
    ("1. Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik;", "UU", "", "25", 2009, "Pelayanan Publik"),
    ("UU No. 25 Tahun 2009 tentang Pelayanan Publik; dan", "UU", "", "25", 2009, "Pelayanan Publik"),
    ("UU No 25 tahun 2009 Pelayanan Publik.", "UU", "", "25", 2009, "Pelayanan Publik"),
    ("UU Nmr 25 Th. 2009 tentang Pelayanan Publik", "UU", "", "25", 2009, "Pelayanan Publik"),
    ("uu nomor 25 tahun 2009", "UU", "", "25", 2009, ""),
    ("UU 25/2009", "UU", "", "25", 2009, ""),
    ("Perppu Nomor 2 Tahun 2022 tentang Cipta Kerja", "Perppu", "", "2", 2022, "Cipta Kerja"),
    ("Perpu No. 1 Tahun 2020", "Perppu", "", "1", 2020, ""),
    ("PP No. 96 Tahun 2012 tentang Pelaksanaan UU 25/2009", "PP", "", "96", 2012, "Pelaksanaan UU 25/2009"),
    ("Perpres 76/2013 tentang Pengelolaan Pengaduan Pelayanan Publik", "Perpres", "", "76", 2013,
     "Pengelolaan Pengaduan Pelayanan Publik"),
    ("Keppres Nomor 7 Tahun 2023", "Keppres", "", "7", 2023, ""),
    ("Inpres No. 3 Tahun 2003 tentang Kebijakan dan Strategi Nasional Pengembangan E-Government", "Inpres",
     "", "3", 2003, "Kebijakan dan Strategi Nasional Pengembangan E-Government"),
    ("PermenPANRB Nomor 15 Tahun 2014", "Permen", "PANRB", "15", 2014, ""),
    ("Permenpan RB No 15 tahun 2014 tentang Pedoman Standar Pelayanan", "Permen", "PANRB", "15", 2014,
     "Pedoman Standar Pelayanan"),
    ("Permenpan-RB No. 15 Th 2014", "Permen", "PANRB", "15", 2014, ""),
    ("Permen PAN & RB Nomor 15 Tahun 2014", "Permen", "PANRB", "15", 2014, ""),
    ("Peraturan Menteri PAN dan RB Nomor 15 Tahun 2014", "Permen", "PANRB", "15", 2014, ""),
    ("Permendagri No. 4 Tahun 2010 tentang Pedoman PATEN", "Permen", "dagri", "4", 2010, "Pedoman PATEN"),
    ("Permenkes Nomor 43 Tahun 2019 tentang Pusat Kesehatan Masyarakat", "Permen", "kes", "43", 2019,
     "Pusat Kesehatan Masyarakat"),
    ("Permendikbud No 14 Tahun 2022", "Permen", "dikbud", "14", 2022, ""),
    ("Permendikbudristek Nomor 1 Tahun 2021", "Permen", "dikbudristek", "1", 2021, ""),
    ("Kepmen PANRB No. 321 Tahun 2024", "Kepmen", "PANRB", "321", 2024, ""),
    ("Keputusan Menteri Kesehatan Nomor HK.01.07/Menkes/1186/2022 tentang Panduan", "Kepmen", "kes",
     "HK.01.07/Menkes/1186/2022", 2022, "Panduan"),
    ("Perda Kabupaten Sleman Nomor 1 Tahun 2015", "Perda Kabupaten/Kota", "Kabupaten Sleman", "1", 2015, ""),
    ("Perda Kab. Sleman No. 1 Tahun 2015", "Perda Kabupaten/Kota", "Kabupaten Sleman", "1", 2015, ""),
    ("Perda Prov. Jawa Timur No. 8 Tahun 2011 tentang Pelayanan Publik", "Perda Provinsi", "Provinsi Jawa Timur",
     "8", 2011, "Pelayanan Publik"),
    ("Pergub Jawa Tengah No. 37 Tahun 2013", "Pergub", "Jawa Tengah", "37", 2013, ""),
    ("Perbup Sleman Nomor 12 Tahun 2020 tentang Standar Pelayanan", "Perbup", "Sleman", "12", 2020,
     "Standar Pelayanan"),
    ("Perwal Surabaya No. 5 Tahun 2019", "Perwal", "Surabaya", "5", 2019, ""),
    ("Peraturan Wali Kota Bogor Nomor 2 Tahun 2021", "Perwal", "Bogor", "2", 2021, ""),
    ("Kepbup Sleman Nomor 188/2021", "Kepbup", "Sleman", "188", 2021, ""),
    ("Perkap No. 18 Tahun 2014 tentang Tata Cara Penerbitan SKCK", "Perkap", "", "18", 2014,
     "Tata Cara Penerbitan SKCK"),
    ("Perka BPOM Nomor 7 Tahun 2018", "Perka", "BPOM", "7", 2018, ""),
    ("Peraturan Badan Pengawas Obat dan Makanan Nomor 7 Tahun 2018", "Peraturan Lembaga", "BPOM", "7", 2018, ""),
    ("SE MenPANRB Nomor 66 Tahun 2020", "SE", "PANRB", "66", 2020, ""),
    ("Surat Edaran Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 66 Tahun 2020",
     "SE", "PANRB", "66", 2020, ""),
    ("Pedoman MenPANRB Nomor 5 Tahun 2023", "Pedoman", "PANRB", "5", 2023, ""),
    ("TAP MPR Nomor XI/MPR/1998", "TAP MPR", "", "XI/MPR/1998", 1998, ""),
    ("UUD 1945", "UUD", "", "", 1945, ""),
    ("Undang-Undang Dasar Negara Republik Indonesia Tahun 1945", "UUD", "", "", 1945, ""),
]


@pytest.mark.parametrize("line,kind,issuer,number,year,title", HAND, ids=[h[0][:50] for h in HAND])
def test_reads_the_forms_units_use(line, kind, issuer, number, year, title):
    c = C.parse(line)
    assert (c.kind, c.issuer, c.number, c.year, c.title) == (kind, issuer, number, year, title)
    assert c.ok


def test_old_ministry_name_becomes_the_renamed_ministry_from_its_year():
    assert C.parse("Permenpan No. 36 Tahun 2012").issuer == "PANRB"
    assert C.parse("KepMenPAN Nomor 63 Tahun 2003").issuer == "PAN"


def test_rest_holds_gazette_tails_and_amendments():
    c = C.parse("Undang-Undang Nomor 23 Tahun 2006 tentang Administrasi Kependudukan (Lembaran Negara Republik "
                "Indonesia Tahun 2006 Nomor 124) sebagaimana telah diubah dengan Undang-Undang Nomor 24 Tahun 2013;")
    assert c.title == "Administrasi Kependudukan"
    assert c.rest.startswith("(Lembaran Negara") and "diubah dengan Undang-Undang Nomor 24 Tahun 2013" in c.rest


@pytest.mark.parametrize("line", [
    "Undang-undang Cipta Kerja", "Peraturan Bupati tentang Standar Pelayanan", "Surat Keputusan Camat",
    "ketentuan yang berlaku", "-", ""])
def test_lines_without_a_number_are_not_identified(line):
    assert not C.parse(line).ok


def test_arbitrary_text_never_breaks_the_reader():
    rng = random.Random(18)
    alphabet = "UUPPermenNomorTahun tentang/.;-()0123456789 aeiouRBPANdagri\t\n’"
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80)))
        c = C.parse(text)
        C.full_text(c), C.short(c), C.key(c)


# --- the year rule of the validator ---------------------------------------------------------

@pytest.mark.parametrize("line,expected", [
    ("Keputusan Menteri Kesehatan Nomor HK.01.07/Menkes/1186/2022 tentang Standar", True),
    ("Peraturan Menteri Pertanian Nomor 47/Permentan/KP.450/7/2012", True),
    ("UU 25/2009", True),
    ("Undang-Undang Dasar Negara Republik Indonesia Tahun 1945", True),
    ("Peraturan Menteri Dalam Negeri Nomor 4", False),
    ("Peraturan Bupati tentang Standar Pelayanan", False),
    ("KepMenPan No. 63/ Kep/ M.PAN/7/003", False),
])
def test_a_number_ending_in_a_year_counts_as_having_a_year(line, expected):
    assert C.cites_number_and_year(line) is expected


# --- writing in full ------------------------------------------------------------------------

@pytest.mark.parametrize("line,full", [
    ("UU No. 25 Tahun 2009 tentang Pelayanan Publik;", "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik"),
    ("Permenpan RB No 15 tahun 2014 tentang Pedoman Standar Pelayanan",
     "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 15 Tahun 2014 tentang "
     "Pedoman Standar Pelayanan"),
    ("Kepmenkes No. HK.01.07/Menkes/1186/2022 tentang Panduan",
     "Keputusan Menteri Kesehatan Nomor HK.01.07/Menkes/1186/2022 tentang Panduan"),
    ("PERATURAN DAERAH KOTA SALATIGA NOMOR 5 TAHUN 2011 TENTANG PENYELENGGARAAN PELAYANAN PUBLIK",
     "Peraturan Daerah Kota Salatiga Nomor 5 Tahun 2011 tentang Penyelenggaraan Pelayanan Publik"),
    ("Perkap No. 18 Tahun 2014",
     "Peraturan Kepala Kepolisian Negara Republik Indonesia Nomor 18 Tahun 2014"),
    ("Pasal 18 ayat (6) UUD 1945", "Pasal 18 ayat (6) Undang-Undang Dasar Negara Republik Indonesia Tahun 1945"),
    ("PMK Nomor 150/PMK.06/2014 tentang Perencanaan Kebutuhan BMN",
     "Peraturan Menteri Keuangan Nomor 150/PMK.06/2014 tentang Perencanaan Kebutuhan BMN"),
    ("Perka BKN No. 18 Tahun 2011", "Peraturan Kepala Badan Kepegawaian Negara Nomor 18 Tahun 2011"),
    ("UU No. 12 Tahun 2011 tentang PEMBENTUKAN PERATURAN PERUNDANG-UNDANGAN",
     "Undang-Undang Nomor 12 Tahun 2011 tentang Pembentukan Peraturan Perundang-Undangan"),
])
def test_full_text(line, full):
    assert C.full_text(C.parse(line)) == full


def test_short_forms_read_back_to_the_same_regulation():
    for line in ["Permenpan RB No 15 tahun 2014", "UU No. 36 Tahun 2009", "Perbup Sleman No. 12 Tahun 2020",
                 "Kepmenkes Nomor HK.01.07/Menkes/1186/2022", "Perka BKN Nomor 18 Tahun 2011"]:
        c = C.parse(line)
        assert C.key(C.parse(C.short(c))) == C.key(c), C.short(c)


def test_canonical_keeps_the_amendment_tail():
    line = "UU No. 12 Tahun 2011 tentang Pembentukan Peraturan Perundang-undangan sebagaimana telah diubah " \
           "dengan UU No. 15 Tahun 2019"
    assert C.canonical(line) == ("Undang-Undang Nomor 12 Tahun 2011 tentang Pembentukan Peraturan "
                                 "Perundang-undangan sebagaimana telah diubah dengan UU No. 15 Tahun 2019")
    assert C.canonical("Surat Keputusan Camat") == "Surat Keputusan Camat"


# --- the Mengingat --------------------------------------------------------------------------

FIVE_WAYS = [
    "1. Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik;",
    "UU No. 25 Tahun 2009 tentang Pelayanan Publik; dan",
    "UU 25/2009",
    "undang-undang no 25 tahun 2009 Pelayanan Publik.",
    "b. Undang Undang Republik Indonesia Nomor 25 Tahun 2009 tentang Pelayanan Publik ;",
]


def test_five_spellings_are_one_entry_in_full():
    entries = C.merge_mengingat(FIVE_WAYS)
    assert len(entries) == 1
    assert entries[0].text == "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik"
    assert [s.where for s in entries[0].sources] == [0, 1, 2, 3, 4]
    assert entries[0].conflict is None


def test_the_issue_case_two_services_of_one_kecamatan():
    service_a = [("a.yaml:10", "Undang-Undang No. 25 Tahun 2009 tentang Pelayanan Publik"),
                 ("a.yaml:11", "Peraturan Pemerintah No. 17 Tahun 2018 tentang Kecamatan"),
                 ("a.yaml:12", "Perbup Contoh Nomor 12 Tahun 2020 tentang Standar Pelayanan Kecamatan"),
                 ("a.yaml:13", "Perkap No. 18 Tahun 2014 tentang Tata Cara Penerbitan Surat Keterangan Catatan "
                               "Kepolisian")]
    service_b = [("b.yaml:9", "UU No. 25 Tahun 2009 tentang Pelayanan Publik"),
                 ("b.yaml:10", "PP No. 17 Tahun 2018 tentang Kecamatan"),
                 ("b.yaml:11", "Permenpan RB No 15 tahun 2014 tentang Pedoman Standar Pelayanan")]
    texts = [e.text for e in C.merge_mengingat(service_a + service_b)]
    assert texts == [
        "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik",
        "Peraturan Pemerintah Nomor 17 Tahun 2018 tentang Kecamatan",
        "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 15 Tahun 2014 tentang "
        "Pedoman Standar Pelayanan",
        "Peraturan Kepala Kepolisian Negara Republik Indonesia Nomor 18 Tahun 2014 tentang Tata Cara Penerbitan "
        "Surat Keterangan Catatan Kepolisian",
        "Peraturan Bupati Contoh Nomor 12 Tahun 2020 tentang Standar Pelayanan Kecamatan",
    ]


def test_hierarchy_order_of_uu_12_2011():
    lines = [
        "Kepmenkes Nomor HK.01.07/Menkes/1186/2022 tentang Panduan",
        "SE MenPANRB Nomor 66 Tahun 2020",
        "Perbup Sleman Nomor 12 Tahun 2020",
        "Pergub DIY Nomor 1 Tahun 2019",
        "Perka BKN Nomor 18 Tahun 2011",
        "Permendagri Nomor 4 Tahun 2010",
        "Perda Kabupaten Sleman Nomor 1 Tahun 2015",
        "Perda Provinsi Jawa Timur Nomor 8 Tahun 2011",
        "Perpres 76/2013",
        "PP 96/2012",
        "Perppu Nomor 2 Tahun 2022 tentang Cipta Kerja",
        "UU 25/2009",
        "UU 14/2008",
        "TAP MPR Nomor XI/MPR/1998",
        "Keppres Nomor 7 Tahun 2023",
        "Pasal 18 ayat (6) UUD 1945",
        "Surat Keputusan Camat tentang Tim",
    ]
    kinds = [e.citation.kind if e.citation else None for e in C.merge_mengingat(lines)]
    assert kinds == ["UUD", "TAP MPR", "UU", "UU", "Perppu", "PP", "Perpres", "Perda Provinsi",
                     "Perda Kabupaten/Kota", "Permen", "Perka", "Pergub", "Perbup", "Keppres", "Kepmen", "SE", None]
    years = [e.citation.year for e in C.merge_mengingat(lines)[2:4]]
    assert years == [2008, 2009]


def test_same_kind_and_year_ordered_by_number():
    texts = [e.citation.number for e in C.merge_mengingat(["PP 96/2012", "PP 5/2012", "PP 17/2012"])]
    assert texts == ["5", "17", "96"]


def test_different_titles_register_title_wins_and_both_lines_are_named():
    lines = [("a.yaml:3", "UU No. 25 Tahun 2009 tentang Pelayanan Umum"),
             ("b.yaml:4", "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik Indonesia")]
    entry, = C.merge_mengingat(lines, register=R.builtin())
    assert entry.text == "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik"
    assert entry.conflict is not None
    assert {entry.conflict.first.where, entry.conflict.second.where} == {"a.yaml:3", "b.yaml:4"}
    assert "Pelayanan Umum" in entry.conflict.message() and "Pelayanan Publik Indonesia" in entry.conflict.message()


def test_different_titles_without_register_the_longest_wins():
    entry, = C.merge_mengingat(["Perbup Sleman No. 3 Tahun 2020 tentang SP", "Perbup Sleman 3/2020 tentang "
                                "Standar Pelayanan Kecamatan"])
    assert entry.text.endswith("tentang Standar Pelayanan Kecamatan")
    assert entry.conflict.chosen == "Standar Pelayanan Kecamatan"


def test_unreadable_lines_are_kept_once_and_last():
    entries = C.merge_mengingat(["Surat Keputusan Camat tentang Tim", "UU 25/2009", "surat keputusan camat "
                                 "tentang tim;"])
    assert [e.text for e in entries] == ["Undang-Undang Nomor 25 Tahun 2009", "Surat Keputusan Camat tentang Tim"]
    assert entries[-1].citation is None and len(entries[-1].sources) == 2


def test_a_local_regulation_without_its_region_joins_the_one_that_names_it():
    entries = C.merge_mengingat(["Peraturan Bupati Nomor 12 Tahun 2020 tentang Standar Pelayanan",
                                 "Perbup Sleman No. 12 Tahun 2020 tentang Standar Pelayanan"])
    assert [e.text for e in entries] == ["Peraturan Bupati Sleman Nomor 12 Tahun 2020 tentang Standar Pelayanan"]


def test_pasal_pinpoints_are_kept_and_joined():
    entry, = C.merge_mengingat(["Pasal 18 ayat (6) UUD 1945", "Pasal 20 Undang-Undang Dasar Negara Republik "
                                "Indonesia Tahun 1945", "UUD 1945"])
    assert entry.text == "Pasal 18 ayat (6) dan Pasal 20 Undang-Undang Dasar Negara Republik Indonesia Tahun 1945"


def test_the_hierarchy_is_data():
    ranks = {k.code: k.rank for k in C.kinds()}
    assert ranks["UUD"] < ranks["TAP MPR"] < ranks["UU"] == ranks["Perppu"] < ranks["PP"] < ranks["Perpres"]
    assert ranks["Perpres"] < ranks["Perda Provinsi"] < ranks["Perda Kabupaten/Kota"] < ranks["Permen"]
    assert ranks["Permen"] < ranks["Perkap"] < ranks["Pergub"] < ranks["Perbup"] == ranks["Perwal"] < ranks["Kepmen"]


# --- the register ---------------------------------------------------------------------------

def test_builtin_register_loads_and_every_entry_has_a_source():
    reg = R.builtin()
    assert len(reg.entries) >= 40
    for regulation in reg.entries.values():
        assert regulation.sumber and regulation.judul and regulation.keyakinan in R.CONFIDENCE
        if regulation.keyakinan != "belum_diverifikasi":
            assert any(re.match(r"https?://", s) for s in regulation.sumber), regulation.id
        for ref in regulation.diubah_dengan + ((regulation.dicabut_dengan,) if regulation.dicabut_dengan else ()):
            assert reg.by_id(ref) is not None or regulation.alasan, (regulation.id, ref)


def test_broken_register_fails_with_every_problem_named():
    with pytest.raises(R.RegisterError) as caught:
        R.load_register(DATA / "peraturan-rusak.yaml")
    problems = "\n".join(caught.value.problems)
    assert "Perda Kabupaten Contoh 9/2023\" tidak ada dalam daftar" in problems
    assert "(Perbup Contoh 12/2020): tidak ada `sumber`" in problems
    assert "(Perbup Contoh 13/2020): `judul` kosong" in problems
    assert "(Perbup Contoh 13/2020): `status` harus salah satu dari berlaku, dicabut" in problems
    assert "(Perbup Contoh 13/2020): `keyakinan` harus" in problems
    assert "(peraturan tentang pelayanan): `id` harus menyebut jenis, nomor, dan tahun" in problems
    assert str(DATA / "peraturan-rusak.yaml") in problems
    assert "daftar peraturan tidak valid" in str(caught.value)


def test_register_in_memory_checks_references_and_status():
    data = {"peraturan": [{"id": "UU 99/2030", "judul": "Contoh", "status": "berlaku", "dicabut_dengan": "UU 1/2031",
                           "sumber": ["https://example.go.id"], "keyakinan": "tinggi", "warna": "merah"}]}
    with pytest.raises(R.RegisterError) as caught:
        R.load_register(data)
    text = "\n".join(caught.value.problems)
    assert "status berlaku tetapi ada `dicabut_dengan`" in text
    assert "kunci \"warna\" tidak dikenal" in text
    assert "\"UU 1/2031\" tidak ada dalam daftar" in text


def test_unreadable_pemda_register_is_a_register_error(tmp_path):
    missing = tmp_path / "peraturan.yaml"
    with pytest.raises(R.RegisterError):
        R.load_register(missing)


def test_pemda_register_is_merged_over_the_builtin_one():
    reg = R.load_register(DATA / "peraturan-pemda.yaml")
    assert reg.by_id("UU 25/2009").judul == "Pelayanan Publik"
    local = reg.by_id("Perda Kabupaten Contoh 3/2015")
    assert local.status == "dicabut" and local.asal.endswith("peraturan-pemda.yaml")
    finding, = reg.findings(C.parse("Peraturan Daerah Kabupaten Contoh Nomor 3 Tahun 2015 tentang Retribusi Jasa Umum"))
    assert finding.rule == R.RULE_REVOKED
    assert finding.message == ("Perda Kabupaten Contoh 3/2015 tentang Retribusi Jasa Umum telah dicabut dengan "
                               "Perda Kabupaten Contoh 9/2023 tentang Pajak Daerah dan Retribusi Daerah; "
                               "perbarui dasar hukum")


def test_pemda_register_can_correct_a_builtin_entry():
    data = {"peraturan": [{"id": "PermenPANRB 46/2020", "judul": "Road Map Sistem Pengelolaan Pengaduan Pelayanan "
                           "Publik Nasional Tahun 2020-2024", "status": "berlaku",
                           "sumber": ["https://jdih.contohkab.go.id/salinan-46-2020"], "keyakinan": "tinggi"}]}
    assert R.load_register(data).by_id("Permenpan RB 46/2020").keyakinan == "tinggi"
    assert R.builtin().by_id("Permenpan RB 46/2020").keyakinan == "rendah"


# --- findings -------------------------------------------------------------------------------

def test_revoked_regulation_is_named_with_its_replacement():
    finding, = R.findings(C.parse("Undang-Undang Nomor 36 Tahun 2009 tentang Kesehatan"))
    assert (finding.rule, finding.severity) == (R.RULE_REVOKED, "peringatan")
    assert finding.message == ("UU 36/2009 tentang Kesehatan telah dicabut dengan UU 17/2023 tentang Kesehatan; "
                               "perbarui dasar hukum")


def test_revoked_chain_is_followed_to_the_regulation_in_force():
    finding, = R.findings(C.parse("UU No. 11 Tahun 2020 tentang Cipta Kerja"))
    assert "dicabut dengan Perppu 2/2022 tentang Cipta Kerja, yang telah ditetapkan menjadi undang-undang " \
           "dengan UU 6/2023" in finding.message


def test_title_of_another_number_is_named():
    finding, = R.findings(C.parse("UU No. 5 Tahun 2009 tentang Pelayanan Publik"))
    assert finding.rule == R.RULE_TITLE
    assert finding.message == "Nomor 5 Tahun 2009 tentang Pelayanan Publik: yang berjudul 'Pelayanan Publik' adalah UU 25/2009"


def test_careless_title_of_the_right_number_is_not_a_mismatch():
    citation = C.parse("Peraturan Menteri Negara PAN RB Nomor 36 Tahun 2012 tentang Petunjuk Teknis Penyusunan "
                       "Penetapan dan Penerapan Standar Publik")
    assert [f.rule for f in R.findings(citation)] == [R.RULE_REVOKED]


def test_amended_regulation_cited_without_its_amendment_gets_a_note():
    finding, = R.findings(C.parse("Undang-Undang Nomor 23 Tahun 2006 tentang Administrasi Kependudukan"))
    assert (finding.rule, finding.severity) == (R.RULE_AMENDED, "catatan")
    assert "telah diubah dengan UU 24/2013" in finding.message
    assert ("sebagaimana telah diubah dengan Undang-Undang Nomor 24 Tahun 2013 tentang Perubahan atas "
            "Undang-Undang Nomor 23 Tahun 2006 tentang Administrasi Kependudukan") in finding.message


def test_amended_several_times_names_the_latest():
    finding, = R.findings(C.parse("UU No. 11 Tahun 2008 tentang Informasi dan Transaksi Elektronik"))
    assert "telah beberapa kali diubah, terakhir dengan UU 1/2024" in finding.message


def test_amendment_cited_in_the_line_or_on_its_own_line_is_enough():
    with_tail = C.parse("UU 23/2006 tentang Administrasi Kependudukan sebagaimana telah diubah dengan UU 24/2013")
    assert R.findings(with_tail) == []
    pair = ["UU 23/2006 tentang Administrasi Kependudukan",
            "UU 24/2013 tentang Perubahan atas Undang-Undang Nomor 23 Tahun 2006 tentang Administrasi Kependudukan"]
    assert R.findings_for_lines(pair) == []


def test_unverified_revocation_is_only_a_note():
    finding, = R.findings(C.parse("PP Nomor 24 Tahun 2018"))
    assert finding.severity == "catatan" and "belum diverifikasi" in finding.message
    assert "PP 28/2025" in finding.message


def test_regulations_in_force_and_unknown_ones_give_no_findings():
    for line in ["UU No. 25 Tahun 2009 tentang Pelayanan Publik", "UU 17/2023 tentang Kesehatan",
                 "Perbup Sleman No. 12 Tahun 2020 tentang Standar Pelayanan", "Surat Keputusan Camat"]:
        assert R.findings(C.parse(line)) == [], line


def test_status_of():
    status = R.status_of(C.parse("PP 5/2021"))
    assert status.state == "dicabut" and [r.id for r in status.replaced_by] == ["PP 28/2025"]
    assert R.status_of(C.parse("UU 25/2009")).state == "berlaku"
    assert R.status_of(C.parse("Perbup Sleman 1/2020")).state == "tidak_dikenal"


def test_findings_for_lines_reports_the_line_index():
    found = R.findings_for_lines(["UU 25/2009 tentang Pelayanan Publik", "UU No. 44 Tahun 2009 tentang Rumah Sakit"])
    assert [(n, f.rule) for n, f in found] == [(1, R.RULE_REVOKED)]


def test_a_regional_heads_regulation_is_one_whatever_the_level_word():
    assert C.key(C.parse("Peraturan Bupati Kabupaten Sleman Nomor 1 Tahun 2020")) == C.key(C.parse("Perbup Sleman 1/2020"))
    assert C.key(C.parse("Perda Kota Bogor 1/2020")) != C.key(C.parse("Perda Kabupaten Bogor 1/2020"))


def test_the_register_completes_a_citation_written_without_its_title():
    entry, = C.merge_mengingat(["UU 25/2009"], register=R.builtin())
    assert entry.text == "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik"
    assert entry.conflict is None


def test_pemda_register_read_with_the_callers_yaml_reader(tmp_path):
    path = tmp_path / "peraturan.yaml"
    path.write_text((DATA / "peraturan-pemda.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    reg = R.load_register(path, parse_yaml=lambda text: YAML(typ="safe").load(text))
    assert reg.by_id("Perbup Contoh 12/2020").alasan
    note, = reg.findings(C.parse("Peraturan Bupati Contoh Nomor 12 Tahun 2020 tentang Standar Pelayanan Kecamatan"))
    assert note.rule == R.RULE_AMENDED and "Perbup Contoh 4/2024" in note.message
    assert "sebagaimana telah diubah dengan Peraturan Bupati Contoh Nomor 4 Tahun 2024" in note.message
