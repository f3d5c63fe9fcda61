"""Short commands load only what they use: a listing, a record, a help page and the
dashboard off a terminal never import rich, zoneinfo, tempfile or the file writers they
do not need (checked on ``sys.modules`` of a real process; no timing)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys

import pytest

PROBE = """
import atexit, runpy, sys
sys.argv = ['cbtool', *sys.argv[1:]]
atexit.register(lambda: sys.stderr.write('\\nMODULES ' + repr(sorted(sys.modules))))
runpy.run_module('cbtool', run_name='__main__')
"""  # (no json here: whether the command loads it is what is asked)


def loaded(tmp_path, *args: str, env: dict | None = None) -> tuple[set[str], str]:
    base = {"PATH": "", "HOME": str(tmp_path), "CBTOOL_TODAY": "2026-11-30", **(env or {})}
    done = subprocess.run([sys.executable, "-c", PROBE, *args], env=base,
                          capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    modules = ast.literal_eval(done.stderr.rpartition("MODULES ")[2])
    return {m.partition(".")[0] if m.startswith(("rich.", "zoneinfo.")) else m
            for m in modules}, done.stdout


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("lazy") / "cb.db"
    subprocess.run([sys.executable, "-m", "cbtool", "--db", str(path), "init", "--sample"],
                   check=True, capture_output=True, env={"PATH": "", "HOME": str(path.parent),
                                                         "CBTOOL_TODAY": "2026-11-30"})
    return path


NEVER = {"rich", "zoneinfo", "sysconfig", "csv"}  # (tempfile: platformdirs finds the config)
# What a short command's start costs and none needs: a dataclass defined (0.4-0.8 ms each),
# decimal for money text, the password database for a user name only a write records.
START_UP = {"dataclasses", "decimal", "getpass"}


@pytest.mark.parametrize("args", [
    ["members", "list", "--limit", "10"],
    ["checklist", "show"],
    ["summary", "--period", "2026-11"],
    ["--lang", "en", "summary", "--period", "2026-11"],
])
def test_short_commands_off_a_terminal_load_no_rich_nor_unused_writers(tmp_path, db, args):
    modules, out = loaded(tmp_path, "--db", str(db), *args)
    assert out.strip()
    assert not modules & (NEVER | START_UP), modules & (NEVER | START_UP)


def test_a_record_as_json_loads_no_table_drawing(tmp_path, db):
    modules, out = loaded(tmp_path, "--db", str(db), "members", "show",
                          _first_member(tmp_path, db), "--format", "json")
    assert json.loads(out)["member_no"]
    assert not modules & (NEVER | {"cbtool.cli.plaintable", "cbtool.formats"})


def test_a_group_help_loads_no_database_nor_json(tmp_path):
    modules, out = loaded(tmp_path, "members", "--help")
    assert "members" in out
    assert not modules & (NEVER | {"sqlite3", "json", "platformdirs", "tempfile", "random",
                                   "calendar", "cbtool.config", "cbtool.store", "cbtool.clock"})


def test_a_configured_zone_is_still_applied(tmp_path, db):
    (tmp_path / "cbtool.toml").write_text('timezone = "UTC"\n', encoding="utf-8")
    modules, out = loaded(tmp_path, "--db", str(db), "audit", "--limit", "1",
                          env={"TZ": "Asia/Shanghai"})
    assert "zoneinfo" in modules  # only now: a zone was configured
    (at,) = [line.split()[1] for line in out.splitlines() if line[:4].isdigit()][:1]
    assert at[:2].isdigit()  # a local time of the configured zone (UTC), shown


def _first_member(tmp_path, db) -> str:
    modules, out = loaded(tmp_path, "--db", str(db), "members", "list", "--format", "json")
    return json.loads(out)[0]["member_no"]
