"""The loader and validator never let an exception escape, whatever the bytes or the YAML tree."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from sp_builder import tables
from sp_builder.unit.load import read_yaml
from sp_builder.unit.rules import check_fkp_file, check_service_file, check_unit_file

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


@pytest.mark.parametrize("text", [
    "p: [{saluran: SP4N-LAPOR!, kontak: https://www.lapor.go.id}]\n",
    "p:\n  - {saluran: Web, kontak: https://a.go.id/x?y=1&z=2, ket: buka 24 jam}\n",
    "p: {a: https://x.id/,b: c}\n",
    "p: {kontak: \"https://sudah.dikutip.id\"}\n",
    "p: {teks: lihat https://x.id di laman}\n",
    "p: |\n  {kontak: https://dalam.blok.id}\n",
    "p: {kontak: https://x.id#bagian}\n",
])
def test_quoting_flow_urls_never_changes_the_data(text):
    from ruamel.yaml import YAML

    from sp_builder.files import _quote_flow_urls

    reference = YAML(typ="safe", pure=True).load(text)
    try:
        fast = YAML(typ="safe", pure=False).load(_quote_flow_urls(text))
    except Exception:  # libyaml may still refuse; read_yaml then falls back to the pure parser
        return
    assert fast == reference


values = st.sampled_from([
    "https://www.lapor.go.id", "https://a.go.id/x?y=1&z=2", "http://b.id/", "https://c.id#x", "0812-0000",
    "SP4N-LAPOR!", "kotak saran", "'https://q.id'", '"https://d.id"', "https://e.id/a,b", "lihat https://f.id",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["kontak", "saluran", "ket", "x"]), values), min_size=1, max_size=4),
       st.sampled_from(["p: {%s}\n", "p: [{%s}]\n", "p:\n  - {%s}\n", "p: {%s, z: [1, 2]}\n"]))
def test_quoting_flow_urls_agrees_with_yaml_12_on_generated_flow_mappings(pairs, shape):
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    from sp_builder.files import _quote_flow_urls

    text = shape % ", ".join(f"{key}{n}: {value}" for n, (key, value) in enumerate(pairs))
    try:
        reference = YAML(typ="safe", pure=True).load(text)
    except YAMLError:
        return
    try:
        fast = YAML(typ="safe", pure=False).load(_quote_flow_urls(text))
    except YAMLError:  # libyaml may still refuse; read_yaml then falls back to the pure parser
        return
    assert fast == reference


def test_the_spec_form_of_complaint_channels_takes_the_fast_parser():
    from ruamel.yaml import YAML

    from sp_builder.files import _quote_flow_urls

    text = "pengaduan:\n  - {saluran: SP4N-LAPOR!, kontak: https://www.lapor.go.id}\n"
    assert YAML(typ="safe", pure=False).load(_quote_flow_urls(text)) == {
        "pengaduan": [{"saluran": "SP4N-LAPOR!", "kontak": "https://www.lapor.go.id"}]}
