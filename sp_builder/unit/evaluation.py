"""A unit's evaluasi.yaml: which PEKPPP instrument it answers, its answers per indicator and the
evidence files behind them, checked as they are read. Reading the self-assessment is input
loading; scoring it is the assessment wing's work."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sp_builder.errors import Issue, UserError
from sp_builder.files import PDF_MAGIC, image_problem, quiet_pypdf
from sp_builder.instrument import DEFAULT_INSTRUMENT, Instrument, available, load_instrument
from sp_builder.unit.load import read_yaml
from sp_builder.unit.rules import FileCheck, check_relative_file


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



def _evidence_problem(path: Path) -> str | None:
    """Why an evidence file cannot be read as a PDF or an image, or None when it can. An image
    must be one the evidence bundle can place on a page (as documents do: validate.image_problem)."""
    with open(path, "rb") as handle:
        head = handle.read(512)
    if not head:
        return "berkas kosong (0 bita); unggah ulang berkas buktinya"
    if head.startswith(PDF_MAGIC):
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
