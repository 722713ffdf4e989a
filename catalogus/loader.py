"""Read one content file into its pydantic model, turning every problem into a diagnostic."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

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
    if not isinstance(data, dict):
        return None, [source.diagnostic((), "E104", "het bestand moet een blok met velden zijn",
                                        "begin met bijvoorbeeld 'titel: ...'")]
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        return None, pydantic_diagnostics(exc, data, source, model)
