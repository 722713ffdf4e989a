"""Walk the check in a real browser, screen by screen, with the mouse or with the keyboard only.

A screen ("stap") holds one or a few questions, or one "Herkent u iets hiervan?" list of statements.
Follow-up questions are revealed by script once the answers above make them matter (the page asks the
server); without JavaScript they stay hidden and come on a next screen. The walker answers every question
it can see until none is left, as a resident who reads the whole screen would.
"""

from __future__ import annotations

from typing import Any, Callable

RESULTS = '[data-page="uitkomst"]'
STATEMENT = 'input[name="aangevinkt"]'
NONE_OF_THESE = "geen_van_deze"


def current_page(page) -> tuple[str, str | None]:
    """The kind of page on screen (onderwerpen, stap, controleer, uitkomst, …) and its step id."""
    marker = page.locator("[data-page]").first
    marker.wait_for()
    return marker.get_attribute("data-page"), marker.get_attribute("data-step")


def visible_questions(page) -> list[str]:
    """The questions a resident can see on this screen, in screen order."""
    return page.eval_on_selector_all(
        "form.wizard__form [data-question]",
        "els => els.filter(e => !e.closest('[hidden]')).map(e => e.dataset.question)")


def statement_ids(page) -> list[str]:
    return [value for value in page.eval_on_selector_all(STATEMENT, "els => els.map(e => e.value)")
            if value != NONE_OF_THESE]


def typed(value: Any) -> str:
    return f"{value:.2f}".replace(".", ",") if isinstance(value, float) else str(value)


def fill(page, question: str, value: Any, text: dict[str, str] | None = None) -> None:
    """Give one answer on the screen without submitting it."""
    if text and question in text:
        page.fill(f"#{question}", text[question])
        page.dispatch_event(f"#{question}", "change")
    elif isinstance(value, bool):
        page.check(f"#{question}-{'ja' if value else 'nee'}")
    elif isinstance(value, list):
        for item in value:
            page.check(f"#{question}-{item}")
    elif isinstance(value, str):
        page.check(f"#{question}-{value}")
    else:
        page.fill(f"#{question}", typed(value))
        page.dispatch_event(f"#{question}", "change")  # as leaving the field does
    wait_for_follow_ups(page)


def wait_for_follow_ups(page) -> None:
    """Wait until the page knows which follow-up questions to show for the answers so far."""
    page.locator("form.wizard__form[data-bezig]").wait_for(state="detached")


def loaded_url(page) -> str:
    """The address of the last real page load: with htmx every later screen is swapped into that page."""
    return page.evaluate("() => performance.getEntriesByType('navigation')[0].name")


def mark_current(page) -> None:
    """Tag the page on screen, so that waiting for an untagged one waits for the next page."""
    page.evaluate("() => document.querySelectorAll('[data-page]').forEach(e => e.setAttribute('data-gezien', ''))")


def wait_for_next(page) -> None:
    page.locator("[data-page]:not([data-gezien])").first.wait_for()


def submit(page, button: str = "Volgende") -> None:
    mark_current(page)
    page.get_by_role("button", name=button).click()
    wait_for_next(page)


def answer_step(page, household: dict[str, Any], text: dict[str, str] | None = None) -> list[str]:
    """Answer everything on the current screen from the household, submit it, wait for the next page."""
    answered = fill_step(page, household, text)
    submit(page)
    return answered


def fill_step(page, household: dict[str, Any], text: dict[str, str] | None = None) -> list[str]:
    """Answer everything on the current screen from the household, without sending it."""
    if page.locator(STATEMENT).count():
        statements = statement_ids(page)
        ticked = [qid for qid in statements if household.get(qid) is True]
        for qid in ticked or [NONE_OF_THESE]:
            page.check(f"#aangevinkt-{qid}")
        answered = statements
    else:
        answered = []
        while todo := [q for q in visible_questions(page) if q not in answered]:
            for question in todo:
                if question in household:
                    fill(page, question, household[question], text)
                answered.append(question)
    return answered


def choose_topics(page, base_url: str | None, topics: list[str]) -> None:
    """Tick the topics on the first screen (opened at base_url, or already on screen) and go on."""
    if base_url is not None:
        page.goto(base_url + "/check")
    for topic in topics:
        page.check(f"#onderwerpen-{topic}")
    submit(page)


def answer_steps(page, household: dict[str, Any], *, after_each: Callable | None = None,
                 text: dict[str, str] | None = None, max_screens: int = 25) -> list[str]:
    """From the first question screen to the overview; the questions the screens asked, in order."""
    asked: list[str] = []
    for _ in range(max_screens):
        kind, _step = current_page(page)
        if after_each:
            after_each(page)
        if kind != "stap":
            assert kind == "controleer", kind
            return asked
        errors = page.locator("[data-error-summary]")
        assert not errors.count(), errors.inner_text()
        asked += answer_step(page, household, text)
    raise AssertionError(f"the check did not end after {max_screens} screens")


def to_results(page) -> None:
    page.get_by_role("button", name="Bekijk wat bij u past").click()
    page.locator(RESULTS).wait_for()


def run_check(page, base_url: str | None, household: dict[str, Any], *, after_each=None,
              text: dict[str, str] | None = None) -> list[str]:
    """Answer every screen the site shows from the household; end on the results page.

    base_url None: the topics screen is already on the page."""
    choose_topics(page, base_url, household["onderwerpen"])
    asked = answer_steps(page, household, after_each=after_each, text=text)
    to_results(page)
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


def keyboard_field(page, question: str, value: Any) -> None:
    """Answer one question with the keyboard alone, without submitting the screen."""
    options = page.locator(f'input[name="{question}"]')
    input_type = options.first.get_attribute("type")
    if input_type == "checkbox":
        for item in (value if isinstance(value, list) else [value]):
            tab_to(page, f"#{question}-{item}")
            page.keyboard.press("Space")
    elif input_type == "radio":
        wanted = "ja" if value is True else "nee" if value is False else value
        ids = [options.nth(i).get_attribute("id") for i in range(options.count())]
        tab_to(page, f'input[name="{question}"]')
        index = ids.index(f"{question}-{wanted}")
        if index == 0:
            page.keyboard.press("Space")
        for _ in range(index):
            page.keyboard.press("ArrowDown")
    else:
        tab_to(page, f"#{question}")
        page.keyboard.type(typed(value))
        page.keyboard.press("Tab")  # leaving the field: the page asks which follow-ups now matter
    wait_for_follow_ups(page)


def keyboard_step(page, household: dict[str, Any]) -> None:
    """Answer the current screen with the keyboard alone and send it with Enter on "Volgende"."""
    if page.locator(STATEMENT).count():
        ticked = [qid for qid in statement_ids(page) if household.get(qid) is True] or [NONE_OF_THESE]
        for qid in ticked:
            tab_to(page, f"#aangevinkt-{qid}")
            page.keyboard.press("Space")
    else:
        answered: list[str] = []
        while todo := [q for q in visible_questions(page) if q not in answered]:
            for question in todo:
                if question in household:
                    keyboard_field(page, question, household[question])
                answered.append(question)
    mark_current(page)
    tab_to(page, 'button[value="volgende"]')
    page.keyboard.press("Enter")
    wait_for_next(page)
