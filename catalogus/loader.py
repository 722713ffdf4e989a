"""Read one content file into its pydantic model, turning every problem into a diagnostic."""

from __future__ import annotations

import re
import typing
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from . import models
from .errors import Diagnostic, did_you_mean
from .yamlio import SourceMap, load_yaml_file

M = TypeVar("M", bound=BaseModel)

_TYPE_MESSAGES = {
    "string_type": "moet tekst zijn",
    "int_type": "moet een heel getal zijn",
    "int_parsing": "moet een heel getal zijn",
    "int_from_float": "moet een heel getal zijn",
    "float_type": "moet een getal zijn",
    "float_parsing": "moet een getal zijn",
    "bool_type": "moet true of false zijn",
    "bool_parsing": "moet true of false zijn",
    "date_type": "moet een datum zijn (JJJJ-MM-DD)",
    "date_parsing": "moet een datum zijn (JJJJ-MM-DD)",
    "date_from_datetime_inexact": "moet een datum zijn zonder tijd (JJJJ-MM-DD)",
    "list_type": "moet een lijst zijn",
    "dict_type": "moet een blok met velden zijn",
    "model_type": "moet een blok met velden zijn",
    "model_attributes_type": "moet een blok met velden zijn",
    "too_short": "is te kort of leeg",
    "string_too_short": "is te kort",
    "string_pattern_mismatch": "heeft niet de goede vorm",
    "greater_than_equal": "is te klein",
    "union_tag_not_found": "heeft een onbekende vorm",
}


def known_field_names(model: type[BaseModel]) -> set[str]:
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
    return names


def data_path(data: Any, loc: tuple) -> tuple:
    """Map a pydantic ``loc`` onto the data, dropping union tags that are not keys."""
    path: list = []
    current = data
    for item in loc:
        if isinstance(current, dict) and item in current:
            path.append(item)
            current = current[item]
        elif isinstance(current, list) and isinstance(item, int) and 0 <= item < len(current):
            path.append(item)
            current = current[item]
    return tuple(path)


def pydantic_diagnostics(error: ValidationError, data: Any, source: SourceMap,
                         model: type[BaseModel]) -> list[Diagnostic]:
    """Translate pydantic's errors into Dutch diagnostics at the right line and column."""
    known = known_field_names(model)
    found: list[Diagnostic] = []
    for problem in error.errors(include_url=False):
        loc = tuple(problem["loc"])
        path = data_path(data, loc)
        kind = problem["type"]
        field = str(loc[-1]) if loc else ""
        if kind == "extra_forbidden":
            found.append(source.diagnostic(path, "E102", f"onbekend veld '{field}'",
                                           did_you_mean(field, known) or "haal het veld weg",
                                           prefer_key=True))
        elif kind == "missing":
            found.append(source.diagnostic(path, "E103", f"verplicht veld '{field}' ontbreekt",
                                           f"voeg '{field}:' toe", prefer_key=True))
        elif kind == "rule_node":
            given = problem.get("input")
            keys = list(given) if isinstance(given, dict) else []
            hint = next((h for h in (did_you_mean(k, models.RULE_KEYS) for k in keys) if h), "")
            found.append(source.diagnostic(path, "E104", problem["msg"], hint))
        elif kind == "literal_error":
            expected = re.findall(r"'([^']*)'", str(problem.get("ctx", {}).get("expected", "")))
            value = problem.get("input")
            hint = did_you_mean(str(value), expected) or ("kies uit: " + ", ".join(expected))
            found.append(source.diagnostic(path, "E104", f"'{value}' is geen geldige waarde voor '{_last_name(loc)}'", hint))
        elif kind == "value_error":
            message = str(problem.get("ctx", {}).get("error", problem["msg"]))
            found.append(source.diagnostic(path, "E104", message))
        else:
            words = _TYPE_MESSAGES.get(kind, problem["msg"])
            found.append(source.diagnostic(path, "E104", f"'{_last_name(loc)}' {words}"))
    return found


def _last_name(loc: tuple) -> str:
    for item in reversed(loc):
        if isinstance(item, str) and item not in models.RULE_KEYS[:0]:
            return item
    return "waarde"


def parse_file(file: Path, model: type[M], shown: str) -> tuple[M | None, Any, SourceMap, list[Diagnostic]]:
    """Load ``file`` and validate it as ``model``; never raises for bad content."""
    loaded = load_yaml_file(file, shown)
    diagnostics = list(loaded.diagnostics)
    if not loaded.ok or loaded.data is None:
        return None, loaded.data, loaded.source, diagnostics
    if not isinstance(loaded.data, dict):
        diagnostics.append(loaded.source.diagnostic((), "E104", "het bestand moet een blok met velden zijn",
                                                    "begin met bijvoorbeeld 'titel: ...'"))
        return None, loaded.data, loaded.source, diagnostics
    try:
        parsed = model.model_validate(loaded.data)
    except ValidationError as exc:
        diagnostics.extend(pydantic_diagnostics(exc, loaded.data, loaded.source, model))
        return None, loaded.data, loaded.source, diagnostics
    return parsed, loaded.data, loaded.source, diagnostics
