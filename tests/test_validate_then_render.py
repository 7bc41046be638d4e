"""Whatever a service file holds, a unit that validates without errors renders: validation is the
only gate between user input and the documents, so it must catch everything the renderer could
choke on."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from sp_builder import tables
from sp_builder.errors import UserError
from sp_builder.documents.render import render_unit
from sp_builder.unit.validate import load_unit

SOURCE = Path(__file__).parent / "data" / "unit-valid"
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10, 10**7), st.text(max_size=20),
    st.sampled_from(["0", "Gratis", "3 hari kerja", "Rp0,00", "SP4N-LAPOR!", "& <x>", "{{ x }}", "{% if %}"]),
)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3),
    st.dictionaries(st.sampled_from(["uraian", "keterangan", "tarif", "dasar_hukum", "saluran", "kontak",
                                     "jabatan", "jumlah"]), inner, max_size=3),
), max_leaves=8)


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from([c.key for c in tables.components()]), values)
def test_a_unit_without_errors_always_renders(key, value):
    folder = Path(tempfile.mkdtemp())
    try:
        root = folder / "unit"
        shutil.copytree(SOURCE, root)
        path = root / "layanan" / "ktp-el.yaml"
        yaml = YAML(typ="safe", pure=True)
        data = yaml.load(path.read_text(encoding="utf-8"))
        data[tables.component(key).bagian][key] = value
        buffer = io.StringIO()
        yaml.dump(data, buffer)
        path.write_text(buffer.getvalue(), encoding="utf-8")
        unit, issues = load_unit(root, dt.date(2025, 6, 1))
        if unit is None or any(issue.is_error for issue in issues):
            return
        try:
            result = render_unit(unit, "all", folder / "out", workers=1)
        except UserError:  # a document that does not apply (e.g. no SK) is a message, not a crash
            return
        assert result.documents
    finally:
        shutil.rmtree(folder)
