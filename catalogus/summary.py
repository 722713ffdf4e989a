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
    lines = [f"Check sociaal domein — {result.date:%d-%m-%Y}", ""]
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
        lines += [f"- past: {r.product.title}" for r in eligible]
        for r in open_:
            deciding = ", ".join(catalog.vocabulary[q].short for q in r.deciding) or "niet te bepalen"
            lines.append(f"- nog open: {r.product.title} (nodig: {deciding})")
    return "\n".join(lines) + "\n"
