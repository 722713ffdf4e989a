"""The check as a conversation: screens (steps) of questions that belong together, and what to ask next.

A step (``rules/stappen.yaml``) presents a few vocabulary questions on one screen; the ids stay those
of the vocabulary. What to ask next is ranked by what a step settles, computed from the rules:

* A question can be shown only when it can still change something: unanswered, its ``alleen_als``
  not false, and needed by an open result in the chosen topics or by the open case-manager decision.
* Steps marked ``fase: begin`` come first (they can end or redirect the check: residence, safety);
  then a step with a follow-up question that an earlier answer unlocked (it reads as one conversation).
* For every other step we estimate the **expected number of open results settled**: for each open
  result and each question on the step we try the question's representative answers (every region
  the rules' thresholds cut out, on this date) and count the share that decides the result; the step
  settles a result with probability ``1 - Π (1 - share)`` over its questions (answers taken as
  independent, every representative answer equally likely). The step with the most settled per
  question asked wins; ties go to the step that comes first in the file, which keeps the order of a
  conversation.
* A screen holds the step's most decisive question and each further question that stays needed,
  whatever the questions already on the screen are answered, in at least ``KEEP_NEEDED`` of the
  cases: asking them together then costs (almost) nothing extra. A list to tick is never split.
* Follow-up questions of the step (their ``alleen_als`` depends on a question on the same screen)
  come along, hidden: they appear when the answers above make them matter (``Check.revealed``: the
  ``alleen_als`` holds and the answer can still change an open result). Without JavaScript they stay
  hidden and come on the next screen when they matter.

docs/performance.md compares the result with asking one question at a time and with the hindsight
minimum (``bench/bench_wizard.py``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from . import models
from .errors import Diagnostic, did_you_mean
from .norms import AGE_QUESTION, SITUATION_QUESTION, DayNorms
from .questions import Question, Vocabulary
from .rules import MEMO_LIMIT, Comparison, Env, Node
from .yamlio import SourceMap

if TYPE_CHECKING:  # pragma: no cover
    from .catalog import Catalog
    from .compiler import Compiler

TOPICS_QUESTION = "onderwerpen"
BEGIN = "begin"
CHECKBOXES = "aanvinken"
MAX_REPRESENTATIVES = 6  # answers tried per number question when ranking
KEEP_NEEDED = 0.75  # a question joins a screen when it stays needed in this share of the others' answers


@dataclass(frozen=True)
class Step:
    """One screen of the check."""

    id: str
    title: str
    questions: tuple[str, ...]
    kind: str = "vragen"  # or "aanvinken": yes/no statements to tick, with "Geen van deze"
    phase: str | None = None  # "begin": asked first
    intro: str | None = None
    condition: Node | None = None  # show only when this holds (e.g. the topic Veiligheid was chosen)
    order: int = 0

    @property
    def checkboxes(self) -> bool:
        return self.kind == CHECKBOXES


@dataclass(frozen=True)
class NextStep:
    """The step to show now and the questions on it that can still change something.

    ``follow_ups`` are questions of the same step whose ``alleen_als`` depends only on questions on this
    screen and that an open result needs: the screen carries them hidden and shows each one once the
    answers above make it matter (``Check.revealed``); without JavaScript they come on the next screen.
    """

    step: Step
    questions: tuple[Question, ...]
    follow_ups: tuple[Question, ...] = ()

    @property
    def id(self) -> str:
        return self.step.id

    @property
    def all_questions(self) -> tuple[Question, ...]:
        """Every field on the screen, in the step's order."""
        shown = {q.id for q in self.questions + self.follow_ups}
        by_id = {q.id: q for q in self.questions + self.follow_ups}
        return tuple(by_id[q] for q in self.step.questions if q in shown)


def simple_condition(condition: Node | None) -> tuple[str, str, Any] | None:
    """A follow-up's ``alleen_als`` as one comparison a browser or another channel can test itself:
    (question, operator, operand); None when it is more than that (or compares with a norm)."""
    if isinstance(condition, Comparison) and condition.norm is None:
        value = condition.operand
        return condition.question.id, condition.op, sorted(value) if isinstance(value, (tuple, frozenset)) else value
    return None


# ---------------------------------------------------------------- loading

def build_steps(steps_file: models.StepsFile | None, source: SourceMap | None, vocabulary: Vocabulary,
                compiler: "Compiler") -> tuple[tuple[Step, ...], list[Diagnostic]]:
    """Compile the steps; without a steps file every question is a screen of its own (vocabulary order)."""
    if steps_file is None or source is None:
        return tuple(Step(q.id, q.text, (q.id,), order=i) for i, q in enumerate(vocabulary)
                     if q.id != TOPICS_QUESTION), []
    found: list[Diagnostic] = []
    steps = []
    placed: set[str] = set()
    for order, (step_id, definition) in enumerate(steps_file.stappen.items()):
        here = ("stappen", step_id)
        questions = []
        for i, qid in enumerate(definition.vragen):
            where = here + ("vragen", i)
            if qid not in vocabulary:
                found.append(source.diagnostic(where, "E201", f"onbekende vraag '{qid}'",
                                               did_you_mean(qid, vocabulary.ids()) or "zie rules/vragen.yaml"))
                continue
            if qid == TOPICS_QUESTION:
                found.append(source.diagnostic(where, "E108", f"vraag '{qid}' staat al op het eerste scherm van de "
                                                              "check", "haal hem uit deze stap"))
                continue
            question = vocabulary[qid]
            if definition.soort == CHECKBOXES and (question.type != "boolean" or not question.definition.stelling):
                found.append(source.diagnostic(where, "E109", f"vraag '{qid}' kan niet in een stap om aan te vinken",
                                               "alleen ja/nee-vragen met een 'stelling:' in rules/vragen.yaml "
                                               "kunnen worden aangevinkt"))
                continue
            questions.append(qid)
            placed.add(qid)
        condition = None
        if definition.als is not None:
            condition = compiler.compile(definition.als, source, here + ("als",))
        steps.append(Step(step_id, definition.titel, tuple(questions), definition.soort, definition.fase,
                          definition.uitleg, condition, order))
    for question in vocabulary:
        if question.id != TOPICS_QUESTION and question.id not in placed:
            found.append(source.diagnostic(("stappen",), "E108", f"vraag '{question.id}' staat in geen stap",
                                           "zet hem in een stap in rules/stappen.yaml, anders vraagt de check hem "
                                           "nooit", prefer_key=True))
    return tuple(steps), found


# ---------------------------------------------------------------- representative answers

def representatives(catalog: "Catalog", day: DayNorms) -> dict[str, list[Any]]:
    """Per question the answers worth trying when ranking: one in every region the thresholds cut out.

    Number questions get at most ``MAX_REPRESENTATIVES`` answers spread over their regions; the
    thresholds come from every comparison in the catalogue, norms resolved for every age band and
    leefsituatie on ``day``.
    """
    thresholds: dict[str, set] = {q.id: set() for q in catalog.vocabulary}
    vocabulary = catalog.vocabulary
    situations = list(vocabulary[SITUATION_QUESTION].options) if SITUATION_QUESTION in vocabulary else [None]
    ages = [18, 21, 40, 70] if AGE_QUESTION in vocabulary else [None]
    for node in all_nodes(catalog):
        if not isinstance(node, Comparison) or not node.question.kind.numeric:
            continue
        if node.norm is None:
            thresholds[node.question.id].add(node.operand)
            continue
        for situation in situations:
            for age in ages:
                limits = day.limits(node.norm.id, node.factor, situation, age)
                if not limits.gap:
                    thresholds[node.question.id] |= {limits.low, limits.high}
        for dated in (day.values[node.norm.id],):
            for variant in dated.variants or ():
                for bound in (variant.age_from, variant.age_to):
                    if bound is not None and AGE_QUESTION in thresholds:
                        thresholds[AGE_QUESTION].add(day.scalar(bound) if isinstance(bound, str) else bound)
    found = {}
    for question in vocabulary:
        values = question.kind.candidates(question, thresholds[question.id])
        if question.kind.numeric and len(values) > MAX_REPRESENTATIVES:
            values = _spread(values, MAX_REPRESENTATIVES)
        if question.type == "multi":
            values = [v for v in values if len(v) == 1]  # one thing at a time is what people mostly answer
        found[question.id] = values
    return found


def _spread(values: list, count: int) -> list:
    step = (len(values) - 1) / (count - 1)
    return [values[round(i * step)] for i in range(count)]


def all_nodes(catalog: "Catalog") -> Iterable[Node]:
    """Every compiled node of the catalogue once: products, routing, urgent signals, questions' alleen_als."""
    roots = [p.rule for p in catalog.products.values()] + [catalog.routing.route]
    roots += [s.rule for s in catalog.routing.urgent] + list(catalog.question_conditions.values())
    seen: set[int] = set()
    for root in roots:
        for node in root.walk():
            if id(node) not in seen:
                seen.add(id(node))
                yield node


# ---------------------------------------------------------------- ranking

class Ranking:
    """What to ask next for one settle: the steps that can still change something, best first."""

    def __init__(self, catalog: "Catalog", env: Env, answers: Mapping[str, Any],
                 open_items: list[tuple[Node, tuple[str, ...]]], representative: Mapping[str, list],
                 needed: frozenset[str] = frozenset()):
        self.catalog = catalog
        self.env = env
        self.answers = answers
        self.open_items = open_items  # (rule, questions that may be asked now and would decide it)
        self.representative = representative
        self.needed = needed  # what the open results themselves still need (follow-ups included)
        # question -> how many open items it may decide (a Counter counts in C: this runs on every settle)
        self.scores: dict[str, int] = Counter(chain.from_iterable([deciding for _rule, deciding in open_items]))
        self._needing: dict[str, list[int]] = {}  # question -> the open items it may decide, when asked
        self._decisions: dict[str, dict[int, frozenset[int]]] = {}
        self._candidates: dict[str, tuple[str, ...]] = {}  # step id -> candidates, once per settle
        self._settled: dict[tuple[str, ...], float] = {}  # questions -> expected results settled
        self._scratch: Env | None = None  # the answers plus one tried answer, reused for every try
        self._fixed: dict = {}  # what the parts that do not read the tried question decide (Node.vary)
        self._by_answers: dict[int, Any] = {}  # open item -> its rule's tries for these answers (or None)

    # ------------------------------------------------------------ what a step shows

    def candidates(self, step: Step) -> tuple[str, ...]:
        """The step's questions that can change something now (unanswered, askable, needed)."""
        found = self._candidates.get(step.id)
        if found is None:
            if step.condition is not None and step.condition.status(self.env) is False:
                found = ()
            else:
                scores = self.scores
                found = tuple([q for q in step.questions if q in scores])
            self._candidates[step.id] = found
        return found

    def bundle(self, step: Step, candidates: tuple[str, ...]) -> tuple[str, ...]:
        """The candidates to put on one screen: the most decisive first, then each one that stays needed
        (whatever the ones already on the screen are answered, in at least ``KEEP_NEEDED`` of the cases).
        A list to tick is never split: ticking is one decision."""
        if len(candidates) <= 1 or step.checkboxes:
            return candidates
        value = {q: self.expected_settled((q,)) for q in candidates}
        chosen: list[str] = []
        for q in sorted(candidates, key=lambda q: -value[q]):
            still = 1.0
            for p in chosen:
                still *= self._still_needed(q, p)
            if still >= KEEP_NEEDED:
                chosen.append(q)
        return tuple(q for q in candidates if q in chosen)

    def follow_ups(self, step: Step, shown: tuple[str, ...]) -> tuple[str, ...]:
        """Questions of the step that an answer on this screen may unlock, and that an open result needs."""
        conditions = self.catalog.question_conditions
        on_screen = set(shown)
        found = []
        for qid in step.questions:
            condition = conditions.get(qid)
            if (qid in on_screen or qid in self.answers or condition is None or qid not in self.needed
                    or condition.status(self.env) is not None):
                continue
            if condition.questions() <= on_screen | set(self.answers):
                found.append(qid)
                on_screen.add(qid)
        return tuple(found)

    # ------------------------------------------------------------ the choice

    def next_step(self) -> NextStep | None:
        vocabulary = self.catalog.vocabulary
        candidates = [(step, self.candidates(step)) for step in self.catalog.steps]
        candidates = [(step, found) for step, found in candidates if found]
        if not candidates:
            return None
        first = [c for c in candidates if c[0].phase == BEGIN]
        if not first:
            # A follow-up that an earlier answer unlocked (say the rent after "huurwoning") comes right after
            # it, as in a conversation: a candidate with an ``alleen_als`` is only askable once that holds.
            conditions = self.catalog.question_conditions
            first = [c for c in candidates if any(q in conditions for q in c[1])]
        if first:
            step, found = first[0]
            shown = self.bundle(step, found)
        else:
            step, shown = self._best(candidates)
        return NextStep(step, tuple(vocabulary[q] for q in shown),
                        tuple(vocabulary[q] for q in self.follow_ups(step, shown)))

    def _best(self, candidates: list[tuple[Step, tuple[str, ...]]]) -> tuple[Step, tuple[str, ...]]:
        """The step whose screen settles the most per question asked; ties go to the step that comes first.

        A screen settles at most as many results per question as its best question may decide (its
        score), so the steps are tried by that bound, and a step whose bound cannot beat the best so far
        is never bundled (bundling tries every answer of every candidate question).
        """
        scores = self.scores
        bounded = sorted(((max(scores[q] for q in found), step, found) for step, found in candidates),
                         key=lambda c: (-c[0], c[1].order))
        best: tuple[Step, tuple[str, ...]] | None = None
        best_key: tuple[float, int] | None = None
        for bound, step, found in bounded:
            if best_key is not None and (bound, -step.order) < best_key:
                continue
            shown = self.bundle(step, found)
            key = (self.expected_settled(shown) / len(shown), -step.order)
            if best_key is None or key > best_key:
                best, best_key = (step, shown), key
        assert best is not None
        return best

    def remaining_steps(self) -> int:
        """Screens that can still change something (the follow-up questions they unlock aside)."""
        return len([step for step in self.catalog.steps if self.candidates(step)])

    # ------------------------------------------------------------ what answers settle

    def expected_settled(self, questions: tuple[str, ...]) -> float:
        """Expected number of open results (and the case-manager decision) these answers decide."""
        found = self._settled.get(questions)
        if found is None:
            stays_open: dict[int, float] = {}
            for qid in questions:
                count = len(self.representative.get(qid) or ()) or 1
                for item, deciding in self._decided_by(qid).items():
                    stays_open[item] = stays_open.get(item, 1.0) * (1.0 - len(deciding) / count)
            found = self._settled[questions] = sum([1.0 - p for p in stays_open.values()])
        return found

    def _still_needed(self, q: str, p: str) -> float:
        """The share of ``p``'s answers after which an open result still needs ``q``."""
        items = self._items_needing(q)
        count = len(self.representative.get(p) or ())
        if not items:
            return 0.0
        if not count:
            return 1.0
        decided_by_p = self._decided_by(p)
        empty: frozenset[int] = frozenset()
        needed = 0
        for i in range(count):
            for item in items:
                if i not in decided_by_p.get(item, empty):
                    needed += 1  # answer i of p leaves an item that q may decide open
                    break
        return needed / count

    def _items_needing(self, qid: str) -> list[int]:
        """The open items that ``qid`` may decide (only the ranking's tries ask, for a few questions)."""
        found = self._needing.get(qid)
        if found is None:
            found = self._needing[qid] = [i for i, (_rule, deciding) in enumerate(self.open_items) if qid in deciding]
        return found

    def _decided_by(self, qid: str) -> dict[int, frozenset[int]]:
        """For each open item that ``qid`` may decide: which of its representative answers decide it."""
        found = self._decisions.get(qid)
        if found is None:
            found = self._decisions[qid] = self._try_answers(qid)
        return found

    def _try_answers(self, qid: str) -> dict[int, frozenset[int]]:
        items = self._items_needing(qid)
        values = self.representative.get(qid) or ()
        if not values or not items:
            return {}
        found: dict[int, frozenset[int]] = {}
        trying: list[tuple[int, Node, Any, dict | None]] = []
        env, fixed = self.env, self._fixed
        for item in items:
            rule = self.open_items[item][0]
            # The same answers of the rule give the same tries: that key costs a few lookups per rule and
            # settle, where ``tries_key`` evaluates the parts for each question (it also matches a household
            # that differs only in what those parts do not turn on, such as another income).
            by_answers = self._by_answers.get(item, _ABSENT)
            if by_answers is _ABSENT:
                by_answers = self._by_answers[item] = rule.tries_by_answers(env)
            known = by_answers.get(qid) if by_answers is not None else None
            if known is None:
                key = rule.tries_key(env, qid, fixed)
                known = rule.tries_memo.get(key)
                if known is None:
                    trying.append((item, rule, key, by_answers))
                    continue
                if by_answers is not None:
                    by_answers[qid] = known
            found[item] = known
        if trying:
            found.update(self._try(qid, values, trying))
        return found

    def _try(self, qid: str, values: list, trying: list[tuple[int, Node, Any, dict | None]]
             ) -> dict[int, frozenset[int]]:
        """For each of these open items: which of ``qid``'s representative answers decide it."""
        env = self._scratch
        if env is None:
            env = self._scratch = Env.scratch(dict(self.answers), self.env.day, self.env.rules)
        answers = env.answers
        before = answers.get(qid, _ABSENT)
        deciding: dict[int, list[int]] = {item: [] for item, *_keys in trying}
        fixed = self._fixed
        for index, value in enumerate(values):
            answers[qid] = value
            env.memo.clear()
            for item, rule, *_keys in trying:
                if rule.vary(env, qid, fixed) is not None:
                    deciding[item].append(index)
        if before is _ABSENT:
            del answers[qid]
        else:
            answers[qid] = before
        env.memo.clear()
        found = {}
        for item, rule, key, by_answers in trying:
            found[item] = frozenset(deciding[item])
            memo = rule.tries_memo
            if len(memo) >= MEMO_LIMIT:
                memo.clear()
            memo[key] = found[item]
            if by_answers is not None:
                by_answers[qid] = found[item]
        return found


_ABSENT = object()
