"""Words and groupings the pages share: kind and domain names, status wording, result groups.

No logic about eligibility lives here; this only arranges what the core decided.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass

from ..amounts import amount_table
from ..catalog import Catalog, Product
from ..check import RESIDENCE_QUESTION, TOPICS_QUESTION, Check, CheckResult, ProductResult
from ..conversation import Step, simple_condition
from ..models import DOMAINS, KIND_ORDER, Status
from ..norms import SITUATION_QUESTION, DayNorms
from ..questions import Question
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
    return {"text": description.text, "children": [description_tree(c) for c in description.children],
            "limits": [{"lead": lead, "lines": lines} for lead, lines in description.limits]}


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


# ---------------------------------------------------------------- the resident's results page

START_HERE = 4  # at most this many results under "Begin hier"
#: without an amount, which kind of result usually means most to a household: individual help and money first
KIND_VALUE = {"provision": 0, "referral": 1, "collective": 2}


def value_of(item: ProductResult) -> tuple:
    """Most valuable first: the yearly amount when the check knows it, then the kind, then the title."""
    per_year = item.amount.per_year if item.amount is not None else None
    return (-(per_year or 0), KIND_VALUE.get(item.kind, 3), item.product.title.lower())


@dataclass(frozen=True)
class ResultsPage:
    """The sections of the results page, most important first."""

    start_here: list[ProductResult]  # the few that matter most: in the chosen topics, most valuable first
    also_eligible: list[tuple[KindInfo, list[ProductResult]]]  # every other result that fits, collective first
    maybe: list[ProductResult]  # in the chosen topics, not known yet (with the question that decides it)
    not_fitting: list[ProductResult]  # in the chosen topics, does not fit
    elsewhere: list[ProductResult]  # outside the chosen topics, open or not fitting

    @property
    def eligible_count(self) -> int:
        return len(self.start_here) + sum(len(items) for _, items in self.also_eligible)


def results_page(result: CheckResult) -> ResultsPage:
    """Where each result goes on the page. Nothing that fits is ever hidden behind a closed section."""
    eligible = [r for r in result.results if r.status == Status.ELIGIBLE]
    start_here = sorted((r for r in eligible if r.in_topics), key=value_of)[:START_HERE]
    chosen = {r.id for r in start_here}
    also = [(KINDS[kind], [r for r in eligible if r.kind == kind and r.id not in chosen]) for kind in KIND_ORDER]
    return ResultsPage(
        start_here,
        [(info, items) for info, items in also if items],
        [r for r in result.results if r.in_topics and r.status == Status.UNKNOWN],
        [r for r in result.results if r.in_topics and r.status == Status.NOT_ELIGIBLE],
        [r for r in result.results if not r.in_topics and r.status != Status.ELIGIBLE],
    )


@dataclass(frozen=True)
class NotResidentHelp:
    """For someone who lives elsewhere: the help that does not depend on where you live."""

    fitting: list[ProductResult]
    maybe: list[ProductResult]


def not_resident(result: CheckResult) -> NotResidentHelp:
    """Products whose rule never asks where you live (national referrals, opvang, Veilig Thuis, ...)."""
    independent = [r for r in result.results
                   if RESIDENCE_QUESTION not in r.product.questions and r.status != Status.NOT_ELIGIBLE]
    return NotResidentHelp([r for r in independent if r.status == Status.ELIGIBLE],
                           [r for r in independent if r.status == Status.UNKNOWN and r.in_topics])


# ---------------------------------------------------------------- the questions of one screen

@dataclass(frozen=True)
class Reveal:
    """A follow-up's ``alleen_als`` as the browser can test it: used only when asking the server fails."""

    question: str
    op: str
    value: str  # JSON of the operand


@dataclass(frozen=True)
class StepFields:
    """The fields of one screen: the questions in the step's order, and which of them are follow-ups.

    A follow-up (its ``alleen_als`` depends on a question on the same screen) is carried hidden; the page
    asks the server which ones to show as the resident answers (``Check.revealed``). ``shown`` are the
    follow-ups visible from the start (answered before, or already mattering).
    """

    questions: tuple[Question, ...]
    reveals: dict[str, Reveal]
    follow_ups: tuple[str, ...] = ()
    shown: frozenset[str] = frozenset()

    @property
    def ids(self) -> str:
        return ",".join(q.id for q in self.questions)

    @property
    def follow_up_ids(self) -> str:
        return ",".join(self.follow_ups)


def step_questions(result: CheckResult, step: Step, mode: str, asked_for: Collection[str] = (),
                   check: Check | None = None, showed: Collection[str] = ()) -> StepFields:
    """The questions a screen shows: the ranked ones when it is the next step; coming back to it, also what was
    answered there (filled in), so nothing given is lost. ``asked_for`` are questions the resident chose to
    answer (an open amount waits for one) or just submitted: shown even when no result depends on them.
    ``showed`` are follow-ups the submitted page showed (they stay visible when it comes back with errors)."""
    catalog = result.catalog
    vocabulary = catalog.vocabulary
    next_step = result.next_step
    if mode == "next" and next_step is not None and next_step.id == step.id:
        questions = next_step.all_questions
    else:
        # Back on an earlier screen, or come to answer one question: the answers given here stay visible and
        # nothing new is asked besides it (what else this step still needs comes on the next screen).
        wanted = {q for q in step.questions if q in result.answers or q in asked_for}
        if not wanted:
            wanted = {q for q in step.questions if q in result.mattering}
        questions = tuple(vocabulary[q] for q in step.questions if q in wanted)
    on_screen = {q.id for q in questions}
    env = catalog.env(result.answers, result.date)
    reveals: dict[str, Reveal] = {}
    follow_ups: list[str] = []
    for question in questions:
        condition = catalog.question_conditions.get(question.id)
        if condition is None or condition.status(env) is True or not condition.questions() & on_screen:
            continue
        follow_ups.append(question.id)
        simple = simple_condition(condition)
        if simple is not None:
            parent, op, value = simple
            reveals[question.id] = Reveal(parent, op, json.dumps(value))
    answered = {q for q in follow_ups if q in result.answers or q in showed}
    if check is not None and len(answered) < len(follow_ups):
        answered |= set(check.revealed(result.json_answers, [q for q in follow_ups if q not in answered]))
    return StepFields(questions, reveals, tuple(follow_ups), frozenset(answered))


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
