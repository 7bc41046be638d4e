"""Problems found in user input are data (Issue); exit codes are one enum used everywhere."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class ExitCode(enum.IntEnum):
    OK = 0
    INPUT_ERROR = 1  # the input has errors, or the index is under --fail-under
    USAGE = 2  # the command was used wrongly


class Severity(str, enum.Enum):
    ERROR = "galat"
    WARNING = "peringatan"


@dataclass(frozen=True)
class Issue:
    """One problem in one file, at a 1-based line and column (0 when the file as a whole is meant)."""

    path: str
    line: int
    column: int
    message: str
    severity: Severity = Severity.ERROR
    component: str = ""  # Indonesian label of the SP component, when one is concerned
    rule: str = ""  # stable machine id of the rule, e.g. "jangka_waktu.tidak_konkret"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.severity is not Severity.ERROR, self.rule)

    def format(self) -> str:
        """`layanan/ktp-el.yaml:14:3: galat: Jangka Waktu Pelayanan: "x" bukan durasi; ...`"""
        where = self.path
        if self.line:
            where += f":{self.line}:{self.column}" if self.column else f":{self.line}"
        prefix = f"{self.component}: " if self.component else ""
        return f"{where}: {self.severity.value}: {prefix}{self.message}"

    def as_dict(self) -> dict:
        return {
            "file": self.path,
            "line": self.line,
            "column": self.column,
            "severity": self.severity.value,
            "component": self.component,
            "rule": self.rule,
            "message": self.message,
        }


def sorted_issues(issues) -> list[Issue]:
    return sorted(issues, key=Issue.sort_key)


class InputError(Exception):
    """Raised by library entry points that must stop before writing anything; carries all issues."""

    def __init__(self, issues: list[Issue]):
        self.issues = sorted_issues(issues)
        super().__init__("\n".join(i.format() for i in self.issues))


class UserError(Exception):
    """A problem the user can fix that is not tied to a position (missing soffice, existing file)."""

    def __init__(self, message: str, code: ExitCode = ExitCode.INPUT_ERROR):
        self.code = code
        super().__init__(message)
