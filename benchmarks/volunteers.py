"""The volunteers' part of the performance budget: ``summary`` over 100,000 volunteers in
200 teams with 1,000,000 service records (a benchmark, not part of the tests).

    python benchmarks/volunteers.py [--volunteers 100000] [--records 1000000]
                                    [--repeat 5] [--dir /tmp/cbtool-bench-volunteers]

The database is ``cbtool init --sample``'s (its as-of day fixed), grown with synthetic
teams, volunteers and service written straight into the tables (loading is not what is
timed); then ``summary --period this-month`` and ``this-year`` (JSON) run as separate
processes, and the median wall times are printed with the target (< 1 s).
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

BIN = Path(sys.executable).parent
AS_OF = date(2026, 11, 30)
ENV = {**{k: v for k, v in os.environ.items() if not k.startswith("CBTOOL_")},
       "CBTOOL_TODAY": AS_OF.isoformat()}
FIELDS = ("elderly", "convenience", "environment", "safety", "culture", "theory", "other")


def cbtool(*args: str) -> float:
    start = time.perf_counter()
    subprocess.run([str(BIN / "cbtool"), *args], env=ENV, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def grow(db: Path, volunteers: int, records: int) -> None:
    rng = random.Random(7)
    conn = sqlite3.connect(db)
    teams = [f"B{i:03d}" for i in range(1, 201)]
    with conn:
        conn.executemany("INSERT INTO teams (code, name, field, point) VALUES (?, ?, ?, ?)",
                         [(t, f"志愿服务队{t}", FIELDS[i % len(FIELDS)], f"A{i % 25 + 1:02d}")
                          for i, t in enumerate(teams)])
        conn.executemany(
            "INSERT INTO volunteers (volunteer_no, name, area, registered_on) "
            "VALUES (?, ?, ?, ?)",
            ((f"W{i:06d}", f"志愿者{i}", f"A{i % 25 + 1:02d}",
              (AS_OF - timedelta(days=rng.randint(0, 2000))).isoformat())
             for i in range(volunteers)))
        conn.executemany("INSERT INTO volunteer_teams (volunteer_no, team) VALUES (?, ?)",
                         ((f"W{i:06d}", teams[i % len(teams)]) for i in range(volunteers)))
        conn.executemany(
            "INSERT INTO service (volunteer_no, date, minutes, team, content) "
            "VALUES (?, ?, ?, ?, ?)",
            ((f"W{(n := rng.randrange(volunteers)):06d}",
              (AS_OF - timedelta(days=rng.randint(0, 729))).isoformat(),
              rng.choice((60, 90, 120, 180)), teams[n % len(teams)], "巡逻")
             for _ in range(records)))
    conn.execute("ANALYZE")
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--volunteers", type=int, default=100_000)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/cbtool-bench-volunteers"))
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    db = args.dir / "volunteers.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    cbtool("--db", str(db), "init", "--sample")
    started = time.perf_counter()
    grow(db, args.volunteers, args.records)
    print(f"loaded {args.volunteers:,} volunteers, {args.records:,} service records "
          f"in {time.perf_counter() - started:.1f} s")
    print("| what | figure | target |\n|---|---|---|")
    for period in ("this-month", "this-year"):
        cbtool("--db", str(db), "summary", "--period", period, "--format", "json")  # warm-up
        times = [cbtool("--db", str(db), "summary", "--period", period, "--format", "json")
                 for _ in range(args.repeat)]
        print(f"| summary --period {period} | {statistics.median(times):.2f} s | < 1 s |")


if __name__ == "__main__":
    main()
