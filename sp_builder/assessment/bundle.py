"""The evidence bundle of a self-assessment: one PDF with a cover and table of contents, then per
aspect and indicator a page stating the answer followed by its evidence, bookmarked by aspect and
indicator so an evaluator can jump to what they are scoring.

Separator pages (with image evidence placed on them) are Word documents converted in one
LibreOffice call; PDF evidence is appended as it is. The cover is converted a second time once the
page numbers of its table of contents are known.
"""

from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass
from pathlib import Path

from docx.shared import Cm
from pypdf import PdfReader, PdfWriter

from sp_builder import fmt_id
from sp_builder.documents import pdf

from sp_builder.documents import layout, ooxml
from sp_builder.assessment.check import CheckReport, IndicatorResult
from sp_builder.files import is_pdf, quiet_pypdf
from sp_builder.write import write_report


@dataclass
class _Entry:
    aspect: str
    result: IndicatorResult
    option: str
    separator: Path
    pdfs: list[Path]
    first_page: int = 0


def _separator(report: CheckReport, aspect_name: str, result: IndicatorResult, option: str, path: Path) -> list[Path]:
    """Write the indicator's page; returns the PDF evidence to append after it."""
    doc = layout.new_document("laporan", report.model)
    ooxml.para(doc, aspect_name.upper(), bold=True)
    ooxml.para(doc, f"Indikator {result.id}", bold=True, space_before=6)
    ooxml.para(doc, result.teks)
    ooxml.para(doc, f"Jawaban penilaian mandiri: {option}", space_before=6)
    ooxml.para(doc, f"Nilai yang dipakai: {result.nilai} ({result.sumber})")
    if result.bukti_berkas:
        ooxml.para(doc, f"Dibuktikan berkas unit: {result.bukti_berkas.alasan}")
    ooxml.para(doc, "Bukti dukung:", bold=True, space_before=6)
    pdfs = []
    width = ooxml.text_width(doc.sections[0])
    for source in result.bukti_files:
        ooxml.para(doc, f"- {source.name}")
        if is_pdf(source):  # by content: check let through only readable PDFs and images
            pdfs.append(source)
        else:
            doc.add_picture(str(source), width=min(width, Cm(15)))
    for shown, why in result.bukti_tidak_terbaca:
        ooxml.para(doc, f"- {Path(shown).name} — tidak dilampirkan: {why}")
    ooxml.save(doc, path)
    return pdfs


def _cover(report: CheckReport, entries: list[_Entry], path: Path) -> None:
    doc = layout.report_opening("laporan", report.model, "BUKTI DUKUNG PENILAIAN MANDIRI", size=14, space_before=24)
    ooxml.para(doc, "PEMANTAUAN DAN EVALUASI KINERJA PENYELENGGARAAN PELAYANAN PUBLIK", bold=True,
                  align=ooxml.CENTER)
    ooxml.para(doc, report.unit.upper(), bold=True, align=ooxml.CENTER, space_after=12)
    ooxml.para(doc, f"Instrumen: {report.instrumen.nama}")
    if report.periode:
        ooxml.para(doc, f"Periode: {report.periode}")
    cat = report.kategori
    ooxml.para(doc, f"Indeks perkiraan: {fmt_id.desimal(report.indeks)} ({cat.kode} — {cat.nama})")
    ooxml.para(doc, f"Disusun: {fmt_id.tanggal(report.today)}", space_after=12)
    ooxml.para(doc, "DAFTAR ISI", bold=True, align=ooxml.CENTER)
    widths = ooxml.percent_widths(doc.sections[0], [8, 72, 20])
    ooxml.text_table(doc, widths, ["No", "Aspek / Indikator", "Halaman"], [
        (str(n), f"{entry.aspect} — {entry.result.id}", str(entry.first_page + 1) if entry.first_page else "…")
        for n, entry in enumerate(entries, start=1)])
    ooxml.save(doc, path)


def _pages(path: Path) -> int:
    return len(PdfReader(path).pages)


def build_bundle(report: CheckReport, target: Path) -> Path:
    """Write the bundle PDF (atomically). Needs LibreOffice, like every PDF of sp-builder. Evidence
    `check` found unreadable (encrypted, damaged, not a PDF) is named on its indicator's page with
    the reason, not appended."""
    with quiet_pypdf():
        return _build_bundle(report, target)


def _build_bundle(report: CheckReport, target: Path) -> Path:
    with tempfile.TemporaryDirectory(prefix="spb-bukti-") as tmp:
        folder = Path(tmp)
        entries: list[_Entry] = []
        for aspect in report.aspects:
            for result in aspect.indikator:
                if not result.bukti_files and not result.bukti_tidak_terbaca:
                    continue
                indicator = report.instrumen.indicators[result.id]
                option = indicator.option(result.jawaban)
                label = f"{option.kode} — {option.teks}" if option else "belum dijawab"
                separator = folder / f"{len(entries):03d}.docx"
                pdfs = _separator(report, aspect.nama, result, label, separator)
                entries.append(_Entry(aspect.nama, result, label, separator, pdfs))
        cover = folder / "sampul.docx"
        _cover(report, entries, cover)
        converted = pdf.convert([cover] + [e.separator for e in entries])
        page = _pages(converted[0])
        for entry, separator_pdf in zip(entries, converted[1:]):
            entry.first_page = page
            page += _pages(separator_pdf) + sum(_pages(p) for p in entry.pdfs)
        _cover(report, entries, cover)
        pdf.convert([cover])
        writer = PdfWriter()
        writer.append(str(converted[0]), import_outline=False)
        for entry, separator_pdf in zip(entries, converted[1:]):
            writer.append(str(separator_pdf), import_outline=False)
            for evidence in entry.pdfs:
                writer.append(str(evidence), import_outline=False)
        writer.add_outline_item(title="Sampul dan daftar isi", page_number=0)
        parents: dict[str, object] = {}
        for entry in entries:
            if entry.aspect not in parents:
                parents[entry.aspect] = writer.add_outline_item(title=entry.aspect, page_number=entry.first_page)
            writer.add_outline_item(title=f"{entry.result.id} — {entry.option[:60]}", page_number=entry.first_page,
                                    parent=parents[entry.aspect])
        writer.page_mode = "/UseOutlines"
        buffer = io.BytesIO()
        writer.write(buffer)
    write_report(target, buffer.getvalue())
    return target
