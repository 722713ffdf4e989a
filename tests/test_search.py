"""Search finds products the way residents type, never breaks on odd input, and shows why a hit matched."""

from __future__ import annotations

import dataclasses
import doctest
import importlib
import json
import os
import tempfile
import threading

import pytest

from catalogus.search import dutch
from catalogus.models import SynonymsFile
from catalogus.search.index import (
    INDEX_DIR, META_FILE, build_index, index_builder, load_or_build, open_index, prune_indexes, write_index,
)
from catalogus.search.gaps import MemoryGaps, gap_words


@pytest.fixture(scope="module")
def index(catalog):
    return build_index(catalog)


def ids(results, n=3):
    return [hit.id for hit in results.hits[:n]]


# ---------------------------------------------------------------- Dutch analysis

def test_stemming_brings_plurals_and_inflections_together(index):
    assert "bijstandsuitkering" in ids(index.search("uitkeringen"))
    assert "rolstoel" in ids(index.search("rolstoelen"))
    assert "woningaanpassing" in ids(index.search("trapliften"))


def test_compound_parts_find_the_compound(index):
    assert ids(index.search("parkeerkaart"), 1) == ["gehandicaptenparkeerkaart"]
    assert ids(index.search("schuldhulp"), 1) == ["schuldhulpverlening"]
    assert ids(index.search("huur toeslag"), 1) == ["huurtoeslag"]


def test_the_decompounder_splits_social_domain_compounds():
    splitter = dutch.Decompounder(["schuld", "hulp", "verlening", "kaart", "ondersteuning", "mantel", "zorg"])
    assert splitter.split("schuldhulpverlening") == ("schuld", "hulp", "verlening")
    assert splitter.split("parkeerkaart") == ("parkeer", "kaart")
    assert splitter.split("mantelzorg") == ("mantel", "zorg")
    assert splitter.split("parkeerkaarten") == ("parkeer", "kaarten")  # the last part may be inflected
    assert splitter.split("ondersteuning") == ()


def test_accents_and_capitals_do_not_matter(index):
    plain = ids(index.search("financiele problemen"))
    assert plain and ids(index.search("FINANCIËLE Problemen")) == plain
    assert ids(index.search("Bijzondere Bijstand"), 1) == ["bijzondere-bijstand"]


def test_stop_words_alone_find_nothing_and_count_as_not_understood(index):
    results = index.search("ik kan het niet")
    assert results.hits == [] and not results.understood


def test_editors_synonyms_lead_to_the_catalogue_words(catalog):
    without = build_index(dataclasses.replace(catalog, synonyms=SynonymsFile()))
    with_synonyms = build_index(dataclasses.replace(
        catalog, synonyms=SynonymsFile(synoniemen={"verbouwing": ["woningaanpassing"]})))
    assert "woningaanpassing" not in ids(without.search("verbouwing"), 10)
    assert ids(with_synonyms.search("verbouwing"), 1) == ["woningaanpassing"]


def test_equal_words_work_both_ways(catalog):
    table = build_index(dataclasses.replace(catalog, synonyms=SynonymsFile(gelijk=[["steunpunt", "hulpgids"]])))
    assert ids(table.search("hulpgids"), 1) == ["mantelzorgsteunpunt"]


def test_multi_word_synonym_keys_match_the_phrase(catalog):
    table = build_index(dataclasses.replace(
        catalog, synonyms=SynonymsFile(synoniemen={"in de steun": ["bijstandsuitkering"]})))
    assert ids(table.search("ik zit in de steun"), 1) == ["bijstandsuitkering"]


# ---------------------------------------------------------------- typos

def test_a_misspelt_word_still_finds_the_product_and_suggests_the_right_spelling(index):
    results = index.search("kwijtscheldng")
    assert ids(results, 1) == ["kwijtschelding-gemeentelijke-belastingen"]
    assert results.suggestion == "kwijtschelding"


def test_the_suggestion_keeps_the_rest_of_what_was_typed(index):
    assert index.search("Voedselbnak aanmelden").suggestion == "voedselbank aanmelden"


def test_correctly_spelt_queries_get_no_suggestion(index):
    assert index.search("huurtoeslag aanvragen").suggestion is None
    assert index.search("invalide parkeerkaart").suggestion is None


def test_nonsense_finds_nothing_without_a_silly_suggestion(index):
    results = index.search("qwxzv")
    assert results.hits == [] and results.suggestion is None and results.understood


# ---------------------------------------------------------------- odd input never errors

@pytest.mark.parametrize("text", [
    "", "   ", "!!!", "?", '"', "*", "AND (", "OR", "title:x", "kind:provision", "huur AND (", "(((", "a" * 2000,
    "huur " * 400, "\x00\x01", "😀 hulp", "<script>alert(1)</script>", "huur~2", "hu?r", "huur^5", "-huur", "NOT huur",
    "' OR 1=1 --", "%s %d", "{{ q }}", "\\", "ÿ" * 50,
])
def test_any_input_is_treated_as_plain_words_and_never_raises(index, text):
    results = index.search(text, limit=10)
    assert results.total >= len(results.hits)
    for hit in results.hits:
        assert "<script" not in hit.snippet.html()


def test_query_syntax_is_searched_as_words(index):
    assert ids(index.search("huur AND ("), 3) == ids(index.search("huur"), 3)
    assert ids(index.search("title:rolstoel"), 1) == ["rolstoel"]


def test_limit_is_kept_within_bounds(index):
    assert len(index.search("hulp", limit=0).hits) == 1
    assert len(index.search("hulp", limit=500).hits) <= 50


# ---------------------------------------------------------------- results

def test_hits_carry_title_kind_summary_and_a_score_best_first(index, catalog):
    results = index.search("mantelzorg")
    scores = [hit.score for hit in results.hits]
    assert scores == sorted(scores, reverse=True)
    first = results.hits[0]
    product = catalog.products[first.id]
    assert (first.title, first.kind, first.summary) == (product.title, product.kind, product.summary)


def test_snippets_mark_the_matching_words_and_escape_everything_else(index):
    hit = index.search("afvalstoffenheffing").hits[0]
    assert "<mark>afvalstoffenheffing</mark>" in hit.snippet.html()


def test_snippet_html_escapes_markup_in_the_text():
    from catalogus.search.snippets import Snippet
    snippet = Snippet((("<b>Tom & Jerry</b> ", False), ("<i>huur</i>", True)))
    assert snippet.html() == "&lt;b&gt;Tom &amp; Jerry&lt;/b&gt; <mark>&lt;i&gt;huur&lt;/i&gt;</mark>"


def test_a_match_only_in_the_body_shows_that_sentence(index):
    hit = next(h for h in index.search("stofzuigen").hits if h.id == "huishoudelijke-ondersteuning")
    assert "<mark>stofzuigen</mark>" in hit.snippet.html()
    assert len(hit.snippet.text) < 260


def test_the_title_marks_the_words_found(index):
    hit = index.search("kwijtschelding").hits[0]
    assert hit.title_marked.html().startswith("<mark>Kwijtschelding</mark>")


def test_facets_count_domains_and_kinds_of_all_hits(index):
    results = index.search("huur")
    assert sum(results.facets["kind"].values()) == results.total
    assert results.facets["domain"]["geld"] >= 1


def test_filters_keep_only_that_domain_or_kind_and_other_facets_stay_available(index):
    everything = index.search("huur")
    only_referrals = index.search("huur", kind="referral")
    assert only_referrals.total == everything.facets["kind"]["referral"]
    assert {hit.kind for hit in only_referrals.hits} == {"referral"}
    assert only_referrals.facets["kind"] == everything.facets["kind"]  # you can still switch kind
    wonen = index.search("huur", domain="wonen")
    assert all("wonen" in hit.domains for hit in wonen.hits)


def test_unknown_filter_values_are_ignored(index):
    assert index.search("huur", domain="maan", kind="x").total == index.search("huur").total


def test_search_as_you_type_finds_products_from_the_first_letters(index):
    assert ids(index.search("kwijts", partial=True), 1) == ["kwijtschelding-gemeentelijke-belastingen"]
    assert ids(index.search("rolst", partial=True), 1) == ["rolstoel"]
    assert "<mark>" in index.search("mantelz", partial=True).hits[0].title_marked.html()


def test_only_the_word_being_typed_is_a_prefix(index):
    assert index.search("rolst", partial=True).hits
    assert index.search("rolst ", partial=True).hits == []  # a space ends the word
    assert index.search("rolst").hits == []  # a finished search is no search-as-you-type


def test_search_can_be_used_from_many_threads_at_once(index):
    errors, seen = [], []

    def work():
        try:
            for query in ("huur", "rolstoel", "kwijtscheldng", "mantelzorg", "parkeerkaart"):
                seen.append(ids(index.search(query), 1))
        except Exception as exc:  # pragma: no cover - the assertion below reports it
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and len(seen) == 40


def test_in_memory_indexes_can_be_built_at_the_same_time(catalog, tmp_path, monkeypatch):
    # Test workers and server processes build in-memory indexes side by side; Whoosh's own RamStorage spills
    # every build to one shared <tmp>/MAIN.tmp and removes it under the other builds.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    errors, built = [], []

    def work():
        try:
            for _ in range(3):
                built.append(ids(build_index(catalog).search("traplift"), 1))
        except Exception as exc:  # pragma: no cover - the assertion below reports it
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and built == [["woningaanpassing"]] * 12
    assert list(tmp_path.iterdir()) == []  # nothing spilled is left behind


# ---------------------------------------------------------------- the index on disk

def test_the_index_is_written_per_content_version_and_reused(catalog, tmp_path):
    target = write_index(catalog, tmp_path)
    assert target == tmp_path / INDEX_DIR / catalog.version / catalog.municipality.id
    assert json.loads((target / META_FILE).read_text())["version"] == catalog.version
    stamp = (target / META_FILE).stat().st_mtime_ns
    loaded = load_or_build(catalog, tmp_path)
    assert loaded.location == target and (target / META_FILE).stat().st_mtime_ns == stamp
    assert ids(loaded.search("traplift"), 1) == ["woningaanpassing"]


def test_a_new_content_version_gets_its_own_index(catalog, tmp_path):
    write_index(catalog, tmp_path)
    changed = dataclasses.replace(catalog, version="0123456789abcdef")
    assert open_index(changed, tmp_path) is None
    built = index_builder(tmp_path)(changed)
    assert built.location == tmp_path / INDEX_DIR / "0123456789abcdef" / catalog.municipality.id
    assert {p.name for p in (tmp_path / INDEX_DIR).iterdir()} == {catalog.version, "0123456789abcdef"}


def test_a_broken_saved_index_is_rebuilt_not_fatal(catalog, tmp_path):
    target = write_index(catalog, tmp_path)
    for file in target.iterdir():
        if file.name != META_FILE:
            file.write_bytes(b"kapot")
    assert open_index(catalog, tmp_path) is None
    rebuilt = load_or_build(catalog, tmp_path)
    assert ids(rebuilt.search("rolstoel"), 1) == ["rolstoel"]


def test_building_leaves_no_half_written_directories(catalog, tmp_path):
    write_index(catalog, tmp_path)
    write_index(catalog, tmp_path, force=True)
    assert [p.name for p in (tmp_path / INDEX_DIR).iterdir()] == [catalog.version]


def test_old_versions_are_pruned_but_the_current_one_stays(catalog, tmp_path):
    for n in range(5):
        write_index(dataclasses.replace(catalog, version=f"oud{n}"), tmp_path)
        os.utime(tmp_path / INDEX_DIR / f"oud{n}", (n, n))
    write_index(catalog, tmp_path)
    prune_indexes(tmp_path, keep=catalog.version)
    assert {p.name for p in (tmp_path / INDEX_DIR).iterdir()} == {catalog.version, "oud4", "oud3"}


def test_an_unwritable_data_dir_falls_back_to_an_index_in_memory(catalog, tmp_path):
    blocked = tmp_path / "bestand"
    blocked.write_text("geen map")
    found = load_or_build(catalog, blocked)
    assert found.location is None and ids(found.search("rolstoel"), 1) == ["rolstoel"]


# ---------------------------------------------------------------- zero-result queries

def test_gap_words_keep_no_numbers_addresses_names_or_stop_words():
    assert gap_words("Mijn BSN is 123456782, bel 06-12345678") == ["bsn", "bel"]
    assert gap_words("jan@voorbeeld.nl wil HULP") == ["hulp"]  # "wil": a stop word; capitals only are no name
    assert gap_words("12345") == []
    assert gap_words("Traplift voor mijn moeder Johanna") == ["traplift", "moeder"]
    assert gap_words("qqzzxx zonnepanelenkwestie") == []  # no Dutch words
    assert len(gap_words("woord " * 100)) == 1 and len(gap_words(" ".join(WORDS))) == 8


WORDS = ["fiets", "traplift", "rolstoel", "boodschappen", "vervoer", "scootmobiel", "woning", "verhuizing",
         "dakgoot", "zonnepanelen"]


def test_memory_gaps_list_a_word_only_after_three_different_searches():
    gaps = MemoryGaps()
    for query in ("Traplift", "traplift ", "TRAPLIFT"):  # the same search three times
        gaps.record(query, gap_words(query))
    assert gaps.top(5) == []
    for query in ("traplift kopen", "traplift huren", "fiets"):
        gaps.record(query, gap_words(query))
    assert gaps.top(5) == [("traplift", 3)]
    gaps.record("traplift", ["traplift"])
    assert gaps.top(5) == [("traplift", 4)]


@pytest.mark.parametrize("name", ["catalogus.search.dutch", "catalogus.search.index", "catalogus.search.query",
                                  "catalogus.search.snippets", "catalogus.web.search",
                                  "catalogus.search.gaps"])
def test_docstring_examples(name):
    failures, _tried = doctest.testmod(importlib.import_module(name))
    assert failures == 0
