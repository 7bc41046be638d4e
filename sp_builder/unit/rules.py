"""The rules of the SP contract: each file's structure and meaning, and the rules across files.

Each file is checked on plain values first (cerberus for structure and types, then the rules of
meaning below); findings carry a key path, and only files that have findings get their YAML
composed a second time to turn key paths into line and column.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import cerberus
from cerberus import errors as cerr

from sp_builder import fmt_id, tables
from sp_builder.unit import readers, wording
from sp_builder.errors import Issue, Severity
from sp_builder.files import image_problem
from sp_builder.unit.load import KeyPath, YamlFile
from sp_builder.unit import citations, dasar_hukum
from sp_builder.unit.model import PAPER_KINDS, Fkp, Service, as_date, as_list, fkp_photos, has_lapor_channel, is_free_word, parse_duration, texts_of, vulnerable_facilities_in


# ---------------------------------------------------------------------------------------------
# Findings of one file


@dataclass
class Finding:
    keypath: KeyPath
    message: str
    severity: Severity
    component: str  # component key, or ""
    rule: str


@dataclass
class FileCheck:
    """Collects findings for one file; positions are resolved once, at the end."""

    file: YamlFile
    findings: list[Finding] = field(default_factory=list)

    def error(self, keypath: KeyPath, message: str, rule: str, component: str = "") -> None:
        self.findings.append(Finding(tuple(keypath), message, Severity.ERROR, component, rule))

    def warn(self, keypath: KeyPath, message: str, rule: str, component: str = "") -> None:
        self.findings.append(Finding(tuple(keypath), message, Severity.WARNING, component, rule))

    @property
    def has_errors(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.findings)

    def issues(self) -> list[Issue]:
        out = []
        for f in self.findings:
            line, column = self.file.position(f.keypath)
            label = tables.label(f.component) if f.component else ""
            out.append(Issue(self.file.display, line, column, f.message, f.severity, label, f.rule))
        return out


# ---------------------------------------------------------------------------------------------
# Structure and types (cerberus)


@functools.cache
def _validator(name: str) -> cerberus.Validator:
    schema = {k: v for k, v in tables.load_data(name).items() if not k.startswith("_")}
    return cerberus.Validator(schema)


_TYPE_WORDS = {
    "string": "teks", "list": "daftar (butir diawali '- ')", "dict": "pasangan 'kunci: nilai'",
    "integer": "bilangan bulat", "float": "bilangan", "date": "tanggal (TTTT-BB-HH)", "boolean": "ya/tidak",
}


def _type_word(value: Any) -> str:
    if isinstance(value, bool):
        return "ya/tidak (true/false)"
    for name, kind in (("integer", int), ("float", float), ("string", str), ("list", list), ("dict", dict),
                       ("date", dt.date)):
        if isinstance(value, kind):
            return _TYPE_WORDS[name]
    return "kosong" if value is None else type(value).__name__


def _leaf_errors(errors: Iterable[cerberus.errors.ValidationError]):
    for e in errors:
        if e.is_group_error:
            yield from _leaf_errors(e.child_errors)
        else:
            yield e


def _component_of(path: KeyPath) -> str:
    for step in path[:2]:
        if isinstance(step, str) and tables.is_component(step):
            return step
    return ""


def check_structure(check: FileCheck, schema_name: str, hint_parent: dict[str, str] | None = None) -> set[KeyPath]:
    """Run cerberus; report its errors in Indonesian. Returns the key paths that failed, so the
    rules of meaning skip them instead of piling a second message on the same value."""
    v = _validator(schema_name)
    if v.validate(check.file.data):
        return set()
    failed = set()
    for e in _leaf_errors(v._errors):
        path = tuple(e.document_path)
        failed.add(path)
        comp = _component_of(path)
        name = str(path[-1]) if path else ""
        if e.code == cerr.REQUIRED_FIELD.code:
            if len(path) == 1 and path[0] in tables.parts():
                names = ", ".join(c.label for c in tables.components_of(path[0]))
                check.error(path, f'bagian "{path[0]}:" belum ada; bagian ini memuat komponen {names}',
                            "bagian.tidak_ada")
            elif comp and comp in check.file.data:
                continue  # written at column 1: komponen.kolom_satu says so at its own line
            elif comp:
                part = tables.component(comp).bagian
                check.error(path, f'komponen wajib belum diisi; tambahkan "{comp}:" di bawah "{part}:" — '
                                  f"{tables.component(comp).arti}", "komponen.tidak_ada", comp)
            else:
                where = f' di bawah "{path[-2]}:"' if len(path) > 1 else ""
                check.error(path, f'"{name}" wajib diisi{where}', "kunci.wajib")
        elif e.code == cerr.UNKNOWN_FIELD.code:
            _unknown_key(check, path, hint_parent)
            failed.discard(path)
        elif e.code in (cerr.EMPTY_NOT_ALLOWED.code, cerr.NOT_NULLABLE.code):
            what = "komponen" if comp and len(path) == 2 else f'"{name}"'
            check.error(path, f"{what} tidak boleh kosong; isi nilainya atau hapus kuncinya",
                        "nilai.kosong", comp)
        elif e.code == cerr.BAD_TYPE.code:
            wanted = " atau ".join(_TYPE_WORDS.get(t, t) for t in as_list(e.constraint))
            check.error(path, f'"{name}" harus berupa {wanted}, bukan {_type_word(e.value)}', "nilai.tipe", comp)
        elif e.code == cerr.UNALLOWED_VALUE.code:
            allowed = ", ".join(f'"{a}"' for a in e.constraint)
            check.error(path, f'nilai "{e.value}" tidak dikenal untuk "{name}"; pilih salah satu: {allowed}',
                        "nilai.tidak_dikenal", comp)
        else:
            check.error(path, f'nilai "{name}" tidak sah ({e.rule})', f"nilai.{e.rule}", comp)
    return failed


def _unknown_key(check: FileCheck, path: KeyPath, hint_parent: dict[str, str] | None) -> None:
    key = str(path[-1])
    if len(path) == 1 and tables.is_component(key) and isinstance(check.file.data.get(tables.component(key).bagian), dict):
        part = tables.component(key).bagian
        check.error(path, f'komponen "{key}" ditulis di kolom 1 (tingkat teratas) sehingga keluar dari bagian "{part}:"; '
                          f'beri indentasi yang sama dengan komponen lain di bawah "{part}:"', "komponen.kolom_satu", key)
        return
    if len(path) == 2 and path[0] in tables.parts() and tables.is_component(key):
        right = tables.component(key).bagian
        check.error(path, f'komponen ini termasuk bagian "{right}", bukan "{path[0]}"; pindahkan ke bawah "{right}:"',
                    "komponen.salah_bagian", key)
        return
    known = list((hint_parent or {}).get(path[:-1], ()))
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.75)
    suggestion = f'; maksud Anda "{close[0]}"?' if close else "; kunci ini diabaikan"
    check.warn(path, f'kunci "{key}" tidak dikenal{suggestion}', "kunci.tidak_dikenal", _component_of(path))


@functools.cache
def _known_keys(schema_name: str) -> dict[KeyPath, tuple[str, ...]]:
    """For typo suggestions: the keys allowed under each mapping of a schema."""
    out: dict[KeyPath, tuple[str, ...]] = {}

    def walk(schema: dict, prefix: KeyPath) -> None:
        out[prefix] = tuple(schema)
        for key, rule in schema.items():
            if isinstance(rule, dict) and isinstance(rule.get("schema"), dict) and rule.get("type") == "dict":
                walk(rule["schema"], prefix + (key,))

    walk({k: v for k, v in tables.load_data(schema_name).items() if not k.startswith("_")}, ())
    return out


# ---------------------------------------------------------------------------------------------
# Shared value rules


_EMAIL = re.compile(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)+$")
_URL = re.compile(r"^https?://[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)+(:\d+)?(/\S*)?$")


def check_nip(check: FileCheck, path: KeyPath, value: Any, today: dt.date) -> None:
    """18 digits: birth date (8), appointment year-month (6), sex (1), serial (3)."""
    if isinstance(value, bool) or isinstance(value, (int, float)):
        check.error(path, f'NIP ditulis sebagai angka ({value}) sehingga dapat berubah; tulis di antara tanda kutip, '
                          f'mis. nip: "197001011995031001"', "nip.bukan_teks")
        return
    if not isinstance(value, str):
        return
    digits = re.sub(r"\s", "", value)
    if not digits.isdigit() or len(digits) != 18:
        check.error(path, f'NIP "{value}" harus 18 angka (spasi boleh), mis. "19700101 199503 1 001"', "nip.panjang")
        return
    try:
        born = dt.date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        check.error(path, f'NIP "{value}": 8 angka pertama ({digits[:8]}) bukan tanggal lahir yang sah (TTTTBBHH)',
                    "nip.tanggal_lahir")
        return
    year, month = int(digits[8:12]), int(digits[12:14])
    if not (1 <= month <= 12) or year < born.year + 15 or year > today.year:
        check.error(path, f'NIP "{value}": angka ke-9 s.d. 14 ({digits[8:14]}) bukan tahun dan bulan pengangkatan '
                          f"yang sah (TTTTBB, setelah tanggal lahir)", "nip.tmt")
        return
    if digits[14] not in "12":
        check.error(path, f'NIP "{value}": angka ke-15 ({digits[14]}) harus 1 (laki-laki) atau 2 (perempuan)',
                    "nip.jenis_kelamin")


def check_relative_file(check: FileCheck, path: KeyPath, value: Any, root: Path, what: str,
                        component: str = "", *, image: bool = False) -> bool:
    """A referenced file must exist, be a file and stay inside the unit folder (symbolic links are
    followed: one pointing outside is refused); an image must also be one documents can hold.
    Returns whether the file passed."""
    if not isinstance(value, str) or not value.strip():
        return False
    rel = Path(value)
    if rel.is_absolute() or value.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", value):
        check.error(path, f'{what} "{value}" memakai jalur absolut; tulis jalur relatif terhadap folder unit, '
                          f'mis. "{rel.name}"', "berkas.jalur_absolut", component)
        return False
    try:
        target = (root / rel).resolve()
    except (RuntimeError, OSError):  # a symbolic link loop (RuntimeError before Python 3.13)
        check.error(path, f'{what} "{value}" adalah tautan simbolik yang berputar (menunjuk ke dirinya sendiri); '
                          "ganti dengan berkas yang sebenarnya", "berkas.tautan_berputar", component)
        return False
    if not target.is_relative_to(root.resolve()):
        check.error(path, f'{what} "{value}" berada di luar folder unit; salin berkasnya ke folder unit',
                    "berkas.di_luar_unit", component)
        return False
    if target.is_dir():
        check.error(path, f'{what} "{value}" adalah folder, bukan berkas; tulis jalur berkasnya, '
                          f'mis. "{value.rstrip("/")}/nama-berkas.png"', "berkas.folder", component)
        return False
    if not target.is_file():
        check.error(path, f'{what} "{value}" tidak ditemukan di folder unit', "berkas.tidak_ada", component)
        return False
    if image:
        problem = image_problem(target)
        if problem:
            check.error(path, f'{what} "{value}": {problem[1]}', problem[0], component)
            return False
    return True


def _date_or_error(check: FileCheck, path: KeyPath, value: Any, what: str, component: str = "") -> dt.date | None:
    d = as_date(value)
    if d is None and readers.read_date(value).month_first:
        check.error(path, f'{what} "{value}" tampaknya ditulis bulan lebih dulu (gaya Amerika); tulis hari lebih dulu, '
                          'mis. 16-02-2026, atau TTTT-BB-HH, mis. 2026-02-16', "tanggal.bulan_dulu", component)
    elif d is None:
        check.error(path, f'{what} "{value}" bukan tanggal yang sah; tulis TTTT-BB-HH (mis. 2025-01-15), '
                          'HH-BB-TTTT atau "15 Januari 2025"', "tanggal.tidak_sah", component)
    return d


# ---------------------------------------------------------------------------------------------
# unit.yaml


def _paper_check(check: FileCheck, value: Any) -> None:
    """`paper:` is a paper name (for the SK and its Lampiran SP) or a mapping of document kinds to
    paper names."""
    if value is None:
        return
    papers = list(tables.load_data("dokumen.yaml")["kertas"])
    choice = " atau ".join(papers)
    kinds = ", ".join(PAPER_KINDS)
    if isinstance(value, dict):
        for kind, paper in value.items():
            if kind not in PAPER_KINDS:
                check.error(("paper", kind), f'jenis dokumen "{kind}" pada paper tidak dikenal; pilih salah satu: '
                                             f'{kinds} (mis. "paper: {{sk: F4, maklumat: A4}}")',
                            "kertas.jenis_tidak_dikenal")
            elif str(paper) not in papers:
                check.error(("paper", kind), f'ukuran kertas "{paper}" untuk {kind} tidak dikenal; pilih {choice}',
                            "kertas.tidak_dikenal")
    elif str(value) not in papers:
        check.error(("paper",), f'ukuran kertas "{value}" tidak dikenal; pilih {choice} (berlaku untuk SK dan '
                                f'Lampiran SP), atau per jenis dokumen: "paper: {{sk: F4, maklumat: A4}}" '
                                f'(jenis: {kinds})', "kertas.tidak_dikenal")


def check_unit_file(file: YamlFile, root: Path, today: dt.date) -> FileCheck:
    check = FileCheck(file)
    failed = check_structure(check, "unit.schema.yaml", _known_keys("unit.schema.yaml"))
    data = file.data
    email = data.get("email")
    if isinstance(email, str) and ("email",) not in failed and not _EMAIL.match(email.strip()):
        check.error(("email",), f'alamat surel "{email}" tidak sah; tulis mis. "dukcapil@contohkota.go.id"',
                    "surel.tidak_sah")
    laman = data.get("laman")
    if isinstance(laman, str) and ("laman",) not in failed and not _URL.match(laman.strip()):
        check.error(("laman",), f'alamat laman "{laman}" tidak sah; tulis lengkap dengan https://, '
                                f'mis. "https://dukcapil.contohkota.go.id"', "laman.tidak_sah")
    check_relative_file(check, ("logo",), data.get("logo"), root, "Logo", image=True)
    if ("paper",) not in failed:
        _paper_check(check, data.get("paper"))
    pimpinan = data.get("pimpinan")
    if isinstance(pimpinan, dict) and "nip" in pimpinan:
        check_nip(check, ("pimpinan", "nip"), pimpinan["nip"], today)
    if "maklumat_tanggal" in data and ("maklumat_tanggal",) not in failed:
        _date_or_error(check, ("maklumat_tanggal",), data["maklumat_tanggal"], "Tanggal maklumat")
    return check


# ---------------------------------------------------------------------------------------------
# layanan/<slug>.yaml


def _items_check(check: FileCheck, key: str, value: Any, base: KeyPath | None = None) -> None:
    """List items: text, or {uraian, keterangan} (a prosedur step also its actor, time, output);
    a heading with its sub-list is checked item by item; a one-key mapping made by an unquoted
    colon is taken as the text meant, with a warning."""
    base = base or (tables.component(key).bagian, key)
    if not isinstance(value, list):
        return
    allowed = readers.STEP_KEYS if key == "prosedur" else {"uraian", "keterangan"}
    for i, item in enumerate(value):
        if isinstance(item, dict):
            if "uraian" not in item and readers.is_sublist_heading(item):
                _items_check(check, key, next(iter(item.values())), base + (i, next(iter(item))))
                continue
            meant = readers.colon_text(item) if "uraian" not in item else None
            if meant is not None:
                check.warn(base + (i,), f'butir ini terbaca sebagai pasangan "kunci: nilai" karena tanda titik dua; '
                                        f'sp-builder membacanya sebagai teks "{fmt_id.short(meant)}" — beri tanda kutip '
                                        f"agar pasti, mis. - \"{fmt_id.short(meant, 40)}\"", "butir.titik_dua", key)
                continue
            uraian = item.get("uraian")
            if not isinstance(uraian, str) or not uraian.strip():
                check.error(base + (i,), 'butir berbentuk pasangan harus memiliki "uraian" berupa teks, '
                                         'mis. {uraian: Kartu Keluarga, keterangan: fotokopi 1 lembar}',
                            "butir.tanpa_uraian", key)
            extra = set(item) - allowed
            if extra:
                known = ", ".join(f'"{k}"' for k in sorted(allowed))
                check.warn(base + (i,), f'kunci {", ".join(sorted(map(str, extra)))} pada butir tidak dikenal; '
                                        f"gunakan {known}", "butir.kunci_tidak_dikenal", key)
        elif isinstance(item, (list, bool)) or item is None or (isinstance(item, str) and not item.strip()):
            check.error(base + (i,), f"butir ke-{i + 1} kosong atau bukan teks; tulis satu kalimat per butir",
                        "butir.kosong", key)


def _check_jangka_waktu(check: FileCheck, value: Any) -> None:
    path = ("penyampaian", "jangka_waktu")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        check.error(path, f'{value} tanpa satuan; tulis angka dan satuan, mis. "{value} hari kerja"',
                    "jangka_waktu.tanpa_satuan", "jangka_waktu")
    elif parse_duration(value) is None:
        check.error(path, readers.duration_hint(fmt_id.short(value) if isinstance(value, str) else value),
                    "jangka_waktu.tidak_konkret", "jangka_waktu")


def _check_biaya(check: FileCheck, value: Any) -> None:
    path = ("penyampaian", "biaya")
    example = '{tarif: 50000, dasar_hukum: "Peraturan Daerah ... Nomor ... Tahun ... tentang ..."}'
    if is_free_word(value):
        return
    if isinstance(value, bool):
        check.error(path, f'tulis 0 atau "Gratis" bila tidak dipungut biaya, atau {example}', "biaya.bentuk", "biaya")
    elif isinstance(value, (int, float)):
        check.error(path, f"tarif {value} harus disertai dasar hukumnya; tulis {example}", "biaya.tanpa_dasar_hukum",
                    "biaya")
    elif isinstance(value, str):
        reading = readers.read_fee(value)
        if reading is None or (reading.needs_basis and not reading.amounts):
            check.error(path, f'"{fmt_id.short(value)}" tidak dikenali; tulis 0 atau "Gratis" bila tidak dipungut '
                              f"biaya; bila berbayar, tulis besarnya dan dasar hukumnya, mis. {example}",
                        "biaya.bentuk", "biaya")
        elif reading.needs_basis:
            check.error(path, f'"{fmt_id.short(value)}": tarif yang tidak nol wajib menyebut dasar hukumnya; tulis '
                              f'mis. "Sesuai Peraturan Daerah ... Nomor ... Tahun ... tentang ...: Rp10.000", atau '
                              f"{example}", "biaya.tanpa_dasar_hukum", "biaya")
    elif isinstance(value, dict):
        _check_tarif(check, value)


def _check_tarif(check: FileCheck, value: dict) -> None:
    path = ("penyampaian", "biaya")
    for key in set(value) - {"tarif", "dasar_hukum", "keterangan"}:
        check.warn(path + (key,), f'kunci "{key}" tidak dikenal; gunakan "tarif" dan "dasar_hukum"',
                   "biaya.kunci_tidak_dikenal", "biaya")
    if "tarif" not in value:
        check.error(path, 'tulis "tarif" (angka rupiah, teks, atau daftar {uraian, tarif})', "biaya.tanpa_tarif",
                    "biaya")
        return
    tarif = value["tarif"]
    if is_free_word(tarif):
        return
    rows = tarif if isinstance(tarif, list) else [tarif]
    if isinstance(tarif, list) and not tarif:
        check.error(path + ("tarif",), "daftar tarif kosong", "biaya.tarif_kosong", "biaya")
    for i, row in enumerate(rows):
        where = path + ("tarif", i) if isinstance(tarif, list) else path + ("tarif",)
        amount = row.get("tarif") if isinstance(row, dict) else row
        if isinstance(tarif, list) and (not isinstance(row, dict) or not str(row.get("uraian", "")).strip()):
            check.error(where, 'setiap baris tarif ditulis {uraian: ..., tarif: 50000}', "biaya.baris", "biaya")
            continue
        if isinstance(amount, bool) or amount is None or isinstance(amount, (float, list, dict)):
            check.error(where, "tarif harus berupa rupiah bulat (mis. 50000) atau teks", "biaya.tarif_tipe", "biaya")
        elif isinstance(amount, int) and amount < 0:
            check.error(where, f"tarif {amount} tidak boleh negatif", "biaya.tarif_negatif", "biaya")
        elif isinstance(amount, str) and not amount.strip():
            check.error(where, "tarif kosong", "biaya.tarif_kosong", "biaya")
    dasar = value.get("dasar_hukum")
    if not dasar or (isinstance(dasar, str) and not dasar.strip()):
        check.error(path, 'tarif yang tidak nol wajib menyebut dasar hukumnya; tambahkan '
                          'dasar_hukum: "Peraturan Daerah ... Nomor ... Tahun ... tentang ..."',
                    "biaya.tanpa_dasar_hukum", "biaya")
    elif not isinstance(dasar, (str, list)):
        check.error(path + ("dasar_hukum",), "dasar hukum tarif harus berupa teks atau daftar",
                    "biaya.dasar_hukum_tipe", "biaya")


def _check_jumlah_pelaksana(check: FileCheck, value: Any) -> None:
    path = ("pengelolaan", "jumlah_pelaksana")
    key = "jumlah_pelaksana"
    if isinstance(value, bool):
        check.error(path, "tulis jumlah orang (mis. 6) atau daftar {jabatan, jumlah}", "jumlah_pelaksana.tipe", key)
    elif isinstance(value, int):
        if value < 1:
            check.error(path, f"jumlah pelaksana {value} harus paling sedikit 1", "jumlah_pelaksana.nol", key)
    elif isinstance(value, list):
        for i, row in enumerate(value):
            ok = (isinstance(row, dict) and isinstance(row.get("jabatan"), str) and row["jabatan"].strip()
                  and isinstance(row.get("jumlah"), int) and not isinstance(row.get("jumlah"), bool)
                  and row["jumlah"] >= 1) or (not isinstance(row, dict) and readers.read_staffing([row]) is not None)
            if not ok:
                check.error(path + (i,), "setiap baris ditulis {jabatan: Operator Loket, jumlah: 2} dengan jumlah "
                                         'bilangan bulat paling sedikit 1, atau sebagai teks "Petugas loket 2 orang"',
                            "jumlah_pelaksana.baris", key)
        _warn_approximate(check, path, value)
    elif isinstance(value, str):
        if readers.read_staffing(value) is None:
            check.error(path, f'"{fmt_id.short(value)}" tidak menyebut jumlah orang; tulis angka, mis. 4 atau '
                              '"4 (empat) orang"', "jumlah_pelaksana.tipe", key)
        else:
            _warn_approximate(check, path, value)


def _warn_approximate(check: FileCheck, path: KeyPath, value: Any) -> None:
    reading = readers.read_staffing(value)
    if reading is not None and reading.approximate:
        check.warn(path, f"jumlah pelaksana ditulis sebagai perkiraan; tulis jumlah orang yang sebenarnya, mis. "
                         f'"{reading.total} orang"', "jumlah_pelaksana.perkiraan", "jumlah_pelaksana")


_WITHOUT_NUMBER = re.compile(r"undang-undang dasar|uud\s*(nri\s*)?(tahun\s+)?1945", re.IGNORECASE)


def _check_dasar_hukum(check: FileCheck, value: Any) -> None:
    """Each line names its regulation's number and year (citations.cites_number_and_year: "No. 25
    Thn 2009", "25/2009" and "HK.01.07/Menkes/1186/2022" do), and the register of the unit
    (unit/dasar_hukum.py: built-in, with the Pemda's peraturan.yaml) finds nothing at it: not
    revoked, its title its own, amended regulations cited with their amendment (a note)."""
    entries = as_list(value)
    for i, entry in enumerate(entries):
        if not isinstance(entry, str) or not entry.strip():
            continue
        if not citations.cites_number_and_year(entry) and not _WITHOUT_NUMBER.search(entry):
            path = ("pengelolaan", "dasar_hukum") + ((i,) if isinstance(value, list) else ())
            check.warn(path, f'"{fmt_id.short(entry)}" tidak menyebut "Nomor … Tahun …"; tulis lengkap, mis. '
                             f'"Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik"',
                       "dasar_hukum.tanpa_nomor", "dasar_hukum")
    known = dasar_hukum.register_for(dasar_hukum.unit_root_of(check.file.path)).register
    for i, finding in dasar_hukum.line_findings(entries, known):
        path = ("pengelolaan", "dasar_hukum") + ((i,) if isinstance(value, list) else ())
        _, message = dasar_hukum.severity_and_message(finding)
        check.warn(path, message, finding.rule, "dasar_hukum")


def check_service_file(file: YamlFile, root: Path, today: dt.date) -> FileCheck:
    check = FileCheck(file)
    failed = check_structure(check, "layanan.schema.yaml", _known_keys("layanan.schema.yaml"))
    data = file.data
    status = readers.read_status(data.get("status", "rancangan"))
    if status is None and ("status",) not in failed:
        check.error(("status",), f'nilai "{data.get("status")}" tidak dikenal untuk "status"; pilih salah satu: '
                                 '"rancangan", "ditetapkan"', "nilai.tidak_dikenal")
    penetapan = data.get("penetapan")
    if status == "ditetapkan" and not penetapan:
        check.error(("status",), 'layanan berstatus "ditetapkan" wajib memiliki penetapan: {nomor: ..., tanggal: '
                                 'TTTT-BB-HH} (nomor dan tanggal Keputusan penetapan)', "penetapan.tidak_ada")
    if isinstance(penetapan, dict) and ("penetapan", "tanggal") not in failed and "tanggal" in penetapan:
        when = _date_or_error(check, ("penetapan", "tanggal"), penetapan["tanggal"], "Tanggal penetapan")
        if when and when > today:
            check.warn(("penetapan", "tanggal"), f"tanggal penetapan {fmt_id.tanggal(when)} belum tiba",
                       "penetapan.masa_depan")
        elif when and status == "ditetapkan" and (today - when).days > tables.review_after_days():
            check.warn(("penetapan", "tanggal"), f"SP ditetapkan {fmt_id.tanggal(when)}, lebih dari setahun lalu; "
                                                 "SP wajib ditinjau dan dievaluasi paling sedikit sekali setahun",
                       "penetapan.perlu_tinjau")
    if status == "rancangan" and penetapan:
        check.warn(("status",), 'layanan masih "rancangan" tetapi sudah memiliki penetapan; ubah status menjadi '
                                '"ditetapkan" bila Keputusan sudah terbit', "status.rancangan_berpenetapan")

    for part in tables.parts():
        section = data.get(part)
        if not isinstance(section, dict):
            continue
        for key, value in section.items():
            if (part, key) in failed or not tables.is_component(key) or tables.component(key).bagian != part:
                continue
            if tables.component(key).jenis == "daftar":
                _items_check(check, key, value)
            rule = _VALUE_RULES.get(key)
            if rule:
                rule(check, value)
        bagan = section.get("bagan_alir") if part == "penyampaian" else None
        if bagan is not None and ("penyampaian", "bagan_alir") not in failed:
            check_relative_file(check, ("penyampaian", "bagan_alir"), bagan, root, "Bagan alir", "prosedur",
                                image=True)
        if part == "penyampaian" and ("penyampaian", "prosedur") not in failed:
            _check_steps_against_sp(check, section)
    if isinstance(data.get("sop"), dict):
        _check_sop(check, data["sop"], failed, today)
    return check


SOP_DATES = {"tanggal_pembuatan": "Tanggal pembuatan SOP", "tanggal_revisi": "Tanggal revisi SOP",
             "tanggal_efektif": "Tanggal efektif SOP"}


def _check_sop(check: FileCheck, sop: dict, failed: set[KeyPath], today: dt.date) -> None:
    """`sop:` (the SOP AP's identity sheet): its dates read as every other date, the signer's NIP
    as every NIP, and an effective date before the SOP was made is a warning. Unknown keys and
    types are the schema's (check_structure)."""
    dates = {}
    for key, what in SOP_DATES.items():
        if key in sop and ("sop", key) not in failed:
            dates[key] = _date_or_error(check, ("sop", key), sop[key], what)
    made, effective = dates.get("tanggal_pembuatan"), dates.get("tanggal_efektif")
    if made and effective and effective < made:
        check.warn(("sop", "tanggal_efektif"), f"tanggal efektif SOP {fmt_id.tanggal(effective)} mendahului tanggal "
                                               f"pembuatannya {fmt_id.tanggal(made)}; periksa kedua tanggal",
                   "sop.efektif_sebelum_dibuat")
    signer = sop.get("disahkan_oleh")
    if isinstance(signer, dict) and "nip" in signer and ("sop", "disahkan_oleh", "nip") not in failed:
        check_nip(check, ("sop", "disahkan_oleh", "nip"), signer["nip"], today)


def _check_steps_against_sp(check: FileCheck, section: dict) -> None:
    """The procedure steps (the SOP's mutu baku) against the SP itself, as warnings: the steps'
    `waktu` adding up to more than the upper bound of `jangka_waktu`; a `kelengkapan` item that is
    not among the `persyaratan` (compared as the reading layer compares, either text containing the
    other); a step without `pelaksana` when other steps name theirs."""
    steps = section.get("prosedur")
    if not isinstance(steps, list):
        return
    base = ("penyampaian", "prosedur")

    def numbers(nums: list[int]) -> str:  # "1, 2 dan 4"; "1–9"
        words = [str(n) for n in nums]
        if len(words) > 4 and nums == list(range(nums[0], nums[-1] + 1)):
            return f"{words[0]}–{words[-1]}"
        return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " dan " + words[-1]

    def plain(x: float) -> str:  # "1,25"; "2"
        return fmt_id.desimal(x).removesuffix(",00")

    found = []  # (keypath, step number, mapping or {})
    for i, item in enumerate(steps):
        if item is None or isinstance(item, list) or (isinstance(item, dict) and "uraian" not in item):
            continue  # sub-steps, blanks, and what _items_check reads otherwise
        found.append((base + (i,), len(found) + 1, item if isinstance(item, dict) else {}))

    total, timed = 0.0, []
    for _path, nomor, step in found:
        reading = readers.read_duration(step.get("waktu")) if step.get("waktu") is not None else None
        if reading is not None:
            total += reading.max_minutes
            timed.append(nomor)
    limit = readers.read_duration(section.get("jangka_waktu"))
    if timed and limit is not None and total > limit.max_minutes + 1e-9:
        per_day = limit.max_minutes / limit.max_working_days if limit.max_working_days else 480.0
        days = total / per_day
        amount = f"{plain(total)} menit" if total < per_day else f"{plain(days)} hari kerja ({plain(total)} menit kerja)"
        line, _column = check.file.position(("penyampaian", "jangka_waktu"))
        check.warn(base, f"waktu langkah-langkah prosedur (langkah {numbers(timed)}) berjumlah {amount}, lebih lama dari "
                         f'jangka waktu pelayanan "{fmt_id.short(limit.text)}" (baris {line}); sesuaikan waktu '
                         "langkah atau jangka waktu pelayanan", "prosedur.waktu_melebihi", "prosedur")

    def texts(items: Any) -> Iterable[str]:
        for entry in as_list(items):
            if isinstance(entry, dict) and isinstance(entry.get("uraian"), str):
                yield entry["uraian"]
            elif isinstance(entry, dict):  # a heading over its sub-list
                for head, sub in entry.items():
                    yield str(head)
                    yield from texts(sub)
            elif isinstance(entry, list):
                yield from texts(entry)
            elif entry is not None:
                yield str(entry)

    required = [t for t in (readers.comparable(x).casefold() for x in texts(section.get("persyaratan"))) if t]
    for path, nomor, step in found:
        kelengkapan = step.get("kelengkapan")
        entries = ([(path + ("kelengkapan", j), k) for j, k in enumerate(kelengkapan)]
                   if isinstance(kelengkapan, list) else [(path + ("kelengkapan",), kelengkapan)])
        for where, item in entries:
            if item is None or isinstance(item, (dict, list, bool)) or not str(item).strip():
                continue
            wanted = readers.comparable(item).casefold()
            if wanted and not any(wanted in r or r in wanted for r in required):
                check.warn(where, f'kelengkapan "{fmt_id.short(str(item))}" pada langkah {nomor} tidak ada di '
                                  "persyaratan; tambahkan ke persyaratan atau tulis kelengkapan seperti tertulis di "
                                  "persyaratan", "prosedur.kelengkapan_bukan_persyaratan", "prosedur")

    named = [nomor for _path, nomor, step in found if str(step.get("pelaksana") or "").strip()]
    if named:
        for path, nomor, step in found:
            if nomor not in named:
                check.warn(path, f"langkah {nomor} tidak menyebut pelaksana, padahal langkah {numbers(named)} "
                                 "menyebutnya; tulis langkahnya sebagai {uraian: ..., pelaksana: ...} agar masuk "
                                 'lajur yang benar di bagan alir dan SOP (bukan lajur "Pelaksana")',
                           "prosedur.tanpa_pelaksana", "prosedur")



def _check_pengaduan(check: FileCheck, value: Any) -> None:
    path = ("penyampaian", "pengaduan")
    for i, entry in enumerate(as_list(value)):
        where = path + ((i,) if isinstance(value, list) else ())
        if isinstance(entry, dict) and "saluran" not in entry and readers.colon_text(entry) is not None:
            meant = readers.colon_text(entry)
            check.warn(where, f'saluran ini terbaca sebagai pasangan "kunci: nilai" karena tanda titik dua; '
                              f'sp-builder membacanya sebagai "{fmt_id.short(meant)}" — beri tanda kutip, atau tulis '
                              '{saluran: ..., kontak: ...}', "pengaduan.titik_dua", "pengaduan")
        elif isinstance(entry, dict) and not str(entry.get("saluran", "") or "").strip():
            check.error(where, 'setiap saluran ditulis {saluran: WhatsApp, kontak: "0812-0000-0000"}',
                        "pengaduan.tanpa_saluran", "pengaduan")
        elif not isinstance(entry, (dict, str)):
            check.error(path + (i,), "butir saluran pengaduan harus berupa teks atau {saluran, kontak}",
                        "pengaduan.tipe", "pengaduan")
    if not has_lapor_channel(value):
        check.warn(path, "tidak ada kanal SP4N-LAPOR!; tambahkan {saluran: SP4N-LAPOR!, kontak: "
                         '"https://www.lapor.go.id"} (Perpres 76/2013; PermenPANRB 5/2025, yang menggantikan PermenPANRB '
                         '62/2018)', "pengaduan.tanpa_lapor", "pengaduan")


def _check_sarana(check: FileCheck, value: Any) -> None:
    if not vulnerable_facilities_in(texts_of(value)):
        check.warn(("pengelolaan", "sarana_prasarana"),
                   "tidak ada fasilitas bagi kelompok rentan (SE MenPANRB 66/2020); tambahkan mis. kursi roda, "
                   "jalan landai (ramp), toilet khusus disabilitas, loket prioritas, ruang laktasi",
                   "sarana.tanpa_fasilitas_rentan", "sarana_prasarana")


def _check_text_component(key: str):
    def rule(check: FileCheck, value: Any) -> None:
        for i, entry in enumerate(as_list(value)):
            if not isinstance(entry, str) or not entry.strip():
                check.error((tables.component(key).bagian, key) + ((i,) if isinstance(value, list) else ()),
                            "tulis uraian berupa kalimat (teks)", "uraian.bukan_teks", key)
    return rule


_VALUE_RULES = {
    "jangka_waktu": _check_jangka_waktu,
    "biaya": _check_biaya,
    "pengaduan": _check_pengaduan,
    "dasar_hukum": _check_dasar_hukum,
    "sarana_prasarana": _check_sarana,
    "jumlah_pelaksana": _check_jumlah_pelaksana,
    **{key: _check_text_component(key) for key in tables.keys_of_kind("teks")},
}

# ---------------------------------------------------------------------------------------------
# fkp/<slug>.yaml


def _list_or_empty(value: Any) -> list:
    """A value cerberus has already judged: iterate it only when it really is a list."""
    return value if isinstance(value, list) else []


def check_fkp_file(file: YamlFile, root: Path, today: dt.date) -> FileCheck:
    check = FileCheck(file)
    failed = check_structure(check, "fkp.schema.yaml", _known_keys("fkp.schema.yaml"))
    data = file.data
    held = None
    if "tanggal" in data and ("tanggal",) not in failed:
        held = _date_or_error(check, ("tanggal",), data["tanggal"], "Tanggal FKP")
    _check_undangan(check, data.get("undangan"), held, failed)
    if "foto" in data and ("foto",) not in failed:
        for path, berkas, _ in fkp_photos(data["foto"]):
            if path not in failed:
                check_relative_file(check, path, berkas, root, "Foto", image=True)
    rules = tables.load_data("fkp.yaml")
    metode = data.get("metode")
    if isinstance(metode, str) and metode.strip().lower() not in rules["metode"] and not data.get("metode_uraian"):
        known = ", ".join(f'"{m}"' for m in rules["metode"])
        check.error(("metode",), f'metode "{metode}" bukan metode yang dikenal ({known}); bila memang lain, '
                                 f"jelaskan di metode_uraian", "fkp.metode")
    groups = tables.fkp_groups()
    peserta = data.get("peserta") if isinstance(data.get("peserta"), list) else []
    seen = set()
    for i, person in enumerate(peserta):
        if not isinstance(person, dict):
            continue
        unsur = person.get("unsur")
        if unsur is None:
            check.error(("peserta", i), f'peserta "{person.get("nama", "")}" belum diberi unsur; pilih salah satu: '
                                        f'{", ".join(groups)}', "fkp.unsur_tidak_ada")
        elif not isinstance(unsur, str) or unsur not in groups:
            check.error(("peserta", i, "unsur"), f'unsur "{unsur}" tidak dikenal; pilih salah satu: '
                                                 f'{", ".join(groups)}', "fkp.unsur")
        else:
            seen.add(unsur)
    if peserta:
        if "penyelenggara" not in seen:
            check.error(("peserta",), "peserta FKP wajib memuat unsur penyelenggara", "fkp.tanpa_penyelenggara")
        if "pengguna_layanan" not in seen:
            check.error(("peserta",), "peserta FKP wajib memuat paling sedikit satu pengguna layanan",
                        "fkp.tanpa_pengguna")
        if len(seen) < rules["unsur_minimal"]:
            missing = ", ".join(groups[g] for g in groups if g not in seen)
            check.warn(("peserta",), f"hanya {len(seen)} dari {len(groups)} unsur hadir; penilaian menghargai keterwakilan "
                                     f"yang luas — undang juga: {missing}", "fkp.unsur_sedikit")
    for i, row in enumerate(_list_or_empty(data.get("kesepakatan"))):
        if isinstance(row, dict) and isinstance(row.get("komponen"), str) and not tables.is_component(row["komponen"]):
            close = difflib.get_close_matches(row["komponen"], [c.key for c in tables.components()], n=1)
            hint = f'; maksud Anda "{close[0]}"?' if close else ""
            check.error(("kesepakatan", i, "komponen"), f'komponen "{row["komponen"]}" bukan salah satu dari 14 '
                                                        f"komponen standar pelayanan{hint}", "fkp.komponen")
    penandatangan = data.get("penandatangan")
    if isinstance(penandatangan, dict):
        for who in ("penyelenggara", "masyarakat"):
            if who not in penandatangan:
                check.error(("penandatangan",), f'penandatangan "{who}" belum diisi (nama dan jabatan/unsur)',
                            "fkp.penandatangan")
            signer = penandatangan.get(who)
            unsur = signer.get("unsur") if isinstance(signer, dict) else None
            if isinstance(unsur, str) and unsur not in groups:
                check.error(("penandatangan", who, "unsur"), f'unsur "{unsur}" tidak dikenal; pilih salah satu: '
                                                              f'{", ".join(groups)}', "fkp.unsur")
        nip = (penandatangan.get("penyelenggara") or {}).get("nip") if isinstance(
            penandatangan.get("penyelenggara"), dict) else None
        if nip is not None:
            check_nip(check, ("penandatangan", "penyelenggara", "nip"), nip, today)
    return check


def _check_undangan(check: FileCheck, undangan: Any, held: dt.date | None, failed: set[KeyPath]) -> None:
    """An invitation is dated on or before the day of the forum it invites to."""
    if not isinstance(undangan, dict) or "tanggal" not in undangan or ("undangan", "tanggal") in failed:
        return
    sent = _date_or_error(check, ("undangan", "tanggal"), undangan["tanggal"], "Tanggal undangan")
    if sent and held and sent > held:
        check.error(("undangan", "tanggal"), f"undangan bertanggal {fmt_id.tanggal(sent)}, setelah FKP "
                                             f"({fmt_id.tanggal(held)}); tulis tanggal surat undangan yang "
                                             "mendahului FKP", "fkp.undangan_setelah_fkp")


# ---------------------------------------------------------------------------------------------
# Cross-file rules


def _normal(text: Any) -> str:
    return fmt_id.fold(str(text)).casefold()


def _component_text(service: Service, key: str) -> str:
    return _normal(" ".join(texts_of(service.raw(key))) if not isinstance(service.raw(key), (int, float))
                   else service.raw(key))


def _agreement_applied(agreed: str, service: Service, key: str, service_check: FileCheck) -> bool:
    """The agreed text appears in the component as written in YAML, or as the SP document shows it
    ("Kartu Keluarga (fotokopi 1 lembar)", "Rp0,00 (tidak dipungut biaya)", "6 (enam) orang") —
    the form `diff --format fkp` writes. The document form is built only for a valid file."""
    if agreed in _component_text(service, key):
        return True
    if service_check.has_errors:
        return False
    return agreed in _normal(" ".join(line["teks"] for line in wording.component_lines(service, key)))


def check_mengingat(unit_root: Path, services: dict[str, tuple[Service, FileCheck]]) -> None:
    """The Keputusan lists each regulation its established services cite once (citations.merge_mengingat):
    two spellings of one regulation with different titles get one title (the register's, else the
    longest) and a warning at the second line that names both lines."""
    known = dasar_hukum.register_for(unit_root).register
    cited: list[tuple[FileCheck, KeyPath, str]] = []
    for service, check in services.values():
        if service.is_draft:
            continue
        value = service.raw("dasar_hukum")
        for i, text in enumerate(as_list(value)):
            if isinstance(text, str) and text.strip():
                cited.append((check, ("pengelolaan", "dasar_hukum") + ((i,) if isinstance(value, list) else ()), text))
    # Positions cost a second reading of each file: look them up only when two titles disagree.
    if not any(e.conflict for e in citations.merge_mengingat([(str(n), t) for n, (_, _, t) in enumerate(cited)], known)):
        return
    lines: list[tuple[str, str]] = []
    places: dict[str, tuple[FileCheck, KeyPath]] = {}
    for check, path, text in cited:
        line, _ = check.file.position(path)
        where = f"{check.file.display}:{line}"
        places.setdefault(where, (check, path))
        lines.append((where, text))
    for entry in citations.merge_mengingat(lines, known):
        if entry.conflict is not None:
            check, path = places[entry.conflict.second.where]
            check.warn(path, f"Mengingat Keputusan (SK): {entry.conflict.message()}", "dasar_hukum.judul_berbeda",
                       "dasar_hukum")


def _service_named(services: dict[str, tuple[Service, FileCheck]], name: Any) -> str | None:
    """The slug of the service an FKP names by slug, nama or alias (model.match_service), or None."""
    from sp_builder.unit.model import match_service

    found = match_service((service for service, _ in services.values()), name)
    return found.slug if found else None


def _unreadable(check: FileCheck, path: KeyPath, slug: str, unreadable: dict[str, str]) -> bool:
    """A service the FKP names whose file exists but cannot be read: say so and point to it,
    instead of a false "tidak ada"."""
    if slug not in unreadable:
        return False
    check.warn(path, f'layanan "{slug}" tidak dapat diperiksa: berkas {unreadable[slug]} tidak dapat dibaca; '
                     "perbaiki galat di berkas itu lebih dulu", "fkp.layanan_tidak_terbaca")
    return True


def check_cross_files(unit_root: Path, services: dict[str, tuple[Service, FileCheck]],
                      fkps: list[tuple[Fkp, FileCheck]], unreadable: dict[str, str] | None = None) -> None:
    """Rules across files. `unreadable`: slugs of service files that could not be read, with their
    path as shown."""
    unreadable = unreadable or {}
    discussed: set[str] = set()
    for fkp, check in fkps:
        when = fkp.tanggal
        for i, slug in enumerate(fkp.layanan):
            path = ("layanan", i) if isinstance(fkp.data.get("layanan"), list) else ("layanan",)
            if (slug := _service_named(services, slug) or slug) not in services:
                if _unreadable(check, path, slug, unreadable):
                    continue
                check.error(path, f'layanan "{slug}" tidak ada di folder layanan/; tulis nama berkas tanpa .yaml, '
                                  f'mis. "{next(iter(services), "ktp-el")}"', "fkp.layanan_tidak_ada")
                continue
            discussed.add(slug)
            service, service_check = services[slug]
            fixed = service.penetapan_tanggal
            if when and fixed and when > fixed:
                check.error(("tanggal",), f"FKP {fmt_id.tanggal(when)} diadakan setelah penetapan SP \"{service.nama}\" "
                                          f"({fmt_id.tanggal(fixed)}, {service_check.file.display}); FKP harus "
                                          "mendahului penetapan", "fkp.setelah_penetapan")
        for i, row in enumerate(_list_or_empty(fkp.data.get("kesepakatan"))):
            if not isinstance(row, dict):
                continue
            slug, key = row.get("layanan"), row.get("komponen")
            if not isinstance(slug, str):  # the schema reports a list or mapping here
                continue
            if (slug := _service_named(services, slug) or slug) not in services:
                if _unreadable(check, ("kesepakatan", i, "layanan"), slug, unreadable):
                    continue
                check.error(("kesepakatan", i, "layanan"), f'layanan "{slug}" tidak ada di folder layanan/',
                            "fkp.layanan_tidak_ada")
                continue
            if slug not in {_service_named(services, name) or name for name in fkp.layanan}:
                check.warn(("kesepakatan", i, "layanan"), f'layanan "{slug}" tidak tercantum dalam daftar layanan '
                                                          "yang dibahas FKP ini", "fkp.kesepakatan_di_luar_agenda")
            if not isinstance(key, str) or not tables.is_component(key):
                continue
            service, service_check = services[slug]
            agreed = _normal(row.get("menjadi", ""))
            if agreed and not _agreement_applied(agreed, service, key, service_check):
                part = tables.component(key).bagian
                line, _ = service_check.file.position((part, key))
                raw = service.raw(key)
                plain = raw if isinstance(raw, (str, int, float)) and not isinstance(raw, bool) else ""
                current = fmt_id.short(" ".join(texts_of(raw)) or str(plain)) or "(kosong)"
                day = fmt_id.tanggal(when) if when else ""
                check.warn(("kesepakatan", i, "menjadi"),
                           f'Kesepakatan FKP {day} belum diterapkan: {tables.label(key)} masih "{current}" '
                           f'di {service_check.file.display}:{line}; ubah menjadi "{row.get("menjadi")}"',
                           "fkp.kesepakatan_belum_diterapkan", key)
    for slug, (service, check) in services.items():
        if service.is_draft and slug not in discussed:
            check.warn(("status",) if "status" in service.data else ("nama",),
                       "rancangan SP ini belum dibahas dalam Forum Konsultasi Publik; tambahkan "
                       f'"{slug}" ke daftar layanan di berkas fkp/*.yaml', "rancangan.tanpa_fkp")
    check_mengingat(unit_root, services)


# ---------------------------------------------------------------------------------------------
# Entry points


