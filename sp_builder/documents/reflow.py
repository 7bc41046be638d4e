"""Measure and reflow: a closing block LibreOffice printed alone at the top of a page is brought
back together with the end of its table, and the document converted again.

Word keeps a table's last rows with the block after it (keep-with-next, `ooxml.keep_table_ends_with_next`);
LibreOffice 7.4 honours that for some tables and page fills only, so after `pdf.convert` each PDF is
read (pypdf): a page whose first line of text (after the page number) is the first line of a closing
block that follows a table is a widow. For such a table the last rows are moved into a table of their
own (with the repeated header) that starts a new page, so the block follows at least those rows:
in a copy, converted again, whose PDF replaces the first one. The .docx is left as rendered.
"""

from __future__ import annotations

import contextlib
import copy
import re
import tempfile
from pathlib import Path
from typing import Sequence

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.opc.exceptions import PackageNotFoundError
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from sp_builder.documents import ooxml, pdf as pdf_mod
from sp_builder.errors import UserError
from sp_builder.write import write_bytes_atomic

ROWS_MOVED = 2
ROWS_TRIED = (ROWS_MOVED, 1)  # per round of fix_widows
_FURNITURE = re.compile(r"^(?:[-–\s]*\d+[-–\s]*|RANCANGAN)$")


def _fold(text: str) -> str:
    return " ".join(text.split())


def closings(doc) -> list[tuple[int, str]]:
    """(table position among the body's tables, first text of the kept block after it); a kept
    paragraph that heads the next table is not a closing block."""
    found = []
    for n, tbl in enumerate(doc.element.body.iterchildren(qn("w:tbl"))):
        following = tbl.getnext()
        while following is not None and following.tag == qn("w:p") and not "".join(following.itertext()).strip():
            following = following.getnext()
        if following is not None and following.tag == qn("w:p") and ooxml._kept(following) and \
                not ooxml.heads_table(following):  # a heading at the top of a page is no widow
            found.append((n, _fold("".join(t.text or "" for t in following.iter(qn("w:t"))))))
    return found


def _first_lines(pdf_path: Path) -> list[str]:
    """Per page, its first line of text that is not the page number or the draft mark."""
    out = []
    for page in PdfReader(pdf_path).pages:
        lines = [_fold(line) for line in (page.extract_text() or "").splitlines()]
        out.append(next((line for line in lines if line and not _FURNITURE.match(line)), ""))
    return out


def widowed(pdf_path: Path, blocks: Sequence[tuple[int, str]]) -> list[int]:
    """The tables whose closing block starts a page (after the first) of the PDF."""
    firsts = _first_lines(pdf_path)[1:]
    result = []
    for table, text in blocks:
        head = text[:24]
        if head and any(line and (line.startswith(head) or head.startswith(line[:24])) and len(line) >= 8
                        for line in firsts):
            result.append(table)
    return result


def push_rows(doc, table: int, rows: int = ROWS_MOVED) -> bool:
    """Move the last `rows` body rows of the table-th table into a table of their own, after a
    page-breaking paragraph, with copies of the header rows. False when the table is too short."""
    tbl = list(doc.element.body.iterchildren(qn("w:tbl")))[table]
    all_rows = list(tbl.iterchildren(qn("w:tr")))
    header = [tr for tr in all_rows if tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None]
    body = [tr for tr in all_rows if tr not in header]
    if len(body) <= rows:
        return False
    tail = copy.deepcopy(tbl)
    for tr in list(tail.iterchildren(qn("w:tr"))):
        tail.remove(tr)
    for tr in header:
        tail.append(copy.deepcopy(tr))
    for tr in body[-rows:]:
        tbl.remove(tr)
        tail.append(tr)
    breaker = OxmlElement("w:p")
    ppr = breaker.get_or_add_pPr()
    ppr._insert_keepNext(OxmlElement("w:keepNext"))
    ppr._insert_pageBreakBefore(OxmlElement("w:pageBreakBefore"))
    spacing = OxmlElement("w:spacing")
    for key in ("before", "after", "line"):
        spacing.set(qn(f"w:{key}"), "0" if key != "line" else "20")
    spacing.set(qn("w:lineRule"), "exact")
    ppr._insert_spacing(spacing)
    tbl.addnext(breaker)
    breaker.addnext(tail)
    return True


def fix_widows(docx_paths: Sequence[Path], *, rounds: int = 2) -> list[Path]:
    """After `pdf.convert`: the PDF of a document whose closing block LibreOffice left alone on a
    page is made again from a reflowed copy (`push_rows`), at most `rounds` times: the last two rows
    moved, then, when the block is still alone (rows so tall, as long agreements are, that two fill
    the page themselves), the last row only. The .docx stays as rendered (Word keeps the rows with
    the block by itself, and `build` records its sha256); only its PDF changes. Returns the
    documents whose PDF was made again."""
    changed: list[Path] = []
    todo = {Path(p): Path(p) for p in docx_paths}  # the document → the file its PDF was made from
    with tempfile.TemporaryDirectory(prefix="sp-builder-reflow-") as scratch:
        for round_, rows in enumerate(ROWS_TRIED[:rounds]):
            redo = {}
            for n, (path, made_from) in enumerate(todo.items()):
                try:
                    doc = Document(str(path))  # each round starts again from the document as rendered
                    tables = widowed(made_from.with_suffix(".pdf"), closings(doc))
                except (PdfReadError, PackageNotFoundError, OSError, ValueError, KeyError):
                    continue  # no PDF to measure (a failed conversion is reported by convert)
                if tables and all(push_rows(doc, table, rows) for table in sorted(tables, reverse=True)):
                    copy_path = Path(scratch) / f"{round_}-{n:05d}" / path.name
                    write_bytes_atomic(copy_path, ooxml.to_bytes(doc))
                    redo[path] = copy_path
            if not redo:
                break
            pdf_mod.convert(list(redo.values()))
            for path, copy_path in redo.items():
                write_bytes_atomic(path.with_suffix(".pdf"), copy_path.with_suffix(".pdf").read_bytes())
                if path not in changed:
                    changed.append(path)
            todo = redo
    return changed


def docx_to_pdf(data: bytes, name: str = "laporan") -> bytes:
    """A report's .docx bytes as PDF bytes, for `--format pdf`: one conversion (`pdf.convert`), the
    closing block kept with its table as in `build --pdf` (`fix_widows`), in a scratch
    folder removed afterwards. A UserError with the install hint when LibreOffice is missing."""
    try:
        pdf_mod.soffice_command()
    except UserError:
        raise UserError(pdf_mod.FORMAT_HINT) from None
    with tempfile.TemporaryDirectory(prefix="sp-builder-laporan-") as scratch:
        source = Path(scratch) / f"{name}.docx"
        source.write_bytes(data)
        [made] = pdf_mod.convert([source])
        with contextlib.suppress(UserError):  # when it fails, the PDF just made stands
            fix_widows([source])
        return made.read_bytes()
