"""Diagnostics for content editors and the small exception tree of the core."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Iterable, Literal

from .words import count

Severity = Literal["error", "warning", "info"]  # info: a note, such as what an error kept from being checked


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in a content file, pointing at the exact place.

    >>> str(Diagnostic("products/x.yaml", 3, 5, "E201", "onbekende vraag 'leeftijdd'", "bedoelde u 'leeftijd'?"))
    "products/x.yaml:3:5: E201 onbekende vraag 'leeftijdd' (bedoelde u 'leeftijd'?)"
    """

    path: str
    line: int
    column: int
    code: str
    message: str
    hint: str = ""
    severity: Severity = "error"

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}:{self.column}: {self.code} {self.message}"
        return f"{text} ({self.hint})" if self.hint else text

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def as_dict(self) -> dict:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
            "severity": self.severity,
        }


def report_order(diagnostic: Diagnostic) -> tuple:
    """Sort key of a report: by file, then by place; a note about a file after its errors and warnings."""
    return (diagnostic.path, diagnostic.severity == "info", diagnostic.line, diagnostic.column, diagnostic.code,
            diagnostic.message)


def did_you_mean(name: str, options: Iterable[str]) -> str:
    """Return a Dutch "did you mean" hint for a misspelt name, or ''.

    >>> did_you_mean("leeftijdd", ["leeftijd", "leefsituatie"])
    "bedoelde u 'leeftijd'?"
    """
    matches = difflib.get_close_matches(str(name), [str(o) for o in options], n=1, cutoff=0.6)
    return f"bedoelde u '{matches[0]}'?" if matches else ""


class CatalogusError(Exception):
    """Base class of every error the core raises on purpose."""


class ContentError(CatalogusError):
    """The content does not load; carries every diagnostic found."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        errors = [d for d in diagnostics if d.is_error]
        super().__init__(f"{count(len(errors), 'fout', 'fouten')} in de inhoud:\n" + "\n".join(str(d) for d in errors))


@dataclass
class AnswerProblem:
    """One invalid answer: which question and why, in B1 Dutch."""

    question: str
    message: str

    def as_dict(self) -> dict:
        return {"question": self.question, "message": self.message}


class AnswerError(CatalogusError):
    """Answers that do not fit the question vocabulary."""

    def __init__(self, problems: list[AnswerProblem]):
        self.problems = problems
        super().__init__("; ".join(f"{p.question}: {p.message}" for p in problems))


@dataclass
class NormDateError(CatalogusError):
    """A norm has no value on the evaluation date (the date is before its first value)."""

    norm: str
    date: object
    first: object = field(default=None)

    def __str__(self) -> str:
        return f"geen waarde voor norm {self.norm} op datum {self.date} (eerste waarde geldt vanaf {self.first})"


class StartupError(CatalogusError):
    """The server cannot start safely; the message (Dutch) names the path and the fix.

    ``code`` is a short, safe event name for the log (the message may hold paths).
    """

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code
