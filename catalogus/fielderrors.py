"""pydantic's validation errors as Dutch diagnostics at the right place, each with a hint.

pydantic reports in English and by model location (``loc``), including the names of
union members (``int``, ``float``, ``NormRef``) that are no keys in the file. We map
``loc`` back onto the data, fold the attempts of one union into one message, and
word each error type for an editor, showing the fix on their own value where we can.
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ValidationError

from . import models
from .errors import Diagnostic, did_you_mean
from .yamlio import SourceMap

DOCS = "zie docs/content-format.md voor wat hier mag"
# Errors that mean "this member of a union does not take a value of this shape".
_SHAPE = {"int_type", "int_parsing", "int_from_float", "float_type", "float_parsing", "bool_type", "bool_parsing",
          "string_type", "model_type", "model_attributes_type", "dict_type", "list_type", "date_type",
          "date_parsing", "date_from_datetime_parsing", "literal_error"}
_KIND_WORDS = {"int": "een heel getal", "float": "een getal", "bool": "true of false", "string": "tekst",
               "model": "een blok met velden", "dict": "een blok met velden", "list": "een lijst", "date": "een datum"}
_MEMBER_WORDS = {"NormRef": "een norm"}
_VALUE_HINTS = [
    ("factor moet groter dan 0", "bijvoorbeeld factor: 1.2"),
    ("een vergelijking heeft precies één operator nodig",
     'schrijf één vergelijking per voorwaarde, bijvoorbeeld {vraag: leeftijd, ">=": 18}; zet er meer samen onder alle:'),
    ("contact heeft minstens", 'voeg bijvoorbeeld telefoon: "14 0555" of website: https://... toe'),
    ("heeft 'opties' nodig", "voeg opties: toe, met per keuze een label:"),
    ("heeft geen 'opties'", "haal opties: weg, of kies type: choice of type: multi"),
    ("heeft 'min' en 'max' nodig", "voeg bijvoorbeeld min: 0 en max: 120 toe"),
    ("ja/nee-vraag heeft 'reden", "voeg reden: {ja: ..., nee: ...} toe met de zin voor ja en de zin voor nee"),
    ("heeft 'onderwerp' nodig", "voeg bijvoorbeeld onderwerp: Uw inkomen toe"),
    ("'geen_waarde' moet een van de opties", "kies voor geen_waarde een van de namen onder opties:"),
    ("geef 'waarde' of 'varianten'", "schrijf waarde: 123.45 of een lijst varianten:, niet allebei"),
]
_PATTERN_HINTS = [
    ("^https://", "een link begint met https://, bijvoorbeeld https://www.voorbeeldstad.nl/aanvragen"),
    ("^https?://standaarden", "de URI begint met http://standaarden.overheid.nl/owms/terms/"),
    ("^https?://", "een link begint met https://"),
    ("@", "schrijf een e-mailadres, bijvoorbeeld info@voorbeeldstad.nl"),
    (models.NAME, "een naam heeft alleen kleine letters, cijfers en _, en begint met een letter"),
]
_MONTHS = {name: number for number, name in enumerate(
    ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
     "november", "december"], 1)}


@dataclass(frozen=True)
class _Problem:
    loc: tuple
    path: tuple           # the loc mapped onto the data
    skipped: frozenset    # indexes of loc items that are no keys in the data (union members, tags)
    kind: str
    message: str
    given: Any
    ctx: dict


def pydantic_diagnostics(error: ValidationError, data: Any, source: SourceMap,
                         model: type[BaseModel]) -> list[Diagnostic]:
    """Translate pydantic's errors into Dutch diagnostics at the right line and column."""
    problems = []
    for raw in error.errors(include_url=False):
        loc = tuple(raw["loc"])
        path, skipped = map_location(data, loc)
        problems.append(_Problem(loc, path, skipped, raw["type"], raw["msg"], raw.get("input"), raw.get("ctx") or {}))
    found: list[Diagnostic] = []
    for problem in fold_unions(problems):
        diagnostic = _diagnostic(problem, source, known_field_names(model))
        if diagnostic not in found:
            found.append(diagnostic)
    return found


@lru_cache(maxsize=None)
def known_field_names(model: type[BaseModel]) -> frozenset[str]:
    """Every field name (by alias) that can appear anywhere inside ``model``."""
    names: set[str] = set()
    seen: set[type] = set()

    def visit(tp: Any) -> None:
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            if tp in seen:
                return
            seen.add(tp)
            for name, info in tp.model_fields.items():
                names.add(info.alias or name)
                visit(info.annotation)
            return
        for arg in typing.get_args(tp):
            visit(arg)

    visit(model)
    return frozenset(names)


def map_location(data: Any, loc: tuple) -> tuple[tuple, frozenset]:
    """Map a pydantic ``loc`` onto the data: the longest path of keys and indexes, and the loc items skipped.

    A union tag can also be a key (a rule ``{vraag: ..., "<=": ...}`` is tagged ``vraag``), so
    this tries both and keeps the path that goes deepest, then the one that uses later items.

    >>> map_location({"a": {"vraag": "x", "<=": 3}}, ("a", "vraag", "<=", "int"))
    (('a', '<='), frozenset({1, 3}))
    """
    memo: dict[tuple[int, int], tuple[tuple, tuple]] = {}

    def best(current: Any, index: int) -> tuple[tuple, tuple]:
        """(path, indexes of loc used) for loc[index:] starting at ``current``."""
        key = (id(current), index)
        if key in memo:
            return memo[key]
        if index == len(loc):
            return (), ()
        item = loc[index]
        options = [best(current, index + 1)]
        if isinstance(current, dict) and isinstance(item, str) and item in current:
            path, used = best(current[item], index + 1)
            options.append(((item,) + path, (index,) + used))
        elif isinstance(current, list) and isinstance(item, int) and 0 <= item < len(current):
            path, used = best(current[item], index + 1)
            options.append(((item,) + path, (index,) + used))
        memo[key] = max(options, key=lambda option: (len(option[0]), option[1][-1:] or (-1,)))
        return memo[key]

    path, used = best(data, 0)
    return path, frozenset(set(range(len(loc))) - set(used))


# ---------------------------------------------------------------- unions

def fold_unions(problems: list[_Problem], depth: int = 0) -> list[_Problem]:
    """Keep what the matching member of a union says; when no member fits, one problem naming them all."""
    members: dict[tuple, set] = {}
    for problem in problems:
        for index in problem.skipped:
            if index >= depth and isinstance(problem.loc[index], str):
                members.setdefault(problem.loc[:index], set()).add(problem.loc[index])
    unions = {prefix for prefix, names in members.items() if len(names) > 1}
    groups: dict[tuple, list[_Problem]] = {}
    result: list[_Problem | tuple] = []
    for problem in problems:
        prefix = next((problem.loc[:i] for i in sorted(problem.skipped)
                       if i >= depth and problem.loc[:i] in unions), None)
        if prefix is None:
            result.append(problem)
            continue
        if prefix not in groups:
            groups[prefix] = []
            result.append(prefix)
        groups[prefix].append(problem)
    folded: list[_Problem] = []
    for item in result:
        if isinstance(item, _Problem):
            folded.append(item)
        else:
            folded.extend(_fold_one(item, groups[item]))
    return folded


def _fold_one(prefix: tuple, problems: list[_Problem]) -> list[_Problem]:
    at = len(prefix)
    by_member: dict[str, list[_Problem]] = {}
    for problem in problems:
        by_member.setdefault(problem.loc[at], []).append(problem)
    misfits = {member for member, found in by_member.items()
               if all(p.kind in _SHAPE and len(p.loc) == at + 1 for p in found)}
    fitting = [p for member, found in by_member.items() if member not in misfits for p in found]
    if fitting:
        return fold_unions(fitting, at + 1)
    words: list[str] = []
    for member, found in by_member.items():
        word = _MEMBER_WORDS.get(member) or _KIND_WORDS.get(found[0].kind.split("_")[0], "")
        if word and word not in words:
            words.append(word)
    if "een getal" in words and "een heel getal" in words:
        words.remove("een heel getal")
    first = problems[0]
    return [_Problem(prefix, first.path, first.skipped, "union_shape", "", first.given, {"words": words})]


# ---------------------------------------------------------------- wording

def _diagnostic(problem: _Problem, source: SourceMap, known: frozenset[str]) -> Diagnostic:
    kind, path = problem.kind, problem.path
    if kind == "extra_forbidden":
        field = str(problem.loc[-1])
        return source.diagnostic(path, "E102", f"onbekend veld '{field}'",
                                 did_you_mean(field, known) or "haal het veld weg", prefer_key=True)
    if kind == "missing":
        field = str(problem.loc[-1])
        return source.diagnostic(path, "E103", f"verplicht veld '{field}' ontbreekt", f"voeg '{field}:' toe",
                                 prefer_key=True)
    message, hint = _words(problem, _name(path), source.raw.get(tuple(path)))
    return source.diagnostic(path, "E104", message, hint)


def _name(path: tuple) -> str:
    """How to name the place: 'titel', or 'item 2 van 'stappen'' inside a list."""
    names = [item for item in path if isinstance(item, str)]
    field = names[-1] if names else "bestand"
    if path and isinstance(path[-1], int):
        return f"item {path[-1] + 1} van '{field}'"
    return f"'{field}'"


def _key(path: tuple) -> str:
    names = [item for item in path if isinstance(item, str)]
    return names[-1] if names else "waarde"


def _words(problem: _Problem, name: str, raw: str | None) -> tuple[str, str]:
    """(message, hint) for every error type an editor can cause."""
    kind, given, ctx, key = problem.kind, problem.given, problem.ctx, _key(problem.path)
    family = kind.split("_")[0]
    if given is None and kind not in ("value_error", "rule_node", "union_shape") and family != "too":
        return f"{name} is leeg", _empty_hint(problem, key)
    if kind == "literal_error":
        expected = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return (f"'{given}' is geen geldige waarde voor '{key}'",
                did_you_mean(str(given), expected) or "kies uit: " + ", ".join(expected))
    if kind == "rule_node":
        keys = list(given) if isinstance(given, dict) else []
        hint = next((h for h in (did_you_mean(k, models.RULE_KEYS) for k in keys) if h), "")
        if not hint and isinstance(given, str) and re.fullmatch(models.NAME, given):
            hint = f"bedoelde u 'regel: {given}'? Een gedeelde voorwaarde schrijft u als regel: naam"
        return problem.message, hint or 'bijvoorbeeld regel: inwoner, of {vraag: leeftijd, ">=": 18}'
    if kind == "value_error":
        message = str(ctx.get("error", problem.message))
        return message, next((hint for start, hint in _VALUE_HINTS if start in message), DOCS)
    if kind == "union_shape":
        return f"{name} moet {_either(ctx['words'])} zijn", _union_hint(given, key, ctx["words"])
    return _type_words(problem, name, key, raw)


def _type_words(problem: _Problem, name: str, key: str, raw: str | None) -> tuple[str, str]:
    """(message, hint) for a value of the wrong type, form or size."""
    kind, given, ctx = problem.kind, problem.given, problem.ctx
    family = kind.split("_")[0]
    if kind == "string_type":
        in_list = bool(problem.path) and isinstance(problem.path[-1], int)
        return _not_text(name, "" if in_list else key, given, raw)
    if family == "int":
        return f"{name} moet een heel getal zijn", f"schrijf een getal zonder punt of komma, bijvoorbeeld {key}: 2"
    if family == "float":
        return f"{name} moet een getal zijn", _number_hint(key, given)
    if family == "bool":
        return f"{name} moet true of false zijn", f"schrijf {key}: true of {key}: false"
    if kind == "date_from_datetime_inexact":
        day = given.date() if isinstance(given, dt.datetime) else _guess_date(str(given)[:10])
        return f"{name} moet een datum zijn zonder tijd", f"haal de tijd weg: {key}: {day or 'JJJJ-MM-DD'}"
    if family in ("date", "datetime"):
        return f"{name} moet een datum zijn", _date_hint(key, given)
    if kind == "list_type":
        example = f"[{given}]" if isinstance(given, (str, int, float)) else "[a, b]"
        return f"{name} moet een lijst zijn", f"zet de waarden tussen [ ], bijvoorbeeld {key}: {example}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return (f"{name} moet een blok met velden zijn",
                f"zet de velden op de regels onder '{key}:', 2 spaties ingesprongen; {DOCS}")
    if kind == "too_short":
        return f"{name} is leeg", "zet er minstens één item in" + (", bijvoorbeeld domeinen: [geld]" if key == "domeinen" else "")
    if kind == "string_too_short":
        return (f"{name} is te kort: {len(str(given))} van minstens {ctx.get('min_length')} tekens",
                "schrijf het voluit, in een hele zin")
    if kind == "string_pattern_mismatch":
        return f"{name} heeft niet de goede vorm", _pattern_hint(str(ctx.get("pattern", "")), given)
    if kind in ("greater_than_equal", "greater_than"):
        bound = ctx.get("ge", ctx.get("gt"))
        return f"{name} is te klein: minstens {bound}", f"bijvoorbeeld {key}: {bound if kind == 'greater_than_equal' else bound + 1}"
    return f"{name} heeft een ongeldige waarde", DOCS


def _either(words: list[str]) -> str:
    """'a', 'a of b', 'a, b of c'."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " of " + words[-1]


def _empty_hint(problem: _Problem, key: str) -> str:
    kind = problem.kind
    if kind == "literal_error":
        expected = re.findall(r"'([^']*)'", str(problem.ctx.get("expected", "")))
        return "kies uit: " + ", ".join(expected)
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"vul de velden in op de regels onder '{key}:', 2 spaties ingesprongen"
    if kind == "list_type":
        return f"schrijf {key}: [] voor een lege lijst, of zet de items eronder met '- '"
    if kind.startswith(("date", "datetime")):
        return f"vul een datum in, bijvoorbeeld {key}: 2027-01-31"
    if kind.startswith(("int", "float")):
        return f"vul een getal in achter '{key}:'"
    return f"vul een tekst in achter '{key}:'"


def _not_text(name: str, key: str, given: Any, raw: str | None) -> tuple[str, str]:
    if isinstance(given, dict):
        return (f"{name} moet tekst zijn, geen blok met velden",
                "staat er een dubbele punt in de tekst? Zet de tekst dan tussen aanhalingstekens")
    if isinstance(given, list):
        return (f"{name} moet één tekst zijn, geen lijst",
                "haal de [ ] of de streepjes weg, of zet de tekst tussen aanhalingstekens")
    shown = raw if raw is not None else (given.isoformat() if isinstance(given, dt.date) else str(given))
    return (f"{name} moet tekst zijn, maar YAML leest '{shown}' als {_reads_as(given)}",
            f'zet de waarde tussen aanhalingstekens: {key + ": " if key else ""}"{shown}"')


def _reads_as(given: Any) -> str:
    if isinstance(given, bool):
        return "ja/nee"
    if isinstance(given, (int, float)):
        return "getal"
    if isinstance(given, dt.date):
        return "datum"
    return "iets anders dan tekst"


def _number_hint(key: str, given: Any) -> str:
    if isinstance(given, str) and re.fullmatch(r"\d{1,3}(\.\d{3})*,\d+|\d+,\d+", given.strip()):
        fixed = given.strip().replace(".", "").replace(",", ".")
        return f"schrijf een punt voor de decimalen en geen punt tussen de duizendtallen: {key}: {fixed}"
    return f"schrijf een getal met een punt voor de decimalen, bijvoorbeeld {key}: 1250.50"


def _union_hint(given: Any, key: str, words: list[str]) -> str:
    if isinstance(given, list):
        return "schrijf één waarde, geen lijst" + ("; meer waarden tegelijk: in: [a, b]" if key in ("=", "!=") else "")
    if isinstance(given, dict):
        return "schrijf één waarde, geen blok met velden" if _MEMBER_WORDS["NormRef"] not in words else \
            "een norm schrijft u als {norm: bijstandsnorm} of {norm: bijstandsnorm, factor: 1.2}"
    if _MEMBER_WORDS["NormRef"] in words:
        return f'bijvoorbeeld "{key}": 18 of "{key}": {{norm: bijstandsnorm, factor: 1.2}}'
    return f"bijvoorbeeld {key}: 1.2"


def _date_hint(key: str, given: Any) -> str:
    guess = _guess_date(str(given)) if given is not None else None
    if guess:
        return f"schrijf de datum als JJJJ-MM-DD: {key}: {guess.isoformat()}"
    return f"schrijf de datum als JJJJ-MM-DD, bijvoorbeeld {key}: 2027-01-31"


def _guess_date(text: str) -> dt.date | None:
    """The date an editor probably meant by '1-1-2030', '2030-1-5' or '1 januari 2030'.

    >>> _guess_date("26-11-2026"), _guess_date("2030-1-5"), _guess_date("1 januari 2030"), _guess_date("morgen")
    (datetime.date(2026, 11, 26), datetime.date(2030, 1, 5), datetime.date(2030, 1, 1), None)
    """
    text = text.strip().lower()
    parts: tuple[int, int, int] | None = None
    if found := re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", text):
        parts = (int(found[3]), int(found[2]), int(found[1]))
    elif found := re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", text):
        parts = (int(found[1]), int(found[2]), int(found[3]))
    elif (found := re.fullmatch(r"(\d{1,2}) ([a-z]+) (\d{4})", text)) and found[2] in _MONTHS:
        parts = (int(found[3]), _MONTHS[found[2]], int(found[1]))
    if parts is None:
        return None
    try:
        return dt.date(*parts)
    except ValueError:
        return None


def _pattern_hint(pattern: str, given: Any) -> str:
    for start, hint in _PATTERN_HINTS:
        if start in pattern:
            if pattern == models.NAME and isinstance(given, str) and re.fullmatch(models.NAME, given.lower()):
                return f"bedoelde u '{given.lower()}'? " + hint[0].upper() + hint[1:]
            return hint
    return DOCS
