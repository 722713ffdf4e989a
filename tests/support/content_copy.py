"""A private copy of the shipped content (products/, rules/ and gemeenten/) that a test may change and break."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def copy_content(target: Path) -> Path:
    """Copy products/, rules/ and gemeenten/ into ``target`` and return it."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("products", "rules", "gemeenten"):
        shutil.copytree(ROOT / name, target / name)
    return target


def product_file(root: Path, product_id: str) -> Path:
    return root / "products" / f"{product_id}.yaml"


def set_title(root: Path, product_id: str, old: str, new: str) -> None:
    """Change a product's title on disk the way an editor would (write in place)."""
    file = product_file(root, product_id)
    text = file.read_text(encoding="utf-8")
    assert f"titel: {old}\n" in text
    file.write_text(text.replace(f"titel: {old}\n", f"titel: {new}\n", 1), encoding="utf-8")
