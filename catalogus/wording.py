"""B1 Dutch for what the engine found: reasons and rule views turned into sentences.

The one place a second language (or another register) plugs in: the engine
(``rules``) returns data from ``catalogus.reasons``; ``Wording`` says it. Built
once per catalogue (it needs question wording, norm titles and product titles),
and it remembers sentences it made, so rendering the same reason twice is free.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import singledispatchmethod
from typing import TYPE_CHECKING, Iterable, Mapping

from .limits import LimitBand, LimitTable, limit_table
from .norms import MONEY_UNITS, SITUATION_QUESTION, DayNorms, NormBook
from .questions import Question, Vocabulary, format_money, join_dutch
from .reasons import (
    AmountFigures, AmountOpen, AnswerStated, AtLeastView, Calculation, CompareView, ContentWording, Counted, Figure,
    JunctionView, NamedView, NoAmount, NotRouted, NotView, NumberCompared, ProductDecided, ProductView, Reason,
    RuleView, Subtotal, Unanswered, WordedView,
)

if TYPE_CHECKING:  # pragma: no cover
    from .amounts import AgeBand, AmountResult
    from .rules import Node

UNIT_WORDS = {"euro": "", "euro_per_maand": " per maand", "euro_per_jaar": " per jaar",
              "uren_per_week": " uur per week", "jaren": " jaar", "factor": "", "aantal": ""}
OPERATOR_SIGNS = {"+": "+", "-": "−", "×": "×"}
CACHE_LIMIT = 50_000


def format_norm_value(value: Decimal | int, unit: str, *, in_cents: bool) -> str:
    """Show a norm value the Dutch way.

    >>> format_norm_value(140150, "euro_per_maand", in_cents=True)
    '€ 1.401,50'
    >>> format_norm_value(Decimal("67.25"), "jaren", in_cents=False)
    '67 jaar en 3 maanden'
    >>> format_norm_value(Decimal("1.30"), "factor", in_cents=False)
    '130%'
    """
    if in_cents:
        return format_money(int(value))
    if unit == "factor":
        return f"{(Decimal(value) * 100).normalize():f}%"
    if unit == "jaren":
        years = int(value)
        months = int((Decimal(value) - years) * 12)
        return f"{years} jaar" + (f" en {months} maanden" if months else "")
    if unit in MONEY_UNITS:
        return format_money(int(Decimal(value) * 100))
    text = f"{Decimal(value).normalize():f}".replace(".", ",")
    return text + UNIT_WORDS.get(unit, "")


def norm_value_with_unit(value: Decimal | int, unit: str) -> str:
    """A norm value with its period, as a table shows it: '€ 1.401,50 per maand', '130%'."""
    text = format_norm_value(value, unit, in_cents=False)
    return text + UNIT_WORDS[unit] if unit in MONEY_UNITS else text


#: A limit said per age band: an optional lead question ("Bent u 18, 19 of 20 jaar?") and its sentences.
LimitGroup = tuple[str | None, list[str]]


@dataclass
class Description:
    """A rule in plain Dutch: a sentence, or a joiner over sub-descriptions, with the limits it uses."""

    text: str
    children: list["Description"] = field(default_factory=list)
    limits: list[LimitGroup] = field(default_factory=list)  # the figures per leefsituatie and age on the day


def _relation(value, threshold) -> str:
    if value > threshold:
        return "is hoger dan"
    if value < threshold:
        return "is lager dan"
    return "is gelijk aan"


def _number(value) -> str:
    """A plain number the Dutch way: 0,5 and 12.

    >>> _number(Decimal("0.50")), _number(12)
    ('0,5', '12')
    """
    return f"{Decimal(value).normalize():f}".replace(".", ",")


def _figures(part) -> list[Figure]:
    """The figures of a calculation, in the order they appear."""
    if isinstance(part, Figure):
        return [part]
    if isinstance(part, Calculation):
        return _figures(part.left) + _figures(part.right)
    return []


def _multiplies(part) -> bool:
    return isinstance(part, Calculation) and (part.op == "×" or _multiplies(part.left) or _multiplies(part.right))


def _joined_sentences(sentences: list[str]) -> str | None:
    """Sentences that differ only at the end, said once with 'of'.

    >>> _joined_sentences(["U woont in een huurwoning.", "U woont in een koopwoning."])
    'U woont in een huurwoning of koopwoning.'
    >>> _joined_sentences(["U woont alleen."])
    'U woont alleen.'
    """
    if len(sentences) == 1:
        return sentences[0]
    split = [s.rstrip(".").split() for s in sentences]
    common = 0
    while all(len(words) > common + 1 and words[common] == split[0][common] for words in split):
        common += 1
    if common < 2:
        return None
    return " ".join(split[0][:common]) + " " + join_dutch([" ".join(w[common:]) for w in split], "of") + "."


#: first words of a sentence that are lower case inside another sentence (never a name)
FUNCTION_WORDS = frozenset({"U", "Uw", "Er", "Het", "De", "Wie", "Met", "Of"})


def _clause(text: str) -> str:
    """A main sentence as part of a list: 'U heeft schulden.' -> 'u heeft schulden'."""
    text = text.strip().rstrip(".")
    if text.split(" ", 1)[0] in FUNCTION_WORDS:
        text = text[0].lower() + text[1:]
    return text


def option_sentence(q: Question, value: str, *, negated: bool = False) -> str | None:
    """The content's own sentence that the answer is (``zin``) or is not (``zin_niet``) this option."""
    option = (q.definition.opties or {}).get(value)
    if option is None:
        return None
    return option.zin_niet if negated else option.zin


def not_option(q: Question, value: str) -> str:
    """'U studeert niet.': the option's ``zin_niet``, else the short label with 'niet'."""
    return option_sentence(q, value, negated=True) or f"{q.short}: niet '{q.label(value)}'."


class Wording:
    """B1 Dutch sentences for one catalogue's reasons and rules."""

    def __init__(self, vocabulary: Vocabulary, norms: NormBook, product_titles: Mapping[str, str]):
        self.vocabulary = vocabulary
        self.norms = norms
        self.product_titles = product_titles
        self._said: dict[Reason, str] = {}

    # ------------------------------------------------------------ reasons

    def reason(self, reason: Reason) -> str:
        """One reason as a B1 sentence (remembered: the same reason is said the same way)."""
        said = self._said.get(reason)
        if said is None:
            if len(self._said) > CACHE_LIMIT:
                self._said.clear()
            said = self._said[reason] = self._say(reason)
        return said

    def reasons(self, reasons: Iterable[Reason]) -> list[str]:
        return [self.reason(r) for r in reasons]

    def forget(self) -> None:
        """Empty the remembered sentences (a test compares them with freshly said ones)."""
        self._said.clear()

    @singledispatchmethod
    def _say(self, reason) -> str:  # pragma: no cover - every reason type has its own below
        raise TypeError(f"no wording for {type(reason).__name__}")

    @_say.register
    def _(self, reason: AnswerStated) -> str:
        q = self.vocabulary[reason.question]
        words = q.definition.reden
        value = reason.value
        if q.type == "boolean":
            return words.ja if value else words.nee
        if q.type == "choice":
            return self._choice_stated(q, reason)
        if reason.op == "bevat":
            label = q.label(reason.operand)
            template = (words.bevat if reason.holds else words.bevat_niet) if words else None
            return (template or f"{q.short}: {{waarden}}.").replace("{waarden}", label)
        if not reason.holds:  # nothing but the operand: 'U heeft nergens moeite mee.'
            return option_sentence(q, reason.operand) or f"{q.short}: {q.format(value)}."
        others = [k for k in q.options if k in value and k != reason.operand]
        if words and words.bevat:
            return words.bevat.replace("{waarden}", join_dutch([q.label(k) for k in others]))
        return option_sentence(q, reason.operand, negated=True) or f"{q.short}: {q.format(value)}."

    @staticmethod
    def _choice_stated(q: Question, reason: AnswerStated) -> str:
        """A choice answer said about what the rule asks: 'U studeert niet.' for ``!= student`` that holds."""
        if reason.op == "in":
            return q.stated(reason.value)
        asked_is = (reason.op == "=") == reason.holds  # the answer is the operand
        if asked_is:
            return q.stated(reason.operand)
        return option_sentence(q, reason.operand, negated=True) or q.stated(reason.value)

    @_say.register
    def _(self, reason: NumberCompared) -> str:
        q = self.vocabulary[reason.question]
        limit = reason.limit
        if q.definition.hele_jaren:
            if limit is None:
                threshold = self._constant(q, reason.threshold)
            else:
                threshold = f"de {self.norms.norms[limit.norm].title} ({self._limit(q, limit, reason.threshold)})"
            if reason.op in ("=", "!="):
                if reason.value == reason.threshold:
                    return f"U bent {reason.value} jaar."
                return f"U bent {reason.value} jaar, dus niet {threshold}."
            holds_older = (reason.op in (">=", ">")) == reason.holds
            if reason.op in (">=", "<"):
                relation = f"{threshold} of ouder" if holds_older else f"jonger dan {threshold}"
            else:
                relation = f"ouder dan {threshold}" if holds_older else f"{threshold} of jonger"
            return f"U bent {reason.value} jaar, dus {relation}."
        shown = format_money(reason.value) if q.type == "money" else self._constant(q, reason.value)
        subject = f"{q.definition.onderwerp} ({shown})"
        relation = _relation(reason.value, reason.threshold)
        if limit is None:
            return f"{subject} {relation} {self._constant(q, reason.threshold)}."
        figure = self._limit(q, limit, reason.threshold)
        if limit.edge == "exact":
            return f"{subject} {relation} {figure}, {self._norm_name(limit, exact=True)}."
        which = "hoogste" if limit.edge == "highest" else "laagste"
        return f"{subject} {relation} {figure}, de {which} grens die voor u kan gelden ({self._norm_name(limit, exact=False)})."

    @_say.register
    def _(self, reason: Counted) -> str:
        return f"Dat is {reason.held} van de minstens {reason.needed} die nodig zijn."

    @_say.register
    def _(self, reason: ProductDecided) -> str:
        title = self.product_titles.get(reason.product, reason.product)
        return f"U komt in aanmerking voor {title}." if reason.holds else f"U komt niet in aanmerking voor {title}."

    @_say.register
    def _(self, reason: ContentWording) -> str:
        return reason.text

    @_say.register
    def _(self, reason: NotRouted) -> str:
        lead, ways = self.not_routed(reason)
        return f"{lead} " + "; ".join(ways[:-1]) + ("; of " if len(ways) > 1 else "") + ways[-1] + "."

    @_say.register
    def _(self, reason: AmountFigures) -> str:
        parts = [self._figure(f, reason.period) for f in dict.fromkeys(_figures(reason.calculation))]
        if _multiplies(reason.calculation):
            parts.append(f"Zo rekenen we: {self.calculation(reason.calculation)} = {format_money(reason.cents)}.")
        parts.append(reason.sentence.replace("{bedrag}", self.amount_phrase(reason.cents, reason.period)))
        return " ".join(parts)

    @_say.register
    def _(self, reason: AmountOpen) -> str:
        return f"Het bedrag weten we nog niet: het hangt nog af van {join_dutch(self._subjects(reason.depends_on))}."

    @_say.register
    def _(self, reason: NoAmount) -> str:
        if reason.not_eligible:
            return "Dit past niet bij u, dus er is geen bedrag."
        return "Voor uw situatie rekenen we geen bedrag uit."

    def not_routed(self, reason: NotRouted) -> tuple[str, list[str]]:
        """The 'no case manager' reason as a lead sentence and every way to be routed (from the routing rule)."""
        count = reason.problem_domains
        word = "levensgebied" if count == 1 else "levensgebieden"
        lead = (f"Er spelen problemen op {count} {word}. Een casemanager van het wijkteam helpt als een van deze "
                "dingen bij u past:")
        rule = reason.rule
        ways = rule.parts if isinstance(rule, JunctionView) and not rule.every else (rule,)
        return lead, [self.clause(way) for way in ways]

    # ------------------------------------------------------------ amounts

    @staticmethod
    def amount_phrase(cents: int, period: str) -> str:
        """'€ 501,50 per maand'."""
        return f"{format_money(cents)} per {period}"

    def amount_value(self, amount: "AmountResult") -> str:
        """A short form of an amount for reports: '€ 525 per jaar', 'nog open' or 'geen bedrag'."""
        if amount.cents is not None:
            return self.amount_phrase(amount.cents, amount.period)
        return "nog open" if amount.open else "geen bedrag"

    def expected_amount(self, expected: float | str, period: str) -> str:
        """An example's ``verwacht_bedrag`` in the same form as ``amount_value``."""
        if expected == "open":
            return "nog open"
        cents = int((Decimal(str(expected)) * 100).to_integral_value())
        return self.amount_phrase(cents, period)

    def amount_text(self, amount: "AmountResult") -> str:
        """The whole explanation of an amount, with who sets the real amount (API, CRM summary, referral)."""
        text = self.reason(amount.reason)
        if isinstance(amount.reason, (AmountFigures, AmountOpen)):
            text += " " + self.decides(amount.reason.decider)
        return text

    @staticmethod
    def decides(decider: str) -> str:
        """Who sets the real amount: every place that shows an amount says so."""
        return f"Dit is een indicatie. {decider} beslist over het echte bedrag."

    def calculation(self, part) -> str:
        """A calculation with its figures: '€ 125 × 1 + € 200 × 2'; open answers as words (product page)."""
        if isinstance(part, Calculation):
            left, right = self.calculation(part.left), self.calculation(part.right)
            if part.op == "×":
                left, right = (f"({text})" if isinstance(side, Calculation) and side.op != "×" else text
                               for side, text in ((part.left, left), (part.right, right)))
            elif part.op == "-" and isinstance(part.right, Calculation) and part.right.op != "×":
                right = f"({right})"
            return f"{left} {OPERATOR_SIGNS[part.op]} {right}"
        if isinstance(part, Figure):
            return format_money(int(part.value)) if part.money else _number(part.value)
        if isinstance(part, Unanswered):
            return _clause(self.vocabulary[part.question].definition.onderwerp or part.question)
        if isinstance(part, Subtotal):
            return format_money(int(part.value)) if part.money else _number(part.value)
        return _number(part)

    def age_band(self, band: "AgeBand") -> str:
        """'18 tot 21 jaar', '21 jaar tot de AOW-leeftijd', 'vanaf de AOW-leeftijd'."""
        def bound(value, norm_id):
            return f"de {self.norms.norms[norm_id].title}" if norm_id else f"{_number(value)} jaar"
        low = bound(band.low, band.low_norm)
        if band.high is None:
            return f"vanaf {low}"
        if not band.low_norm and not band.high_norm:
            return f"{_number(band.low)} tot {_number(band.high)} jaar"
        return f"{low} tot {bound(band.high, band.high_norm)}"

    def _figure(self, figure: Figure, period: str) -> str:
        suffix = f" per {figure.period}" if figure.money and figure.period != period else ""
        shown = (format_money(int(figure.value)) if figure.money else _number(figure.value)) + suffix
        if figure.source == "vraag":
            return f"{self.vocabulary[figure.name].definition.onderwerp} is {shown}."
        norm = self.norms.norms[figure.name]
        if norm.unit == "factor":
            shown = format_norm_value(figure.value, "factor", in_cents=False)
        where = " voor u" if figure.personal and figure.money else ""
        return f"{norm.article.capitalize()} {norm.title}{where} is {shown}."

    def _subjects(self, questions) -> list[str]:
        return [_clause(self.vocabulary[q].definition.onderwerp or self.vocabulary[q].short) for q in questions]

    # ------------------------------------------------------------ figures

    def _constant(self, q: Question, value) -> str:
        if q.type == "money":
            return format_money(value)
        text = f"{Decimal(value).normalize():f}".replace(".", ",")
        unit = q.definition.eenheid
        return f"{text} {unit}" if unit else text

    def _limit(self, q: Question, limit, value) -> str:
        if q.type == "money":
            return format_money(int(value))
        return format_norm_value(value, self.norms.norms[limit.norm].unit, in_cents=False)

    def _norm_name(self, limit, *, exact: bool) -> str:
        title = self.norms.norms[limit.norm].title
        where = " voor uw situatie" if limit.personal else ""
        if limit.factor is None:
            return f"de {title}{where}" if exact else f"de {title}"
        percent = format_norm_value(limit.factor, "factor", in_cents=False)
        return f"de grens{where} ({percent} van de {title})" if exact else f"{percent} van de {title}"

    # ------------------------------------------------------------ rules (product pages, transparency)

    def describe(self, rule: "Node | RuleView", day: DayNorms) -> Description:
        """A rule in plain Dutch, with the norms' figures on ``day``."""
        view = rule.view() if hasattr(rule, "view") else rule
        return self._describe(view, day)

    def _describe(self, view: RuleView, day: DayNorms) -> Description:
        if isinstance(view, WordedView):
            return Description(view.when_true, limits=self._limits(view.part, day))
        if isinstance(view, JunctionView):
            heading = "Alle voorwaarden hieronder gelden:" if view.every else "Minstens één van deze voorwaarden geldt:"
            return Description(heading, [self._describe(p, day) for p in view.parts])
        if isinstance(view, NotView):
            return Description("Dit geldt niet:", [self._describe(view.part, day)])
        if isinstance(view, AtLeastView):
            return Description(f"Minstens {view.count} van deze voorwaarden gelden:",
                               [self._describe(p, day) for p in view.parts])
        if isinstance(view, NamedView):
            # the summary says the rule; below it only the figures, not the rule a second time
            return Description(view.summary, limits=self._limits(view.part, day) if view.part is not None else [])
        if isinstance(view, ProductView):
            return Description(f"U komt in aanmerking voor {self.product_titles.get(view.product, view.product)}.")
        return Description(self._comparison(view, day), limits=self._limits(view, day))

    # ------------------------------------------------------------ limits (what a norm means for a household)

    def _limits(self, view: RuleView, day: DayNorms) -> list[LimitGroup]:
        """The figures of every norm a rule compares with: per leefsituatie and age, or the one value."""
        if isinstance(view, (JunctionView, AtLeastView)):
            return [group for part in view.parts for group in self._limits(part, day)]
        if isinstance(view, (NotView, WordedView)):
            return self._limits(view.part, day)
        if isinstance(view, NamedView):
            return self._limits(view.part, day) if view.part is not None else []
        if not isinstance(view, CompareView) or view.norm is None:
            return []
        factor = day.scalar(view.factor_norm) if view.factor_norm else view.factor
        table = limit_table(day, view.norm, factor, self._situations())
        if table is not None:
            return self.limit_groups(table, day)
        norm = self.norms.norms[view.norm]
        if view.factor is None and view.factor_norm is None:
            return []  # the sentence itself names the value
        value = format_norm_value(day.values[norm.id].value * factor, norm.unit, in_cents=False)
        return [(None, [f"De grens is {value}{UNIT_WORDS[norm.unit] if norm.unit in MONEY_UNITS else ''}."])]

    def _situations(self) -> tuple[str, ...]:
        if SITUATION_QUESTION not in self.vocabulary:
            return ()
        return tuple(self.vocabulary[SITUATION_QUESTION].options)

    def limit_groups(self, table: LimitTable, day: DayNorms) -> list[LimitGroup]:
        """A limit table as B1 sentences: 'Woont u alleen? Dan is de grens € 1.821,95 per maand.'"""
        several = len(table.bands) > 1
        groups: list[LimitGroup] = []
        for band in table.bands:
            age = self.age_question(band, day) if several else None
            lines = band.lines
            if len(lines) == 1 and lines[0].situations is None:
                amount = self.limit_value(table, lines[0].value)
                groups.append((None, [f"{age} Dan is de grens {amount}." if age else f"De grens is {amount}."]))
                continue
            sentences = [f"{self.situation_question(line.situations)} Dan is de grens "
                         f"{self.limit_value(table, line.value)}." for line in lines]
            groups.append((age, sentences))
        return groups

    def limit_value(self, table: LimitTable, value) -> str:
        """'€ 1.821,95 per maand', '€ 8.000', '8 uur per week'."""
        if table.money:
            return format_money(int(value)) + UNIT_WORDS.get(table.unit, "")
        return format_norm_value(value, table.unit, in_cents=False)

    def situation_question(self, situations: tuple[str, ...] | None) -> str:
        """'Woont u alleen of alleen met kinderen?' (the leefsituatie options as a question)."""
        if not situations:
            return "Woont u anders?"
        q = self.vocabulary[SITUATION_QUESTION]
        return f"Woont u {join_dutch([q.label(s) for s in situations], 'of')}?"

    def age_question(self, band: LimitBand, day: DayNorms) -> str:
        """'Bent u 18, 19 of 20 jaar?', 'Heeft u de AOW-leeftijd (67 jaar) bereikt?'"""
        low, high = band.age_from, band.age_to
        if high is None:
            if isinstance(low, str):
                return f"Heeft u {self._age_bound(low, day)} bereikt?"
            return f"Bent u {_number(low)} jaar of ouder?" if low is not None else "Voor alle leeftijden:"
        if low is None:
            return f"Bent u jonger dan {self._age_bound(high, day)}?"
        if not isinstance(low, str) and not isinstance(high, str) and high - low <= 3:
            years = [str(age) for age in range(int(low), int(high))]
            return f"Bent u {join_dutch(years, 'of')} jaar?"
        return f"Bent u {self._age_bound(low, day)} of ouder, maar jonger dan {self._age_bound(high, day)}?"

    def _age_bound(self, bound, day: DayNorms) -> str:
        if isinstance(bound, str):
            return f"de {self.norms.norms[bound].title} ({format_norm_value(day.scalar(bound), 'jaren', in_cents=False)})"
        return f"{_number(bound)} jaar"

    def _comparison(self, view: CompareView, day: DayNorms) -> str:
        q = self.vocabulary[view.question]
        if q.type == "boolean":
            words = q.definition.reden
            return words.ja if view.operand == (view.op == "=") else words.nee
        if q.type == "choice":
            if view.op == "!=":
                return not_option(q, view.operand)
            values = view.operand if view.op == "in" else [view.operand]
            own = [option_sentence(q, v) for v in values]
            if all(own):
                return _joined_sentences(own) or join_dutch([own[0].rstrip(".")] + [_clause(s) for s in own[1:]],
                                                            "of") + "."
            return f"{q.short}: {join_dutch([q.label(v) for v in values], 'of')}."
        if q.type == "multi":
            words = q.definition.reden
            if view.op == "bevat":
                if words and words.bevat:
                    return words.bevat.replace("{waarden}", q.label(view.operand))
                return f"{q.short}: {q.label(view.operand)}."
            return option_sentence(q, view.operand, negated=True) or \
                f"{q.short}: iets anders dan '{q.label(view.operand)}'."
        phrase = {">=": "is minstens", ">": "is meer dan", "<=": "is niet meer dan", "<": "is minder dan",
                  "=": "is", "!=": "is niet"}[view.op]
        if q.definition.hele_jaren:
            phrase = {">=": "is minstens", ">": "is ouder dan", "<=": "is hoogstens", "<": "is jonger dan"}.get(
                view.op, phrase)
            subject = "U"
            phrase = phrase.replace("is", "bent", 1)
        else:
            subject = q.definition.onderwerp
        if view.norm is None:
            return f"{subject} {phrase} {self._constant(q, view.operand)}."
        return f"{subject} {phrase} {self._norm_in_rule(view, day)}."

    def _norm_in_rule(self, view: CompareView, day: DayNorms) -> str:
        norm = self.norms.norms[view.norm]
        dated = day.values[norm.id]
        plain = view.factor is None and view.factor_norm is None
        if dated.variants is not None:  # a figure per household: the limit groups below the sentence give them
            return f"de {norm.title} voor uw situatie" if plain else "de grens voor uw situatie"
        if plain:
            return f"de {norm.title} ({format_norm_value(dated.value, norm.unit, in_cents=False)})"
        return "de grens hieronder"

    # ------------------------------------------------------------ follow-up questions

    def asked_when(self, view: RuleView) -> str:
        """When a follow-up question on a screen applies, said about the question above it."""
        if isinstance(view, WordedView):
            view = view.part
        if not isinstance(view, CompareView):
            return f"Alleen als {self.clause(view)}."
        q = self.vocabulary[view.question]
        if q.type == "multi":
            label = q.label(view.operand)
            what = f"iets anders koos dan '{label}'" if view.op == "bevat_iets_anders_dan" else f"'{label}' koos"
        elif q.type == "choice":
            values = view.operand if view.op == "in" else [view.operand]
            what = ("niet " if view.op == "!=" else "") + join_dutch([f"'{q.label(v)}'" for v in values], "of") + " koos"
        elif q.type == "boolean":
            what = "ja koos" if view.operand == (view.op == "=") else "nee koos"
        else:
            amount = self._constant(q, view.operand)
            what = {">": f"meer dan {amount}", ">=": f"{amount} of meer", "<": f"minder dan {amount}",
                    "<=": f"{amount} of minder", "=": amount, "!=": f"iets anders dan {amount}"}[view.op] + " invulde"
        return f"Alleen als u bij '{q.short}' {what}."

    # ------------------------------------------------------------ clauses (lists of conditions)

    def clause(self, view: RuleView) -> str:
        """A condition as part of a sentence: 'u heeft schulden', 'er spelen problemen op 3 of meer levensgebieden'."""
        if isinstance(view, WordedView):
            return _clause(view.when_true)
        if isinstance(view, JunctionView):
            return join_dutch([self.clause(p) for p in view.parts], "en" if view.every else "of")
        if isinstance(view, AtLeastView):
            if all(isinstance(p, NamedView) and p.domain for p in view.parts):
                return f"er spelen problemen op {view.count} of meer levensgebieden"
            return f"minstens {view.count} van deze dingen gelden: " + join_dutch([self.clause(p) for p in view.parts])
        if isinstance(view, NotView):
            return "dit geldt niet: " + self.clause(view.part)
        if isinstance(view, NamedView):
            return _clause(view.summary)
        if isinstance(view, ProductView):
            return f"u komt in aanmerking voor {self.product_titles.get(view.product, view.product)}"
        return _clause(self._comparison(view, self.norms.on(self.norms.first_date())))

