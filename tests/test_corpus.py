"""Real published SPs, transcribed as written (tests/data/corpus/*/SOURCE.md names each source):
they validate with only the findings a careful reviewer agrees with, and those that validate
render without doubled numbering or a channel list glued into one item."""

from __future__ import annotations

from pathlib import Path

import pytest

from sp_builder.documents.render import render
from test_reading_layer import uraian  # the Uraian cells of an SP, by component label
from sp_builder.unit.validate import validate_paths

CORPUS = Path(__file__).parent / "data" / "corpus"

# (file in the corpus, line, rule) of every finding, each judged in tests/data/corpus/FINDINGS.md.
# Drafts never taken to an FKP are left out: every transcribed SP is one here.
EXPECTED = sorted([
    # BBPPMPV Seni dan Budaya (a ministry's vertical office): no SP4N-LAPOR!; PermenPANRB 29/2022
    # cited without its amendment by 4/2023 (a note)
    ("bbppmpv-seni-budaya/layanan/diklat-berbasis-kerja-sama.yaml", 24, "pengaduan.tanpa_lapor"),
    ("bbppmpv-seni-budaya/layanan/diklat-berbasis-kerja-sama.yaml", 41, "dasar_hukum.tanpa_perubahan"),
    ("bbppmpv-seni-budaya/layanan/layanan-data-dan-informasi.yaml", 18, "pengaduan.tanpa_lapor"),
    ("bbppmpv-seni-budaya/layanan/layanan-data-dan-informasi.yaml", 34, "dasar_hukum.tanpa_perubahan"),
    # Disdukcapil Lamongan: the page publishes only the delivery half; "teks : nilai" lines left
    # unquoted (taken as text, with a warning to quote them); no SP4N-LAPOR!
    ("disdukcapil-lamongan/layanan/penerbitan-kartu-keluarga-baru.yaml", 1, "bagian.tidak_ada"),
    ("disdukcapil-lamongan/layanan/penerbitan-kartu-keluarga-baru.yaml", 11, "butir.titik_dua"),
    ("disdukcapil-lamongan/layanan/penerbitan-kartu-keluarga-baru.yaml", 32, "pengaduan.tanpa_lapor"),
    *[("disdukcapil-lamongan/layanan/penerbitan-kartu-keluarga-baru.yaml", line, "pengaduan.titik_dua")
      for line in range(34, 41)],
    # DPMPTSP Asahan: the source is cut off after three components
    *[("dpmptsp-asahan/layanan/izin-lingkungan.yaml", 7, "komponen.tidak_ada")] * 4,
    *[("dpmptsp-asahan/layanan/izin-lingkungan.yaml", 27, "komponen.tidak_ada")] * 7,
    # Kantor Bahasa NTB library: three components not published; no facility for vulnerable groups
    ("kantor-bahasa-ntb/layanan/layanan-perpustakaan.yaml", 6, "komponen.tidak_ada"),
    ("kantor-bahasa-ntb/layanan/layanan-perpustakaan.yaml", 6, "komponen.tidak_ada"),
    ("kantor-bahasa-ntb/layanan/layanan-perpustakaan.yaml", 13, "komponen.tidak_ada"),
    ("kantor-bahasa-ntb/layanan/layanan-perpustakaan.yaml", 14, "sarana.tanpa_fasilitas_rentan"),
    # Kecamatan Pendopo Barat: excerpt ends before two components; UU 23/2006 without UU 24/2013;
    # Perpres 25/2008 replaced by Perpres 96/2018
    ("kecamatan-pendopo-barat/layanan/surat-keterangan-pindah-keluar.yaml", 25, "pengaduan.tanpa_lapor"),
    ("kecamatan-pendopo-barat/layanan/surat-keterangan-pindah-keluar.yaml", 29, "komponen.tidak_ada"),
    ("kecamatan-pendopo-barat/layanan/surat-keterangan-pindah-keluar.yaml", 29, "komponen.tidak_ada"),
    ("kecamatan-pendopo-barat/layanan/surat-keterangan-pindah-keluar.yaml", 31, "dasar_hukum.tanpa_perubahan"),
    ("kecamatan-pendopo-barat/layanan/surat-keterangan-pindah-keluar.yaml", 32, "dasar_hukum.dicabut"),
    ("kecamatan-pendopo-barat/layanan/surat-keterangan-pindah-keluar.yaml", 35, "sarana.tanpa_fasilitas_rentan"),
    # RSUD Ciamis: a tariff table with no Perda; no SP4N-LAPOR! ("laporan harian" is not one);
    # UU 36/2009 and 44/2009 (replaced by UU 17/2023) and UU 32/2004 (by UU 23/2014)
    ("rsud-ciamis/layanan/igd-triage.yaml", 60, "biaya.tanpa_dasar_hukum"),
    ("rsud-ciamis/layanan/igd-triage.yaml", 72, "pengaduan.tanpa_lapor"),
    ("rsud-ciamis/layanan/igd-triage.yaml", 101, "dasar_hukum.dicabut"),
    ("rsud-ciamis/layanan/igd-triage.yaml", 102, "dasar_hukum.dicabut"),
    ("rsud-ciamis/layanan/igd-triage.yaml", 103, "dasar_hukum.dicabut"),
    # SDN Simoangin-angin (established 2016): not reviewed since; legal bases named without their
    # number ("Sistem Pendidikan Nasional (Sisdiknas)"); no SP4N-LAPOR!; no vulnerable-group facility
    ("sdn-simoangin-angin/layanan/pelayanan-laboratorium.yaml", 8, "penetapan.perlu_tinjau"),
    ("sdn-simoangin-angin/layanan/pelayanan-laboratorium.yaml", 18, "pengaduan.tanpa_lapor"),
    ("sdn-simoangin-angin/layanan/pelayanan-laboratorium.yaml", 29, "dasar_hukum.tanpa_nomor"),
    ("sdn-simoangin-angin/layanan/pelayanan-laboratorium.yaml", 31, "dasar_hukum.tanpa_nomor"),
    ("sdn-simoangin-angin/layanan/pelayanan-laboratorium.yaml", 32, "sarana.tanpa_fasilitas_rentan"),
    ("sdn-simoangin-angin/layanan/sistem-penerimaan-siswa-baru.yaml", 8, "penetapan.perlu_tinjau"),
    ("sdn-simoangin-angin/layanan/sistem-penerimaan-siswa-baru.yaml", 24, "pengaduan.tanpa_lapor"),
    ("sdn-simoangin-angin/layanan/sistem-penerimaan-siswa-baru.yaml", 34, "dasar_hukum.tanpa_nomor"),
    ("sdn-simoangin-angin/layanan/sistem-penerimaan-siswa-baru.yaml", 35, "dasar_hukum.tanpa_nomor"),
    ("sdn-simoangin-angin/layanan/sistem-penerimaan-siswa-baru.yaml", 36, "dasar_hukum.tanpa_nomor"),
    ("sdn-simoangin-angin/layanan/sistem-penerimaan-siswa-baru.yaml", 37, "sarana.tanpa_fasilitas_rentan"),
    # Every file with numbering typed by hand or an unquoted "teks : nilai" item: one hint at line 1
    # that `sp-builder rapikan` writes its canonical form (unit/tidy.py)
    *[(f"{name}.yaml", 1, "rapikan.tersedia") for name in (
        "disdukcapil-lamongan/layanan/penerbitan-kartu-keluarga-baru", "dpmptsp-asahan/layanan/izin-lingkungan",
        "kecamatan-pendopo-barat/layanan/surat-keterangan-pindah-keluar", "rsud-ciamis/layanan/igd-triage",
        "sdn-simoangin-angin/layanan/pelayanan-laboratorium", "sdn-simoangin-angin/layanan/sistem-penerimaan-siswa-baru")],
])


def test_the_corpus_has_real_sources():
    units = sorted(p.name for p in CORPUS.iterdir() if (p / "unit.yaml").is_file())
    assert len(units) >= 5
    for name in units:
        source = (CORPUS / name / "SOURCE.md").read_text(encoding="utf-8")
        assert any(mark in source.lower() for mark in ("http", "github", ".pdf")), name  # where it was found


def test_corpus_findings_are_the_reviewed_ones(monkeypatch):
    monkeypatch.chdir(CORPUS)
    issues = validate_paths(sorted(p.name for p in CORPUS.iterdir() if p.is_dir()))
    found = sorted((i.path, i.line, i.rule) for i in issues if i.rule != "rancangan.tanpa_fkp")
    assert found == EXPECTED


@pytest.mark.parametrize("unit", ["bbppmpv-seni-budaya", "sdn-simoangin-angin"])
def test_corpus_units_that_validate_render_as_the_unit_meant(unit, tmp_path):
    render("sp", CORPUS / unit, tmp_path)
    for sp in sorted((tmp_path / "sp").glob("*.docx")):
        for label, lines in uraian(sp).items():
            for line in lines:
                number, _, text = line.partition("\t")
                assert not text[:3].rstrip().rstrip(".)").isdigit(), (sp.name, label, line)  # no "1. 1. ..."
    lines = uraian(tmp_path / "sp" / "layanan-data-dan-informasi.docx") if unit.startswith("bb") else None
    if lines:
        channels = lines["Penanganan Pengaduan, Saran, dan Masukan"]
        assert "3.\tTelepon: (0274)895803" in channels and "7.\tsurel: bbppmpvsb@kemdikbud.go.id" in channels
        assert len(channels) == 8  # WA and surel, folded into one line by YAML, are two channels
        assert lines["Jumlah Pelaksana"][-1] == "Jumlah: 19 (sembilan belas) orang"
        assert lines["Biaya/Tarif"] == ["Rp0,00 (tidak dipungut biaya)"]
    else:
        facilities = uraian(tmp_path / "sp" / "pelayanan-laboratorium.docx")["Sarana dan Prasarana, dan/atau Fasilitas"]
        assert facilities[:3] == ["1.\tSarpras penunjang layanan :", "a.\tRuang Sekretariat", "b.\tMeja"]


@pytest.mark.parametrize("unit", ["bbppmpv-seni-budaya", "sdn-simoangin-angin"])
def test_corpus_round_trip_has_no_phantom_changes(unit, tmp_path):
    """render → import → diff of a real SP: a numbered text against the list of its items, "; dan"
    at the end of an item, a heading's closing ":" and sub-lists are no change."""
    from sp_builder import diff, importer

    result = render("sp", CORPUS / unit, tmp_path / "out")
    assert result.documents
    for document in result.documents:
        slug = Path(document.path).stem
        back = tmp_path / "layanan" / f"{slug}.yaml"
        imported = importer.import_sp(Path(document.path), back)
        assert [i for i in imported.issues if i.is_error] == [], slug
        report = diff.compare(CORPUS / unit / "layanan" / f"{slug}.yaml", back)
        assert not report.has_changes, diff.as_text(report)
