"""The command line as a whole: version, help, exit codes, start-up cost, output hygiene.
Some tests run the installed ``cbtool`` in a subprocess, as cron and scripts do."""

import json
import os
import shutil
import subprocess
import sys

import pytest

from cbtool import __version__


def run(*args, env=None, input=None):
    exe = shutil.which("cbtool")
    cmd = [exe] if exe else [sys.executable, "-m", "cbtool"]
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([*cmd, *args], capture_output=True, text=True, env=full_env,
                          input=input, timeout=60)


def test_version(cli):
    assert cli.ok("--version", db=False).stdout.strip() == f"cbtool {__version__}"


def test_help_lists_every_command(cli):
    out = cli.ok("--help", db=False).stdout
    for command in ("init", "sample", "areas", "points", "members", "logs", "checklist",
                    "audit", "db"):
        assert command in out
    members_help = cli.ok("members", "--help", db=False).stdout
    for sub in ("add", "list", "show", "edit", "recategorize", "contact", "overdue", "archive",
                "restore"):
        assert sub in members_help


def test_every_command_has_help_text():
    from typer.main import get_command

    from cbtool.cli import app

    def walk(command, path):
        if getattr(command, "commands", None):
            for name, sub in command.commands.items():
                yield from walk(sub, [*path, name])
        else:
            yield path, command

    for path, command in walk(get_command(app), []):
        assert (command.help or "").strip(), f"no help text: {' '.join(path)}"


@pytest.mark.parametrize("args", [
    ["members", "list", "--colour"],
    ["members", "add", "--no", "1"],
    ["members", "list", "--format", "xml"],
    ["--lang", "fr", "members", "list"],
    ["nonsense"],
])
def test_wrong_usage_is_exit_2(seeded, args):
    result = seeded(*args)
    assert result.exit_code == 2, result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_record_is_exit_1(seeded):
    for args in (["members", "show", "9999"], ["points", "show", "Z9"]):
        result = seeded(*args)
        assert result.exit_code == 1 and len(result.stderr.strip().splitlines()) == 1


def test_cbtool_lang_env_and_bad_value(seeded):
    assert "Name" in seeded.ok("members", "list", env={"CBTOOL_LANG": "en"}).stdout
    assert seeded("members", "list", env={"CBTOOL_LANG": "fr"}).exit_code == 3


def test_version_and_help_do_not_import_heavy_stacks():
    code = (
        "import sys\n"
        "from cbtool.cli import app\n"
        "for argv in (['--version'], ['--help'], ['members', '--help']):\n"
        "    try:\n"
        "        app(argv, prog_name='cbtool')\n"
        "    except SystemExit:\n"
        "        pass\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in ('sqlite_utils', 'rich', 'openpyxl')]\n"
        "print(heavy, file=sys.stderr)\n"
        "sys.exit(1 if heavy else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_installed_command_end_to_end(tmp_path):
    env = {"CBTOOL_DB": str(tmp_path / "e2e.db"), "CBTOOL_OPERATOR": "王芳"}
    assert run("--version", env=env).stdout.startswith("cbtool ")
    assert run("init", env=env).returncode == 0
    assert run("areas", "add", "A01", "石化一村居民区", env=env).returncode == 0
    added = run("members", "add", "--no", "0001", "--name", "张伟", "--category", "离退休",
                "--area", "A01", "--phone", "13812345678", env=env)
    assert added.returncode == 0, added.stderr
    bad = run("members", "add", "--no", "0002", "--name", "李娜", "--category", "流动",
              "--area", "A01", "--id-card", "310116195003121234", env=env)
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    piped = run("members", "list", env={**env, "TERM": "xterm-256color"})
    assert "\x1b[" not in piped.stdout and "138****5678" in piped.stdout
    assert not any(ch in piped.stdout for ch in "─│┃━")  # no box drawing when piped
    listed = json.loads(run("members", "list", "--format", "json", env=env).stdout)
    assert [m["name"] for m in listed] == ["张伟"]


def on_terminal(*args, env=None) -> str:
    """Run the installed cbtool with its stdout on a pseudo-terminal; what it wrote there."""
    import pty

    main, side = pty.openpty()
    exe = shutil.which("cbtool")
    cmd = [exe] if exe else [sys.executable, "-m", "cbtool"]
    full_env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120", **(env or {})}
    proc = subprocess.Popen([*cmd, *args], stdout=side, stderr=subprocess.PIPE, env=full_env,
                            stdin=subprocess.DEVNULL)
    os.close(side)
    out = b""
    while True:  # read while it writes (a full terminal buffer would block it)
        try:
            chunk = os.read(main, 4096)
        except OSError:  # EIO: the other side is closed and everything is read
            break
        if not chunk:
            break
        out += chunk
    os.close(main)
    assert proc.wait(timeout=60) == 0, proc.stderr.read()
    proc.stderr.close()
    return out.decode()


def test_no_color_turns_colour_off_on_a_terminal(seeded):
    db = str(seeded.db_path)
    env = {k: "" for k in ("NO_COLOR", "CBTOOL_CONFIG")}
    coloured = on_terminal("--db", db, "members", "list", env=env)
    assert "\x1b[" in coloured and "张伟" in coloured  # a terminal gets colour...
    plain = on_terminal("--db", db, "members", "list", env={**env, "NO_COLOR": "1"})
    assert "\x1b[" not in plain and "张伟" in plain  # ...and none with NO_COLOR


def test_control_characters_in_input_stay_on_one_line(seeded):
    result = seeded("members", "show", "00\n0\x071")
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "\\x07" in result.stderr


def test_sample_command_is_deterministic(cli, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for out in (a, b):
        cli.ok("sample", "--members", "50", "--logs", "80", "--seed", "9", "--as-of",
               "2026-06-30", "--out", str(out), db=False)
    for name in ("areas.csv", "members.csv", "logs.csv", "checks.csv"):
        assert (a / name).read_bytes() == (b / name).read_bytes()
    assert len((a / "members.csv").read_text(encoding="utf-8").splitlines()) == 51
    assert cli("sample", "--as-of", "2026-13-01", "--out", str(tmp_path / "c"),
               db=False).exit_code == 1
    early = cli("sample", "--as-of", "1990-01-01", "--out", str(tmp_path / "d"), db=False)
    assert early.exit_code == 1 and "2000" in early.stderr
