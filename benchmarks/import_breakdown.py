"""Where a members import spends its time: every SQL statement it runs, timed, and the
Python functions that cost most (a measurement, not a test).

    python benchmarks/import_members.py          # writes the data and empty.db first
    python benchmarks/import_breakdown.py [--dir DIR] [--top 12] [--profile]

Runs ``cbtool members import`` of the benchmark's file in this process, into a fresh copy
of its empty database, once with each SQL statement timed (``Store.execute`` wrapped;
COMMIT is the write transaction's end; the staging executemany on the connection itself
is not among them) and, with ``--profile``, once more under cProfile, which shows it.
The two runs are separate so the profiler's overhead is not in the SQL figures. Use a
non-editable install.
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import io
import pstats
import shutil
import sys
import time
from pathlib import Path


def run_import(db: Path, members_csv: Path) -> float:
    """Seconds for ``cbtool members import`` in this process (as the command runs it)."""
    from cbtool.cli import main

    sys.argv = ["cbtool", "--db", str(db), "members", "import", str(members_csv)]
    start = time.perf_counter()
    try:
        main()
    except SystemExit as exc:
        if exc.code:
            raise
    return time.perf_counter() - start


def timed_sql(db: Path, members_csv: Path, top: int) -> None:
    from cbtool import store

    spent: collections.Counter[str] = collections.Counter()
    plain_execute = store.Store.execute
    plain_transaction = store.Store.transaction

    def execute(self, sql, params=()):
        start = time.perf_counter()
        try:
            return plain_execute(self, sql, params)
        finally:
            spent[" ".join(sql.split())[:100]] += time.perf_counter() - start

    def transaction(self):
        import contextlib

        @contextlib.contextmanager
        def timed():
            with plain_transaction(self) as s:
                yield s
                spent["COMMIT (end of the write transaction)"] -= time.perf_counter()
            spent["COMMIT (end of the write transaction)"] += time.perf_counter()

        return timed()

    store.Store.execute = execute
    store.Store.transaction = transaction
    try:
        wall = run_import(db, members_csv)
    finally:
        store.Store.execute = plain_execute
        store.Store.transaction = plain_transaction
    through = sum(v for k, v in spent.items() if not k.startswith("COMMIT"))
    print(f"\nmembers import, in-process: {wall:.2f} s; SQL through Store.execute "
          f"{through:.2f} s\n")
    for sql, seconds in spent.most_common(top):
        print(f"{seconds:6.3f} s  {sql}")


def profiled(db: Path, members_csv: Path, top: int) -> None:
    profile = cProfile.Profile()
    profile.enable()
    wall = run_import(db, members_csv)
    profile.disable()
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(top)
    print(f"\nunder cProfile: {wall:.2f} s (the profiler's overhead included)")
    print(out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, default=Path("/tmp/cbtool-bench-import"))
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--profile", action="store_true",
                        help="also run once under cProfile")
    args = parser.parse_args()
    empty = args.dir / "empty.db"
    members_csv = args.dir / "data" / "members.csv"
    if not (empty.exists() and members_csv.exists()):
        sys.exit(f"run benchmarks/import_members.py first (no {empty} or {members_csv})")
    db = args.dir / "breakdown.db"
    shutil.copy(empty, db)
    timed_sql(db, members_csv, args.top)
    if args.profile:
        shutil.copy(empty, db)
        profiled(db, members_csv, args.top)


if __name__ == "__main__":
    main()
