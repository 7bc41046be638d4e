"""One case per validation rule: a valid unit with exactly one planted defect, and the issue it must
produce — file, line, column, component label, severity, rule and the words of the message."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from sp_builder.errors import Severity
from sp_builder.unit.validate import load_unit, validate_file, validate_paths

DATA = Path(__file__).parent / "data"
TODAY = dt.date(2025, 6, 1)
KTP = "layanan/ktp-el.yaml"
KK = "layanan/kartu-keluarga.yaml"
FKP = "fkp/fkp-2025.yaml"
E, W = Severity.ERROR, Severity.WARNING




def plant(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture lacks {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_valid_unit_has_no_issues(unit):
    model, issues = load_unit(unit, today=TODAY)
    assert issues == []
    assert [s.slug for s in model.services] == ["kartu-keluarga", "ktp-el"]
    assert model.pimpinan.nip == "197505122000032004"


# (case, file, old text, new text, line, column, component label, severity, rule, words in message)
CASES = [
    ("jangka_waktu_tidak_konkret", KTP, "jangka_waktu: 1 hari kerja", "jangka_waktu: secepatnya",
     15, 3, "Jangka Waktu Pelayanan", E, "jangka_waktu.tidak_konkret", '"secepatnya" bukan durasi'),
    ("jangka_waktu_sesuai_antrean", KTP, "jangka_waktu: 1 hari kerja", "jangka_waktu: sesuai antrean",
     15, 3, "Jangka Waktu Pelayanan", E, "jangka_waktu.tidak_konkret", "mis. \"3 hari kerja\""),
    ("jangka_waktu_tanpa_satuan", KTP, "jangka_waktu: 1 hari kerja", "jangka_waktu: 3",
     15, 3, "Jangka Waktu Pelayanan", E, "jangka_waktu.tanpa_satuan", '"3 hari kerja"'),
    ("komponen_hilang", KTP, "  produk:\n    - KTP-el\n", "",
     6, 1, "Produk Pelayanan", E, "komponen.tidak_ada", 'tambahkan "produk:" di bawah "penyampaian:"'),
    ("daftar_kosong", KTP, "  produk:\n    - KTP-el\n", "  produk: []\n",
     17, 3, "Produk Pelayanan", E, "nilai.kosong", "tidak boleh kosong"),
    ("komponen_tanpa_nilai", KTP, "  produk:\n    - KTP-el\n", "  produk:\n",
     17, 3, "Produk Pelayanan", E, "nilai.kosong", "tidak boleh kosong"),
    ("tarif_tanpa_dasar_hukum", KTP, "biaya: 0", "biaya: {tarif: 50000}",
     16, 3, "Biaya/Tarif", E, "biaya.tanpa_dasar_hukum", "wajib menyebut dasar hukumnya"),
    ("tarif_angka_tanpa_dasar_hukum", KTP, "biaya: 0", "biaya: 50000",
     16, 3, "Biaya/Tarif", E, "biaya.tanpa_dasar_hukum", "harus disertai dasar hukumnya"),
    ("biaya_teks_tidak_dikenal", KTP, "biaya: 0", "biaya: murah sekali",
     16, 3, "Biaya/Tarif", E, "biaya.bentuk", '"murah sekali" tidak dikenali'),
    ("biaya_ya_tidak", KTP, "biaya: 0", "biaya: no",
     16, 3, "Biaya/Tarif", E, "biaya.bentuk", '"no" tidak dikenali'),
    ("tarif_negatif", KTP, "biaya: 0", "biaya: {tarif: -5, dasar_hukum: Perda Nomor 1 Tahun 2024}",
     16, 11, "Biaya/Tarif", E, "biaya.tarif_negatif", "tidak boleh negatif"),
    ("ditetapkan_tanpa_penetapan", KTP, "penetapan:\n  nomor: 400.12/015/DKPS/2025\n  tanggal: 2025-02-03\n", "",
     2, 1, "", E, "penetapan.tidak_ada", "wajib memiliki penetapan"),
    ("penetapan_tanggal_tidak_sah", KTP, "tanggal: 2025-02-03", 'tanggal: "2025-02-30"',
     5, 3, "", E, "tanggal.tidak_sah", '"2025-02-30" bukan tanggal yang sah'),
    ("penetapan_lebih_setahun", KTP, "tanggal: 2025-02-03", "tanggal: 2024-05-02",
     5, 3, "", W, "penetapan.perlu_tinjau", "lebih dari setahun lalu"),
    ("tanpa_lapor", KTP, "    - {saluran: SP4N-LAPOR!, kontak: https://www.lapor.go.id}\n", "",
     19, 3, "Penanganan Pengaduan, Saran, dan Masukan", W, "pengaduan.tanpa_lapor",
     "tidak ada kanal SP4N-LAPOR!; tambahkan {saluran: SP4N-LAPOR!, kontak: \"https://www.lapor.go.id\"} (Perpres 76/2013; "
     "PermenPANRB 5/2025, yang menggantikan PermenPANRB 62/2018)"),
    ("tanpa_fasilitas_rentan", KTP, "[Ruang tunggu ber-AC, Kursi roda, Toilet khusus disabilitas]",
     "[Ruang tunggu ber-AC, Komputer]",
     26, 3, "Sarana dan Prasarana, dan/atau Fasilitas", W, "sarana.tanpa_fasilitas_rentan", "kelompok rentan"),
    ("dasar_hukum_tanpa_nomor", KTP, "    - Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik",
     "    - UU Pelayanan Publik",
     24, 7, "Dasar Hukum", W, "dasar_hukum.tanpa_nomor", '"UU Pelayanan Publik" tidak menyebut "Nomor … Tahun …"'),
    ("bagan_alir_tidak_ada", KTP, "bagan_alir: alur.png", "bagan_alir: alur-lain.png",
     14, 3, "Sistem, Mekanisme, dan Prosedur", E, "berkas.tidak_ada", '"alur-lain.png" tidak ditemukan'),
    ("bagan_alir_di_luar_unit", KTP, "bagan_alir: alur.png", "bagan_alir: ../alur.png",
     14, 3, "Sistem, Mekanisme, dan Prosedur", E, "berkas.di_luar_unit", "di luar folder unit"),
    ("bagan_alir_absolut", KTP, "bagan_alir: alur.png", "bagan_alir: /etc/alur.png",
     14, 3, "Sistem, Mekanisme, dan Prosedur", E, "berkas.jalur_absolut", "jalur absolut"),
    ("jumlah_pelaksana_ya_tidak", KTP, "jumlah_pelaksana: 6", "jumlah_pelaksana: true",
     29, 3, "Jumlah Pelaksana", E, "jumlah_pelaksana.tipe", "jumlah orang"),
    ("jumlah_pelaksana_teks", KTP, "jumlah_pelaksana: 6", "jumlah_pelaksana: secukupnya",
     29, 3, "Jumlah Pelaksana", E, "jumlah_pelaksana.tipe", '"secukupnya" tidak menyebut jumlah orang'),
    ("jumlah_pelaksana_perkiraan", KTP, "jumlah_pelaksana: 6", "jumlah_pelaksana: minimal 2 orang",
     29, 3, "Jumlah Pelaksana", W, "jumlah_pelaksana.perkiraan", 'tulis jumlah orang yang sebenarnya, mis. "2 orang"'),
    ("biaya_teks_tanpa_dasar", KTP, "biaya: 0", "biaya: Rp10.000,-",
     16, 3, "Biaya/Tarif", E, "biaya.tanpa_dasar_hukum", "wajib menyebut dasar hukumnya"),
    ("jumlah_pelaksana_baris_nol", KK, "{jabatan: Operator SIAK, jumlah: 1}", "{jabatan: Operator SIAK, jumlah: 0}",
     23, 7, "Jumlah Pelaksana", E, "jumlah_pelaksana.baris", "paling sedikit 1"),
    ("status_tidak_dikenal", KTP, "status: ditetapkan", "status: final",
     2, 1, "", E, "nilai.tidak_dikenal", '"rancangan", "ditetapkan"'),
    ("komponen_salah_bagian", KTP, "  produk:\n", "  dasar_hukum: [Undang-Undang Nomor 1 Tahun 2000]\n  produk:\n",
     17, 3, "Dasar Hukum", E, "komponen.salah_bagian", 'termasuk bagian "pengelolaan"'),
    ("kunci_salah_ketik", KTP, "  prosedur:\n", "  prosedr:\n",
     10, 3, "", W, "kunci.tidak_dikenal", 'maksud Anda "prosedur"?'),
    ("nama_kosong", KTP, "nama: Penerbitan Kartu Tanda Penduduk Elektronik (KTP-el)", 'nama: ""',
     1, 1, "", E, "nilai.kosong", "tidak boleh kosong"),
    ("butir_pasangan_tanpa_uraian", KTP, "{uraian: Kartu Keluarga, keterangan:", "{urian: Kartu Keluarga, keterangan:",
     9, 7, "Persyaratan", E, "butir.tanpa_uraian", 'harus memiliki "uraian"'),
    ("rancangan_tanpa_fkp", FKP, "layanan: [ktp-el, kartu-keluarga]", "layanan: [ktp-el]",
     2, 1, "", W, "rancangan.tanpa_fkp", "belum dibahas dalam Forum Konsultasi Publik"),
    # unit.yaml
    ("nip_angka", "unit.yaml", 'nip: "19750512 200003 2 004"', "nip: 197505122000032004",
     12, 3, "", E, "nip.bukan_teks", "tulis di antara tanda kutip"),
    ("nip_17_angka", "unit.yaml", 'nip: "19750512 200003 2 004"', 'nip: "19750512 200003 2 00"',
     12, 3, "", E, "nip.panjang", "harus 18 angka"),
    ("nip_tanggal_lahir", "unit.yaml", 'nip: "19750512 200003 2 004"', 'nip: "19751332 200003 2 004"',
     12, 3, "", E, "nip.tanggal_lahir", "bukan tanggal lahir yang sah"),
    ("nip_jenis_kelamin", "unit.yaml", 'nip: "19750512 200003 2 004"', 'nip: "19750512 200003 3 004"',
     12, 3, "", E, "nip.jenis_kelamin", "harus 1 (laki-laki) atau 2 (perempuan)"),
    ("nip_tmt", "unit.yaml", 'nip: "19750512 200003 2 004"', 'nip: "19750512 200013 2 004"',
     12, 3, "", E, "nip.tmt", "tahun dan bulan pengangkatan"),
    ("surel_tidak_sah", "unit.yaml", "email: dukcapil@kotauji.go.id", "email: dukcapil kotauji",
     5, 1, "", E, "surel.tidak_sah", "alamat surel"),
    ("laman_tanpa_https", "unit.yaml", "laman: https://dukcapil.kotauji.go.id", "laman: dukcapil.kotauji.go.id",
     6, 1, "", E, "laman.tidak_sah", "https://"),
    ("logo_tidak_ada", "unit.yaml", "logo: logo.png", "logo: lambang.png",
     7, 1, "", E, "berkas.tidak_ada", '"lambang.png" tidak ditemukan'),
    ("kota_hilang", "unit.yaml", "kota: Kota Uji\n", "",
     1, 1, "", E, "kunci.wajib", '"kota" wajib diisi'),
    # fkp/*.yaml
    ("fkp_layanan_tidak_ada", FKP, "layanan: [ktp-el, kartu-keluarga]", "layanan: [ktp-el, kartu-keluarga, akta]",
     5, 35, "", E, "fkp.layanan_tidak_ada", 'layanan "akta" tidak ada'),
    ("fkp_komponen_tidak_dikenal", FKP, "komponen: jangka_waktu", "komponen: waktu",
     13, 23, "", E, "fkp.komponen", 'komponen "waktu" bukan salah satu dari 14'),
    ("fkp_unsur_tidak_dikenal", FKP, "unsur: media", "unsur: wartawan",
     11, 21, "", E, "fkp.unsur", 'unsur "wartawan" tidak dikenal'),
    ("fkp_tanpa_pengguna", FKP, "{nama: Siti Aminah, unsur: pengguna_layanan, instansi: Warga Kel. Sukamaju}\n  - {nama: Andi",
     "{nama: Siti Aminah, unsur: oms, instansi: Warga Kel. Sukamaju}\n  - {nama: Andi",
     6, 1, "", E, "fkp.tanpa_pengguna", "paling sedikit satu pengguna layanan"),
    ("fkp_unsur_sedikit", FKP, "  - {nama: Dewi Lestari, unsur: ahli, instansi: Universitas Uji}\n"
                               "  - {nama: Bambang, unsur: media, instansi: Harian Uji}\n", "",
     6, 1, "", W, "fkp.unsur_sedikit", "hanya 3 dari 6 unsur hadir"),
    ("fkp_setelah_penetapan", FKP, "tanggal: 2025-01-10", "tanggal: 2025-03-10",
     1, 1, "", E, "fkp.setelah_penetapan", "diadakan setelah penetapan"),
    ("fkp_metode_tidak_dikenal", FKP, "metode: diskusi kelompok terfokus", "metode: rapat kerja",
     4, 1, "", E, "fkp.metode", "jelaskan di metode_uraian"),
    ("fkp_kesepakatan_belum_diterapkan", FKP, "menjadi: 1 hari kerja", "menjadi: 2 jam",
     13, 69, "Jangka Waktu Pelayanan", W, "fkp.kesepakatan_belum_diterapkan",
     'Kesepakatan FKP 10 Januari 2025 belum diterapkan: Jangka Waktu Pelayanan masih "1 hari kerja" '
     "di layanan/ktp-el.yaml:15"),
    ("fkp_tanpa_penandatangan_masyarakat", FKP,
     "  masyarakat: {nama: Siti Aminah, unsur: pengguna_layanan, instansi: Warga Kel. Sukamaju}\n", "",
     14, 1, "", E, "fkp.penandatangan", 'penandatangan "masyarakat" belum diisi'),
    ("fkp_penandatangan_unsur_tidak_dikenal", FKP, "masyarakat: {nama: Siti Aminah, unsur: pengguna_layanan",
     "masyarakat: {nama: Siti Aminah, unsur: warga", 19, 35, "", E, "fkp.unsur", 'unsur "warga" tidak dikenal'),
    ("fkp_foto_tidak_ada", FKP, "penandatangan:\n",
     "foto:\n  - alur.png\n  - {berkas: foto/tidak-ada.jpg, keterangan: Pembukaan}\npenandatangan:\n",
     16, 6, "", E, "berkas.tidak_ada", 'Foto "foto/tidak-ada.jpg" tidak ditemukan di folder unit'),
    ("fkp_foto_di_luar_unit", FKP, "penandatangan:\n", "foto: ../rahasia.png\npenandatangan:\n",
     14, 1, "", E, "berkas.di_luar_unit", "di luar folder unit"),
    ("fkp_undangan_setelah_fkp", FKP, "penandatangan:\n",
     "undangan: {nomor: 005/12/2025, tanggal: 2025-01-11}\npenandatangan:\n",
     14, 32, "", E, "fkp.undangan_setelah_fkp", "undangan bertanggal 11 Januari 2025, setelah FKP (10 Januari 2025)"),
    ("fkp_undangan_tanggal_tidak_sah", FKP, "penandatangan:\n", "undangan: {tanggal: besok}\npenandatangan:\n",
     14, 12, "", E, "tanggal.tidak_sah", 'Tanggal undangan "besok" bukan tanggal yang sah'),
    ("fkp_undangan_tanggal_bulan_dulu", FKP, "penandatangan:\n", "undangan: {tanggal: 01/13/2025}\npenandatangan:\n",
     14, 12, "", E, "tanggal.bulan_dulu", "bulan lebih dulu (gaya Amerika)"),
]


# rules whose defect is planted in one file but reported in another
REPORTED_IN = {"rancangan.tanpa_fkp": KK}


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_rule(unit, case):
    _, rel, old, new, line, column, component, severity, rule, words = case
    plant(unit, rel, old, new)
    rel = REPORTED_IN.get(rule, rel)
    _, issues = load_unit(unit, today=TODAY)
    matching = [i for i in issues if i.rule == rule]
    assert matching, f"no {rule} among {[i.format() for i in issues]}"
    issue = matching[0]
    assert (issue.path, issue.line, issue.column) == (rel, line, column), issue.format()
    assert issue.component == component
    assert issue.severity is severity
    assert words in issue.message


@pytest.mark.parametrize("komponen, menjadi", [
    ("persyaratan", "Kartu Keluarga (fotokopi 1 lembar & asli < 1 tahun)"),
    ("biaya", "Rp0,00 (tidak dipungut biaya)"),
    ("pengaduan", "WhatsApp: 0812-0000-0000"),
    ("jumlah_pelaksana", "6 (enam) orang"),
])
def test_agreement_written_as_the_document_shows_it_counts_as_applied(unit, komponen, menjadi):
    plant(unit, FKP, "komponen: jangka_waktu, semula: 3 hari kerja, menjadi: 1 hari kerja",
          f'komponen: {komponen}, semula: lama, menjadi: "{menjadi}"')
    _, issues = load_unit(unit, today=TODAY)
    assert issues == []


def test_all_problems_reported_in_one_run_sorted(unit):
    plant(unit, KTP, "jangka_waktu: 1 hari kerja", "jangka_waktu: secepatnya")
    plant(unit, KTP, "biaya: 0", "biaya: 50000")
    plant(unit, "unit.yaml", 'nip: "19750512 200003 2 004"', "nip: 197505122000032004")
    _, issues = load_unit(unit, today=TODAY)
    keys = [(i.path, i.line) for i in issues]
    assert keys == sorted(keys)
    assert {i.rule for i in issues} >= {"jangka_waktu.tidak_konkret", "biaya.tanpa_dasar_hukum", "nip.bukan_teks"}


def test_issue_format_names_file_line_column_and_label(unit):
    plant(unit, KTP, "jangka_waktu: 1 hari kerja", "jangka_waktu: secepatnya")
    _, issues = load_unit(unit, today=TODAY)
    (issue,) = [i for i in issues if i.rule == "jangka_waktu.tidak_konkret"]
    assert issue.format() == (
        'layanan/ktp-el.yaml:15:3: galat: Jangka Waktu Pelayanan: "secepatnya" bukan durasi yang pasti; '
        'tulis angka dan satuan, mis. "3 hari kerja" atau "paling lama 60 menit"; jika ada beberapa tahap, tulis '
        'tiap tahap dengan waktunya: "Pendaftaran 10 menit; penyelesaian 1 hari kerja", atau sebagai daftar '
        '"- tahap: Pendaftaran" dengan "waktu: 10 menit".'
    )


# --- YAML-level problems: one tiny file each ---------------------------------------------------

YAML_CASES = [
    ("tab", b"nama: x\npenyampaian:\n\tpersyaratan: []\n", 3, 1, "yaml.tab", "karakter tab"),
    ("kunci_ganda", b"nama: x\nstatus: rancangan\nnama: y\n", 3, 1, "yaml.kunci_ganda",
     'kunci "nama" ditulis dua kali (pertama kali di baris 1)'),
    ("bukan_utf8", "nama: Pelayanan Akta\nstatus: rancangan\nket: caf\u00e9\n".encode("latin-1"), 3, 9,
     "berkas.bukan_utf8", "bukan UTF-8"),
    ("kosong", b"# hanya komentar\n", 1, 1, "berkas.kosong", "berkas kosong"),
    ("daftar_di_atas", b"- a\n- b\n", 1, 1, "berkas.bukan_mapping", "kunci: nilai"),
    ("kurung_tidak_ditutup", b"nama: x\nproduk: [a, b\n", 3, 1, "yaml.sintaks", "belum ditutup"),
    ("tanggal_tanpa_kutip_tidak_ada", b"nama: x\npenetapan:\n  tanggal: 2025-02-30\n", 3, 12, "tanggal.tidak_sah",
     'tanggal "2025-02-30" tidak ada di kalender'),
    ("kunci_bukan_teks", b"nama: x\npenyampaian:\n  2025: ada\n", 2, 1, "yaml.kunci_bukan_teks", "kunci 2025 bukan teks"),
]


@pytest.mark.parametrize("case", YAML_CASES, ids=[c[0] for c in YAML_CASES])
def test_yaml_problem(tmp_path, monkeypatch, case):
    name, raw, line, column, rule, words = case
    monkeypatch.chdir(tmp_path)
    (tmp_path / "layanan").mkdir()
    path = tmp_path / "layanan" / f"{name}.yaml"
    path.write_bytes(raw)
    issues = validate_file(path, today=TODAY)
    assert len(issues) == 1, [i.format() for i in issues]
    issue = issues[0]
    assert (issue.path, issue.line, issue.column, issue.rule) == (f"layanan/{name}.yaml", line, column, rule)
    assert words in issue.message


def test_yaml_12_no_is_a_string_and_nip_keeps_leading_digits(unit):
    plant(unit, KTP, "produk:\n    - KTP-el", "produk:\n    - no")
    model, issues = load_unit(unit, today=TODAY)
    assert issues == []
    assert model.service("ktp-el").items("produk")[0].uraian == "no"


def test_missing_part_named_with_its_components(unit):
    text = (unit / KK).read_text(encoding="utf-8")
    (unit / KK).write_text(text[: text.index("pengelolaan:")], encoding="utf-8")
    _, issues = load_unit(unit, today=TODAY)
    (issue,) = [i for i in issues if i.rule == "bagian.tidak_ada"]
    assert issue.path == KK and issue.line == 1
    assert "Dasar Hukum" in issue.message and "Evaluasi Kinerja Pelaksana" in issue.message


def test_validate_paths_on_folder_of_units_and_missing_path(tmp_path, monkeypatch):
    shutil.copytree(DATA / "unit-valid", tmp_path / "opd" / "dukcapil")
    monkeypatch.chdir(tmp_path)
    issues = validate_paths([tmp_path / "opd", tmp_path / "tidak-ada"], today=TODAY)
    assert [(i.path, i.rule) for i in issues] == [("tidak-ada", "berkas.tidak_ada")]


def test_unit_without_unit_yaml(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "kosong").mkdir()
    issues = validate_paths([tmp_path / "kosong"], today=TODAY)
    assert issues[0].rule == "unit.tidak_ada" and "sp-builder init" in issues[0].message


def test_single_file_skips_cross_file_rules(unit):
    issues = validate_file(unit / KK, today=TODAY)
    assert issues == []


@pytest.mark.parametrize("line, expected", [
    ("Jalan landai (ram) di pintu masuk", ["Jalan landai (ramp)"]),
    ("Ramp dan kursi roda", ["Kursi roda", "Jalan landai (ramp)"]),
    ("Ruang menyusui", ["Ruang laktasi"]),
    ("Ruang tunggu ber-AC", []),
    ("Program kerja", []),
])
def test_vulnerable_facility_synonyms(line, expected):
    from sp_builder.unit.model import vulnerable_facilities_in
    assert vulnerable_facilities_in([line]) == expected


def test_validate_reports_evaluasi_problems(unit):
    (unit / "evaluasi.yaml").write_text("instrumen: tahun-2099\njawaban:\n  1.a.Ak: {opsi: 9}\n", encoding="utf-8")
    issues = validate_paths([unit], today=TODAY)
    assert [(i.path, i.line, i.rule) for i in issues] == [
        ("evaluasi.yaml", 1, "evaluasi.instrumen"), ("evaluasi.yaml", 3, "evaluasi.opsi")]
    assert issues[0].message.startswith('instrumen "tahun-2099" tidak dikenal; pilih salah satu: pekppp-2023, '
                                        "pekppp-2023-setara, permenpanrb-17-2017, transisi-2022-a, transisi-2022-b")
