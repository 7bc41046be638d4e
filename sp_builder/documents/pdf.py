"""PDF through LibreOffice (headless), and one bundle PDF per unit with a bookmark per document.

LibreOffice starts slowly (seconds) and converts quickly, so files are converted many per
`soffice` call, split over a few concurrent calls. Each call gets its own user profile
(`-env:UserInstallation`): two instances sharing a profile block or exit early. `soffice` exits 0
even when a file fails to convert, so every PDF is checked: it must exist and open with pypdf.
Inputs are copied under unique numbered names into a scratch folder, so files with the same name
from different folders cannot overwrite each other's PDF, and each PDF is moved next to its .docx
atomically.

A scratch folder is named after the sp-builder process that made it (`sp-builder-pdf-PID-…`) and
holds the PID of its soffice. A build killed outright (SIGKILL) cannot clean up, and its soffice,
in a session of its own, would go on converting; the next conversion therefore removes the scratch
folders of processes that no longer run and stops their soffice (checked by its command line, which
names the folder, so a reused PID is never killed).
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Sequence

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

from sp_builder.errors import UserError
from sp_builder.write import process_alive, write_bytes_atomic

INSTALL_HINT = (
    "LibreOffice (perintah soffice) tidak ditemukan di PATH, padahal --pdf memerlukannya. "
    "Pasang dengan: sudo apt-get install libreoffice-writer-nogui "
    "(atau paket LibreOffice Writer dari sistem Anda), lalu ulangi perintah ini; "
    "tanpa --pdf dokumen Word tetap dibuat."
)
DEFAULT_PROCESSES = 2
# LibreOffice 7.4 stops after about 240 files of one command line and still exits 0; each process
# therefore converts its share in calls of at most this many files (reusing its warm profile).
FILES_PER_CALL = 200


SCRATCH_PREFIX = "sp-builder-pdf-"
SOFFICE_PID = "soffice.pid"


def sweep_stale_scratch(folder: Path | None = None) -> list[Path]:
    """Remove the scratch folders of sp-builder processes that no longer run (a killed build), first
    stopping the soffice each names when its command line still points into that folder. Returns the
    folders removed."""
    folder = Path(folder or tempfile.gettempdir())
    removed = []
    try:
        candidates = sorted(folder.glob(f"{SCRATCH_PREFIX}*-*"))
    except OSError:
        return removed
    for scratch in candidates:
        owner = scratch.name[len(SCRATCH_PREFIX):].split("-", 1)[0]
        if not owner.isdigit() or process_alive(int(owner)) or not scratch.is_dir():
            continue
        try:
            soffice = int((scratch / SOFFICE_PID).read_text(encoding="ascii"))
            with open(f"/proc/{soffice}/cmdline", "rb") as handle:
                still_ours = str(scratch).encode() in handle.read()
        except (OSError, ValueError):
            still_ours = False
        if still_ours:
            with contextlib.suppress(OSError):
                os.killpg(soffice, signal.SIGKILL)  # its own session: soffice and its helpers
        shutil.rmtree(scratch, ignore_errors=True)
        removed.append(scratch)
    return removed


def soffice_command() -> str:
    """Path of the LibreOffice executable, or a UserError with the install hint."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        raise UserError(INSTALL_HINT)
    return exe


def _chunks(items: Sequence[Path], n: int) -> list[list[tuple[int, Path]]]:
    """Split into at most n interleaved groups of (index, item), so big and small files mix."""
    groups = [list(enumerate(items))[start::n] for start in range(n)]
    return [group for group in groups if group]


def _run_soffice(exe: str, files: list[Path], outdir: Path, profile: Path, timeout: float) -> str:
    command = [
        exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible", "--norestore",
        "--nolockcheck", "--nodefault", "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(outdir),
        *map(str, files),
    ]
    own_tmp = profile.parent / "tmp"  # LibreOffice's own temporary files (lu*.tmp) stay in the scratch
    own_tmp.mkdir(exist_ok=True)
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               start_new_session=True, text=True, errors="replace",
                               env={**os.environ, "TMPDIR": str(own_tmp)})
    write_bytes_atomic(profile.parent / SOFFICE_PID, f"{process.pid}\n".encode("ascii"))
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise UserError(f"LibreOffice tidak selesai dalam {int(timeout)} detik saat membuat PDF") from None
    return output


def _is_pdf(path: Path) -> bool:
    try:
        return path.is_file() and len(PdfReader(path).pages) > 0
    except (PdfReadError, OSError, ValueError):
        return False


def _convert_group(exe: str, group: list[tuple[int, Path]], timeout: float) -> list[str]:
    """Convert one process's share, FILES_PER_CALL files per soffice call; returns what failed."""
    failed: list[str] = []
    for start in range(0, len(group), FILES_PER_CALL):
        failed += _convert_call(exe, group[start:start + FILES_PER_CALL], timeout)
    return failed


def _convert_call(exe: str, group: list[tuple[int, Path]], timeout: float) -> list[str]:
    """Convert files in one soffice call; returns the names of the files that failed."""
    with tempfile.TemporaryDirectory(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-") as scratch:
        scratch = Path(scratch)
        inputs = []
        for index, source in group:
            copy = scratch / f"{index:05d}.docx"
            shutil.copyfile(source, copy)
            inputs.append(copy)
        output = _run_soffice(exe, inputs, scratch / "pdf", scratch / "profile", timeout)
        failed = []
        for (_, source), copy in zip(group, inputs):
            produced = scratch / "pdf" / f"{copy.stem}.pdf"
            if _is_pdf(produced):
                write_bytes_atomic(source.with_suffix(".pdf"), produced.read_bytes())
            else:
                failed.append(str(source))
        if failed and output.strip():
            failed.append(f"(keluaran LibreOffice: {output.strip()[-300:]})")
        return failed


def convert(files: Sequence[Path], *, processes: int = DEFAULT_PROCESSES, timeout: float | None = None) -> list[Path]:
    """Convert .docx files to PDF next to them (same name, .pdf); returns the PDF paths in order.

    Raises UserError naming every file LibreOffice could not convert.
    """
    files = [Path(f) for f in files]
    if not files:
        return []
    exe = soffice_command()
    sweep_stale_scratch()
    groups = _chunks(files, max(1, processes))
    limit = timeout if timeout is not None else 120 + 10 * min(FILES_PER_CALL, max(len(g) for g in groups))
    with ThreadPoolExecutor(len(groups)) as pool:
        failures = [f for failed in pool.map(lambda g: _convert_group(exe, g, limit), groups) for f in failed]
    if failures:
        raise UserError("LibreOffice gagal membuat PDF untuk: " + "; ".join(failures))
    return [f.with_suffix(".pdf") for f in files]


FORMAT_HINT = (
    "LibreOffice (perintah soffice) tidak ditemukan di PATH, padahal --format pdf memerlukannya. "
    "Pasang dengan: sudo apt-get install libreoffice-writer-nogui "
    "(atau paket LibreOffice Writer dari sistem Anda), lalu ulangi perintah ini; "
    "atau pakai --format docx untuk dokumen Word."
)


def bundle(parts: Sequence[tuple[Path, str]], target: Path) -> Path:
    """One PDF of all parts in order, with one top-level bookmark (outline item) per part."""
    writer = PdfWriter()
    for path, title in parts:
        writer.append(str(path), outline_item=title, import_outline=False)
    writer.page_mode = "/UseOutlines"
    buffer = io.BytesIO()
    writer.write(buffer)
    write_bytes_atomic(Path(target), buffer.getvalue())
    return Path(target)
