"""SKM: reading responses by header name, exact NRR/IKM, mutu edges, sample size, frequency, and the
`skm` command's exit codes. Every expected number here is computed by hand in the comments."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sp_builder import cli
from sp_builder.survey import skm
from sp_builder.errors import ExitCode, UserError
from sp_builder.survey.responses import parse_answer, parse_date, read_survey, unsur_table

HEADER = "U1,U2,U3,U4,U5,U6,U7,U8,U9"
TODAY = dt.date(2026, 11, 23)

# Three respondents; the second left U6 blank (not asked).
# NRR: U1 11/3, U2 3, U3 8/3, U4 4, U5 3, U6 (3+3)/2 = 3, U7 11/3, U8 10/3, U9 8/3
# ΣNRR = (11+8+11+10+8)/3 + 4·3 + 4 = 16 + 13 = 29; IKM = 29/9; ×25 = 80,5555… → 80,56 (B)
THREE = f"""{HEADER}
4,3,3,4,3,3,4,3,3
3,3,2,4,3,,4,3,2
4,3,3,4,3,3,3,4,3
"""


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_text(text, encoding=encoding)
    return path


def analyse(*paths, **options):
    options.setdefault("today", TODAY)
    return skm.analyse(paths, **options)


def rows(answer: int, n: int, width: int = 9) -> list[tuple[int, ...]]:
    return [(answer,) * width] * n


def one_unsur(counts: dict[int, int]) -> list[tuple[int, ...]]:
    """Respondents answering U1 only, `counts` = {answer: how many}."""
    return [(answer, 0, 0, 0, 0, 0, 0, 0, 0) for answer, n in counts.items() for _ in range(n)]


# ---------------------------------------------------------------------------------------------
# Known answers


def test_nrr_excludes_blanks_and_ikm_uses_exact_ninth(tmp_path):
    result, issues = analyse(write(tmp_path, "skm.csv", THREE))
    assert [i for i in issues if i.is_error] == []
    nrr = {s.unsur.kode: s.nrr for s in result.ikm.unsur}
    assert nrr == {"U1": Fraction(11, 3), "U2": 3, "U3": Fraction(8, 3), "U4": 4, "U5": 3, "U6": 3,
                   "U7": Fraction(11, 3), "U8": Fraction(10, 3), "U9": Fraction(8, 3)}
    assert [s.responden for s in result.ikm.unsur] == [3, 3, 3, 3, 3, 2, 3, 3, 3]
    assert result.ikm.ikm == Fraction(29, 9)
    assert result.ikm.nilai == Decimal("80.56")
    assert (result.ikm.mutu.mutu, result.ikm.mutu.kinerja) == ("B", "Baik")
    assert result.responden == 3


def test_rounded_weights_are_noted_only_with_their_printed_value(tmp_path):
    result, _ = analyse(write(tmp_path, "skm.csv", THREE))
    # 29 × 0,111 × 25 = 80,475 → 80,48 (half up); 29 × 0,11 × 25 = 79,75; both still B
    notes = [(n.bobot, n.nilai, n.mutu.mutu) for n in result.ikm.catatan]
    assert notes == [(Decimal("0.111"), Decimal("80.48"), "B"), (Decimal("0.11"), Decimal("79.75"), "B")]


def test_single_respondent():
    ikm = skm.score([(3, 4, 3, 4, 3, 4, 3, 4, 3)])
    # ΣNRR = 5·3 + 4·4 = 31; 31/9 × 25 = 86,111… → 86,11
    assert (ikm.responden, ikm.ikm, ikm.nilai, ikm.mutu.mutu) == (1, Fraction(31, 9), Decimal("86.11"), "B")


def test_all_fours_is_100_and_all_ones_is_25():
    best, worst = skm.score(rows(4, 7)), skm.score(rows(1, 7))
    assert (best.nilai, best.mutu.mutu, best.mutu.kinerja) == (Decimal("100.00"), "A", "Sangat baik")
    assert (worst.nilai, worst.mutu.mutu, worst.mutu.kinerja) == (Decimal("25.00"), "D", "Tidak baik")


def test_unsur_never_answered_is_left_out_of_the_weight():
    # only U1 and U2 answered: weight 1/2, exact, so no note on rounded weights
    ikm = skm.score([(4, 2, 0, 0, 0, 0, 0, 0, 0), (4, 3, 0, 0, 0, 0, 0, 0, 0)])
    assert [s.unsur.kode for s in ikm.unsur] == ["U1", "U2"]
    assert ikm.bobot == Fraction(1, 2)
    assert ikm.ikm == (4 + Fraction(5, 2)) / 2  # 13/4 → 81,25
    assert ikm.nilai == Decimal("81.25")
    assert ikm.catatan == ()


@pytest.mark.parametrize("value, mutu", [
    ("25.00", "D"), ("64.99", "D"), ("65.00", "C"), ("76.60", "C"), ("76.61", "B"),
    ("88.30", "B"), ("88.31", "A"), ("100.00", "A"),
])
def test_band_edges(value, mutu):
    assert skm.classify(Decimal(value)).mutu == mutu


@pytest.mark.parametrize("counts, nilai, mutu", [
    ({2: 1001, 3: 1499}, "64.99", "D"),  # 6499/2500 = 2,5996 → 64,99
    ({2: 2, 3: 3}, "65.00", "C"),  # 13/5 = 2,6 → 65,00
    ({3: 117, 4: 8}, "76.60", "C"),  # 383/125 = 3,064 → 76,60
    ({3: 4679, 4: 321}, "76.61", "B"),  # 15321/5000 = 3,0642 → 76,605 → 76,61 (half up)
    ({3: 2339, 4: 161}, "76.61", "B"),  # 7661/2500 = 3,0644 → 76,61
    ({3: 117, 4: 133}, "88.30", "B"),  # 883/250 = 3,532 → 88,30
    ({3: 1169, 4: 1331}, "88.31", "A"),  # 8831/2500 = 3,5324 → 88,31
])
def test_data_landing_on_band_edges(counts, nilai, mutu):
    ikm = skm.score(one_unsur(counts))
    assert (ikm.nilai, ikm.mutu.mutu) == (Decimal(nilai), mutu)


def test_rounded_weight_that_drops_a_class_is_reported():
    # nine identical unsur with NRR 3,5324: exact 88,31 (A); 0,111 → 88,2217 → 88,22 (B);
    # 0,11 → 87,4269 → 87,43 (B)
    ikm = skm.score(rows(4, 1331) + rows(3, 1169))
    assert (ikm.nilai, ikm.mutu.mutu) == (Decimal("88.31"), "A")
    assert [(n.nilai, n.mutu.mutu) for n in ikm.catatan] == [(Decimal("88.22"), "B"), (Decimal("87.43"), "B")]


def test_lowest_three_and_the_components_they_point_at(tmp_path):
    text = f"{HEADER}\n3,3,3,3,3,3,1,2,3\n3,3,3,3,3,3,2,2,2\n"
    result, _ = analyse(write(tmp_path, "skm.csv", text))
    plan = result.rencana_tindak_lanjut()
    # U7 3/2, U8 2, U9 5/2 are the lowest
    assert [(f.skor.unsur.kode, f.skor.nrr) for f in plan] == [
        ("U7", Fraction(3, 2)), ("U8", 2), ("U9", Fraction(5, 2))]
    assert [f.sasaran for f in plan] == [
        "Maklumat Pelayanan dan Jaminan Pelayanan",
        "Penanganan Pengaduan, Saran, dan Masukan",
        "Sarana dan Prasarana, dan/atau Fasilitas",
    ]


def test_every_unsur_maps_to_its_sp_component():
    targets = {u.kode: [skm.target_label(k) for k in u.tindak_lanjut] for u in unsur_table()}
    assert targets == {
        "U1": ["Persyaratan"], "U2": ["Sistem, Mekanisme, dan Prosedur"], "U3": ["Jangka Waktu Pelayanan"],
        "U4": ["Biaya/Tarif"], "U5": ["Produk Pelayanan"], "U6": ["Kompetensi Pelaksana"],
        "U7": ["Maklumat Pelayanan", "Jaminan Pelayanan"], "U8": ["Penanganan Pengaduan, Saran, dan Masukan"],
        "U9": ["Sarana dan Prasarana, dan/atau Fasilitas"],
    }


# ---------------------------------------------------------------------------------------------
# Headers by name, answers as words

REGULATION_ORDER = [
    "Persyaratan", "Sistem, mekanisme, dan prosedur", "Waktu penyelesaian", "Biaya/tarif",
    "Produk spesifikasi jenis pelayanan", "Kompetensi pelaksana", "Perilaku pelaksana",
    "Penanganan pengaduan, saran dan masukan", "Sarana dan prasarana",
]


@pytest.mark.parametrize("swap", [False, True], ids=["pengaduan-ke-8", "sarana-ke-8"])
def test_headers_in_words_are_matched_by_name_in_either_order(tmp_path, swap):
    names = list(REGULATION_ORDER)
    answers = ["3", "3", "3", "3", "3", "3", "3", "1", "4"]  # pengaduan 1, sarana 4
    if swap:
        names[7], names[8] = names[8], names[7]
        answers[7], answers[8] = answers[8], answers[7]
    text = ",".join(f'"{n}"' for n in names) + "\n" + ",".join(answers) + "\n"
    result, issues = analyse(write(tmp_path, "skm.csv", text))
    assert [i for i in issues if i.is_error] == []
    nrr = {s.unsur.kode: s.nrr for s in result.ikm.unsur}
    assert (nrr["U8"], nrr["U9"]) == (1, 4)


def test_google_forms_export_with_questions_and_answer_words(tmp_path):
    questions = [
        "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?",
        "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
        "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
        "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
        "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum dalam standar "
        "pelayanan dengan hasil yang diberikan?",
        "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
        "Bagaimana pendapat saudara perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?",
        "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
        "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
    ]
    header = ["Stempel waktu", "Jenis Kelamin", "Usia", "Pendidikan Terakhir", "Pekerjaan", *questions, "Saran"]
    first = ["15/01/2025 09:12:44", "L", "34", "SMA", "Wiraswasta", "Sangat Sesuai", "Mudah", "Kurang Cepat",
             "Gratis", "Sesuai", "Kompeten", "Sangat Sopan dan Ramah", "Baik", "Dikelola dengan baik", "tidak ada"]
    second = ["2025-07-02 10:00:00", "perempuan", "19", "S1", "Pelajar", "b. Kurang sesuai", "Tidak mudah",
              "Cepat", "Cukup mahal", "Tidak sesuai", "Tidak kompeten", "Kurang sopan dan ramah", "Buruk",
              "Ada tetapi tidak berfungsi", ""]
    lines = [header, first, second]
    text = "\n".join(";".join(f'"{c}"' for c in line) for line in lines) + "\n"
    result, issues = analyse(write(tmp_path, "google-forms.csv", "\ufeff" + text))
    assert [i for i in issues if i.is_error] == []
    nrr = {s.unsur.kode: s.nrr for s in result.ikm.unsur}
    assert nrr == {"U1": 3, "U2": 2, "U3": Fraction(5, 2), "U4": 3, "U5": 2, "U6": 2,
                   "U7": 3, "U8": 3, "U9": 2}
    assert [(p.key, p.ikm.responden) for p in result.per_periode] == [("2025-S1", 1), ("2025-S2", 1)]
    profiles = {p.field: p.rows for p in result.profil}
    assert profiles["jenis_kelamin"] == (("Laki-laki", 1), ("Perempuan", 1))
    assert profiles["umur"] == (("Sampai 20 tahun", 1), ("31–40 tahun", 1))
    assert profiles["pendidikan"] == (("S1", 1), ("SMA", 1))


def test_code_and_name_that_disagree_follow_the_name_with_a_warning(tmp_path):
    text = "U1,U8 Sarana dan prasarana,U9 Penanganan pengaduan\n3,4,1\n"
    result, issues = analyse(write(tmp_path, "skm.csv", text))
    nrr = {s.unsur.kode: s.nrr for s in result.ikm.unsur}
    assert (nrr["U8"], nrr["U9"]) == (1, 4)
    mismatched = [(i.line, i.column, i.is_error) for i in issues if i.rule == "skm.kode_nama_berbeda"]
    assert mismatched == [(1, 2, False), (1, 3, False)]


def test_answer_words_per_unsur():
    by_code = {u.kode: u for u in unsur_table()}
    expected = {
        "U1": ["tidak sesuai", "kurang sesuai", "sesuai", "sangat sesuai"],
        "U2": ["tidak mudah", "kurang mudah", "mudah", "sangat mudah"],
        "U3": ["tidak cepat", "kurang cepat", "cepat", "sangat cepat"],
        "U4": ["sangat mahal", "cukup mahal", "murah", "gratis"],
        "U5": ["tidak sesuai", "kurang sesuai", "sesuai", "sangat sesuai"],
        "U6": ["tidak kompeten", "kurang kompeten", "kompeten", "sangat kompeten"],
        "U7": ["tidak sopan dan ramah", "kurang sopan dan ramah", "sopan dan ramah", "sangat sopan dan ramah"],
        "U8": ["tidak ada", "ada tetapi tidak berfungsi", "berfungsi kurang maksimal", "dikelola dengan baik"],
        "U9": ["buruk", "cukup", "baik", "sangat baik"],
    }
    for code, words in expected.items():
        assert [parse_answer(w.upper(), by_code[code])[0] for w in words] == [1, 2, 3, 4], code
    assert parse_answer(4.0, by_code["U1"]) == (4, "", "")
    assert parse_answer("  ", by_code["U1"]) == (0, "", "")


def test_xlsx_export(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Timestamp", "Layanan", *REGULATION_ORDER])
    sheet.append([dt.datetime(2025, 3, 4, 8, 30), "ktp-el", 4, 4, 3, 4, 4, 4, 4, 3, 3])
    sheet.append([dt.datetime(2025, 9, 1, 14, 0), "kk", 2, "Mudah", 3, "Gratis", 3, None, 3, 3, 4])
    sheet.append([None] * 11)  # trailing empty row, as Excel leaves them
    path = tmp_path / "survei.xlsx"
    book.save(path)
    result, issues = analyse(path)
    assert [i for i in issues if i.is_error] == []
    nrr = {s.unsur.kode: s.nrr for s in result.ikm.unsur}
    assert (nrr["U1"], nrr["U2"], nrr["U6"]) == (3, Fraction(7, 2), 4)
    assert [(g.key, g.ikm.responden) for g in result.per_layanan] == [("kk", 1), ("ktp-el", 1)]
    assert result.rentang == (dt.date(2025, 3, 4), dt.date(2025, 9, 1))


def test_xlsx_bad_cell_has_row_and_column(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["tanggal", "U1", "U2"])
    sheet.append([dt.date(2025, 3, 4), 4, 4])
    sheet.append([dt.date(2025, 3, 5), 4, 7])
    path = tmp_path / "survei.xlsx"
    book.save(path)
    result, issues = analyse(path)
    assert result is None
    bad = [i for i in issues if i.is_error]
    assert [(i.line, i.column, i.rule) for i in bad] == [(3, 3, "skm.jawaban_di_luar_rentang")]
    assert "U2 Sistem, mekanisme, dan prosedur: jawaban 7 di luar rentang 1–4" in bad[0].message


# ---------------------------------------------------------------------------------------------
# Bad input: file, line, column and message, all in one run


def errors(issues):
    return [(i.line, i.column, i.rule) for i in issues if i.is_error]


def test_answer_out_of_range(tmp_path):
    text = f"{HEADER}\n4,4,4,4,4,4,4,4,4\n4,4,5,4,4,4,4,4,4\n"
    result, issues = analyse(write(tmp_path, "jawaban_di_luar_rentang.csv", text))
    assert result is None
    assert errors(issues) == [(3, 3, "skm.jawaban_di_luar_rentang")]
    assert issues[0].path.endswith("jawaban_di_luar_rentang.csv")
    assert issues[0].message == ("U3 Waktu penyelesaian: jawaban 5 di luar rentang 1–4; tulis 1 (tidak cepat) "
                                 "sampai 4 (sangat cepat), atau kosongkan bila unsur ini tidak ditanyakan")


def test_unknown_answer_word(tmp_path):
    text = "tanggal,U1,U4\n2025-01-02,sesuai,agak mahal\n"
    result, issues = analyse(write(tmp_path, "jawaban_tidak_dikenal.csv", text))
    assert result is None
    assert errors(issues) == [(2, 3, "skm.jawaban_tidak_dikenal")]
    assert [i for i in issues if i.is_error][0].message == ('U4 Biaya/tarif: jawaban "agak mahal" tidak dikenal; tulis 1–4 atau salah satu '
                                 "dari: sangat mahal, cukup mahal, murah, gratis")


def test_fractional_answer(tmp_path):
    result, issues = analyse(write(tmp_path, "jawaban_pecahan.csv", "U1;U2\n3;2,5\n"))
    assert errors(issues) == [(2, 2, "skm.jawaban_bukan_bulat")]
    assert "jawaban 2,5 bukan bilangan bulat" in [i for i in issues if i.is_error][0].message


@pytest.mark.parametrize("raw", ["31/02/2025", "kemarin", "1/15/2025 10:20:30"])
def test_unreadable_date(tmp_path, raw):
    result, issues = analyse(write(tmp_path, "tanggal_tidak_terbaca.csv", f"U1,tanggal\n4,2025-01-02\n3,{raw}\n"))
    assert result is None
    assert errors(issues) == [(3, 2, "skm.tanggal_tidak_terbaca")]
    assert [i for i in issues if i.is_error][0].message.startswith(f'tanggal "{raw}" tidak dapat dibaca; tulis TTTT-BB-HH')


def test_dates_as_units_write_them():
    assert parse_date("2025-01-15") == dt.date(2025, 1, 15)
    assert parse_date("2025/01/15 10:20:30") == dt.date(2025, 1, 15)
    assert parse_date("15/01/2025 10:20") == dt.date(2025, 1, 15)
    assert parse_date("15-01-2025") == dt.date(2025, 1, 15)
    assert parse_date("15 Januari 2025") == dt.date(2025, 1, 15)
    assert parse_date("3 Agu 2025") == dt.date(2025, 8, 3)
    assert parse_date(dt.datetime(2025, 1, 15, 8)) == dt.date(2025, 1, 15)
    assert parse_date(45678) is None


def test_no_unsur_column_is_an_error(tmp_path):
    result, issues = analyse(write(tmp_path, "tanpa_unsur.csv", "nama,umur\nAni,30\n"))
    assert result is None
    assert errors(issues) == [(0, 0, "skm.tanpa_unsur")]
    assert "tidak ada kolom unsur SKM" in issues[0].message


def test_header_that_looks_like_an_unsur_but_is_none(tmp_path):
    result, issues = analyse(write(tmp_path, "kolom_bukan_unsur.csv", "U1,U2,U10\n4,4,4\n"))
    assert result is None
    assert errors(issues) == [(1, 3, "skm.kolom_bukan_unsur")]
    assert [i for i in issues if i.is_error][0].message.startswith('kolom "U10" tampak seperti unsur SKM tetapi bukan U1–U9')


def test_duplicate_and_ambiguous_headers(tmp_path):
    text = "U1,Persyaratan,Waktu dan biaya,U2\n4,4,4,4\n"
    result, issues = analyse(write(tmp_path, "kolom_ganda.csv", text))
    assert result is None
    assert errors(issues) == [(1, 2, "skm.kolom_ganda"), (1, 3, "skm.kolom_ganda_makna")]
    assert "U1 Persyaratan, yang sudah ada di kolom 1" in issues[0].message
    assert "U3 Waktu penyelesaian, U4 Biaya/tarif" in issues[1].message


def test_unknown_question_is_a_warning_and_skipped(tmp_path):
    text = "U1,Bagaimana pendapat Saudara tentang kebersihan toilet?\n4,1\n"
    result, issues = analyse(write(tmp_path, "pertanyaan_lain.csv", text))
    assert [s.unsur.kode for s in result.ikm.unsur] == ["U1"]
    assert [(i.line, i.column) for i in issues if i.rule == "skm.pertanyaan_tak_dikenal"] == [(1, 2)]


def test_every_problem_is_reported_in_one_run(tmp_path):
    text = ("tanggal,U1,U2,U3\n"
            "2025-01-02,4,4,4\n"
            '"2025-13-02",9,"sangat\nmudah sekali",4\n'  # a quoted cell spans two lines
            "2025-01-04,4,,x\n")
    first = write(tmp_path, "banyak_galat.csv", text)
    second = write(tmp_path, "baik.csv", f"{HEADER}\n4,4,4,4,4,4,4,4,0\n")
    result, issues = analyse(first, second)
    assert result is None
    assert [(Path(i.path).name, i.line, i.column, i.rule) for i in issues if i.is_error] == [
        ("baik.csv", 2, 9, "skm.jawaban_di_luar_rentang"),
        ("banyak_galat.csv", 3, 1, "skm.tanggal_tidak_terbaca"),
        ("banyak_galat.csv", 3, 2, "skm.jawaban_di_luar_rentang"),
        ("banyak_galat.csv", 3, 3, "skm.jawaban_tidak_dikenal"),
        ("banyak_galat.csv", 5, 4, "skm.jawaban_tidak_dikenal"),
    ]


def test_file_not_utf8(tmp_path):
    path = tmp_path / "bukan_utf8.csv"
    path.write_bytes("U1,U2\n4,4\n3,caf\u00e9\n".encode("cp1252"))
    result, issues = analyse(path)
    assert result is None
    assert [(i.line, i.rule) for i in issues] == [(3, "berkas.bukan_utf8")]


def test_damaged_xlsx(tmp_path):
    path = tmp_path / "rusak.xlsx"
    path.write_bytes(b"bukan zip")
    result, issues = analyse(path)
    assert result is None
    assert [(i.line, i.rule) for i in issues] == [(0, "skm.xlsx_rusak")]
    assert "berkas .xlsx tidak dapat dibuka" in issues[0].message


def test_old_excel_format_says_how_to_convert(tmp_path):
    (tmp_path / "skm").mkdir()
    (tmp_path / "skm" / "2025.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    result, issues = skm.analyse_folder(tmp_path, today=TODAY)
    assert result is None
    assert [(i.line, i.rule) for i in issues] == [(0, "skm.xls_lama")]
    assert "simpan ulang sebagai .xlsx atau CSV UTF-8" in issues[0].message


def test_empty_file_and_file_without_answers(tmp_path):
    _, empty = analyse(write(tmp_path, "kosong.csv", "\n\n"))
    assert errors(empty) == [(0, 0, "skm.berkas_kosong")]
    _, blank = analyse(write(tmp_path, "tanpa_jawaban.csv", "U1,umur\n,30\n"))
    assert errors(blank) == [(0, 0, "skm.tanpa_responden")]
    # the unsur without a column are named at the header (issue 16)
    assert [(i.line, i.rule) for i in blank if not i.is_error] == [(1, "skm.kolom_unsur_tidak_ada"),
                                                                   (2, "skm.baris_tanpa_jawaban")]


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cells=st.lists(st.text(max_size=12), min_size=1, max_size=9))
def test_arbitrary_cells_never_crash(tmp_path, cells):
    path = tmp_path / "acak.csv"
    path.write_text(HEADER + "\n" + ",".join('"' + c.replace('"', '""') + '"' for c in cells) + "\n", encoding="utf-8")
    survey, issues = read_survey(path)
    assert survey is not None or any(i.is_error for i in issues)


# ---------------------------------------------------------------------------------------------
# Groups, filters, sample size, frequency

GROUPED = """tanggal,layanan,jenis_kelamin,umur,U1,U2
2025-02-01,ktp-el,L,20,4,4
2025-03-01,ktp-el,Laki-laki,21,2,2
2025-08-01,kk,P,,3,3
2025-09-01,KK,perempuan,55 tahun,3,4
"""


def test_groups_per_service_and_semester(tmp_path):
    result, _ = analyse(write(tmp_path, "skm.csv", GROUPED))
    # ktp-el: U1 (4+2)/2 = 3, U2 3 → 75,00; kk (written "kk" and "KK"): U1 3, U2 7/2 → 13/4 → 81,25
    assert [(g.key, g.ikm.responden, g.ikm.nilai) for g in result.per_layanan] == [
        ("kk", 2, Decimal("81.25")), ("ktp-el", 2, Decimal("75.00"))]
    assert [(g.label, g.ikm.nilai) for g in result.per_periode] == [
        ("Semester I 2025", Decimal("75.00")), ("Semester II 2025", Decimal("81.25"))]
    # March → Triwulan I; August and September → Triwulan III
    assert [(g.key, g.label, g.ikm.responden) for g in result.per_triwulan] == [
        ("2025-T1", "Triwulan I 2025", 2), ("2025-T3", "Triwulan III 2025", 2)]
    profiles = {p.field: p.rows for p in result.profil}
    assert profiles["jenis_kelamin"] == (("Laki-laki", 2), ("Perempuan", 2))
    assert profiles["umur"] == (
        ("Sampai 20 tahun", 1), ("21–30 tahun", 1), ("Di atas 50 tahun", 1), ("Tidak diisi", 1))


def test_filters_by_service_and_period(tmp_path):
    path = write(tmp_path, "skm.csv", GROUPED)
    by_service, _ = analyse(path, layanan="KK")
    assert (by_service.responden, by_service.ikm.nilai) == (2, Decimal("81.25"))
    by_period, _ = analyse(path, periode="2025-S1")
    assert (by_period.responden, by_period.ikm.nilai) == (2, Decimal("75.00"))
    by_quarter, _ = analyse(path, periode="2025-T3")
    assert by_quarter.responden == 2
    none, issues = analyse(path, layanan="akta", periode="2024")
    assert none is None
    assert issues[0].message.startswith('tidak ada responden untuk layanan "akta" pada Tahun 2024')


@pytest.mark.parametrize("text", ["2025-S3", "25-S1", "2025-Q1", "semester 1"])
def test_malformed_period_is_a_usage_error(tmp_path, text):
    with pytest.raises(UserError) as caught:
        analyse(write(tmp_path, "skm.csv", THREE), periode=text)
    assert caught.value.code is ExitCode.USAGE


@pytest.mark.parametrize("populasi, sampel", [(100, 80), (500, 217), (1000, 278), (10000, 370), (1000000, 384)])
def test_krejcie_morgan(populasi, sampel):
    assert skm.sample_size(populasi) == sampel


def test_too_few_respondents_is_a_warning(tmp_path):
    result, issues = analyse(write(tmp_path, "skm.csv", THREE), populasi=100)
    assert (result.sampel.minimum, result.sampel.responden, result.sampel.cukup) == (80, 3, False)
    warned = [i for i in issues if i.rule == "skm.sampel_kurang"]
    assert len(warned) == 1 and not warned[0].is_error
    assert warned[0].message.startswith("jumlah responden 3 kurang dari sampel minimum 80 untuk populasi 100")


def dates(*texts):
    return [dt.date.fromisoformat(t) for t in texts]


def test_frequency_counts_semesters_per_year():
    years = skm.frequency(dates("2024-02-01", "2024-03-01", "2024-10-01", "2025-01-05"))
    assert {y: [p.key for p in ps] for y, ps in years.items()} == {2024: ["2024-S1", "2024-S2"], 2025: ["2025-S1"]}


def test_frequency_warns_below_two_a_year():
    years = skm.frequency(dates("2023-03-01", "2023-09-01", "2025-04-01"))
    issues = skm.frequency_issues(years, "skm", dt.date(2026, 3, 1))
    assert [i.message.split(";")[0] for i in issues] == [
        "tidak ada SKM pada tahun 2024", "SKM tahun 2025 hanya dilaksanakan pada Semester I"]
    assert all(i.rule == "skm.frekuensi" and not i.is_error for i in issues)


def test_frequency_waits_for_a_semester_still_running():
    first_half = skm.frequency(dates("2026-02-01"))
    assert skm.frequency_issues(first_half, "skm", dt.date(2026, 5, 1)) == []  # S2 still to come
    assert skm.frequency_issues(first_half, "skm", dt.date(2026, 9, 1)) == []  # S2 running
    second_half = skm.frequency(dates("2026-08-01"))  # S1 passed without a survey
    assert len(skm.frequency_issues(second_half, "skm", dt.date(2026, 9, 1))) == 1


def test_without_tanggal_frequency_cannot_be_checked(tmp_path):
    _, issues = analyse(write(tmp_path, "skm.csv", THREE))
    assert [i.rule for i in issues] == ["skm.tanpa_tanggal"]


def test_analyse_folder_of_a_unit(tmp_path):
    unit = tmp_path / "unit"
    (unit / "skm").mkdir(parents=True)
    write(unit / "skm", "2025-s1.csv", "tanggal,U1\n2025-01-10,4\n")
    write(unit / "skm", "2025-s2.csv", "tanggal,U1\n2025-08-10,2\n")
    write(unit / "skm", "catatan.txt", "bukan survei")
    result, issues = skm.analyse_folder(unit, today=TODAY)
    assert [Path(s).name for s in result.sumber] == ["2025-s1.csv", "2025-s2.csv"]
    assert result.ikm.nilai == Decimal("75.00")
    # U2–U9 have no column: named once per file at its header (issue 16), not again per unsur
    assert [i.rule for i in issues].count("skm.kolom_unsur_tidak_ada") == 2
    assert [i.rule for i in issues].count("skm.unsur_tidak_ada") == 0
    assert "skm.frekuensi" not in [i.rule for i in issues]
    assert skm.analyse_folder(tmp_path / "tidak-ada") == (None, [])
    (tmp_path / "kosong" / "skm").mkdir(parents=True)
    assert skm.analyse_folder(tmp_path / "kosong") == (None, [])


# ---------------------------------------------------------------------------------------------
# The command


@pytest.fixture
def runner():
    return CliRunner()


def test_cli_text_summary(runner, tmp_path):
    path = write(tmp_path, "skm.csv", THREE)
    result = runner.invoke(cli.main, ["skm", str(path)])
    assert result.exit_code == 0, result.output
    assert "IKM 3,2222 × 25 = 80,56: mutu B (Baik)" in result.stdout
    assert "Dengan bobot 0,111 (bukan 1/9) nilai IKM tercetak 80,48, bukan 80,56; mutu tetap B." in result.stdout
    assert "U6 Kompetensi pelaksana" in result.stdout
    assert "tidak ada kolom tanggal" in result.stderr


def test_cli_json(runner, tmp_path):
    path = write(tmp_path, "skm.csv", GROUPED)
    out = tmp_path / "hasil.json"
    result = runner.invoke(cli.main, ["skm", str(path), "--format", "json", "-o", str(out), "--populasi", "500"])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["ikm"]["nilai"] == 78.13  # U1 3, U2 13/4 → 25/8 × 25 = 78,125 → 78,13
    assert data["sampel"] == {"populasi": 500, "minimum": 217, "responden": 4, "cukup": False}


def test_cli_bad_input_exits_1_and_writes_nothing(runner, tmp_path):
    path = write(tmp_path, "skm.csv", f"{HEADER}\n4,4,5,4,4,4,4,4,4\n4,4,4,4,4,4,4,4,sedang\n")
    out = tmp_path / "laporan.docx"
    result = runner.invoke(cli.main, ["skm", str(path), "--format", "docx", "-o", str(out)])
    assert result.exit_code == ExitCode.INPUT_ERROR
    lines = result.stderr.splitlines()
    assert len(lines) == 2
    assert lines[0].endswith("skm.csv:2:3: galat: U3 Waktu penyelesaian: jawaban 5 di luar rentang 1–4; tulis 1 "
                             "(tidak cepat) sampai 4 (sangat cepat), atau kosongkan bila unsur ini tidak ditanyakan")
    assert 'skm.csv:3:9: galat: U9 Sarana dan prasarana: jawaban "sedang" tidak dikenal' in lines[1]
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [path]


def test_cli_usage_errors_exit_2(runner, tmp_path):
    path = write(tmp_path, "skm.csv", THREE)
    no_output = runner.invoke(cli.main, ["skm", str(path), "--format", "docx"])
    assert no_output.exit_code == ExitCode.USAGE
    assert "--format docx memerlukan -o" in no_output.stderr
    bad_period = runner.invoke(cli.main, ["skm", str(path), "--periode", "2025-S9"])
    assert bad_period.exit_code == ExitCode.USAGE
    assert 'periode "2025-S9" tidak dikenal' in bad_period.stderr
    assert runner.invoke(cli.main, ["skm", str(path), "--populasi", "0"]).exit_code == ExitCode.USAGE
    other = write(tmp_path, "data.txt", "U1\n4\n")
    wrong_type = runner.invoke(cli.main, ["skm", str(other)])
    assert wrong_type.exit_code == ExitCode.USAGE
    assert "bukan berkas survei" in wrong_type.stderr
