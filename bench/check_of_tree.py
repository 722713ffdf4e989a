"""Time the whole check of the catalogus code in another source tree, for ``bench_rules.py --before``.

Run by ``bench_rules.py`` as a child process: ``python bench/check_of_tree.py TREE HOUSEHOLDS.json``.
Imports ``catalogus`` from TREE (an earlier checkout, say ``git worktree add ../old <commit>``), loads
TREE's own content, validates the given JSON answers with TREE's vocabulary and prints, as JSON, the
best of three rounds per household list (microseconds per household): status only, and the whole check
(``Check.settle``) with the memos that settles share emptied before each round, as ``bench_rules.py``
measures it. Both versions thus get the same households and the same measurement.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from pathlib import Path

DATE = dt.date(2026, 11, 26)


def best_of(rounds: int, run, reset=None) -> float:
    best = float("inf")
    for _ in range(rounds):
        if reset is not None:
            reset()
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    tree, households = Path(sys.argv[1]).resolve(), Path(sys.argv[2])
    sys.path.insert(0, str(tree))
    from catalogus.catalog import load_catalog_or_raise
    from catalogus.check import Check, forget_outcomes

    catalog = load_catalog_or_raise(tree, today=DATE)
    check = Check(catalog, DATE)
    found = {}
    for label, raw in json.loads(households.read_text(encoding="utf-8")).items():
        items = [check.validate(answers) for answers in raw]

        def statuses():
            for answers in items:
                catalog.statuses(answers, DATE)

        def settles():
            for answers in items:
                check.settle(answers, validated=True)

        found[label] = {"status": best_of(3, statuses) / len(items) * 1e6,
                        "check": best_of(3, settles, reset=lambda: forget_outcomes(catalog)) / len(items) * 1e6}
    print(json.dumps(found))


if __name__ == "__main__":
    main()
