"""`catalogus test` runs every product example and says, per example, what was expected and what came out."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from catalogus.cli import main
from catalogus.examples import format_report, load_for_examples, run_examples

ROOT = Path(__file__).resolve().parent.parent
BASE = Path(__file__).parent / "content" / "base"
TODAY = dt.date(2026, 11, 26)

WRONG = """\
  - naam: Inkomen een cent te hoog
    datum: 2026-11-26
    antwoorden: {woont_in_gemeente: true, leeftijd: 30, leefsituatie: alleenstaand, netto_inkomen: 1821.96}
    verwacht: eligible
  - naam: Leeftijd ongeldig
    datum: 2026-11-26
    antwoorden: {leeftijd: 130}
    verwacht: unknown
  - naam: Voor de normen
    datum: 2020-01-01
    antwoorden: {woont_in_gemeente: false}
    verwacht: not_eligible
  - naam: Nog open
    datum: 2026-11-26
    antwoorden: {woont_in_gemeente: true}
    verwacht: not_eligible
"""


@pytest.fixture
def wrong_root(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(BASE, root)
    file = root / "products/minimapas.yaml"
    text = file.read_text(encoding="utf-8")
    file.write_text(text.replace("eigenaar: Team Inkomen", WRONG + "eigenaar: Team Inkomen"), encoding="utf-8")
    return root


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), env={"CATALOGUS_TODAY": "2026-11-26"})


def test_failing_examples_are_reported_per_example_not_as_a_load_error(wrong_root):
    region, _diagnostics = load_for_examples(wrong_root, today=TODAY)
    assert region is not None
    results = {r.name: r for r in run_examples(region.default_catalog)}
    assert results["Laag inkomen"].passed
    cent = results["Inkomen een cent te hoog"]
    assert (cent.passed, cent.expected, cent.got) == (False, "eligible", "not_eligible")
    assert any("€ 1.821,96" in reason and "€ 1.821,95" in reason for reason in cent.reasons)
    assert cent.where == "products/minimapas.yaml:32"
    assert cent.test_id == "minimapas::Inkomen een cent te hoog"
    invalid = results["Leeftijd ongeldig"]
    assert not invalid.passed and invalid.got is None and "leeftijd" in invalid.problem
    early = results["Voor de normen"]
    assert not early.passed and "2020-01-01" in early.problem
    open_ = results["Nog open"]
    assert open_.got == "unknown" and "leeftijd" in open_.missing


def test_the_report_shows_ticks_crosses_expected_and_got(wrong_root):
    region, _ = load_for_examples(wrong_root, today=TODAY)
    text = format_report(run_examples(region.default_catalog))
    assert text.startswith("minimapas\n  ✓ Laag inkomen (eligible)")
    assert "  ✗ Inkomen een cent te hoog  [products/minimapas.yaml:32]" in text
    assert "      verwacht: eligible, uitkomst: not_eligible" in text
    assert "      nog open: leefsituatie, leeftijd, netto_inkomen" in text
    assert "kan niet worden uitgevoerd: ongeldige antwoorden (leeftijd:" in text
    assert text.endswith("1 product, 5 voorbeelden: 1 goed, 4 fout.")


def test_the_command_exits_1_when_an_example_fails(wrong_root):
    result = invoke("test", "--root", str(wrong_root))
    assert result.exit_code == 1
    assert "✗ Inkomen een cent te hoog" in result.output
    only = invoke("test", "--root", str(wrong_root), "--fouten")
    assert "Laag inkomen" not in only.output and "✗ Nog open" in only.output


def test_the_command_passes_on_the_shipped_catalogue():
    result = invoke("test", "--root", str(ROOT))
    assert result.exit_code == 0, result.output
    assert "✗" not in result.output
    assert "✓ Geen bijzondere kosten (not_eligible)" in result.output
    assert " 0 fout." in result.output


def test_the_command_runs_one_product_and_refuses_unknown_ones():
    result = invoke("test", "--root", str(ROOT), "--product", "bijzondere-bijstand")
    assert result.exit_code == 0
    assert result.output.startswith("bijzondere-bijstand (Voorbeeldstad)\n")
    assert "1 product, 4 voorbeelden" in result.output
    assert invoke("test", "--root", str(ROOT), "--product", "bestaat-niet").exit_code == 1


def test_broken_content_stops_with_the_checker_messages(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(BASE, root)
    (root / "products/minimapas.yaml").write_text("titel: [", encoding="utf-8")
    result = invoke("test", "--root", str(root))
    assert result.exit_code == 1
    assert "E100" in result.output


def test_an_example_with_the_wrong_amount_fails_and_says_both_amounts(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(BASE, root)
    file = root / "products/minimapas.yaml"
    text = file.read_text(encoding="utf-8").replace("netto_inkomen: 1821.95}", "netto_inkomen: 900}")
    amount = "bedrag:\n  per: maand\n  formule: bijstandsnorm - netto_inkomen\nvoorbeelden:\n"
    file.write_text(text.replace("voorbeelden:\n", amount).replace(
        "    verwacht: eligible\n", "    verwacht: eligible\n    verwacht_bedrag: 500\n"), encoding="utf-8")
    region, _ = load_for_examples(root, today=TODAY)
    (result,) = run_examples(region.default_catalog)
    assert not result.passed and result.got == "eligible"
    assert "verwacht bedrag: € 500 per maand, bedrag: € 501,50 per maand" in result.explain()
    file.write_text(file.read_text(encoding="utf-8").replace("verwacht_bedrag: 500", "verwacht_bedrag: 501.50"),
                    encoding="utf-8")
    region, _ = load_for_examples(root, today=TODAY)
    assert "✓ Laag inkomen (eligible, € 501,50 per maand)" in format_report(run_examples(region.default_catalog))
