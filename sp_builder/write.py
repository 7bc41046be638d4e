"""Atomic output: a file is either complete or absent, never half-written; and the output folder
of a build, locked against a second build and cleaned of what a killed one left behind.

Every output goes to a temporary file beside its target (`.NAME.XXXXXXXX.tmp`), then is renamed
over it. A process killed between the two (SIGKILL, a crash) leaves that temporary file and never
a truncated target; `remove_temporaries` deletes such leftovers. No fsync: a rename after a
complete write is atomic for every other process, also when the writer is killed, since the data
is already in the kernel's page cache; only a power loss or a kernel crash could leave an empty
file after a rename, and an fsync per output (and per folder) would cost more than the rest of an
incremental build.

A failure to write (a read-only folder, a full disk, a file where a folder should be) raises
`OutputError`, a `UserError` whose Indonesian message names the file or folder and why, so the
command line shows it as a message, never as an internal error.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from sp_builder.errors import ExitCode, UserError

try:
    import fcntl
except ImportError:  # Windows: the lock falls back to a file created exclusively, holding the PID
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = ".sp-builder.lock"
# what mkstemp makes of prefix ".NAME." and suffix ".tmp": eight of [a-z0-9_] in between
TEMPORARY = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")


class OutputError(UserError, OSError):
    """A file or folder that cannot be written: a UserError for the command line, and still an
    OSError for callers that catch those."""

    def __init__(self, message: str, cause: OSError | None = None):
        UserError.__init__(self, message)
        self.errno = cause.errno if cause is not None else None
        self.strerror = message

    def __str__(self) -> str:  # the message alone, not OSError's "[Errno n] ..."
        return self.args[0]


_REASONS = {getattr(errno, name): reason for name, reason in (
    ("EACCES", "izin ditolak (folder hanya-baca atau bukan milik Anda)"),
    ("EPERM", "izin ditolak (folder hanya-baca atau bukan milik Anda)"),
    ("EROFS", "sistem berkasnya hanya-baca"),
    ("ENOSPC", "ruang disk penuh"),
    ("EDQUOT", "kuota disk Anda habis"),
    ("ENOTDIR", "sebagian jalurnya adalah berkas biasa, bukan folder"),
    ("EEXIST", "sudah ada berkas bernama itu, bukan folder"),
    ("EISDIR", "sudah ada folder bernama itu"),
    ("ENAMETOOLONG", "namanya terlalu panjang"),
    ("ENOENT", "foldernya tidak ada (terhapus?)"),
) if hasattr(errno, name)}


def describe(exc: OSError) -> str:
    """Why an operating-system call failed, in Indonesian."""
    return _REASONS.get(exc.errno, exc.strerror or str(exc) or type(exc).__name__)


def _blocking_file(path: Path) -> Path | None:
    """The first part of `path` that exists and is not a folder, when there is one."""
    for part in [path, *path.parents][::-1]:
        if part.exists() and not part.is_dir():
            return part
    return None


def _folder_error(folder: Path, exc: OSError, doing: str) -> OutputError:
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        blocking = _blocking_file(folder)
        if blocking is not None:
            return OutputError(f"tidak dapat {doing} {folder}: {blocking} adalah berkas, bukan folder", exc)
    return OutputError(f"tidak dapat {doing} {folder}: {describe(exc)}", exc)


def make_folder(folder: Path) -> None:
    """mkdir -p, failing with an OutputError."""
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _folder_error(Path(folder), exc, "membuat folder") from exc


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside the target, then rename over it. The file gets the usual
    permissions (mkstemp would leave it readable by its owner only). A failure raises
    OutputError and leaves the target as it was."""
    path = Path(path)
    make_folder(path.parent)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"tidak dapat menulis {path}: folder {path.parent}: {describe(exc)}", exc) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException as exc:
        if os.path.exists(tmp):
            os.unlink(tmp)
        if isinstance(exc, OSError) and not isinstance(exc, OutputError):
            raise OutputError(f"tidak dapat menulis {path}: {describe(exc)}", exc) from exc
        raise


def write_text_atomic(path: Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


def remove_temporaries(folder: Path) -> int:
    """Delete the temporary files a killed writer left anywhere under `folder` (only names of the
    form `.NAME.XXXXXXXX.tmp`); returns how many. Call it only while holding the folder's lock,
    so no running writer's file is taken."""
    removed = 0
    for here, dirs, files in os.walk(folder):
        for name in files:
            if TEMPORARY.match(name):
                try:
                    os.unlink(os.path.join(here, name))
                except FileNotFoundError:
                    continue
                except OSError as exc:
                    raise OutputError(f"tidak dapat menghapus berkas sementara {os.path.join(here, name)}: "
                                      f"{describe(exc)}", exc) from exc
                removed += 1
    return removed


def ensure_writable(folder: Path) -> None:
    """Fail now, naming the folder, when no file can be created in it (before any work is done)."""
    try:
        fd, probe = tempfile.mkstemp(prefix=".sp-builder.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"tidak dapat menulis ke folder keluaran {folder}: {describe(exc)}", exc) from exc
    os.close(fd)
    os.unlink(probe)


# ---------------------------------------------------------------------------------------------
# The lock of an output folder


def _busy(folder: Path, pid: int | None, lock: Path | None) -> UserError:
    holder = f" (PID {pid})" if pid else ""
    advice = "tunggu sampai selesai, lalu jalankan lagi"
    if lock is not None:  # an exclusive file, which a crash can leave behind
        advice += f"; bila tidak ada proses sp-builder yang berjalan, hapus {lock}"
    return UserError(f"folder keluaran {folder} sedang dipakai oleh proses sp-builder lain (build atau render)"
                     f"{holder}; {advice}")


def _flock_holder(fd: int) -> int | None:
    """The PID holding a flock on the file open as `fd`, from /proc/locks (Linux); None elsewhere."""
    info = os.fstat(fd)
    device = f"{os.major(info.st_dev):02x}:{os.minor(info.st_dev):02x}:{info.st_ino}"
    try:
        with open("/proc/locks", encoding="ascii", errors="replace") as handle:
            for line in handle:
                fields = line.split()
                if len(fields) >= 6 and fields[1] == "FLOCK" and fields[5] == device:
                    return int(fields[4])
    except (OSError, ValueError):
        pass
    return None


def process_alive(pid: int) -> bool:
    """Whether a process with this PID exists (another user's counts)."""
    if os.name == "nt":  # os.kill(pid, 0) would send a Ctrl-C there
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return kernel32.GetLastError() == 5  # access denied: it exists
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _pid_lock(folder: Path, lock: Path) -> Iterator[None]:
    """The lock as a file created exclusively with the holder's PID, removed on release; a file
    whose process is gone (killed) is taken over. An empty file is being written by its creator,
    unless it is older than a few seconds (left by a flock build)."""
    for _ in range(3):
        try:
            fd = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            try:
                text = lock.read_text(encoding="ascii", errors="replace").strip()
                age = time.time() - lock.stat().st_mtime
            except FileNotFoundError:
                continue  # released meanwhile
            pid = int(text) if text.isdigit() else None
            if (pid is not None and process_alive(pid)) or (pid is None and age < 5):
                raise _busy(folder, pid, lock) from None
            with contextlib.suppress(FileNotFoundError):
                lock.unlink()  # left by a process that no longer runs
            continue
        except OSError as exc:
            raise OutputError(f"tidak dapat menulis ke folder keluaran {folder}: {describe(exc)}", exc) from exc
        try:
            os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        finally:
            os.close(fd)
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                lock.unlink()
        return
    raise _busy(folder, None, lock)


@contextlib.contextmanager
def lock_folder(folder: Path, *, flock: bool = True) -> Iterator[int | None]:
    """Hold `folder` (created when missing) for one build: a second build into it is refused at
    once with a message naming the folder and, where it can be known, the PID holding it.

    With flock (POSIX): a lock on `folder/.sp-builder.lock`, which the kernel releases when the
    process ends however it ends, so a killed build never blocks the next. The file is created
    empty once and never written or removed (removing it would let two builds lock two different
    files), so it does not change from build to build; yields its descriptor, which workers
    forked while it is held must close. Without flock (`flock=False`, no fcntl, or a file system
    that refuses it): an exclusive `.sp-builder.lock` holding the PID, removed on release, taken
    over when its process no longer runs; yields None."""
    folder = Path(folder)
    make_folder(folder)
    lock = folder / LOCK_NAME
    if flock and fcntl is not None:
        try:
            fd = os.open(lock, os.O_RDONLY | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o666)
        except OSError as exc:
            raise OutputError(f"tidak dapat menulis ke folder keluaran {folder}: {describe(exc)}", exc) from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pid = _flock_holder(fd)
            os.close(fd)
            raise _busy(folder, pid, None) from None
        except OSError:  # flock not supported here (some network file systems)
            if os.fstat(fd).st_size == 0:
                with contextlib.suppress(OSError):
                    lock.unlink()  # the empty file just opened; the fallback creates its own
            os.close(fd)
        else:
            try:
                yield fd
            finally:
                os.close(fd)
            return
    with contextlib.contextmanager(_pid_lock)(folder, lock):
        yield None


# ---------------------------------------------------------------------------------------------
# Reports beside a unit's own files

INPUT_SUFFIXES = (".yaml", ".yml", ".csv", ".xlsx", ".xls", ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff")


def refuse_unit_inputs(*targets: Path | None) -> None:
    """Reports (`skm`, `check`, `diff` -o, `check --bundle`) never overwrite a unit's input: an
    existing YAML, survey or image file, or anything in a unit's bukti/ folder. The policy of the
    library, not only of the CLI: every function that writes a report asks here first."""
    for target in targets:
        if target is None or not target.exists():
            continue
        parents = target.resolve().parents
        evidence = any(p.name == "bukti" and (p.parent / "unit.yaml").is_file() for p in parents)
        if target.suffix.lower() in INPUT_SUFFIXES or evidence:
            raise UserError(f"tidak menimpa {target}: berkas itu masukan unit (YAML, survei, gambar, atau bukti); "
                            "tulis laporan ke berkas lain, mis. laporan.html", ExitCode.USAGE)


def write_report(path: Path, data: bytes) -> None:
    """A report written atomically, never over a unit's input file."""
    refuse_unit_inputs(path)
    write_bytes_atomic(path, data)
