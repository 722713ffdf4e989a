"""docs/security.md names a test for every control: each one exists (a renamed test breaks this, not the doc)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
REFERENCES = re.findall(r"`(tests/[\w/]+\.py)::(test_\w+)`", DOC)


def test_the_security_doc_names_tests_for_its_controls():
    assert len(REFERENCES) >= 60
    rows = [line for line in DOC.splitlines() if line.startswith("| ") and not line.startswith(("| maatregel", "|---"))]
    assert all("`tests/" in row for row in rows), [row for row in rows if "`tests/" not in row]


def test_every_test_the_security_doc_names_exists():
    missing = []
    for path, name in REFERENCES:
        tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
        names = {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
        if name not in names:
            missing.append(f"{path}::{name}")
    assert missing == []
