"""click's own words (Usage, Options, Show this message and exit, its error messages) in Dutch.

click asks ``gettext`` for every word of its frame but ships no Dutch catalogue, and
people who run and edit the catalogue read Dutch. ``install()`` gives click's modules a
translating ``_`` and ``ngettext``; it must run before the first ``click.Path`` is made,
because a path type takes its name (shown as MAP or BESTAND) when it is created.
Texts not listed here stay as click wrote them; tests/test_cli_help.py reads every
``--help`` and fails on English.
"""

from __future__ import annotations

import importlib

import click

WORDS = {
    "Usage:": "Gebruik:",
    "Options": "Opties",
    "Commands": "Commando's",
    "Positional arguments": "Argumenten",
    "Show this message and exit.": "Toon deze uitleg en stop.",
    "Show the version and exit.": "Toon de versie en stop.",
    "default: {default}": "standaard: {default}",
    "env var: {var}": "omgevingsvariabele: {var}",
    "(dynamic)": "(wisselt)",
    "deprecated": "verouderd",
    "required": "verplicht",
    "Aborted!": "Afgebroken.",
    "Missing command.": "Er ontbreekt een commando.",
    "Error: {message}": "Fout: {message}",
    "Try '{command} {option}' for help.": "Zie '{command} {option}' voor uitleg.",
    "Invalid value: {message}": "Ongeldige waarde: {message}",
    "Invalid value for {param_hint}: {message}": "Ongeldige waarde voor {param_hint}: {message}",
    "Missing argument": "Er ontbreekt een argument",
    "Missing option": "Er ontbreekt een optie",
    "Missing parameter": "Er ontbreekt een waarde",
    "Missing {param_type}": "Er ontbreekt een {param_type}",
    "Missing parameter: {param_name}": "Er ontbreekt een waarde: {param_name}",
    "argument": "argument",
    "option": "optie",
    "parameter": "waarde",
    "No such option {name!r}.": "Onbekende optie {name!r}.",
    "No such command {name!r}.": "Onbekend commando {name!r}.",
    "unknown error": "onbekende fout",
    "Could not open file {filename!r}: {message}": "Bestand {filename!r} kan niet worden geopend: {message}",
    "Option {name!r} does not take a value.": "Optie {name!r} heeft geen waarde.",
    "Argument {name!r} takes {nargs} values.": "Argument {name!r} heeft {nargs} waarden.",
    "Choose from:\n\t{choices}": "Kies uit:\n\t{choices}",
    "{value!r} is not a valid {number_type}.": "{value!r} is geen geldig {number_type}.",
    "integer": "geheel getal",
    "float": "getal",
    "{value} is not in the range {range}.": "{value} valt buiten {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}":
        "{value!r} is geen ja/nee-waarde. Mogelijk: {states}",
    "file": "bestand",
    "directory": "map",
    "path": "pad",
    "{name} {filename!r} does not exist.": "{name} {filename!r} bestaat niet.",
    "{name} {filename!r} is a file.": "{name} {filename!r} is een bestand.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} is een map.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} kan niet worden gelezen.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} kan niet worden geschreven.",
    "Repeat for confirmation": "Nogmaals ter bevestiging",
    "Error: The two entered values do not match.": "Fout: de twee waarden zijn niet gelijk.",
    "Error: invalid input": "Fout: ongeldige invoer",
    "Do you want to continue?": "Wilt u doorgaan?",
    "Confirm the action without prompting.": "Bevestig zonder te vragen.",
}
PLURALS = {
    "Got unexpected extra argument ({args})": ("Onverwacht extra argument ({args})",
                                               "Onverwachte extra argumenten ({args})"),
    "Option {name!r} requires an argument.": ("Optie {name!r} heeft een waarde nodig.",
                                              "Optie {name!r} heeft {nargs} waarden nodig."),
    "Did you mean {possibility}?": ("Bedoelde u {possibility}?", "(Bedoelde u een van: {possibilities}?)"),
    "{value!r} is not {choice}.": ("{value!r} is niet {choice}.", "{value!r} is niet een van {choices}."),
}
_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "types", "termui")


def translate(message: str) -> str:
    """click's English text in Dutch (unchanged when we have no translation).

    >>> translate("Usage:"), translate("something new")
    ('Gebruik:', 'something new')
    """
    return WORDS.get(message, message)


def translate_plural(singular: str, plural: str, count: int) -> str:
    forms = PLURALS.get(singular)
    if forms is None:
        return singular if count == 1 else plural
    return forms[0] if count == 1 else forms[1]


def install() -> None:
    """Let click's modules speak Dutch (idempotent)."""
    for name in _MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = translate
        if hasattr(module, "ngettext"):
            module.ngettext = translate_plural


_TYPE_METAVARS = {"text": "TEKST", "integer": "GETAL", "integer range": "GETAL", "float": "GETAL",
                  "float range": "GETAL"}


def localise(command) -> None:
    """Dutch placeholders in the usage line and for options without their own metavar, in the whole tree."""
    command.options_metavar = "[OPTIES]"
    if hasattr(command, "subcommand_metavar"):
        command.subcommand_metavar = "COMMANDO [ARGUMENTEN]..."
    for param in command.params:
        if isinstance(param, click.Option) and param.metavar is None and getattr(param.type, "name", "") in _TYPE_METAVARS:
            param.metavar = _TYPE_METAVARS[param.type.name]
    for sub in getattr(command, "commands", {}).values():
        localise(sub)
