"""What changed between two versions of a Standar Pelayanan, per component (`sp-builder diff`).

Used to prepare and record a Forum Konsultasi Publik: the draft before the forum against the draft
after it, or an imported old SP against the new YAML. Both sides are compared as the SP document
shows them (the lines `render sp` writes in the Uraian cells, from `wording.component_lines`), so
`biaya: 0` and `biaya: Gratis` are the same and a changed tarif reads as "Rp50.000,00 (...)".

List items are matched by content, not by position: a reordered list is the same list (each item
that left the common order is reported as moved), and an item is "diubah" (edited) when it is at
least `SIMILAR` alike to an unmatched item on the other side (difflib ratio on normalised text).
Whatever is left is added or removed.

The report is data (`DiffReport`); text, JSON, FKP agreements and the DOCX matrix are views of it.
`diff` exits 0 whether or not there are differences: the report is the product, as with
`check`; bad input exits 1.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any, Collection

from ruamel.yaml import YAML

from sp_builder import clock, fmt_id, tables
from sp_builder.unit import readers, wording

from sp_builder.documents import layout, ooxml
from sp_builder.errors import InputError, Issue, Severity, UserError
from sp_builder.files import display_path
from sp_builder.unit.load import read_yaml
from sp_builder.unit.model import Service
from sp_builder.unit.rules import FileCheck, check_service_file

SIMILAR = 0.6
CANDIDATES = 5  # old items measured against each new one, those sharing most words
KINDS = ("diubah", "ditambah", "dihapus", "dipindah")
NOTHING = "-"  # an absent side in the text and DOCX views

# ---------------------------------------------------------------------------------------------
# The report


@dataclass(frozen=True)
class Change:
    kind: str  # diubah | ditambah | dihapus | dipindah
    semula: str  # "" when added
    menjadi: str  # "" when removed
    old_position: int | None = None  # 1-based item number in the old list
    new_position: int | None = None
    similarity: float | None = None  # for "diubah"

    def as_dict(self) -> dict:
        return {"jenis": self.kind, "semula": self.semula or None, "menjadi": self.menjadi or None,
                "butir_semula": self.old_position, "butir_menjadi": self.new_position,
                "kemiripan": None if self.similarity is None else round(self.similarity, 3)}

    def note(self, numbered: bool = True) -> str:
        """The Keterangan of the matrix: what happened, with item numbers when the value is a list."""
        if not numbered:
            return self.kind
        if self.kind == "dipindah":
            return f"dipindah dari butir {self.old_position} ke butir {self.new_position}"
        if self.kind == "ditambah":
            return f"ditambah (butir {self.new_position})"
        if self.kind == "dihapus":
            return f"dihapus (butir {self.old_position})"
        return f"diubah (butir {self.old_position})" if self.old_position == self.new_position else \
            f"diubah (butir {self.old_position} menjadi butir {self.new_position})"


@dataclass
class ComponentDiff:
    key: str
    changes: list[Change]
    one_value: bool = False  # at most one line on each side (a jangka waktu, a short text): no item numbers

    @property
    def label(self) -> str:
        return tables.label(self.key)


@dataclass
class ServiceDiff:
    slug: str
    nama: str
    status: str  # sama | diubah | ditambah | dihapus
    old_nama: str = ""
    components: list[ComponentDiff] = field(default_factory=list)
    old_slug: str = ""  # the old side's file name, when the two were paired by the service's name

    @property
    def renamed(self) -> bool:
        return bool(self.old_nama) and self.old_nama != self.nama

    @property
    def files(self) -> str:
        """"kartu-keluarga", or "kartu-keluarga → penerbitan-kartu-keluarga-kk" for files paired by name."""
        return f"{self.old_slug} → {self.slug}" if self.old_slug and self.old_slug != self.slug else self.slug


@dataclass
class DiffReport:
    old: str
    new: str
    services: list[ServiceDiff]
    unit: str = ""  # the unit's name when comparing unit folders
    old_label: str = ""  # each side by status and date ("ditetapkan 16 Februari 2026", "rancangan")
    new_label: str = ""
    today: dt.date | None = None  # the date the matrix is drawn up

    @property
    def has_changes(self) -> bool:
        return any(s.status != "sama" for s in self.services)

    def count(self, status: str) -> int:
        return sum(1 for s in self.services if s.status == status)

    @property
    def change_count(self) -> int:
        return sum(len(c.changes) for s in self.services for c in s.components)


# ---------------------------------------------------------------------------------------------
# Matching list items


def _norm(text: str) -> str:
    """Two items are the same when the reading layer compares them equal: typed numbering, "; dan",
    "60 (enam puluh) menit" against "60 menit", spaces around ":" are no change."""
    return readers.comparable(text).casefold().rstrip(".;, ")


def _similarities(a: list[str], b: list[str], rest_old: list[int], rest_new: list[int],
                  floor: float) -> list[tuple[float, int, int]]:
    """(ratio, i, j) of the unmatched pairs with a ratio ≥ floor.

    The character ratio is costly, so each new item is measured only against the CANDIDATES old
    items that share most words with it (an edited item keeps most of its words); one matcher per
    new item keeps its character index, and the quick upper bounds skip hopeless pairs. A list of
    200 items rewritten wholesale is compared in well under a second.
    """
    words = {i: set(a[i].split()) for i in rest_old}
    out = []
    matcher = SequenceMatcher(autojunk=False)
    for j in rest_new:
        mine = set(b[j].split())
        nearest = sorted(rest_old, key=lambda i: (-len(words[i] & mine) / (len(words[i] | mine) or 1), i))
        matcher.set_seq2(b[j])
        for i in nearest[:CANDIDATES]:
            matcher.set_seq1(a[i])
            if matcher.real_quick_ratio() >= floor and matcher.quick_ratio() >= floor:
                ratio = matcher.ratio()
                if ratio >= floor:
                    out.append((ratio, i, j))
    return out


def compare_items(old: list[str], new: list[str]) -> list[Change]:
    """Changes between two lists of texts, items matched by content.

    1. Items equal after normalising (case, spaces, closing punctuation) in the longest common
       order are unchanged; equal items outside that order are "dipindah".
    2. Of the rest, the most similar pairs (ratio ≥ SIMILAR) are "diubah"; a one-line value on
       both sides (a jangka waktu, a text) is "diubah" whatever the similarity.
    3. What is left is "dihapus" (old) or "ditambah" (new).
    """
    a, b = [_norm(t) for t in old], [_norm(t) for t in new]
    used_old: set[int] = set()
    used_new: set[int] = set()
    for block in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks():
        used_old.update(range(block.a, block.a + block.size))
        used_new.update(range(block.b, block.b + block.size))
    changes: list[Change] = []
    waiting: dict[str, list[int]] = {}
    for j, text in enumerate(b):
        if j not in used_new:
            waiting.setdefault(text, []).append(j)
    for i, text in enumerate(a):
        if i not in used_old and waiting.get(text):
            j = waiting[text].pop(0)
            used_old.add(i)
            used_new.add(j)
            changes.append(Change("dipindah", old[i], new[j], i + 1, j + 1))
    rest_old = [i for i in range(len(a)) if i not in used_old]
    rest_new = [j for j in range(len(b)) if j not in used_new]
    single = len(a) == len(b) == 1  # one value on each side: the same slot, however rewritten
    pairs = sorted(_similarities(a, b, rest_old, rest_new, 0.0 if single else SIMILAR),
                   key=lambda p: (-p[0], p[1], p[2]))
    for ratio, i, j in pairs:
        if i in used_old or j in used_new:
            continue
        used_old.add(i)
        used_new.add(j)
        changes.append(Change("diubah", old[i], new[j], i + 1, j + 1, ratio))
    changes += [Change("dihapus", old[i], "", i + 1, None) for i in range(len(a)) if i not in used_old]
    changes += [Change("ditambah", "", new[j], None, j + 1) for j in range(len(b)) if j not in used_new]
    order = {"dihapus": 0, "diubah": 1, "dipindah": 1, "ditambah": 2}  # at one place: removed, then added
    return sorted(changes, key=lambda c: (c.new_position or c.old_position, order[c.kind]))


# ---------------------------------------------------------------------------------------------
# Loading the two sides


@dataclass
class _Side:
    service: Service
    check: FileCheck

    def value(self, key: str) -> Any:
        section = self.service.data.get(tables.component(key).bagian)
        return section.get(key) if isinstance(section, dict) else None

    def texts(self, key: str) -> list[str]:
        """A component as the SP document shows it; a value the validator rejects is compared as
        its plain text instead, so a half-finished draft (or an import) can still be compared."""
        value = self.value(key)
        if value is None:
            return []
        broken = any(f.component == key and f.severity is Severity.ERROR for f in self.check.findings)
        if broken:
            return _plain(value)
        if tables.component(key).jenis == "teks":  # a numbered text block equals the list of its items
            return [text for item in self.service.items(key) for text in (item.uraian, *(c.uraian for c in item.children))]
        return [line["teks"] for line in wording.component_lines(self.service, key)]


def _plain(value: Any) -> list[str]:
    if isinstance(value, list):
        return [", ".join(f"{k}: {v}" for k, v in item.items()) if isinstance(item, dict) else str(item)
                for item in value]
    if isinstance(value, dict):
        return [f"{k}: {v}" for k, v in value.items()]
    return [str(value)]


def _read_service(path: Path, today: dt.date, issues: list[Issue]) -> _Side | None:
    file, problems = read_yaml(path)
    issues += problems
    if file is None:
        return None
    if not any(key in file.data for key in ("penyampaian", "pengelolaan")):
        issues.append(Issue(file.display, 1, 1, 'bukan berkas layanan: tidak ada bagian "penyampaian" maupun '
                                                '"pengelolaan"', rule="diff.bukan_layanan"))
        return None
    root = path.parent.parent if path.parent.name == "layanan" else path.parent
    return _Side(Service(path.stem, path, file.data), check_service_file(file, root, today))


def _service_files(folder: Path) -> list[Path]:
    layanan = folder / "layanan" if (folder / "layanan").is_dir() else folder
    files = sorted(p for p in layanan.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    if not files:
        raise UserError(f"tidak ada berkas layanan (.yaml) di {display_path(layanan)}")
    return files


def _unit_name(folder: Path) -> str:
    file, _ = read_yaml(folder / "unit.yaml") if (folder / "unit.yaml").is_file() else (None, [])
    return str(file.data.get("unit", "") or "") if file else ""


def compare_services(slug: str, old: _Side | None, new: _Side | None) -> ServiceDiff:
    if old is None:
        return ServiceDiff(slug, new.service.nama, "ditambah")
    if new is None:
        return ServiceDiff(slug, old.service.nama, "dihapus")
    components = []
    for comp in tables.components():
        before, after = old.texts(comp.key), new.texts(comp.key)
        changes = compare_items(before, after)
        if changes:
            components.append(ComponentDiff(comp.key, changes, len(before) <= 1 and len(after) <= 1))
    renamed = old.service.nama != new.service.nama
    status = "diubah" if components or renamed else "sama"
    return ServiceDiff(slug, new.service.nama, status, old.service.nama, components, old.service.slug)


def _pair(olds: dict[str, _Side | None], news: dict[str, _Side | None]) -> dict[str, tuple[_Side | None, _Side | None]]:
    """Services paired by file name; the files left over on both sides by the service's name, so a
    folder imported from a book (files named after the printed names) compares with the unit's own."""
    pairs = {slug: (olds.get(slug), news.get(slug)) for slug in sorted(olds.keys() | news.keys())}

    def by_name(sides: dict[str, _Side | None], left: Collection[str]) -> dict[str, str]:
        keys: dict[str, list[str]] = {}
        for slug in left:
            if sides[slug] is not None:
                keys.setdefault(readers.name_key(sides[slug].service.nama), []).append(slug)
        return {key: slugs[0] for key, slugs in keys.items() if len(slugs) == 1}

    old_names, new_names = by_name(olds, olds.keys() - news.keys()), by_name(news, news.keys() - olds.keys())
    for key in sorted(old_names.keys() & new_names.keys()):
        old_slug, new_slug = old_names[key], new_names[key]
        del pairs[old_slug]
        pairs[new_slug] = (olds[old_slug], news[new_slug])
    return dict(sorted(pairs.items()))


def _side_label(sides: list[_Side | None]) -> str:
    """What a side is, for the people at the forum: "ditetapkan 16 Februari 2026", "rancangan", or
    for several services the latest penetapan and the number of drafts. Never a file path."""
    sides = [side for side in sides if side is not None]
    drafts = sum(1 for side in sides if side.service.is_draft)
    dates = [side.service.penetapan_tanggal for side in sides
             if not side.service.is_draft and side.service.penetapan_tanggal]
    parts = []
    if len(sides) - drafts:
        parts.append(f"ditetapkan {fmt_id.tanggal(max(dates))}" if dates else "ditetapkan")
    if drafts:
        parts.append("rancangan" if len(sides) == 1 else f"{drafts} layanan rancangan")
    return ", ".join(parts) or "tidak ada layanan"


def _unit_slug(old: Path, new: Path) -> str:
    """The slug an FKP file must name: that of the file kept in a unit's layanan/ folder (the new
    one first), since a draft compared against it may be a copy with any name."""
    for path in (new, old):
        if path.parent.name == "layanan" and (path.parent.parent / "unit.yaml").is_file():
            return path.stem
    return new.stem


def compare(old: Path | str, new: Path | str, today: dt.date | None = None) -> DiffReport:
    """Two service files, or two unit (or layanan) folders matched by file name (slug)."""
    old, new = Path(old), Path(new)
    today = today or clock.today()
    for path in (old, new):
        if not path.exists():
            raise UserError(f"{display_path(path)} tidak ditemukan")
    if old.is_dir() != new.is_dir():
        raise UserError("bandingkan dua berkas layanan atau dua folder unit, bukan berkas dengan folder")
    issues: list[Issue] = []
    if old.is_file():
        pairs = {_unit_slug(old, new): (_read_service(old, today, issues), _read_service(new, today, issues))}
        unit = ""
    else:
        olds = {p.stem: _read_service(p, today, issues) for p in _service_files(old)}
        news = {p.stem: _read_service(p, today, issues) for p in _service_files(new)}
        pairs = _pair(olds, news)
        unit = _unit_name(new) or _unit_name(old)
    if issues:
        raise InputError(issues)
    services = [compare_services(slug, a, b) for slug, (a, b) in pairs.items()]
    return DiffReport(display_path(old), display_path(new), services, unit,
                      _side_label([a for a, _ in pairs.values()]), _side_label([b for _, b in pairs.values()]), today)


# ---------------------------------------------------------------------------------------------
# Views


def _quote(text: str) -> str:
    return f"“{text}”"


def as_text(report: DiffReport) -> str:
    lines = [f"Perbandingan standar pelayanan: {report.old} → {report.new}", ""]
    for s in report.services:
        if s.status == "ditambah":
            lines.append(f"Layanan baru: {s.nama} [{s.slug}]")
        elif s.status == "dihapus":
            lines.append(f"Layanan dihapus: {s.nama} [{s.slug}]")
        elif s.files != s.slug and s.status == "sama":
            lines.append(f"Layanan {s.nama} [{s.files}]: sama (berkas dipasangkan menurut nama layanan)")
        elif s.status == "diubah":
            lines.append(f"Layanan {s.nama} [{s.files}]: berubah")
            if s.renamed:
                lines.append(f"  Nama layanan: {_quote(s.old_nama)} → {_quote(s.nama)}")
            for comp in s.components:
                lines.append(f"  {comp.label}")
                lines += [f"    {_change_text(c, not comp.one_value)}" for c in comp.changes]
    if not report.has_changes:
        lines.append("Tidak ada perbedaan.")
    else:
        lines += ["", f"Ringkasan: {report.count('diubah')} layanan berubah ({report.change_count} perubahan "
                      f"komponen), {report.count('ditambah')} layanan baru, {report.count('dihapus')} layanan "
                      f"dihapus, {report.count('sama')} layanan tanpa perubahan."]
    return "\n".join(lines) + "\n"


def _change_text(change: Change, numbered: bool) -> str:
    if not numbered:
        return f"{change.kind}: {_quote(change.semula or NOTHING)} → {_quote(change.menjadi or NOTHING)}"
    if change.kind == "diubah":
        where = f"butir {change.old_position}" + (
            f" → {change.new_position}" if change.old_position != change.new_position else "")
        return f"diubah ({where}): {_quote(change.semula)} → {_quote(change.menjadi)}"
    if change.kind == "dipindah":
        return f"dipindah (butir {change.old_position} → {change.new_position}): {_quote(change.menjadi)}"
    if change.kind == "ditambah":
        return f"ditambah (butir {change.new_position}): {_quote(change.menjadi)}"
    return f"dihapus (butir {change.old_position}): {_quote(change.semula)}"


def as_json(report: DiffReport) -> str:
    data = {
        "semula": report.old,
        "menjadi": report.new,
        "ada_perbedaan": report.has_changes,
        "layanan": [
            {"slug": s.slug, "slug_semula": s.old_slug if s.files != s.slug else None,
             "nama": s.nama, "nama_semula": s.old_nama if s.renamed else None, "status": s.status,
             "komponen": [{"key": c.key, "label": c.label, "perubahan": [ch.as_dict() for ch in c.changes]}
                          for c in s.components]}
            for s in report.services
        ],
        "ringkasan": {status: report.count(status) for status in ("diubah", "ditambah", "dihapus", "sama")}
        | {"perubahan": report.change_count},
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def kesepakatan(report: DiffReport) -> list[dict]:
    """Entries for `kesepakatan:` of an fkp/*.yaml: one per added, removed or edited item (an
    added item has semula "", a removed one menjadi ""). Moves change no content and are left out."""
    return [
        {"layanan": s.slug, "komponen": c.key, "semula": ch.semula, "menjadi": ch.menjadi}
        for s in report.services if s.status == "diubah"
        for c in s.components for ch in c.changes if ch.kind != "dipindah"
    ]


def as_fkp(report: DiffReport) -> str:
    head = [f"# Kesepakatan Forum Konsultasi Publik: perubahan dari {report.old} ke {report.new}",
            "# (sp-builder diff --format fkp). Salin ke berkas fkp/*.yaml di bawah data FKP lainnya."]
    skipped = [s for s in report.services if s.status in ("ditambah", "dihapus")]
    for s in skipped:
        word = "baru" if s.status == "ditambah" else "dihapus"
        head.append(f"# Layanan {word} tidak dimuat sebagai kesepakatan: {s.nama} [{s.slug}].")
    moved = sum(1 for s in report.services for c in s.components for ch in c.changes if ch.kind == "dipindah")
    if moved:
        head.append(f"# {moved} butir hanya berpindah urutan; perpindahan tidak dimuat sebagai kesepakatan.")
    yaml = YAML()
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    body = io.StringIO()
    yaml.dump({"kesepakatan": kesepakatan(report)}, body)
    return "\n".join(head) + "\n" + body.getvalue()


MATRIX_TITLE = "MATRIKS PERUBAHAN STANDAR PELAYANAN"
MATRIX_HEADER = ("No", "Komponen", "Semula", "Menjadi", "Keterangan")
MATRIX_WIDTHS = (6, 18, 30, 30, 16)


def _matrix_subtitle(report: DiffReport) -> str:
    """Names and dates only: the matrix is handed out at the forum, where file paths mean nothing.
    One service compared: its name; then what each side is and the date the matrix was drawn up."""
    names = [s.nama for s in report.services]
    lead = fmt_id.judul_sp(names[0]) if len(names) == 1 and not report.unit else ""
    sides = f"Semula: {report.old_label or '-'}; menjadi: {report.new_label or '-'}"
    when = f"; keadaan per {fmt_id.tanggal(report.today)}" if report.today else ""
    return " — ".join(part for part in (lead, sides + when) if part)


def as_docx(report: DiffReport) -> bytes:
    """The matrix handed out at the forum: per changed service a table No | Komponen | Semula |
    Menjadi | Keterangan; new and removed services listed below."""
    doc = layout.report_opening("matriks", None, MATRIX_TITLE, size=14)
    if report.unit:
        ooxml.para(doc, report.unit.upper(), bold=True, align=ooxml.CENTER)
    ooxml.para(doc, _matrix_subtitle(report), size=10, align=ooxml.CENTER, space_after=12)
    changed = [s for s in report.services if s.status == "diubah"]
    for s in changed:
        ooxml.para(doc, f"Layanan: {s.nama}", bold=True, space_before=6, space_after=6, keep_with_next=True)
        rows = []
        if s.renamed:
            rows.append(("Nama layanan", s.old_nama, s.nama, "diubah"))
        rows += [(c.label, ch.semula, ch.menjadi, ch.note(not c.one_value)) for c in s.components for ch in c.changes]
        ooxml.text_table(doc, ooxml.percent_widths(doc.sections[0], MATRIX_WIDTHS), MATRIX_HEADER,
                       [(f"{n}.", *(text or NOTHING for text in values)) for n, values in enumerate(rows, start=1)],
                       center={0})
    for status, word in (("ditambah", "Layanan baru"), ("dihapus", "Layanan dihapus")):
        names = [s for s in report.services if s.status == status]
        if names:
            ooxml.para(doc, f"{word}:", bold=True, space_before=12)
            for n, s in enumerate(names, start=1):
                ooxml.para(doc, f"{n}. {s.nama} [{s.slug}]")
    if not report.has_changes:
        ooxml.para(doc, "Tidak ada perbedaan.")
    ooxml.set_core_properties(doc, title=MATRIX_TITLE.title(), author=report.unit or "sp-builder", subject="diff")
    return ooxml.to_bytes(doc)


def render(report: DiffReport, fmt: str) -> bytes:
    """One view of the report as bytes: text | json | fkp | docx."""
    if fmt == "docx":
        return as_docx(report)
    views = {"text": as_text, "json": as_json, "fkp": as_fkp}
    return views[fmt](report).encode("utf-8")
