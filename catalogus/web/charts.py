"""Bar charts as plain data for the SVG templates (``_charts.html``): no charting library, no JavaScript.

The charts here are bars and columns with a label and a value each, so a Jinja template with ``<rect>``
and ``<text>`` is all it takes; colours and sizes come from ``stuurinformatie.css`` (the strict CSP allows
no style attributes). A figure that is suppressed gets no bar, only its text ("< 10"), so the picture
shows no more than the table under it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from ..steering.report import Figure

WIDTH = 400
ROW = 44          # a horizontal bar: its label above it, the bar, some air
BAR = 16
VALUE_ROOM = 84   # room right of the longest bar for its value
COLUMNS_HEIGHT = 220
COLUMNS_TOP, COLUMNS_BOTTOM = 24, 186


@dataclass(frozen=True)
class Bar:
    label: str
    text: str         # the value as shown ("1.234", "< 10", "12 uur")
    x: float
    y: float
    width: float
    height: float
    drawn: bool       # False: suppressed or zero, no rectangle


@dataclass(frozen=True)
class Chart:
    kind: str         # "bars" (horizontal, label above) or "columns" (vertical, label below)
    bars: tuple[Bar, ...]
    width: int
    height: int

    @property
    def empty(self) -> bool:
        return not any(b.drawn for b in self.bars)


Item = tuple[str, "float | None", str]  # (label, value to draw or None, text)


def of_figures(pairs: Iterable[tuple[str, Figure]]) -> list[Item]:
    return [(label, None if f.suppressed else f.n, f.shown) for label, f in pairs]


def bars(pairs: Iterable[tuple[str, Figure]] | None = None, *, items: list[Item] | None = None) -> Chart:
    """Horizontal bars, one per row, scaled to the largest value.

    >>> chart = bars([("A", Figure(40)), ("B", Figure(20)), ("C", Figure(3))])
    >>> [(b.label, b.text, round(b.width), b.drawn) for b in chart.bars]
    [('A', '40', 316, True), ('B', '20', 158, True), ('C', '< 10', 0, False)]
    """
    rows = items if items is not None else of_figures(pairs or [])
    top = max([v for _l, v, _t in rows if v] or [1])
    room = WIDTH - VALUE_ROOM
    found = []
    for i, (label, value, text) in enumerate(rows):
        width = room * value / top if value else 0
        found.append(Bar(label, text, 0, i * ROW + 22, width, BAR, bool(value)))
    return Chart("bars", tuple(found), WIDTH, max(len(rows), 1) * ROW + 4)


def columns(pairs: Iterable[tuple[str, Figure]]) -> Chart:
    """Vertical columns (a time line), scaled to the largest value."""
    rows = of_figures(pairs)
    top = max([v for _l, v, _t in rows if v] or [1])
    slot = (WIDTH - 8) / max(len(rows), 1)
    plot = COLUMNS_BOTTOM - COLUMNS_TOP
    found = []
    for i, (label, value, text) in enumerate(rows):
        height = plot * value / top if value else 0
        found.append(Bar(label, text, 4 + i * slot + slot * 0.15, COLUMNS_BOTTOM - height, slot * 0.7, height,
                         bool(value)))
    return Chart("columns", tuple(found), WIDTH, COLUMNS_HEIGHT)


def hours_text(hours: float | None) -> str:
    """A duration as a person reads it.

    >>> hours_text(5.25), hours_text(50), hours_text(None)
    ('5,3 uur', '2,1 dagen', 'te weinig aanmeldingen')
    """
    if hours is None:
        return "te weinig aanmeldingen"
    if hours < 48:
        return f"{hours:.1f} uur".replace(".", ",")
    return f"{hours / 24:.1f} dagen".replace(".", ",")
