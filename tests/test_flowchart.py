"""The drawn bagan alir: steps read from `prosedur`, the suggested actor, and the picture itself
(read back from its SVG: lanes, nodes, symbols, branches) and its PNG."""

from __future__ import annotations

import os
import re
import stat
import struct
import time
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import pytest

from sp_builder.documents import flowchart as fc
from sp_builder.errors import UserError

DATA = Path(__file__).parent / "data"
NS = {"s": "http://www.w3.org/2000/svg"}

# 8 steps, 3 actors, two decisions: one back to the applicant's lane, one back within the office
HAND = [
    {
        "uraian": "Pemohon mengambil nomor antrean dan menyerahkan berkas persyaratan di loket",
        "pelaksana": "Pemohon",
        "waktu": "5 menit",
        "output": "Berkas permohonan",
        "kelengkapan": ["KTP-el", "Kartu Keluarga"],
    },
    {
        "uraian": "Petugas loket memeriksa kelengkapan dan keabsahan berkas",
        "pelaksana": "Petugas loket",
    },
    {
        "uraian": "Berkas lengkap dan sah?",
        "pelaksana": "Petugas loket",
        "jika_tidak": 1,
    },
    {
        "uraian": "Petugas loket merekam data dan menyusun konsep surat keterangan",
        "pelaksana": "Petugas loket",
    },
    {
        "uraian": "Kepala Seksi memeriksa dan memaraf konsep surat keterangan",
        "pelaksana": "Kepala Seksi",
    },
    {"uraian": "Konsep sudah benar?", "pelaksana": "Kepala Seksi", "jika_tidak": 4},
    {
        "uraian": "Petugas loket mencetak surat keterangan dan menyerahkannya kepada pemohon",
        "pelaksana": "petugas  Loket",
    },
    {
        "uraian": "Pemohon menerima surat keterangan dan mengisi survei kepuasan masyarakat",
        "pelaksana": "Pemohon",
    },
]


def svg_of(steps) -> ET.Element:
    return ET.fromstring(fc.draw(steps, "svg"))


def group(root: ET.Element, gid: str) -> ET.Element:
    found = root.find(f".//s:g[@id='{gid}']", NS)
    assert found is not None, f"no <g id={gid}> in the SVG"
    return found


def text_of(g: ET.Element) -> str:
    return " ".join(t.text or "" for t in g.findall("s:text", NS))


def classes(g: ET.Element) -> set[str]:
    return set(g.get("class", "").split())


def points(poly: ET.Element) -> list[tuple[float, float]]:
    pts = [tuple(map(float, p.split(","))) for p in poly.get("points").split()]
    return pts[:-1] if pts[0] == pts[-1] else pts  # Graphviz repeats the first point


def edges(root: ET.Element) -> dict[str, ET.Element]:
    """Edges by their title "tail->head", flow edges only (not capsule outlines)."""
    out = {}
    for g in root.iterfind(".//s:g", NS):
        if "alur" in classes(g):
            out[g.find("s:title", NS).text] = g
    return out


def box(root: ET.Element, gid: str) -> tuple[float, float, float, float]:
    pts = points(group(root, gid).find("s:polygon", NS))
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return min(xs), min(ys), max(xs), max(ys)


# --------------------------------------------------------------------------- reading steps


def test_plain_steps_and_hand_numbering():
    steps = fc.read_steps(
        [
            "1. Pemohon mengambil nomor antrean",
            "2) Petugas memverifikasi berkas",
            "(3) Operator merekam data",
            "d. Kepala Seksi menandatangani",
            "5. 5. Petugas menyerahkan dokumen",
            "- Pemohon mengisi survei",
            "10.1.1 Bagian Front Office menghubungi pemohon",
            "Kepala Dinas menandatangani 2 dokumen",
        ]
    )
    assert [s.uraian for s in steps] == [
        "Pemohon mengambil nomor antrean",
        "Petugas memverifikasi berkas",
        "Operator merekam data",
        "Kepala Seksi menandatangani",
        "Petugas menyerahkan dokumen",
        "Pemohon mengisi survei",
        "Bagian Front Office menghubungi pemohon",
        "Kepala Dinas menandatangani 2 dokumen",
    ]
    assert [s.nomor for s in steps] == list(range(1, 9))
    assert all(s.pelaksana is None and not s.is_decision for s in steps)


def test_numbered_text_block_is_split_at_its_numbers():
    block = "1. Pemohon datang ke loket\n   membawa berkas\n2. Petugas memeriksa berkas\n3. Camat menandatangani surat"
    assert [s.uraian for s in fc.read_steps(block)] == [
        "Pemohon datang ke loket membawa berkas",
        "Petugas memeriksa berkas",
        "Camat menandatangani surat",
    ]


def test_mapping_and_decision_steps():
    steps = fc.read_steps(
        HAND + [{"uraian": "Survei terisi?", "jika_tidak": "selesai"}]
    )
    first = steps[0]
    assert (
        first.nomor,
        first.pelaksana,
        first.waktu,
        first.output,
        first.kelengkapan,
    ) == (1, "Pemohon", "5 menit", "Berkas permohonan", ("KTP-el", "Kartu Keluarga"))
    assert steps[2].is_decision and steps[2].jika_tidak == 1
    assert steps[5].jika_tidak == 4
    assert steps[8].jika_tidak == fc.SELESAI and steps[8].pelaksana is None
    assert not steps[1].is_decision


def test_sub_steps_are_kept_with_their_step():
    steps = fc.read_steps(
        [
            "Petugas memeriksa berkas:",
            ["a. KTP-el", "b. Kartu Keluarga"],
            "Camat menandatangani",
        ]
    )
    assert (
        len(steps) == 2
        and steps[0].rincian == ("KTP-el", "Kartu Keluarga")
        and steps[1].nomor == 2
    )


@pytest.mark.parametrize(
    "value, fragment",
    [
        ([], "kosong"),
        (None, "kosong"),
        ([{"pelaksana": "Petugas"}], "uraian kosong"),
        ([{"uraian": "A", "pelaksanan": "Petugas"}], "pelaksanan tidak dikenal"),
        (["A", {"uraian": "Lengkap?", "jika_tidak": 9}], "langkah 9 tidak ada"),
        (["A", {"uraian": "Lengkap?", "jika_tidak": 3}, "C"], 'tujuan cabang "Ya"'),
        (["A", {"uraian": "Lengkap?", "jika_tidak": 2}], "keputusan itu sendiri"),
        (["A", {"uraian": "Lengkap?", "jika_tidak": "nanti"}], "nomor langkah tujuan"),
        (42, "daftar langkah"),
    ],
)
def test_shapes_that_cannot_be_drawn_are_told_in_indonesian(value, fragment):
    with pytest.raises(UserError) as err:
        fc.read_steps(value)
    assert fragment in str(err.value)


# --------------------------------------------------------------------------- actor suggestion


def real_step_data() -> dict:
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=True).load(
        (DATA / "langkah-nyata.yaml").read_text(encoding="utf-8")
    )


def real_steps():
    data = real_step_data()
    return [
        pytest.param(r["teks"], r["pelaku"], id=f"{r['sumber']}-{i}")
        for i, r in enumerate(data["langkah"])
    ]


@pytest.mark.parametrize("text, actor", real_steps())
def test_suggest_actor_real_steps(text, actor):
    assert fc.suggest_actor(text) == actor


def test_real_step_table_is_big_enough_and_sourced():
    data = real_step_data()
    assert len(data["langkah"]) >= 25
    assert all(r["sumber"] in data["sumber"] for r in data["langkah"])
    assert (
        sum(r["pelaku"] is None for r in data["langkah"]) >= 5
    )  # the negatives matter too


@pytest.mark.parametrize(
    "text, actor",
    [
        ("Petugas loket memverifikasi berkas", "Petugas loket"),
        ("Pemohon mengambil nomor antrean", "Pemohon"),
        ("Kepala Seksi menandatangani", "Kepala Seksi"),
        ("1. Pemohon menyerahkan berkas", "Pemohon"),
        ("Orang tua/wali mengajukan permohonan", "Orang tua/wali"),
        ("Pemohon yang belum pernah merekam melakukan perekaman", "Pemohon"),
        ("Pasien umum (non-JKN) membayar retribusi", "Pasien umum"),
        ("Kepala Dinas menandatangani KK", "Kepala Dinas"),
        (
            "Pejabat Pencatatan Sipil menandatangani register",
            "Pejabat Pencatatan Sipil",
        ),
        ("Dokter melakukan pemeriksaan", "Dokter"),
        ("Apoteker menyerahkan obat", "Apoteker"),
        ("Pengguna layanan mengisi survei", "Pengguna layanan"),
        ("Back office memproses berkas", "Back office"),
        ("Dokumen ditandatangani oleh Kepala Dinas", "Kepala Dinas"),
        ("Anak diobservasi selama 30 menit", None),
        ("Bila diperlukan, dokter memberikan rujukan", None),
        ("Verifikasi berkas", None),
        ("", None),
    ],
)
def test_suggest_actor_examples(text, actor):
    assert fc.suggest_actor(text) == actor


def test_actor_heads_are_data():
    from sp_builder import tables

    heads = {h.lower() for h in tables.load_data("pelaku.yaml")["kepala"]}
    for word in (
        "pemohon",
        "petugas",
        "operator",
        "kepala",
        "camat",
        "sekretaris",
        "kasi",
        "kasubag",
        "lurah",
        "dokter",
        "perawat",
        "bidan",
        "apoteker",
        "verifikator",
        "front office",
        "back office",
        "pengguna layanan",
        "masyarakat",
    ):
        assert word in heads


def test_drawing_does_not_guess_actors():
    root = svg_of(["Petugas loket memverifikasi berkas", "Kepala Seksi menandatangani"])
    assert not [g for g in root.iterfind(".//s:g", NS) if "lajur" in classes(g)]


# --------------------------------------------------------------------------- the picture


def test_one_lane_per_actor_in_order_of_first_appearance():
    root = svg_of(HAND)
    lanes = [g for g in root.iterfind(".//s:g", NS) if "lajur" in classes(g)]
    assert [text_of(g) for g in lanes] == ["Pemohon", "Petugas loket", "Kepala Seksi"]
    lefts = [box(root, g.get("id"))[0] for g in lanes]
    assert lefts == sorted(lefts)
    # each step sits in its actor's lane ("petugas  Loket" is the same lane as "Petugas loket")
    lane_span = {i + 1: box(root, f"lane{i + 1}") for i in range(3)}
    expected_lane = [1, 2, 2, 2, 3, 3, 2, 1]
    for nomor, lane in enumerate(expected_lane, start=1):
        x0, _, x1, _ = box(root, f"step{nomor}")
        lx0, _, lx1, _ = lane_span[lane]
        assert lx0 < x0 < x1 < lx1, f"step {nomor} outside lane {lane}"


def test_one_node_per_step_with_its_text_in_step_order():
    root = svg_of(HAND)
    nodes = [
        g for g in root.iterfind(".//s:g", NS) if classes(g) & {"kegiatan", "keputusan"}
    ]
    assert [g.get("id") for g in nodes] == [f"step{i}" for i in range(1, 9)]
    for i, g in enumerate(nodes, start=1):
        assert text_of(g) == f"{i}. {' '.join(HAND[i - 1]['uraian'].split())}"
    tops = [box(root, f"step{i}")[1] for i in range(1, 9)]
    assert tops == sorted(tops)  # one row per step, top to bottom


def test_start_and_end_capsules():
    root = svg_of(HAND)
    start, end = group(root, "start"), group(root, "end")
    assert text_of(start) == "Mulai" and text_of(end) == "Selesai"
    assert "kapsul" in classes(start)
    for name in ("start", "end"):
        d = group(root, f"{name}_garis").find("s:path", NS).get("d")
        nums = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", d)]
        xs, ys = nums[0::2], nums[1::2]
        w, h = max(xs) - min(xs), max(ys) - min(ys)
        assert w > 2 * h  # a pill, not a circle
        assert d.count("C") >= 1 and (xs[0], ys[0]) == (xs[-1], ys[-1])  # closed curve
        # the ends are half circles of radius h/2: the outline's on-curve points at the far left
        # and right are at mid height, h/2 beyond where the straight sides end
        pts = list(zip(xs, ys))
        on_curve = pts[0::3]
        mid = (max(ys) + min(ys)) / 2
        for far in (max(xs), min(xs)):
            ends = [p for p in on_curve if abs(p[0] - far) < 0.01]
            assert len(ends) == 1 and abs(ends[0][1] - mid) < 0.01
            side = [p for p in on_curve if abs(p[1] - min(ys)) < 0.01]
            assert min(abs(far - p[0]) for p in side) == pytest.approx(h / 2, abs=0.05)
    assert box(root, "step1")[1] > box(root, "lane1")[3]  # below the header
    e = edges(root)
    assert "start->step1" in e and "step8->end" in e


def test_decision_is_a_diamond_with_ya_and_tidak_to_the_right_targets():
    root = svg_of(HAND)
    for gid in ("step3", "step6"):
        pts = points(group(root, gid).find("s:polygon", NS))
        assert len(pts) == 4
        for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1]):
            assert (
                abs(x0 - x1) > 1 and abs(y0 - y1) > 1
            )  # no side is horizontal or vertical
    for gid in ("step2", "step4"):  # activities are upright rectangles
        pts = points(group(root, gid).find("s:polygon", NS))
        assert len(pts) == 4 and all(
            abs(a[0] - b[0]) < 0.01 or abs(a[1] - b[1]) < 0.01
            for a, b in zip(pts, pts[1:] + pts[:1])
        )
    e = edges(root)
    assert text_of(e["step3->step4"]) == "Ya" and text_of(e["step3->step1"]) == "Tidak"
    assert text_of(e["step6->step7"]) == "Ya" and text_of(e["step6->step4"]) == "Tidak"
    assert text_of(e["step2->step3"]) == ""
    assert "step3->step1" in e and not any(
        k.startswith("step3->") and k not in ("step3->step4", "step3->step1") for k in e
    )
    # the "Tidak" arrowhead touches the side of its target
    for edge, target in (("step3->step1", "step1"), ("step6->step4", "step4")):
        tip_xs = [p[0] for p in points(e[edge].find("s:polygon", NS))]
        x0, y0, x1, y1 = box(root, target)
        assert (
            min(abs(x - x0) for x in tip_xs) < 0.5
            or min(abs(x - x1) for x in tip_xs) < 0.5
        )


def test_decision_to_the_end_and_single_column_without_actors():
    steps = [
        "Pemohon menyerahkan berkas",
        {"uraian": "Berkas lengkap?", "jika_tidak": "selesai"},
        "Petugas mencetak dokumen",
    ]
    root = svg_of(steps)
    assert not [g for g in root.iterfind(".//s:g", NS) if "lajur" in classes(g)]
    e = edges(root)
    assert text_of(e["step2->end"]) == "Tidak" and text_of(e["step2->step3"]) == "Ya"
    centers = {
        round((box(root, f"step{i}")[0] + box(root, f"step{i}")[2]) / 2, 1)
        for i in (1, 2, 3)
    }
    assert len(centers) == 1  # one column


def test_steps_without_actor_share_the_pelaksana_lane():
    root = svg_of(
        [
            {"uraian": "Pemohon menyerahkan berkas", "pelaksana": "Pemohon"},
            "Berkas diperiksa",
        ]
    )
    lanes = [text_of(g) for g in root.iterfind(".//s:g", NS) if "lajur" in classes(g)]
    assert lanes == ["Pemohon", fc.DEFAULT_LANE]


def test_long_step_is_wrapped_inside_its_box():
    long = (
        "Petugas loket memverifikasi kelengkapan berkas dan mencocokkan data pada SIAK Terpusat; berkas yang "
        "belum lengkap dikembalikan dengan penjelasan tertulis tentang kekurangannya"
    )
    root = svg_of(["Pemohon mengambil nomor antrean", long])
    lines = [t.text for t in group(root, "step2").findall("s:text", NS)]
    assert len(lines) >= 5
    assert all(len(line) <= fc.WRAP for line in lines)
    assert " ".join(lines) == "2. " + long
    x0, y0, x1, y1 = box(root, "step2")
    ys = [float(t.get("y")) for t in group(root, "step2").findall("s:text", NS)]
    assert y0 < min(ys) and max(ys) < y1
    assert all(fc.text_width(line) < x1 - x0 for line in lines)


def test_text_is_literal_not_markup():
    odd = 'Petugas menulis "C:\\new" dan <b>tebal</b> & lainnya'
    root = svg_of([odd])
    assert text_of(group(root, "step1")) == "1. " + odd


def test_same_steps_give_the_same_bytes():
    for fmt in ("png", "svg"):
        assert fc.draw(HAND, fmt) == fc.draw(HAND, fmt)
    svg = fc.draw(HAND, "svg").decode()
    assert "Generated by graphviz" not in svg and "graphviz version" not in svg
    assert 'font-family="Liberation Sans"' in svg


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def png_chunks(data: bytes) -> dict[bytes, bytes]:
    """Chunks by type, each CRC checked (the pHYs chunk is added after Graphviz)."""
    out, i = {}, 8
    while i < len(data):
        (n,) = struct.unpack(">I", data[i : i + 4])
        kind, body = data[i + 4 : i + 8], data[i + 8 : i + 8 + n]
        (crc,) = struct.unpack(">I", data[i + 8 + n : i + 12 + n])
        assert zlib.crc32(kind + body) & 0xFFFFFFFF == crc, kind
        out.setdefault(kind, body)
        i += 12 + n
    return out


def ten_steps():
    actors = ["Pemohon", "Petugas loket", "Kepala Seksi"]
    steps = [
        {
            "uraian": f"Langkah {i} dikerjakan dengan teliti sesuai ketentuan yang berlaku",
            "pelaksana": actors[i % 3],
        }
        for i in range(10)
    ]
    steps[4] = {
        "uraian": "Berkas lengkap dan benar?",
        "pelaksana": "Petugas loket",
        "jika_tidak": 2,
    }
    return steps


def test_png_fits_an_a4_column():
    png = fc.draw(ten_steps(), "png")
    w, h = png_size(png)
    ppm_x, ppm_y, unit = struct.unpack(">IIB", png_chunks(png)[b"pHYs"])
    assert (
        unit == 1 and ppm_x == ppm_y and round(ppm_x * 0.0254) == fc.DPI
    )  # print size is in the file
    w_in = w / fc.DPI
    assert 5.0 < w_in < 8.0  # three lanes; ≤ 8 in scales to a 16 cm column at ≥ 80 %
    assert 0.4 < w / h < 1.0  # portrait
    svg = svg_of(ten_steps())
    assert (
        abs(float(svg.get("width").rstrip("pt")) / 72 - w_in) < 0.05
    )  # same size in both formats


def test_one_flowchart_is_quick():
    steps = ten_steps()
    fc.draw(steps, "png")
    t = time.perf_counter()
    fc.draw(steps, "png")
    fc.draw(steps, "svg")
    assert time.perf_counter() - t < 2.0


def test_symbols_for_the_sop_table():
    pentagon = ET.fromstring(fc.draw_symbol("penghubung", "A", "svg"))
    g = next(x for x in pentagon.iterfind(".//s:g", NS) if "penghubung" in classes(x))
    assert len(points(g.find("s:polygon", NS))) == 5 and text_of(g) == "A"
    diamond = ET.fromstring(fc.draw_symbol("keputusan", "Lengkap?", "svg"))
    g = next(x for x in diamond.iterfind(".//s:g", NS) if "keputusan" in classes(x))
    assert len(points(g.find("s:polygon", NS))) == 4
    assert png_size(fc.draw_symbol("kapsul", "Mulai"))[0] > 0
    with pytest.raises(UserError, match="tidak dikenal"):
        fc.draw_symbol("lingkaran")
    with pytest.raises(UserError, match="png atau svg"):
        fc.draw(HAND, "gif")


# --------------------------------------------------------------------------- Graphviz failures


def fake_bin(tmp_path: Path, script: str) -> Path:
    folder = tmp_path / "bin"
    folder.mkdir()
    for name in ("neato", "dot"):
        exe = folder / name
        exe.write_text("#!/bin/sh\n" + script)
        exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    return folder


def test_a_graphviz_failure_becomes_an_indonesian_user_error(tmp_path, monkeypatch):
    folder = fake_bin(
        tmp_path, "/bin/cat >/dev/null\necho 'Error: renderer crashed' >&2\nexit 3\n"
    )
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}/usr/bin/false-dir")
    with pytest.raises(UserError) as err:
        fc.draw(HAND, "png")
    message = str(err.value)
    assert (
        "Graphviz gagal menggambar bagan alir" in message and "kode keluar 3" in message
    )
    assert "renderer crashed" in message and "Traceback" not in message


def test_missing_graphviz_says_to_install_it(tmp_path, monkeypatch):
    empty = tmp_path / "kosong"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    with pytest.raises(UserError) as err:
        fc.draw(HAND, "svg")
    assert "Graphviz tidak ditemukan" in str(
        err.value
    ) and "apt-get install graphviz" in str(err.value)
