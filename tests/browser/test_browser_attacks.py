"""In Chromium: payloads in the content and in every form field stay text; no injected script ever runs.

A real server serves the XSS fixture content (tests/content/xss, via tests/support/xss.py).
The browser walks every page type as a resident, a case manager and a KCC employee, with
a dialog listener on the page. After each page: no dialog opened, no ``<script>`` that is
not ours, no ``on*`` attribute, no ``<svg>``/``<style>``/``<iframe>`` or ``javascript:`` link
from content in the DOM, and the payload is visible as text.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pyotp
import pytest

from catalogus.settings import Settings
from tests.browser.wizard import run_check
from tests.support.servers import Server, server_env
from tests.support.staff import PASSWORD, ROUTED, add_staff
from tests.support.xss import payloads, product_ids, xss_content

pytestmark = pytest.mark.browser

P = payloads()
TYPED = '<script>alert(301)</script>"><img src=x onerror=alert(302)>'
URGENT = {**ROUTED, "onveilig_thuis": True, "woonsituatie": "geen_vaste_woonplek"}

#: everything in the DOM that could run or restyle the page and did not come from our templates
DOM_PROBLEMS = """() => {
    const found = [];
    for (const s of document.querySelectorAll('script')) {
        if (!s.src || new URL(s.src).origin !== location.origin || !new URL(s.src).pathname.startsWith('/static/'))
            found.push('script: ' + s.outerHTML.slice(0, 80));
    }
    for (const el of document.querySelectorAll('*'))
        for (const attr of el.attributes)
            if (attr.name.startsWith('on')) found.push(`${el.tagName} ${attr.name}`);
    for (const el of document.querySelectorAll('svg, style, iframe, object, embed, img[src="x"], base'))
        found.push(el.tagName);
    for (const el of document.querySelectorAll('[href], [src], [action], [formaction]'))
        for (const name of ['href', 'src', 'action', 'formaction'])
            if (/^\\s*(javascript|vbscript|data:text)/i.test(el.getAttribute(name) || ''))
                found.push(`${name}=${el.getAttribute(name)}`);
    return found;
}"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = xss_content(tmp_path_factory.mktemp("xss-content"))
    data = tmp_path_factory.mktemp("xss-browser")
    add_staff(Settings(data_dir=data), "anna", "casemanager")
    add_staff(Settings(data_dir=data), "kees", "kcc")
    add_staff(Settings(data_dir=data), "rita", "redacteur")
    env = server_env(data, CATALOGUS_CONTENT_DIR=str(root), CATALOGUS_RATE_LIMIT_PER_MINUTE="1000")
    with Server(env, log_path=data / "server.log") as running:
        running.root = root
        yield running


@pytest.fixture
def page(new_page):
    opened = new_page(width=1280)
    opened.dialogs = []
    opened.on("dialog", lambda dialog: (opened.dialogs.append(dialog.message), dialog.dismiss()))
    return opened


def assert_clean(page, *, shows: str | None = P["script"]) -> None:
    """No injected script ran or sits in the DOM; ``shows`` (a payload) is on the page as text."""
    where = page.url
    assert page.dialogs == [], (where, page.dialogs)
    assert page.evaluate(DOM_PROBLEMS) == [], where
    if shows is not None:
        assert shows in page.locator("body").inner_text(), where
    assert page.problems == [], (where, page.problems)  # no CSP violation, no script error


def answer_wizard(page, answers: dict) -> None:
    run_check(page, None, answers, after_each=assert_clean)


def log_in(page, url: str, username: str) -> None:
    page.goto(url + "/medewerkers/inloggen")
    page.locator("#gebruikersnaam").fill(username)
    page.locator("#wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    if username == "anna":
        page.wait_for_selector(".totp-secret")
        secret = page.locator(".totp-secret").inner_text().replace(" ", "")
        page.locator("#code").fill(pyotp.TOTP(secret).now())
        page.get_by_role("button", name="Instellen en inloggen").click()
        page.wait_for_selector("table.queue")
    else:
        page.wait_for_url("**/medewerkers")


def test_public_pages_show_content_payloads_and_run_none_of_them(server, page):
    for path in ["/", "/hoe-wij-bepalen", "/onderwerpen/geld", "/onderwerpen/zorg", "/soorten/verwijzing",
                 "/soorten/voorziening", "/soorten/collectief", "/zoeken?q=voedselbank"]:
        page.goto(server.url + path)
        assert_clean(page)
    for product in product_ids(server.root):
        page.goto(f"{server.url}/producten/{product}")
        assert_clean(page)
        assert P["attribute"] in page.locator("main").inner_text() and "{{7*7}}" in page.locator("main").inner_text()

    # live search (htmx fragment) on the home page and on the search page, with a payload typed in
    page.goto(server.url + "/")
    page.locator("#home-search").fill("voedselbank")
    page.locator("#home-zoekresultaten .search-result").first.wait_for()
    assert_clean(page)
    page.goto(server.url + "/zoeken")
    page.locator("#zoekvraag").fill(TYPED)
    page.locator("#zoekresultaten .search-results__count, #zoekresultaten .search-result").first.wait_for()
    assert_clean(page, shows=None)
    page.goto(server.url + "/zoeken?" + urlencode({"q": TYPED}))  # the page itself, as after Enter
    assert_clean(page, shows=TYPED)


def test_the_check_results_and_referral_show_payloads_as_text(server, page):
    page.goto(server.url + "/check")
    answer_wizard(page, URGENT)
    assert_clean(page)
    assert P["attribute"] in page.locator("main").inner_text()  # urgent contacts and the wijkteam

    # payloads typed into a money and a number field come back as text
    page.get_by_role("link", name="Wijzig uw antwoorden").click()
    page.wait_for_selector("[data-page=controleer]")
    page.locator('a[href="/check/wijzig/leeftijd"]').click()
    page.locator("#leeftijd").fill(TYPED)
    page.locator("button[value=volgende]").click()
    page.wait_for_selector(".error-summary")
    assert page.input_value("#leeftijd") == TYPED
    assert_clean(page, shows=None)

    page.goto(server.url + "/check")
    answer_wizard(page, URGENT)
    page.get_by_role("button", name="Meld u aan bij het wijkteam").click()
    page.wait_for_selector("#toestemming")
    assert_clean(page, shows=None)
    page.locator("#naam").fill(TYPED)
    page.locator("#telefoon").fill(TYPED)
    page.locator("#email").fill(TYPED)
    page.locator("#toelichting").fill(TYPED)
    page.get_by_role("button", name="Aanmelding versturen").click()
    page.wait_for_selector(".error-summary")
    assert page.input_value("#naam") == TYPED and page.input_value("#toelichting") == TYPED
    assert_clean(page, shows=None)
    page.locator("#telefoon").fill("06 12345678")
    page.locator("#email").fill("")
    page.locator("#contact_time-middag").check()
    page.locator("#veilig_bellen-ja").check()  # asked because the household is urgent
    page.locator("#voorkeur-telefoon").check()
    page.locator("#toestemming").check()
    page.get_by_role("button", name="Aanmelding versturen").click()
    page.wait_for_selector("[data-reference]")
    assert_clean(page)


def refer_with_payloads(page, url: str) -> None:
    """An urgent resident refers herself with a payload as her name and note."""
    page.goto(url + "/check")
    answer_wizard(page, URGENT)
    page.get_by_role("button", name="Meld u aan bij het wijkteam").click()
    page.wait_for_selector("#toestemming")
    page.locator("#naam").fill(TYPED)
    page.locator("#telefoon").fill("06 12345678")
    page.locator("#toelichting").fill(TYPED)
    page.locator("#contact_time-middag").check()
    page.locator("#veilig_bellen-ja").check()
    page.locator("#voorkeur-telefoon").check()
    page.locator("#toestemming").check()
    page.get_by_role("button", name="Aanmelding versturen").click()
    page.wait_for_selector("[data-reference]")


def test_staff_pages_show_every_payload_as_text(server, page):
    refer_with_payloads(page, server.url)  # its own referral: the test does not lean on another one's
    page.goto(server.url + "/zoeken?q=%22%3E%3Cqqzzxx%20onmouseover%3Dqqyy%3E")  # finds nothing: listed for staff
    log_in(page, server.url, "anna")
    assert_clean(page, shows=None)
    reference = page.locator("table.queue a").first.inner_text()
    page.get_by_role("link", name=reference).click()
    page.wait_for_selector("[data-status]")
    assert_clean(page, shows=TYPED)  # the resident's name and note, and the product titles
    page.get_by_role("link", name=re.compile("toegangslog")).click()
    assert_clean(page, shows=None)
    for path in ("/medewerkers/inhoud", "/medewerkers/voorbeeld/voorbeeldpas", "/kcc?gemeente=voorbeeldstad"):
        page.goto(server.url + path)
        assert_clean(page)

    page.get_by_role("button", name="Uitloggen").first.click()
    for query in ("zonnepanelen", "zonnepanelen dak", "zonnepanelen?"):  # a Dutch word no product has
        page.goto(server.url + "/zoeken?" + urlencode({"q": '"><qqzzxx onmouseover=qqyy> ' + query}))
    log_in(page, server.url, "rita")
    page.goto(server.url + "/medewerkers/zoekvragen")
    assert_clean(page, shows="zonnepanelen")
    assert "qqzzxx" not in page.locator("main").inner_text()  # the payload around it is never kept


def test_the_kcc_screen_updates_never_run_a_payload(server, page):
    log_in(page, server.url, "kees")
    page.goto(server.url + "/kcc?gemeente=voorbeeldstad")
    page.locator("#kcc-form").wait_for()
    assert_clean(page)
    page.locator("#kcc-zoek").fill("voedselbank")
    page.locator("#kcc-zoekresultaten .search-result").first.wait_for()
    page.locator("#kcc-zoek").press("Enter")
    page.locator("#kcc-product").wait_for()
    assert_clean(page)
    page.locator("#onderwerpen-geld").check()
    page.locator("#leeftijd").fill(TYPED)
    page.locator("#leeftijd-fout").wait_for()
    assert TYPED.startswith(page.input_value("#leeftijd"))  # as far as the field's maxlength lets it in
    page.locator("#schulden-ja").check()
    page.locator("#schulden-relevantie.kcc-mark--answered").wait_for(state="attached")  # the panel was updated
    assert_clean(page)


def test_a_form_on_another_site_that_posts_to_ours_is_refused_and_ours_shows_its_origin(server, page):
    """The browser sends our own origin with our forms; a page on another origin cannot post, even with a token."""
    page.goto(server.url + "/check")
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")  # even a valid token is not enough
    seen = []
    page.on("request", lambda request: seen.append(request) if request.method == "POST" else None)
    page.locator("#onderwerpen-geld").check()
    page.get_by_role("button", name="Volgende").click()
    page.wait_for_selector('[data-page="stap"]')
    assert seen and {request.all_headers().get("origin") for request in seen} == {server.url}

    attack = (f'<form id="f" method="post" action="{server.url}/check">'
              f'<input name="_csrf_token" value="{token}"><input name="antwoorden" value="{{}}">'
              '<input name="vraag" value="onderwerpen"><input name="onderwerpen" value="geld"></form>'
              '<button form="f">Win een prijs</button>')
    page.route("http://aanvaller.test/**", lambda route: route.fulfill(status=200, content_type="text/html",
                                                                      body=attack))
    page.goto("http://aanvaller.test/prijs")
    with page.expect_response(f"{server.url}/check") as answer:
        page.get_by_role("button", name="Win een prijs").click()
    assert answer.value.status == 403
    assert "Het formulier is verlopen" in page.locator("body").inner_text()
