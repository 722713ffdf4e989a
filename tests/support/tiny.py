"""Small synthetic catalogues built inside a test, so a policy edit in products/ never breaks an engine test.

``tiny_catalog(tmp_path, products={...})`` writes a complete, valid content tree (JSON is
YAML too) with a handful of questions, a bijstandsnorm with age bands and leefsituaties, a
dated factor, an AOW age that moves in 2028, and whatever products and shared rules the
test passes, then loads it with the real loader.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from catalogus.catalog import Catalog, load_catalog_or_raise

TODAY = dt.date(2026, 11, 26)

QUESTIONS: dict[str, Any] = {
    "onderwerpen": {"type": "multi", "tekst": "Waar wilt u hulp bij?", "kort": "Onderwerpen",
                    "opties": {"geld": {"label": "Geld"}, "zorg": {"label": "Zorg"}},
                    "reden": {"bevat": "U wilt hulp bij: {waarden}.", "bevat_niet": "U wilt geen hulp bij: {waarden}."}},
    "woont_in_gemeente": {"type": "boolean", "tekst": "Woont u in de gemeente?", "kort": "Inwoner",
                          "reden": {"ja": "U woont in de gemeente.", "nee": "U woont niet in de gemeente."}},
    "leeftijd": {"type": "integer", "min": 0, "max": 120, "hele_jaren": True, "eenheid": "jaar",
                 "tekst": "Hoe oud bent u?", "kort": "Leeftijd", "onderwerp": "Uw leeftijd"},
    "leefsituatie": {"type": "choice", "tekst": "Hoe woont u?", "kort": "Leefsituatie", "onderwerp": "Uw leefsituatie",
                     "opties": {"alleenstaand": {"label": "alleen"}, "samenwonend": {"label": "samen"}}},
    "netto_inkomen": {"type": "money", "per": "maand", "tekst": "Wat is uw inkomen?", "kort": "Inkomen",
                      "onderwerp": "Uw inkomen"},
    "schulden": {"type": "boolean", "tekst": "Heeft u schulden?", "kort": "Schulden",
                 "reden": {"ja": "U heeft schulden.", "nee": "U heeft geen schulden."}},
    "kosten": {"type": "boolean", "tekst": "Heeft u kosten?", "kort": "Kosten",
               "reden": {"ja": "U heeft kosten.", "nee": "U heeft geen kosten."}},
    "moeite_met": {"type": "multi", "tekst": "Waar heeft u moeite mee?", "kort": "Moeite met", "geen_waarde": "geen",
                   "opties": {"koken": {"label": "koken"}, "lopen": {"label": "lopen"}, "geen": {"label": "nergens mee"}},
                   "reden": {"bevat": "U heeft moeite met {waarden}.", "bevat_niet": "U heeft geen moeite met {waarden}."}},
    "langdurig": {"type": "boolean", "tekst": "Duurt het lang?", "kort": "Langdurig",
                  "alleen_als": {"vraag": "moeite_met", "bevat_iets_anders_dan": "geen"},
                  "reden": {"ja": "Het duurt lang.", "nee": "Het duurt niet lang."}},
    "wil_contact": {"type": "boolean", "tekst": "Wilt u contact?", "kort": "Contact",
                    "reden": {"ja": "U wilt contact.", "nee": "U wilt geen contact."}},
}

SOURCE = "Testwet art. 1"
NORMS: dict[str, Any] = {
    "aow_leeftijd": {"titel": "AOW-leeftijd", "eenheid": "jaren", "waarden": [
        {"geldig_vanaf": "2026-01-01", "waarde": 67, "bron": SOURCE},
        {"geldig_vanaf": "2028-01-01", "waarde": 67.25, "bron": SOURCE}]},
    "bijstandsnorm": {"titel": "bijstandsnorm", "eenheid": "euro_per_maand", "waarden": [
        {"geldig_vanaf": "2026-01-01", "bron": SOURCE, "varianten": [
            {"leeftijd": {"van": 18, "tot": 21}, "waarde": 345.99},
            {"leeftijd": {"van": 21, "tot": "aow_leeftijd"}, "leefsituatie": ["alleenstaand"], "waarde": 1401.50},
            {"leeftijd": {"van": 21, "tot": "aow_leeftijd"}, "leefsituatie": ["samenwonend"], "waarde": 2002.13},
            {"leeftijd": {"van": "aow_leeftijd"}, "leefsituatie": ["alleenstaand"], "waarde": 1564.69},
            {"leeftijd": {"van": "aow_leeftijd"}, "leefsituatie": ["samenwonend"], "waarde": 2144.16}]}]},
    "minima_grens": {"titel": "grens voor minimaregelingen", "eenheid": "factor", "waarden": [
        {"geldig_vanaf": "2026-01-01", "waarde": 1.30, "bron": SOURCE},
        {"geldig_vanaf": "2027-01-01", "waarde": 1.40, "bron": SOURCE}]},
}

SHARED: dict[str, Any] = {
    "inwoner": {"omschrijving": "U woont in de gemeente.", "bron": SOURCE,
                "voorwaarde": {"vraag": "woont_in_gemeente", "=": True}},
    "geldzorgen": {"omschrijving": "U heeft geldzorgen.", "bron": SOURCE,
                   "voorwaarde": {"een_van": [{"vraag": "schulden", "=": True},
                                              {"vraag": "netto_inkomen", "<": {"norm": "bijstandsnorm"}}]}},
    "zorgvraag": {"omschrijving": "U heeft een zorgvraag.", "bron": SOURCE,
                  "voorwaarde": {"vraag": "langdurig", "=": True}},
}

ROUTING: dict[str, Any] = {
    "bron": SOURCE,
    "levensgebieden": {
        "financien": {"titel": "Geld", "voorwaarde": {"regel": "geldzorgen"}},
        "gezondheid": {"titel": "Gezondheid", "voorwaarde": {"regel": "zorgvraag"}},
    },
    "urgent": [],
    "route": {"voorwaarde": {"een_van": [
        {"minstens": 2, "van": [{"regel": "financien"}, {"regel": "gezondheid"}]},
        {"vraag": "wil_contact", "=": True}]}},
    "wijkteam": {"naam": "Wijkteam Test", "telefoon": "14 0555"},
}


def product(rule: dict, *, kind: str = "provision", domains: tuple[str, ...] = ("geld",), title: str | None = None,
            **extra: Any) -> dict[str, Any]:
    """A complete product file around a rule."""
    return {
        "titel": title or "Testregeling", "soort": kind, "domeinen": list(domains),
        "samenvatting": "Een regeling om het rekenwerk te testen.", "wat_krijgt_u": "Iets.",
        "aanvragen": {"stappen": ["Vraag het aan."]}, "kosten": "Gratis.",
        "contact": {"naam": "Team Test", "telefoon": "14 0555"},
        "wettelijke_basis": {"wet": "Testwet", "bron": "https://wetten.overheid.nl/test"},
        "voorwaarden": rule, "eigenaar": "Team Test", "herzien_voor": "2099-01-01", **extra,
    }


MINIMA = {"norm": "bijstandsnorm", "factor": "minima_grens"}  # the minima limit: 1.30 × the bijstandsnorm


def income_tested_products() -> dict[str, dict[str, Any]]:
    """Two rules shaped like the real ones, for engine tests: every condition must hold (like bijzondere
    bijstand, ``steun``), or one of them is enough (like sociaal raadslieden, ``raad``)."""
    return {
        "steun": product({"alle": [{"regel": "inwoner"}, {"vraag": "leeftijd", ">=": 18},
                                   {"vraag": "kosten", "=": True}, {"vraag": "netto_inkomen", "<=": MINIMA}]}),
        "raad": product({"een_van": [{"vraag": "schulden", "=": True}, {"vraag": "netto_inkomen", "<=": MINIMA}]},
                        kind="collective"),
    }


def write_tree(root: Path, *, products: dict[str, dict], questions: dict | None = None, norms: dict | None = None,
               shared: dict | None = None, routing: dict | None = None) -> Path:
    (root / "rules").mkdir(parents=True, exist_ok=True)
    (root / "products").mkdir(exist_ok=True)
    files = {"rules/vragen.yaml": {"vragen": questions or QUESTIONS}, "rules/normen.yaml": {"normen": norms or NORMS},
             "rules/regels.yaml": {"regels": shared or SHARED}, "rules/routering.yaml": routing or ROUTING}
    files.update({f"products/{pid}.yaml": content for pid, content in products.items()})
    for name, data in files.items():
        (root / name).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return root


def tiny_catalog(root: Path, *, products: dict[str, dict], today: dt.date = TODAY, **files: Any) -> Catalog:
    """Write the tree under ``root`` and load it with the real loader (errors raise ContentError)."""
    return load_catalog_or_raise(write_tree(root, products=products, **files), today=today)
