"""A large roll-up reads half its files in a second process: the same units, refusals and
document as reading them all in one, in the same order; and when the child cannot be
started or fails, the parent reads that half itself."""

from __future__ import annotations

import json
import pickle

import pytest

from cbtool import rollup as rollup_mod
from cbtool.config import Config
from cbtool.fields import parse_period

PERIOD = "2026-11"


@pytest.fixture(scope="module")
def unit_files(tmp_path_factory, office_report_text):
    """12 unit reports (codes U00–U11) made from one sample office's report, plus a file
    that is not JSON, one for another period and one unit twice."""
    base = tmp_path_factory.mktemp("units")
    report = json.loads(office_report_text)
    units = base / "in"
    units.mkdir()
    for i in range(12):
        report["office"]["code"] = f"U{i:02d}"
        (units / f"U{i:02d}.json").write_text(json.dumps(report, ensure_ascii=False),
                                              encoding="utf-8")
    (units / "U05b.json").write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    (units / "garbage.json").write_text("{not json", encoding="utf-8")
    other = json.loads(json.dumps(report))
    other["period"] = {**other["period"], "label": "2026-10", "start": "2026-10-01",
                       "end": "2026-10-31"}
    other["office"]["code"] = "U99"
    (units / "U99.json").write_text(json.dumps(other, ensure_ascii=False), encoding="utf-8")
    return units


def _roll(units):
    result = rollup_mod.roll_up([units], parse_period(PERIOD), Config(), skip_invalid=True)
    return (json.dumps(result.doc, ensure_ascii=False, sort_keys=True),
            [e.message("zh") for e in result.refused], [(m.zh, p) for m, p in result.notes])


@pytest.fixture
def alone(unit_files, monkeypatch):
    monkeypatch.setattr(rollup_mod, "SHARED_FROM", 10**9)
    return _roll(unit_files)


def test_two_processes_give_what_one_gives(unit_files, alone, monkeypatch):
    assert alone[1]  # the garbage and the other period are refused
    forks = []
    real_fork = rollup_mod.os.fork
    monkeypatch.setattr(rollup_mod.os, "fork", lambda: forks.append(1) or real_fork())
    monkeypatch.setattr(rollup_mod, "SHARED_FROM", 2)
    assert _roll(unit_files) == alone
    assert forks  # the child did read half of them


def test_no_fork_reads_all_in_the_parent(unit_files, alone, monkeypatch):
    def refuse():
        raise OSError("no more processes")

    monkeypatch.setattr(rollup_mod.os, "fork", refuse)
    monkeypatch.setattr(rollup_mod, "SHARED_FROM", 2)
    assert _roll(unit_files) == alone


def test_a_failed_child_leaves_its_half_to_the_parent(unit_files, alone, monkeypatch):
    def broken(*args, **kwargs):
        raise MemoryError("the child ran out")

    monkeypatch.setattr(pickle, "dump", broken)  # (in the child: it exits 1, writes nothing)
    monkeypatch.setattr(rollup_mod, "SHARED_FROM", 2)
    assert _roll(unit_files) == alone


def test_a_bad_count_is_said_with_a_space_before_its_range(unit_files, tmp_path):
    doc = json.loads((unit_files / "U01.json").read_text(encoding="utf-8"))
    doc["members"]["total"] = -3
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result = rollup_mod.roll_up([bad], parse_period(PERIOD), Config(), skip_invalid=True)
    (refused,) = result.refused
    assert "应为 0 到 " in refused.message("zh") and "之间的整数" in refused.message("zh")
