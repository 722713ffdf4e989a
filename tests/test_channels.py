"""One check, three channels: the resident pages, the KCC screen and the JSON API say the same.

For the same answers they give identical statuses, reasons, routing and next question, because all
three read one ``CheckResult`` from the core. The answers follow a conversation (nothing the check
would forget), as the resident check and the KCC screen produce them.
"""

from __future__ import annotations

import html
import json
import random
import re

import pytest

from catalogus.check import Check
from tests.conftest import TODAY
from tests.support.households import household, partial
from tests.support.staff import add_staff, csrf_token, log_in
from tests.support.web import form_value

CARD = re.compile(r'<li class="(?:result-card|kcc-result)[^"]*" data-product="([^"]+)" data-status="(\w+)">')
REASON = re.compile(r"<li(?: class=\"utrecht-unordered-list__item\")?>([^<]*)</li>")


def conversation_answers(catalog, rng) -> dict:
    """A household as a conversation leaves it: answers that cannot matter are gone."""
    answers = partial(rng, household(rng)) if rng.random() < 0.6 else household(rng)
    return Check(catalog, TODAY).settle(answers, forget_unasked=True).json_answers


def cards(page: str) -> dict[str, tuple[str, list[str]]]:
    """product id -> (status, reasons) as a page shows them."""
    found = {}
    starts = list(CARD.finditer(page))
    for match, following in zip(starts, starts[1:] + [None]):
        product, status = match.groups()
        body = page[match.end():following.start() if following else len(page)]
        why = re.search(r'<(?:ul) class="(?:utrecht-unordered-list disclosure__body|kcc-reasons)">(.*?)</ul>', body, re.S)
        # A page keeps "€ 38.479" on one line with a no-break space; the words are the same.
        found[product] = (status, [html.unescape(r).replace("\xa0", " ") for r in REASON.findall(why.group(1))]
                          if why else [])
    return found


def kcc_fields(answers: dict, token: str) -> dict:
    data = {"_csrf_token": token}
    for qid, value in answers.items():
        data[qid] = value if isinstance(value, list) else form_value("", value)
    return data


@pytest.fixture
def kcc_client(client, web_settings):
    add_staff(web_settings, "karin", "kcc")
    log_in(client, "karin")
    return client


def test_resident_pages_kcc_and_api_give_the_same_check(kcc_client, catalog):
    client = kcc_client
    rng = random.Random(11)
    token = csrf_token(client)
    compared = 0
    for _ in range(12):
        answers = conversation_answers(catalog, rng)
        if len(answers) < 2:
            continue
        api = client.post("/api/v1/check", json={"answers": answers, "date": TODAY.isoformat()}).json()
        expected = {r["id"]: (r["status"], r["reasons"]) for r in api["results"]}
        next_id = api["next_question"]["id"] if api["next_question"] else None

        resident = client.post("/check/uitkomst", data={"_csrf_token": token, "antwoorden": json.dumps(answers)})
        assert resident.status_code == 200
        assert cards(resident.text) == expected
        routed_section = 'id="casemanager"' in resident.text
        assert routed_section is (api["case_manager"]["route"] is True)
        if routed_section:
            shown = re.search(r'id="casemanager".*?<ul class="utrecht-unordered-list">(.*?)</ul>', resident.text, re.S)
            assert [html.unescape(r) for r in REASON.findall(shown.group(1))] == api["case_manager"]["reasons"]

        *before, (last, value) = answers.items()
        screen = next(s.id for s in catalog.steps if last in s.questions) if last != "onderwerpen" else last
        fields = {"aangevinkt": [last] if value else ["geen_van_deze"]} if screen == "herkennen" else {
            last: value if isinstance(value, list) else form_value("", value)}
        step = client.post("/check", data={"_csrf_token": token, "antwoorden": json.dumps(dict(before)),
                                           "scherm": screen, "vragen": last, **fields}, follow_redirects=True)
        assert step.status_code == 200, step.text[-500:]
        onward = re.search(r'href="(/check/stap/\w+)" data-verder', step.text)  # the non-resident page goes on
        if onward:
            step = client.get(onward.group(1))
        shown = re.search(r'name="vragen" value="([\w,]*)"', step.text) if 'data-page="stap"' in step.text else None
        assert (shown.group(1).split(",")[0] if shown else None) == next_id, answers

        kcc = client.post("/kcc", data=kcc_fields(answers, token))
        assert kcc.status_code == 200
        assert cards(kcc.text) == expected
        route = re.search(r'id="kcc-uitkomst"[^>]*data-route="(\w+)"', kcc.text).group(1)
        assert route == {True: "ja", False: "nee"}.get(api["case_manager"]["route"], "onbekend")
        kcc_reasons = re.search(r'id="kcc-casemanager".*?(?:<ul class="kcc-reasons">(.*?)</ul>|</section>)', kcc.text,
                                re.S).group(1) or ""
        assert [html.unescape(r) for r in REASON.findall(kcc_reasons)] == api["case_manager"]["reasons"]
        kcc_next = re.search(r'class="utrecht-link kcc-next__link" href="#[^"]+" data-question="(\w+)"', kcc.text)
        assert (kcc_next.group(1) if kcc_next else None) == next_id
        compared += 1
    assert compared >= 8
