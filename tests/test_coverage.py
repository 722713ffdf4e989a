"""`catalogus coverage` finds untested, impossible and unavoidable conditions and unused questions and norms."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from catalogus.catalog import load_catalog_or_raise
from catalogus.cli import main
from catalogus.coverage import Search, analyse, format_report

ROOT = Path(__file__).resolve().parent.parent
CONTENT = Path(__file__).parent / "content"
TODAY = dt.date(2026, 11, 26)


def tree(tmp_path: Path, case: str | None) -> Path:
    """The valid base content with the files of one coverage fixture laid over it."""
    root = tmp_path / "content"
    shutil.copytree(CONTENT / "base", root)
    if case:
        for file in (CONTENT / "coverage" / case).rglob("*.yaml"):
            target = root / file.relative_to(CONTENT / "coverage" / case)
            shutil.copy(file, target)
    return root


@pytest.fixture
def impossible(tmp_path):
    return analyse(load_catalog_or_raise(tree(tmp_path, "impossible"), today=TODAY))


def labels(conditions) -> set[tuple[str, str]]:
    return {(c.owner, c.label) for c in conditions}


def test_two_ages_that_exclude_each_other_can_never_be_true(impossible):
    assert ("product jong-en-oud", "alle (3 voorwaarden)") in labels(impossible.never_true)
    assert "jong-en-oud" in impossible.never_eligible
    assert not impossible.ok
    found = next(c for c in impossible.never_true if c.owner == "product jong-en-oud")
    assert found.where == "products/jong-en-oud.yaml:20:3"


def test_a_norm_that_does_not_exist_for_minors_makes_a_condition_impossible(impossible):
    assert ("product kind-met-bijstandsnorm", "alle (2 voorwaarden)") in labels(impossible.never_true)


def test_only_the_deepest_impossible_condition_is_reported(impossible):
    # each leaf of jong-en-oud can be true on its own: the `alle` is the culprit, not its parts
    assert not {c.label for c in impossible.never_true if c.owner == "product jong-en-oud"} & {
        "leeftijd >= 65", "leeftijd < 18"}


def test_conditions_that_are_always_true_are_reported(impossible):
    never_false = labels(impossible.never_false)
    assert ("product altijd", "een_van (2 voorwaarden)") in never_false
    assert ("product altijd", "leeftijd >= 0") in never_false
    assert ("product altijd", "schulden = true") not in never_false
    assert "altijd" not in impossible.never_eligible


def test_unused_questions_and_norms_are_listed(impossible):
    assert impossible.unused_questions == ["moeite_met"]
    assert impossible.unused_norms == ["ongebruikt"]


def test_examples_that_show_every_condition_both_ways_leave_no_gaps(tmp_path):
    report = analyse(load_catalog_or_raise(tree(tmp_path, "covered"), today=TODAY))
    coverage = next(p for p in report.products if p.product_id == "minimapas")
    assert coverage.examples == 3
    assert coverage.gaps == []


def test_a_single_eligible_example_never_shows_a_condition_false(tmp_path):
    report = analyse(load_catalog_or_raise(tree(tmp_path, None), today=TODAY))
    coverage = report.products[0]
    assert coverage.conditions == 3
    assert {(g.condition.label, g.problem) for g in coverage.gaps} == {
        ("regel: inwoner", "nooit onwaar in de voorbeelden"),
        ("regel: meerderjarig", "nooit onwaar in de voorbeelden"),
        ("netto_inkomen <= minima_grens × bijstandsnorm", "nooit onwaar in de voorbeelden"),
    }
    assert report.ok


def test_the_shipped_catalogue_has_no_impossible_or_unavoidable_conditions(catalog):
    report = analyse(catalog)
    assert report.never_true == [] and report.never_eligible == []
    assert report.never_false == []
    assert report.not_examined == []
    assert report.unused_questions == ["huur"]  # asked only to show the huurtoeslag indication
    assert report.unused_norms == []  # iit_bedrag and the other amounts are used by the products' bedrag
    assert len(report.products) == len(catalog.products)


def test_every_product_is_eligible_for_some_answers_and_not_for_others(catalog):
    search = Search(catalog)
    for product in catalog.products.values():
        assert search.outcomes(product.rule) >= {True, False}, product.id


def test_the_search_tries_values_on_both_sides_of_every_norm(catalog):
    search = Search(catalog)
    rule = catalog.shared["inkomen_onder_bijstandsnorm"]
    values = search.candidates(rule, catalog.norms.on(TODAY))
    income = values["netto_inkomen"]
    assert 140150 in income and 140151 in income and min(income) < 140150  # € 1.401,50: at, above and below
    assert {18, 21, 67, 68} <= set(values["leeftijd"])


def test_a_search_that_grows_too_large_is_reported_not_run_forever(catalog):
    report = analyse(catalog, limit=3)
    assert report.not_examined
    assert report.never_true == []


def test_the_command_prints_a_readable_report_and_exits_1_on_impossible_conditions(tmp_path):
    result = CliRunner().invoke(main, ["coverage", "--root", str(tree(tmp_path, "impossible"))],
                                env={"CATALOGUS_TODAY": "2026-11-26"})
    assert result.exit_code == 1
    assert "Voorwaarden die nooit waar kunnen zijn (fout):" in result.output
    assert "products/jong-en-oud.yaml:20:3: alle (3 voorwaarden) (product jong-en-oud)" in result.output
    assert "product jong-en-oud kan nooit 'eligible' geven" in result.output
    assert "Vragen die geen regel gebruikt:\n  moeite_met" in result.output
    assert "jong-en-oud: geen voorbeelden (0 van 3 voorwaarden gedekt)" in result.output
    assert "2 onmogelijke voorwaarden; 2 producten nooit 'eligible'." in result.output


def test_the_command_exits_0_on_the_shipped_catalogue():
    result = CliRunner().invoke(main, ["coverage", "--root", str(ROOT)], env={"CATALOGUS_TODAY": "2026-11-26"})
    assert result.exit_code == 0, result.output
    assert "Voorwaarden die nooit waar kunnen zijn (fout):\n  geen" in result.output
    assert "producten;" in result.output


def test_the_report_lists_gaps_per_product_with_their_place(tmp_path):
    report = analyse(load_catalog_or_raise(tree(tmp_path, None), today=TODAY))
    text = format_report(report)
    assert "minimapas (1 voorbeeld, 0 van 3 voorwaarden gedekt)" in text
    assert "products/minimapas.yaml:24:7: regel: inwoner: nooit onwaar in de voorbeelden" in text
