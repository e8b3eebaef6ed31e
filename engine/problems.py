"""Problems found in content, reported as ``file:line: path: severity: message``.

Every check in the engine and the scorer reports through :class:`Problem`, so an
author sees the same shape of message whatever found the mistake.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in a content file, with where it is and how to fix it."""

    file: str
    line: int
    path: str
    message: str
    severity: Severity = Severity.ERROR

    def format(self) -> str:
        """``file:line: path: severity: message``; ``line`` 0 means "not a place in a file"."""
        where = f"{self.file}:{self.line}" if self.line > 0 else self.file
        path = f" {self.path}:" if self.path else ""
        return f"{where}:{path} {self.severity.value}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "path": self.path,
            "severity": self.severity.value,
            "message": self.message,
        }


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.severity is Severity.ERROR for p in problems)


def unexpected(file: str, exc: BaseException) -> Problem:
    """A problem for a file that made a check fail in a way nobody foresaw.

    Used where one file is handled among many (the library, lint of a folder), so that
    one hostile file is reported with its name and never stops the others.
    """
    what = f"{type(exc).__name__}: {exc}"[:300]
    return Problem(
        file,
        1,
        "",
        f"this file could not be checked ({what}); simplify the part you last changed "
        "and report the file to the parolesim developers",
    )


class ContentError(Exception):
    """Raised when content cannot be used; carries every problem found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(p.format() for p in self.problems))
