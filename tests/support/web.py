"""Helpers for web tests: read forms out of HTML and walk the check like a browser without JavaScript."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any


@dataclass
class Form:
    attrs: dict[str, str]
    fields: list[tuple[str, str]] = field(default_factory=list)  # hidden inputs
    buttons: list[dict[str, str]] = field(default_factory=list)
    inputs: list[dict[str, str]] = field(default_factory=list)  # every input, any type

    @property
    def action(self) -> str:
        return self.attrs.get("action", "")

    @property
    def method(self) -> str:
        return self.attrs.get("method", "get").lower()

    def hidden(self) -> dict[str, Any]:
        """The hidden fields a browser sends (a name that comes more than once: a list)."""
        found: dict[str, Any] = {}
        for name, value in self.fields:
            if name in found:
                found[name] = (found[name] if isinstance(found[name], list) else [found[name]]) + [value]
            else:
                found[name] = value
        return found


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.by_id: dict[str, Form] = {}
        self._current: Form | None = None
        self.loose_buttons: list[dict[str, str]] = []

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._current = Form(a)
            self.forms.append(self._current)
            if "id" in a:
                self.by_id[a["id"]] = self._current
        elif tag == "input":
            if self._current is not None:
                self._current.inputs.append(a)
                if a.get("type") == "hidden" and "disabled" not in a:
                    self._current.fields.append((a.get("name", ""), a.get("value", "")))
        elif tag == "button":
            if "form" in a:
                self.loose_buttons.append(a)
            elif self._current is not None:
                self._current.buttons.append(a)

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def forms(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    for button in parser.loose_buttons:
        target = parser.by_id.get(button["form"])
        if target is not None:
            target.buttons.append(button)
    return parser.forms


def wizard_form(html: str) -> Form:
    return next(f for f in forms(html) if "wizard__form" in f.attrs.get("class", ""))


def form_value(question_type: str, value: Any) -> Any:
    """A JSON answer as a resident would type or tick it."""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, int):
        return str(value)
    return value


@dataclass
class Walk:
    """What happened on a walk through the check."""

    asked: list[str]  # every question on every screen, in order
    screens: list[str]  # the steps shown, in order
    pages: list[Any]  # every response
    last: Any


def screen_of(html: str) -> str | None:
    found = re.search(r'data-page="([\w-]+)"', html)
    return found.group(1) if found else None


def screen_answers(form: Form, household: dict[str, Any]) -> dict[str, Any]:
    """How a resident fills in one screen: every field from the household (a list to tick: what applies)."""
    hidden = form.hidden()
    shown = hidden.get("getoond", [])
    shown = shown if isinstance(shown, list) else [shown]
    # Without JavaScript a follow-up stays hidden (it comes on a next screen when it matters).
    follow_ups = {q for q in str(hidden.get("vervolgvragen", "")).split(",") if q and q not in shown}
    on_screen = [q for q in hidden["vragen"].split(",") if q and q not in follow_ups]
    if any(i.get("name") == "aangevinkt" for i in form.inputs):
        ticked = [q for q in on_screen if household.get(q)]
        return {"aangevinkt": ticked or ["geen_van_deze"]}
    return {q: (household[q] if isinstance(household[q], list) else form_value("", household[q]))
            for q in on_screen if q in household}


def walk_check(client, household: dict[str, Any], *, topics: list[str] | None = None, prefix: str = "") -> Walk:
    """Answer the check without JavaScript: topics first, then every screen the server shows (of the
    municipality under ``prefix``, such as "/buurdorp")."""
    response = client.get(prefix + "/check")
    pages = [response]
    form = wizard_form(response.text)
    data = {**form.hidden(), "onderwerpen": topics if topics is not None else household["onderwerpen"]}
    asked: list[str] = []
    screens: list[str] = []
    for _ in range(40):
        response = client.post(form.action, data=data, follow_redirects=True)
        pages.append(response)
        assert response.status_code == 200, response.text[:2000]
        page = screen_of(response.text)
        if page in ("controleer", "niet-in-gemeente"):
            break
        form = wizard_form(response.text)
        screens.append(form.hidden()["scherm"])
        asked += [q for q in form.hidden()["vragen"].split(",") if q]
        data = {**form.hidden(), **screen_answers(form, household)}
    else:  # pragma: no cover - a wizard that never ends is a failure
        raise AssertionError("the check did not end")
    if page == "niet-in-gemeente":
        return Walk(asked, screens, pages, response)
    results_form = next(f for f in forms(response.text) if f.action == prefix + "/check/uitkomst")
    response = client.post(results_form.action, data=results_form.hidden())
    pages.append(response)
    return Walk(asked, screens, pages, response)


def answers_in(html: str) -> dict[str, Any]:
    """The answers carried in the first hidden 'antwoorden' field of a page."""
    for form in forms(html):
        hidden = form.hidden()
        if "antwoorden" in hidden:
            return json.loads(hidden["antwoorden"] or "{}")
    return {}
