"""An import whose added records later ones use cannot be undone: the refusal names every
such record (the first ten, then how many), and nothing is written."""

from __future__ import annotations


def _import(cli, tmp_path, rows: str):
    path = tmp_path / "党员.csv"
    path.write_text("member_no,name,category,area\n" + rows, encoding="utf-8")
    cli.ok("members", "import", str(path), "--yes")
    return cli.rows("SELECT max(id) FROM import_batches")[0][0]


def test_every_record_in_use_is_named(seeded, tmp_path):
    batch = _import(seeded, tmp_path, "0101,赵敏,在职,A01\n0102,钱进,在职,A01\n0103,孙丽,在职,A02\n")
    seeded.ok("logs", "add", "--point", "A01", "--kind", "学习教育", "--title", "支部学习",
              "--on", "2026-11-02", "--members", "0101,0103")
    before = seeded.rows("SELECT count(*) FROM members"), seeded.count("audit")
    result = seeded("imports", "undo", str(batch), "--yes")
    assert result.exit_code == 1
    assert "党员 0103、党员 0101 已被之后的记录引用" in result.stderr, result.stderr
    assert "0102" not in result.stderr
    assert (seeded.rows("SELECT count(*) FROM members"), seeded.count("audit")) == before


def test_many_in_use_are_counted(seeded, tmp_path):
    rows = "".join(f"02{i:02d},党员{i},在职,A01\n" for i in range(12))
    batch = _import(seeded, tmp_path, rows)
    seeded.ok("logs", "add", "--point", "A01", "--kind", "学习教育", "--title", "支部学习",
              "--on", "2026-11-02", "--members", ",".join(f"02{i:02d}" for i in range(12)))
    result = seeded("--lang", "en", "imports", "undo", str(batch), "--yes")
    assert result.exit_code == 1 and "and 2 more" in result.stderr, result.stderr
    zh = seeded("imports", "undo", str(batch), "--yes")
    assert "等 12 条" in zh.stderr
