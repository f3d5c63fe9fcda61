"""cbtool's performance budget: the commands people run, each next to the same work done
with sqlite-utils on the same database, in one run (a benchmark, not part of the tests).

    python benchmarks/bench.py [--repeat 11] [--members 100000] [--logs-million]
                               [--dir /tmp/cbtool-bench]

The database is ``cbtool init --sample``'s. For each pair the two commands run in turn
(cbtool, sqlite-utils, cbtool, sqlite-utils …) after one warm-up run of each, so both
meet the same machine; the figures are the median wall times and the median of the
pair-by-pair ratios. Every command is a separate process writing to /dev/null, as a user
or cron would run it. Run with the cbtool and sqlite-utils of one environment (install
cbtool with ``pip install .``, not ``-e``: an editable install pays for its finder on
every start). Children run without PYTHONDONTWRITEBYTECODE, so compiled modules are used
as after any normal install.

- ``members list --limit 10``   vs ``sqlite-utils rows DB members --limit 10``
- ``members show NO --format json`` vs ``sqlite-utils query`` of the member, its category
  changes, contacts and recent participation (one query, JSON)
- ``logs add …``                vs ``sqlite-utils insert DB logs row.json``
- ``checklist show``            vs ``sqlite-utils query`` of the latest check per point
  and item
- ``summary``                   vs ``sqlite-utils query`` of the same counts (members by
  area and category, archived, the month's logs by point and kind, latest checks)
- ``members --help``            vs ``sqlite-utils --help``
- ``rollup`` of 1,000 units' report JSONs vs ``rollup`` of one: the same start-up, so the
  difference is the work of reading, checking and summing 999 more
- ``members import`` of N members vs ``sqlite-utils insert --csv --no-detect-types`` of the
  same file, each into a fresh database (3 pairs)
- with ``--logs-million``: ``logs import`` of 1,000,000 logs vs ``sqlite-utils insert
  --csv --no-detect-types`` (1 pair; slow), with peak memory
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

BIN = Path(sys.executable).parent
ENV = {k: v for k, v in os.environ.items()
       if k not in ("PYTHONDONTWRITEBYTECODE", "CBTOOL_DB", "CBTOOL_CONFIG", "CBTOOL_LANG")}
AS_OF = "2026-11-30"  # the sample's last day: the same data whatever day the bench runs

SHOW_SQL = """
SELECT m.*,
  (SELECT json_group_array(json_object('from', from_category, 'to', to_category,
          'date', date, 'reason', reason)) FROM category_changes WHERE member_no = m.member_no)
    AS category_changes,
  (SELECT json_group_array(json_object('date', date, 'channel', channel, 'note', note))
     FROM contacts WHERE member_no = m.member_no) AS contacts,
  (SELECT json_group_array(json_object('id', id, 'date', date, 'point', point, 'kind', kind,
          'title', title)) FROM (SELECT l.* FROM log_participants p JOIN logs l
          ON l.id = p.log_id WHERE p.member_no = m.member_no AND l.voided = 0
          ORDER BY l.date DESC LIMIT 5)) AS recent
FROM members m WHERE m.member_no = :no
"""
CHECKLIST_SQL = """
SELECT p.code, p.name, c.item, c.ok, max(c.date) AS date FROM points p
LEFT JOIN checks c ON c.point = p.code AND c.voided = 0
WHERE p.active = 1 GROUP BY p.code, c.item ORDER BY p.kind = 'point', p.code
"""
SUMMARY_SQL = """
SELECT
  (SELECT json_group_array(json_object('area', area, 'category', category, 'n', n)) FROM
     (SELECT area, category, count(*) AS n FROM members WHERE status = 'active'
      GROUP BY area, category)) AS members,
  (SELECT count(*) FROM members WHERE status = 'archived') AS archived,
  (SELECT json_group_array(json_object('point', point, 'kind', kind, 'n', n, 'served', s,
          'hours', h)) FROM (SELECT point, kind, count(*) AS n, sum(served) AS s,
          sum(hours) AS h FROM logs WHERE voided = 0 AND date BETWEEN :start AND :end
          GROUP BY point, kind)) AS logs,
  (SELECT json_group_array(json_object('point', point, 'item', item, 'ok', ok)) FROM
     (SELECT point, item, ok, max(date) FROM checks WHERE voided = 0
      GROUP BY point, item)) AS checks
"""


def exe(name: str) -> str:
    found = BIN / name
    return str(found) if found.exists() else (shutil.which(name) or name)


def run(cmd: list[str], *, stdin: Path | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one child process; stops on a non-zero exit."""
    with open(stdin or os.devnull, "rb") as inp:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=inp, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, env=ENV)
        err = proc.stderr.read() if proc.stderr else b""
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code:
        sys.exit(f"failed ({code}): {' '.join(cmd)}\n{err.decode(errors='replace')}")
    return wall, usage.ru_maxrss / 1024


Cmd = Callable[[int], list[str]]  # the command line of run number i


def pair(ours: Cmd, theirs: Cmd, repeat: int, *, before: Callable[[str], None] | None = None,
         warmup: bool = True) -> dict[str, float]:
    """Run the two in turn ``repeat`` times (after a warm-up of each); medians and the
    median pair-by-pair ratio. ``before(side)`` prepares a run outside the timing."""
    walls: dict[str, list[float]] = {"ours": [], "theirs": []}
    peaks: dict[str, list[float]] = {"ours": [], "theirs": []}
    ratios = []
    for i in range(-1 if warmup else 0, repeat):
        this = {}
        for side, cmd in (("ours", ours), ("theirs", theirs)):
            if before:
                before(side)
            this[side], peak = run(cmd(i))
            if i >= 0:
                walls[side].append(this[side])
                peaks[side].append(peak)
        if i >= 0:
            ratios.append(this["ours"] / this["theirs"])
    return {"ours": statistics.median(walls["ours"]),
            "theirs": statistics.median(walls["theirs"]),
            "ratio": statistics.median(ratios), "spread": (min(ratios), max(ratios)),
            "peak": max(peaks["ours"]), "peak_theirs": max(peaks["theirs"])}


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=11, help="pairs per short command")
    parser.add_argument("--members", type=int, default=100_000, help="members imported")
    parser.add_argument("--logs-million", action="store_true",
                        help="also import 1,000,000 logs against sqlite-utils (minutes)")
    parser.add_argument("--dir", type=Path, default=Path("/tmp/cbtool-bench"))
    args = parser.parse_args()
    work: Path = args.dir
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    cbtool, su = exe("cbtool"), exe("sqlite-utils")
    print(f"load average at start: {load()} ({os.cpu_count()} cores)", file=sys.stderr)

    db = work / "sample.db"
    run([cbtool, "--db", str(db), "init", "--sample"])
    first = subprocess.run([su, "query", str(db), "SELECT member_no FROM members "
                              "ORDER BY member_no LIMIT 1"], capture_output=True, text=True,
                             env=ENV, check=True)
    no = json.loads(first.stdout)[0]["member_no"]
    row = work / "row.json"
    row.write_text(json.dumps({"point": "A01", "date": AS_OF, "kind": "visit",
                               "title": "走访慰问"}, ensure_ascii=False), encoding="utf-8")
    month = AS_OF[:7]
    c = [cbtool, "--db", str(db)]
    short: list[tuple[str, str, Cmd, Cmd]] = [
        ("members list --limit 10", "sqlite-utils rows DB members --limit 10",
         lambda i: [*c, "members", "list", "--limit", "10"],
         lambda i: [su, "rows", str(db), "members", "--limit", "10"]),
        (f"members show {no} --format json", "`sqlite-utils query` of the member, changes, "
         "contacts, participation",
         lambda i: [*c, "members", "show", no, "--format", "json"],
         lambda i: [su, "query", str(db), SHOW_SQL, "-p", "no", no]),
        ("logs add --point A01 --kind visit --title … --on DAY",
         "sqlite-utils insert DB logs row.json",
         lambda i: [*c, "logs", "add", "--point", "A01", "--kind", "visit",
                    "--title", f"走访慰问 {i + 2}", "--on", AS_OF],
         lambda i: [su, "insert", str(db), "logs", str(row)]),
        ("checklist show", "`sqlite-utils query` of the latest check per point and item",
         lambda i: [*c, "checklist", "show"],
         lambda i: [su, "query", str(db), CHECKLIST_SQL]),
        (f"summary --period {month}", "`sqlite-utils query` of the same counts",
         lambda i: [*c, "summary", "--period", month],
         lambda i: [su, "query", str(db), SUMMARY_SQL, "-p", "start", f"{month}-01",
                    "-p", "end", f"{month}-31"]),
        (f"summary --period {month} --format json", "`sqlite-utils query` of the same counts",
         lambda i: [*c, "summary", "--period", month, "--format", "json"],
         lambda i: [su, "query", str(db), SUMMARY_SQL, "-p", "start", f"{month}-01",
                    "-p", "end", f"{month}-31"]),
        ("members --help", "sqlite-utils --help",
         lambda i: [cbtool, "members", "--help"], lambda i: [su, "--help"]),
    ]
    rows: list[tuple[str, str, str, str, str]] = []

    def add(ours: str, theirs: str, res: dict[str, float], target: str, *, big: bool = False,
            note: str = "") -> None:
        shown = (lambda t: f"{t:.2f} s") if big else (lambda t: f"{t * 1000:.0f} ms")
        low, high = res["spread"]
        rows.append((ours + note, shown(res["ours"]), f"{theirs} {shown(res['theirs'])}",
                     f"{res['ratio']:.2f}× ({low:.2f}–{high:.2f})", target))
        print(f"  {' | '.join(rows[-1])}", file=sys.stderr)

    for ours, theirs, a, b in short:
        add(f"`cbtool {ours}`", theirs if theirs.startswith("`") else f"`{theirs}`",
            pair(a, b, args.repeat), "≤ 0.6×")

    # the district roll-up: 1,000 units' reports (the sample's, under 1,000 codes) vs one
    units, one = work / "units", work / "one"
    units.mkdir()
    one.mkdir()
    office = work / "office.toml"
    office.write_text('[office]\ncode = "U0000"\n', encoding="utf-8")
    run([*c, "--config", str(office), "report", "--period", month, "--format", "json",
         "--out", str(one / "U0000.json")])
    unit = json.loads((one / "U0000.json").read_text(encoding="utf-8"))
    for i in range(1000):
        unit["office"]["code"] = f"U{i:04d}"
        (units / f"U{i:04d}.json").write_text(json.dumps(unit, ensure_ascii=False),
                                              encoding="utf-8")
    tail = ["--period", month, "--format", "json", "--out", os.devnull]
    res = pair(lambda i: [cbtool, "rollup", str(units), *tail],
               lambda i: [cbtool, "rollup", str(one), *tail], args.repeat)
    add("`cbtool rollup` of 1,000 unit reports", "`cbtool rollup` of 1 report", res,
        "≤ 1 s beyond start-up",
        note=f" ({res['ours'] - res['theirs']:.2f} s beyond start-up)")

    # imports: each side into a fresh database (cbtool's: a copy of one with the areas)
    data = work / "data"
    run([cbtool, "sample", "--members", str(args.members), "--logs", "1000", "--seed", "7",
         "--out", str(data), "--as-of", AS_OF])
    areas_db = work / "areas.db"
    run([cbtool, "--db", str(areas_db), "init"])
    run([cbtool, "--db", str(areas_db), "areas", "import", str(data / "areas.csv"), "--yes"])
    ours_db, theirs_db = work / "import.db", work / "su-import.db"

    def fresh(template: Path) -> Callable[[str], None]:
        def prepare(side: str) -> None:
            for path in (ours_db, theirs_db):
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)
            if side == "ours":
                shutil.copy(template, ours_db)
        return prepare

    n = args.members
    members_csv = str(data / "members.csv")
    res = pair(lambda i: [cbtool, "--db", str(ours_db), "members", "import", members_csv,
                          "--yes"],
               lambda i: [su, "insert", str(theirs_db), "members", members_csv, "--csv",
                          "--no-detect-types"], 3, before=fresh(areas_db), warmup=False)
    add(f"`cbtool members import` of {n:,} members", "`sqlite-utils insert --csv "
        "--no-detect-types`", res, "≤ 1.0× (moonshot 0.5×)", big=True,
        note=f" (every field validated; {n / res['ours']:,.0f} rows/s, "
        f"peak {res['peak']:.0f} MB)")

    if args.logs_million:
        big = work / "big"
        run([cbtool, "sample", "--members", str(n), "--logs", "1000000", "--seed", "7",
             "--out", str(big), "--as-of", AS_OF])
        base = work / "logs-base.db"
        run([cbtool, "--db", str(base), "init"])
        for kind, name in (("areas", "areas"), ("members", "members"), ("checklist", "checks")):
            run([cbtool, "--db", str(base), kind, "import", str(big / f"{name}.csv"), "--yes"])
        logs_csv = str(big / "logs.csv")
        res = pair(lambda i: [cbtool, "--db", str(ours_db), "logs", "import", logs_csv,
                              "--yes"],
                   lambda i: [su, "insert", str(theirs_db), "logs", logs_csv, "--csv",
                              "--no-detect-types"], 1, before=fresh(base), warmup=False)
        add("`cbtool logs import` of 1,000,000 logs", "`sqlite-utils insert --csv "
            "--no-detect-types`", res, "peak ≤ 300 MB", big=True,
            note=f" ({1e6 / res['ours']:,.0f} rows/s, peak {res['peak']:.0f} MB)")

    print(f"load average at end: {load()}", file=sys.stderr)
    print("| command | cbtool (median) | sqlite-utils, same work (median) | ratio (median, "
          "range) | target |")
    print("|---|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")


if __name__ == "__main__":
    main()
