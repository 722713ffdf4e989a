"""Nothing assumes three municipalities: a region of twenty loads, stays small, and each municipality answers
for itself on its pages and in the API. (Load time and memory per worker are measured in
bench/bench_region.py and recorded in docs/performance.md.)"""

from __future__ import annotations

import datetime as dt
import tracemalloc
from decimal import Decimal

import pytest
from litestar.testing import TestClient

from catalogus.region import load_region
from catalogus.web.app import create_app
from tests.conftest import make_web_settings
from tests.support.big_region import SHIPPED, generated_id, make_region, minima_factor

TODAY = dt.date(2026, 11, 26)
NORM_SINGLE = Decimal("1401.50")  # bijstandsnorm alleenstaand, 21 to AOW age, 2026


@pytest.fixture(scope="module")
def twenty(tmp_path_factory):
    return make_region(tmp_path_factory.mktemp("regio20"), 20)


def _allocated(root) -> tuple[int, object]:
    tracemalloc.start()
    try:
        region, diagnostics = load_region(root, today=TODAY)
        size, _peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [d for d in diagnostics if d.is_error] == []
    return size, region


def test_twenty_municipalities_load_and_each_costs_no_more_than_a_share_of_three(twenty, tmp_path):
    three_root = make_region(tmp_path / "regio3", 3)
    load_region(three_root, today=TODAY)  # module-level caches fill once, before anything is measured
    three_size, three = _allocated(three_root)
    twenty_size, region = _allocated(twenty)
    assert len(three.ids) == 3 and len(region.ids) == 20
    assert region.ids[:3] == list(SHIPPED)
    # The base is compiled per municipality; what grows is linear: each extra municipality costs no more than
    # one of the three costs on average (with room for the dictionaries that grow in steps).
    assert (twenty_size - three_size) / 17 <= 1.25 * three_size / 3


def test_each_of_twenty_answers_for_itself_on_its_pages_and_in_the_api(twenty, tmp_path):
    settings = make_web_settings(tmp_path / "data", content_dir=twenty, today=TODAY.isoformat())
    with TestClient(create_app(settings)) as client:
        listed = client.get("/api/v1/gemeenten").json()["gemeenten"]
        assert len(listed) == 20 and [m["default"] for m in listed].count(True) == 1
        for number in (1, 9, 17):
            municipality = generated_id(number)
            name = f"Meerdorp {number:02d}"
            limit = (minima_factor(number) * NORM_SINGLE).quantize(Decimal("0.01"))
            home = client.get(f"/{municipality}/")
            assert home.status_code == 200 and name in home.text
            for income, expected in ((limit, "eligible"), (limit + Decimal("0.01"), "not_eligible")):
                body = client.post("/api/v1/check", json={"gemeente": municipality, "date": TODAY.isoformat(),
                                                          "answers": {"woont_in_gemeente": True, "leeftijd": 40,
                                                                      "leefsituatie": "alleenstaand",
                                                                      "netto_inkomen": float(income)}}).json()
                statuses = {r["id"]: r["status"] for r in body["results"]}
                assert statuses["collectieve-zorgverzekering"] == expected, (municipality, income)
                assert "voorbeeldpas" not in statuses and "boodschappendienst" not in statuses  # as Kleinmeer
