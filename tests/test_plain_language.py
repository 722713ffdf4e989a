"""Every page a resident reads passes the B1 check: short sentences, no jargon, no internal codes.

The check itself (tests/support/plain_language.py) is tested first on the phrases that once
stood on our pages, so it cannot quietly stop catching them.
"""

from __future__ import annotations

import json

import pytest

from tests.support.plain_language import average_words, internal_codes, problems, sentences
from tests.support.staff import ROUTED, csrf_token
from tests.support.web import forms, screen_answers, screen_of, wizard_form
from tests.test_personas import FATIMA, HENK

MUNICIPALITIES = ["", "/buurdorp", "/kleinmeer"]


# ---------------------------------------------------------------- the check catches what the issue found

@pytest.mark.parametrize("html", [
    "<p>In 2026 mag uw inkomen niet hoger zijn dan 130% van de bijstandsnorm.</p>",
    "<li>Uw inkomen is niet hoger dan de grens voor minimaregelingen.</li>",
    "<p>Denk aan een bril, reiskosten naar het ziekenhuis of bewindvoering.</p>",
    "<p>Uniforme productnaam: <a href='x'>bijzonderebijstandsuitkering</a></p>",
    "<li>Uw woonsituatie is: zonder vaste woonplek.</li>",
    "<p>Vul een heel getal in, alleen cijfers. Bijvoorbeeld: 3.</p>",
    "<p>" + " ".join(["woord"] * 26) + ".</p>",
    "<td>Vermogensgrens bijstand</td>",
    "<li>Uw spaargeld en bezit is niet meer dan de vermogensgrens kwijtschelding voor uw situatie.</li>",
    "<li>Het bedrag hangt nog af van uw leefsituatie.</li>",
    "<p>" + " ".join(["Dit is een zin van precies zestien woorden lang, want zo lang zijn ze hier allemaal."] * 4)
    + "</p>",
], ids=["percentage", "minimaregelingen", "bewindvoering", "upl", "woonsituatie", "example", "long",
        "vermogensgrens-title", "vermogensgrens-sentence", "leefsituatie", "long-on-average"])
def test_the_check_fails_on_the_phrases_residents_could_not_read(html):
    assert problems(html, {"bijzonderebijstandsuitkering"}) != []


def test_the_check_lets_through_what_explains_itself(catalog):
    html = ("<p>Woont u alleen? Dan is de grens € 1.821,95 per maand.</p>"
            "<p>Uw inkomen (€ 1.650) is lager dan € 1.821,95, de grens voor uw situatie (130% van de bijstandsnorm).</p>"
            "<p>De kosten van een bewindvoerder (iemand die uw geld voor u beheert).</p>"
            "<script>var netto_inkomen = 1;</script><span hidden>netto_inkomen</span>")
    assert problems(html, internal_codes(catalog)) == []


def test_internal_codes_are_found_in_text_but_not_in_links_or_attributes(catalog):
    codes = internal_codes(catalog)
    assert {"netto_inkomen", "minima_grens", "bijzonderebijstandsuitkering"} <= codes
    assert problems('<a href="/check/wijzig/netto_inkomen" data-question="netto_inkomen">Wijzigen</a>', codes) == []
    assert problems("<p>Vraag: netto_inkomen.</p>", codes) != []


def test_the_average_counts_running_text_not_headings_buttons_or_labels():
    sixteen = "Dit is een zin van precies zestien woorden lang, want zo lang zijn ze hier allemaal."
    assert average_words(f"<p>{sixteen}</p>") == 16
    assert average_words(f"<h1>Kop</h1><button>Verder</button><label>Uw naam</label><p>{sixteen}</p>") == 16
    assert average_words("<p>Dit zijn vier woorden. En nog vier woorden hier.</p>") == 4.5


def test_a_page_is_read_block_by_block_and_sentence_by_sentence():
    assert sentences("<h1>Titel</h1><p>Een zin. Nog een zin? € 5 erbij.</p><ul><li>Een</li><li>Twee</li></ul>") == [
        "Titel", "Een zin.", "Nog een zin?", "€ 5 erbij.", "Een", "Twee"]


# ---------------------------------------------------------------- every resident page type, every municipality

def walk(client, prefix: str, household: dict) -> list[tuple[str, str]]:
    """The check without JavaScript, every screen kept: topics, question screens, overview, results."""
    client.get(f"{prefix}/check/opnieuw")  # a fresh visit: nothing carried over from an earlier walk
    response = client.get(f"{prefix}/check")
    seen = [("onderwerpen", response.text)]
    form = wizard_form(response.text)
    data = {**form.hidden(), "onderwerpen": household["onderwerpen"]}
    for _ in range(40):
        response = client.post(form.action, data=data, follow_redirects=True)
        assert response.status_code == 200
        page = screen_of(response.text)
        seen.append((f"{page}:{response.url.path}", response.text))
        if page in ("controleer", "niet-in-gemeente"):
            break
        form = wizard_form(response.text)
        data = {**form.hidden(), **screen_answers(form, household)}
    if page == "controleer":
        results = next(f for f in forms(response.text) if f.action.endswith("/check/uitkomst"))
        html = client.post(results.action, data=results.hidden()).text
        seen.append((screen_of(html) or "uitkomst", html))
    return seen


def resident_pages(client, prefix: str, catalog) -> list[tuple[str, str]]:
    pages = [(path, client.get(prefix + path).text) for path in
             ["/", "/hoe-wij-bepalen", "/zoeken?q=huur", "/zoeken?q=schulden", "/bestaat-niet", "/aanmelden"]]
    pages += [(f"/producten/{pid}", client.get(f"{prefix}/producten/{pid}").text) for pid in catalog.products]
    pages += [(f"/onderwerpen/{d}", client.get(f"{prefix}/onderwerpen/{d}").text)
              for d in {d for p in catalog.products.values() for d in p.domains}]
    pages += [(f"/soorten/{s}", client.get(f"{prefix}/soorten/{s}").text)
              for s in ("collectief", "voorziening", "verwijzing")]
    everything = ["geld", "wonen", "zorg", "gezin", "werk", "mantelzorg", "contact", "veiligheid"]
    pages += walk(client, prefix, {**FATIMA, "onderwerpen": everything, "onveilig_thuis": True})
    pages += walk(client, prefix, {**HENK, "onderwerpen": ["zorg", "mantelzorg"]})
    pages += walk(client, prefix, {**FATIMA, "woont_in_gemeente": False})
    referral = client.post(f"{prefix}/aanmelden", data={"_csrf_token": csrf_token(client), "antwoorden": json.dumps(ROUTED)})
    pages.append(("aanmeldformulier", referral.text))
    return pages


@pytest.mark.parametrize("prefix", MUNICIPALITIES, ids=["voorbeeldstad", "buurdorp", "kleinmeer"])
def test_every_resident_page_type_reads_at_b1_level(client, web_content, prefix):
    region = web_content.current.region
    catalog = region.catalog(prefix.strip("/")) if prefix else region.default_catalog
    pages = resident_pages(client, prefix, catalog)
    kinds = {name.split(":")[0] for name, _ in pages}
    assert {"stap", "controleer", "niet-in-gemeente", "uitkomst", "onderwerpen", "aanmeldformulier"} <= kinds
    codes = internal_codes(catalog)
    found = {name: problems(html, codes) for name, html in pages}
    assert {name: issues for name, issues in found.items() if issues} == {}


def test_a_question_page_does_not_use_its_hint_as_heading(client):
    html = client.get("/check").text
    heading = html.split("question__heading", 1)[1].split("</h1>", 1)[0]
    assert "Waar wilt u hulp bij?" in heading and "U kunt meer dan één onderwerp kiezen" not in heading
    assert "U kunt meer dan één onderwerp kiezen." in html


def test_the_age_field_gives_an_age_as_example(client):
    walked = walk(client, "", FATIMA)
    screen = next(html for name, html in walked if 'name="leeftijd"' in html)
    form = wizard_form(screen)
    data = {**form.hidden(), **screen_answers(form, FATIMA), "leeftijd": "vier"}
    response = client.post(form.action, data=data, follow_redirects=True)
    assert "Bijvoorbeeld: 40." in response.text and "Bijvoorbeeld: 3." not in response.text
