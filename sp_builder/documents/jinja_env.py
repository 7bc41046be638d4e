"""The one Jinja environment factory for every document template, and its error messages.

Every template renders with `StrictUndefined` (a misspelt variable is an error naming it, never a
blank in a signed document) and autoescape on: docxtpl pastes rendered text into WordprocessingML,
and an unescaped `&` or `<` from user data silently truncates the document. User templates (from
`--templates DIR` or the unit's `templates/`) run in a sandbox.

docxtpl compiles the whole document XML on every render. The XML of one template is the same for
every document made from it, so the environments here keep each compiled template, keyed by its
source: rendering 200 SPs compiles the SP template once.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Callable

from jinja2 import Environment, StrictUndefined
from jinja2.exceptions import SecurityError, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from sp_builder import fmt_id
from sp_builder.errors import UserError
from sp_builder.unit.model import as_date


def _date(value) -> dt.date:
    day = as_date(value if isinstance(value, dt.date) else str(value))
    if day is None:
        raise ValueError(f"bukan tanggal: {value!r}")
    return day


def _number(value) -> int:
    return value if isinstance(value, int) else int(str(value).strip())


FILTERS = {
    "tanggal": lambda value: fmt_id.tanggal(_date(value)),
    "rupiah": lambda value: fmt_id.rupiah(_number(value)),
    "terbilang": lambda value: fmt_id.terbilang(_number(value)),
    "nip": lambda value: fmt_id.nip(str(value)),
}


class _CompileOnce:
    """Mixin: `from_string` returns the already compiled template for a source seen before."""

    def from_string(self, source, globals=None, template_class=None):
        if globals is not None or template_class is not None:
            return super().from_string(source, globals, template_class)
        compiled = self.__dict__.setdefault("_compiled", {})
        template = compiled.get(source)
        if template is None:
            template = compiled[source] = super().from_string(source)
        return template


class _Environment(_CompileOnce, Environment):
    pass


# The sandbox refuses Python internals (`__class__`, `__globals__`, `_private`) but not work that
# exhausts the machine: a user template may not build a text or list of more than a million items
# or raise to a power above this.
MAX_ITEMS = 1_000_000
MAX_EXPONENT = 1_000


class _SandboxedEnvironment(_CompileOnce, SandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context, operator, left, right):
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int) and len(seq) * times > MAX_ITEMS:
                    raise SecurityError(f"perkalian menghasilkan lebih dari {MAX_ITEMS:,} butir".replace(",", "."))
        if operator == "**" and isinstance(right, (int, float)) and abs(right) > MAX_EXPONENT:
            raise SecurityError(f"pangkat lebih dari {MAX_EXPONENT}")
        return super().call_binop(context, operator, left, right)


def make_env(*, sandboxed: bool = False) -> Environment:
    """A strict, autoescaping environment with the Indonesian filters (tanggal, rupiah, terbilang, nip)."""
    cls = _SandboxedEnvironment if sandboxed else _Environment
    env = cls(undefined=StrictUndefined, autoescape=True, keep_trailing_newline=True)
    env.filters.update(FILTERS)
    return env


_UNDEFINED_PATTERNS = (
    re.compile(r"'([^']+)' is undefined"),
    re.compile(r"has no attribute '([^']+)'"),
    re.compile(r"has no element '?([^']+?)'?$"),
)


def _context_text(exc: Exception) -> str:
    """The visible text docxtpl saved around a syntax error, tags stripped."""
    lines = [fmt_id.fold(line) for line in getattr(exc, "docx_context", None) or ()]
    return " / ".join(line for line in lines if line)[:200]


def explain(exc: TemplateError, template: str) -> UserError:
    """An Indonesian message naming the template and the variable, or the line of a syntax error."""
    if isinstance(exc, UndefinedError):
        message = str(exc.message or exc)
        for pattern in _UNDEFINED_PATTERNS:
            found = pattern.search(message)
            if found:
                return UserError(f'templat {template}: variabel "{found.group(1)}" tidak dikenal')
        return UserError(f"templat {template}: variabel tidak dikenal ({message})")
    if isinstance(exc, TemplateSyntaxError):
        # docxtpl puts each paragraph of the document XML on a line of its own, after one opening line
        where = f" paragraf ke-{exc.lineno - 1}" if exc.lineno and exc.lineno > 1 else ""
        near = _context_text(exc)
        near = f'; di sekitar: "{near}"' if near else ""
        return UserError(f"templat {template}:{where}: kesalahan sintaks Jinja: {syntax_message(exc.message or '')}"
                         f"{near}")
    if isinstance(exc, SecurityError):
        return UserError(f"templat {template}: {security_message(exc)}")
    return UserError(f"templat {template}: {exc}")


_TOKENS = {
    "end of print statement": "}}", "begin of print statement": "{{", "end of statement block": "%}",
    "begin of statement block": "{%", "end of comment": "#}", "end of template": "akhir templat",
    "name": "nama", "string": "teks", "integer": "bilangan", "float": "bilangan",
}


def _token(name: str) -> str:
    return _TOKENS.get(name, name)


def _closing(block: str) -> str:
    return f"{{% end{block} %}} (atau {{%p end{block} %}} / {{%tr end{block} %}}, seperti pembukanya)"


_SYNTAX: tuple[tuple[re.Pattern, Callable[[re.Match], str]], ...] = (
    (re.compile(r"Unexpected end of template\. Jinja was looking for the following tags: .*The innermost block that "
                r"needs to be closed is '(\w+)'"),
     lambda m: f'blok "{m[1]}" tidak ditutup sampai akhir templat; tambahkan {_closing(m[1])}'),
    (re.compile(r"Encountered unknown tag '(\w+)'\. Jinja was looking for the following tags: .*The innermost block "
                r"that needs to be closed is '(\w+)'"),
     lambda m: f'tag "{m[1]}" tidak cocok di sini: blok "{m[2]}" yang masih terbuka harus ditutup dahulu dengan '
               f"{_closing(m[2])}"),
    (re.compile(r"Encountered unknown tag '(end\w+)'"),
     lambda m: f'tag "{m[1]}" tidak menutup blok apa pun; hapus, atau tambahkan pembukanya'),
    (re.compile(r"Encountered unknown tag '(\w+)'"), lambda m: f'tag "{m[1]}" tidak dikenal'),
    (re.compile(r"unexpected end of template, expected '(.+?)'"),
     lambda m: f"templat berakhir sebelum {_token(m[1])}; tutup tag yang terbuka"),
    (re.compile(r"expected token '(.+?)', got '(.+?)'"),
     lambda m: f'diharapkan {_token(m[1])}, tetapi tertulis "{_token(m[2])}"'),
    (re.compile(r"unexpected char (['\"])(.)\1 at \d+"),
     lambda m: (f"tanda kutip {m[2]} tidak ditutup" if m[2] in "'\"" else f'karakter "{m[2]}" tidak dapat dipakai '
                "di sini")),
    (re.compile(r"unexpected '(.+?)', expected '(.+?)'"),
     lambda m: f'tertulis "{_token(m[1])}" padahal diharapkan "{_token(m[2])}" (kurung belum ditutup?)'),
    (re.compile(r"unexpected '/'"),  # the document's own XML after a tag left open: "{{ x </w:t>"
     lambda m: "tag {{ … }} atau {% … %} tidak ditutup dalam paragrafnya; tutup di paragraf yang sama"),
    (re.compile(r"unexpected '(.+?)'"), lambda m: f'"{_token(m[1])}" tidak diharapkan di sini'),
    (re.compile(r"Missing end of comment tag"), lambda m: "komentar {# tidak ditutup dengan #}"),
    (re.compile(r"Expected an expression, got '(.+?)'"),
     lambda m: f"ekspresi kosong sebelum {_token(m[1])}: tulis nama variabel atau nilainya"),
    (re.compile(r"No filter named '(.+?)'"), lambda m: f'filter "{m[1]}" tidak dikenal'),
    (re.compile(r"No test named '(.+?)'"), lambda m: f'uji "{m[1]}" tidak dikenal'),
)


def syntax_message(message: str) -> str:
    """Jinja's syntax error in Indonesian; one not recognised is shown as Jinja words it."""
    for pattern, say in _SYNTAX:
        found = pattern.search(message)
        if found:
            return say(found)
    return f"(pesan Jinja) {message}"


_UNSAFE_ATTRIBUTE = re.compile(r"access to attribute '([^']+)' of '([^']+)' object is unsafe")


def security_message(exc: Exception) -> str:
    """What the sandbox refused, in Indonesian (Jinja words it in English)."""
    text = str(exc)
    found = _UNSAFE_ATTRIBUTE.search(text)
    if found:
        return (f'atribut "{found.group(1)}" tidak boleh dipakai di templat pengguna: akses ke bagian dalam Python '
                "diblokir demi keamanan; pakai hanya variabel yang tercantum di sp_builder/documents/sp_context.py")
    if "Range too big" in text:
        return "range() lebih dari 100.000 butir tidak diizinkan di templat pengguna"
    if "unsafe" in text or "not safely callable" in text:
        return "operasi tidak diizinkan di templat pengguna: memanggil fungsi atau atribut internal Python diblokir"
    return f"operasi tidak diizinkan di templat pengguna: {text}"
