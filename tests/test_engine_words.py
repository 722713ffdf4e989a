"""The engine holds no Dutch sentences: wording.py (reasons) and messages.py (editors) are the only places."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "catalogus"
ENGINE = ["rules.py", "compiler.py", "norms.py", "check.py", "reasons.py", "amounts.py", "formula.py"]
# a phrase (it has a space) with a Dutch function word; single words such as "vraag" are content keys
DUTCH = re.compile(r"\b(de|het|een|geen|niet|uw|u|is|van|voor|en|of|met|bij|dus|krijgt|bedrag)\b", re.I)


def phrases(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
            and " " in node.value.strip() and DUTCH.search(node.value)]


@pytest.mark.parametrize("module", ENGINE)
def test_no_dutch_string_literal_in_an_engine_module(module):
    assert phrases(PACKAGE / module) == []


def test_the_scan_finds_dutch_where_it_is_meant_to_be():
    assert any("bedrag" in text for text in phrases(PACKAGE / "wording.py"))
    assert any("formule" in text for text in phrases(PACKAGE / "messages.py"))
