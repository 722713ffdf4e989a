"""Words and groupings the pages share: kind and domain names, status wording, result groups.

No logic about eligibility lives here; this only arranges what the core decided.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..amounts import amount_table
from ..catalog import Catalog, Product
from ..check import TOPICS_QUESTION, CheckResult, ProductResult
from ..norms import SITUATION_QUESTION, DayNorms
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


@dataclass(frozen=True)
class AmountView:
    """A product page's "Hoeveel krijgt u?": the amount per leefsituatie (rows) and age band (columns)."""

    period: str
    columns: list[str]  # empty: one figure for everyone
    rows: list[tuple[str, list[str]]]
    decides: str  # who sets the real amount

    @property
    def single(self) -> str | None:
        """The one figure when the amount is the same for every household."""
        return self.rows[0][1][0] if not self.columns and len(self.rows) == 1 else None


def amount_view(catalog: Catalog, product: Product, day: DayNorms) -> AmountView | None:
    """What the product page shows of a product's amount on ``day`` (None when it has none)."""
    amount = product.amount
    if amount is None:
        return None
    wording = catalog.wording
    situations = catalog.vocabulary[SITUATION_QUESTION] if SITUATION_QUESTION in catalog.vocabulary else None
    table = amount_table(amount, day, situations.options if situations else ())
    columns = [wording.age_band(b) for b in table.bands] if table.bands != (None,) else []
    rows = []
    for situation, cells in zip(table.situations, table.cells):
        label = situations.label(situation) if situation is not None and situations else ""
        rows.append((label[:1].upper() + label[1:], [wording.calculation(c) if c is not None else "–" for c in cells]))
    return AmountView(amount.period, columns, rows, wording.decides(amount.decider))
