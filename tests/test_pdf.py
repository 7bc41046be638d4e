"""PDF through real LibreOffice: few tests, each converting a batch (soffice starts slowly)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from sp_builder.documents import pdf
from sp_builder.errors import UserError
from sp_builder.documents.render import render

UNIT = Path(__file__).parent / "data" / "render" / "unit"

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) tidak terpasang")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf")
    return render("all", UNIT, out, pdf=True), out


@needs_soffice
def test_every_document_has_a_pdf_with_its_title(rendered):
    result, _ = rendered
    first_lines = {
        "sk": "KEPUTUSAN KEPALA DINAS PENANAMAN MODAL",
        "sp": "STANDAR PELAYANAN",
        "maklumat": "MAKLUMAT PELAYANAN",
        "sop": "Nomor SOP",  # the SOP AP's identity sheet
    }
    for document in result.documents:
        reader = PdfReader(document.pdf)
        assert len(reader.pages) > 0
        page_one = " ".join(reader.pages[0].extract_text().split())
        assert first_lines[document.kind] in page_one, document.pdf
    reklame = next(d for d in result.documents if d.path.stem == "izin-reklame")
    assert "IZIN PENYELENGGARAAN REKLAME" in " ".join(PdfReader(reklame.pdf).pages[0].extract_text().split())


@needs_soffice
def test_bundle_has_one_bookmark_per_document(rendered):
    result, out = rendered
    assert result.bundle == out / "unit-bundel.pdf"
    reader = PdfReader(result.bundle)
    assert [item.title for item in reader.outline] == [d.title for d in result.documents]
    assert len(reader.pages) == sum(len(PdfReader(d.pdf).pages) for d in result.documents)
    starts = [reader.get_destination_page_number(item) for item in reader.outline]
    assert starts[0] == 0 and starts == sorted(starts)


@needs_soffice
def test_same_names_do_not_collide_and_failures_are_named(tmp_path):
    for folder in ("a", "b"):
        doc = docx.Document()
        doc.add_paragraph(f"ISI FOLDER {folder.upper()}")
        (tmp_path / folder).mkdir()
        doc.save(tmp_path / folder / "sama.docx")
    (tmp_path / "rusak.docx").write_bytes(b"PK\x03\x04 zip yang terpotong")
    files = [tmp_path / "a" / "sama.docx", tmp_path / "b" / "sama.docx", tmp_path / "rusak.docx"]
    with pytest.raises(UserError, match="rusak.docx"):
        pdf.convert(files)
    for folder in ("a", "b"):
        text = PdfReader(tmp_path / folder / "sama.pdf").pages[0].extract_text()
        assert f"ISI FOLDER {folder.upper()}" in text
    assert not (tmp_path / "rusak.pdf").exists()


def test_without_soffice_a_clear_message_and_nothing_written(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "kosong"))
    with pytest.raises(UserError) as caught:
        render("sp", UNIT, tmp_path / "out", pdf=True)
    assert "apt-get install libreoffice-writer-nogui" in str(caught.value)
    assert "soffice" in str(caught.value)
    assert not (tmp_path / "out").exists()


def test_each_process_converts_in_calls_of_at_most_files_per_call(tmp_path, monkeypatch):
    """LibreOffice 7.4 silently stops after ~240 files of one command line: calls are capped."""
    from pypdf import PdfWriter

    calls = []

    def fake_soffice(exe, files, outdir, profile, timeout):
        calls.append(len(files))
        outdir.mkdir(exist_ok=True)
        for file in files:
            if file.stem != "00003":  # the fourth input fails, as LibreOffice sometimes does
                writer = PdfWriter()
                writer.add_blank_page(100, 100)
                with open(outdir / f"{file.stem}.pdf", "wb") as handle:
                    writer.write(handle)
        return ""

    monkeypatch.setattr(pdf, "soffice_command", lambda: "soffice")
    monkeypatch.setattr(pdf, "_run_soffice", fake_soffice)
    monkeypatch.setattr(pdf, "FILES_PER_CALL", 2)
    files = []
    for n in range(7):
        files.append(tmp_path / f"d{n}.docx")
        files[-1].write_bytes(b"docx")
    with pytest.raises(UserError) as caught:
        pdf.convert(files, processes=2)
    assert sorted(calls) == [1, 2, 2, 2]  # 4 + 3 files per process, at most 2 per call
    assert str(caught.value) == f"LibreOffice gagal membuat PDF untuk: {tmp_path / 'd3.docx'}"
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == ["d0.pdf", "d1.pdf", "d2.pdf", "d4.pdf", "d5.pdf",
                                                               "d6.pdf"]


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_scratch_of_a_killed_build_is_removed_and_its_soffice_stopped(tmp_path):
    """A build killed with SIGKILL leaves its scratch folder and a soffice still converting in its
    own session; the next conversion removes the folder and stops that soffice — but never a
    process that merely reuses the PID, and never the folder of a process still running."""
    dead = _dead_pid()
    orphan_dir = tmp_path / f"{pdf.SCRATCH_PREFIX}{dead}-abc"
    (orphan_dir / "profile").mkdir(parents=True)
    # stands in for soffice: its command line names the scratch folder, as soffice's profile URI does
    orphan = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)",
                               f"-env:UserInstallation=file://{orphan_dir}/profile"], start_new_session=True)
    (orphan_dir / pdf.SOFFICE_PID).write_text(f"{orphan.pid}\n", encoding="ascii")

    reused_dir = tmp_path / f"{pdf.SCRATCH_PREFIX}{dead}-def"  # its soffice PID now belongs to another
    reused_dir.mkdir()
    stranger = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"], start_new_session=True)
    (reused_dir / pdf.SOFFICE_PID).write_text(f"{stranger.pid}\n", encoding="ascii")

    alive_dir = tmp_path / f"{pdf.SCRATCH_PREFIX}{os.getpid()}-ghi"  # a conversion running now
    alive_dir.mkdir()
    other = tmp_path / "sp-builder-pdf-bukan-pid"
    other.mkdir()
    try:
        removed = pdf.sweep_stale_scratch(tmp_path)
        assert sorted(removed) == sorted([orphan_dir, reused_dir])
        assert orphan.wait(timeout=10) == -signal.SIGKILL
        assert stranger.poll() is None
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted([alive_dir.name, other.name])
    finally:
        for process in (orphan, stranger):
            if process.poll() is None:
                process.kill()
                process.wait()
