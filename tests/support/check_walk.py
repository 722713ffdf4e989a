"""Walk the check as the web wizard does: answer every question of ``next_step`` (and the follow-ups its
answers reveal) from a complete household, until there is no next step; compare with all answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from catalogus.check import TOPICS_QUESTION, Check, CheckResult


@dataclass
class Walk:
    steps: int = 0                 # screens after the topic choice
    questions: int = 0             # answers given on them
    useless: int = 0               # answers to a question that could no longer change anything when shown
    wrong: list[str] = field(default_factory=list)  # in-topic products not decided as with all answers
    route_differs: bool = False    # the case-manager routing is not what all answers say
    useless_ids: list[str] = field(default_factory=list)
    hindsight: int = 0             # a minimal set of answers that decides the same, known afterwards


def signature(result: CheckResult) -> tuple:
    """What the check decides for the chosen topics: each product's status, and the routing."""
    return (tuple((r.id, str(r.status)) for r in result.results if r.in_topics), str(result.case_manager.route))


def walk(check: Check, complete: Mapping[str, Any], topics: list[str] | None, max_steps: int = 40, *,
         script: bool = True) -> Walk:
    """``script``: the screen shows a follow-up once the answers above make it matter (JavaScript on);
    without, follow-ups stay hidden and come on a next screen when they matter."""
    answers: dict[str, Any] = {TOPICS_QUESTION: topics} if topics else {}
    done = Walk()
    result = check.settle(answers)
    for _ in range(max_steps):
        step = result.next_step
        if step is None:
            break
        done.steps += 1
        readers = open_readers(result)
        for question in step.questions:
            answers[question.id] = complete[question.id]
            _count(done, question.id, readers)
        pending = [q.id for q in step.follow_ups] if script else []
        while pending:  # the resident answers each follow-up the screen shows, top to bottom
            shown = check.revealed(answers, pending)
            if not shown:
                break
            qid = shown[0]
            answers[qid] = complete[qid]
            _count(done, qid, open_readers(check.settle({q: v for q, v in answers.items() if q != qid})))
            pending.remove(qid)
        result = check.settle(answers)
    full = check.settle({**askable(check, complete), TOPICS_QUESTION: topics or None})
    final = dict(signature(result)[0])
    done.wrong = [pid for pid, status in signature(full)[0] if final.get(pid) != status]
    # The wijkteam serves residents: for someone who lives elsewhere the check does not ask what only the
    # routing needs (they get the page about their own municipality), so only residents count here.
    done.route_differs = complete.get("woont_in_gemeente") is not False and \
        str(result.case_manager.route) != str(full.case_manager.route)
    done.hindsight = hindsight(check, complete, topics, signature(full))
    return done


def open_readers(result: CheckResult) -> set[str]:
    """The questions that could still matter, read off the rules themselves rather than the ranking: every
    question an open result in the topics (or the open routing) reads, and what their ``alleen_als`` read."""
    catalog = result.catalog
    read = {q for r in result.results if r.in_topics and r.status == "unknown" for q in r.product.questions}
    if result.case_manager.route == "unknown":
        read |= catalog.routing.questions
    conditions = catalog.question_conditions
    for qid in list(read):
        if qid in conditions:
            read |= conditions[qid].questions()
    return read


def _count(done: Walk, qid: str, readers: set[str]) -> None:
    done.questions += 1
    if qid not in readers:
        done.useless += 1
        done.useless_ids.append(qid)


def askable(check: Check, complete: Mapping[str, Any]) -> dict[str, Any]:
    """The answers a resident can give: without those whose ``alleen_als`` is false for this household
    (a random household also answers, say, worries about a child when it has none)."""
    catalog = check.catalog
    env = catalog.env(check.settle(complete).answers, check.date)
    return {qid: value for qid, value in complete.items()
            if (condition := catalog.question_conditions.get(qid)) is None or condition.status(env) is not False}


def hindsight(check: Check, complete: Mapping[str, Any], topics: list[str] | None, target: tuple) -> int:
    """Size of a minimal set of answers (none can be left out) that decides the same as all answers.

    Greedy: leave answers out one by one, last question of the vocabulary first, while the decisions stay
    the same. An upper bound of the true minimum; the check cannot know it in advance."""
    kept = {qid: value for qid, value in askable(check, complete).items() if qid != TOPICS_QUESTION}
    base = {TOPICS_QUESTION: topics or None}
    for qid in reversed(list(check.catalog.vocabulary.ids()) if hasattr(check.catalog.vocabulary, "ids")
                        else list(kept)):
        if qid not in kept:
            continue
        trial = {k: v for k, v in kept.items() if k != qid}
        if signature(check.settle({**base, **trial})) == target:
            kept = trial
    return len(kept)


def halfway(check: Check, complete: Mapping[str, Any], topics: list[str] | None) -> dict[str, Any]:
    """The JSON answers of a household that walked the check screen by screen until about half of the
    questions it would answer in all are answered (topics included): a half-filled check, as sent mid-way."""
    total = walk_answers(check, complete, topics)
    return walk_answers(check, complete, topics, stop_after=(len(total) - (TOPICS_QUESTION in total)) // 2)


def walk_answers(check: Check, complete: Mapping[str, Any], topics: list[str] | None,
                 stop_after: int | None = None, max_steps: int = 40) -> dict[str, Any]:
    """The answers given walking as ``walk`` does (each question of ``next_step``, then its revealed
    follow-ups), stopping once ``stop_after`` questions besides the topics are answered."""
    answers: dict[str, Any] = {TOPICS_QUESTION: topics} if topics else {}
    given = 0
    for _ in range(max_steps):
        step = check.settle(answers).next_step
        if step is None:
            break
        for question in [*step.questions, *step.follow_ups]:
            if stop_after is not None and given >= stop_after:
                return answers
            if question in step.follow_ups and not check.revealed(answers, [question.id]):
                continue  # the screen does not show it: it cannot change anything now
            answers[question.id] = complete[question.id]
            given += 1
    return answers
