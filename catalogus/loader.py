"""Read one content file into its pydantic model, turning every problem into a diagnostic."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from .errors import Diagnostic
from .fielderrors import pydantic_diagnostics
from .yamlio import SourceMap, load_yaml_file

M = TypeVar("M", bound=BaseModel)


def parse_file(file: Path, model: type[M], shown: str) -> tuple[M | None, Any, SourceMap, list[Diagnostic]]:
    """Load ``file`` and validate it as ``model``; never raises for bad content."""
    loaded = load_yaml_file(file, shown)
    diagnostics = list(loaded.diagnostics)
    if loaded.data is None:  # a duplicate key leaves readable data: validate the rest of the file too
        return None, loaded.data, loaded.source, diagnostics
    parsed, found = validate_data(loaded.data, loaded.source, model)
    return parsed, loaded.data, loaded.source, diagnostics + found


def validate_data(data: Any, source: Any, model: type[M]) -> tuple[M | None, list[Diagnostic]]:
    """Validate loaded YAML data as ``model``; ``source`` says where each value was written."""
    parsed, _sound, found = validate_fields(data, source, model)
    return parsed, found


def validate_fields(data: Any, source: Any, model: type[M]) -> tuple[M | None, dict[str, Any], list[Diagnostic]]:
    """Validate as ``model``; when that fails, also the top-level fields that are sound on their own.

    The sound fields (by field name, validated) let the checker go on with what does not depend on the
    broken ones: a product whose title is too short still has its rule compiled, so an unknown question
    in it is reported in the same run. Each mistake is reported once, by the validation of the whole.
    """
    if not isinstance(data, dict):
        return None, {}, [source.diagnostic((), "E104", "het bestand moet een blok met velden zijn",
                                            "begin met bijvoorbeeld 'titel: ...'")]
    try:
        return model.model_validate(data), {}, []
    except ValidationError as exc:
        failed = {raw["loc"][0] for raw in exc.errors(include_url=False) if raw["loc"]}
        sound: dict[str, Any] = {}
        for name, info in model.model_fields.items():
            key = info.alias or name
            if key in data and key not in failed:
                try:
                    sound[name] = _field_adapter(model, name).validate_python(data[key])
                except ValidationError:  # a field a model-level validator checks with others: not sound alone
                    pass
        return None, sound, pydantic_diagnostics(exc, data, source, model)


@lru_cache(maxsize=None)
def _field_adapter(model: type[BaseModel], name: str) -> TypeAdapter:
    return TypeAdapter(model.model_fields[name].rebuild_annotation())
