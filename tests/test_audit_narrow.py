"""`cbtool audit` on an 80-column terminal: 操作人, 命令, 表 and 批次 give their room to 变更,
so a change reads in a few lines rather than a column of characters."""

from __future__ import annotations

from unicodedata import east_asian_width


def _width(line: str) -> int:
    return sum(2 if east_asian_width(c) in "WF" else 1 for c in line)


def test_eighty_columns_leave_out_operator_command_table_and_batch(seeded):
    seeded.ok("members", "edit", "0001", "--note", "常年坚持参加社区志愿服务，多次获评优秀党员")
    narrow = seeded.ok("audit", "--limit", "1", env={"COLUMNS": "80"}).stdout.splitlines()
    assert narrow[0].split() == ["序号", "时间", "键", "操作", "变更"]
    assert all(_width(line) <= 80 for line in narrow)
    assert len(narrow) <= 4  # the note in a readable column, not one character a line
    wide = seeded.ok("audit", "--limit", "1", env={"COLUMNS": "140"}).stdout.splitlines()
    assert wide[0].split() == ["序号", "时间", "操作人", "命令", "表", "键", "操作", "批次",
                               "变更"]
