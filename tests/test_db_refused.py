"""A change SQLite refuses by a constraint nobody foresaw is a conflict said as such
(exit 1, nothing written), not "cannot open the database" (exit 3)."""

from __future__ import annotations

import sqlite3


def test_a_constraint_refusal_is_a_conflict(seeded):
    conn = sqlite3.connect(seeded.db_path)
    conn.execute("CREATE TRIGGER no_more BEFORE INSERT ON members "
                 "BEGIN SELECT RAISE(ABORT, 'no more members'); END")
    conn.commit()
    conn.close()
    before = seeded.count("members")
    result = seeded("members", "add", "--no", "0009", "--name", "周敏", "--category", "在职",
                    "--area", "A01")
    assert result.exit_code == 1, result.stderr
    assert "拒绝了这项修改（no more members）" in result.stderr
    assert "无法打开" not in result.stderr and "Traceback" not in result.stderr
    assert seeded.count("members") == before
