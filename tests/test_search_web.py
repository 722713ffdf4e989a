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
        return DatabaseGaps(database, settings.secret_key).top(50)
    finally:
        database.close()


def gap_tables(settings) -> str:
    """Everything the search-gap tables hold, as one text."""
    database = open_database(settings)
    try:
        with database.transaction(write=False) as tx:
            rows = tx.fetchall("SELECT * FROM search_gap_words") + tx.fetchall("SELECT * FROM search_gap_pending")
    finally:
        database.close()
    return " ".join(str(value) for row in rows for value in row.values())


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


def test_nothing_found_explains_what_to_do_and_the_word_is_counted_without_digits(client, web_settings):
    response = client.get("/zoeken", params={"q": "Fietsenstalling 06-12345678"})
    assert response.status_code == 200 and result_ids(response.text) == []
    assert "We vonden niets" in response.text and "Doe de check" in response.text and "14 0555" in response.text
    assert gaps(web_settings) == []  # one search is nobody's pattern yet
    for query in ("fietsenstalling bij de flat", "Fietsenstalling 06-12345678", "fietsenstalling flatgebouw"):
        client.get("/zoeken", params={"q": query})
    assert gaps(web_settings) == [("fietsenstalling", 3)]
    assert "12345678" not in gap_tables(web_settings) and "flat" not in gap_tables(web_settings)


def test_found_queries_and_filtered_searches_are_not_counted_as_gaps(client, web_settings):
    for variant in ("huurtoeslag", "huurtoeslag aanvragen", "Huurtoeslag nu"):
        client.get("/zoeken", params={"q": variant})
        client.get("/zoeken", params={"q": variant + " zonnepanelen", "onderwerp": "veiligheid"})
    assert gaps(web_settings) == [] and gap_tables(web_settings) == ""


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
    for query in ("Zonnepanelen", "zonnepanelen subsidie dak", "zonnepanelen dak"):
        client.get("/api/v1/search", params={"q": query})
    assert ("zonnepanelen", 3) in gaps(web_settings)


# ---------------------------------------------------------------- the gaps list

def test_gap_words_are_counted_per_different_search_on_both_databases(db):  # noqa: F811
    store = DatabaseGaps(db, "geheim")
    for query in ("Traplift kopen", "traplift  kopen", "TRAPLIFT KOPEN"):  # one search, typed three times
        store.record(query, ["traplift"], at=T0)
    assert store.top(10) == []
    assert store.record("traplift huren", ["traplift"], at=T0) == []
    assert store.record("traplift voor mijn moeder", ["traplift", "moeder"], at=T0) == ["traplift"]
    assert store.top(10) == [("traplift", 3)]
    store.record("traplift", ["traplift"], at=T0)
    assert store.top(10) == [("traplift", 4)]
    assert store.forget() == 1 and store.top(10) == []


def test_pending_words_of_another_week_do_not_add_up(db):  # noqa: F811
    import datetime as dt

    store = DatabaseGaps(db, "geheim")
    store.record("rolluik kapot", ["rolluik"], at=T0)
    store.record("rolluik repareren", ["rolluik"], at=T0)
    store.record("rolluik huurwoning", ["rolluik"], at=T0 + dt.timedelta(days=8))  # the week's hashes are gone
    assert store.top(10) == []
    with db.transaction(write=False) as tx:
        assert tx.fetchvalue("SELECT COUNT(*) AS n FROM search_gap_pending") == 1


def test_gap_words_not_searched_for_in_90_days_go_with_the_daily_maintenance(db, db_settings):  # noqa: F811
    import datetime as dt

    from catalogus.casework import jobs

    store = DatabaseGaps(db, "geheim")
    for query in ("dakgoot lekt", "dakgoot schoonmaken", "dakgoot huur"):
        store.record(query, ["dakgoot"], at=T0)
    for query in ("rolluik kapot", "rolluik repareren", "rolluik huur"):
        store.record(query, ["rolluik"], at=T0 + dt.timedelta(days=60))
    jobs.run_purge_if_due(db, db_settings, now=T0 + dt.timedelta(days=91))
    assert store.top(10) == [("rolluik", 3)]


def test_a_search_about_a_person_leaves_nothing_of_that_person(staff_client):
    """The issue's example, searched again and again: no name, no situation, no text stays; only keyed hashes."""
    sentence = "ik ben mishandeld door mijn man Pieter de Vries"
    for query in (sentence, sentence.capitalize(), sentence.upper(), "  " + sentence.replace(" ", "  ") + " ", sentence):
        page = staff_client.get("/zoeken", params={"q": query})
        assert page.status_code == 200 and result_ids(page.text) == []
    assert gaps(staff_client.settings) == []  # one search, however often: nobody's words reach the list
    database = open_database(staff_client.settings)
    try:
        with database.transaction(write=False) as tx:
            pending = tx.fetchall("SELECT * FROM search_gap_pending")
            assert tx.fetchall("SELECT * FROM search_gap_words") == []
    finally:
        database.close()
    assert pending and all(set(row) == {"period", "word_hash", "search_hash"} for row in pending)  # no time
    assert all(re.fullmatch(r"[0-9a-f]{32}", row["word_hash"]) and re.fullmatch(r"[0-9a-f]{32}", row["search_hash"])
               for row in pending)
    assert len({row["search_hash"] for row in pending}) == len(pending)  # the words of the search do not join up

    for query in ("mishandeld door Pieter de Vries", "Mishandeld! Pieter de Vries"):  # different searches, same name
        staff_client.get("/zoeken", params={"q": query})
    kept = gap_tables(staff_client.settings).lower()
    assert "pieter" not in kept and "vries" not in kept  # a name written as a name is never counted
    assert all(" " not in word for word, _ in gaps(staff_client.settings))  # at most lone words, never a phrase


@pytest.fixture
def staff_client(db_settings):  # noqa: F811
    settings = db_settings.with_(content_dir=ROOT, today=TODAY, secure_cookies=False, secret_key="test-geheim")
    with TestClient(create_app(settings)) as test_client:
        test_client.settings = settings
        yield test_client


def test_the_gaps_page_is_for_logged_in_staff_only(staff_client):
    response = staff_client.get("/medewerkers/zoekvragen", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/medewerkers/inloggen"


@pytest.mark.parametrize("role", ["kcc", "casemanager"])
def test_the_gaps_page_is_for_editors_only(staff_client, role):
    add_staff(staff_client.settings, "anna", role)
    log_in(staff_client, "anna")
    response = staff_client.get("/medewerkers/zoekvragen", follow_redirects=False)
    assert response.status_code == 403


def test_editors_see_the_most_asked_words_first(staff_client):
    for query in ("zonnepanelen", "zonnepanelen dak", "hondenbelasting", "zonnepanelen subsidie",
                  "hondenbelasting?", "Hondenbelasting!", "zonnepanelen subsidie dak"):
        staff_client.get("/zoeken", params={"q": query})
    add_staff(staff_client.settings, "anna", "redacteur")
    log_in(staff_client, "anna")
    home = staff_client.get("/medewerkers")
    assert "Zoekwoorden zonder resultaat" in home.text and "(redacteur)" in home.text
    response = staff_client.get("/medewerkers/zoekvragen")
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    rows = re.findall(r'<td class="utrecht-table__cell">([^<]+)</td>\s*<td[^>]*>(\d+)</td>', response.text)
    assert rows[:2] == [("zonnepanelen", "4"), ("hondenbelasting", "3")]
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
    assert empty.exit_code == 0 and "Geen woorden zonder resultaat" in empty.output
    settings = __import__("catalogus.settings", fromlist=["Settings"]).Settings.from_env()
    database = open_database(settings)
    from catalogus.datadir import secret_key

    for query in ("Zonnepanelen", "zonnepanelen dak", "zonnepanelen subsidie"):
        DatabaseGaps(database, secret_key(settings)).record(query, ["zonnepanelen"])
    database.close()
    listed = runner.invoke(main, ["search-gaps"])
    assert listed.exit_code == 0 and re.search(r"\s3\s+zonnepanelen", listed.output)
    assert runner.invoke(main, ["search-gaps", "--wis"]).output.startswith("1 woord gewist")


def test_catalogus_search_shows_the_best_products(tmp_path, monkeypatch):
    monkeypatch.setenv("CATALOGUS_DATA_DIR", str(tmp_path))
    result = CliRunner().invoke(main, ["search", "--root", str(ROOT), "kwijtscheldng"])
    assert result.exit_code == 0, result.output
    assert "Bedoelde u: kwijtschelding?" in result.output
    assert "kwijtschelding-gemeentelijke-belastingen" in result.output.splitlines()[1]
