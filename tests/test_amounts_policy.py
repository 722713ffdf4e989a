"""The worked examples of amounts.md, through the engine and through the JSON API."""

from __future__ import annotations

import datetime as dt

import pytest

from catalogus.check import Check
from tests.test_personas import FATIMA, HENK, SANNE

DATE = dt.date(2026, 11, 26)
OPEN_BIJSTAND = {"leeftijd": 30, "netto_inkomen": 0, "woont_in_gemeente": True, "vermogen": 0,
                 "situatie_werk": "werkzoekend"}

# name: (answers, date, {product: (cents or None, period, depends_on)}, total per year in cents, complete)
EXAMPLES = {
    "fatima": (FATIMA, DATE, {"voorbeeldpas": (52500, "jaar", ()), "kindpakket": (55000, "jaar", ()),
                              "collectieve-zorgverzekering": (2250, "maand", ()),
                              "bijstandsuitkering": (None, "maand", ())}, 134500, True),
    "henk": (HENK, DATE, {"collectieve-zorgverzekering": (2250, "maand", ()), "voorbeeldpas": (None, "jaar", ())},
             27000, True),
    "bijstand-open": (OPEN_BIJSTAND, DATE, {"bijstandsuitkering": (None, "maand", ("leefsituatie",))}, None, False),
    "sanne-2027": (SANNE, dt.date(2027, 2, 1), {"voorbeeldpas": (25000, "jaar", ()),
                                                "collectieve-zorgverzekering": (4800, "maand", ())}, 82600, True),
}


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_worked_examples_through_the_engine(catalog, name):
    answers, date, amounts, per_year, complete = EXAMPLES[name]
    result = Check(catalog, date).settle(answers)
    for pid, (cents, period, depends_on) in amounts.items():
        amount = result.result(pid).amount
        assert (amount.cents, amount.period, amount.depends_on) == (cents, period, depends_on), pid
    if per_year is not None:
        assert result.amounts_total.per_year == per_year
    assert result.amounts_total.complete is complete


def test_henk_gets_no_figure_of_ours_for_the_aio_of_the_svb(catalog):
    result = Check(catalog, DATE).settle(HENK)
    aio = result.result("aow-aio")
    assert aio.status == "eligible" and aio.amount is None
    assert aio.product.content.proefberekening.url.startswith("https://www.svb.nl/")
    assert result.amounts_total.products == ("collectieve-zorgverzekering",)


def test_fatima_is_told_how_the_pass_is_computed(catalog):
    result = Check(catalog, DATE).settle(FATIMA)
    text = result.amount_text(result.result("voorbeeldpas").amount)
    assert "Zo rekenen we: € 125 × 1 + € 200 × 2 = € 525." in text
    assert "U krijgt dus ongeveer € 525 per jaar" in text
    assert text.endswith("Team Inkomen beslist over het echte bedrag.")


def test_the_bijstand_sentence_of_the_policy(catalog):
    answers = {**OPEN_BIJSTAND, "leeftijd": 45, "leefsituatie": "alleenstaand", "netto_inkomen": 900}
    result = Check(catalog, DATE).settle(answers)
    assert result.texts([result.result("bijstandsuitkering").amount.reason]) == [
        "De bijstandsnorm voor u is € 1.401,50. Uw inkomen is € 900. U krijgt dus ongeveer € 501,50 per maand "
        "aanvulling."]


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_worked_examples_through_the_api(client, name):
    answers, date, amounts, per_year, complete = EXAMPLES[name]
    body = client.post("/api/v1/check", json={"answers": answers, "date": date.isoformat()}).json()
    by_id = {r["id"]: r for r in body["results"]}
    for pid, (cents, period, depends_on) in amounts.items():
        amount = by_id[pid]["amount"]
        assert amount["value"] == (None if cents is None else cents / 100)
        assert (amount["period"], amount["depends_on"]) == (period, list(depends_on))
    if per_year is not None:
        assert body["amounts_total"]["per_year"] == per_year / 100
    assert body["amounts_total"]["complete"] is complete
    assert all(by_id[pid]["amount"] is None for pid in ("aow-aio", "huurtoeslag", "schuldhulpverlening"))


def test_the_api_total_for_fatima_is_exactly_as_the_policy_writes_it(client):
    body = client.post("/api/v1/check", json={"answers": FATIMA, "date": "2026-11-26"}).json()
    assert body["amounts_total"] == {"per_year": 1345.0, "complete": True,
                                     "products": ["collectieve-zorgverzekering", "kindpakket", "voorbeeldpas"]}
    pas = next(r for r in body["results"] if r["id"] == "voorbeeldpas")["amount"]
    assert pas["value"] == 525 and pas["depends_on"] == [] and "€ 525 per jaar" in pas["text"]


def test_the_openapi_document_describes_amounts(client):
    schemas = client.get("/schema/openapi.json").json()["components"]["schemas"]
    assert {"value", "period", "depends_on", "text"} <= set(schemas["AmountOut"]["properties"])
    assert {"per_year", "products", "complete"} <= set(schemas["AmountsTotalOut"]["properties"])
    assert "amounts_total" in schemas["CheckResponse"]["properties"]
    assert "amount" in schemas["CheckResultItem"]["properties"]
