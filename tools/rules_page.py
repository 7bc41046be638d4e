#!/usr/bin/env python3
"""Write docs/panduan/pesan.md: every rule sp-builder reports, its severity and an example message.

Rule ids are collected from the source (the rule argument of check.error / check.warn / Issue(...)
calls and `rule=` keywords, read with ast). The example is produced by running the validator on
the valid test unit with one planted defect, for every case of tests/test_validate.py's CASES
table and of EXTRA below, and by reading the small survey files of SURVEYS; for the other rules the page shows the message as the source words it, with ‹…› where a
value is filled in. Run it after changing a message: `python3 tools/rules_page.py`
(tests/test_docs.py fails while the page is out of date).
"""

from __future__ import annotations

import ast
import importlib.util
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "sp_builder"
PAGE = ROOT / "docs" / "panduan" / "pesan.md"
GALAT, PERINGATAN = "galat", "peringatan"


@dataclass
class Rule:
    ident: str
    severities: set[str] = field(default_factory=set)
    templates: list[str] = field(default_factory=list)
    places: set[str] = field(default_factory=set)
    example: str = ""


def _text(node: ast.AST) -> str | None:
    """A message or rule argument as text: literals as written, f-string fields as ‹expression›."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        parts = []
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts.append(str(value.value))
            else:
                parts.append("‹" + ast.unparse(value.value) + "›")
        return "".join(parts)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _text(node.left), _text(node.right)
        return left + right if left is not None and right is not None else None
    return None


def _severity(node: ast.AST | None) -> str:
    if node is not None and "WARNING" in ast.unparse(node):
        return PERINGATAN
    return GALAT


def _is_rule_id(text: str | None) -> bool:
    if not text or " " in text or "." not in text:
        return False
    head = text.split(".", 1)[0]
    return head.replace("_", "").isalpha() and head.islower()


def collect() -> dict[str, Rule]:
    rules: dict[str, Rule] = {}

    def add(ident, severity, message, place):
        rule = rules.setdefault(ident, Rule(ident))
        rule.severities.add(severity)
        if message and message not in rule.templates:
            rule.templates.append(message)
        rule.places.add(place)

    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        rel = path.relative_to(ROOT).as_posix()
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            keywords = {k.arg: k.value for k in node.keywords if k.arg}
            if name in ("error", "warn") and len(node.args) >= 3:
                ident = _text(node.args[2])
                if _is_rule_id(ident):
                    add(ident, PERINGATAN if name == "warn" else GALAT, _text(node.args[1]), rel)
            elif name == "Issue":
                ident = _text(keywords["rule"]) if "rule" in keywords else (
                    _text(node.args[6]) if len(node.args) >= 7 else None)
                if _is_rule_id(ident):
                    sev = keywords.get("severity", node.args[4] if len(node.args) >= 5 else None)
                    message = _text(node.args[3]) if len(node.args) >= 4 else _text(keywords.get("message"))
                    add(ident, _severity(sev), message, rel)
            elif "rule" in keywords:
                ident = _text(keywords["rule"])
                if _is_rule_id(ident):
                    add(ident, _severity(keywords.get("severity")), None, rel)
    return rules


KTP = "layanan/ktp-el.yaml"
FKP = "fkp/fkp-2025.yaml"
EVALUASI = "evaluasi.yaml"
# More planted defects, for rules the validation tests plant elsewhere: (rule, file, old, new);
# old None writes the file with `new` as its whole text.
EXTRA = [
    ("yaml.tab", KTP, "  biaya: 0", "\tbiaya: 0"),
    ("yaml.kunci_ganda", KTP, "  biaya: 0", "  biaya: 0\n  biaya: 5000"),
    ("yaml.sintaks", KTP, "  biaya: 0", "  biaya: [0"),
    ("yaml.indentasi", KTP, "  produk:", "produk:"),
    ("komponen.kolom_satu", KTP, "  evaluasi_kinerja:", "evaluasi_kinerja:"),
    ("nilai.tipe", KTP, "  bagan_alir: alur.png", "  bagan_alir: [alur.png]"),
    ("jumlah_pelaksana.nol", KTP, "  jumlah_pelaksana: 6", "  jumlah_pelaksana: 0"),
    ("butir.kosong", KTP, "    - KTP-el", "    - KTP-el\n    -"),
    ("butir.titik_dua", KTP, "    - KTP-el", "    - Produk: KTP-el"),
    ("pengaduan.tanpa_saluran", KTP, "    - {saluran: WhatsApp, kontak: \"0812-0000-0000\"}",
     "    - {saluran: \"\", kontak: \"0812-0000-0000\"}"),
    ("biaya.tanpa_tarif", KTP, "  biaya: 0", "  biaya: {dasar_hukum: Perda Kota Uji Nomor 1 Tahun 2024}"),
    ("penetapan.masa_depan", KTP, "  tanggal: 2025-02-03", "  tanggal: 2025-12-03"),
    ("status.rancangan_berpenetapan", KTP, "status: ditetapkan", "status: rancangan"),
    ("fkp.tanpa_penyelenggara", FKP, "  - {nama: Andi Pratama, unsur: penyelenggara, jabatan: Kepala Bidang Pelayanan}\n", ""),
    ("fkp.unsur_tidak_ada", FKP, "{nama: Bambang, unsur: media, instansi: Harian Uji}", "{nama: Bambang, instansi: Harian Uji}"),
    ("fkp.kesepakatan_di_luar_agenda", FKP, "layanan: [ktp-el, kartu-keluarga]", "layanan: [kartu-keluarga]"),
    ("evaluasi.tanpa_jawaban", EVALUASI, None, "instrumen: pekppp-2023\nperiode: 2025\n"),
    ("evaluasi.indikator", EVALUASI, None, "instrumen: pekppp-2023\njawaban:\n  99.z.Q: {opsi: 3}\n"),
    ("evaluasi.opsi", EVALUASI, None, "instrumen: pekppp-2023\njawaban:\n  1.a.Ak: {opsi: 9}\n"),
    ("evaluasi.instrumen", EVALUASI, None, "instrumen: pekppp-2099\njawaban: {}\n"),
    ("evaluasi.bentuk", EVALUASI, None, "instrumen: pekppp-2023\njawaban: [1.a.Ak]\n"),
    ("berkas.kosong", KTP, None, ""),
    ("berkas.bukan_mapping", KTP, None, "- satu\n- dua\n"),
    ("berkas.biner", KTP, None, "nama: a\x00b\n"),
    ("fkp.layanan_tidak_terbaca", KTP, None, ""),
    ("yaml.karakter_kendali", KTP, "  biaya: 0", "  biaya: 0\x07"),
    ("yaml.kunci_bukan_teks", KTP, "  biaya: 0", "  biaya: 0\n  1: x"),
    ("yaml.spasi_tak_terlihat", KTP, "  biaya: 0", "\u00a0 biaya: 0"),
    ("yaml.terlalu_dalam", KTP, "  biaya: 0", "  biaya: " + "[" * 70 + "]" * 70),
    ("biaya.tarif_kosong", KTP, "  biaya: 0", "  biaya: {tarif: [], dasar_hukum: Perda Kota Uji Nomor 1 Tahun 2024}"),
    ("biaya.tarif_tipe", KTP, "  biaya: 0", "  biaya: {tarif: true, dasar_hukum: Perda Kota Uji Nomor 1 Tahun 2024}"),
    ("biaya.dasar_hukum_tipe", KTP, "  biaya: 0", "  biaya: {tarif: 5000, dasar_hukum: {a: b}}"),
    ("biaya.kunci_tidak_dikenal", KTP, "  biaya: 0",
     "  biaya: {tarif: 5000, dasar_hukum: Perda Kota Uji Nomor 1 Tahun 2024, catatan: x}"),
    ("biaya.baris", KTP, "  biaya: 0",
     "  biaya: {tarif: [Legalisir, {uraian: Salinan, tarif: 5000}], dasar_hukum: Perda Kota Uji Nomor 1 Tahun 2024}"),
    ("butir.kunci_tidak_dikenal", KTP, "    - KTP-el", "    - {uraian: KTP-el, catatan: x}"),
    ("pengaduan.tipe", KTP, '    - {saluran: WhatsApp, kontak: "0812-0000-0000"}', "    - [WhatsApp]"),
    ("pengaduan.titik_dua", KTP, '    - {saluran: WhatsApp, kontak: "0812-0000-0000"}', "    - WhatsApp: 0812-0000-0000"),
    ("uraian.bukan_teks", KTP, "  jaminan_keamanan: Data pemohon dijamin kerahasiaannya.", "  jaminan_keamanan: [1, 2]"),
    ("prosedur.tanpa_pelaksana", KTP, "    - Pemohon mengambil nomor antrean\n    - Petugas memverifikasi berkas\n",
     "    - {uraian: Pemohon mengambil nomor antrean, pelaksana: Pemohon}\n    - {uraian: Petugas memverifikasi berkas}\n"),
    ("prosedur.waktu_melebihi", KTP, "    - Petugas memverifikasi berkas\n",
     "    - {uraian: Petugas memverifikasi berkas, waktu: 3 hari kerja}\n"),
    ("prosedur.kelengkapan_bukan_persyaratan", KTP, "    - Petugas memverifikasi berkas\n",
     "    - {uraian: Petugas memverifikasi berkas, kelengkapan: [Akta kelahiran]}\n"),
    ("kertas.tidak_dikenal", "unit.yaml", "kota: Kota Uji", "kota: Kota Uji\npaper: A3"),
    ("kertas.jenis_tidak_dikenal", "unit.yaml", "kota: Kota Uji", "kota: Kota Uji\npaper: {sk: F4, sertifikat: A4}"),
]

# Survey files whose reading gives the SKM rules' messages (read with --populasi 5000).
_HEADER = "tanggal,layanan,U1,U2,U3,U4,U5,U6,U7,U8,U9\n"
_ROW = "2025-03-05,ktp-el,4,3,3,4,4,3,3,4,3\n"
SURVEYS = [
    ("tanpa-jawaban.csv", _HEADER),
    ("berjudul.csv", "REKAP SKM 2025\n" + _HEADER + _ROW),
    ("jawaban-salah.csv", _HEADER + "2025-03-05,ktp-el,4,3,3,4,9,3,3,4,3\n"),
    ("tanggal-salah.csv", _HEADER + "15/13/2025,ktp-el,4,3,3,4,4,3,3,4,3\n"),
    ("baris-pendek.csv", _HEADER + "2025-03-05,ktp-el,4,3\n"),
    ("tanpa-unsur.csv", "tanggal,layanan,nama\n2025-03-05,ktp-el,Budi\n"),
    ("kolom-ganda.csv", "tanggal,U1,U1,U2,U3,U4,U5,U6,U7,U8,U9\n2025-03-05,4,4,3,3,4,4,3,3,4,3\n"),
    ("tanpa-tanggal.csv", "U1,U2,U3,U4,U5,U6,U7,U8,U9\n4,3,3,4,4,3,3,4,3\n"),
]


def _survey_examples(scratch: Path, today) -> list:
    from sp_builder.survey import skm

    issues = []
    folder = scratch / "skm"
    folder.mkdir()
    for name, text in SURVEYS:
        (folder / name).write_text(text, encoding="utf-8")
        _, found = skm.analyse([Path("skm") / name], populasi=5000, today=today)
        issues += found
    return issues


def _validation_cases():
    spec = importlib.util.spec_from_file_location("_rule_cases", ROOT / "tests" / "test_validate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def examples() -> dict[str, tuple[str, str]]:
    """rule id → (severity, the message the validator prints) for every planted case (CASES, EXTRA)
    and for the survey files of SURVEYS."""
    from sp_builder.unit.validate import load_unit, validate_paths

    cases = _validation_cases()
    out: dict[str, tuple[str, str]] = {}
    here = os.getcwd()
    with tempfile.TemporaryDirectory() as scratch:
        for case in cases.CASES:
            _, rel, old, new, *_rest = case
            rule = case[8]
            if rule in out:
                continue
            root = Path(scratch) / case[0]
            shutil.copytree(cases.DATA / "unit-valid", root)
            os.chdir(root)
            try:
                cases.plant(root, rel, old, new)
                _, issues = load_unit(root, today=cases.TODAY)
            finally:
                os.chdir(here)
            found = [i for i in issues if i.rule == rule]
            if found:
                out[rule] = (found[0].severity.value, found[0].format())
        for n, (rule, rel, old, new) in enumerate(EXTRA):
            if rule in out:
                continue
            root = Path(scratch) / f"extra-{n}"
            shutil.copytree(cases.DATA / "unit-valid", root)
            os.chdir(root)
            try:
                if old is None:
                    (root / rel).write_text(new, encoding="utf-8")
                else:
                    cases.plant(root, rel, old, new)
                issues = validate_paths([root], today=cases.TODAY)
            finally:
                os.chdir(here)
            found = [i for i in issues if i.rule == rule]
            if found:
                out[rule] = (found[0].severity.value, found[0].format())
        os.chdir(scratch)
        try:
            for issue in _survey_examples(Path(scratch), cases.TODAY):
                if issue.rule and issue.rule not in out:
                    out[issue.rule] = (issue.severity.value, issue.format())
        finally:
            os.chdir(here)
    return out


def _group(ident: str) -> str:
    return ident.split(".", 1)[0]


def render() -> str:
    rules = collect()
    for ident, (severity, message) in examples().items():
        rule = rules.setdefault(ident, Rule(ident))
        rule.severities.add(severity)
        rule.example = message
    lines = [
        "# Arti setiap pesan galat dan peringatan",
        "",
        "<!-- Halaman ini dibuat oleh tools/rules_page.py dari kode sp-builder; jangan disunting dengan",
        "     tangan. Setelah mengubah pesan, jalankan: python3 tools/rules_page.py -->",
        "",
        "Setiap pesan sp-builder berbentuk `berkas:baris:kolom: tingkat: Komponen: pesan`. **Galat**",
        "membuat berkas tidak dapat dipakai (kode keluar 1; `render` dan `build` tidak menulis dokumen",
        "unit itu); **peringatan** adalah saran kepatuhan dan baru menggagalkan dengan `--strict`. Dengan",
        "`--format json` setiap pesan membawa `rule`, yaitu kode aturan di bawah ini.",
        "",
        f"Ada {len(rules)} aturan. Contoh pesan dihasilkan dengan menjalankan pemeriksa pada unit contoh",
        "yang diberi satu kesalahan, dan pada berkas survei kecil (tanggal hari ini 1 Juni 2025); untuk",
        "aturan lain ditampilkan bunyi pesannya di kode, dengan ‹…› di tempat nilai yang diisikan.",
        "",
    ]
    groups: dict[str, list[Rule]] = {}
    for ident in sorted(rules):
        groups.setdefault(_group(ident), []).append(rules[ident])
    lines.append("Kelompok: " + ", ".join(f"[{g}](#{g})" for g in groups) + ".")
    lines.append("")
    for group, members in groups.items():
        lines += [f"## {group}", ""]
        for rule in members:
            severity = " / ".join(s for s in (GALAT, PERINGATAN) if s in rule.severities)
            lines += [f"### `{rule.ident}`", "", f"Tingkat: **{severity}**.", ""]
            if rule.example:
                lines += ["Contoh:", "", "```text", rule.example, "```", ""]
            elif rule.templates:
                lines += ["Bunyi pesan:", ""]
                lines += [f"- {' '.join(t.split())}" for t in rule.templates]
                lines.append("")
            else:
                lines += ["(Pesannya disusun dari beberapa bagian; lihat contoh pada panduan.)", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def main() -> int:
    sys.path.insert(0, str(ROOT))
    PAGE.parent.mkdir(parents=True, exist_ok=True)
    PAGE.write_text(render(), encoding="utf-8")
    print(f"ditulis: {PAGE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
