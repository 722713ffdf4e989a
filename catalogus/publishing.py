"""What every publication of the catalogue shares: the site address, clean text, product URLs, the norms' day.

The JSON/CSV exports (``exports``) and the Samenwerkende Catalogi feed (``sc``) both build on it.
"""

from __future__ import annotations

import datetime as dt
import re

from .catalog import Catalog
from .errors import NormDateError

DEFAULT_BASE_URL = "https://www.voorbeeldstad.nl"

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean_text(text: str) -> str:
    """Remove control characters (such as the fold markers ruamel leaves in folded scalars)."""
    return _INVALID_XML.sub("", text)


def paragraphs(text: str | None) -> list[str]:
    """Split content text into paragraphs: in folded YAML a blank line becomes a line break."""
    if not text:
        return []
    return [p.strip() for p in clean_text(text).split("\n") if p.strip()]


def product_url(base_url: str, product_id: str) -> str:
    """The public page of a product.

    >>> product_url("https://www.voorbeeldstad.nl/", "bijzondere-bijstand")
    'https://www.voorbeeldstad.nl/producten/bijzondere-bijstand'
    """
    return f"{base_url.rstrip('/')}/producten/{product_id}"


def norms_day(catalog: Catalog, date: dt.date):
    """The norms on ``date``, or on their first date when ``date`` is earlier."""
    try:
        return catalog.norms.on(date)
    except NormDateError:
        return catalog.norms.on(catalog.norms.first_date())
