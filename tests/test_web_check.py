"""The check for residents, driven like a browser without JavaScript: screens of questions, Back, results."""

from __future__ import annotations

import json
import re

import pytest

from catalogus.web.forms import parse_field
from tests.support.web import answers_in, forms, screen_of, walk_check, wizard_form
from tests.test_personas import FATIMA, HENK, SANNE


def eligible_in(html: str, section: str) -> set[str]:
    match = re.search(rf'<(section|details)[^>]* id="{section}".*?</\1>', html, re.S)
    if match is None:
        return set()
    return set(re.findall(r'data-product="([^"]+)" data-status="eligible"', match.group(0)))


def all_eligible(html: str) -> set[str]:
    return set(re.findall(r'data-product="([^"]+)" data-status="eligible"', html))


def token_of(client) -> str:
    return wizard_form(client.get("/check").text).hidden()["_csrf_token"]


def submit(client, screen: str, questions: list[str], answers: dict, **fields):
    """Send one screen with the given carried answers (as the page's hidden fields would)."""
    data = {"_csrf_token": token_of(client), "antwoorden": json.dumps(answers), "geschiedenis": "",
            "scherm": screen, "vragen": ",".join(questions), **fields}
    return client.post("/check", data=data, follow_redirects=True)


@pytest.mark.parametrize("household, expected", [
    (FATIMA, {"voorbeeldpas", "kindpakket", "collectieve-zorgverzekering", "schuldhulpverlening",
              "opvoedondersteuning", "formulierenhulp", "sociaal-raadslieden", "thuisadministratie", "budgetcursus",
              "huurtoeslag", "zorgtoeslag", "kindgebonden-budget"}),
    (HENK, {"collectieve-zorgverzekering", "huishoudelijke-ondersteuning", "rolstoel", "scootmobiel", "regiotaxi",
            "gehandicaptenparkeerkaart", "formulierenhulp", "sociaal-raadslieden", "budgetcursus", "valpreventie",
            "boodschappendienst", "zorgtoeslag", "aow-aio"}),
    (SANNE, {"huurtoeslag", "zorgtoeslag"}),
], ids=["fatima", "henk", "sanne"])
def test_a_resident_answering_screen_by_screen_sees_what_fits(client, catalog, household, expected):
    walk = walk_check(client, household)
    html = walk.last.text
    assert walk.last.status_code == 200
    shown = all_eligible(html)
    relevant_expected = {p for p in expected if set(catalog.products[p].domains) & set(household["onderwerpen"])}
    assert relevant_expected <= shown
    assert shown <= expected  # the check never calls something eligible that the full answers do not
    assert eligible_in(html, "andere-regelingen") == set()  # nothing that fits is ever behind a closed section
    assert len(walk.asked) < len(catalog.vocabulary) - 1
    assert len(walk.screens) < len(walk.asked)  # screens, not a page per question


def test_the_start_here_list_holds_the_chosen_topics_and_every_other_fit_is_visible(client, catalog):
    walk = walk_check(client, HENK)  # a pensioner who chose only "Zorg"
    html = walk.last.text
    start = eligible_in(html, "begin-hier")
    assert start and all("zorg" in catalog.products[p].domains for p in start) and len(start) <= 4
    also = eligible_in(html, "ook")
    assert {"aow-aio", "boodschappendienst"} <= also | start  # AIO is outside "Zorg" but not hidden
    assert html.index('id="begin-hier"') < html.index('id="ook"')
    kinds = re.findall(r'<h3 class="utrecht-heading-3 result-group__kind">([^<]+)</h3>',
                       re.search(r'id="ook".*?</section>', html, re.S).group(0))
    assert kinds[0] == "Voorzieningen voor iedereen"  # collective services first


def test_collective_services_never_show_an_application_link(client):
    walk = walk_check(client, HENK)
    for card in re.findall(r'<li class="result-card result-card--eligible result-card--collective".*?</li>',
                           walk.last.text, re.S):
        assert "Online aanvragen" not in card and "u hoeft niets aan te vragen" in card


def test_fatima_with_one_topic_answers_fewer_questions_than_the_whole_vocabulary(client, catalog):
    walk = walk_check(client, FATIMA, topics=["gezin"])
    assert len(walk.asked) < len(catalog.vocabulary) * 0.8
    assert "gezin" in answers_in(walk.last.text)["onderwerpen"]


def test_the_results_page_puts_the_urgent_box_first_and_offers_the_referral(client):
    answers = {"onderwerpen": ["veiligheid"], "onveilig_thuis": True}
    page = client.post("/check/uitkomst", data={"_csrf_token": token_of(client), "antwoorden": json.dumps(answers)})
    html = page.text
    assert html.index('id="urgent"') < html.index('id="casemanager"') < html.index('id="begin-hier"')
    assert 'href="tel:08002000"' in html
    assert "1 gezin, 1 plan, 1 regisseur" in html
    referral = next(f for f in forms(html) if f.attrs.get("id") == "antwoorden-form")
    assert referral.method == "post"
    assert json.loads(referral.hidden()["antwoorden"]) == answers
    assert 'formaction="/aanmelden"' in html
    form_page = client.post("/aanmelden", data=referral.hidden())  # the referral form takes the answers over
    assert form_page.status_code == 200
    assert "onveilig" not in str(form_page.url)


def test_without_a_route_the_results_still_offer_to_talk_to_someone(client):
    walk = walk_check(client, FATIMA)
    html = walk.last.text
    assert 'id="casemanager"' not in html
    assert "Praat met iemand" in html and 'href="tel:140555"' in html


def test_an_open_product_says_which_question_decides_it_and_offers_to_answer_it(client, catalog):
    answers = {"onderwerpen": ["geld"], "netto_inkomen": 900}
    client.post("/check/uitkomst", data={"_csrf_token": token_of(client), "antwoorden": json.dumps(answers)})
    html = client.get("/check/uitkomst").text  # the same results again, from this browser's state
    card = re.search(r'<li class="result-card result-card--unknown[^"]*" data-product="voorbeeldpas".*?</li>', html,
                     re.S)
    assert card is not None
    link = re.search(r'href="/check/wijzig/([a-z_]+)"', card.group(0))
    question = catalog.vocabulary[link.group(1)]
    assert question.text in card.group(0)
    page = client.get(f"/check/wijzig/{question.id}")
    assert question.id in wizard_form(page.text).hidden()["vragen"].split(",")


def test_topics_come_first_and_then_a_screen_of_questions_that_belong_together(client):
    first = client.get("/check")
    assert screen_of(first.text) == "onderwerpen"
    assert first.text.count('type="checkbox" id="onderwerpen-') == 8
    form = wizard_form(first.text)
    moved = client.post("/check", data={**form.hidden(), "onderwerpen": ["geld"]}, follow_redirects=False)
    assert moved.status_code == 303 and moved.headers["location"] == "/check/stap/woonplaats"
    page = client.get(moved.headers["location"])
    form = wizard_form(page.text)
    assert form.hidden()["vragen"] == "woont_in_gemeente"  # what can end the check comes first
    page = client.post("/check", data={**form.hidden(), "woont_in_gemeente": "ja"})
    form = wizard_form(page.text)
    assert len(form.hidden()["vragen"].split(",")) > 1  # then a screen with a few questions
    assert re.search(r"Stap 2 van ongeveer \d+", page.text)


def test_back_and_reload_keep_the_answers(client):
    form = wizard_form(client.get("/check").text)
    client.post("/check", data={**form.hidden(), "onderwerpen": ["geld"]})
    residence = client.get("/check/stap/woonplaats")
    next_page = client.post("/check", data={**wizard_form(residence.text).hidden(), "woont_in_gemeente": "ja"})
    assert 'href="/check/stap/woonplaats"' in next_page.text  # the page's own back link
    again = client.get("/check/stap/woonplaats")  # the browser's Back: a GET, rebuilt from this browser's state
    assert again.status_code == 200 and 'id="woont_in_gemeente-ja" name="woont_in_gemeente" value="ja" checked' in again.text
    reloaded = client.get(str(next_page.url))
    assert reloaded.status_code == 200 and wizard_form(reloaded.text).hidden()["scherm"] == \
        wizard_form(next_page.text).hidden()["scherm"]
    assert answers_in(reloaded.text)["woont_in_gemeente"] is True


def test_the_answers_travel_with_the_resident_encrypted_never_in_a_url(client):
    form = wizard_form(client.get("/check").text)
    moved = client.post("/check", data={**form.hidden(), "onderwerpen": ["geld"]}, follow_redirects=False)
    cookie = moved.headers["set-cookie"]
    assert cookie.startswith("catalogus-check=") and "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
    assert "geld" not in cookie and "expires" not in cookie.lower() and "max-age" not in cookie.lower()
    assert "geld" not in moved.headers["location"]
    assert moved.headers["cache-control"] == "no-store"


def test_a_non_resident_is_told_at_once_where_to_go_and_what_help_does_not_depend_on_it(client):
    walk = walk_check(client, {**FATIMA, "woont_in_gemeente": False, "onderwerpen": ["geld"]})
    assert walk.screens == ["woonplaats"]  # no questions that only matter for municipal products
    html = walk.last.text
    assert screen_of(html) == "niet-in-gemeente" and "gemeente waar u woont" in html
    shown = re.findall(r'data-product="([^"]+)"', html)
    assert shown and "voorbeeldpas" not in shown and "bijstandsuitkering" not in shown


def test_the_safety_path_asks_safety_first_shows_urgent_help_at_once_and_offers_a_quick_exit(client):
    form = wizard_form(client.get("/check").text)
    page = client.post("/check", data={**form.hidden(), "onderwerpen": ["veiligheid"]})
    form = wizard_form(page.text)
    assert form.hidden()["vragen"] == "onveilig_thuis" and 'data-quick-exit' in page.text
    page = client.post("/check", data={**form.hidden(), "onveilig_thuis": "ja"})
    assert page.text.index('id="urgent"') < page.text.index('class="wizard__form"')
    assert 'href="tel:08002000"' in page.text and 'data-quick-exit' in page.text
    exit_ = client.get("/check/weg", follow_redirects=False)
    assert exit_.status_code == 303 and exit_.headers["location"].startswith("https://")
    assert 'catalogus-check=""' in exit_.headers["set-cookie"] or "max-age=0" in exit_.headers["set-cookie"].lower()


def test_check_your_answers_lists_every_answer_with_a_change_link(client):
    walk = walk_check(client, HENK)
    overview = walk.pages[-2].text
    assert "Controleer uw antwoorden" in overview
    for question in answers_in(overview):
        assert f'href="/check/wijzig/{question}"' in overview
    assert "€ 1.480" in overview  # money shown the Dutch way
    change = client.get("/check/wijzig/leeftijd")
    form = wizard_form(change.text)
    assert "leeftijd" in form.hidden()["vragen"].split(",") and form.hidden()["modus"] == "wijzig"
    assert 'value="78"' in change.text
    fields = {q: str(HENK[q]) for q in form.hidden()["vragen"].split(",") if q != "leeftijd"}
    page = client.post("/check", data={**form.hidden(), **fields, "leeftijd": "80",
                                       "leefsituatie": HENK["leefsituatie"]})
    assert "Controleer uw antwoorden" in page.text
    assert answers_in(page.text)["leeftijd"] == 80


def test_changing_an_answer_forgets_answers_that_no_longer_matter(client):
    answers = {"onderwerpen": ["wonen"], "woonsituatie": "huurwoning", "huur": 780}
    page = submit(client, "huishouden", ["woonsituatie"], answers, woonsituatie="koopwoning", modus="wijzig")
    assert "huur" not in answers_in(page.text)


@pytest.mark.parametrize("typed, cents_text", [("1.234,56", "€ 1.234,56"), ("€ 1.234", "€ 1.234"),
                                               ("1234.56", "€ 1.234,56"), ("1234,5", "€ 1.234,50"),
                                               ("0", "€ 0")])
def test_money_is_read_the_dutch_way(client, typed, cents_text):
    page = submit(client, "werk_en_inkomen", ["netto_inkomen"], {"onderwerpen": ["geld"]}, netto_inkomen=typed)
    assert page.status_code == 200
    overview = client.get("/check/controleer")
    assert cents_text in overview.text


@pytest.mark.parametrize("question, screen, typed, message", [
    ("onderwerpen", "onderwerpen", None, "Kies minstens één onderwerp."),
    ("netto_inkomen", "werk_en_inkomen", "", "Vul een bedrag in."),
    ("netto_inkomen", "werk_en_inkomen", "veel", "Vul een bedrag in"),
    ("netto_inkomen", "werk_en_inkomen", "12,345", "hoogstens 2 cijfers achter de komma"),
    ("netto_inkomen", "werk_en_inkomen", "9" * 200, "Dat bedrag is te hoog"),
    ("leeftijd", "huishouden", "121", "Vul een getal in van 0 tot en met 120."),
    ("leeftijd", "huishouden", "34 jaar", "Vul een heel getal in"),
    ("woont_in_gemeente", "woonplaats", None, "Kies ja of nee."),
    ("leefsituatie", "huishouden", "getrouwd", "Kies het antwoord dat het best bij u past."),
])
def test_an_invalid_answer_shows_an_error_summary_and_a_message_at_the_field(client, question, screen, typed, message):
    answers = {} if question == "onderwerpen" else {"onderwerpen": ["geld"]}
    fields = {question: typed} if typed is not None else {}
    page = submit(client, screen, [question] if screen != "onderwerpen" else [], answers, **fields)
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


def test_a_list_to_tick_needs_a_tick_or_none_of_these_and_answers_every_statement(client, catalog):
    answers = {"onderwerpen": ["geld"], "woont_in_gemeente": True}
    nothing = submit(client, "herkennen", ["schulden", "eenzaam"], answers)
    assert nothing.status_code == 422 and "Geen van deze" in nothing.text
    both = submit(client, "herkennen", ["schulden", "eenzaam"], answers, aangevinkt=["schulden", "geen_van_deze"])
    assert both.status_code == 422 and "niet samen" in both.text
    submit(client, "herkennen", ["schulden", "eenzaam"], answers, aangevinkt=["schulden"])
    stored = answers_in(client.get("/check/controleer").text)
    assert stored["schulden"] is True and stored["eenzaam"] is False


def test_tampered_answers_are_a_friendly_400(client):
    token = token_of(client)
    for bad in ("{", '{"leeftijd": 500}', "[]", '{"onbekend": 1}'):
        page = client.post("/check", data={"_csrf_token": token, "antwoorden": bad, "actie": "controleer"})
        assert page.status_code == 400
        assert "Begin opnieuw met de check" in page.text


def test_an_unknown_question_or_step_is_a_friendly_404(client):
    assert client.get("/check/wijzig/bestaat_niet").status_code == 404
    assert client.get("/check/stap/bestaat_niet").status_code == 404
    page = submit(client, "huishouden", ["schulden"], {})
    assert page.status_code == 400  # a question that is not on that screen


def test_the_form_parser_reads_each_question_type(catalog):
    vocabulary = catalog.vocabulary
    assert parse_field(vocabulary["schulden"], {"schulden": "nee"})[:2] == (False, None)
    assert parse_field(vocabulary["leeftijd"], {"leeftijd": " 34 "})[:2] == (34, None)
    assert parse_field(vocabulary["netto_inkomen"], {"netto_inkomen": "€ 1.650,50"})[:2] == (1650.5, None)
    assert parse_field(vocabulary["moeite_met"], {"moeite_met": ["koken", "huishouden"]})[0] == ["huishouden", "koken"]
    value, error, _ = parse_field(vocabulary["moeite_met"], {"moeite_met": ["geen", "koken"]})
    assert value is None and "niet samen" in error.message


# ---------------------------------------------------------------- follow-up questions

ZORG = {"onderwerpen": ["zorg"], "woont_in_gemeente": True}
ZORG_FOLLOW_UPS = ["beperking_langdurig", "loopafstand_onder_100m", "huisgenoot_kan_helpen"]


def zorg_screen(client):
    page = submit(client, "woonplaats", ["woont_in_gemeente"], {"onderwerpen": ["zorg"]}, woont_in_gemeente="ja")
    assert 'data-step="zorg"' in page.text, page.text[:3000]
    return page, wizard_form(page.text)


def follow_ups_shown(client, form, **answers) -> list[str]:
    response = client.post("/check/vervolgvragen", data={**form.hidden(), **answers})
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    return response.json()["toon"]


def test_follow_up_questions_are_carried_hidden_and_shown_only_when_they_can_still_matter(client):
    page, form = zorg_screen(client)
    assert form.hidden()["vervolgvragen"].split(",") == ZORG_FOLLOW_UPS
    for qid in ZORG_FOLLOW_UPS:  # hidden until the answer above makes them matter, and not marked as shown
        assert re.search(rf'data-question="{qid}" data-vervolg hidden', page.text)
    assert "getoond" not in form.hidden()
    assert follow_ups_shown(client, form, moeite_met="geen") == []
    # Outside the house only: whether someone at home can help decides nothing, so it is not asked.
    assert follow_ups_shown(client, form, moeite_met="verplaatsen_buiten") == ZORG_FOLLOW_UPS[:2]
    assert follow_ups_shown(client, form, moeite_met="huishouden") == ZORG_FOLLOW_UPS
    # A follow-up already filled in stays as long as it matters; after "not long-lasting" the walking
    # distance decides nothing any more.
    assert follow_ups_shown(client, form, moeite_met="huishouden", beperking_langdurig="nee") == \
        ["beperking_langdurig", "huisgenoot_kan_helpen"]
    assert follow_ups_shown(client, form, moeite_met="niet-bestaand") == []  # not valid yet: nothing new


def test_without_javascript_the_follow_ups_come_on_the_next_screen_numbered_on(client):
    page, form = zorg_screen(client)
    assert "Stap 2 van" in page.text
    answered = client.post("/check", data={**form.hidden(), "moeite_met": "huishouden"}, follow_redirects=True)
    assert answered.url.path == "/check/stap/zorg" and answered.url.query == b"nr=2"
    again = wizard_form(answered.text)
    on_screen = again.hidden()["vragen"].split(",")
    assert on_screen[0] == "beperking_langdurig" and set(on_screen) <= set(ZORG_FOLLOW_UPS)
    assert "vervolgvragen" not in again.hidden()  # now plain questions: their condition holds
    assert "Stap 3 van" in answered.text
    back = re.search(r'<a[^>]*href="([^"]+)"[^>]*>\s*Terug', answered.text).group(1)
    assert back == "/check/stap/zorg"  # the first screen of this step
    first = client.get(back)
    assert "Stap 2 van" in first.text and 'id="moeite_met-huishouden" name="moeite_met" value="huishouden" checked' \
        in first.text


def test_a_follow_up_the_page_showed_must_be_answered(client):
    _page, form = zorg_screen(client)
    data = {**form.hidden(), "moeite_met": "huishouden", "getoond": ["beperking_langdurig"]}
    response = client.post("/check", data=data, follow_redirects=True)
    assert response.status_code == 422
    assert "beperking_langdurig-error" in response.text
