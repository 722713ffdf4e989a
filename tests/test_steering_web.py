"""Sturingsinformatie through the front ends: checks on the website, the KCC screen and the API, referrals
and searches show up on /medewerkers/stuurinformatie and in its download exactly, small numbers as "< 10"."""

from __future__ import annotations

import csv
import html as html_lib
import datetime as dt
import io
import re

import pytest

from catalogus.check import Check
from tests.support.staff import ROUTED, NOT_ROUTED, add_staff, csrf_token, log_in, referral_form
from tests.support.web import walk_check, wizard_form

TODAY = dt.date(2026, 11, 26)
PAGE = "/medewerkers/stuurinformatie"


def flush(client) -> None:
    client.app.state.tally.flush(client.app.state.db)


def cell(html: str, attribute: str, key: str, column: int = 0) -> str:
    row = re.search(rf'<tr class="utrecht-table__row" {attribute}="{key}">(.*?)</tr>', html, re.S).group(1)
    return html_lib.unescape(re.findall(r'<td class="[^"]*">([^<]*)</td>', row)[column].strip())


def abandon_at_first_screen(client) -> str:
    """Choose topics, see the first screen, walk away (a new resident each time)."""
    client.cookies.clear()
    form = wizard_form(client.get("/check").text)
    page = client.post(form.action, data={**form.hidden(), "onderwerpen": ROUTED["onderwerpen"]})
    assert page.status_code == 200
    return wizard_form(page.text).hidden()["scherm"]


def kcc_call(client, answers: dict, *, posts: int = 2) -> None:
    page = client.get("/kcc?gemeente=voorbeeldstad")
    token = re.search(r'name="_csrf_token" value="([^"]+)"', page.text).group(1)
    counted = ""
    data = {"_csrf_token": token, "gemeente": "voorbeeldstad"}
    for key, value in answers.items():
        data[key] = value if isinstance(value, list) else ("ja" if value is True else "nee" if value is False
                                                           else str(value))
    for _ in range(posts):  # the call goes on after its results: counted once
        panel = client.post("/kcc/uitkomst", data={**data, "geteld": counted}, headers={"hx-request": "true"})
        assert panel.status_code == 200, panel.text[:500]
        counted = re.search(r'id="kcc-geteld" name="geteld" value="([^"]*)"', panel.text).group(1)
    assert counted == "1"


@pytest.fixture
def day(client, web_settings):
    """A day: 11 full checks online (10 routed), 12 stopped at the first screen, 3 KCC calls, 12 finished and
    2 unfinished API calls, a referral online and one by the KCC, 11 searches of which 10 found nothing."""
    walks = []
    for _ in range(10):
        client.cookies.clear()
        walks.append(walk_check(client, ROUTED))
    client.cookies.clear()
    walks.append(walk_check(client, NOT_ROUTED))
    client.get(walks[-1].pages[2].url)  # a reload of a screen counts nothing more
    stopped = {abandon_at_first_screen(client) for _ in range(12)}
    assert len(stopped) == 1
    client.cookies.clear()
    token = csrf_token(client)
    assert "data-reference" in client.post("/aanmelden", data=referral_form(token)).text
    for _ in range(12):
        assert client.post("/api/v1/check", json={"answers": ROUTED}).status_code == 200
    for _ in range(2):
        assert client.post("/api/v1/check", json={"answers": {"onderwerpen": ["geld"]}}).status_code == 200
    for _ in range(10):
        client.get("/zoeken?q=xyzzyplugh")
    client.get("/zoeken?q=huurtoeslag")
    client.get("/zoeken?q=huurt", headers={"hx-request": "true", "hx-target": "zoekresultaten"})  # live: not counted
    add_staff(web_settings, "karin", "kcc")
    client.cookies.clear()
    log_in(client, "karin")
    for _ in range(3):
        kcc_call(client, ROUTED)
    token = csrf_token(client)
    assert "data-reference" in client.post("/aanmelden", data=referral_form(token)).text
    flush(client)
    add_staff(web_settings, "bea", "beleid")
    client.cookies.clear()
    log_in(client, "bea")
    return {"walks": walks, "first_screen": stopped.pop()}


def test_the_figures_of_a_day_through_the_website_the_kcc_screen_and_the_api_are_exact(client, day):
    html = client.get(PAGE).text
    assert [cell(html, "data-kanaal", c) for c in ("online", "kcc", "api")] == ["23", "< 10", "14"]
    assert [cell(html, "data-kanaal", c, 1) for c in ("online", "kcc", "api")] == ["11", "< 10", "12"]
    first = day["first_screen"]
    assert cell(html, "data-stap", "start") == "23"
    assert (cell(html, "data-stap", first), cell(html, "data-stap", first, 1)) == ("23", "12")
    later = [s for s in day["walks"][0].screens if s != first]
    for screen in later:  # every full walk saw and answered the same screens
        assert (cell(html, "data-stap", screen), cell(html, "data-stap", screen, 1)) == ("11", "< 10"), screen
    assert (cell(html, "data-stap", "controleer"), cell(html, "data-stap", "controleer", 1)) == ("11", "< 10")
    assert cell(html, "data-stap", "uitkomst") == "11"

    routed = Check(client.app.state.content.current.catalog, TODAY).settle(ROUTED)
    not_routed = Check(client.app.state.content.current.catalog, TODAY).settle(NOT_ROUTED)
    for r in routed.results:  # 10 online + 3 KCC + 12 API results pages for the routed household
        expected = 25 * (r.status == "eligible") + (not_routed.status_of(r.id) == "eligible")
        if f'data-product="{r.id}"' in html:
            assert cell(html, "data-product", r.id) == (str(expected) if expected >= 10 else "< 10"), r.id
    assert cell(html, "data-uitkomst", "route") == "25" and cell(html, "data-uitkomst", "route", 1) == "96%"
    assert cell(html, "data-uitkomst", "not_routed") == "< 10"
    assert cell(html, "data-uitkomst", "not_routed", 1) == "–"
    money = (25 * routed.amounts_total.per_year + not_routed.amounts_total.per_year) // 100
    assert f"€ {money:,}".replace(",", ".") + " per jaar" in html
    assert [cell(html, "data-aanmelding", c) for c in ("online", "kcc")] == ["< 10", "< 10"]
    assert "Zoekvragen: 11. Zonder resultaat: 10." in html


def test_the_download_gives_the_same_figures_with_the_same_suppression(client, day):
    page = client.get(PAGE).text
    rows = list(csv.DictReader(io.StringIO(client.get(PAGE + "/download?formaat=csv").text)))
    exported = {(r["onderdeel"], r["sleutel"]): r["waarde"] for r in rows}
    assert exported[("checks_begonnen", "online")] == "23" and exported[("checks_begonnen", "kcc")] == "< 10"
    assert exported[("trechter_gestopt", day["first_screen"])] == "12"
    assert exported[("aanmeldingen", "online")] == "< 10"
    assert cell(page, "data-stap", day["first_screen"], 1) == exported[("trechter_gestopt", day["first_screen"])]
    data = client.get(PAGE + "/download?formaat=json").json()
    assert {(r["onderdeel"], r["sleutel"]): r["waarde"] for r in data["cijfers"]} == {
        k: (int(v) if v.isdigit() else float(v) if re.fullmatch(r"[\d.]+", v) else v) for k, v in exported.items()}
    assert data["onderdrukt_onder"] == 10


@pytest.mark.parametrize("role", ["casemanager", "kcc", "redacteur"])
def test_other_staff_do_not_see_the_steering_figures(client, web_settings, role):
    add_staff(web_settings, "iemand", role)
    log_in(client, "iemand")
    for path in (PAGE, PAGE + "/download?formaat=csv"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 403 and "U heeft geen toegang tot deze pagina" in response.text


def test_a_policy_adviser_logs_in_with_a_second_factor_and_lands_on_the_figures(client, web_settings):
    add_staff(web_settings, "bea", "beleid")
    token = csrf_token(client)
    first = client.post("/medewerkers/inloggen", data={"_csrf_token": token, "gebruikersnaam": "bea",
                                                       "wachtwoord": "een lang wachtwoord 42"}, follow_redirects=False)
    assert first.headers["location"] == "/medewerkers/tweestaps/instellen"
    assert client.get(PAGE, follow_redirects=False).headers["location"] == "/medewerkers/inloggen"
    client.cookies.clear()
    log_in(client, "bea")
    page = client.get(PAGE)
    region = client.app.state.content.current.region
    assert page.status_code == 200 and f'tabindex="-1">Stuurinformatie {region.name}</h1>' in page.text


def test_an_adviser_of_one_municipality_sees_only_that_municipality(client, web_settings):
    add_staff(web_settings, "bert", "beleid", municipality="buurdorp")
    log_in(client, "bert")
    page = client.get(PAGE + "?gemeente=voorbeeldstad").text
    assert "<h1 class=\"utrecht-heading-1\" tabindex=\"-1\">Stuurinformatie Buurdorp</h1>" in page
    assert 'name="gemeente"' not in page


def test_a_wrong_period_is_explained_at_its_field(client, web_settings):
    add_staff(web_settings, "bea", "beleid")
    log_in(client, "bea")
    response = client.get(PAGE + "?van=2026-11-30&tot=2026-11-01")
    assert response.status_code == 422
    assert 'href="#tot">De einddatum moet na de begindatum liggen.' in response.text
