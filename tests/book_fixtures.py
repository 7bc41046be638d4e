"""Realistic SP books built in the tests, FROM lists of services in the layanan format, so an
import can be compared with what was put in.

`word_keputusan` writes a Keputusan with its Lampiran the way units make them in Word: the kop in
the first page's header, a running header with the page number ("- 2 -") and a footer "Halaman 2
dari 9" (real PAGE/NUMPAGES fields), a "SALINAN" mark, Menimbang and Mengingat, the signature
block, then the Lampiran with one title block and component table per service. Lists are real
Word list numbering (numPr pointing into numbering.xml, one list per cell restarting at 1, a
lettered level under it), never typed numbers. Tables repeat their header row on every page,
part headings are merged cells spanning the row, one service's table is split in two with the
second half continuing a component, and an extra "Waktu Pelayanan" row carries the service hours.

With `style="bullets"` the same book types its lists with the glyphs real PDFs carry (U+F0B7,
•, ▪, ●, ◦, ➢, ✓, "-"), puts the BSrE e-signature note in the footer of every page, and breaks
the long labels over two lines in a narrow label column ("Sistem, Mekanisme, dan" / "Prosedur").
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt

from sp_builder import fmt_id

KOP = ["PEMERINTAH KOTA CONTOH", "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL",
       "Jalan Merdeka Nomor 1, Kota Contoh 12345, Telepon (021) 1234567",
       "Pos-el dukcapil@contohkota.go.id, Laman https://dukcapil.contohkota.go.id"]

ESIGN = ("Dokumen ini telah ditandatangani secara elektronik menggunakan sertifikat elektronik yang diterbitkan "
         "oleh Balai Sertifikasi Elektronik (BSrE), BSSN")

KEPUTUSAN = {
    "penetap": "KEPALA DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL KOTA CONTOH",
    "nomor": "35 TAHUN 2026",  # as the title writes it
    "tanggal": dt.date(2026, 2, 16),
    "kota": "Kota Contoh",
    "nama": "Dr. Budi Santoso, M.Si.",
    "pangkat": "Pembina Utama Muda (IV/c)",
    "nip": "19700101 199503 1 001",
    "menimbang": [
        ("bahwa untuk memberikan kepastian, meningkatkan kualitas, dan menjamin penyediaan pelayanan publik "
         "sesuai dengan asas-asas umum pemerintahan yang baik perlu disusun standar pelayanan"),
        ("bahwa standar pelayanan telah dibahas bersama masyarakat dalam Forum Konsultasi Publik pada tanggal "
         "20 Januari 2026"),
        ("bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a dan huruf b, perlu menetapkan "
         "Keputusan Kepala Dinas tentang Standar Pelayanan")],
    "mengingat": [
        "Undang-Undang Nomor 23 Tahun 2006 tentang Administrasi Kependudukan",
        "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik",
        "Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah",
        ("Peraturan Pemerintah Nomor 96 Tahun 2012 tentang Pelaksanaan Undang-Undang Nomor 25 Tahun 2009 "
         "tentang Pelayanan Publik"),
        ("Peraturan Presiden Nomor 96 Tahun 2018 tentang Persyaratan dan Tata Cara Pendaftaran Penduduk dan "
         "Pencatatan Sipil"),
        ("Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 15 Tahun 2014 tentang "
         "Pedoman Standar Pelayanan"),
        ("Peraturan Menteri Dalam Negeri Nomor 108 Tahun 2019 tentang Peraturan Pelaksanaan Peraturan Presiden "
         "Nomor 96 Tahun 2018"),
        "Peraturan Daerah Kota Contoh Nomor 3 Tahun 2024 tentang Pajak Daerah dan Retribusi Daerah"],
}

_PENGADUAN = [{"saluran": "SP4N-LAPOR!", "kontak": "https://www.lapor.go.id"},
              {"saluran": "WhatsApp", "kontak": "0812-1111-2222"},
              {"saluran": "Pos-el", "kontak": "pengaduan@contohkota.go.id"},
              "Kotak saran di ruang tunggu"]
_DASAR = ["Undang-Undang Nomor 23 Tahun 2006 tentang Administrasi Kependudukan",
          "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik",
          ("Peraturan Presiden Nomor 96 Tahun 2018 tentang Persyaratan dan Tata Cara Pendaftaran Penduduk dan "
           "Pencatatan Sipil")]
_PENGELOLAAN = {
    "kompetensi_pelaksana": ["Pendidikan paling rendah SMA atau sederajat",
                             "Memahami aplikasi SIAK Terpusat", "Mampu berkomunikasi dengan santun"],
    "pengawasan_internal": ["Kepala Dinas", "Kepala Bidang Pelayanan Pendaftaran Penduduk",
                            "Sistem pengendalian internal pemerintah"],
    "jaminan_pelayanan": "Pelayanan diberikan sesuai standar pelayanan yang telah ditetapkan dan dapat "
                         "dipertanggungjawabkan.",
    "jaminan_keamanan": "Dokumen dan data pribadi pemohon dijaga kerahasiaannya dan hanya digunakan untuk "
                        "keperluan pelayanan.",
    "evaluasi_kinerja": "Evaluasi dilakukan melalui survei kepuasan masyarakat setiap semester dan rapat "
                        "evaluasi bulanan.",
}


def _service(nama, persyaratan, prosedur, jangka, produk, sarana, jumlah, dasar=(), biaya=0,
             waktu="Senin - Kamis 08.00 - 15.00, Jumat 08.00 - 11.00"):
    return {
        "nama": nama,
        "waktu_pelayanan": waktu,
        "penyampaian": {"persyaratan": persyaratan, "prosedur": prosedur, "jangka_waktu": jangka,
                        "biaya": biaya, "produk": produk, "pengaduan": copy.deepcopy(_PENGADUAN)},
        "pengelolaan": {"dasar_hukum": _DASAR + list(dasar), "sarana_prasarana": sarana,
                        "kompetensi_pelaksana": list(_PENGELOLAAN["kompetensi_pelaksana"]),
                        "pengawasan_internal": list(_PENGELOLAAN["pengawasan_internal"]),
                        "jumlah_pelaksana": jumlah}
                       | {k: _PENGELOLAAN[k] for k in ("jaminan_pelayanan", "jaminan_keamanan", "evaluasi_kinerja")},
    }


_SARANA = ["Ruang tunggu ber-AC dengan 40 kursi", "Mesin antrean", "Komputer dan pencetak di setiap loket",
           "Toilet dan ruang laktasi"]

SERVICES = [
    _service("Penerbitan Kartu Tanda Penduduk Elektronik (KTP-el)",
             ["Telah berusia 17 tahun, sudah kawin, atau pernah kawin", "Fotokopi Kartu Keluarga",
              {"uraian": "KTP-el lama", "keterangan": "bagi penggantian karena rusak"},
              "Surat keterangan kehilangan dari kepolisian bagi KTP-el yang hilang"],
             ["Pemohon mengambil nomor antrean", "Pemohon menyerahkan berkas persyaratan kepada petugas loket",
              "Petugas memverifikasi berkas dan data pada SIAK Terpusat",
              "Pemohon melakukan perekaman biometrik di ruang perekaman",
              "Petugas mencetak KTP-el dan memeriksa mutu cetakan", "Petugas menyerahkan KTP-el kepada pemohon"],
             "60 menit", ["KTP-el"], _SARANA + ["Ruang perekaman biometrik"],
             [{"jabatan": "Petugas loket", "jumlah": 2}, {"jabatan": "Operator perekaman", "jumlah": 2},
              {"jabatan": "Petugas pencetakan", "jumlah": 1}]),
    _service("Penerbitan Kartu Keluarga",
             ["Formulir permohonan F-1.02", "Kartu Keluarga lama", "Buku nikah atau kutipan akta perkawinan",
              "Surat keterangan pindah bagi penduduk pindah datang"],
             ["Pemohon mengisi formulir permohonan", "Petugas memverifikasi berkas persyaratan",
              "Operator memasukkan data ke SIAK Terpusat", "Kepala Dinas menandatangani secara elektronik",
              "Petugas menyerahkan Kartu Keluarga kepada pemohon"],
             "1 hari kerja", ["Kartu Keluarga", "Biodata keluarga"],
             [{"Ruang pelayanan": ["Loket pendaftaran", "Ruang tunggu dengan 40 kursi"]},
              "Komputer dan pencetak di setiap loket", "Mesin antrean"], 3),
    _service("Penerbitan Kutipan Akta Kelahiran",
             ["Surat keterangan kelahiran dari rumah sakit, puskesmas, atau bidan", "Kartu Keluarga orang tua",
              "Buku nikah atau kutipan akta perkawinan orang tua",
              "Surat pernyataan tanggung jawab mutlak bila tidak memiliki buku nikah"],
             ["Pemohon menyerahkan berkas persyaratan", "Petugas memverifikasi berkas dan data pada SIAK",
              "Pejabat pencatatan sipil mencatat kelahiran dalam register akta",
              "Petugas mencetak kutipan akta kelahiran", "Pemohon menerima kutipan akta kelahiran"],
             "1 hari kerja", ["Kutipan akta kelahiran", "Kartu Keluarga yang diperbarui"], _SARANA, 4,
             waktu="Senin - Jumat 08.00 - 14.00"),
    _service("Penerbitan Kutipan Akta Kematian",
             ["Surat keterangan kematian dari rumah sakit atau kelurahan", "Kartu Keluarga almarhum",
              "KTP-el almarhum", "KTP-el pelapor"],
             ["Pelapor menyerahkan berkas persyaratan", "Petugas memverifikasi berkas",
              "Pejabat pencatatan sipil mencatat kematian dalam register akta",
              "Petugas menyerahkan kutipan akta kematian dan Kartu Keluarga baru"],
             "1 hari kerja", ["Kutipan akta kematian", "Kartu Keluarga yang diperbarui"], _SARANA, 2),
    _service("Penerbitan Surat Keterangan Pindah",
             ["Kartu Keluarga", "KTP-el", "Surat pengantar dari kelurahan", "Surat kuasa bila dikuasakan"],
             ["Pemohon mengisi formulir F-1.03", "Petugas memverifikasi berkas persyaratan",
              "Operator menerbitkan surat keterangan pindah pada SIAK Terpusat",
              "Pemohon menerima surat keterangan pindah"],
             "1 hari kerja", ["Surat keterangan pindah"], _SARANA, 3),
    _service("Legalisasi Dokumen Kependudukan",
             ["Dokumen kependudukan asli", "Fotokopi dokumen yang akan dilegalisasi"],
             ["Pemohon menyerahkan dokumen asli dan fotokopinya", "Petugas mencocokkan fotokopi dengan aslinya",
              "Pejabat membubuhkan tanda tangan dan cap legalisasi", "Pemohon menerima dokumen yang telah dilegalisasi"],
             "30 menit", ["Fotokopi dokumen kependudukan yang dilegalisasi"], _SARANA, 2,
             dasar=["Peraturan Daerah Kota Contoh Nomor 3 Tahun 2024 tentang Pajak Daerah dan Retribusi Daerah"],
             biaya={"tarif": 10000, "dasar_hukum": "Peraturan Daerah Kota Contoh Nomor 3 Tahun 2024 tentang "
                                                    "Pajak Daerah dan Retribusi Daerah"}),
]

# Furniture the book carries and no imported value may hold.
RUNNING_HEADER = "Keputusan Kepala Dinas Kependudukan dan Pencatatan Sipil Kota Contoh Nomor 35 Tahun 2026"
WATERMARK = "SALINAN"

# ---------------------------------------------------------------------------------------------
# How a component is written in the book

LABELS = [  # (key, label as the book writes it, two-line form for the narrow column)
    ("persyaratan", "Persyaratan Pelayanan", "Persyaratan\nPelayanan"),
    ("prosedur", "Sistem, Mekanisme, dan Prosedur", "Sistem, Mekanisme, dan\nProsedur"),
    ("jangka_waktu", "Jangka Waktu Penyelesaian", "Jangka Waktu\nPenyelesaian"),
    ("waktu_pelayanan", "Waktu Pelayanan", "Waktu\nPelayanan"),
    ("biaya", "Biaya/Tarif", "Biaya/Tarif"),
    ("produk", "Produk Pelayanan", "Produk\nPelayanan"),
    ("pengaduan", "Penanganan Pengaduan, Saran dan Masukan", "Penanganan Pengaduan,\nSaran dan Masukan"),
    ("dasar_hukum", "Dasar Hukum", "Dasar Hukum"),
    ("sarana_prasarana", "Sarana dan Prasarana, dan/atau Fasilitas", "Sarana dan Prasarana,\ndan/atau Fasilitas"),
    ("kompetensi_pelaksana", "Kompetensi Pelaksana", "Kompetensi\nPelaksana"),
    ("pengawasan_internal", "Pengawasan Internal", "Pengawasan\nInternal"),
    ("jumlah_pelaksana", "Jumlah Pelaksana", "Jumlah\nPelaksana"),
    ("jaminan_pelayanan", "Jaminan Pelayanan", "Jaminan\nPelayanan"),
    ("jaminan_keamanan", "Jaminan Keamanan dan Keselamatan Pelayanan", "Jaminan Keamanan dan\nKeselamatan Pelayanan"),
    ("evaluasi_kinerja", "Evaluasi Kinerja Pelaksana", "Evaluasi Kinerja\nPelaksana"),
]
PART_I = "I. STANDAR PELAYANAN YANG TERKAIT DENGAN PROSES PENYAMPAIAN PELAYANAN (SERVICE DELIVERY)"
PART_II = "II. STANDAR PELAYANAN YANG TERKAIT DENGAN PROSES PENGELOLAAN PELAYANAN DI INTERNAL ORGANISASI (MANUFACTURING)"
# One glyph per list component in the bullets book, as PDFs made from Word carry them.
GLYPHS = {"persyaratan": "\uf0b7", "prosedur": "•", "produk": "✓", "pengaduan": "-", "dasar_hukum": "➢",
          "sarana_prasarana": "▪", "kompetensi_pelaksana": "●", "pengawasan_internal": "◦"}


def _item_text(item) -> str:
    if isinstance(item, dict) and "uraian" in item:
        return f"{item['uraian']} ({item['keterangan']})"
    if isinstance(item, dict) and "saluran" in item:
        return f"{item['saluran']}: {item['kontak']}"
    return str(item)


def cell_content(key: str, service: dict) -> list[tuple[int, str] | str]:
    """The Uraian of a component as the book writes it: (level, text) for list items, plain
    strings for paragraphs."""
    if key == "waktu_pelayanan":
        return [service["waktu_pelayanan"]]
    part = "penyampaian" if key in service["penyampaian"] else "pengelolaan"
    value = service[part][key]
    if key == "jangka_waktu":
        number, unit = value.split(" ", 1)
        return [f"{fmt_id.angka_kata(int(number))} {unit}"]
    if key == "biaya":
        if value == 0:
            return ["Tidak dipungut biaya (gratis)"]
        rupiah = f"{value['tarif']:,}".replace(",", ".")
        return [f"Rp {rupiah},- ({fmt_id.terbilang(value['tarif'])} rupiah)", f"Dasar hukum: {value['dasar_hukum']}"]
    if key == "jumlah_pelaksana":
        if isinstance(value, int):
            return [f"{fmt_id.angka_kata(value)} orang"]
        return [(0, f"{row['jabatan']}: {fmt_id.angka_kata(row['jumlah'])} orang")
                for row in value]
    if isinstance(value, str):
        return [value]
    out: list = []
    for item in value:
        if isinstance(item, dict) and len(item) == 1 and isinstance(next(iter(item.values())), list):
            (head, children), = item.items()
            out.append((0, f"{head}:"))
            out += [(1, _item_text(child)) for child in children]
        else:
            out.append((0, _item_text(item)))
    return out


# ---------------------------------------------------------------------------------------------
# Word plumbing: numbering, fields, header rows


class _Numbering:
    """Real Word list numbering: an abstract decimal list (level 0 "1.", level 1 "a.") and one
    w:num per list, restarting at 1, as Word writes a new list in every cell."""

    ABSTRACT = 7301

    def __init__(self, doc):
        self.root = doc.part.numbering_part.element
        levels = "".join(
            f'<w:lvl w:ilvl="{lvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="%{lvl + 1}."/>'
            f'<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{360 * (lvl + 1)}" w:hanging="360"/></w:pPr></w:lvl>'
            for lvl, fmt in ((0, "decimal"), (1, "lowerLetter")))
        abstract = parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{self.ABSTRACT}">'
                             f'<w:multiLevelType w:val="hybridMultilevel"/>{levels}</w:abstractNum>')
        first_num = self.root.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            self.root.append(abstract)
        self.next_id = 7400

    def new_list(self) -> int:
        num_id, self.next_id = self.next_id, self.next_id + 1
        self.root.append(parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{self.ABSTRACT}"/>'
            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>'
            '<w:lvlOverride w:ilvl="1"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'))
        return num_id


def _number(paragraph, num_id: int, level: int) -> None:
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = num_id


def _field(paragraph, instr: str, shown: str) -> None:
    """A complex field (PAGE, NUMPAGES) as Word writes it, with its last shown value."""
    for xml in (f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="begin"/></w:r>',
                f'<w:r {nsdecls("w")}><w:instrText xml:space="preserve"> {instr} </w:instrText></w:r>',
                f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="separate"/></w:r>',
                f'<w:r {nsdecls("w")}><w:t>{shown}</w:t></w:r>',
                f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="end"/></w:r>'):
        paragraph._p.append(parse_xml(xml))


def _repeat_header(row) -> None:
    row._tr.get_or_add_trPr().append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))


def _widths(table, widths_cm) -> None:
    table.autofit = False
    for column, width in zip(table.columns, widths_cm):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm):
            cell.width = Cm(width)


# ---------------------------------------------------------------------------------------------
# The book


def _para(container, text="", *, bold=False, center=False, size=None):
    p = container.add_paragraph()
    run = p.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return p


def _header_footer(doc, style: str) -> None:
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    first = section.first_page_header
    first.paragraphs[0].text = KOP[0]
    for text in KOP[1:]:
        first.add_paragraph(text)
    for p in first.paragraphs:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    head = section.header.paragraphs[0]
    head.text = RUNNING_HEADER
    page = section.header.add_paragraph("- ")
    _field(page, "PAGE", "2")
    page.add_run(" -")
    page.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for footer in (section.first_page_footer, section.footer):
        p = footer.paragraphs[0]
        p.text = "Halaman "
        _field(p, "PAGE", "1")
        p.add_run(" dari ")
        _field(p, "NUMPAGES", "9")
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if style == "bullets":
            note = footer.add_paragraph(ESIGN)
            note.runs[0].font.size = Pt(7)


def _keputusan(doc, numbering: _Numbering, k: dict, services: list[dict]) -> None:
    _para(doc, WATERMARK, bold=True).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for text in ["KEPUTUSAN " + k["penetap"], f"NOMOR {k['nomor']}", "TENTANG",
                 "STANDAR PELAYANAN PADA DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL KOTA CONTOH",
                 "DENGAN RAHMAT TUHAN YANG MAHA ESA", k["penetap"] + ","]:
        _para(doc, text, bold=True, center=True)
    _para(doc, "Menimbang :")
    for n, text in enumerate(k["menimbang"]):
        _para(doc, f"{'abc'[n]}. {text};")
    _para(doc, "Mengingat :")
    num = numbering.new_list()
    for text in k["mengingat"]:
        _number(_para(doc, text + ";"), num, 0)
    _para(doc, "MEMUTUSKAN:", bold=True, center=True)
    _para(doc, "Menetapkan : KEPUTUSAN KEPALA DINAS TENTANG STANDAR PELAYANAN PADA DINAS KEPENDUDUKAN DAN "
               "PENCATATAN SIPIL KOTA CONTOH.")
    _para(doc, f"KESATU : Menetapkan Standar Pelayanan untuk {len(services)} jenis pelayanan sebagaimana tercantum "
               "dalam Lampiran yang merupakan bagian tidak terpisahkan dari Keputusan ini.")
    _para(doc, "KEDUA : Standar Pelayanan sebagaimana dimaksud dalam Diktum KESATU wajib dipublikasikan dan "
               "dievaluasi paling sedikit satu kali dalam setahun.")
    _para(doc, "KETIGA : Keputusan ini mulai berlaku pada tanggal ditetapkan.")
    _signature(doc, k)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    for text in ["LAMPIRAN", "KEPUTUSAN " + k["penetap"], f"NOMOR {k['nomor']}",
                 f"TANGGAL {_date(k)}",
                 "TENTANG STANDAR PELAYANAN PADA DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL KOTA CONTOH"]:
        _para(doc, text).paragraph_format.left_indent = Cm(8)


def _date(k: dict) -> str:
    """The date of the Keputusan, or the dots of one not signed yet (a draft)."""
    return fmt_id.tanggal(k["tanggal"]) if k["tanggal"] else ".................... 2026"


def _signature(doc, k: dict) -> None:
    for text in [f"Ditetapkan di {k['kota']}", f"pada tanggal {_date(k)}", k["penetap"] + ",",
                 "", k["nama"], k["pangkat"], f"NIP. {k['nip']}"]:
        _para(doc, text).paragraph_format.left_indent = Cm(8)


def _fill(cell, content, numbering: _Numbering | None, glyph: str, num: int | None = None) -> int | None:
    """The Uraian cell: Word numbering (numbering given; `num` goes on with a list begun in the
    table before) or typed glyphs; lettered sub-items. Returns the list's w:numId."""
    if num is None and numbering and any(isinstance(c, tuple) for c in content):
        num = numbering.new_list()
    first = True
    for piece in content:
        p = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        if isinstance(piece, str):
            p.text = piece
            continue
        level, text = piece
        if num is not None:
            p.text = text
            _number(p, num, level)
        elif level:
            p.text = f"{'abcdefgh'[_child_index(content, piece)]}. {text}"
            p.paragraph_format.left_indent = Cm(0.6)
        else:
            p.text = f"{glyph} {text}"
    return num


def _child_index(content, piece) -> int:
    index = content.index(piece)
    n = 0
    for earlier in content[:index][::-1]:
        if isinstance(earlier, tuple) and earlier[0] == 1:
            n += 1
        else:
            break
    return n


def _table(doc, style: str, with_header: bool = True):
    table = doc.add_table(rows=0, cols=3)
    table.style = "Table Grid"
    if with_header:
        row = table.add_row()
        for cell, text in zip(row.cells, ["NO", "KOMPONEN", "URAIAN"]):
            cell.text = text
        _repeat_header(row)
    return table


def _heading_row(table, text: str) -> None:
    row = table.add_row()
    merged = row.cells[0].merge(row.cells[2])  # a part heading: one cell spanning the row
    merged.text = text


def _component_row(table, n: int, label: str, content, numbering, glyph: str) -> int | None:
    cells = table.add_row().cells
    cells[0].text = f"{n}."
    cells[1].text = label
    return _fill(cells[2], content, numbering, glyph)


def _sp(doc, index: int, service: dict, numbering: _Numbering | None, style: str) -> None:
    title = fmt_id.fold(service["nama"]).upper()
    if index % 2:
        _para(doc, f"{index + 1}. {service['nama']}", bold=True)  # a numbered title
    else:
        _para(doc, "STANDAR PELAYANAN", bold=True, center=True)  # a title block in capitals
        _para(doc, title, bold=True, center=True)
    hours_after = "jangka_waktu" if index % 2 == 0 else "pengaduan"
    order = [key for key, *_ in LABELS if key != "waktu_pelayanan"]
    order.insert(order.index(hours_after) + 1, "waktu_pelayanan")
    labels = {key: (two if style == "bullets" else one) for key, one, two in LABELS}
    split_at = "sarana_prasarana" if index == 2 else None  # this service's table is split in two
    table = _table(doc, style)
    _heading_row(table, PART_I)
    n = 0
    for key in order:
        if key == "dasar_hukum":
            _heading_row(table, PART_II)
            n = 0
        n += 1
        content = cell_content(key, service)
        if key == split_at:
            half = len(content) // 2
            num = _component_row(table, n, labels[key], content[:half], numbering, GLYPHS.get(key, "-"))
            _widths(table, _COLUMNS[style])
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            table = _table(doc, style)
            cells = table.add_row().cells  # the component goes on: no number, no label, the same list
            _fill(cells[2], content[half:], numbering, GLYPHS.get(key, "-"), num)
            continue
        _component_row(table, n, labels[key], content, numbering, GLYPHS.get(key, "-"))
    _widths(table, _COLUMNS[style])


_COLUMNS = {"numbering": (1.2, 5.0, 9.8), "bullets": (1.0, 3.4, 11.6)}


def word_keputusan(path: Path, services: list[dict] = SERVICES, keputusan: dict = KEPUTUSAN,
                   style: str = "numbering") -> Path:
    """A Keputusan with its Lampiran of `services` (see the module docstring)."""
    doc = Document()
    numbering = _Numbering(doc)
    _header_footer(doc, style)
    _keputusan(doc, numbering, keputusan, services)
    for n, service in enumerate(services):
        if n:
            doc.add_paragraph()
        _sp(doc, n, service, numbering if style == "numbering" else None, style)
    _para(doc)
    _signature(doc, keputusan)
    doc.save(str(path))
    return path
