"""The gap report before PEKPPP: a checklist, what the unit's files prove, the self-assessment,
aspect scores, the estimated index and category, and the gaps ranked by what they would gain.

`build_report` returns one `CheckReport`; text, JSON, HTML and Word are views of it
(check_views.py). Nothing here renders or prints.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from sp_builder import clock, fmt_id, skm, tables
from sp_builder.errors import InputError, Issue, Severity, UserError, sorted_issues
from sp_builder.instrument import DEFAULT_INSTRUMENT, Indicator, Instrument, available, load_instrument
from sp_builder.load import display_path, read_text, read_yaml
from sp_builder.model import Service, Unit
from sp_builder.validate import (
    REVIEW_AFTER_DAYS, FileCheck, check_relative_file, fkp_groups, has_lapor_channel, image_problem,
    load_unit, vulnerable_facilities_in, texts_of,
)

PUBLIC_GROUPS = ("pengguna_layanan", "pemangku_kepentingan", "ahli", "oms", "media")

# ---------------------------------------------------------------------------------------------
# evaluasi.yaml


@dataclass
class Answer:
    indicator: str
    kode: str
    catatan: str
    bukti: list[Path]
    line: int  # where the answer is written, for contradictions
    bukti_tidak_terbaca: list[tuple[str, str]] = field(default_factory=list)  # (as written, why)


@dataclass
class Evaluation:
    display: str
    instrumen: str
    periode: str
    answers: dict[str, Answer] = field(default_factory=dict)


_PDF_MAGIC = b"%PDF"


@contextlib.contextmanager
def quiet_pypdf():
    """pypdf logs English warnings ("EOF marker not found") on damaged files; sp-builder reports
    them itself, in Indonesian."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def is_pdf(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(len(_PDF_MAGIC)) == _PDF_MAGIC


def _evidence_problem(path: Path) -> str | None:
    """Why an evidence file cannot be read as a PDF or an image, or None when it can. An image
    must be one the evidence bundle can place on a page (as documents do: validate.image_problem)."""
    with open(path, "rb") as handle:
        head = handle.read(512)
    if not head:
        return "berkas kosong (0 bita); unggah ulang berkas buktinya"
    if head.startswith(_PDF_MAGIC):
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError
        try:
            with quiet_pypdf():
                reader = PdfReader(path)
                if reader.is_encrypted:
                    return ("PDF terenkripsi (berkata sandi); evaluator tidak dapat membukanya — simpan ulang "
                            "tanpa sandi")
                if len(reader.pages) == 0:
                    return "PDF tidak memiliki halaman"
        except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError, AttributeError,
                IndexError) as exc:
            return f"PDF rusak atau terpotong dan tidak dapat dibaca ({type(exc).__name__}); unduh atau pindai ulang"
        return None
    if head.lstrip().lower().startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body")):
        return ("berisi halaman web (HTML), bukan PDF atau gambar — biasanya hasil unduhan yang gagal; unduh ulang "
                "berkas aslinya")
    problem = image_problem(path)
    if problem is None:
        return None
    if problem[0] == "gambar.terlalu_besar":
        return problem[1]
    return ("bukan PDF atau gambar yang dapat dibaca (PNG, JPEG, GIF, BMP, TIFF); unggah bukti dalam bentuk PDF "
            "atau gambar")


def load_evaluation(root: Path, instrument_override: str | None) -> tuple[Evaluation | None, Instrument, list[Issue]]:
    path = root / "evaluasi.yaml"
    if not path.is_file():
        return None, load_instrument(instrument_override or DEFAULT_INSTRUMENT), []
    file, issues = read_yaml(path)
    if file is None:
        return None, load_instrument(instrument_override or DEFAULT_INSTRUMENT), issues
    check = FileCheck(file)
    data = file.data
    ident = instrument_override or str(data.get("instrumen") or DEFAULT_INSTRUMENT)
    instrument = None
    if instrument_override:
        instrument = load_instrument(ident)
    elif ident.endswith(".json"):  # the unit's own instrument file: inside the unit folder, checked
        if check_relative_file(check, ("instrumen",), ident, root, "berkas instrumen"):
            try:
                instrument = load_instrument(str((root / ident).resolve()))
            except UserError as exc:
                check.error(("instrumen",), f'berkas instrumen "{ident}" tidak dapat dipakai: {exc}',
                            "evaluasi.instrumen")
    elif ident not in available():
        check.error(("instrumen",), f'instrumen "{ident}" tidak dikenal; pilih salah satu: {", ".join(available())}',
                    "evaluasi.instrumen")
    else:
        instrument = load_instrument(ident)
    if instrument is None:
        ident, instrument = DEFAULT_INSTRUMENT, load_instrument(DEFAULT_INSTRUMENT)
    evaluation = Evaluation(file.display, ident, str(data.get("periode", "") or ""))
    answers = data.get("jawaban")
    if answers is None:
        check.warn(("jawaban",), "belum ada jawaban penilaian mandiri; tulis jawaban: {1.a.Ak: {opsi: 3, bukti: "
                                 "[bukti/sk-sp.pdf]}, ...}", "evaluasi.tanpa_jawaban")
        answers = {}
    if not isinstance(answers, dict):
        check.error(("jawaban",), "jawaban harus berupa pasangan 'kode indikator: {opsi, catatan, bukti}'",
                    "evaluasi.bentuk")
        answers = {}
    for key, value in answers.items():
        ident_ind = str(key)
        indicator = instrument.indicators.get(ident_ind)
        path_k = ("jawaban", key)
        if indicator is None:
            close = [i for i in instrument.indicators if i.split(".")[0] == ident_ind.split(".")[0]]
            hint = f'; maksud Anda "{close[0]}"?' if close else ""
            check.error(path_k, f'indikator "{ident_ind}" tidak ada dalam instrumen {instrument.id}{hint}',
                        "evaluasi.indikator")
            continue
        if not isinstance(value, dict):
            value = {"opsi": value}
        kode = value.get("opsi")
        if kode is None or indicator.option(kode) is None:
            offered = ", ".join(o.kode for o in indicator.opsi)
            check.error(path_k + (("opsi",) if "opsi" in value else ()),
                        f'opsi "{kode}" tidak tersedia untuk indikator {ident_ind}; pilih salah satu: {offered}',
                        "evaluasi.opsi")
            continue
        evidence, unreadable = [], []
        bukti = value.get("bukti") or []
        for i, item in enumerate(bukti if isinstance(bukti, list) else [bukti]):
            where = path_k + ("bukti", i) if isinstance(bukti, list) else path_k + ("bukti",)
            if check_relative_file(check, where, item, root, "Bukti"):
                problem = _evidence_problem(root / item)
                if problem:
                    check.warn(where, f'bukti "{item}": {problem}', "evaluasi.bukti_tidak_terbaca")
                    unreadable.append((item, problem))
                else:
                    evidence.append(root / item)
        line, _ = file.position(path_k)
        evaluation.answers[ident_ind] = Answer(ident_ind, str(kode), str(value.get("catatan", "") or ""),
                                               evidence, line, unreadable)
    return evaluation, instrument, issues + check.issues()


# ---------------------------------------------------------------------------------------------
# What the unit's files prove


@dataclass
class Proof:
    """A score the files establish, and the highest answer they allow (a claim above it
    contradicts them). `places` names the files behind the finding; `action` the fix."""

    nilai: int
    plafon: int
    alasan: str
    places: list[str] = field(default_factory=list)
    action: str = ""


def _where(service: Service, key: str) -> str:
    """`file:line` of a key in a service file, for messages that must point at both files."""
    display = display_path(service.path)
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*:")
    text, _ = read_text(service.path, display)  # UTF-16 files are read too
    for number, line in enumerate((text or "").splitlines(), start=1):
        if pattern.match(line):
            return f"{display}:{number}"
    return display


def _names(services: list[Service], limit: int = 6) -> str:
    slugs = [s.slug for s in services]
    shown = ", ".join(slugs[:limit])
    return shown + (f", dan {len(slugs) - limit} lainnya" if len(slugs) > limit else "")


def _incomplete(services: list[Service], issues: list[Issue]) -> list[Service]:
    bad_files = {i.path for i in issues if i.is_error and i.component}
    return [s for s in services if display_path(s.path) in bad_files]


def _discussed(unit: Unit) -> set[str]:
    return {slug for fkp in unit.fkps for slug in fkp.layanan}


def _prove_sp(unit: Unit, issues: list[Issue], today: dt.date, survey) -> Proof:
    services = unit.services
    if not services:
        return Proof(0, 0, "belum ada satu pun berkas layanan", action="Tulis SP tiap jenis pelayanan di layanan/")
    broken = _incomplete(services, issues)
    if broken:
        return Proof(1, 1, f"{len(broken)} layanan belum lengkap 14 komponennya",
                     [display_path(s.path) for s in broken],
                     f"Lengkapi komponen yang kosong atau salah di {len(broken)} layanan: {_names(broken)}")
    drafts = [s for s in services if s.is_draft]
    if drafts:
        return Proof(2, 2, f"{len(drafts)} layanan belum ditetapkan", [_where(s, "status") for s in drafts],
                     f"Tetapkan SP dengan Keputusan pimpinan untuk {len(drafts)} layanan: {_names(drafts)}")
    discussed = _discussed(unit)
    lonely = [s for s in services if s.slug not in discussed]
    if lonely:
        return Proof(3, 3, f"{len(lonely)} layanan tidak dibahas dalam FKP", [_where(s, "nama") for s in lonely],
                     f"Bahas SP bersama masyarakat (FKP) untuk {len(lonely)} layanan: {_names(lonely)}")
    return Proof(4, 5, "semua layanan lengkap 14 komponen, ditetapkan, dan dibahas dalam FKP; monev dibuktikan "
                       "dengan penilaian mandiri", action="Lampirkan bukti monitoring dan evaluasi SP (laporan monev)")


def _prove_fkp_groups(unit: Unit, issues, today, survey) -> Proof:
    groups = {str(p.get("unsur")) for fkp in unit.fkps for p in (fkp.data.get("peserta") or [])
              if isinstance(p, dict)}
    public = [g for g in PUBLIC_GROUPS if g in groups]
    score = 5 if len(public) > 4 else len(public)
    labels = fkp_groups()
    missing = [labels[g] for g in PUBLIC_GROUPS if g not in groups]
    places = [display_path(f.path) for f in unit.fkps]
    if not unit.fkps:
        return Proof(0, 0, "belum ada FKP (fkp/*.yaml)", action="Selenggarakan FKP dan catat di fkp/*.yaml")
    return Proof(score, score, f"{len(public)} unsur masyarakat hadir dalam FKP", places,
                 f"Undang unsur yang belum hadir pada FKP berikutnya: {', '.join(missing)}" if missing else "")


def _prove_review(unit: Unit, issues, today: dt.date, survey) -> Proof:
    ages = {s.slug: (today - s.penetapan_tanggal).days for s in unit.services
            if not s.is_draft and s.penetapan_tanggal}
    if not ages:
        return Proof(0, 0, "belum ada SP yang ditetapkan", action="Tetapkan SP lalu tinjau ulang tiap tahun")
    every = len(ages) == len(unit.services)
    within_1 = [k for k, d in ages.items() if d <= REVIEW_AFTER_DAYS]
    within_2 = [k for k, d in ages.items() if d <= 2 * REVIEW_AFTER_DAYS]
    if within_1 and every and len(within_1) == len(ages):
        score = 5
    elif within_1:
        score = 4
    elif within_2 and every and len(within_2) == len(ages):
        score = 3
    elif within_2:
        score = 2
    else:
        score = 1
    stale = [s for s in unit.services if s.slug not in within_1]
    return Proof(score, score, f"{len(within_1)} dari {len(unit.services)} layanan ditinjau dalam setahun terakhir",
                 [_where(s, "tanggal" if not s.is_draft else "status") for s in stale],
                 f"Tinjau ulang dan tetapkan kembali SP {len(stale)} layanan: {_names(stale)}" if stale else "")


_MAKLUMAT_ELEMENTS = (
    ("janji sesuai standar", ("standar pelayanan",)),
    ("perbaikan terus-menerus", ("perbaikan", "meningkatkan", "berkelanjutan", "terus-menerus")),
    ("kesediaan menerima sanksi/memberi kompensasi", ("sanksi", "kompensasi")),
)


def maklumat_statements(unit: Unit) -> list[str]:
    own = unit.data.get("maklumat")
    if own:
        return [str(s) for s in (own if isinstance(own, list) else [own])]
    return [str(s) for s in tables.load_data("dokumen.yaml")["maklumat"]["pernyataan"]]


def _prove_maklumat(unit: Unit, issues, today, survey) -> Proof:
    text = " ".join(maklumat_statements(unit)).lower()
    missing = [name for name, words in _MAKLUMAT_ELEMENTS if not any(w in text for w in words)]
    established = any(not s.is_draft for s in unit.services)
    if not established:
        return Proof(1, 1, "Maklumat tersedia tetapi belum ada SP yang ditetapkan", ["unit.yaml"],
                     "Tetapkan SP lalu tanda tangani Maklumat Pelayanan")
    if missing:
        return Proof(2, 2, f"isi Maklumat belum memuat: {', '.join(missing)}", ["unit.yaml"],
                     f"Lengkapi pernyataan maklumat di unit.yaml: {', '.join(missing)}")
    return Proof(3, 5, "Maklumat ditetapkan dan isinya lengkap; publikasi dibuktikan dengan penilaian mandiri",
                 ["unit.yaml"], "Publikasikan Maklumat di tempat pelayanan dan secara daring, lampirkan fotonya")


def _prove_skm(unit: Unit, issues, today, survey) -> Proof:
    if survey is None:
        return Proof(0, 5, "tidak ada data SKM di skm/", action="Lakukan SKM tiap semester dan simpan jawabannya di "
                                                                 "skm/*.csv atau skm/*.xlsx")
    if len(survey.ikm.unsur) < 9:
        return Proof(1, 1, f"SKM hanya memuat {len(survey.ikm.unsur)} dari 9 unsur PermenPANRB 14/2017",
                     list(survey.sumber), "Gunakan kuesioner 9 unsur PermenPANRB 14/2017")
    return Proof(2, 5, f"SKM 9 unsur, IKM {fmt_id.desimal(survey.ikm.nilai)} ({survey.ikm.mutu.kinerja})",
                 list(survey.sumber), "Publikasikan hasil SKM dan tindak lanjutnya, lampirkan buktinya")


def _prove_facilities(unit: Unit, issues, today, survey) -> Proof:
    found = set()
    for service in unit.services:
        found.update(vulnerable_facilities_in(texts_of(service.raw("sarana_prasarana"))))
    count = len(found)
    score = 0 if count == 0 else 5 if count >= 13 else (count - 1) // 3 + 1
    missing = [name for name, _ in tables.vulnerable_facilities() if name not in found]
    return Proof(score, score, f"SP menyebut {count} dari 13 fasilitas kelompok rentan",
                 [_where(s, "sarana_prasarana") for s in unit.services],
                 f"Sediakan dan cantumkan pada Sarana dan Prasarana: {', '.join(missing[:5])}"
                 + (" …" if len(missing) > 5 else "") if missing else "")


_OFFLINE = ("kotak saran", "datang langsung", "loket", "tatap muka", "ruang pengaduan", "meja pengaduan")


def _prove_complaints(unit: Unit, issues, today, survey) -> Proof:
    without = [s for s in unit.services if not has_lapor_channel(s.raw("pengaduan"))]
    if not unit.services:
        return Proof(0, 0, "belum ada layanan")
    if without:
        return Proof(3 if len(without) < len(unit.services) else 2, 4,
                     f"{len(without)} layanan belum mencantumkan SP4N-LAPOR!", [_where(s, "pengaduan") for s in without],
                     f"Tambahkan kanal SP4N-LAPOR! pada Penanganan Pengaduan di {len(without)} layanan: "
                     f"{_names(without)}")
    offline = any(any(w in t.lower() for w in _OFFLINE) for s in unit.services for t in texts_of(s.raw("pengaduan")))
    return Proof(3 if offline else 2, 5, "semua layanan terhubung dengan SP4N-LAPOR!"
                 + ("" if offline else "; sarana pengaduan tatap muka tidak disebut"), [],
                 "Sediakan ruang pengaduan terpisah dari front office, lampirkan fotonya")


PROOFS = {
    "sp_tersedia": _prove_sp, "fkp_unsur": _prove_fkp_groups, "peninjauan_sp": _prove_review,
    "maklumat": _prove_maklumat, "skm": _prove_skm, "sarana_rentan": _prove_facilities,
    "pengaduan_lapor": _prove_complaints,
}

# ---------------------------------------------------------------------------------------------
# The checklist


@dataclass
class Cell:
    key: str
    label: str
    status: str  # terisi | kosong | galat
    pesan: str = ""


@dataclass
class Step:
    nama: str
    status: str  # selesai | belum | terlambat
    tanggal: dt.date | None = None
    keterangan: str = ""


@dataclass
class ServiceRow:
    slug: str
    file: str
    nama: str
    status: str
    cells: list[Cell]
    steps: list[Step]
    errors: list[Issue]
    warnings: list[Issue]


def _cells(service: Service, file_issues: list[Issue]) -> list[Cell]:
    cells = []
    for comp in tables.components():
        errors = [i for i in file_issues if i.is_error and i.component == comp.label]
        if errors:
            empty = any(i.rule in ("komponen.tidak_ada", "nilai.kosong") for i in errors)
            cells.append(Cell(comp.key, comp.label, "kosong" if empty else "galat", errors[0].message))
        else:
            cells.append(Cell(comp.key, comp.label, "terisi"))
    return cells


def _steps(unit: Unit, service: Service, survey, today: dt.date, published: bool) -> list[Step]:
    fkps = sorted((f for f in unit.fkps if service.slug in f.layanan), key=lambda f: f.tanggal or dt.date.min)
    fkp = fkps[-1] if fkps else None
    fixed = service.penetapan_tanggal if not service.is_draft else None
    steps = [Step("Rancangan SP", "selesai", keterangan=display_path(service.path))]
    steps.append(Step("FKP dan Berita Acara", "selesai", fkp.tanggal, display_path(fkp.path)) if fkp
                 else Step("FKP dan Berita Acara", "belum", keterangan="belum dibahas dalam FKP"))
    steps.append(Step("Penetapan", "selesai", fixed, service.penetapan_nomor) if fixed
                 else Step("Penetapan", "belum", keterangan="status masih rancangan"))
    steps.append(Step("Maklumat Pelayanan", "selesai" if fixed else "belum", fixed,
                      "ditandatangani bersama penetapan SP" if fixed else "menunggu penetapan SP"))
    steps.append(Step("Publikasi 6 komponen penyampaian", "selesai" if published else "belum",
                      keterangan="dibuktikan di evaluasi.yaml" if published else
                      "belum ada bukti publikasi (indikator publikasi di evaluasi.yaml)"))
    surveyed = survey is not None and (not any(g.key for g in survey.per_layanan)
                                       or any(g.key == service.slug for g in survey.per_layanan))
    last = survey.rentang[1] if survey is not None and survey.rentang else None
    steps.append(Step("SKM", "selesai" if surveyed else "belum", last if surveyed else None,
                      ", ".join(survey.sumber) if surveyed else "tidak ada jawaban survei untuk layanan ini"))
    if fixed and (today - fixed).days > REVIEW_AFTER_DAYS:
        steps.append(Step("Evaluasi tahunan", "terlambat", fixed + dt.timedelta(days=REVIEW_AFTER_DAYS),
                          "SP lebih dari setahun belum ditinjau"))
    elif fixed:
        steps.append(Step("Evaluasi tahunan", "selesai", fixed + dt.timedelta(days=REVIEW_AFTER_DAYS),
                          "tinjauan berikutnya paling lambat tanggal ini"))
    else:
        steps.append(Step("Evaluasi tahunan", "belum", keterangan="menunggu penetapan"))
    return steps


# ---------------------------------------------------------------------------------------------
# Scores and the report


@dataclass
class IndicatorResult:
    id: str
    teks: str
    aspek: int
    nilai: int
    sumber: str  # berkas | penilaian mandiri | berkas dan penilaian mandiri | belum dijawab
    jawaban: str | None = None
    bukti: list[str] = field(default_factory=list)  # as shown to the user
    bukti_files: list[Path] = field(default_factory=list)
    bukti_tidak_terbaca: list[tuple[str, str]] = field(default_factory=list)  # left out of the bundle, and why
    bukti_berkas: Proof | None = None
    keyakinan: str = ""


@dataclass
class AspectResult:
    id: int
    nama: str
    bobot: float
    nilai: Decimal
    indikator: list[IndicatorResult]


@dataclass
class Gap:
    indikator: str
    aspek: str
    teks: str
    nilai: int
    sasaran: int
    kenaikan: Decimal  # index points gained by reaching sasaran
    tindakan: str


@dataclass
class CheckReport:
    unit: str
    root: str
    instrumen: Instrument
    periode: str
    services: list[ServiceRow]
    aspects: list[AspectResult]
    indeks: Decimal
    kesenjangan: list[Gap]
    issues: list[Issue]  # validation, evaluasi, SKM and contradictions, sorted
    kontradiksi: list[Issue]
    survey: Any = None
    today: dt.date = field(default_factory=clock.today)
    model: Unit | None = None  # for the kop surat of the Word view
    penilaian_mandiri: bool = False  # evaluasi.yaml has answers; without them the index is a floor

    @property
    def kategori(self):
        return self.instrumen.category(self.indeks)

    @property
    def catatan_indeks(self) -> str:
        """Why the index may be low: said wherever the index is shown, when it is only a floor."""
        if self.penilaian_mandiri:
            return ""
        return ("Belum ada jawaban penilaian mandiri (evaluasi.yaml): indeks ini hanya menghitung yang dibuktikan "
                "berkas unit, sehingga merupakan batas bawah.")

    @property
    def indeks_bulat(self) -> Decimal:
        return self.indeks.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _publication_proved(evaluation: Evaluation | None, instrument: Instrument) -> bool:
    """The publication indicator (`"peran": "publikasi_sp"` in the instrument) is answered above its
    lowest level with evidence."""
    if evaluation is None:
        return False
    for answer in evaluation.answers.values():
        indicator = instrument.indicators[answer.indicator]
        option = indicator.option(answer.kode)
        if indicator.peran == "publikasi_sp":
            return bool(option and option.nilai >= 2 and answer.bukti)
    return False


def _score_indicator(indicator: Indicator, answer: Answer | None, proof: Proof | None,
                     evaluation: Evaluation | None, contradictions: list[Issue]) -> IndicatorResult:
    result = IndicatorResult(indicator.id, indicator.teks, indicator.aspek, 0, "belum dijawab",
                             keyakinan=indicator.keyakinan, bukti_berkas=proof)
    claimed = indicator.option(answer.kode).nilai if answer else None
    if answer:
        result.jawaban = answer.kode
        result.bukti = [display_path(p) for p in answer.bukti]
        result.bukti_files = list(answer.bukti)
        result.bukti_tidak_terbaca = list(answer.bukti_tidak_terbaca)
    if proof and claimed is not None:
        if claimed > proof.plafon:
            where = "; ".join(proof.places[:3]) or "berkas unit"
            contradictions.append(Issue(
                evaluation.display, answer.line, 1,
                f"jawaban {indicator.id} = {answer.kode} melebihi yang dibuktikan berkas (paling tinggi "
                f"{proof.plafon}): {proof.alasan} — lihat {where}", Severity.WARNING, rule="evaluasi.kontradiksi"))
            result.nilai, result.sumber = proof.plafon, "berkas dan penilaian mandiri"
        else:
            result.nilai, result.sumber = max(claimed, proof.nilai), "berkas dan penilaian mandiri"
    elif proof:
        result.nilai, result.sumber = proof.nilai, "berkas"
    elif claimed is not None:
        result.nilai, result.sumber = claimed, "penilaian mandiri"
    return result


def _gap_action(indicator: Indicator, result: IndicatorResult, target: int) -> str:
    proof = result.bukti_berkas
    if proof and proof.action:
        return proof.action
    option = indicator.option_for_score(target)
    goal = option.teks if option else f"tingkat {target}"
    if result.sumber == "belum dijawab":
        return f"Jawab indikator {indicator.id} di evaluasi.yaml dengan buktinya; sasaran: {goal}"
    return f"Penuhi dan buktikan: {goal}"


def build_report(root: Path | str, *, instrument: str | None = None, today: dt.date | None = None,
                 loaded: tuple[Unit | None, list[Issue]] | None = None,
                 survey: tuple[Any, list[Issue]] | None = None) -> CheckReport:
    """Everything `check` reports on one unit folder. Problems in the unit's files are part of the
    report; only an unusable unit.yaml raises InputError, since then there is no unit to assess.
    `loaded` (from `load_unit`) and `survey` (from `skm.analyse_folder`) spare a caller that has
    them already, such as `build`, a second reading of the folder."""
    root = Path(root)
    today = today or clock.today()
    unit, issues = loaded if loaded is not None else load_unit(root, today)
    if unit is None:  # without a readable unit.yaml there is no unit to assess
        raise InputError(issues)
    evaluation, inst, eval_issues = load_evaluation(root, instrument)
    if survey is None:
        survey = skm.analyse_folder(root / "skm", today=today) if (root / "skm").is_dir() else (None, [])
    survey, survey_issues = survey
    if survey is None and any(i.is_error for i in survey_issues):
        survey = None
    all_issues = issues + eval_issues + survey_issues
    published = _publication_proved(evaluation, inst)
    rows = []
    for service in unit.services:
        display = display_path(service.path)
        own = [i for i in issues if i.path == display]
        rows.append(ServiceRow(service.slug, display, service.nama, service.status, _cells(service, own),
                               _steps(unit, service, survey, today, published),
                               [i for i in own if i.is_error], [i for i in own if not i.is_error]))
    contradictions: list[Issue] = []
    proofs: dict[str, Proof] = {}
    aspects = []
    scores: dict[str, int] = {}
    for aspect in inst.aspek:
        results = []
        for indicator in aspect.indikator:
            proof = None
            if indicator.dari_berkas:
                if indicator.dari_berkas not in proofs:
                    proofs[indicator.dari_berkas] = PROOFS[indicator.dari_berkas](unit, issues, today, survey)
                proof = proofs[indicator.dari_berkas]
            answer = evaluation.answers.get(indicator.id) if evaluation else None
            result = _score_indicator(indicator, answer, proof, evaluation, contradictions)
            scores[indicator.id] = result.nilai
            results.append(result)
        aspects.append(AspectResult(aspect.id, aspect.nama, aspect.bobot, inst.aspect_value(aspect, scores), results))
    index = sum(Decimal(str(a.bobot)) * a.nilai for a in aspects)
    gaps = []
    for aspect, result in zip(inst.aspek, aspects):
        for indicator, ind in zip(aspect.indikator, result.indikator):
            if ind.nilai >= indicator.max_nilai:
                continue
            target = indicator.max_nilai
            gain = inst.indicator_share(aspect, indicator) * (target - ind.nilai)
            gaps.append(Gap(indicator.id, aspect.nama, indicator.teks, ind.nilai, target, gain,
                            _gap_action(indicator, ind, target)))
    gaps.sort(key=lambda g: (-g.kenaikan, g.indikator))
    return CheckReport(unit.nama or root.name, display_path(root), inst, evaluation.periode if evaluation else "",
                       rows, aspects, index, gaps, sorted_issues(all_issues + contradictions), contradictions,
                       survey, today, unit, bool(evaluation and evaluation.answers))
