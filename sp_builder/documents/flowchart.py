"""The bagan alir (flowchart) of a service, drawn from its procedure steps (PermenPANRB 35/2012).

Steps (`prosedur` items, read by `read_steps`):

- a plain string: an activity without a stated actor, e.g. ``Pemohon mengambil nomor antrean``;
  hand numbering typed by the unit ("1. ", "2) ", "a. ", "(3) ", "- ", "1.2 ") is removed;
- a mapping, an activity with the SOP AP's mutu baku::

      {uraian: Petugas memverifikasi berkas, pelaksana: Petugas loket, waktu: 10 menit,
       output: Berkas terverifikasi, kelengkapan: [KTP-el, Kartu Keluarga], keterangan: ...}

  only `uraian` is required; `kelengkapan` is a text or a list of texts;
- a decision: a mapping with `jika_tidak`, the 1-based number of the step the "Tidak" branch
  goes to (or ``selesai`` for the end); "Ya" always goes to the next step (or to the end when
  the decision is the last step)::

      {uraian: Berkas lengkap?, pelaksana: Petugas loket, jika_tidak: 2}

  This keeps the common form of published SOPs (a check whose "no" sends the applicant back)
  one key away from a plain activity, and the numbers are the ones printed in the SP.
- a nested list right after a step: its sub-steps (kept in `Step.rincian`, not drawn);
- the whole `prosedur` given as one numbered text block: split at its numbers.

`draw(steps)` makes a swimlane flowchart: one lane per `pelaksana` in order of first appearance,
rows in step order (like the SOP AP table), the start capsule "Mulai" above the first step and
"Selesai" below the last. When no step names a pelaksana the chart is a single column without
lane headers; when only some do, the others go to a lane named "Pelaksana". Actors are never
guessed in a drawing: `suggest_actor` is a separate, explicit suggestion.

Layout is computed here (a grid: lane x step) and Graphviz renders it with ``neato -n2`` (node
positions and edge routes as given), so the same steps always give the same picture: no
layout heuristics, right-angled connectors like a hand-drawn SOP, and byte-identical PNG and SVG
(the version comment is removed from the SVG; the PNG has a fixed resolution of `DPI`).
"""

from __future__ import annotations

import re
import struct
import textwrap
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import graphviz

from sp_builder import tables
from sp_builder.errors import UserError

__all__ = [
    "DEFAULT_LANE",
    "SELESAI",
    "SYMBOLS",
    "Step",
    "draw",
    "draw_symbol",
    "lane_count",
    "read_steps",
    "strip_numbering",
    "suggest_actor",
    "wrap",
]

SELESAI = (
    0  # `Step.jika_tidak` value meaning: the "Tidak" branch goes to the end ("Selesai")
)
DEFAULT_LANE = "Pelaksana"  # lane of steps without pelaksana when other steps have one
WRAP = 28  # characters per line in an activity box
WRAP_DECISION = 16  # characters per line inside a diamond
DPI = 150  # PNG resolution, fixed so the bytes are stable
FONT = "Liberation Sans"
FONT_SIZE = 9.0  # points, at print size

# The five SOP AP symbols (PermenPANRB 35/2012): kind → how it is drawn. The capsule has no
# Graphviz shape (style=rounded caps the corner radius at a third of the height), so it is a
# label with its outline drawn as an edge path: two straight sides and two half circles.
SYMBOLS = {
    "kapsul": "capsule outline (Mulai/Selesai)",
    "kegiatan": "box",
    "keputusan": "diamond",
    "penghubung": "invhouse",  # off-page connector: a pentagon pointing down, labelled "A", "B", ...
    "panah": "edge with a normal arrowhead",
}

_ALLOWED_KEYS = frozenset(
    {
        "uraian",
        "pelaksana",
        "waktu",
        "output",
        "kelengkapan",
        "keterangan",
        "jika_tidak",
    }
)


@dataclass(frozen=True)
class Step:
    """One procedure step. `jika_tidak` is set only for a decision: the number of the step its
    "Tidak" branch goes to, or `SELESAI` (0) for the end."""

    nomor: int
    uraian: str
    pelaksana: str | None = None
    waktu: str | None = None
    output: str | None = None
    kelengkapan: tuple[str, ...] = ()
    jika_tidak: int | None = None
    keterangan: str | None = None
    rincian: tuple[str, ...] = field(default=(), compare=False)

    @property
    def is_decision(self) -> bool:
        return self.jika_tidak is not None


# --------------------------------------------------------------------------- reading

_NUMBERING = re.compile(
    r"""^\s*(?:
        [-\u2022\u2023\u25aa\u25cf*\u2013]\s*          # bullets - • ▪ ● * –
      | \(?\d{1,3}(?:\.\d{1,3})+\.?\)?\s*              # 1.2  1.2.  10.1.1
      | \(?\d{1,3}[.)]\s*                              # 1.  1)  (1)
      | \(?[a-zA-Z][.)]\s+                             # a.  b)  (c)
      | \(?(?:i{1,3}|iv|vi{0,3}|ix|x)[.)]\s+           # i.  iv)
    )+""",
    re.VERBOSE,
)


def strip_numbering(text: str) -> str:
    """`"1. Pemohon ..."` → `"Pemohon ..."`; also doubled numbers ("2. 2. ..."), "a.", "(3)", bullets."""
    return _NUMBERING.sub("", text, count=1).strip()


def _text(value: Any, where: str) -> str:
    if isinstance(value, (bool, dict, list, tuple)):
        raise UserError(f"{where}: harus berupa teks, bukan {_kind(value)}.")
    return " ".join(str(value).split())


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "pemetaan (mapping)"
    if isinstance(value, (list, tuple)):
        return "daftar"
    if isinstance(value, bool):
        return "ya/tidak (boolean)"
    return type(value).__name__


def _split_block(text: str) -> list[str]:
    """One numbered text block → its items; lines without a number continue the previous item."""
    items: list[str] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        if _NUMBERING.match(line) or not items:
            items.append(line)
        else:
            items[-1] += " " + line.strip()
    return items


def read_steps(value: Any) -> list[Step]:
    """Read a `prosedur` value (see the module docstring) into numbered steps.

    Raises `UserError` (in Indonesian) for shapes that cannot be drawn: an empty list, a mapping
    without `uraian`, an unknown key, a `jika_tidak` that names no step or the next step."""
    if value is None:
        raise UserError("Prosedur kosong: tulis langkah-langkahnya sebagai daftar.")
    if isinstance(value, str):
        value = _split_block(value)
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, (list, tuple)):
        raise UserError(f"Prosedur harus berupa daftar langkah, bukan {_kind(value)}.")

    raw: list[tuple[dict, list[str]]] = []
    for index, item in enumerate(value, start=1):
        if isinstance(item, (list, tuple)):  # sub-steps of the previous step
            if not raw:
                raise UserError(
                    "Prosedur: daftar rincian langkah tidak boleh berada sebelum langkah pertama."
                )
            raw[-1][1].extend(
                strip_numbering(_text(x, f"Rincian langkah {len(raw)}"))
                for x in item
                if x is not None
            )
            continue
        if item is None:
            continue
        if isinstance(item, dict):
            unknown = sorted(str(k) for k in item if k not in _ALLOWED_KEYS)
            if unknown:
                raise UserError(
                    f"Langkah {len(raw) + 1}: kunci {', '.join(unknown)} tidak dikenal; "
                    f"yang dapat dipakai: {', '.join(sorted(_ALLOWED_KEYS))}."
                )
            raw.append((dict(item), []))
        else:
            raw.append(({"uraian": item}, []))
    if not raw:
        raise UserError("Prosedur kosong: tulis langkah-langkahnya sebagai daftar.")

    total = len(raw)
    steps: list[Step] = []
    for nomor, (item, rincian) in enumerate(raw, start=1):
        where = f"Langkah {nomor}"
        uraian = strip_numbering(_text(item.get("uraian") or "", f"{where}: uraian"))
        if not uraian:
            raise UserError(
                f'{where}: uraian kosong; tulis kegiatannya, mis. "Petugas memverifikasi berkas".'
            )
        kel = item.get("kelengkapan")
        if kel is None or kel == "":
            kelengkapan: tuple[str, ...] = ()
        elif isinstance(kel, (list, tuple)):
            kelengkapan = tuple(
                strip_numbering(_text(k, f"{where}: kelengkapan"))
                for k in kel
                if k not in (None, "")
            )
        else:
            kelengkapan = (strip_numbering(_text(kel, f"{where}: kelengkapan")),)
        steps.append(
            Step(
                nomor=nomor,
                uraian=uraian,
                pelaksana=_optional(item.get("pelaksana"), f"{where}: pelaksana"),
                waktu=_optional(item.get("waktu"), f"{where}: waktu"),
                output=_optional(item.get("output"), f"{where}: output"),
                kelengkapan=kelengkapan,
                jika_tidak=_target(item, nomor, total)
                if "jika_tidak" in item
                else None,
                keterangan=_optional(item.get("keterangan"), f"{where}: keterangan"),
                rincian=tuple(r for r in rincian if r),
            )
        )
    return steps


def _optional(value: Any, where: str) -> str | None:
    if value is None:
        return None
    text = _text(value, where)
    return text or None


def _target(item: dict, nomor: int, total: int) -> int:
    value = item["jika_tidak"]
    where = f"Langkah {nomor}: jika_tidak"
    if isinstance(value, str):
        word = value.strip().lower()
        if word in ("selesai", "akhir"):
            return SELESAI
        word = re.sub(r"^langkah\s*", "", word)
        if word.isdigit():
            value = int(word)
    if isinstance(value, bool) or not isinstance(value, int):
        raise UserError(
            f'{where}: tulis nomor langkah tujuan cabang "Tidak" (1–{total}) atau "selesai".'
        )
    if not 1 <= value <= total:
        raise UserError(
            f"{where}: langkah {value} tidak ada; prosedur ini memiliki {total} langkah."
        )
    if value == nomor:
        raise UserError(
            f'{where}: cabang "Tidak" tidak boleh kembali ke keputusan itu sendiri.'
        )
    if value == nomor + 1:
        raise UserError(
            f'{where}: langkah {value} adalah tujuan cabang "Ya" (langkah berikutnya); '
            'cabang "Tidak" harus menuju langkah lain.'
        )
    return value


# --------------------------------------------------------------------------- actor suggestion

_VERB_ME = re.compile(r"^me(?:m|n|ng|ny|l|r|w|y)[a-z\-]{2,}$")
_VERB_DI_BER = re.compile(r"^(?:di|ber)[a-z\-]{3,}$")
_TOKEN = re.compile(r"\S+")
_PUNCT_STOP = ",;:()\u2013\u2014"


def _actor_table() -> tuple[list[str], frozenset[str], frozenset[str]]:
    data = tables.load_data("pelaku.yaml")
    heads = sorted(
        {" ".join(str(h).split()) for h in data["kepala"]},
        key=lambda h: (-len(h), h.lower()),
    )
    stops = frozenset(str(w).lower() for w in data.get("penutup", ()))
    nouns = frozenset(str(w).lower() for w in data.get("bukan_kata_kerja", ()))
    return heads, stops, nouns


_TABLE: tuple | None = None


def _table():
    global _TABLE
    if _TABLE is None:
        heads, stops, nouns = _actor_table()
        pattern = re.compile(
            r"(?:"
            + "|".join(re.escape(h).replace(r"\ ", r"\s+") for h in heads)
            + r")(?![A-Za-z])",
            re.IGNORECASE,
        )
        _TABLE = (pattern, stops, nouns)
    return _TABLE


def _is_predicate(word: str, nouns: frozenset[str]) -> bool:
    w = word.lower().strip(".,;:!?\"'")
    if w in nouns:
        return False
    return bool(_VERB_ME.match(w) or _VERB_DI_BER.match(w))


def _phrase(
    text: str, start: int, stops: frozenset[str], nouns: frozenset[str], head_end: int
) -> str | None:
    """The actor phrase beginning at `start` (a head ending at `head_end`): the head and the
    words after it up to the predicate; None when no predicate follows within eight words."""
    out = text[start:head_end]
    if any(ch in out for ch in _PUNCT_STOP):
        return None
    rest = text[head_end:]
    # the head's own token may continue ("Orang tua/wali", "Kasubag.")
    m = re.match(r"[^\s,;:()]*", rest)
    out += m.group(0)
    rest = rest[m.end() :]
    for words, tok in enumerate(_TOKEN.finditer(rest)):
        word = tok.group(0)
        cut = next((i for i, ch in enumerate(word) if ch in _PUNCT_STOP), None)
        bare = word if cut is None else word[:cut]
        if not bare:  # "Petugas, ...": the phrase ends at the pause
            return out
        if bare.lower().strip(".") in stops or _is_predicate(bare, nouns):
            return out
        if words >= 8:
            return None
        out += " " + bare
        if cut is not None:
            return out
    return None


def suggest_actor(uraian: str) -> str | None:
    """The actor a step's text names as its subject, or None when it does not read like one.

    "Petugas loket memverifikasi berkas" → "Petugas loket"; "Kepala Seksi menandatangani" →
    "Kepala Seksi"; "Ditandatangani oleh Camat" → "Camat"; "Verifikasi berkas" → None.
    A step whose subject is followed by a passive verb ("Pasien diberikan kertas ...") gives
    None: the subject is not the one acting. The head words are in `schemas/pelaku.yaml`."""
    if not isinstance(uraian, str):
        return None
    text = " ".join(strip_numbering(uraian).split())
    if not text:
        return None
    pattern, stops, nouns = _table()
    found = None
    m = pattern.match(text)
    if m:
        after = text[m.end() :].split(maxsplit=1)
        first = after[0].lower() if after else ""
        if first.startswith("di") and _is_predicate(first, nouns):
            return None  # passive: "Pasien diberikan ...", "Berkas ... diserahkan"
        found = _phrase(text, m.start(), stops, nouns, m.end())
    else:
        for agent in re.finditer(r"\boleh\s+", text, re.IGNORECASE):
            h = pattern.match(text, agent.end())
            if h:
                found = _phrase(text, h.start(), stops, nouns, h.end()) or _head_only(
                    text, h
                )
                break
    if not found:
        return None
    found = found.strip().rstrip(".")
    return found[:1].upper() + found[1:]


def _head_only(text: str, m: re.Match) -> str | None:
    """After "oleh", a phrase may end the sentence ("... oleh Kepala Dinas")."""
    tail = re.match(r"[^,;:()]*", text[m.start() :]).group(0).strip().rstrip(".")
    return tail if 0 < len(tail.split()) <= 6 else None


# --------------------------------------------------------------------------- text metrics

# Advance widths (1/1000 em) of Liberation Sans (metric-compatible with Arial/Helvetica), ASCII 32–126.
_WIDTHS = (
    "278 278 355 556 556 889 667 191 333 333 389 584 278 333 278 278 556 556 556 556 556 556 556 556 556 556 "
    "278 278 584 584 584 556 1015 667 667 722 722 667 611 778 722 278 500 667 556 833 722 778 667 778 722 667 "
    "611 722 667 944 667 667 611 278 278 278 469 556 333 556 556 500 556 556 278 556 556 222 222 500 222 833 "
    "556 556 556 556 333 500 278 556 500 722 500 500 500 334 260 334 584"
)
_ADVANCE = {chr(32 + i): int(w) for i, w in enumerate(_WIDTHS.split())}


def text_width(text: str, size: float = FONT_SIZE, bold: bool = False) -> float:
    """Width in points of `text` set in Liberation Sans (bold is ~5 % wider)."""
    em = sum(_ADVANCE.get(ch, 556) for ch in text) / 1000.0
    return em * size * (1.05 if bold else 1.0)


def wrap_width(text: str, points: float, size: float = FONT_SIZE) -> list[str]:
    """Lines no wider than `points` (a word longer than that stands alone on its line)."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(lines[-1] + " " + word, size) <= points:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def wrap(text: str, width: int = WRAP) -> list[str]:
    """Lines of at most `width` characters, broken at spaces (a longer word is split)."""
    return textwrap.wrap(
        " ".join(text.split()),
        width=width,
        break_long_words=True,
        break_on_hyphens=False,
    ) or [""]


# --------------------------------------------------------------------------- drawing

LINE_H = FONT_SIZE * 1.25  # baseline to baseline
PAD_X, PAD_Y = 7.0, 6.0  # inside an activity box
GAP = 22.0  # vertical space between rows (connectors run here)
MARGIN = 16.0  # lane space beside the boxes, where "Tidak" connectors run
DIAMOND_INSET = (
    12.0  # a diamond is this much narrower than a box on each side (room for "Tidak")
)
ARROW = 7.0  # arrowhead length (arrowsize 0.7)
CAPSULE_H = 24.0
CAPSULE_W = 74.0
INK = "#1a1a1a"
LANE_LINE = "#7f7f7f"
HEADER_FILL = "#d9d9d9"


@dataclass
class _Node:
    name: str
    kind: str  # kapsul | kegiatan | keputusan
    lines: list[str]
    lane: int
    w: float
    h: float
    x: float = 0.0  # center, top-down coordinates
    y: float = 0.0


def _lane_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _lanes(steps: list[Step]) -> tuple[list[str], list[int]]:
    """Lane names in order of first appearance and each step's lane index."""
    if not any(s.pelaksana for s in steps):
        return [], [0] * len(steps)
    names: list[str] = []
    keys: dict[str, int] = {}
    index = []
    for s in steps:
        name = s.pelaksana or DEFAULT_LANE
        key = _lane_key(name)
        if key not in keys:
            keys[key] = len(names)
            names.append(name)
        index.append(keys[key])
    return names, index


def _esc(text: str) -> str:
    """Graphviz escString: keep backslashes literal; lines are joined with centered breaks."""
    return text.replace("\\", "\\\\")


def _label(lines: Iterable[str]) -> str:
    return graphviz.nohtml("\\n".join(_esc(line) for line in lines))


def _html_bold(lines: list[str]) -> str:
    def h(s: str) -> str:
        return (
            s.replace("&", "&amp;")
            .replace("<", "&lt;")
            .replace(">", "&gt;")
            .replace('"', "&quot;")
        )

    return "<" + "<BR/>".join(f"<B>{h(line)}</B>" for line in lines) + ">"


def _fmt(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".")


PAD_IN = 0.1  # the drawing's margin (Graphviz `pad`), inches each side


def _layout(steps: list[Step], wrap_chars: int = WRAP, fill_pt: float = 0.0):
    """Lanes, rows and positions of the chart; with `fill_pt` the lanes widen (boxes keep their size
    and text, centred) so the whole drawing is that wide: it prints at the column's full width
    without being enlarged."""
    lanes, lane_of = _lanes(steps)
    nodes: list[_Node] = []
    for s, lane in zip(steps, lane_of):
        kind = "keputusan" if s.is_decision else "kegiatan"
        nodes.append(
            _Node(f"step{s.nomor}", kind, wrap(f"{s.nomor}. {s.uraian}", wrap_chars), lane, 0, 0)
        )

    box_w = max(
        [
            text_width(x) + 2 * PAD_X
            for n in nodes
            if n.kind == "kegiatan"
            for x in n.lines
        ]
        + [130.0 * min(1.0, wrap_chars / WRAP)]  # narrower boxes when asked for a narrower wrap
    )
    for n in nodes:
        if n.kind == "kegiatan":
            n.w, n.h = box_w, len(n.lines) * LINE_H + 2 * PAD_Y
        else:
            # text block w_t x h_t fits a diamond W x H when w_t/W + h_t/H <= 1
            n.w = box_w - 2 * DIAMOND_INSET
            n.lines = wrap_width(" ".join(n.lines), 0.55 * n.w)
            w_t = max(text_width(x) for x in n.lines) + 4
            h_t = len(n.lines) * LINE_H + 4
            n.h = max(44.0, h_t / max(1 - w_t / n.w, 0.25))
    room = (fill_pt - 2 * PAD_IN * 72) / max(1, len(lanes))  # each lane's share of the width asked for
    if not lanes and room > box_w + 2 * MARGIN:  # one column: the activity boxes span it (diamonds keep their shape)
        box_w = room - 2 * MARGIN
        for n in nodes:
            if n.kind == "kegiatan":
                n.w = box_w
    lane_w = max(box_w + 2 * MARGIN, room)
    start = _Node("start", "kapsul", ["Mulai"], nodes[0].lane, CAPSULE_W, CAPSULE_H)
    end = _Node("end", "kapsul", ["Selesai"], nodes[-1].lane, CAPSULE_W, CAPSULE_H)
    rows = [start] + nodes + [end]

    header_lines = [wrap_width(name, (lane_w - 12) / 1.05) for name in lanes]
    header_h = (max(len(x) for x in header_lines) * LINE_H + 10) if lanes else 0.0
    y = header_h + (GAP * 0.6 if lanes else 0.0)
    for n in rows:
        n.x = n.lane * lane_w + lane_w / 2
        n.y = y + n.h / 2
        y += n.h + GAP
    height = y - GAP + (GAP * 0.6 if lanes else 0.0)
    width = max(1, len(lanes)) * lane_w
    return lanes, header_lines, header_h, lane_w, rows, width, height


def _pos(points: list[tuple[float, float]], height: float, arrow: bool) -> str:
    """Graphviz edge `pos` for a polyline (top-down coordinates), with the arrowhead at its end."""
    pts = [(x, height - y) for x, y in points]
    end = pts[-1]
    if arrow:  # the spline stops ARROW short of the tip; `e,` places the tip
        (x0, y0), (x1, y1) = pts[-2], pts[-1]
        length = max(((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5, 1e-6)
        pts[-1] = (x1 - (x1 - x0) / length * ARROW, y1 - (y1 - y0) / length * ARROW)
    ctrl = [pts[0]]
    for a, b in pairwise(pts):
        ctrl += [a, b, b]
    body = " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in ctrl)
    return (f"e,{_fmt(end[0])},{_fmt(end[1])} " if arrow else "") + body


def _capsule_outline(n: _Node, height: float) -> str:
    """A closed path: top side, right half circle, bottom side, left half circle."""
    r = n.h / 2
    k = 0.5523 * r  # cubic Bezier quarter circle
    x0, x1 = n.x - n.w / 2 + r, n.x + n.w / 2 - r
    top, mid, bot = n.y - r, n.y, n.y + r
    p = [
        (x0, top),
        (x0, top),
        (x1, top),
        (x1, top),
        (x1 + k, top),
        (x1 + r, mid - k),
        (x1 + r, mid),
        (x1 + r, mid + k),
        (x1 + k, bot),
        (x1, bot),
        (x1, bot),
        (x0, bot),
        (x0, bot),
        (x0 - k, bot),
        (x0 - r, mid + k),
        (x0 - r, mid),
        (x0 - r, mid - k),
        (x0 - k, top),
        (x0, top),
    ]
    return " ".join(f"{_fmt(x)},{_fmt(height - y)}" for x, y in p)


def _ink_nodes(g: graphviz.Digraph, **extra: str) -> None:
    """The node style every drawing shares (the flowchart and a single SOP symbol): font, size,
    fixed geometry from our own layout, ink colour."""
    g.attr("node", fontname=FONT, fontsize=_fmt(FONT_SIZE), fixedsize="true", color=INK, fontcolor=INK, **extra)


def _graph(steps: list[Step], fmt: str = "png", wrap_chars: int = WRAP, fill_pt: float = 0.0) -> graphviz.Digraph:
    lanes, header_lines, header_h, lane_w, rows, _width, height = _layout(steps, wrap_chars, fill_pt)
    g = graphviz.Digraph("bagan_alir")
    g.attr(
        "graph",
        dpi=str(DPI if fmt == "png" else 72),
        outputorder="nodesfirst",
        pad=_fmt(PAD_IN),
        bgcolor="white",
        splines="true",
        fontname=FONT,
    )
    _ink_nodes(g, penwidth="1")
    g.attr(
        "edge",
        fontname=FONT,
        fontsize=_fmt(FONT_SIZE),
        color=INK,
        fontcolor=INK,
        arrowsize="0.7",
        penwidth="1",
    )

    def at(x: float, y: float) -> str:
        return f"{_fmt(x)},{_fmt(height - y)}!"

    if fill_pt and not lanes:  # the drawing spans the width asked for even where no band is drawn
        g.node("bingkai", label="", shape="box", style="invis", width=_fmt(_width / 72), height="0.01",
               pos=at(_width / 2, height / 2))

    for i, name in enumerate(
        lanes
    ):  # lane columns, then their headers (drawn underneath)
        x = i * lane_w + lane_w / 2
        g.node(
            f"band{i + 1}",
            label="",
            shape="box",
            width=_fmt(lane_w / 72),
            height=_fmt(height / 72),
            pos=at(x, height / 2),
            color=LANE_LINE,
            style="filled",
            fillcolor="white",
            id=f"band{i + 1}",
            **{"class": "lajur-latar"},
        )
    for i, name in enumerate(lanes):
        x = i * lane_w + lane_w / 2
        g.node(
            f"lane{i + 1}",
            label=_html_bold(header_lines[i]),
            shape="box",
            width=_fmt(lane_w / 72),
            height=_fmt(header_h / 72),
            pos=at(x, header_h / 2),
            color=LANE_LINE,
            style="filled",
            fillcolor=HEADER_FILL,
            id=f"lane{i + 1}",
            **{"class": "lajur"},
        )

    for n in rows:
        common = {
            "pos": at(n.x, n.y),
            "width": _fmt(n.w / 72),
            "height": _fmt(n.h / 72),
            "id": n.name,
            "label": _label(n.lines),
        }
        if n.kind == "kapsul":
            g.node(n.name, shape="plaintext", **common, **{"class": "kapsul"})
            g.edge(
                n.name,
                n.name,
                dir="none",
                pos=_capsule_outline(n, height),
                id=f"{n.name}_garis",
                **{"class": "kapsul-garis"},
            )
        elif n.kind == "keputusan":
            g.node(
                n.name,
                shape="diamond",
                style="filled",
                fillcolor="white",
                **common,
                **{"class": "keputusan"},
            )
        else:
            g.node(
                n.name,
                shape="box",
                style="filled",
                fillcolor="white",
                **common,
                **{"class": "kegiatan"},
            )

    by_nomor = {s.nomor: rows[i + 1] for i, s in enumerate(steps)}
    end = rows[-1]
    for i, n in enumerate(rows[:-1]):
        nxt = rows[i + 1]
        a, b = (n.x, n.y + n.h / 2), (nxt.x, nxt.y - nxt.h / 2)
        pts = (
            [a, b]
            if abs(a[0] - b[0]) < 0.5
            else [a, (a[0], (a[1] + b[1]) / 2), (b[0], (a[1] + b[1]) / 2), b]
        )
        attrs = {"pos": _pos(pts, height, True), "id": f"{n.name}_{nxt.name}"}
        if n.kind == "keputusan":
            attrs.update(
                label="Ya", lp=f"{_fmt(a[0] + 10)},{_fmt(height - (a[1] + 6))}"
            )
        g.edge(
            n.name,
            nxt.name,
            **attrs,
            **{"class": "alur ya" if n.kind == "keputusan" else "alur"},
        )

    # "Tidak" connectors run in the lane margin of their target, beside the boxes; the shorter
    # ones take the channel nearest the boxes and enter their target nearest its middle, so
    # nested loops do not cross each other
    branches = []
    for s in steps:
        if s.is_decision:
            d = by_nomor[s.nomor]
            t = end if s.jika_tidak == SELESAI else by_nomor[s.jika_tidak]
            branches.append((abs(rows.index(d) - rows.index(t)), s.nomor, d, t))
    channels: dict[tuple[int, int], int] = {}
    entries: dict[tuple[str, int], int] = {}
    for _span, _nomor, d, t in sorted(branches, key=lambda b: (b[0], b[1])):
        sign = (
            1 if t.lane >= d.lane else -1
        )  # leave the diamond towards the target's lane
        k = channels.get((t.lane, sign), 0)
        channels[(t.lane, sign)] = k + 1
        j = entries.get((t.name, sign), 0)
        entries[(t.name, sign)] = j + 1
        lane_edge = t.lane * lane_w + (lane_w if sign > 0 else 0)
        channel = lane_edge - sign * MARGIN * (0.5, 0.28, 0.12)[k % 3]
        up = t.y < d.y
        entry_y = t.y + (-1 if up else 1) * min(5.0 * j, t.h / 2 - 3)
        vertex = (d.x + sign * d.w / 2, d.y)
        pts = [
            vertex,
            (channel, d.y),
            (channel, entry_y),
            (t.x + sign * t.w / 2, entry_y),
        ]
        # the label sits on the side of the horizontal the connector does not turn to
        lp = (vertex[0] + sign * (text_width("Tidak") / 2 + 3), d.y + (9 if up else -5))
        g.edge(
            d.name,
            t.name,
            label="Tidak",
            lp=f"{_fmt(lp[0])},{_fmt(height - lp[1])}",
            pos=_pos(pts, height, True),
            id=f"{d.name}_{t.name}_tidak",
            **{"class": "alur tidak"},
        )
    return g


def _render(g: graphviz.Digraph, fmt: str) -> bytes:
    if fmt not in ("png", "svg"):
        raise UserError(f'Format bagan alir "{fmt}" tidak dikenal; pilih png atau svg.')
    try:
        out = g.pipe(format=fmt, engine="neato", neato_no_op=2, quiet=True)
    except graphviz.ExecutableNotFound:
        raise UserError(
            "Graphviz tidak ditemukan (program neato/dot), padahal diperlukan untuk menggambar bagan alir. "
            "Pasang graphviz, mis. `sudo apt-get install graphviz` (Debian/Ubuntu), lalu ulangi."
        ) from None
    except graphviz.CalledProcessError as exc:
        detail = (exc.stderr or b"").decode("utf-8", "replace").strip().splitlines()
        why = f": {detail[-1].strip()}" if detail else ""
        raise UserError(
            f"Graphviz gagal menggambar bagan alir (kode keluar {exc.returncode}){why}. "
            "Periksa pemasangan graphviz (`dot -V`) atau laporkan langkah-langkah prosedur ini."
        ) from None
    except OSError as exc:
        raise UserError(
            f"Graphviz tidak dapat dijalankan untuk menggambar bagan alir: {exc.strerror or exc}."
        ) from None
    if fmt == "svg":
        out = re.sub(
            rb"<!-- Generated by graphviz version .*?-->\n?", b"", out, flags=re.DOTALL
        )
    else:
        out = _with_resolution(out, DPI)
    return out


def _with_resolution(png: bytes, dpi: int) -> bytes:
    """Add a pHYs chunk (Graphviz's cairo PNG has none), so Word and LibreOffice place the
    picture at its print size instead of assuming 72 or 96 dpi."""
    if png[:8] != b"\x89PNG\r\n\x1a\n" or b"pHYs" in png[:64]:
        return png
    ihdr_end = 8 + 12 + struct.unpack(">I", png[8:12])[0]
    ppm = round(dpi / 0.0254)
    body = b"pHYs" + struct.pack(">IIB", ppm, ppm, 1)
    chunk = (
        struct.pack(">I", 9) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
    )
    marked = _chunk(b"tEXt", b"Software\x00" + DRAWN_MARK)
    return png[:ihdr_end] + chunk + marked + png[ihdr_end:]


# Written into every drawn PNG (a tEXt chunk), so `import` of an SP can tell the chart sp-builder
# drew from the procedure from a picture of the unit's own, which it cannot bring back.
DRAWN_MARK = b"sp-builder bagan alir"


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def dot_source(steps: Any) -> str:
    """The Graphviz source of the flowchart (for debugging and for other renderers)."""
    return _graph(_steps(steps), "svg").source


def _steps(steps: Any) -> list[Step]:
    if (
        isinstance(steps, (list, tuple))
        and steps
        and all(isinstance(s, Step) for s in steps)
    ):
        return list(steps)
    return read_steps(steps)


def draw(steps: Any, fmt: str = "png", wrap_chars: int = WRAP, fill_mm: float = 0.0) -> bytes:
    """The bagan alir of `steps` (a list of `Step`, or a raw `prosedur` value) as PNG or SVG bytes;
    `wrap_chars` characters a line in an activity box (wider boxes make a shorter chart); `fill_mm`
    the width the lanes share when it is more than the boxes need (the SP's Uraian column)."""
    return _render(_graph(_steps(steps), fmt, wrap_chars, fill_mm / 25.4 * 72), fmt)


def lane_count(steps: Any) -> int:
    """How many lanes the chart of `steps` has (0 when no step names its pelaksana)."""
    return len(_lanes(_steps(steps))[0])


def draw_symbol(kind: str, label: str = "", fmt: str = "png", *, compact: bool = False) -> bytes:
    """One SOP AP symbol alone, for the cells of an SOP table: "kapsul" (Mulai/Selesai),
    "kegiatan" (rectangle), "keputusan" (diamond) or "penghubung" (off-page connector, the
    pentagon, usually labelled with a letter: "A"). `compact`: a capsule only as wide as its
    label needs (for narrow table columns, where a wider one would be shrunk with its text)."""
    if kind not in ("kapsul", "kegiatan", "keputusan", "penghubung"):
        raise UserError(
            f'Simbol "{kind}" tidak dikenal; pilih kapsul, kegiatan, keputusan, atau penghubung.'
        )
    lines = (
        wrap(label, WRAP_DECISION if kind == "keputusan" else WRAP) if label else [""]
    )
    tw = max(text_width(x) for x in lines)
    g = graphviz.Digraph("simbol")
    g.attr("graph", dpi=str(DPI if fmt == "png" else 72), pad="0.05", bgcolor="white")
    _ink_nodes(g)
    if kind == "kapsul":
        n = _Node(
            "s", "kapsul", lines, 0, max(0.0 if compact else CAPSULE_W, tw + CAPSULE_H), CAPSULE_H, 0, 0
        )
        n.x, n.y = n.w / 2, n.h / 2
        g.node(
            "s",
            label=_label(lines),
            shape="plaintext",
            width=_fmt(n.w / 72),
            height=_fmt(n.h / 72),
            pos=f"{_fmt(n.x)},{_fmt(n.y)}!",
            **{"class": "kapsul"},
        )
        g.edge(
            "s",
            "s",
            dir="none",
            pos=_capsule_outline(n, n.h),
            **{"class": "kapsul-garis"},
        )
    elif kind == "penghubung":
        side = max(28.0, tw + 12)
        g.node(
            "s",
            label=_label(lines),
            shape="invhouse",
            width=_fmt(side / 72),
            height=_fmt(side / 72),
            pos=f"{_fmt(side / 2)},{_fmt(side / 2)}!",
            **{"class": "penghubung"},
        )
    elif kind == "keputusan":
        w, h = max(96.0, 2 * tw + 12), max(48.0, 2 * len(lines) * LINE_H + 14)
        g.node(
            "s",
            label=_label(lines),
            shape="diamond",
            width=_fmt(w / 72),
            height=_fmt(h / 72),
            pos=f"{_fmt(w / 2)},{_fmt(h / 2)}!",
            **{"class": "keputusan"},
        )
    else:
        w, h = max(60.0, tw + 2 * PAD_X), len(lines) * LINE_H + 2 * PAD_Y
        g.node(
            "s",
            label=_label(lines),
            shape="box",
            width=_fmt(w / 72),
            height=_fmt(h / 72),
            pos=f"{_fmt(w / 2)},{_fmt(h / 2)}!",
            **{"class": "kegiatan"},
        )
    return _render(g, fmt)
