"""Domain messages name parameters, not flags: the command line spells them as its flags,
Python as keyword arguments (issue: a house simple to change)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import cbtool
from cbtool import text
from cbtool.checklist import NOTHING_TO_RECORD
from cbtool.layout import NOT_GRID

PACKAGE = Path(cbtool.__file__).parent
FLAG = re.compile(r"(?<![\w-])--[a-z]")


def _msg_literals(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Msg":
            for arg in node.args:
                for part in ast.walk(arg):
                    if isinstance(part, ast.Constant) and isinstance(part.value, str):
                        yield part.lineno, part.value


def test_no_domain_message_spells_a_flag():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "cli" in path.relative_to(PACKAGE).parts:
            continue
        for line, value in _msg_literals(path):
            if FLAG.search(value):
                found.append(f"{path.relative_to(PACKAGE)}:{line}: {value}")
    assert not found, "\n".join(found)


@pytest.fixture
def python_spelling():
    saved = text._OPTION_SPELLING[0]
    text.spell_options(lambda name: f"{name}=")
    yield
    text.spell_options(saved)


def test_from_python_a_message_names_the_keyword(python_spelling):
    assert NOTHING_TO_RECORD.render("zh") == "请用 ok=（具备）和/或 missing=（缺）列出检查的项目"
    assert "header_row= and sheet=" in NOT_GRID.render("en")


def test_the_command_line_names_its_flags(seeded):
    result = seeded("checklist", "record", "A01")
    assert result.exit_code == 1
    assert "请用 --ok（具备）和/或 --missing（缺）列出检查的项目" in result.stderr


def test_a_parameter_the_message_is_given_wins():
    assert text.Msg("用 {opt_db}", "use {opt_db}").render("en", opt_db="--database") == \
        "use --database"
