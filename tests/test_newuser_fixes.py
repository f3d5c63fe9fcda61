"""What a new user ran into, pinned: wording of lost zeros, cron config, undo times, …"""

from __future__ import annotations


def test_a_padded_number_next_to_a_stored_short_one_is_worded_the_right_way(seeded, tmp_path):
    seeded.ok("members", "add", "--no", "105", "--name", "赵敏", "--category", "在职",
              "--area", "A01")
    path = tmp_path / "更正.csv"
    path.write_text("党员编号,姓名,党员类别,居民区\n0105,钱进,在职,A01\n", encoding="gbk")
    result = seeded("members", "import", str(path))
    assert result.exit_code == 1
    assert "0105 与 105 只差前导零（105 可能丢了前导零），库中已有党员 105（赵敏）" in result.stderr


def test_the_readme_python_example_saves_what_it_adds(seeded):
    import re
    import sqlite3
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n(from cbtool import members.*?)```", readme, re.S).group(1)
    exec(code.replace('"cbtool.db"', repr(str(seeded.db_path))), {})  # noqa: S102
    conn = sqlite3.connect(seeded.db_path)
    assert conn.execute("SELECT name FROM members WHERE member_no = '0500'").fetchone() == (
        "赵敏",)
    conn.close()
