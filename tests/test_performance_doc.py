"""docs/performance.md stays the one place for every benchmark: each script and each section is in its overview."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "performance.md").read_text(encoding="utf-8")
# imported or run by benchmarks, not benchmarks themselves
HELPERS = {"__init__.py", "check_of_tree.py", "load_report.py", "load_server.py", "report.py"}


def _overview() -> str:
    start = DOC.index("## Machine en hoe te meten")
    return DOC[start:DOC.index("\n## ", start + 1)]


def _anchor(title: str) -> str:
    return re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-")


def test_every_benchmark_script_has_its_command_in_the_overview():
    scripts = sorted(p.name for p in (ROOT / "bench").glob("*.py") if p.name not in HELPERS)
    missing = [name for name in scripts if f"bench/{name}" not in _overview()]
    assert missing == []


def test_every_section_is_linked_from_the_overview_table():
    sections = [line[3:].strip() for line in DOC.splitlines() if line.startswith("## ")]
    links = set(re.findall(r"\]\(#([^)]+)\)", _overview()))
    assert [s for s in sections if s != "Machine en hoe te meten" and _anchor(s) not in links] == []
