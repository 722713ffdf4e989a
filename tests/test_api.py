"""The JSON API (/api/v1) keeps the contract of shared/policy/api.md."""

from __future__ import annotations

import json

import pytest

from tests.test_personas import FATIMA, HENK, PERSONAS, SANNE

KIND_RANK = {"collective": 0, "provision": 1, "referral": 2}
STATUS_RANK = {"eligible": 0, "unknown": 1, "not_eligible": 2}


def check(client, answers, date=None):
    body = {"answers": answers} if date is None else {"answers": answers, "date": date}
    return client.post("/api/v1/check", json=body)


def statuses(response) -> dict[str, str]:
    return {r["id"]: r["status"] for r in response.json()["results"]}


@pytest.mark.parametrize("name", PERSONAS)
def test_every_worked_example_gives_exactly_the_expected_eligible_products(client, name):
    answers, date, eligible, route = PERSONAS[name]
    response = check(client, answers, date.isoformat())
    assert response.status_code == 200
    found = statuses(response)
    assert {pid for pid, status in found.items() if status == "eligible"} == eligible
    assert {status for pid, status in found.items() if pid not in eligible} == {"not_eligible"}
    body = response.json()
    assert body["case_manager"]["route"] is route
    assert body["next_question"] is None
    assert body["date"] == date.isoformat()


def test_sanne_gets_more_in_2027_than_in_2026(client):
    before = statuses(check(client, SANNE, "2026-11-26"))
    after = statuses(check(client, SANNE, "2027-02-01"))
    assert before["collectieve-zorgverzekering"] == "not_eligible"
    assert after["collectieve-zorgverzekering"] == "eligible"
    reasons = next(r for r in check(client, SANNE, "2026-11-26").json()["results"]
                   if r["id"] == "collectieve-zorgverzekering")["reasons"]
    assert any("€ 2.602,77" in reason for reason in reasons)


def test_without_a_date_the_check_uses_today(client):
    assert check(client, {}).json()["date"] == "2026-11-26"


@pytest.mark.parametrize("answers, product, status", [
    ({"bijzondere_kosten": False}, "bijzondere-bijstand", "not_eligible"),
    ({"netto_inkomen": 900}, "voorbeeldpas", "unknown"),
    ({"leeftijd": 40, "netto_inkomen": 5000}, "voorbeeldpas", "not_eligible"),
    ({"onveilig_thuis": True}, "veilig-thuis", "eligible"),
])
def test_partial_answers_decide_what_they_can(client, answers, product, status):
    assert statuses(check(client, answers))[product] == status


def test_an_unsafe_home_routes_urgently_to_a_case_manager_with_the_veilig_thuis_number(client):
    case_manager = check(client, {"onveilig_thuis": True}).json()["case_manager"]
    assert case_manager["route"] is True
    assert case_manager["urgent"] is True
    assert any(contact["phone"] == "0800-2000" for contact in case_manager["urgent_contacts"])


def test_an_open_result_names_the_questions_that_would_decide_it(client):
    result = next(r for r in check(client, {"netto_inkomen": 900}).json()["results"] if r["id"] == "voorbeeldpas")
    assert {"woont_in_gemeente", "vermogen"} <= set(result["deciding"])


def test_results_are_ordered_by_kind_then_status(client):
    for answers in ({}, FATIMA, HENK, {"netto_inkomen": 900, "onderwerpen": ["zorg"]}):
        results = check(client, answers).json()["results"]
        keys = [(KIND_RANK[r["kind"]], STATUS_RANK[r["status"]]) for r in results]
        assert keys == sorted(keys)
        assert len(results) == len(client.get("/api/v1/products").json()["products"])


def test_the_next_question_comes_with_what_a_channel_needs_to_ask_it(client):
    body = check(client, {"onderwerpen": ["geld"]}).json()
    question = body["next_question"]
    assert question["id"] != "onderwerpen"
    assert question["type"] in {"boolean", "integer", "money", "choice", "multi"}
    assert question["text"]
    if question["type"] == "integer":
        assert isinstance(question["min"], int) and isinstance(question["max"], int)
    assert body["progress"]["answered"] == 1
    assert body["progress"]["estimated_remaining"] >= 1


def test_a_choice_question_lists_its_options(client):
    answers = {"onderwerpen": ["geld"]}
    for _ in range(30):
        question = check(client, answers).json()["next_question"]
        if question["type"] == "choice":
            assert all(set(o) == {"value", "label"} for o in question["options"])
            return
        answers[question["id"]] = FATIMA[question["id"]]
    pytest.fail("no choice question was asked")


def test_next_question_is_null_once_nothing_relevant_is_open(client):
    answers = {"onderwerpen": ["veiligheid"]}
    for _ in range(40):
        body = check(client, answers).json()
        if body["next_question"] is None:
            break
        answers[body["next_question"]["id"]] = FATIMA[body["next_question"]["id"]]
    assert body["next_question"] is None
    assert body["progress"]["estimated_remaining"] == 0
    assert len(answers) < 28


# ---------------------------------------------------------------- bad input

@pytest.mark.parametrize("answers, question", [
    ({"leeftijd": 121}, "leeftijd"),
    ({"leeftijd": -1}, "leeftijd"),
    ({"leeftijd": "veertig"}, "leeftijd"),
    ({"leeftijd": 40.5}, "leeftijd"),
    ({"netto_inkomen": 1650.123}, "netto_inkomen"),
    ({"netto_inkomen": "1650"}, "netto_inkomen"),
    ({"netto_inkomen": -5}, "netto_inkomen"),
    ({"netto_inkomen": 1.7458834252059939e+109}, "netto_inkomen"),
    ({"schulden": "ja"}, "schulden"),
    ({"leefsituatie": "getrouwd"}, "leefsituatie"),
    ({"moeite_met": ["geen", "koken"]}, "moeite_met"),
    ({"leeftijdd": 40}, "leeftijdd"),
])
def test_invalid_answers_are_422_naming_the_question(client, answers, question):
    response = check(client, answers)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [e["question"] for e in errors] == [question]
    assert errors[0]["message"]


def test_every_invalid_answer_is_reported_at_once(client):
    errors = check(client, {"leeftijd": 121, "schulden": "ja"}).json()["errors"]
    assert {e["question"] for e in errors} == {"leeftijd", "schulden"}


def test_a_misspelt_question_gets_a_suggestion(client):
    errors = check(client, {"leeftijdd": 40}).json()["errors"]
    assert "leeftijd" in errors[0]["message"]


@pytest.mark.parametrize("raw, field", [
    ('{"answers": {}, "date": "2025-12-31"}', "date"),
    ('{"answers": {}, "date": "morgen"}', "date"),
    ('{"answers": {}, "date": "2026-02-30"}', "date"),
    ('{"answers": {}, "date": 20261126}', "date"),
    ('{"answers": [1, 2]}', "answers"),
    ('{"answers": "leeftijd=40"}', "answers"),
    ('{"antwoorden": {}}', "body"),
    ('[]', "body"),
    ('"answers"', "body"),
    ('{"answers": {', "body"),
    ('', "body"),
    ('{"answers": {"leeftijd": NaN}}', "body"),
])
def test_malformed_requests_are_4xx_naming_the_field_never_500(client, raw, field):
    response = client.post("/api/v1/check", content=raw, headers={"content-type": "application/json"})
    assert 400 <= response.status_code < 500
    body = response.json()
    assert body["status"] == response.status_code
    assert [e["field"] for e in body["errors"]] == [field]


def test_the_check_is_never_cached(client):
    assert "no-store" in check(client, {}).headers["cache-control"]


# ---------------------------------------------------------------- products

def test_the_product_list_has_the_contract_fields(client):
    products = client.get("/api/v1/products").json()["products"]
    assert len(products) >= 40
    for product in products:
        assert set(product) >= {"id", "title", "kind", "domains", "summary", "url"}
        assert product["url"].endswith(f"/producten/{product['id']}")


@pytest.mark.parametrize("query, check_product", [
    ("kind=collective", lambda p: p["kind"] == "collective"),
    ("domain=zorg", lambda p: "zorg" in p["domains"]),
    ("kind=referral&domain=geld", lambda p: p["kind"] == "referral" and "geld" in p["domains"]),
])
def test_product_list_filters(client, query, check_product):
    products = client.get(f"/api/v1/products?{query}").json()["products"]
    assert products
    assert all(check_product(p) for p in products)


@pytest.mark.parametrize("query, field", [("kind=voorziening", "kind"), ("domain=sport", "domain")])
def test_an_unknown_filter_value_is_422(client, query, field):
    response = client.get(f"/api/v1/products?{query}")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field


def test_one_product_has_all_its_content_and_its_rule_as_data(client):
    product = client.get("/api/v1/products/bijzondere-bijstand").json()
    assert product["upl"] == {"name": "bijzonderebijstandsuitkering",
                              "uri": "http://standaarden.overheid.nl/owms/terms/bijzBijstUitk"}
    assert product["legal_basis"]["law"] == "Participatiewet"
    assert product["legal_basis"]["url"].startswith("https://wetten.overheid.nl/")
    assert product["how_to_apply"]["steps"]
    assert product["costs"]
    assert product["contact"]["phone"] == "14 0555"
    assert {"vraag": "bijzondere_kosten", "=": True} in product["eligibility"]["alle"]


def test_an_unknown_product_is_a_json_404(client):
    response = client.get("/api/v1/products/bestaat-niet")
    assert response.status_code == 404
    assert response.json()["errors"][0]["field"] == "product_id"


def test_an_unknown_api_address_is_a_json_404(client):
    response = client.get("/api/v1/onbekend")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/json")


def test_the_openapi_document_describes_the_three_operations(client):
    document = client.get("/schema/openapi.json").json()
    paths = document["paths"]
    assert {"/api/v1/products", "/api/v1/products/{product_id}", "/api/v1/check"} <= set(paths)
    check_op = paths["/api/v1/check"]["post"]
    assert set(check_op["responses"]) >= {"200", "400", "422"}
    schemas = document["components"]["schemas"]
    assert {"answers", "date"} <= set(schemas["CheckRequest"]["properties"])
    assert set(schemas["CheckResponse"]["required"]) >= {"date", "results", "case_manager", "next_question",
                                                        "progress"}
    assert not any(path.startswith(("/check", "/producten")) for path in paths)


def test_api_responses_do_not_set_cookies(client):
    response = check(client, FATIMA)
    assert "set-cookie" not in response.headers
    assert json.dumps(FATIMA["onderwerpen"]) not in response.headers.get("location", "")


def test_product_links_come_from_the_public_url_not_from_the_host_header(client):
    for response in (client.get("/api/v1/products", headers={"host": "phishing.example"}),
                     client.get("/api/v1/search", params={"q": "huur"}, headers={"host": "phishing.example"})):
        urls = [item["url"] for item in response.json().get("products", response.json().get("results", []))]
        assert urls and all(url.startswith("https://www.voorbeeldstad.nl/producten/") for url in urls), urls
    checked = client.post("/api/v1/check", json={"answers": {}}, headers={"host": "phishing.example"}).json()
    assert all(r["url"].startswith("https://www.voorbeeldstad.nl/") for r in checked["results"])
