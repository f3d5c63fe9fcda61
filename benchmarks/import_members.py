"""Import N members with ``cbtool members import`` next to ``sqlite-utils insert --csv
--no-detect-types`` on the same file, in one run (a benchmark, not a test).

    python benchmarks/import_members.py [--members 100000] [--dir /tmp/cbtool-bench-import]

cbtool validates every field of every row (ID check digits, dates, phones, categories,
areas), detects duplicates, classifies against the database and writes in one
transaction; sqlite-utils stores the text as it is. Both run as child processes, as a
staff member's script would run them, each into a fresh database. Reported per command:
wall time, CPU time (user + system: what the process itself spent, which stays meaningful
on a busy machine), rows/s by wall time and peak memory; then the ratios. A second cbtool
run imports the same file again (every row unchanged).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

PY = sys.executable
CBTOOL = [PY, "-m", "cbtool"]
SQLITE_UTILS = [PY, "-m", "sqlite_utils"]


def run(cmd: list[str]) -> tuple[float, float, float, str]:
    """Wall seconds, CPU seconds (user + sys), peak RSS in MB, and stderr of one child."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    if code:
        sys.exit(f"failed ({code}): {' '.join(cmd)}\n{err}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, err


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/cbtool-bench-import"))
    args = parser.parse_args()
    work: Path = args.dir
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    n = args.members
    data = work / "data"
    print(f"writing {n:,} members with cbtool sample …", file=sys.stderr)
    run([*CBTOOL, "sample", "--members", str(n), "--logs", "0", "--seed", "7",
         "--out", str(data)])
    members_csv = data / "members.csv"
    size = members_csv.stat().st_size / 2**20

    db = work / "cbtool.db"
    run([*CBTOOL, "--db", str(db), "init"])
    run([*CBTOOL, "--db", str(db), "areas", "import", str(data / "areas.csv")])
    empty = work / "empty.db"
    shutil.copy(db, empty)
    ours = run([*CBTOOL, "--db", str(db), "members", "import", str(members_csv)])
    again = run([*CBTOOL, "--db", str(db), "members", "import", str(members_csv)])
    theirs = run([*SQLITE_UTILS, "insert", str(work / "sqlite-utils.db"), "members",
                  str(members_csv), "--csv", "--no-detect-types"])

    def line(label: str, r: tuple[float, float, float, str]) -> str:
        wall, cpu, mem, _ = r
        return (f"| {label} | {wall:.2f} s | {n / wall:,.0f} rows/s | {cpu:.2f} s | "
                f"{n / cpu:,.0f} rows/s | {mem:.0f} MB |")

    print(f"\n{n:,} members, {size:.1f} MB CSV ({members_csv})\n")
    print("| command | wall | rows/s (wall) | CPU (user+sys) | rows/s (CPU) | peak RSS |")
    print("|---|---|---|---|---|---|")
    print(line("cbtool members import (validated, one transaction)", ours))
    print(line("cbtool members import, same file again (all unchanged)", again))
    print(line("sqlite-utils insert --csv --no-detect-types", theirs))
    print(f"\ncbtool / sqlite-utils: wall {ours[0] / theirs[0]:.2f}×, "
          f"CPU {ours[1] / theirs[1]:.2f}× (below 1: cbtool is faster)")
    floor_db = work / "floor.db"
    shutil.copy(empty, floor_db)  # empty.db stays empty (import_breakdown.py uses it)
    floor = write_only(floor_db, members_csv)
    print(f"the write alone, no start-up and no checks (rows as they are in the file, "
          f"executemany into cbtool's members table and its indexes, one commit): "
          f"{floor:.2f} s = {floor / theirs[0]:.2f}× sqlite-utils' whole run")
    print(f"cbtool tally: {ours[3].strip().splitlines()[-1]}")
    print(f"cbtool again: {again[3].strip().splitlines()[-1]}")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"(machine: {os.cpu_count()} CPUs, load average {load:.1f} during the run)")


def write_only(db: Path, members_csv: Path) -> float:
    """Seconds to put the file's rows, unchecked, into cbtool's members table (schema,
    indexes and pragmas as cbtool opens it) with one executemany and one commit: the part
    of an import no validation can avoid."""
    import csv
    import sqlite3

    with members_csv.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        headings = next(reader)
        rows = [[cell or None for cell in row] for row in reader]
    conn = sqlite3.connect(db, isolation_level=None)
    for pragma in ("journal_mode = WAL", "synchronous = NORMAL", "foreign_keys = ON",
                   "cache_size = -65536"):
        conn.execute(f"PRAGMA {pragma}")
    cols = [h for h in headings if h != "last_contact_on"]
    where = [headings.index(h) for h in cols]
    names = ", ".join(cols)
    marks = ", ".join("?" * len(cols))
    start = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(f"INSERT INTO members ({names}) VALUES ({marks})",
                     ([row[i] for i in where] for row in rows))
    conn.execute("COMMIT")
    conn.close()
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
