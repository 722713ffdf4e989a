"""Rule evaluation beside json-logic (the rule format Open Formulieren uses) on the same rules.

Run: .venv/bin/python bench/bench_jsonlogic.py [--households 2000] [--write]
Every product rule is translated automatically from the compiled catalogue into
json-logic for one evaluation date (norms become nested ``if`` expressions over
leefsituatie and leeftijd). json-logic is two-valued, so the comparison uses
complete households; results must agree with the engine wherever the engine
decides, before anything is timed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from json_logic import jsonLogic  # noqa: E402

from bench.bench_rules import SUBSET, hand_written, timed  # noqa: E402
from bench.report import write_section  # noqa: E402
from catalogus.catalog import load_catalog_or_raise  # noqa: E402
from catalogus.norms import AGE_QUESTION, SITUATION_QUESTION, DayNorms  # noqa: E402
from catalogus.rules import AllOf, AnyOf, AtLeast, Comparison, Env, Named, Node, Not, ProductIs  # noqa: E402
from tests.support.households import household  # noqa: E402

DATE = dt.date(2026, 11, 26)
OPS = {"=": "==", "!=": "!=", ">=": ">=", ">": ">", "<=": "<=", "<": "<"}


def var(name: str) -> dict:
    return {"var": name}


def translate(node: Node, catalog, day: DayNorms) -> dict | bool:
    """A compiled rule as json-logic for one date."""
    if isinstance(node, AllOf):
        return {"and": [translate(p, catalog, day) for p in node.parts]}
    if isinstance(node, AnyOf):
        return {"or": [translate(p, catalog, day) for p in node.parts]}
    if isinstance(node, Not):
        return {"!": translate(node.part, catalog, day)}
    if isinstance(node, Named):
        return translate(node.target, catalog, day)
    if isinstance(node, ProductIs):
        return translate(catalog.products[node.product_id].rule, catalog, day)
    if isinstance(node, AtLeast):
        return {">=": [{"+": [{"if": [translate(p, catalog, day), 1, 0]} for p in node.parts]}, node.count]}
    assert isinstance(node, Comparison)
    q = node.question.id
    if node.op == "in":
        return {"in": [var(q), list(node.operand)]}
    if node.op == "bevat":
        return {"in": [node.operand, var(q)]}
    if node.op == "bevat_iets_anders_dan":
        return {"some": [var(q), {"!=": [var(""), node.operand]}]}
    if node.norm is None:
        return {OPS[node.op]: [var(q), _plain(node.operand, node)]}
    return {OPS[node.op]: [var(q), _limit(node, day)]}


def _plain(value, node: Comparison):
    if node.question.type == "money":
        return value  # both sides in cents
    return float(value) if isinstance(value, Decimal) else value


def _limit(node: Comparison, day: DayNorms):
    """factor × norm as nested ifs over the household's leefsituatie and age."""
    dated = day.values[node.norm.id]
    factor = day.scalar(node.factor) if isinstance(node.factor, str) else node.factor
    money = node.norm.is_money

    def value_of(raw):
        if money:
            amount = raw * 100 * (factor if factor is not None else 1)
            return int(amount.quantize(Decimal(1), rounding="ROUND_HALF_UP"))
        return float(raw * factor) if factor is not None else float(raw)

    if dated.variants is None:
        return value_of(dated.value)
    branches: list = []
    for variant in dated.variants:
        conditions = []
        if variant.situations is not None:
            conditions.append({"in": [var(SITUATION_QUESTION), sorted(variant.situations)]})
        for bound, op in ((variant.age_from, ">="), (variant.age_to, "<")):
            if bound is not None:
                years = float(day.scalar(bound)) if isinstance(bound, str) else float(bound)
                conditions.append({op: [var(AGE_QUESTION), years]})
        branches += [{"and": conditions} if conditions else True, value_of(variant.value)]
    return {"if": branches + [None]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=2000)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    catalog = load_catalog_or_raise(ROOT, today=DATE)
    day = catalog.norms.on(DATE)
    logic = {pid: translate(p.rule, catalog, day) for pid, p in catalog.products.items()}
    subset_logic = {pid: logic[pid] for pid in SUBSET}
    rng = random.Random(5)
    households = []
    for _ in range(args.households):
        answers, _ = catalog.vocabulary.validate(household(rng))
        data = {k: (sorted(v) if isinstance(v, frozenset) else v) for k, v in answers.items()}
        households.append((answers, data))
    checked = 0
    for answers, data in households:
        statuses = catalog.statuses(answers, DATE)
        for pid, rule in logic.items():
            if statuses[pid] != "unknown":
                assert bool(jsonLogic(rule, data)) == (statuses[pid] == "eligible"), (pid, data)
                checked += 1
    rules = catalog.rules
    subset_rules = [(pid, rules[pid].status) for pid in SUBSET]
    n = len(households)
    t_logic_all = timed(lambda h: [jsonLogic(r, h[1]) for r in logic.values()], households, repeat=1)
    t_engine_all = timed(lambda h: catalog.statuses(h[0], DATE), households)
    t_logic_subset = timed(lambda h: [jsonLogic(r, h[1]) for r in subset_logic.values()], households)
    t_engine_subset = timed(lambda h: [s(Env(h[0], day, rules)) for _, s in subset_rules], households)
    t_hand_subset = timed(lambda h: hand_written(h[0]), households)
    report = "\n".join([
        f"{n} volledige huishoudens, datum {DATE}; {checked} uitkomsten eerst vergeleken (allemaal gelijk).",
        "",
        "| wat | alle {0} producten | subset van {1} producten |".format(len(logic), len(SUBSET)),
        "|---|---|---|",
        f"| catalogus-engine (alleen status) | {t_engine_all / n * 1e6:.1f} µs | {t_engine_subset / n * 1e6:.2f} µs |",
        f"| json-logic-qubit, automatisch vertaald | {t_logic_all / n * 1e6:.1f} µs | {t_logic_subset / n * 1e6:.2f} µs |",
        f"| met de hand geschreven Python | — | {t_hand_subset / n * 1e6:.2f} µs |",
        "",
        f"json-logic is {t_logic_all / t_engine_all:.1f}× zo traag als de engine op alle producten, en kent geen "
        "'nog niet bekend': het kan een gedeeltelijk ingevulde check niet eerlijk beantwoorden.",
        "Opnieuw meten: `.venv/bin/python bench/bench_jsonlogic.py --write`.",
    ])
    print(report)
    if args.write:
        write_section(ROOT / "docs" / "performance.md", "Regels naast json-logic", report)


if __name__ == "__main__":
    main()
