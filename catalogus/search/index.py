"""Search the catalogue the way residents type: Whoosh index, ranked hits, snippets, facets.

``build_index(catalog)`` makes an in-memory index; ``index_builder(data_dir)``
returns a builder that reuses (or writes) the index under
``<data_dir>/index/<content version>/<gemeente>/``; both fit ``ContentState(build_index=...)``.
``SearchIndex.search(text)`` treats the text as plain words (never as query
syntax) and returns ``SearchResults`` with hits, facet counts and a
"Bedoelde u ...?" suggestion.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Protocol

from whoosh.analysis import Filter, RegexTokenizer, StemFilter, StopFilter
from whoosh.fields import ID, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage, RamStorage, copy_to_ram

from . import dutch
from ..datadir import make_private_dir, make_tree_private
from ..catalog import Catalog
from ..models import DOMAINS, KIND_ORDER
from .query import PREFIX_FIELDS, Plan, Planner, Synonyms, rank_candidates
from .scoring import FIELD_WEIGHTS, Scorer
from .snippets import Analysed, Snippet, analyse_text, mark, snippet
from .synonyms import catalogue_vocabulary, search_fields

INDEX_FORMAT = 1         # raise when the analysis or schema changes: saved indexes are then rebuilt
PART_BOOST = 0.5         # weight of a compound's part in the index (the compound itself counts 1)
INDEX_DIR = "index"
META_FILE = "catalogus-index.json"
KEEP_VERSIONS = 3

MAX_LIMIT = 50
FEW_RESULTS = 1          # fewer hits than this: also try near misses of every longer word, not only unknown ones
RELATIVE_CUT = 0.2       # hits scoring below this share of the best hit are noise


# ---------------------------------------------------------------- analysis (pickled with the schema)

class FoldFilter(Filter):
    """Lower-case and strip accents (``financiële`` -> ``financiele``)."""

    def __call__(self, tokens):
        for token in tokens:
            token.text = dutch.fold(token.text)
            yield token


class DecompoundFilter(Filter):
    """Emit the parts of a compound at the compound's own position (``parkeerkaart`` -> parkeer, kaart)."""

    def __init__(self, decompounder: dutch.Decompounder):
        self.decompounder = decompounder

    def __call__(self, tokens):
        for token in tokens:
            parts = () if token.stopped else self.decompounder.all_parts(token.text)
            yield token
            if parts:
                boost = token.boost
                token.boost = boost * PART_BOOST  # a part says less about the text than a whole word
                for part in parts:
                    token.text = part
                    yield token
                token.boost = boost


def analyzer(decompounder: dutch.Decompounder):
    return (RegexTokenizer(r"[^\W_]+") | FoldFilter() | StopFilter(stoplist=dutch.STOPWORDS, minsize=2)
            | DecompoundFilter(decompounder) | StemFilter(stemfn=dutch.stem, cachesize=None))


def schema(decompounder: dutch.Decompounder) -> Schema:
    text = analyzer(decompounder)
    plain = RegexTokenizer(r"[^\W_]+") | FoldFilter() | StopFilter(stoplist=dutch.STOPWORDS, minsize=2)
    return Schema(id=ID(stored=True, unique=True), doc=STORED,
                  title=TEXT(analyzer=text), keywords=TEXT(analyzer=text), upl=TEXT(analyzer=text, phrase=False),
                  summary=TEXT(analyzer=text, phrase=False), body=TEXT(analyzer=text, phrase=False),
                  meta=TEXT(analyzer=text, phrase=False),
                  words=TEXT(analyzer=plain, phrase=False))


# ---------------------------------------------------------------- documents

def decompounder_for(catalog: Catalog) -> dutch.Decompounder:
    return dutch.Decompounder(catalogue_vocabulary(p.content for p in catalog.products.values()))


def _fill(ix, catalog: Catalog) -> None:
    writer = ix.writer(limitmb=256)
    for product in catalog.sorted_products():
        fields = search_fields(product.content)
        stored = {"title": product.title, "kind": product.kind, "domains": product.domains,
                  "summary": product.summary, "body": fields["body"]}
        writer.add_document(id=product.id, doc=stored, words="\n".join(fields.values()), **fields)
    writer.commit()


# ---------------------------------------------------------------- results

@dataclass(frozen=True)
class Hit:
    id: str
    title: str
    kind: str
    domains: list[str]
    summary: str
    score: float
    title_marked: Snippet
    snippet: Snippet

    def to_api(self) -> dict:
        return {"id": self.id, "title": self.title, "kind": self.kind, "domains": self.domains,
                "summary": self.summary, "score": round(self.score, 3),
                "highlights": [self.snippet.html()] if self.snippet.marked else []}


@dataclass(frozen=True)
class SearchResults:
    query: str
    hits: list[Hit]
    total: int
    suggestion: str | None = None
    facets: dict[str, dict[str, int]] = field(default_factory=lambda: {"domain": {}, "kind": {}})
    domain: str | None = None
    kind: str | None = None
    words: tuple[str, ...] = ()

    @property
    def understood(self) -> bool:
        """False when the query had no searchable words (empty, punctuation, only stop words)."""
        return bool(self.words)

    def to_api(self) -> dict:
        return {"query": self.query, "results": [hit.to_api() for hit in self.hits], "suggestion": self.suggestion,
                "total": self.total, "facets": self.facets}


# ---------------------------------------------------------------- the index

class SearchIndex:
    """A read-only search index over one catalogue version; safe to share between threads."""

    def __init__(self, ix, version: str, synonyms: Synonyms, built_at: dt.datetime, location: Path | None = None):
        self._ix = ix
        self.version = version
        self.built_at = built_at
        self.location = location
        self._local = threading.local()
        self._analysis: dict[tuple[str, str], Analysed] = {}  # snippet analysis per (product, field), filled lazily
        self._corrections: dict[tuple[str, int], list[tuple[str, int]]] = {}
        reader = ix.reader()
        self._docs: dict[int, dict] = {docnum: fields["doc"] | {"id": fields["id"]}
                                       for docnum, fields in reader.iter_docs()}
        self.scorer = Scorer(reader)
        reader.close()
        self.decompounder = next(f.decompounder for f in ix.schema["title"].analyzer.items
                                 if isinstance(f, DecompoundFilter))
        self.planner = Planner(self.decompounder, synonyms, self._is_known, self._candidates, self._has_prefix,
                               self._is_word)

    def __len__(self) -> int:
        return len(self._docs)

    def _searcher(self):
        searcher = getattr(self._local, "searcher", None)
        if searcher is None:
            searcher = self._ix.searcher()
            self._local.searcher = searcher
        return searcher

    def _is_known(self, word: str) -> bool:
        reader = self._searcher().reader()
        stem = dutch.stem(word)
        return reader.doc_frequency("words", word) > 0 or any(reader.doc_frequency(f, stem) for f in FIELD_WEIGHTS)

    def _is_word(self, word: str) -> bool:
        return self._searcher().reader().doc_frequency("words", word) > 0

    def _has_prefix(self, prefix: str) -> bool:
        reader = self._searcher().reader()
        return any(next(iter(reader.expand_prefix(f, prefix)), None) is not None for f in PREFIX_FIELDS)

    def _candidates(self, word: str, maxdist: int) -> list[tuple[str, int]]:
        if maxdist <= 0:
            return []
        key = (word, maxdist)
        if key not in self._corrections:
            reader = self._searcher().reader()
            found = list(reader.terms_within("words", word, maxdist, prefix=1))
            ranked = rank_candidates(word, found, lambda w: reader.doc_frequency("words", w), maxdist)
            if len(self._corrections) > 20_000:
                self._corrections.clear()
            self._corrections[key] = ranked
        return self._corrections[key]

    def search(self, text: str, *, limit: int = 10, domain: str | None = None, kind: str | None = None,
               partial: bool = False) -> SearchResults:
        """The best products for ``text`` (plain words), optionally within one domain and/or kind."""
        limit = max(1, min(int(limit), MAX_LIMIT))
        domain = domain if domain in DOMAINS else None
        kind = kind if kind in KIND_ORDER else None
        plan = self.planner.plan(text or "", partial=partial)
        if plan.empty:
            return SearchResults(text, [], 0, domain=domain, kind=kind)
        scored = self._run(plan)
        if len(scored) < FEW_RESULTS and not partial:
            wider = self.planner.plan(text, fuzzy_all=True)
            more = self._run(wider)
            if len(more) > len(scored):
                wider.corrections = plan.corrections
                plan, scored = wider, more
        facets = {"domain": _count(scored, lambda d: d["domains"], kind=kind),
                  "kind": _count(scored, lambda d: [d["kind"]], domain=domain)}
        chosen = [(doc, score) for doc, score in scored
                  if (domain is None or domain in doc["domains"]) and (kind is None or doc["kind"] == kind)]
        hits = [self._hit(doc, score, plan) for doc, score in chosen[:limit]]
        return SearchResults(text, hits, len(chosen), self._suggestion(text, plan), facets, domain, kind,
                             tuple(plan.words))

    def _run(self, plan: Plan) -> list[tuple[dict, float]]:
        scores = self.scorer.score(plan.nodes(), self._searcher())
        if not scores:
            return []
        cut = max(scores.values()) * RELATIVE_CUT
        kept = sorted(((score, docnum) for docnum, score in scores.items() if score >= cut),
                      key=lambda item: (-item[0], item[1]))
        return [(self._docs[docnum], score) for score, docnum in kept]

    def _analysed(self, doc: dict, field_name: str) -> Analysed:
        key = (doc["id"], field_name)
        found = self._analysis.get(key)
        if found is None:
            found = analyse_text(doc[field_name], self.decompounder)
            self._analysis[key] = found
        return found

    def _hit(self, doc: dict, score: float, plan: Plan) -> Hit:
        terms, prefix = plan.terms, plan.prefix
        summary = snippet(doc["summary"], self._analysed(doc, "summary"), terms, prefix)
        if not summary.marked:
            body = snippet(doc["body"], self._analysed(doc, "body"), terms, prefix)
            summary = body if body.marked else summary
        return Hit(doc["id"], doc["title"], doc["kind"], list(doc["domains"]), doc["summary"], score,
                   mark(doc["title"], self._analysed(doc, "title"), terms, prefix), summary)

    def _suggestion(self, text: str, plan: Plan) -> str | None:
        if not plan.corrections:
            return None
        pieces, last = [], 0
        for word, start, end in dutch.tokens(text):
            if word in plan.corrections:
                pieces += [text[last:start], plan.corrections[word]]
                last = end
        suggestion = " ".join(("".join(pieces) + text[last:]).split())
        return suggestion if suggestion and suggestion.lower() != " ".join(text.split()).lower() else None


def _count(scored, values: Callable[[dict], list[str]], *, kind: str | None = None, domain: str | None = None
           ) -> dict[str, int]:
    counts: dict[str, int] = {}
    for doc, _score in scored:
        if (kind is None or doc["kind"] == kind) and (domain is None or domain in doc["domains"]):
            for value in values(doc):
                counts[value] = counts.get(value, 0) + 1
    return counts


# ---------------------------------------------------------------- building, saving, opening

class _PrivateRamStorage(RamStorage):
    """Whoosh's RamStorage spills a writer's postings to ``<tmp>/MAIN.tmp``, one fixed directory for every
    process and thread on the machine: two builds at once remove it under each other. This one spills to a
    fresh directory of its own. Whoosh asks for the same name twice per writer (postings and per-document
    data) and removes it once, when the writer finishes, so one name keeps one directory while it exists."""

    def __init__(self):
        super().__init__()
        self._spill_dirs: dict[str | None, str] = {}

    def temp_storage(self, name=None):
        folder = self._spill_dirs.get(name)
        if folder is None or not os.path.isdir(folder):
            folder = self._spill_dirs[name] = tempfile.mkdtemp(prefix="catalogus-index-")
        return FileStorage(folder).create()


def build_index(catalog: Catalog) -> SearchIndex:
    """An in-memory index of ``catalog`` (for tests and when no data directory is used)."""
    ix = _PrivateRamStorage().create_index(schema(decompounder_for(catalog)))
    _fill(ix, catalog)
    return SearchIndex(ix, catalog.version, Synonyms.from_file(catalog.synonyms), dt.datetime.now(dt.timezone.utc))


def index_dir(data_dir: Path, version: str, municipality: str) -> Path:
    """Where a municipality's index of one content version lives: ``<data_dir>/index/<version>/<gemeente>/``."""
    return Path(data_dir) / INDEX_DIR / version / municipality


def write_index(catalog: Catalog, data_dir: Path, *, force: bool = False) -> Path:
    """Write the index for ``catalog`` to ``<data_dir>/index/<version>/<gemeente>/``, built aside and renamed
    into place."""
    make_private_dir(Path(data_dir))
    root = make_private_dir(Path(data_dir) / INDEX_DIR)
    make_private_dir(root / catalog.version)
    target = index_dir(data_dir, catalog.version, catalog.municipality.id)
    if not force and _is_current(target, catalog.version):
        return target
    temporary = Path(tempfile.mkdtemp(prefix=f".tmp-{catalog.version}-", dir=root))
    try:
        ix = FileStorage(str(temporary)).create_index(schema(decompounder_for(catalog)))
        _fill(ix, catalog)
        ix.close()
        meta = {"format": INDEX_FORMAT, "version": catalog.version, "municipality": catalog.municipality.id,
                "products": len(catalog.products),
                "built_at": dt.datetime.now(dt.timezone.utc).isoformat()}
        (temporary / META_FILE).write_text(json.dumps(meta), encoding="utf-8")
        make_tree_private(temporary)  # only the server's user reads the data directory (build it as that user)
        if target.exists():
            if not force and _is_current(target, catalog.version):
                return target  # another process was quicker
            aside = Path(tempfile.mkdtemp(prefix=f".old-{catalog.version}-", dir=root))
            os.rename(target, aside / "index")
            os.rename(temporary, target)
            shutil.rmtree(aside, ignore_errors=True)
        else:
            os.rename(temporary, target)
    finally:
        if temporary.exists():
            shutil.rmtree(temporary, ignore_errors=True)
    return target


def _meta(directory: Path) -> dict:
    try:
        return json.loads((directory / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _is_current(directory: Path, version: str) -> bool:
    meta = _meta(directory)
    return meta.get("format") == INDEX_FORMAT and meta.get("version") == version


def open_index(catalog: Catalog, data_dir: Path) -> SearchIndex | None:
    """The saved index for this exact catalogue version, loaded into memory; None when missing or stale."""
    directory = index_dir(data_dir, catalog.version, catalog.municipality.id)
    if not _is_current(directory, catalog.version):
        return None
    try:
        ix = copy_to_ram(FileStorage(str(directory))).open_index()
        built = dt.datetime.fromisoformat(_meta(directory)["built_at"])
        return SearchIndex(ix, catalog.version, Synonyms.from_file(catalog.synonyms), built, directory)
    except Exception:  # noqa: BLE001 - an unreadable or half-written index is rebuilt, never fatal
        return None


def load_or_build(catalog: Catalog, data_dir: Path) -> SearchIndex:
    """Reuse the saved index when its content version matches, else write a new one (memory if the disk fails)."""
    found = open_index(catalog, data_dir)
    if found is not None:
        return found
    try:
        write_index(catalog, data_dir)
        prune_indexes(data_dir, keep=catalog.version)
    except OSError:
        return build_index(catalog)
    found = open_index(catalog, data_dir)
    return found if found is not None else build_index(catalog)


def index_builder(data_dir: Path | None) -> Callable[[Catalog], SearchIndex]:
    """A ``build_index(catalog)`` for ``ContentState``: on disk under ``data_dir``, or in memory if None."""
    if data_dir is None:
        return build_index
    return lambda catalog: load_or_build(catalog, Path(data_dir))


def prune_indexes(data_dir: Path, keep: str) -> list[Path]:
    """Remove saved indexes of old content versions (keeps ``keep`` and the newest others); return what went."""
    root = Path(data_dir) / INDEX_DIR
    if not root.is_dir():
        return []
    removed = []
    versions = sorted((p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".") and p.name != keep),
                      key=lambda p: p.stat().st_mtime, reverse=True)
    stale = [p for p in root.iterdir() if p.is_dir() and p.name.startswith((".tmp-", ".old-"))
             and time.time() - p.stat().st_mtime > 3600]
    for path in versions[KEEP_VERSIONS - 1:] + stale:
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


# ---------------------------------------------------------------- zero-result queries

class SearchGaps(Protocol):
    """Where the words of searches that found nothing are counted (``catalogus.search.gaps``)."""

    def record(self, query: str, words: list[str]) -> list[str]: ...

    def top(self, n: int = 20) -> list[tuple[str, int]]: ...
