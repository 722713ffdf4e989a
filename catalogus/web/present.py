"""Words and groupings the pages share: kind and domain names, status wording, result groups.

No logic about eligibility lives here; this only arranges what the core decided.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..catalog import Catalog
from ..check import TOPICS_QUESTION, CheckResult, ProductResult
from ..models import DOMAINS, KIND_ORDER, Status
from ..wording import Description


@dataclass(frozen=True)
class KindInfo:
    kind: str
    slug: str  # in URLs: /soorten/<slug>
    title: str  # a heading on the results and overview pages
    intro: str
    label: str  # a short label next to a search result


#: The one place the pages name the kinds of ``models.KIND_ORDER`` (collective services first).
KINDS: dict[str, KindInfo] = {info.kind: info for info in (
    KindInfo("collective", "collectief", "Voorzieningen voor iedereen",
             "Hulp in de wijk die iedereen kan gebruiken. Vaak hoeft u niets aan te vragen.", "Voor iedereen"),
    KindInfo("provision", "voorziening", "Regelingen die u aanvraagt",
             "Geld of hulp waarvoor u een aanvraag doet bij de gemeente of bij de overheid.", "Regeling"),
    KindInfo("referral", "verwijzing", "Hulp van andere organisaties",
             "Organisaties buiten de gemeente die u verder helpen.", "Andere organisatie"),
)}
assert tuple(KINDS) == tuple(sorted(KINDS, key=KIND_ORDER.index)) and set(KINDS) == set(KIND_ORDER)
KIND_BY_SLUG = {info.slug: info for info in KINDS.values()}

#: How a status reads: to a resident, and as the KCC screen's short badge. The badge colour is the same.
STATUS_WORDS = {
    Status.ELIGIBLE: "Dit past bij u",
    Status.UNKNOWN: "Misschien: we weten nog niet genoeg",
    Status.NOT_ELIGIBLE: "Dit past niet",
}
STATUS_SHORT = {Status.ELIGIBLE: "Past", Status.UNKNOWN: "Nog open", Status.NOT_ELIGIBLE: "Past niet"}
STATUS_BADGE = {Status.ELIGIBLE: "success", Status.UNKNOWN: "warning", Status.NOT_ELIGIBLE: "neutral"}


def domain_titles(catalog: Catalog) -> dict[str, str]:
    """Domain id -> the resident's name for it (the labels of the topics question)."""
    options = catalog.vocabulary[TOPICS_QUESTION].options if TOPICS_QUESTION in catalog.vocabulary else {}
    return {d: options.get(d, d.capitalize()) for d in DOMAINS}


def description_tree(description: Description) -> dict:
    """A rule description as plain data for the nested-list macro."""
    return {"text": description.text, "children": [description_tree(c) for c in description.children]}


@dataclass(frozen=True)
class ResultGroup:
    info: KindInfo
    shown: list[ProductResult]       # in the chosen topics, eligible or still open
    not_fitting: list[ProductResult]  # in the chosen topics, not eligible

    @property
    def empty(self) -> bool:
        return not self.shown and not self.not_fitting


def result_groups(result: CheckResult) -> list[ResultGroup]:
    """Products in the chosen topics, per kind, in the order of the results page."""
    groups = []
    for kind in KIND_ORDER:
        in_topics = result.by_kind(kind, in_topics=True)
        groups.append(ResultGroup(KINDS[kind], [r for r in in_topics if r.status != "not_eligible"],
                                  [r for r in in_topics if r.status == "not_eligible"]))
    return groups


def other_results(result: CheckResult) -> list[tuple[KindInfo, list[ProductResult]]]:
    """Products outside the chosen topics, per kind ("Andere regelingen")."""
    found = []
    for kind in KIND_ORDER:
        rest = [r for r in result.by_kind(kind) if not r.in_topics]
        if rest:
            found.append((KINDS[kind], rest))
    return found
