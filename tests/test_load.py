"""The loader and validator never let an exception escape, whatever the bytes or the YAML tree."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from sp_builder import tables
from sp_builder.load import read_yaml
from sp_builder.validate import check_fkp_file, check_service_file, check_unit_file

TODAY = dt.date(2025, 6, 1)
KEYS = [c.key for c in tables.components()] + [
    "nama", "status", "penetapan", "penyampaian", "pengelolaan", "tanggal", "nomor", "tarif", "dasar_hukum",
    "uraian", "keterangan", "saluran", "kontak", "jabatan", "jumlah", "bagan_alir", "nip", "pimpinan",
    "layanan", "peserta", "unsur", "kesepakatan", "komponen", "menjadi", "penandatangan", "logo",
]
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(allow_nan=False), st.text(max_size=30),
    st.dates(), st.sampled_from(["0", "Gratis", "3 hari kerja", "secepatnya", "../x.png", "/etc/passwd", "rancangan",
                                 "ditetapkan", "SP4N-LAPOR!", "197001011995031001", "ktp-el", "jangka_waktu"]),
)
trees = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=8)), children, max_size=6),
    ),
    max_leaves=30,
)


def _check_all(path: Path) -> None:
    file, issues = read_yaml(path, "x.yaml")
    for issue in issues:
        assert issue.line >= 0 and issue.message
    if file is not None:
        for check in (check_service_file(file, path.parent, TODAY), check_unit_file(file, path.parent, TODAY),
                      check_fkp_file(file, path.parent, TODAY)):
            for issue in check.issues():
                assert issue.line >= 1 and issue.column >= 1 and issue.message


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=200) | st.text(max_size=300).map(lambda t: t.encode("utf-8")))
def test_arbitrary_bytes_never_raise(tmp_path, raw):
    path = tmp_path / "x.yaml"
    path.write_bytes(raw)
    _check_all(path)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tree=st.dictionaries(st.sampled_from(KEYS), trees, min_size=1, max_size=8))
def test_arbitrary_yaml_trees_never_raise(tmp_path, tree):
    buffer = io.StringIO()
    YAML(typ="safe", pure=True).dump(tree, buffer)
    path = tmp_path / "x.yaml"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    _check_all(path)


def test_positions_point_at_keys_and_items(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("a:\n  b:\n    - satu\n    - {c: dua}\n", encoding="utf-8")
    file, _ = read_yaml(path)
    assert file.position(("a", "b")) == (2, 3)
    assert file.position(("a", "b", 1)) == (4, 7)
    assert file.position(("a", "b", 1, "c")) == (4, 8)
    assert file.position(("a", "tidak-ada")) == (1, 1)


def test_flow_mapping_with_url_falls_back_to_yaml_12_parser(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("pengaduan: [{saluran: SP4N-LAPOR!, kontak: https://www.lapor.go.id}]\nok: no\n", encoding="utf-8")
    file, issues = read_yaml(path)
    assert issues == []
    assert file.data == {"pengaduan": [{"saluran": "SP4N-LAPOR!", "kontak": "https://www.lapor.go.id"}], "ok": "no"}
