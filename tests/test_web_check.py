"""The check for residents, driven like a browser without JavaScript."""

from __future__ import annotations

import json
import re

import pytest

from catalogus.web.forms import parse_field
from tests.support.web import answers_in, forms, walk_check, wizard_form
from tests.test_personas import FATIMA, HENK, SANNE


def eligible_in(html: str, section: str) -> set[str]:
    match = re.search(rf'<section id="{section}".*?</section>', html, re.S)
    if match is None:
        return set()
    return set(re.findall(r'data-product="([^"]+)" data-status="eligible"', match.group(0)))


def all_eligible(html: str) -> set[str]:
    return set(re.findall(r'data-product="([^"]+)" data-status="eligible"', html))


@pytest.mark.parametrize("household, expected", [
    (FATIMA, {"voorbeeldpas", "kindpakket", "collectieve-zorgverzekering", "schuldhulpverlening",
              "opvoedondersteuning", "formulierenhulp", "sociaal-raadslieden", "thuisadministratie", "budgetcursus",
              "huurtoeslag", "zorgtoeslag", "kindgebonden-budget"}),
    (HENK, {"collectieve-zorgverzekering", "huishoudelijke-ondersteuning", "rolstoel", "scootmobiel", "regiotaxi",
            "gehandicaptenparkeerkaart", "formulierenhulp", "sociaal-raadslieden", "budgetcursus", "valpreventie",
            "boodschappendienst", "zorgtoeslag", "aow-aio"}),
    (SANNE, {"huurtoeslag", "zorgtoeslag"}),
], ids=["fatima", "henk", "sanne"])
def test_a_resident_answering_question_by_question_sees_what_fits(client, catalog, household, expected):
    walk = walk_check(client, household)
    html = walk.last.text
    assert walk.last.status_code == 200
    shown = all_eligible(html)
    relevant_expected = {p for p in expected if set(catalog.products[p].domains) & set(household["onderwerpen"])}
    assert relevant_expected <= shown
    assert shown <= expected  # the check never calls something eligible that the full answers do not
    for kind in ("collective", "provision", "referral"):
        in_group = eligible_in(html, f"groep-{kind}")
        assert all(catalog.products[p].kind == kind for p in in_group)
    assert eligible_in(html, "andere-regelingen").isdisjoint(relevant_expected)
    assert len(walk.asked) < len(catalog.vocabulary) - 1


def test_fatima_with_one_topic_answers_fewer_questions_than_the_whole_vocabulary(client, catalog):
    walk = walk_check(client, FATIMA, topics=["gezin"])
    assert len(walk.asked) < len(catalog.vocabulary) * 0.8
    assert "gezin" in answers_in(walk.last.text)["onderwerpen"]


def test_the_results_page_puts_the_urgent_box_first_and_offers_the_referral(client):
    token = wizard_form(client.get("/check").text).hidden()["_csrf_token"]
    answers = {"onderwerpen": ["veiligheid"], "onveilig_thuis": True}
    page = client.post("/check/uitkomst", data={"_csrf_token": token, "antwoorden": json.dumps(answers)})
    html = page.text
    assert html.index('id="urgent"') < html.index('id="casemanager"') < html.index('id="groep-collective"')
    assert 'href="tel:08002000"' in html
    assert "1 gezin, 1 plan, 1 regisseur" in html
    referral = next(f for f in forms(html) if f.attrs.get("id") == "antwoorden-form")
    assert referral.method == "post"
    assert any(b.get("formaction") == "/aanmelden" for b in referral.buttons)
    assert json.loads(referral.hidden()["antwoorden"]) == answers
    form_page = client.post("/aanmelden", data=referral.hidden())  # the referral form takes the answers over
    assert form_page.status_code == 200
    assert "onveilig" not in str(form_page.url)


def test_without_a_route_the_results_still_offer_to_talk_to_someone(client):
    walk = walk_check(client, FATIMA)
    html = walk.last.text
    assert 'id="casemanager"' not in html
    assert "Praat met iemand" in html and 'href="tel:140555"' in html


def test_an_open_product_says_which_question_decides_it_and_offers_to_answer_it(client, catalog):
    token = wizard_form(client.get("/check").text).hidden()["_csrf_token"]
    answers = {"onderwerpen": ["geld"], "netto_inkomen": 900}
    html = client.post("/check/uitkomst", data={"_csrf_token": token, "antwoorden": json.dumps(answers)}).text
    card = re.search(r'<li class="result-card result-card--unknown" data-product="voorbeeldpas".*?</li>', html, re.S)
    assert card is not None
    button = re.search(r'name="actie" value="vraag:([a-z_]+)"', card.group(0))
    question = catalog.vocabulary[button.group(1)]
    assert question.text in card.group(0)
    page = client.post("/check", data={"_csrf_token": token, "antwoorden": json.dumps(answers),
                                       "actie": f"vraag:{question.id}"})
    assert wizard_form(page.text).hidden()["vraag"] == question.id


def test_topics_come_first_and_then_one_question_per_page(client):
    first = client.get("/check")
    assert wizard_form(first.text).hidden()["vraag"] == "onderwerpen"
    assert first.text.count('type="checkbox" id="onderwerpen-') == 8
    form = wizard_form(first.text)
    page = client.post("/check", data={**form.hidden(), "onderwerpen": ["geld"]})
    form = wizard_form(page.text)
    assert len([i for i in form.inputs if i.get("type") in ("text", "radio", "checkbox")
                and i.get("name") != form.hidden()["vraag"]]) == 0
    assert re.search(r"nog ongeveer \d+ vragen", page.text)


def test_back_drops_the_last_answer_and_shows_that_question_filled_in(client):
    form = wizard_form(client.get("/check").text)
    page = client.post("/check", data={**form.hidden(), "onderwerpen": ["geld"]})
    form = wizard_form(page.text)
    question = form.hidden()["vraag"]
    value = {"leeftijd": "34", "netto_inkomen": "1.650"}.get(question, "ja")
    page = client.post("/check", data={**form.hidden(), question: value})
    back = next(f for f in forms(page.text) if any(b.get("value") == "terug" for b in f.buttons))
    page = client.post("/check", data={**back.hidden(), "actie": "terug"})
    again = wizard_form(page.text)
    assert again.hidden()["vraag"] == question
    assert question not in json.loads(again.hidden()["antwoorden"])
    assert f'value="{value}"' in page.text or "checked" in page.text


def test_check_your_answers_lists_every_answer_with_a_change_button(client):
    walk = walk_check(client, HENK)
    overview = walk.pages[-2].text
    assert "Controleer uw antwoorden" in overview
    answers = answers_in(overview)
    for question in answers:
        assert f'value="wijzig:{question}"' in overview
    assert "€ 1.480" in overview  # money shown the Dutch way
    form = next(f for f in forms(overview) if any(b.get("value", "").startswith("wijzig:") for b in f.buttons))
    page = client.post("/check", data={**form.hidden(), "actie": "wijzig:leeftijd"})
    change = wizard_form(page.text)
    assert change.hidden()["vraag"] == "leeftijd" and change.hidden()["wijzigen"] == "ja"
    assert 'value="78"' in page.text
    page = client.post("/check", data={**change.hidden(), "leeftijd": "80"})
    assert "Controleer uw antwoorden" in page.text
    assert answers_in(page.text)["leeftijd"] == 80


def test_changing_an_answer_forgets_answers_that_no_longer_matter(client):
    token = wizard_form(client.get("/check").text).hidden()["_csrf_token"]
    answers = {"onderwerpen": ["wonen"], "woonsituatie": "huurwoning", "huur": 780}
    page = client.post("/check", data={"_csrf_token": token, "antwoorden": json.dumps(answers),
                                       "vraag": "woonsituatie", "wijzigen": "ja", "woonsituatie": "koopwoning"})
    assert "huur" not in answers_in(page.text)


@pytest.mark.parametrize("typed, cents_text", [("1.234,56", "€ 1.234,56"), ("€ 1.234", "€ 1.234"),
                                               ("1234.56", "€ 1.234,56"), ("1234,5", "€ 1.234,50"),
                                               ("0", "€ 0")])
def test_money_is_read_the_dutch_way(client, typed, cents_text):
    token = wizard_form(client.get("/check").text).hidden()["_csrf_token"]
    page = client.post("/check", data={"_csrf_token": token, "antwoorden": json.dumps({"onderwerpen": ["geld"]}),
                                       "vraag": "netto_inkomen", "netto_inkomen": typed, "actie": "volgende"})
    assert page.status_code == 200
    page = client.post("/check", data={"_csrf_token": token, "antwoorden": json.dumps(answers_in(page.text)),
                                       "actie": "controleer"})
    assert cents_text in page.text


@pytest.mark.parametrize("question, typed, message", [
    ("onderwerpen", None, "Kies minstens één onderwerp."),
    ("netto_inkomen", "", "Vul een bedrag in."),
    ("netto_inkomen", "veel", "Vul een bedrag in"),
    ("netto_inkomen", "12,345", "hoogstens 2 cijfers achter de komma"),
    ("netto_inkomen", "9" * 200, "Dat bedrag is te hoog"),
    ("leeftijd", "121", "Vul een getal in van 0 tot en met 120."),
    ("leeftijd", "34 jaar", "Vul een heel getal in"),
    ("schulden", None, "Kies ja of nee."),
    ("leefsituatie", "getrouwd", "Kies het antwoord dat het best bij u past."),
])
def test_an_invalid_answer_shows_an_error_summary_and_a_message_at_the_field(client, question, typed, message):
    token = wizard_form(client.get("/check").text).hidden()["_csrf_token"]
    data = {"_csrf_token": token, "antwoorden": json.dumps({"onderwerpen": ["geld"]}), "vraag": question}
    if question == "onderwerpen":
        data["antwoorden"] = "{}"
    if typed is not None:
        data[question] = typed
    page = client.post("/check", data=data)
    assert page.status_code == 422
    html = page.text
    summary = re.search(r'<div class="error-summary" role="alert".*?</div>', html, re.S).group(0)
    assert message in summary
    target = re.search(r'href="#([^"]+)"', summary).group(1)
    assert f'id="{target}"' in html
    assert f'id="{question}-error"' in html and html.count(message) >= 2
    assert "<title>Fout: " in html
    if typed and question in ("leeftijd", "netto_inkomen"):
        assert f'value="{typed}"' in html  # what the resident typed stays in the field


def test_tampered_answers_are_a_friendly_400(client):
    token = wizard_form(client.get("/check").text).hidden()["_csrf_token"]
    for bad in ("{", '{"leeftijd": 500}', "[]", '{"onbekend": 1}'):
        page = client.post("/check", data={"_csrf_token": token, "antwoorden": bad, "actie": "controleer"})
        assert page.status_code == 400
        assert "Begin opnieuw met de check" in page.text


def test_an_unknown_question_in_an_action_is_400(client):
    token = wizard_form(client.get("/check").text).hidden()["_csrf_token"]
    page = client.post("/check", data={"_csrf_token": token, "antwoorden": "{}", "actie": "wijzig:bestaat_niet"})
    assert page.status_code == 400


def test_the_form_parser_reads_each_question_type(catalog):
    vocabulary = catalog.vocabulary
    assert parse_field(vocabulary["schulden"], {"schulden": "nee"})[:2] == (False, None)
    assert parse_field(vocabulary["leeftijd"], {"leeftijd": " 34 "})[:2] == (34, None)
    assert parse_field(vocabulary["netto_inkomen"], {"netto_inkomen": "€ 1.650,50"})[:2] == (1650.5, None)
    assert parse_field(vocabulary["moeite_met"], {"moeite_met": ["koken", "huishouden"]})[0] == ["huishouden", "koken"]
    value, error, _ = parse_field(vocabulary["moeite_met"], {"moeite_met": ["geen", "koken"]})
    assert value is None and "niet samen" in error.message
