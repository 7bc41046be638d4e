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
from pypdf import PdfReader, PdfWriter

from sp_builder import __version__, build as build_mod
from sp_builder.assessment import views as check_views
from sp_builder.build import BUILT, FAILED, ProgressDisplay, UNCHANGED, UnitOutcome, build
from sp_builder.manifest import digest
from sp_builder.assessment.check import build_report
from sp_builder.cli import main
from sp_builder.errors import ExitCode, UserError
from sp_builder.files import display_path, display_relative_to
from sp_builder.documents.publish import publication_page
from sp_builder.documents.render import plan
from sp_builder.unit.validate import load_unit
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


def texts(path: Path) -> list[str]:
    """Every paragraph and table cell of a .docx, its headers included."""
    doc = docx.Document(str(path))
    parts = [doc, *(section.header for section in doc.sections)]
    return [p.text for part in parts for p in part.paragraphs] + [
        c.text for part in parts for t in part.tables for r in t.rows for c in r.cells]


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
            f"{rel}/publikasi.html", f"{rel}/check/penilaian-mandiri.html", f"{rel}/check/penilaian-mandiri.json",
            f"{rel}/check/penilaian-mandiri.docx", f"{rel}/check/kalender.ics"}
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
                pdf = {"pdf": False} if output["path"].endswith(".docx") else {}  # its PDF follows the .docx
                assert inputs == {"unit_files": digest(files), "sp_builder": __version__, "tanggal": "2026-03-01",
                                  **pdf}
            elif output["kind"] == "sp":
                assert inputs["templates"] == {"sp.docx": sp_template} and inputs["pdf"] is False
                assert output["path"] == f"{unit['path']}/sp/{output['layanan']}.docx"
            elif output["kind"] == "skm" and output["path"].endswith(".docx"):
                assert inputs == {"unit_files": digest(files), "sp_builder": __version__, "pdf": False}
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
        with display_relative_to(root):  # build writes paths relative to ROOT
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


def rewritten(before: dict[str, int], out: Path) -> set[str]:
    after = stamps(out)
    return {path for path in after if after[path] != before.get(path)}


def outputs_of(out: Path, rel: str) -> set[str]:
    return {o["path"] for o in entry(out, rel)["outputs"]}


def test_second_build_rewrites_nothing_even_after_touch(tmp_path):
    root, out = make_root(tmp_path), tmp_path / "out"
    run(root, out)
    before = stamps(out)
    os.utime(root / "dpmptsp" / "unit.yaml")  # a new time, the same content
    result = run(root, out)
    assert states(result) == {rel: UNCHANGED for rel in UNITS}
    assert (result.written, result.unchanged, result.removed) == (0, 3, 0)  # the index, calendar and manifest, compared
    assert stamps(out) == before
    assert result.summary()[-2] == ("3 unit: 0 dibangun, 3 tidak berubah, 0 bergalat; 0 berkas ditulis, "
                                    "3 tidak ditulis karena isinya sama, 0 dihapus")


def test_editing_one_established_service_rewrites_exactly_its_sp_the_sk_and_the_reports(tmp_path):
    root, out = make_root(tmp_path), tmp_path / "out"
    run(root, out)
    before = stamps(out)
    service = root / "opd-kesehatan" / "puskesmas" / "layanan" / "laboratorium.yaml"
    old = entry(out, "opd-kesehatan/puskesmas")["inputs"]["layanan/laboratorium.yaml"]
    # against the FKP's agreement ("2 jam"), so check warns: its reports and the index change too
    service.write_text(_with_duration(service.read_text(encoding="utf-8"), "45 menit"), encoding="utf-8")
    result = run(root, out)
    assert states(result) == {"dpmptsp": UNCHANGED, "opd-kesehatan/puskesmas": BUILT, "opd-x/bidang/uji": UNCHANGED}
    unit = "opd-kesehatan/puskesmas"
    expected = {f"{unit}/sp/laboratorium.docx", f"{unit}/sk/keputusan-standar-pelayanan.docx",
                f"{unit}/check/penilaian-mandiri.html", f"{unit}/check/penilaian-mandiri.json",
                f"{unit}/publikasi.html", "index.html", "manifest.json"}
    assert rewritten(before, out) == expected
    untouched = {f"{unit}/sp/kia-imunisasi.docx", f"{unit}/sp/pemeriksaan-umum.docx",
                 # the SOP shows the steps, not the SP's jangka waktu: its bytes are the same
                 *(f"{unit}/sop/{slug}.docx" for slug in ("kia-imunisasi", "laboratorium", "pemeriksaan-umum")),
                 f"{unit}/maklumat/maklumat-pelayanan.docx", f"{unit}/skm/laporan-skm.docx",
                 f"{unit}/skm/laporan-skm.json", f"{unit}/check/kalender.ics", f"{unit}/check/penilaian-mandiri.docx",
                 *(f"{unit}/fkp/2025-12-fkp-sp/{name}.docx" for name in ("berita-acara", "daftar-hadir", "undangan"))}
    assert untouched | expected == outputs_of(out, unit) | {"index.html", "manifest.json"}
    assert (result.written, result.unchanged) == (7, len(untouched) + 1)  # and the whole build's kalender.ics
    assert result.summary()[-2] == ("3 unit: 1 dibangun, 2 tidak berubah, 0 bergalat; 7 berkas ditulis, "
                                    "14 tidak ditulis karena isinya sama, 0 dihapus")
    assert result.units[1].written == 5 and result.units[1].unchanged == len(untouched)
    assert entry(out, unit)["inputs"]["layanan/laboratorium.yaml"] == sha(service) != old
    assert all(sha(out / o["path"]) == o["sha256"] for o in entry(out, unit)["outputs"])
    for document in ("sp/laboratorium.docx", "sk/keputusan-standar-pelayanan.docx"):  # the SK's Lampiran too
        assert "45 menit" in texts(out / unit / document)
    again = run(root, out)
    assert states(again) == {rel: UNCHANGED for rel in UNITS} and again.written == 0


def test_editing_a_draft_service_leaves_the_sk_alone(tmp_path):
    root, out = make_root(tmp_path), tmp_path / "out"
    run(root, out)
    before = stamps(out)
    draft = root / "dpmptsp" / "layanan" / "retribusi-ptka.yaml"
    draft.write_text(_with_duration(draft.read_text(encoding="utf-8"), "2 hari"), encoding="utf-8")
    result = run(root, out)
    assert states(result) == {"dpmptsp": BUILT, "opd-kesehatan/puskesmas": UNCHANGED, "opd-x/bidang/uji": UNCHANGED}
    assert rewritten(before, out) == {"dpmptsp/sp/retribusi-ptka.docx", "dpmptsp/publikasi.html", "manifest.json"}
    assert "dpmptsp/sk/keputusan-standar-pelayanan.docx" in outputs_of(out, "dpmptsp")
    assert result.written == 3


def test_editing_one_services_steps_rewrites_its_sp_and_its_sop_only(tmp_path):
    root, out = make_root(tmp_path), tmp_path / "out"
    run(root, out)
    before = stamps(out)
    draft = root / "opd-x" / "bidang" / "uji" / "layanan" / "legalisasi.yaml"  # a draft: in no SK
    text = draft.read_text(encoding="utf-8")
    draft.write_text(text.replace("Petugas melegalisasi]", "Petugas memeriksa dan melegalisasi]"), encoding="utf-8")
    result = run(root, out)
    assert states(result) == {"dpmptsp": UNCHANGED, "opd-kesehatan/puskesmas": UNCHANGED, "opd-x/bidang/uji": BUILT}
    unit = "opd-x/bidang/uji"
    assert rewritten(before, out) == {f"{unit}/sp/legalisasi.docx", f"{unit}/sop/legalisasi.docx",
                                      f"{unit}/publikasi.html", "manifest.json"}
    assert {f"{unit}/sop/domisili-usaha.docx", f"{unit}/sop/izin-reklame.docx"} <= outputs_of(out, unit)
    sop = docx.Document(str(out / unit / "sop" / "legalisasi.docx"))
    assert [row.cells[1].text for row in sop.tables[1].rows[2:]] == ["Pemohon menyerahkan dokumen",
                                                                     "Petugas memeriksa dan melegalisasi"]
    record = next(o for o in entry(out, unit)["outputs"] if o["path"] == f"{unit}/sop/legalisasi.docx")
    assert (record["kind"], record["title"], record["inputs"]["templates"]) == ("sop", "SOP Legalisasi Dokumen Perizinan", {})


def test_editing_the_address_rewrites_every_document_of_the_unit(tmp_path):
    root, out = make_root(tmp_path), tmp_path / "out"
    run(root, out)
    before = stamps(out)
    unit_yaml = root / "opd-kesehatan" / "puskesmas" / "unit.yaml"
    text = unit_yaml.read_text(encoding="utf-8")
    assert "Jl. Raya Sukamaju No. 12" in text
    unit_yaml.write_text(text.replace("Jl. Raya Sukamaju No. 12", "Jl. Raya Sukamaju No. 21"), encoding="utf-8")
    result = run(root, out)
    assert states(result) == {"dpmptsp": UNCHANGED, "opd-kesehatan/puskesmas": BUILT, "opd-x/bidang/uji": UNCHANGED}
    unit = "opd-kesehatan/puskesmas"
    documents = {path for path in outputs_of(out, unit) if path.endswith(".docx")}
    sops = {path for path in documents if "/sop/" in path}
    assert len(documents) == 13 and len(sops) == 3  # 3 SP, SK, Maklumat, 3 FKP documents, 3 SOP, the two reports
    # every kop shows the address; the SOP's identity sheet names the unit, not its address
    assert rewritten(before, out) == documents - sops | {f"{unit}/publikasi.html", "manifest.json"}
    for document in documents - sops:
        assert any("Jl. Raya Sukamaju No. 21" in text for text in texts(out / document)), document


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


def test_a_new_day_redoes_only_the_check_reports_and_writes_those_that_changed(tmp_path):
    root, out = make_root(tmp_path), tmp_path / "out"
    run(root, out)
    before = stamps(out)
    result = run(root, out, today=TODAY + dt.timedelta(days=1))
    assert states(result) == {rel: BUILT for rel in UNITS}
    # the same findings the next day: only the dates recorded (the manifest's, the calendars' DTSTAMP,
    # the check report's date in its .docx)
    calendars = {"kalender.ics"} | {f"{rel}/check/kalender.ics" for rel in UNITS}
    dated = {f"{rel}/check/penilaian-mandiri.docx" for rel in UNITS}
    assert rewritten(before, out) == {"manifest.json"} | calendars | dated
    assert (result.written, result.unchanged) == (1 + 4 + 3, 3 * 2 + 1)
    assert {o["inputs"]["tanggal"] for u in manifest(out)["units"] for o in u["outputs"] if o["stage"] == "check"} == {
        "2026-03-02"}
    assert states(run(root, out, today=TODAY + dt.timedelta(days=1))) == {rel: UNCHANGED for rel in UNITS}
    before = stamps(out)
    later = run(root, out, today=TODAY + dt.timedelta(days=400))  # established SPs are now overdue for review
    assert states(later) == {rel: BUILT for rel in UNITS}
    checks = {f"{rel}/check/penilaian-mandiri.{ext}" for rel in UNITS for ext in ("html", "json", "docx")}
    assert checks <= rewritten(before, out) <= checks | calendars | {"index.html", "manifest.json"}


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
    before = stamps(out)
    result = run(root, out)
    assert states(result) == {"dpmptsp": BUILT, "opd-kesehatan/puskesmas": UNCHANGED, "opd-x/bidang/uji": BUILT}
    assert rewritten(before, out) == {"dpmptsp/sp/retribusi-ptka.docx", "opd-x/bidang/uji/publikasi.html"}
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
    for kind in ("sp", "sop"):
        assert not (out / "opd-x" / "bidang" / "uji" / kind / "legalisasi.docx").exists()
        assert (out / "opd-x" / "bidang" / "uji" / kind / "izin-reklame.docx").is_file()
    assert not (out / "dpmptsp").exists()
    assert result.removed == 2 + gone  # the removed service's SP and SOP
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
    assert {o["kind"] for o in unit["outputs"]} == {"skm", "check", "kalender"}  # no documents from a unit with errors
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
    for done, (rel, unchanged) in enumerate((("a", 19), ("b/c", 0)), start=1):
        outcome = UnitOutcome(rel, BUILT, {}, [], 3, unchanged)
        ProgressDisplay(plain)(outcome, done, 2)
        ProgressDisplay(terminal, width=10)(outcome, done, 2)
    ProgressDisplay(plain)(UnitOutcome("d", UNCHANGED, {}), 2, 2)
    assert plain.getvalue() == ("[1/2] a: dibangun, 3 berkas ditulis, 19 tidak berubah\n"
                                "[2/2] b/c: dibangun, 3 berkas ditulis\n[2/2] d: tidak berubah\n")
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
        f"{rel}: dibangun, {len(entry(out, rel)['outputs'])} berkas ditulis" for rel in UNITS]
    total = sum(len(u["outputs"]) for u in manifest(out)["units"])
    assert outcome.stdout.splitlines() == [
        f"3 unit: 3 dibangun, 0 tidak berubah, 0 bergalat; {total + 3} berkas ditulis, "
        "0 tidak ditulis karena isinya sama, 0 dihapus",
        "indeks: out/index.html"]


def pdf_root(folder: Path) -> Path:
    root = folder / "pemda"
    shutil.copytree(REPO / "tests" / "data" / "render" / "rancangan-saja", root / "rancangan")
    shutil.copytree(UNITS["opd-x/bidang/uji"], root / "uji")
    return root


def spy_on_convert(monkeypatch, convert, folder: Path) -> list[list[str]]:
    """Each pdf.convert call's files (as paths under `folder`), the call passed on to `convert`."""
    calls = []

    def spy(files, **options):
        calls.append([Path(f).relative_to(folder).as_posix() for f in files])
        return convert(files, **options)

    monkeypatch.setattr(build_mod.pdf_mod, "convert", spy)
    return calls


def pdf_stamps(out: Path) -> dict[str, int]:
    return {path: stamp for path, stamp in stamps(out).items() if path.endswith(".pdf")}


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) tidak terpasang")
def test_pdf_in_one_pass_then_only_what_changed_then_removed_when_no_longer_asked(tmp_path, monkeypatch):
    root, out = pdf_root(tmp_path), tmp_path / "out"
    calls = spy_on_convert(monkeypatch, build_mod.pdf_mod.convert, tmp_path)
    result = run(root, out, pdf=True, workers=2)
    assert states(result) == {"rancangan": BUILT, "uji": BUILT}
    documents = {rel: [o for o in entry(out, rel)["outputs"] if o["path"].endswith(".docx")]
                 for rel in ("rancangan", "uji")}
    # SP, Maklumat and SOP; 3 SP, SK, Maklumat and 3 SOP; then the check report
    assert [[o["kind"] for o in d] for d in documents.values()] == [
        ["sp", "maklumat", "sop", "check"], ["sk", "sp", "sp", "sp", "maklumat", "sop", "sop", "sop", "check"]]
    assert len(calls) == 1 and sorted(calls[0]) == sorted(f"out/{o['path']}" for d in documents.values() for o in d)
    for rel, docs in documents.items():
        outputs = entry(out, rel)["outputs"]
        pdfs = [o for o in outputs if o["path"].endswith(".pdf") and o["kind"] != "bundel"]
        assert [o["path"] for o in pdfs] == [o["path"][:-5] + ".pdf" for o in docs]
        bundle = next(o for o in outputs if o["kind"] == "bundel")
        assert outputs.index(bundle) == outputs.index(pdfs[-1]) + 1
        assert bundle["path"] == f"{rel}/{rel}-bundel.pdf" and bundle["inputs"]["pdf"] is True
        assert set(bundle["inputs"]["templates"]) == {name for o in docs[:-1] for name in o["inputs"]["templates"]}
        sops = [o for o in docs if o["kind"] == "sop"]
        assert sops and all(o["inputs"]["templates"] == {} for o in sops)  # built with python-docx: no template
        reader = PdfReader(out / bundle["path"])
        bookmarks = [o["title"] for o in docs[:-1]] + ["Laporan Penilaian Mandiri"]  # the check report last
        assert docs[-1]["path"] == f"{rel}/check/penilaian-mandiri.docx" and docs[-1]["stage"] == "check"
        assert [item.title for item in reader.outline] == bookmarks
        # the SOPs after the SP documents (SK, SP, Maklumat), before the check report
        assert bookmarks[-1 - len(sops):-1] == [o["title"] for o in sops] and bookmarks[-2].startswith("SOP ")
        assert len(reader.pages) == sum(len(PdfReader(out / o["path"]).pages) for o in pdfs)
        assert all(sha(out / o["path"]) == o["sha256"] for o in outputs)

    assert states(run(root, out, pdf=True)) == {"rancangan": UNCHANGED, "uji": UNCHANGED} and len(calls) == 1
    before = pdf_stamps(out)
    service = root / "uji" / "layanan" / "izin-reklame.yaml"
    service.write_text(_with_duration(service.read_text(encoding="utf-8"), "4 hari kerja"), encoding="utf-8")
    result = run(root, out, pdf=True)
    assert states(result) == {"rancangan": UNCHANGED, "uji": BUILT}
    assert calls[1] == ["out/uji/sk/keputusan-standar-pelayanan.docx", "out/uji/sp/izin-reklame.docx"]
    assert rewritten(before, out) & before.keys() == {
        "uji/sp/izin-reklame.pdf", "uji/sk/keputusan-standar-pelayanan.pdf", "uji/uji-bundel.pdf"}
    page = PdfReader(out / "uji" / "sp" / "izin-reklame.pdf").pages[0]
    assert "4 hari kerja" in " ".join(page.extract_text().split())
    assert len(PdfReader(out / "uji" / "uji-bundel.pdf").outline) == 9
    assert all(sha(out / o["path"]) == o["sha256"] for o in entry(out, "uji")["outputs"])

    without = run(root, out)
    assert states(without) == {"rancangan": BUILT, "uji": BUILT}
    assert without.removed == 4 + 1 + 9 + 1 and without.written == 2  # the index and manifest, without PDFs
    assert not list(out.rglob("*.pdf"))


def _one_page_pdf(path: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    with open(path, "wb") as handle:
        writer.write(handle)


class FakeLibreOffice:
    """pdf.convert's contract without LibreOffice (the real one is in test_pdf): a PDF next to every
    file it can convert, then a UserError naming the others, the files whose path ends with one in
    `broken` ("sp/izin-reklame.docx"); or, with
    `timeout`, a UserError that names none (LibreOffice stopped before the end)."""

    def __init__(self, monkeypatch, folder: Path):
        self.broken: set[str] = set()
        self.timeout = False
        monkeypatch.setattr(build_mod.pdf_mod, "soffice_command", lambda: "soffice")
        self.calls = spy_on_convert(monkeypatch, self.convert, folder)

    def convert(self, files, **options):
        failed = [str(f) for f in files if any(f.as_posix().endswith(f"/{name}") for name in self.broken)]
        for file in files:
            if str(file) not in failed:
                _one_page_pdf(file.with_suffix(".pdf"))
        if failed and self.timeout:
            raise UserError("LibreOffice tidak selesai dalam 130 detik saat membuat PDF")
        if failed:
            raise UserError("LibreOffice gagal membuat PDF untuk: " + "; ".join(failed))
        return [f.with_suffix(".pdf") for f in files]


def test_a_file_libreoffice_cannot_convert_fails_its_unit_only(tmp_path, monkeypatch):
    root, out = pdf_root(tmp_path), tmp_path / "out"
    office = FakeLibreOffice(monkeypatch, tmp_path)
    calls, broken = office.calls, office.broken
    broken.add("sp/izin-reklame.docx")
    result = run(root, out, pdf=True)
    assert len(calls) == 1
    assert states(result) == {"rancangan": BUILT, "uji": FAILED} and result.exit_code == ExitCode.INPUT_ERROR
    [issue] = result.units[1].errors
    assert issue.rule == "build.pdf" and issue.path == "uji"  # relative to ROOT
    assert issue.message.startswith("LibreOffice gagal membuat PDF untuk: ") and issue.message.endswith(
        "out/uji/sp/izin-reklame.docx")
    assert (out / "rancangan" / "rancangan-bundel.pdf").is_file()
    uji = {o["path"] for o in entry(out, "uji")["outputs"]}
    assert "uji/sp/izin-reklame.docx" in uji and (out / "uji" / "sp" / "izin-reklame.docx").is_file()
    assert "uji/sp/izin-reklame.pdf" not in uji and "uji/sp/domisili-usaha.pdf" in uji
    assert not (out / "uji" / "uji-bundel.pdf").exists()  # never bound from some of the documents

    broken.clear()
    before = stamps(out)
    again = run(root, out, pdf=True)
    assert states(again) == {"rancangan": UNCHANGED, "uji": BUILT}
    assert calls[1] == ["out/uji/sp/izin-reklame.docx"]  # its .docx did not change, its PDF was missing
    assert rewritten(before, out) == {"uji/sp/izin-reklame.pdf", "uji/uji-bundel.pdf", "index.html", "manifest.json"}
    assert len(PdfReader(out / "uji" / "uji-bundel.pdf").outline) == 9  # 8 documents and the check report


def test_a_failure_that_names_no_file_is_explained_in_each_unit_it_concerns(tmp_path, monkeypatch):
    root, out = pdf_root(tmp_path), tmp_path / "out"
    office = FakeLibreOffice(monkeypatch, tmp_path)
    office.broken.add("maklumat-pelayanan.docx")
    office.timeout = True
    result = run(root, out, pdf=True)
    assert states(result) == {"rancangan": FAILED, "uji": FAILED}
    for unit in result.units:
        [issue] = unit.errors
        with display_relative_to(root):  # the PDF pass names files as seen from ROOT
            shown = display_path(out / unit.rel)
        assert issue.message == (f"LibreOffice gagal membuat PDF untuk: {shown}/maklumat/"
                                 "maklumat-pelayanan.docx (LibreOffice tidak selesai dalam 130 detik saat membuat PDF)")
        assert (out / unit.rel / "sp" / "legalisasi.pdf").is_file()


def test_a_build_killed_before_its_pdf_pass_converts_what_it_wrote_next_time(tmp_path, monkeypatch):
    root, out = pdf_root(tmp_path), tmp_path / "out"
    calls = FakeLibreOffice(monkeypatch, tmp_path).calls
    run(root, out, pdf=True)
    service = root / "uji" / "layanan" / "izin-reklame.yaml"
    service.write_text(_with_duration(service.read_text(encoding="utf-8"), "4 hari kerja"), encoding="utf-8")

    def killed(*args):
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(build_mod, "pdf_pass", killed)
        with pytest.raises(KeyboardInterrupt):
            run(root, out, pdf=True)
    assert "4 hari kerja" in texts(out / "uji" / "sp" / "izin-reklame.docx")  # written, its PDF still the old one
    before = stamps(out)
    result = run(root, out, pdf=True)
    assert states(result) == {"rancangan": UNCHANGED, "uji": BUILT}
    assert calls[1] == ["out/uji/sk/keputusan-standar-pelayanan.docx", "out/uji/sp/izin-reklame.docx"]
    assert rewritten(before, out) == {"uji/sp/izin-reklame.pdf", "uji/sk/keputusan-standar-pelayanan.pdf",
                                      "uji/uji-bundel.pdf", "manifest.json"}  # the .docx were already there
    assert all(sha(out / o["path"]) == o["sha256"] for o in entry(out, "uji")["outputs"])


def test_outputs_do_not_depend_on_the_working_directory(tmp_path, monkeypatch):
    root, out = make_root(tmp_path), tmp_path / "out"
    monkeypatch.chdir(tmp_path)
    run(root, out)
    report = json.loads((out / "dpmptsp" / "check" / "penilaian-mandiri.json").read_text(encoding="utf-8"))
    assert report["services"][0]["file"].startswith("dpmptsp/layanan/")  # relative to ROOT, not to cwd
    before = stamps(out)
    monkeypatch.chdir(root / "dpmptsp")
    run(root, out)
    assert rewritten(before, out) == set()
