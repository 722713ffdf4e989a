"""Dutch text analysis for search: words, accent folding, stop words, stemming, compounds.

Residents type "kwijtschelding afvalstoffenheffing", "huishoudhulp" or
"ik kan mijn huur niet betalen"; the catalogue says "Kwijtschelding
gemeentelijke belastingen" and "Huishoudelijke ondersteuning". This module
turns both into comparable terms. It knows nothing about Whoosh indexes; the
search index and the content checker (synonym validation) share it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Iterable, Iterator

from whoosh.lang.snowball.dutch import DutchStemmer
from whoosh.lang.stopwords import stoplists

_WORD = re.compile(r"[^\W_]+", re.UNICODE)

#: Words that carry no meaning in a search; Snowball's list plus what residents add.
STOPWORDS: frozenset[str] = frozenset(stoplists["nl"]) | frozenset("""
    ik jij je u we wij jullie mijn jouw uw onze ons hun m n s t
    graag heel erg wel even nog al ook echt eigenlijk misschien helemaal gewoon zomaar ongeveer soms vaak
    hoe waar wanneer welke welk wat waarom kun kunt kunnen kon mag mogen moet moeten wil willen
    zou zouden ben bent heb hebt heeft hebben word wordt worden krijg krijgt zit zitten
    een de het der des die dit dat deze
    """.split())

#: Word parts that rarely stand alone in the catalogue but make up its compounds
#: (verb stems and first halves: parkeer|kaart, mantel|zorg, opvoed|cursus).
BASE_PARTS: frozenset[str] = frozenset("""
    parkeer mantel opvoed schoonmaak huishoud woon leer reis zwem kook slaap betaal vervoer
    aanvraag vraag zorg hulp geld huur kind kinder jeugd ouder school werk taxi pas kaart
    schuld toeslag uitkering bijstand invaliden gehandicapten rolstoel dag nacht week maand
    jaar loket dienst kosten plaats vergoeding verlening steun punt waardering compliment
    inkomen belasting heffing afval water riool energie gas eten maaltijd voedsel bank
    """.split())

#: Parts shorter than four letters that may still form a compound.
SHORT_PARTS: frozenset[str] = frozenset({"pas", "dag", "bus", "gas", "wet", "ggz", "aow", "wmo", "wlz", "zak"})

#: Known words that make poor compound parts (dag|beste|ding, lang|komt).
NOT_PARTS: frozenset[str] = frozenset({"ding", "beste", "komt", "lang", "langs", "eerst", "goed", "open", "samen",
                                       "buur", "over", "heid", "lijk", "baar"})

#: Irregular forms the stemmer does not bring together.
_STEM_EXCEPTIONS = {"kinderen": "kind", "kinder": "kind", "kinds": "kind"}

#: Compounding 's' between parts: bijstand|s|uitkering, inkomen|s|toeslag.
_LINKS = ("s",)

MIN_COMPOUND = 7
MIN_PART = 4
MAX_PART = 24

_stemmer = DutchStemmer()


def fold(text: str) -> str:
    """Lower-case ``text`` and drop accents.

    >>> fold("Financiële Één")
    'financiele een'
    """
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def tokens(text: str) -> Iterator[tuple[str, int, int]]:
    """Yield (folded word, start, end) for every word in ``text``; offsets point into ``text``.

    >>> [w for w, _s, _e in tokens("Re-integratie: één café!")]
    ['re', 'integratie', 'een', 'cafe']
    """
    for match in _WORD.finditer(text):
        yield fold(match.group()), match.start(), match.end()


def words(text: str) -> list[str]:
    """The folded words of ``text``, stop words included.

    >>> words("Hulp in de huishouding?")
    ['hulp', 'in', 'de', 'huishouding']
    """
    return [word for word, _s, _e in tokens(text)]


def content_words(text: str) -> list[str]:
    """The folded words of ``text`` without stop words.

    >>> content_words("Ik kan mijn huur niet betalen")
    ['huur', 'betalen']
    """
    return [w for w in words(text) if is_content(w)]


def is_content(word: str) -> bool:
    return len(word) > 1 and word not in STOPWORDS


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """The Dutch Snowball stem of a folded word, with a few irregular plurals fixed.

    >>> stem("uitkeringen"), stem("kinderen"), stem("huishoudelijke")
    ('uitker', 'kind', 'huishoud')
    """
    if word in _STEM_EXCEPTIONS:
        return _STEM_EXCEPTIONS[word]
    return _STEM_EXCEPTIONS.get(_stemmer.stem(word), _stemmer.stem(word))


class Decompounder:
    """Split Dutch compounds into parts that the catalogue itself uses.

    A word is split into the fewest parts that are each a known word (or the stem
    of one), at least four letters long, optionally joined by a linking 's'.
    Parts are split again, so every level can match.

    >>> d = Decompounder(["schuld", "hulp", "verlening", "parkeer", "kaart", "bijstand", "uitkering"])
    >>> d.split("schuldhulpverlening")
    ('schuld', 'hulp', 'verlening')
    >>> d.split("bijstandsuitkering")
    ('bijstand', 'uitkering')
    >>> d.split("verlening")
    ()
    """

    def __init__(self, vocabulary: Iterable[str]):
        known = {w for w in vocabulary if len(w) >= MIN_PART or w in SHORT_PARTS}
        known |= BASE_PARTS | SHORT_PARTS
        known |= {stem(w) for w in list(known) if len(stem(w)) >= MIN_PART}
        self.parts = frozenset(known - STOPWORDS - NOT_PARTS)
        self._cache: dict[str, tuple[str, ...]] = {}
        self._all_cache: dict[str, tuple[str, ...]] = {}

    def __getstate__(self) -> dict:
        return {"parts": self.parts}

    def __setstate__(self, state: dict) -> None:
        self.parts = state["parts"]
        self._cache, self._all_cache = {}, {}

    def split(self, word: str) -> tuple[str, ...]:
        """The smallest parts of ``word`` (leaves), or () when it is no compound."""
        if word in self._cache:
            return self._cache[word]
        found = self._segment(word) if len(word) >= MIN_COMPOUND else None
        leaves: tuple[str, ...] = ()
        if found:
            leaves = tuple(leaf for part in found for leaf in (self.split(part) or (part,)))
        if len(self._cache) < 200_000:
            self._cache[word] = leaves
        return leaves

    def all_parts(self, word: str) -> tuple[str, ...]:
        """Every part at every level of ``word`` (for the index), without the word itself."""
        if word in self._all_cache:
            return self._all_cache[word]
        found = self._segment(word) if len(word) >= MIN_COMPOUND else None
        result: list[str] = []
        for part in found or ():
            result.append(part)
            result.extend(self.all_parts(part))
        parts = tuple(dict.fromkeys(result))
        if len(self._all_cache) < 200_000:
            self._all_cache[word] = parts
        return parts

    def _segment(self, word: str) -> list[str] | None:
        """The split into two or more known parts with the fewest parts, then the longest shortest part."""
        n = len(word)
        # best[i]: (number of parts, shortest part, parts) for the tail word[i:], None if it cannot be split
        best: list[tuple[int, int, list[str]] | None] = [None] * (n + 1)
        best[n] = (0, n, [])
        for i in range(n - 1, -1, -1):
            options = []
            for j in range(i + 3, min(n, i + MAX_PART) + 1):
                piece = word[i:j]
                if (i == 0 and j == n) or not (self._is_part(piece) or (j == n and self._is_part(stem(piece)))):
                    continue
                for after in (j, j + 1):
                    if after == j + 1 and not (after < n and word[j] in _LINKS):
                        continue
                    tail = best[after]
                    if tail is not None:
                        options.append((tail[0] + 1, min(tail[1], len(piece)), [piece] + tail[2]))
            if options:
                best[i] = min(options, key=lambda option: (option[0], -option[1]))
        found = best[0]
        return found[2] if found is not None and found[0] >= 2 else None

    def _is_part(self, piece: str) -> bool:
        return (len(piece) >= MIN_PART or piece in SHORT_PARTS) and piece in self.parts


def vocabulary_of(texts: Iterable[str]) -> dict[str, int]:
    """How often each folded content word occurs in ``texts``."""
    counts: dict[str, int] = {}
    for text in texts:
        for word in words(text):
            if is_content(word):
                counts[word] = counts.get(word, 0) + 1
    return counts


def analyse(word: str, decompounder: Decompounder | None) -> tuple[str, tuple[str, ...]]:
    """The stem of a folded word and the stems of its compound parts.

    >>> analyse("parkeerkaarten", Decompounder(["parkeer", "kaart"]))
    ('parkeerkaart', ('parker', 'kaart'))
    """
    parts = decompounder.split(word) if decompounder else ()
    return stem(word), tuple(dict.fromkeys(stem(p) for p in parts))


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Damerau-Levenshtein distance (adjacent swaps count once), capped at ``limit`` + 1.

    >>> edit_distance("kwijtscheldng", "kwijtschelding"), edit_distance("bijstnad", "bijstand")
    (1, 1)
    """
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[-1], limit + 1)
