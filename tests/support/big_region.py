"""A region of many municipalities, generated from the shipped content: for the test that nothing assumes
three, and for the start-up and memory benchmark."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from tests.support.content_copy import copy_content

SHIPPED = ("voorbeeldstad", "buurdorp", "kleinmeer")


def generated_id(number: int) -> str:
    return f"meerdorp-{number:02d}"


def minima_factor(number: int) -> Decimal:
    """Each generated municipality its own minima limit, so that each answers for itself."""
    return Decimal("1.15") + Decimal(number) / 100


def make_region(target: Path, size: int) -> Path:
    """The shipped region plus generated municipalities up to ``size``, modelled on Kleinmeer's overlay."""
    root = copy_content(target)
    template = (root / "gemeenten" / "kleinmeer" / "gemeente.yaml").read_text(encoding="utf-8")
    for number in range(1, size - len(SHIPPED) + 1):
        municipality = generated_id(number)
        name = f"Meerdorp {number:02d}"
        text = template.replace("Kleinmeer", name).replace("kleinmeer", municipality.replace("-", ""))
        text = re.sub(r"(minima_grens:\n    waarden:\n      - geldig_vanaf: 2026-01-01\n        waarde: )1\.25",
                      rf"\g<1>{minima_factor(number)}", text)
        assert str(minima_factor(number)) in text
        folder = root / "gemeenten" / municipality
        folder.mkdir()
        (folder / "gemeente.yaml").write_text(text, encoding="utf-8")
    return root
