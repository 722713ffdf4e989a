"""The checker names file, line, column, code and the key words of every content mistake."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import time
from pathlib import Path

import pytest

from catalogus.catalog import load_catalog

CONTENT = Path(__file__).parent / "content"
TODAY = dt.date(2026, 11, 26)

# fixture folder, file, line, column, code, words the message must contain
EXPECTED = [
    ("E100-syntax", "products/minimapas.yaml", 3, 11, "E100", ["YAML-fout", "de [ op deze regel wordt niet gesloten", "domeinen: [geld]"]),
    ("E100-colon-in-text", "products/minimapas.yaml", 4, 21, "E100", ["dubbele punt", "samenvatting", 'samenvatting: "Let op: met de minimapas']),
    ("E100-value-and-block", "products/minimapas.yaml", 12, 7, "E100", ["springt in onder 'contact'", "heeft al een waarde", "haal 'Team Inkomen'"]),
    ("E100-tab", "products/minimapas.yaml", 12, 1, "E100", ["tab", "spaties"]),
    ("E100-unclosed-quote", "products/minimapas.yaml", 13, 13, "E100", ['aanhalingsteken " op deze regel wordt niet gesloten']),
    ("E100-unclosed-brace", "products/minimapas.yaml", 26, 7, "E100", ["de { op deze regel wordt niet gesloten", "minima_grens}}"]),
    ("E100-no-space-after-colon", "products/minimapas.yaml", 10, 1, "E100", ["geen spatie na de dubbele punt", "kosten: Gratis."]),
    ("E100-uneven-indent", "products/minimapas.yaml", 13, 2, "E100", ["springt 1 spatie in", "regel 12 springt 2 spaties in"]),
    ("E101-duplicate-key", "products/minimapas.yaml", 2, 1, "E101", ["dubbele sleutel", "titel", "regel 1"]),
    ("E102-unknown-field", "products/minimapas.yaml", 2, 1, "E102", ["onbekend veld", "samenvating", "bedoelde u 'samenvatting'"]),
    ("E103-missing-field", "products/minimapas.yaml", 1, 1, "E103", ["kosten", "ontbreekt"]),
    ("E104-wrong-value", "products/minimapas.yaml", 2, 8, "E104", ["voorziening", "soort", "provision"]),
    ("E104-date", "products/minimapas.yaml", 33, 15, "E104", ["'herzien_voor' moet een datum zijn", "JJJJ-MM-DD", "herzien_voor: 2030-01-01"]),
    ("E104-phone-number", "products/minimapas.yaml", 13, 13, "E104", ["'telefoon' moet tekst zijn", "aanhalingstekens", 'telefoon: "0505551234"']),
    ("E104-empty-choice", "products/minimapas.yaml", 2, 1, "E104", ["'soort' is leeg", "kies uit: provision, collective, referral"]),
    ("E104-number-or-norm", "products/minimapas.yaml", 26, 36, "E104", ["'<=' moet een getal of een norm zijn", "{norm: bijstandsnorm"]),
    ("E106-unknown-group", "rules/vragen.yaml", 31, 12, "E106", ["onbekende groep", "gelt", "bedoelde u 'geld'"]),
    ("E110-bad-id", "products/Minima_Pas.yaml", 1, 1, "E110", ["Minima_Pas.yaml", "product-id"]),
    ("E111-empty", "products/minimapas.yaml", 1, 1, "E111", ["leeg"]),
    ("E112-missing-rules-file", "rules/normen.yaml", 1, 1, "E112", ["ontbreekt"]),
    ("E120-python-tag", "products/minimapas.yaml", 1, 8, "E120", ["!!python/object", "niet toegestaan"]),
    ("E121-alias-bomb", "products/minimapas.yaml", 1, 4, "E121", ["ankers", "verwijzingen"]),
    ("E201-unknown-question", "products/minimapas.yaml", 26, 15, "E201", ["onbekende vraag", "netto_inkomn", "bedoelde u 'netto_inkomen'"]),
    ("E202-type-mismatch", "products/minimapas.yaml", 24, 39, "E202", ["woont_in_gemeente", "ja/nee"]),
    ("E203-unknown-choice", "products/minimapas.yaml", 24, 34, "E203", ["alleen", "leefsituatie", "alleenstaand"]),
    ("E204-unknown-norm", "products/minimapas.yaml", 26, 43, "E204", ["onbekende norm", "bijstandnorm", "bijstandsnorm"]),
    ("E205-unknown-shared", "products/minimapas.yaml", 25, 14, "E205", ["meerderjarigg", "bedoelde u 'meerderjarig'"]),
    ("E206-circular", "rules/regels.yaml", 5, 17, "E206", ["kring", "inwoner -> meerderjarig -> inwoner"]),
    ("E207-operator-type", "products/minimapas.yaml", 24, 33, "E207", ["'>='", "moeite_met", "bevat"]),
    ("E208-unknown-product", "products/minimapas.yaml", 24, 16, "E208", ["onbekend product", "minimapass"]),
    ("E209-at-least", "products/minimapas.yaml", 24, 17, "E209", ["minstens 3 van 1"]),
    ("E301-norm-order", "rules/normen.yaml", 7, 24, "E301", ["aow_leeftijd", "datumvolgorde"]),
    ("E302-norm-source", "rules/normen.yaml", 6, 9, "E302", ["aow_leeftijd", "geen bron"]),
    ("E303-legal-source", "products/minimapas.yaml", 14, 1, "E303", ["wettelijke basis", "geen bron"]),
    ("E401-upl-uri", "products/minimapas.yaml", 20, 8, "E401", ["stadpas", "niet in de UPL-lijst", "stadspas"]),
    ("E402-upl-name", "products/minimapas.yaml", 19, 9, "E402", ["minimapas", "stadspas"]),
    ("E501-example", "products/minimapas.yaml", 31, 15, "E501", ["Laag inkomen", "geeft eligible", "verwacht not_eligible"]),
    ("E502-example-answer", "products/minimapas.yaml", 30, 43, "E502", ["Laag inkomen", "0 tot en met 120"]),
    ("E502-unknown-answer", "products/minimapas.yaml", 30, 43, "E502", ["Laag inkomen", "'leeftijdd'", "bedoelde u 'leeftijd'?"]),
    ("W601-review-date", "products/minimapas.yaml", 33, 15, "W601", ["2026-01-01", "Team Inkomen"]),
    ("W210-option-without-negation", "products/minimapas.yaml", 27, 35, "W210",
     ["'samenwonend'", "leefsituatie", "zin_niet: U studeert niet."]),
    ("E503-example-amount", "products/minimapas.yaml", 35, 22, "E503",
     ["Laag inkomen", "als bedrag: € 501,50 per maand", "verwacht: € 400 per maand",
      "De bijstandsnorm voor u is € 1.401,50"]),
    ("E801-amount-unknown-name", "products/minimapas.yaml", 29, 12, "E801",
     ["onbekende norm of vraag", "bijstandsnrm", "bedoelde u 'bijstandsnorm'"]),
    ("E802-amount-syntax", "products/minimapas.yaml", 29, 29, "E802", ["'-'", "norm, vraag of getal"]),
    ("E803-amount-units", "products/minimapas.yaml", 29, 12, "E803", ["per maand", "per jaar", "× 12"]),
    ("E804-amount-kind", "products/minimapas.yaml", 27, 1, "E804", ["verwijzing", "andere organisatie", "proefberekening"]),
    ("E805-amount-instead-of", "products/minimapas.yaml", 30, 18, "E805", ["onbekend product", "minimapass"]),
]


def build_tree(tmp_path: Path, case: str, folder: str = "invalid") -> Path:
    """Copy the valid base content and lay one broken fixture (of ``tests/content/<folder>/``) over it."""
    root = tmp_path / "content"
    shutil.copytree(CONTENT / "base", root)
    fixture = CONTENT / folder / case
    if (fixture / "products").is_dir():
        for old in (root / "products").glob("*"):
            old.unlink()
    for file in fixture.rglob("*"):
        if file.is_file() and file.name != "DELETE":
            target = root / file.relative_to(fixture)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(file, target)
    if (fixture / "DELETE").exists():
        for relative in (fixture / "DELETE").read_text().split():
            (root / relative).unlink()
    return root


def test_the_base_fixture_is_valid():
    catalog, diagnostics = load_catalog(CONTENT / "base", today=TODAY)
    assert catalog is not None and diagnostics == []


def test_every_fixture_folder_has_an_expectation():
    folders = {p.name for p in (CONTENT / "invalid").iterdir() if p.is_dir()}
    assert folders == {row[0] for row in EXPECTED}


@pytest.mark.parametrize("case, path, line, column, code, words", EXPECTED, ids=[row[0] for row in EXPECTED])
def test_each_mistake_is_reported_at_its_place(tmp_path, case, path, line, column, code, words):
    root = build_tree(tmp_path, case)
    catalog, diagnostics = load_catalog(root, today=TODAY)
    matching = [d for d in diagnostics if d.code == code]
    assert matching, f"no {code} in {[str(d) for d in diagnostics]}"
    first = matching[0]
    assert (first.path, first.line, first.column) == (path, line, column), str(first)
    text = str(first)
    for word in words:
        assert word in text, f"{word!r} not in {text!r}"
    assert text.startswith(f"{path}:{line}:{column}: {code} ")
    if code.startswith("W"):
        assert catalog is not None, "a warning must not stop the catalogue loading"
    else:
        assert catalog is None


# Words of ruamel's and pydantic's English messages; none may reach an editor.
ENGLISH = re.compile(r"\b(should|expected|found|allowed|while|could|cannot|invalid|input|mapping|scanning|parsing|"
                     r"character|unexpected|field required|valid)\b", re.IGNORECASE)


@pytest.mark.parametrize("case", [row[0] for row in EXPECTED if row[4].startswith("E1")])
def test_every_file_and_schema_message_is_dutch_with_a_hint(tmp_path, case):
    _catalog, diagnostics = load_catalog(build_tree(tmp_path, case), today=TODAY)
    for diagnostic in diagnostics:
        assert diagnostic.hint, str(diagnostic)
        assert not ENGLISH.search(diagnostic.message + " " + diagnostic.hint), str(diagnostic)


def test_a_broken_file_does_not_stop_the_others_being_checked(tmp_path):
    root = build_tree(tmp_path, "E201-unknown-question")
    shutil.copy(CONTENT / "invalid" / "E102-unknown-field" / "products" / "minimapas.yaml", root / "products" / "tweede.yaml")
    (root / "products" / "derde.yaml").write_text("titel: [kapot\n", encoding="utf-8")
    _catalog, diagnostics = load_catalog(root, today=TODAY)
    codes = {(d.path, d.code) for d in diagnostics}
    assert {("products/minimapas.yaml", "E201"), ("products/tweede.yaml", "E102"), ("products/derde.yaml", "E100")} <= codes


def test_hostile_yaml_is_rejected_quickly(tmp_path):
    root = build_tree(tmp_path, "E121-alias-bomb")
    (root / "products" / "groot.yaml").write_text("titel: " + "x" * 10_500_000 + "\n", encoding="utf-8")
    started = time.monotonic()
    catalog, diagnostics = load_catalog(root, today=TODAY)
    assert catalog is None
    assert any(d.code == "E120" and d.path == "products/groot.yaml" and "te groot" in d.message for d in diagnostics)
    assert time.monotonic() - started < 5


def test_the_shipped_catalogue_has_no_errors():
    catalog, diagnostics = load_catalog(Path(__file__).parent.parent, today=TODAY)
    assert [str(d) for d in diagnostics if d.is_error] == []
    assert catalog is not None
    assert len(catalog.products) == 46


# Several mistakes at once (tests/content/together/): one run reports every one of them, each once, and
# says (I100) what a file's errors kept from being checked. The complete list: code, file, line, column.
TOGETHER = {
    # a field error, a duplicate key, an unknown question in the rule and one in an example, in one product file
    "a-product-with-three-kinds-of-mistakes": [
        ("E104", "products/minimapas.yaml", 13, 13),
        ("E101", "products/minimapas.yaml", 18, 1),
        ("E201", "products/minimapas.yaml", 24, 15),
        ("E502", "products/minimapas.yaml", 28, 43),
        ("I100", "products/minimapas.yaml", 25, 1),
    ],
    # a syntax error in one product; a wrong example in another is still found; a third that points at the
    # broken one cannot run its example, and the note of the broken file says so
    "b-a-syntax-error-and-a-wrong-example": [
        ("E100", "products/minimapas.yaml", 3, 11),
        ("I100", "products/minimapas.yaml", 1, 1),
        ("E501", "products/zwemles.yaml", 24, 15),
    ],
    # rules/normen.yaml does not load: the examples of a product that uses a norm are skipped (said once, in
    # the note of normen.yaml); a product without norms runs its example; the rest of a rule is still checked
    "c-a-broken-norms-file": [
        ("E203", "products/kindpakket.yaml", 18, 34),
        ("I100", "products/kindpakket.yaml", 20, 1),
        ("E501", "products/seniorenpas.yaml", 24, 15),
        ("E100", "rules/normen.yaml", 6, 9),
        ("I100", "rules/normen.yaml", 1, 1),
    ],
    # rules/regels.yaml does not load: no E205 for every 'regel:' it would have defined
    "c-a-broken-shared-rules-file": [
        ("E501", "products/seniorenpas.yaml", 24, 15),
        ("E100", "rules/regels.yaml", 7, 25),
        ("I100", "rules/regels.yaml", 1, 1),
    ],
}


def test_every_fixture_with_several_mistakes_has_its_complete_list():
    assert {p.name for p in (CONTENT / "together").iterdir() if p.is_dir()} == set(TOGETHER)


@pytest.mark.parametrize("case", sorted(TOGETHER))
def test_one_run_reports_every_mistake_of_every_file(tmp_path, case):
    catalog, diagnostics = load_catalog(build_tree(tmp_path, case, "together"), today=TODAY)
    assert [(d.code, d.path, d.line, d.column) for d in diagnostics] == TOGETHER[case], \
        "\n".join(str(d) for d in diagnostics)
    assert catalog is None, "a catalogue with errors is never served"
    for diagnostic in diagnostics:
        assert diagnostic.hint, str(diagnostic)
        assert not ENGLISH.search(diagnostic.message + " " + diagnostic.hint), str(diagnostic)


def test_a_note_names_what_the_errors_of_its_file_kept_from_being_checked(tmp_path):
    _catalog, diagnostics = load_catalog(build_tree(tmp_path, "c-a-broken-norms-file", "together"), today=TODAY)
    notes = {d.path: d.message for d in diagnostics if d.code == "I100"}
    assert notes["rules/normen.yaml"] == ("niet gecontroleerd door de fouten in dit bestand: of de normen in de "
                                          "voorwaarden bestaan en de voorbeelden van minimapas")
    assert notes["products/kindpakket.yaml"].endswith(": de voorbeelden van dit product")
    assert all(d.severity == "info" and not d.is_error for d in diagnostics if d.code == "I100")


def test_a_broken_question_file_says_once_that_no_rule_was_checked(tmp_path):
    root = build_tree(tmp_path, "E201-unknown-question")
    (root / "rules" / "vragen.yaml").write_text("vragen: [kapot\n", encoding="utf-8")
    _catalog, diagnostics = load_catalog(root, today=TODAY)
    assert [(d.code, d.path) for d in diagnostics] == [("E100", "rules/vragen.yaml"), ("I100", "rules/vragen.yaml")]
    assert "de voorwaarden, bedragen en voorbeelden van alle producten" in diagnostics[1].message


def test_a_product_with_a_field_error_still_has_its_amount_checked(tmp_path):
    root = build_tree(tmp_path, "E801-amount-unknown-name")
    file = root / "products" / "minimapas.yaml"
    file.write_text(file.read_text(encoding="utf-8").replace("kosten: Gratis.", "kosten: [Gratis]"), encoding="utf-8")
    _catalog, diagnostics = load_catalog(root, today=TODAY)
    assert {d.code for d in diagnostics if d.is_error} == {"E104", "E801"}
