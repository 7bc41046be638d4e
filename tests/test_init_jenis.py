"""`init --jenis`: every kind of unit scaffolds a folder that validates clean, renders, and reads
as that kind of unit (a Kecamatan has a Camat, not a Kepala Dinas)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from sp_builder import cli
from sp_builder.instrument import DEFAULT_INSTRUMENT, load_instrument
from sp_builder.unit.scaffold import kinds

# Per kind: words the scaffold must say (unit.yaml, service, FKP) and words it must not.
WORDING = {
    "dinas": (["Kepala Dinas Contoh"], ["Camat Contoh", "Direktur"]),
    "kecamatan": (["Camat Sukamaju", "Kantor Kecamatan Sukamaju", "PATEN"], ["Kepala Dinas", "Aula Dinas", "/DINAS/"]),
    "puskesmas": (["Kepala UPTD Puskesmas Sukamaju", "Buku KIA"], ["Kepala Dinas", "/DINAS/"]),
    "rumah-sakit": (["Direktur RSUD Sukamaju", "tarif: 50000"], ["Kepala Dinas", "/DINAS/"]),
    "dpmptsp": (["Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "Persetujuan Bangunan Gedung",
                 "tarif:", "Retribusi"], ["Camat", "/DINAS/"]),
    "upt": (["Kepala UPTD Perpustakaan Daerah"], ["Kepala Dinas", "/DINAS/"]),
    "sekolah": (["Kepala SMP Negeri 1 Sukamaju", "Dapodik"], ["Kepala Dinas", "/DINAS/"]),
}
NAMES = {"dinas": None, "kecamatan": "Kecamatan Sukamaju", "puskesmas": "UPTD Puskesmas Sukamaju",
         "rumah-sakit": "RSUD Sukamaju", "dpmptsp": None, "upt": None, "sekolah": "SMP Negeri 1 Sukamaju"}


@pytest.fixture
def runner():
    return CliRunner()


def _text(folder: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.yaml")))


def test_every_kind_has_its_wording_case():
    assert set(kinds()) == set(WORDING) == {"dinas", "kecamatan", "puskesmas", "rumah-sakit", "dpmptsp", "upt", "sekolah"}


@pytest.mark.parametrize("kind", sorted(WORDING))
def test_kind_validates_clean_renders_and_reads_as_its_kind(runner, tmp_path, monkeypatch, kind):
    monkeypatch.chdir(tmp_path)
    args = ["init", "unit", "--jenis", kind] + (["--nama", NAMES[kind]] if NAMES[kind] else [])
    made = runner.invoke(cli.main, args)
    assert made.exit_code == 0, made.output
    root = tmp_path / "unit"
    assert (root / "bukti").is_dir() and (root / "evaluasi.yaml").is_file()
    checked = runner.invoke(cli.main, ["validate", "--strict", "unit"])
    assert checked.exit_code == 0, checked.output
    assert "Tidak ada masalah." in checked.output
    rendered = runner.invoke(cli.main, ["render", "all", "unit", "-o", str(tmp_path / "keluaran")])
    assert rendered.exit_code == 0, rendered.output
    assert list((tmp_path / "keluaran" / "sp").glob("*.docx"))
    assert runner.invoke(cli.main, ["check", "unit"]).exit_code == 0
    tidy = runner.invoke(cli.main, ["rapikan", "unit"])  # the scaffold is already in canonical form
    assert tidy.exit_code == 0 and "tidak ada yang perlu dirapikan" in tidy.output, tidy.output
    text = _text(root)
    present, absent = WORDING[kind]
    for words in present:
        assert words in text, words
    for words in absent:
        assert words not in text, words


def test_scaffold_has_a_survey_template_and_an_evaluation_skeleton(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(cli.main, ["init", "u", "--jenis", "kecamatan"]).exit_code == 0
    header = (tmp_path / "u" / "skm" / "templat" / "survei-skm.csv").read_text(encoding="utf-8")
    assert header == "tanggal,layanan,umur,jenis_kelamin,pendidikan,pekerjaan,U1,U2,U3,U4,U5,U6,U7,U8,U9\n"
    f03 = (tmp_path / "u" / "f03" / "templat" / "f03-pengguna-layanan.csv").read_text(encoding="utf-8")
    assert f03.startswith("1.a.K1,2.a.K1,") and f03.count(",") == 13
    skeleton = (tmp_path / "u" / "evaluasi.yaml").read_text(encoding="utf-8")
    assert f"instrumen: {DEFAULT_INSTRUMENT}" in skeleton
    for ident in load_instrument(DEFAULT_INSTRUMENT).indicators:
        assert f"  # {ident}: {{opsi:" in skeleton, ident
    # the survey template is no survey: skm reads nothing from the unit yet
    report = runner.invoke(cli.main, ["check", "u"]).output
    assert "survei-skm.csv" not in report and "f03-pengguna-layanan.csv" not in report
    assert "F-02 saja" in report  # no F-03 answers yet


def test_init_never_overwrites_and_refuses_unknown_kind(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "u").mkdir()
    (tmp_path / "u" / "evaluasi.yaml").write_text("instrumen: milik-saya\n", encoding="utf-8")
    result = runner.invoke(cli.main, ["init", "u", "--jenis", "puskesmas"])
    assert result.exit_code == 0
    assert "dilewati (sudah ada): u/evaluasi.yaml" in result.output
    assert (tmp_path / "u" / "evaluasi.yaml").read_text(encoding="utf-8") == "instrumen: milik-saya\n"
    assert runner.invoke(cli.main, ["init", "v", "--jenis", "kelurahan"]).exit_code == 2
    assert not (tmp_path / "v").exists()


def test_a_name_with_yaml_signs_is_quoted(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    name = "Kecamatan Kota: Utara #1"
    assert runner.invoke(cli.main, ["init", "u", "--jenis", "kecamatan", "--nama", name]).exit_code == 0
    assert runner.invoke(cli.main, ["validate", "--strict", "u"]).exit_code == 0
    from sp_builder.files import parse_yaml
    data = parse_yaml((tmp_path / "u" / "unit.yaml").read_text(encoding="utf-8"))
    assert data["unit"] == name and data["pimpinan"]["jabatan"] == "Camat Kota: Utara #1"


@pytest.mark.parametrize("kind, nama, unit, jabatan", [
    ("kecamatan", "Sukamaju", "Kecamatan Sukamaju", "Camat Sukamaju"),
    ("kecamatan", "Kantor Kecamatan Sukamaju", "Kantor Kecamatan Sukamaju", "Camat Sukamaju"),
    ("puskesmas", "Sukamaju", "UPTD Puskesmas Sukamaju", "Kepala UPTD Puskesmas Sukamaju"),
    ("rumah-sakit", "Rumah Sakit Umum Daerah dr. Soetomo", "Rumah Sakit Umum Daerah dr. Soetomo",
     "Direktur Rumah Sakit Umum Daerah dr. Soetomo"),
    ("dinas", "Dinas Kesehatan", "Dinas Kesehatan", "Kepala Dinas Kesehatan"),
])
def test_the_name_gets_its_kind_word(runner, tmp_path, monkeypatch, kind, nama, unit, jabatan):
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(cli.main, ["init", "u", "--jenis", kind, "--nama", nama]).exit_code == 0
    from sp_builder.files import parse_yaml
    data = parse_yaml((tmp_path / "u" / "unit.yaml").read_text(encoding="utf-8"))
    assert (data["unit"], data["pimpinan"]["jabatan"]) == (unit, jabatan)


def test_the_evaluation_skeleton_filled_with_the_top_options_validates_and_scores_five(runner, tmp_path, monkeypatch):
    """Uncomment every indicator of the skeleton with its best option: the file validates, every
    answer is read, and by the instrument's own weights the answers make 5,00 (what the unit's files
    prove may still cap a claim in `check`; that is the gap report's job, not the skeleton's)."""
    from decimal import Decimal

    from sp_builder.unit.evaluation import load_evaluation

    monkeypatch.chdir(tmp_path)
    assert runner.invoke(cli.main, ["init", "u"]).exit_code == 0
    path = tmp_path / "u" / "evaluasi.yaml"
    instrument = load_instrument(DEFAULT_INSTRUMENT)
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line == "jawaban: {}":
            line = "jawaban:"
        stripped = line.strip()
        ident = stripped[2:].split(":", 1)[0] if stripped.startswith("# ") else ""
        if ident in instrument.indicators:
            best = max(instrument.indicators[ident].opsi, key=lambda o: o.nilai)
            line = f"  {ident}: {{opsi: {best.kode}}}"
        lines.append(line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    evaluation, used, issues = load_evaluation(tmp_path / "u", None)
    assert [i.message for i in issues if i.is_error] == []
    assert used.id == DEFAULT_INSTRUMENT and set(evaluation.answers) == set(instrument.indicators)
    scores = {ident: instrument.indicators[ident].option(a.kode).nilai for ident, a in evaluation.answers.items()}
    index = sum(Decimal(str(a.bobot)) * instrument.aspect_value(a, scores) for a in instrument.aspek)
    assert round(index, 2) == Decimal("5.00")
