"""Reading scanned pages (`sp-builder import … --ocr`): PDF pages without a text layer are
rasterised with poppler's `pdftoppm` and read by Tesseract with its Indonesian data.

Tesseract's hOCR output is used rather than its TSV: both give a box per word, but hOCR also gives
each line's baseline, and a baseline is what the PDF text layer gives too. Every word becomes a
fragment in the form `book` takes from a text layer — (y, x, text, size, width) in PDF points, y
upwards from the page's foot on the word's baseline — so rows, columns, labels, furniture removal
and splitting read a scanned page exactly as a text page.

OCR is optional: `tesseract` and its `ind` language are looked up when `--ocr` is asked for, and
their absence is a clear message naming the Debian packages to install.
"""

from __future__ import annotations

import functools
import math
import os
import re
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from sp_builder.errors import UserError
from sp_builder.files import display_path

DPI = 300
LANGUAGE = "ind"
PSM = "4"  # one column of text of variable sizes: a table row is read across as one line
PAGE_TIMEOUT = 120  # seconds for rasterising or reading one page
INSTALL = "apt-get install tesseract-ocr tesseract-ocr-ind"
NOTE = "dibaca dengan OCR: periksa ejaan"

Fragment = tuple[float, float, str, float, float]  # y, x, text (a word and a space), size, width (points)


@dataclass
class Page:
    """One page read by OCR: its word fragments, its text lines in reading order, its height."""

    fragments: list[Fragment]
    lines: list[str]
    height: float  # points
    cell_lines: list[str] = field(default_factory=list)  # the lines in a text layer's table order


def which(program: str) -> str | None:
    """Where a program is on PATH (the one lookup, so tests can take tesseract away)."""
    return shutil.which(program)


def _run(command: list[str], what: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")  # one core per page: pages run side by side instead
    try:
        return subprocess.run(command, capture_output=True, timeout=PAGE_TIMEOUT, env=env, check=False)
    except subprocess.TimeoutExpired:
        raise UserError(f"{what} tidak selesai dalam {PAGE_TIMEOUT} detik") from None
    except OSError as exc:
        raise UserError(f"{what} tidak dapat dijalankan: {exc.strerror or exc}") from None


def check_available() -> tuple[str, str]:
    """The tesseract and pdftoppm programs, or a UserError saying what to install."""
    tesseract = which("tesseract")
    if tesseract is None:
        raise UserError(f"--ocr memerlukan program tesseract, yang tidak ditemukan di PATH; pasang dengan: {INSTALL}")
    done = _run([tesseract, "--list-langs"], "tesseract --list-langs")
    langs = {line.strip() for line in (done.stdout + done.stderr).decode("utf-8", "replace").splitlines()}
    if LANGUAGE not in langs:
        raise UserError("--ocr memerlukan data bahasa Indonesia (ind) untuk tesseract, yang belum terpasang; "
                        f"pasang dengan: {INSTALL}")
    pdftoppm = which("pdftoppm")
    if pdftoppm is None:
        raise UserError("--ocr memerlukan program pdftoppm (poppler), yang tidak ditemukan di PATH; pasang dengan: "
                        "apt-get install poppler-utils")
    return tesseract, pdftoppm


_BBOX = re.compile(r"bbox (-?\d+) (-?\d+) (-?\d+) (-?\d+)")
_BASELINE = re.compile(r"baseline (-?[\d.]+) (-?[\d.]+)")
_X_SIZE = re.compile(r"x_size ([\d.]+)")
_RULE = re.compile(r"^[|¦]+$")  # a table's ruled line read as a character
_GLUED_NUMBER = re.compile(r"^(\d{1,2}[.,]?)[|¦]+([A-Z]\w*\W?)$")  # "5|Jumlah": a row number, the rule, a label
_ROW_NUMBER_COMMA = re.compile(r"^\(?(\d{1,2})[,:;]$")  # "4,", "3:", "(5:" for the row number "4."
_DASHED_NUMBER = re.compile(r"^-\s*([\dOoIlBSZ]{1,3})\s*-$")  # a page number "- 8 -" read as "-B-"
_DIGIT_FOR = str.maketrans("OoIlBSZ", "0011852")
_LINE_CLASSES = {"ocr_line", "ocr_header", "ocr_caption", "ocr_textfloat"}
_CONFIDENCE = re.compile(r"x_wconf (\d+(?:\.\d+)?)")
_NUMBER_WORD = re.compile(r"^[1-9]\d?\.?$")  # a row number (never 0)
DOUBT = 80  # a word read with less confidence (0–100) is read again when it stands where a row number does
NOISE = 60  # a line of one short word read with less confidence is a speck, not text
SPECK = 0.2  # a "word" lower than this share of the line's height is a speck, unless a dash
STRAIGHT = 0.002  # a page whose baselines slope less (0,1°) is straight (under 2 pt of drift down an A4 page)


def _classes(element: ET.Element) -> set[str]:
    return set((element.get("class") or "").split())


def _text(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).split())


@dataclass
class _Word:
    text: str
    box: tuple[int, int, int, int]  # x0, y0, x1, y1 in pixels, y down
    confidence: float


@dataclass
class _Line:
    words: list[_Word]
    box: tuple[int, int, int, int]
    slope: float
    offset: float
    x_size: float


def _hocr_lines(text: str) -> tuple[int, int, list[_Line]]:
    """The page width and height in pixels and the lines of tesseract's hOCR, words in reading
    order."""
    root = ET.fromstring(text)
    width = height = 0
    lines: list[_Line] = []
    for element in root.iter():
        classes = _classes(element)
        title = element.get("title") or ""
        if "ocr_page" in classes and (box := _BBOX.search(title)):
            width, height = int(box.group(3)), int(box.group(4))
            continue
        if not classes & _LINE_CLASSES or not (box := _BBOX.search(title)):
            continue
        line_box = tuple(int(v) for v in box.groups())
        slope, offset = (float(v) for v in m.groups()) if (m := _BASELINE.search(title)) else (0.0, 0.0)
        x_size = float(m.group(1)) if (m := _X_SIZE.search(title)) else float(line_box[3] - line_box[1])
        words = []
        for word in element.iter():
            word_title = word.get("title") or ""
            if "ocrx_word" not in _classes(word) or not (wbox := _BBOX.search(word_title)):
                continue
            conf = float(m.group(1)) if (m := _CONFIDENCE.search(word_title)) else 100.0
            x0, y0, x1, y1 = (int(v) for v in wbox.groups())
            flat = y1 - y0 < SPECK * x_size
            if flat and (x1 - x0 < SPECK * x_size or re.search(r"\w", _text(word))):
                continue  # a speck or a flat stub of an erased rule (dust) read as "1", "2" or "."
            words.append(_Word(_text(word), (x0, y0, x1, y1), conf))
        first = next((n for n, w in enumerate(words) if _cleaned(w.text, True)), None)  # a rule "|" may come first
        if first is not None and (m := _GLUED_NUMBER.match(words[first].text)):
            words[first:first + 1] = _unglued(words[first], m)
        lines.append(_Line(words, line_box, slope, offset, x_size))
    return width, height, lines


def _unglued(word: _Word, m: re.Match) -> list[_Word]:
    """A row number and a label read as one word through the rule between them ("5|Jumlah"): two
    words, the box shared out by their letters."""
    x0, y0, x1, y1 = word.box
    split = x0 + round((x1 - x0) * len(m.group(1)) / len(word.text))
    return [_Word(m.group(1), (x0, y0, split, y1), word.confidence),
            _Word(m.group(2), (split, y0, x1, y1), word.confidence)]


def _cleaned(word: str, first: bool) -> str:
    """A word without a table's ruled line read as "|"; a row number read as "4," or "(5:" at the
    start of a line is a number with its dot; a page number "- 8 -" read as "-B-" gets its digits
    back."""
    value = word.strip("|¦ ")
    if _RULE.match(value):
        return ""
    if first and (m := _ROW_NUMBER_COMMA.match(value)):
        value = m.group(1) + "."
    if m := _DASHED_NUMBER.match(value):
        value = f"- {m.group(1).translate(_DIGIT_FOR)} -"
    return value


def _skew(lines: list[_Line]) -> float:
    """The page's skew as a slope (pixels down per pixel right): the median of its lines'
    baselines, longer lines counting more; 0 for a page scanned straight."""
    slopes = sorted((line.slope, line.box[2] - line.box[0]) for line in lines if len(line.words) >= 3)
    total = sum(width for _, width in slopes)
    seen = 0
    for slope, width in slopes:
        seen += width
        if seen >= total / 2:
            return slope if abs(slope) >= STRAIGHT else 0.0
    return 0.0


def _page(height_px: int, lines: list[_Line], dpi: int = DPI, width_px: int = 0) -> Page:
    """Lines in pixels → fragments in PDF points: y up from the page's foot, on the baseline. A
    skewed scan is turned straight first (every word's place rotated about the page's centre by
    the skew of the baselines), so the columns stand at one x down the whole page."""
    scale = 72 / dpi
    height = height_px * scale
    skew = _skew(lines)
    cos, sin = 1 / math.sqrt(1 + skew * skew), skew / math.sqrt(1 + skew * skew)
    cx, cy = width_px / 2, height_px / 2

    def straight(x: float, y: float) -> tuple[float, float]:
        return cx + (x - cx) * cos + (y - cy) * sin, cy + (y - cy) * cos - (x - cx) * sin
    fragments: list[Fragment] = []
    texts: list[str] = []
    segmented: list[list[tuple[int, str]]] = []
    for line in lines:
        x0, _, _, y1 = line.box
        size = max(line.x_size * scale, 4.0)
        words = []
        segments: list[tuple[int, str]] = []  # (x, text) of the line's pieces between column gaps
        last_end = None
        for word in line.words:
            value = _cleaned(word.text, not words)
            if not value:
                continue
            wx0, _, wx1, _ = word.box
            baseline = y1 + line.offset + line.slope * (wx0 - x0)
            words.append(value)
            px, py = straight(wx0, baseline)
            # the trailing space keeps words apart: tesseract has already told the words, which the
            # text layer's joining of touching fragments must not undo ("Senin - Kamis")
            fragments.append((height - py * scale, px * scale, value + " ", size, (wx1 - wx0) * scale))
            if last_end is None or wx0 - last_end > 1.5 * line.x_size:
                segments.append((round(px), value))
            else:
                segments[-1] = (segments[-1][0], f"{segments[-1][1]} {value}")
            last_end = wx1
        if words:
            texts.append(" ".join(words))
            segmented.append(segments)
    return Page(fragments, texts, height, _cell_order(segmented))


_ROW_START = re.compile(r"^\d{1,2}[.)]?$")


def _cell_order(lines: list[list[tuple[int, str]]]) -> list[str]:
    """The lines as a text layer gives a table, for the one-SP reader that reads text without
    positions: a row's number and label column first (the label wrapped over its lines), then its
    Uraian. A row starts at a line whose first piece is a row number and whose second piece stands
    apart from it; the Uraian column starts where such rows most often have their third piece."""
    starts = [line for line in lines if len(line) >= 2 and _ROW_START.match(line[0][1])]
    if not starts:
        return [" ".join(text for _, text in line) for line in lines]
    label_x = min(line[1][0] for line in starts)
    uraian = sorted(line[2][0] for line in starts if len(line) >= 3)
    uraian_x = uraian[len(uraian) // 2] if uraian else float("inf")
    out: list[str] = []
    label: list[str] = []
    text: list[str] = []

    def close():
        out.extend(label + text)
        label.clear()
        text.clear()

    in_row = False
    for line in lines:
        first_x, first = line[0]
        if len(line) >= 2 and _ROW_START.match(first) and first_x < label_x - 8:
            close()
            in_row = True
            pieces = line[1:]
            head = first + " "
        elif first_x < label_x - 8:  # a heading, a title or the signature: outside the rows
            close()
            in_row = False
            out.append(" ".join(piece for _, piece in line))
            continue
        elif not in_row:
            out.append(" ".join(piece for _, piece in line))
            continue
        else:
            pieces, head = line, ""
        left = [piece for x, piece in pieces if x < uraian_x - 8]
        right = [piece for x, piece in pieces if x >= uraian_x - 8]
        if left or head:
            label.append(head + " ".join(left))
        if right:
            text.append(" ".join(right))
    close()
    return [line.strip() for line in out if line.strip()]


def parse_hocr(text: str, dpi: int = DPI) -> Page:
    """Tesseract's hOCR of one page → its fragments in PDF points and its text lines."""
    width, height, lines = _hocr_lines(text)
    return _page(height, lines, dpi, width)


def _doubtful_numbers(lines: list[_Line]) -> list[tuple[_Line, int, int]]:
    """Line-leading words that stand where a row number stands and were read with low confidence
    as letters ("Ka", "re", "7 e" for "7."): the words before the line's first column gap (or all
    of a line of them), short and narrow together. Each as (its line, first word, end word)."""
    out = []
    for line in lines:
        words = [w for w in line.words if _cleaned(w.text, False)]
        run = 1
        while run < len(words) and words[run].box[0] - words[run - 1].box[2] < 1.5 * line.x_size:
            run += 1
        head = words[:run]
        if not head:
            continue
        text = "".join(w.text for w in head)
        narrow = head[-1].box[2] - head[0].box[0] <= 1.5 * line.x_size
        if (min(w.confidence for w in head) < DOUBT and len(text) <= 3 and narrow
                and not (run == 1 and _NUMBER_WORD.match(text)) and text.strip(".").casefold() != "no"):
            out.append((line, line.words.index(head[0]), line.words.index(head[-1]) + 1))
    return out


def _reread_numbers(image: Path, doubtful: list[tuple[_Line, int, int]], tesseract: str) -> None:
    """Read each doubtful row number again on its own, as digits and a dot; keep what reads as a
    row number (in place of the words it was read as)."""
    from PIL import Image, ImageOps

    if not doubtful:
        return
    with Image.open(image) as page:
        for n, (line, start, end) in enumerate(doubtful):
            words = line.words[start:end]
            x0, y0 = min(w.box[0] for w in words), min(w.box[1] for w in words)
            x1, y1 = max(w.box[2] for w in words), max(w.box[3] for w in words)
            crop = image.with_name(f"{image.stem}-nomor-{n}.png")
            ImageOps.expand(page.crop((x0 - 8, y0 - 8, x1 + 8, y1 + 8)), 30, fill=255).save(crop)
            done = _run([tesseract, str(crop), "-", "-l", LANGUAGE, "--psm", "7", "-c",
                         "tessedit_char_whitelist=0123456789."], "tesseract")
            crop.unlink()
            value = done.stdout.decode("utf-8", "replace").strip()
            if done.returncode == 0 and _NUMBER_WORD.match(value):
                line.words[start:end] = [_Word(value, (x0, y0, x1, y1), float(DOUBT))]


def _is_speck(word: _Word) -> bool:
    return len(word.text) <= 4 and word.confidence < NOISE and not _NUMBER_WORD.match(word.text)


def _without_noise(lines: list[_Line]) -> list[_Line]:
    """The lines without specks: a line of one to three short words all read with low confidence
    is a stamp, a smudge or a page number misread ("Aa", "PN La" for "- 5 -"), not text of the SP."""
    return [line for line in lines
            if not (0 < len(kept := [w for w in line.words if _cleaned(w.text, False)]) <= 3
                    and all(_is_speck(w) for w in kept))]


def _list_numbers(lines: list[_Line]) -> None:
    """A list number read without its dot ("1 Kartu Keluarga" for "1. Kartu Keluarga"): a bare
    number starting a line or a column, followed by a tab's width (a list's indent) rather than a
    space, gets its dot back. "40 kursi" and "2 orang" are followed by a space and stay."""
    for line in lines:
        words = [w for w in line.words if _cleaned(w.text, False)]
        for n in range(len(words) - 1):
            gap_before = words[n].box[0] - words[n - 1].box[2] if n else None
            starts = gap_before is None or gap_before > 1.5 * line.x_size
            gap = words[n + 1].box[0] - words[n].box[2]
            if starts and re.fullmatch(r"[1-9]\d?", words[n].text) and line.x_size * 0.8 <= gap <= line.x_size * 1.5:
                words[n].text += "."


RULE_DOWN = 128  # pixels (about 31 pt at 300 dpi): a dark run this tall is a table's vertical rule, no glyph
RULE_ACROSS = 160  # pixels (about 38 pt): a dark run this wide is a horizontal rule (one askew 0,7° still has such runs)


def _shifted(image, dx: int, dy: int):
    from PIL import Image

    out = Image.new("L", image.size, 255)
    out.paste(image, (dx, dy))
    return out


def _rules(dark, length: int, down: bool):
    """Where `dark` (0 on 255) has runs of at least `length` pixels down (or across): an opening
    with a line, done as erosion then dilation by doubling shifts (each step one C-level pass)."""
    from PIL import ImageChops

    eroded, step = dark, 1
    while step < length:
        eroded = ImageChops.lighter(eroded, _shifted(eroded, 0, -step) if down else _shifted(eroded, -step, 0))
        step *= 2
    grown, step = eroded, 1
    while step < length:
        grown = ImageChops.darker(grown, _shifted(grown, 0, step) if down else _shifted(grown, step, 0))
        step *= 2
    return grown


def remove_rules(image: Path) -> None:
    """Erase a table's ruled lines from a page image. Tesseract reads a vertical rule close to a
    label as a character of it ("(Sarana", "|Dasar") and a row whose cells sit at different heights
    badly; without the rules the words stand alone."""
    from PIL import Image, ImageChops, ImageFilter, ImageOps

    with Image.open(image) as page:
        grey = page.convert("L")
    dark = grey.point(lambda v: 0 if v < 160 else 255)
    # a rule on a page scanned askew drifts a pixel every few dozen: widened by a pixel either
    # side across its run, it still runs unbroken
    tall = ImageChops.darker(dark, ImageChops.darker(_shifted(dark, 0, 1), _shifted(dark, 0, -1)))
    wide = ImageChops.darker(dark, ImageChops.darker(_shifted(dark, 1, 0), _shifted(dark, -1, 0)))
    rules = ImageChops.darker(_rules(wide, RULE_DOWN, True), _rules(tall, RULE_ACROSS, False))
    rules = rules.filter(ImageFilter.MinFilter(5))  # the rules' grey edges too
    ImageChops.lighter(grey, ImageOps.invert(rules)).save(image)


def _read_page(path: Path, number: int, tesseract: str, pdftoppm: str, scratch: Path) -> Page:
    """Page `number` (from 0) of the PDF rasterised at DPI in grey and read by tesseract."""
    stem = scratch / f"halaman-{number + 1}"
    done = _run([pdftoppm, "-r", str(DPI), "-gray", "-png", "-singlefile", "-f", str(number + 1),
                 "-l", str(number + 1), str(path), str(stem)], "pdftoppm")
    image = stem.with_suffix(".png")
    if done.returncode != 0 or not image.exists():
        raise UserError(f"{display_path(path)}: halaman {number + 1} tidak dapat diubah menjadi gambar untuk OCR "
                        f"(pdftoppm: {done.stderr.decode('utf-8', 'replace').strip()[:200]})")
    original = image.with_name(f"{image.stem}-asli.png")
    shutil.copyfile(image, original)  # doubtful row numbers are read again from the page as it was
    remove_rules(image)
    done = _run([tesseract, str(image), "-", "-l", LANGUAGE, "--psm", PSM, "hocr"], "tesseract")
    if done.returncode != 0:
        raise UserError(f"{display_path(path)}: halaman {number + 1} tidak terbaca oleh tesseract "
                        f"({done.stderr.decode('utf-8', 'replace').strip()[:200]})")
    try:
        width, height, lines = _hocr_lines(done.stdout.decode("utf-8", "replace"))
    except ET.ParseError:
        raise UserError(f"{display_path(path)}: keluaran tesseract untuk halaman {number + 1} tidak terbaca") from None
    _reread_numbers(original, _doubtful_numbers(lines), tesseract)
    image.unlink()
    original.unlink()
    lines = _without_noise(lines)
    _list_numbers(lines)
    return _page(height, lines, DPI, width)


def workers() -> int:
    """Pages read side by side: one tesseract per core, at most four."""
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


def read_pages(path: Path | str, numbers: list[int], processes: int | None = None) -> dict[int, Page]:
    """Pages `numbers` (from 0) of a PDF read by OCR. Raises UserError when tesseract, its
    Indonesian data or pdftoppm is missing, or a page cannot be read."""
    path = Path(path)
    stat = path.stat()
    return dict(zip(numbers, _read_cached(path.resolve(), stat.st_mtime_ns, stat.st_size, tuple(numbers),
                                          processes or workers())))


@functools.lru_cache(maxsize=4)
def _read_cached(path: Path, _mtime: int, _size: int, numbers: tuple[int, ...], processes: int) -> list[Page]:
    """One reading per file version: the single-SP import reads the file twice (the SP, then the
    count of SPs the book holds), and OCR is slow."""
    if not numbers:
        return []
    tesseract, pdftoppm = check_available()
    with (tempfile.TemporaryDirectory(prefix="sp-builder-ocr-") as tmp,
          ThreadPoolExecutor(min(processes, len(numbers))) as pool):
        return list(pool.map(lambda n: _read_page(path, n, tesseract, pdftoppm, Path(tmp)), numbers))
