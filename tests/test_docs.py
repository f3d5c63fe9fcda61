"""Docs that cannot drift: every command and option has help text, every command and
option is in the README's command reference (generated from ``--help`` by cog), and the
docs link nothing outside the repository.

The command tree is walked here on its own (not with the README's generator), so a
generator that skipped a command would be caught."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from urllib.parse import unquote

import pytest
import typer
import typer.main

from cbtool.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = [README, *sorted((ROOT / "docs").glob("*.md"))]


def command_tree():
    """(``cbtool members add``, command) for the root and every visible command below it,
    depth first, in the order the help lists them."""
    found = []

    def walk(command, path):
        found.append((" ".join(path), command))
        if hasattr(command, "list_commands"):
            ctx = typer.Context(command, info_name=path[-1])
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                if not sub.hidden:
                    walk(sub, [*path, name])

    walk(typer.main.get_command(app), ["cbtool"])
    return found


COMMANDS = command_tree()
PARAMS = [(path, param) for path, command in COMMANDS for param in command.params
          if not getattr(param, "hidden", False)]


def param_id(item) -> str:
    path, param = item
    return f"{path} {param.opts[0] if param.param_type_name == 'option' else param.name}"


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[p for p, _ in COMMANDS])
def test_every_command_has_help(path, command):
    assert (command.help or "").strip(), f"{path}: no help text (docstring or help=)"


@pytest.mark.parametrize("item", PARAMS, ids=[param_id(i) for i in PARAMS])
def test_every_option_and_argument_has_help(item):
    path, param = item
    assert (getattr(param, "help", None) or "").strip(), f"{param_id(item)}: no help="


# --- the generated reference ----------------------------------------------------------

def reference_blocks() -> dict[str, str]:
    """``{"cbtool members add": its --help text}`` from the cog section of the README,
    in the README's order."""
    text = README.read_text(encoding="utf-8")
    start = text.find("<!-- [[[cog")
    end = text.find("<!-- [[[end]]] -->")
    assert 0 <= start < end, "README.md has no cog-generated command reference"
    generated = text[text.index("]]] -->", start) + len("]]] -->"):end]
    blocks = re.findall(r"^### (cbtool[^\n]*)\n\n```\n(.*?)\n```$", generated, re.M | re.S)
    return dict(blocks)


def test_reference_is_in_the_order_of_the_command_tree():
    documented = list(reference_blocks())
    commands = [path for path, _ in COMMANDS]
    assert documented == commands, (
        f"missing: {sorted(set(commands) - set(documented))}, "
        f"stale: {sorted(set(documented) - set(commands))} — run `cog -r README.md`")


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[p for p, _ in COMMANDS])
def test_every_command_and_option_is_in_the_reference(path, command):
    block = reference_blocks().get(path)
    assert block is not None, f"{path} is not in the README's reference: run `cog -r README.md`"
    assert block.startswith(f"用法：{path} "), block.splitlines()[0]
    for param in command.params:
        if param.param_type_name == "option" and not param.hidden:
            assert re.search(rf"(?<![\w-]){re.escape(param.opts[0])}(?![\w-])", block), (
                f"{path} {param.opts[0]} is not in the README's reference")


# --- links ------------------------------------------------------------------------------

def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces → ``-``."""
    heading = heading.strip().lower()
    kept = "".join(ch for ch in heading
                   if ch in " -_" or unicodedata.category(ch)[0] in "LNM")
    return kept.replace(" ", "-")


def prose(text: str) -> str:
    """The Markdown without what is never a link: fenced blocks, HTML comments, code spans."""
    text = re.sub(r"^```.*?^```", "", text, flags=re.M | re.S)
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    return re.sub(r"`[^`\n]*`", "", text)


def links(text: str) -> list[str]:
    body = prose(text)
    inline = re.findall(r"\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)", body)
    defined = re.findall(r"^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", body, re.M)
    html = re.findall(r"""(?:href|src)\s*=\s*["']([^"']*)["']""", body)
    return inline + defined + html


def anchors(text: str) -> set[str]:
    return {slug(h) for h in re.findall(r"^#{1,6}\s+(.*?)\s*#*\s*$", prose(text), re.M)}


def test_the_link_scanner_sees_links():
    sample = ("[a](x.md) ![c](img.png \"title\") `[no](code.md)` [e](#top)\n"
              "[d]: ../ref.md\n<a href=\"http://e\">e</a>\n```\n[no](fenced.md)\n```\n")
    assert links(sample) == ["x.md", "img.png", "#top", "../ref.md", "http://e"]
    assert slug("Summary and reports for cron") == "summary-and-reports-for-cron"
    assert slug("第一天（init、录入）") == "第一天init录入"


@pytest.mark.parametrize("doc", DOCS, ids=[d.name for d in DOCS])
def test_docs_link_only_inside_the_repository(doc):
    text = doc.read_text(encoding="utf-8")
    bad = []
    for link in links(text):
        target, _, fragment = unquote(link).partition("#")
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith(("/", "\\")):
            bad.append(f"{link}: outside the repository")
            continue
        path = (doc.parent / target).resolve() if target else doc
        if ROOT not in path.parents and path != ROOT:
            bad.append(f"{link}: outside the repository")
        elif not path.exists():
            bad.append(f"{link}: no such file")
        elif fragment and path.suffix == ".md" and \
                fragment not in anchors(path.read_text(encoding="utf-8")):
            bad.append(f"{link}: no such heading")
    assert not bad, f"{doc.name}: " + "; ".join(bad)


def test_readme_links_the_user_guide():
    assert "docs/使用说明.md" in links(README.read_text(encoding="utf-8"))
