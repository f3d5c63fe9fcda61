"""cbtool's performance budget, measured in one run (not part of the test suite).

    python benchmarks/bench.py [--members 100000] [--logs 1000000] [--dir /tmp/cbtool-bench]

Generates data with ``cbtool sample``, then prints each figure next to its reference
and target:

- start-up: ``cbtool --version`` against ``sqlite-utils --version``       (≤ 0.7×)
- import of N members against ``sqlite-utils insert --csv --no-detect-types`` (≤ 0.5×)
  and against ``sqlite3 .import`` (the floor; ratio reported)
- import of M logs: time and peak memory                                    (≤ 300 MB)
- ``summary`` over N members and M logs                                     (< 1 s)
- ``members list --format csv --all`` over N members (rows/s)

Every command runs as a separate process, as a user or cron would run it; peak memory is
the child's own maximum resident set size (``os.wait4``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def exe(name: str) -> str:
    found = BIN / name
    return str(found) if found.exists() else (shutil.which(name) or name)


def run(cmd: list[str], *, stdout=subprocess.DEVNULL, stdin=None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one child process; fails on a non-zero exit."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.PIPE, stdin=stdin)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err}")
    return wall, usage.ru_maxrss / 1024


def best(cmd: list[str], repeat: int = 5) -> float:
    return statistics.median(run(cmd)[0] for _ in range(repeat))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--logs", type=int, default=1_000_000)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/cbtool-bench"))
    args = parser.parse_args()
    work: Path = args.dir
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    cbtool = exe("cbtool")
    data = work / "data"
    print(f"generating {args.members:,} members and {args.logs:,} logs …", file=sys.stderr)
    gen, _ = run([cbtool, "sample", "--members", str(args.members), "--logs", str(args.logs),
                  "--seed", "7", "--out", str(data)])
    rows: list[tuple[str, str, str, str, str]] = []

    def add(what: str, figure: str, reference: str, ratio: str, target: str) -> None:
        rows.append((what, figure, reference, ratio, target))
        print(f"  {what}: {figure}  ({reference}; {ratio}; target {target})", file=sys.stderr)

    add("sample data", f"{gen:.1f} s", "-", "-", "-")

    # start-up
    ours = best([cbtool, "--version"])
    theirs = best([exe("sqlite-utils"), "--version"])
    add("start-up `--version`", f"{ours * 1000:.0f} ms", f"sqlite-utils {theirs * 1000:.0f} ms",
        f"{ours / theirs:.2f}×", "≤ 0.7×")

    # members import
    members_csv = data / "members.csv"
    db = work / "bench.db"
    run([cbtool, "--db", str(db), "init"])
    run([cbtool, "--db", str(db), "areas", "import", str(data / "areas.csv")])
    ours, ours_mem = run([cbtool, "--db", str(db), "members", "import", str(members_csv)])
    theirs, _ = run([exe("sqlite-utils"), "insert", str(work / "su.db"), "members",
                     str(members_csv), "--csv", "--no-detect-types"])
    floor = None
    if shutil.which("sqlite3"):
        floor, _ = run(["sqlite3", str(work / "floor.db"), ".mode csv",
                        f".import {members_csv} members"])
    n = args.members
    add(f"import {n:,} members", f"{ours:.2f} s ({n / ours:,.0f} rows/s, {ours_mem:.0f} MB)",
        f"sqlite-utils insert {theirs:.2f} s", f"{ours / theirs:.2f}×", "≤ 0.5×")
    if floor:
        add(f"import {n:,} members", f"{ours:.2f} s", f"sqlite3 .import {floor:.2f} s",
            f"{ours / floor:.1f}×", "floor")

    # logs import
    m = args.logs
    run([cbtool, "--db", str(db), "checklist", "import", str(data / "checks.csv")])
    wall, mem = run([cbtool, "--db", str(db), "logs", "import", str(data / "logs.csv")])
    add(f"import {m:,} logs", f"{wall:.1f} s ({m / wall:,.0f} rows/s)", f"peak {mem:.0f} MB",
        "-", "≤ 300 MB")

    # summary
    for period in ("this-month", "this-year"):
        wall = best([cbtool, "--db", str(db), "summary", "--period", period, "--format", "json"],
                    repeat=3)
        add(f"summary --period {period}", f"{wall:.2f} s", f"{n:,} members, {m:,} logs", "-",
            "< 1 s")

    # listing
    wall, mem = run([cbtool, "--db", str(db), "members", "list", "--format", "csv", "--all"])
    add("members list --format csv --all", f"{wall:.2f} s ({n / wall:,.0f} rows/s)",
        f"peak {mem:.0f} MB", "-", "-")
    wall, mem = run([cbtool, "--db", str(db), "logs", "list", "--format", "csv", "--all"])
    add("logs list --format csv --all", f"{wall:.1f} s ({m / wall:,.0f} rows/s)",
        f"peak {mem:.0f} MB", "-", "streams")

    print("| what | figure | reference | ratio | target |")
    print("|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
