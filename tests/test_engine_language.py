"""Reasons are data, wording is a renderer: no Dutch in the engine, and the renderer says every reason.

The engine modules return ``catalogus.reasons`` data; ``catalogus.wording`` is the one place that
turns it into B1 Dutch (and where a second language would plug in).
"""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
import re
import typing
from decimal import Decimal
from pathlib import Path

import pytest

from catalogus import reasons
from catalogus.wording import Description
from tests.support.tiny import product, tiny_catalog

ENGINE = ["rules.py", "compiler.py", "norms.py", "check.py", "reasons.py"]
PACKAGE = Path(__file__).resolve().parent.parent / "catalogus"
# Words that only Dutch prose uses; identifiers (snake_case ids such as "een_van") are not prose.
DUTCH_WORDS = {"de", "het", "een", "van", "niet", "en", "voor", "met", "uw", "op", "te", "dat", "die", "bij", "naar",
               "geen", "of", "als", "is", "zijn", "heeft", "wordt", "kan", "moet", "mag", "gebruik", "onbekende"}


def dutch_literals(source: str) -> list[tuple[int, str]]:
    """String constants (docstrings aside) that read as Dutch prose."""
    tree = ast.parse(source)
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            words = re.findall(r"[a-zà-ÿ]+", node.value.lower())
            if " " in node.value.strip() and DUTCH_WORDS.intersection(words):
                found.append((node.lineno, node.value))
    return found


def test_the_scan_finds_dutch_prose_and_passes_identifiers():
    assert dutch_literals('x = "Uw inkomen is hoger dan de grens."') == [(1, "Uw inkomen is hoger dan de grens.")]
    assert dutch_literals('"""Docstring van de module."""\nx = "een_van"\ny = f"{a} × {b}"') == []


@pytest.mark.parametrize("module", ENGINE)
def test_no_dutch_text_in_the_engine(module):
    assert dutch_literals((PACKAGE / module).read_text(encoding="utf-8")) == []


# ---------------------------------------------------------------- the renderer covers every reason and view

@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    rule = {"alle": [{"vraag": "netto_inkomen", "<=": {"norm": "bijstandsnorm", "factor": "minima_grens"}},
                     {"regel": "inwoner"}]}
    return tiny_catalog(tmp_path_factory.mktemp("words"), products={"pas": product(rule, title="Stadspas")})


def _instances(tiny) -> list:
    limit = reasons.NormLimit("bijstandsnorm", Decimal("1.30"), "minima_grens", "exact", True)
    route_rule = tiny.routing.route.view()
    norm = reasons.Figure("norm", "bijstandsnorm", 140149, True, "maand", True)
    return [
        reasons.AnswerStated("schulden", True, "=", True, True),
        reasons.AnswerStated("leefsituatie", "samenwonend", "=", "samenwonend", True),
        reasons.AnswerStated("moeite_met", frozenset({"koken"}), "bevat", "koken", True),
        reasons.AnswerStated("moeite_met", frozenset({"koken", "lopen"}), "bevat_iets_anders_dan", "geen", True),
        reasons.NumberCompared("netto_inkomen", 190000, "<=", 182195, False, limit),
        reasons.NumberCompared("leeftijd", 16, ">=", 18, False),
        reasons.Counted(1, 2),
        reasons.ProductDecided("pas", True),
        reasons.ContentWording("Zo zegt de inhoud het.", True),
        reasons.NotRouted(1, route_rule),
        reasons.AmountFigures(280298, "maand", reasons.Calculation("×", norm, Decimal("2")),
                              "U krijgt ongeveer {bedrag}.", "Het Sociaal Loket"),
        reasons.AmountOpen("jaar", ("netto_inkomen", "leefsituatie"), "De gemeente"),
        reasons.NoAmount(True),
        reasons.NoAmount(False),
    ]


def test_every_reason_type_has_a_test_instance(tiny):
    union = set(typing.get_args(reasons.Reason))
    assert {type(r) for r in _instances(tiny)} == union


def test_the_renderer_says_every_reason_in_a_sentence(tiny):
    said = [tiny.wording.reason(r) for r in _instances(tiny)]
    assert said == [
        "U heeft schulden.",
        "Uw leefsituatie: samen.",
        "U heeft moeite met koken.",
        "U heeft moeite met koken en lopen.",
        "Uw inkomen (€ 1.900) is hoger dan € 1.821,95, de grens voor uw situatie (130% van de bijstandsnorm).",
        "U bent 16 jaar, dus jonger dan 18 jaar.",
        "Dat is 1 van de minstens 2 die nodig zijn.",
        "U komt in aanmerking voor Stadspas.",
        "Zo zegt de inhoud het.",
        "Er spelen problemen op 1 levensgebied. Een casemanager van het wijkteam helpt als een van deze dingen bij u "
        "past: er spelen problemen op 2 of meer levensgebieden; of u wilt contact.",
        "De bijstandsnorm voor u is € 1.401,49. Zo rekenen we: € 1.401,49 × 2 = € 2.802,98. "
        "U krijgt ongeveer € 2.802,98 per maand.",
        "Het bedrag weten we nog niet: het hangt nog af van uw inkomen en uw leefsituatie.",
        "Dit past niet bij u, dus er is geen bedrag.",
        "Voor uw situatie rekenen we geen bedrag uit.",
    ]


def test_the_renderer_describes_every_kind_of_rule_view(tiny):
    views = {type(v) for v in _all_views(tiny)}
    assert views == set(typing.get_args(reasons.RuleView))
    day = tiny.norms.on(dt.date(2026, 11, 26))
    for view in _all_views(tiny):
        described = tiny.wording.describe(view, day)
        assert isinstance(described, Description) and described.text
        assert tiny.wording.clause(view)


def _all_views(tiny) -> list:
    compare = reasons.CompareView("schulden", "=", True)
    return [compare, reasons.JunctionView(True, (compare,)), reasons.NotView(compare),
            reasons.AtLeastView(1, (compare,)), reasons.NamedView("inwoner", "U woont in de gemeente.", False, None),
            reasons.ProductView("pas"), reasons.WordedView("Het geldt.", "Het geldt niet.", compare)]


def test_reasons_are_hashable_values():
    for cls in typing.get_args(reasons.Reason):
        assert dataclasses.is_dataclass(cls) and cls.__dataclass_params__.frozen, cls
