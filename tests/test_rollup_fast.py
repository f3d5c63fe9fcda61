"""The roll-up's quick paths refuse what the slow ones did: the labels checked at once
still name the first wrong one."""

from __future__ import annotations

import json

import pytest
from conftest import ENV_VARS, Cli

from cbtool import rollup as rollup_mod
from cbtool.fields import parse_period

PERIOD = "2026-11"  # the sample's month (ended)


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> dict:
    """A sample office's report JSON, made once by cbtool itself."""
    base = tmp_path_factory.mktemp("office")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HOME", str(base))
        for name in ENV_VARS:
            mp.delenv(name, raising=False)
        mp.chdir(base)
        config = base / "office.toml"
        config.write_text('[office]\ncode = "310116007"\n', encoding="utf-8")
        cli = Cli(base / "office.db")
        cli.ok("init", "--sample")
        out = base / "r.json"
        cli.ok("--config", str(config), "report", "--period", PERIOD, "--format", "json",
               "--out", str(out))
    return json.loads(out.read_text(encoding="utf-8"))


def test_labels_checked_at_once_still_name_the_first_wrong_one(report):
    period = parse_period(PERIOD)
    vocabs = list(report["labels"])
    doc = json.loads(json.dumps(report))
    doc["labels"][vocabs[0]]["x"] = "\x1b[2J"
    doc["labels"][vocabs[1]] = ["not", "a", "table"]  # later: not the one named
    with pytest.raises(rollup_mod.Refused) as refused:
        rollup_mod.check(doc, "u.json", period)
    assert refused.value.message("zh").startswith(f"u.json：labels.{vocabs[0]}.x 应为不超过")
    doc = json.loads(json.dumps(report))
    doc["labels"][vocabs[1]] = ["not", "a", "table"]
    with pytest.raises(rollup_mod.Refused) as refused:
        rollup_mod.check(doc, "u.json", period)
    assert refused.value.message("zh").startswith(f"u.json：labels.{vocabs[1]} 应为表")
    doc = json.loads(json.dumps(report))
    doc["labels"][vocabs[-1]]["y"] = None  # no text: allowed, as before
    assert rollup_mod.check(doc, "u.json", period).code == "310116007"

