"""The memos that settles share (rule outcomes by the answers a rule reads, the ranking's tries) never change
a result: not across municipalities with their own norms and rules, and not across dates."""

from __future__ import annotations

import dataclasses
import gc
import datetime as dt
import random
from pathlib import Path

import pytest

from catalogus.check import CaseManager, Check, CheckResult, ProductResult, all_nodes, forget_outcomes
from catalogus.frozen import dict_maker, unfrozen_twin
from catalogus.models import Status
from catalogus.reasons import AnswerStated, NumberCompared
from catalogus.region import load_region
from catalogus.rules import MANY_VALUES_LIMIT, Comparison, Env, Named
from catalogus.web import api
from tests.support.households import household, partial

ROOT = Path(__file__).resolve().parent.parent
DATES = (dt.date(2026, 11, 26), dt.date(2027, 1, 1))


@pytest.fixture(scope="module")
def region():
    found, diagnostics = load_region(ROOT, today=DATES[0])
    assert not [d for d in diagnostics if d.is_error]
    return found


def seen(result):
    """What a front end reads from a settle, as plain values."""
    products = tuple((r.id, r.status, r.reasons, r.missing, r.deciding, r.amount) for r in result.results)
    step = result.next_step
    return (products, result.case_manager, step.id if step else None,
            tuple(q.id for q in step.questions) if step else (), dict(result._scores), result.remaining_steps)


def test_shared_memos_give_what_a_fresh_settle_gives_in_every_municipality_and_on_every_date(region):
    rng = random.Random(11)
    households = [household(rng) for _ in range(60)] + [partial(rng, household(rng)) for _ in range(60)]
    checks = [(mid, date, Check(region.catalog(mid), date)) for mid in region.ids for date in DATES]
    # Interleaved, so that every check reads memos the others filled; three rounds, because an outcome
    # that reads an amount is kept from its second sighting (rules.SeenOnce) and read from the third.
    shared = {(mid, date): [check.settle(a) for a in households] for _round in range(3)
              for mid, date, check in checks}
    differs = False
    for mid, date, check in checks:
        fresh = []
        for answers in households:
            forget_outcomes(check.catalog)
            fresh.append(check.settle(answers))
        assert [seen(r) for r in shared[(mid, date)]] == [seen(r) for r in fresh], (mid, date)
        differs |= [seen(r) for r in fresh] != [seen(r) for r in shared[(checks[0][0], checks[0][1])]]
    assert differs, "the municipalities and dates should not all agree, or this test shows nothing"


def test_the_check_api_answers_with_remembered_encodings_as_it_would_without(region):
    """The API remembers each encoded result by the identity of the shared ``ProductResult`` and each
    sentence by the identity of its reasons: the bytes must be those of a fresh settle and encoding."""
    rng = random.Random(12)
    households = [household(rng) for _ in range(40)] + [partial(rng, household(rng)) for _ in range(40)]
    checks = [Check(region.catalog(mid), date) for mid in region.ids for date in DATES]
    encode = api._ENCODER.encode

    def answer(check, answers):
        return encode(api.check_response("https://example.nl", check.settle(answers)))

    remembered = {id(check): [answer(check, a) for a in households] for _round in range(3) for check in checks}
    for check in checks:
        fresh = []
        for answers in households:
            forget_outcomes(check.catalog)
            api._SHAPES.clear()
            check.catalog.wording.forget()
            fresh.append(answer(check, answers))
        assert remembered[id(check)] == fresh


def test_a_rule_that_reads_an_amount_keeps_what_a_conversation_repeats_and_no_stream_of_new_amounts(region):
    """A conversation repeats its income on every screen after it, so a rule that reads an amount keeps an
    outcome once it is asked for a second time; a new income in every household leaves nothing behind,
    and repeated ones never more than the limit."""
    catalog = region.catalog(region.ids[0])
    check = Check(catalog, DATES[0])
    base = household(random.Random(13))
    rule = catalog.rules["bijzondere-bijstand"]
    assert not rule.few_answers(catalog.rules)
    forget_outcomes(catalog)
    for cents in range(MANY_VALUES_LIMIT + 50):
        check.settle({**base, "netto_inkomen": 1000 + cents / 100})
    assert len(rule._outcome_memo.table) == 0

    forget_outcomes(catalog)
    for cents in range(MANY_VALUES_LIMIT + 50):
        answers = {**base, "netto_inkomen": 1000 + cents / 100}
        first, again, third = (check.settle(answers).result("bijzondere-bijstand") for _ in range(3))
        assert first == again == third
        assert third.reasons is again.reasons  # the second settle kept it, the third reads it
    assert 0 < len(rule._outcome_memo.table) <= MANY_VALUES_LIMIT


def test_conditions_on_an_amount_keep_nothing_of_a_stream_of_new_amounts(region):
    """Below the products too: every comparison with the income and every shared rule that reads it keeps
    an outcome only once it comes back, so new households leave no objects for the garbage collector."""
    catalog = region.catalog(region.ids[0])
    check = Check(catalog, DATES[0])
    base = household(random.Random(13))
    nodes = list({id(node): node for node in all_nodes(catalog)}.values())
    on_income = [n for n in nodes if isinstance(n, Comparison) and n.question.id == "netto_inkomen"]
    shared_on_income = [n for n in nodes if isinstance(n, Named) and "netto_inkomen" in n.questions()]
    assert on_income and shared_on_income
    forget_outcomes(catalog)
    for cents in range(300):
        check.settle({**base, "netto_inkomen": 1000 + cents / 100})
    assert [len(n._memo) for n in on_income] == [0] * len(on_income)
    assert all(not n._memo_state or not n._memo_state.table for n in shared_on_income)

    forget_outcomes(catalog)
    for _ in range(2):
        check.settle({**base, "netto_inkomen": 1234.56})
    assert any(len(n._memo) == 1 for n in on_income)


def test_the_results_a_check_makes_are_the_frozen_dataclass_with_every_field(region):
    """The check makes its results through an unfrozen twin (``check._make_result``, for speed): they must be
    the same objects ``ProductResult(...)`` makes, and just as unchangeable, since settles share them."""
    catalog = region.catalog(region.ids[0])
    result = Check(catalog, DATES[0]).settle(household(random.Random(5)))
    for item in result.results:
        again = ProductResult(*(getattr(item, f.name) for f in dataclasses.fields(ProductResult)))
        assert item == again and repr(item) == repr(again)  # every slot set (getattr above), in order
        with pytest.raises(dataclasses.FrozenInstanceError):
            item.status = "eligible"


def test_the_reasons_a_comparison_makes_are_the_frozen_dataclasses_with_every_field(region):
    """Comparisons make their reasons through unfrozen twins (``rules._number_compared``, for speed): each must
    be of its own class, equal to and hashing like what the class makes, and unchangeable (memos share them)."""
    catalog = region.catalog(region.ids[0])
    check = Check(catalog, DATES[0])
    made = {}
    for seed in range(40):
        for item in check.settle(household(random.Random(seed))).results:
            for reason in item.reasons:
                made.setdefault(type(reason), reason)
    assert {NumberCompared, AnswerStated} <= set(made)
    for reason in (made[NumberCompared], made[AnswerStated]):
        again = type(reason)(*(getattr(reason, f.name) for f in dataclasses.fields(reason)))
        assert type(reason) is type(again) and reason == again and hash(reason) == hash(again)
        assert repr(reason) == repr(again)
        with pytest.raises(dataclasses.FrozenInstanceError):
            reason.holds = not reason.holds


def test_a_check_result_and_its_routing_are_the_frozen_dataclasses_with_every_field(region):
    """``CheckResult`` and ``CaseManager`` are written into their instance dicts at once (``frozen.dict_maker``):
    they must equal what their classes make from the same fields, and stay unchangeable."""
    catalog = region.catalog(region.ids[0])
    result = Check(catalog, DATES[0]).settle(partial(random.Random(6), household(random.Random(6))))
    for made, cls in ((result, CheckResult), (result.case_manager, CaseManager)):
        again = cls(**{f.name: getattr(made, f.name) for f in dataclasses.fields(cls)})
        assert type(made) is cls and made == again and repr(made) == repr(again)
        with pytest.raises(dataclasses.FrozenInstanceError):
            made.reasons = ()
    with pytest.raises(TypeError):
        dict_maker(CaseManager)(route=True)  # every field must be given


def test_memo_keys_of_plain_answers_are_left_alone_by_the_garbage_collector(region):
    """Memo keys name the day's norms by a number (``DayNorms.key``), not the object: a key of numbers, texts
    and yes/no answers then holds nothing the collector tracks, and a full collection stops walking it (with
    tens of thousands of keys in a server's memos, that was a tenth of a check)."""
    catalog = region.catalog(region.ids[0])
    forget_outcomes(catalog)
    check = Check(catalog, DATES[0])
    for _ in range(3):  # kept from the second sighting on
        check.settle(household(random.Random(9)))
    gc.collect()
    keys = [key for node in all_nodes(catalog) if node._outcome_memo for key in node._outcome_memo.table]
    plain = [key for key in keys if not any(isinstance(part, (frozenset, set)) for part in key)]
    assert plain and not any(gc.is_tracked(key) for key in plain)
    forget_outcomes(catalog)


def test_only_a_frozen_dataclass_with_one_slot_per_field_gets_an_unfrozen_twin():
    @dataclasses.dataclass(frozen=True)
    class WithoutSlots:
        a: int

    @dataclasses.dataclass(slots=True)
    class NotFrozen:
        a: int

    @dataclasses.dataclass(frozen=True, slots=True)
    class Checked:
        a: int

        def __post_init__(self):
            assert self.a > 0

    for cls in (WithoutSlots, NotFrozen, Checked):
        with pytest.raises(TypeError):
            unfrozen_twin(cls)


def test_an_environment_whose_answers_change_is_never_read_by_a_memo(region):
    """Memo keys are read from a row of the answers made once per environment; the ranking's scratch
    environment changes its answers per try, so a memo reading it must fail rather than read a stale row."""
    catalog = region.catalog(region.ids[0])
    answers, _ = catalog.vocabulary.validate(household(random.Random(8)))
    scratch = Env.scratch(dict(answers), catalog.norms.on(DATES[0]), catalog.rules)
    assert {pid: Status.of(rule.status(scratch)) for pid, rule in catalog.rules.items()} == catalog.statuses(
        answers, DATES[0])
    with pytest.raises(IndexError):
        scratch.product_outcome("bijzondere-bijstand")
