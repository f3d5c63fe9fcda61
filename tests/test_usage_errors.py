"""Usage errors (exit 2) in the session's language: Chinese by default, English under
``--lang en`` or ``CBTOOL_LANG=en`` — the usage line, the "try --help" line and Click's own
reason, which keeps naming the option. All on stderr, no traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cbtool.cli.helptext import range_rule


def usage_error(cli, *args: str, env: dict | None = None) -> list[str]:
    result = cli(*args, db=False, env=env)
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    return result.stderr.splitlines()


@pytest.mark.parametrize(("args", "usage", "reason"), [
    (["members", "list", "--bogus"], "cbtool members list", "错误：没有选项 --bogus"),
    (["members", "list", "--limt", "3"], "cbtool members list",
     "错误：没有选项 --limt（是否要用 --limit？）"),
    (["report"], "cbtool report", "错误：缺少选项 --period / -p"),
    (["members", "lst"], "cbtool members", "错误：没有命令 lst（是否要用 list？）"),
    (["members", "list", "--limit", "0"], "cbtool members list",
     "错误：--limit / -n 的值无效：0，须不小于 1"),
    (["members", "list", "--limit", "abc"], "cbtool members list",
     "错误：--limit / -n 的值无效：'abc' 不是整数"),
    (["members", "list", "--age-min", "200"], "cbtool members list",
     "错误：--age-min 的值无效：200，须在 0 到 150 之间"),
    (["members", "export", "--format", "xml"], "cbtool members export",
     "错误：--format / -f 的值无效：'xml' 不是可选值，可选：csv、tsv、json、jsonl、xlsx"),
    (["members", "list", "extra"], "cbtool members list", "错误：多余的参数：extra"),
    (["members", "list", "--limit"], "cbtool members list", "错误：选项 --limit 需要一个值"),
    (["members", "list", "--all=3"], "cbtool members list", "错误：选项 --all 不带值"),
    (["members", "show"], "cbtool members show", "错误：缺少参数 NO"),
    (["--lang", "xx", "members", "list"], "cbtool", "错误：--lang 的值无效：应为 zh 或 en"),
])
def test_chinese_by_default(cli, args, usage, reason):
    lines = usage_error(cli, *args)
    assert lines[0].startswith(f"用法：{usage} ")
    assert lines[1] == f"运行 {usage} --help 查看帮助"
    assert lines[-1] == reason
    assert "Error" not in "\n".join(lines) and "Try" not in "\n".join(lines)


def test_a_commands_own_message_keeps_its_words_in_the_frame(cli):
    lines = usage_error(cli, "members", "export", "--format", "json", "--headings", "zh")
    assert lines[-1] == ("错误：--headings 的值无效：json/jsonl 始终使用英文键，"
                         "--headings zh 只用于 csv、tsv、xlsx")


@pytest.mark.parametrize(("args", "usage", "reason"), [
    (["members", "list", "--bogus"], "cbtool members list", "Error: No such option: --bogus"),
    (["members", "list", "--limt", "3"], "cbtool members list",
     "Error: No such option: --limt (did you mean --limit?)"),
    (["report"], "cbtool report", "Error: Missing option --period / -p."),
    (["members", "lst"], "cbtool members", "Error: No such command 'lst' (did you mean list?)"),
    (["members", "list", "--limit", "0"], "cbtool members list",
     "Error: Invalid value for --limit / -n: 0 (must be at least 1)"),
    (["members", "list", "--age-min", "200"], "cbtool members list",
     "Error: Invalid value for --age-min: 200 (must be between 0 and 150)"),
    (["members", "export", "--format", "xml"], "cbtool members export",
     "Error: Invalid value for --format / -f: 'xml' is not one of csv, tsv, json, jsonl, xlsx"),
    (["members", "list", "extra"], "cbtool members list",
     "Error: Got unexpected extra argument(s): extra"),
    (["members", "list", "--limit"], "cbtool members list",
     "Error: Option --limit requires a value."),
    (["--lang", "xx", "members", "list"], "cbtool",
     "Error: Invalid value for --lang: must be zh or en"),
])
def test_english_under_lang_en(cli, args, usage, reason):
    env = {"CBTOOL_LANG": "en"} if args[0] == "--lang" else None
    lines = usage_error(cli, *(args if env else ["--lang", "en", *args]), env=env)
    assert lines[0].startswith(f"Usage: {usage} ")
    assert lines[1] == f"Try '{usage} --help' for help."
    assert lines[-1] == reason
    assert not any(ch >= "\u3000" for ch in "\n".join(lines))


def test_cbtool_lang_en_says_it_in_english(cli):
    lines = usage_error(cli, "members", "list", "--bogus", env={"CBTOOL_LANG": "en"})
    assert lines[-1] == "Error: No such option: --bogus"


def test_a_tree_run_in_both_languages_says_each(cli):
    """The command tree is built once and run again (the tests, a Python caller)."""
    assert usage_error(cli, "--lang", "en", "report")[-1].startswith("Error: Missing option")
    assert usage_error(cli, "report")[-1] == "错误：缺少选项 --period / -p"


def test_ranges_as_a_person_reads_them():
    from typer._click.types import FloatRange, IntRange

    assert range_rule(IntRange(min=1, max=2**63 - 1), "zh") == "须不小于 1"
    assert range_rule(IntRange(min=1), "en") == "must be at least 1"
    assert range_rule(IntRange(max=9), "zh") == "须不大于 9"
    assert range_rule(IntRange(min=1, max=12), "zh") == "须在 1 到 12 之间"
    assert range_rule(FloatRange(min=0, min_open=True), "zh") == "须大于 0"
    assert range_rule(FloatRange(min=0, max=1, max_open=True), "en") == (
        "must be at least 0, must be less than 1")


def test_the_installed_command_says_it_on_stderr(tmp_path):
    exe = shutil.which("cbtool", path=str(Path(sys.executable).parent)) or shutil.which("cbtool")
    assert exe, "cbtool is not installed beside this Python"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CBTOOL_")}
    done = subprocess.run([exe, "members", "list", "--limit", "0"], capture_output=True,
                          text=True, encoding="utf-8", env=env, timeout=60)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines()[1:] == ["运行 cbtool members list --help 查看帮助", "",
                                            "错误：--limit / -n 的值无效：0，须不小于 1"]
    done = subprocess.run([exe, "--lang", "en", "members", "list", "--bogus"],
                          capture_output=True, text=True, encoding="utf-8", env=env, timeout=60)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines()[-1] == "Error: No such option: --bogus"
    assert "Traceback" not in done.stderr


def test_environment_variables_are_labelled_one_way(cli):
    """Click's own [环境变量：CBTOOL_DB] and the written ones of --config and --lang alike,
    a label never broken across lines."""
    zh = cli.ok("--help", db=False).stdout
    for name in ("CBTOOL_DB", "CBTOOL_CONFIG", "CBTOOL_LANG", "CBTOOL_OPERATOR"):
        assert f"[环境变量：{name}]" in zh
    assert "[环境变量 " not in zh
    en = cli.ok("--lang", "en", "--help", db=False).stdout
    for name in ("CBTOOL_CONFIG", "CBTOOL_LANG"):
        assert f"[env var: {name}]" in en
    assert "[env CBTOOL" not in en


def test_the_help_says_a_range_as_its_error_does(cli):
    zh = cli.ok("members", "list", "--help", db=False).stdout
    assert "[默认：50；须不小于 1]" in zh and "9223372036854775807" not in zh
    en = cli.ok("--lang", "en", "members", "list", "--help", db=False).stdout
    assert "must be" in en and "at least 1]" in en and "9223372036854775807" not in en


def test_an_opening_mark_never_ends_a_line():
    from cbtool.cli.helptext import wrap_wide

    assert wrap_wide("一二三四（五六七", 10) == ["一二三四", "（五六七"]
    assert wrap_wide("说明  [环境变量：CBTOOL_LANG]", 12) == ["说明", "[环境变量：CBTOOL_LANG]"]


def test_a_missing_choice_names_the_choices(cli):
    assert usage_error(cli, "roster", "--out", "x")[-1] == (
        "错误：缺少选项 --format / -f；可选：xlsx、html、md、csv")
    assert usage_error(cli, "--lang", "en", "roster", "--out", "x")[-1] == (
        "Error: Missing option --format / -f. Choose from: xlsx, html, md, csv.")


def test_control_characters_typed_stay_escaped(cli):
    assert usage_error(cli, "members", "list", "--bogus\x1b[31m")[-1] == (
        "错误：没有选项 --bogus\\x1b[31m")
