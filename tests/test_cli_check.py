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


def test_one_run_shows_a_syntax_error_and_another_file_s_wrong_example_with_a_summary(tmp_path, monkeypatch):
    result = run_check(build_tree(tmp_path, "b-a-syntax-error-and-a-wrong-example", "together"), monkeypatch)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("products/minimapas.yaml:3:11: E100 YAML-fout: de [ op deze regel wordt niet gesloten")
    assert lines[1] == ("products/minimapas.yaml:1:1: I100 niet gecontroleerd door de fouten in dit bestand: de "
                        "voorbeelden van kindpakket (los eerst de fouten in dit bestand op en voer catalogus check "
                        "opnieuw uit)")
    assert lines[2].startswith("products/zwemles.yaml:24:15: E501 voorbeeld 'Zestien jaar' geeft not_eligible")
    assert lines[-1] == "2 fouten in 2 bestanden, 1 opmerking."


def test_the_summary_counts_in_dutch(tmp_path, monkeypatch):
    result = run_check(build_tree(tmp_path, "E201-unknown-question"), monkeypatch)
    assert result.output.splitlines()[-1] == "1 fout in 1 bestand, 1 opmerking."
