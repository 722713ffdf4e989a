"""Searching through HTTP: the /zoeken page, live results for htmx, the JSON API, the gaps list and the CLI."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from litestar.testing import TestClient

from catalogus.cli import main
from catalogus.casework.db import open_database
from catalogus.search.index import INDEX_DIR
from catalogus.search.gaps import DatabaseGaps
from catalogus.web.app import create_app
from tests.support.databases import T0, db, db_settings  # noqa: F401  (fixtures)
from tests.support.staff import ROOT, TODAY, add_staff, log_in

LIVE = {"HX-Request": "true", "HX-Target": "zoekresultaten"}
ODD = ["AND (", '"', "*", "title:x", "!!!", "a" * 2000, "huur " * 300, "<script>alert(1)</script>", "%", "\\", "ÿ"]


def gaps(settings) -> list[tuple[str, int]]:
    database = open_database(settings)
    try:
        return DatabaseGaps(database).top(50)
    finally:
        database.close()


def result_ids(html: str) -> list[str]:
    return re.findall(r'<li class="search-result" data-product="([^"]+)"', html)


# ---------------------------------------------------------------- the page

def test_the_search_page_without_a_query_shows_the_form_and_a_way_on(client):
    response = client.get("/zoeken")
    assert response.status_code == 200
    assert 'role="search"' in response.text and 'name="q"' in response.text
    assert 'action="/zoeken"' in response.text and 'method="get"' in response.text
    assert "Doe de check" in response.text and result_ids(response.text) == []


def test_a_query_lists_the_best_products_first_with_the_words_marked(client):
    response = client.get("/zoeken", params={"q": "invalide parkeerkaart"})
    assert response.status_code == 200
    assert result_ids(response.text)[0] == "gehandicaptenparkeerkaart"
    assert 'href="/producten/gehandicaptenparkeerkaart"' in response.text
    assert "<mark>" in response.text
    assert "resultaat voor ‘invalide parkeerkaart’" in response.text or "resultaten voor ‘invalide parkeerkaart’" in response.text
    assert 'value="invalide parkeerkaart"' in response.text  # the box keeps the query


def test_a_typo_gets_results_and_a_did_you_mean_link(client):
    response = client.get("/zoeken", params={"q": "kwijtscheldng"})
    assert result_ids(response.text)[0] == "kwijtschelding-gemeentelijke-belastingen"
    assert 'Bedoelde u: <a class="utrecht-link" href="/zoeken?q=kwijtschelding">kwijtschelding</a>?' in response.text


def test_filters_narrow_the_results_and_show_counts(client):
    everything = client.get("/zoeken", params={"q": "huur"}).text
    assert re.search(r'href="/zoeken\?q=huur&amp;onderwerp=wonen">Wonen[^<]*<span class="search-filter__count">\(\d+\)',
                     everything)
    only = client.get("/zoeken", params={"q": "huur", "soort": "verwijzing"}).text
    assert set(result_ids(only)) < set(result_ids(everything))
    assert re.search(r'aria-current="true">Hulp van andere organisaties', only)
    assert '<input type="hidden" name="soort" value="verwijzing">' in only  # typing again keeps the filter


def test_nothing_found_explains_what_to_do_and_is_counted_without_digits(client, web_settings):
    response = client.get("/zoeken", params={"q": "Fietsenstalling 06-12345678"})
    assert response.status_code == 200 and result_ids(response.text) == []
    assert "We vonden niets" in response.text and "Doe de check" in response.text and "14 0555" in response.text
    assert gaps(web_settings) == [("fietsenstalling", 1)]


def test_found_queries_and_filtered_searches_are_not_counted_as_gaps(client, web_settings):
    client.get("/zoeken", params={"q": "huurtoeslag"})
    client.get("/zoeken", params={"q": "huurtoeslag", "onderwerp": "veiligheid"})
    assert gaps(web_settings) == []


@pytest.mark.parametrize("query", ODD)
def test_odd_input_gets_a_normal_page(client, query):
    response = client.get("/zoeken", params={"q": query})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.text


def test_punctuation_only_asks_for_words(client):
    response = client.get("/zoeken", params={"q": "?!"})
    assert "Typ bijvoorbeeld" in response.text


def test_the_page_has_the_security_headers_and_no_inline_script(client):
    response = client.get("/zoeken", params={"q": "huur"})
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    assert not re.search(r"<script(?![^>]*\bsrc=)", response.text)
    assert not re.search(r"\son[a-z]+=", response.text)


def test_search_pages_fragments_and_the_api_are_never_stored(client):
    for response in (client.get("/zoeken", params={"q": "schulden scheiding"}), client.get("/zoeken"),
                     client.get("/zoeken", params={"q": "schuld"}, headers=LIVE),
                     client.get("/zoeken", params={"q": "schuld"}, headers={"HX-Request": "true",
                                                                           "HX-Target": "home-zoekresultaten"}),
                     client.get("/api/v1/search", params={"q": "schulden scheiding"})):
        assert response.status_code == 200
        assert response.headers["cache-control"] == "no-store", response.url


# ---------------------------------------------------------------- live results for htmx

def test_htmx_gets_only_the_results_and_the_status_for_screen_readers(client, web_settings):
    response = client.get("/zoeken", params={"q": "rolst"}, headers=LIVE)
    assert response.status_code == 200 and "<html" not in response.text and "<h1" not in response.text
    assert result_ids(response.text)[0] == "rolstoel"  # the word being typed counts as a prefix
    assert re.search(r'<p id="zoekresultaten-status" hx-swap-oob="innerHTML">\d+ resultaten? voor rolst</p>',
                     response.text)
    assert response.text.count('id="zoekresultaten"') == 1
    client.get("/zoeken", params={"q": "qqqqq"}, headers=LIVE)
    assert gaps(web_settings) == []  # keystrokes are not counted


def test_the_home_page_box_searches_as_you_type_and_links_to_all_results(client):
    home = client.get("/").text
    box = re.search(r'<input[^>]*id="home-search"[^>]*>', home).group(0)
    assert 'hx-get="/zoeken"' in box and 'hx-trigger="input changed delay:250ms, search"' in box
    assert 'hx-target="#home-zoekresultaten"' in box and 'hx-swap="outerHTML"' in box
    assert 'id="home-zoekresultaten-status"' in home and 'id="home-zoekresultaten"' in home
    live = client.get("/zoeken", params={"q": "hulp"}, headers={**LIVE, "HX-Target": "home-zoekresultaten"}).text
    assert len(result_ids(live)) == 5
    assert re.search(r'href="/zoeken\?q=hulp">Bekijk alle \d+ resultaten', live)
    assert "search-filters" not in live


# ---------------------------------------------------------------- the JSON API

def test_the_api_follows_the_contract(client):
    response = client.get("/api/v1/search", params={"q": "hulp in de huishouding", "limit": 3})
    assert response.status_code == 200
    body = response.json()
    assert set(body) >= {"query", "results", "suggestion"} and body["query"] == "hulp in de huishouding"
    assert len(body["results"]) == 3 and body["suggestion"] is None
    first = body["results"][0]
    assert set(first) >= {"id", "title", "kind", "summary", "score", "highlights"}
    assert first["id"] == "huishoudelijke-ondersteuning" and first["kind"] == "provision"
    scores = [r["score"] for r in body["results"]]
    assert scores == sorted(scores, reverse=True)
    assert all("<mark>" in h for h in first["highlights"])


def test_the_api_suggests_a_spelling(client):
    body = client.get("/api/v1/search", params={"q": "voedselbnak"}).json()
    assert body["suggestion"] == "voedselbank" and body["results"][0]["id"] == "voedselbank"


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "   "}, {"q": "\t\n"}])
def test_the_api_refuses_an_empty_query_with_422(client, params):
    response = client.get("/api/v1/search", params=params)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "q"


@pytest.mark.parametrize("limit", ["0", "51", "-1", "tien", "1.5"])
def test_the_api_refuses_a_limit_outside_1_to_50(client, limit):
    response = client.get("/api/v1/search", params={"q": "huur", "limit": limit})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "limit"


@pytest.mark.parametrize("query", ODD)
def test_the_api_answers_odd_input(client, query):
    response = client.get("/api/v1/search", params={"q": query})
    assert response.status_code == 200 and isinstance(response.json()["results"], list)


def test_the_api_is_in_the_openapi_document(client):
    paths = client.get("/schema/openapi.json").json()["paths"]
    assert "/api/v1/search" in paths
    names = {p["name"] for p in paths["/api/v1/search"]["get"]["parameters"]}
    assert {"q", "limit"} <= names


def test_api_queries_that_find_nothing_are_counted(client, web_settings):
    client.get("/api/v1/search", params={"q": "Zonnepanelen"})
    assert gaps(web_settings) == [("zonnepanelen", 1)]


# ---------------------------------------------------------------- the gaps list

def test_gaps_are_counted_per_query_on_both_databases(db):  # noqa: F811
    store = DatabaseGaps(db)
    for query in ("Traplift kopen", "traplift  kopen", "fiets 12", "12 34"):
        store.record(query, at=T0)
    assert store.top(10) == [("traplift kopen", 2), ("fiets", 1)]
    assert store.forget() == 2 and store.top(10) == []


@pytest.fixture
def staff_client(db_settings):  # noqa: F811
    settings = db_settings.with_(content_dir=ROOT, today=TODAY, secure_cookies=False)
    with TestClient(create_app(settings)) as test_client:
        test_client.settings = settings
        yield test_client


def test_the_gaps_page_is_for_logged_in_staff_only(staff_client):
    response = staff_client.get("/medewerkers/zoekvragen", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/medewerkers/inloggen"


def test_staff_see_the_most_asked_gaps_first(staff_client):
    for query in ("zonnepanelen", "hondenbelasting", "zonnepanelen"):
        staff_client.get("/zoeken", params={"q": query})
    add_staff(staff_client.settings, "anna", "kcc")
    log_in(staff_client, "anna")
    response = staff_client.get("/medewerkers/zoekvragen")
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    rows = re.findall(r'<td class="utrecht-table__cell">([^<]+)</td>\s*<td[^>]*>(\d+)</td>', response.text)
    assert rows == [("zonnepanelen", "2"), ("hondenbelasting", "1")]
    assert "rules/synoniemen.yaml" in response.text


# ---------------------------------------------------------------- the command line

def test_catalogus_index_writes_the_index_and_search_gaps_lists_queries(tmp_path, monkeypatch):
    monkeypatch.setenv("CATALOGUS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CATALOGUS_DATABASE_URL", "")
    runner = CliRunner()
    built = runner.invoke(main, ["index", "--root", str(ROOT)])
    assert built.exit_code == 0, built.output
    assert "Zoekindex voor inhoudsversie" in built.output
    assert len([p for p in (tmp_path / INDEX_DIR).iterdir()]) == 1
    again = runner.invoke(main, ["index", "--root", str(ROOT)])
    assert again.exit_code == 0 and len(list((tmp_path / INDEX_DIR).iterdir())) == 1
    empty = runner.invoke(main, ["search-gaps"])
    assert empty.exit_code == 0 and "Geen zoekvragen" in empty.output
    database = open_database(__import__("catalogus.settings", fromlist=["Settings"]).Settings.from_env())
    DatabaseGaps(database).record("Zonnepanelen")
    database.close()
    listed = runner.invoke(main, ["search-gaps"])
    assert listed.exit_code == 0 and re.search(r"\s1\s+zonnepanelen", listed.output)


def test_catalogus_search_shows_the_best_products(tmp_path, monkeypatch):
    monkeypatch.setenv("CATALOGUS_DATA_DIR", str(tmp_path))
    result = CliRunner().invoke(main, ["search", "--root", str(ROOT), "kwijtscheldng"])
    assert result.exit_code == 0, result.output
    assert "Bedoelde u: kwijtschelding?" in result.output
    assert "kwijtschelding-gemeentelijke-belastingen" in result.output.splitlines()[1]
