"""ruamel's scanner, parser and composer errors as Dutch diagnostics at the line the editor must change.

ruamel reports where it gave up, which is often a line later than the mistake (an
unclosed ``[`` is noticed at the next key). Each known problem gets its own message
and a hint that shows the fix on the editor's own line where we can.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from ruamel.yaml.error import MarkedYAMLError

from .errors import Diagnostic
from .words import count

PREFIX = "YAML-fout: "


@dataclass(frozen=True)
class _Place:
    """The text of the file and the marks of one error (1-based line and column)."""

    lines: list[str]
    problem: str
    context: str
    problem_at: tuple[int, int] | None
    context_at: tuple[int, int] | None

    def line(self, number: int) -> str:
        return self.lines[number - 1] if 1 <= number <= len(self.lines) else ""

    def previous_content_line(self, number: int) -> int:
        """The nearest line above ``number`` that is neither blank nor only a comment (0 if none)."""
        for candidate in range(number - 1, 0, -1):
            text = self.line(candidate).strip()
            if text and not text.startswith("#"):
                return candidate
        return 0


_Explainer = Callable[[_Place], "tuple[tuple[int, int], str, str] | None"]
_EXPLAINERS: list[tuple[str, _Explainer]] = []


def _explains(pattern: str) -> Callable[[_Explainer], _Explainer]:
    def register(function: _Explainer) -> _Explainer:
        _EXPLAINERS.append((pattern, function))
        return function
    return register


def yaml_error_diagnostic(exc: MarkedYAMLError, text: str, path: str) -> Diagnostic:
    """Turn one ruamel error into a Dutch diagnostic with a specific hint."""
    place = _Place(text.splitlines(), (exc.problem or "").strip(), (exc.context or "").strip(),
                   _mark(exc.problem_mark), _mark(exc.context_mark))
    if place.problem_at:
        opened = _quote_open_since_earlier_line(place.lines, place.problem_at)
        if opened is not None:
            (line, column), quote = opened
            return Diagnostic(path, line, column, "E100", PREFIX + f"het aanhalingsteken {quote} op deze regel wordt "
                              "niet gesloten", _close_quote_hint(quote))
    for pattern, explain in _EXPLAINERS:
        if re.search(pattern, place.problem) or re.search(pattern, place.context):
            found = explain(place)
            if found is not None:
                (line, column), message, hint = found
                return Diagnostic(path, line, column, "E100", PREFIX + message, hint)
    line, column = place.problem_at or place.context_at or (1, 1)
    return Diagnostic(path, line, column, "E100", PREFIX + "deze regel is geen geldige YAML",
                      "vergelijk de inspringing, dubbele punten en aanhalingstekens met de regel erboven")


def _mark(mark) -> tuple[int, int] | None:
    return (mark.line + 1, mark.column + 1) if mark is not None else None


def _key_and_value(line: str) -> tuple[str, str, str] | None:
    """('  ', 'titel', 'Let op: dit') for '  titel: Let op: dit'; None when the line is no 'key: value'."""
    found = re.match(r"^(\s*(?:-\s+)?)([^\s:#][^:#]*?):\s+(.*?)\s*$", line)
    return (found.group(1), found.group(2), found.group(3)) if found else None


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


# ---------------------------------------------------------------- one explainer per problem

@_explains(r"mapping values are not allowed here")
def _colon_in_value(place: _Place):
    line, column = place.problem_at or (1, 1)
    text = place.line(line)
    parts = _key_and_value(text)
    if parts and ": " in parts[2] + " " and text.index(parts[2]) < column:
        indent, key, value = parts
        return ((line, column), f"dubbele punt in de waarde van '{key}'",
                f"zet tekst met een dubbele punt tussen aanhalingstekens: {indent.strip() + ' ' if indent.strip() else ''}"
                f"{key}: {_quoted(value)}")
    above = place.previous_content_line(line)
    above_parts = _key_and_value(place.line(above)) if above else None
    if above_parts and _indent(text) > _indent(place.line(above)):
        key = above_parts[1]
        return ((line, column), f"deze regel springt in onder '{key}' (regel {above}), maar '{key}' heeft al een waarde",
                f"haal '{above_parts[2]}' achter '{key}:' weg als hieronder de inhoud volgt, "
                f"of zet deze regel even ver naar links als '{key}'")
    return ((line, column), "dubbele punt op een plek waar geen veld kan beginnen",
            "zet tekst met een dubbele punt tussen aanhalingstekens, of controleer de inspringing")


@_explains(r"found character '\\t' that cannot start any token")
def _tab(place: _Place):
    return (place.problem_at or (1, 1), "tab gebruikt om in te springen",
            "YAML springt in met spaties: vervang de tab door 2 spaties per niveau")


@_explains(r"found character '(.)' that cannot start any token")
def _bad_first_character(place: _Place):
    char = re.search(r"found character '(.)'", place.problem).group(1)
    line, column = place.problem_at or (1, 1)
    parts = _key_and_value(place.line(line))
    example = f"{parts[1]}: {_quoted(parts[2])}" if parts else f'"{char}..."'
    return ((line, column), f"een waarde mag niet beginnen met '{char}'",
            f"zet de tekst tussen aanhalingstekens: {example}")


@_explains(r"found undefined alias")
def _star(place: _Place):
    line, column = place.problem_at or (1, 1)
    value = place.line(line)[column - 1:].strip()
    return ((line, column), "een waarde mag niet beginnen met '*'",
            f"zet de tekst tussen aanhalingstekens: {_quoted(value)}")


@_explains(r"while scanning a directive")
def _percent(place: _Place):
    return (place.context_at or place.problem_at or (1, 1), "een regel mag niet beginnen met '%'",
            "zet de tekst tussen aanhalingstekens, of schrijf het procentteken verderop in de zin")


@_explains(r"while scanning a (?:double-|single-)?quoted scalar")
def _unclosed_quote(place: _Place):
    if "unknown escape character" in place.problem:
        char = re.search(r"character '(.)'", place.problem)
        code = "\\" + (char.group(1) if char else "")
        return (place.problem_at or (1, 1), f"onbekende code '{code}' in tekst tussen dubbele aanhalingstekens",
                "gebruik enkele aanhalingstekens '...' of schrijf een dubbele backslash \\\\")
    line, column = place.context_at or (1, 1)
    quote = place.line(line)[column - 1:column] or '"'
    return ((line, column), f"het aanhalingsteken {quote} op deze regel wordt niet gesloten", _close_quote_hint(quote))


def _close_quote_hint(quote: str) -> str:
    escaped = "''" if quote == "'" else '\\"'
    return f"zet aan het eind van de tekst ook een {quote}; een {quote} in de tekst zelf schrijft u als {escaped}"


@_explains(r"could not find expected ':'")
def _line_without_colon(place: _Place):
    line, column = place.context_at or place.problem_at or (1, 1)
    text = place.line(line).strip()
    glued = re.match(r"^([^\s:]+):(\S.*)$", text)
    if glued:
        return ((line, column), f"geen spatie na de dubbele punt in '{text}'",
                f"schrijf een spatie na de dubbele punt: {glued.group(1)}: {glued.group(2)}")
    return ((line, column), f"regel zonder dubbele punt: '{text[:40]}'",
            "een veld schrijft u als 'naam: waarde'; hoort de regel bij de tekst erboven, spring hem dan in")


_EXAMPLE = {"[": "domeinen: [geld, zorg]", "{": '{vraag: leeftijd, ">=": 18}'}
_CLOSING = {"[": "]", "{": "}"}


def _not_closed(place: _Place, opened: tuple[int, int], bracket: str):
    closing = _CLOSING[bracket]
    own = place.line(opened[0]).strip().rstrip(",").rstrip()
    example = own + closing if own.endswith(bracket) or bracket in own else _EXAMPLE[bracket]
    return (opened, f"de {bracket} op deze regel wordt niet gesloten",
            f"sluit met {closing}, bijvoorbeeld {example}")


@_explains(r"while parsing a flow (sequence|mapping)")
def _unclosed_flow(place: _Place):
    opened = place.context_at or (1, 1)
    bracket = "[" if "sequence" in place.context else "{"
    if place.problem_at and place.problem_at[0] == opened[0]:
        return (place.problem_at, f"er ontbreekt een komma tussen twee waarden binnen {bracket} {_CLOSING[bracket]}",
                f"scheid de waarden met komma's, bijvoorbeeld {_EXAMPLE[bracket]}")
    return _not_closed(place, opened, bracket)


@_explains(r"while parsing a flow node")
def _unclosed_at_end(place: _Place):
    opened = _first_unclosed_bracket(place.lines)
    return _not_closed(place, *opened) if opened is not None else None


@_explains(r"expected <block end>, but found '([\]}])'")
def _extra_closing(place: _Place):
    char = re.search(r"found '(.)'", place.problem).group(1)
    opening = "[" if char == "]" else "{"
    return (place.problem_at or (1, 1), f"een {char} te veel",
            f"haal de {char} weg, of zet er de {opening} voor die hij sluit")


@_explains(r"expected <block end>, but found '<scalar>'")
def _text_after_quote(place: _Place):
    return (place.problem_at or (1, 1), "tekst na het sluitende aanhalingsteken",
            "zet de hele waarde tussen de aanhalingstekens; een ' in tekst tussen '...' schrijft u als ''")


@_explains(r"expected <block end>, but found '-'")
def _dash_instead_of_key(place: _Place):
    line, column = place.problem_at or (1, 1)
    above = place.previous_content_line(line)
    return ((line, column), "een lijstitem (-) waar een veld verwacht wordt",
            f"spring de - in onder het veld waar de lijst bij hoort, op regel {above} of hoger" if above else
            "zet de lijst onder een veld, zoals 'stappen:'")


@_explains(r"expected <block end>, but found '<block mapping start>'|expected <block end>, but found '\?'")
def _uneven_indent(place: _Place):
    line, column = place.problem_at or (1, 1)
    above = place.previous_content_line(line)
    here = _indent(place.line(line))
    if above and "'?'" in place.problem:
        return ((line, column), "een veld tussen de items van een lijst",
                "zet het veld even ver naar links als het veld waar het bij hoort, of begin het met '- ' als het een "
                "nieuw item van de lijst is")
    return ((line, column), f"deze regel springt {count(here, 'spatie', 'spaties')} in en past niet bij de regels erboven",
            f"gebruik dezelfde inspringing als de velden waar hij bij hoort; regel {above} springt "
            f"{count(_indent(place.line(above)), 'spatie', 'spaties')} in" if above else "begin de regel helemaal links")


@_explains(r"sequence entries are not allowed here")
def _dash_in_value(place: _Place):
    line, column = place.problem_at or (1, 1)
    parts = _key_and_value(place.line(line))
    example = f"{parts[1]}: {_quoted(parts[2])}" if parts else '"- ..."'
    return ((line, column), "een - midden op een regel",
            f"zet een lijst op de regels eronder, ingesprongen en elk item met '- ', of zet tekst tussen "
            f"aanhalingstekens: {example}")


@_explains(r"while scanning a block scalar")
def _block_scalar(place: _Place):
    return (place.problem_at or (1, 1), "na | of > mag op dezelfde regel alleen commentaar staan",
            "zet de tekst op de regels eronder, ingesprongen")


@_explains(r"expected a single document|but found another document")
def _second_document(place: _Place):
    return (place.problem_at or (1, 1), "een tweede document ('---' of '...') in het bestand",
            "één bestand beschrijft één ding: haal de regel met --- of ... weg")


def _first_unclosed_bracket(lines: list[str]) -> tuple[tuple[int, int], str] | None:
    """Where the outermost bracket still open at the end of the text was opened (quotes and comments skipped)."""
    stack: list[tuple[tuple[int, int], str]] = []
    for number, line in enumerate(lines, 1):
        quote = ""
        for column, char in enumerate(line, 1):
            if quote:
                quote = "" if char == quote else quote
            elif char in "'\"" and (column == 1 or line[column - 2] in " [{,:"):
                quote = char
            elif char == "#" and (column == 1 or line[column - 2] == " "):
                break
            elif char in "[{":
                stack.append(((number, column), char))
            elif char in "]}" and stack:
                stack.pop()
    return stack[0] if stack else None


def _quote_open_since_earlier_line(lines: list[str], at: tuple[int, int]) -> tuple[tuple[int, int], str] | None:
    """Where a quoted text opened, when it runs from an earlier line on to the error at ``at``.

    A forgotten closing quote makes YAML read on until the next quote of that kind,
    often many lines further, where it then fails: the mistake is where the quote opened.
    """
    opened: tuple[tuple[int, int], str] | None = None
    for number, line in enumerate(lines[:at[0]], 1):
        column = 0
        while column < len(line):
            char = line[column]
            column += 1
            if opened is not None:
                if char == "\\" and opened[1] == '"':
                    column += 1
                elif char == opened[1] and opened[1] == "'" and line[column:column + 1] == "'":
                    column += 1
                elif char == opened[1]:
                    if opened[0][0] < number == at[0]:  # closed on the line that fails, opened above it
                        return opened
                    opened = None
            elif char == "#" and (column == 1 or line[column - 2] == " "):
                break
            elif char in "'\"" and (column == 1 or line[column - 2] in " [{,:-"):
                opened = ((number, column), char)
        if opened is not None and number == at[0] and opened[0][0] < number:
            return opened
    return None
