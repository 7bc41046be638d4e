"""The Keputusan's Mengingat, read back from the .docx: each regulation the established services
cite once, written in full, in the order of UU 12/2011 (Pasal 7, then Pasal 8), whatever spelling
each service used; titles from the register (built-in and the Pemda's peraturan.yaml)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import docx
import pytest

from sp_builder.documents.render import render
from sp_builder.unit import dasar_hukum

DATA = Path(__file__).parent / "data"
TODAY = dt.date(2025, 6, 1)

KTP_LINES = [
    "UU No. 25 Tahun 2009 tentang Pelayanan Publik",
    "Perbup Contoh No. 12 Tahun 2020 tentang Standar Pelayanan Kecamatan",
    "PP No. 96 Thn 2012",
    "Permenpan RB No. 15 Tahun 2014 tentang Pedoman Standar Pelayanan",
    "Undang-Undang Nomor 24 Tahun 2013 tentang Perubahan atas Undang-Undang Nomor 23 Tahun 2006 tentang "
    "Administrasi Kependudukan",
    "Perda Kabupaten Contoh No 9 Thn 2023 tentang Pajak Daerah dan Retribusi Daerah",
]
KK_LINES = [
    "Peraturan Daerah Kabupaten Contoh Nomor 9 Tahun 2023 tentang Pajak Daerah dan Retribusi Daerah",
    "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik",
    "Peraturan Pemerintah Nomor 96 Tahun 2012 tentang Pelaksanaan Undang-Undang Nomor 25 Tahun 2009 tentang "
    "Pelayanan Publik",
    "1. Undang-Undang Dasar Negara Republik Indonesia Tahun 1945;",
    "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 15 Tahun 2014 tentang "
    "Pedoman Standar Pelayanan; dan",
    "UU 23/2014 tentang Pemerintahan Daerah sebagaimana telah beberapa kali diubah terakhir dengan Undang-Undang "
    "Nomor 9 Tahun 2015",
]
EXPECTED = [
    "Undang-Undang Dasar Negara Republik Indonesia Tahun 1945;",
    "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik;",
    "Undang-Undang Nomor 24 Tahun 2013 tentang Perubahan atas Undang-Undang Nomor 23 Tahun 2006 tentang "
    "Administrasi Kependudukan;",
    "Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah sebagaimana telah beberapa kali diubah terakhir "
    "dengan Undang-Undang Nomor 9 Tahun 2015;",
    "Peraturan Pemerintah Nomor 96 Tahun 2012 tentang Pelaksanaan Undang-Undang Nomor 25 Tahun 2009 tentang "
    "Pelayanan Publik;",
    # UU 12/2011 Pasal 7 ayat (1): the Perda is in the hierarchy, before the Peraturan Menteri of Pasal 8
    "Peraturan Daerah Kabupaten Contoh Nomor 9 Tahun 2023 tentang Pajak Daerah dan Retribusi Daerah;",
    "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 15 Tahun 2014 tentang "
    "Pedoman Standar Pelayanan;",
    "Peraturan Bupati Contoh Nomor 12 Tahun 2020 tentang Standar Pelayanan Kecamatan.",
]


def _write_lines(path: Path, lines: list[str]) -> None:
    text = path.read_text(encoding="utf-8")
    start = text.index("  dasar_hukum:\n") + len("  dasar_hukum:\n")
    end = text.index("  sarana_prasarana:")
    items = "".join(f"    - {line!r}\n".replace("'", '"') if '"' not in line else f"    - '{line}'\n"
                    for line in lines)
    path.write_text(text[:start] + items + text[end:], encoding="utf-8")


@pytest.fixture
def two_services(unit) -> Path:
    """The fixture unit with both services established, citing the same laws in other spellings."""
    kk = unit / "layanan" / "kartu-keluarga.yaml"
    kk.write_text(kk.read_text(encoding="utf-8").replace(
        "status: rancangan\n", "status: ditetapkan\npenetapan:\n  nomor: 400.12/016/DKPS/2025\n  tanggal: 2025-02-03\n"),
        encoding="utf-8")
    _write_lines(unit / "layanan" / "ktp-el.yaml", KTP_LINES)
    _write_lines(kk, KK_LINES)
    dasar_hukum._load.cache_clear()
    return unit


def mengingat_of(out: Path) -> list[str]:
    doc = docx.Document(str(out / "sk" / "keputusan-standar-pelayanan.docx"))
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "Mengingat")
    return [row.cells[3].text for row in table.rows]


def test_sk_lists_each_regulation_once_in_full_in_hierarchy_order(two_services, tmp_path):
    result = render("sk", two_services, tmp_path / "out", today=TODAY)
    assert mengingat_of(tmp_path / "out") == EXPECTED
    # no spelling conflicts among these lines, so no Mengingat warning
    assert not [i for i in result.warnings if i.rule == "dasar_hukum.judul_berbeda"]


def test_sk_titles_come_from_the_pemda_register(two_services, tmp_path):
    """A Perbup cited without its title gets the title from the Pemda's own register."""
    _write_lines(two_services / "layanan" / "ktp-el.yaml",
                 [line.replace(" tentang Standar Pelayanan Kecamatan", "") for line in KTP_LINES])
    shutil.copy(DATA / "peraturan-pemda.yaml", two_services.parent / "peraturan.yaml")
    render("sk", two_services, tmp_path / "out", today=TODAY)
    assert mengingat_of(tmp_path / "out")[-1] == \
        "Peraturan Bupati Contoh Nomor 12 Tahun 2020 tentang Standar Pelayanan Kecamatan."
    # and the register's title wins over a different spelling, with a warning naming both lines
    _write_lines(two_services / "layanan" / "ktp-el.yaml",
                 [line.replace("Standar Pelayanan Kecamatan", "SP Kecamatan") for line in KTP_LINES])
    kk = two_services / "layanan" / "kartu-keluarga.yaml"
    _write_lines(kk, KK_LINES + ["Peraturan Bupati Contoh Nomor 12 Tahun 2020 tentang Standar Pelayanan di Kecamatan"])
    result = render("sk", two_services, tmp_path / "out2", today=TODAY)
    assert mengingat_of(tmp_path / "out2")[-1] == \
        "Peraturan Bupati Contoh Nomor 12 Tahun 2020 tentang Standar Pelayanan Kecamatan."
    conflicts = [i for i in result.warnings if i.rule == "dasar_hukum.judul_berbeda"]
    assert len(conflicts) == 1
    assert "layanan/kartu-keluarga.yaml:" in conflicts[0].message and "layanan/ktp-el.yaml:" in conflicts[0].message
    assert conflicts[0].message.endswith('dipakai "Standar Pelayanan Kecamatan"')


def test_build_rebuilds_the_sk_when_the_pemda_register_changes(two_services, tmp_path):
    from sp_builder.build import BUILT, UNCHANGED, build

    root = tmp_path / "pemda"
    shutil.copytree(two_services, root / "dukcapil")
    _write_lines(root / "dukcapil" / "layanan" / "ktp-el.yaml",
                 [line.replace(" tentang Standar Pelayanan Kecamatan", "") for line in KTP_LINES])
    register = root / "peraturan.yaml"
    shutil.copy(DATA / "peraturan-pemda.yaml", register)
    out = tmp_path / "out"

    def run():
        dasar_hukum._load.cache_clear()
        return {u.rel: u.state for u in build(root, out, workers=1, today=TODAY).units}

    assert run() == {"dukcapil": BUILT}
    assert mengingat_of(out / "dukcapil")[-1].endswith("tentang Standar Pelayanan Kecamatan.")
    assert run() == {"dukcapil": UNCHANGED}
    register.write_text(register.read_text(encoding="utf-8").replace(
        "judul: Standar Pelayanan Kecamatan", "judul: Standar Pelayanan pada Kecamatan"), encoding="utf-8")
    assert run() == {"dukcapil": BUILT}
    assert mengingat_of(out / "dukcapil")[-1].endswith("tentang Standar Pelayanan pada Kecamatan.")
