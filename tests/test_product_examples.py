"""Every worked example in products/*.yaml is a test: an editor's example runs in the suite.

Test ids read ``<product>::<example name>``; ``catalogus test`` prints the same results as a report.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from catalogus.examples import example_ids, load_for_examples, run_example

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 26)
CATALOG, DIAGNOSTICS = load_for_examples(ROOT, today=TODAY)
EXAMPLES = example_ids(CATALOG) if CATALOG is not None else []


def test_the_catalogue_loads_so_its_examples_can_run():
    assert CATALOG is not None, "\n".join(str(d) for d in DIAGNOSTICS if d.is_error)
    assert EXAMPLES


@pytest.mark.parametrize(("product_id", "index", "name"), EXAMPLES, ids=[f"{p}::{n}" for p, _i, n in EXAMPLES])
def test_product_example(product_id, index, name):
    result = run_example(CATALOG, product_id, index)
    assert result.passed, f"{result.where}: {result.test_id}\n{result.explain()}"
