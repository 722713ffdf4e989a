"""The searchable text of a product and the checks on ``rules/synoniemen.yaml``.

Shared by the content checker (``catalog.py``) and the search index
(``search.py``), so "a synonym that matches nothing" means exactly: no word the
index holds.
"""

from __future__ import annotations

from typing import Iterable

from . import dutch
from ..errors import Diagnostic
from ..models import ProductFile, SynonymsFile
from ..yamlio import SourceMap

KIND_WORDS = {"provision": "voorziening", "collective": "algemene voorziening", "referral": "doorverwijzing"}


def search_fields(content: ProductFile) -> dict[str, str]:
    """The text of one product that search looks at, per index field."""
    body = [content.wat_krijgt_u, content.voor_wie or "", *content.aanvragen.stappen]
    meta = [*content.domeinen, KIND_WORDS.get(content.soort, ""), content.contact.naam, content.wettelijke_basis.wet]
    return {"title": content.titel, "keywords": "\n".join(content.zoekwoorden),
            "upl": content.upl.naam if content.upl else "", "summary": content.samenvatting,
            "body": "\n".join(body), "meta": "\n".join(meta)}


def catalogue_vocabulary(products: Iterable[ProductFile]) -> dict[str, int]:
    """How often each folded content word occurs in the searchable text of ``products``."""
    return dutch.vocabulary_of(text for content in products for text in search_fields(content).values())


class CatalogueTerms:
    """Every term the search index holds for a set of products: stems and compound-part stems."""

    def __init__(self, products: Iterable[ProductFile]):
        vocabulary = catalogue_vocabulary(products)
        self.vocabulary = set(vocabulary)
        self.decompounder = dutch.Decompounder(vocabulary)
        self.terms: set[str] = set()
        for word in vocabulary:
            self.terms.add(dutch.stem(word))
            self.terms.update(dutch.stem(part) for part in self.decompounder.all_parts(word))

    def matches(self, word: str) -> bool:
        """Would searching for this folded word find anything?"""
        stem, parts = dutch.analyse(word, self.decompounder)
        return stem in self.terms or bool(parts) and all(p in self.terms for p in parts)


def check_synonyms(synonyms: SynonymsFile, source: SourceMap, terms: CatalogueTerms) -> list[Diagnostic]:
    """Empty or duplicate entries are errors; words that match nothing in the catalogue are warnings."""
    found: list[Diagnostic] = []
    seen_keys: dict[tuple[str, ...], str] = {}
    for key, targets in synonyms.synoniemen.items():
        here = ("synoniemen", key)
        folded = tuple(dutch.words(key))
        if not folded:
            found.append(source.diagnostic(here, "E701", f"zoekwoord '{key}' is leeg", "typ een woord",
                                           prefer_key=True))
            continue
        if not any(dutch.is_content(w) for w in folded):
            found.append(source.diagnostic(here, "E704", f"'{key}' bestaat alleen uit kleine woorden (zoals 'de', 'ik')",
                                           "gebruik een woord dat iets betekent", prefer_key=True))
        if folded in seen_keys:
            found.append(source.diagnostic(here, "E702", f"zoekwoord '{key}' staat er al als '{seen_keys[folded]}'",
                                           "voeg de twee samen", prefer_key=True))
        seen_keys.setdefault(folded, key)
        if not targets:
            found.append(source.diagnostic(here, "E701", f"'{key}' heeft geen woorden om naar te zoeken",
                                           "zet er woorden uit de catalogus achter: [woord, ...]", prefer_key=True))
        found += _check_words(targets, ("synoniemen", key), source, terms, exclude=folded)
    seen_members: dict[tuple[str, ...], int] = {}
    for i, group in enumerate(synonyms.gelijk):
        here = ("gelijk", i)
        if len([w for w in group if dutch.words(w)]) < 2:
            found.append(source.diagnostic(here, "E701", "een groep in 'gelijk' heeft minstens twee woorden nodig",
                                           "zet er een tweede woord bij of haal de groep weg"))
        found += _check_words(group, here, source, terms)
        for j, word in enumerate(group):
            folded = tuple(dutch.words(word))
            if folded and folded in seen_members and seen_members[folded] != i:
                found.append(source.diagnostic(here + (j,), "E702",
                    f"'{word}' staat ook in groep {seen_members[folded] + 1} van 'gelijk'", "voeg de groepen samen"))
            seen_members.setdefault(folded, i)
        if group and not any(_missing(w, terms) == [] for w in group if dutch.words(w)):
            found.append(source.diagnostic(here, "W703", "geen enkel woord van deze groep staat in de catalogus",
                                           "zet er een woord uit de productteksten bij", severity="warning"))
    return found


def _check_words(words: list[str], here: tuple, source: SourceMap, terms: CatalogueTerms,
                 exclude: tuple[str, ...] = ()) -> list[Diagnostic]:
    found = []
    seen: set[tuple[str, ...]] = set()
    for j, word in enumerate(words):
        folded = tuple(dutch.words(word))
        if not folded:
            found.append(source.diagnostic(here + (j,), "E701", "lege waarde in de lijst", "haal hem weg"))
            continue
        if folded in seen:
            found.append(source.diagnostic(here + (j,), "E702", f"'{word}' staat twee keer in de lijst", "haal er één weg"))
        seen.add(folded)
        if not any(dutch.is_content(w) for w in folded):
            found.append(source.diagnostic(here + (j,), "E704", f"'{word}' bestaat alleen uit kleine woorden",
                                           "gebruik een woord dat iets betekent"))
            continue
        if folded == exclude:
            found.append(source.diagnostic(here + (j,), "W705", f"'{word}' verwijst naar zichzelf",
                                           "haal het weg", severity="warning"))
            continue
        missing = _missing(word, terms)
        if missing and here[0] == "synoniemen":
            found.append(source.diagnostic(here + (j,), "W703",
                f"'{word}' vindt niets: " + ", ".join(f"'{m}'" for m in missing) + " staat in geen enkel product",
                dutch_hint(missing[0], terms), severity="warning"))
    return found


def _missing(word: str, terms: CatalogueTerms) -> list[str]:
    return [w for w in dutch.words(word) if dutch.is_content(w) and not terms.matches(w)]


def dutch_hint(word: str, terms: CatalogueTerms) -> str:
    """A near word from the catalogue, as a hint."""
    close = [t for t in terms.vocabulary if abs(len(t) - len(word)) <= 2 and dutch.edit_distance(word, t, 2) <= 2]
    if close:
        return f"bedoelde u '{min(close, key=lambda t: (dutch.edit_distance(word, t, 2), t))}'?"
    return "gebruik een woord dat in de productteksten staat"
