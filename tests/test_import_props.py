"""Property tests: whatever a file holds, an import ends in exit 0 (everything valid) or
exit 1 with a clean report — never a traceback, never a partial write."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import tempfile
from pathlib import Path

from conftest import Cli, examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_import import TALLY, snapshot

SETTINGS = settings(max_examples=examples(60), deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])
LINE = re.compile(r"^第 (\d+) (?:行|条记录)")
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")

# Values a staff member types, valid in the seeded database.
GOOD = {
    "member_no": st.from_regex(r"0[1-9][0-9]{2,5}", fullmatch=True),
    "name": st.sampled_from(["张伟", "李娜", "王强", "欧阳修", "陈 静"]),
    "category": st.sampled_from(["在职", "retired", "流动", "下岗", "离休", "Employed"]),
    "area": st.sampled_from(["A01", "A02", "石化一村居民区", "A01.0"]),
    "phone": st.sampled_from(["", "13812345678", "021-57941234", "13900001111.0"]),
    "born_on": st.sampled_from(["", "1950-03-12", "1960/1/1", "1970年5月", "19800101"]),
    "last_contact_on": st.sampled_from(["", "2025-10-01", "2025年9月9日"]),
}
# Anything at all, including what breaks naive code: quotes, separators, line breaks,
# control characters, Excel's damage, formula prefixes, very long text.
GARBAGE = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.sampled_from(["1.38E+10", "3.1E+17", "=SUM(A1)", "'=1+1", "2026-13-40", "\x00", "\r",
                     '"', "，", "党员", "A99", "-", "0" * 40, "1" * 500, "NaN", "inf"]),
)


def fresh_db(template: Path, tmp: Path) -> Cli:
    db = tmp / "t.db"
    shutil.copyfile(template, db)
    return Cli(db)


def check_clean(cli: Cli, result, before: dict, rows: int | None = None) -> None:
    """The contract: exit 0 or 1; no traceback; the tally line last, always; exit 1 writes
    nothing; every line named exists; a file rejected as a whole: its one reason, then
    the tally."""
    assert result.exit_code in (0, 1), (result.exit_code, result.stderr)
    assert "Traceback" not in result.stderr and "Error" not in result.stderr
    lines = result.stderr.rstrip("\n").split("\n")
    assert not any(CONTROL.search(line) for line in lines), lines  # nothing a terminal runs
    if result.exit_code == 1:
        assert snapshot(cli) == before
    found = TALLY.search(result.stderr)
    assert found and lines[-1] == found.group(0), lines
    inserted, updated, unchanged, rejected = (int(n) for n in found.groups())
    if result.exit_code == 1:
        assert inserted == updated == 0
        if rejected == 0 or len(lines) == 2:  # a file-level problem: one clear line first
            assert unchanged == 0 and len(lines) == 2, lines
    elif rows is not None:
        assert inserted + updated + unchanged == rows and rejected == 0
    for line in lines:
        m = LINE.match(line)
        if m and rows is not None:
            assert 2 <= int(m.group(1)) <= rows + 1 + sum(x.count("\n") for x in lines)


@st.composite
def member_rows(draw):
    """Rows whose every cell is either a plausible value or garbage."""
    n = draw(st.integers(min_value=1, max_value=8))
    rows = []
    for _ in range(n):
        rows.append({name: draw(st.one_of(strategy, GARBAGE) if draw(st.booleans())
                                else strategy) for name, strategy in GOOD.items()})
    return rows


@SETTINGS
@given(rows=member_rows(), fmt=st.sampled_from(["csv", "jsonl", "json"]))
def test_random_member_rows_are_all_or_nothing(seeded_template, rows, fmt):
    with tempfile.TemporaryDirectory() as tmp:
        cli = fresh_db(seeded_template, Path(tmp))
        path = Path(tmp) / f"m.{fmt}"
        if fmt == "csv":
            buf = io.StringIO()
            writer = csv.DictWriter(buf, fieldnames=list(GOOD))
            writer.writeheader()
            writer.writerows(rows)
            path.write_text(buf.getvalue(), encoding="utf-8")
        elif fmt == "jsonl":
            path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        else:
            path.write_text(json.dumps(rows), encoding="utf-8")
        before = snapshot(cli)
        result = cli("members", "import", str(path))
        check_clean(cli, result, before, rows=None)
        if result.exit_code == 0:
            # Valid: a second import changes nothing.
            again = cli("members", "import", str(path))
            assert again.exit_code == 0 and "inserted 0, updated 0" in again.stderr


@SETTINGS
@given(rows=member_rows(), bad_at=st.integers(min_value=0, max_value=8))
def test_one_bad_row_anywhere_rejects_the_whole_file(seeded_template, rows, bad_at):
    good = [{**r, **{k: st_example for k, st_example in (
        ("member_no", f"09{i:04d}"), ("name", "张伟"), ("category", "在职"), ("area", "A01"),
        ("phone", ""), ("born_on", ""), ("last_contact_on", ""))}} for i, r in enumerate(rows)]
    bad_at = min(bad_at, len(good))
    good.insert(bad_at, {**good[0], "member_no": "09XXXX", "category": "党员"})
    with tempfile.TemporaryDirectory() as tmp:
        cli = fresh_db(seeded_template, Path(tmp))
        path = Path(tmp) / "m.csv"
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(GOOD))
        writer.writeheader()
        writer.writerows(good)
        path.write_text(buf.getvalue(), encoding="utf-8")
        before = snapshot(cli)
        result = cli("members", "import", str(path))
        assert result.exit_code == 1
        check_clean(cli, result, before, rows=len(good))
        named = [int(LINE.match(x).group(1)) for x in result.stderr.splitlines()
                 if LINE.match(x)]
        assert named == [bad_at + 2]


@SETTINGS
@given(data=st.binary(max_size=400), ext=st.sampled_from(["csv", "tsv", "json", "jsonl",
                                                          "xlsx"]),
       kind=st.sampled_from(["areas", "members", "logs", "checklist"]))
def test_garbage_bytes_never_crash(seeded_template, data, ext, kind):
    with tempfile.TemporaryDirectory() as tmp:
        cli = fresh_db(seeded_template, Path(tmp))
        path = Path(tmp) / f"f.{ext}"
        path.write_bytes(data)
        before = snapshot(cli)
        check_clean(cli, cli(kind, "import", str(path)), before)


JSON_TEXT = st.text(max_size=20) | st.sampled_from(["\ud800", "a\udfffb", "党员", "0001"])
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | JSON_TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.text(max_size=8) | st.sampled_from(["member_no", "name", "category", "area",
                                               "point", "date", "kind", "title", "\udc80"]),
        inner, max_size=4),
    max_leaves=10)


@SETTINGS
@given(doc=JSON_VALUES, kind=st.sampled_from(["members", "logs", "checklist"]),
       lines=st.booleans())
def test_random_json_never_crashes(seeded_template, doc, kind, lines):
    with tempfile.TemporaryDirectory() as tmp:
        cli = fresh_db(seeded_template, Path(tmp))
        if lines:
            path = Path(tmp) / "f.jsonl"
            items = doc if isinstance(doc, list) else [doc]
            path.write_text("".join(json.dumps(x) + "\n" for x in items), encoding="utf-8")
        else:
            path = Path(tmp) / "f.json"
            path.write_text(json.dumps(doc), encoding="utf-8")
        before = snapshot(cli)
        check_clean(cli, cli(kind, "import", str(path)), before)


@st.composite
def log_rows(draw):
    cells = {
        "ref": st.one_of(st.just(""), st.from_regex(r"R-[0-9]{1,3}", fullmatch=True)),
        "point": st.sampled_from(["A01", "C00", "石化一村居民区党员服务点", "A09"]),
        "date": st.sampled_from(["2025-01-01", "2025/2/3", "2025年3月4日", "2099-01-01", ""]),
        "kind": st.sampled_from(["visit", "志愿服务", "学习", "跳舞"]),
        "title": st.sampled_from(["走访", "党课", ""]),
        "participants": st.sampled_from(["", "0001", "0001、0002", "0001 0009", "0003,0003"]),
        "served": st.sampled_from(["", "3", "-1", "2.0", "x"]),
        "hours": st.sampled_from(["", "1.5", "-2", "nan", "1e3"]),
        "voided": st.sampled_from(["", "否", "是", "maybe"]),
    }
    n = draw(st.integers(min_value=1, max_value=6))
    return [{k: draw(st.one_of(v, GARBAGE) if draw(st.integers(0, 9)) == 0 else v)
             for k, v in cells.items()} for _ in range(n)]


@SETTINGS
@given(rows=log_rows())
def test_random_log_rows_are_all_or_nothing(seeded_template, rows):
    with tempfile.TemporaryDirectory() as tmp:
        cli = fresh_db(seeded_template, Path(tmp))
        path = Path(tmp) / "l.csv"
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
        path.write_text(buf.getvalue(), encoding="utf-8")
        before = snapshot(cli)
        result = cli("logs", "import", str(path))
        check_clean(cli, result, before)
        if result.exit_code == 0:
            assert cli("logs", "import", str(path)).stderr.rstrip().endswith(
                f"inserted 0, updated 0, unchanged {len(rows)}, rejected 0")
