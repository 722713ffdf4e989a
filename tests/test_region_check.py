"""The checker validates every municipality's merged catalogue and reports each overlay mistake once, at the
file:line:column where it was written, naming the municipality where that matters (regio.md)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from catalogus.region import load_region
from tests.support.content_copy import copy_content

TODAY = dt.date(2026, 11, 26)


@pytest.fixture
def region_root(tmp_path: Path) -> Path:
    return copy_content(tmp_path / "regio")


def edit(root: Path, relative: str, old: str, new: str) -> int:
    """Replace ``old`` (exactly once) in a content file; the 1-based line where ``new`` starts."""
    file = root / relative
    text = file.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    file.write_text(text.replace(old, new), encoding="utf-8")
    return text[:text.index(old)].count("\n") + 1


def errors(root: Path):
    region, diagnostics = load_region(root, today=TODAY)
    return region, [d for d in diagnostics if d.is_error]


def test_the_shipped_region_has_no_mistakes_and_three_catalogues(region_root):
    region, found = errors(region_root)
    assert found == []
    assert region.ids == ["voorbeeldstad", "buurdorp", "kleinmeer"]
    assert "buurdorppas" in region.catalog("buurdorp").products
    assert "kindpakket" not in region.catalog("buurdorp").products


def test_an_override_of_a_field_that_does_not_exist_is_reported_once_where_it_is_written(region_root):
    line = edit(region_root, "gemeenten/kleinmeer/gemeente.yaml", "  buurthuis:\n    meenemen:",
                "  buurthuis:\n    meenemn:")
    _region, found = errors(region_root)
    assert len(found) == 1, [str(d) for d in found]
    mistake = found[0]
    assert (mistake.path, mistake.line, mistake.code) == ("gemeenten/kleinmeer/gemeente.yaml", line + 1, "E102")
    assert "meenemn" in mistake.message and "meenemen" in mistake.hint


def test_removing_a_product_that_does_not_exist_names_the_known_ones(region_root):
    line = edit(region_root, "gemeenten/kleinmeer/gemeente.yaml",
                "niet_aangeboden: [voorbeeldpas, boodschappendienst]",
                "niet_aangeboden: [voorbeeldpas, boodschapendienst]")
    _region, found = errors(region_root)
    assert [(d.path, d.line, d.code) for d in found] == [("gemeenten/kleinmeer/gemeente.yaml", line, "E903")]
    assert "boodschapendienst" in found[0].message and "boodschappendienst" in found[0].hint
    assert found[0].column > 1  # at the misspelt id, not at the start of the line


def test_a_norm_that_an_overlay_removes_while_a_shared_rule_still_uses_it(region_root):
    file = region_root / "gemeenten" / "buurdorp" / "gemeente.yaml"
    text = file.read_text(encoding="utf-8")
    file.write_text(text.replace("normen:\n", "normen:\n  mantelzorg_min_uren: vervalt\n", 1), encoding="utf-8")
    _region, found = errors(region_root)
    assert found, "a rule pointing at a removed norm must be an error"
    assert len({(d.path, d.line, d.column, d.code) for d in found}) == len(found)  # each mistake once
    where = {d.path for d in found}
    assert "rules/regels.yaml" in where  # where the rule uses it
    assert all("buurdorp" in d.message.lower() or "buurdorp" in d.path for d in found)
    assert all("mantelzorg_min_uren" in d.message + d.hint for d in found)


def test_an_unknown_contact_name_is_reported_in_the_product_for_each_municipality_that_lacks_it(region_root):
    line = edit(region_root, "products/respijtzorg.yaml", "contact: team_wmo", "contact: team_wnmo")
    _region, found = errors(region_root)
    assert {(d.path, d.line, d.code) for d in found} == {("products/respijtzorg.yaml", line, "E905")}
    assert len(found) == 1  # once, even though all three municipalities lack it
    assert "team_wnmo" in found[0].message and "team_wmo" in found[0].hint


def test_a_misspelt_placeholder_is_reported_once_with_the_ones_that_exist(region_root):
    line = edit(region_root, "products/respijtzorg.yaml", "samenvatting: >-\n  ", "samenvatting: >-\n  Bel {telefon}. ")
    _region, found = errors(region_root)
    assert [(d.path, d.code) for d in found] == [("products/respijtzorg.yaml", "E908")], [str(d) for d in found]
    assert found[0].line in (line, line + 1)
    assert "telefon" in found[0].message and "{telefoon}" in found[0].hint


def test_an_own_product_of_a_municipality_is_checked_like_any_product(region_root):
    line = edit(region_root, "gemeenten/buurdorp/producten/buurdorppas.yaml", "soort: provision", "soort: pas")
    _region, found = errors(region_root)
    assert [(d.path, d.line, d.code) for d in found] == [("gemeenten/buurdorp/producten/buurdorppas.yaml", line, "E104")]


def test_a_mistake_in_the_shared_base_is_reported_once_not_once_per_municipality(region_root):
    line = edit(region_root, "products/respijtzorg.yaml", "soort: provision", "soort: voorziening")
    _region, found = errors(region_root)
    assert [(d.path, d.line, d.code) for d in found] == [("products/respijtzorg.yaml", line, "E104")]
    assert "(in gemeente" not in found[0].message  # it is wrong everywhere, so no municipality is named


def test_a_broken_municipality_file_skips_that_municipality_only_and_says_so(region_root):
    line = edit(region_root, "gemeenten/buurdorp/gemeente.yaml", '\ntelefoon: "', "\ntelefoon: [") + 1
    example = edit(region_root, "products/regiotaxi.yaml", "    verwacht: eligible\n", "    verwacht: not_eligible\n")
    region, diagnostics = load_region(region_root, today=TODAY)
    assert region is None
    assert [(d.path, d.line, d.code) for d in diagnostics] == [
        ("gemeenten/buurdorp/gemeente.yaml", line, "E100"),
        ("gemeenten/buurdorp/gemeente.yaml", 1, "I100"),  # no E902 for the examples that name buurdorp
        ("products/regiotaxi.yaml", example, "E501"),  # the other municipalities' examples still run
    ], [str(d) for d in diagnostics]
    assert diagnostics[1].message.endswith(": de catalogus van deze gemeente")


def test_a_broken_norms_file_is_noted_once_for_the_whole_region(region_root):
    edit(region_root, "rules/normen.yaml", "normen:\n  aow_leeftijd:\n", "normen:\n  aow_leeftijd: [\n")
    _region, diagnostics = load_region(region_root, today=TODAY)
    assert [(d.path, d.code) for d in diagnostics] == [("rules/normen.yaml", "E100"), ("rules/normen.yaml", "I100")], \
        [str(d) for d in diagnostics]  # no E904 for every norm a municipality changes
    note = diagnostics[1].message
    assert "(in gemeente" not in note and "buurdorppas" in note and "aow-aio" in note
