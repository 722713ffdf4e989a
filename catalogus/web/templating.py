"""The Jinja environment: where templates live, autoescaping and the Dutch filters pages use."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from litestar.enums import MediaType
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Template
from litestar.template.config import TemplateConfig
from markupsafe import Markup, escape

from ..questions import format_money, join_dutch
from ..municipality import Municipality
from .present import KINDS

PACKAGE_DIR = Path(__file__).resolve().parents[1]
# Inside the package, so that a wheel install serves the site as well as an editable one.
TEMPLATES_DIR = PACKAGE_DIR / "templates"
STATIC_DIR = PACKAGE_DIR / "static"

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
          "oktober", "november", "december")


def date_nl(value: dt.date | dt.datetime | None) -> str:
    """Write a date the Dutch way.

    >>> date_nl(dt.date(2026, 11, 26))
    '26 november 2026'
    """
    if value is None:
        return ""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def paragraphs(text: str | None) -> Markup:
    """Turn text into escaped <p> elements, one per line (a blank line in a folded YAML block is one newline).

    >>> str(paragraphs("Een.\\nTwee & drie.\\n\\n"))
    '<p class="utrecht-paragraph">Een.</p>\\n<p class="utrecht-paragraph">Twee &amp; drie.</p>'
    """
    parts = [p.strip() for p in (text or "").splitlines() if p.strip()]
    return Markup("\n").join(Markup('<p class="utrecht-paragraph">{}</p>').format(p) for p in parts)


def upper_first(text: str) -> str:
    """Capitalise the first letter only (Jinja's ``capitalize`` lowercases the rest).

    >>> upper_first("geld en Voorbeeldstad")
    'Geld en Voorbeeldstad'
    """
    return text[:1].upper() + text[1:]


def tel_href(number: str) -> str:
    """A tel: link target for a Dutch phone number as written on a page.

    >>> tel_href("0800-2000"), tel_href("14 0555")
    ('tel:08002000', 'tel:140555')
    """
    return "tel:" + "".join(ch for ch in number if ch.isdigit() or ch == "+")


def to_json_attr(value: Any) -> str:
    """Compact JSON for a hidden form field (autoescaping makes it safe in the attribute)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def build_environment(directory: Path = TEMPLATES_DIR) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(directory)),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(money=format_money, date_nl=date_nl, paragraphs=paragraphs, tel_href=tel_href,
                       tojson_attr=to_json_attr, join_dutch=join_dutch,
                       ucfirst=upper_first)
    env.globals.update(escape=escape, site_kinds=KINDS)
    return env


def template_config(directory: Path = TEMPLATES_DIR) -> TemplateConfig:
    return TemplateConfig(instance=JinjaTemplateEngine.from_environment(build_environment(directory)))


MAIN_ID = "main"


def is_fragment_request(request: Any) -> bool:
    """htmx asked for the content of <main> only (a history restore needs the whole page)."""
    headers = request.headers
    return (headers.get("hx-request") == "true" and headers.get("hx-target") == MAIN_ID
            and not headers.get("hx-history-restore-request"))


#: Where the request's municipality is kept in the ASGI scope (set where the path names one).
MUNICIPALITY_SCOPE_KEY = "catalogus.municipality"


def site_values(request: Any) -> dict[str, Any]:
    """What every template may use about whose site this is: ``gemeente`` (the municipality of this
    request), ``prefix``, the path its resident pages live under ('' or '/buurdorp'), and ``regio`` (the
    region, or None for an installation of one municipality)."""
    municipality = request.scope.get(MUNICIPALITY_SCOPE_KEY)
    try:
        region = request.app.state.content.current.region
    except (AttributeError, RuntimeError):  # an error page before any content is loaded
        region = None
    if municipality is None:
        municipality = region.default if region is not None else Municipality.single()
    return {"gemeente": municipality, "prefix": municipality.prefix,
            "regio": region if region is not None and not region.single else None}


def page(request: Any, template: str, context: dict[str, Any] | None = None, *, status: int = 200,
         no_store: bool = False) -> Any:
    """Render a page template; htmx requests get the same page without the surrounding layout."""
    values = {**site_values(request), **(context or {})}
    values["fragment"] = is_fragment_request(request)
    headers = {"vary": "HX-Request"}
    if no_store:
        headers["cache-control"] = "no-store"
    return Template(template, context=values, status_code=status, headers=headers, media_type=MediaType.HTML)
