"""`catalogus check` prints every problem as path:line:col: CODE message (hint) and sets the exit code."""

from __future__ import annotations

from click.testing import CliRunner

from catalogus.cli import main
from tests.test_catalog_check import CONTENT, build_tree


def run_check(root, monkeypatch):
    monkeypatch.setenv("CATALOGUS_TODAY", "2026-11-26")
    return CliRunner().invoke(main, ["check", "--root", str(root)])


def test_clean_content_exits_0(monkeypatch):
    result = run_check(CONTENT / "base", monkeypatch)
    assert result.exit_code == 0, result.output
    assert "In orde: 1 product, " in result.output


def test_errors_are_all_printed_and_exit_1(tmp_path, monkeypatch):
    root = build_tree(tmp_path, "E201-unknown-question")
    (root / "products" / "tweede.yaml").write_text("titel: x\nsoort: provisie\n", encoding="utf-8")
    result = run_check(root, monkeypatch)
    assert result.exit_code == 1
    assert "products/minimapas.yaml:26:15: E201 onbekende vraag 'netto_inkomn' (bedoelde u 'netto_inkomen'?)" in result.output
    assert "products/tweede.yaml:2:8: E104" in result.output


def test_an_overdue_review_date_warns_but_exits_0(tmp_path, monkeypatch):
    result = run_check(build_tree(tmp_path, "W601-review-date"), monkeypatch)
    assert result.exit_code == 0
    assert "W601 herzien vóór 2026-01-01" in result.output
