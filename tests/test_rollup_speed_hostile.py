"""The roll-up's quick paths refuse what its checks always refused: any report JSON with
hostile values anywhere (NaN, infinities, negatives, wrong types, control characters,
long texts, deep tables) is one clear line naming the file, or a unit summed correctly;
the first fault in the document's order is the one named; the json writer gives exactly
``json.dumps``'s text."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from conftest import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cbtool import rollup as rollup_mod
from cbtool.config import Config
from cbtool.fields import parse_period
from cbtool.report.writer import json_text

PERIOD = "2026-11"  # the sample's month (ended)


def _roll(tmp_path: Path, text: str) -> rollup_mod.Rollup:
    path = tmp_path / "unit.json"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))  # a lone surrogate: bad bytes
    return rollup_mod.roll_up([path], parse_period(PERIOD), Config(office_code="3101"),
                              skip_invalid=True)


def _paths(doc, prefix=()):
    for key, value in doc.items() if isinstance(doc, dict) else enumerate(doc):
        yield (*prefix, key)
        if isinstance(value, dict | list):
            yield from _paths(value, (*prefix, key))


def _deep(n: int):
    value: object = 1
    for _ in range(n):
        value = {"k": value}
    return value


HOSTILE = st.one_of(
    st.sampled_from([float("nan"), float("inf"), -float("inf"), -1, -0.5, 10**13, 10**400,
                     True, False, None, "", " ", "12", "x" * 201, "\x1b[31m", "a\u202eb",
                     "\ud800", [], [1, "a"], ["\x07"], {}, {"a": -1}, {"\x00": 1},
                     {"x" * 201: 1}, _deep(9), [{"a": float("nan")}]]),
    st.integers(-10**15, 10**15), st.floats(), st.text(max_size=5),
    st.dictionaries(st.text(max_size=3), st.integers(-3, 3) | st.floats(), max_size=3),
)


def _figures_ok(table: dict) -> None:
    """Every number the roll-up wrote is a real count: not NaN, not negative."""
    for value in table.values():
        if isinstance(value, dict):
            _figures_ok(value)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            assert not math.isnan(value) and value >= 0


@settings(max_examples=examples(60), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_hostile_report_json_is_one_line_or_a_correct_unit(report, tmp_path, data):
    doc = json.loads(json.dumps(report))
    paths = list(_paths(doc))
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(paths))
        target = doc
        try:
            for key in path[:-1]:
                target = target[key]
            target[path[-1]] = data.draw(HOSTILE)
        except (KeyError, IndexError, TypeError):  # an earlier change moved it
            pass
    text = json.dumps(doc, ensure_ascii=False)  # NaN and Infinity as Python writes them
    result = _roll(tmp_path, text)
    if result.refused:
        message = result.refused[0].message("zh")
        assert message.startswith(str(tmp_path / "unit.json"))
        assert "\n" not in message and len(message) < 300
        return
    summed = result.doc
    assert len(result.units) == 1 and summed is not None
    members = summed["members"]
    assert members["total"] == sum(members["by_category"].values())
    for name in rollup_mod.sections_of(summed):
        _figures_ok(summed[name])
    json.loads(json_text(summed))  # written as JSON that reads back


def test_the_first_fault_in_the_document_is_named(report, tmp_path):
    doc = json.loads(json.dumps(report))
    table = doc["logs"]["by_kind"]
    first, second = list(table)[:2]
    table[first] = -1
    table[second] = 1.5  # a later fault of another kind
    result = _roll(tmp_path, json.dumps(doc))
    assert f"logs.by_kind.{first} 应为 0 到" in result.refused[0].message("zh")
    doc = json.loads(json.dumps(report))
    section = doc["volunteers"]
    keys = list(section)
    section[keys[0]] = -3  # a bad figure before a bad key
    section["\x07"] = 1
    result = _roll(tmp_path, json.dumps(doc))
    assert f"volunteers.{keys[0]} 应为不小于 0 的数" in result.refused[0].message("zh")
    doc = json.loads(json.dumps(report))
    labels = doc["labels"]["category"]
    second = list(labels)[1]
    labels[second] = "\x1b[2J"
    result = _roll(tmp_path, json.dumps(doc))
    assert f"labels.category.{second} 应为不超过" in result.refused[0].message("zh")


def test_text_in_rows_is_still_checked_though_rows_are_not_kept(report, tmp_path):
    doc = json.loads(json.dumps(report))
    doc["members"]["by_area"].append("\x1b[31m")
    result = _roll(tmp_path, json.dumps(doc))
    assert "members.by_area[" in result.refused[0].message("zh")
    doc["members"]["by_area"][-1] = {"code": "\x1b[31m"}  # a row: never read, so fine
    result = _roll(tmp_path, json.dumps(doc))
    assert not result.refused and result.doc["members"]["by_area"] == []


def test_a_nan_written_into_a_table_of_numbers_is_refused(report):
    """check() itself (a document from Python, not a file) refuses a NaN wherever it is
    in a table of numbers: first, among them, or last."""
    for where in (0, 2, -1):
        doc = json.loads(json.dumps(report))
        table = doc["volunteers"]["by_field"]
        key = list(table)[where]
        table[key] = float("nan")
        with pytest.raises(rollup_mod.Refused, match=f"volunteers.by_field.{key}"):
            rollup_mod.check(doc, "x.json", parse_period(PERIOD))


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-10**30, 10**30) | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
    | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=30)


@settings(max_examples=examples(200), deadline=None)
@given(value=JSON)
def test_the_json_writer_gives_json_dumps_text_exactly(value):
    assert json_text(value) == json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def test_the_json_writer_leaves_other_types_to_json():
    odd = {1: "a", None: 2.5, "s": (1, [])}
    assert json_text(odd) == json.dumps(odd, ensure_ascii=False, indent=2) + "\n"
    with pytest.raises(TypeError):
        json_text({"x": {1, 2}})
