"""The XSS content fixture: the shipped content with tests/content/xss/payloads.yaml in every visible text.

``xss_content(target)`` copies products/ and rules/ and edits the copy with ruamel (round
trip), so it stays valid for ``catalogus check`` while every title, summary, step, contact
field, question text, norm title, rule description and routing text carries a payload.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from ruamel.yaml import YAML

from .content_copy import copy_content

ROOT = Path(__file__).resolve().parents[2]
PAYLOAD_FILE = ROOT / "tests" / "content" / "xss" / "payloads.yaml"

#: what a payload looks like when it was NOT escaped (the page's own markup never contains these)
RAW_MARKERS = ["<script>alert(", "<img src=x onerror", "<svg onload", "<svg/onload", "<style>body",
               "' autofocus onfocus='", 'href="javascript:', "href='javascript:"]
#: what must show up as text: the template payload was not evaluated
TEMPLATE_TEXT = "{{7*7}}"


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.preserve_quotes = True
    return yaml


def fixture() -> dict[str, Any]:
    """The payloads file as data."""
    return _yaml().load(PAYLOAD_FILE.read_text(encoding="utf-8"))


def payloads() -> dict[str, str]:
    return {k: str(v) for k, v in fixture()["payloads"].items()}


def raw_payloads_in(html: str) -> list[str]:
    """Every marker of an unescaped payload found in a page (empty list: all escaped)."""
    return [marker for marker in RAW_MARKERS if marker in html]


def edit_yaml(path: Path, change: Callable[[Any], None]) -> None:
    yaml = _yaml()
    data = yaml.load(path.read_text(encoding="utf-8"))
    change(data)
    with path.open("w", encoding="utf-8") as handle:
        yaml.dump(data, handle)


def _append(mapping: Any, key: str, text: str, sep: str = " ") -> None:
    if mapping.get(key):
        mapping[key] = f"{mapping[key]}{sep}{text}"


def _product(data: Any, p: dict[str, str], link_suffix: str, email: str) -> None:
    _append(data, "titel", p["script"])
    _append(data, "samenvatting", p["attribute"])
    _append(data, "wat_krijgt_u", f"{p['svg']} {p['template']}", "\n")
    _append(data, "voor_wie", p["single_quote"])
    data["aanvragen"]["stappen"].append(f"Laatste stap {p['style']}")
    _append(data["aanvragen"], "online", link_suffix, "")
    if "meenemen" in data:
        data["meenemen"].append(f"Uw pas {p['attribute']}")
    _append(data, "kosten", p["template"])
    _append(data, "beslistermijn", p["svg"])
    contact = data["contact"]
    if isinstance(contact, str):
        return _rest_of_product(data, p, link_suffix)  # the municipality's contact: payloads in gemeente.yaml
    _contact(contact, p, link_suffix, email)
    _rest_of_product(data, p, link_suffix)


def _contact(contact: Any, p: dict[str, str], link_suffix: str, email: str) -> None:
    _append(contact, "naam", p["script"])
    _append(contact, "telefoon", p["attribute"])
    _append(contact, "adres", p["svg"])
    _append(contact, "open", p["single_quote"])
    _append(contact, "website", link_suffix, "")
    if contact.get("email"):
        contact["email"] = email


def _rest_of_product(data: Any, p: dict[str, str], link_suffix: str) -> None:
    basis = data["wettelijke_basis"]
    _append(basis, "wet", p["script"])
    _append(basis, "artikel", p["attribute"])
    if str(basis.get("bron") or "").startswith("http"):
        _append(basis, "bron", link_suffix, "")
    if "zoekwoorden" in data:
        data["zoekwoorden"].extend([p["script"], p["template"], p["attribute"]])
    _append(data, "eigenaar", p["script"])
    for example in data.get("voorbeelden") or []:
        _append(example, "naam", p["attribute"])


def _questions(data: Any, p: dict[str, str]) -> None:
    for question in data["vragen"].values():
        _append(question, "tekst", p["script"])
        _append(question, "kort", p["attribute"])
        _append(question, "uitleg", p["svg"])
        _append(question, "onderwerp", p["template"])
        for option in (question.get("opties") or {}).values():
            _append(option, "label", p["single_quote"])
        reason = question.get("reden") or {}
        for key in reason:
            _append(reason, key, p["script"])  # no braces here: reasons are templates with {waarden}


def _norms(data: Any, p: dict[str, str]) -> None:
    for norm in data["normen"].values():
        _append(norm, "titel", p["script"])
        for value in norm["waarden"]:
            _append(value, "bron", p["attribute"])


def _shared(data: Any, p: dict[str, str]) -> None:
    for rule in data["regels"].values():
        _append(rule, "omschrijving", p["script"])
        _append(rule, "bron", p["attribute"])
        if rule.get("uitleg"):
            _append(rule["uitleg"], "waar", p["svg"])
            _append(rule["uitleg"], "onwaar", p["svg"])


def _routing(data: Any, p: dict[str, str], email: str) -> None:
    _append(data, "bron", p["script"])
    for domain in data["levensgebieden"].values():
        _append(domain, "titel", p["attribute"])
    for signal in data["urgent"]:
        _append(signal["contact"], "titel", p["script"])
        _append(signal["contact"], "telefoon", p["attribute"])
        _append(signal["contact"], "tekst", p["svg"])
    if "wijkteam" in data:
        _team(data["wijkteam"], p, email)


def _team(team: Any, p: dict[str, str], email: str) -> None:
    _append(team, "naam", p["script"])
    _append(team, "telefoon", p["attribute"])
    _append(team, "open", p["single_quote"])
    if team.get("email"):
        team["email"] = email


def _municipality(data: Any, p: dict[str, str], link_suffix: str, email: str) -> None:
    _append(data, "naam", p["script"])
    _append(data, "telefoon", p["attribute"])
    _append(data, "open", p["single_quote"])
    _team(data["wijkteam"], p, email)
    for contact in (data.get("contacten") or {}).values():
        _contact(contact, p, link_suffix, email)
    for change in (data.get("producten") or {}).values():
        _append(change, "titel", p["script"])


def _synonyms(data: Any, p: dict[str, str]) -> None:
    data["synoniemen"][p["script"]] = ["voedselbank"]
    data["synoniemen"][p["template"]] = ["bijstand"]


def xss_content(target: Path) -> Path:
    """A copy of the content under ``target`` with a payload in every visible text; returns ``target``."""
    copy_content(target)
    data = fixture()
    p = {k: str(v) for k, v in data["payloads"].items()}
    link_suffix, email = str(data["link_suffix"]), str(data["email"])
    for file in sorted((target / "products").glob("*.yaml")):
        edit_yaml(file, lambda d: _product(d, p, link_suffix, email))
    rules = target / "rules"
    edit_yaml(rules / "vragen.yaml", lambda d: _questions(d, p))
    edit_yaml(rules / "normen.yaml", lambda d: _norms(d, p))
    edit_yaml(rules / "regels.yaml", lambda d: _shared(d, p))
    edit_yaml(rules / "routering.yaml", lambda d: _routing(d, p, email))
    edit_yaml(rules / "synoniemen.yaml", lambda d: _synonyms(d, p))
    for file in sorted((target / "gemeenten").glob("*/gemeente.yaml")):
        edit_yaml(file, lambda d: _municipality(d, p, link_suffix, email))
    for file in sorted((target / "gemeenten").glob("*/producten/*.yaml")):
        edit_yaml(file, lambda d: _product(d, p, link_suffix, email))
    return target


def product_ids(root: Path) -> list[str]:
    return sorted(f.stem for f in (root / "products").glob("*.yaml"))
