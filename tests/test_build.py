"""build: every unit under a folder, the manifest with its hashes, incrementality, the index."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
from importlib import resources
from pathlib import Path
from urllib.parse import unquote

import docx
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from sp_builder import __version__, build as build_mod, check_views
from sp_builder.build import BUILT, FAILED, UNCHANGED, ProgressDisplay, UnitOutcome, build, digest
from sp_builder.check import build_report
from sp_builder.cli import main
from sp_builder.errors import ExitCode, UserError
from sp_builder.publish import publication_page
from sp_builder.render import plan
from sp_builder.validate import load_unit
from test_publish import parse_html

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"
TODAY = dt.date(2026, 3, 1)
UNITS = {  # unit path under ROOT → where its files come from
    "dpmptsp": SAMPLES / "dpmptsp-kabupaten-contoh",
    "opd-kesehatan/puskesmas": SAMPLES / "puskesmas-contoh",
    "opd-x/bidang/uji": REPO / "tests" / "data" / "render" / "unit",
}


def make_root(folder: Path) -> Path:
    root = folder / "pemda"
    for rel, source in UNITS.items():
        shutil.copytree(source, root / rel)
    (root / "README.txt").write_text("bukan unit", encoding="utf-8")
    return root


def run(root: Path, out: Path, **options):
    return build(root, out, workers=options.pop("workers", 1), today=options.pop("today", TODAY), **options)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def entry(out: Path, rel: str) -> dict:
    return next(u for u in manifest(out)["units"] if u["path"] == rel)


def stamps(out: Path) -> dict[str, int]:
    """Every file under OUT with its modification time in nanoseconds."""
    return {p.relative_to(out).as_posix(): p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}


def states(result) -> dict[str, str]:
    return {u.rel: u.state for u in result.units}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One first build, shared by the tests that only read it."""
    folder = tmp_path_factory.mktemp("build")
    root, out = make_root(folder), folder / "keluaran"
    result = run(root, out)
    return root, out, result


# ---------------------------------------------------------------------------------------------
# A first build


def test_every_unit_found_at_any_depth_and_built(built):
    root, out, result = built
    assert states(result) == {rel: BUILT for rel in UNITS}
    assert result.exit_code == ExitCode.OK
    assert [u["path"] for u in manifest(out)["units"]] == list(UNITS)
    for rel in UNITS:
        assert (out / rel / "publikasi.html").is_file()
        assert (out / rel / "check" / "penilaian-mandiri.json").is_file()


def test_outputs_are_what_render_writes_plus_reports(built):
    root, out, _ = built
    for rel in UNITS:
        unit, _ = load_unit(root / rel, TODAY)
        jobs, _ = plan(unit, "all")
        expected = {f"{rel}/{job.output}" for job in jobs} | {
            f"{rel}/publikasi.html", f"{rel}/check/penilaian-mandiri.html", f"{rel}/check/penilaian-mandiri.json"}
        if (root / rel / "skm").is_dir():
            expected |= {f"{rel}/skm/laporan-skm.docx", f"{rel}/skm/laporan-skm.json"}
        assert {o["path"] for o in entry(out, rel)["outputs"]} == expected
        on_disk = {p.relative_to(out).as_posix() for p in (out / rel).rglob("*") if p.is_file()}
        assert on_disk == expected
    assert not (out / "opd-x" / "bidang" / "uji" / "skm").exists()  # no survey data, no SKM report


def test_manifest_hashes_of_outputs_and_inputs(built):
    root, out, _ = built
    data = manifest(out)
    assert data["format"] == 1 and data["sp_builder"] == __version__
    sp_template = sha256_builtin("sp.docx")
    for unit in data["units"]:
        folder = root / unit["path"]
        files = {p.relative_to(folder).as_posix(): sha(p) for p in folder.rglob("*") if p.is_file()}
        assert unit["inputs"] == files
        for output in unit["outputs"]:
            assert sha(out / output["path"]) == output["sha256"], output["path"]
            inputs = output["inputs"]
            assert inputs["unit_files"] == digest(files)
            assert inputs["sp_builder"] == __version__
            if output["stage"] == "check":
                assert inputs == {"unit_files": digest(files), "sp_builder": __version__, "tanggal": "2026-03-01"}
            elif output["kind"] == "sp":
                assert inputs["templates"] == {"sp.docx": sp_template} and inputs["pdf"] is False
                assert output["path"] == f"{unit['path']}/sp/{output['layanan']}.docx"
            elif output["kind"] in ("publikasi", "skm"):
                assert set(inputs) == {"unit_files", "sp_builder"}
            else:
                assert set(inputs) == {"unit_files", "sp_builder", "pdf", "templates"}


def sha256_builtin(name: str) -> str:
    return hashlib.sha256(resources.files("sp_builder.templates").joinpath(name).read_bytes()).hexdigest()


def test_unit_entries_carry_services_counts_index_and_category(built):
    root, out, _ = built
    for rel in UNITS:
        unit = entry(out, rel)
        report = check_views.as_data(build_report(root / rel, today=TODAY))
        assert json.loads((out / rel / "check" / "penilaian-mandiri.json").read_text(encoding="utf-8")) == report
        assert unit["status"] == "ok" and unit["errors"] == 0
        assert unit["warnings"] == sum(1 for i in report["issues"] if i["severity"] == "peringatan")
        assert unit["indeks"] == report["indeks"]
        assert unit["kategori"] == report["kategori"]
        assert [(s["slug"], s["nama"], s["status"], s["warnings"]) for s in unit["services"]] == [
            (s["slug"], s["nama"], s["status"], len(s["warnings"])) for s in report["services"]]
    uji = entry(out, "opd-x/bidang/uji")
    assert uji["unit"] == "Dinas Penanaman Modal & Pelayanan Terpadu Satu Pintu"
    assert [s["file"] for s in uji["services"]] == ["layanan/domisili-usaha.yaml", "layanan/izin-reklame.yaml",
                                                    "layanan/legalisasi.yaml"]
    assert [s["status"] for s in uji["services"]] == ["ditetapkan", "ditetapkan", "rancangan"]


def test_documents_and_publication_page_content(built):
    root, out, _ = built
    doc = docx.Document(str(out / "opd-x" / "bidang" / "uji" / "sp" / "legalisasi.docx"))
    assert "LEGALISASI DOKUMEN PERIZINAN" in [p.text for p in doc.paragraphs]
    assert "RANCANGAN" in [p.text for p in doc.sections[0].header.paragraphs]
    unit, _ = load_unit(root / "opd-x" / "bidang" / "uji", TODAY)
    page = (out / "opd-x" / "bidang" / "uji" / "publikasi.html").read_text(encoding="utf-8")
    assert page == publication_page(unit)
    parsed = parse_html(page)
    assert parsed.find("section", id="layanan-legalisasi").attrs["data-status"] == "rancangan"
    skm = json.loads((out / "opd-kesehatan" / "puskesmas" / "skm" / "laporan-skm.json").read_text(encoding="utf-8"))
    assert skm["ikm"]["responden"] > 0


def test_index_lists_units_counts_and_links_to_existing_files(built):
    _, out, _ = built
    parsed = parse_html((out / "index.html").read_text(encoding="utf-8"))
    data = manifest(out)
    rows = parsed.find("table", id="unit").find("tbody").find_all("tr")
    assert [r.attrs["data-unit"] for r in rows] == list(UNITS)
    for row, unit in zip(rows, data["units"]):
        cells = {td.attrs["data-kolom"]: td.text() for td in row.find_all("td") if "data-kolom" in td.attrs}
        drafts = sum(1 for s in unit["services"] if s["status"] == "rancangan")
        assert cells["layanan"] == str(len(unit["services"]))
        assert cells["rancangan"] == str(drafts)
        assert cells["galat"] == "0" and cells["peringatan"] == str(unit["warnings"])
        assert cells["indeks"] == f"{unit['indeks']:.2f}".replace(".", ",")
    assert parsed.find("strong", id="jumlah-layanan").text() == str(sum(len(u["services"]) for u in data["units"]))
    links = [a.attrs["href"] for a in parsed.find_all("a") if not a.attrs["href"].startswith("#")]
    assert {unquote(h) for h in links} == {o["path"] for u in data["units"] for o in u["outputs"]}
    assert all((out / unquote(h)).is_file() for h in links)
    ktp = parsed.find("section", data_unit="opd-x/bidang/uji").find("tr", data_layanan="izin-reklame")
    assert [unquote(a.attrs["href"]) for a in ktp.find_all("a")] == ["opd-x/bidang/uji/sp/izin-reklame.docx"]


def test_parallel_build_gives_the_same_outputs(built, tmp_path):
    root, out, _ = built
    result = run(root, tmp_path / "paralel", workers=2)
    assert states(result) == {rel: BUILT for rel in UNITS}
    assert manifest(tmp_path / "paralel") == manifest(out)


# ---------------------------------------------------------------------------------------------
# Incremental


def test_second_build_rewrites_nothing_even_after_touch(tmp_path):
    root, out = make_root(tmp_path), tmp_path / "out"
    run(root, out)
    before = stamps(out)
    os.utime(root / "dpmptsp" / "unit.yaml")  # a new time, the same content
    result = run(root, out)
    assert states(result) == {rel: UNCHANGED for rel in UNITS}
    assert (result.written, result.removed) == (0, 0)
    assert stamps(out) == before


def test_editing_one_service_rebuilds_only_that_unit(tmp_path):
    root, out = make_root(tmp_path), tmp_path / "out"
    run(root, out)
    before = stamps(out)
    service = root / "opd-kesehatan" / "puskesmas" / "layanan" / "laboratorium.yaml"
    old = entry(out, "opd-kesehatan/puskesmas")["inputs"]["layanan/laboratorium.yaml"]
    text = service.read_text(encoding="utf-8")
    service.write_text(_with_duration(text, "45 menit"), encoding="utf-8")
    result = run(root, out)
    assert states(result) == {"dpmptsp": UNCHANGED, "opd-kesehatan/puskesmas": BUILT, "opd-x/bidang/uji": UNCHANGED}
    after = stamps(out)
    changed = {path for path in after if after[path] != before.get(path)}
    unit_outputs = {o["path"] for o in entry(out, "opd-kesehatan/puskesmas")["outputs"]}
    assert changed == unit_outputs | {"index.html", "manifest.json"}
    assert result.written == len(unit_outputs) + 2
    assert entry(out, "opd-kesehatan/puskesmas")["inputs"]["layanan/laboratorium.yaml"] == sha(service) != old
    doc = docx.Document(str(out / "opd-kesehatan" / "puskesmas" / "sp" / "laboratorium.docx"))
    assert "45 menit" in [c.text for t in doc.tables for r in t.rows for c in r.cells]


def _with_duration(text: str, duration: str) -> str:
    lines = [f"  jangka_waktu: {duration}" if line.startswith("  jangka_waktu:") else line
             for line in text.splitlines()]
    assert lines != text.splitlines()
    return "\n".join(lines) + "\n"


def test_force_rebuilds_everything(tmp_path):
    root, out = make_root(tmp_path), tmp_path / "out"
    run(root, out)
    before = stamps(out)
    result = run(root, out, force=True)
    assert states(result) == {rel: BUILT for rel in UNITS}
    after = stamps(out)
    outputs = {o["path"] for u in manifest(out)["units"] for o in u["outputs"]}
    assert all(after[path] != before[path] for path in outputs)
    assert result.written == len(outputs)  # same content: index and manifest stay as they were


def test_a_new_day_refreshes_only_the_check_reports(tmp_path):
    root, out = make_root(tmp_path), tmp_path / "out"
    run(root, out)
    before = stamps(out)
    result = run(root, out, today=TODAY + dt.timedelta(days=1))
    assert states(result) == {rel: BUILT for rel in UNITS}
    after = stamps(out)
    changed = {path for path in after if after[path] != before[path]}
    checks = {f"{rel}/check/penilaian-mandiri.{ext}" for rel in UNITS for ext in ("html", "json")}
    assert changed == checks | {"manifest.json"}
    assert states(run(root, out, today=TODAY + dt.timedelta(days=1))) == {rel: UNCHANGED for rel in UNITS}


def test_a_new_version_or_template_rebuilds_the_documents(tmp_path, monkeypatch):
    root, out = make_root(tmp_path), tmp_path / "out"
    run(root, out)
    templates = tmp_path / "templat"
    templates.mkdir()
    shutil.copyfile(resources.files("sp_builder.templates").joinpath("maklumat.docx"), templates / "maklumat.docx")
    assert states(run(root, out, templates=templates)) == {rel: UNCHANGED for rel in UNITS}  # same bytes
    docx.Document(str(templates / "maklumat.docx")).save(str(templates / "maklumat.docx"))
    before = stamps(out)
    result = run(root, out, templates=templates)
    assert states(result) == {rel: BUILT for rel in UNITS}
    changed = {path for path, stamp in stamps(out).items() if stamp != before[path]}
    assert not any("/check/" in path for path in changed)
    maklumat = next(o for o in entry(out, "dpmptsp")["outputs"] if o["kind"] == "maklumat")
    assert maklumat["inputs"]["templates"] == {"maklumat.docx": sha(templates / "maklumat.docx")}
    monkeypatch.setattr(build_mod, "__version__", "99.0")
    assert states(run(root, out, templates=templates)) == {rel: BUILT for rel in UNITS}
    assert {o["inputs"]["sp_builder"] for u in manifest(out)["units"] for o in u["outputs"]} == {"99.0"}


def test_missing_or_altered_output_rebuilds_its_unit(tmp_path):
    root, out = make_root(tmp_path), tmp_path / "out"
    run(root, out)
    lost = out / "dpmptsp" / "sp" / "retribusi-ptka.docx"
    recorded = sha(lost)
    lost.unlink()
    (out / "opd-x" / "bidang" / "uji" / "publikasi.html").write_text("diubah tangan", encoding="utf-8")
    result = run(root, out)
    assert states(result) == {"dpmptsp": BUILT, "opd-kesehatan/puskesmas": UNCHANGED, "opd-x/bidang/uji": BUILT}
    assert sha(lost) == recorded
    assert (out / "opd-x" / "bidang" / "uji" / "publikasi.html").read_text(encoding="utf-8").startswith("<!DOCTYPE")


def test_removed_service_and_unit_leave_no_stale_output(tmp_path):
    root, out = make_root(tmp_path), tmp_path / "out"
    run(root, out)
    gone = len(entry(out, "dpmptsp")["outputs"])
    (root / "opd-x" / "bidang" / "uji" / "layanan" / "legalisasi.yaml").unlink()
    shutil.rmtree(root / "dpmptsp")
    result = run(root, out)
    assert states(result) == {"opd-kesehatan/puskesmas": UNCHANGED, "opd-x/bidang/uji": BUILT}
    assert not (out / "opd-x" / "bidang" / "uji" / "sp" / "legalisasi.docx").exists()
    assert (out / "opd-x" / "bidang" / "uji" / "sp" / "izin-reklame.docx").is_file()
    assert not (out / "dpmptsp").exists()
    assert result.removed == 1 + gone
    assert [u["path"] for u in manifest(out)["units"]] == ["opd-kesehatan/puskesmas", "opd-x/bidang/uji"]


def test_interrupted_build_leaves_no_partial_file_and_the_next_one_finishes(tmp_path):
    root, out = make_root(tmp_path), tmp_path / "out"

    def interrupt(outcome, done, total):
        if done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run(root, out, progress=interrupt)
    assert not (out / "manifest.json").exists() and not (out / "index.html").exists()
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]
    result = run(root, out)
    assert states(result) == {rel: BUILT for rel in UNITS}
    assert states(run(root, out)) == {rel: UNCHANGED for rel in UNITS}


# ---------------------------------------------------------------------------------------------
# Errors


def test_a_unit_with_errors_does_not_stop_the_others(tmp_path, monkeypatch):
    root, out = make_root(tmp_path), tmp_path / "out"
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["build", "pemda", "-o", "out", "-j", "1"]).exit_code == 0
    broken = root / "opd-kesehatan" / "puskesmas" / "layanan" / "laboratorium.yaml"
    broken.write_text(_with_duration(broken.read_text(encoding="utf-8"), "secepatnya"), encoding="utf-8")
    outcome = runner.invoke(main, ["build", "pemda", "-o", "out", "-j", "1"])
    assert outcome.exit_code == 1, outcome.output
    lines = outcome.stdout.splitlines()
    assert lines[0] == "galat di unit opd-kesehatan/puskesmas:"
    assert lines[1].startswith("  pemda/opd-kesehatan/puskesmas/layanan/laboratorium.yaml:")
    assert '"secepatnya" bukan durasi' in lines[1]
    assert lines[-2].startswith("3 unit: 0 dibangun, 2 tidak berubah, 1 bergalat;")
    unit = entry(out, "opd-kesehatan/puskesmas")
    assert unit["status"] == "galat" and unit["errors"] == 1
    assert unit["issues"][0]["component"] == "Jangka Waktu Pelayanan"
    assert {o["kind"] for o in unit["outputs"]} == {"skm", "check"}  # no documents from a unit with errors
    assert not (out / "opd-kesehatan" / "puskesmas" / "sp").exists()
    assert (out / "dpmptsp" / "sp" / "retribusi-ptka.docx").is_file()
    row = parse_html((out / "index.html").read_text(encoding="utf-8")).find("tr", data_unit="opd-kesehatan/puskesmas")
    assert row.find("td", data_kolom="galat").text() == "1" and row.find("span", class_="galat")
    again = run(root, out, today=dt.date.today())
    assert states(again) == {"dpmptsp": UNCHANGED, "opd-kesehatan/puskesmas": FAILED, "opd-x/bidang/uji": UNCHANGED}
    assert again.exit_code == ExitCode.INPUT_ERROR


def test_an_unexpected_failure_of_one_unit_is_reported_and_the_build_goes_on(tmp_path, monkeypatch):
    root, out = make_root(tmp_path), tmp_path / "out"
    real = build_mod.publication_page

    def failing(unit, **kwargs):
        if unit.root.name == "uji":
            raise RuntimeError("rusak")
        return real(unit, **kwargs)

    monkeypatch.setattr(build_mod, "publication_page", failing)
    result = run(root, out)
    assert states(result) == {"dpmptsp": BUILT, "opd-kesehatan/puskesmas": BUILT, "opd-x/bidang/uji": FAILED}
    message = result.units[2].errors[0].message
    assert message.startswith("galat internal: RuntimeError: rusak.") and "--debug render all" in message


def test_usage_errors(tmp_path):
    root = make_root(tmp_path)
    with pytest.raises(UserError, match="sama dengan folder masukan") as caught:
        run(root, root)
    assert caught.value.code == ExitCode.USAGE
    with pytest.raises(UserError, match="sama dengan folder masukan"):
        run(root, root / "dpmptsp")
    empty = tmp_path / "kosong"
    empty.mkdir()
    with pytest.raises(UserError, match="tidak ada unit"):
        run(empty, tmp_path / "out")
    outcome = CliRunner().invoke(main, ["build", str(root), "-o", str(root)])
    assert outcome.exit_code == 2 and "sama dengan folder masukan" in outcome.stderr


def test_output_inside_a_unit_is_not_an_input(tmp_path):
    unit = tmp_path / "unit"
    shutil.copytree(UNITS["dpmptsp"], unit)
    out = unit / "keluaran"
    first = run(unit, out)
    assert states(first) == {".": BUILT}
    assert "keluaran/manifest.json" not in manifest(out)["units"][0]["inputs"]
    assert (out / "sp" / "retribusi-ptka.docx").is_file()
    assert states(run(unit, out)) == {".": UNCHANGED}


# ---------------------------------------------------------------------------------------------
# Progress and the command line


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_a_bar_on_a_terminal_and_lines_otherwise():
    plain, terminal = io.StringIO(), _Terminal()
    for done, rel in enumerate(("a", "b/c"), start=1):
        outcome = UnitOutcome(rel, BUILT, {}, [], 3)
        ProgressDisplay(plain)(outcome, done, 2)
        ProgressDisplay(terminal, width=10)(outcome, done, 2)
    assert plain.getvalue() == "[1/2] a: dibangun, 3 berkas\n[2/2] b/c: dibangun, 3 berkas\n"
    frames = terminal.getvalue().split("\r")[1:]
    assert frames[0].startswith("[#####-----] 1/2 a ") and frames[1].startswith("[##########] 2/2 b/c")
    assert terminal.getvalue().endswith("\n") and terminal.getvalue().count("\n") == 1


def test_cli_build_prints_progress_and_summary(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # paths are printed relative to the working directory
    root, out = make_root(tmp_path), tmp_path / "out"
    outcome = CliRunner().invoke(main, ["build", str(root), "-o", str(out), "-j", "2"])
    assert outcome.exit_code == 0, outcome.output
    progress = [line.split(" ", 1) for line in outcome.stderr.splitlines()]
    assert [counter for counter, _ in progress] == ["[1/3]", "[2/3]", "[3/3]"]  # units finish in any order
    assert sorted(line for _, line in progress) == [
        f"{rel}: dibangun, {len(entry(out, rel)['outputs'])} berkas" for rel in UNITS]
    total = sum(len(u["outputs"]) for u in manifest(out)["units"])
    assert outcome.stdout.splitlines() == [
        f"3 unit: 3 dibangun, 0 tidak berubah, 0 bergalat; {total + 2} berkas ditulis, 0 dihapus",
        "indeks: out/index.html"]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) tidak terpasang")
def test_pdf_outputs_and_their_removal_when_no_longer_asked(tmp_path):
    root = tmp_path / "pemda"
    shutil.copytree(REPO / "tests" / "data" / "render" / "rancangan-saja", root / "rancangan")
    out = tmp_path / "out"
    result = run(root, out, pdf=True)
    assert states(result) == {"rancangan": BUILT}
    outputs = entry(out, "rancangan")["outputs"]
    documents = [o for o in outputs if o["path"].endswith(".docx")]
    pdfs = {o["path"] for o in outputs if o["path"].endswith(".pdf") and o["kind"] != "bundel"}
    assert pdfs == {o["path"][:-5] + ".pdf" for o in documents}
    bundle = next(o for o in outputs if o["kind"] == "bundel")
    assert bundle["inputs"]["pdf"] is True and set(bundle["inputs"]["templates"]) == {"sp.docx", "maklumat.docx"}
    reader = PdfReader(out / bundle["path"])
    assert [item.title for item in reader.outline] == [o["title"] for o in documents]
    assert all(sha(out / o["path"]) == o["sha256"] for o in outputs)
    assert states(run(root, out, pdf=True)) == {"rancangan": UNCHANGED}
    without = run(root, out)
    assert states(without) == {"rancangan": BUILT}
    assert without.removed == len(pdfs) + 1
    assert not list(out.rglob("*.pdf"))
