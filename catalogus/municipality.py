"""Who a catalogue is for: a municipality, with its name, numbers and the path its pages live under."""

from __future__ import annotations

import re
from dataclasses import dataclass

#: The municipality a content root without ``gemeenten/`` describes, unless the caller names another.
SINGLE_NAME = "Voorbeeldstad"
SINGLE_PHONE = "14 0555"
SINGLE_HOURS = "maandag tot en met vrijdag van 8.30 tot 17.00 uur"


def slug(name: str) -> str:
    """A municipality's id from its name: 'Sint-Oedenrode' -> 'sint-oedenrode'."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "gemeente"


@dataclass(frozen=True)
class Municipality:
    """Who a catalogue is for: id (the path prefix), name, and whether it is the region's default."""

    id: str
    name: str
    default: bool = True
    phone: str = SINGLE_PHONE  # the municipality's general number (footer, error pages)
    hours: str = SINGLE_HOURS  # when that number answers
    owms_uri: str | None = None  # the municipality in the OWMS list (SC feed: authority and spatial)

    @classmethod
    def single(cls, name: str = SINGLE_NAME) -> "Municipality":
        return cls(slug(name), name, True)

    @property
    def prefix(self) -> str:
        """The path its resident pages live under: '' for the default municipality, '/buurdorp' otherwise."""
        return "" if self.default else f"/{self.id}"
