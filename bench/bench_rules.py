"""Time the rule engine against hand-written Python for the same rules, and what amounts add.

Run: .venv/bin/python bench/bench_rules.py [--households 10000] [--write] [--before DIR]
Evaluates all products for random complete and partial households
(status only, status with amounts, and the whole check with and without amounts), and a
fixed subset of products both with the engine and with a hand-written if/else version,
in the same run. "Without amounts" is the same catalogue with every product's compiled
``bedrag`` removed, so both checks run the same code apart from the amount step.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.report import write_section  # noqa: E402

from catalogus.catalog import load_catalog_or_raise  # noqa: E402
from catalogus.rules import Env  # noqa: E402
from catalogus.check import Check, forget_outcomes  # noqa: E402
from tests.support.households import household, partial  # noqa: E402

DATE = dt.date(2026, 11, 26)
SUBSET = ["bijstandsuitkering", "bijzondere-bijstand", "voorbeeldpas", "kwijtschelding-gemeentelijke-belastingen",
          "huishoudelijke-ondersteuning", "sociaal-raadslieden", "rolstoel", "mantelzorgwaardering"]

# Limits on 2026-11-26 in cents, as a developer would hard-code them.
NORM = {("alleenstaand", "werk"): 140150, ("alleenstaande_ouder", "werk"): 140150, ("samenwonend", "werk"): 200213,
        ("alleenstaand", "aow"): 156469, ("alleenstaande_ouder", "aow"): 156469, ("samenwonend", "aow"): 214416}
ASSETS = {"alleenstaand": 800000, "alleenstaande_ouder": 1600000, "samenwonend": 1600000}
ASSETS_KWIJT = {"alleenstaand": 250000, "alleenstaande_ouder": 350000, "samenwonend": 350000}


def _and(*values):
    if False in values:
        return False
    return True if all(v is True for v in values) else None


def _or(*values):
    if True in values:
        return True
    return False if all(v is False for v in values) else None


def _norm_limits(a, factor):
    """(low, high) of round(factor × norm) over what the answers allow; None when some household has no norm."""
    age = a.get("leeftijd")
    if age is None or age < 18:
        return None
    if age < 21:
        value = round(34599 * factor)
        return value, value
    band = "aow" if age >= 67 else "werk"
    sits = [a["leefsituatie"]] if "leefsituatie" in a else ["alleenstaand", "samenwonend"]
    values = [int(NORM[(s, band)] * factor + 0.5) for s in sits]
    return min(values), max(values)


def _income(a, factor, strict=False):
    income = a.get("netto_inkomen")
    if income is None:
        return None
    limits = _norm_limits(a, factor)
    if limits is None:
        return None
    low, high = limits
    if strict:
        return True if income < low else False if income >= high else None
    return True if income <= low else False if income > high else None


def _assets(a, table):
    v = a.get("vermogen")
    if v is None:
        return None
    if "leefsituatie" in a:
        return v <= table[a["leefsituatie"]]
    return True if v <= min(table.values()) else False if v > max(table.values()) else None


def _get(a, key, value):
    v = a.get(key)
    return None if v is None else v == value


def hand_written(a):
    """The SUBSET products as if/else code over the engine's internal answers."""
    resident = _get(a, "woont_in_gemeente", True)
    age = a.get("leeftijd")
    adult = None if age is None else age >= 18
    below_aow = None if age is None else age < 67
    moeite = a.get("moeite_met")
    long_term = _get(a, "beperking_langdurig", True)
    werk = a.get("situatie_werk")
    hours = a.get("mantelzorg_uren")
    return {
        "bijstandsuitkering": _and(resident, adult, below_aow, _income(a, 1, True), _assets(a, ASSETS),
                                   None if werk is None else werk != "student"),
        "bijzondere-bijstand": _and(resident, adult, _get(a, "bijzondere_kosten", True), _income(a, 1.3)),
        "voorbeeldpas": _and(resident, _income(a, 1.3), _assets(a, ASSETS)),
        "kwijtschelding-gemeentelijke-belastingen": _and(resident, adult, _income(a, 1.0), _assets(a, ASSETS_KWIJT)),
        "huishoudelijke-ondersteuning": _and(resident, adult, None if moeite is None else "huishouden" in moeite,
                                             _get(a, "huisgenoot_kan_helpen", False)),
        "sociaal-raadslieden": _or(_get(a, "schulden", True), _get(a, "juridische_vraag", True), _income(a, 1.3)),
        "rolstoel": _and(resident, None if moeite is None else bool({"verplaatsen_in_huis", "verplaatsen_buiten"} & moeite),
                         long_term),
        "mantelzorgwaardering": None if hours is None else hours >= 8,
    }


def timed(fn, items, repeat=3, reset=None):
    best = float("inf")
    for _ in range(repeat):
        if reset is not None:
            reset()
        start = time.perf_counter()
        for item in items:
            fn(item)
        best = min(best, time.perf_counter() - start)
    return best


def timed_together(functions, items, repeat=5, chunk=100):
    """Time of each function, measured in turns per chunk of households (best of ``repeat`` per chunk).

    The machine is shared: a busy moment then hits every function alike instead of one column.
    """
    totals = [0.0] * len(functions)
    for offset in range(0, len(items), chunk):
        part = items[offset:offset + chunk]
        best = [float("inf")] * len(functions)
        for _ in range(repeat):
            for i, fn in enumerate(functions):
                if hasattr(fn, "reset"):
                    fn.reset()
                start = time.perf_counter()
                for item in part:
                    fn(item)
                best[i] = min(best[i], time.perf_counter() - start)
        totals = [t + b for t, b in zip(totals, best)]
    return totals


def compared_with(before: Path, raw: dict[str, list]) -> list[str]:
    """The whole check of an earlier version beside this one, on the same households, in this run: each
    version in a process of its own (``check_of_tree.py``), in turns, best of two rounds per version."""
    with tempfile.TemporaryDirectory() as tmp:
        households = Path(tmp) / "households.json"
        households.write_text(json.dumps(raw, default=sorted), encoding="utf-8")
        best: dict[Path, dict] = {}
        for _round in range(2):
            for tree in (before, ROOT):
                out = subprocess.run([sys.executable, str(ROOT / "bench" / "check_of_tree.py"), str(tree),
                                      str(households)], check=True, capture_output=True, text=True).stdout
                found = json.loads(out.strip().splitlines()[-1])
                kept = best.setdefault(tree, found)
                for label, figures in found.items():
                    for name, value in figures.items():
                        kept[label][name] = min(kept[label][name], value)
    commit = subprocess.run(["git", "-C", str(before), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip() or "?"
    lines = [f"De hele check naast een eerdere versie (`{commit}`), in dezelfde run en op dezelfde huishoudens: elke "
             "versie in een eigen proces, om de beurt, per versie de beste van 2 rondes van elk de beste van 3 "
             "(`--before DIR`). Zo telt alleen het verschil in code, niet hoe druk de machine op dat moment is.",
             "", "| huishoudens | versie | alleen status | hele check | hele check / status |", "|---|---|---|---|---|"]
    for label in raw:
        for name, tree in ((f"eerder (`{commit}`)", before), ("deze versie", ROOT)):
            figures = best[tree][label]
            lines.append(f"| {label} | {name} | {figures['status']:.1f} µs | {figures['check']:.1f} µs | "
                         f"{figures['check'] / figures['status']:.1f}× |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--write", action="store_true", help="write the figures into docs/performance.md")
    parser.add_argument("--before", type=Path, metavar="DIR",
                        help="also time the whole check of the code in DIR (an earlier checkout) in this run")
    args = parser.parse_args()
    if args.before is not None and not (args.before / "catalogus" / "check.py").is_file():
        parser.error(f"--before {args.before}: no catalogus/check.py there (make one with git worktree add)")
    catalog = load_catalog_or_raise(ROOT, today=DATE)
    rng = random.Random(2026)
    raw = {"volledig": [household(rng) for _ in range(args.households)]}
    raw["gedeeltelijk"] = [partial(rng, household(rng)) for _ in range(args.households)]
    complete = [catalog.vocabulary.validate(answers)[0] for answers in raw["volledig"]]
    partial_sets = [catalog.vocabulary.validate(answers)[0] for answers in raw["gedeeltelijk"]]
    day = catalog.norms.on(DATE)
    rules = catalog.rules
    subset_rules = [(pid, rules[pid].status) for pid in SUBSET]

    def engine_subset(answers):
        env = Env(answers, day, rules)
        return {pid: status(env) for pid, status in subset_rules}

    for answers in complete[:2000] + partial_sets[:2000]:  # the baseline must agree before we time it
        assert engine_subset(answers) == hand_written(answers), answers

    without_amounts = dataclasses.replace(catalog, products={
        pid: dataclasses.replace(p, amount=None) for pid, p in catalog.products.items()})
    with_amount = [(pid, p.amount) for pid, p in catalog.products.items() if p.amount is not None]

    def status_and_amounts(answers):
        """catalog.statuses plus the amount of every product with one, as Check.settle gives them."""
        found = catalog.statuses(answers, DATE)
        return found, {pid: amount.result_for(found[pid], answers, day) for pid, amount in with_amount}

    class Fresh:
        """The whole check, the memos settles share emptied first: a household is never counted as seen."""

        def __init__(self, check):
            self.check = check

        def reset(self):
            forget_outcomes(self.check.catalog)

        def __call__(self, answers):
            return self.check.settle(answers, validated=True)

    class Cold:
        """The whole check with every amount memo emptied first: what amounts cost the first time."""

        def __init__(self, check):
            self.check = check

        def reset(self):
            for _pid, amount in with_amount:
                amount._memo.clear()
            forget_outcomes(self.check.catalog)

        def __call__(self, answers):
            return self.check.settle(answers, validated=True)

    rows, amount_rows = [], []
    for label, items in (("volledig", complete), ("gedeeltelijk", partial_sets)):
        n = len(items)
        t_all_status = timed(lambda a: catalog.statuses(a, DATE), items)
        check = Check(catalog, DATE)
        # Settles share memos by the answers a rule reads; emptied before each repeat, so that no household
        # is counted as seen before (repeats within the households still count, as in real use).
        t_all_reasons = timed(lambda a: check.settle(a, validated=True), items, reset=lambda: forget_outcomes(catalog))
        t_engine = timed(engine_subset, items)
        t_hand = timed(hand_written, items)
        t_engine_reasons = timed(lambda a: [rules[p].evaluate(Env(a, day, rules)) for p in SUBSET], items)
        rows.append((label, n, t_all_status, t_all_reasons, t_engine, t_hand, t_engine_reasons))
        plain = Check(without_amounts, DATE)
        t_status, t_status_amounts, t_without, t_with, t_cold = timed_together(
            [lambda a: catalog.statuses(a, DATE), status_and_amounts, Fresh(plain), Fresh(check), Cold(check)], items)
        amount_rows.append((label, n, t_status, t_status_amounts, t_without, t_with, t_cold))

    lines = [
        f"Machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
        f"{platform.system()}; {len(catalog.products)} producten; datum {DATE}.",
        "",
        "| huishoudens | aantal | alle producten, alleen status | alle producten + redenen, routering, volgende vraag "
        "| subset engine (status) | subset met de hand | verhouding status | subset engine met redenen | verhouding redenen |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for label, n, t_status, t_reasons, t_engine, t_hand, t_reasons_subset in rows:
        lines.append(
            f"| {label} | {n} | {t_status / n * 1e6:.1f} µs | {t_reasons / n * 1e6:.1f} µs | "
            f"{t_engine / n * 1e6:.2f} µs | {t_hand / n * 1e6:.2f} µs | {t_engine / t_hand:.2f}× | "
            f"{t_reasons_subset / n * 1e6:.2f} µs | {t_reasons_subset / t_hand:.2f}× |")
    lines += ["", f"Subset: {', '.join(SUBSET)}. Doel: status binnen 3×, met redenen binnen 10× van de handgeschreven "
              "versie. De hele check begint elke herhaling met een leeg gedeeld geheugen (uitkomsten per regel op de "
              "antwoorden die die regel leest): alleen huishoudens die zulke antwoorden met een eerder huishouden "
              "delen, profiteren ervan. Opnieuw meten: `.venv/bin/python bench/bench_rules.py --write`."]
    lines += [
        "",
        f"Bedragen ({len(with_amount)} producten met een `bedrag`): wat de bedragen toevoegen, in dezelfde run. "
        "'Hele check' is `Check.settle` (statussen, redenen, routering, volgende vraag); 'zonder bedragen' is "
        "dezelfde catalogus zonder de gecompileerde bedragen; de vier kolommen zijn om de beurt gemeten, per 100 huishoudens de beste van 5, "
        "met het gedeelde geheugen van de check (uitkomsten per regel op de antwoorden die ze leest) telkens leeg. "
        "Doel: bedragen maken de hele check hoogstens 50% trager.",
        "",
        "| huishoudens | aantal | alleen status | status + bedragen | hele check zonder bedragen "
        "| hele check met bedragen | erbij | met bedragen, geheugen van de bedragen leeg | erbij |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for label, n, t_status, t_status_amounts, t_without, t_with, t_cold in amount_rows:
        lines.append(
            f"| {label} | {n} | {t_status / n * 1e6:.1f} µs | {t_status_amounts / n * 1e6:.1f} µs | "
            f"{t_without / n * 1e6:.1f} µs | {t_with / n * 1e6:.1f} µs | {(t_with / t_without - 1) * 100:+.0f}% | "
            f"{t_cold / n * 1e6:.1f} µs | {(t_cold / t_without - 1) * 100:+.0f}% |")
    lines += ["", "'Geheugen leeg': elke bedragformule rekent opnieuw (geen eerder antwoord met dezelfde invoer); "
              "zo kost een bedrag het de eerste keer. Belasting van de machine bij de start: "
              f"load average {os.getloadavg()[0]:.1f}."]
    if args.before is not None:
        lines += ["", *compared_with(args.before, raw)]
    report = "\n".join(lines)
    print(report)
    if args.write:
        write_section(ROOT / "docs" / "performance.md", "Regels evalueren", report)


if __name__ == "__main__":
    main()
