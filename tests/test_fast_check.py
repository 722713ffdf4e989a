"""The check API's fast lane (``web/fast_check.py``) answers exactly as the Litestar route would: the same
status, body and headers, the same steering counts, and every request it cannot answer goes on to the route
with its body intact."""

from __future__ import annotations

import json

import pytest
from litestar.testing import TestClient

import catalogus.web.app as web_app_module
from catalogus.web import fast_check
from tests.test_personas import HENK

VARYING_HEADERS = {"date"}
ROUTE_ONLY = (b"x-test-lane", b"route")


def _client(app):
    return TestClient(app, base_url="http://testserver.local")


class Recorder:
    """Stands in for the app's tally: what the check counted, in order."""

    def __init__(self) -> None:
        self.recorded: list[tuple] = []

    def record(self, day, municipality, events) -> None:
        self.recorded.append((day, municipality, tuple(events)))

    def pending(self):
        return {}

    def flush(self, db) -> int:
        return 0


@pytest.fixture
def lanes(web_settings, web_content, monkeypatch):
    """Two apps over the same content: ``fast`` as shipped, ``route`` with the fast lane switched off; and
    how many requests the fast lane answered itself."""
    from catalogus.web.app import create_app

    answered = []
    serve = fast_check.serve_fast_check

    async def counting_serve(*args, **kwargs):
        handed_on = await serve(*args, **kwargs)
        if handed_on is None:
            answered.append(True)
        return handed_on

    monkeypatch.setattr(web_app_module, "serve_fast_check", counting_serve)
    fast_app = create_app(web_settings, content=web_content)
    route_app = create_app(web_settings, content=web_content)
    fast_app.state.tally, route_app.state.tally = Recorder(), Recorder()
    real_wants = fast_check.wants_fast_check
    # The route's client marks its requests; for them the app behaves as if there were no fast lane.
    monkeypatch.setattr(web_app_module, "wants_fast_check",
                        lambda scope: real_wants(scope) and ROUTE_ONLY not in scope["headers"])
    with _client(fast_app) as fast, _client(route_app) as route:
        route.headers[ROUTE_ONLY[0].decode()] = ROUTE_ONLY[1].decode()
        yield fast, route, fast_app, route_app, answered


def _send(client, method="POST", content=None, json_body=None, headers=None):
    return client.request(method, "/api/v1/check", content=content, json=json_body, headers=headers)


def _same(fast_response, route_response) -> None:
    assert fast_response.status_code == route_response.status_code
    assert fast_response.content == route_response.content
    strip = lambda r: sorted((k, v) for k, v in r.headers.items() if k not in VARYING_HEADERS)  # noqa: E731
    assert strip(fast_response) == strip(route_response)


HALF = {"onderwerpen": ["geld"], "woont_in_gemeente": True, "leeftijd": 40, "netto_inkomen": 1400}

ANSWERED_IN_THE_LANE = {
    "half a household": {"answers": HALF},
    "a neighbour municipality": {"answers": HALF, "gemeente": "buurdorp"},
    "another date": {"answers": HALF, "date": "2027-02-01"},
    "nothing answered": {"answers": {}},
    "a complete household": {"answers": HENK},
}


@pytest.mark.parametrize("name", ANSWERED_IN_THE_LANE)
def test_the_lane_answers_a_good_request_exactly_as_the_route(lanes, name):
    fast, route, fast_app, route_app, answered = lanes
    body = ANSWERED_IN_THE_LANE[name]
    got, expected = _send(fast, json_body=body), _send(route, json_body=body)
    assert answered == [True], "the fast lane did not answer this request itself"
    assert got.status_code == 200
    _same(got, expected)
    assert fast_app.state.tally.recorded == route_app.state.tally.recorded != []


def test_a_complete_household_counts_its_results_in_the_lane_too(lanes):
    fast, route, fast_app, route_app, answered = lanes
    got = _send(fast, json_body={"answers": HENK})
    assert got.json()["next_question"] is None
    _send(route, json_body={"answers": HENK})
    (_, _, fast_events), = fast_app.state.tally.recorded
    (_, _, route_events), = route_app.state.tally.recorded
    assert fast_events == route_events and len(fast_events) > 1  # started, and the results and topics


HANDED_ON = {
    "not JSON": dict(content=b"{answers: ", headers={"content-type": "application/json"}),
    "an unknown question": dict(json_body={"answers": {"schoenmaat": 43}}),
    "a value of the wrong kind": dict(json_body={"answers": {"leeftijd": "veertig"}}),
    "an impossible value": dict(json_body={"answers": {"leeftijd": -3}}),
    "an unknown municipality": dict(json_body={"answers": {}, "gemeente": "atlantis"}),
    "a date without norms": dict(json_body={"answers": {}, "date": "1999-01-01"}),
    "a date that is no date": dict(json_body={"answers": {}, "date": "morgen"}),
    "an unknown field": dict(json_body={"answers": {}, "antwoorden": {}}),
    "too many answers": dict(json_body={"answers": {f"vraag_{n}": True for n in range(500)}}),
    "answers that are no object": dict(json_body={"answers": ["leeftijd"]}),
    "a body over the limit": dict(content=json.dumps({"answers": {"x": "y" * 300_000}}).encode(),
                                  headers={"content-type": "application/json"}),
    "an empty body": dict(content=b"", headers={"content-type": "application/json"}),
}


@pytest.mark.parametrize("name", HANDED_ON)
def test_a_request_the_lane_cannot_answer_goes_to_the_route_with_its_body(lanes, name):
    fast, route, fast_app, route_app, answered = lanes
    got, expected = _send(fast, **HANDED_ON[name]), _send(route, **HANDED_ON[name])
    assert answered == []
    assert 400 <= got.status_code < 500
    _same(got, expected)
    assert fast_app.state.tally.recorded == route_app.state.tally.recorded == []


def test_a_body_without_content_type_is_answered_as_the_route_answers_it(lanes):
    fast, route, *_ = lanes
    body = json.dumps({"answers": HALF}).encode()
    _same(_send(fast, content=body), _send(route, content=body))


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_other_methods_are_not_the_lanes(lanes, method):
    fast, route, _, _, answered = lanes
    got, expected = _send(fast, method=method), _send(route, method=method)
    assert answered == [] and got.status_code == 405
    _same(got, expected)


def test_the_openapi_document_still_describes_the_check(lanes):
    fast, *_ = lanes
    assert "/api/v1/check" in fast.get("/schema/openapi.json").json()["paths"]
