"""A plain-language (B1) check for resident HTML: sentence length, known jargon, no internal codes.

What a resident reads is the text of the page (what a screen reader says too): text nodes
outside <script>, <style> and hidden elements. Every block (paragraph, list item, heading,
table cell, label) is split into sentences, and each sentence is held against three rules:

- at most ``MAX_WORDS`` words;
- no phrase of ``JARGON``, unless the sentence also has what explains it (``unless``);
- no internal code: question ids, norm ids, UPL names, "Uniforme productnaam".

Editors: a word residents do not know goes into ``JARGON`` with what to write instead
(docs/editors.md explains the check).

Across a page the sentences of running text (blocks of ``MIN_PROSE_WORDS`` words or more: not
headings, buttons or labels of one or two words, which would make any page look short) average
at most ``MAX_AVERAGE_WORDS`` words: B1 guidance is about 15 on average and rarely above 20–25.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Iterable

MAX_WORDS = 25
MAX_AVERAGE_WORDS = 15
MIN_PROSE_WORDS = 4  # shorter pieces are headings, buttons and labels, not running text


@dataclass(frozen=True)
class Jargon:
    pattern: str  # a regular expression, case-insensitive
    advice: str  # what to write instead
    unless: str | None = None  # the sentence passes when it also matches this (the explanation in place)


JARGON = [
    Jargon(r"\d+ ?% van de (bijstandsnorm|norm)", "noem het bedrag voor deze situatie: 'Dan is de grens € 1.821,95'",
           unless=r"€ ?\d"),
    Jargon(r"grens voor minimaregelingen", "schrijf 'inkomensgrens' en noem het bedrag"),
    Jargon(r"minimaregeling", "schrijf 'regeling voor mensen met een laag inkomen'",
           unless=r"Verordening|Bron:"),  # the official name of a source may stay
    Jargon(r"\bbewindvoering\b|\bbeschermingsbewind\b", "leg uit: 'iemand die uw geld voor u beheert'",
           unless=r"\(iemand die|beheert"),
    Jargon(r"uniforme productnaam", "een code voor de landelijke catalogus: niet voor inwoners"),
    Jargon(r"\bnormbedrag\b|\bnormenbrief\b", "noem het bedrag zelf", unless=r"Bron:|art\."),
    Jargon(r"\bwoonsituatie is:", "schrijf een zin: 'U heeft geen vaste plek om te wonen.'"),
    Jargon(r"\bBijvoorbeeld: 3\b", "geef een voorbeeld dat past bij de vraag"),
    Jargon(r"vermogensgrens", "schrijf 'grens voor spaargeld en bezit'"),
    Jargon(r"leefsituatie", "schrijf 'of u alleen woont, samenwoont of alleenstaande ouder bent', of 'met wie u woont'"),
]

BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "dd", "legend", "label", "caption",
          "summary", "div", "section", "article", "button", "option", "title", "figcaption", "blockquote", "nav",
          "header", "footer", "main", "form", "fieldset", "ul", "ol", "dl", "table", "tr", "br"}
SKIPPED = {"script", "style", "template", "textarea", "noscript"}
VOID = {"br", "input", "img", "meta", "link", "hr", "source", "wbr"}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._current: list[str] = []
        self._stack: list[tuple[str, bool]] = []  # (tag, hides its content)

    def _flush(self):
        text = " ".join("".join(self._current).split())
        if text:
            self.blocks.append(text)
        self._current = []

    def _hidden(self) -> bool:
        return any(hides for _tag, hides in self._stack)

    def handle_starttag(self, tag, attrs):
        if tag in BLOCKS:
            self._flush()
        if tag in VOID:
            return
        a = dict(attrs)
        self._stack.append((tag, tag in SKIPPED or "hidden" in a or a.get("aria-hidden") == "true"))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        while self._stack:
            open_tag, _ = self._stack.pop()
            if open_tag == tag:
                break
        if tag in BLOCKS:
            self._flush()

    def handle_data(self, data):
        if not self._hidden():
            self._current.append(data)

    def close(self):
        super().close()
        self._flush()


def text_blocks(html: str) -> list[str]:
    """The text of a page, one string per block."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return parser.blocks


_SENTENCE_END = re.compile(r"(?<=[.?!])(?<!\bart\.)(?<!\bnr\.)\s+(?=[A-Z€\d‘'\"(])")


def sentences(html: str) -> list[str]:
    return [s.strip() for block in text_blocks(html) for s in _SENTENCE_END.split(block) if s.strip()]


def words(sentence: str) -> list[str]:
    return re.findall(r"[\w€][\w.,'’\-–]*", sentence)


def problems(html: str, internal_codes: Iterable[str] = ()) -> list[str]:
    """Everything a B1 reader would stumble over, as 'rule: sentence'."""
    codes = [c for c in internal_codes if c]
    code_pattern = re.compile(r"(?<![\w/#-])(" + "|".join(map(re.escape, sorted(codes, key=len, reverse=True)))
                              + r")(?![\w-])", re.I) if codes else None
    found = []
    average = average_words(html)
    if average > MAX_AVERAGE_WORDS:
        found.append(f"zinnen gemiddeld te lang ({average:.1f} woorden, hoogstens {MAX_AVERAGE_WORDS})")
    for sentence in sentences(html):
        if len(words(sentence)) > MAX_WORDS:
            found.append(f"te lange zin ({len(words(sentence))} woorden, hoogstens {MAX_WORDS}): {sentence}")
        for jargon in JARGON:
            if re.search(jargon.pattern, sentence, re.I) and not (
                    jargon.unless and re.search(jargon.unless, sentence, re.I)):
                found.append(f"moeilijk woord '{jargon.pattern}' ({jargon.advice}): {sentence}")
        if code_pattern is not None:
            match = code_pattern.search(sentence)
            if match:
                found.append(f"interne code '{match.group(1)}': {sentence}")
    return found


def average_words(html: str) -> float:
    """The mean length of the page's running-text sentences (what the average rule holds against)."""
    prose = [len(words(s)) for s in sentences(html) if len(words(s)) >= MIN_PROSE_WORDS]
    return sum(prose) / len(prose) if prose else 0.0


def internal_codes(catalog) -> set[str]:
    """The ids and codes a resident must never read: question and norm ids (snake_case) and UPL names."""
    codes = {q.id for q in catalog.vocabulary if "_" in q.id}
    codes |= {n for n in catalog.norms.norms if "_" in n}
    for product in catalog.products.values():
        upl = product.content.upl
        if upl is not None and upl.naam.lower() not in product.title.lower():
            codes.add(upl.naam)
    return codes
