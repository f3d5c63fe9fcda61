"""Names as a clerk types them: the full-width space that pads a two-character name in
Chinese rosters (``沈　佳怡``) finds the member stored as 沈佳怡 wherever a name is looked up."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cbtool.fields import split_names, unpadded

PADDED = "沈\u3000佳怡"


@pytest.fixture
def shen(seeded):
    seeded.ok("members", "add", "--no", "0009", "--name", PADDED, "--category", "在职",
              "--area", "A01")
    assert seeded.rows("SELECT name FROM members WHERE member_no = '0009'") == [("沈佳怡",)]
    return seeded


def test_search_with_the_padding_finds_the_member(shen):
    result = shen.ok("members", "list", "--search", PADDED, "--format", "json")
    assert [m["member_no"] for m in json.loads(result.stdout)] == ["0009"]


def test_show_by_the_padded_name(shen):
    result = shen.ok("members", "show", PADDED, "--format", "json")
    assert json.loads(result.stdout)["member_no"] == "0009"


def test_a_log_names_a_padded_member_among_others(shen):
    shen.ok("logs", "add", "--point", "A01", "--kind", "走访慰问", "--title", "走访",
            "--on", "2026-11-02", "--members", f"{PADDED}，张伟")
    assert shen.rows("SELECT member_no FROM log_participants ORDER BY member_no") == [
        ("0001",), ("0009",)]


def test_a_padded_name_alone_is_one_member_not_two(shen):
    shen.ok("logs", "add", "--point", "A01", "--kind", "走访慰问", "--title", "走访",
            "--on", "2026-11-02", "--members", PADDED)
    assert shen.rows("SELECT member_no FROM log_participants") == [("0009",)]


def test_numbers_separated_by_spaces_stay_separate(shen):
    shen.ok("logs", "add", "--point", "A01", "--kind", "走访慰问", "--title", "走访",
            "--on", "2026-11-02", "--members", "0001\u30000009")
    assert shen.rows("SELECT member_no FROM log_participants ORDER BY member_no") == [
        ("0001",), ("0009",)]


def test_an_unknown_name_still_fails_naming_what_was_typed(shen):
    result = shen("logs", "add", "--point", "A01", "--kind", "走访慰问", "--title", "走访",
                  "--on", "2026-11-02", "--members", "沈\u3000佳")
    assert result.exit_code != 0
    assert "沈" in result.stderr
    assert shen.rows("SELECT count(*) FROM logs") == [(0,)]


_HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)


@given(st.lists(st.text(_HAN, min_size=1, max_size=4), min_size=1, max_size=5),
       st.sampled_from(["\u3000", " ", "  "]), st.sampled_from(["，", ",", "、", "；"]))
def test_padding_inside_names_never_splits_them(names, pad, sep):
    typed = sep.join(n[:1] + pad + n[1:] if len(n) > 1 else n for n in names)
    assert split_names(typed) == [unpadded(n) for n in names] == names


def test_a_month_from_the_file_keeps_the_stored_day_of_that_month(seeded, tmp_path):
    seeded.ok("members", "edit", "0003", "--joined", "1995-04-15")
    path = tmp_path / "花名册.csv"
    path.write_text("党员编号,姓名,入党日期\n0003,王强,1995年4月\n", encoding="gbk")
    result = seeded.ok("members", "import", str(path), "--yes")
    assert "unchanged 1" in result.stdout + result.stderr
    assert seeded.rows("SELECT joined_on FROM members WHERE member_no = '0003'") == [
        ("1995-04-15",)]
    path.write_text("党员编号,姓名,入党日期\n0003,王强,1996年4月\n", encoding="gbk")
    seeded.ok("members", "import", str(path), "--yes")  # another month: the file wins
    assert seeded.rows("SELECT joined_on FROM members WHERE member_no = '0003'") == [
        ("1996-04",)]


def test_the_errors_file_says_line_and_reason_in_chinese_and_imports_back_quietly(
        seeded, tmp_path):
    path = tmp_path / "花名册.csv"
    path.write_text("党员编号,姓名,党员类别,居民区,出生日期\n0009,沈佳怡,离退休,A01,1948年13月\n",
                    encoding="gbk")
    errors = tmp_path / "不合格.csv"
    assert seeded("members", "import", str(path), "--errors", str(errors)).exit_code == 1
    lines = errors.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "党员编号,姓名,党员类别,居民区,出生日期,原行号,错误原因"
    errors.write_text("\n".join([lines[0], lines[1].replace("1948年13月", "1948年3月")]),
                      encoding="utf-8-sig")
    result = seeded.ok("members", "import", str(errors), "--yes")
    assert "未识别" not in result.stderr and "inserted 1" in result.stderr


def test_a_participant_number_that_lost_its_zeros_is_named_as_such(seeded):
    result = seeded("logs", "add", "--point", "A01", "--kind", "走访慰问", "--title", "走访",
                    "--on", "2026-11-02", "--members", "1、0002")
    assert result.exit_code != 0
    assert "1 可能是 0001（前导零丢失）" in result.stderr
