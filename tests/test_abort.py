"""A question answered with Ctrl-C or end of input says so in the user's language (Click's
own line is the English "Aborted!") and changes nothing."""

from __future__ import annotations

import json

import pytest

from cbtool.cli import common


@pytest.fixture
def asked(monkeypatch):
    monkeypatch.setattr(common, "stdin_is_terminal", lambda: True)


@pytest.mark.parametrize("lang,line", [("zh", "已中止"), ("en", "aborted")])
def test_end_of_input_at_the_question_aborts_in_the_users_language(seeded, asked, lang, line):
    result = seeded("--lang", lang, "members", "archive", "0001", "--reason", "迁出", input="")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1] == line
    assert "Aborted" not in result.stderr + result.stdout
    shown = json.loads(seeded.ok("members", "show", "0001", "--format", "json").stdout)
    assert shown["status"] == "active"


def test_no_at_the_question_is_not_an_abort(seeded, asked):
    result = seeded("members", "archive", "0001", "--reason", "迁出", input="n\n")
    assert "已中止" not in result.stderr
