"""Write one section of docs/performance.md, the single report of every benchmark."""

from __future__ import annotations

from pathlib import Path

PERFORMANCE_MD = Path(__file__).resolve().parent.parent / "docs" / "performance.md"


def write_section(path: Path, title: str, body: str) -> None:
    """Replace (or add) the section '## title', keeping the blank line before the next heading."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Prestaties\n"
    start = text.find(f"## {title}\n")
    block = f"## {title}\n\n{body}\n"
    if start == -1:
        text = text.rstrip("\n") + "\n\n" + block
    else:
        end = text.find("\n## ", start + 1)
        text = text[:start] + block + (text[end:] if end != -1 else "")
    path.write_text(text, encoding="utf-8")
