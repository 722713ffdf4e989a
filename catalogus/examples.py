"""Run the worked examples of every product: answers in, expected status (and amount) out.

``catalogus test`` prints the report; ``tests/test_product_examples.py`` turns
each example into a pytest test, so an editor's example is a test.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .catalog import Catalog
from .check import Check
from .errors import AnswerError, Diagnostic, NormDateError
from .region import Region, load_region
from .words import count


@dataclass(frozen=True)
class ExampleResult:
    """One example of one product and what the rule made of it."""

    product_id: str
    name: str
    date: dt.date
    expected: str
    got: str | None  # None when the example could not run (see ``problem``)
    reasons: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    problem: str | None = None
    where: str = ""  # path:line of the example
    expected_amount: str | None = None  # the example's verwacht_bedrag, worded ("€ 525 per jaar", "nog open")
    got_amount: str | None = None  # what the check shows, worded the same way
    municipality: str = ""  # in a region: the municipality whose catalogue ran it

    @property
    def passed(self) -> bool:
        return self.problem is None and self.got == self.expected and self.got_amount == self.expected_amount

    @property
    def test_id(self) -> str:
        return f"{self.product_id}::{self.name}" + (f"::{self.municipality}" if self.municipality else "")

    @property
    def heading(self) -> str:
        """The product a line of the report belongs to, with the municipality in a region."""
        return f"{self.product_id} ({self.municipality})" if self.municipality else self.product_id

    def explain(self) -> str:
        """Why it failed (or passed), for a person reading the report."""
        if self.problem:
            return f"kan niet worden uitgevoerd: {self.problem}"
        lines = [f"verwacht: {self.expected}, uitkomst: {self.got}"]
        if self.expected_amount is not None:
            lines.append(f"verwacht bedrag: {self.expected_amount}, bedrag: {self.got_amount}")
        if self.reasons:
            lines.append("redenen: " + " ".join(self.reasons))
        if self.missing:
            lines.append("nog open: " + ", ".join(self.missing))
        return "\n".join(lines)


def load_for_examples(root: Path | str, *, today: dt.date | None = None
                      ) -> tuple[Region | None, list[Diagnostic]]:
    """Load every municipality's catalogue so that failing examples are reported per example, not as load
    errors."""
    return load_region(root, today=today or dt.date.today(), judge_examples=False)


def example_ids(catalog: Catalog) -> list[tuple[str, int, str]]:
    """(product id, index, name) of every example that holds for this catalogue, in a stable order."""
    return [(pid, i, example.naam) for pid in sorted(catalog.products) for i, example in catalog.examples(pid)]


def run_example(catalog: Catalog, product_id: str, index: int) -> ExampleResult:
    """Run one example of one product."""
    product = catalog.products[product_id]
    return _run(catalog, product_id, product.content.voorbeelden[index], _where(product, index))


def run_examples(catalog: Catalog, product_ids: Iterable[str] | None = None) -> list[ExampleResult]:
    """Run every example of the given products (all products by default) that holds for this catalogue's
    municipality, in a stable order."""
    wanted = sorted(catalog.products) if product_ids is None else list(product_ids)
    results = []
    for pid in wanted:
        product = catalog.products[pid]
        for index, example in catalog.examples(pid):
            results.append(_run(catalog, pid, example, _where(product, index)))
    return results


def run_region_examples(region: Region, product_ids: Iterable[str] | None = None) -> list[ExampleResult]:
    """Every municipality's examples; in a region each result names its municipality."""
    wanted = None if product_ids is None else list(product_ids)
    results = []
    for municipality in region.municipalities:
        catalog = region.catalogs[municipality.id]
        here = [p for p in wanted if p in catalog.products] if wanted is not None else None
        for result in run_examples(catalog, here):
            results.append(result if region.single else dataclasses.replace(result, municipality=municipality.name))
    return results


def _where(product, index: int) -> str:
    """path:line of a product's example, as the loader recorded it."""
    if index < len(product.example_origins):
        origin = product.example_origins[index]
        return f"{origin.path}:{origin.line}"
    return product.path


def _run(catalog: Catalog, pid: str, example, where: str) -> ExampleResult:
    base = dict(product_id=pid, name=example.naam, date=example.datum, expected=example.verwacht, where=where)
    try:
        result = Check(catalog, example.datum).settle(example.antwoorden)
    except AnswerError as exc:
        text = "; ".join(f"{p.question}: {p.message}" for p in exc.problems)
        return ExampleResult(got=None, problem=f"ongeldige antwoorden ({text})", **base)
    except NormDateError as exc:
        return ExampleResult(got=None, problem=str(exc), **base)
    item = result.result(pid)
    expected_amount = got_amount = None
    if example.verwacht_bedrag is not None:
        wording = catalog.wording
        period = item.amount.period if item.amount is not None else "jaar"
        expected_amount = wording.expected_amount(example.verwacht_bedrag, period)
        got_amount = wording.amount_value(item.amount) if item.amount is not None else "geen bedrag"
    return ExampleResult(got=item.status, reasons=tuple(result.texts(item.reasons)),
                         missing=tuple(sorted(item.missing)), expected_amount=expected_amount,
                         got_amount=got_amount, **base)


def format_report(results: list[ExampleResult], *, only_failures: bool = False) -> str:
    """A readable report: per product a line per example with ✓ or ✗, and why an example failed."""
    lines: list[str] = []
    current = None
    for result in results:
        if only_failures and result.passed:
            continue
        if result.heading != current:
            current = result.heading
            lines.append(("" if not lines else "\n") + current)
        if result.passed:
            amount = f", {result.got_amount}" if result.got_amount is not None else ""
            lines.append(f"  ✓ {result.name} ({result.got}{amount})")
            continue
        lines.append(f"  ✗ {result.name}  [{result.where}]")
        lines.extend("      " + line for line in result.explain().splitlines())
    failed = sum(1 for r in results if not r.passed)
    products = len({r.product_id for r in results})
    summary = (f"{count(products, 'product', 'producten')}, {count(len(results), 'voorbeeld', 'voorbeelden')}: "
               f"{len(results) - failed} goed, {failed} fout.")
    return "\n".join(lines + ["", summary]).lstrip("\n")
