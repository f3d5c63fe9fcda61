"""Nothing lost, every mistake correctable, tried as a new clerk would: what a list's
"more rows" hint offers exists, a declined question says so, a voided check and a removed
contact read in Chinese, a dry run shows only what would change."""

from __future__ import annotations

import json

from cbtool.cli import common


def write(path, text: str):
    path.write_text(text, encoding="utf-8")
    return path


def test_imports_takes_the_all_its_hint_offers(seeded, tmp_path):
    for n in range(3):
        seeded.ok("members", "import",
                  write(tmp_path / f"m{n}.csv", f"member_no,note\n0001,核对{n}\n"))
    shown = seeded.ok("imports", "--limit", "1")
    assert "--all" in shown.stderr + shown.stdout  # the hint under the table
    every = seeded.ok("imports", "--all")
    assert all(f"m{n}.csv" in every.stdout for n in range(3)), every.stdout
    assert "未显示" not in every.stdout + every.stderr
