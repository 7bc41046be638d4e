"""build under stress: killed with SIGKILL part-way, two builds into one folder at once, an output
folder that cannot be written. Real processes and real signals throughout: `python -m sp_builder`
started as a subprocess, killed or stopped with os.kill / os.killpg."""

from __future__ import annotations

import ctypes
import datetime as dt
import hashlib
import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from sp_builder.build import UNCHANGED, build
from sp_builder.errors import ExitCode, UserError
from sp_builder.write import LOCK_NAME, TEMPORARY, lock_folder

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"
TODAY = dt.date(2026, 3, 1)
UNITS = 16  # units of the generated Pemda: a build of a few seconds on two cores, long enough to kill
DEADLINE = 120  # seconds a poll waits before the test fails (never reached when things work)


def _bench():
    spec = importlib.util.spec_from_file_location("bench_build", REPO / "bench" / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def pemda(tmp_path_factory) -> Path:
    """A Pemda of UNITS units of 6 services each (bench/build.py's generator)."""
    root = tmp_path_factory.mktemp("robust") / "pemda"
    _bench().make_pemda(root, UNITS, 6)
    return root


@pytest.fixture(scope="module")
def reference(pemda, tmp_path_factory) -> dict[str, bytes]:
    """Every file of a clean, uninterrupted build of `pemda` into a fresh folder."""
    out = tmp_path_factory.mktemp("bersih") / "out"
    done = cli("build", str(pemda), "-o", str(out), "-j", "2")
    assert done.returncode == 0, done.stderr
    return tree(out)


# ---------------------------------------------------------------------------------------------
# Helpers


def cli(*args: str, cwd: Path | None = None, unprivileged: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sp_builder", *args], capture_output=True, text=True, cwd=cwd,
                          preexec_fn=_drop_privileges if unprivileged else None, timeout=600, check=False)


def start(*args: str, log: Path) -> subprocess.Popen:
    """A build in the background, in its own process group (it and its workers)."""
    with open(log, "wb") as sink:
        return subprocess.Popen([sys.executable, "-m", "sp_builder", *args], stdout=sink, stderr=subprocess.STDOUT,
                                start_new_session=True)


HOLDER = """import sys
from sp_builder.write import lock_folder
with lock_folder(sys.argv[1], flock=sys.argv[2] == "flock"):
    print("terkunci", flush=True)
    sys.stdin.read()
"""


def hold_lock(folder: Path, *, flock: bool) -> subprocess.Popen:
    """Another process holding the folder's lock until its stdin closes (or it is killed)."""
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(folder), "flock" if flock else "pid"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline() == "terkunci\n"
    return holder


def wait_for(condition, what: str) -> None:
    limit = time.monotonic() + DEADLINE
    while not condition():
        assert time.monotonic() < limit, f"tidak terjadi: {what}"
        time.sleep(0.02)


def living(group: int) -> list[int]:
    """Processes of a process group that are not zombies (Linux /proc)."""
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                fields = Path(f"/proc/{name}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == group and fields[0] != "Z":
                found.append(int(name))
    return found


def tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def stamps(out: Path) -> dict[str, tuple[int, bytes]]:
    return {p.relative_to(out).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted(out.rglob("*")) if p.is_file()}


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def temporaries(out: Path) -> list[Path]:
    return [p for p in out.rglob("*") if p.is_file() and TEMPORARY.match(p.name)]


def assert_complete(path: Path) -> None:
    """The file is a whole output: a .docx a Word reader opens, a .json that parses, an HTML page
    to its end."""
    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as archive:
            assert archive.testzip() is None, path
        docx.Document(str(path))
    elif path.suffix == ".json":
        json.loads(path.read_text(encoding="utf-8"))
    elif path.suffix == ".html":
        assert path.read_text(encoding="utf-8").endswith("</html>\n"), path
    elif path.suffix == ".ics":
        assert path.read_bytes().endswith(b"END:VCALENDAR\r\n"), path
    else:
        assert path.name == LOCK_NAME and path.read_bytes() == b"", path


def _drop_privileges() -> None:
    """In the child, before exec: as root, drop every capability (CAP_DAC_OVERRIDE above all), so
    the permission bits bind root as they bind anyone; otherwise nothing to do."""
    if os.geteuid() == 0:
        libc = ctypes.CDLL(None, use_errno=True)
        for capability in range(64):
            libc.prctl(24, capability, 0, 0, 0)  # PR_CAPBSET_DROP: an exec as root then gets none of them


def require_permissions_bind(folder: Path) -> None:
    """Skip when even an unprivileged child can write into a read-only folder (root without a way
    to drop its capabilities); the error path itself is also tested with a file in the way."""
    probe = subprocess.run([sys.executable, "-c", "import sys, pathlib; pathlib.Path(sys.argv[1], 'x').touch()",
                            str(folder)], capture_output=True, preexec_fn=_drop_privileges, check=False)
    if probe.returncode == 0:
        (folder / "x").unlink()
        pytest.skip("berjalan sebagai root yang tidak dapat melepas kapabilitasnya: chmod tidak berlaku untuk root")


@pytest.fixture
def read_only(tmp_path):
    """Makes folders read-only (0o555) and gives them back their mode afterwards, so pytest can
    remove them."""
    made: list[Path] = []

    def make(folder: Path) -> Path:
        folder.chmod(0o555)
        made.append(folder)
        require_permissions_bind(folder)
        return folder

    yield make
    for folder in made:
        folder.chmod(0o755)


def copy_samples(tmp_path: Path) -> Path:
    root = tmp_path / "pemda"
    for unit in ("dpmptsp-kabupaten-contoh", "puskesmas-contoh"):
        shutil.copytree(SAMPLES / unit, root / unit)
    return root


# ---------------------------------------------------------------------------------------------
# Killed with SIGKILL


def test_build_killed_midway_leaves_only_whole_files_and_the_next_build_equals_a_clean_one(pemda, reference, tmp_path):
    day = dt.date.today()
    out = tmp_path / "out"
    first = start("build", str(pemda), "-o", str(out), "-j", "2", log=tmp_path / "log")
    wait_for(lambda: len(list(out.rglob("*.docx"))) >= 3, "build menulis dokumen")
    os.kill(first.pid, signal.SIGKILL)
    assert first.wait() == -signal.SIGKILL
    wait_for(lambda: not living(first.pid), "worker ikut berhenti")  # none goes on writing into OUT

    assert not (out / "manifest.json").exists() and not (out / "index.html").exists()  # killed part-way
    assert (out / LOCK_NAME).read_bytes() == b""
    for path in out.rglob("*"):
        if path.is_file() and not TEMPORARY.match(path.name):
            assert_complete(path)

    again = cli("build", str(pemda), "-o", str(out), "-j", "2")
    assert again.returncode == 0, again.stderr
    assert f"{UNITS} unit: {UNITS} dibangun, 0 tidak berubah, 0 bergalat" in again.stdout
    assert "Traceback" not in again.stderr
    assert temporaries(out) == []
    if dt.date.today() != day:
        pytest.skip("melewati tengah malam: laporan penilaian mandiri mencatat tanggal hari ini")
    assert tree(out) == reference  # every file, the manifest and the lock included; nothing differs


def test_build_killed_while_rewriting_is_finished_by_the_next_build(pemda, tmp_path):
    """The manifest of the last build stays while a rebuild rewrites outputs and removes stale
    ones; killed then, it claims hashes that no longer match and files that are gone. The next
    build notices and ends equal to a clean build of the edited units."""
    root = tmp_path / "pemda"
    shutil.copytree(pemda, root)
    out = tmp_path / "out"
    assert cli("build", str(root), "-o", str(out), "-j", "2").returncode == 0
    recorded = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for unit in sorted(root.glob("*/*/unit.yaml")):  # a new address: every document changes
        text = unit.read_text(encoding="utf-8")
        unit.write_text(text.replace("alamat: ", "alamat: Gedung B, ", 1), encoding="utf-8")
    shutil.rmtree(root / "opd-04" / "dukcapil-016")  # its outputs are stale now, to be removed
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*.docx")}

    second = start("build", str(root), "-o", str(out), "-j", "2", log=tmp_path / "log")
    wait_for(lambda: sum(1 for p, t in before.items() if not p.exists() or p.stat().st_mtime_ns != t) >= 5,
             "build menulis ulang dokumen")
    os.kill(second.pid, signal.SIGKILL)
    second.wait()
    wait_for(lambda: not living(second.pid), "worker ikut berhenti")

    assert json.loads((out / "manifest.json").read_text(encoding="utf-8")) == recorded  # still the old one
    stale = [o for u in recorded["units"] for o in u["outputs"]
             if not (out / o["path"]).is_file() or sha(out / o["path"]) != o["sha256"]]
    assert stale  # what the manifest claims is no longer all true
    for path in out.rglob("*"):
        if path.is_file() and not TEMPORARY.match(path.name):
            assert_complete(path)

    again = cli("build", str(root), "-o", str(out), "-j", "2")
    assert again.returncode == 0, again.stderr
    assert temporaries(out) == []
    clean = tmp_path / "bersih"
    assert cli("build", str(root), "-o", str(clean), "-j", "2").returncode == 0
    assert tree(out) == tree(clean)
    assert not (out / "opd-04").exists()


def test_temporary_files_of_a_killed_write_are_removed_and_never_outputs(tmp_path):
    root, out = copy_samples(tmp_path), tmp_path / "out"
    build(root, out, workers=1, today=TODAY)
    lock = out / LOCK_NAME
    lock_stamp = lock.stat().st_mtime_ns
    left = [out / "dpmptsp-kabupaten-contoh" / "sp" / ".retribusi-ptka.docx.k2x9_q7a.tmp",
            out / ".manifest.json.0abcdefg.tmp", out / "puskesmas-contoh" / ".sp-builder.abcd1234.tmp"]
    for path in left:
        path.write_bytes(b"PK\x03\x04 terpotong")  # what a write killed half-way leaves
    mine = [out / "catatan.tmp", out / ".catatan.tmp", out / "puskesmas-contoh" / "catatan-saya.txt"]
    for path in mine:
        path.write_text("milik pengguna", encoding="utf-8")
    before = tree(out)

    result = build(root, out, workers=1, today=TODAY)
    assert {u.state for u in result.units} == {UNCHANGED}
    assert result.temporaries == 3
    assert result.summary()[-2].endswith("; 3 berkas sementara sisa build yang terhenti dihapus")
    assert tree(out) == {path: data for path, data in before.items()
                         if path not in {p.relative_to(out).as_posix() for p in left}}  # users' files kept
    listed = json.dumps(json.loads((out / "manifest.json").read_text(encoding="utf-8"))) + (
        out / "index.html").read_text(encoding="utf-8")
    assert ".tmp" not in listed and LOCK_NAME not in listed
    assert lock.read_bytes() == b"" and lock.stat().st_mtime_ns == lock_stamp  # never written again

    shutil.rmtree(root / "puskesmas-contoh")  # its outputs are now stale and removed; the lock is not
    result = build(root, out, workers=1, today=TODAY)
    assert result.removed > 0 and lock.is_file() and (out / "puskesmas-contoh" / "catatan-saya.txt").is_file()


def test_an_output_missing_truncated_or_altered_in_place_is_written_again(tmp_path):
    root, out = copy_samples(tmp_path), tmp_path / "out"
    build(root, out, workers=1, today=TODAY)
    good = tree(out)
    sp = sorted((out / "dpmptsp-kabupaten-contoh" / "sp").glob("*.docx"))
    sp[0].unlink()
    sp[1].write_bytes(sp[1].read_bytes()[:1000])  # a truncated file
    altered = bytearray(sp[2].read_bytes())
    altered[-30] ^= 0xFF  # same size, other bytes
    sp[2].write_bytes(bytes(altered))
    json_report = out / "puskesmas-contoh" / "check" / "penilaian-mandiri.json"
    json_report.write_bytes(json_report.read_bytes().replace(b'"', b"'", 1))

    result = build(root, out, workers=1, today=TODAY)
    assert {u.rel: u.state for u in result.units} == {"dpmptsp-kabupaten-contoh": "dibangun",
                                                       "puskesmas-contoh": "dibangun"}
    assert result.written == 4  # the three SPs and the check report, nothing else
    assert tree(out) == good


# ---------------------------------------------------------------------------------------------
# Two builds at once


def test_a_second_build_into_the_same_folder_is_refused_at_once_and_writes_nothing(pemda, reference, tmp_path):
    day = dt.date.today()
    out = tmp_path / "out"
    first = start("build", str(pemda), "-o", str(out), "-j", "2", log=tmp_path / "log")
    wait_for(lambda: any(out.rglob("*.docx")), "build pertama menulis dokumen")
    os.killpg(first.pid, signal.SIGSTOP)  # the first build and its workers hold still, lock held
    try:
        before = stamps(out)
        second = cli("build", str(pemda), "-o", str(out))
        assert stamps(out) == before
    finally:
        os.killpg(first.pid, signal.SIGCONT)
    assert second.returncode == 1
    holder = f" (PID {first.pid})" if Path("/proc/locks").exists() else ""
    assert second.stderr == (f"galat: folder keluaran {out} sedang dipakai oleh proses sp-builder lain "
                             f"(build atau render){holder}; tunggu sampai selesai, lalu jalankan lagi\n")
    assert second.stdout == ""
    assert first.wait() == 0, (tmp_path / "log").read_text()

    after = cli("build", str(pemda), "-o", str(out))  # the lock went with the first build
    assert after.returncode == 0
    assert f"{UNITS} unit: 0 dibangun, {UNITS} tidak berubah, 0 bergalat" in after.stdout
    if dt.date.today() != day:
        pytest.skip("melewati tengah malam: laporan penilaian mandiri mencatat tanggal hari ini")
    assert tree(out) == reference


def test_a_lock_left_by_a_killed_build_does_not_block_the_next(tmp_path):
    root, out = copy_samples(tmp_path), tmp_path / "out"
    holder = hold_lock(out, flock=True)
    refused = cli("build", str(root), "-o", str(out))
    assert refused.returncode == 1, refused
    assert "sedang dipakai oleh proses sp-builder lain (build atau render)" in refused.stderr, refused
    assert sorted(p.name for p in out.iterdir()) == [LOCK_NAME]
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    done = cli("build", str(root), "-o", str(out))
    assert done.returncode == 0, done
    assert "2 unit: 2 dibangun" in done.stdout, done


def test_without_flock_the_lock_is_a_pid_file_taken_over_once_its_process_is_gone(tmp_path):
    out = tmp_path / "out"
    lock = out / LOCK_NAME
    holder = hold_lock(out, flock=False)
    assert lock.read_text(encoding="ascii") == f"{holder.pid}\n"
    with pytest.raises(UserError) as refused, lock_folder(out, flock=False):
        pass
    assert str(refused.value) == (f"folder keluaran {out} sedang dipakai oleh proses sp-builder lain (build atau "
                                  f"render) (PID {holder.pid}); tunggu sampai selesai, lalu jalankan lagi; bila "
                                  "tidak ada proses sp-builder yang berjalan, "
                                  f"hapus {lock}")
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    assert lock.read_text(encoding="ascii") == f"{holder.pid}\n"  # left behind by the killed process
    with lock_folder(out, flock=False):
        assert lock.read_text(encoding="ascii") == f"{os.getpid()}\n"
    assert not lock.exists()  # released: removed

    holder = hold_lock(out, flock=False)
    holder.communicate("")  # a normal end releases it
    assert holder.returncode == 0 and not lock.exists()


# ---------------------------------------------------------------------------------------------
# An output folder that cannot be written


def test_read_only_output_folder_is_named_and_nothing_is_built(tmp_path, read_only):
    root = copy_samples(tmp_path)
    fresh = tmp_path / "kosong"
    fresh.mkdir()
    read_only(fresh)
    done = cli("build", str(root), "-o", str(fresh), unprivileged=True)
    assert done.returncode == 1
    assert done.stderr == (f"galat: tidak dapat menulis ke folder keluaran {fresh}: izin ditolak (folder hanya-baca "
                           "atau bukan milik Anda)\n")
    assert list(fresh.iterdir()) == []

    out = tmp_path / "out"  # built once, then made read-only: the lock file is there already
    assert cli("build", str(root), "-o", str(out)).returncode == 0
    (root / "puskesmas-contoh" / "unit.yaml").write_text(
        (root / "puskesmas-contoh" / "unit.yaml").read_text(encoding="utf-8").replace("alamat: ", "alamat: Blok C, ", 1),
        encoding="utf-8")
    before = stamps(out)
    read_only(out)
    done = cli("build", str(root), "-o", str(out), unprivileged=True)
    assert done.returncode == 1
    assert done.stderr == (f"galat: tidak dapat menulis ke folder keluaran {out}: izin ditolak (folder hanya-baca "
                           "atau bukan milik Anda)\n")
    assert stamps(out) == before


def test_read_only_folder_inside_the_output_stops_the_build_by_name_and_the_next_build_finishes(tmp_path, read_only):
    """The unit whose SP cannot be written fails; its old documents, now outdated, cannot be
    removed either, so the build stops naming the file, before the index and manifest: the old
    manifest stays, and once the folder is writable the next build finishes the job."""
    root, out = copy_samples(tmp_path), tmp_path / "out"
    assert cli("build", str(root), "-o", str(out)).returncode == 0
    recorded = (out / "manifest.json").read_bytes()
    unit_yaml = root / "puskesmas-contoh" / "unit.yaml"
    unit_yaml.write_text(unit_yaml.read_text(encoding="utf-8").replace("alamat: ", "alamat: Blok C, ", 1),
                         encoding="utf-8")
    folder = read_only(out / "puskesmas-contoh" / "sp")
    done = cli("build", str(root), "-o", str(out), unprivileged=True)
    assert done.returncode == 1
    assert "puskesmas-contoh: galat" in done.stderr  # its progress line
    message = done.stderr.splitlines()[-1]
    assert message.startswith(f"galat: tidak dapat menghapus {folder}{os.sep}")
    assert message.endswith(".docx, keluaran lama yang tidak dibuat lagi: izin ditolak (folder hanya-baca atau "
                            "bukan milik Anda)")
    assert "galat internal" not in done.stderr and "Traceback" not in done.stderr
    assert (out / "manifest.json").read_bytes() == recorded

    folder.chmod(0o755)
    again = cli("build", str(root), "-o", str(out))
    assert again.returncode == 0, again.stdout
    clean = tmp_path / "bersih"
    assert cli("build", str(root), "-o", str(clean)).returncode == 0
    assert tree(out) == tree(clean)


def test_a_file_in_the_way_of_the_output_folder_is_named(tmp_path):
    """The same error path as a read-only folder, and testable as root: creating OUT fails."""
    root = copy_samples(tmp_path)
    blocking = tmp_path / "berkas"
    blocking.write_text("bukan folder", encoding="utf-8")
    done = cli("build", str(root), "-o", str(blocking / "keluaran"))
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == f"galat: tidak dapat membuat folder {blocking / 'keluaran'}: {blocking} adalah berkas, bukan folder\n"
    assert blocking.read_text(encoding="utf-8") == "bukan folder"

    done = cli("build", str(root), "-o", str(blocking))  # OUT is itself a file: a usage error
    assert done.returncode == 2
    assert f"Folder '{blocking}' adalah berkas, bukan folder" in done.stderr
    with pytest.raises(UserError, match="adalah berkas, bukan folder") as caught:
        build(root, blocking, workers=1, today=TODAY)
    assert caught.value.code == ExitCode.USAGE
    assert blocking.read_text(encoding="utf-8") == "bukan folder"


def test_a_file_where_a_unit_output_folder_should_be_fails_that_unit_only(tmp_path):
    root, out = copy_samples(tmp_path), tmp_path / "out"
    assert cli("build", str(root), "-o", str(out)).returncode == 0
    shutil.rmtree(out / "puskesmas-contoh" / "sp")
    (out / "puskesmas-contoh" / "sp").write_text("bukan folder", encoding="utf-8")
    done = cli("build", str(root), "-o", str(out))
    assert done.returncode == 1
    sp = out / "puskesmas-contoh" / "sp"
    assert f"tidak dapat membuat folder {sp}: {sp} adalah berkas, bukan folder" in done.stdout
    assert "2 unit: 0 dibangun, 1 tidak berubah, 1 bergalat" in done.stdout
    assert "galat internal" not in done.stdout + done.stderr and "Traceback" not in done.stderr


# ---------------------------------------------------------------------------------------------
# render -o


def test_render_into_a_read_only_folder_is_a_message(tmp_path, read_only):
    unit = copy_samples(tmp_path) / "puskesmas-contoh"
    out = tmp_path / "kosong"
    out.mkdir()
    read_only(out)
    done = cli("render", "all", str(unit), "-o", str(out), unprivileged=True)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (f"galat: tidak dapat menulis ke folder keluaran {out}: izin ditolak (folder hanya-baca "
                           "atau bukan milik Anda)\n")
    assert list(out.iterdir()) == []


def test_render_with_a_file_in_the_way_is_a_message(tmp_path):
    unit = copy_samples(tmp_path) / "puskesmas-contoh"
    blocking = tmp_path / "berkas"
    blocking.write_text("bukan folder", encoding="utf-8")
    done = cli("render", "all", str(unit), "-o", str(blocking / "keluaran"))
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == f"galat: tidak dapat membuat folder {blocking / 'keluaran'}: {blocking} adalah berkas, bukan folder\n"
    assert "Traceback" not in done.stderr
    done = cli("render", "all", str(unit), "-o", str(blocking))
    assert done.returncode == 2 and f"Folder '{blocking}' adalah berkas, bukan folder" in done.stderr
    assert blocking.read_text(encoding="utf-8") == "bukan folder"


def test_a_render_into_a_folder_a_build_holds_is_refused_and_writes_nothing(tmp_path):
    unit = copy_samples(tmp_path) / "puskesmas-contoh"
    out = tmp_path / "out"
    holder = hold_lock(out, flock=True)
    try:
        refused = cli("render", "sp", str(unit), "-o", str(out))
        assert (refused.returncode, refused.stdout) == (1, "")
        assert refused.stderr.startswith(f"galat: folder keluaran {out} sedang dipakai oleh proses sp-builder lain "
                                         "(build atau render)")
        assert sorted(p.name for p in out.iterdir()) == [LOCK_NAME]
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait()
    done = cli("render", "sp", str(unit), "-o", str(out))
    assert done.returncode == 0, done
    assert sorted(p.name for p in (out / "sp").iterdir()) == ["kia-imunisasi.docx", "laboratorium.docx",
                                                               "pemeriksaan-umum.docx"]


def test_a_pdf_build_killed_while_libreoffice_converts_is_cleaned_up_by_the_next(tmp_path, monkeypatch):
    """SIGKILL to `build --pdf` while soffice converts: soffice runs in a session of its own and
    outlives the build, with its scratch folder. The next PDF build stops it, removes the folder,
    and finishes every PDF."""
    from sp_builder.documents import pdf

    scratch_root = tmp_path / "tmp"
    scratch_root.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch_root))
    root, out = copy_samples(tmp_path), tmp_path / "out"
    first = start("build", str(root), "-o", str(out), "--pdf", log=tmp_path / "log")
    wait_for(lambda: any(scratch_root.glob(f"{pdf.SCRATCH_PREFIX}*/{pdf.SOFFICE_PID}")), "soffice dijalankan")
    pid_file = next(scratch_root.glob(f"{pdf.SCRATCH_PREFIX}*/{pdf.SOFFICE_PID}"))
    soffice = int(pid_file.read_text(encoding="ascii"))
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()
    assert living(soffice), "soffice ikut mati bersama build; skenario ini tidak teruji"

    done = cli("build", str(root), "-o", str(out), "--pdf")
    assert done.returncode == 0, done.stderr
    assert not living(soffice)
    assert list(scratch_root.iterdir()) == []
    documents = sorted(p.with_suffix("") for p in out.rglob("*.docx"))  # the SKM and check reports too
    pdfs = [p for p in out.rglob("*.pdf") if not p.name.endswith("-bundel.pdf")]
    assert len(documents) == 17 + 7 + 1 + 2 and documents == sorted(p.with_suffix("") for p in pdfs)
    assert all(len(PdfReader(p).pages) >= 1 for p in pdfs)
