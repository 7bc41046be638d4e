"""The gap report before PEKPPP: a checklist, what the unit's files prove, the self-assessment,
aspect scores, the estimated index and category, and the gaps ranked by what they would gain.

`build_report` returns one `CheckReport`; text, JSON, HTML and Word are views of it
(views.py). Nothing here renders or prints.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from sp_builder import clock, tables
from sp_builder.survey import skm
from sp_builder.errors import InputError, Issue, Severity, sorted_issues
from sp_builder.instrument import Indicator, Instrument
from sp_builder.files import display_path
from sp_builder.unit.evaluation import Answer, Evaluation, load_evaluation
from sp_builder.unit.model import Service, Unit
from sp_builder.assessment.proofs import PROOFS, Proof
from sp_builder.assessment import compliance_calendar, f03 as f03_answers
from sp_builder.unit.validate import load_unit


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
    fkps = sorted((f for f in unit.fkps if any(unit.match_service(n) is service for n in f.layanan)),
                  key=lambda f: f.tanggal or dt.date.min)
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
                                       or any(unit.match_service(g.key) is service for g in survey.per_layanan))
    last = survey.rentang[1] if survey is not None and survey.rentang else None
    steps.append(Step("SKM", "selesai" if surveyed else "belum", last if surveyed else None,
                      ", ".join(survey.sumber) if surveyed else "tidak ada jawaban survei untuk layanan ini"))
    if fixed and (today - fixed).days > tables.review_after_days():
        steps.append(Step("Evaluasi tahunan", "terlambat", fixed + dt.timedelta(days=tables.review_after_days()),
                          "SP lebih dari setahun belum ditinjau"))
    elif fixed:
        steps.append(Step("Evaluasi tahunan", "selesai", fixed + dt.timedelta(days=tables.review_after_days()),
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
class EvidenceNeed:
    """One piece of evidence an evaluator asks to see for a gap's indicator, and the files
    sp-builder writes that are it (`dihasilkan`) or that it is made from (`bahan`)."""
    teks: str
    keyakinan: str = ""
    peran: str | None = None  # dihasilkan | bahan | None (sp-builder does not write it)
    keluaran: str | None = None  # the output's tag in keluaran_sp_builder
    judul: str = ""  # the output's title
    berkas: list[str] = field(default_factory=list)  # paths under the unit's output folder of `build`
    catatan: str = ""  # why no file can be named yet


@dataclass
class Gap:
    indikator: str
    aspek: str
    teks: str
    nilai: int
    sasaran: int
    kenaikan: Decimal  # index points gained by reaching sasaran
    tindakan: str
    bukti: list[EvidenceNeed] = field(default_factory=list)


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
    f03: Any = None  # f03.F03Result of the service users' answers, None without any

    @property
    def ipp(self) -> f03_answers.IppEstimate:
        """The IPP estimate: F-02 blended with F-03 when there are F-03 answers, else F-02 alone."""
        return f03_answers.estimate_ipp(self.indeks, self.f03, self.instrumen)

    @functools.cached_property
    def kalender(self) -> list[compliance_calendar.Deadline]:
        """The compliance calendar: what falls due when, from the unit's dates."""
        return compliance_calendar.deadlines(self)

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


def _output_files(pattern: str, unit: Unit, survey) -> tuple[list[str], str]:
    """The paths `build` writes for one output pattern of keluaran_sp_builder (.docx, under the
    unit's output folder), with <layanan> and <fkp> resolved from the unit; or why there is none yet."""
    if "<layanan>" in pattern:
        if not unit.services:
            return [], "belum ada layanan di layanan/"
        return [pattern.replace("<layanan>", s.slug) for s in unit.services], ""
    if "<fkp>" in pattern:
        fkps = sorted(unit.fkps, key=lambda f: (f.tanggal or dt.date.min, f.slug), reverse=True)  # latest first
        if pattern.endswith("/dokumentasi.docx"):  # written only for an FKP that lists photos
            fkps = [f for f in fkps if f.photos]
            if unit.fkps and not fkps:
                return [], "berkas FKP belum mencantumkan foto (foto:), sehingga lampiran dokumentasi belum dibuat"
        if not fkps:
            return [], "belum ada berkas FKP (fkp/<nama>.yaml); setelah dicatat, sp-builder build membuatnya"
        return [pattern.replace("<fkp>", f.slug) for f in fkps], ""
    if pattern.startswith("skm/") and survey is None:
        return [], "belum ada data survei di skm/; setelah ada, sp-builder build membuat laporannya"
    return [pattern], ""


def _evidence_needs(indicator: Indicator, inst: Instrument, unit: Unit, survey) -> list[EvidenceNeed]:
    needs = []
    for item in indicator.bukti:
        role = "dihasilkan" if item.dihasilkan else "bahan" if item.bahan else None
        tag = item.dihasilkan or item.bahan
        output = inst.keluaran.get(tag) if tag else None
        need = EvidenceNeed(item.teks, item.keyakinan, role if output else None, tag if output else None,
                            output.judul if output else "")
        if output:
            need.berkas, need.catatan = _output_files(output.berkas, unit, survey)
        needs.append(need)
    return needs


def build_report(root: Path | str, *, instrument: str | None = None, today: dt.date | None = None,
                 loaded: tuple[Unit | None, list[Issue]] | None = None,
                 survey: tuple[Any, list[Issue]] | None = None, f03: Path | None = None) -> CheckReport:
    """Everything `check` reports on one unit folder. Problems in the unit's files are part of the
    report; only an unusable unit.yaml raises InputError, since then there is no unit to assess.
    `loaded` (from `load_unit`) and `survey` (from `skm.analyse_folder`) spare a caller that has
    them already, such as `build`, a second reading of the folder. `f03`: the F-03 answers (a file
    or folder) instead of the unit's `f03/`."""
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
    form, form_issues = f03_answers.analyse_unit(root, Path(f03) if f03 is not None else None)
    all_issues = issues + eval_issues + survey_issues + form_issues
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
                            _gap_action(indicator, ind, target), _evidence_needs(indicator, inst, unit, survey)))
    gaps.sort(key=lambda g: (-g.kenaikan, g.indikator))
    return CheckReport(unit.nama or root.name, display_path(root), inst, evaluation.periode if evaluation else "",
                       rows, aspects, index, gaps, sorted_issues(all_issues + contradictions), contradictions,
                       survey, today, unit, bool(evaluation and evaluation.answers), form)
