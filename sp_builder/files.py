"""Files a user hands us, below every wing: paths as a user types them, text decoding with size
limits, YAML 1.2 text to plain values, and the probes that say whether an image, a PDF or a zip
package can be opened at all. Nothing here knows what a unit or a service is."""

from __future__ import annotations

import codecs
import contextlib
import functools
import io
import logging
import os
import re
import zipfile
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from sp_builder.errors import Issue, Severity

_fast = YAML(typ="safe", pure=False)
_pure = YAML(typ="safe", pure=True)


_display_base: list[Path] = []  # set by `display_relative_to`; the working directory otherwise



@contextlib.contextmanager
def display_relative_to(base: Path):
    """Show paths relative to `base` inside the block, whatever the working directory: `build`
    writes reports whose bytes must not depend on where it was started."""
    _display_base.append(Path(base).resolve())
    try:
        yield
    finally:
        _display_base.pop()



def display_path(path: Path) -> str:
    """The path as a user would type it: relative to the working directory (or the base set by
    `display_relative_to`) when it lies below it, absolute otherwise."""
    absolute = os.path.abspath(path)
    base = str(_display_base[-1]) if _display_base else os.getcwd()
    if absolute == base or absolute.startswith(base.rstrip(os.sep) + os.sep):
        return os.path.relpath(absolute, base)
    return absolute



def real_path(display: str) -> Path:
    """The file a path shown by `display_path` names (the inverse of display_path)."""
    base = _display_base[-1] if _display_base else Path.cwd()
    return Path(os.path.abspath(base / display))



_BOMS = (  # longest first: the UTF-32 LE mark begins with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)



def decode_text(raw: bytes, display: str) -> tuple[str | None, list[Issue]]:
    """UTF-8 (a BOM is allowed) as the rule; UTF-16/32 with a BOM (Notepad's "Unicode") is read with
    a warning; anything else is refused with the position of the first byte that is not UTF-8."""
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            try:
                text = raw.decode(codec)
            except UnicodeDecodeError:
                break
            name = codec.upper()
            return text, [Issue(display, 1, 1, f"berkas disimpan dalam pengodean {name}; sp-builder dapat membacanya, "
                                                "tetapi simpan ulang sebagai UTF-8 agar terbaca oleh semua alat",
                                severity=Severity.WARNING, rule="berkas.bukan_utf8")]
    zero = raw.find(b"\x00")
    if zero >= 0:
        line, column = _byte_position(raw, zero)
        return None, [Issue(display, line, column,
                            "berkas ini bukan teks (memuat bita 0x00): mungkin gambar, PDF, dokumen Word, atau "
                            "teks UTF-16 tanpa penanda BOM; simpan isinya sebagai teks UTF-8", rule="berkas.biner")]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line, column = _byte_position(raw, exc.start)
        byte = raw[exc.start]
        guess = bytes([byte]).decode("cp1252", errors="replace")
        hint = f', dalam Windows-1252/Latin-1 berarti "{guess}"' if guess.isprintable() and guess != "\ufffd" else ""
        return None, [
            Issue(
                display, line, column,
                f"berkas bukan UTF-8 (bita 0x{byte:02X}{hint}); simpan ulang berkas dengan pengodean UTF-8",
                rule="berkas.bukan_utf8",
            )
        ]



def _byte_position(raw: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column of a byte (columns in bytes: the text could not be decoded)."""
    return raw.count(b"\n", 0, offset) + 1, offset - (raw.rfind(b"\n", 0, offset) + 1) + 1



# `{saluran: SP4N-LAPOR!, kontak: https://www.lapor.go.id}`, as SPEC writes it, is YAML 1.2 that
# libyaml refuses (a ":" inside a plain scalar in a flow mapping). Quoting such a URL gives the
# same string and keeps the fast parser; positions always come from the text as written.
_FLOW_URL = re.compile(r"(?<=[{,]\s)(\w+:\s+)(https?://[^\s,{}\[\]\"'#]+)(?=\s*[,}])")



def _quote_flow_urls(text: str) -> str:
    if "://" not in text or "{" not in text:
        return text
    return _FLOW_URL.sub(lambda m: f'{m.group(1)}"{m.group(2)}"', text)



def parse_yaml(text: str):
    """YAML 1.2 text to plain values: libyaml's C parser when it can read the text, the pure
    parser (the reference) otherwise. Raises what the parsers raise."""
    try:
        return _fast.load(_quote_flow_urls(text))
    except YAMLError:
        return _pure.load(text)



def _megabytes(size: int) -> str:
    return f"{size / (1 << 20):.1f}".replace(".", ",") + " MB"



def size_issue(display: str, size: int, limit: int, usual: str) -> Issue:
    return Issue(display, 0, 0, f"berkas terlalu besar ({_megabytes(size)}; batas {_megabytes(limit)}); {usual} — "
                                "periksa apakah ini berkas yang benar", rule="berkas.terlalu_besar")



def read_text(path: Path, display: str, limit: int | None = None) -> tuple[str | None, list[Issue]]:
    """A user's text file as UTF-8 (a BOM is allowed), or the issue saying why it cannot be read.
    A file over `limit` bytes is refused before it is read."""
    try:
        if limit is not None and (size := path.stat().st_size) > limit:
            return None, [size_issue(display, size, limit, "berkas sp-builder biasanya hanya beberapa KB")]
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, [Issue(display, 0, 0, "berkas tidak ditemukan", rule="berkas.tidak_ada")]
    except IsADirectoryError:
        return None, [Issue(display, 0, 0, "ini folder, bukan berkas", rule="berkas.tidak_terbaca")]
    except PermissionError:
        return None, [Issue(display, 0, 0, "tidak ada izin membaca berkas ini", rule="berkas.tidak_terbaca")]
    except OSError as exc:
        return None, [Issue(display, 0, 0, f"berkas tidak dapat dibaca (galat sistem {exc.errno})",
                            rule="berkas.tidak_terbaca")]
    return decode_text(raw, display)



MAX_UNPACKED_BYTES = 256 << 20  # a .docx or .xlsx unpacked; a "zip bomb" claims gigabytes



def package_problem(source: Path | bytes) -> str | None:
    """Why a zip package (.docx, .xlsx) must not be opened, or None. Office files are zips and their
    readers unpack whole parts into memory; the sizes in the zip's directory are what the readers
    will be given (Python's zipfile stops at the declared size), so summing them is enough."""
    try:
        with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as package:
            unpacked = sum(info.file_size for info in package.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None  # not a zip: the reader reports that in its own words
    if unpacked > MAX_UNPACKED_BYTES:
        return (f"isinya mengembang menjadi {_megabytes(unpacked)} saat dibuka (batas {_megabytes(MAX_UNPACKED_BYTES)}); "
                "berkas ini kemungkinan rusak atau sengaja dibuat berbahaya (\"zip bomb\")")
    return None


# Images placed in documents: the formats python-docx embeds, read as render reads them, and a
# size that Word, LibreOffice and a phone still open. A scanned A3 flowchart at 300 dpi
# (4960 × 3508, 17 megapixels) passes; a 10 000 × 10 000 picture (100 megapixels, 400 MB once
# decoded) does not.
MAX_IMAGE_PIXELS = 40_000_000



def _ribuan(n: int) -> str:
    return f"{n:,}".replace(",", ".")



@functools.lru_cache(maxsize=1024)
def _image_problem_cached(path: str, mtime_ns: int, size: int) -> tuple[str, str] | None:
    import warnings

    from docx.image.image import Image as DocxImage
    from PIL import Image

    if size == 0:
        return "gambar.tidak_terbaca", "berkas kosong (0 bita), bukan gambar PNG/JPEG yang dapat dibaca"
    try:
        header = DocxImage.from_file(path)  # the parser render uses: header only, no decoding
        width, height = header.px_width, header.px_height
    except Exception:  # python-docx raises several types for what it cannot read
        return "gambar.tidak_terbaca", ("bukan gambar PNG/JPEG yang dapat dibaca (rusak, atau berkas lain yang "
                                        "diberi akhiran gambar); simpan ulang sebagai PNG atau JPEG")
    if width * height > MAX_IMAGE_PIXELS:
        return "gambar.terlalu_besar", (
            f"gambar terlalu besar ({_ribuan(width)} × {_ribuan(height)} piksel); perkecil menjadi paling banyak "
            f"{MAX_IMAGE_PIXELS // 1_000_000} megapiksel, mis. 4.960 × 3.508 (A3 300 dpi) sudah cukup tajam")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                kind = image.format
                image.verify()  # chunk checksums (PNG) without decoding the pixels
            if kind != "PNG":  # verify() passes a truncated JPEG, GIF, BMP or TIFF: decode it
                with Image.open(path) as image:
                    if kind == "JPEG":  # at 1/8 scale: every byte is still read, ~20 ms for 12 Mpx
                        image.draft(image.mode, (max(1, width // 8), max(1, height // 8)))
                    image.load()
    except Exception:  # Pillow raises SyntaxError, OSError, ValueError, struct.error, ... on damage
        return "gambar.tidak_terbaca", ("bukan gambar PNG/JPEG yang dapat dibaca (isinya rusak atau terpotong); "
                                        "simpan ulang sebagai PNG atau JPEG")
    if width <= 0 or height <= 0:
        return "gambar.tidak_terbaca", "bukan gambar PNG/JPEG yang dapat dibaca (ukurannya 0 piksel)"
    return None



def image_problem(path: Path) -> tuple[str, str] | None:
    """(rule, message) saying why a file cannot be placed in a document as an image, or None.
    Reads headers and checksums (PNG) or decodes (others; JPEG at 1/8 scale) to catch a file cut
    short, after the size check; cached by path, modification time and size, so a logo
    shared by every service is read once."""
    try:
        stat = path.stat()
    except OSError:
        return "gambar.tidak_terbaca", "tidak dapat dibaca (izin atau galat sistem)"
    return _image_problem_cached(str(path), stat.st_mtime_ns, stat.st_size)


PDF_MAGIC = b"%PDF"



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
        return handle.read(len(PDF_MAGIC)) == PDF_MAGIC
