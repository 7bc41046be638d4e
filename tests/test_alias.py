"""Names people use (issue 16): a service is found by its slug, its nama or an `alias:`, ignoring
case, punctuation and a leading "Pelayanan"/"Layanan" — in FKP files, survey forms and `check`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from sp_builder.assessment.check import build_report
from sp_builder.cli import main
from sp_builder.documents import fkp_context
from sp_builder.unit.model import Service, Unit, match_service
from sp_builder.unit.validate import load_unit

TODAY = dt.date(2025, 6, 1)
KTP = "Penerbitan Kartu Tanda Penduduk Elektronik (KTP-el)"
KK = "Penerbitan Kartu Keluarga"


def service(slug: str, nama: str, alias=None) -> Service:
    data = {"nama": nama}
    if alias is not None:
        data["alias"] = alias
    return Service(slug, Path(f"layanan/{slug}.yaml"), data)


SERVICES = [
    service("ktp-el", KTP, ["KTP Elektronik", "e-KTP"]),
    service("kartu-keluarga", KK, "KK"),
    service("surat-keterangan-domisili", "Surat Keterangan Domisili"),
]


def test_alias_from_text_or_list():
    assert SERVICES[0].alias == ["KTP Elektronik", "e-KTP"]
    assert SERVICES[1].alias == ["KK"]
    assert service("x", "X").alias == []
    # blanks, booleans and mappings are no names; a number is (a form may number its services)
    assert service("x", "X", ["  Surat  Pindah ", "", True, {"a": 1}, 17]).alias == ["Surat Pindah", "17"]


@pytest.mark.parametrize("name, slug", [
    ("ktp-el", "ktp-el"),
    ("KTP-el", "ktp-el"),
    ("ktp el", "ktp-el"),
    ("Pelayanan KTP-el", "ktp-el"),
    (KTP, "ktp-el"),
    ("penerbitan kartu tanda penduduk elektronik ktp el", "ktp-el"),
    ("e-KTP", "ktp-el"),
    ("Layanan E KTP", "ktp-el"),
    ("KTP Elektronik.", "ktp-el"),
    ("kk", "kartu-keluarga"),
    ("Kartu Keluarga", "kartu-keluarga"),  # the slug's words
    ("Pelayanan Penerbitan Kartu Keluarga", "kartu-keluarga"),
    ("Surat Keterangan Domisili", "surat-keterangan-domisili"),
    ("SURAT KETERANGAN DOMISILI", "surat-keterangan-domisili"),
    ("Layanan Surat Keterangan Domisili", "surat-keterangan-domisili"),
])
def test_match_by_slug_name_or_alias(name, slug):
    assert match_service(SERVICES, name).slug == slug
    assert Unit(Path("."), {}, list(SERVICES)).match_service(name).slug == slug


@pytest.mark.parametrize("name", ["", "   ", None, "Surat Pindah", "Pelayanan", "KTP"])
def test_no_match(name):
    assert match_service(SERVICES, name) is None


def test_ambiguous_name_is_no_match():
    twins = [service("akta-lahir", "Akta Kelahiran", ["Akta"]), service("akta-mati", "Akta Kematian", ["akta"])]
    assert match_service(twins, "Akta") is None
    assert match_service(twins, "akta-lahir").slug == "akta-lahir"  # a slug as written always wins
    assert match_service(twins, "akta kematian").slug == "akta-mati"


# ---------------------------------------------------------------------------------------------
# FKP files


def add_alias(root: Path, slug: str, alias: str) -> None:
    path = root / "layanan" / f"{slug}.yaml"
    path.write_text(path.read_text(encoding="utf-8") + f"alias: {alias}\n", encoding="utf-8")


def set_fkp(root: Path, layanan: str, kesepakatan_layanan: str) -> None:
    path = root / "fkp" / "fkp-2025.yaml"
    text = path.read_text(encoding="utf-8")
    assert "layanan: [ktp-el, kartu-keluarga]" in text and "{layanan: ktp-el, komponen" in text
    text = text.replace("layanan: [ktp-el, kartu-keluarga]", f"layanan: {layanan}")
    text = text.replace("{layanan: ktp-el, komponen", f"{{layanan: {kesepakatan_layanan}, komponen")
    path.write_text(text, encoding="utf-8")


def rules(issues, prefix="fkp."):
    return [(i.path, i.line, i.rule) for i in issues if i.rule.startswith(prefix)]


def test_fkp_names_services_by_name_and_alias(unit):
    baseline = rules(load_unit(unit, TODAY)[1], "")
    add_alias(unit, "ktp-el", "[KTP Elektronik, e-KTP]")
    set_fkp(unit, '["KTP Elektronik", "Pelayanan Penerbitan Kartu Keluarga"]', '"e-KTP"')
    loaded, issues = load_unit(unit, TODAY)
    # the same findings as with slugs: nothing "tidak ada", nothing "di luar agenda", no draft "tanpa FKP"
    assert rules(issues, "") == baseline
    fkp = loaded.fkps[0]
    assert fkp.layanan == ["ktp-el", "kartu-keluarga"]  # slugs once the FKP belongs to the unit
    assert [a.layanan for a in fkp.kesepakatan] == ["ktp-el"]
    assert fkp_context.service_names(loaded, fkp) == [KTP, KK]
    agreements = fkp_context._agreements(loaded, fkp)
    assert [(a["nama"], len(a["kesepakatan"])) for a in agreements] == [(KTP, 1), (KK, 0)]


def test_fkp_name_of_no_service_keeps_its_messages(unit):
    set_fkp(unit, '[ktp-el, "Surat Pindah"]', '"Akta Lahir"')
    _, issues = load_unit(unit, TODAY)
    found = [(i.path, i.line, i.message) for i in issues if i.rule == "fkp.layanan_tidak_ada"]
    assert found == [
        ("fkp/fkp-2025.yaml", 5, 'layanan "Surat Pindah" tidak ada di folder layanan/; tulis nama berkas tanpa '
                                 '.yaml, mis. "kartu-keluarga"'),
        ("fkp/fkp-2025.yaml", 13, 'layanan "Akta Lahir" tidak ada di folder layanan/'),
    ]


def test_fkp_kesepakatan_outside_the_agenda_by_any_name(unit):
    set_fkp(unit, "[ktp-el]", '"Kartu Keluarga"')
    _, issues = load_unit(unit, TODAY)
    assert [(i.line, i.message) for i in issues if i.rule == "fkp.kesepakatan_di_luar_agenda"] == [
        (13, 'layanan "kartu-keluarga" tidak tercantum dalam daftar layanan yang dibahas FKP ini')]


def test_validate_cli_accepts_fkp_names(unit):
    set_fkp(unit, '["KTP-el", "Kartu Keluarga"]', '"Pelayanan KTP el"')
    result = CliRunner().invoke(main, ["validate", str(unit)])
    assert "fkp.layanan_tidak_ada" not in result.output and "tidak ada di folder layanan" not in result.stderr
    assert result.exit_code == 0, result.stderr


# ---------------------------------------------------------------------------------------------
# check's SP cycle


SURVEY = """tanggal,layanan,U1,U2,U3,U4,U5,U6,U7,U8,U9
2025-02-01,{ktp},4,4,4,4,4,4,4,4,4
2025-02-02,{kk},3,3,3,3,3,3,3,3,3
"""


def steps(report, slug: str) -> dict[str, tuple[str, str]]:
    row = next(r for r in report.services if r.slug == slug)
    return {s.nama: (s.status, s.keterangan) for s in row.steps}


@pytest.mark.parametrize("ktp, kk", [("ktp-el", "kartu-keluarga"), ("e-KTP", "Penerbitan Kartu Keluarga"),
                                     ("Pelayanan KTP-el", "kartu keluarga")])
def test_check_sp_cycle_finds_answers_under_printed_names(unit, ktp, kk):
    add_alias(unit, "ktp-el", "[e-KTP]")
    (unit / "skm").mkdir()
    (unit / "skm" / "2025.csv").write_text(SURVEY.format(ktp=ktp, kk=kk), encoding="utf-8")
    report = build_report(unit, today=TODAY)
    for slug in ("ktp-el", "kartu-keluarga"):
        assert steps(report, slug)["SKM"] == ("selesai", "skm/2025.csv")
    assert [g.key for g in report.survey.per_layanan] == ["kartu-keluarga", "ktp-el"]
    assert not [i for i in report.issues if i.rule == "skm.layanan_tidak_cocok"]


def test_check_sp_cycle_without_answers_for_a_service(unit):
    (unit / "skm").mkdir()
    (unit / "skm" / "2025.csv").write_text(SURVEY.format(ktp="KTP-el", kk="Surat Pindah"), encoding="utf-8")
    report = build_report(unit, today=TODAY)
    assert steps(report, "ktp-el")["SKM"] == ("selesai", "skm/2025.csv")
    assert steps(report, "kartu-keluarga")["SKM"] == ("belum", "tidak ada jawaban survei untuk layanan ini")
    warned = [(i.path, i.line, i.column, i.rule) for i in report.issues if i.rule == "skm.layanan_tidak_cocok"]
    assert warned == [("skm/2025.csv", 3, 2, "skm.layanan_tidak_cocok")]


def test_check_fkp_step_by_name(unit):
    set_fkp(unit, '["Pelayanan KTP-el", "Kartu Keluarga"]', "ktp-el")
    report = build_report(unit, today=TODAY)
    for slug in ("ktp-el", "kartu-keluarga"):
        assert steps(report, slug)["FKP dan Berita Acara"] == ("selesai", "fkp/fkp-2025.yaml")
