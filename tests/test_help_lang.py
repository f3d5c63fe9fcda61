"""Help in the user's language and shell completion.

Every command, group, option and argument of the whole tree has a Chinese help (the
default, written in the command modules) and an English one (``cbtool/cli/help_en.py``,
shown with ``--lang en`` or ``CBTOOL_LANG=en``). Shell
completion (Typer's ``--install-completion``) sees every command although the command line
builds only the one it runs."""

from __future__ import annotations

import os
import subprocess
import sys

import typer.main

from cbtool.cli import app, help_en
from cbtool.cli.helptext import apply, has_cjk, untranslated, walk


def tree(lang: str):
    command = typer.main.get_command(app)
    apply(command, lang)
    return command


def helps(command):
    """(``cbtool members add --no``, its help) for every command and parameter."""
    for path, cmd in walk(command):
        name = f"cbtool {path}".strip()
        yield name, cmd.help
        for param in cmd.params:
            opt = param.opts[0] if param.param_type_name == "option" else param.name
            yield f"{name} {opt}", getattr(param, "help", None)


def test_every_help_is_chinese_by_default():
    lacking = [f"{name}: {text!r}" for name, text in helps(tree("zh"))
               if not has_cjk(text)]
    assert not lacking, "help texts must be Chinese in the command modules:\n" + "\n".join(lacking)


def test_every_help_has_its_english():
    command = tree("en")
    missing = untranslated(command)
    assert not missing, (
        "no English help (add them to cbtool/cli/help_en.py: COMMANDS by path, OPTIONS by "
        "the Chinese text):\n" + "\n".join(missing))
    empty = [name for name, text in helps(command) if not (text or "").strip()]
    assert not empty, f"empty help in English: {empty}"


def test_a_command_without_english_is_named():
    """What a helper adding a command forgets shows up by name (and its text)."""
    extra = typer.Typer()

    @extra.command("new")
    def new(flag: bool = typer.Option(False, "--flag", help="一个新选项")) -> None:
        """一个新命令。"""

    command = typer.main.get_command(app)
    command.commands["members"].add_command(typer.main.get_command(extra), "new")
    apply(command, "en")
    assert untranslated(command) == ["cbtool members new: '一个新命令。'",
                                     "cbtool members new --flag: '一个新选项'"]


def test_the_english_table_has_no_stale_lines():
    """A line for a command that is gone, or for a Chinese text no option has any more
    (reworded in its module), would hide that the new text lacks its English."""
    command = typer.main.get_command(app)
    paths = {path for path, _ in walk(command)}
    texts = {text for name, text in helps(command)}
    assert sorted(set(help_en.COMMANDS) - paths) == []
    assert sorted(set(help_en.OPTIONS) - texts) == []


def test_default_help_is_chinese(cli):
    out = cli.ok("members", "add", "--help", db=False).stdout
    assert "新增党员" in out and "党员编号（按文本保存）" in out and "Add a member" not in out
    assert "-h, --help" in out and "显示本帮助并退出" in out


def test_lang_en_gives_english_help(cli):
    out = cli.ok("--lang", "en", "members", "add", "--help", db=False).stdout
    assert "Add a member." in out and "member number (kept as text)" in out
    assert "Show this message and exit." in out
    assert not has_cjk(out), out
    listing = cli.ok("--lang=en", "--help", db=False).stdout
    assert "The members registry" in listing and not has_cjk(listing)


def test_cbtool_lang_env_chooses_english_and_lang_beats_it(cli):
    env_out = cli.ok("checklist", "--help", db=False, env={"CBTOOL_LANG": "en"}).stdout
    assert "The five-haves checklist" in env_out and not has_cjk(env_out)
    zh_out = cli.ok("--lang", "zh", "logs", "--help", db=False,
                    env={"CBTOOL_LANG": "en"}).stdout
    assert "服务点台账" in zh_out and "Service-point logs" not in zh_out


def test_help_does_not_read_the_config(cli, tmp_path):
    """Finding the config costs start-up time (platformdirs); a broken one is reported by
    the commands, never by their help."""
    config = tmp_path / "cbtool.toml"
    config.write_text('language = "en"\nbroken = \n', encoding="utf-8")
    out = cli.ok("--config", str(config), "members", "--help", db=False).stdout
    assert "党员名册" in out


def test_root_help_offers_completion_in_both_languages(cli):
    assert "安装命令补全" in cli.ok("--help", db=False).stdout
    en = cli.ok("--lang", "en", "--help", db=False).stdout
    assert "--install-completion" in en and "--show-completion" in en


# --- shell completion, through the installed entry point (the lazy build) -----------------

def complete(words: str, cword: int, shell: str = "bash") -> list[str]:
    """What the shell gets for ``words`` (Typer's protocol, as its completion script asks)."""
    env = {**os.environ, "_CBTOOL_COMPLETE": f"complete_{shell}", "COMP_WORDS": words,
           "COMP_CWORD": str(cword), "_TYPER_COMPLETE_ARGS": words}
    result = subprocess.run([sys.executable, "-m", "cbtool"], capture_output=True,
                            text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_completion_of_groups_commands_and_options():
    assert complete("cbtool mem", 1) == ["members"]
    assert complete("cbtool members li", 2) == ["list"]
    assert complete("cbtool --db x.db checklist g", 4) == ["gaps"]
    assert "--category" in complete("cbtool members list --ca", 3)
    assert set(complete("cbtool", 1)) >= {"init", "members", "logs", "checklist", "db"}


def test_completion_of_categories():
    assert complete("cbtool members list --category ", 4) == [
        "retired", "离退休", "laid-off", "下岗", "mobile", "流动", "employed", "在职"]
    assert complete("cbtool members add --category 流", 4) == ["流动"]
    assert complete("cbtool roster --category la", 3) == ["laid-off"]


def test_zsh_completion_describes_in_the_language():
    zh = subprocess.run([sys.executable, "-m", "cbtool"], capture_output=True, text=True,
                        timeout=60, env={**os.environ, "_CBTOOL_COMPLETE": "complete_zsh",
                                         "_TYPER_COMPLETE_ARGS": "cbtool members li"})
    assert "list" in zh.stdout and "列出党员" in zh.stdout
    en = subprocess.run([sys.executable, "-m", "cbtool"], capture_output=True, text=True,
                        timeout=60, env={**os.environ, "_CBTOOL_COMPLETE": "complete_zsh",
                                         "_TYPER_COMPLETE_ARGS": "cbtool members li",
                                         "CBTOOL_LANG": "en"})
    assert "List members" in en.stdout


def test_show_completion_prints_the_script():
    env = {**os.environ, "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}
    result = subprocess.run([sys.executable, "-m", "cbtool", "--show-completion", "bash"],
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "_CBTOOL_COMPLETE=complete_bash" in result.stdout


# --- Chinese lines fit the terminal ------------------------------------------------------

def columns(line: str) -> int:
    return sum(2 if has_cjk(ch) else 1 for ch in line)


def test_wrap_wide_counts_a_chinese_character_as_two_columns():
    from cbtool.cli.helptext import wrap_wide

    lines = wrap_wide("党龄不少于 N 年，从入党时间算起（只有月份的从该月 1 日算）", 20)
    assert all(columns(line) <= 20 for line in lines), lines
    assert "".join(lines).replace(" ", "") == "党龄不少于N年，从入党时间算起（只有月份的从该月1日算）"
    assert not any(line[0] in "，。；：、）" for line in lines)
    assert wrap_wide("一二三四五六七八九，", 18) == ["一二三四五六七八", "九，"]


def test_chinese_help_fits_the_terminal_width(cli):
    """Click counted a Chinese character as one column: these ran to 100 and more."""
    for args in (["--help"], ["members", "--help"], ["members", "list", "--help"],
                 ["points", "edit", "--help"], ["checklist", "record", "--help"],
                 ["members", "contact", "--help"]):
        out = cli.ok(*args, db=False).stdout  # CliRunner formats for 80 columns
        wide = [line for line in out.splitlines() if columns(line) > 80]
        assert not wide, (args, wide)
