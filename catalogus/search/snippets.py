"""Snippets: the part of a product's text that shows why it matched, with the matching words marked.

Text is analysed the same way as the index (folded words, stems, compound parts),
so "parkeerkaart" marks "gehandicaptenparkeerkaart" and "kinderen" marks "kind".
Everything is HTML-escaped; only the ``<mark>`` elements are markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from . import dutch

SNIPPET_CHARS = 220
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")


@dataclass(frozen=True)
class Snippet:
    """Text with the matching words marked; render ``segments`` or use ``html()``."""

    segments: tuple[tuple[str, bool], ...]

    @property
    def text(self) -> str:
        return "".join(text for text, _m in self.segments)

    @property
    def marked(self) -> bool:
        return any(m for _t, m in self.segments)

    def html(self) -> str:
        """HTML-escaped text with ``<mark>`` around matches (nothing else is markup)."""
        return "".join(f"<mark>{escape(t)}</mark>" if m else escape(t) for t, m in self.segments)


Analysed = list[tuple[int, int, str, tuple[str, ...]]]  # (start, end, stem, part stems) per content word


def analyse_text(text: str, decompounder: dutch.Decompounder) -> Analysed:
    """Every content word of ``text`` with its place, stem and part stems (what snippets match against)."""
    return [(start, end, *dutch.analyse(word, decompounder))
            for word, start, end in dutch.tokens(text) if dutch.is_content(word)]


def _matches(analysed: Analysed, terms: set[str], prefix: str | None = None) -> list[tuple[int, int, str]]:
    found = []
    for start, end, stem, parts in analysed:
        hit = stem if stem in terms else next((p for p in parts if p in terms), None)
        if hit is None and prefix and stem.startswith(prefix):
            hit = prefix
        if hit:
            found.append((start, end, hit))
    return found


def _segments(text: str, spans: list[tuple[int, int, str]], start: int, end: int) -> list[tuple[str, bool]]:
    segments: list[tuple[str, bool]] = []
    position = start
    for s, e, _t in spans:
        if s < start or e > end:
            continue
        if s > position:
            segments.append((text[position:s], False))
        segments.append((text[s:e], True))
        position = e
    if position < end:
        segments.append((text[position:end], False))
    return segments


def mark(text: str, analysed: Analysed, terms: set[str], prefix: str | None = None) -> Snippet:
    """All of ``text`` with matching words marked."""
    return Snippet(tuple(_segments(text, _matches(analysed, terms, prefix), 0, len(text))))


def snippet(text: str, analysed: Analysed, terms: set[str], prefix: str | None = None,
            width: int = SNIPPET_CHARS) -> Snippet:
    """The sentence of ``text`` with the most matching words (with its neighbours if short), about ``width`` long."""
    spans = _matches(analysed, terms, prefix)
    sentences = [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if m.group().strip()]
    if not sentences:
        return Snippet(())
    scores = [len({t for s, e, t in spans if a <= s and e <= b}) for a, b in sentences]
    chosen = max(range(len(sentences)), key=lambda i: (scores[i], -i))
    first, last = chosen, chosen
    while sentences[last][1] - sentences[first][0] < width // 2 and (first > 0 or last < len(sentences) - 1):
        if first > 0:
            first -= 1
        elif last < len(sentences) - 1:
            last += 1
    start, end = sentences[first][0], sentences[last][1]
    if end - start > width:  # keep the first match in view, cut at word boundaries
        hit = next((s for s, _e, _t in spans if s >= sentences[chosen][0]), start)
        start = max(start, hit - width // 3)
        end = min(end, start + width)
        start = text.find(" ", start) + 1 if start > sentences[first][0] else start
        end = max(text.rfind(" ", start, end), start) if end < sentences[last][1] else end
    start = len(text) - len(text[start:].lstrip())
    end = len(text[:end].rstrip())
    segments = _segments(text, spans, start, end)
    if start > 0:
        segments.insert(0, ("… ", False))
    if end < len(text.rstrip()):
        segments.append((" …", False))
    return Snippet(tuple(s for s in segments if s[0]))
