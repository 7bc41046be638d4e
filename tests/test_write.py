"""Atomic writes: complete or absent, with the permissions any other file would get."""

import os

import pytest

from sp_builder.write import write_bytes_atomic


def test_written_file_has_umask_permissions(tmp_path):
    mask = os.umask(0o022)
    try:
        write_bytes_atomic(tmp_path / "a" / "b.txt", b"isi")
    finally:
        os.umask(mask)
    path = tmp_path / "a" / "b.txt"
    assert path.read_bytes() == b"isi"
    assert path.stat().st_mode & 0o777 == 0o644


def test_failed_write_leaves_nothing_behind(tmp_path):
    with pytest.raises(TypeError):
        write_bytes_atomic(tmp_path / "c.txt", "bukan bytes")  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []
