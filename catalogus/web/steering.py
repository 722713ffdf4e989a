"""Sturingsinformatie for policy advisers (role ``beleid``): ``/medewerkers/stuurinformatie`` and its download.

The page is a GET form (period, municipality) and server-rendered SVG charts, each followed by its data
table; it works without JavaScript. The download gives the same figures as CSV or JSON, suppressed the
same way (``catalogus.steering.report``). ``count`` is how the other areas add to the counters.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Iterable

from litestar import Request, Response, get

from ..steering import report as steering
from ..steering.counters import Event
from .charts import bars, columns, hours_text
from .staff import STAFF_ERRORS, STEERING_PATH, database, requires, run, staff_session
from .templating import page

DOWNLOAD_PATH = STEERING_PATH + "/download"
DEFAULT_DAYS = 12 * 7
MAX_DAYS = 3 * 366
REGION = "regio"


def count(request: Any, day: dt.date, municipality: str, events: Iterable[Event]) -> None:
    """Add events to this process's steering counters (written to the database within seconds)."""
    request.app.state.tally.record(day, municipality, events)


# ---------------------------------------------------------------- the filter

def _date(raw: str | None, default: dt.date) -> dt.date | None:
    if not raw:
        return default
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        return None


def read_filter(request: Request, session: Any) -> tuple[steering.Period, str | None, list[str], list[dict]]:
    """(period, municipality or None for the region, the municipalities it covers, errors) from the query."""
    region = request.app.state.content.current.region
    today = request.app.state.content.today()
    errors = []
    start = _date(request.query_params.get("van"), today - dt.timedelta(days=DEFAULT_DAYS - 1))
    end = _date(request.query_params.get("tot"), today)
    if start is None:
        errors.append({"target": "van", "message": "Vul de begindatum in als dag, maand en jaar, zoals 1-11-2026."})
    if end is None:
        errors.append({"target": "tot", "message": "Vul de einddatum in als dag, maand en jaar, zoals 30-11-2026."})
    if start and end and start > end:
        errors.append({"target": "tot", "message": "De einddatum moet na de begindatum liggen."})
    elif start and end and (end - start).days >= MAX_DAYS:
        errors.append({"target": "van", "message": "Kies een periode van hoogstens 3 jaar."})
    if errors:
        start, end = today - dt.timedelta(days=DEFAULT_DAYS - 1), today
    own = session.user.municipality
    if own and region.municipality(own) is not None:  # an adviser of one municipality sees only that one
        return steering.Period(start, end), own, [own], errors
    chosen = request.query_params.get("gemeente") or REGION
    if region.single or chosen == REGION or region.municipality(chosen) is None:
        return steering.Period(start, end), None, region.ids, errors
    return steering.Period(start, end), chosen, [chosen], errors


async def _report(request: Request) -> tuple[steering.Report, list[dict], Any]:
    session = await staff_session(request)
    period, municipality, covered, errors = read_filter(request, session)
    region = request.app.state.content.current.region
    catalog = region.catalog(municipality) if municipality else region.default_catalog
    name = region.municipality(municipality).name if municipality else region.name
    found = await run(steering.build_report, database(request), catalog, period, covered, municipality, name)
    return found, errors, session


# ---------------------------------------------------------------- handlers

BELEID = {"guards": [requires("beleid")], "exception_handlers": STAFF_ERRORS}


@get(STEERING_PATH, name="steering", **BELEID)
async def steering_page(request: Request) -> Any:
    found, errors, session = await _report(request)
    region = request.app.state.content.current.region
    return page(request, "staff_stuurinformatie.html", {
        "session": session, "report": found, "errors": errors, "region": region,
        "field_errors": {e["target"]: e["message"] for e in reversed(errors)},
        "choose": not region.single and not (session.user.municipality
                                             and region.municipality(session.user.municipality)),
        "week_chart": columns([(w.label, w.started) for w in found.weeks]),
        "funnel_chart": bars([(s.label, s.reached) for s in found.funnel]),
        "product_chart": bars([(p.label, p.eligible) for p in found.products]),
        "routing_chart": bars([(s.label, s.figure) for s in found.routing]),
        "duration_chart": bars(items=[(f"{d.label}, {kind}", value, hours_text(value)) for d in found.durations
                                      for kind, value in (("de helft binnen", d.median_hours),
                                                          ("90% binnen", d.p90_hours))]),
        "hours_text": hours_text, "suppress_below": steering.SUPPRESS_BELOW,
        "query": {"van": found.period.start.isoformat(), "tot": found.period.end.isoformat(),
                  "gemeente": found.municipality or REGION},
    }, status=422 if errors else 200, no_store=True)


@get(DOWNLOAD_PATH, name="steering-download", **BELEID)
async def steering_download(request: Request) -> Response:
    """The page's figures as CSV (``formaat=csv``, the default) or JSON (``formaat=json``)."""
    found, _errors, _session = await _report(request)
    stem = f"stuurinformatie-{found.municipality or REGION}-{found.period.start}-{found.period.end}"
    if request.query_params.get("formaat") == "json":
        body, media, suffix = json.dumps(steering.to_json(found), ensure_ascii=False, indent=2), \
            "application/json", "json"
    else:
        body, media, suffix = steering.to_csv(found), "text/csv; charset=utf-8", "csv"
    return Response(body, media_type=media, headers={
        "content-disposition": f'attachment; filename="{stem}.{suffix}"', "cache-control": "no-store"})


ROUTES = [steering_page, steering_download]
