"""``cbtool sample`` writes pairings, aid cases, aid given, fund income and brands too:
deterministic by seed, importable in order into a new database, counted in its message."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

from cbtool import clock

AS_OF = "2026-11-24"
# (import command, file) in the order a new database takes them: fund income before
# the aid paid from it, cases before the aid given them
ORDER = (
    (("areas", "import"), "areas"), (("members", "import"), "members"),
    (("logs", "import"), "logs"), (("checklist", "import"), "checks"),
    (("teams", "import"), "teams"), (("volunteers", "import"), "volunteers"),
    (("pairings", "import"), "pairings"), (("aid", "import"), "aid"),
    (("aid", "income-import"), "aid_income"), (("aid", "given-import"), "aid_given"),
    (("brands", "import"), "brands"),
)
TABLES = {"pairings": "pairings", "aid": "aid_cases", "aid_given": "aid_given",
          "aid_income": "fund_income", "brands": "brands"}
LABELS = {"pairings": "结对共建", "aid": "困难对象", "aid_given": "帮扶记录",
          "aid_income": "资金收入", "brands": "一居一品"}


def _sample(cli, out: Path, seed: int = 5, *extra: str):
    return cli.ok("sample", "--members", "150", "--logs", "200", "--seed", str(seed),
                  "--as-of", AS_OF, "--out", str(out), *extra, db=False)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_every_file_imports_in_order_into_a_new_database(cli, tmp_path):
    out = tmp_path / "s"
    result = _sample(cli, out)
    clock.set_clock(f"{AS_OF}T10:00:00")
    cli.ok("init")
    for command, name in ORDER:
        done = cli.ok(*command, str(out / f"{name}.csv"))
        assert "rejected 0" in done.stdout + done.stderr, (name, done.stdout, done.stderr)
    counts = {name: len(_rows(out / f"{name}.csv")) for name in TABLES}
    for name, table in TABLES.items():
        assert counts[name] and cli.count(table) == counts[name], name
        assert f"{LABELS[name]} {counts[name]}" in result.stderr, name
    assert 10 <= counts["aid"] <= 15 and counts["pairings"] <= 25
    # a few areas' brands, one each; aid from both standard funds; no fund below zero
    assert len({r["area"] for r in _rows(out / "brands.csv")}) == counts["brands"]
    assert {f for (f,) in cli.rows("SELECT DISTINCT fund FROM aid_given WHERE fund IS NOT "
                                   "NULL")} == {"emergency", "mutual"}
    for fund, balance in cli.rows(
            "SELECT fund, sum(amount) FROM (SELECT fund, amount_fen AS amount FROM "
            "fund_income UNION ALL SELECT fund, -amount_fen FROM aid_given WHERE fund IS "
            "NOT NULL) GROUP BY fund"):
        assert balance >= 0, fund
    # the pairings speak the six headings' vocabulary
    stored = {h for (hs,) in cli.rows("SELECT headings FROM pairings") for h in hs.split(",")}
    assert stored <= {"education", "ideology", "security", "welfare", "poverty", "civility"}
    # importing the same files again changes nothing
    for command, name in ORDER[6:]:
        again = cli.ok(*command, str(out / f"{name}.csv"))
        assert "inserted 0, updated 0" in again.stdout + again.stderr, name


def test_the_message_names_every_file_in_english_too(cli, tmp_path):
    result = _sample(cli, tmp_path / "s", 5)
    english = cli.ok("--lang", "en", "sample", "--members", "150", "--logs", "200",
                     "--seed", "5", "--as-of", AS_OF, "--out", str(tmp_path / "e"), db=False)
    assert "居民区 25、党员 150、台账 200" in result.stderr
    for words in ("pairings", "aid cases", "aid given", "fund income", "brands"):
        assert f"{words} " in english.stderr, words
    listed = [Path(line).stem for line in result.stdout.splitlines()]
    assert listed == [name for _, name in ORDER]  # in the order a new database takes them


def test_the_same_seed_gives_the_same_files_and_another_seed_others(cli, tmp_path):
    def digests(out: Path) -> dict[str, str]:
        return {n: hashlib.sha256((out / f"{n}.csv").read_bytes()).hexdigest()
                for n in TABLES}

    _sample(cli, tmp_path / "a", 5)
    _sample(cli, tmp_path / "b", 5)
    _sample(cli, tmp_path / "c", 6)
    assert digests(tmp_path / "a") == digests(tmp_path / "b")
    assert digests(tmp_path / "a") != digests(tmp_path / "c")
