"""Layout of the real PDFs (LibreOffice), checked by machine with tests/pdf_layout.py.

Every document kind rendered from the shipped sample (Keputusan with its Lampiran, Berita Acara,
daftar hadir, undangan, SKM report, check report, Matriks Perubahan) and a fixture made to provoke
each defect the checker knows (a service named "Pelayanan ...", a unit with `paper: F4`, daftar hadir
of the participant counts that left the signature alone) go through ONE `pdf.convert` call for the
module (soffice starts slowly; CI has two cores), then the reflow's own small one, as `render --pdf`
does: 26 PDFs, 119 pages, about 11 s.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from ruamel.yaml import YAML

import pdf_layout
from sp_builder import cli
from sp_builder.documents import pdf, reflow
from sp_builder.documents.render import render

SAMPLE = Path(__file__).parent.parent / "samples" / "dukcapil-kota-contoh"
RENAMED = "Pelayanan Surat Keterangan Domisili"
# Participant counts whose daftar hadir left the organiser's signature alone on the last A4 page:
# issue 19 measured 21–24 and 36–38 (the sample has 14), kept together by keep-with-next on every
# row; for 8–10, 26–30 and 48–52 (a sweep of 8–60) LibreOffice ignores that and the PDF is
# measured and reflowed (documents/reflow.py).
PARTICIPANTS = (14, 21, 22, 23, 24, 36, 37, 38)
REFLOWED = (9, 27, 50)

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                                   reason="LibreOffice (soffice) atau pdftotext (poppler-utils) tidak terpasang")
yaml = YAML()


def _cli(*args: str) -> None:
    outcome = CliRunner().invoke(cli.main, list(args))
    assert outcome.exit_code == 0, outcome.output


def _matrix_sources(folder: Path) -> tuple[Path, Path]:
    """Two versions of one service with changed, moved and added items: every column of the matrix
    (No, Komponen, Semula, Menjadi, Keterangan) holds text."""
    old, new = folder / "lama" / "ktp-el.yaml", folder / "baru" / "ktp-el.yaml"
    for path in (old, new):
        path.parent.mkdir(parents=True)
    shutil.copyfile(SAMPLE / "layanan" / "ktp-el.yaml", old)
    data = yaml.load(old.read_text(encoding="utf-8"))
    data["status"] = "rancangan"
    data["penyampaian"]["jangka_waktu"] = "30 menit"
    steps = data["penyampaian"]["prosedur"]
    steps.insert(0, steps.pop(2))
    steps.append("Petugas mencatat penyerahan KTP-el pada buku register pelayanan")
    with open(new, "w", encoding="utf-8") as handle:
        yaml.dump(data, handle)
    return old, new


def _unit_with_participants(folder: Path, count: int) -> Path:
    """The sample with `count` participants in its FKP (the sample's, then invited residents)."""
    root = folder / f"peserta-{count}"
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns("skm", "bukti"))
    path = root / "fkp" / "2026-01-fkp-sp.yaml"
    data = yaml.load(path.read_text(encoding="utf-8"))
    people = data["peserta"]
    for n in range(len(people) + 1, count + 1):
        people.append({"nama": f"Warga Undangan Nomor {n}", "unsur": "pengguna_layanan", "jabatan": "Warga",
                       "instansi": "Kelurahan Sukamaju"})
    del people[count:]
    with open(path, "w", encoding="utf-8") as handle:
        yaml.dump(data, handle)
    return root


def _provoking_unit(folder: Path) -> Path:
    """The sample with the service the forum discussed renamed "Pelayanan ..." (as real names often
    begin) and `paper: F4`, which is the SK's and the Lampiran's paper only."""
    root = folder / "unit"
    shutil.copytree(SAMPLE, root)
    path = root / "layanan" / "ktp-el.yaml"
    data = yaml.load(path.read_text(encoding="utf-8"))
    data["nama"] = RENAMED
    with open(path, "w", encoding="utf-8") as handle:
        yaml.dump(data, handle)
    return root


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    """{name: (docx, pdf)} for every document below, and the rendered titles (bookmarks)."""
    out = tmp_path_factory.mktemp("tata-letak")
    docs: dict[str, Path] = {}
    titles: dict[str, str] = {}
    for kind in ("sk", "fkp"):
        for document in render(kind, SAMPLE, out / "contoh").documents:
            docs[f"contoh/{document.path.stem}"] = document.path
    _cli("skm", str(SAMPLE / "skm"), "--format", "docx", "-o", str(out / "skm.docx"))
    docs["skm"] = out / "skm.docx"
    _cli("check", str(SAMPLE), "--format", "docx", "-o", str(out / "periksa.docx"))
    docs["periksa"] = out / "periksa.docx"
    old, new = _matrix_sources(out / "matriks")
    _cli("diff", str(old), str(new), "--format", "docx", "-o", str(out / "matriks.docx"))
    docs["matriks"] = out / "matriks.docx"
    unit = _provoking_unit(out)
    for kind in ("sk", "maklumat", "fkp"):
        for document in render(kind, unit, out / "pemicu").documents:
            docs[f"pemicu/{document.path.stem}"] = document.path
            titles[f"pemicu/{document.path.stem}"] = document.title
    for count in PARTICIPANTS + REFLOWED:
        rendered = render("fkp", _unit_with_participants(out, count), out / f"hadir-{count}").documents
        docs[f"hadir/{count}"] = next(d.path for d in rendered if d.path.stem == "daftar-hadir")
    sp = next(d for d in render("sp", unit, out / "pemicu-sp").documents if d.path.stem == "ktp-el")
    docs["pemicu/sp-ktp-el"], titles["pemicu/sp-ktp-el"] = sp.path, sp.title
    pdfs = pdf.convert(list(docs.values()))
    # as `render --pdf` does: the documents whose closing block LibreOffice left alone are reflowed
    # and converted again (a second, small soffice call)
    reflowed = reflow.fix_widows(list(docs.values()))
    bundle = pdf.bundle([(pdfs[list(docs).index(name)], title) for name, title in titles.items()],
                        out / "pemicu-bundel.pdf")
    names = {path: name for name, path in docs.items()}
    return {name: (path, path.with_suffix(".pdf")) for name, path in docs.items()}, bundle, \
        sorted(names[path] for path in reflowed)


SAMPLE_DOCUMENTS = ["contoh/keputusan-standar-pelayanan", "contoh/berita-acara", "contoh/daftar-hadir",
                    "contoh/undangan", "skm", "periksa", "matriks"]


@needs_soffice
@pytest.mark.parametrize("name", SAMPLE_DOCUMENTS + ["pemicu/berita-acara", "pemicu/daftar-hadir",
                                                     "pemicu/undangan", "pemicu/sp-ktp-el"])
def test_no_word_broken_in_a_cell_or_label_column(documents, name):
    """"Memperhatika / n" (Keputusan), "N / o", "Penangana / n" (SKM Rencana Tindak Lanjut),
    "Kenaik / an" (check report), "Keteranga / n" (Matriks Perubahan)."""
    docx, pdf_path = documents[0][name]
    assert pdf_layout.broken_words(pdf_path, docx) == []


@needs_soffice
@pytest.mark.parametrize("name", [
    "contoh/berita-acara", "contoh/undangan", "skm", "periksa", "matriks", "pemicu/berita-acara",
    "pemicu/sp-ktp-el",
    "contoh/daftar-hadir", *(f"hadir/{count}" for count in PARTICIPANTS + REFLOWED),
    "contoh/keputusan-standar-pelayanan",
])
def test_no_page_with_only_the_closing_block(documents, name):
    _, pdf_path = documents[0][name]
    assert pdf_layout.orphan_pages(pdf_path) == []


@needs_soffice
def test_only_the_documents_with_a_lone_closing_block_are_reflowed(documents):
    """The Keputusan's Lampiran SP (its signature alone after the table) and the daftar hadir of
    9, 27 and 50 participants were measured on the PDF and converted again; nothing else was."""
    reflowed = documents[2]
    assert "contoh/keputusan-standar-pelayanan" in reflowed
    assert {f"hadir/{count}" for count in REFLOWED} <= set(reflowed)
    assert not {"skm", "periksa", "matriks", "contoh/undangan"} & set(reflowed)


@needs_soffice
@pytest.mark.parametrize("name", SAMPLE_DOCUMENTS + ["pemicu/berita-acara", "pemicu/daftar-hadir",
                                                     "pemicu/undangan", "pemicu/sp-ktp-el"])
def test_no_repeated_word(documents, name):
    _, pdf_path = documents[0][name]
    assert pdf_layout.repeated_words(pdf_path) == []


@needs_soffice
def test_service_named_pelayanan_is_written_once(documents):
    """"Standar Pelayanan Pelayanan Surat Keterangan Domisili" nowhere: Berita Acara (agreements),
    daftar hadir and undangan (Acara), bookmarks."""
    docs, bundle, _ = documents
    wanted = "Standar Pelayanan Surat Keterangan Domisili"
    for name in ("pemicu/berita-acara", "pemicu/daftar-hadir", "pemicu/undangan"):
        text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(docs[name][1]).pages)
        assert wanted in text, name
        assert "Pelayanan Pelayanan" not in text, name
    marks = [item.title for item in PdfReader(bundle).outline]
    assert f"{wanted} (RANCANGAN)" in marks or wanted in marks
    assert pdf_layout.repeated_words(bundle) == []


@needs_soffice
def test_matrix_subtitle_names_and_dates_not_paths(documents):
    _, pdf_path = documents[0]["matriks"]
    first = " ".join(PdfReader(pdf_path).pages[0].extract_text().split())
    assert ".yaml" not in first and "lama" not in first.split() and "/" not in first.split("Semula")[1][:80]
    assert "Semula: ditetapkan 16 Februari 2026; menjadi: rancangan" in first
    assert "Standar Pelayanan Penerbitan Kartu Tanda Penduduk Elektronik" in first


@needs_soffice
def test_paper_f4_is_the_keputusan_s_only(documents):
    """`paper: F4` (the sample's unit.yaml): SK and its Lampiran on F4 (215 × 330 mm); Maklumat and
    the FKP documents keep A4."""
    docs, _, _ = documents
    heights = {name: {round(float(page.mediabox.height) * 25.4 / 72) for page in PdfReader(docs[name][1]).pages}
               for name in ("pemicu/keputusan-standar-pelayanan", "pemicu/maklumat-pelayanan",
                            "pemicu/berita-acara", "pemicu/daftar-hadir", "pemicu/undangan")}
    assert heights == {"pemicu/keputusan-standar-pelayanan": {330}, "pemicu/maklumat-pelayanan": {297},
                       "pemicu/berita-acara": {297}, "pemicu/daftar-hadir": {297}, "pemicu/undangan": {297}}
