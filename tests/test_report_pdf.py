"""Every report as PDF: the SKM report and the check report in `build --pdf` and in the unit
bundle, and `skm`, `check`, `diff --format pdf`. The real LibreOffice in few batches (soffice starts
slowly; CI has 2 cores): one build, then the three CLI conversions; the incremental rules with the
fake LibreOffice of test_build."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from sp_builder.build import BUILT, UNCHANGED
from sp_builder.cli import main
from test_build import SAMPLES, TODAY, FakeLibreOffice, entry, pdf_root, rewritten, run, stamps, states

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) tidak terpasang")

SKM, CHECK = "Laporan Survei Kepuasan Masyarakat", "Laporan Penilaian Mandiri"


def text_of(path: Path) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(path).pages)


@pytest.fixture(scope="module")
def puskesmas(tmp_path_factory):
    """One build --pdf of the sample with survey data, then a second one."""
    folder = tmp_path_factory.mktemp("laporan")
    root, out = folder / "pemda", folder / "out"
    shutil.copytree(SAMPLES / "puskesmas-contoh", root / "puskesmas")
    first = run(root, out, pdf=True)
    before = stamps(out)
    second = run(root, out, pdf=True)
    return root, out, first, second, before


@needs_soffice
def test_render_all_pdf_binds_the_bundle_build_binds(puskesmas, tmp_path):
    """`render all --pdf` of the same unit: the same parts in the same order under the same
    bookmarks, the reports' .docx and PDF written where build writes them."""
    root, out, _, _, _ = puskesmas
    target = tmp_path / "keluaran"
    result = CliRunner().invoke(main, ["render", "all", str(root / "puskesmas"), "-o", str(target), "--pdf"])
    assert result.exit_code == 0, result.output
    built = PdfReader(out / "puskesmas" / "puskesmas-bundel.pdf")
    rendered = PdfReader(target / "puskesmas-bundel.pdf")
    titles = [item.title for item in rendered.outline]
    assert titles == [item.title for item in built.outline] and titles[-2:] == [SKM, CHECK]
    assert [t for t in titles if t.startswith("SOP ")] == titles[-5:-2]  # the SOPs after the SP documents
    for name in ("skm/laporan-skm", "check/penilaian-mandiri"):
        assert f"ditulis: {target / name}.docx" in result.stdout and f"ditulis: {target / name}.pdf" in result.stdout
    assert "LAPORAN PENILAIAN MANDIRI PELAYANAN PUBLIK" in text_of(target / "check" / "penilaian-mandiri.pdf")
    parts = [p for p in target.rglob("*.pdf") if p.name != "puskesmas-bundel.pdf"]
    assert len(parts) == len(titles) and len(rendered.pages) == sum(len(PdfReader(p).pages) for p in parts)


def test_render_all_without_pdf_writes_the_documents_only(tmp_path):
    result = CliRunner().invoke(main, ["render", "all", str(SAMPLES / "puskesmas-contoh"), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_dir()) == ["fkp", "maklumat", "sk", "sop", "sp"]  # no skm/, check/


@needs_soffice
def test_the_bundle_holds_the_documents_then_the_skm_and_check_reports(puskesmas):
    root, out, first, _, _ = puskesmas
    assert states(first) == {"puskesmas": BUILT}, first.summary()
    outputs = entry(out, "puskesmas")["outputs"]
    docs = [o for o in outputs if o["path"].endswith(".docx")]
    assert [o["path"] for o in docs[-2:]] == ["puskesmas/skm/laporan-skm.docx", "puskesmas/check/penilaian-mandiri.docx"]
    bundle = out / "puskesmas" / "puskesmas-bundel.pdf"
    reader = PdfReader(bundle)
    titles = [item.title for item in reader.outline]
    assert titles == [o["title"] for o in docs[:-2]] + [SKM, CHECK]
    starts = [reader.get_destination_page_number(item) for item in reader.outline]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    pdfs = [out / (o["path"][:-5] + ".pdf") for o in docs]
    assert len(reader.pages) == sum(len(PdfReader(p).pages) for p in pdfs)
    for path, title in ((pdfs[-2], "LAPORAN HASIL SURVEI KEPUASAN MASYARAKAT"),
                        (pdfs[-1], "LAPORAN PENILAIAN MANDIRI PELAYANAN PUBLIK")):
        assert len(PdfReader(path).pages) > 0
        assert title in text_of(path), path
    recorded = {o["path"]: o for o in outputs}
    assert recorded["puskesmas/check/penilaian-mandiri.pdf"]["stage"] == "check"
    assert recorded["puskesmas/skm/laporan-skm.pdf"]["stage"] == "documents"
    assert outputs[-1]["kind"] == "kalender" and outputs[-2]["kind"] == "bundel"  # after the check report's PDF


@needs_soffice
def test_a_second_build_writes_nothing(puskesmas):
    _, out, _, second, before = puskesmas
    assert states(second) == {"puskesmas": UNCHANGED} and second.written == 0
    assert stamps(out) == before


@needs_soffice
def test_skm_check_and_diff_as_pdf(tmp_path):
    unit = tmp_path / "puskesmas"
    shutil.copytree(SAMPLES / "puskesmas-contoh", unit)
    newer = tmp_path / "laboratorium-baru.yaml"
    old = unit / "layanan" / "laboratorium.yaml"
    newer.write_text(old.read_text(encoding="utf-8").replace("jangka_waktu: 2 jam", "jangka_waktu: 3 jam"),
                     encoding="utf-8")
    runner = CliRunner()
    commands = {
        "skm.pdf": (["skm", str(unit / "skm")], "LAPORAN HASIL SURVEI KEPUASAN MASYARAKAT"),
        "check.pdf": (["check", str(unit)], "LAPORAN PENILAIAN MANDIRI PELAYANAN PUBLIK"),
        "diff.pdf": (["diff", str(old), str(newer)], "MATRIKS PERUBAHAN STANDAR PELAYANAN"),
    }
    for name, (args, title) in commands.items():
        target = tmp_path / name
        result = runner.invoke(main, [*args, "--format", "pdf", "-o", str(target)])
        assert result.exit_code == 0, result.output
        assert target.read_bytes().startswith(b"%PDF") and len(PdfReader(target).pages) > 0
        assert title in text_of(target), name
    assert "3 jam" in text_of(tmp_path / "diff.pdf")
    assert not list(tmp_path.glob("*.docx"))  # only the PDF the user asked for


def test_format_pdf_without_libreoffice_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "kosong"))
    result = CliRunner().invoke(main, ["check", str(SAMPLES / "puskesmas-contoh"), "--format", "pdf",
                                       "-o", str(tmp_path / "laporan.pdf")])
    assert result.exit_code != 0
    assert "--format pdf memerlukannya" in result.output and "apt-get install libreoffice-writer-nogui" in result.output
    assert not (tmp_path / "laporan.pdf").exists()
    result = CliRunner().invoke(main, ["diff", str(SAMPLES / "puskesmas-contoh"), str(SAMPLES / "puskesmas-contoh"),
                                       "--format", "pdf"])
    assert result.exit_code == 2 and "--format pdf memerlukan -o BERKAS.pdf" in result.output


# ---------------------------------------------------------------------------------------------
# Incremental, with the fake LibreOffice


def test_reports_follow_their_stage_in_the_pdf_pass_and_the_bundle(tmp_path, monkeypatch):
    root, out = pdf_root(tmp_path), tmp_path / "out"
    calls = FakeLibreOffice(monkeypatch, tmp_path).calls
    run(root, out)  # without PDFs first: asking for them later converts every .docx, the reports too
    result = run(root, out, pdf=True)
    assert states(result) == {"rancangan": BUILT, "uji": BUILT} and len(calls) == 1
    assert {"out/uji/check/penilaian-mandiri.docx", "out/rancangan/check/penilaian-mandiri.docx"} <= set(calls[0])
    for rel in ("rancangan", "uji"):
        assert [i.title for i in PdfReader(out / rel / f"{rel}-bundel.pdf").outline][-1] == CHECK
    again = run(root, out, pdf=True)
    assert states(again) == {"rancangan": UNCHANGED, "uji": UNCHANGED} and again.written == 0 and len(calls) == 1

    before = stamps(out)
    tomorrow = TODAY + dt.timedelta(days=1)
    result = run(root, out, pdf=True, today=tomorrow)  # the check stage only: its report is dated
    assert states(result) == {"rancangan": BUILT, "uji": BUILT}
    assert sorted(calls[1]) == ["out/rancangan/check/penilaian-mandiri.docx", "out/uji/check/penilaian-mandiri.docx"]
    assert rewritten(before, out) == {"manifest.json", "kalender.ics"} | {
        f"{rel}/{name}" for rel in ("rancangan", "uji") for name in (
            "check/penilaian-mandiri.docx", "check/penilaian-mandiri.pdf", "check/kalender.ics", f"{rel}-bundel.pdf")}
    for rel in ("rancangan", "uji"):
        assert len(PdfReader(out / rel / f"{rel}-bundel.pdf").outline) == {"rancangan": 4, "uji": 9}[rel]
    later = run(root, out, pdf=True, today=tomorrow)
    assert states(later) == {"rancangan": UNCHANGED, "uji": UNCHANGED} and later.written == 0 and len(calls) == 2

    (out / "uji" / "check" / "penilaian-mandiri.pdf").unlink()  # a part lost: made again, the bundle bound again
    before = stamps(out)
    result = run(root, out, pdf=True, today=tomorrow)
    assert states(result) == {"rancangan": UNCHANGED, "uji": BUILT} and calls[2] == ["out/uji/check/penilaian-mandiri.docx"]
    # the fake's PDF has the same bytes as before, so the manifest may stay as it was
    assert rewritten(before, out) - {"manifest.json"} == {"uji/check/penilaian-mandiri.pdf", "uji/uji-bundel.pdf"}
    assert all((out / o["path"]).is_file() for o in entry(out, "uji")["outputs"])

    without = run(root, out, today=tomorrow)  # no PDFs asked: the reports' PDFs go with the others
    assert states(without) == {"rancangan": BUILT, "uji": BUILT} and not list(out.rglob("*.pdf"))


def test_a_manifest_of_an_older_version_without_the_check_docx_gets_it(tmp_path):
    import json

    root, out = pdf_root(tmp_path), tmp_path / "out"
    run(root, out)
    data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for unit in data["units"]:  # as an older sp-builder wrote it: no check report in Word
        unit["outputs"] = [o for o in unit["outputs"] if not o["path"].endswith("penilaian-mandiri.docx")]
    (out / "manifest.json").write_text(json.dumps(data), encoding="utf-8")
    for docx in out.rglob("penilaian-mandiri.docx"):
        docx.unlink()
    result = run(root, out)
    assert states(result) == {"rancangan": BUILT, "uji": BUILT}
    assert (out / "uji" / "check" / "penilaian-mandiri.docx").is_file()
    assert states(run(root, out)) == {"rancangan": UNCHANGED, "uji": UNCHANGED}
