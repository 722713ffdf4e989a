"""Reasons worded for professionals: what a case manager reads on a referral.

The same structured reasons (``catalogus.reasons``) that ``wording`` says in B1 to a
resident ("U heeft schulden."), said the way a wijkteam writes them down: the question's
professional term, the answer and the figures ("Schulden: ja", "Netto inkomen: € 1.450 per
maand, onder de grens van 130% van de bijstandsnorm (€ 1.821,95)"). A condition with the
content's own resident sentence (``uitleg``) is said as the answers it read, so a case
manager sees "Woonsituatie: zonder vaste woonplek" instead of "U heeft geen vaste woonplek."
"""

from __future__ import annotations

from functools import singledispatchmethod
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from .questions import Question, format_money, join_dutch
from .reasons import (
    AmountFigures, AmountOpen, AnswerStated, AtLeastView, ContentWording, Counted, JunctionView, NamedView, NoAmount,
    NotRouted, NumberCompared, ProductDecided, Reason,
)
from .wording import _number, format_norm_value

if TYPE_CHECKING:  # pragma: no cover
    from .catalog import Catalog
    from .check import CaseManager
    from .rules import Node

RELATIONS = {1: "boven", -1: "onder", 0: "gelijk aan"}


def term(q: Question) -> str:
    """The word a professional uses for a question: ``vakterm``, else ``kort``."""
    return q.definition.vakterm or q.short


def _sign(value, threshold) -> int:
    return (value > threshold) - (value < threshold)


class ProfessionalWording:
    """Short, factual lines for case managers over one catalogue's reasons and a household's answers."""

    def __init__(self, catalog: "Catalog"):
        self.vocabulary = catalog.vocabulary
        self.norms = catalog.norms
        self.product_titles = {pid: p.title for pid, p in catalog.products.items()}
        self.routing = catalog.routing
        self._worded = _worded_conditions(catalog)

    # ------------------------------------------------------------ a referral's reasons

    def case_manager(self, case_manager: "CaseManager", answers: Mapping[str, Any]) -> list[str]:
        """Why the household goes to the wijkteam: the life domains with a problem, then each reason once."""
        lines = [self.domains_line(case_manager.domains)]
        for reason in case_manager.reasons:
            line = self.reason(reason, answers)
            if line not in lines:
                lines.append(line)
        return lines

    def domains_line(self, domains: Iterable[str]) -> str:
        """'Leefgebieden met een probleem: Geld en schulden, Opvoeding (2 van minimaal 3)'."""
        titles = list(domains)
        needed = self._domains_needed()
        count = f" ({len(titles)} van minimaal {needed})" if needed else ""
        return f"Leefgebieden met een probleem: {', '.join(titles) if titles else 'geen'}{count}"

    def _domains_needed(self) -> int | None:
        """The 'minstens N' of the routing rule over life domains (None when it has none)."""
        view = self.routing.route.view()
        parts = view.parts if isinstance(view, JunctionView) else (view,)
        for part in parts:
            if isinstance(part, AtLeastView) and all(isinstance(p, NamedView) and p.domain for p in part.parts):
                return part.count
        return None

    # ------------------------------------------------------------ one reason

    def reason(self, reason: Reason, answers: Mapping[str, Any]) -> str:
        """One reason as a professional line (no full stop: lines in a list)."""
        return self._say(reason, answers)

    @singledispatchmethod
    def _say(self, reason, answers) -> str:  # pragma: no cover - every reason type has its own below
        raise TypeError(f"no professional wording for {type(reason).__name__}")

    @_say.register
    def _(self, reason: AnswerStated, answers) -> str:
        q = self.vocabulary[reason.question]
        if q.type == "boolean":
            return f"{term(q)}: {'ja' if reason.value else 'nee'}"
        said = f"{term(q)}: {q.format(reason.value)}"
        if reason.op == "!=" and reason.holds:
            said += f" (niet {q.label(reason.operand)})"
        return said

    @_say.register
    def _(self, reason: NumberCompared, answers) -> str:
        q = self.vocabulary[reason.question]
        relation = RELATIONS[_sign(reason.value, reason.threshold)]
        limit = reason.limit
        if limit is None:
            return f"{term(q)}: {self._value(q, reason.value)}, {relation} de grens van {self._value(q, reason.threshold)}"
        norm = self.norms.norms[limit.norm]
        figure = format_money(int(reason.threshold)) if q.type == "money" else \
            format_norm_value(reason.threshold, norm.unit, in_cents=False)
        if limit.factor is not None:
            name = f"de grens van {format_norm_value(limit.factor, 'factor', in_cents=False)} van de {norm.title}"
        else:
            name = f"de {norm.title}"
        if limit.edge != "exact":
            which = "hoogste" if limit.edge == "highest" else "laagste"
            figure += f"; de {which} mogelijke, leefsituatie of leeftijd nog onbekend"
        elif limit.personal:
            name += " voor deze leefsituatie"
        return f"{term(q)}: {self._value(q, reason.value)}, {relation} {name} ({figure})"

    @_say.register
    def _(self, reason: Counted, answers) -> str:
        return f"{reason.held} van minimaal {reason.needed} voorwaarden"

    @_say.register
    def _(self, reason: ProductDecided, answers) -> str:
        title = self.product_titles.get(reason.product, reason.product)
        return f"{title}: {'komt in aanmerking' if reason.holds else 'komt niet in aanmerking'}"

    @_say.register
    def _(self, reason: ContentWording, answers) -> str:
        node = self._worded.get(reason.text)
        if node is None:
            return reason.text.rstrip(".")
        read = [self.vocabulary[qid] for qid in self.vocabulary.ids() if qid in node.questions() and qid in answers]
        if not read:
            return reason.text.rstrip(".")
        return "; ".join(f"{term(q)}: {self._answer(q, answers[q.id])}" for q in read)

    @_say.register
    def _(self, reason: NotRouted, answers) -> str:
        word = "leefgebied" if reason.problem_domains == 1 else "leefgebieden"
        return f"Niet naar het wijkteam: problemen op {reason.problem_domains} {word}"

    @_say.register
    def _(self, reason: AmountFigures, answers) -> str:
        return f"Bedrag (indicatie): {format_money(reason.cents)} per {reason.period}; beslist: {reason.decider}"

    @_say.register
    def _(self, reason: AmountOpen, answers) -> str:
        needed = join_dutch([term(self.vocabulary[q]).lower() for q in reason.depends_on])
        return f"Bedrag nog open: hangt af van {needed}"

    @_say.register
    def _(self, reason: NoAmount, answers) -> str:
        return "Geen bedrag: komt niet in aanmerking" if reason.not_eligible else "Geen bedrag voor deze situatie"

    # ------------------------------------------------------------ figures

    def _value(self, q: Question, value) -> str:
        """'€ 1.450 per maand', '16 jaar', '12 uur per week'."""
        if q.type == "money":
            per = q.definition.per
            return format_money(int(value)) + (f" per {per}" if per else "")
        unit = q.definition.eenheid
        return f"{_number(value)} {unit}" if unit else _number(value)

    def _answer(self, q: Question, value) -> str:
        """A stored (JSON) answer formatted: 'ja', 'zonder vaste woonplek', '2'."""
        try:
            return q.format(q.parse(value))
        except (ValueError, TypeError):
            return str(value)


def _worded_conditions(catalog: "Catalog") -> dict[str, "Node"]:
    """Every condition with content wording (``uitleg``), by the sentences it gives: where a reason came from."""
    found: dict[str, "Node"] = {}
    roots: list["Node"] = [catalog.routing.route, *catalog.routing.domains.values(),
                           *(signal.rule for signal in catalog.routing.urgent), *catalog.shared.values(),
                           *catalog.rules.values()]
    seen: set[int] = set()
    while roots:
        node = roots.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if node.explanation is not None:
            found.setdefault(node.explanation.waar, node)
            found.setdefault(node.explanation.onwaar, node)
        roots.extend(node.children())
    return found
