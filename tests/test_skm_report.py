"""The SKM report views: the Word report read back with python-docx, the JSON data, the text
summary, the bar chart, and `sp-builder skm --format docx` inside a unit folder."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from PIL import Image

from sp_builder.unit.validate import owning_unit
from sp_builder import cli
from sp_builder.survey import skm, report as skm_report
from sp_builder.unit.model import Unit

DATA = Path(__file__).parent / "data"
TODAY = dt.date(2026, 11, 23)

# Two services, two semesters. Hand-computed:
#   U1 (4+3+2+4)/4 = 13/4   U2 (4+3+2+3)/4 = 3     U3 (3+3+1+3)/4 = 5/2   U4 4
#   U5 (4+3+3+3)/4 = 13/4   U6 (4+3+3)/3 = 10/3    U7 (2+2+1+2)/4 = 7/4   U8 (3+3+2+3)/4 = 11/4
#   U9 (4+4+3+3)/4 = 7/2
#   ΣNRR = (39 + 36 + 30 + 48 + 39 + 40 + 21 + 33 + 42)/12 = 328/12 = 82/3; IKM = 82/27 = 3,0370
#   ×25 = 75,925… → 75,93 (C); 0,111: 82/3 × 0,111 × 25 = 75,85; 0,11: 75,166… → 75,17 (both C)
#   lowest: U7 7/4 (43,75), U3 5/2 (62,50), U8 11/4 (68,75)
SURVEY = """tanggal,layanan,jenis_kelamin,umur,pendidikan,pekerjaan,U1,U2,U3,U4,U5,U6,U7,U8,U9
2025-02-10,ktp-el,L,25,SMA,Wiraswasta,4,4,3,4,4,4,2,3,4
2025-03-11,ktp-el,P,44,S1,PNS,3,3,3,4,3,3,2,3,4
2025-08-12,kartu-keluarga,P,61,SMA,Wiraswasta,2,2,1,4,3,,1,2,3
2025-09-13,kartu-keluarga,L,19,SD,Pelajar,4,3,3,4,3,3,2,3,3
"""


@pytest.fixture
def survey(tmp_path) -> Path:
    path = tmp_path / "skm.csv"
    path.write_text(SURVEY, encoding="utf-8")
    return path


@pytest.fixture
def result(survey):
    found, issues = skm.analyse([survey], populasi=100, today=TODAY)
    assert not any(i.is_error for i in issues)
    return found


@pytest.fixture
def unit(tmp_path) -> Path:
    root = tmp_path / "unit"
    (root / "skm").mkdir(parents=True)
    for name in ("unit.yaml", "logo.png"):
        shutil.copy(DATA / "unit-valid" / name, root / name)
    (root / "skm" / "2025.csv").write_text(SURVEY, encoding="utf-8")
    return root


def cells(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def table_headed(document, first_header: str):
    return next(t for t in document.tables if t.rows[0].cells[0].text == first_header)


def test_hand_computed_fixture(result):
    assert str(result.ikm.ikm) == "82/27"
    assert str(result.ikm.nilai) == "75.93"


def test_docx_report_content(result):
    document = docx.Document(io.BytesIO(skm_report.as_docx(result)))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "LAPORAN HASIL SURVEI KEPUASAN MASYARAKAT"
    assert texts[1] == "10 Februari 2025 – 13 September 2025"
    assert "Jumlah responden: 4 orang (10 Februari 2025 – 13 September 2025)." in texts
    assert ("Populasi 100 orang; sampel minimum 80 responden (Krejcie dan Morgan, taraf kesalahan 5%); "
            "terkumpul 4 responden — kurang dari sampel minimum.") in texts
    assert "Catatan: Dengan bobot 0,111 (bukan 1/9) nilai IKM tercetak 75,85, bukan 75,93; mutu tetap C." in texts
    assert "Catatan: Dengan bobot 0,11 (bukan 1/9) nilai IKM tercetak 75,17, bukan 75,93; mutu tetap C." in texts

    assert cells(table_headed(document, "Nilai interval (1–4)"))[1:] == [
        ["3,5324 – 4,00", "88,31 – 100,00", "A", "Sangat baik"],
        ["3,0644 – 3,532", "76,61 – 88,30", "B", "Baik"],
        ["2,60 – 3,064", "65,00 – 76,60", "C", "Kurang baik"],
        ["1,00 – 2,5996", "25,00 – 64,99", "D", "Tidak baik"],
    ]
    assert cells(table_headed(document, "Jenis kelamin")) == [
        ["Jenis kelamin", "Jumlah", "Persentase"], ["Laki-laki", "2", "50,00%"], ["Perempuan", "2", "50,00%"]]
    assert cells(table_headed(document, "Umur"))[1:] == [
        ["Sampai 20 tahun", "1", "25,00%"], ["21–30 tahun", "1", "25,00%"],
        ["41–50 tahun", "1", "25,00%"], ["Di atas 50 tahun", "1", "25,00%"]]

    unsur = cells(table_headed(document, "Kode"))
    assert unsur[0] == ["Kode", "Unsur", "Responden", "NRR", "Nilai", "Mutu"]
    assert unsur[1] == ["U1", "Persyaratan", "4", "3,25", "81,25", "B"]
    assert unsur[6] == ["U6", "Kompetensi pelaksana", "3", "3,33", "83,33", "B"]
    assert unsur[7] == ["U7", "Perilaku pelaksana", "4", "1,75", "43,75", "D"]
    assert len(unsur) == 10

    assert cells(table_headed(document, "Ukuran"))[1:] == [
        ["IKM (1–4)", "3,0370"], ["Nilai IKM (25–100)", "75,93"], ["Mutu pelayanan", "C"],
        ["Kinerja unit pelayanan", "Kurang baik"]]
    # ktp-el: ΣNRR = 7/2+7/2+3+4+7/2+7/2+2+3+4 = 30 → 30/9 × 25 = 83,33
    # kartu-keluarga: 3+5/2+2+4+3+3+3/2+5/2+3 = 49/2 → 49/18 × 25 = 68,06
    assert cells(table_headed(document, "Layanan"))[1:] == [
        ["kartu-keluarga", "2", "68,06", "C", "Kurang baik"], ["ktp-el", "2", "83,33", "B", "Baik"]]
    assert cells(table_headed(document, "Periode"))[1:] == [
        ["Semester I 2025", "2", "83,33", "B", "Baik"], ["Semester II 2025", "2", "68,06", "C", "Kurang baik"]]

    plan = cells(table_headed(document, "No"))
    assert plan == [
        ["No", "Unsur", "Nilai", "Komponen SP yang ditinjau", "Kegiatan", "Waktu", "Penanggung jawab"],
        ["1", "Perilaku pelaksana", "43,75", "Maklumat Pelayanan dan Jaminan Pelayanan", "", "", ""],
        ["2", "Waktu penyelesaian", "62,50", "Jangka Waktu Pelayanan", "", "", ""],
        ["3", "Penanganan pengaduan, saran dan masukan", "68,75", "Penanganan Pengaduan, Saran, dan Masukan",
         "", "", ""],
    ]
    assert ("1. Perilaku pelaksana (U7): nilai 43,75, mutu D; komponen standar pelayanan yang ditinjau: "
            "Maklumat Pelayanan dan Jaminan Pelayanan.") in texts


def test_docx_holds_the_chart(result):
    document = docx.Document(io.BytesIO(skm_report.as_docx(result)))
    assert len(document.inline_shapes) == 1
    blob = document.inline_shapes[0]._inline.graphic.graphicData.pic.blipFill.blip.embed
    image = Image.open(io.BytesIO(document.part.related_parts[blob].blob))
    assert (image.format, image.size) == ("PNG", (1600, 800))


def test_chart_bar_heights_follow_the_values(result):
    image = Image.open(io.BytesIO(skm_report.chart_png(result.ikm))).convert("RGB")
    slot = (1600 - 110 - 40) / 9

    def bar_top(n: int) -> int:
        x = int(110 + (n + 0.5) * slot)
        return next(y for y in range(800) if image.getpixel((x, y)) in skm_report._BAND_COLOURS.values())

    # U4 (100,00) is taller than U1 (81,25), which is taller than U7 (43,75)
    assert bar_top(3) < bar_top(0) < bar_top(6)
    assert image.getpixel((int(110 + 6.5 * slot), bar_top(6) + 5)) == skm_report._BAND_COLOURS["D"]


def test_docx_is_deterministic(result):
    assert skm_report.as_docx(result) == skm_report.as_docx(result)


def test_docx_with_kop_and_signature(result, unit):
    found = owning_unit([unit / "skm" / "2025.csv"])
    assert isinstance(found, Unit) and found.root == unit.resolve()
    document = docx.Document(io.BytesIO(skm_report.as_docx(result, found)))
    kop = document.tables[0]
    kop_text = kop.rows[0].cells[1].text
    assert "PEMERINTAH KOTA UJI" in kop_text and "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL" in kop_text
    texts = [p.text for p in document.paragraphs]
    assert "Dinas Kependudukan dan Pencatatan Sipil – 10 Februari 2025 – 13 September 2025" in texts
    assert "Dra. Sri Wahyuni, M.Si." in texts
    assert "NIP. 19750512 200003 2 004" in texts
    assert len(document.inline_shapes) == 2  # logo and chart


def test_unit_is_not_guessed_outside_a_unit_folder(survey, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert owning_unit([survey]) is None


def test_a_unit_yaml_with_errors_heads_no_report(unit, monkeypatch, tmp_path):
    """The kop comes from a validated unit.yaml: a NIP written as a number is refused here too."""
    monkeypatch.chdir(tmp_path)
    head = unit / "unit.yaml"
    head.write_text(head.read_text(encoding="utf-8").replace('nip: "19750512200003 2 004"', "nip: 197505122000032004")
                    .replace('nip: "19750512 200003 2 004"', "nip: 197505122000032004"), encoding="utf-8")
    assert "nip: 197505122000032004" in head.read_text(encoding="utf-8")
    assert owning_unit([unit / "skm" / "2025.csv"]) is None


def test_json_content(result):
    data = json.loads(skm_report.as_json(result))
    assert data["responden"] == 4
    assert data["rentang_tanggal"] == ["2025-02-10", "2025-09-13"]
    assert data["bobot"] == "1/9"
    assert data["unsur"][5] == {"kode": "U6", "nama": "Kompetensi pelaksana", "responden": 3,
                                "jawaban": {"1": 0, "2": 0, "3": 2, "4": 1}, "nrr": 3.3333,
                                "nrr_pecahan": "10/3", "nilai": 83.33, "mutu": "B"}
    assert {k: data["ikm"][k] for k in ("indeks", "pecahan", "nilai", "mutu", "kinerja")} == {
        "indeks": 3.037, "pecahan": "82/27", "nilai": 75.93, "mutu": "C", "kinerja": "Kurang baik"}
    assert [(n["bobot"], n["nilai"], n["mutu_berubah"]) for n in data["ikm"]["catatan_bobot"]] == [
        ("0.111", 75.85, False), ("0.11", 75.17, False)]
    assert [(g["layanan"], g["nilai"]) for g in data["per_layanan"]] == [("kartu-keluarga", 68.06), ("ktp-el", 83.33)]
    assert [(g["periode"], g["label"]) for g in data["per_periode"]] == [
        ("2025-S1", "Semester I 2025"), ("2025-S2", "Semester II 2025")]
    assert data["profil"][0] == {"kolom": "jenis_kelamin", "judul": "Jenis kelamin", "nilai": [
        {"nilai": "Laki-laki", "jumlah": 2, "persen": 50.0}, {"nilai": "Perempuan", "jumlah": 2, "persen": 50.0}]}
    assert data["frekuensi"] == {"2025": ["2025-S1", "2025-S2"]}
    assert data["sampel"] == {"populasi": 100, "minimum": 80, "responden": 4, "cukup": False}
    assert data["terendah"] == ["U7", "U3", "U8"]
    assert data["rencana_tindak_lanjut"][0] == {
        "kode": "U7", "unsur": "Perilaku pelaksana", "nilai": 43.75, "komponen": ["maklumat", "jaminan_pelayanan"],
        "komponen_label": ["Maklumat Pelayanan", "Jaminan Pelayanan"],
        "kegiatan": "", "waktu": "", "penanggung_jawab": ""}


def test_text_summary(result):
    text = skm_report.as_text(result)
    assert "Responden : 4" in text
    assert "IKM 3,0370 × 25 = 75,93: mutu C (Kurang baik); bobot tepat 1/9 per unsur" in text
    assert "  1. U7 Perilaku pelaksana (43,75) → Maklumat Pelayanan dan Jaminan Pelayanan" in text
    assert "Jenis kelamin: Laki-laki 2 (50,00%), Perempuan 2 (50,00%)" in text
    assert "Frekuensi : 2025: Semester I, Semester II" in text


def test_weight_note_names_a_changed_class():
    ikm = skm.score([(4,) * 9] * 1331 + [(3,) * 9] * 1169)  # exact 88,31 A; 0,111 → 88,22 B
    assert skm_report.weight_note(ikm.catatan[0], ikm) == (
        "Dengan bobot 0,111 (bukan 1/9) nilai IKM tercetak 88,22, bukan 88,31; "
        "mutu berubah dari A (Sangat baik) menjadi B (Baik).")


def test_cli_writes_docx_atomically_in_a_unit_folder(unit, monkeypatch):
    monkeypatch.chdir(unit.parent)
    out = unit / "laporan" / "skm-2025.docx"
    outcome = CliRunner().invoke(cli.main, ["skm", "unit", "--format", "docx", "-o", str(out)])
    assert outcome.exit_code == 0, outcome.output
    assert outcome.stdout == ""
    assert f"ditulis: {out}" in outcome.stderr
    assert [p.name for p in out.parent.iterdir()] == ["skm-2025.docx"]  # no temp file left behind
    document = docx.Document(str(out))
    assert "PEMERINTAH KOTA UJI" in document.tables[0].rows[0].cells[1].text
    assert cells(table_headed(document, "Ukuran"))[2] == ["Nilai IKM (25–100)", "75,93"]
