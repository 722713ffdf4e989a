"""/health, the SC feed, "Hoe wij bepalen wat bij u past" and the staff content pages, through HTTP."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import xml.etree.ElementTree as ET

import pytest
from litestar.testing import TestClient

from catalogus.catalog import content_version, load_catalog
from catalogus.content import ContentState
from catalogus.wording import format_norm_value
from catalogus.sc import NS, Publisher
from catalogus.web.app import create_app
from catalogus.web.templating import date_nl
from tests.conftest import TODAY, make_web_settings
from tests.support.content_copy import copy_content, product_file, set_title
from tests.support.staff import add_staff, log_in

SC = "{%s}" % NS["overheidproduct"]
DC = "{%s}" % NS["dcterms"]


def texts(node):
    yield node.text
    for child in node.children:
        yield from texts(child)


def page_text(response) -> str:
    return html.unescape(response.text)


@pytest.fixture
def content_root(tmp_path):
    return copy_content(tmp_path / "content")


@pytest.fixture
def own_settings(tmp_path, content_root):
    return make_web_settings(tmp_path / "data", content_dir=content_root)


@pytest.fixture
def own_state(own_settings):
    state = ContentState(own_settings.content_dir, today=lambda: TODAY)  # no search index: not needed here
    state.load()
    return state


@pytest.fixture
def own_client(own_settings, own_state):
    """An app over a private copy of the content, which the test may change and break."""
    with TestClient(create_app(own_settings, content=own_state)) as test_client:
        yield test_client


def staff_login(client, settings, username="kees"):
    add_staff(settings, username, "kcc")
    log_in(client, username)


# ---------------------------------------------------------------- /health

def test_health_reports_status_version_and_load_time_and_is_never_cached(client, catalog):
    response = client.get("/health")
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["status"] == "ok" and body["last_error"] is None
    assert body["version"] == content_version(catalog.root) == response.headers["x-content-version"]
    assert dt.datetime.fromisoformat(body["loaded_at"]).tzinfo is not None


def test_health_is_in_the_openapi_document(client):
    schema = client.get("/schema/openapi.json").json()
    assert "get" in schema["paths"]["/health"]


def test_a_rejected_change_shows_in_health_as_degraded_with_codes_but_no_content(own_client, content_root, own_state):
    served = own_state.current.version
    product_file(content_root, "huurtoeslag").write_text("titel: [\n", encoding="utf-8")
    assert not own_state.reload().ok
    body = own_client.get("/health").json()
    assert body["status"] == "degraded"
    assert body["version"] == served  # the last good version is still served
    assert body["last_error"]["codes"] == ["E100"] and body["last_error"]["count"] >= 1
    assert "huurtoeslag" not in str(body) and "diagnostics" not in body["last_error"]
    assert "Huurtoeslag" in own_client.get("/producten/huurtoeslag").text


# ---------------------------------------------------------------- Samenwerkende Catalogi

def test_the_sc_feed_is_xml_with_one_scproduct_per_product_at_the_public_address(tmp_path, web_content, catalog):
    settings = make_web_settings(tmp_path, public_url="https://gemeente.example", gemeente="Ergens")
    with TestClient(create_app(settings, content=web_content)) as test_client:
        response = test_client.get("/samenwerkende-catalogi.xml")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/xml; charset=utf-8"
    root = ET.fromstring(response.content)
    assert root.tag == SC + "scproducten"
    products = root.findall(SC + "scproduct")
    assert len(products) == len(catalog.products)
    ids = {p.findtext(f"{SC}meta/{SC}scmeta/{SC}productID") for p in products}
    assert ids == set(catalog.products)
    first = products[0].find(f"{SC}meta/{SC}owmskern")
    assert first.findtext(DC + "identifier").startswith("https://gemeente.example/producten/")
    authority = first.find("{%s}authority" % NS["overheid"])
    # In a region the municipality comes from its gemeente.yaml, not from CATALOGUS_GEMEENTE.
    assert authority.text == "Voorbeeldstad"
    assert authority.get("resourceIdentifier") == "http://standaarden.overheid.nl/owms/terms/Voorbeeldstad"


def _feed_products(content: bytes) -> dict[str, ET.Element]:
    root = ET.fromstring(content)
    return {p.findtext(f"{SC}meta/{SC}scmeta/{SC}productID"): p.find(f"{SC}meta/{SC}owmskern")
            for p in root.findall(SC + "scproduct")}


def test_each_municipality_has_its_own_feed_and_the_centrumgemeente_is_the_authority_of_regional_products(
        tmp_path, web_content):
    settings = make_web_settings(tmp_path, public_url="https://regio.example")
    with TestClient(create_app(settings, content=web_content)) as test_client:
        feed = _feed_products(test_client.get("/buurdorp/samenwerkende-catalogi.xml").content)
    assert "buurdorppas" in feed and not {"voorbeeldpas", "kindpakket", "maaltijdservice"} & set(feed)
    authority = "{%s}authority" % NS["overheid"]
    pas, shelter = feed["buurdorppas"], feed["beschermd-wonen"]
    assert pas.findtext(DC + "identifier") == "https://regio.example/buurdorp/producten/buurdorppas"
    assert pas.find(DC + "spatial").text == pas.find(authority).text == "Buurdorp"
    assert shelter.find(DC + "spatial").text == "Buurdorp"
    assert shelter.find(authority).text == "Voorbeeldstad"
    assert shelter.find(authority).get("resourceIdentifier").endswith("/owms/terms/Voorbeeldstad")


def test_the_sc_feed_follows_the_content_version(own_client, own_state, content_root):
    before = own_client.get("/samenwerkende-catalogi.xml")
    assert before.content == own_client.get("/samenwerkende-catalogi.xml").content
    set_title(content_root, "huurtoeslag", "Huurtoeslag", "Huurtoeslag van Dienst Toeslagen")
    assert own_state.reload().ok
    after = own_client.get("/samenwerkende-catalogi.xml")
    assert after.headers["x-content-version"] == own_state.current.version != before.headers["x-content-version"]
    assert b"<dcterms:title>Huurtoeslag van Dienst Toeslagen</dcterms:title>" in after.content
    assert b"<dcterms:title>Huurtoeslag van Dienst Toeslagen</dcterms:title>" not in before.content


def test_a_publisher_named_after_a_municipality_gets_its_owms_uri():
    assert Publisher.named("https://x.nl", "Den Haag").municipality_uri == \
        "http://standaarden.overheid.nl/owms/terms/Den_Haag"
    assert Publisher.named("https://x.nl", "Ergens", "urn:x").municipality_uri == "urn:x"


# ---------------------------------------------------------------- Hoe wij bepalen wat bij u past

def test_every_page_links_to_the_transparency_page(client):
    assert 'href="/hoe-wij-bepalen">Hoe wij bepalen wat bij u past</a>' in client.get("/").text


def test_the_transparency_page_explains_every_products_rule_in_generated_words(client, catalog):
    response = client.get("/hoe-wij-bepalen")
    assert response.status_code == 200
    text = page_text(response)
    assert "<h1" in text and "Hoe wij bepalen wat bij u past</h1>" in text
    for sentence in ("We bewaren uw antwoorden niet.", "De uitkomst is geen besluit.", "bezwaar maken"):
        assert sentence in text
    day = catalog.norms.on(TODAY)
    for product in catalog.products.values():
        entry = re.search(rf'<article class="rule-entry" data-product="{product.id}".*?</article>', text, re.S)
        assert entry is not None, product.id
        assert f">{product.title}</a>" in entry.group(0)
        for sentence in texts(catalog.describe(product.rule, day)):
            assert sentence in entry.group(0), (product.id, sentence)
        basis = product.content.wettelijke_basis
        assert f'href="{basis.bron}"' in entry.group(0) and basis.wet in entry.group(0)


def test_the_transparency_page_groups_products_by_kind_collective_first(client, catalog):
    text = client.get("/hoe-wij-bepalen").text
    positions = [text.index(f'id="soort-{slug}"') for slug in ("collectief", "voorziening", "verwijzing")]
    assert positions == sorted(positions)
    collective = next(p for p in catalog.sorted_products() if p.kind == "collective")
    referral = next(p for p in catalog.sorted_products() if p.kind == "referral")
    assert positions[0] < text.index(f'data-product="{collective.id}"') < positions[1]
    assert text.index(f'data-product="{referral.id}"') > positions[2]


def section_of(text: str, product_id: str) -> str:
    text = text.replace("\u00a0", " ")  # a no-break space keeps € with its amount
    return re.search(rf'<article class="rule-entry" data-product="{product_id}".*?</article>', text, re.S).group(0)


def test_each_product_section_shows_its_norms_today_with_later_values_and_sources(client, catalog):
    text = page_text(client.get("/hoe-wij-bepalen"))
    for product in catalog.products.values():
        entry = section_of(text, product.id)
        assert f'id="regel-{product.id}"' in entry
        for norm_id in product.rule.norm_ids():
            norm = catalog.norms.norms[norm_id]
            row = re.search(rf'data-norm="{norm_id}">(.*?)</tr>', entry, re.S)
            assert row is not None, (product.id, norm_id)
            current = norm.on(TODAY)
            assert f"Bron: {current.source}" in row.group(1)
            for variant in current.variants or ():
                assert format_norm_value(variant.value, norm.unit, in_cents=False) in row.group(1)
            for later in (d for d in norm.values if d.start > TODAY):
                assert f"Vanaf {date_nl(later.start)}" in row.group(1)
    bijstand = re.search(r'data-norm="bijstandsnorm">(.*?)</tr>', section_of(text, "bijstandsuitkering"), re.S).group(1)
    assert "Van 21 jaar tot de AOW-leeftijd, woont alleen of alleen met kinderen: € 1.401,50 per maand" in bijstand
    assert "Vanaf 1 januari 2028: 67 jaar en 3 maanden" in section_of(text, "bijstandsuitkering")  # the AOW age
    minima = re.search(r'data-norm="minima_grens">(.*?)</tr>', section_of(text, "voorbeeldpas"), re.S).group(1)
    assert "130%" in minima and "Vanaf 1 januari 2027: 140%" in minima


def test_a_shared_rule_is_said_once_with_its_amounts_not_repeated_below_itself(client):
    entry = section_of(page_text(client.get("/hoe-wij-bepalen")), "voorbeeldpas")
    assert entry.count("inkomensgrens voor mensen met een laag inkomen.") == 1
    assert "Woont u alleen of alleen met kinderen? Dan is de grens € 1.821,95 per maand." in entry
    assert "Uw woonsituatie is:" not in page_text(client.get("/hoe-wij-bepalen"))


def test_the_transparency_page_shows_the_routing_and_the_urgent_situations(client, catalog):
    text = page_text(client.get("/hoe-wij-bepalen"))
    day = catalog.norms.on(TODAY)
    for title in catalog.routing.domain_titles.values():
        assert title in text
    for sentence in texts(catalog.describe(catalog.routing.route, day)):
        assert sentence in text
    for signal in catalog.routing.urgent:
        assert signal.contact.titel in text and signal.contact.telefoon in text


REGISTER_FIELDS = ("naam", "korte_omschrijving", "organisatie", "status", "contact", "doel",
                   "menselijke_tussenkomst", "wettelijke_basis", "broncode")


@pytest.mark.parametrize("prefix, name", [("", "Voorbeeldstad"), ("/buurdorp", "Buurdorp"), ("/kleinmeer", "Kleinmeer")])
def test_the_algoritmeregister_json_has_the_standards_required_fields_per_municipality(client, prefix, name):
    page = client.get(f"{prefix}/hoe-wij-bepalen").text
    assert f'href="{prefix}/hoe-wij-bepalen/algoritmeregister.json"' in page
    response = client.get(f"{prefix}/hoe-wij-bepalen/algoritmeregister.json")
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/json")
    data = response.json()
    for field in REGISTER_FIELDS:
        assert data[field], field
    assert data["organisatie"] == f"Gemeente {name}"
    assert data["broncode"] == f"Op aanvraag bij de gemeente {name}"  # no address unless the operator sets one
    assert "Participatiewet" in data["wettelijke_basis"]
    assert "geen besluit" in data["korte_omschrijving"] and "medewerker" in data["menselijke_tussenkomst"]
    rules = {r["product"]: r for r in data["regels"]}
    assert ("kindpakket" in rules) is (name != "Buurdorp")
    assert rules["bijzondere-bijstand"]["uitleg"].endswith(f"{prefix}/hoe-wij-bepalen#regel-bijzondere-bijstand")
    assert "€ 1.821,95 per maand" in json.dumps(rules["bijzondere-bijstand"]["voorwaarden"], ensure_ascii=False) \
        or name != "Voorbeeldstad"
    assert {n["id"] for n in rules["bijzondere-bijstand"]["normen"]} >= {"bijstandsnorm", "minima_grens"}


# ---------------------------------------------------------------- staff pages

@pytest.mark.parametrize("path", ["/medewerkers/inhoud", "/medewerkers/voorbeeld/huurtoeslag",
                                  "/medewerkers/voorbeeld/bestaat-niet"])
def test_staff_content_pages_send_anonymous_visitors_to_the_login_page(client, path):
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/medewerkers/inloggen"


def test_the_staff_home_links_to_the_content_page(own_client, own_settings):
    staff_login(own_client, own_settings)
    assert 'href="/medewerkers/inhoud"' in own_client.get("/medewerkers").text


def test_the_content_page_shows_version_warnings_and_products_due_for_review_by_date(
        own_client, own_settings, own_state, content_root):
    for product_id, date in (("huurtoeslag", "2026-12-20"), ("voedselbank", "2026-10-01"),
                             ("zorgtoeslag", "2027-01-30")):
        file = product_file(content_root, product_id)
        file.write_text(re.sub(r"herzien_voor: \S+", f"herzien_voor: {date}", file.read_text(encoding="utf-8")),
                        encoding="utf-8")
    assert own_state.reload().ok
    staff_login(own_client, own_settings)
    response = own_client.get("/medewerkers/inhoud")
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    text = page_text(response)
    assert own_state.current.version in text and 'data-status="ok"' in text
    # the checker's warning for the overdue product
    assert re.search(r"products/voedselbank.yaml:\d+:\d+</code>\s*<strong class=\"diagnostic__code\">W601", text)
    table = re.search(r'data-table="herzien">(.*?)</table>', text, re.S).group(1)
    rows = re.findall(r'<tr class="utrecht-table__row[^"]*" data-product="([^"]+)"', table)
    assert rows == ["voedselbank", "huurtoeslag"]  # past first; zorgtoeslag is more than 30 days away
    catalog = own_state.current.catalog
    assert catalog.products["voedselbank"].content.eigenaar in table
    assert "1 oktober 2026" in table and "over datum" in table and "20 december 2026" in table


def test_the_content_page_shows_every_diagnostic_of_a_rejected_change(own_client, own_settings, own_state,
                                                                      content_root):
    file = product_file(content_root, "huurtoeslag")
    file.write_text(file.read_text(encoding="utf-8").replace("soort: referral", "soort: verwijzing"),
                    encoding="utf-8")
    report = own_state.reload()
    assert not report.ok
    staff_login(own_client, own_settings)
    text = page_text(own_client.get("/medewerkers/inhoud"))
    assert 'data-status="degraded"' in text and "De laatste wijziging staat niet online" in text
    assert "(nog niet online)" in text
    for diagnostic in report.diagnostics:
        place = f"{diagnostic.path}:{diagnostic.line}:{diagnostic.column}"
        assert place in text and diagnostic.code in text and diagnostic.message in text
        if diagnostic.hint:
            assert f"({diagnostic.hint})" in text
    assert 'href="/medewerkers/voorbeeld/huurtoeslag">Bekijk concept</a>' in text


def test_the_preview_shows_the_draft_on_disk_before_the_site_does(own_client, own_settings, content_root):
    staff_login(own_client, own_settings)
    set_title(content_root, "huurtoeslag", "Huurtoeslag", "Huurtoeslag (nieuw concept)")
    preview = own_client.get("/medewerkers/voorbeeld/huurtoeslag")
    assert preview.status_code == 200 and preview.headers["cache-control"] == "no-store"
    text = page_text(preview)
    assert "Concept — zo ziet de pagina eruit na publicatie" in text
    assert '<h1 class="utrecht-heading-1" tabindex="-1">Huurtoeslag (nieuw concept)</h1>' in text
    assert "Wettelijke basis" in text and 'href="/producten/huurtoeslag"' in text
    assert '<meta name="robots" content="noindex">' in text
    live = page_text(own_client.get("/producten/huurtoeslag"))  # no reload happened: the site is unchanged
    assert "Huurtoeslag (nieuw concept)" not in live


def test_the_preview_of_a_broken_draft_lists_its_diagnostics_and_links_to_the_live_page(own_client, own_settings,
                                                                                       content_root):
    staff_login(own_client, own_settings)
    product_file(content_root, "huurtoeslag").write_text("titel: Huurtoeslag\nsoort: referral\n", encoding="utf-8")
    product_file(content_root, "zorgtoeslag").write_text("titel: [\n", encoding="utf-8")
    preview = own_client.get("/medewerkers/voorbeeld/huurtoeslag")
    assert preview.status_code == 200
    text = page_text(preview)
    assert "Dit concept kan niet online" in text and 'data-draft="fouten"' in text
    _catalog, diagnostics = load_catalog(content_root, today=TODAY)
    mine = [d for d in diagnostics if d.path == "products/huurtoeslag.yaml"]
    assert {d.code for d in mine} == {"E103"}  # required fields missing
    assert text.count("products/huurtoeslag.yaml:1:1</code>") == len(mine)
    for diagnostic in mine:
        assert f"{diagnostic.message}</span>" in text and f"({diagnostic.hint})" in text
    assert "products/zorgtoeslag.yaml" not in text  # other files: only counted
    assert "Ook in andere bestanden zit 1 fout" in text
    assert 'href="/producten/huurtoeslag">Bekijk de pagina die nu online staat</a>' in text


def test_a_new_product_that_is_not_live_yet_can_be_previewed(own_client, own_settings, content_root):
    staff_login(own_client, own_settings)
    text = product_file(content_root, "huurtoeslag").read_text(encoding="utf-8")
    product_file(content_root, "huurtoeslag-extra").write_text(
        text.replace("titel: Huurtoeslag\n", "titel: Extra huurtoeslag\n"), encoding="utf-8")
    preview = page_text(own_client.get("/medewerkers/voorbeeld/huurtoeslag-extra"))
    assert "Extra huurtoeslag</h1>" in preview and "Dit product staat nog niet online." in preview
    assert own_client.get("/producten/huurtoeslag-extra").status_code == 404


@pytest.mark.parametrize("product_id", ["bestaat-niet", "..%2Fproducts%2Fhuurtoeslag", "HUURTOESLAG", "a" * 300,
                                        "huurtoeslag.yaml"])
def test_previewing_an_unknown_product_is_a_404(own_client, own_settings, product_id):
    staff_login(own_client, own_settings)
    response = own_client.get(f"/medewerkers/voorbeeld/{product_id}")
    assert response.status_code == 404 and "Deze pagina bestaat niet" in response.text


# ---------------------------------------------------------------- one version per response

def test_every_page_and_api_response_says_which_content_version_it_used(client, catalog):
    for path in ("/", "/producten/huurtoeslag", "/api/v1/products", "/hoe-wij-bepalen", "/health"):
        assert client.get(path).headers["x-content-version"] == catalog.version, path


def test_the_preview_of_a_product_whose_file_was_removed_says_it_will_go(own_client, own_settings, content_root):
    staff_login(own_client, own_settings)
    product_file(content_root, "valpreventie").unlink()
    text = page_text(own_client.get("/medewerkers/voorbeeld/valpreventie"))
    assert "Dit product staat niet meer in het concept" in text
    assert own_client.get("/producten/valpreventie").status_code == 200  # still online until the reload


# ---------------------------------------------------------------- settings in the exports

def test_exports_link_to_the_public_url_and_name_the_municipality_from_the_settings(monkeypatch):
    from click.testing import CliRunner

    from catalogus.cli import main
    from tests.conftest import ROOT

    monkeypatch.setenv("CATALOGUS_PUBLIC_URL", "https://www.ergens.nl")
    monkeypatch.setenv("CATALOGUS_GEMEENTE", "Ergens")
    monkeypatch.setenv("CATALOGUS_TODAY", "2026-11-26")
    feed = CliRunner().invoke(main, ["export", "sc", "--root", str(ROOT)])
    assert feed.exit_code == 0, feed.output
    assert "<dcterms:identifier>https://www.ergens.nl/producten/" in feed.output
    assert 'resourceIdentifier="http://standaarden.overheid.nl/owms/terms/Voorbeeldstad">Voorbeeldstad<' in feed.output
    other = CliRunner().invoke(main, ["export", "sc", "--root", str(ROOT), "--gemeente", "kleinmeer"])
    assert "<dcterms:identifier>https://www.ergens.nl/kleinmeer/producten/" in other.output
    assert ">Kleinmeer<" in other.output and "<overheidproduct:productID>boodschappendienst<" not in other.output
    unknown = CliRunner().invoke(main, ["export", "sc", "--root", str(ROOT), "--gemeente", "ergens"])
    assert unknown.exit_code == 1 and "voorbeeldstad, buurdorp, kleinmeer" in unknown.output
    csv_out = CliRunner().invoke(main, ["export", "csv", "--root", str(ROOT)])
    assert "https://www.ergens.nl/producten/huurtoeslag" in csv_out.output
    buurdorp = CliRunner().invoke(main, ["export", "csv", "--root", str(ROOT), "--gemeente", "buurdorp"])
    assert "https://www.ergens.nl/buurdorp/producten/buurdorppas" in buurdorp.output
    override = CliRunner().invoke(main, ["export", "json", "--root", str(ROOT), "--base-url", "https://x.example"])
    assert "https://x.example/producten/huurtoeslag" in override.output and "ergens.nl" not in override.output


def test_the_register_names_the_source_code_address_the_operator_set(tmp_path):
    from litestar.testing import TestClient

    from catalogus.web.app import create_app
    from tests.conftest import make_web_settings

    settings = make_web_settings(tmp_path, source_url="https://code.example.nl/regio/catalogus")
    with TestClient(create_app(settings)) as client:
        data = client.get("/hoe-wij-bepalen/algoritmeregister.json").json()
    assert data["broncode"] == "https://code.example.nl/regio/catalogus"
