"""`catalogus check` reads rules/synoniemen.yaml: mistakes at file:line:col, useless words as warnings."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from catalogus.catalog import load_catalog

BASE = Path(__file__).parent / "content" / "base"
TODAY = dt.date(2026, 11, 26)
FILE = "rules/synoniemen.yaml"


def check(tmp_path: Path, text: str):
    root = tmp_path / "content"
    shutil.copytree(BASE, root)
    (root / FILE).write_text(text, encoding="utf-8")
    catalog, diagnostics = load_catalog(root, today=TODAY)
    return catalog, [d for d in diagnostics if d.path == FILE]


def test_good_synonyms_give_no_messages(tmp_path):
    catalog, found = check(tmp_path, "synoniemen:\n  stadspas: [minimapas]\n  ooievaarspas: [pas, korting]\n"
                                     "gelijk:\n  - [korting, voordeel]\n")
    assert catalog is not None and found == []
    assert catalog.synonyms.synoniemen["stadspas"] == ["minimapas"]


# (yaml, code, line, column, words in the message, error?)
CASES = [
    ("synoniemen:\n  stadspas: [fietsenmaker]\n", "W703", 2, 14, ["'fietsenmaker'", "vindt niets"], False),
    ("synoniemen:\n  stadspas: [minimapas, minimapas]\n", "E702", 2, 25, ["twee keer"], True),
    ("synoniemen:\n  stadspas: []\n", "E701", 2, 3, ["'stadspas'", "geen woorden"], True),
    ("synoniemen:\n  stadspas: ['', minimapas]\n", "E701", 2, 14, ["lege waarde"], True),
    ("synoniemen:\n  Stadspas: [minimapas]\n  stadspas: [pas]\n", "E702", 3, 3, ["'stadspas'", "'Stadspas'"], True),
    ("synoniemen:\n  de: [minimapas]\n", "E704", 2, 3, ["'de'", "kleine woorden"], True),
    ("synoniemen:\n  stadspas: [de]\n", "E704", 2, 14, ["'de'"], True),
    ("synoniemen:\n  minimapas: [minimapas]\n", "W705", 2, 15, ["zichzelf"], False),
    ("gelijk:\n  - [korting]\n", "E701", 2, 5, ["minstens twee"], True),
    ("gelijk:\n  - [fiets, step]\n", "W703", 2, 5, ["geen enkel woord"], False),
    ("gelijk:\n  - [korting, voordeel]\n  - [voordeel, pas]\n", "E702", 3, 6, ["'voordeel'", "groep 1"], True),
    ("synoniemen:\n  stadspas: minimapas\n", "E104", 2, 13, ["lijst"], True),
    ("synoniemen:\n  stadspas: [minimapas]\n  stadspas: [pas]\n", "E101", 3, 3, ["dubbele sleutel"], True),
]


@pytest.mark.parametrize("text, code, line, column, words, is_error", CASES, ids=[c[1] + "-" + str(i) for i, c in enumerate(CASES)])
def test_each_synonym_mistake_is_reported_at_its_place(tmp_path, text, code, line, column, words, is_error):
    catalog, found = check(tmp_path, text)
    matching = [d for d in found if d.code == code]
    assert matching, f"no {code} in {[str(d) for d in found]}"
    first = matching[0]
    assert (first.line, first.column) == (line, column), str(first)
    for word in words:
        assert word in str(first)
    assert first.is_error == is_error
    assert (catalog is None) == is_error


def test_a_warning_names_a_close_catalogue_word(tmp_path):
    _catalog, found = check(tmp_path, "synoniemen:\n  stadspas: [minimapsa]\n")
    assert any(d.code == "W703" and "bedoelde u 'minimapas'" in str(d) for d in found)


def test_compound_targets_are_found_through_their_parts(tmp_path):
    _catalog, found = check(tmp_path, "synoniemen:\n  kortingspas: [sportkorting]\n")
    assert [d for d in found if d.code == "W703"] == [], "sport + korting are both in the catalogue"


def test_the_shipped_synonyms_file_is_clean():
    root = Path(__file__).resolve().parent.parent
    _catalog, diagnostics = load_catalog(root, today=TODAY)
    assert [str(d) for d in diagnostics if d.path == FILE] == []
