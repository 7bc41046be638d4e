"""check: the checklist, what the files prove, the self-assessment, index and category by hand."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from pypdf import PdfWriter
from ruamel.yaml import YAML

from sp_builder import cli
from sp_builder.assessment.check import build_report
from sp_builder.assessment.views import as_html, as_text, render
from sp_builder.instrument import available, check_instrument_data, load_instrument

DATA = Path(__file__).parent / "data"
TODAY = dt.date(2025, 6, 1)




def write_answers(root: Path, instrument: str, answers: dict, extra: str = "") -> None:
    data = {"instrumen": instrument, "periode": "2025", "jawaban": answers}
    with open(root / "evaluasi.yaml", "w", encoding="utf-8") as handle:
        YAML(typ="safe", pure=True).dump(data, handle)
        handle.write(extra)


def all_answers(instrument: str, kode: str) -> dict:
    return {ident: {"opsi": kode} for ident in load_instrument(instrument).indicators}


# --- known answers, computed by hand ---------------------------------------------------------

def test_transisi_a_all_fives_capped_by_what_the_files_prove(unit):
    write_answers(unit, "transisi-2022-a", all_answers("transisi-2022-a", "5"))
    report = build_report(unit, today=TODAY)
    values = {a.id: a.nilai for a in report.aspects}
    # aspect 1: SP 2 (a draft), FKP groups 4, review 4 (a draft), the rest 5 → 40/9
    assert values[1] == Decimal(40) / Decimal(9)
    assert values[2] == 5 and values[4] == 5 and values[5] == 5 and values[6] == 5
    # aspect 3: vulnerable-group facilities: kursi roda, toilet khusus, loket khusus, ramp = 4 → level 2
    assert values[3] == Decimal("4.5")
    expected = Decimal("0.24") * Decimal(40) / 9 + Decimal("0.25") * 5 + Decimal("0.18") * Decimal("4.5") \
        + Decimal("0.11") * 5 + Decimal("0.10") * 5 + Decimal("0.12") * 5
    assert abs(report.indeks - expected) < Decimal("1e-20")
    assert str(report.indeks_bulat) == "4.78"
    assert (report.kategori.kode, report.kategori.nama) == ("A", "Pelayanan Prima")
    assert sorted(i.message.split(" = ")[0] for i in report.kontradiksi) == [
        "jawaban 1.a.Ak", "jawaban 18.c.K", "jawaban 2.a.P", "jawaban 4.a.K"]


def test_the_default_is_the_weighted_2023_instrument_all_fives_capped(unit):
    # evaluasi.yaml naming no instrument answers the default, pekppp-2023 (weights in percent of the aspect)
    (unit / "evaluasi.yaml").write_text("periode: '2025'\njawaban:\n" + "".join(
        f"  {ident}: {{opsi: 5}}\n" for ident in load_instrument("pekppp-2023").indicators), encoding="utf-8")
    report = build_report(unit, today=TODAY)
    assert (report.instrumen.id, report.instrumen.nilai_aspek) == ("pekppp-2023", "tertimbang")
    values = {a.id: a.nilai for a in report.aspects}
    # the same caps as under transisi-2022-a: aspect 1 = (2·17 + 4·14 + 5·7 + 4·14 + 5·10 + 5·17 + 5·7·3)/100
    assert values[1] == Decimal("4.21")
    # aspect 3: 18.c.K (20 %) at level 2, the rest (80 %) at 5
    assert values[3] == Decimal("4.4") and values[2] == values[4] == values[5] == values[6] == 5
    assert report.indeks == Decimal("0.24") * Decimal("4.21") + Decimal("0.25") * 5 + Decimal("0.18") * Decimal("4.4") \
        + (Decimal("0.11") + Decimal("0.10") + Decimal("0.12")) * 5 == Decimal("4.7024")
    assert (str(report.indeks_bulat), report.kategori.kode) == ("4.70", "A")
    # the 2022 instrument stays selectable and keeps its equal-weight figure
    assert str(build_report(unit, today=TODAY, instrument="transisi-2022-a").indeks_bulat) == "4.78"


def _fives_except(instrument: str, lower: dict[str, str]) -> dict:
    return {ident: {"opsi": lower.get(ident, "5")} for ident in load_instrument(instrument).indicators}


# Beyond the caps of the files (1.a.Ak 2, 2.a.P 4, 4.a.K 4, 18.c.K 2: 2976/10 000 of the index under
# pekppp-2023, where one point of an indicator costs aspect % × indicator % / 10 000), chosen options:
# 29.f.B, 30.f.B (12 % × 50 % each), 16.c.As (18 % × 23 %), 17.c.As (18 % × 20 %) at 4 cost
# 600 + 600 + 414 + 360 = 1974 more → 5 − 4950/10 000 = 4,505, which rounds half up to 4,51: A.
# Adding 10.b.As (25 % × 10 %) and moving 29/30 back to 5 and 11.b.K, 12.b.Ak (25 % × 20 %) to 4:
# 250 + 500 + 500 + 414 + 360 = 2024 → 5 − 5000/10 000 = 4,50 exactly: A-.
AT_4_505 = {"29.f.B": "4", "30.f.B": "4", "16.c.As": "4", "17.c.As": "4"}
AT_4_50 = {"10.b.As": "4", "11.b.K": "4", "12.b.Ak": "4", "16.c.As": "4", "17.c.As": "4"}


@pytest.mark.parametrize("lower, weighted, kode, equal, shown_equal", [
    # equal: aspect 1 = 40/9 (caps), aspect 3 = (5 + 4 + 4 + 2 + 5 + 5)/6 = 25/6, aspect 6 = 4
    (AT_4_505, Decimal("4.505"), "A", Decimal("0.24") * 40 / 9 + Decimal("1.25") + Decimal("0.18") * 25 / 6
     + Decimal("0.55") + Decimal("0.50") + Decimal("0.48"), "4.60"),
    # equal: aspect 2 = (4 + 4 + 4 + 5 + 5)/5 = 4,4
    (AT_4_50, Decimal("4.50"), "A-", Decimal("0.24") * 40 / 9 + Decimal("0.25") * Decimal("4.4")
     + Decimal("0.18") * 25 / 6 + Decimal("0.55") + Decimal("0.50") + Decimal("0.60"), "4.57"),
])
def test_known_answers_weighted_and_equal_on_the_category_edge(unit, lower, weighted, kode, equal, shown_equal):
    write_answers(unit, "pekppp-2023", _fives_except("pekppp-2023", lower))
    report = build_report(unit, today=TODAY)
    assert report.indeks == weighted and report.kategori.kode == kode
    write_answers(unit, "pekppp-2023-setara", _fives_except("pekppp-2023-setara", lower))
    report = build_report(unit, today=TODAY)
    assert abs(report.indeks - equal) < Decimal("1e-20")
    assert (str(report.indeks_bulat), report.kategori.kode) == (shown_equal, "A")


def test_weighted_gains_follow_the_indicator_weights(unit):
    write_answers(unit, "pekppp-2023", _fives_except("pekppp-2023", {"14.b.K": "0", "10.b.As": "0"}))
    gains = {g.indikator: g.kenaikan for g in build_report(unit, today=TODAY).kesenjangan}
    assert gains["14.b.K"] == Decimal("0.25") * Decimal("0.30") * 5  # 0,375, against 0,25 under equal weights
    assert gains["10.b.As"] == Decimal("0.25") * Decimal("0.10") * 5
    assert gains["1.a.Ak"] == Decimal("0.24") * Decimal("0.17") * 3


def test_transisi_b_all_threes(unit):
    write_answers(unit, "transisi-2022-b", all_answers("transisi-2022-b", "3"))
    report = build_report(unit, today=TODAY)
    # B1 capped at 2 (a draft), B2 proven 4 (> the answer 3): aspect 1 = (2+4+3*6)/8 = 3; the rest 3
    assert [a.nilai for a in report.aspects] == [3, 3, 3, 3, 3, 3]
    assert str(report.indeks_bulat) == "3.00"
    assert report.kategori.kode == "C"


def test_permenpanrb_17_2017_weighted(unit):
    answers = all_answers("permenpanrb-17-2017", "5")
    answers["37"] = {"opsi": "0"}
    write_answers(unit, "permenpanrb-17-2017", answers)
    report = build_report(unit, today=TODAY)
    assert report.aspects[5].nilai == 0
    assert str(report.indeks_bulat) == "4.65"  # 5 × (1 − 0,07)
    assert report.kategori.kode == "A"
    assert report.kesenjangan[0].indikator == "37"
    assert report.kesenjangan[0].kenaikan == Decimal("0.07") * 5


def test_without_evaluasi_only_files_count(unit):
    report = build_report(unit, today=TODAY)
    ind = {i.id: i for a in report.aspects for i in a.indikator}
    assert (ind["1.a.Ak"].nilai, ind["1.a.Ak"].sumber) == (2, "berkas")
    assert ind["2.a.P"].nilai == 4 and ind["18.c.K"].nilai == 2 and ind["26.e.P"].nilai == 2
    assert (ind["10.b.As"].nilai, ind["10.b.As"].sumber) == (0, "belum dijawab")


@pytest.mark.parametrize("ident", available())
@pytest.mark.parametrize("value, kode", [
    ("5.00", "A"), ("4.51", "A"), ("4.505", "A"), ("4.50", "A-"), ("4.01", "A-"), ("4.00", "B"), ("3.51", "B"),
    ("3.50", "B-"), ("3.01", "B-"), ("3.00", "C"), ("2.51", "C"), ("2.50", "C-"), ("2.01", "C-"), ("2.00", "D"),
    ("1.51", "D"), ("1.50", "E"), ("1.01", "E"), ("1.005", "E"), ("1.00", "F"), ("0", "F"),
])
def test_category_boundaries(ident, value, kode):
    assert load_instrument(ident).category(Decimal(value)).kode == kode


def test_instrument_file_problems_are_all_reported():
    data = json.loads((Path(__file__).parents[1] / "schemas" / "instrumen" / "transisi-2022-a.json").read_text())
    data["aspek"][0]["bobot"] = 0.5
    data["aspek"][1]["indikator"][0]["opsi"][5]["nilai"] = 9
    data["aspek"][2]["indikator"][0]["dari_berkas"] = "tebakan"
    messages = [i.message for i in check_instrument_data(data, "x.json")]
    assert any("jumlah bobot aspek 1.260" in m for m in messages)
    assert any("nilai opsi 5 di luar skala" in m for m in messages)
    assert any('dari_berkas "tebakan" tidak dikenal' in m for m in messages)



def test_instrument_file_of_the_wrong_shape_is_named_by_path_not_a_crash():
    data = json.loads((Path(__file__).parents[1] / "schemas" / "instrumen" / "transisi-2022-a.json").read_text())
    data["aspek"][0]["bobot"] = "24%"
    data["aspek"][1]["indikator"][0]["opsi"][2]["nilai"] = True
    data["aspek"][2]["indikator"][1] = "indikator"
    data["kategori"] = []
    del data["nama"]
    messages = [i.message for i in check_instrument_data(data, "x.json")]
    assert messages == [
        'instrumen: kunci "nama" wajib ada',
        "instrumen: aspek[0].bobot harus berupa bilangan",
        "instrumen: aspek[1].indikator[0].opsi[2].nilai harus berupa bilangan bulat",
        "instrumen: aspek[2].indikator[1] harus berupa objek {...}",
        "instrumen: kategori harus berupa daftar [...] yang tidak kosong",
    ]

# --- the checklist ------------------------------------------------------------------------------

def test_checklist_matrix_and_cycle(unit):
    path = unit / "layanan" / "kartu-keluarga.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  produk: [Kartu Keluarga]\n", "")
                    .replace("jangka_waktu: 60 menit", "jangka_waktu: secepatnya"), encoding="utf-8")
    report = build_report(unit, today=dt.date(2026, 3, 1))
    kk, ktp = report.services
    status = {c.key: c.status for c in kk.cells}
    assert status["produk"] == "kosong" and status["jangka_waktu"] == "galat" and status["persyaratan"] == "terisi"
    assert '"secepatnya" bukan durasi' in next(c.pesan for c in kk.cells if c.key == "jangka_waktu")
    steps = {s.nama: s for s in ktp.steps}
    assert steps["FKP dan Berita Acara"].tanggal == dt.date(2025, 1, 10)
    assert steps["Penetapan"].status == "selesai" and steps["Penetapan"].keterangan == "400.12/015/DKPS/2025"
    assert steps["Evaluasi tahunan"].status == "terlambat"
    assert steps["SKM"].status == "belum"
    assert {s.nama: s.status for s in kk.steps}["Penetapan"] == "belum"


# --- contradictions and evidence ----------------------------------------------------------------

def test_contradiction_names_both_positions(unit):
    write_answers(unit, "transisi-2022-a", {"1.a.Ak": {"opsi": "4", "catatan": "SK terlampir"}})
    report = build_report(unit, today=TODAY)
    (issue,) = report.kontradiksi
    assert (issue.path, issue.line) == ("evaluasi.yaml", 3)
    assert "melebihi yang dibuktikan berkas (paling tinggi 2)" in issue.message
    assert "layanan/kartu-keluarga.yaml:2" in issue.message


def test_evaluasi_problems_with_positions(unit):
    (unit / "bukti").mkdir()
    (unit / "bukti" / "catatan.txt").write_text("bukan pdf")
    (unit / "bukti" / "rusak.pdf").write_bytes(b"%PDF-1.4\nrusak sama sekali")
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt("rahasia")
    with open(unit / "bukti" / "terkunci.pdf", "wb") as handle:
        writer.write(handle)
    (unit / "evaluasi.yaml").write_text(
        "instrumen: transisi-2022-a\n"
        "periode: 2025\n"
        "jawaban:\n"
        "  10.b.As: {opsi: 7}\n"
        "  11.b.K:\n"
        "    opsi: 2\n"
        "    bukti:\n"
        "      - bukti/tidak-ada.pdf\n"
        "      - bukti/catatan.txt\n"
        "      - bukti/rusak.pdf\n"
        "      - bukti/terkunci.pdf\n"
        "  99.z.Q: {opsi: 1}\n", encoding="utf-8")
    report = build_report(unit, today=TODAY)
    found = {(i.rule, i.line, i.severity.value): i.message for i in report.issues if i.path == "evaluasi.yaml"}
    text = "\n".join(f"{k}: {v}" for k, v in found.items())
    assert ("evaluasi.opsi", 4, "galat") in found and "pilih salah satu: 0, 1, 2, 3, 4, 5" in text
    assert ("berkas.tidak_ada", 8, "galat") in found
    assert ("evaluasi.bukti_tidak_terbaca", 9, "peringatan") in found
    assert 'bukti "bukti/catatan.txt": bukan PDF atau gambar' in text
    assert 'bukti "bukti/rusak.pdf": PDF rusak' in text
    assert 'bukti "bukti/terkunci.pdf": PDF terenkripsi' in text
    assert ("evaluasi.indikator", 12, "galat") in found
    assert {i.id: i.nilai for a in report.aspects for i in a.indikator}["11.b.K"] == 2


# --- views --------------------------------------------------------------------------------------

def test_json_shape_key_by_key(unit):
    write_answers(unit, "transisi-2022-a", all_answers("transisi-2022-a", "5"))
    data = json.loads(render(build_report(unit, today=TODAY), "json"))
    assert list(data)[:1] == ["unit"]
    assert {"unit", "services", "aspects", "indeks", "kategori", "kesenjangan"} <= set(data)
    assert data["unit"] == "Dinas Kependudukan dan Pencatatan Sipil"
    service = data["services"][1]
    assert {"file", "nama", "errors", "warnings"} <= set(service)
    assert service["file"] == "layanan/ktp-el.yaml" and service["errors"] == []
    assert [c["status"] for c in service["komponen"]] == ["terisi"] * 14
    aspect = data["aspects"][0]
    assert {k: aspect[k] for k in ("id", "nama", "bobot")} == {"id": 1, "nama": "Kebijakan Pelayanan", "bobot": 0.24}
    assert aspect["nilai"] == 4.444
    assert data["indeks"] == 4.78 and data["kategori"] == {"kode": "A", "nama": "Pelayanan Prima", "zona": "Hijau"}
    first, second = data["kesenjangan"][:2]
    assert set(first) == {"indikator", "aspek", "nilai", "sasaran", "kenaikan", "tindakan", "bukti"}
    assert first["bukti"] == []  # the 2022 file names no evidence requirements
    assert (first["indikator"], first["kenaikan"]) == ("18.c.K", 0.09)  # 0,18 × (5 − 2)/6
    assert first["tindakan"].startswith("Sediakan dan cantumkan pada Sarana dan Prasarana: Pintu yang mudah diakses")
    assert (second["indikator"], second["kenaikan"]) == ("1.a.Ak", 0.08)  # 0,24 × (5 − 2)/9
    assert second["tindakan"] == "Tetapkan SP dengan Keputusan pimpinan untuk 1 layanan: kartu-keluarga"


class _Cells(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.stack, self.rows = {}, [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.stack.append(attrs.get("id"))
        if tag == "tr":
            self.rows.append([])

    def handle_endtag(self, tag):
        self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1]:
            self.ids[self.stack[-1]] = self.ids.get(self.stack[-1], "") + data
        if self.rows and data.strip():
            self.rows[-1].append(data.strip())


def test_html_is_self_contained_and_its_numbers_match(unit):
    write_answers(unit, "transisi-2022-a", all_answers("transisi-2022-a", "5"))
    page = as_html(build_report(unit, today=TODAY))
    assert "<script" not in page and "http" not in page.split("<body>")[1].split("lapor.go.id")[0]
    parser = _Cells()
    parser.feed(page)
    assert parser.ids["indeks"] == "4,78"
    assert parser.ids["kategori"] == "A — Pelayanan Prima"
    assert ["Kebijakan Pelayanan", "24%", "4,44"] in parser.rows
    assert ["Sarana Prasarana", "18%", "4,50"] in parser.rows
    assert page.count('class="nilai"') == 6 and 'name="viewport"' in page


def _gap(report, ident):
    return next(g for g in report.kesenjangan if g.indikator == ident)


def test_each_gap_names_its_evidence_and_the_file_sp_builder_writes_for_it(unit):
    write_answers(unit, "pekppp-2023", _fives_except("pekppp-2023", {"6.a.B": "3"}))
    report = build_report(unit, today=TODAY)
    data = json.loads(render(report, "json"))
    gap = next(g for g in data["kesenjangan"] if g["indikator"] == "1.a.Ak")  # capped at 2: a draft
    by_text = {b["teks"]: b for b in gap["bukti"]}
    assert len(gap["bukti"]) == 8
    assert by_text["Berita Acara pelibatan masyarakat dalam penyusunan SP (FKP)"] == {
        "teks": "Berita Acara pelibatan masyarakat dalam penyusunan SP (FKP)", "keyakinan": "H",
        "peran": "dihasilkan", "keluaran": "berita_acara_fkp", "berkas": ["fkp/fkp-2025/berita-acara.docx"],
        "catatan": ""}
    assert by_text["Dokumen Standar Pelayanan 14 komponen untuk setiap jenis layanan"]["berkas"] == [
        "sp/kartu-keluarga.docx", "sp/ktp-el.docx"]
    assert by_text["Keputusan (SK) penetapan Standar Pelayanan oleh pimpinan unit"]["berkas"] == [
        "sk/keputusan-standar-pelayanan.docx"]
    listed = by_text["Daftar jenis pelayanan yang diselenggarakan unit"]
    assert (listed["peran"], listed["berkas"]) == ("bahan", ["publikasi.html"])
    photos = by_text["Foto kegiatan pelibatan masyarakat"]
    assert photos["berkas"] == [] and "belum mencantumkan foto (foto:)" in photos["catatan"]
    minutes = by_text["Notulensi pelibatan masyarakat"]  # not something sp-builder writes
    assert (minutes["peran"], minutes["keluaran"], minutes["berkas"]) == (None, None, [])
    skm_gap = _gap(report, "6.a.B")
    skm_report = skm_gap.bukti[0]  # "Laporan hasil pelaksanaan SKM", written by build from skm/ data
    assert (skm_report.keluaran, skm_report.berkas) == ("laporan_skm", [])
    assert skm_report.catatan.startswith("belum ada data survei di skm/")

    text = as_text(report, gaps=40)
    assert "       · Berita Acara pelibatan masyarakat dalam penyusunan SP (FKP) — dibuat sp-builder: " \
           "fkp/fkp-2025/berita-acara.docx\n" in text
    assert "       · Daftar jenis pelayanan yang diselenggarakan unit — bahannya dari sp-builder: publikasi.html\n" in text
    assert "       · Notulensi pelibatan masyarakat\n" in text
    assert "       · Laporan hasil pelaksanaan SKM (PermenPANRB 14/2017) — dibuat sp-builder, tetapi belum ada data " \
           "survei di skm/; setelah ada, sp-builder build membuat laporannya\n" in text

    page = as_html(report)
    table = page.split('id="kesenjangan"')[1]
    assert '<li data-keluaran="berita_acara_fkp">Berita Acara pelibatan masyarakat dalam penyusunan SP (FKP) — ' \
           "dibuat sp-builder: fkp/fkp-2025/berita-acara.docx</li>" in table
    assert '<li data-keluaran="">Notulensi pelibatan masyarakat</li>' in table


def test_fkp_photos_and_many_services_in_the_evidence(unit):
    fkp = unit / "fkp" / "fkp-2025.yaml"
    fkp.write_text(fkp.read_text(encoding="utf-8") + "foto: [alur.png]\n", encoding="utf-8")
    for n in range(3):
        shutil.copy(unit / "layanan" / "ktp-el.yaml", unit / "layanan" / f"ktp-el-{n}.yaml")
    write_answers(unit, "pekppp-2023", _fives_except("pekppp-2023", {}))
    report = build_report(unit, today=TODAY)
    needs = {b.keluaran: b for b in _gap(report, "1.a.Ak").bukti if b.keluaran}
    assert needs["dokumentasi_fkp"].berkas == ["fkp/fkp-2025/dokumentasi.docx"]
    assert len(needs["sp"].berkas) == 5
    assert "sp/kartu-keluarga.docx, sp/ktp-el-0.docx, sp/ktp-el-1.docx dan 2 lainnya" in as_text(report)


def test_text_starts_with_the_checklist(unit):
    text = as_text(build_report(unit, today=TODAY))
    assert text.index("DAFTAR PERIKSA 14 KOMPONEN") < text.index("NILAI ASPEK") < text.index("INDEKS PERKIRAAN")
    assert "✓✓✓✓✓✓✓✓✓✓✓✓✓✓  ktp-el (ditetapkan)" in text


def test_docx_report_tables(unit):
    write_answers(unit, "transisi-2022-a", all_answers("transisi-2022-a", "5"))
    doc = Document(__import__("io").BytesIO(render(build_report(unit, today=TODAY), "docx")))
    texts = [p.text for p in doc.paragraphs]
    assert "LAPORAN PENILAIAN MANDIRI PELAYANAN PUBLIK" in texts
    assert "Indeks perkiraan: 4,78 — kategori A (Pelayanan Prima)" in texts
    checklist, cycle, aspects, gaps = doc.tables[1:5]  # the first table is the kop surat
    assert [c.text for c in checklist.rows[2].cells] == ["Penerbitan Kartu Tanda Penduduk Elektronik (KTP-el)",
                                                        "14/14", "-"]
    assert [c.text for c in aspects.rows[1].cells] == ["1", "Kebijakan Pelayanan", "24%", "4,44"]
    assert [c.text for c in gaps.rows[2].cells][:4] == ["2", "1.a.Ak", "2 → 5", "+0,080"]


def test_fail_under_exit_codes(unit):
    write_answers(unit, "transisi-2022-a", all_answers("transisi-2022-a", "5"))
    runner = CliRunner()
    ok = runner.invoke(cli.main, ["check", str(unit), "--format", "json", "--fail-under", "4.5"])
    assert ok.exit_code == 0, ok.stderr
    assert json.loads(ok.stdout)["indeks"] >= 4.5
    low = runner.invoke(cli.main, ["check", str(unit), "--fail-under", "4.9"])
    assert low.exit_code == 1 and "di bawah ambang 4.9" in low.stderr
    docx = runner.invoke(cli.main, ["check", str(unit), "--format", "docx"])
    assert docx.exit_code == 2 and "-o" in docx.stderr
    unknown = runner.invoke(cli.main, ["check", str(unit), "--instrumen", "tahun-2099"])
    assert unknown.exit_code == 2 and 'instrumen "tahun-2099" tidak dikenal' in unknown.stderr


def test_evidence_bundle_has_cover_contents_and_nested_bookmarks(unit):
    from pypdf import PdfReader

    from sp_builder.assessment.bundle import build_bundle

    (unit / "bukti").mkdir()
    writer = PdfWriter()
    for _ in range(2):
        writer.add_blank_page(595, 842)
    with open(unit / "bukti" / "sk-penetapan.pdf", "wb") as handle:
        writer.write(handle)
    shutil.copy(unit / "alur.png", unit / "bukti" / "foto-maklumat.png")
    (unit / "evaluasi.yaml").write_text(
        "instrumen: transisi-2022-a\njawaban:\n"
        "  1.a.Ak: {opsi: 2, bukti: [bukti/sk-penetapan.pdf]}\n"
        "  5.a.K: {opsi: 4, bukti: [bukti/foto-maklumat.png]}\n"
        "  25.e.P: {opsi: 3, bukti: [bukti/sk-penetapan.pdf, bukti/foto-maklumat.png]}\n", encoding="utf-8")
    report = build_report(unit, today=TODAY)
    target = build_bundle(report, unit / "keluaran" / "bukti.pdf")
    reader = PdfReader(target)
    outline = reader.outline
    titles = [item.title if not isinstance(item, list) else [i.title for i in item] for item in outline]
    assert titles[0] == "Sampul dan daftar isi"
    assert titles[1] == "Kebijakan Pelayanan"
    assert [t.split(" — ")[0] for t in titles[2]] == ["1.a.Ak", "5.a.K"]
    assert titles[3] == "Konsultasi dan Pengaduan" and titles[4][0].startswith("25.e.P — 3")
    cover_pages = reader.get_destination_page_number(outline[1])
    # cover, then 1.a.Ak: separator + 2 evidence pages, 5.a.K: separator (image inside), 25.e.P: separator + 2
    assert len(reader.pages) == cover_pages + 3 + 1 + 3
    first = reader.pages[0].extract_text()
    assert "BUKTI DUKUNG PENILAIAN MANDIRI" in first and "DAFTAR ISI" in first
    assert f"Kebijakan Pelayanan — 5.a.K {cover_pages + 4}" in " ".join(first.split())
    assert "Indikator 5.a.K" in reader.pages[cover_pages + 3].extract_text()


def test_broken_evaluasi_is_listed_and_exits_1(unit):
    (unit / "evaluasi.yaml").write_text("instrumen: transisi-2022-a\njawaban: [\n", encoding="utf-8")
    result = CliRunner().invoke(cli.main, ["check", "."])
    assert result.exit_code == 1
    assert "MASALAH PADA BERKAS LAIN\n  evaluasi.yaml:3:1: galat: YAML tidak sah" in result.stdout
    assert "1 galat pada berkas unit" in result.stderr


def test_folder_without_unit_yaml_is_an_input_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "kosong").mkdir()
    result = CliRunner().invoke(cli.main, ["check", "kosong"])
    assert result.exit_code == 1
    assert "kosong/unit.yaml: galat: berkas tidak ditemukan" in result.stderr


def test_index_without_self_assessment_is_said_to_be_a_floor(unit):
    report = build_report(unit, today=TODAY)
    assert not report.penilaian_mandiri
    assert "merupakan batas bawah" in as_text(report)
    assert json.loads(render(report, "json"))["penilaian_mandiri"] is False
    write_answers(unit, "transisi-2022-a", {"10.b.As": {"opsi": "3"}})
    answered = build_report(unit, today=TODAY)
    assert answered.penilaian_mandiri and "batas bawah" not in as_text(answered)


def test_a_units_own_instrument_file_is_used_or_reported_at_its_line(unit):
    """`instrumen: nama.json` names a file inside the unit folder: used when sound; missing, outside
    the folder, broken or absurdly nested, it is an error at the instrumen line (exit 1), not a
    usage error and not a traceback."""
    shipped = Path(__file__).parents[1] / "schemas" / "instrumen" / "transisi-2022-a.json"
    own = json.loads(shipped.read_text(encoding="utf-8"))
    own["nama"] = "Instrumen uji milik unit"
    (unit / "instrumen-unit.json").write_text(json.dumps(own), encoding="utf-8")
    (unit / "rusak.json").write_text('{"aspek": [1, 2', encoding="utf-8")
    (unit / "dalam.json").write_text("[" * 50_000 + "]" * 50_000, encoding="utf-8")
    runner = CliRunner()
    cases = {
        "instrumen-unit.json": None,
        "tidak-ada.json": 'berkas instrumen "tidak-ada.json" tidak ditemukan di folder unit',
        "../luar.json": 'berkas instrumen "../luar.json" berada di luar folder unit',
        "rusak.json": 'berkas instrumen "rusak.json" tidak dapat dipakai: rusak.json:1:16: berkas instrumen '
                      "bukan JSON yang sah",
        "dalam.json": 'berkas instrumen "dalam.json" tidak dapat dipakai: dalam.json: berkas instrumen '
                      "bersarang terlalu dalam",
    }
    for name, expected in cases.items():
        (unit / "evaluasi.yaml").write_text(f"instrumen: {name}\nperiode: '2025'\njawaban: {{}}\n", encoding="utf-8")
        result = runner.invoke(cli.main, ["check", ".", "--format", "json" if expected is None else "text"])
        assert "Traceback" not in result.output + result.stderr
        if expected is None:
            assert result.exit_code == 0, result.stderr
            assert json.loads(result.stdout)["instrumen"]["nama"] == "Instrumen uji milik unit"
        else:
            assert result.exit_code == 1, (name, result.stderr)
            assert f"evaluasi.yaml:1:1: galat: {expected}" in result.stdout + result.stderr, name


def _publication_step(result) -> str:
    services = json.loads(result.stdout)["services"]
    return {s["slug"]: next(x["status"] for x in s["siklus"] if x["langkah"].startswith("Publikasi"))
            for s in services}["ktp-el"]


def test_publication_is_found_by_its_role_not_by_its_wording(unit):
    """The SP cycle's publication step is the indicator the instrument marks `"peran": "publikasi_sp"`:
    answered above its lowest level with evidence it is done, however a new instrument words it."""
    (unit / "bukti").mkdir()
    shutil.copy(unit / "logo.png", unit / "bukti" / "papan-informasi.png")
    runner = CliRunner()
    answer = "jawaban:\n  3.a.T: {opsi: 3, bukti: [bukti/papan-informasi.png]}\n"
    (unit / "evaluasi.yaml").write_text(f"instrumen: transisi-2022-a\nperiode: '2025'\n{answer}", encoding="utf-8")
    assert _publication_step(runner.invoke(cli.main, ["check", ".", "--format", "json"])) == "selesai"

    shipped = Path(__file__).parents[1] / "schemas" / "instrumen" / "transisi-2022-a.json"
    own = json.loads(shipped.read_text(encoding="utf-8"))
    indicator = next(i for a in own["aspek"] for i in a["indikator"] if i["id"] == "3.a.T")
    indicator["teks"] = "Sebaran informasi standar pelayanan di media"  # reworded: no "publikasi" left
    (unit / "instrumen-baru.json").write_text(json.dumps(own), encoding="utf-8")
    (unit / "evaluasi.yaml").write_text(f"instrumen: instrumen-baru.json\nperiode: '2025'\n{answer}", encoding="utf-8")
    assert _publication_step(runner.invoke(cli.main, ["check", ".", "--format", "json"])) == "selesai"

    del indicator["peran"]
    (unit / "instrumen-baru.json").write_text(json.dumps(own), encoding="utf-8")
    assert _publication_step(runner.invoke(cli.main, ["check", ".", "--format", "json"])) == "belum"

    indicator["peran"] = "publikasi_maklumat"
    messages = [i.message for i in check_instrument_data(own, "x.json")]
    assert 'instrumen: indikator "3.a.T": peran "publikasi_maklumat" tidak dikenal (publikasi_sp)' in messages
