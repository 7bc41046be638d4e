"""`sp-builder instrumen [ID]`: the shipped instruments, and one in full, as text and JSON."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from sp_builder import cli
from sp_builder.assessment.listing import catalogue, catalogue_text, describe, describe_text
from sp_builder.instrument import load_instrument

DIR = Path(__file__).parents[1] / "schemas" / "instrumen"
# Issue 20: indicator weights in percent of the aspect, aspects 1–6
WEIGHTS = [[17, 14, 7, 14, 10, 17, 7, 7, 7], [10, 20, 20, 20, 30], [15, 23, 20, 20, 11, 11],
           [30, 20, 20, 30], [20, 25, 25, 30], [50, 50]]


def _run(*args: str):
    return CliRunner().invoke(cli.main, ["instrumen", *args])


def test_the_list_marks_the_default_and_names_each_form():
    data = catalogue()
    assert data["bawaan"] == "pekppp-2023"
    assert [e["id"] for e in data["instrumen"]] == [
        "pekppp-2023", "pekppp-2023-setara", "permenpanrb-17-2017", "transisi-2022-a", "transisi-2022-b", "f03-2023"]
    by_id = {e["id"]: e for e in data["instrumen"]}
    assert [e["id"] for e in data["instrumen"] if e["bawaan"]] == ["pekppp-2023"]
    assert {k: by_id["f03-2023"][k] for k in ("formulir", "indikator")} == {"formulir": "F-03", "indikator": 14}
    assert (by_id["pekppp-2023"]["indikator"], by_id["pekppp-2023"]["nilai_aspek"]) == (30, "tertimbang")
    assert by_id["transisi-2022-b"]["indikator"] == 29
    text = catalogue_text(data)
    lines = text.splitlines()
    assert lines[0].startswith("INSTRUMEN PENILAIAN BAWAAN (* = bawaan")
    assert lines[1].startswith("  * pekppp-2023          F-02  30 indikator  Instrumen PEKPPP")
    assert lines[4].startswith("    transisi-2022-a      F-02  30 indikator  Instrumen transisi PEKPPP")
    assert lines[6].startswith("    f03-2023             F-03  14 butir      F-03 Kode A")
    assert "Formulir F-03 adalah kuesioner pengguna layanan, bukan instrumen untuk evaluasi.yaml." in text


def test_one_instrument_as_data_weights_options_and_evidence():
    data = describe(load_instrument("pekppp-2023"))
    assert (data["id"], data["formulir"], data["bawaan"], data["nilai_aspek"]) == ("pekppp-2023", "F-02", True,
                                                                                  "tertimbang")
    assert [a["bobot_persen"] for a in data["aspek"]] == [24, 25, 18, 11, 10, 12]
    for aspect, expected in zip(data["aspek"], WEIGHTS):
        assert [round(i["bobot_dalam_aspek"] * 100, 6) for i in aspect["indikator"]] == expected
        assert [i["bobot_persen"] for i in aspect["indikator"]] == expected
    indicators = {i["id"]: i for a in data["aspek"] for i in a["indikator"]}
    assert sum(Decimal(str(i["bobot_dalam_indeks"])) for i in indicators.values()) == 1
    first = indicators["1.a.Ak"]
    assert (first["bobot_dalam_indeks"], first["bobot_keyakinan"], first["dari_berkas"]) == (0.0408, "M+", "sp_tersedia")
    assert [(o["kode"], o["nilai"]) for o in first["opsi"]] == [(str(n), n) for n in range(6)]
    assert first["opsi"][3]["teks"] == "Tersedia SP yang memenuhi 14 komponen dan dilakukan penetapan."
    assert {"teks": "Berita Acara pelibatan masyarakat dalam penyusunan SP (FKP)", "keyakinan": "H",
            "dihasilkan": "berita_acara_fkp", "bahan": None, "berkas": "fkp/<fkp>/berita-acara.docx"} in first["bukti"]
    assert {"teks": "Notulensi pelibatan masyarakat", "keyakinan": "M", "dihasilkan": None, "bahan": None,
            "berkas": None} in first["bukti"]
    assert data["kategori"][-1] == {"kode": "A", "nama": "Pelayanan Prima", "min": 4.51, "max": 5.0, "zona": "Hijau"}
    assert data["keluaran"]["laporan_skm"]["berkas"] == "skm/laporan-skm.docx"


def test_the_equal_variant_shows_equal_weights():
    data = describe(load_instrument("pekppp-2023-setara"))
    first = data["aspek"][0]["indikator"][0]
    assert (first["bobot_dalam_aspek"], first["bobot_persen"], first["bobot_dalam_indeks"]) == (0.1111, None, 0.026667)
    assert not data["bawaan"]


def test_one_instrument_as_text():
    text = describe_text(load_instrument("pekppp-2023"))
    lines = text.splitlines()
    assert lines[:3] == ["INSTRUMEN pekppp-2023 (bawaan)",
                         "Nama: " + load_instrument("pekppp-2023").nama, "Formulir: F-02, 30 indikator"]
    assert "Nilai aspek: rata-rata tertimbang menurut bobot indikator; skala 0–5" in lines
    assert "ASPEK 6. Inovasi Pelayanan Publik — bobot 12%" in lines
    at = lines.index("  [14.b.K] Tersedia pelaksana yang menerapkan budaya pelayanan")
    assert lines[at + 1] == "      bobot 30% dari aspek, 7,5% dari indeks; keyakinan bobot M+"
    assert lines[at + 2] == "      opsi (kode: teks → nilai):"
    assert "        · Berita Acara pelibatan masyarakat dalam penyusunan SP (FKP) (keyakinan H) — dibuat sp-builder: " \
           "fkp/<fkp>/berita-acara.docx" in lines
    assert "  A-  Sangat Baik              4,01–4,50 (Hijau)" in lines
    old = describe_text(load_instrument("transisi-2022-a"))
    assert "      bobot 11,11% dari aspek, 2,67% dari indeks" in old and "bukti dukung:" not in old


def test_cli_lists_shows_and_refuses():
    listed = _run()
    assert listed.exit_code == 0 and "  * pekppp-2023 " in listed.output
    shown = _run("pekppp-2023-setara", "--format", "json")
    assert shown.exit_code == 0 and json.loads(shown.output)["id"] == "pekppp-2023-setara"
    assert json.loads(_run("--format", "json").output)["bawaan"] == "pekppp-2023"
    form = _run("f03-2023")  # the questionnaire can be read here, though not answered in evaluasi.yaml
    assert form.exit_code == 0 and "Formulir: F-03, 14 butir" in form.output
    by_path = _run(str(DIR / "transisi-2022-a.json"))
    assert by_path.exit_code == 0 and by_path.output.startswith("INSTRUMEN transisi-2022-a\n")
    unknown = _run("tahun-2099")
    assert unknown.exit_code == 2 and 'galat: instrumen "tahun-2099" tidak dikenal' in unknown.output


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_every_shipped_instrument_can_be_shown(fmt):
    for entry in catalogue()["instrumen"]:
        result = _run(entry["id"], "--format", fmt)
        assert result.exit_code == 0, (entry["id"], result.output)
