"""`catalogus new product` writes a complete, commented file; `catalogus fmt` tidies YAML and keeps comments."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from catalogus.catalog import load_catalog
from catalogus.cli import main
from catalogus.models import ProductFile
from catalogus.scaffold import ScaffoldError, format_files, format_text, new_product
from catalogus.yamlio import load_yaml_file

ROOT = Path(__file__).resolve().parent.parent
BASE = Path(__file__).parent / "content" / "base"
TODAY = dt.date(2026, 11, 26)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(BASE, target)
    return target


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), env={"CATALOGUS_TODAY": "2026-11-26"})


# ---------------------------------------------------------------- new product

def test_a_new_product_has_every_field_with_a_comment_and_the_schema_line(root):
    path = new_product(root, "nieuwe-regeling", today=TODAY)
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../schema/product.schema.json"
    loaded = load_yaml_file(path)
    assert loaded.ok
    fields = {info.alias or name for name, info in ProductFile.model_fields.items()}
    assert set(loaded.data) == fields
    lines = text.splitlines()
    for field in fields:  # every top-level field is explained by a comment just above it
        index = next(i for i, line in enumerate(lines) if line.startswith(f"{field}:"))
        assert lines[index - 1].startswith("#") or lines[index - 1].endswith(":"), field
    assert loaded.data["herzien_voor"] == dt.date(2027, 11, 26)


def test_a_fresh_scaffold_gives_clear_diagnostics_for_what_is_left_to_fill_in(root):
    new_product(root, "nieuwe-regeling", today=TODAY)
    catalog, diagnostics = load_catalog(root, today=TODAY)
    assert catalog is None
    assert diagnostics and all(d.path == "products/nieuwe-regeling.yaml" for d in diagnostics)
    messages = " | ".join(d.message for d in diagnostics)
    for field in ("titel", "soort", "domeinen", "samenvatting", "wat_krijgt_u", "stappen", "kosten", "naam", "wet",
                  "eigenaar"):
        assert f"'{field}'" in messages, field
    assert "een voorwaarde begint met" in messages
    assert {d.code for d in diagnostics} <= {"E103", "E104"}
    assert "None" not in messages  # an empty field is called empty, not 'None'
    assert "'soort' is leeg" in messages
    assert all(d.hint for d in diagnostics), [str(d) for d in diagnostics if not d.hint]
    lines = (root / "products/nieuwe-regeling.yaml").read_text(encoding="utf-8").splitlines()
    for diagnostic in diagnostics:  # each points at the line of the empty field, not at the comment below it
        field = diagnostic.message.split("'")[1] if "'" in diagnostic.message else "voorwaarden"
        assert lines[diagnostic.line - 1].lstrip().startswith(f"{field}:"), (str(diagnostic), lines[diagnostic.line - 1])


def fill_in_as_instructed(text: str) -> str:
    """What an editor does who follows the comments and nothing else.

    'Bijvoorbeeld: X' in the comment above an empty field fills it with X; a comment
    ending in 'Bijvoorbeeld:' is followed by a commented example block, which
    replaces the empty field it shows.
    """
    out: list[str] = []
    example: str | None = None
    block: list[str] | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            comment = stripped.lstrip("#").strip()
            if block is not None:
                block.append(line.split("# ", 1)[1])
            elif comment.endswith("Bijvoorbeeld:"):
                block = []
            elif "Bijvoorbeeld: " in comment:
                example = comment.rsplit("Bijvoorbeeld: ", 1)[1]
            out.append(line)
            continue
        indent, key, value = (line[:len(line) - len(line.lstrip())], *line.strip().partition(":")[::2])
        if block is not None:
            out.extend(indent + item for item in block)
        elif example is not None and value.strip() in ("", "[]"):
            out.append(f"{indent}{key}: {example}")
        else:
            out.append(line)
        example, block = None, None
    return "\n".join(out) + "\n"


def test_a_scaffold_filled_in_as_its_comments_say_passes_the_check(root):
    path = new_product(root, "nieuwe-regeling", today=TODAY)
    path.write_text(fill_in_as_instructed(path.read_text(encoding="utf-8")), encoding="utf-8")
    catalog, diagnostics = load_catalog(root, today=TODAY)
    assert [str(d) for d in diagnostics] == []
    product = catalog.products["nieuwe-regeling"]
    assert product.title == "Bijzondere bijstand"
    assert product.content.contact.telefoon == "14 0555"
    assert [example.naam for example in product.content.voorbeelden] == ["Laag inkomen"]


def test_a_filled_in_scaffold_passes_the_check(root):
    path = new_product(root, "nieuwe-regeling", today=TODAY)
    filled = path.read_text(encoding="utf-8")
    for old, new in [
        ("\ntitel:\n", "\ntitel: Nieuwe regeling\n"),
        ("\nsoort:\n", "\nsoort: collective\n"),
        ("\ndomeinen: []\n", "\ndomeinen: [geld]\n"),
        ("\nsamenvatting:\n", "\nsamenvatting: Een regeling voor inwoners met een laag inkomen.\n"),
        ("\nwat_krijgt_u:\n", "\nwat_krijgt_u: Hulp bij het rondkomen.\n"),
        ("\n  stappen: []\n", "\n  stappen: [Bel ons.]\n"),
        ("\nkosten:\n", "\nkosten: Gratis.\n"),
        ("\n  naam:\n", "\n  naam: Team Inkomen\n"),
        ("\n  telefoon:\n", "\n  telefoon: \"14 0555\"\n"),
        ("\n  wet:\n", "\n  wet: Participatiewet\n"),
        ("\n  bron:\n", "\n  bron: https://wetten.overheid.nl/BWBR0015703\n"),
        ("\nvoorwaarden:\n", "\nvoorwaarden: {regel: inwoner}\n"),
        ("\neigenaar:\n", "\neigenaar: Team Inkomen\n"),
    ]:
        assert old in filled, old
        filled = filled.replace(old, new, 1)
    path.write_text(filled, encoding="utf-8")
    catalog, diagnostics = load_catalog(root, today=TODAY)
    assert catalog is not None, [str(d) for d in diagnostics]
    assert catalog.products["nieuwe-regeling"].title == "Nieuwe regeling"


@pytest.mark.parametrize("bad", ["Nieuwe_Regeling", "nieuw--product", "-nieuw", "nieuw.yaml", "../buiten", ""])
def test_invalid_ids_are_refused(root, bad):
    with pytest.raises(ScaffoldError, match="geen geldig product-id"):
        new_product(root, bad, today=TODAY)
    assert sorted(p.name for p in (root / "products").iterdir()) == ["minimapas.yaml"]


def test_an_existing_product_is_never_overwritten(root):
    before = (root / "products/minimapas.yaml").read_text(encoding="utf-8")
    with pytest.raises(ScaffoldError, match="bestaat al"):
        new_product(root, "minimapas", today=TODAY)
    assert (root / "products/minimapas.yaml").read_text(encoding="utf-8") == before


def test_the_command_creates_the_file_and_refuses_twice(root):
    first = invoke("new", "product", "buurtbus", "--root", str(root))
    assert first.exit_code == 0, first.output
    assert (root / "products/buurtbus.yaml").exists()
    second = invoke("new", "product", "buurtbus", "--root", str(root))
    assert second.exit_code == 1
    assert "bestaat al" in second.output
    bad = invoke("new", "product", "Buurt Bus", "--root", str(root))
    assert bad.exit_code == 1 and "geen geldig product-id" in bad.output


def test_the_scaffold_is_already_formatted(root):
    path = new_product(root, "nieuwe-regeling", today=TODAY)
    text = path.read_text(encoding="utf-8")
    assert format_text(text)[0] == text


# ---------------------------------------------------------------- fmt

MESSY = """\
# yaml-language-server: $schema=../schema/product.schema.json
titel:   Minimapas   # de naam
soort: provision
domeinen: [geld,  zorg]
aanvragen:
    stappen:
    - 'Vraag de pas aan.'
    - "Wacht op de brief."
samenvatting: >-
  Een lange zin die over
  twee regels gaat.
contact:
      naam: Team Inkomen
      telefoon: "14 0555"
"""

TIDY = """\
# yaml-language-server: $schema=../schema/product.schema.json
titel: Minimapas     # de naam
soort: provision
domeinen: [geld, zorg]
aanvragen:
  stappen:
    - 'Vraag de pas aan.'
    - "Wacht op de brief."
samenvatting: >-
  Een lange zin die over
  twee regels gaat.
contact:
  naam: Team Inkomen
  telefoon: "14 0555"
"""


def test_fmt_normalises_indentation_and_keeps_comments_quotes_and_line_breaks():
    formatted, problems = format_text(MESSY)
    assert problems == []
    assert formatted == TIDY


def test_fmt_is_idempotent_on_every_shipped_file():
    for file in sorted((ROOT / "products").glob("*.yaml")) + sorted((ROOT / "rules").glob("*.yaml")):
        text = file.read_text(encoding="utf-8")
        once, problems = format_text(text, str(file))
        assert problems == [], file
        assert format_text(once)[0] == once, file


def test_fmt_changes_nothing_in_the_shipped_content():
    results = format_files([ROOT / "products", ROOT / "rules"], write=False)
    assert [str(r.path) for r in results if r.changed or r.diagnostics] == []
    assert len(results) == len(list((ROOT / "products").glob("*.yaml"))) + len(list((ROOT / "rules").glob("*.yaml")))


def test_fmt_check_lists_files_that_would_change_and_changes_nothing(root):
    messy = root / "products/messy.yaml"
    messy.write_text(MESSY, encoding="utf-8")
    result = invoke("fmt", "--check", "--root", str(root))
    assert result.exit_code == 1
    assert f"zou veranderen: {messy}" in result.output
    assert "minimapas" not in result.output.split("bestanden")[0].replace(str(root), "")
    assert messy.read_text(encoding="utf-8") == MESSY


def test_fmt_writes_the_tidy_version_and_then_check_passes(root):
    messy = root / "products/messy.yaml"
    messy.write_text(MESSY, encoding="utf-8")
    assert invoke("fmt", str(messy)).exit_code == 0
    assert messy.read_text(encoding="utf-8") == TIDY
    assert invoke("fmt", "--check", "--root", str(root)).exit_code == 0
    assert not list((root / "products").glob(".*"))  # no temporary file left behind


def test_fmt_refuses_broken_or_hostile_yaml_without_touching_it(root):
    broken = root / "products/kapot.yaml"
    broken.write_text("titel: [\n", encoding="utf-8")
    hostile = root / "products/aanval.yaml"
    hostile.write_text("a: &a [1, 2]\nb: *a\n", encoding="utf-8")
    result = invoke("fmt", "--root", str(root))
    assert result.exit_code == 1
    assert "kapot.yaml:" in result.output and "E100" in result.output
    assert "niet opgemaakt: " in result.output and ") (" not in result.output  # the hint's brackets stay the only ones
    assert "aanval.yaml:" in result.output and "E121" in result.output
    assert broken.read_text(encoding="utf-8") == "titel: [\n"
    assert hostile.read_text(encoding="utf-8") == "a: &a [1, 2]\nb: *a\n"


def test_fmt_show_diff(root):
    messy = root / "products/messy.yaml"
    messy.write_text(MESSY, encoding="utf-8")
    result = invoke("fmt", "--check", "--diff", str(messy))
    assert "-titel:   Minimapas   # de naam" in result.output
    assert "+titel: Minimapas     # de naam" in result.output  # a comment keeps its column
