"""Public pages: home, product pages, overviews per topic and per kind, error pages."""

from __future__ import annotations

import doctest
import importlib

import pytest

from catalogus.models import DOMAINS


def test_home_offers_search_the_check_topics_and_every_product(client, catalog):
    page = client.get("/")
    assert page.status_code == 200
    html = page.text
    assert '<form class="search-form" method="get" action="/zoeken" role="search">' in html
    assert 'name="q"' in html
    assert 'href="/check">Doe de check</a>' in html
    for domain in DOMAINS:
        assert f'href="/onderwerpen/{domain}"' in html
    for product_id in catalog.products:
        assert f'href="/producten/{product_id}"' in html


def test_a_product_page_shows_all_its_content(client, catalog):
    html = client.get("/producten/bijzondere-bijstand").text
    content = catalog.products["bijzondere-bijstand"].content
    for heading in ("Wat krijgt u?", "Voor wie is het?", "Hoe vraagt u het aan?", "Wat heeft u nodig?",
                    "Wat kost het?", "Hoe lang duurt het?", "Contact", "Wettelijke basis"):
        assert f">{heading}</h2>" in html
    assert content.aanvragen.stappen[0] in html
    assert f'href="{content.aanvragen.online}"' in html
    assert content.meenemen[0] in html
    assert 'href="tel:140555"' in html
    assert f'href="{content.wettelijke_basis.bron}"' in html
    assert "bijzonderebijstandsuitkering" not in html and "Uniforme productnaam" not in html  # a code, for the SC feed
    assert 'href="/hoe-wij-bepalen#regel-bijzondere-bijstand"' in html
    assert "30 juni 2027" in html  # herzien_voor, in Dutch


def test_who_it_is_for_is_generated_from_the_rule_itself(client, catalog):
    html = client.get("/producten/bijzondere-bijstand").text.replace("\u00a0", " ")  # € and amount stay together
    description = catalog.describe(catalog.products["bijzondere-bijstand"].rule, catalog.norms.on(catalog_date()))

    def texts(node):
        yield node.text
        for lead, lines in node.limits:
            yield from ([lead] if lead else []) + lines
        for child in node.children:
            yield from texts(child)

    for text in texts(description):
        assert text.replace("'", "&#39;") in html
    # the shared income rule says its limit once, as the amount per household, not the rule a second time
    assert "Woont u alleen of alleen met kinderen? Dan is de grens € 1.821,95 per maand." in html
    assert "130% van de bijstandsnorm" not in html


def catalog_date():
    import datetime as dt
    return dt.date(2026, 11, 26)


def test_folded_yaml_text_has_no_control_characters(client, catalog):
    for product_id in ("bijzondere-bijstand", "voorbeeldpas", "huurtoeslag"):
        html = client.get(f"/producten/{product_id}").text
        assert "\a" not in html


def test_an_unknown_product_is_a_friendly_404(client):
    page = client.get("/producten/bestaat-niet")
    assert page.status_code == 404
    assert "Deze pagina bestaat niet" in page.text
    assert page.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize("domain", DOMAINS)
def test_each_topic_has_an_overview_of_its_products(client, catalog, domain):
    html = client.get(f"/onderwerpen/{domain}").text
    for product in catalog.by_domain()[domain]:
        assert f'href="/producten/{product.id}"' in html


@pytest.mark.parametrize("slug, kind", [("collectief", "collective"), ("voorziening", "provision"),
                                        ("verwijzing", "referral")])
def test_each_kind_has_an_overview_of_exactly_its_products(client, catalog, slug, kind):
    html = client.get(f"/soorten/{slug}").text
    for product in catalog.products.values():
        listed = f'class="utrecht-link product-list__link" href="/producten/{product.id}"' in html
        assert listed == (product.kind == kind)


@pytest.mark.parametrize("path", ["/onderwerpen/sport", "/soorten/provision", "/bestaat/niet"])
def test_unknown_overviews_are_404(client, path):
    assert client.get(path).status_code == 404


def test_a_wrong_method_is_a_friendly_405(client):
    page = client.put("/check/uitkomst")
    assert page.status_code == 405
    assert "Dit kan zo niet" in page.text


def test_an_htmx_request_for_main_gets_only_the_content_and_its_title(client):
    page = client.get("/producten/voorbeeldpas", headers={"HX-Request": "true", "HX-Target": "main"})
    assert page.status_code == 200
    assert "<html" not in page.text
    assert page.text.lstrip().startswith("<title>Voorbeeldpas")
    assert "HX-Request" in page.headers["vary"]
    restore = client.get("/producten/voorbeeldpas", headers={"HX-Request": "true", "HX-Target": "main",
                                                             "HX-History-Restore-Request": "true"})
    assert "<html" in restore.text


def test_every_page_loads_only_its_own_scripts_and_styles(client):
    html = client.get("/").text
    assert "<script>" not in html and "style=" not in html and "<style" not in html
    assert '<script src="/static/vendor/htmx/htmx.min.js" defer></script>' in html
    assert "cdn" not in html.lower()


@pytest.mark.parametrize("module", ["catalogus.web.templating", "catalogus.web.forms"])
def test_docstring_examples_of_the_web_helpers(module):
    failures, _ = doctest.testmod(importlib.import_module(module))
    assert failures == 0
