"""Shared fixtures: every test gets its own HOME, config and database in tmp_path, so no
test ever touches a real user's data; the CLI is driven in-process with CliRunner.

Speed (the default run is what a developer runs often): the app is converted to a click
command once, the seeded database is built once per session and copied per test;
property tests run few examples by default and all in the slow step (see ``examples``)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import typer.testing
from hypothesis import settings
from typer.testing import CliRunner

from cbtool import clock
from cbtool.cli import app

ENV_VARS = ("CBTOOL_DB", "CBTOOL_CONFIG", "CBTOOL_LANG", "CBTOOL_OPERATOR", "NO_COLOR",
            "COLUMNS", clock.ENV)

# --- the app, converted to a command once -------------------------------------------------
#
# ``CliRunner.invoke(app)`` converts the Typer app (every command, every option's
# signature) to a click command on each call: most of an in-process run's time. The app
# does not change between runs, so each one is converted once per session (if a later
# Typer names its converter otherwise, the runs are only slower).
_convert = getattr(typer.testing, "_get_command", None)
_converted: dict[int, tuple[object, object]] = {}


def _command_once(typer_app):
    key = id(typer_app)
    if key not in _converted:  # (the app kept too, so its id is not reused)
        _converted[key] = (typer_app, _convert(typer_app))
    return _converted[key][1]


if _convert is not None:
    typer.testing._get_command = _command_once


# --- hypothesis: a light profile for the default run, a heavy one for the slow step ------
#
# ``quick`` (the default run) tries a fifth of each test's examples; ``thorough`` (chosen by
# ``pytest -m slow``, or HYPOTHESIS_PROFILE=thorough) all of them and more, and the slow
# step then runs every property test too. HYPOTHESIS_PROFILE, when set, always decides.
PROFILES = {"quick": 0.2, "thorough": 1.0}
# The default run is the same on every run (CI does not flake on a new example); the slow
# step's thorough profile draws new examples each time, to find what is not yet pinned.
settings.register_profile("quick", max_examples=20, deadline=None, derandomize=True)
settings.register_profile("thorough", max_examples=200, deadline=None)
_profile = {"name": "quick"}


def examples(n: int) -> int:
    """A test's number of examples under the active profile: ``@settings(max_examples=
    examples(40))`` tries 40 in the slow step and 8 in the default run (at least 3)."""
    return max(3, round(n * PROFILES[_profile["name"]]))


def _slow_step(config: pytest.Config) -> bool:
    return (config.getoption("markexpr", "") or "").strip() == "slow"


def pytest_configure(config: pytest.Config) -> None:
    name = os.environ.get("HYPOTHESIS_PROFILE") or ("thorough" if _slow_step(config)
                                                    else "quick")
    if name not in PROFILES:
        raise pytest.UsageError(f"HYPOTHESIS_PROFILE must be one of {sorted(PROFILES)}")
    _profile["name"] = name
    settings.load_profile(name)


@pytest.hookimpl(tryfirst=True)  # before -m deselects: the slow step takes them too
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if _slow_step(config):
        for item in items:
            if getattr(getattr(item, "obj", None), "is_hypothesis_test", False):
                item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    clock.set_clock(None)
    clock.set_timezone(None)
    yield tmp_path
    clock.set_clock(None)  # what a test or a command set does not leak into the next
    clock.set_timezone(None)


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "community.db"


class Cli:
    """Run ``cbtool --db <tmp db> ARGS`` in-process; results keep stdout and stderr apart."""

    def __init__(self, db_path: Path):
        self.db_path = db_path
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None, env: dict | None = None,
                 db: bool = True):
        argv = (["--db", str(self.db_path)] if db else []) + [str(a) for a in args]
        return self.runner.invoke(app, argv, input=input, env=env, catch_exceptions=False)

    def ok(self, *args: str, **kw):
        result = self(*args, **kw)
        assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr)
        return result

    def rows(self, sql: str, params=()) -> list[tuple]:
        conn = sqlite3.connect(self.db_path)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()

    def count(self, table: str) -> int:
        return self.rows(f"SELECT count(*) FROM {table}")[0][0]


@pytest.fixture
def cli(db_path) -> Cli:
    return Cli(db_path)


# Valid resident ID numbers (GB 11643 check digits), with their birth dates and genders.
ID_ZHANG = "310116195003121230"  # 1950-03-12, male
ID_LI = "310116198506072024"  # 1985-06-07, female


def _seed(cli: Cli) -> Cli:
    """Two areas with their points, the centre, and four members (one per category)."""
    cli.ok("init")
    cli.ok("areas", "add", "A01", "石化一村居民区")
    cli.ok("areas", "add", "A02", "石化二村居民区")
    cli.ok("points", "add", "C00", "社区党员服务中心", "--kind", "centre")
    cli.ok("members", "add", "--no", "0001", "--name", "张伟", "--category", "离退休",
           "--area", "A01", "--id-card", ID_ZHANG, "--phone", "13812345678",
           "--joined", "1975年7月", "--employer", "上海石化股份有限公司")
    cli.ok("members", "add", "--no", "0002", "--name", "李娜", "--category", "流动",
           "--area", "A02", "--id-card", ID_LI, "--phone", "13987654321",
           "--whereabouts", "江苏省苏州市", "--left", "2024-03-01")
    cli.ok("members", "add", "--no", "0003", "--name", "王强", "--category", "下岗",
           "--area", "A01", "--gender", "男", "--born", "1972-10-01")
    cli.ok("members", "add", "--no", "0004", "--name", "陈静", "--category", "在职",
           "--area", "石化二村居民区", "--gender", "女", "--employer", "金山区第一中学")
    return cli


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory) -> Path:
    """The ``seeded`` database, built once per session (seven commands) in its own HOME."""
    base = tmp_path_factory.mktemp("seeded")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HOME", str(base))
        mp.setenv("XDG_CONFIG_HOME", str(base / ".config"))
        mp.setenv("XDG_DATA_HOME", str(base / ".local" / "share"))
        for name in ENV_VARS:
            mp.delenv(name, raising=False)
        mp.chdir(base)
        _seed(Cli(base / "template.db"))
    assert not (base / "template.db-wal").exists()  # closed: the one file is the database
    return base / "template.db"


@pytest.fixture
def seeded(cli, seeded_template) -> Cli:
    """Two areas with their points, the centre, and four members (one per category): a
    copy of the session's one build."""
    shutil.copyfile(seeded_template, cli.db_path)
    return cli


def kill_mid_write(db: Path, args: list[str], when) -> int:
    """Run ``cbtool --db DB ARGS`` in a child and SIGKILL it once ``when(wal_bytes_grown,
    seconds)`` says so (checked every 2 ms, at most 120 s); returns its exit status. The
    kill tests then check the database is exactly as before."""
    wal = db.with_name(db.name + "-wal")
    start_size = wal.stat().st_size if wal.exists() else 0
    scratch = Path(f"{db.parent}-tmp")  # where a killed import's staging file stays
    scratch.mkdir(exist_ok=True)
    proc = subprocess.Popen([sys.executable, "-m", "cbtool", "--db", str(db), *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "TMPDIR": str(scratch)})
    started = time.monotonic()
    try:
        while proc.poll() is None and time.monotonic() - started < 120:
            grown = (wal.stat().st_size if wal.exists() else 0) - start_size
            if when(grown, time.monotonic() - started):
                break
            time.sleep(0.002)
        assert proc.poll() is None, f"cbtool {' '.join(args)} finished before it could be killed"
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    return proc.returncode


REPORT_PERIOD = "2026-11"  # the sample's month (ended)


@pytest.fixture(scope="session")
def office_report_text(tmp_path_factory) -> str:
    """A sample office's report JSON (office 310116007 石化街道党工委, 2026-11), made once
    per session by cbtool itself."""
    base = tmp_path_factory.mktemp("office")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HOME", str(base))
        for name in ENV_VARS:
            mp.delenv(name, raising=False)
        mp.chdir(base)
        config = base / "office.toml"
        config.write_text('[office]\ncode = "310116007"\nname = "石化街道党工委"\n',
                          encoding="utf-8")
        cli = Cli(base / "office.db")
        cli.ok("init", "--sample")
        out = base / "r.json"
        cli.ok("--config", str(config), "report", "--period", REPORT_PERIOD, "--format",
               "json", "--out", str(out))
    return out.read_text(encoding="utf-8")


@pytest.fixture
def report(office_report_text) -> dict:
    """That report as a dict of the test's own (change it freely)."""
    return json.loads(office_report_text)
