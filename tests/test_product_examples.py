"""Every worked example in the content is a test: an editor's example runs in the suite.

In a region each example runs in the catalogue of every municipality it holds for. Test ids read
``<gemeente>::<product>::<example name>``; ``catalogus test`` prints the same results as a report.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from catalogus.examples import example_ids, load_for_examples, run_example

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 26)
REGION, DIAGNOSTICS = load_for_examples(ROOT, today=TODAY)
EXAMPLES = ([(m, *example) for m in REGION.ids for example in example_ids(REGION.catalog(m))]
            if REGION is not None else [])


def test_the_catalogue_loads_so_its_examples_can_run():
    assert REGION is not None, "\n".join(str(d) for d in DIAGNOSTICS if d.is_error)
    assert EXAMPLES


def test_every_municipality_runs_the_examples_that_name_it():
    ran = {m for m, *_ in EXAMPLES}
    assert ran == set(REGION.ids)


@pytest.mark.parametrize(("municipality", "product_id", "index", "name"), EXAMPLES,
                         ids=[f"{m}::{p}::{n}" for m, p, _i, n in EXAMPLES])
def test_product_example(municipality, product_id, index, name):
    result = run_example(REGION.catalog(municipality), product_id, index)
    assert result.passed, f"{result.where}: {result.test_id}\n{result.explain()}"
