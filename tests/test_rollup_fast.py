"""The roll-up's quick paths refuse and write what the slow ones did: the labels checked
at once still name the first wrong one; the json writer's rows written key by key are
still exactly json.dumps's text."""

from __future__ import annotations

import json

import pytest
from conftest import Cli, examples
from hypothesis import given, settings
from hypothesis import strategies as st

from cbtool import rollup as rollup_mod
from cbtool.config import Config
from cbtool.fields import parse_period
from cbtool.report.writer import json_text

PERIOD = "2026-11"  # the sample's month (ended)


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


SCALAR = (st.none() | st.booleans() | st.integers(-10**20, 10**20) | st.floats()
          | st.text(max_size=4))


@settings(max_examples=examples(200), deadline=None)
@given(keys=st.lists(st.text(max_size=3), unique=True, max_size=4), data=st.data())
def test_the_json_writer_gives_json_dumps_text_for_alike_rows(keys, data):
    """Rows with the same keys (as a roll-up's units) are written key by key: still
    exactly json.dumps's text, whatever the values (of one kind or mixed, nested)."""
    kind = st.sampled_from([SCALAR, st.integers(0, 9), st.text(max_size=2),
                            st.sampled_from([0.5, -0.0, float("nan"), float("inf")]),
                            st.lists(SCALAR, max_size=2),
                            st.fixed_dictionaries({"n": st.integers(0, 9), "m": SCALAR})])
    kinds = [data.draw(kind) for _ in keys]  # each key's values of one kind, or any
    rows = [{key: data.draw(kind) for key, kind in zip(keys, kinds, strict=True)}
            for _ in range(data.draw(st.integers(0, 4)))]
    for doc in (rows, {"units": rows}, [rows, rows]):
        assert json_text(doc) == json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def test_a_report_is_read_to_the_limit_and_no_further(tmp_path, monkeypatch):
    """Read with a buffer of the file's size: a file of exactly MAX_BYTES is read whole,
    one byte more is refused as too big, as with a buffer of the limit."""
    from cbtool import rollup_check

    monkeypatch.setattr(rollup_check, "MAX_BYTES", 64)
    path = tmp_path / "u.json"
    path.write_text('{"a": "' + "x" * 55 + '"}', encoding="utf-8")  # 64 bytes
    assert rollup_check.load(str(path))[0] == {"a": "x" * 55}
    path.write_text('{"a": "' + "x" * 56 + '"}', encoding="utf-8")
    with pytest.raises(rollup_mod.Refused) as refused:
        rollup_check.load(str(path))
    assert refused.value.message("zh") == f"{path} 超过 0 MiB，不是 cbtool 报告"
    path.write_text("", encoding="utf-8")
    with pytest.raises(rollup_mod.Refused) as refused:
        rollup_check.load(str(path))
    assert refused.value.message("zh").startswith(f"{path} 不是有效的 JSON")


def test_the_collector_runs_again_after_a_roll_up(report, tmp_path):
    import gc

    units = tmp_path / "units"
    units.mkdir()
    (units / "bad.json").write_text("{", encoding="utf-8")  # refused: still restored
    result = rollup_mod.roll_up([units], parse_period(PERIOD), Config())
    assert result.refused and gc.isenabled()
    cli = Cli(tmp_path / "x.db")
    refused = cli("rollup", str(units), "--period", PERIOD, "--format", "json", "--out", "-")
    assert refused.exit_code == 1 and gc.isenabled()
    (units / "bad.json").write_text(json.dumps(report), encoding="utf-8")
    cli.ok("rollup", str(units), "--period", PERIOD, "--format", "json", "--out", "-")
    assert gc.isenabled()
