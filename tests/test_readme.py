"""The README documents every setting and the two commands."""

from __future__ import annotations

from pathlib import Path

from catalogus.settings import documented_settings

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_in_the_readme_with_its_help():
    for name, _default, help_text in documented_settings():
        line = next((line for line in README.splitlines() if line.startswith(f"| `{name}` |")), None)  # the table row
        assert line is not None, f"{name} is missing from README.md"
        assert help_text in line, f"README.md describes {name} differently from settings.py"


def test_the_two_commands_are_documented():
    assert "make run" in README and "make test" in README


def test_every_cli_command_is_in_the_readme():
    from catalogus.cli import main

    for name in main.commands:
        assert f"`catalogus {name}" in README, f"catalogus {name} is missing from README.md"


def test_the_staff_section_names_every_role_and_the_login_page():
    from catalogus.casework.accounts import ROLES

    section = README.split("## Voor medewerkers", 1)[1].split("\n## ", 1)[0]
    assert "`/medewerkers/inloggen`" in section
    for role in ROLES:
        assert f"`{role}`" in section, f"role {role} is not explained in the README's 'Voor medewerkers'"
    for command in ("catalogus users add", "--password-stdin", "catalogus users list", "catalogus users disable",
                    "catalogus users reset-password", "--reset-totp", "make demo"):
        assert command in section, command


def test_the_password_rule_and_the_example_password_in_the_readme_match_the_code():
    import re

    from catalogus.casework.accounts import PASSWORD_MIN_LENGTH, password_problems

    section = README.split("## Voor medewerkers", 1)[1].split("\n## ", 1)[0]
    assert f"minstens {PASSWORD_MIN_LENGTH} tekens lang" in section
    example = re.search(r"printf '%s\\n' '([^']+)' \| \.venv/bin/catalogus users add (\S+) ", section)
    assert example, "the README shows how to pipe a password into users add"
    assert password_problems(example.group(1), example.group(2)) == []


def test_the_readme_links_the_editor_docs_and_no_link_leaves_the_repository():
    import re

    root = Path(__file__).resolve().parent.parent
    assert "(docs/editors.md)" in README and "(docs/content-format.md)" in README
    for path in (root / "README.md", root / "docs" / "content-format.md", root / "docs" / "editors.md"):
        text = path.read_text(encoding="utf-8")
        assert "../shared" not in text, path
        for target in re.findall(r"\]\(([^)#]+)[^)]*\)", text):
            if not target.startswith(("http://", "https://")):
                linked = (path.parent / target).resolve()
                assert linked.is_relative_to(root) and linked.exists(), (path.name, target)


def test_make_help_lists_every_target_in_dutch():
    import re
    import subprocess

    root = Path(__file__).resolve().parent.parent
    shown = subprocess.run(["make", "-s", "help"], cwd=root, capture_output=True, text=True, check=True).stdout
    phony = re.search(r"^\.PHONY: (.+)$", (root / "Makefile").read_text(encoding="utf-8"), re.MULTILINE).group(1)
    for target in set(phony.split()) - {"help", "test-deps"}:
        assert re.search(rf"^make {target}\b", shown, re.MULTILINE), f"make help does not explain make {target}"
    assert not re.search(r"\b(the|and|every|create|remove|throwaway)\b", shown), shown
