"""Random input never breaks the check: not the JSON API, the wizard, the KCC screen or the referral form.

Property tests (hypothesis) with random answer sets: known and unknown question ids, JSON
values of every type, huge and tiny numbers, NaN-ish strings, nested objects, long and
unicode strings, damaged hidden fields. The answer is always a page or a JSON error body
with a 200 or a 4xx, never a 5xx. (Damaged YAML: tests/test_loader_fuzz.py; the engine's
monotonicity: tests/test_monotonic.py.)
"""

from __future__ import annotations

import json
import os
import random

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from litestar.testing import TestClient

from catalogus.web.app import create_app
from tests.conftest import make_web_settings
from tests.support.households import household, partial
from tests.support.staff import ROUTED, add_staff, csrf_token, log_in

#: examples per property; longer: CATALOGUS_FUZZ_EXAMPLES=5000 .venv/bin/python -m pytest tests/test_fuzz_forms.py
EXAMPLES = int(os.environ.get("CATALOGUS_FUZZ_EXAMPLES", "100"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
PAGE_STATUSES = {200, 400, 422}

QUESTIONS = ["onderwerpen", "woont_in_gemeente", "leeftijd", "leefsituatie", "aantal_kinderen", "netto_inkomen",
             "vermogen", "laag_inkomen_3_jaar", "situatie_werk", "baan_verloren", "schulden", "bijzondere_kosten",
             "woonsituatie", "huur", "moeite_met", "beperking_langdurig", "loopafstand_onder_100m",
             "huisgenoot_kan_helpen", "mantelzorg_uren", "mantelzorg_zwaar", "zorgen_over_kind",
             "kind_beperking_school", "eenzaam", "psychische_klachten", "zelfstandig_wonen_lukt_niet",
             "onveilig_thuis", "juridische_vraag", "wil_persoonlijk_contact"]
OPTIONS = ["geld", "wonen", "zorg", "gezin", "werk", "mantelzorg", "contact", "veiligheid", "alleenstaand",
           "alleenstaande_ouder", "samenwonend", "werkend", "werkzoekend", "student", "huurwoning", "koopwoning",
           "geen_vaste_woonplek", "geen", "koken", "huishouden", "ja", "nee"]
NAN_ISH = ["NaN", "nan", "-nan", "Infinity", "-Infinity", "inf", "1e309", "-0", "0x10", "1_000", "١٢٣", "٣,٥", "²",
           "1.234,56", "€ 1.234", "€-5", "1,2,3", "1..2", "", " ", "\x00", "\u202e12", "null", "true", "[]", "{}"]

# ---------------------------------------------------------------- strategies

scalars = (st.none() | st.booleans() | st.integers() | st.integers(min_value=10**18, max_value=10**40)
           | st.floats(allow_nan=False, allow_infinity=False)
           | st.sampled_from([0.1, 1e-300, 1e300, -0.0, 0.005])
           | st.text(max_size=30) | st.sampled_from(NAN_ISH + OPTIONS) | st.text(min_size=2000, max_size=3000))
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12)
question_ids = (st.sampled_from(QUESTIONS) | st.text(max_size=40)
                | st.sampled_from(["__proto__", "LEEFTIJD", "leeftijdd"]))
answer_sets = st.dictionaries(question_ids, json_values | st.lists(st.sampled_from(OPTIONS), max_size=4),
                              max_size=12)
households = st.builds(lambda seed, whole: (lambda rng: household(rng) if whole else partial(rng, household(rng)))(
    random.Random(seed)), st.integers(0, 10**6), st.booleans())


def tampered(text: str, position: int, replacement: str) -> str:
    """A hidden field as an attacker (or a broken browser extension) sends it back."""
    if not text:
        return replacement
    index = position % len(text)
    return text[:index] + replacement + text[index + 1:]


hidden_answers = (
    households.map(json.dumps)
    | answer_sets.map(lambda a: json.dumps(a, ensure_ascii=False))
    | st.builds(tampered, households.map(json.dumps), st.integers(0, 10**6),
                st.sampled_from(['"', "{", "}", "]", ",", ":", "NaN", "1e999", "\\", "\x00", ""]))
    | st.text(max_size=200)
    | st.sampled_from(["", "null", "[]", "{}", '{"a":' * 50 + "1" + "}" * 50, "[" * 5000 + "]" * 5000,
                       '{"onderwerpen": ' + "[" * 3000 + "]" * 3000 + "}", "x" * 25000])
)
field_values = st.text(max_size=60) | st.sampled_from(NAN_ISH + OPTIONS) | st.lists(st.text(max_size=12), max_size=3)
actions = (st.sampled_from(["volgende", "terug", "controleer", "wijzig:", "vraag:", ""])
           | st.builds(lambda verb, qid: f"{verb}:{qid}", st.sampled_from(["wijzig", "vraag"]), question_ids)
           | st.text(max_size=30))
wizard_forms = st.fixed_dictionaries(
    {"antwoorden": hidden_answers},
    optional={"vraag": question_ids, "actie": actions, "wijzigen": st.sampled_from(["ja", "nee", ""]),
              **{qid: field_values for qid in [*QUESTIONS[:8], "huur", "moeite_met"]}},  # lists: ticked boxes
)


# ---------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def fuzz_settings(tmp_path_factory):
    return make_web_settings(tmp_path_factory.mktemp("fuzz-forms"), rate_limit_per_minute=1_000_000)


@pytest.fixture(scope="module")
def fuzz_client(fuzz_settings, web_content):
    with TestClient(create_app(fuzz_settings, content=web_content), raise_server_exceptions=False) as test_client:
        test_client.token = csrf_token(test_client)
        yield test_client


@pytest.fixture(scope="module")
def kcc_fuzz_client(fuzz_settings, web_content):
    add_staff(fuzz_settings, "kim", "kcc")
    with TestClient(create_app(fuzz_settings, content=web_content), raise_server_exceptions=False) as test_client:
        log_in(test_client, "kim")
        test_client.token = csrf_token(test_client)
        yield test_client


# ---------------------------------------------------------------- the JSON API

def assert_api_answer(response, sent: dict | None) -> None:
    assert response.status_code in (200, 400, 422), (response.status_code, response.text[:500])
    body = response.json()
    if response.status_code == 200:
        assert isinstance(body["results"], list) and body["results"]
        return
    assert body["status"] == response.status_code and body["errors"]
    for error in body["errors"]:
        assert isinstance(error["message"], str) and error["message"].strip()
        field = error["field"]
        assert field in ("body", "answers", "date") or field.startswith("answers."), error
        if field.startswith("answers.") and isinstance(sent, dict):
            sent_keys = [str(k) for k in sent.get("answers", {})]
            assert any(k.startswith(error["question"]) for k in sent_keys), (error, sent_keys)


@FUZZ
@given(answers=answer_sets, date=st.none() | st.dates().map(str) | st.text(max_size=12) | st.integers())
@example(answers={"leeftijd": 10**30, "netto_inkomen": "NaN", "onderwerpen": [["geld"]]}, date=None)
@example(answers={"vermogen": 1e300, "huur": -0.0, "moeite_met": ["geen", "koken"]}, date="0001-01-01")
def test_random_answer_sets_get_results_or_a_4xx_naming_the_field(fuzz_client, answers, date):
    body = {"answers": answers} if date is None else {"answers": answers, "date": date}
    assert_api_answer(fuzz_client.post("/api/v1/check", json=body), body)


@FUZZ
@given(household=households, question=st.sampled_from(QUESTIONS), value=json_values)
def test_one_odd_answer_among_good_ones_is_named_in_the_error(fuzz_client, household, question, value):
    body = {"answers": {**household, question: value}}
    response = fuzz_client.post("/api/v1/check", json=body)
    assert_api_answer(response, body)
    if response.status_code == 422:
        assert [e["question"] for e in response.json()["errors"]] == [question]


@FUZZ
@given(raw=st.sampled_from(['{"answers": {"netto_inkomen": NaN}}', '{"answers": {"leeftijd": Infinity}}',
                            '{"answers": {"leeftijd": 1e999}}', '{"answers": ', "", "\x00", "[]", "null",
                            '{"answers": {"leeftijd": ' + "[" * 100_000 + "]" * 100_000 + "}}",
                            '{"answers": {"x": ' + '{"a":' * 50_000 + "1" + "}" * 50_000 + "}}",
                            '{"answers": {}, "extra": 1}', '{"answers": {}, "date": "2026-02-30"}'])
       | st.binary(max_size=200).map(lambda b: b.decode("latin-1")))
def test_malformed_bodies_are_4xx_never_500(fuzz_client, raw):
    response = fuzz_client.post("/api/v1/check", content=raw.encode("utf-8", "surrogatepass"),
                                headers={"content-type": "application/json"})
    assert_api_answer(response, None)


def test_json_nested_deeper_than_the_decoder_goes_is_a_400_not_a_500(fuzz_client):
    deep = '{"answers": {"leeftijd": ' + "[" * 100_000 + "]" * 100_000 + "}}"
    response = fuzz_client.post("/api/v1/check", content=deep, headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "body", "message": "de JSON is te diep genest"}]
    for path in ("/check", "/check/uitkomst", "/aanmelden"):
        page = fuzz_client.post(path, data={"_csrf_token": fuzz_client.token, "antwoorden": "[" * 5000 + "]" * 5000})
        assert page.status_code == 400 and "Dit verzoek klopt niet" in page.text, path


def test_sixty_thousand_unknown_answers_are_refused_at_once(fuzz_client):
    response = fuzz_client.post("/api/v1/check", json={"answers": {f"vraag{i}": 1 for i in range(60_000)}})
    assert response.status_code == 422 and len(response.content) < 1000
    assert response.json()["errors"] == [{"field": "answers", "message": "te veel antwoorden: er zijn 28 vragen"}]


# ---------------------------------------------------------------- the wizard

@FUZZ
@given(data=wizard_forms, htmx=st.booleans())
def test_random_wizard_steps_are_a_page_or_a_4xx(fuzz_client, data, htmx):
    headers = {"HX-Request": "true", "HX-Target": "main"} if htmx else {}
    for path in ("/check", "/check/uitkomst"):
        response = fuzz_client.post(path, data={**data, "_csrf_token": fuzz_client.token},
                                    headers=headers)
        assert response.status_code in PAGE_STATUSES, (path, response.status_code, response.text[-800:])
        assert response.headers["content-type"].startswith("text/html")
        assert "no-store" in response.headers["cache-control"]


@FUZZ
@given(household=households)
def test_any_valid_household_in_the_hidden_field_gets_a_results_page(fuzz_client, household):
    response = fuzz_client.post("/check/uitkomst", data={"antwoorden": json.dumps(household),
                                                         "_csrf_token": fuzz_client.token})
    assert response.status_code == 200 and 'data-page="uitkomst"' in response.text


# ---------------------------------------------------------------- the KCC screen

kcc_forms = st.dictionaries(st.sampled_from(QUESTIONS), field_values, max_size=14).flatmap(
    lambda fields: st.fixed_dictionaries({}, optional={"antwoorden": hidden_answers, "toon": st.text(max_size=30),
                                                      "product": st.text(max_size=30)}).map(
        lambda extra: {**fields, **extra}))


@FUZZ
@given(data=kcc_forms)
def test_random_kcc_forms_are_a_page_or_a_4xx(kcc_fuzz_client, data):
    for path, headers in (("/kcc", {}), ("/kcc/uitkomst", {"hx-request": "true", "hx-target": "kcc-uitkomst"})):
        response = kcc_fuzz_client.post(path, data={**data, "_csrf_token": kcc_fuzz_client.token}, headers=headers)
        assert response.status_code in PAGE_STATUSES, (path, response.status_code, response.text[-800:])
        assert "no-store" in response.headers["cache-control"]


# ---------------------------------------------------------------- the referral form, login and search

referral_forms = st.fixed_dictionaries(
    {"antwoorden": st.just(json.dumps(ROUTED)) | hidden_answers},
    optional={"stap": st.sampled_from(["versturen", "", "x"]), "naam": field_values, "telefoon": field_values,
              "email": field_values, "contact_time": field_values, "toelichting": field_values | st.text(
                  min_size=1990, max_size=2100), "toestemming": st.sampled_from(["ja", "nee", "", "on"])})


@FUZZ
@given(data=referral_forms)
def test_random_referral_forms_are_a_page_or_a_4xx(fuzz_client, data):
    response = fuzz_client.post("/aanmelden", data={**data, "_csrf_token": fuzz_client.token})
    assert response.status_code in PAGE_STATUSES, (response.status_code, response.text[-800:])
    assert "no-store" in response.headers["cache-control"]


@settings(FUZZ, max_examples=max(15, EXAMPLES // 20))  # argon2 is slow on purpose
@given(username=st.text(max_size=300), password=st.text(max_size=300))
def test_random_logins_are_refused_with_a_page(fuzz_client, username, password):
    response = fuzz_client.post("/medewerkers/inloggen", data={"gebruikersnaam": username, "wachtwoord": password,
                                                               "_csrf_token": fuzz_client.token})
    assert response.status_code == 401, response.text[-500:]


@FUZZ
@given(q=st.text(max_size=300), onderwerp=st.text(max_size=20) | st.sampled_from(["geld", "zorg"]),
       soort=st.text(max_size=20), target=st.sampled_from([None, "zoekresultaten", "home-zoekresultaten",
                                                           "kcc-zoekresultaten", "main", "x"]))
def test_random_searches_are_a_page(fuzz_client, q, onderwerp, soort, target):
    headers = {"HX-Request": "true", "HX-Target": target} if target else {}
    response = fuzz_client.get("/zoeken", params={"q": q, "onderwerp": onderwerp, "soort": soort}, headers=headers)
    assert response.status_code == 200, response.text[-500:]
