"""Legal bases read as citations: kind, issuer, number, year, title and the rest of the line.

Units write one regulation many ways ("UU No. 25 Tahun 2009", "Undang-Undang Nomor 25 Tahun 2009
tentang Pelayanan Publik; dan", "UU 25/2009"). The Keputusan must list each regulation once, in
full, in the order of UU 12/2011, and validation must know which regulation a line names before
it can say the regulation was revoked. Both need the line read as data rather than compared as
text. The abbreviations, the ministries and agencies, and the hierarchy are data in
`schemas/singkatan_peraturan.yaml`; this module only reads them.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from collections.abc import Iterable
from typing import Any, Protocol

from sp_builder import tables

TABLE = "singkatan_peraturan.yaml"


# --- the tables ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Kind:
    code: str  # "UU", "Permen", "Perda Kabupaten/Kota", ...
    name: str  # the full name written in the Keputusan: "Undang-Undang", "Peraturan Menteri"
    short: str  # the short form in messages: "UU", "Permen"
    rank: int  # position in the Mengingat (UU 12/2011 Pasal 7, then Pasal 8, then keputusan)
    issuer_table: str  # "menteri" | "lembaga" | "daerah" | "teks" | ""
    patterns: tuple[tuple[re.Pattern, str], ...]  # (pattern, issuer the pattern fixes or "")
    head_of_region: bool = False  # Pergub/Perbup/Perwal: "Bupati Sleman" = "Bupati Kabupaten Sleman"


@dataclass(frozen=True)
class Issuer:
    code: str  # "PANRB", "kes", "BKN"
    name: str  # "Pendayagunaan Aparatur Negara dan Reformasi Birokrasi"
    patterns: tuple[re.Pattern, ...]
    renamed_to: str = ""  # the code the ministry has had since `renamed_in` (PAN → PANRB)
    renamed_in: int = 0


def _compile(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


@functools.cache
def kinds() -> tuple[Kind, ...]:
    rows = tables.load_data(TABLE)["jenis"]
    result = []
    for row in rows:
        patterns = []
        for entry in row["pola"]:
            if isinstance(entry, dict):
                patterns.append((_compile(entry["pola"]), entry["penerbit"]))
            else:
                patterns.append((_compile(entry), ""))
        result.append(Kind(row["kode"], row["nama"], row["singkatan"], int(row["peringkat"]),
                           row.get("penerbit", "") or "", tuple(patterns), bool(row.get("kepala_daerah"))))
    return tuple(result)


@functools.cache
def _kinds_by_code() -> dict[str, Kind]:
    return {k.code: k for k in kinds()}


def kind_of(code: str) -> Kind | None:
    return _kinds_by_code().get(code)


@functools.cache
def issuers(table: str) -> tuple[Issuer, ...]:
    """The ministries ("menteri") or agencies ("lembaga") the reader knows."""
    rows = tables.load_data(TABLE).get(table, [])
    return tuple(Issuer(r["kode"], r["nama"], tuple(_compile(p) for p in r["pola"]),
                        (r.get("menjadi") or {}).get("kode", ""), int((r.get("menjadi") or {}).get("sejak_tahun", 0)))
                 for r in rows)


def _issuer(table: str, code: str) -> Issuer | None:
    for issuer in issuers(table):
        if issuer.code.casefold() == code.casefold():
            return issuer
    return None


def last_rank() -> int:
    """The rank of a line that names no known kind: after every kind."""
    return max(k.rank for k in kinds()) + 1


# --- the citation --------------------------------------------------------------------------

@dataclass(frozen=True)
class Citation:
    """One dasar hukum line, read. `kind` is "" when the line names no kind the table knows."""

    text: str  # the line as written, spacing and numbering marks removed
    kind: str = ""
    issuer: str = ""  # a ministry/agency code ("PANRB", "kes", "BKN") or the issuer as written
    number: str = ""  # as text: "25", "HK.01.07/Menkes/1186/2022", "XI/MPR/1998"
    year: int | None = None
    title: str = ""  # what follows "tentang", as written
    rest: str = ""  # Lembaran Negara tails, "sebagaimana telah diubah dengan ..."
    pasal: str = ""  # a leading "Pasal 18 ayat (6)" pinpoint

    @property
    def ok(self) -> bool:
        """The line names a regulation the reader can identify: a kind and a number (the UUD
        has no number)."""
        return bool(self.kind) and (bool(self.number) or self.kind == "UUD")

    @property
    def has_year(self) -> bool:
        return self.year is not None


_SPACES = re.compile(r"\s+")
_UNDANG = re.compile(r"\bundang\s*-\s*undang\b", re.IGNORECASE)
_LABEL = re.compile(r"^(?:mengingat|menimbang|memperhatikan|dasar\s+hukum)\s*:?\s*", re.IGNORECASE)
_SLASH = re.compile(r"\s*/\s*")
_LEADING_MARK = re.compile(r"^(?:\(?\d{1,3}[.)](?!\d)\s*|\(?[a-z][.)]\s+|[-•*–·]\s*)+", re.IGNORECASE)
_TRAILING = re.compile(r"(?:\s*[;,.:]\s*(?:dan|serta|atau)?)+\s*$", re.IGNORECASE)
_PASAL = re.compile(
    r"^(pasal\s+\d+[a-z]?(?:\s+ayat\s*\(\d+\))?(?:\s+huruf\s+[a-z])?"
    r"(?:\s*(?:,|dan)\s*pasal\s+\d+[a-z]?(?:\s+ayat\s*\(\d+\))?(?:\s+huruf\s+[a-z])?)*)\s+",
    re.IGNORECASE)
_NOMOR = re.compile(r"\b(?:nomor|nmr|no)\b\.?\s*:?\s*(?:(?:nomor|no)\b\.?\s*:?\s*)*", re.IGNORECASE)
_NUMBER = re.compile(r"(?:[a-z]{1,4}\.?\s+(?=\d))?[^\s,;()]+", re.IGNORECASE)
_YEAR_AFTER = re.compile(r"\s*,?\s*(?:(?:tahun|thn|th)\.?\s*)+(\d{4})\b", re.IGNORECASE)
_SHORT_FORM = re.compile(r"(?<![\w./])(\d+[a-z]?)(?:/|\s+(?:tahun|thn|th)\.?\s*)(\d{4})\b", re.IGNORECASE)
_SLASHED_NUMBER = re.compile(r"(?<![\w./])([a-z0-9][\w.\-]*(?:/[\w.\-]+)*/(\d{4}))(?![\w/])", re.IGNORECASE)
_SPLIT_NUMBER = re.compile(r"^(\d+[a-z]?)/(\d{4})$", re.IGNORECASE)
_YEAR_LAST = re.compile(r"/(\d{4})$")
_YEAR_ANY = re.compile(r"\b(?:tahun\s+)?(\d{4})\b", re.IGNORECASE)
_TENTANG = re.compile(r"^(?:tentang\b\s*:?\s*)+", re.IGNORECASE)
_BEFORE_TENTANG = re.compile(r"^(?:tanggal|tgl\.?|tahun|yang\s+ditetapkan|ditetapkan|\()", re.IGNORECASE)
_REST_START = re.compile(r"^(?:\(|sebagaimana\b|yang\s+telah\b|jo\.?\s|juncto\b)", re.IGNORECASE)
_TITLE_END = re.compile(
    r"\s*\((?=\s*(?:lembaran|tambahan|berita|lembar|himpunan|ln\b|bn\b|tln\b|ld\b|bd\b))"
    r"|\s+(?=lembaran\s+(?:negara|daerah)\b)"
    r"|\s*,?\s+sebagaimana\b|\s*,?\s+yang\s+telah\s+(?:di)?ubah|\s+jo\.?\s|\s+juncto\b|\s*;\s*",
    re.IGNORECASE)
_STATE_SUFFIX = re.compile(r"[\s,]*(?:negara\s+)?(?:republik\s+indonesia|n?ri)\s*$", re.IGNORECASE)


def _clean(text: str) -> str:
    s = _SPACES.sub(" ", str(text)).strip()
    s = _UNDANG.sub(lambda m: "UNDANG-UNDANG" if m.group(0).isupper() else "Undang-Undang", s)
    s = _SLASH.sub("/", s)
    s = _LEADING_MARK.sub("", _LABEL.sub("", s))
    return _TRAILING.sub("", s).strip()


def _longest(patterns: Iterable[tuple[re.Pattern, Any]], text: str) -> tuple[int, Any]:
    best_end, best = 0, None
    for pattern, value in patterns:
        found = pattern.match(text)
        if found and found.end() > best_end:
            best_end, best = found.end(), value
    return best_end, best


def _tidy_issuer(text: str) -> str:
    text = _STATE_SUFFIX.sub("", text.strip(" ,.-:")).strip(" ,.-:")
    text = title_case(text) if text.isupper() else text
    text = re.sub(r"^kab\.?(?=\s)", "Kabupaten", text, flags=re.IGNORECASE)
    text = re.sub(r"^(?:prov\.?|propinsi|provinsi)(?=\s)", "Provinsi", text, flags=re.IGNORECASE)
    text = re.sub(r"^(kabupaten|kota)(?=\s)", lambda m: m.group(1).capitalize(), text, flags=re.IGNORECASE)
    return title_case(text) if text.islower() else text


def _read_head(head: str) -> tuple[str, str]:
    """("Peraturan Menteri Negara PAN RB") → ("Permen", "PANRB"): the kind and its issuer."""
    head = head.strip(" ,:")
    lowered = head.lower()
    candidates = [(pattern, (kind, fixed)) for kind in kinds() for pattern, fixed in kind.patterns]
    end, found = _longest(candidates, lowered)
    if not found:
        return "", ""
    kind, fixed = found
    if fixed:
        return kind.code, fixed
    remainder = head[end:].strip(" ,.-:")
    if kind.issuer_table in ("menteri", "lembaga"):
        _, code = _longest(((p, i.code) for i in issuers(kind.issuer_table) for p in i.patterns),
                           remainder.lower())
        return kind.code, code or _tidy_issuer(remainder)
    if kind.issuer_table in ("daerah", "teks"):
        return kind.code, _tidy_issuer(remainder)
    return kind.code, ""


def _current_issuer(kind_code: str, issuer: str, year: int | None) -> str:
    """ "Permenpan 36/2012" names the ministry by its old short name; from the year it was renamed
    the regulation is the renamed ministry's (PermenPANRB 36/2012)."""
    kind = kind_of(kind_code) if kind_code else None
    if not kind or kind.issuer_table not in ("menteri", "lembaga") or year is None:
        return issuer
    known = _issuer(kind.issuer_table, issuer)
    if known and known.renamed_to and year >= known.renamed_in:
        return known.renamed_to
    return issuer


def _split_title(tail: str) -> tuple[str, str]:
    tail = tail.strip(" ,:-")
    if not tail:
        return "", ""
    prefix = ""
    if _TENTANG.match(tail):
        tail = _TENTANG.sub("", tail, count=1)
    elif _REST_START.match(tail):
        return "", tail
    else:
        later = re.search(r"\btentang\b\s*:?\s*", tail, re.IGNORECASE)
        if later and _BEFORE_TENTANG.match(tail):  # "... Tahun 2008 tanggal 28 Agustus 2008 tentang ..."
            prefix, tail = tail[: later.start()].strip(" ,"), tail[later.end():]
    end = _TITLE_END.search(tail)
    title, rest = (tail, "") if not end else (tail[: end.start()], tail[end.start():])
    rest = " ".join(part for part in (prefix, rest.strip(" ;,")) if part)
    return title.strip(" ,"), rest


def _find_number(s: str) -> tuple[str, str, int | None, int, bool]:
    """Where the regulation's number sits in a cleaned line: (words before it, number, year,
    where the rest starts, whether "Nomor"/"No." marked it). The first of "Nomor 25 Tahun 2009",
    "25/2009" and "HK.01.07/Menkes/1186/2022" before any "tentang" wins."""
    tentang = re.search(r"\btentang\b", s, re.IGNORECASE)
    limit = tentang.start() if tentang else len(s)
    found = [(m.start(), n, m) for n, m in enumerate(
        (_NOMOR.search(s), _SHORT_FORM.search(s), _SLASHED_NUMBER.search(s))) if m and m.start() < limit]
    found = [f for f in found if f[1] == 0 or f[0] > 0]  # a bare number needs a kind before it
    if not found:
        return s[:limit], "", None, limit, False
    _, form, match = min(found)
    head = s[: match.start()]
    if form == 1:
        return head, match.group(1), int(match.group(2)), match.end(), False
    if form == 2:
        return head, match.group(1), None, match.end(), False
    token = _NUMBER.match(s, match.end())
    if not token:
        return head, "", None, match.end(), True
    year, end = None, token.end()
    after = _YEAR_AFTER.match(s, end)
    if after:
        year, end = int(after.group(1)), after.end()
    return head, token.group(0).rstrip(".:"), year, end, True


def parse(text: str) -> Citation:
    """Read one dasar hukum line. Never raises: a line it cannot read comes back with kind "".
    Cached: a Pemda's services cite the same laws over and over, and validation, the register and
    the Keputusan's Mengingat each read every line."""
    return _parse(text) if isinstance(text, str) else _parse_uncached(text)


@functools.lru_cache(maxsize=8192)
def _parse(text: str) -> Citation:
    return _parse_uncached(text)


def _parse_uncached(text: str) -> Citation:
    s = _clean(text)
    pasal = ""
    found = _PASAL.match(s)
    if found:
        pasal, s = found.group(1), s[found.end():]
    head, number, year, tail_start, marked = _find_number(s)
    if number and year is None:
        split = _SPLIT_NUMBER.match(number)
        if split:
            number, year = split.group(1), int(split.group(2))
        else:
            last = _YEAR_LAST.search(number)
            if last:
                year = int(last.group(1))
    kind, issuer = _read_head(head)
    issuer = _current_issuer(kind, issuer, year)
    title, rest = _split_title(s[tail_start:])
    if kind == "UUD":
        years = _YEAR_ANY.findall(head) or ["1945"]
        year, number = int(years[-1]), ""
        title, rest = "", (s[tail_start:].strip(" ,;") if marked else "")
    return Citation(s, kind, issuer, number, year, title, rest, pasal)


# --- writing a citation -------------------------------------------------------------------

_SMALL_WORDS = frozenset(
    "dan atau di ke dari pada untuk yang dengan atas bagi serta dalam tentang oleh terhadap antara "
    "sebagai secara tanpa menjadi melalui".split())


def title_case(text: str) -> str:
    """Indonesian title case for an all-caps or all-lower title: "PELAYANAN PUBLIK DI DAERAH" →
    "Pelayanan Publik di Daerah"."""
    words = text.split(" ")
    out = []
    for n, word in enumerate(words):
        low = word.lower()
        if n and low in _SMALL_WORDS:
            out.append(low)
        else:
            out.append("-".join(part[:1].upper() + part[1:].lower() for part in word.split("-")))
    return " ".join(out)


def _title_as_written(title: str) -> str:
    return title_case(title) if title.isupper() or title.islower() else title


def issuer_name(citation: Citation) -> str:
    """The issuer written out: "Pendayagunaan Aparatur Negara dan Reformasi Birokrasi",
    "Kabupaten Sleman"; "" for kinds without an issuer."""
    kind = kind_of(citation.kind)
    if not kind or not citation.issuer:
        return ""
    if kind.issuer_table in ("menteri", "lembaga"):
        known = _issuer(kind.issuer_table, citation.issuer)
        if known:
            return known.name
    return citation.issuer


def number_carries_year(number: str, year: int | None) -> bool:
    """"HK.01.07/Menkes/1186/2022" carries its year: the full form writes no "Tahun 2022"."""
    found = _YEAR_LAST.search(number)
    return bool(found) and year is not None and int(found.group(1)) == year


def full_text(citation: Citation, title: str | None = None) -> str:
    """The citation written in full, as a Keputusan writes it: "Undang-Undang Nomor 25 Tahun 2009
    tentang Pelayanan Publik". A line the reader cannot identify is returned as written."""
    if not citation.ok:
        return citation.text
    kind = kind_of(citation.kind)
    words = kind.name
    if kind.code != "UUD":
        name = issuer_name(citation)
        if name:
            words += " " + name
        if citation.number:
            words += f" Nomor {citation.number}"
        if citation.year is not None and not number_carries_year(citation.number, citation.year):
            words += f" Tahun {citation.year}"
        chosen = citation.title if title is None else title
        if chosen:
            words += f" tentang {_title_as_written(chosen)}"
    return f"{citation.pasal} {words}" if citation.pasal else words


def short(citation: Citation) -> str:
    """The short form used in messages: "UU 25/2009", "PermenPANRB 15/2014", "Perbup Sleman
    12/2020", "Kepmenkes HK.01.07/Menkes/1186/2022"."""
    if not citation.ok:
        return citation.text
    kind = kind_of(citation.kind)
    if kind.code == "UUD":
        return kind.short
    label = kind.short
    if citation.issuer:
        label += citation.issuer if kind.issuer_table == "menteri" and _issuer("menteri", citation.issuer) \
            else " " + citation.issuer
    if number_carries_year(citation.number, citation.year) or citation.year is None:
        return f"{label} {citation.number}".strip()
    return f"{label} {citation.number}/{citation.year}"


def canonical(text: str) -> str:
    """A dasar hukum line in full form (what `rapikan` offers), the line itself when unreadable."""
    citation = parse(text)
    return full_text(citation) + (f" {citation.rest}" if citation.ok and citation.rest else "")


def cites_number_and_year(text: str) -> bool:
    """Whether the line names its regulation's number and year ("Nomor … Tahun …", "25/2009",
    or a number ending in "/2022"); the UUD needs neither."""
    citation = parse(text)
    return citation.kind == "UUD" or (bool(citation.number) and citation.has_year)


# --- identity -------------------------------------------------------------------------------

def _issuer_key(citation: Citation) -> str:
    text = _SPACES.sub(" ", citation.issuer.casefold()).strip()
    kind = kind_of(citation.kind)
    if kind and kind.head_of_region:  # the office names the level: Bupati → kabupaten
        text = re.sub(r"^(kabupaten|kota|provinsi)\s+", "", text)
    return text


def _number_key(number: str) -> str:
    text = number.casefold().replace(" ", "")
    return str(int(text)) if text.isdigit() else text


def key(citation: Citation) -> tuple[str, str, str, int | None]:
    """What makes two spellings the same regulation: (kind, issuer, number, year)."""
    return citation.kind, _issuer_key(citation), _number_key(citation.number), citation.year


def rank(citation: Citation) -> int:
    kind = kind_of(citation.kind)
    return kind.rank if kind else last_rank()


def _normal_title(title: str) -> str:
    return re.sub(r"[^\w]+", " ", title.casefold()).strip()


# --- the Mengingat --------------------------------------------------------------------------

class TitleSource(Protocol):
    def title_of(self, citation: Citation) -> str | None: ...


@dataclass(frozen=True)
class Source:
    where: Any  # what the caller passed with the line (a (file, line) pair), or its index
    text: str  # the line as written


@dataclass(frozen=True)
class Conflict:
    """Two spellings of one regulation with different titles."""

    chosen: str
    first: Source
    second: Source
    first_title: str
    second_title: str

    def message(self) -> str:
        return (f'judul berbeda untuk peraturan yang sama: "{self.first_title}" ({self.first.where}) dan '
                f'"{self.second_title}" ({self.second.where}); dipakai "{self.chosen}"')


@dataclass(frozen=True)
class Entry:
    """One line of the Mengingat: every spelling of one regulation, written once in full."""

    text: str
    citation: Citation | None  # None for a line kept as written
    sources: tuple[Source, ...]
    conflict: Conflict | None = None
    rank: int = 0


def _sort_key(entry: Entry) -> tuple:
    c = entry.citation
    if c is None:
        return (entry.rank, 1, 0, (1, ""), entry.text.casefold())
    number = _number_key(c.number)
    number_order = (0, int(number)) if number.isdigit() else (1, number)
    year = c.year if c.year is not None else 10_000
    return (entry.rank, 0, year, number_order, c.issuer.casefold())


def _as_sources(lines: Iterable[Any]) -> list[Source]:
    sources = []
    for n, item in enumerate(lines):
        if isinstance(item, tuple) and len(item) == 2:
            sources.append(Source(item[0], str(item[1])))
        else:
            sources.append(Source(n, str(item)))
    return sources


def _merge_group(group: list[tuple[Source, Citation]], register: TitleSource | None) -> Entry:
    citations = [c for _, c in group]
    first = citations[0]
    issuer = max((c.issuer for c in citations), key=len)
    rest = max((c.rest for c in citations), key=len)
    pasals: list[str] = []
    for c in citations:
        if c.pasal and c.pasal.casefold() not in {p.casefold() for p in pasals}:
            pasals.append(c.pasal)
    pasal = ", ".join(pasals[:-1]) + (" dan " if len(pasals) > 1 else "") + pasals[-1] if pasals else ""
    merged = replace(first, issuer=issuer, rest=rest, pasal=pasal)
    titled = [(s, c) for s, c in group if c.title]
    registered = register.title_of(merged) if register is not None else None
    chosen = registered or max((c.title for c in citations), key=len)
    conflict = None
    distinct = {}
    for s, c in titled:
        distinct.setdefault(_normal_title(c.title), (s, c))
    if len(distinct) > 1:
        (s1, c1), (s2, c2) = list(distinct.values())[:2]
        conflict = Conflict(_title_as_written(chosen), s1, s2, c1.title, c2.title)
    merged = replace(merged, title=chosen)
    text = full_text(merged) + (f" {merged.rest}" if merged.rest else "")
    return Entry(text, merged, tuple(s for s, _ in group), conflict, rank(merged))


def merge_mengingat(lines: Iterable[Any], register: TitleSource | None = None) -> list[Entry]:
    """The Mengingat of a Keputusan from the dasar hukum lines of its services.

    Each item is a line, or a (where, line) pair whose `where` comes back in the entry's sources.
    Spellings of one regulation become one entry written in full, ordered by the hierarchy of
    UU 12/2011, then year, then number. When spellings carry different titles the register's
    title wins (else the longest) and the entry carries the conflict so the caller can warn.
    Lines the reader cannot identify are kept as written (once each), after all others."""
    groups: dict[tuple, list[tuple[Source, Citation]]] = {}
    unread: dict[str, list[Source]] = {}
    for source in _as_sources(lines):
        if not source.text.strip():
            continue
        citation = parse(source.text)
        if citation.ok:
            groups.setdefault(key(citation), []).append((source, citation))
        else:
            unread.setdefault(citation.text.casefold(), []).append(source)
    _fold_issuerless(groups)
    entries = [_merge_group(group, register) for group in groups.values()]
    entries += [Entry(_clean(sources[0].text), None, tuple(sources), None, last_rank())
                for sources in unread.values()]
    return sorted(entries, key=_sort_key)


def _fold_issuerless(groups: dict[tuple, list]) -> None:
    """A "Peraturan Bupati Nomor 12 Tahun 2020" without the region joins the one regulation of that
    kind, number and year that names its region, when there is exactly one."""
    for k in [k for k in groups if k[1] == ""]:
        kind = kind_of(k[0])
        if not kind or kind.issuer_table not in ("daerah", "teks", "menteri", "lembaga"):
            continue
        matches = [other for other in groups if other != k and other[0] == k[0] and other[2:] == k[2:]]
        if len(matches) == 1:
            groups[matches[0]].extend(groups.pop(k))
