"""axe-core finds no accessibility problems on any page type, also after htmx swaps (WCAG 2.1 AA)."""

from __future__ import annotations

import pytest

from tests.browser.wizard import RESULTS, loaded_url, run_check
from tests.test_personas import FATIMA

pytestmark = pytest.mark.browser

AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}}


def violations(page) -> list[str]:
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    found = page.evaluate("async (options) => (await axe.run(document, options)).violations", AXE_OPTIONS)
    return [f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})" for v in found]


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("path", ["/", "/producten/bijzondere-bijstand", "/producten/veilig-thuis",
                                  "/producten/bijstandsuitkering", "/producten/voorbeeldpas", "/producten/aow-aio",
                                  "/onderwerpen/zorg", "/soorten/verwijzing", "/check", "/bestaat-niet"])
def test_public_pages_have_no_violations(live_server, new_page, path, width):
    page = new_page(axe=True, width=width)
    page.goto(live_server.url + path)
    assert violations(page) == []


def test_the_error_state_has_no_violations(live_server, new_page):
    page = new_page(axe=True)
    page.goto(live_server.url + "/check")
    page.get_by_role("button", name="Volgende").click()
    page.locator("[data-error-summary]").wait_for()
    assert violations(page) == []


def test_every_wizard_step_and_the_results_have_no_violations_after_htmx_swaps(live_server, new_page):
    page = new_page(axe=True)
    seen: dict[str, list[str]] = {}

    def check_page(current):
        step = current.locator("[data-page]").first
        key = f"{step.get_attribute('data-page')}:{step.get_attribute('data-step')}"
        seen[key] = violations(current)

    run_check(page, live_server.url, {**FATIMA, "onderwerpen": ["geld", "gezin", "veiligheid"]}, after_each=check_page)
    page.locator(RESULTS).wait_for()
    assert loaded_url(page).endswith("/check")  # every step arrived by an htmx swap, not a page load
    seen["uitkomst"] = violations(page)
    steps = [key for key in seen if key.startswith("stap:")]
    assert len(steps) >= 5 and "controleer:None" in seen  # every screen of three topics, the overview, the results
    assert {key: found for key, found in seen.items() if found} == {}


def test_the_urgent_results_have_no_violations(live_server, new_page):
    page = new_page(axe=True)
    run_check(page, live_server.url, {**FATIMA, "onderwerpen": ["veiligheid"], "onveilig_thuis": True})
    assert page.locator("#urgent").is_visible()
    assert violations(page) == []
