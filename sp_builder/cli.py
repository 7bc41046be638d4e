"""The command line: parse options, call one library function, print, choose an exit code.

No domain logic lives here. Every command runs inside `_guard`, the one place that turns an
unexpected exception into a short Indonesian message (a traceback only with --debug).
"""

from __future__ import annotations

import functools
import json
import sys
import traceback
from decimal import Decimal
from pathlib import Path

import click

from sp_builder import __version__, click_id
from sp_builder.errors import ExitCode, InputError, UserError
from sp_builder.unit.scaffold import init_unit, kinds as scaffold_kinds
from sp_builder.unit.validate import owning_unit, validate_paths
from sp_builder.write import refuse_unit_inputs, write_report


click_id.install()


def _guard(func):
    """Run a command body; map library exceptions to messages and exit codes."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        debug = click.get_current_context().find_root().params.get("debug", False)
        try:
            code = func(*args, **kwargs)
        except InputError as exc:
            for issue in exc.issues:
                click.echo(issue.format(), err=True)
            code = ExitCode.INPUT_ERROR
        except UserError as exc:
            click.echo(f"galat: {exc}", err=True)
            code = exc.code
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:  # the single place an unexpected error becomes a message
            if debug:
                traceback.print_exc()
            click.echo(
                f"galat internal: {type(exc).__name__}: {exc}\n"
                "Ini kesalahan sp-builder, bukan kesalahan Anda. Jalankan ulang dengan --debug "
                "dan laporkan keluarannya.",
                err=True,
            )
            code = ExitCode.INPUT_ERROR
        sys.exit(int(code or ExitCode.OK))

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, options_metavar="[OPSI]",
             subcommand_metavar="PERINTAH [ARGUMEN]...")
@click.option("--debug", is_flag=True, help="Tampilkan traceback lengkap bila terjadi galat internal.")
@click.version_option(__version__, prog_name="sp-builder", message="%(prog)s %(version)s")
def main(debug: bool) -> None:
    """sp-builder: Standar Pelayanan dari YAML sampai dokumen, SKM, dan penilaian mandiri PEKPPP."""


def _print_issues(issues, fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps([i.as_dict() for i in issues], ensure_ascii=False, indent=2))
        return
    for issue in issues:
        click.echo(issue.format())


def _summary(issues) -> str:
    errors = sum(1 for i in issues if i.is_error)
    return f"{errors} galat, {len(issues) - errors} peringatan"


def _require_output(fmt: str, output: Path | None) -> None:
    """A Word or PDF report cannot go to the terminal."""
    if fmt in ("docx", "pdf") and output is None:
        raise UserError(f"--format {fmt} memerlukan -o BERKAS.{fmt}", ExitCode.USAGE)


def _as_pdf(fmt: str, render):
    """The report as `render(fmt)` gives it; for pdf its .docx converted by LibreOffice."""
    if fmt != "pdf":
        return render(fmt)
    from sp_builder.documents.reflow import docx_to_pdf

    return docx_to_pdf(render("docx"))


# What units are made of. A report written over one of these would destroy a unit's input.
def _emit(data: bytes, output: Path | None) -> None:
    """A report to stdout, or atomically to the file the user named."""
    if output is None:
        click.echo(data.decode("utf-8"), nl=False)
    else:
        write_report(output, data)
        click.echo(f"ditulis: {output}", err=True)


@main.command()
@click.argument("paths", nargs=-1, required=True, metavar="JALUR...", type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Peringatan juga dianggap gagal (kode keluar 1).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Bentuk keluaran.")
@_guard
def validate(paths, strict: bool, fmt: str):
    """Periksa folder unit atau berkas YAML terhadap 14 komponen standar pelayanan."""
    issues = validate_paths(paths)
    _print_issues(issues, fmt)
    if fmt == "text":
        click.echo(_summary(issues) if issues else "Tidak ada masalah.", err=bool(issues))
    failed = any(i.is_error for i in issues) or (strict and issues)
    return ExitCode.INPUT_ERROR if failed else ExitCode.OK


@main.command()
@click.argument("directory", metavar="FOLDER", type=click.Path(path_type=Path))
@click.option("--jenis", type=click.Choice(scaffold_kinds()), default="dinas", show_default=True,
              help="Jenis unit: menentukan sebutan pimpinan, contoh layanan, dan tempat FKP.")
@click.option("--nama", metavar="NAMA", help='Nama unit, mis. "Kecamatan Sukamaju"; bawaan: nama contoh.')
@_guard
def init(directory: Path, jenis: str, nama: str | None):
    """Buat folder unit baru berisi contoh berkomentar (tidak menimpa berkas yang ada)."""
    written, skipped = init_unit(directory, jenis, nama)
    for path in written:
        click.echo(f"dibuat: {path}")
    for path in skipped:
        click.echo(f"dilewati (sudah ada): {path}")
    click.echo(f"Selanjutnya: sunting berkasnya, lalu jalankan: sp-builder validate {directory}")
    return ExitCode.OK


@main.command("skm")
@click.argument("files", nargs=-1, required=True, metavar="BERKAS...", type=click.Path(exists=True, path_type=Path))
@click.option("--layanan", metavar="SLUG", default="", help="Hanya responden layanan ini (kolom layanan).")
@click.option("--periode", metavar="PERIODE", help="Hanya periode ini: 2025, 2025-S1 (semester) atau 2025-T1 (triwulan).")
@click.option("--populasi", type=click.IntRange(min=1),
              help="Jumlah pengguna layanan, untuk sampel minimum Krejcie dan Morgan.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "docx", "pdf"]), default="text",
              show_default=True, help="Bentuk laporan; pdf lewat LibreOffice.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Berkas keluaran (wajib untuk docx dan pdf); tanpa ini laporan dicetak ke layar.")
@_guard
def skm_command(files, layanan: str, periode: str | None, populasi: int | None, fmt: str, output: Path | None):
    """Hitung Indeks Kepuasan Masyarakat (PermenPANRB 14/2017) dari berkas survei .csv/.xlsx atau folder."""
    from sp_builder.survey import skm, report as skm_report

    _require_output(fmt, output)
    refuse_unit_inputs(output)
    result, issues = skm.analyse(files, layanan=layanan, periode=periode, populasi=populasi)
    if result is None:
        raise InputError(issues)
    for issue in issues:
        click.echo(issue.format(), err=True)
    _emit(_as_pdf(fmt, lambda f: skm_report.render(result, f, owning_unit(files) if f == "docx" else None)), output)
    return ExitCode.OK


@main.command()
@click.argument("unit", metavar="UNIT", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--instrumen", metavar="ID", help="Instrumen penilaian (id di schemas/instrumen atau berkas .json); "
                                                "bawaan: dari evaluasi.yaml, atau pekppp-2023.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html", "docx", "pdf"]), default="text",
              show_default=True, help="Bentuk laporan; pdf lewat LibreOffice.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Berkas keluaran (wajib untuk docx dan pdf); tanpa ini laporan dicetak ke layar.")
@click.option("--fail-under", type=float, metavar="X", help="Keluar dengan kode 1 bila indeks di bawah X (0–5).")
@click.option("--bundle", type=click.Path(dir_okay=False, path_type=Path), metavar="BERKAS.pdf",
              help="Tulis juga satu PDF bukti dukung per aspek dan indikator, bersampul dan berpenanda.")
@click.option("--f03", "f03", type=click.Path(exists=True, path_type=Path), metavar="PATH",
              help="Jawaban F-03 pengguna layanan (berkas .csv/.xlsx atau folder); bawaan: folder f03/ unit.")
@click.option("--kalender", type=click.Path(dir_okay=False, path_type=Path), metavar="BERKAS.ics",
              help="Tulis juga kalender kepatuhan (iCalendar) untuk dimuat ke aplikasi kalender.")
@_guard
def check(unit: Path, instrumen: str | None, fmt: str, output: Path | None, fail_under: float | None,
          bundle: Path | None, f03: Path | None, kalender: Path | None):
    """Daftar periksa, penilaian mandiri, perkiraan indeks PEKPPP, dan kesenjangan sebuah unit."""
    from sp_builder.assessment.check import build_report
    from sp_builder.assessment.views import render

    _require_output(fmt, output)
    refuse_unit_inputs(output, bundle, kalender)
    report = build_report(unit, instrument=instrumen, f03=f03)
    _emit(_as_pdf(fmt, lambda f: render(report, f)), output)
    if kalender is not None:
        from sp_builder.assessment.compliance_calendar import to_ics

        write_report(kalender, to_ics(report.kalender, unit=report.unit, unit_key=unit.resolve().name,
                                      stamp=report.today))
        click.echo(f"ditulis: {kalender}", err=True)
    failed = [issue for issue in report.issues if issue.is_error]
    if bundle is not None:
        from sp_builder.assessment.bundle import build_bundle

        build_bundle(report, bundle)
        click.echo(f"ditulis: {bundle}", err=True)
    if failed:
        click.echo(f"{len(failed)} galat pada berkas unit; perbaiki lalu jalankan ulang (lihat laporan)", err=True)
    below = fail_under is not None and report.indeks_bulat < Decimal(str(fail_under))
    if below:
        click.echo(f"indeks {report.indeks_bulat} di bawah ambang {fail_under}", err=True)
    return ExitCode.INPUT_ERROR if failed or below else ExitCode.OK


@main.command("instrumen")
@click.argument("ident", metavar="[ID]", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Bentuk keluaran.")
@_guard
def instrument_command(ident: str | None, fmt: str):
    """Instrumen penilaian bawaan; dengan ID (atau berkas .json): setiap aspek dan indikator dengan bobot,
    opsi dan nilainya, serta bukti dukung yang diminta."""
    from sp_builder.assessment.listing import render

    click.echo(render(ident, fmt), nl=False)
    return ExitCode.OK


@main.command("render")
@click.argument("kind", metavar="JENIS")
@click.argument("unit", metavar="UNIT", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder keluaran (sp/, sk/, maklumat/, fkp/ dibuat di dalamnya).")
@click.option("--pdf", is_flag=True, help="Buat juga PDF lewat LibreOffice dan satu PDF bundel bermarkah.")
@click.option("--templates", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder templat .docx Anda; dicari sebelum templates/ unit dan templat bawaan.")
@_guard
def render_command(kind: str, unit: Path, out: Path, pdf: bool, templates: Path | None):
    """Dokumen Word siap tanda tangan. JENIS: sp (SP per layanan), sk (Keputusan penetapan),
    maklumat (Maklumat Pelayanan), fkp (Berita Acara, daftar hadir, undangan per FKP), sop (SOP AP
    per layanan), atau all. `all --pdf` menambahkan laporan SKM dan laporan penilaian mandiri ke
    bundel, seperti build."""
    from sp_builder.build import render_with_reports

    result = render_with_reports(kind, unit, out, pdf=pdf, templates=templates)
    for issue in result.warnings:
        click.echo(issue.format(), err=True)
    for note in result.skipped:
        click.echo(note, err=True)
    for document in result.documents:
        click.echo(f"ditulis: {document.path}")
        if document.pdf:
            click.echo(f"ditulis: {document.pdf}")
    if result.bundle:
        click.echo(f"ditulis: {result.bundle}")
    return ExitCode.OK


@main.command("import")
@click.argument("file", metavar="BERKAS.docx|BUKU.pdf", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="BERKAS.yaml untuk satu SP (mis. layanan/ktp-el.yaml), atau FOLDER unit untuk buku SP "
                   "(banyak SP dalam satu dokumen); tanpa ini YAML dicetak ke layar.")
@click.option("--force", is_flag=True, help="Timpa berkas keluaran yang sudah ada.")
@click.option("--ocr", "use_ocr", is_flag=True,
              help="Baca halaman PDF hasil pindai (tanpa lapisan teks) dengan OCR; memerlukan tesseract-ocr dan "
                   "tesseract-ocr-ind. Hasilnya harus diperiksa ejaannya.")
@_guard
def import_command(file: Path, output: Path | None, force: bool, use_ocr: bool):
    """Baca SP yang sudah ada (Word .docx, atau PDF teks; PDF hasil pindai dengan --ocr) menjadi berkas
    layanan YAML, atau satu buku SP (Keputusan + Lampiran) menjadi folder unit."""
    if output is not None and (output.is_dir() or output.suffix.lower() not in (".yaml", ".yml")):
        from sp_builder.book import import_book, report

        click.echo(report(import_book(file, output, force=force, use_ocr=use_ocr)))
        click.echo(f"ditulis: {output}", err=True)
        return ExitCode.OK
    from sp_builder.importer import import_sp

    from sp_builder.book import services_in

    result = import_sp(file, output, force=force, use_ocr=use_ocr)
    if output is None:
        click.echo(result.text, nl=False)
    else:
        click.echo(f"ditulis: {output}", err=True)
    if (count := services_in(file, use_ocr)) > 1:
        click.echo(f"peringatan: {file.name} memuat {count} SP; untuk satu folder unit berisi semuanya: "
                   f"sp-builder import {file.name} -o FOLDER-UNIT", err=True)
    for note in result.imported.notes:
        click.echo(f"peringatan: {note}", err=True)
    if result.imported.unmapped:
        click.echo(f"peringatan: {len(result.imported.unmapped)} baris tidak terpetakan; disimpan sebagai "
                   "komentar di awal berkas YAML", err=True)
    if result.issues:
        click.echo("Yang masih perlu dilengkapi (hasil validasi):", err=True)
    for issue in result.issues:
        click.echo(issue.format(), err=True)
    return ExitCode.OK


@main.command("diff")
@click.argument("old", metavar="LAMA", type=click.Path(exists=True, path_type=Path))
@click.argument("new", metavar="BARU", type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "fkp", "docx", "pdf"]), default="text",
              show_default=True, help="Bentuk laporan; fkp mencetak entri kesepakatan: untuk fkp/*.yaml; "
                                      "pdf lewat LibreOffice.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Berkas keluaran (wajib untuk docx dan pdf); tanpa ini laporan dicetak ke layar.")
@_guard
def diff_command(old: Path, new: Path, fmt: str, output: Path | None):
    """Perubahan per komponen antara dua berkas layanan atau dua folder unit (kode keluar 0 baik ada
    maupun tidak ada perbedaan)."""
    from sp_builder import diff

    _require_output(fmt, output)
    refuse_unit_inputs(output)
    report = diff.compare(old, new)
    _emit(_as_pdf(fmt, lambda f: diff.render(report, f)), output)
    return ExitCode.OK


@main.command("build")
@click.argument("root", metavar="AKAR", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder keluaran: satu subfolder per unit, index.html, dan manifest.json.")
@click.option("-j", "--jobs", "workers", type=click.IntRange(min=1), metavar="N",
              help="Jumlah unit yang dibangun bersamaan (bawaan: jumlah inti prosesor).")
@click.option("--pdf", is_flag=True, help="Buat juga PDF lewat LibreOffice dan satu PDF bundel per unit.")
@click.option("--force", is_flag=True, help="Bangun ulang semuanya, juga yang tidak berubah.")
@click.option("--templates", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder templat .docx Anda; dicari sebelum templates/ unit dan templat bawaan.")
@_guard
def build_command(root: Path, out: Path, workers: int | None, pdf: bool, force: bool, templates: Path | None):
    """Semua unit di bawah AKAR: dokumen, laporan SKM dan penilaian mandiri, halaman publikasi, indeks.
    Hanya unit yang berubah yang dibangun ulang."""
    from sp_builder.build import ProgressDisplay, build

    result = build(root, out, workers=workers, pdf=pdf, force=force, templates=templates,
                   progress=ProgressDisplay(sys.stderr))
    for line in result.summary():
        click.echo(line)
    return result.exit_code


@main.command("rapikan")
@click.argument("paths", nargs=-1, required=True, metavar="JALUR...", type=click.Path(path_type=Path))
@click.option("--tulis", is_flag=True, help="Tulis bentuk bakunya ke berkas (hanya berkas yang lolos validasi).")
@_guard
def tidy_command(paths, tulis: bool):
    """Tampilkan (dan dengan --tulis tulis) bentuk baku berkas unit: nomor butir yang diketik sendiri
    dihapus, teks bernomor menjadi daftar, tanggal TTTT-BB-HH, NIP berspasi, saluran pengaduan
    {saluran, kontak}; komentar, urutan kunci, dan kata-kata unit tetap."""
    from sp_builder.unit.tidy import tidy_paths

    result = tidy_paths(paths, write=tulis)
    for file in result.changed:
        click.echo(file.diff, nl=False)
    for file in result.files:
        if file.written:
            click.echo(f"ditulis: {file.display}", err=True)
    for issue in result.all_issues:
        click.echo(issue.format(), err=True)
    if not result.changed and not result.all_issues:
        click.echo("tidak ada yang perlu dirapikan")
    elif result.changed and not tulis:
        click.echo(f"{len(result.changed)} berkas dapat dirapikan; jalankan dengan --tulis untuk menulisnya", err=True)
    return result.exit_code


for _command in main.commands.values():
    _command.options_metavar = "[OPSI]"
