"""A plain-text summary of a check, for pasting into a CRM or reading aloud."""

from __future__ import annotations

from .catalog import Catalog
from .check import CheckResult

KIND_HEADINGS = {"collective": "Collectieve voorzieningen (eerst)", "provision": "Individuele voorzieningen",
                 "referral": "Verwijzingen"}


def summary_text(catalog: Catalog, result: CheckResult) -> str:
    """Answers, what fits, what is still open and the routing advice, as plain text.

    Contains answers a resident gave on the phone: show it, never log or store it.
    """
    lines = [f"Check sociaal domein — gemeente {catalog.municipality.name} — {result.date:%d-%m-%Y}", ""]
    cm = result.case_manager
    if cm.urgent:
        lines.append("URGENT: " + "; ".join(f"{c.titel} ({c.telefoon})" for c in cm.urgent_contacts))
    route = {True: "ja", False: "nee", "unknown": "nog niet bekend"}[cm.route]
    lines.append(f"Casemanager wijkteam: {route}" + (f" — levensgebieden: {', '.join(cm.domains)}" if cm.domains else ""))
    if cm.route is True and cm.reasons:
        lines.append("Waarom: " + " ".join(result.texts(cm.reasons)))
    elif cm.route == "unknown" and cm.deciding:
        lines.append("Nog nodig voor de casemanager: " + ", ".join(catalog.vocabulary[q].short for q in cm.deciding))
    lines.append("")
    lines.append("Antwoorden:")
    for question in catalog.vocabulary:
        if question.id in result.answers:
            lines.append(f"- {question.short}: {question.format(result.answers[question.id])}")
    for kind, heading in KIND_HEADINGS.items():
        eligible = [r for r in result.by_kind(kind) if r.status == "eligible"]
        open_ = [r for r in result.by_kind(kind, in_topics=True) if r.status == "unknown"]
        if not eligible and not open_:
            continue
        lines += ["", f"{heading}:"]
        lines += [f"- past: {r.product.title}{_amount(catalog, r)}" for r in eligible]
        for r in open_:
            deciding = ", ".join(catalog.vocabulary[q].short for q in r.deciding) or "niet te bepalen"
            lines.append(f"- nog open: {r.product.title} (nodig: {deciding}){_amount(catalog, r)}")
    lines += _total(catalog, result)
    return "\n".join(lines) + "\n"


def _amount(catalog: Catalog, r) -> str:
    """' — ongeveer € 525 per jaar' for a determined amount, ' — bedrag nog open (...)' for an open one."""
    amount = r.amount
    own = r.product.content.proefberekening
    if amount is None and own is not None and r.status != "not_eligible":
        return f" — bedrag: {r.product.content.contact.naam} beslist ({own.url})"
    if amount is None or r.status == "not_eligible":
        return ""
    if amount.cents is not None:
        return f" — ongeveer {catalog.wording.amount_phrase(amount.cents, amount.period)}"
    if amount.open:
        return " — bedrag nog open (nodig: " + ", ".join(catalog.vocabulary[q].short for q in amount.depends_on) + ")"
    return ""


def _total(catalog: Catalog, result: CheckResult) -> list[str]:
    total = result.amounts_total
    if not total.products and not total.left_out:
        return []
    more = "" if total.complete else " of meer (nog open: " + ", ".join(result.titles(total.left_out)) + ")"
    return ["", f"Bedragen bij elkaar: ongeveer {catalog.wording.amount_phrase(total.per_year, 'jaar')}{more}. "
            "Indicatie: de organisatie die beslist, bepaalt het echte bedrag."]
