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
