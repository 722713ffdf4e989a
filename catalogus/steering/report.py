"""The figures of a period: read the counters back, suppress small numbers, add the referral stage times.

Every figure under ``SUPPRESS_BELOW`` shows as "< 10" on the page, in the CSV and in the JSON, and the
figures built on it (a share, a sum of money, a median) are not shown either. The finest view is one
municipality (or the region) over the period chosen; only the started and finished checks are split
further, per week. The funnel counts once per check how many checks were shown a screen and how many
answered it; "stopped here" is the difference, so no check needs an id (docs/architectuur.md).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from ..casework.db import Database
from ..catalog import Catalog
from ..check import TOPICS_QUESTION
from ..models import DOMAINS
from . import events as ev

SUPPRESS_BELOW = 10
SUPPRESSED = "< 10"
LOCAL_TIME = ZoneInfo("Europe/Amsterdam")
STAGES = {"opgepakt": "Van aanmelding tot in behandeling", "behandeld": "Van in behandeling tot afgerond",
          "doorlooptijd": "Van aanmelding tot afgerond"}
TOP_PRODUCTS = 10


@dataclass(frozen=True)
class Figure:
    """A count as it may be shown: below 10 it is "< 10" everywhere."""

    n: int

    @property
    def suppressed(self) -> bool:
        return self.n < SUPPRESS_BELOW

    @property
    def shown(self) -> str:
        """The figure as text: Dutch thousands separator, or "< 10".

        >>> Figure(3).shown, Figure(12345).shown
        ('< 10', '12.345')
        """
        return SUPPRESSED if self.suppressed else f"{self.n:,}".replace(",", ".")

    @property
    def value(self) -> int | str:
        """For the exports: the number, or the text "< 10"."""
        return SUPPRESSED if self.suppressed else self.n

    @property
    def visible(self) -> int:
        """What a chart may draw: 0 for a suppressed figure."""
        return 0 if self.suppressed else self.n


def difference(shown: int, done: int) -> Figure:
    return Figure(max(shown - done, 0))


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive

    def weeks(self) -> list[dt.date]:
        """The Mondays of the weeks this period touches."""
        monday = self.start - dt.timedelta(days=self.start.weekday())
        found = []
        while monday <= self.end:
            found.append(monday)
            monday += dt.timedelta(days=7)
        return found

    def utc_bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """From local midnight at the start up to local midnight after the end, in UTC."""
        begin = dt.datetime.combine(self.start, dt.time(), LOCAL_TIME)
        end = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time(), LOCAL_TIME)
        return begin.astimezone(dt.timezone.utc), end.astimezone(dt.timezone.utc)


@dataclass(frozen=True)
class Row:
    id: str
    label: str
    figure: Figure


@dataclass(frozen=True)
class Week:
    monday: dt.date
    started: Figure
    results: Figure

    @property
    def label(self) -> str:
        return f"week {self.monday.isocalendar().week}"


@dataclass(frozen=True)
class Stage:
    id: str
    label: str
    reached: Figure
    stopped: Figure | None  # None: not a place to stop (the start, the results)


@dataclass(frozen=True)
class ProductRow:
    id: str
    label: str
    eligible: Figure
    unknown: Figure


@dataclass(frozen=True)
class Share:
    id: str
    label: str
    figure: Figure
    percent: int | None  # None when the figure or the total is suppressed


@dataclass(frozen=True)
class Duration:
    id: str
    label: str
    count: Figure
    median_hours: float | None  # None: fewer than 10 referrals went through this stage
    p90_hours: float | None


@dataclass(frozen=True)
class Report:
    period: Period
    municipality: str | None  # None: the whole region
    municipality_name: str
    channels: list[tuple[str, str, Figure, Figure]]  # (id, label, started, results)
    weeks: list[Week]
    funnel: list[Stage]
    not_resident: Figure
    topics: list[Row]
    products: list[ProductRow]
    routing: list[Share]
    amount_cents: int | None  # None when suppressed (fewer than 10 results pages)
    referrals: list[Row]
    durations: list[Duration]
    searches: Figure
    searches_empty: Figure

    @property
    def started(self) -> Figure:
        return Figure(sum(s.n for _i, _l, s, _r in self.channels))

    @property
    def results(self) -> Figure:
        return Figure(sum(r.n for _i, _l, _s, r in self.channels))


# ---------------------------------------------------------------- reading

def read_counts(db: Database, period: Period, municipalities: list[str]):
    """(totals by (metric, item), per day by (day, metric)) for these municipalities over the period."""
    marks = ", ".join("?" for _ in municipalities)
    with db.transaction(write=False) as tx:
        rows = tx.fetchall(f"SELECT day, metric, item, SUM(n) AS n FROM steering_counts WHERE day >= ? AND "
                           f"day <= ? AND municipality IN ({marks}) GROUP BY day, metric, item",
                           (period.start.isoformat(), period.end.isoformat(), *municipalities))
    totals: dict[tuple[str, str], int] = defaultdict(int)
    daily: dict[tuple[str, str], int] = defaultdict(int)
    for row in rows:
        totals[(row["metric"], row["item"])] += int(row["n"])
        if row["metric"] in (ev.STARTED, ev.RESULTS):
            daily[(row["day"], row["metric"])] += int(row["n"])
    return totals, daily


def read_durations(db: Database, period: Period, municipalities: list[str]) -> dict[str, list[float]]:
    """Hours each referral created in the period spent per stage (from the referrals store, nothing kept)."""
    begin, end = period.utc_bounds()
    marks = ", ".join("?" for _ in municipalities)
    with db.transaction(write=False) as tx:
        rows = tx.fetchall(f"SELECT created_at, assigned_at, finished_at FROM referrals WHERE created_at >= ? "
                           f"AND created_at < ? AND municipality IN ({marks})", (begin, end, *municipalities))
    found: dict[str, list[float]] = {stage: [] for stage in STAGES}
    for row in rows:
        created, assigned, finished = row["created_at"], row["assigned_at"], row["finished_at"]
        if assigned is not None:
            found["opgepakt"].append(_hours(assigned - created))
            if finished is not None:
                found["behandeld"].append(_hours(finished - assigned))
        if finished is not None:
            found["doorlooptijd"].append(_hours(finished - created))
    return found


def _hours(delta: dt.timedelta) -> float:
    return max(delta.total_seconds(), 0) / 3600


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile (a value that occurred, never one in between).

    >>> percentile([5, 1, 3, 2, 4], 0.5), percentile(list(range(1, 11)), 0.9)
    (3, 9)
    """
    ordered = sorted(values)
    return ordered[max(math.ceil(fraction * len(ordered)) - 1, 0)]


# ---------------------------------------------------------------- the report

def build_report(db: Database, catalog: Catalog, period: Period, municipalities: list[str],
                 municipality: str | None, name: str) -> Report:
    """Every figure for ``municipalities`` (one, or the whole region) over ``period``."""
    totals, daily = read_counts(db, period, municipalities)

    def count(metric: str, item: str = "") -> int:
        return totals.get((metric, item), 0)

    channels = [(c, label, Figure(count(ev.STARTED, c)), Figure(count(ev.RESULTS, c)))
                for c, label in ev.CHANNELS.items()]
    weeks = []
    for monday in period.weeks():
        days = [(monday + dt.timedelta(days=i)).isoformat() for i in range(7)]
        weeks.append(Week(monday, Figure(sum(daily.get((d, ev.STARTED), 0) for d in days)),
                          Figure(sum(daily.get((d, ev.RESULTS), 0) for d in days))))
    results_total = sum(count(ev.RESULTS, c) for c in ev.CHANNELS)
    return Report(
        period, municipality, name, channels, weeks, _funnel(catalog, count), Figure(count(ev.SHOWN, ev.NOT_RESIDENT)),
        [Row(d, _domain_title(catalog, d), Figure(count(ev.TOPIC, d))) for d in DOMAINS],
        _products(catalog, totals), _routing(count, results_total),
        count(ev.AMOUNT) if results_total >= SUPPRESS_BELOW else None,
        [Row(c, label, Figure(count(ev.REFERRAL, c))) for c, label in ev.REFERRAL_CHANNELS.items()],
        _durations(read_durations(db, period, municipalities)),
        Figure(count(ev.SEARCH)), Figure(count(ev.SEARCH_EMPTY)))


def _domain_title(catalog: Catalog, domain: str) -> str:
    options = catalog.vocabulary[TOPICS_QUESTION].options if TOPICS_QUESTION in catalog.vocabulary else {}
    return options.get(domain, domain.capitalize())


def _funnel(catalog: Catalog, count) -> list[Stage]:
    """Started (topics chosen), each screen in the order of the check, check your answers, results."""
    stages = [Stage("start", "Onderwerpen gekozen (check begonnen)", Figure(count(ev.STARTED, "online")), None)]
    for step in sorted(catalog.steps, key=lambda s: s.order):
        shown = count(ev.SHOWN, step.id)
        stages.append(Stage(step.id, step.title, Figure(shown), difference(shown, count(ev.DONE, step.id))))
    shown = count(ev.SHOWN, ev.CHECK_PAGE)
    stages.append(Stage(ev.CHECK_PAGE, "Controleer uw antwoorden", Figure(shown),
                        difference(shown, count(ev.DONE, ev.CHECK_PAGE))))
    stages.append(Stage("uitkomst", "Uitkomst", Figure(count(ev.RESULTS, "online")), None))
    return stages


def _products(catalog: Catalog, totals) -> list[ProductRow]:
    """The products most often found eligible; those under 10 by title, so the order tells nothing either."""
    rows = [ProductRow(p.id, p.title, Figure(totals.get((ev.ELIGIBLE, p.id), 0)),
                       Figure(totals.get((ev.UNKNOWN, p.id), 0))) for p in catalog.sorted_products()]
    rows.sort(key=lambda r: (r.eligible.suppressed, -r.eligible.visible, r.label))
    return rows[:TOP_PRODUCTS]


def _routing(count, total: int) -> list[Share]:
    shares = []
    for outcome, label in ev.ROUTING.items():
        figure = Figure(count(ev.ROUTE, outcome))
        percent = round(100 * figure.n / total) if not figure.suppressed and total >= SUPPRESS_BELOW else None
        shares.append(Share(outcome, label, figure, percent))
    return shares


def _durations(hours: dict[str, list[float]]) -> list[Duration]:
    found = []
    for stage, label in STAGES.items():
        values = hours[stage]
        enough = len(values) >= SUPPRESS_BELOW
        found.append(Duration(stage, label, Figure(len(values)), percentile(values, 0.5) if enough else None,
                              percentile(values, 0.9) if enough else None))
    return found


# ---------------------------------------------------------------- exports

def export_rows(report: Report) -> list[dict[str, object]]:
    """Every figure of the report as (onderdeel, sleutel, omschrijving, waarde), suppressed like the page."""
    rows: list[dict[str, object]] = []

    def add(part: str, key: str, label: str, value: object) -> None:
        rows.append({"onderdeel": part, "sleutel": key, "omschrijving": label, "waarde": value})

    for channel, label, started_, results_ in report.channels:
        add("checks_begonnen", channel, label, started_.value)
        add("checks_uitkomst", channel, label, results_.value)
    for week in report.weeks:
        add("checks_per_week", week.monday.isoformat(), week.label, week.started.value)
    for stage in report.funnel:
        add("trechter_bereikt", stage.id, stage.label, stage.reached.value)
        if stage.stopped is not None:
            add("trechter_gestopt", stage.id, stage.label, stage.stopped.value)
    add("niet_in_gemeente", ev.NOT_RESIDENT, "Woont niet in de gemeente", report.not_resident.value)
    for row in report.topics:
        add("onderwerpen", row.id, row.label, row.figure.value)
    for product in report.products:
        add("product_past", product.id, product.label, product.eligible.value)
        add("product_onbekend", product.id, product.label, product.unknown.value)
    for share in report.routing:
        add("casemanager", share.id, share.label, share.figure.value)
    add("bedragen_per_jaar", "", "Indicatieve bedragen die pasten, per jaar in euro",
        SUPPRESSED if report.amount_cents is None else round(report.amount_cents / 100, 2))
    for row in report.referrals:
        add("aanmeldingen", row.id, row.label, row.figure.value)
    for duration in report.durations:
        add("doorlooptijd_aantal", duration.id, duration.label, duration.count.value)
        add("doorlooptijd_mediaan_uren", duration.id, duration.label,
            SUPPRESSED if duration.median_hours is None else round(duration.median_hours, 1))
        add("doorlooptijd_p90_uren", duration.id, duration.label,
            SUPPRESSED if duration.p90_hours is None else round(duration.p90_hours, 1))
    add("zoekvragen", "", "Zoekvragen", report.searches.value)
    add("zoekvragen_zonder_resultaat", "", "Zoekvragen zonder resultaat", report.searches_empty.value)
    return rows


def to_csv(report: Report) -> str:
    import csv
    import io

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["onderdeel", "sleutel", "omschrijving", "waarde"], lineterminator="\n")
    writer.writeheader()
    writer.writerows(export_rows(report))
    return out.getvalue()


def to_json(report: Report) -> dict[str, object]:
    return {"van": report.period.start.isoformat(), "tot": report.period.end.isoformat(),
            "gemeente": report.municipality or "regio", "naam": report.municipality_name,
            "onderdrukt_onder": SUPPRESS_BELOW, "cijfers": export_rows(report)}
