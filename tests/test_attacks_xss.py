"""XSS: payloads in the content (tests/content/xss) and in every form field come out as text, everywhere.

A real server (``catalogus serve``) runs on a copy of the content with a payload in every
visible text. Every page, htmx fragment, staff page, the KCC screen, the SC feed and the
JSON API are fetched as residents and staff fetch them; no payload may appear unescaped.
The browser version (tests/browser/test_browser_attacks.py) checks that no script runs.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import httpx
import pytest
from markupsafe import escape

from catalogus.catalog import load_catalog
from catalogus.models import DOMAINS
from catalogus.settings import Settings
from catalogus.web.present import KIND_BY_SLUG
from tests.conftest import TODAY
from tests.support.content_copy import copy_content
from tests.support.servers import Server, server_env
from tests.support.staff import ROUTED, add_staff, csrf_token, log_in, reference_in, referral_form
from tests.support.web import walk_check
from tests.support.xss import TEMPLATE_TEXT, edit_yaml, fixture, payloads, product_ids, raw_payloads_in, xss_content

P = payloads()
KINDS = list(KIND_BY_SLUG)
#: every urgent signal and the wijkteam route: the results page shows all routing texts
URGENT = {**ROUTED, "onveilig_thuis": True, "woonsituatie": "geen_vaste_woonplek"}
#: typed into forms by an attacker (or pasted by a resident)
TYPED = '<script>alert(201)</script>"><img src=x onerror=alert(202)>\' autofocus onfocus=\'alert(203)'
LIVE = {"zoekresultaten", "home-zoekresultaten", "kcc-zoekresultaten"}


def escaped(text: str) -> str:
    return str(escape(text))


def assert_text_only(response, *, must_show: list[str] = ()) -> None:
    """No payload unescaped; each text in ``must_show`` present, escaped as text."""
    assert raw_payloads_in(response.text) == [], (str(response.url), raw_payloads_in(response.text))
    for text in must_show:
        assert escaped(text) in response.text, (str(response.url), text)


@pytest.fixture(scope="module")
def xss_root(tmp_path_factory):
    return xss_content(tmp_path_factory.mktemp("xss-content"))


@pytest.fixture(scope="module")
def site(tmp_path_factory, xss_root):
    data = tmp_path_factory.mktemp("xss-site")
    for name, role in (("anna", "casemanager"), ("kees", "kcc"), ("rita", "redacteur")):
        add_staff(Settings(data_dir=data), name, role)
    env = server_env(data, CATALOGUS_CONTENT_DIR=str(xss_root), CATALOGUS_RATE_LIMIT_PER_MINUTE="1000")
    with Server(env, log_path=data / "server.log") as server:
        yield server


def client(site) -> httpx.Client:
    return httpx.Client(base_url=site.url, follow_redirects=True, timeout=30)


@pytest.fixture(scope="module")
def resident(site):
    with client(site) as c:
        yield c


@pytest.fixture(scope="module")
def case_manager(site):
    with client(site) as c:
        log_in(c, "anna")
        yield c


@pytest.fixture(scope="module")
def editor(site):
    with client(site) as c:
        log_in(c, "rita")
        yield c


@pytest.fixture(scope="module")
def kcc(site):
    with client(site) as c:
        log_in(c, "kees")
        yield c


# ---------------------------------------------------------------- payloads in the content

def test_the_fixture_content_is_valid_and_carries_the_payloads(xss_root):
    catalog, diagnostics = load_catalog(xss_root, today=TODAY)
    assert catalog is not None, [str(d) for d in diagnostics if d.is_error]
    assert P["script"] in catalog.products["voorbeeldpas"].title
    assert P["script"] in catalog.vocabulary["leeftijd"].text


def test_every_public_page_shows_the_content_payloads_as_text(resident, xss_root):
    pages = ["/", "/hoe-wij-bepalen", "/aanmelden", "/medewerkers/inloggen", "/check"]
    pages += [f"/onderwerpen/{d}" for d in DOMAINS] + [f"/soorten/{k}" for k in KINDS]
    for path in pages:
        response = resident.get(path)
        assert response.status_code == 200, path
        assert_text_only(response)
    home = resident.get("/")
    assert escaped(P["script"]) in home.text  # titles
    transparency = resident.get("/hoe-wij-bepalen")
    assert_text_only(transparency, must_show=[P["script"], P["attribute"]])  # rules, norms, sources
    for product in product_ids(xss_root):
        page = resident.get(f"/producten/{product}")
        assert page.status_code == 200
        assert_text_only(page, must_show=[P["script"], P["attribute"], P["svg"], P["style"]])
        assert TEMPLATE_TEXT in page.text and "jinja{%" in page.text  # never evaluated as a template


def test_htmx_fragments_show_the_payloads_as_text(resident):
    for target in LIVE:
        fragment = resident.get("/zoeken", params={"q": "voedselbank"},
                                headers={"HX-Request": "true", "HX-Target": target})
        assert fragment.status_code == 200 and "<html" not in fragment.text
        assert_text_only(fragment, must_show=[P["script"]])
    for path in ("/", "/producten/voorbeeldpas", "/hoe-wij-bepalen", "/onderwerpen/geld"):
        fragment = resident.get(path, headers={"HX-Request": "true", "HX-Target": "main"})
        assert "<html" not in fragment.text
        assert_text_only(fragment, must_show=[P["script"]])


def test_search_finds_by_payload_keywords_and_shows_them_as_text(resident):
    for query in (P["script"], TEMPLATE_TEXT, P["attribute"], "voedselbank"):
        page = resident.get("/zoeken", params={"q": query})
        assert page.status_code == 200
        assert_text_only(page)
    hits = resident.get("/api/v1/search", params={"q": "voedselbank"}).json()["results"]
    for hit in hits:
        for highlight in hit["highlights"]:
            assert raw_payloads_in(highlight) == [], highlight  # HTML-escaped with only <mark> as markup


def test_the_wizard_and_the_results_show_question_and_product_payloads_as_text(resident):
    walk = walk_check(resident, URGENT)
    assert walk.asked, "the walk answered questions"
    for response in walk.pages:
        assert_text_only(response)
    question_page = walk.pages[2].text
    assert escaped(P["script"]) in question_page  # question text
    results = walk.last
    assert 'data-page="uitkomst"' in results.text
    assert_text_only(results, must_show=[P["script"], P["attribute"], P["svg"]])  # titles, urgent contacts, team


def test_the_sc_feed_body_is_xhtml_without_any_active_element(resident):
    feed = resident.get("/samenwerkende-catalogi.xml")
    assert feed.status_code == 200
    root = ET.fromstring(feed.content)
    bodies = [el.text for el in root.iter() if el.tag.endswith("productHTML")]
    assert len(bodies) == 46
    for body in bodies:
        fragment = ET.fromstring(f"<div>{body}</div>")
        tags = {el.tag for el in fragment.iter()}
        assert tags <= {"div", "h2", "h3", "p", "ul", "ol", "li", "a", "strong", "em", "br", "dl", "dt", "dd"}, tags
        assert all(a.get("href", "").startswith(("https://", "http://", "tel:", "mailto:"))
                   for a in fragment.iter("a"))
        assert P["script"] in "".join(fragment.itertext())  # the payload is text in the body


def test_json_answers_are_json_that_a_browser_never_sniffs_as_html(resident):
    for response in (resident.get("/api/v1/products"), resident.get("/api/v1/products/voorbeeldpas"),
                     resident.post("/api/v1/check", json={"answers": URGENT}), resident.get("/health")):
        assert response.headers["content-type"].startswith("application/json")
        assert response.headers["x-content-type-options"] == "nosniff"
    assert P["script"] in resident.get("/api/v1/products/voorbeeldpas").json()["title"]  # data stays data


# ---------------------------------------------------------------- payloads typed into forms

def test_payloads_typed_into_the_wizard_come_back_escaped_in_the_field(resident):
    token = csrf_token(resident)
    screens = {"leeftijd": "huishouden", "netto_inkomen": "werk_en_inkomen", "aantal_kinderen": "huishouden",
               "mantelzorg_uren": "mantelzorg"}
    for question, screen in screens.items():
        page = resident.post("/check", data={"_csrf_token": token, "antwoorden": "{}", "scherm": screen,
                                             "vragen": question, question: TYPED})
        assert page.status_code == 422
        assert_text_only(page, must_show=[TYPED])
    damaged = resident.post("/check/uitkomst", data={"_csrf_token": token, "antwoorden": TYPED})
    assert damaged.status_code == 400
    assert_text_only(damaged)


def test_payloads_in_the_search_box_come_back_escaped_in_page_fragment_and_staff_list(resident, editor):
    query = TYPED + " qqzzxx"
    page = resident.get("/zoeken", params={"q": query})
    assert_text_only(page, must_show=[query])
    for target in LIVE:
        fragment = resident.get("/zoeken", params={"q": query}, headers={"HX-Request": "true", "HX-Target": target})
        assert_text_only(fragment)
    nothing = '"><qqzzxx onmouseover=qqyy>'  # words no product has, around a Dutch word no product has either
    for around in (nothing + " zonnepanelen", "zonnepanelen " + nothing, "zonnepanelen dak " + nothing):
        assert_text_only(resident.get("/zoeken", params={"q": around}))
    gaps = editor.get("/medewerkers/zoekvragen")
    assert gaps.status_code == 200
    assert_text_only(gaps)
    assert "zonnepanelen" in gaps.text  # the Dutch word is listed for the editors, as text ...
    assert "qqzzxx" not in gaps.text and "onmouseover" not in gaps.text  # ... the payload never


def test_a_payload_as_login_name_comes_back_escaped(site):
    with client(site) as c:
        page = c.post("/medewerkers/inloggen", data={"_csrf_token": csrf_token(c), "gebruikersnaam": TYPED,
                                                     "wachtwoord": TYPED})
        assert page.status_code == 401
        assert_text_only(page, must_show=[TYPED])


def test_payloads_in_the_referral_form_are_escaped_for_the_resident_and_the_case_manager(resident, case_manager):
    token = csrf_token(resident)
    refused = resident.post("/aanmelden", data=referral_form(token, naam=TYPED, telefoon=TYPED, email=TYPED,
                                                             toelichting=TYPED, contact_time=TYPED))
    assert refused.status_code == 422
    assert_text_only(refused, must_show=[TYPED])
    email = "x'onmouseover='alert@example.nl"
    stored = resident.post("/aanmelden", data=referral_form(token, naam=TYPED, email=email,
                                                            toelichting=f"Let op {TYPED}"))
    assert stored.status_code == 200, stored.text[-2000:]
    reference = reference_in(stored.text)
    assert_text_only(stored)
    queue = case_manager.get("/medewerkers/aanmeldingen")
    assert_text_only(queue, must_show=[TYPED])
    detail = case_manager.get(f"/medewerkers/aanmeldingen/{reference}")
    assert_text_only(detail, must_show=[TYPED, f"Let op {TYPED}", email, P["script"]])  # and product titles
    assert escaped(email) in detail.text and "onmouseover='alert" not in detail.text
    log = case_manager.get(f"/medewerkers/aanmeldingen/{reference}/log")
    assert_text_only(log)


def test_staff_content_pages_show_the_payloads_as_text(case_manager, kcc):
    for path in ("/medewerkers/inhoud", "/medewerkers/voorbeeld/voorbeeldpas"):
        page = case_manager.get(path)
        assert page.status_code == 200, path
        assert_text_only(page, must_show=[P["script"]])  # titles and owners
    home = kcc.get("/medewerkers")
    assert home.status_code == 200
    assert_text_only(home)


def test_the_kcc_screen_shows_every_payload_as_text(kcc):
    assert_text_only(kcc.get("/kcc"))  # the municipality choice (names and numbers of the region)
    screen = kcc.get("/kcc?gemeente=voorbeeldstad")
    assert screen.status_code == 200
    assert_text_only(screen, must_show=[P["script"], P["attribute"]])  # question texts and short labels
    token = csrf_token(kcc)
    fields = {"_csrf_token": token, "onderwerpen": ["geld", "gezin"], "leeftijd": TYPED, "netto_inkomen": TYPED,
              "schulden": "ja", "toon": "voorbeeldpas"}
    for path, headers in (("/kcc", {}), ("/kcc/uitkomst", {"HX-Request": "true", "HX-Target": "kcc-uitkomst"})):
        page = kcc.post(path, data=fields, headers=headers)
        assert page.status_code == 422
        assert_text_only(page, must_show=[P["script"]])
        assert 'id="kcc-product"' in page.text  # the product panel with its payloads
    answers = {**URGENT}
    answers.pop("onderwerpen")
    filled = kcc.post("/kcc", data={"_csrf_token": token, "onderwerpen": ["geld", "gezin"], "toon": "voorbeeldpas",
                                    **{k: ("ja" if v is True else "nee" if v is False else v)
                                       for k, v in answers.items()}})
    assert filled.status_code == 200
    assert_text_only(filled, must_show=[P["script"]])
    summary = re.search(r"<textarea[^>]*>(.*?)</textarea>", filled.text, re.S)
    assert summary and escaped(P["script"]) in summary.group(1)  # the plain-text summary, escaped as text


def test_a_kcc_referral_on_a_callers_behalf_with_payloads_is_escaped_for_the_case_manager(kcc, case_manager):
    token = csrf_token(kcc)
    done = kcc.post("/aanmelden", data=referral_form(token, URGENT, naam=f"Beller {TYPED}",
                                                     veilig_bellen="ja", voorkeur="telefoon",
                                                     toelichting=TYPED))
    assert done.status_code == 200
    reference = reference_in(done.text)
    detail = case_manager.get(f"/medewerkers/aanmeldingen/{reference}")
    assert_text_only(detail, must_show=[f"Beller {TYPED}"])


def test_the_server_sends_the_answers_back_in_hidden_fields_as_escaped_json(resident):
    token = csrf_token(resident)
    answers = {"onderwerpen": ["geld"], "leeftijd": 40}
    page = resident.post("/check", data={"_csrf_token": token, "antwoorden": json.dumps(answers),
                                         "actie": "controleer"})
    hidden = re.search(r'name="antwoorden" value="([^"]*)"', page.text).group(1)
    assert "&#34;" in hidden and '"' not in hidden  # quotes escaped inside the attribute


# ---------------------------------------------------------------- hostile links never get in

LINKS = {  # every place content puts a link target
    "aanvragen.online": ("products/voorbeeldpas.yaml", ("aanvragen", "online")),
    "contact.website": ("products/veilig-thuis.yaml", ("contact", "website")),
    "contacten.website": ("gemeenten/buurdorp/gemeente.yaml", ("contacten", "team_wmo", "website")),
    "wettelijke_basis.bron": ("products/voorbeeldpas.yaml", ("wettelijke_basis", "bron")),
}


@pytest.mark.parametrize("link", [str(x) for x in fixture()["refused_links"]])
@pytest.mark.parametrize("where", list(LINKS))
def test_the_checker_refuses_a_hostile_link_target(tmp_path, link, where):
    root = copy_content(tmp_path / "content")
    file, (*parents, key) = LINKS[where]

    def put(data):
        for parent in parents:
            data = data[parent]
        data[key] = link

    edit_yaml(root / file, put)
    catalog, diagnostics = load_catalog(root, today=TODAY)
    errors = [d for d in diagnostics if d.is_error]
    assert catalog is None and errors
    assert errors[0].path == file and key in str(errors[0]), [str(e) for e in errors]
