"""The SP indicator's proof names services whose dasar hukum cites a revoked regulation (a gap of
"sesuai ketentuan peraturan perundang-undangan"): in its reason, places and action, the score
left as the ladder gives it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

from sp_builder.assessment.check import build_report
from sp_builder.assessment.proofs import PROOFS, _sp_ladder
from sp_builder.unit import dasar_hukum
from sp_builder.unit.validate import load_unit

DATA = Path(__file__).parent / "data"
TODAY = dt.date(2025, 6, 1)
KTP = "layanan/ktp-el.yaml"
UU_25 = "    - Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik\n"


def plant(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def prove(root: Path):
    unit, issues = load_unit(root, today=TODAY)
    return PROOFS["sp_tersedia"](unit, issues, TODAY, None), _sp_ladder(unit, unit.services, issues)


def test_without_revoked_citations_the_proof_is_the_ladders(unit):
    proof, ladder = prove(unit)
    assert dataclasses.asdict(proof) == dataclasses.asdict(ladder)
    assert "dicabut" not in proof.alasan + proof.action


def test_revoked_citation_is_named_with_its_line_and_the_score_kept(unit):
    before, _ = prove(unit)
    plant(unit, KTP, UU_25, "    - UU No. 36 Tahun 2009 tentang Kesehatan\n")
    proof, ladder = prove(unit)
    assert (proof.nilai, proof.plafon) == (ladder.nilai, ladder.plafon) == (before.nilai, before.plafon)
    assert proof.alasan == ladder.alasan + "; 1 layanan mengutip dasar hukum yang telah dicabut"
    assert "layanan/ktp-el.yaml:24" in proof.places
    assert proof.action.endswith("; perbarui dasar hukum yang telah dicabut di 1 layanan: ktp-el")
    assert proof.action.startswith(ladder.action)


def test_revoked_by_the_pemda_register_counts_too(unit):
    plant(unit, KTP, UU_25, "    - Perda Kabupaten Contoh No. 3 Tahun 2015 tentang Retribusi Jasa Umum\n")
    assert "dicabut" not in prove(unit)[0].alasan
    shutil.copy(DATA / "peraturan-pemda.yaml", unit.parent / "peraturan.yaml")
    dasar_hukum._load.cache_clear()
    proof, _ = prove(unit)
    assert "1 layanan mengutip dasar hukum yang telah dicabut" in proof.alasan
    assert "layanan/ktp-el.yaml:24" in proof.places


def test_check_report_index_is_unchanged_by_a_revoked_citation(unit):
    before = build_report(unit, today=TODAY)
    plant(unit, KTP, UU_25, "    - Undang-Undang Nomor 44 Tahun 2009 tentang Rumah Sakit\n")
    after = build_report(unit, today=TODAY)
    assert after.indeks == before.indeks
    sp = [r for a in after.aspects for r in a.indikator if r.bukti_berkas and "dicabut" in r.bukti_berkas.alasan]
    assert sp and all("layanan/ktp-el.yaml:24" in r.bukti_berkas.places for r in sp)
