"""Survey forms as units have them (issue 16): answers written with their words, services named in
words, missing unsur columns, short rows and the same problem down a column."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

from sp_builder.cli import main
from sp_builder.survey import skm
from sp_builder.survey.responses import parse_answer, read_survey, unsur_table

DATA = Path(__file__).parent / "data"
TODAY = dt.date(2025, 12, 31)
HEADER = "tanggal,layanan,U1,U2,U3,U4,U5,U6,U7,U8,U9"


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def errors(issues):
    return [(i.line, i.column, i.rule) for i in issues if i.is_error]


# ---------------------------------------------------------------------------------------------
# Answers


U1, U2, U3 = unsur_table()[:3]


@pytest.mark.parametrize("raw, score", [
    ("4 - Sangat Sesuai", 4), ("4. Sangat sesuai", 4), ("4.Sangat sesuai", 4), ("3 – Sesuai", 3),
    ("2 (Kurang sesuai)", 2), ("1) Tidak sesuai", 1), ("4 -", 4), ("3,0", 3), (" 4 ", 4), (4, 4), (3.0, 3),
    ("Sangat sesuai", 4), ("a. Tidak sesuai", 1), ("", 0), (None, 0),
])
def test_answers_with_their_words(raw, score):
    assert parse_answer(raw, U1) == (score, "", "")


@pytest.mark.parametrize("raw, rule", [
    ("2,5", "skm.jawaban_bukan_bulat"), ("5", "skm.jawaban_di_luar_rentang"), ("0", "skm.jawaban_di_luar_rentang"),
    ("5 - Sangat Sesuai", "skm.jawaban_tidak_dikenal"), ("agak sesuai", "skm.jawaban_tidak_dikenal"),
    ("4 - 3", "skm.jawaban_tidak_dikenal"),
])
def test_answers_that_stay_errors(raw, rule):
    score, found, _ = parse_answer(raw, U1)
    assert (score, found) == (0, rule)


def test_number_and_words_that_disagree():
    assert parse_answer("2 - Sangat Mudah", U2) == (
        0, "skm.jawaban_bertentangan",
        'U2 Sistem, mekanisme, dan prosedur: jawaban "2 - Sangat Mudah" menulis angka 2 tetapi "Sangat Mudah" '
        "berarti 4; perbaiki salah satunya; tulis 1 (tidak mudah) sampai 4 (sangat mudah), atau kosongkan bila "
        "unsur ini tidak ditanyakan")


def test_google_form_answers_count_as_numbers(tmp_path):
    numbers = write(tmp_path, "angka.csv", "U1,U2,U3\n4,3,4\n3,3,2\n")
    words = write(tmp_path, "kata.csv", 'U1,U2,U3\n4 - Sangat Sesuai,3. Mudah,4 (Sangat cepat)\n'
                                        '"3. Sesuai",3 - mudah,2 – Kurang cepat\n')
    a, issues_a = skm.analyse([numbers], today=TODAY)
    b, issues_b = skm.analyse([words], today=TODAY)
    assert errors(issues_b) == []
    assert b.ikm.ikm == a.ikm.ikm and b.ikm.nilai == a.ikm.nilai == Decimal("79.17")


# ---------------------------------------------------------------------------------------------
# Missing unsur columns, short rows


MISSPELT = ("Timestamp,Nama,Persyaratan,Prosedur,Wakt penyelesain,Biaya/tarif,Produk,Kompetensi pelaksana,"
            "Perilaku pelaksana,Pengaduan,Sarana dan prasarana\n")


def test_missing_unsur_column_is_named_with_other_errors(tmp_path):
    path = write(tmp_path, "form.csv", MISSPELT + "2025-01-02,Ani,4,4,3,4,4,4,4,4,x\n")
    result, issues = skm.analyse([path], today=TODAY)
    assert result is None
    assert errors(issues) == [(2, 11, "skm.jawaban_tidak_dikenal")]
    missing = [i for i in issues if i.rule == "skm.kolom_unsur_tidak_ada"]
    assert [(i.path, i.line, i.column, i.is_error) for i in missing] == [(str(path), 1, 5, False)]
    assert missing[0].message == (
        'tidak ada kolom untuk 1 unsur: U3 Waktu penyelesaian; unsur ini tidak dihitung dari berkas ini — beri '
        'judul kolom U1…U9 atau nama unsurnya (mis. "Waktu penyelesaian"); kolom 5 "Wakt penyelesain" tidak '
        "dikenali — maksudnya U3 Waktu penyelesaian?")


def test_missing_unsur_columns_named_once_not_again_per_unsur(tmp_path):
    path = write(tmp_path, "dua.csv", "U1,U2\n4,3\n")
    result, issues = skm.analyse([path], today=TODAY)
    assert result.ikm.bobot == Fraction(1, 2)
    named = [i for i in issues if "unsur" in i.rule]
    assert [(i.line, i.column, i.rule) for i in named] == [(1, 0, "skm.kolom_unsur_tidak_ada")]
    assert named[0].message.startswith("tidak ada kolom untuk 7 unsur: U3 Waktu penyelesaian, U4 Biaya/tarif, ")


def test_a_column_without_answers_is_still_reported(tmp_path):
    _, issues = skm.analyse([write(tmp_path, "kosong.csv", "U1,U2,U3,U4,U5,U6,U7,U8,U9\n4,4,4,,4,4,4,4,4\n")],
                            today=TODAY)
    assert [(i.rule, i.message.split(";")[0]) for i in issues if "unsur" in i.rule] == [
        ("skm.unsur_tidak_ada", "U4 Biaya/tarif tidak dijawab responden mana pun")]


def test_short_row_is_reported_with_its_line(tmp_path):
    path = write(tmp_path, "pendek.csv", f"{HEADER}\n2025-01-02,ktp-el,4,4,4,4,4,4,4,4,4\n2025-01-03,ktp-el,3,3,3\n")
    result, issues = skm.analyse([path], today=TODAY)
    short = [i for i in issues if i.rule == "skm.baris_pendek"]
    assert [(i.line, i.column, i.is_error) for i in short] == [(3, 6, False)]
    assert short[0].message == ("baris ini hanya berisi 5 kolom, judul kolom 11: U4, U5, U6, U7, U8, U9 dianggap "
                                "tidak diisi; bila jawabannya ada, periksa pemisah kolom (koma atau titik koma) "
                                "yang hilang")
    assert result.responden == 2 and {s.unsur.kode: s.responden for s in result.ikm.unsur}["U9"] == 1


def test_exported_rows_with_empty_trailing_cells_are_not_short(tmp_path):
    _, issues = skm.analyse([write(tmp_path, "ok.csv", f"{HEADER}\n2025-01-02,ktp-el,4,4,4,4,4,4,4,4,\n")],
                            today=TODAY)
    assert "skm.baris_pendek" not in [i.rule for i in issues]


# ---------------------------------------------------------------------------------------------
# The same problem down a column


def test_repeated_problem_is_summarised_after_three_lines(tmp_path):
    rows = [f"2025-01-{1 + n % 28:02d},ktp-el,4,4,{5 if n % 2 else 7},4,4,4,4,4,4" for n in range(123)]
    path = write(tmp_path, "ulang.csv", HEADER + "\n" + "\n".join(rows) + "\n")
    result, issues = skm.analyse([path], today=TODAY)
    assert result is None
    assert errors(issues) == [(2, 5, "skm.jawaban_di_luar_rentang"), (3, 5, "skm.jawaban_di_luar_rentang"),
                              (4, 5, "skm.jawaban_di_luar_rentang"), (5, 5, "skm.jawaban_di_luar_rentang")]
    assert issues[0].message.startswith("U3 Waktu penyelesaian: jawaban 7 di luar rentang 1–4")
    assert issues[3].message == ('kolom U3: 120 baris lagi berisi jawaban di luar rentang 1–4 ("5", "7"), '
                                 "baris 5–124; perbaiki dengan cara yang sama seperti di atas")
    result = CliRunner().invoke(main, ["skm", str(path)])
    assert result.exit_code == 1
    assert result.stderr.count("\n") < 10
    assert f"{path}:5:5: galat: kolom U3: 120 baris lagi" in result.stderr


def test_different_problems_and_columns_are_summarised_apart(tmp_path):
    rows = [f"2025-01-02,ktp-el,x,4,4,4,4,4,4,4,{9 if n < 5 else 4}" for n in range(6)]
    path = write(tmp_path, "campur.csv", HEADER + "\n" + "\n".join(rows) + "\n")
    _, issues = skm.analyse([path], today=TODAY)
    by_column = {}
    for issue in issues:
        if issue.is_error:
            by_column.setdefault((issue.column, issue.rule), []).append(issue.line)
    assert by_column == {(3, "skm.jawaban_tidak_dikenal"): [2, 3, 4, 5],
                         (11, "skm.jawaban_di_luar_rentang"): [2, 3, 4, 5]}
    summaries = [i.message for i in issues if "baris lagi" in i.message]
    assert summaries == ['kolom U1: 3 baris lagi berisi jawaban yang tidak dikenal ("x"), baris 5–7; perbaiki '
                         "dengan cara yang sama seperti di atas",
                         'kolom U9: 2 baris lagi berisi jawaban di luar rentang 1–4 ("9"), baris 5–6; perbaiki '
                         "dengan cara yang sama seperti di atas"]


# ---------------------------------------------------------------------------------------------
# Services named in words


@pytest.fixture
def kecamatan(tmp_path) -> Path:
    """A unit with a service the form calls "Surat Keterangan Domisili"."""
    root = tmp_path / "kecamatan"
    shutil.copytree(DATA / "unit-valid", root)
    source = (root / "layanan" / "kartu-keluarga.yaml").read_text(encoding="utf-8")
    assert source.startswith("nama: Penerbitan Kartu Keluarga\n")
    (root / "layanan" / "surat-keterangan-domisili.yaml").write_text(
        source.replace("nama: Penerbitan Kartu Keluarga\n", "nama: Surat Keterangan Domisili\nalias: SKD\n", 1),
        encoding="utf-8")
    return root


ANSWERS = [("{skd}", "4,4,4,4,4,4,4,4,4"), ("{skd}", "3,3,4,3,3,4,3,3,3"), ("{ktp}", "2,3,3,3,2,3,3,3,2"),
           ("{skd}", "4,3,4,4,3,4,4,3,4"), ("{ktp}", "3,3,3,3,3,3,3,3,3")]


def survey(skd: str, ktp: str) -> str:
    lines = [HEADER] + [f"2025-0{n + 1}-10,{name.format(skd=skd, ktp=ktp)},{cells}"
                        for n, (name, cells) in enumerate(ANSWERS)]
    return "\n".join(lines) + "\n"


def per_service(result):
    return [(g.key, g.label, g.ikm.responden, g.ikm.nilai) for g in result.per_layanan]


def test_names_in_words_give_the_same_ikm_as_slugs(kecamatan):
    slugs = write(kecamatan / "skm", "slug.csv", survey("surat-keterangan-domisili", "ktp-el"))
    by_slug, _ = skm.analyse([slugs], today=TODAY)
    slugs.unlink()
    write(kecamatan / "skm", "kata.csv", survey("Surat Keterangan Domisili", "Pelayanan KTP-el"))
    by_words, issues = skm.analyse_folder(kecamatan, today=TODAY)
    assert not [i for i in issues if i.rule == "skm.layanan_tidak_cocok"]
    expected = [("ktp-el", "Penerbitan Kartu Tanda Penduduk Elektronik (KTP-el)", 2, Decimal("70.83")),
                ("surat-keterangan-domisili", "Surat Keterangan Domisili", 3, Decimal("90.74"))]
    assert per_service(by_slug) == per_service(by_words) == expected
    assert by_words.ikm.nilai == by_slug.ikm.nilai


def test_a_mix_of_spellings_is_one_service(kecamatan):
    write(kecamatan / "skm", "campur.csv", survey("SKD", "KTP-el").replace("SKD", "surat keterangan domisili", 1))
    result, _ = skm.analyse_folder(kecamatan, today=TODAY)
    assert [(g.key, g.ikm.responden) for g in result.per_layanan] == [("ktp-el", 2), ("surat-keterangan-domisili", 3)]


@pytest.mark.parametrize("wanted", ["Surat Keterangan Domisili", "surat-keterangan-domisili", "SKD",
                                    "Layanan Surat Keterangan Domisili", "surat keterangan domisili."])
def test_skm_layanan_by_slug_name_or_alias(kecamatan, wanted):
    path = write(kecamatan / "skm", "2025.csv", survey("Surat Keterangan Domisili", "ktp-el"))
    result = CliRunner().invoke(main, ["skm", str(path), "--layanan", wanted, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert '"responden": 3' in result.output
    found, _ = skm.analyse([path], layanan=wanted, today=TODAY)
    assert found.responden == 3 and found.ikm.nilai == Decimal("90.74")


def test_skm_layanan_without_a_unit_compares_names(tmp_path):
    path = write(tmp_path, "lepas.csv", survey("Surat Keterangan Domisili", "ktp-el"))
    found, _ = skm.analyse([path], layanan="surat-keterangan-domisili", today=TODAY)
    assert found.responden == 3
    assert [g.key for g in found.per_layanan] == ["Surat Keterangan Domisili"]


def test_skm_layanan_that_matches_nothing(kecamatan):
    path = write(kecamatan / "skm", "2025.csv", survey("Surat Keterangan Domisili", "ktp-el"))
    result = CliRunner().invoke(main, ["skm", str(path), "--layanan", "Surat Keterangan Domisli"])
    assert result.exit_code == 1
    assert ('galat: tidak ada responden untuk layanan "Surat Keterangan Domisli" (maksud Anda '
            '"surat-keterangan-domisili"?); periksa kolom layanan dan tanggal') in result.stderr


def test_unknown_name_warns_with_the_closest_service(kecamatan):
    text = survey("Surat Keterangan Domisli", "Surat Pindah")
    text += "".join(f"2025-0{n}-11,Surat Keterangan Domisli,4,4,4,4,4,4,4,4,4\n" for n in range(6, 9))
    path = write(kecamatan / "skm", "2025.csv", text)
    result, issues = skm.analyse([path], today=TODAY)
    assert result is not None and result.responden == 8
    warned = [(i.line, i.column, i.is_error) for i in issues if i.rule == "skm.layanan_tidak_cocok"]
    # "Surat Keterangan Domisli" on lines 2, 3, 5, 7, 8, 9: three in full, then one summary; "Surat Pindah" 4, 6
    assert warned == [(2, 2, False), (3, 2, False), (4, 2, False), (5, 2, False), (6, 2, False), (7, 2, False)]
    messages = {i.line: i.message for i in issues if i.rule == "skm.layanan_tidak_cocok"}
    display = str(kecamatan / "layanan" / "surat-keterangan-domisili.yaml")  # outside the working directory
    assert messages[2] == (
        'layanan "Surat Keterangan Domisli" tidak cocok dengan layanan mana pun di folder layanan/ (slug, nama atau '
        'alias); paling mirip: "Surat Keterangan Domisili" (surat-keterangan-domisili); bila itu maksudnya, tulis '
        f'namanya seperti itu atau tambahkan alias: ["Surat Keterangan Domisli"] di {display}. Baris ini tetap '
        "dihitung dalam IKM keseluruhan")
    assert messages[7] == ('kolom layanan: 3 baris lagi berisi "Surat Keterangan Domisli", baris 7–9; perbaiki '
                           "dengan cara yang sama seperti di atas")
    assert messages[4].startswith('layanan "Surat Pindah" tidak cocok dengan layanan mana pun di folder layanan/ '
                                  '(slug, nama atau alias); layanan unit ini: "Penerbitan Kartu Keluarga", ')


def test_unreadable_service_file_is_named_in_the_warning(kecamatan):
    (kecamatan / "layanan" / "surat-pindah.yaml").write_text("nama: [Surat Pindah\n", encoding="utf-8")
    path = write(kecamatan / "skm", "2025.csv", survey("SKD", "Surat Pindah"))
    _, issues = skm.analyse([path], today=TODAY)
    warned = [i.message for i in issues if i.rule == "skm.layanan_tidak_cocok"]
    assert len(warned) == 2
    assert all("mungkin layanan ini ada di berkas yang tidak dapat dibaca: " in m and "surat-pindah.yaml" in m
               for m in warned)


def test_survey_outside_a_unit_is_not_matched(tmp_path):
    path = write(tmp_path, "lepas.csv", survey("Surat Keterangan Domisili", "Pelayanan KTP-el"))
    result, issues = skm.analyse([path], today=TODAY)
    assert not [i for i in issues if i.rule == "skm.layanan_tidak_cocok"]
    assert [g.key for g in result.per_layanan] == ["Pelayanan KTP-el", "Surat Keterangan Domisili"]


def test_reader_keeps_the_lines_of_each_name(tmp_path):
    survey_file, _ = read_survey(write(tmp_path, "baris.csv", survey("SKD", "KTP")))
    assert survey_file.layanan_kolom == 2
    assert survey_file.layanan_baris == (("SKD", (2, 3, 5)), ("KTP", (4, 6)))
    assert survey_file.unsur == frozenset(u.kode for u in unsur_table())
