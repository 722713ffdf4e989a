"""Words residents searched for that the catalogue does not know, kept so editors can add keywords or synonyms.

No query text is ever stored: a failed search could say "ik ben mishandeld door mijn man
Pieter de Vries". What is kept for editors is a list of single words, each one

- a word a Dutch word list knows (pyspellchecker's ``nl`` list, no network needed),
- not a stop word, at least 3 letters, no digits, not written with a capital inside the
  query (that is how people write names),
- that alone finds nothing in the catalogue (the caller checks this against the index),
- asked for by at least ``MIN_SEARCHES`` different searches within one ``PERIOD_DAYS`` period.

Until then a word is *pending*, and pending rows hold only keyed hashes: HMAC(period key,
word) and HMAC(period key, word + search). The second differs per word, so the words of one
search cannot be joined; no row has a time. The period key is derived from the secret key and
never stored; the rows go when the word is promoted or when the period ends. Promoted words
keep only a count and the days they were first and last seen, and go after
``RETENTION_DAYS`` without a new search (``purge_in``, from the daily maintenance job).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import threading
from functools import lru_cache
from typing import Iterable

from . import dutch
from ..casework.db import Database, Transaction, to_utc, utcnow

MIN_SEARCHES = 3
PERIOD_DAYS = 7
RETENTION_DAYS = 90
MIN_LETTERS, MAX_LETTERS = 3, 40
MAX_WORDS = 8  # a long text is looked at word by word, but not without end
_PUNCTUATION = ".,;:!?()[]{}\"'«»“”‘’…-"


@lru_cache(maxsize=1)
def dutch_words() -> frozenset[str]:
    """Every word of pyspellchecker's Dutch word list (loaded once, on the first failed search)."""
    from spellchecker import SpellChecker

    return frozenset(SpellChecker(language="nl", distance=1).word_frequency.keys())


def gap_words(query: str, known: frozenset[str] | None = None) -> list[str]:
    """The words of a failed search that may be kept for editors (before asking the index).

    >>> gap_words("Ik ben mishandeld door mijn man Pieter de Vries", frozenset({"mishandeld", "man", "pieter"}))
    ['mishandeld', 'man']
    >>> gap_words("Zonnepanelen 06-12345678 jan@example.nl zonnepanelen", frozenset({"zonnepanelen", "jan"}))
    ['zonnepanelen']
    """
    known = dutch_words() if known is None else known
    found: list[str] = []
    for position, token in enumerate(part.strip(_PUNCTUATION) for part in query.split()):
        if not token.isalpha() or not MIN_LETTERS <= len(token) <= MAX_LETTERS:
            continue  # digits, e-mail addresses, punctuation, too short or too long
        if position > 0 and token[0].isupper() and not token.isupper():
            continue  # "Pieter", "Vries": a capital inside the query is how people write names
        word = token.lower()
        if word in dutch.STOPWORDS or word not in known or word in found:
            continue
        found.append(word)
        if len(found) == MAX_WORDS:
            break
    return found


def normalised(query: str) -> str:
    return " ".join(query.lower().split())


def day_of(moment: dt.datetime) -> dt.datetime:
    """Midnight UTC of the day: the only time kept with a word."""
    moment = to_utc(moment)
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


def period_of(moment: dt.datetime) -> int:
    return (to_utc(moment).date() - dt.date(1970, 1, 1)).days // PERIOD_DAYS


class _Hashes:
    """The keyed hashes of one period (the key is derived from the secret key and never stored)."""

    def __init__(self, secret: str, period: int):
        self._key = hmac.new(secret.encode(), f"catalogus-search-gaps:{period}".encode(), hashlib.sha256).digest()

    def _mac(self, text: str) -> str:
        return hmac.new(self._key, text.encode(), hashlib.sha256).hexdigest()[:32]

    def word(self, word: str) -> str:
        return self._mac("word\x00" + word)

    def search(self, word: str, query: str) -> str:
        return self._mac("search\x00" + word + "\x00" + normalised(query))


class DatabaseGaps:
    """The gap words in the database (SQLite or PostgreSQL)."""

    def __init__(self, db: Database, secret: str):
        self.db = db
        self.secret = secret

    def record(self, query: str, words: Iterable[str], at: dt.datetime | None = None) -> list[str]:
        """Count one failed search for each of ``words``; return the words promoted to the list by it."""
        words = list(words)
        if not words:
            return []
        now = to_utc(at or utcnow())
        period = period_of(now)
        hashes = _Hashes(self.secret, period)
        promoted = []
        with self.db.transaction() as tx:
            tx.execute("DELETE FROM search_gap_pending WHERE period < ?", (period,))
            for word in words:
                if tx.execute("UPDATE search_gap_words SET searches = searches + 1, last_seen = ? WHERE word = ?",
                              (day_of(now), word)):
                    continue
                word_hash = hashes.word(word)
                tx.execute("INSERT INTO search_gap_pending (period, word_hash, search_hash) VALUES (?, ?, ?) "
                           "ON CONFLICT DO NOTHING", (period, word_hash, hashes.search(word, query)))
                searches = tx.fetchvalue("SELECT COUNT(*) AS n FROM search_gap_pending WHERE period = ? AND "
                                         "word_hash = ?", (period, word_hash))
                if searches >= MIN_SEARCHES:
                    tx.execute("INSERT INTO search_gap_words (word, searches, first_seen, last_seen) "
                               "VALUES (?, ?, ?, ?)", (word, searches, day_of(now), day_of(now)))
                    tx.execute("DELETE FROM search_gap_pending WHERE word_hash = ?", (word_hash,))
                    promoted.append(word)
        return promoted

    def top(self, n: int = 20) -> list[tuple[str, int]]:
        with self.db.transaction(write=False) as tx:
            rows = tx.fetchall("SELECT word, searches FROM search_gap_words ORDER BY searches DESC, last_seen DESC, "
                               "word LIMIT ?", (max(1, int(n)),))
        return [(row["word"], int(row["searches"])) for row in rows]

    def forget(self) -> int:
        """Empty the list and the pending hashes (after updating the synonyms); return how many words went."""
        with self.db.transaction() as tx:
            tx.execute("DELETE FROM search_gap_pending")
            return tx.execute("DELETE FROM search_gap_words")


def purge_in(tx: Transaction, now: dt.datetime) -> int:
    """Drop words not searched for in ``RETENTION_DAYS`` and pending hashes of past periods; return words dropped."""
    tx.execute("DELETE FROM search_gap_pending WHERE period < ?", (period_of(now),))
    return tx.execute("DELETE FROM search_gap_words WHERE last_seen < ?",
                      (day_of(now) - dt.timedelta(days=RETENTION_DAYS),))


class MemoryGaps:
    """The same rules in memory (tests, or a server without a database): words only, after enough searches."""

    def __init__(self) -> None:
        self.pending: dict[str, set[str]] = {}
        self.counts: dict[str, int] = {}
        self._lock = threading.Lock()

    def record(self, query: str, words: Iterable[str], at: dt.datetime | None = None) -> list[str]:
        promoted = []
        with self._lock:
            for word in words:
                if word in self.counts:
                    self.counts[word] += 1
                    continue
                searches = self.pending.setdefault(hashlib.sha256(word.encode()).hexdigest(), set())
                searches.add(hashlib.sha256(f"{word}\x00{normalised(query)}".encode()).hexdigest())
                if len(searches) >= MIN_SEARCHES:
                    self.counts[word] = len(searches)
                    del self.pending[hashlib.sha256(word.encode()).hexdigest()]
                    promoted.append(word)
        return promoted

    def top(self, n: int = 20) -> list[tuple[str, int]]:
        return sorted(self.counts.items(), key=lambda item: (-item[1], item[0]))[:n]
