"""Build a whole Pemda: every unit under a folder, its documents and reports, an index and a manifest.

`build(ROOT, OUT)` finds every unit folder under ROOT (`ROOT/<opd>/<unit>/unit.yaml` at any
depth) and writes, for each, under `OUT/<unit path relative to ROOT>/`:

- what `render all` writes (sk/, sp/, maklumat/, fkp/, sop/, and with `pdf` every PDF plus
  `<unit>-bundel.pdf`) and `publikasi.html` (publish.py) — only when the unit validates;
- `skm/laporan-skm.docx` and `.json` when the unit has survey data;
- `check/penilaian-mandiri.html`, `.json` and `.docx`, the `check` report, also for a unit with
  errors (it is the list of what to fix), and `check/kalender.ics`, its compliance calendar;
- with `pdf`, a PDF of every .docx above, the two reports' included, and the bundle
  `<unit>-bundel.pdf` (when the unit has documents): the documents, then the SKM report
  ("Laporan Survei Kepuasan Masyarakat"), then the check report ("Laporan Penilaian Mandiri"),
  in render.bundle_order, the order `render all --pdf` binds too (`render_with_reports`);

then `OUT/index.html`, `OUT/kalender.ics` (every unit's deadlines) and, last, `OUT/manifest.json`. A unit's errors never stop the others; they
are gathered in the result, and `BuildResult.exit_code` is 1 when any unit has one.

Incremental, in two steps. Which units to rebuild: a unit's outputs come from two stages with
their own inputs, recorded per output in the manifest (`inputs`) next to the output's sha256:

- documents (render, publication page, SKM report): the unit's files (`unit_files`, the sha256 of
  the map of every file of the unit folder to its sha256 — the simplest sound choice: anything
  the unit holds may be read), the tool's version (`sp_builder`), `pdf`, and for rendered
  documents the sha256 of each template used (`templates`, found the way `render` finds them);
- check: the unit's files, the tool's version and the date (`tanggal`), because `check` judges
  against today (an SP established more than a year ago becomes overdue).

A stage is rebuilt when any recorded input has another value now, or when one of its outputs is
missing or no longer has its recorded sha256; `force` rebuilds everything. A unit with an error
is rebuilt on every build, so its errors are reported afresh each time.

Which files to write: a stage that is rebuilt renders all its outputs in memory, but writes only
those whose bytes are not already on disk (outputs are deterministic: the same inputs give the
same bytes). So editing one established service rewrites its SP, the SK (whose Lampiran holds every
established SP), the publication page and the manifest, the check reports and the index when what
they show changes (a new warning, say), and leaves the other SPs, the Maklumat, the FKP documents
and the SKM report as they were, unless their text really changes; a draft's SP is in no SK.
`force` writes everything. The first build of a day refreshes the check reports,
cheaply, and later builds of the day write nothing.

PDF (`pdf`), in one pass for the whole build, in the main process after every unit's documents:
LibreOffice converts, in one `pdf.convert` call (its few soffice processes shared by all units),
every .docx written by this build or since the last manifest (an interrupted build), and every
.docx whose PDF is missing or altered;
each other PDF is kept. Each PDF belongs to the stage of its .docx (the check report's to check,
so a new day's report is converted again, the SKM report's to documents), and the .docx of both
reports record `pdf` among their inputs, so asking for PDFs, or no longer, reruns both stages. A
stage not run keeps its PDFs; the PDFs are planned after both stages, over every .docx of the unit.
The bundle is a documents output, bound again whichever stage changed a part: when one of its PDFs
was made, when its list of parts changed, or when the bundle itself is missing or altered. A
stage whose record lacks an output this version makes (a manifest of an older version: no check
report .docx, a .docx without its PDF) is rebuilt. A file LibreOffice
cannot convert is an error of its unit only: that unit keeps its .docx, has no PDF for that file
and no bundle, and is rebuilt (its missing PDFs converted) on the next build; the other units get
all their PDFs.

Outputs are written atomically and the manifest last: an interrupted build leaves no half-written
file, and the next build redoes every unit whose outputs do not match the last manifest (every
recorded output is hashed, so one missing, altered or left from the killed build's older bytes
is found). The temporary files of writes a killed build did not finish (`.NAME.XXXXXXXX.tmp`) are
removed at the start of the next build; they are never outputs. Files a
previous build recorded and this one did not produce (a removed service or unit, PDFs no longer
asked for, the documents of a unit that now has errors) are removed, so OUT never publishes a
stale SP.

The manifest (`format` 1): `{"format", "sp_builder", "units": [...]}`, one entry per unit in the
order found: `path` (relative to ROOT), `unit`, `instansi`, `status` (ok | galat), `errors`,
`warnings`, `indeks`, `kategori` {kode, nama, zona} and `services` [{slug, nama, status, file,
errors, warnings}] from check, `notes` (kinds `render all` skipped, and why), `issues` (the
errors, as in `validate --format json`), `inputs` {path in the unit folder: sha256}, and `outputs`
[{path (relative to OUT), sha256, stage, kind, title, layanan (SP documents), inputs}], each PDF
right after its .docx and the bundle after the last PDF.

One build at a time per OUT: the build holds a lock on `OUT/.sp-builder.lock` (write.lock_folder,
flock, released by the kernel however the build ends), and a second build into the same folder
stops at once, writing nothing, with a message naming the folder and the PID holding it. The
lock file is created once, empty, and stays; it is never an output nor a stale file. A folder
where no file can be created (read-only, a file in the way) is reported, naming it, before any
unit is built; a file that cannot be written later is an error of its unit, with its path.

Parallel: units are built in a process pool (`workers`, default one per core); each unit renders
its own documents in that one process (`render_jobs(..., workers=1)`), so pools never nest.
A worker dies with the build's process (on Linux the kernel kills it, elsewhere it checks its
parent every half second), so a build killed with SIGKILL leaves no worker writing into OUT or
holding its lock; workers close their inherited copy of the lock.
`progress` hears of each unit when it is complete: a unit with PDFs to make, after the PDF pass.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Collection, TextIO

from sp_builder import __version__, clock, pool
from sp_builder.assessment import compliance_calendar, views as check_views
from sp_builder.documents import pdf as pdf_mod, reflow
from sp_builder.survey import skm, report as skm_report
from sp_builder.assessment.check import build_report
from sp_builder.errors import ExitCode, InputError, Issue, UserError, sorted_issues
from sp_builder.files import display_path, display_relative_to, real_path
from sp_builder.manifest import (
    CHECK, DOCUMENTS, FORMAT, MANIFEST, digest, matches, Output, read_manifest, sha256_bytes, sha256_file, stage_current,
)
from sp_builder.documents.publish import index_page, publication_page
from sp_builder.documents.render import (
    RenderResult, Reports, bookmark, bundle_order, find_template, plan, render, render_jobs, template_sources,
)
from sp_builder.unit.model import Unit
from sp_builder.unit.dasar_hukum import find_pemda_register
from sp_builder.unit.validate import find_units, load_unit
from sp_builder.write import OutputError, describe, ensure_writable, lock_folder, remove_temporaries, write_bytes_atomic

INDEX = "index.html"
CALENDAR = "kalender.ics"  # per unit under check/, and the whole build's next to the index

BUILT, UNCHANGED, FAILED = "dibangun", "tidak berubah", "galat"  # a unit's state in this build

# ---------------------------------------------------------------------------------------------
# Hashes


def unit_inputs(root: Path, exclude: Collection[Path] = ()) -> dict[str, str]:
    """Every file of the unit folder (path in the folder → sha256), skipping the folders in
    `exclude` (resolved): the build's own output and units nested inside this one; and the Pemda's
    `peraturan.yaml` when it lies above the unit ("../peraturan.yaml"), which the SK and the
    validation warnings read. A file that cannot be read is recorded as such, so reading it later
    counts as a change."""
    found: dict[str, str] = {}
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if (here / d).resolve() not in exclude)
        for name in sorted(files):
            path = here / name
            try:
                found[path.relative_to(root).as_posix()] = sha256_file(path)
            except OSError as exc:
                found[path.relative_to(root).as_posix()] = f"tidak terbaca: {exc.strerror}"
    pemda = find_pemda_register(root)  # the Pemda's peraturan.yaml above the unit: its SK and warnings
    if pemda is not None and pemda.parent != Path(root).resolve():
        key = Path(os.path.relpath(pemda, Path(root).resolve())).as_posix()
        try:
            found[key] = sha256_file(pemda)
        except OSError as exc:
            found[key] = f"tidak terbaca: {exc.strerror}"
    return found


def template_hashes(names: Collection[str], templates: Path | None, unit_root: Path) -> dict[str, str]:
    """sha256 of each named template as `render` would find it now (user, unit, built-in)."""
    found = {}
    for name in sorted(names):
        try:
            found[name] = sha256_bytes(find_template(name, templates, unit_root).data)
        except UserError:
            found[name] = "tidak ditemukan"
    return found


# ---------------------------------------------------------------------------------------------
# One unit


@dataclass(frozen=True)
class UnitTask:
    """What one worker needs to build one unit; `documents` and `check` say which stages to run."""

    root: Path
    rel: str  # unit path relative to ROOT, "/"-separated; "." when ROOT is the unit
    out_root: Path  # OUT
    inputs: dict[str, str]
    documents: bool
    check: bool
    pdf: bool
    force: bool  # write every output, even one already on disk with the same bytes
    templates: Path | None
    today: dt.date
    previous: dict | None  # the unit's manifest entry of the last build, reused for a stage not run

    @property
    def out(self) -> Path:
        return self.out_root / self.rel

    @property
    def pemda_root(self) -> Path:
        """ROOT, the folder the build was given."""
        depth = 0 if self.rel == "." else len(self.rel.split("/"))
        return self.root.parents[depth - 1] if depth else self.root

    def now(self) -> dict:
        return current_inputs(self.inputs, self.pdf, self.today)


def current_inputs(files: dict[str, str], pdf: bool, today: dt.date) -> dict:
    """Today's value of every input an output may record, templates aside."""
    return {"unit_files": digest(files), "sp_builder": __version__, "pdf": pdf, "tanggal": today.isoformat()}


@dataclass
class PdfWork:
    """A unit's share of the build's one PDF pass, finished in the main process."""

    documents: list[Output]  # the unit's .docx output records, in bundle order
    pdfs: dict[str, Output]  # PDF records kept from the last build, by the path of their .docx
    convert: list[str]  # the .docx (paths relative to OUT) whose PDF this build makes
    bundle: Output | None  # the bundle's record (sha256 None until bound anew); None: no bundle


@dataclass
class UnitOutcome:
    rel: str
    state: str  # BUILT | UNCHANGED | FAILED
    entry: dict  # the unit's manifest entry
    errors: list[Issue] = field(default_factory=list)
    written: int = 0  # files written
    unchanged: int = 0  # outputs rendered again whose bytes were already on disk, so not written
    pdf: PdfWork | None = None  # PDFs or a bundle still to make in the build's PDF pass

    def add_errors(self, issues: list[Issue]) -> None:
        self.errors = sorted_issues(dict.fromkeys([*self.errors, *issues]))
        self.state = FAILED
        self.entry.update(status=FAILED, errors=len(self.errors), issues=[i.as_dict() for i in self.errors])


def _in_unit(display: str, root: Path) -> str:
    """A file shown to the user as its path in the unit folder, so the manifest reads the same
    wherever the build was started."""
    return real_path(display).relative_to(os.path.abspath(root)).as_posix()


def _holds(path: Path, data: bytes) -> bool:
    """Whether the file exists with exactly these bytes."""
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _pdf_of(docx: str) -> str:
    return docx[: -len(".docx")] + ".pdf"


SKM_TITLE = "Laporan Survei Kepuasan Masyarakat"
CHECK_TITLE = "Laporan penilaian mandiri (daftar periksa, indeks, kesenjangan)"
SKM_DOCX, CHECK_DOCX = "skm/laporan-skm.docx", "check/penilaian-mandiri.docx"  # under the unit's output folder


def _bookmark(output: Output) -> str:
    return bookmark(output.kind, output.title)


def _in_bundle_order(documents: list[Output]) -> list[Output]:
    return [documents[n] for n in bundle_order([d.kind for d in documents])]


def unit_reports(root: Path, today: dt.date) -> Reports:
    """The reports build binds into a unit's bundle after its documents — the SKM report when the
    unit has survey data, then the check report — made the way build makes them, for `render all
    --pdf` (render.render_unit's `reports`)."""
    def reports(unit: Unit, issues: list[Issue]) -> list[tuple[str, bytes, str, str]]:
        survey = skm.analyse_folder(root / "skm", today=today)
        found = []
        if survey[0] is not None:
            found.append((SKM_DOCX, skm_report.render(survey[0], "docx", unit), "skm", SKM_TITLE))
        report = build_report(root, today=today, loaded=(unit, issues), survey=survey)
        found.append((CHECK_DOCX, check_views.render(report, "docx"), "check", CHECK_TITLE))
        return found
    return reports


def render_with_reports(kind: str, unit_path: Path | str, out: Path | str, *, pdf: bool = False,
                        templates: Path | str | None = None, today: dt.date | None = None) -> RenderResult:
    """`render`; with `all --pdf` the unit's bundle is the one build binds: its documents, then the
    SKM report and the check report (PDFs of their .docx, written under skm/ and check/)."""
    today = today or clock.today()
    reports = unit_reports(Path(unit_path), today) if kind == "all" and pdf else None
    return render(kind, unit_path, out, pdf=pdf, templates=templates, today=today, reports=reports)


def _as_issues(exc: Exception, root: Path, command: str) -> list[Issue]:
    """An exception of one stage as issues of its unit, so the build goes on."""
    where = display_path(root)
    if isinstance(exc, InputError):
        return list(exc.issues)
    if isinstance(exc, UserError):
        return [Issue(where, 0, 0, str(exc), rule="build.galat")]
    # a bug: one unit must not stop a Pemda's build, but the user must learn how to report it
    return [Issue(where, 0, 0, f"galat internal: {type(exc).__name__}: {exc}. Ini kesalahan sp-builder; jalankan "
                               f"`sp-builder --debug {command} {where}` dan laporkan keluarannya.",
                  rule="build.internal")]


def _complete(entry: dict, stage: str, pdf: bool) -> bool:
    """Whether a stage's recorded outputs are all this version makes: the check report's .docx, and
    with `pdf` a PDF after every .docx (a manifest of an older version may lack them)."""
    outputs = [o["path"] for o in entry["outputs"] if o["stage"] == stage]
    if stage == CHECK and not any(path.endswith(".docx") for path in outputs):
        return False
    return not pdf or all(_pdf_of(path) in outputs for path in outputs if path.endswith(".docx"))


def _place_pdfs(outputs: list[Output], pdfs: dict[str, Output], bundle: Output | None, last: str) -> list[Output]:
    """The outputs with each PDF right after its .docx and the bundle right after the PDF of the
    last document (`last`, a .docx path)."""
    placed = []
    for output in outputs:
        placed.append(output)
        if output.path in pdfs:
            placed.append(pdfs[output.path])
        if output.path == last and bundle is not None:
            placed.append(bundle)
    return placed


class _UnitBuild:
    """Runs the stages of one task, writing outputs and recording them for the manifest."""

    def __init__(self, task: UnitTask):
        self.task = task
        self.previous = {o["path"]: Output.from_dict(o) for o in (task.previous or {}).get("outputs", [])}
        self.outputs: dict[str, list[dict]] = {DOCUMENTS: [], CHECK: []}
        self.errors: list[Issue] = []
        self.fields: dict = {}
        self.written = self.unchanged = 0
        self.pdf_work: PdfWork | None = None
        self.fresh: set[str] = set()  # outputs written by this build (paths relative to OUT)
        self.bundle: Output | None = None  # the bundle's record, when the unit has documents and `pdf`
        now = task.now()
        self.base = {"unit_files": now["unit_files"], "sp_builder": now["sp_builder"]}

    def emit(self, path: Path, data: bytes, stage: str, kind: str, title: str, inputs: dict,
             layanan: str | None = None) -> bool:
        """Record an output; write it unless the file already holds exactly these bytes (always
        with `force`). Returns whether it was written."""
        written = self.task.force or not _holds(path, data)
        if written:
            write_bytes_atomic(path, data)
            self.written += 1
            self.fresh.add(path.relative_to(self.task.out_root).as_posix())
        else:
            self.unchanged += 1
        self.outputs[stage].append(Output(path.relative_to(self.task.out_root).as_posix(), sha256_bytes(data),
                                          stage, kind, title, inputs, layanan))
        return written

    @functools.cached_property
    def loaded(self) -> tuple:
        """The unit as load_unit gives it, read once for both stages."""
        return load_unit(self.task.root, self.task.today)

    @functools.cached_property
    def survey(self) -> tuple:
        return skm.analyse_folder(self.task.root / "skm", today=self.task.today)

    def documents(self) -> None:
        task = self.task
        unit, issues = self.loaded
        self.errors += [i for i in issues if i.is_error]
        if unit is not None and not any(i.is_error for i in issues):
            jobs, self.fields["notes"] = plan(unit, "all")
            sources = template_sources(jobs, task.templates, task.root)
            used = {name: sha256_bytes(source.data) for name, source in sources.items()}
            for job, blob in zip(jobs, render_jobs(jobs, sources, workers=1)):
                # a document built with python-docx (the SOP) has no template to record
                templates = {job.template: used[job.template]} if job.template else {}
                inputs = {**self.base, "pdf": task.pdf, "templates": templates}
                slug = job.context["sp"]["slug"] if job.kind == "sp" else None
                self.emit(task.out / job.output, blob, DOCUMENTS, job.kind, job.title, inputs, slug)
            if task.pdf and jobs:
                self.bundle = Output((task.out / f"{unit.root.resolve().name or 'unit'}-bundel.pdf")
                                     .relative_to(task.out_root).as_posix(), None, DOCUMENTS, "bundel",
                                     f"Bundel PDF seluruh dokumen {unit.nama}",
                                     {**self.base, "pdf": True, "templates": used})
            self.emit(task.out / "publikasi.html", publication_page(unit).encode("utf-8"), DOCUMENTS,
                      "publikasi", "Halaman publikasi standar pelayanan", self.base)
        survey, survey_issues = self.survey
        self.errors += [i for i in survey_issues if i.is_error]
        if survey is not None:
            head_file = display_path(task.root / "unit.yaml")
            owner = unit if unit is not None and not any(i.is_error and i.path == head_file for i in issues) else None
            self.emit(task.out / SKM_DOCX, skm_report.render(survey, "docx", owner), DOCUMENTS,
                      "skm", SKM_TITLE, {**self.base, "pdf": task.pdf})
            self.emit(task.out / "skm" / "laporan-skm.json", skm_report.render(survey, "json"), DOCUMENTS,
                      "skm", SKM_TITLE, self.base)

    def plan_pdfs(self, documents: list[Output], bundle: Output | None) -> None:
        """Keep each PDF of the last build that was made from the .docx now on disk (not rewritten,
        and as the last manifest recorded it: an interrupted build may have rewritten it already)
        and is on disk as recorded, and the bundle when all its parts are the same; leave the rest
        to the PDF pass. `documents`: every .docx of the unit, of both stages (a stage not run
        keeps its records), in bundle order: the rendered documents, the SKM report, the check
        report; so a new check report (a new day) is converted and the bundle bound again."""
        pdfs, convert = {}, []
        for document in documents:
            written = document.path in self.fresh
            source = self.previous.get(document.path)
            kept = self.previous.get(_pdf_of(document.path))
            if (written or source is None or source.sha256 != document.sha256 or kept is None
                    or not matches(self.task.out_root / kept.path, kept.sha256)):
                convert.append(document.path)
            else:
                pdfs[document.path] = document.as_pdf(kept.path, kept.sha256)
        kept = self.previous.get(bundle.path) if bundle is not None else None
        parts = [(_pdf_of(d.path), _bookmark(d)) for d in documents]
        previous_parts = [(o.path, _bookmark(o)) for o in self.previous.values()
                          if not o.is_bundle and o.path.endswith(".pdf")]
        if (bundle is not None and not convert and kept is not None and parts == previous_parts
                and matches(self.task.out_root / bundle.path, kept.sha256)):
            bundle = dataclasses.replace(bundle, sha256=kept.sha256)
        self.pdf_work = PdfWork(documents, pdfs, convert, bundle)

    def check(self) -> None:
        task = self.task
        report = build_report(task.root, today=task.today, loaded=self.loaded, survey=self.survey)
        inputs = {**self.base, "tanggal": task.today.isoformat()}
        for fmt in ("html", "json", "docx"):  # the .docx records `pdf`: its PDF follows it
            self.emit(task.out / "check" / f"penilaian-mandiri.{fmt}", check_views.render(report, fmt), CHECK,
                      "check", CHECK_TITLE, {**inputs, "pdf": task.pdf} if fmt == "docx" else inputs)
        ics = compliance_calendar.to_ics(report.kalender, unit=report.unit, unit_key=task.rel, stamp=task.today)
        self.emit(task.out / "check" / CALENDAR, ics, CHECK, "kalender", "Kalender kepatuhan (iCalendar)", inputs)
        self.errors += [i for i in report.issues if i.is_error]
        data = check_views.as_data(report)
        self.fields.update(
            unit=report.unit,
            instansi=report.model.instansi if report.model else "",
            services=[{"slug": row.slug, "nama": row.nama, "status": row.status, "file": _in_unit(row.file, task.root),
                       "errors": len(row.errors), "warnings": len(row.warnings)} for row in report.services],
            warnings=sum(1 for i in report.issues if not i.is_error),
            indeks=data["indeks"],
            kategori=data["kategori"],
            penilaian_mandiri=data["penilaian_mandiri"],
        )

    def run(self) -> UnitOutcome:
        task = self.task
        previous = task.previous or {}
        failed = False
        if task.documents:
            try:
                self.documents()
            except Exception as exc:  # whatever fails, becomes this unit's error
                self.errors += _as_issues(exc, task.root, "render all")
                failed = True
        else:
            self.outputs[DOCUMENTS] = [o for o in self.previous.values() if o.stage == DOCUMENTS]
            self.fields["notes"] = previous["notes"]
        if task.check:
            try:
                self.check()
            except Exception as exc:  # whatever fails, becomes this unit's error
                self.errors += _as_issues(exc, task.root, "check")
                failed = True
        else:
            self.outputs[CHECK] = [o for o in self.previous.values() if o.stage == CHECK]
            self.fields.update({key: previous[key] for key in
                                ("unit", "instansi", "services", "warnings", "indeks", "kategori",
                                 "penilaian_mandiri") if key in previous})
        if task.pdf and not failed:
            # a stage not run keeps its records; its PDFs and the bundle are placed again below
            if not task.documents:  # bound again when a part changed (the check report, a new day)
                kept = next((o for o in self.outputs[DOCUMENTS] if o.is_bundle), None)
                self.bundle = dataclasses.replace(kept, sha256=None) if kept is not None else None
            for stage in (DOCUMENTS, CHECK):
                self.outputs[stage] = [o for o in self.outputs[stage] if not o.path.endswith(".pdf")]
            documents = _in_bundle_order(
                [o for stage in (DOCUMENTS, CHECK) for o in self.outputs[stage] if o.path.endswith(".docx")])
            if documents:
                self.plan_pdfs(documents, self.bundle)
        errors = sorted_issues(dict.fromkeys(self.errors))
        entry = {
            "path": task.rel,
            "unit": self.fields.get("unit", task.root.name),
            "instansi": self.fields.get("instansi", ""),
            "status": FAILED if errors else "ok",
            "errors": len(errors),
            "warnings": self.fields.get("warnings", 0),
            "indeks": self.fields.get("indeks"),
            "kategori": self.fields.get("kategori"),
            "services": self.fields.get("services", []),
            "notes": self.fields.get("notes", []),
            "issues": [i.as_dict() for i in errors],
            "inputs": task.inputs,
            "outputs": self.outputs[DOCUMENTS] + self.outputs[CHECK],
        }
        outcome = UnitOutcome(task.rel, FAILED if errors else BUILT, entry, errors, self.written, self.unchanged)
        work = self.pdf_work
        if work is not None and not work.convert and (work.bundle is None or work.bundle.sha256 is not None):
            entry["outputs"] = _place_pdfs(entry["outputs"], work.pdfs, work.bundle, work.documents[-1].path)
        else:
            outcome.pdf = work
        return outcome


def build_unit(task: UnitTask) -> UnitOutcome:
    """Build one unit (in a worker process); never raises on the unit's content. Paths inside its
    reports are relative to ROOT, so the outputs do not depend on where the build was started."""
    with display_relative_to(task.pemda_root):
        return _UnitBuild(task).run()


# ---------------------------------------------------------------------------------------------
# The PDF pass


def _finish_pdfs(outcome: UnitOutcome, out: Path, root: Path, failures: dict[Path, UserError]) -> None:
    """Record the PDFs the pass made for this unit and bind its bundle when any part changed; a
    .docx without its PDF is an error of this unit, which then has no bundle. `failures`: the error
    of the conversion each file was part of, when that conversion failed."""
    work = outcome.pdf
    failed = []
    for path in work.convert:
        made = out / _pdf_of(path)
        if made.is_file():  # the pass removed every PDF it was to make, so this one is new
            document = next(d for d in work.documents if d.path == path)
            work.pdfs[path] = document.as_pdf(_pdf_of(path), sha256_file(made))
            outcome.written += 1
        else:
            failed.append(out / path)
    bundle = work.bundle
    if failed:
        names = "; ".join(display_path(f) for f in failed)
        unnamed = {str(failures[f]) for f in failed if f in failures and str(f) not in str(failures[f])}
        why = "".join(f" ({message})" for message in sorted(unnamed))  # e.g. LibreOffice stopped
        outcome.add_errors([Issue(display_path(root), 0, 0, f"LibreOffice gagal membuat PDF untuk: {names}{why}",
                                  rule="build.pdf")])
        bundle = None
    elif bundle is not None and (work.convert or bundle.sha256 is None):
        parts = [(out / work.pdfs[d.path].path, _bookmark(d)) for d in work.documents]
        bundle = dataclasses.replace(bundle, sha256=sha256_file(pdf_mod.bundle(parts, out / bundle.path)))
        outcome.written += 1
    outcome.entry["outputs"] = _place_pdfs(outcome.entry["outputs"], work.pdfs, bundle, work.documents[-1].path)
    outcome.pdf = None


def pdf_pass(out: Path, root: Path, pending: list[UnitOutcome], finished: Callable[[UnitOutcome], None]) -> None:
    """Convert every .docx the units left for PDF together, then finish each unit (its PDFs, its
    bundle) and hand it to `finished`. One `pdf.convert` call serves all units (its soffice
    processes are shared). LibreOffice converts every file it can even when some fail; each failure
    is reported against the unit of its file only."""
    files = [out / path for outcome in pending for path in outcome.pdf.convert]
    for file in files:
        file.with_suffix(".pdf").unlink(missing_ok=True)  # made from an older .docx, or altered
    failures: dict[Path, UserError] = {}
    try:
        pdf_mod.convert(files)
    except UserError as exc:
        failures = dict.fromkeys(files, exc)
    else:
        with contextlib.suppress(UserError):  # when it fails, the PDFs just made stand
            reflow.fix_widows(files)  # a closing block LibreOffice left alone on a page: that PDF made again
    for outcome in pending:
        try:
            _finish_pdfs(outcome, out, root / outcome.rel, failures)
        except Exception as exc:  # whatever fails, becomes this unit's error
            outcome.pdf = None
            outcome.add_errors(_as_issues(exc, root / outcome.rel, "render all --pdf"))
        finished(outcome)


# ---------------------------------------------------------------------------------------------
# Deciding what is current


# ---------------------------------------------------------------------------------------------
# The whole build


@dataclass
class BuildResult:
    out: Path
    root: Path  # ROOT: the paths of the units' issues are relative to it
    units: list[UnitOutcome]
    written: int  # files written, the index and manifest included
    unchanged: int  # files made again with the bytes already on disk, so not written
    removed: int  # stale outputs of the last build removed
    temporaries: int = 0  # temporary files of a killed build's unfinished writes, removed

    def count(self, state: str) -> int:
        return sum(1 for u in self.units if u.state == state)

    @property
    def exit_code(self) -> ExitCode:
        return ExitCode.INPUT_ERROR if self.count(FAILED) else ExitCode.OK

    def _shown(self, issue: Issue) -> Issue:
        """An issue with its path as the user would type it from the working directory."""
        return dataclasses.replace(issue, path=display_path(self.root / issue.path))

    def summary(self) -> list[str]:
        """The closing report: every error of every failed unit, then the counts."""
        lines = []
        for unit in self.units:
            if unit.state == FAILED:
                lines.append(f"galat di unit {unit.rel}:")
                lines += [f"  {self._shown(issue).format()}" for issue in unit.errors]
        lines.append(f"{len(self.units)} unit: {self.count(BUILT)} dibangun, {self.count(UNCHANGED)} tidak berubah, "
                     f"{self.count(FAILED)} bergalat; {self.written} berkas ditulis, {self.unchanged} tidak ditulis "
                     f"karena isinya sama, {self.removed} dihapus")
        if self.temporaries:
            lines[-1] += f"; {self.temporaries} berkas sementara sisa build yang terhenti dihapus"
        lines.append(f"indeks: {display_path(self.out / INDEX)}")
        return lines


Progress = Callable[[UnitOutcome, int, int], None]


def _refuse_output_folder(root: Path, out: Path, units: list[Path]) -> None:
    target = out.resolve()
    if target == root.resolve() or any(target == u.resolve() for u in units):
        raise UserError(f"folder keluaran {out} sama dengan folder masukan; hasil akan bercampur dengan berkas unit. "
                        "Pilih folder lain, mis. -o keluaran", ExitCode.USAGE)


def _whole_calendar(out: Path, entries: list[dict]) -> bytes:
    """Every unit's kalender.ics (as written, or kept from an earlier build) in one calendar."""
    files = []
    for entry in entries:
        for output in entry["outputs"]:
            if output.kind == "kalender" and (out / output.path).is_file():
                files.append((out / output.path).read_bytes())
    return compliance_calendar.merge_ics(files, name="Kalender kepatuhan — semua unit")


def _write_if_changed(path: Path, data: bytes) -> bool:
    if _holds(path, data):
        return False
    write_bytes_atomic(path, data)
    return True


def _remove_stale(out: Path, previous: dict[str, dict], units: list[dict]) -> int:
    """Delete what the last build recorded and this one did not produce, never outside OUT."""
    keep = {o.path for unit in units for o in unit["outputs"]}
    top = out.resolve()
    removed = 0
    for entry in previous.values():
        for output in entry["outputs"]:
            path = out / output["path"]
            if output["path"] in keep or top not in path.resolve().parents or not path.is_file():
                continue
            try:
                path.unlink()
                removed += 1
                folder = path.parent
                while folder.resolve() != top and folder.is_dir() and not any(folder.iterdir()):
                    folder.rmdir()
                    folder = folder.parent
            except OSError as exc:
                raise OutputError(f"tidak dapat menghapus {path}, keluaran lama yang tidak dibuat lagi: "
                                  f"{describe(exc)}", exc) from exc
    return removed


def build(root: Path | str, out: Path | str, *, workers: int | None = None, pdf: bool = False,
          force: bool = False, templates: Path | str | None = None, today: dt.date | None = None,
          progress: Progress | None = None) -> BuildResult:
    """Build every unit under `root` into `out`; see the module docstring."""
    root, out = Path(root), Path(out)
    templates = Path(templates) if templates is not None else None
    if not root.is_dir():
        raise UserError(f"folder {root} tidak ada", ExitCode.USAGE)
    if templates is not None and not templates.is_dir():
        raise UserError(f"folder templat {templates} tidak ada", ExitCode.USAGE)
    units = find_units(root)
    if not units:
        raise UserError(f"tidak ada unit di {display_path(root)}: tidak ada unit.yaml di folder ini maupun di "
                        "bawahnya; buat dengan: sp-builder init FOLDER")
    _refuse_output_folder(root, out, units)
    if out.exists() and not out.is_dir():
        raise UserError(f"folder keluaran {out} adalah berkas, bukan folder; pilih folder lain, mis. -o keluaran",
                        ExitCode.USAGE)
    if pdf:
        pdf_mod.soffice_command()
    with lock_folder(out) as lock:
        temporaries = remove_temporaries(out)
        ensure_writable(out)
        result = _build_locked(root, out, units, lock, workers=workers, pdf=pdf, force=force, templates=templates,
                               today=today or clock.today(), progress=progress)
    result.temporaries = temporaries
    return result


def _build_locked(root: Path, out: Path, units: list[Path], lock: int | None, *, workers: int | None, pdf: bool,
                  force: bool, templates: Path | None, today: dt.date, progress: Progress | None) -> BuildResult:
    """The build, OUT locked and cleaned of a killed build's temporary files."""
    previous = read_manifest(out)
    resolved = {u: u.resolve() for u in units}
    outcomes: dict[str, UnitOutcome] = {}
    tasks: list[UnitTask] = []
    waiting: list[UnitOutcome] = []  # units with PDFs or a bundle to make in the PDF pass

    def finished(outcome: UnitOutcome) -> None:
        outcomes[outcome.rel] = outcome
        if progress:
            progress(outcome, len(outcomes), len(units))

    def documents_done(outcome: UnitOutcome) -> None:
        if outcome.pdf:
            waiting.append(outcome)
        else:
            finished(outcome)

    for unit_root in units:
        exclude = {out.resolve()} | {r for u, r in resolved.items() if u != unit_root}
        rel = unit_root.relative_to(root).as_posix()
        prev = None if force else previous.get(rel)
        files = unit_inputs(unit_root, exclude)
        now = current_inputs(files, pdf, today)

        def templates_now(names: Collection[str], unit_root: Path = unit_root) -> dict[str, str]:
            return template_hashes(names, templates, unit_root)

        stale = {stage: not (stage_current(prev, stage, now, out, templates_now) and _complete(prev, stage, pdf))
                 for stage in (DOCUMENTS, CHECK)}
        if any(stale.values()):
            tasks.append(UnitTask(unit_root, rel, out, files, stale[DOCUMENTS], stale[CHECK], pdf, force, templates,
                                  today, prev))
        else:
            finished(UnitOutcome(rel, UNCHANGED, {**prev, "outputs": [Output.from_dict(o) for o in prev["outputs"]]}))
    workers = workers or os.cpu_count() or 1
    if workers > 1:  # the biggest units first, so no worker is left with one big unit at the end
        tasks = sorted(tasks, key=lambda t: -len(t.inputs))
    pool.run(build_unit, tasks, workers, documents_done, lock)
    if waiting:
        with display_relative_to(root):
            pdf_pass(out, root, waiting, finished)

    ordered = [outcomes[u.relative_to(root).as_posix()] for u in units]
    entries = [o.entry for o in ordered]
    removed = _remove_stale(out, previous, entries)
    manifest = {"format": FORMAT, "sp_builder": __version__,
                "units": [{**e, "outputs": [o.as_dict() for o in e["outputs"]]} for e in entries]}
    written = sum(o.written for o in ordered)
    unchanged = sum(o.unchanged for o in ordered)
    for path, data in ((out / INDEX, index_page(manifest).encode("utf-8")),
                       (out / CALENDAR, _whole_calendar(out, entries)),
                       (out / MANIFEST, (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))):
        if _write_if_changed(path, data):
            written += 1
        else:
            unchanged += 1
    return BuildResult(out, root, ordered, written, unchanged, removed)


class ProgressDisplay:
    """Progress on a stream: a bar redrawn in place on a terminal, one plain line per unit
    otherwise (a log file or CI keeps every line)."""

    def __init__(self, stream: TextIO, width: int = 28):
        self.stream = stream
        self.width = width
        self.tty = stream.isatty()

    def __call__(self, outcome: UnitOutcome, done: int, total: int) -> None:
        if self.tty:
            filled = self.width * done // total
            name = outcome.rel if len(outcome.rel) <= 40 else "…" + outcome.rel[-39:]
            self.stream.write(f"\r[{'#' * filled}{'-' * (self.width - filled)}] {done}/{total} {name:<40}")
            if done == total:
                self.stream.write("\n")
        else:
            detail = "".join(f", {count} {label}" for count, label in
                             ((outcome.written, "berkas ditulis"), (outcome.unchanged, "tidak berubah")) if count)
            self.stream.write(f"[{done}/{total}] {outcome.rel}: {outcome.state}{detail}\n")
        self.stream.flush()
