"""Words and groupings the pages share: kind and domain names, status wording, result groups.

No logic about eligibility lives here; this only arranges what the core decided.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..catalog import Catalog
from ..check import TOPICS_QUESTION, CheckResult, ProductResult
from ..models import DOMAINS, KIND_ORDER
from ..wording import Description


@dataclass(frozen=True)
class KindInfo:
    kind: str
    slug: str
    title: str
    intro: str


KINDS: dict[str, KindInfo] = {
    "collective": KindInfo("collective", "collectief", "Voorzieningen voor iedereen",
                           "Hulp in de wijk die iedereen kan gebruiken. Vaak hoeft u niets aan te vragen."),
    "provision": KindInfo("provision", "voorziening", "Regelingen die u aanvraagt",
                          "Geld of hulp waarvoor u een aanvraag doet bij de gemeente of bij de overheid."),
    "referral": KindInfo("referral", "verwijzing", "Hulp van andere organisaties",
                         "Organisaties buiten de gemeente die u verder helpen."),
}
KIND_BY_SLUG = {info.slug: info for info in KINDS.values()}

STATUS_WORDS = {
    "eligible": "Dit past bij u",
    "unknown": "Misschien: we weten nog niet genoeg",
    "not_eligible": "Dit past niet",
}
STATUS_BADGE = {"eligible": "success", "unknown": "warning", "not_eligible": "neutral"}


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
