"""Turn what a resident types into a query tree: plain words, never query syntax.

Every word becomes a clause that matches the word itself (stemmed), its
compound parts, the synonyms editors listed in ``rules/synoniemen.yaml`` and,
for words the catalogue does not know, the closest words it does know
(typo tolerance). Clauses are summed, so a product that matches more of the
words ranks higher; pairs of adjacent words that occur together in a title or
keyword get a bonus. ``search_scoring.Scorer`` evaluates the tree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Union

from . import dutch
from ..models import SynonymsFile

PHRASE_FIELDS = ("title", "keywords")
PREFIX_FIELDS = ("title", "keywords", "upl")

PART_WEIGHT = 0.6      # all parts of a compound, when the compound itself is not found
SYNONYM_WEIGHT = 0.9
LITERAL_PHRASE_WEIGHT = 0.5  # the words of a synonym phrase, next to what the phrase means
FUZZY_WEIGHTS = {1: 0.7, 2: 0.5}  # by edit distance
PREFIX_WEIGHT = 1.0
FINISHED_PREFIX_WEIGHT = 0.3  # the word being typed is already a whole word of the catalogue
PHRASE_BOOST = 0.5

MAX_QUERY_CHARS = 300
MAX_WORDS = 12
FUZZY_CANDIDATES = 3

Candidates = Callable[[str, int], list[tuple[str, int]]]  # (word, max distance) -> [(known word, distance)]


# ---------------------------------------------------------------- the query tree

@dataclass(frozen=True)
class Term:
    """One stem, scored with BM25F over every field."""

    stem: str
    boost: float = 1.0


@dataclass(frozen=True)
class All:
    """Every part must match (compound parts, the words of a multi-word synonym); scores add up."""

    parts: tuple["Node", ...]
    boost: float = 1.0


@dataclass(frozen=True)
class Best:
    """Any option may match; a document counts its best option."""

    options: tuple["Node", ...]
    boost: float = 1.0


@dataclass(frozen=True)
class Prefix:
    """Words in titles and keywords that start with ``text`` (the word still being typed)."""

    text: str
    boost: float = 1.0


@dataclass(frozen=True)
class Phrase:
    """Two stems next to each other in a title or keyword: a bonus on top of the words themselves."""

    stems: tuple[str, str]
    boost: float = 1.0


Node = Union[Term, All, Best, Prefix, Phrase]


def boosted(node: Node, weight: float) -> Node:
    """``node`` with its boost multiplied by ``weight``.

    >>> boosted(Term("huur", 2.0), 0.5)
    Term(stem='huur', boost=1.0)
    """
    if weight == 1.0:
        return node
    return type(node)(*[getattr(node, f) for f in node.__dataclass_fields__ if f != "boost"],  # type: ignore[misc]
                      boost=node.boost * weight)


@dataclass(frozen=True)
class Analysed:
    """A word as the index sees it: its stem and the stems of its compound parts."""

    word: str
    stem: str
    parts: tuple[str, ...]

    @property
    def terms(self) -> set[str]:
        return {self.stem, *self.parts}


class Synonyms:
    """The editors' synonyms, folded, ready to match a sequence of words.

    >>> table = Synonyms.from_file(SynonymsFile(synoniemen={"invalide": ["gehandicapt"]},
    ...                                         gelijk=[["bijstand", "uitkering"]]))
    >>> table.matches(["invaliden", "parkeerkaart"])
    [(0, 1, ('gehandicapt',))]
    >>> table.matches(["bijstand"])
    [(0, 1, ('uitkering',))]
    """

    def __init__(self, entries: dict[tuple[str, ...], tuple[str, ...]]):
        self.entries = entries
        self._by_first: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
        for key, targets in sorted(entries.items(), key=lambda item: -len(item[0])):
            self._by_first.setdefault(dutch.stem(key[0]), []).append((key, targets))

    @classmethod
    def from_file(cls, synonyms: SynonymsFile) -> "Synonyms":
        entries: dict[tuple[str, ...], list[str]] = {}

        def add(key_text: str, target: str) -> None:
            key = tuple(dutch.words(key_text))
            target = " ".join(dutch.words(target))
            if key and target and target != " ".join(key):
                found = entries.setdefault(key, [])
                if target not in found:
                    found.append(target)

        for key, targets in synonyms.synoniemen.items():
            for target in targets:
                add(key, target)
        for group in synonyms.gelijk:
            for member in group:
                for other in group:
                    add(member, other)
        return cls({key: tuple(targets) for key, targets in entries.items()})

    def matches(self, words: list[str]) -> list[tuple[int, int, tuple[str, ...]]]:
        """(start, end, targets) for every key found in ``words``, longest key first at each place."""
        found = []
        stems = [dutch.stem(w) for w in words]
        for i, first in enumerate(stems):
            for key, targets in self._by_first.get(first, ()):
                end = i + len(key)
                if end <= len(words) and all(stems[i + k] == dutch.stem(key[k]) for k in range(len(key))):
                    found.append((i, end, targets))
                    break
        return found


@dataclass
class Clause:
    """The alternatives for one word (or one synonym phrase); the best alternative counts."""

    word: str
    alternatives: list[Node] = field(default_factory=list)
    known: bool = True

    def node(self) -> Node | None:
        if not self.alternatives:
            return None
        if len(self.alternatives) == 1:
            return self.alternatives[0]
        return Best(tuple(self.alternatives))


@dataclass
class Plan:
    """The understood query: clauses, corrections for unknown words and every term used."""

    text: str
    words: list[str]
    clauses: list[Clause]
    bonus: list[Phrase]
    corrections: dict[str, str]
    terms: set[str]
    fuzzy: bool
    prefix: str | None = None

    @property
    def empty(self) -> bool:
        return not self.clauses

    def nodes(self) -> list[Node]:
        """What to add up: one node per clause, then the phrase bonuses."""
        return [n for n in (c.node() for c in self.clauses) if n is not None] + list(self.bonus)


class Planner:
    """Builds plans for one index: knows its compounds, synonyms and words."""

    def __init__(self, decompounder: dutch.Decompounder, synonyms: Synonyms, is_known: Callable[[str], bool],
                 candidates: Candidates, has_prefix: Callable[[str], bool], is_word: Callable[[str], bool]):
        self.decompounder = decompounder
        self.synonyms = synonyms
        self.is_known = is_known        # the word or its stem is in the index
        self.candidates = candidates
        self.has_prefix = has_prefix    # some title or keyword word starts with it
        self.is_word = is_word          # the catalogue uses exactly this word

    def analyse(self, word: str) -> Analysed:
        stem, parts = dutch.analyse(word, self.decompounder)
        return Analysed(word, stem, parts)

    def plan(self, text: str, *, partial: bool = False, fuzzy_all: bool = False) -> Plan:
        """Understand ``text``; ``partial``: the last word may still be incomplete (search-as-you-type)."""
        text = text[:MAX_QUERY_CHARS]
        all_words = dutch.words(text)[: MAX_WORDS * 3]
        content = [i for i, w in enumerate(all_words) if dutch.is_content(w)][:MAX_WORDS]
        typing = None
        if partial and content and content[-1] == len(all_words) - 1 and not text[-1:].isspace():
            typing = content[-1]
        spans = self.synonyms.matches(all_words)
        covered = {i for start, end, _t in spans for i in range(start, end)}
        plan = Plan(text, [all_words[i] for i in content], [], [], {}, set(), fuzzy_all)
        clauses = {i: self._word_clause(all_words[i], plan, covered=i in covered, typing=i == typing)
                   for i in content}
        extra = self._synonym_clauses(all_words, spans, clauses, plan)
        plan.clauses = [clauses[i] for i in content if clauses[i].alternatives] + extra
        plan.bonus = self.phrase_bonus([self.analyse(all_words[i]) for i in content])
        return plan

    def _word_clause(self, word: str, plan: Plan, *, covered: bool, typing: bool) -> Clause:
        """The word itself; the words it starts while being typed; near misses when the index does not know it."""
        analysed = self.analyse(word)
        plan.terms |= analysed.terms
        clause = Clause(word, [self.word_query(analysed)])
        if typing and len(word) >= 3 and self.has_prefix(word):
            # "rolst" is surely unfinished; "hulp" may be finished, so longer words count less
            clause.alternatives.append(Prefix(word, FINISHED_PREFIX_WEIGHT if self.is_word(word) else PREFIX_WEIGHT))
            plan.prefix = word
            return clause
        clause.known = covered or bool(analysed.parts) or self.is_known(word)
        if clause.known and not (plan.fuzzy and len(word) >= 5):
            return clause
        for known, distance in self.candidates(word, _max_distance(word))[:FUZZY_CANDIDATES]:
            fixed = self.analyse(known)
            plan.terms |= fixed.terms
            clause.alternatives.append(self.word_query(fixed, FUZZY_WEIGHTS[min(distance, 2)]))
            if not clause.known:
                plan.corrections.setdefault(word, known)
        return clause

    def _synonym_clauses(self, words: list[str], spans, clauses: dict[int, Clause], plan: Plan) -> list[Clause]:
        """Add the editors' synonyms: to the word's clause, or as a clause of their own for a phrase."""
        extra = []
        for start, end, targets in spans:
            alternatives = []
            for target in targets:
                analysed = [self.analyse(w) for w in target.split() if dutch.is_content(w)]
                for a in analysed:
                    plan.terms |= a.terms
                queries = [self.word_query(a) for a in analysed]
                if queries:
                    alternatives.append(queries[0] if len(queries) == 1 else All(tuple(queries)))
            if not alternatives:
                continue
            meaning = alternatives[0] if len(alternatives) == 1 else Best(tuple(alternatives))
            inside = [i for i in range(start, end) if i in clauses]
            if end - start == 1 and inside:
                clauses[start].alternatives.append(boosted(meaning, SYNONYM_WEIGHT))
            elif not inside:
                extra.append(Clause(" ".join(words[start:end]), [meaning]))
            else:  # an editor's phrase ("in de steun") is deliberate: what it means outweighs its words
                literal = [n for n in (clauses[i].node() for i in inside) if n is not None]
                together = literal[0] if len(literal) == 1 else All(tuple(literal))
                clauses[inside[0]].alternatives = [boosted(together, LITERAL_PHRASE_WEIGHT), meaning]
                for i in inside[1:]:
                    clauses[i].alternatives = []
        return extra

    def word_query(self, analysed: Analysed, weight: float = 1.0) -> Node:
        whole = Term(analysed.stem)
        if not analysed.parts:
            return boosted(whole, weight)
        parts = All(tuple(Term(p) for p in analysed.parts), PART_WEIGHT)
        return Best((whole, parts), weight)

    def phrase_bonus(self, analysed: list[Analysed]) -> list[Phrase]:
        return [Phrase((left.stem, right.stem), PHRASE_BOOST) for left, right in zip(analysed, analysed[1:])]


def _max_distance(word: str) -> int:
    """How many typing mistakes we forgive in a word of this length."""
    if len(word) < 4:
        return 0
    return 1 if len(word) < 7 else 2


def rank_candidates(word: str, found: Iterable[str], frequency: Callable[[str], int], maxdist: int
                    ) -> list[tuple[str, int]]:
    """Order possible corrections: fewest edits (a swap is one), then the most common word.

    >>> rank_candidates("bijstnad", ["bijstand", "bijstaan"], {"bijstand": 5, "bijstaan": 9}.get, 2)
    [('bijstand', 1), ('bijstaan', 2)]
    """
    ranked = []
    for candidate in found:
        if candidate == word:
            continue
        distance = dutch.edit_distance(word, candidate, maxdist)
        if distance <= maxdist:
            ranked.append((distance, -(frequency(candidate) or 0), candidate))
    return [(candidate, distance) for distance, _f, candidate in sorted(ranked)]
