"""Hostile files a unit may hold (issue 10, robustness): paths leaving the unit, images that are too
large or not images, unreadable evidence PDFs, awkward survey exports and templates reaching for
Python internals. Each is refused (or warned about) in Indonesian with its position and exit code,
never with a traceback, and nothing is written to the output folder."""

from __future__ import annotations

import io
import os
import shutil
from importlib import resources
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from docx import Document
from PIL import Image
from pypdf import PdfReader, PdfWriter

from sp_builder import cli

UNIT_LOGO = ("unit.yaml", "logo: logo.png", "unit.yaml:7:1")
BAGAN = ("layanan/ktp-el.yaml", "  bagan_alir: alur.png", "layanan/ktp-el.yaml:14:3")
FIELDS = ("logo", "bagan_alir", "foto", "bukti")
WHAT = {"logo": "Logo", "bagan_alir": "Bagan alir", "foto": "Foto", "bukti": "Bukti"}
WHERE = {"logo": "unit.yaml:7:1", "bagan_alir": "layanan/ktp-el.yaml:14:3", "foto": "fkp/fkp-2025.yaml:21:5",
         "bukti": "evaluasi.yaml:6:9"}


def run(*args: str):
    return CliRunner().invoke(cli.main, list(args))


def plant(unit: Path, field: str, value: str) -> None:
    """Write `value` as the file one of the four path fields refers to."""
    quoted = "'" + value.replace("'", "''") + "'"
    if field == "logo":
        text = (unit / "unit.yaml").read_text(encoding="utf-8")
        (unit / "unit.yaml").write_text(text.replace("logo: logo.png", f"logo: {quoted}"), encoding="utf-8")
    elif field == "bagan_alir":
        path = unit / "layanan" / "ktp-el.yaml"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("bagan_alir: alur.png", f"bagan_alir: {quoted}"), encoding="utf-8")
    elif field == "foto":
        with open(unit / "fkp" / "fkp-2025.yaml", "a", encoding="utf-8") as handle:
            handle.write(f"foto:\n  - {quoted}\n")
    else:
        (unit / "evaluasi.yaml").write_text(
            "instrumen: transisi-2022-a\njawaban:\n  1.a.Ak:\n    opsi: 2\n    bukti:\n"
            f"      - {quoted}\n", encoding="utf-8")


def lines_at(output: str, where: str) -> list[str]:
    return [line for line in output.splitlines() if where in line]


def tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.exists() else []


# --- 1. paths leaving the unit -----------------------------------------------------------------


@pytest.fixture
def outside(unit) -> Path:
    """A valid image next to the unit folder, and a folder outside it."""
    shutil.copy(unit / "logo.png", unit.parent / "luar.png")
    (unit.parent / "folder-luar").mkdir()
    return unit.parent / "luar.png"


def _path_case(unit: Path, outside: Path, case: str) -> tuple[str, str, str]:
    """(value to write, rule, message fragment) of one way to leave the unit."""
    if case == "naik":
        return "../luar.png", "di_luar", "berada di luar folder unit; salin berkasnya ke folder unit"
    if case == "absolut":
        return str(outside), "absolut", ("memakai jalur absolut; tulis jalur relatif terhadap folder unit, "
                                         'mis. "luar.png"')
    if case == "tautan_berkas":
        (unit / "tautan.png").symlink_to(outside)
        return "tautan.png", "di_luar", "berada di luar folder unit"
    if case == "tautan_folder_luar":
        (unit / "tautan-folder").symlink_to(unit.parent / "folder-luar", target_is_directory=True)
        return "tautan-folder", "di_luar", "berada di luar folder unit"
    if case == "tautan_folder_dalam":
        (unit / "gambar").mkdir()
        (unit / "tautan-folder").symlink_to(unit / "gambar", target_is_directory=True)
        return "tautan-folder", "folder", ("adalah folder, bukan berkas; tulis jalur berkasnya, "
                                           'mis. "tautan-folder/nama-berkas.png"')
    if case == "tautan_berputar":
        (unit / "a.png").symlink_to(unit / "b.png")
        (unit / "b.png").symlink_to(unit / "a.png")
        return "a.png", "berputar", "adalah tautan simbolik yang berputar (menunjuk ke dirinya sendiri)"
    raise AssertionError(case)


PATH_CASES = ("naik", "absolut", "tautan_berkas", "tautan_folder_luar", "tautan_folder_dalam", "tautan_berputar")


@pytest.mark.parametrize("case", PATH_CASES)
@pytest.mark.parametrize("field", FIELDS)
def test_path_leaving_the_unit_is_refused_with_its_position(unit, outside, field, case):
    value, _, fragment = _path_case(unit, outside, case)
    plant(unit, field, value)
    result = run("validate", ".")
    assert result.exit_code == 1, result.output
    found = lines_at(result.stdout, WHERE[field] + ": galat: ")
    assert len(found) == 1, result.stdout
    assert f'{WHAT[field]} "{value}" {fragment}' in found[0]
    assert "Traceback" not in result.output and "galat internal" not in result.output


@pytest.mark.parametrize("case", PATH_CASES)
def test_check_refuses_evidence_leaving_the_unit(unit, outside, case):
    value, _, fragment = _path_case(unit, outside, case)
    plant(unit, "bukti", value)
    result = run("check", ".")
    assert result.exit_code == 1
    assert f'evaluasi.yaml:6:9: galat: Bukti "{value}" {fragment}' in result.stdout
    assert "1 galat pada berkas unit" in result.stderr


def test_symlink_inside_the_unit_to_a_file_inside_is_accepted(unit):
    (unit / "gambar").mkdir()
    shutil.move(unit / "logo.png", unit / "gambar" / "logo.png")
    (unit / "logo.png").symlink_to(Path("gambar") / "logo.png")
    result = run("validate", ".")
    assert result.exit_code == 0 and "unit.yaml" not in result.output


def test_render_refuses_a_path_outside_and_writes_nothing(unit, outside, tmp_path):
    plant(unit, "bagan_alir", "../luar.png")
    out = tmp_path / "keluaran"
    result = run("render", "all", ".", "-o", str(out))
    assert result.exit_code == 1
    assert 'layanan/ktp-el.yaml:14:3: galat: Sistem, Mekanisme, dan Prosedur: Bagan alir "../luar.png" berada di ' \
           "luar folder unit" in result.stderr
    assert not out.exists()


# --- 2. images ---------------------------------------------------------------------------------


def big_png(path: Path, width: int = 10_000, height: int = 10_000) -> Path:
    """A huge picture that is small on disk: one bit per pixel, all white."""
    Image.new("1", (width, height), 1).save(path, optimize=True)
    return path


IMAGES = {
    "besar.png": ("gambar.terlalu_besar",
                  "gambar terlalu besar (10.000 × 10.000 piksel); perkecil menjadi paling banyak 40 megapiksel"),
    "rusak.png": ("gambar.tidak_terbaca", "bukan gambar PNG/JPEG yang dapat dibaca"),
    "teks.png": ("gambar.tidak_terbaca", "bukan gambar PNG/JPEG yang dapat dibaca"),
    "terpotong.png": ("gambar.tidak_terbaca", "bukan gambar PNG/JPEG yang dapat dibaca"),
    "kosong.png": ("gambar.tidak_terbaca", "berkas kosong (0 bita)"),
    "terpotong.jpg": ("gambar.tidak_terbaca", "bukan gambar PNG/JPEG yang dapat dibaca (isinya rusak atau terpotong)"),
    "terpotong.gif": ("gambar.tidak_terbaca", "bukan gambar PNG/JPEG yang dapat dibaca (isinya rusak atau terpotong)"),
    "terpotong.tiff": ("gambar.tidak_terbaca", "bukan gambar PNG/JPEG yang dapat dibaca (isinya rusak atau terpotong)"),
}


def make_image(unit: Path, name: str) -> None:
    path = unit / name
    if name == "besar.png":
        big_png(path)
        assert path.stat().st_size < 100_000
    elif name == "rusak.png":
        path.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(2000))
    elif name == "teks.png":
        path.write_text("ini catatan rapat, bukan gambar\n", encoding="utf-8")
    elif name == "terpotong.png":
        data = (unit / "alur.png").read_bytes()
        path.write_bytes(data[: len(data) // 2])
    elif name.startswith("terpotong."):  # header intact, the picture cut short: a broken upload
        whole = unit / f"utuh.{name.split('.')[1]}"
        picture = Image.frombytes("RGB", (400, 300), os.urandom(400 * 300 * 3))  # big enough to cut mid-pixels
        picture.save(whole, {"jpg": "JPEG"}.get(whole.suffix[1:], whole.suffix[1:].upper()))
        data = whole.read_bytes()
        path.write_bytes(data[: len(data) * 2 // 3])
    else:
        path.write_bytes(b"")


@pytest.mark.parametrize("name", sorted(IMAGES))
@pytest.mark.parametrize("field", ("logo", "bagan_alir", "foto"))
def test_bad_image_is_refused_by_validate_with_its_position(unit, field, name):
    make_image(unit, name)
    plant(unit, field, name)
    result = run("validate", ".", "--format", "json")
    assert result.exit_code == 1
    import json

    issues = [i for i in json.loads(result.stdout) if i["severity"] == "galat"]
    assert len(issues) == 1, issues
    rule, fragment = IMAGES[name]
    where = WHERE[field].split(":")
    assert (issues[0]["file"], issues[0]["line"], issues[0]["column"], issues[0]["rule"]) == (
        where[0], int(where[1]), int(where[2]), rule)
    assert issues[0]["message"].startswith(f'{WHAT[field]} "{name}": {fragment}')


@pytest.mark.parametrize("field", ("logo", "bagan_alir", "foto"))
def test_render_refuses_a_bad_image_before_writing_anything(unit, field, tmp_path):
    make_image(unit, "besar.png")
    plant(unit, field, "besar.png")
    out = tmp_path / "keluaran"
    out.mkdir()
    (out / "lama.txt").write_text("tetap")
    result = run("render", "all", ".", "-o", str(out))
    assert result.exit_code == 1
    assert f"{WHERE[field]}: galat: " in result.stderr and "gambar terlalu besar (10.000 × 10.000" in result.stderr
    assert "Traceback" not in result.output
    assert tree(out) == ["lama.txt"]


def test_a_scanned_a3_flowchart_at_300_dpi_passes(unit):
    big_png(unit / "alur.png", 4960, 3508)
    result = run("validate", ".")
    assert result.exit_code == 0, result.output


def test_jpeg_gif_bmp_and_tiff_logos_pass(unit):
    for fmt in ("JPEG", "GIF", "BMP", "TIFF"):
        name = f"logo.{fmt.lower()}"
        Image.open(unit / "logo.png").convert("RGB").save(unit / name, fmt)
        text = (unit / "unit.yaml").read_text(encoding="utf-8")
        (unit / "unit.yaml").write_text(text.replace("logo: logo.png", f"logo: {name}"), encoding="utf-8")
        result = run("validate", "unit.yaml")
        assert result.exit_code == 0, (fmt, result.output)
        (unit / "unit.yaml").write_text(text, encoding="utf-8")


def test_webp_logo_is_refused_since_word_cannot_hold_it(unit):
    Image.open(unit / "logo.png").save(unit / "logo.webp", "WEBP")
    plant(unit, "logo", "logo.webp")
    result = run("validate", ".")
    assert result.exit_code == 1
    assert 'unit.yaml:7:1: galat: Logo "logo.webp": bukan gambar PNG/JPEG yang dapat dibaca' in result.stdout


# --- 3. evidence PDFs --------------------------------------------------------------------------


def pdf_bytes(pages: int = 2) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


EVIDENCE = {
    "terkunci.pdf": "PDF terenkripsi (berkata sandi); evaluator tidak dapat membukanya — simpan ulang tanpa sandi",
    "terpotong.pdf": "PDF rusak atau terpotong dan tidak dapat dibaca (PdfStreamError); unduh atau pindai ulang",
    "kosong.pdf": "berkas kosong (0 bita); unggah ulang berkas buktinya",
    "halaman.pdf": "berisi halaman web (HTML), bukan PDF atau gambar — biasanya hasil unduhan yang gagal",
    "bukan-gambar.png": "bukan PDF atau gambar yang dapat dibaca (PNG, JPEG, GIF, BMP, TIFF)",
}


@pytest.fixture
def evidence(unit) -> Path:
    """evaluasi.yaml citing one good PDF and each kind of unreadable evidence (lines 6–11)."""
    folder = unit / "bukti"
    folder.mkdir()
    data = pdf_bytes()
    (folder / "baik.pdf").write_bytes(data)
    (folder / "terpotong.pdf").write_bytes(data[: len(data) // 2])
    (folder / "kosong.pdf").write_bytes(b"")
    (folder / "halaman.pdf").write_text("<!DOCTYPE html>\n<html><body>Sesi Anda berakhir</body></html>\n")
    (folder / "bukan-gambar.png").write_text("bukan gambar")
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt("rahasia")
    with open(folder / "terkunci.pdf", "wb") as handle:
        writer.write(handle)
    (unit / "evaluasi.yaml").write_text(
        "instrumen: transisi-2022-a\njawaban:\n  1.a.Ak:\n    opsi: 2\n    bukti:\n      - bukti/baik.pdf\n"
        + "".join(f"      - bukti/{name}\n" for name in EVIDENCE), encoding="utf-8")
    return unit


def test_unreadable_evidence_is_a_positioned_warning_in_check(evidence):
    result = run("check", ".")
    assert result.exit_code == 0, result.output
    for line, (name, why) in enumerate(EVIDENCE.items(), start=7):
        assert f'evaluasi.yaml:{line}:9: peringatan: bukti "bukti/{name}": {why}' in result.stdout
    assert "EOF marker" not in result.output  # pypdf's own English warnings stay quiet


def test_unreadable_evidence_is_a_positioned_warning_in_validate(evidence):
    result = run("validate", ".")
    assert result.exit_code == 0, result.output
    found = lines_at(result.stdout, "evaluasi.yaml:")
    assert [line.split(": peringatan: ")[0] for line in found] == [f"evaluasi.yaml:{n}:9" for n in range(7, 12)]
    assert "0 galat, 6 peringatan" in result.stderr  # the five, and the SP older than a year
    strict = run("validate", ".", "--strict")
    assert strict.exit_code == 1


def test_bundle_names_unreadable_evidence_and_appends_only_the_readable(evidence, tmp_path):
    target = tmp_path / "bukti-dukung.pdf"
    result = run("check", ".", "--bundle", str(target))
    assert result.exit_code == 0, result.output
    reader = PdfReader(target)
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "- baik.pdf" in text
    assert "terkunci.pdf — tidak dilampirkan: PDF terenkripsi" in text
    assert "kosong.pdf — tidak dilampirkan: berkas kosong (0 bita)" in text
    assert "halaman.pdf — tidak dilampirkan: berisi halaman web (HTML)" in text
    # cover (1 page), the indicator's page, and the two pages of baik.pdf only
    assert len(reader.pages) == 4


# --- 4. SKM exports ----------------------------------------------------------------------------

HEADER = "U1,U2,U3,U4,U5,U6,U7,U8,U9"


def skm(*args: str):
    return run("skm", *args, "--format", "json")


def test_semicolon_csv_with_decimal_comma_answers(tmp_path):
    path = tmp_path / "titik-koma.csv"
    path.write_text("U1;U2;U3;umur\n3,0;4;4;25,5\n2,5;4;4;40\n", encoding="utf-8")
    result = skm(str(path))
    assert result.exit_code == 1
    assert "titik-koma.csv:3:1: galat: U1 Persyaratan: jawaban 2,5 bukan bilangan bulat" in result.stderr
    path.write_text("U1;U2;U3;umur\n3,0;4;4;25,5\n", encoding="utf-8")
    result = skm(str(path))
    assert result.exit_code == 0, result.output
    import json

    data = json.loads(result.stdout)
    assert data["responden"] == 1
    assert "25,5" not in result.stdout  # the age is put in its group, not shown as written


def test_the_header_decides_the_separator_not_answers_full_of_decimal_commas(tmp_path):
    path = tmp_path / "desimal.csv"  # by commas the answer lines split wider than by semicolons
    path.write_text("U1;U2;U3\n3,0;2,0;4,0\n4,0;4,0;4,0\n", encoding="utf-8")
    result = skm(str(path))
    assert result.exit_code == 0, result.output
    import json

    assert json.loads(result.stdout)["responden"] == 2


def test_utf16_tab_separated_csv_from_excel_unicode_text_is_read(tmp_path):
    path = tmp_path / "unicode.csv"
    text = "U1\tU2\tU3\tnama\r\n4\t3\t4\tSéptian\r\n3\t3\t3\tRené\r\n"
    path.write_bytes(text.encode("utf-16"))  # with a BOM, as Excel writes it
    result = skm(str(path))
    assert result.exit_code == 0, result.output
    assert '"responden": 2' in result.stdout
    path.write_bytes(text.encode("utf-16-le"))  # without a BOM
    assert '"responden": 2' in skm(str(path)).stdout


def test_windows_1252_csv_is_refused_with_how_to_save_as_utf8(tmp_path):
    path = tmp_path / "ansi.csv"
    path.write_bytes("U1,U2,nama\n4,4,Andi\n3,3,Ren\u00e9\n".encode("cp1252"))
    result = skm(str(path))
    assert result.exit_code == 1
    assert ('ansi.csv:3:8: galat: berkas bukan UTF-8 (bita 0xE9, dalam Windows-1252/Latin-1 berarti "é"); simpan ulang berkas dengan pengodean UTF-8; '
            'di Excel: Simpan Sebagai → "CSV UTF-8 (dibatasi koma)"') in result.stderr


def test_csv_with_bom_is_read(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufeffU1,U2\n4,3\n".encode("utf-8"))
    result = skm(str(path))
    assert result.exit_code == 0 and '"responden": 1' in result.stdout


@pytest.mark.parametrize("title", [
    "REKAP SURVEI KEPUASAN MASYARAKAT\nDinas Kependudukan Kota Contoh\n\n",  # a title line without separators
    "REKAP SURVEI KEPUASAN MASYARAKAT;;;;\nPeriode: Semester I 2026;;;;\n;;;;\n",  # as Excel pads it
])
def test_csv_title_rows_above_the_header_are_passed_over_with_a_warning(tmp_path, title):
    path = tmp_path / "rekap.csv"
    path.write_text(title + "U1;U2;U3;umur\n4;3;4;25\n3;3;3;40\n", encoding="utf-8")
    result = skm(str(path))
    assert result.exit_code == 0, result.output
    import json

    assert json.loads(result.stdout)["responden"] == 2
    assert ("rekap.csv:1: peringatan: baris 1–2 di atas judul kolom dilewati sebagai judul laporan; judul kolom "
            "dibaca dari baris 4") in result.stderr
    path.write_text(title + "U1;U2;U3;umur\n4;3;5;25\n", encoding="utf-8")
    assert "rekap.csv:5:3: galat: U3 Waktu penyelesaian: jawaban 5" in skm(str(path)).stderr  # lines stay true


def test_xlsx_title_rows_and_a_header_too_far_down(tmp_path):
    import json

    book = openpyxl.Workbook()
    book.active.append(["Rekap SKM UPTD Puskesmas Sukamaju"])
    book.active.append([])
    book.active.append(["U1", "U2", "U3"])
    book.active.append([4, 4, 3])
    book.save(tmp_path / "judul.xlsx")
    result = skm(str(tmp_path / "judul.xlsx"))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["responden"] == 1
    assert "judul.xlsx:1: peringatan: baris 1 di atas judul kolom dilewati sebagai judul laporan" in result.stderr

    path = tmp_path / "jauh.csv"  # ten lines of notes, then the header: not looked for that far
    path.write_text("".join(f"catatan {n}\n" for n in range(10)) + "U1,U2\n4,4\n", encoding="utf-8")
    result = skm(str(path))
    assert result.exit_code == 1
    assert "jauh.csv: galat: tidak ada kolom unsur SKM; beri judul kolom U1…U9" in result.stderr


def _workbook(path: Path, *, formula_cached: str | None = None) -> Path:
    """A "Petunjuk" sheet first, the answers in "Data" (a formula in B2, D2:D4 merged, row 3 hidden),
    then a "Rekap" of averages that must not be counted."""
    book = openpyxl.Workbook()
    book.active.title = "Petunjuk"
    book.active.append(["Isi jawaban di lembar Data"])
    data = book.create_sheet("Data")
    data.append(["U1", "U2", "U3", "layanan"])
    data.append([4, "=2+1", 3, "ktp-el"])
    data.append([3, 3, 3, None])
    data.append([2, 2, 2, None])
    data.append([1, 1, 1, "kk"])
    data.merge_cells("D2:D4")
    data.row_dimensions[3].hidden = True
    rekap = book.create_sheet("Rekap")
    rekap.append(["U1", "U2"])
    rekap.append(["=AVERAGE(Data!A2:A5)", 1])
    book.save(path)
    if formula_cached is not None:  # as Excel saves it: the formula with its last value
        import zipfile

        with zipfile.ZipFile(path) as archive:
            parts = {name: archive.read(name) for name in archive.namelist()}
        sheet = "xl/worksheets/sheet2.xml"
        parts[sheet] = parts[sheet].replace(b"<f>2+1</f><v></v>", f"<f>2+1</f><v>{formula_cached}</v>".encode())
        with zipfile.ZipFile(path, "w") as archive:
            for name, blob in parts.items():
                archive.writestr(name, blob)
    return path


def test_xlsx_formula_without_stored_value_is_a_positioned_error(tmp_path):
    path = _workbook(tmp_path / "rumus.xlsx")
    result = skm(str(path))
    assert result.exit_code == 1
    assert ("rumus.xlsx:2:2: galat: sel berisi rumus =2+1 tanpa nilai tersimpan; buka dan simpan ulang berkas di "
            "Excel atau LibreOffice") in result.stderr


def test_xlsx_sheets_merged_cells_and_hidden_rows(tmp_path):
    import json

    path = _workbook(tmp_path / "survei.xlsx", formula_cached="3")
    result = skm(str(path))
    assert result.exit_code == 0, result.output
    assert 'survei.xlsx: peringatan: dibaca lembar "Data" (lembar pertama "Petunjuk" tidak memuat kolom unsur)' \
        in result.stderr
    assert 'survei.xlsx: peringatan: lembar "Rekap" juga memuat kolom unsur SKM tetapi tidak dihitung' in result.stderr
    assert ("survei.xlsx:3: peringatan: 1 baris disembunyikan di Excel (baris 3) tetapi tetap dihitung"
            in result.stderr)
    assert json.loads(result.stdout)["responden"] == 4  # the hidden row counts, the Rekap row does not
    # the merged layanan cell D2:D4 applies to each of its three rows
    only = run("skm", str(path), "--layanan", "ktp-el", "--format", "json")
    assert json.loads(only.stdout)["responden"] == 3


# --- 5. user templates -------------------------------------------------------------------------


def user_template(unit: Path, expression: str, name: str = "sp.docx") -> Path:
    doc = Document(io.BytesIO(resources.files("sp_builder.templates").joinpath(name).read_bytes()))
    doc.add_paragraph(expression)
    (unit / "templates").mkdir(exist_ok=True)
    doc.save(unit / "templates" / name)
    return unit / "templates" / name


ESCAPES = {
    "{{ ''.__class__.__mro__[1].__subclasses__() }}": 'atribut "__class__" tidak boleh dipakai di templat pengguna',
    "{{ cycler.__init__.__globals__ }}": 'atribut "__init__" tidak boleh dipakai di templat pengguna',
    "{{ self._TemplateReference__context }}":
        'atribut "_TemplateReference__context" tidak boleh dipakai di templat pengguna',
    "{{ lipsum.__globals__['os'] }}": 'atribut "__globals__" tidak boleh dipakai di templat pengguna',
    "{{ kop|attr('__class__') }}": 'atribut "__class__" tidak boleh dipakai di templat pengguna',
    "{{ request }}": 'variabel "request" tidak dikenal',
    "{{ config }}": 'variabel "config" tidak dikenal',
    "{% for x in range(100000000) %}{% endfor %}": "range() lebih dari 100.000 butir tidak diizinkan",
    "{{ 'a' * 2000000 }}":
        "operasi tidak diizinkan di templat pengguna: perkalian menghasilkan lebih dari 1.000.000 butir",
    "{{ 9 ** 99999 }}": "operasi tidak diizinkan di templat pengguna: pangkat lebih dari 1000",
    "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}": "makro memanggil dirinya sendiri tanpa henti",
}


@pytest.mark.parametrize("expression", list(ESCAPES))
def test_template_reaching_for_python_internals_is_blocked(unit, tmp_path, expression):
    user_template(unit, expression)
    out = tmp_path / "keluaran"
    result = run("render", "sp", ".", "-o", str(out))
    assert result.exit_code == 1
    assert f"galat: templat templates/sp.docx: {ESCAPES[expression]}" in result.stderr
    assert "Traceback" not in result.output and "galat internal" not in result.output
    assert not out.exists()


def test_template_given_with_templates_option_is_sandboxed_too(unit, tmp_path):
    user_template(unit, "{{ cycler.__init__.__globals__ }}", "maklumat.docx")
    folder = tmp_path / "templat-saya"
    shutil.move(unit / "templates", folder)
    out = tmp_path / "keluaran"
    result = run("render", "all", ".", "-o", str(out), "--templates", str(folder))
    assert result.exit_code == 1
    assert f'galat: templat {folder / "maklumat.docx"}: atribut "__init__" tidak boleh dipakai' in result.stderr \
        or 'maklumat.docx: atribut "__init__" tidak boleh dipakai' in result.stderr
    assert not out.exists()


def test_harmless_arithmetic_still_renders(unit, tmp_path):
    user_template(unit, "{{ '-' * 20 }} {{ 2 ** 10 }}")
    out = tmp_path / "keluaran"
    result = run("render", "sp", ".", "-o", str(out))
    assert result.exit_code == 0, result.output
    text = "\n".join(p.text for p in Document(out / "sp" / "ktp-el.docx").paragraphs)
    assert "-" * 20 + " 1024" in text


def test_a_line_longer_than_the_csv_field_limit_is_an_error_not_a_crash(tmp_path):
    """Found by the fuzz run: choosing the separator read the first lines with the csv module, which
    raises on a field over 131 072 characters before the positioned message could be given."""
    path = tmp_path / "panjang.csv"
    path.write_text("\n" + "x" * 200_000 + "\n", encoding="utf-8")
    result = skm(str(path))
    assert result.exit_code == 1
    assert "Traceback" not in result.output + result.stderr and "galat internal" not in result.stderr
    assert "panjang.csv:2: galat: baris 2 dan seterusnya tidak dapat dibaca sebagai CSV" in result.stderr
