"""Today's date for every rule that depends on it (yearly review, SKM frequency, FKP before
penetapan, the date printed on check reports).

SOURCE_DATE_EPOCH (seconds since 1970, the reproducible-builds convention) fixes it: a Bagian
Organisasi can re-run a build or a check "as of" a date and get the same bytes; its UTC date is
used. Unset, it is the machine's local date."""

from __future__ import annotations

import datetime as dt
import os

from sp_builder.errors import ExitCode, UserError


def today() -> dt.date:
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return dt.date.today()
    try:
        return dt.datetime.fromtimestamp(int(value), dt.timezone.utc).date()
    except (ValueError, OverflowError, OSError):
        raise UserError(f'SOURCE_DATE_EPOCH "{value}" bukan jumlah detik sejak 1 Januari 1970 (mis. 1767225600 '
                        "untuk 1 Januari 2026); perbaiki atau kosongkan variabel itu", ExitCode.USAGE) from None
