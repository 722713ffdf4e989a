"""Random damage to real product files never crashes the loader: there are always diagnostics."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalogus.catalog import load_catalog
from tests.test_catalog_check import ENGLISH

ROOT = Path(__file__).resolve().parent.parent
PRODUCTS = sorted((ROOT / "products").glob("*.yaml"))
JUNK = st.one_of(st.text(alphabet=list(":-[]{}&*!|>'\"#%@` \t\né"), max_size=12),
                st.sampled_from(["abc", "ja", "1.5", "2026-13-45", "~", "null", "- x", "key: value"]))


def mutate(text: str, data) -> str:
    lines = text.splitlines(keepends=True)
    kind = data.draw(st.sampled_from(["delete", "duplicate", "insert", "truncate", "indent", "replace"]))
    index = data.draw(st.integers(0, max(0, len(lines) - 1)))
    if kind == "delete" and lines:
        del lines[index]
    elif kind == "duplicate" and lines:
        lines.insert(index, lines[index])
    elif kind == "insert":
        lines.insert(index, data.draw(JUNK) + "\n")
    elif kind == "truncate":
        return text[: data.draw(st.integers(0, len(text)))]
    elif kind == "indent" and lines:
        lines[index] = data.draw(st.sampled_from(["", " ", "   ", "\t"])) + lines[index].lstrip()
    elif kind == "replace" and lines:
        line = lines[index]
        start = data.draw(st.integers(0, len(line)))
        lines[index] = line[:start] + data.draw(JUNK) + line[start + 1:]
    return "".join(lines)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(product=st.sampled_from(PRODUCTS), data=st.data())
def test_damaged_product_files_give_diagnostics_not_crashes(tmp_path_factory, product, data):
    root = tmp_path_factory.mktemp("content")
    shutil.copytree(ROOT / "rules", root / "rules")
    shutil.copytree(ROOT / "products", root / "products")
    shutil.copytree(ROOT / "gemeenten", root / "gemeenten")
    original = product.read_text(encoding="utf-8")
    damaged = mutate(original, data)
    (root / "products" / product.name).write_text(damaged, encoding="utf-8")
    catalog, diagnostics = load_catalog(root, today=dt.date(2026, 11, 26))
    for diagnostic in diagnostics:
        assert diagnostic.path == f"products/{product.name}"
        assert diagnostic.line >= 1 and diagnostic.column >= 1
        assert diagnostic.code[0] in "EWI" and diagnostic.message
        if diagnostic.code.startswith(("E1", "I")):  # file, YAML and schema errors and notes: Dutch, with a hint
            assert diagnostic.hint, str(diagnostic)
            assert not ENGLISH.search(diagnostic.message + " " + diagnostic.hint), str(diagnostic)
    if catalog is None:
        assert any(d.is_error for d in diagnostics)
