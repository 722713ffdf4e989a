"""The KCC screen through HTTP: who may use it, the form without JavaScript, the htmx panel, errors, referral."""

from __future__ import annotations

import dataclasses
import html
import json
import random
import re

import pytest

from catalogus.casework import accounts
from catalogus.casework.db import open_database
from catalogus.summary import summary_text
from catalogus.web import kcc
from catalogus.check import Check
from tests.support.households import household, partial
from tests.support.staff import ROUTED, add_staff, csrf_token, log_in, reference_in
from tests.support.web import forms

TOPICS = "onderwerpen"
HX = {"hx-request": "true", "hx-target": "kcc-uitkomst"}


def fields(answers: dict) -> dict:
    """JSON answers as the KCC form sends them."""
    found = {}
    for qid, value in answers.items():
        if isinstance(value, bool):
            found[qid] = "ja" if value else "nee"
        elif isinstance(value, list):
            found[qid] = value
        else:
            found[qid] = str(value)
    return found


@pytest.fixture
def kcc_client(client, web_settings):
    add_staff(web_settings, "karin", "kcc")
    log_in(client, "karin")
    return client


def post(client, answers: dict | None = None, *, path: str = "/kcc", htmx: bool = False, **extra):
    data = {"_csrf_token": csrf_token(client), **fields(answers or {}), **extra}
    return client.post(path, data=data, headers=HX if htmx else {})


def marker(html_text: str, qid: str) -> tuple[str, str]:
    """(state, text) of a question's relevance marker."""
    found = re.search(rf'<span id="{qid}-relevantie" class="kcc-mark kcc-mark--(\w+)"[^>]*>'
                      rf'((?:[^<]|<span class="kcc-mark__detail">[^<]*</span>)*)</span>', html_text)
    assert found, qid
    return found.group(1), re.sub(r"<[^>]+>", "", found.group(2))


def panel(html_text: str) -> str:
    return re.search(r'<section id="kcc-uitkomst".*?<p class="kcc-panel__date">', html_text, re.S).group(0)


def status_of(html_text: str, product: str) -> str:
    return re.search(rf'data-product="{product}" data-status="(\w+)"', html_text).group(1)


# ---------------------------------------------------------------- who may use it

def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get("/kcc", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/medewerkers/inloggen"
    assert response.headers["cache-control"] == "no-store"
    fragment = post(client, {"leeftijd": 34}, path="/kcc/uitkomst", htmx=True)
    assert fragment.status_code == 401 and fragment.headers["hx-redirect"] == "/medewerkers/inloggen"
    assert "kcc-uitkomst" not in fragment.text


def test_kcc_staff_and_case_managers_may_use_the_screen(client, web_settings):
    add_staff(web_settings, "anna", "casemanager")
    log_in(client, "anna")  # with the second factor
    response = client.get("/kcc")
    assert response.status_code == 200 and "KCC-scherm" in response.text
    assert "(casemanager wijkteam)" in response.text


def test_a_case_manager_who_skipped_the_second_factor_must_log_in_first(client, web_settings):
    add_staff(web_settings, "anna", "casemanager")
    token = csrf_token(client)
    client.post("/medewerkers/inloggen", data={"_csrf_token": token, "gebruikersnaam": "anna",
                                               "wachtwoord": "een lang wachtwoord 42"}, follow_redirects=False)
    response = client.get("/kcc", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/medewerkers/inloggen"


def test_staff_with_any_other_role_get_403(kcc_client, monkeypatch):
    real = accounts.load_session

    def other_role(*args, **kwargs):  # a role added later (say a content editor) must not see calls
        session = real(*args, **kwargs)
        return dataclasses.replace(session, user=dataclasses.replace(session.user, role="redacteur"))

    monkeypatch.setattr(accounts, "load_session", other_role)
    response = kcc_client.get("/kcc")
    assert response.status_code == 403 and "geen toegang tot het KCC-scherm" in response.text
    assert response.headers["cache-control"] == "no-store"
    assert post(kcc_client, {}, path="/kcc/uitkomst", htmx=True).status_code == 403


# ---------------------------------------------------------------- the page

def test_the_page_shows_every_question_in_its_group_with_the_short_label_and_the_full_wording(kcc_client, catalog):
    response = kcc_client.get("/kcc?gemeente=voorbeeldstad")
    page = response.text
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    legends = re.findall(r'<legend class="kcc-group__title">([^<]+)</legend>', page)
    assert legends == [title for group, title in catalog.vocabulary.groups.items()
                       if any(q.definition.groep == group for q in catalog.vocabulary)]
    assert legends[:2] == ["Onderwerp", "Persoon en huishouden"]
    for question in catalog.vocabulary:
        row = re.search(rf'<div class="kcc-q [^"]*" data-question="{question.id}" title="([^"]*)">(.*?)'
                        rf'<p id="{question.id}-fout"', page, re.S)
        assert row, question.id
        assert html.unescape(row.group(1)) == question.text
        assert html.escape(question.short, quote=False) in row.group(2)
        assert f'id="{question.id}-vraag">{html.escape(question.text, quote=False)}' in row.group(2)
        if question.type == "boolean":  # Ja / Nee / — with "—" (not answered) chosen
            radios = re.findall(rf'<input[^>]*name="{question.id}" value="(\w*)"([^>]*)>', row.group(2))
            assert [(v, "checked" in rest) for v, rest in radios] == [("ja", False), ("nee", False), ("", True)]


def test_the_labels_an_agent_reads_out_are_plain_with_the_professional_term_in_small_print(kcc_client):
    page = kcc_client.get("/kcc?gemeente=voorbeeldstad").text
    label = re.search(r'<label class="kcc-q__label" id="leefsituatie-label" for="leefsituatie">(.*?)</label>', page, re.S)
    assert label.group(1).startswith("Woont alleen of samen")
    assert '<small class="kcc-q__term" aria-hidden="true">leefsituatie</small>' in label.group(1)
    money = re.search(r'id="vermogen-label" for="vermogen">(.*?)</label>', page, re.S).group(1)
    assert money.startswith("Spaargeld en bezit") and ">vermogen</small>" in money
    # the term is small print under a label, never the label itself
    assert not re.search(r'class="kcc-q__label"[^>]*>\s*(Leefsituatie|Vermogen)', page)


def test_nothing_of_a_call_can_stay_in_the_browser(kcc_client):
    page = kcc_client.get("/kcc?gemeente=voorbeeldstad").text
    assert 'hx-history="false"' in page
    assert re.search(r'<form id="kcc-form"[^>]*autocomplete="off"', page)
    for tag in re.findall(r'<input[^>]*type="(?:text|search)"[^>]*>|<select[^>]*>|<textarea[^>]*>', page):
        assert 'autocomplete="off"' in tag, tag
    assert "<script>" not in page and " style=" not in page  # the CSP allows neither
    script = (kcc.__file__.rsplit("/catalogus/", 1)[0] + "/static/js/kcc.js")
    with open(script, encoding="utf-8") as handle:
        code = handle.read()
    assert "localStorage" not in code.replace("no localStorage", "") and "sessionStorage." not in code
    assert "document.cookie" not in code


def test_the_documented_shortcuts_are_the_ones_the_script_handles(kcc_client):
    page = kcc_client.get("/kcc?gemeente=voorbeeldstad").text
    shortcuts = re.search(r'<details class="kcc-keys".*?</details>', page, re.S).group(0)
    for key, what in kcc.SHORTCUTS:
        assert f"<kbd>{html.escape(key)}</kbd>" in shortcuts and html.escape(what) in shortcuts
    with open(kcc.__file__.rsplit("/catalogus/", 1)[0] + "/static/js/kcc.js", encoding="utf-8") as handle:
        code = handle.read()
    documented = {m for key, _ in kcc.SHORTCUTS for m in re.findall(r"Alt\+Shift\+(\w)", key)}
    handled = set(re.findall(r"Key(\w): \w+", code))
    assert documented == handled == {"Z", "V", "R", "K", "N"}


# ---------------------------------------------------------------- without JavaScript: Bereken

def test_bereken_shows_the_whole_page_again_with_every_answer_in_its_field(kcc_client):
    response = post(kcc_client, ROUTED, actie="bereken")
    page = response.text
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    assert re.search(r'id="leeftijd" name="leeftijd" value="34"', page)
    assert re.search(r'id="netto_inkomen" name="netto_inkomen" value="1650"', page)
    assert re.search(r'id="schulden-ja" name="schulden" value="ja" checked', page)
    assert re.search(r'id="eenzaam-nee" name="eenzaam" value="nee" checked', page)
    assert re.search(r'<option value="alleenstaande_ouder" selected>', page)
    assert re.search(r'id="onderwerpen-gezin" name="onderwerpen" value="gezin" checked', page)
    assert not re.search(r'id="onderwerpen-zorg"[^>]*checked', page)
    assert 'data-route="ja"' in page and "Aanmelden bij wijkteam namens beller" in page
    assert status_of(page, "schuldhulpverlening") == "eligible"
    assert status_of(page, "bijstandsuitkering") == "not_eligible"


def test_the_results_are_grouped_as_on_the_residents_results_page(kcc_client, catalog):
    answers = {**ROUTED, "onveilig_thuis": True}
    result = panel(post(kcc_client, answers).text)
    order = [result.find(marker_) for marker_ in ('id="kcc-urgent"', 'id="kcc-casemanager"', 'id="kcc-groep-collective"',
                                                   'id="kcc-groep-provision"', 'id="kcc-groep-referral"')]
    assert -1 not in order and order == sorted(order)
    assert "Veilig Thuis: 0800-2000" in result
    for kind in ("collective", "provision", "referral"):
        group = re.search(rf'id="kcc-groep-{kind}".*?</section>', result, re.S).group(0)
        shown = re.findall(r'data-product="([^"]+)"', group)
        assert shown and all(catalog.products[p].kind == kind for p in shown)


# ---------------------------------------------------------------- with htmx: the panel

def test_the_panel_update_holds_the_panel_and_out_of_band_markers_but_no_question_field(kcc_client, catalog):
    response = post(kcc_client, {"leeftijd": 34, "schulden": True}, path="/kcc/uitkomst", htmx=True)
    text = response.text
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    assert text.lstrip().startswith('<section id="kcc-uitkomst"')
    for question in catalog.vocabulary:
        assert re.search(rf'<span id="{question.id}-relevantie" [^>]*hx-swap-oob="true"', text), question.id
        assert re.search(rf'<p id="{question.id}-fout" [^>]*hx-swap-oob="true"', text), question.id
        assert f'name="{question.id}"' not in text  # the field being typed in is never replaced
    assert re.search(r'<p id="kcc-status" hx-swap-oob="innerHTML">Uitkomst bijgewerkt: \d+ passen?, \d+ nog open',
                     text)
    assert re.search(r'<div id="kcc-fouten" hx-swap-oob="true">\s*</div>', text)


def test_the_panel_names_the_question_that_decides_the_most(kcc_client, catalog, web_settings):
    answers = {TOPICS: ["geld"], "woont_in_gemeente": True}
    expected = Check(catalog, kcc_date()).settle(answers, forget_unasked=True).next_question
    text = post(kcc_client, answers, path="/kcc/uitkomst", htmx=True).text
    link = re.search(r'Vraag nu: <a [^>]*href="#([^"]+)" data-question="(\w+)"[^>]*>([^<]+)</a>', text)
    assert link.group(2) == expected.id and html.unescape(link.group(3)) == expected.short
    assert marker(text, expected.id)[0] == "next"
    assert marker(text, "woont_in_gemeente") == ("answered", "")


def kcc_date():
    import datetime as dt

    from tests.conftest import WEB_TODAY
    return dt.date.fromisoformat(WEB_TODAY)


def test_questions_that_cannot_matter_are_marked_and_answers_that_do_not_count_are_left_out(kcc_client):
    answers = {TOPICS: ["zorg", "wonen"], "moeite_met": ["geen"], "woonsituatie": "koopwoning", "huur": 700}
    text = post(kcc_client, answers).text
    assert marker(text, "beperking_langdurig") == ("idle", "(nu niet nodig)")  # only asked with a limitation
    assert marker(text, "huur") == ("ignored", "(telt nu niet mee)")  # rent of a bought house
    summary = re.search(r'<textarea[^>]*id="kcc-samenvatting"[^>]*>(.*?)</textarea>', text, re.S).group(1)
    assert "Kale huur" not in summary and "Woonsituatie: in een koopwoning" in html.unescape(summary)
    assert 'value="700"' in text  # what was typed stays in the field
    state, words = marker(text, "leeftijd")
    assert state in ("needed", "next") and re.fullmatch(r"\((beslist het meest: )?nodig voor \d+ uitkomsten?\)", words)


def test_answering_a_question_marked_not_needed_changes_nothing_in_the_chosen_topics(catalog):
    """The promise of the grey marker, checked on random half-answered households."""
    rng = random.Random(5)
    date = kcc_date()
    checked = 0
    for _ in range(200):
        answers = partial(rng, household(rng))
        call = kcc.read_call(catalog, date, fields(answers))
        before = {r.id: r.status for r in call.result.results if r.id in call.result.relevant}
        for qid, rel in call.relevance.items():
            if rel.state != "idle":
                continue
            for value in some_answers(catalog.vocabulary[qid]):
                after = kcc.read_call(catalog, date, fields({**answers, qid: value}))
                assert {r.id: r.status for r in after.result.results if r.id in before} == before, (answers, qid)
                assert after.result.case_manager.route == call.result.case_manager.route, (answers, qid)
                checked += 1
    assert checked > 500, checked


def some_answers(question) -> list:
    """A few answers of every kind, the extremes included."""
    if question.type == "boolean":
        return [True, False]
    if question.type == "integer":
        return [question.definition.min, question.definition.max]
    if question.type == "money":
        return [0, 1_000_000]
    if question.type == "choice":
        return list(question.options)
    return [[option] for option in question.options]


# ---------------------------------------------------------------- bad input

def test_invalid_answers_get_a_message_at_the_field_and_in_the_summary_and_keep_what_was_typed(kcc_client):
    response = post(kcc_client, {"leeftijd": 200, "netto_inkomen": "abc", "schulden": True})
    page = response.text
    assert response.status_code == 422 and page.startswith("<!DOCTYPE html>")
    assert "<title>Fout: KCC-scherm" in page
    summary = re.search(r'<div class="error-summary kcc-errors".*?</div>', page, re.S).group(0)
    assert 'href="#leeftijd">Leeftijd: Vul een getal in van 0 tot en met 120.' in summary
    assert 'href="#netto_inkomen">Netto inkomen p/m: Vul een bedrag in' in summary
    assert re.search(r'<p id="leeftijd-fout" class="kcc-q__error"><span class="visually-hidden">Fout: </span>'
                     r'Vul een getal in van 0 tot en met 120\.</p>', page)
    assert re.search(r'id="leeftijd" name="leeftijd" value="200"[^>]*aria-invalid="true"', page)
    assert re.search(r'id="netto_inkomen" name="netto_inkomen" value="abc"', page)
    assert status_of(page, "schuldhulpverlening") == "unknown"  # the valid answers still count


def test_invalid_answers_in_a_panel_update_come_back_out_of_band(kcc_client):
    response = post(kcc_client, {"leeftijd": "veertig"}, path="/kcc/uitkomst", htmx=True)
    assert response.status_code == 422
    assert re.search(r'<p id="leeftijd-fout" class="kcc-q__error" hx-swap-oob="true"><span class="visually-hidden">'
                     r'Fout: </span>Vul een heel getal in', response.text)
    assert re.search(r'<div id="kcc-fouten" hx-swap-oob="true">\s*<div class="error-summary', response.text)
    assert "1 fout in de antwoorden" in response.text


@pytest.mark.parametrize("field, value", [
    ("leeftijd", "1e9"), ("leeftijd", "-1"), ("aantal_kinderen", "9" * 40), ("vermogen", "1,2,3"),
    ("netto_inkomen", "€ -5"), ("woonsituatie", "kasteel"), ("schulden", "misschien"), ("moeite_met", ["vliegen"]),
    ("moeite_met", ["geen", "koken"]), ("onderwerpen", ["geld", "geld"]), ("huur", "x" * 5000),
])
def test_odd_input_never_breaks_the_page(kcc_client, field, value):
    for path, htmx in (("/kcc", False), ("/kcc/uitkomst", True)):
        response = post(kcc_client, {field: value}, path=path, htmx=htmx)
        assert response.status_code == 422, (path, response.text[:500])
        assert f'id="{field}-fout"' in response.text


def test_a_damaged_answers_field_is_a_clear_400(kcc_client):
    response = post(kcc_client, {}, antwoorden="{niet: json")
    assert response.status_code == 400 and "Dit verzoek klopt niet" in response.text


# ---------------------------------------------------------------- summary, product, referral

def test_the_summary_for_the_crm_is_the_plain_text_summary_of_these_answers(kcc_client, catalog):
    text = post(kcc_client, ROUTED).text
    shown = html.unescape(re.search(r'<textarea[^>]*id="kcc-samenvatting"[^>]*>(.*?)</textarea>', text, re.S).group(1))
    answers, _ = catalog.vocabulary.validate(ROUTED)
    expected_answers = {k: v for k, v in answers.items()
                        if k not in ("beperking_langdurig", "loopafstand_onder_100m", "huisgenoot_kan_helpen",
                                     "mantelzorg_zwaar")}  # cannot matter: no limitation, no care hours
    assert shown == summary_text(catalog, Check(catalog, kcc_date()).settle(expected_answers, validated=True))
    assert "Casemanager wijkteam: ja" in shown and "- Leeftijd: 34 jaar" in shown
    assert "- past: Schuldhulpverlening" in shown
    assert "Waarom: U heeft schulden." in shown  # the routing reasons, for the case manager reading the CRM
    still_open = html.unescape(post(kcc_client, {"leeftijd": 34}).text)
    assert "Nog nodig voor de casemanager: " in still_open
    assert 'id="kcc-kopieer" data-copy="kcc-samenvatting" hidden' in text  # the button needs the script


def test_a_product_from_the_search_opens_in_the_panel_with_its_status_for_this_caller(kcc_client):
    text = post(kcc_client, {"woont_in_gemeente": True, "leeftijd": 30}, toon="schuldhulpverlening").text
    card = re.search(r'<section class="kcc-product.*?</section>', text, re.S).group(0)
    assert 'data-product="schuldhulpverlening" data-status="unknown"' in card
    assert "Nodig voor deze beller: Schulden" in card and "U bent 30 jaar" in card
    assert re.search(r'<input type="hidden" name="product" value="schuldhulpverlening" form="kcc-form">', text)
    still_open = post(kcc_client, {"schulden": True, "woont_in_gemeente": True, "leeftijd": 30},
                      product="schuldhulpverlening", path="/kcc/uitkomst", htmx=True).text
    assert 'class="kcc-product kcc-product--eligible"' in still_open
    closed = post(kcc_client, {}, product="schuldhulpverlening", toon="").text
    assert 'id="kcc-product"' not in closed
    assert 'id="kcc-product"' not in post(kcc_client, {}, toon="bestaat-niet").text


def test_answers_carried_back_from_the_referral_form_fill_the_fields(kcc_client):
    response = post(kcc_client, {}, antwoorden=json.dumps(ROUTED))
    assert response.status_code == 200
    assert re.search(r'id="leeftijd" name="leeftijd" value="34"', response.text)
    assert re.search(r'id="zorgen_over_kind-ja" name="zorgen_over_kind" value="ja" checked', response.text)


def test_a_kcc_employee_refers_the_caller_and_the_referral_has_channel_kcc(kcc_client, web_settings):
    page = post(kcc_client, ROUTED).text
    refer = next(f for f in forms(page) if f.action == "/aanmelden")
    form = kcc_client.post("/aanmelden", data=refer.hidden())
    assert form.status_code == 200 and "Lees deze tekst voor aan de beller" in form.text
    assert "Beller aanmelden bij het wijkteam" in form.text
    back = next(f for f in forms(form.text) if "back-form" in f.attrs.get("class", ""))
    assert back.action == "/kcc" and json.loads(back.hidden()["antwoorden"])["leeftijd"] == 34
    done = kcc_client.post("/aanmelden", data={**refer.hidden(), "stap": "versturen", "naam": "Fatima el Amrani",
                                               "telefoon": "06 12345678", "email": "", "contact_time": "ochtend",
                                               "toelichting": "", "toestemming": "ja"})
    assert done.status_code == 200 and reference_in(done.text)
    assert 'href="/kcc">Nieuw gesprek</a>' in done.text
    database = open_database(web_settings)
    try:
        with database.transaction(write=False) as tx:
            assert tx.fetchvalue("SELECT channel FROM referrals") == "kcc"
    finally:
        database.close()


def test_a_case_manager_is_not_offered_the_referral_on_a_callers_behalf(client, web_settings):
    add_staff(web_settings, "anna", "casemanager")
    log_in(client, "anna")
    page = post(client, ROUTED).text
    assert 'data-route="ja"' in page and 'action="/aanmelden"' not in page
    assert "Aanmelden namens de beller kan met een KCC-account." in page
