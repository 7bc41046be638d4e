"""The current PEKPPP instrument as data (issue 20): pekppp-2023 (weighted), pekppp-2023-setara (equal
weights) and the service users' form f03-2023. Checks the files themselves, then that today's loader
reads them and scores known answers computed by hand."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from sp_builder.errors import UserError
from sp_builder.instrument import DERIVATIONS, ROLES, available, load_instrument, shipped

DIR = Path(__file__).parents[1] / "schemas" / "instrumen"
NEW = ("pekppp-2023", "pekppp-2023-setara", "f03-2023")
# What sp-builder writes that can be (`dihasilkan`) or become (`bahan`) evidence; see keluaran_sp_builder.
OUTPUT_KINDS = {"sp", "sk_penetapan", "maklumat", "berita_acara_fkp", "daftar_hadir_fkp", "undangan_fkp",
                "dokumentasi_fkp", "laporan_skm", "halaman_publikasi"}
CONFIDENCE = {"H", "M+", "M", "L"}
# Issue 20 / PEKPPP.md §2a: percent of the aspect, indicators 1–30 in order; aspect weights in percent.
WEIGHTS = [[17, 14, 7, 14, 10, 17, 7, 7, 7], [10, 20, 20, 20, 30], [15, 23, 20, 20, 11, 11],
           [30, 20, 20, 30], [20, 25, 25, 30], [50, 50]]
ASPECTS = [24, 25, 18, 11, 10, 12]


def data(name: str) -> dict:
    return json.loads((DIR / f"{name}.json").read_text(encoding="utf-8"))


def indicators(d: dict) -> list[dict]:
    return [i for a in d["aspek"] for i in a["indikator"]]


def test_weighted_figures_are_the_issue_s_and_add_up():
    d = data("pekppp-2023")
    assert d["nilai_aspek"] == "tertimbang"
    assert [a["bobot_persen"] for a in d["aspek"]] == ASPECTS and sum(ASPECTS) == 100
    assert sum(a["bobot"] for a in d["aspek"]) == pytest.approx(1)
    for aspect, expected in zip(d["aspek"], WEIGHTS):
        assert [i["bobot_persen"] for i in aspect["indikator"]] == expected
        assert sum(i["bobot_persen"] for i in aspect["indikator"]) == 100
        assert sum(Decimal(str(i["bobot"])) for i in aspect["indikator"]) == 1
        for ind in aspect["indikator"]:
            assert Decimal(str(ind["bobot"])) * 100 == ind["bobot_persen"]
            assert ind["bobot_keyakinan"] in CONFIDENCE and ind["bobot_sumber"]
    assert [i["nomor"] for i in indicators(d)] == list(range(1, 31))
    (queue,) = d["tambahan"]
    assert queue["bobot"] == 0 and queue["bobot_persen"] == 0 and queue["nomor"] == 31


def test_weight_confidence_follows_the_sources():
    # yusharnadi gives weights for 1–17 only: there two implementations agree (M+), elsewhere one (M)
    marks = {i["nomor"]: i["bobot_keyakinan"] for i in indicators(data("pekppp-2023"))}
    assert all(marks[n] == "M+" for n in range(1, 18)) and all(marks[n] == "M" for n in range(18, 31))


def test_equal_variant_is_the_same_instrument_with_equal_weights():
    w, e = data("pekppp-2023"), data("pekppp-2023-setara")
    assert e["nilai_aspek"] == "rata_rata" and e["varian"]["varian_dari"] == "pekppp-2023"
    assert [a["bobot"] for a in e["aspek"]] == [a["bobot"] for a in w["aspek"]]
    assert sum(a["bobot_persen"] for a in e["aspek"]) == 100
    for aspect in e["aspek"]:
        assert all(i["bobot"] is None for i in aspect["indikator"])
        assert sum(i["bobot_alternatif"]["tertimbang_persen"] for i in aspect["indikator"]) == 100
    same = ("id", "nomor", "teks", "opsi", "bukti", "peran", "dari_berkas")
    assert [{k: i.get(k) for k in same} for i in indicators(e)] == [{k: i.get(k) for k in same} for i in indicators(w)]
    assert e["tambahan"] == w["tambahan"] and e["kategori"] == w["kategori"]


@pytest.mark.parametrize("name", ["pekppp-2023", "pekppp-2023-setara"])
def test_every_indicator_names_its_evidence(name):
    d = data(name)
    assert set(d["keluaran_sp_builder"]) == OUTPUT_KINDS
    for ind in indicators(d) + d["tambahan"]:
        assert len(ind["bukti"]) >= 1, ind["id"]
        for item in ind["bukti"]:
            assert item["teks"].strip() and item["sumber"] and item["keyakinan"] in CONFIDENCE
            for key in ("dihasilkan", "bahan"):
                assert item.get(key, "sp") in OUTPUT_KINDS, (ind["id"], item)
    tagged = {i["id"]: {b["dihasilkan"] for b in i["bukti"] if "dihasilkan" in b} for i in indicators(d)}
    assert {"sp", "sk_penetapan", "berita_acara_fkp"} <= tagged["1.a.Ak"]
    assert tagged["5.a.K"] == {"maklumat"} and tagged["6.a.B"] == {"laporan_skm"}


@pytest.mark.parametrize("name", ["pekppp-2023", "pekppp-2023-setara"])
def test_codes_and_roles_that_check_looks_up_are_kept(name):
    old = {i["id"]: (i.get("peran"), i.get("dari_berkas")) for i in indicators(data("transisi-2022-a"))}
    new = {i["id"]: (i.get("peran"), i.get("dari_berkas")) for i in indicators(data(name))}
    assert new == old
    assert {p for p, _ in new.values() if p} <= set(ROLES)
    assert {f for _, f in new.values() if f} <= set(DERIVATIONS)


def test_f03_has_fourteen_items_scored_0_to_5_and_the_blend_is_marked_third_party():
    d = data("f03-2023")
    assert d["formulir"] == "F-03" and d["skala"]["min"] == 0 and d["skala"]["max"] == 5
    items = indicators(d)
    assert len(items) == 14 and len({i["id"] for i in items}) == 14 and len({i["kunci"] for i in items}) == 14
    assert [len(a["indikator"]) for a in d["aspek"]] == [4, 3, 4, 2, 1]
    for item in items:
        assert item["id"] and item["teks"].strip()
        assert [o["nilai"] for o in item["opsi"]] == [0, 1, 2, 3, 4, 5]
    for ipp in (d["ipp"], data("pekppp-2023")["ipp"]):
        assert (ipp["bobot_f02"], ipp["bobot_f03"]) == (0.75, 0.25)
        assert "pihak ketiga" in ipp["jenis_sumber"] and ipp["keyakinan"] == "M"


# --- today's loader reads the new files unchanged ----------------------------------------------

@pytest.mark.parametrize("name", NEW)
def test_the_existing_loader_accepts_the_file(name):
    form = "F-03" if name.startswith("f03") else "F-02"  # an F-03 form is read only when asked for
    by_path = load_instrument(str(DIR / f"{name}.json"), formulir=form)
    assert by_path.id == name and load_instrument(name, formulir=form).id == name
    assert by_path.formulir == form
    assert load_instrument(name, formulir=form).category(Decimal("4.51")).kode == "A"


def test_f03_forms_are_not_listed_or_loaded_as_f02_instruments(tmp_path):
    assert available() == ["pekppp-2023", "pekppp-2023-setara", "permenpanrb-17-2017", "transisi-2022-a",
                           "transisi-2022-b"]
    assert available("F-03") == ["f03-2023"] and "f03-2023" in shipped()
    with pytest.raises(UserError) as exc:
        load_instrument("f03-2023")
    assert 'instrumen "f03-2023" adalah formulir F-03 (kuesioner penilaian oleh pengguna layanan)' in str(exc.value)
    assert "pilih salah satu: pekppp-2023, pekppp-2023-setara" in str(exc.value)
    own = tmp_path / "kuesioner.json"
    own.write_text((DIR / "f03-2023.json").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(UserError, match="adalah formulir F-03"):
        load_instrument(str(own))


def test_check_refuses_an_f03_id_with_a_clear_message(unit):
    from click.testing import CliRunner

    from sp_builder import cli

    result = CliRunner().invoke(cli.main, ["check", str(unit), "--instrumen", "f03-2023"])
    assert result.exit_code == 2, result.output
    assert 'galat: instrumen "f03-2023" adalah formulir F-03' in result.output


def _index(name: str, scores: dict[str, int]) -> Decimal:
    inst = load_instrument(str(DIR / f"{name}.json"), formulir=None)
    return sum(Decimal(str(a.bobot)) * inst.aspect_value(a, scores) for a in inst.aspek)


def test_known_answers_weighted_and_equal():
    ids = [i["id"] for i in indicators(data("pekppp-2023"))]
    assert _index("pekppp-2023", {i: 5 for i in ids}) == 5
    assert _index("pekppp-2023-setara", {i: 5 for i in ids}) == 5
    scores = {i: 3 for i in ids} | {"1.a.Ak": 5, "29.f.B": 0}
    # weighted: aspect 1 = (5·17 + 3·83)/100 = 3,34; aspect 6 = (0·50 + 3·50)/100 = 1,5; the rest 3
    weighted = Decimal("0.24") * Decimal("3.34") + (Decimal("0.25") + Decimal("0.18") + Decimal("0.11")
                                                    + Decimal("0.10")) * 3 + Decimal("0.12") * Decimal("1.5")
    assert weighted == Decimal("2.9016") and _index("pekppp-2023", scores) == weighted
    # equal: aspect 1 = (5 + 3·8)/9 = 29/9
    equal = _index("pekppp-2023-setara", scores)
    assert abs(equal - (Decimal("0.24") * 29 / 9 + Decimal("1.92") + Decimal("0.18"))) < Decimal("1e-20")
    assert load_instrument("pekppp-2023").category(weighted).kode == "C"


def test_ipp_blend_by_hand():
    d = data("f03-2023")
    answers = {i["id"]: 4 for i in indicators(d)} | {"15.e.K": 2}
    f03 = _index("f03-2023", answers)  # mean of 5 aspect means: (4+4+4+4+2)/5
    assert f03 == Decimal("3.6")
    ipp = Decimal(str(d["ipp"]["bobot_f02"])) * Decimal("4.00") + Decimal(str(d["ipp"]["bobot_f03"])) * f03
    assert ipp == Decimal("3.9")


# --- the new fields as read, and the checks on them (a broken copy → the message naming the place) ---

def test_new_fields_are_read():
    inst = load_instrument("pekppp-2023")
    first = inst.indicators["1.a.Ak"]
    assert (first.bobot, first.bobot_persen, first.bobot_keyakinan) == (0.17, 17, "M+")
    assert first.bukti[0].teks == "Daftar jenis pelayanan yang diselenggarakan unit"
    assert (first.bukti[0].dihasilkan, first.bukti[0].bahan, first.bukti[0].keyakinan) == (None, "halaman_publikasi", "H")
    assert [b.dihasilkan for b in first.bukti[1:4]] == ["sp", "sk_penetapan", "berita_acara_fkp"]
    assert inst.formulir == "F-02" and set(inst.keluaran) == OUTPUT_KINDS
    assert inst.keluaran["berita_acara_fkp"].berkas == "fkp/<fkp>/berita-acara.docx"
    old = load_instrument("transisi-2022-a")  # the 2022 files have none of the new fields and stay valid
    assert old.formulir == "F-02" and old.keluaran == {} and old.indicators["1.a.Ak"].bukti == ()


def _broken(tmp_path, change) -> str:
    d = data("pekppp-2023")
    change(d)
    path = tmp_path / "rusak.json"
    path.write_text(json.dumps(d), encoding="utf-8")
    with pytest.raises(UserError) as exc:
        load_instrument(str(path))
    return str(exc.value)


def test_an_evidence_tag_must_be_an_output_of_keluaran_sp_builder(tmp_path):
    def change(d):
        d["aspek"][0]["indikator"][0]["bukti"][3]["dihasilkan"] = "berita_acara"
        d["tambahan"][0]["bukti"][0]["bahan"] = "foto"
    message = _broken(tmp_path, change)
    assert 'aspek[0].indikator[0].bukti[3].dihasilkan (indikator "1.a.Ak"): "berita_acara" bukan kunci ' \
           "keluaran_sp_builder (sp, sk_penetapan, maklumat," in message
    assert 'tambahan[0].bukti[0].bahan (indikator "tambahan"): "foto" bukan kunci' in message
    assert message.startswith("rusak.json") or "rusak.json" in message.splitlines()[0]
    message = _broken(tmp_path, lambda d: d.pop("keluaran_sp_builder"))
    assert "bukan kunci keluaran_sp_builder (tidak ada: kunci keluaran_sp_builder belum ditulis)" in message


def test_an_output_entry_has_the_shape_of_an_output(tmp_path):
    message = _broken(tmp_path, lambda d: d["keluaran_sp_builder"]["sp"].pop("berkas"))
    assert 'kunci "keluaran_sp_builder.sp.berkas" wajib ada' in message


def test_percent_weights_add_up_to_100_per_aspect(tmp_path):
    def change(d):
        d["aspek"][1]["indikator"][0]["bobot_persen"] = 15  # 15 + 20 + 20 + 20 + 30
        d["aspek"][1]["indikator"][0]["bobot"] = 0.15
    message = _broken(tmp_path, change)
    assert 'aspek[1].indikator[*].bobot_persen berjumlah 105 untuk aspek "Profesionalisme SDM", seharusnya 100' \
        in message
    message = _broken(tmp_path, lambda d: d["aspek"][2]["indikator"][3].pop("bobot_persen"))
    assert "aspek[2].indikator[3].bobot_persen tidak ada, padahal indikator lain" in message
    message = _broken(tmp_path, lambda d: d["aspek"][0]["indikator"][1].update(bobot_persen=12, bobot=0.14))
    assert 'aspek[0].indikator[1] (indikator "2.a.P"): bobot 0,14 tidak sama dengan bobot_persen 12 / 100' in message
    message = _broken(tmp_path, lambda d: d["aspek"][5].update(bobot_persen=13))
    assert "jumlah aspek[*].bobot_persen 101, seharusnya 100" in message
    assert "aspek[5]: bobot_persen 13 tidak sama dengan bobot 0,12 × 100" in message


def test_a_weighted_instrument_weighs_every_indicator(tmp_path):
    def change(d):
        d["aspek"][3]["indikator"][2]["bobot"] = None
        del d["aspek"][3]["indikator"][2]["bobot_persen"]
        for ind in d["aspek"][3]["indikator"]:
            ind.pop("bobot_persen", None)
    message = _broken(tmp_path, change)
    assert 'aspek[3].indikator[2].bobot (indikator "23.d.As") kosong atau null, padahal nilai_aspek "tertimbang"' \
        in message


def test_evidence_items_have_their_shape(tmp_path):
    message = _broken(tmp_path, lambda d: d["aspek"][0]["indikator"][5]["bukti"][0].update(teks=""))
    assert "aspek[0].indikator[5].bukti[0].teks harus berupa teks yang tidak kosong" in message
