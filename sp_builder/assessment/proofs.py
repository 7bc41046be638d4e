"""What a unit's own files prove for PEKPPP: per derivation (penilaian.yaml `turunan`) a score, the
highest answer the files allow, the files behind it and the action that would raise it."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from sp_builder import fmt_id, tables
from sp_builder.errors import Issue
from sp_builder.files import display_path, read_text
from sp_builder.unit.model import Service, Unit, has_lapor_channel, texts_of, vulnerable_facilities_in
from sp_builder.unit.register import RULE_REVOKED


@dataclass
class Proof:
    """A score the files establish, and the highest answer they allow (a claim above it
    contradicts them). `places` names the files behind the finding; `action` the fix."""

    nilai: int
    plafon: int
    alasan: str
    places: list[str] = field(default_factory=list)
    action: str = ""



def _where(service: Service, key: str) -> str:
    """`file:line` of a key in a service file, for messages that must point at both files."""
    display = display_path(service.path)
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*:")
    text, _ = read_text(service.path, display)  # UTF-16 files are read too
    for number, line in enumerate((text or "").splitlines(), start=1):
        if pattern.match(line):
            return f"{display}:{number}"
    return display



def _names(services: list[Service], limit: int = 6) -> str:
    slugs = [s.slug for s in services]
    shown = ", ".join(slugs[:limit])
    return shown + (f", dan {len(slugs) - limit} lainnya" if len(slugs) > limit else "")



def _incomplete(services: list[Service], issues: list[Issue]) -> list[Service]:
    bad_files = {i.path for i in issues if i.is_error and i.component}
    return [s for s in services if display_path(s.path) in bad_files]



def _discussed(unit: Unit) -> set[str]:
    return {slug for fkp in unit.fkps for slug in fkp.layanan}



def _revoked_citations(services: list[Service], issues: list[Issue]) -> tuple[list[Service], list[str]]:
    """The services whose dasar hukum cites a revoked regulation (validation's dasar_hukum.dicabut
    warnings, built-in register and the Pemda's), and the file:line of each such citation."""
    lines: dict[str, list[str]] = {}
    for issue in issues:
        if issue.rule == RULE_REVOKED:
            lines.setdefault(issue.path, []).append(f"{issue.path}:{issue.line}" if issue.line else issue.path)
    cited = [s for s in services if display_path(s.path) in lines]
    return cited, [place for s in cited for place in lines[display_path(s.path)]]


def _with_revoked(proof: Proof, cited: list[Service], places: list[str]) -> Proof:
    """A gap of the indicator's "sesuai ketentuan peraturan perundang-undangan": named in the reason,
    the places and the action; the score is the ladder's, unchanged."""
    if not cited:
        return proof
    proof.alasan += f"; {len(cited)} layanan mengutip dasar hukum yang telah dicabut"
    proof.places = proof.places + [p for p in places if p not in proof.places]
    fix = f"Perbarui dasar hukum yang telah dicabut di {len(cited)} layanan: {_names(cited)}"
    proof.action = f"{proof.action}; {fix[0].lower()}{fix[1:]}" if proof.action else fix
    return proof


def _prove_sp(unit: Unit, issues: list[Issue], today: dt.date, survey) -> Proof:
    services = unit.services
    if not services:
        return Proof(0, 0, "belum ada satu pun berkas layanan", action="Tulis SP tiap jenis pelayanan di layanan/")
    return _with_revoked(_sp_ladder(unit, services, issues), *_revoked_citations(services, issues))


def _sp_ladder(unit: Unit, services: list[Service], issues: list[Issue]) -> Proof:
    broken = _incomplete(services, issues)
    if broken:
        return Proof(1, 1, f"{len(broken)} layanan belum lengkap 14 komponennya",
                     [display_path(s.path) for s in broken],
                     f"Lengkapi komponen yang kosong atau salah di {len(broken)} layanan: {_names(broken)}")
    drafts = [s for s in services if s.is_draft]
    if drafts:
        return Proof(2, 2, f"{len(drafts)} layanan belum ditetapkan", [_where(s, "status") for s in drafts],
                     f"Tetapkan SP dengan Keputusan pimpinan untuk {len(drafts)} layanan: {_names(drafts)}")
    discussed = _discussed(unit)
    lonely = [s for s in services if s.slug not in discussed]
    if lonely:
        return Proof(3, 3, f"{len(lonely)} layanan tidak dibahas dalam FKP", [_where(s, "nama") for s in lonely],
                     f"Bahas SP bersama masyarakat (FKP) untuk {len(lonely)} layanan: {_names(lonely)}")
    return Proof(4, 5, "semua layanan lengkap 14 komponen, ditetapkan, dan dibahas dalam FKP; monev dibuktikan "
                       "dengan penilaian mandiri", action="Lampirkan bukti monitoring dan evaluasi SP (laporan monev)")



def _ladder(derivation: str, count: int, whole: int) -> int:
    """The score of the first row of the derivation's ladder (penilaian.yaml `tangga`) that holds
    for `count` of `whole` things: `semua` (all of them), `paling_sedikit` (at least n)."""
    for row in tables.assessment()["tangga"][derivation]:
        if row.get("semua") and count < whole:
            continue
        if count < row.get("paling_sedikit", 0):
            continue
        return int(row["nilai"])
    return 0



def _prove_fkp_groups(unit: Unit, issues, today, survey) -> Proof:
    groups = {p.unsur for fkp in unit.fkps for p in fkp.peserta}
    public = [g for g in tables.public_groups() if g in groups]
    score = _ladder("fkp_unsur", len(public), len(tables.public_groups()))
    labels = tables.fkp_groups()
    missing = [labels[g] for g in tables.public_groups() if g not in groups]
    places = [display_path(f.path) for f in unit.fkps]
    if not unit.fkps:
        return Proof(0, 0, "belum ada FKP (fkp/*.yaml)", action="Selenggarakan FKP dan catat di fkp/*.yaml")
    return Proof(score, score, f"{len(public)} unsur masyarakat hadir dalam FKP", places,
                 f"Undang unsur yang belum hadir pada FKP berikutnya: {', '.join(missing)}" if missing else "")



def _prove_review(unit: Unit, issues, today: dt.date, survey) -> Proof:
    ages = {s.slug: (today - s.penetapan_tanggal).days for s in unit.services
            if not s.is_draft and s.penetapan_tanggal}
    if not ages:
        return Proof(0, 0, "belum ada SP yang ditetapkan", action="Tetapkan SP lalu tinjau ulang tiap tahun")
    every = len(ages) == len(unit.services)
    year = tables.review_after_days()
    score = 0
    for row in tables.assessment()["tangga"]["peninjauan_sp"]:
        limit = row.get("dalam_tahun")
        within = [k for k, d in ages.items() if limit is None or d <= limit * year]
        if within and (not row.get("semua") or (every and len(within) == len(ages))):
            score = int(row["nilai"])
            break
    within_1 = [k for k, d in ages.items() if d <= year]
    stale = [s for s in unit.services if s.slug not in within_1]
    return Proof(score, score, f"{len(within_1)} dari {len(unit.services)} layanan ditinjau dalam setahun terakhir",
                 [_where(s, "tanggal" if not s.is_draft else "status") for s in stale],
                 f"Tinjau ulang dan tetapkan kembali SP {len(stale)} layanan: {_names(stale)}" if stale else "")



def maklumat_statements(unit: Unit) -> list[str]:
    return unit.maklumat or [fmt_id.fold(s) for s in tables.load_data("dokumen.yaml")["maklumat"]["pernyataan"]]



def _prove_maklumat(unit: Unit, issues, today, survey) -> Proof:
    text = " ".join(maklumat_statements(unit)).lower()
    missing = [row["nama"] for row in tables.assessment()["maklumat_unsur"]
               if not any(w in text for w in row["kata"])]
    established = any(not s.is_draft for s in unit.services)
    if not established:
        return Proof(1, 1, "Maklumat tersedia tetapi belum ada SP yang ditetapkan", ["unit.yaml"],
                     "Tetapkan SP lalu tanda tangani Maklumat Pelayanan")
    if missing:
        return Proof(2, 2, f"isi Maklumat belum memuat: {', '.join(missing)}", ["unit.yaml"],
                     f"Lengkapi pernyataan maklumat di unit.yaml: {', '.join(missing)}")
    return Proof(3, 5, "Maklumat ditetapkan dan isinya lengkap; publikasi dibuktikan dengan penilaian mandiri",
                 ["unit.yaml"], "Publikasikan Maklumat di tempat pelayanan dan secara daring, lampirkan fotonya")



def _prove_skm(unit: Unit, issues, today, survey) -> Proof:
    if survey is None:
        return Proof(0, 5, "tidak ada data SKM di skm/", action="Lakukan SKM tiap semester dan simpan jawabannya di "
                                                                 "skm/*.csv atau skm/*.xlsx")
    every = tables.skm_unsur_count()
    if len(survey.ikm.unsur) < every:
        return Proof(1, 1, f"SKM hanya memuat {len(survey.ikm.unsur)} dari {every} unsur PermenPANRB 14/2017",
                     list(survey.sumber), f"Gunakan kuesioner {every} unsur PermenPANRB 14/2017")
    return Proof(2, 5, f"SKM {every} unsur, IKM {fmt_id.desimal(survey.ikm.nilai)} ({survey.ikm.mutu.kinerja})",
                 list(survey.sumber), "Publikasikan hasil SKM dan tindak lanjutnya, lampirkan buktinya")



def _prove_facilities(unit: Unit, issues, today, survey) -> Proof:
    found = set()
    for service in unit.services:
        found.update(vulnerable_facilities_in(texts_of(service.raw("sarana_prasarana"))))
    count, every = len(found), len(tables.vulnerable_facilities())
    score = _ladder("sarana_rentan", count, every)
    missing = [name for name, _ in tables.vulnerable_facilities() if name not in found]
    return Proof(score, score, f"SP menyebut {count} dari {every} fasilitas kelompok rentan",
                 [_where(s, "sarana_prasarana") for s in unit.services],
                 f"Sediakan dan cantumkan pada Sarana dan Prasarana: {', '.join(missing[:5])}"
                 + (" …" if len(missing) > 5 else "") if missing else "")



def _prove_complaints(unit: Unit, issues, today, survey) -> Proof:
    without = [s for s in unit.services if not has_lapor_channel(s.raw("pengaduan"))]
    if not unit.services:
        return Proof(0, 0, "belum ada layanan")
    if without:
        return Proof(3 if len(without) < len(unit.services) else 2, 4,
                     f"{len(without)} layanan belum mencantumkan SP4N-LAPOR!", [_where(s, "pengaduan") for s in without],
                     f"Tambahkan kanal SP4N-LAPOR! pada Penanganan Pengaduan di {len(without)} layanan: "
                     f"{_names(without)}")
    offline = any(any(w in t.lower() for w in tables.assessment()["pengaduan_tatap_muka"]) for s in unit.services for t in texts_of(s.raw("pengaduan")))
    return Proof(3 if offline else 2, 5, "semua layanan terhubung dengan SP4N-LAPOR!"
                 + ("" if offline else "; sarana pengaduan tatap muka tidak disebut"), [],
                 "Sediakan ruang pengaduan terpisah dari front office, lampirkan fotonya")



PROOFS = {
    "sp_tersedia": _prove_sp, "fkp_unsur": _prove_fkp_groups, "peninjauan_sp": _prove_review,
    "maklumat": _prove_maklumat, "skm": _prove_skm, "sarana_rentan": _prove_facilities,
    "pengaduan_lapor": _prove_complaints,
}
