"""PEKPPP evaluation instruments as data (schemas/instrumen/*.json): load, check, and score.

An instrument names its aspects with weights, their indicators with answer options and scores,
how an aspect value is computed (`rata_rata` or `tertimbang`) and the category table. A new
year's instrument is a new file; nothing here knows any particular one.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from sp_builder import tables
from sp_builder.errors import ExitCode, Issue, UserError
from sp_builder.files import display_path

DEFAULT_INSTRUMENT = "pekppp-2023"
FORM_F02, FORM_F03 = "F-02", "F-03"  # a file without "formulir" is an F-02 instrument
# Derivations that `check` knows how to compute from a unit's own files (see assessment/proofs.py).
# "publikasi_sp": the publication of the service-delivery components, which the SP cycle in `check`
# counts as done once it is answered above its lowest level with evidence
ROLES = ("publikasi_sp",)
DERIVATIONS = tuple(tables.assessment()["turunan"])  # what the unit's files can prove (penilaian.yaml)


@dataclass(frozen=True)
class Option:
    kode: str
    teks: str
    nilai: int


@dataclass(frozen=True)
class Evidence:
    """One thing evaluators ask to see for an indicator. `dihasilkan`: the sp-builder output that is
    this evidence; `bahan`: the output it can be made from (both tags of `keluaran_sp_builder`)."""
    teks: str
    dihasilkan: str | None = None
    bahan: str | None = None
    keyakinan: str = ""


@dataclass(frozen=True)
class Output:
    """What sp-builder writes that serves as evidence: its kind and the path pattern under the
    unit's output folder (<layanan> a service slug, <fkp> an FKP slug)."""
    kode: str
    jenis: str
    berkas: str
    judul: str = ""


@dataclass(frozen=True)
class Indicator:
    id: str
    teks: str
    aspek: int
    opsi: tuple[Option, ...]
    bobot: float | None
    sumber: str
    keyakinan: str
    dari_berkas: str | None
    peran: str | None = None  # a role other code looks the indicator up by (ROLES)
    bobot_persen: float | None = None  # the weight in percent of the aspect, as the sources give it
    bobot_keyakinan: str = ""  # how sure the weight is (the file's keyakinan_arti)
    bukti: tuple[Evidence, ...] = ()

    def option(self, kode: Any) -> Option | None:
        return next((o for o in self.opsi if o.kode == str(kode)), None)

    def option_for_score(self, nilai: int) -> Option | None:
        return next((o for o in self.opsi if o.nilai == nilai), None)

    @property
    def max_nilai(self) -> int:
        return max(o.nilai for o in self.opsi)


@dataclass(frozen=True)
class Aspect:
    id: int
    nama: str
    bobot: float
    indikator: tuple[Indicator, ...]


@dataclass(frozen=True)
class Category:
    kode: str
    nama: str
    min: Decimal
    max: Decimal
    zona: str


@dataclass(frozen=True)
class Instrument:
    id: str
    nama: str
    dasar_hukum: tuple[str, ...]
    nilai_aspek: str  # rata_rata | tertimbang
    skala_max: int
    aspek: tuple[Aspect, ...]
    kategori: tuple[Category, ...]
    formulir: str = FORM_F02  # "F-02" (the evaluator's assessment) or "F-03" (the service users' form)
    keluaran: dict[str, Output] = field(default_factory=dict, compare=False)  # keluaran_sp_builder by tag

    @functools.cached_property
    def indicators(self) -> dict[str, Indicator]:
        return {i.id: i for a in self.aspek for i in a.indikator}

    def aspect_value(self, aspect: Aspect, scores: dict[str, int]) -> Decimal:
        """The aspect's value 0–max from its indicators' scores (missing scores count 0)."""
        values = [(Decimal(scores.get(i.id, 0)), Decimal(str(i.bobot or 0))) for i in aspect.indikator]
        if self.nilai_aspek == "tertimbang":
            total = sum(w for _, w in values)
            return sum(s * w for s, w in values) / total if total else Decimal(0)
        return sum(s for s, _ in values) / len(values)

    def weight_in_aspect(self, aspect: Aspect, indicator: Indicator) -> Decimal:
        """The indicator's share of its aspect's value (0–1)."""
        if self.nilai_aspek == "tertimbang":
            total = sum(Decimal(str(i.bobot or 0)) for i in aspect.indikator)
            return Decimal(str(indicator.bobot or 0)) / total if total else Decimal(0)
        return Decimal(1) / len(aspect.indikator)

    def indicator_share(self, aspect: Aspect, indicator: Indicator) -> Decimal:
        """How much one score point of this indicator moves the index."""
        return Decimal(str(aspect.bobot)) * self.weight_in_aspect(aspect, indicator)

    def category(self, index: Decimal) -> Category:
        """Look the band up on the index rounded half-up to two decimals (the bands leave gaps)."""
        rounded = index.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        for cat in self.kategori:
            if cat.min <= rounded <= cat.max:
                return cat
        return min(self.kategori, key=lambda c: abs(c.min - rounded))


def _instrument_dir():
    return resources.files("sp_builder.schemas").joinpath("instrumen")


def shipped() -> list[str]:
    """Every shipped file's id, F-02 instruments and F-03 forms alike."""
    return sorted(p.name[:-5] for p in _instrument_dir().iterdir() if p.name.endswith(".json"))


@functools.cache
def _shipped_form(ident: str) -> str:
    try:
        data = json.loads(_instrument_dir().joinpath(f"{ident}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return FORM_F02  # a broken file is reported by load_instrument, not hidden here
    return str(data.get("formulir") or FORM_F02) if isinstance(data, dict) else FORM_F02


def available(formulir: str = FORM_F02) -> list[str]:
    """The shipped instruments of one form: F-02 (what evaluasi.yaml and --instrumen name) unless
    asked for the F-03 questionnaires."""
    return [ident for ident in shipped() if _shipped_form(ident) == formulir]


# The shape of an instrument file: key → (kinds, required), a nested shape for objects, or a list
# of one shape. Keys not named are allowed (notes such as "catatan", "terkait_sp").
_TEXT, _INT, _NUMBER = (str,), (int,), (int, float)


@dataclass(frozen=True)
class _MapOf:
    """A shape: an object whose every value has `shape` (keys are free, e.g. output tags)."""
    shape: Any


_EVIDENCE = {"teks": (_TEXT, True), "dihasilkan": (_TEXT, False), "bahan": (_TEXT, False),
             "sumber": ([_TEXT], False), "keyakinan": (_TEXT, False), "catatan": (_TEXT, False)}
_OUTPUT = {"jenis": (_TEXT, True), "berkas": (_TEXT, True), "judul": (_TEXT, False)}
_OPTION = {"kode": ((str, int), True), "teks": (_TEXT, True), "nilai": (_INT, True)}
_INDICATOR = {
    "id": ((str, int), True), "teks": (_TEXT, True), "opsi": ([_OPTION], True),
    "bobot": ((int, float, type(None)), False), "sumber": (_TEXT, False), "keyakinan": (_TEXT, False),
    "dari_berkas": (_TEXT, False), "peran": (_TEXT, False), "bobot_persen": ((int, float, type(None)), False),
    "bobot_keyakinan": (_TEXT, False), "bukti": ([_EVIDENCE], False),
}
_ASPECT = {"id": (_INT, True), "nama": (_TEXT, True), "bobot": (_NUMBER, True), "indikator": ([_INDICATOR], True),
           "bobot_persen": (_NUMBER, False)}
_CATEGORY = {"kode": (_TEXT, True), "nama": (_TEXT, True), "min": (_NUMBER, True), "max": (_NUMBER, True),
             "zona": (_TEXT, False)}
_INSTRUMENT_SHAPE = {
    "id": (_TEXT, True), "nama": (_TEXT, True), "aspek": ([_ASPECT], True), "kategori": ([_CATEGORY], True),
    "dasar_hukum": ([_TEXT], False), "nilai_aspek": (_TEXT, False), "skala": ({"max": (_INT, True)}, False),
    "formulir": (_TEXT, False), "keluaran_sp_builder": (_MapOf(_OUTPUT), False),
}
_KIND_NAMES = {str: "teks", int: "bilangan bulat", float: "bilangan", type(None): "null"}


def _shape(value: Any, shape: Any, where: str, problems: list[str]) -> None:
    """Append a message per place where `value` does not have `shape` (see _INSTRUMENT_SHAPE)."""
    if isinstance(shape, _MapOf):
        if not isinstance(value, dict):
            problems.append(f"{where} harus berupa objek {{...}}")
            return
        for key, item in value.items():
            _shape(item, shape.shape, f"{where}.{key}", problems)
    elif isinstance(shape, dict):
        if not isinstance(value, dict):
            problems.append(f"{where or 'berkas'} harus berupa objek {{...}}")
            return
        for key, (kinds, required) in shape.items():
            path = f"{where}.{key}" if where else key
            if key not in value:
                if required:
                    problems.append(f'kunci "{path}" wajib ada')
                continue
            _shape(value[key], kinds, path, problems)
    elif isinstance(shape, list):
        if not isinstance(value, list) or not value:
            problems.append(f"{where} harus berupa daftar [...] yang tidak kosong")
            return
        for n, item in enumerate(value):
            _shape(item, shape[0], f"{where}[{n}]", problems)
    elif isinstance(value, bool) or not isinstance(value, shape) or (isinstance(value, str) and not value.strip()
                                                                      and str in shape):
        names = " atau ".join(_KIND_NAMES[k] for k in shape if not (k is int and float in shape))
        problems.append(f"{where} harus berupa {names}" + (" yang tidak kosong" if value == "" else ""))


def check_instrument_data(data: Any, display: str) -> list[Issue]:
    """Every problem of an instrument file; a user correcting one from the official book sees all."""
    problems: list[str] = []
    if not isinstance(data, dict):
        return [Issue(display, 0, 0, "berkas instrumen harus berupa objek JSON", rule="instrumen.bentuk")]
    _shape(data, _INSTRUMENT_SHAPE, "", problems)
    if problems:  # the rules below assume the shape
        return [Issue(display, 0, 0, f"instrumen: {p}", rule="instrumen.bentuk") for p in problems]
    if data.get("nilai_aspek", "rata_rata") not in ("rata_rata", "tertimbang"):
        problems.append('nilai_aspek harus "rata_rata" atau "tertimbang"')
    if data.get("formulir", FORM_F02) not in (FORM_F02, FORM_F03):
        problems.append(f'formulir harus "{FORM_F02}" atau "{FORM_F03}"')
    aspects = data["aspek"]
    total = sum(float(a["bobot"]) for a in aspects)
    if abs(total - 1) > 0.005:
        problems.append(f"jumlah bobot aspek {total:.3f}, seharusnya 1")
    seen: set[str] = set()
    scale = data.get("skala", {}).get("max", 5)
    for aspect in aspects:
        for ind in aspect["indikator"]:
            ident = str(ind["id"])
            if ident in seen:
                problems.append(f'indikator "{ident}" ditulis dua kali')
            seen.add(ident)
            for opt in ind["opsi"]:
                if not 0 <= opt["nilai"] <= scale:
                    problems.append(f'indikator "{ident}": nilai opsi {opt["kode"]} di luar skala 0–{scale}')
            derive = ind.get("dari_berkas")
            if derive is not None and derive not in DERIVATIONS:
                problems.append(f'indikator "{ident}": dari_berkas "{derive}" tidak dikenal '
                                f'({", ".join(DERIVATIONS)})')
            role = ind.get("peran")
            if role is not None and role not in ROLES:
                problems.append(f'indikator "{ident}": peran "{role}" tidak dikenal ({", ".join(ROLES)})')
    problems += _weight_problems(data) + _evidence_problems(data)
    bands = sorted(data["kategori"], key=lambda c: c["min"])
    if bands[0]["min"] != 0 or bands[-1]["max"] != scale:
        problems.append(f"tabel kategori harus mencakup 0 sampai {scale}")
    return [Issue(display, 0, 0, f"instrumen: {p}", rule="instrumen.isi") for p in problems]


def _weight_problems(data: dict) -> list[str]:
    """Percent weights add up to 100 where given, agree with the fractions, and a weighted
    instrument weighs every indicator."""
    problems = []
    weighted = data.get("nilai_aspek") == "tertimbang"
    aspects = data["aspek"]
    given = [a["bobot_persen"] for a in aspects if "bobot_persen" in a]
    if given and (len(given) != len(aspects) or abs(sum(given) - 100) > 0.01):
        problems.append(f"jumlah aspek[*].bobot_persen {_figure(sum(given))}, seharusnya 100 (setiap aspek)")
    for n, aspect in enumerate(aspects):
        where = f"aspek[{n}]"
        if "bobot_persen" in aspect and abs(aspect["bobot_persen"] - 100 * aspect["bobot"]) > 0.01:
            problems.append(f"{where}: bobot_persen {_figure(aspect['bobot_persen'])} tidak sama dengan "
                            f"bobot {_figure(aspect['bobot'])} × 100")
        percents = [i.get("bobot_persen") for i in aspect["indikator"]]
        if any(p is not None for p in percents):
            if None in percents:
                missing = percents.index(None)
                problems.append(f"{where}.indikator[{missing}].bobot_persen tidak ada, padahal indikator lain di "
                                f'aspek "{aspect["nama"]}" memberinya (jumlahnya harus 100)')
            elif abs(sum(percents) - 100) > 0.01:
                problems.append(f'{where}.indikator[*].bobot_persen berjumlah {_figure(sum(percents))} untuk aspek '
                                f'"{aspect["nama"]}", seharusnya 100')
        for k, ind in enumerate(aspect["indikator"]):
            path = f"{where}.indikator[{k}]"
            if weighted and ind.get("bobot") is None:
                problems.append(f'{path}.bobot (indikator "{ind["id"]}") kosong atau null, padahal nilai_aspek '
                                '"tertimbang" memerlukan bobot setiap indikator')
            elif ind.get("bobot") is not None and ind.get("bobot_persen") is not None \
                    and abs(100 * ind["bobot"] - ind["bobot_persen"]) > 0.01:
                problems.append(f'{path} (indikator "{ind["id"]}"): bobot {_figure(ind["bobot"])} tidak sama dengan '
                                f'bobot_persen {_figure(ind["bobot_persen"])} / 100')
    return problems


def _evidence_problems(data: dict) -> list[str]:
    """Every evidence item's output tag names an entry of keluaran_sp_builder."""
    outputs = data.get("keluaran_sp_builder") or {}
    known = ", ".join(outputs) or "tidak ada: kunci keluaran_sp_builder belum ditulis"
    problems = []
    places = [(f"aspek[{n}].indikator[{k}]", ind) for n, a in enumerate(data["aspek"])
              for k, ind in enumerate(a["indikator"])]
    extra = data.get("tambahan")  # supplementary indicators outside the index, checked when they name outputs
    if isinstance(extra, list):
        places += [(f"tambahan[{k}]", ind) for k, ind in enumerate(extra) if isinstance(ind, dict)]
    for where, ind in places:
        items = ind.get("bukti")
        for b, item in enumerate(items if isinstance(items, list) else []):
            for key in ("dihasilkan", "bahan"):
                tag = item.get(key) if isinstance(item, dict) else None
                if tag is not None and tag not in outputs:
                    problems.append(f'{where}.bukti[{b}].{key} (indikator "{ind.get("id")}"): "{tag}" bukan kunci '
                                    f"keluaran_sp_builder ({known})")
    return problems


def _figure(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def _build(data: dict) -> Instrument:
    aspects = tuple(
        Aspect(int(a["id"]), a["nama"], float(a["bobot"]), tuple(
            Indicator(str(i["id"]), i["teks"], int(a["id"]),
                      tuple(Option(str(o["kode"]), o["teks"], int(o["nilai"])) for o in i["opsi"]),
                      i.get("bobot"), i.get("sumber", ""), i.get("keyakinan", ""), i.get("dari_berkas"),
                      i.get("peran"), i.get("bobot_persen"), i.get("bobot_keyakinan", ""),
                      tuple(Evidence(b["teks"], b.get("dihasilkan"), b.get("bahan"), b.get("keyakinan", ""))
                            for b in i.get("bukti") or ()))
            for i in a["indikator"]))
        for a in data["aspek"])
    categories = tuple(
        Category(c["kode"], c["nama"], Decimal(str(c["min"])), Decimal(str(c["max"])), c.get("zona", ""))
        for c in sorted(data["kategori"], key=lambda c: c["min"], reverse=True))
    return Instrument(data["id"], data["nama"], tuple(data.get("dasar_hukum") or ()),
                      data.get("nilai_aspek", "rata_rata"), int((data.get("skala") or {}).get("max", 5)),
                      aspects, categories, data.get("formulir", FORM_F02),
                      {tag: Output(tag, o["jenis"], o["berkas"], o.get("judul", ""))
                       for tag, o in (data.get("keluaran_sp_builder") or {}).items()})


MAX_INSTRUMENT_BYTES = 5_000_000


def load_instrument(ident: str = DEFAULT_INSTRUMENT, formulir: str | None = FORM_F02) -> Instrument:
    """By id (a shipped file) or by path to a user's own JSON file. Each is read once per process;
    a user's file again when it changes. An F-03 questionnaire is refused unless asked for
    (`formulir="F-03"`, or None for either): evaluasi.yaml and --instrumen answer an F-02 instrument."""
    path = Path(ident)
    if path.suffix == ".json" and path.is_file():
        try:
            stat = path.stat()
        except OSError as exc:
            raise UserError(f"{display_path(path)}: berkas instrumen tidak dapat dibaca ({exc.strerror})") from None
        instrument = _load_file(str(path.resolve()), display_path(path), stat.st_mtime_ns, stat.st_size)
        shown = display_path(path)
    else:
        instrument, shown = _load_shipped(ident), ident
    if formulir is not None and instrument.formulir != formulir:
        if instrument.formulir == FORM_F03:
            raise UserError(f'instrumen "{shown}" adalah formulir F-03 (kuesioner penilaian oleh pengguna layanan), '
                            "bukan instrumen penilaian F-02 yang dijawab di evaluasi.yaml; pilih salah satu: "
                            f'{", ".join(available())}', ExitCode.USAGE)
        raise UserError(f'instrumen "{shown}" adalah formulir {instrument.formulir}, bukan {formulir}', ExitCode.USAGE)
    return instrument


@functools.cache
def _load_shipped(ident: str) -> Instrument:
    entry = _instrument_dir().joinpath(f"{ident}.json")
    if not entry.is_file():
        raise UserError(f'instrumen "{ident}" tidak dikenal; pilih salah satu: {", ".join(available())}, '
                        "atau berikan jalur berkas .json", ExitCode.USAGE)
    return _parse(entry.read_text(encoding="utf-8"), f"schemas/instrumen/{ident}.json")


@functools.lru_cache(maxsize=32)
def _load_file(path: str, display: str, mtime_ns: int, size: int) -> Instrument:
    if size > MAX_INSTRUMENT_BYTES:
        raise UserError(f"{display}: berkas instrumen lebih dari {MAX_INSTRUMENT_BYTES // 1_000_000} MB; "
                        "instrumen yang sah jauh lebih kecil")
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise UserError(f"{display}: berkas instrumen bukan teks UTF-8; simpan ulang sebagai UTF-8") from None
    except OSError as exc:
        raise UserError(f"{display}: berkas instrumen tidak dapat dibaca ({exc.strerror})") from None
    return _parse(text, display)


def _parse(text: str, display: str) -> Instrument:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UserError(f"{display}:{exc.lineno}:{exc.colno}: berkas instrumen bukan JSON yang sah; periksa koma, "
                        "kurung, dan tanda kutip di sekitar posisi ini") from None
    except RecursionError:
        raise UserError(f"{display}: berkas instrumen bersarang terlalu dalam; instrumen yang sah hanya "
                        "beberapa tingkat") from None
    problems = check_instrument_data(data, display)
    if problems:
        raise UserError("\n".join(p.format() for p in problems))
    return _build(data)
