"""Shared fixtures: every test gets its own HOME, config and database in tmp_path, so no
test ever touches a real user's data; the CLI is driven in-process with CliRunner."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cbtool import clock
from cbtool.cli import app

ENV_VARS = ("CBTOOL_DB", "CBTOOL_CONFIG", "CBTOOL_LANG", "CBTOOL_OPERATOR", "NO_COLOR",
            "COLUMNS", clock.ENV)


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


@pytest.fixture
def seeded(cli) -> Cli:
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
