"""--reveal says what it reveals: on aid commands and the audit, recipients' names and
addresses as well as phones and ID numbers."""

import pytest
from typer.testing import CliRunner

from cbtool.cli import app


@pytest.mark.parametrize("command", [["aid", "show"], ["aid", "list"]])
def test_aid_reveal_names_what_it_shows(command):
    out = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": "200"}).output
    assert "姓名、住址、电话和身份证号" in out


def test_audit_reveal_names_aid_recipients():
    out = CliRunner().invoke(app, ["audit", "--help"], env={"COLUMNS": "200"}).output
    assert "困难对象的姓名、住址" in out


def test_members_reveal_unchanged():
    out = CliRunner().invoke(app, ["members", "list", "--help"], env={"COLUMNS": "200"}).output
    assert "完整显示电话和身份证号" in out and "住址" not in out
