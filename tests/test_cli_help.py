"""Every `--help` of the command line, and click's own error messages, are Dutch."""

from __future__ import annotations

import re

import click
import pytest
from click.testing import CliRunner

from catalogus.cli import main

# click's English frame, and its type names as placeholders
ENGLISH = re.compile(r"Usage:|Options:|Commands:|Show this message|\[default|\brequired\b|\bTEXT\b|\bINTEGER\b|"
                     r"\bDIRECTORY\b|\bFILE\b|\bPATH\b|\[OPTIONS\]|COMMAND \[ARGS\]|\bUSERNAME\b|PRODUCT_ID")


def every_command(group: click.Group, path: tuple[str, ...] = ()):
    for name, command in sorted(group.commands.items()):
        yield path + (name,), command
        if isinstance(command, click.Group):
            yield from every_command(command, path + (name,))


COMMANDS = [((), main), *every_command(main)]


@pytest.mark.parametrize("path, command", COMMANDS, ids=[" ".join(p) or "catalogus" for p, _c in COMMANDS])
def test_the_help_of_every_command_is_dutch_and_explains_every_option(path, command):
    result = CliRunner().invoke(main, [*path, "--help"], prog_name="catalogus")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Gebruik: catalogus {' '.join(path)}".rstrip() + " [OPTIES]"), result.output
    assert not ENGLISH.search(result.output), result.output
    assert "Toon deze uitleg en stop." in result.output
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, f"{' '.join(path)} {param.opts[0]} has no help text"


def test_clicks_own_error_messages_are_dutch():
    missing = CliRunner().invoke(main, ["users", "add", "kees"], prog_name="catalogus")
    assert missing.exit_code == 2
    assert "Fout: Er ontbreekt een optie '--name'." in missing.output
    assert "Zie 'catalogus users add --help' voor uitleg." in missing.output
    typo = CliRunner().invoke(main, ["chek"])
    assert "Onbekend commando 'chek'. Bedoelde u 'check'?" in typo.output
    out_of_range = CliRunner().invoke(main, ["serve", "--port", "0"])
    assert "Ongeldige waarde voor '--port': 0 valt buiten 1<=x<=65535." in out_of_range.output
