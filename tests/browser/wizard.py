"""Walk the check in a real browser, with the mouse or with the keyboard only."""

from __future__ import annotations

from typing import Any

RESULTS = '[data-page="uitkomst"]'


def current_question(page) -> tuple[str, str | None]:
    marker = page.locator("[data-page]").first
    marker.wait_for()
    return marker.get_attribute("data-page"), marker.get_attribute("data-question")


def wait_until_gone(page, question: str) -> None:
    page.locator(f'[data-question="{question}"]').wait_for(state="detached")


def choose_topics(page, base_url: str, topics: list[str]) -> None:
    page.goto(base_url + "/check")
    for topic in topics:
        page.check(f"#onderwerpen-{topic}")
    page.get_by_role("button", name="Volgende").click()
    wait_until_gone(page, "onderwerpen")


def answer(page, question: str, value: Any) -> None:
    if isinstance(value, bool):
        page.check(f"#{question}-{'ja' if value else 'nee'}")
    elif isinstance(value, list):
        for item in value:
            page.check(f"#{question}-{item}")
    elif isinstance(value, str):
        page.check(f"#{question}-{value}")
    else:
        page.fill(f"#{question}", f"{value:.2f}".replace(".", ",") if isinstance(value, float) else str(value))
    page.get_by_role("button", name="Volgende").click()
    wait_until_gone(page, question)


def run_check(page, base_url: str, household: dict[str, Any], *, after_each=None) -> list[str]:
    """Answer every question the site asks from the household; end on the results page."""
    choose_topics(page, base_url, household["onderwerpen"])
    asked = []
    for _ in range(40):
        kind, question = current_question(page)
        if after_each:
            after_each(page)
        if kind != "vraag":
            break
        asked.append(question)
        answer(page, question, household[question])
    assert kind == "controleer", kind
    page.get_by_role("button", name="Bekijk wat bij u past").click()
    page.locator(RESULTS).wait_for()
    return asked


# ---------------------------------------------------------------- keyboard only

def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching the selector has focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(sel) => !!document.activeElement && document.activeElement.matches(sel)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def focused_tag(page, expected: str | None = None, timeout: float = 2.0) -> str:
    """The tag of the focused element; with `expected`, wait up to `timeout` seconds for it."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        tag = page.evaluate("() => document.activeElement ? document.activeElement.tagName : ''")
        if expected is None or tag == expected or time.monotonic() > deadline:
            return tag
        page.wait_for_timeout(25)


def keyboard_answer(page, question: str, value: Any) -> None:
    options = page.locator(f'input[name="{question}"]')
    input_type = options.first.get_attribute("type")
    if input_type == "checkbox":
        for item in (value if isinstance(value, list) else [value]):
            tab_to(page, f"#{question}-{item}")
            page.keyboard.press("Space")
        tab_to(page, 'button[value="volgende"]')
        page.keyboard.press("Enter")
    elif input_type == "radio":
        wanted = "ja" if value is True else "nee" if value is False else value
        ids = [options.nth(i).get_attribute("id") for i in range(options.count())]
        tab_to(page, f'input[name="{question}"]')
        index = ids.index(f"{question}-{wanted}")
        if index == 0:
            page.keyboard.press("Space")
        for _ in range(index):
            page.keyboard.press("ArrowDown")
        tab_to(page, 'button[value="volgende"]')
        page.keyboard.press("Enter")
    else:
        tab_to(page, f"#{question}")
        page.keyboard.type(f"{value:.2f}".replace(".", ",") if isinstance(value, float) else str(value))
        page.keyboard.press("Enter")
    wait_until_gone(page, question)
