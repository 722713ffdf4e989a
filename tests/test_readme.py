"""The README documents every setting and the two commands."""

from __future__ import annotations

from pathlib import Path

from catalogus.settings import documented_settings

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_in_the_readme_with_its_help():
    for name, _default, help_text in documented_settings():
        line = next((line for line in README.splitlines() if f"`{name}`" in line), None)
        assert line is not None, f"{name} is missing from README.md"
        assert help_text in line, f"README.md describes {name} differently from settings.py"


def test_the_two_commands_are_documented():
    assert "make run" in README and "make test" in README


def test_every_cli_command_is_in_the_readme():
    from catalogus.cli import main

    for name in main.commands:
        assert f"`catalogus {name}" in README, f"catalogus {name} is missing from README.md"
