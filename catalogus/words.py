"""Small helpers for Dutch text in command-line output."""

from __future__ import annotations


def count(number: int, one: str, many: str) -> str:
    """A number with the singular or plural form that goes with it.

    Dutch plurals are irregular enough (bestand/bestanden, index/indexen,
    zoekvraag/zoekvragen, zou/zouden) that the caller names both forms.

    >>> count(1, "bestand", "bestanden"), count(0, "bestand", "bestanden"), count(2, "zou veranderen", "zouden veranderen")
    ('1 bestand', '0 bestanden', '2 zouden veranderen')
    """
    return f"{number} {one if number == 1 else many}"
