"""An experiment, not a code path: would checking a members file in two processes at once
(this machine has two cores) make the import twice as fast as sqlite-utils?

    python benchmarks/import_members.py          # writes the data and empty.db first
    python benchmarks/import_parallel_probe.py [--dir /tmp/cbtool-bench-import]

Two forked planners each check every other chunk of the file with cbtool's own planner
(reading snapshots of the database), park their rows in their own staging file; the parent
then writes both into the members table with one INSERT … SELECT and one commit. Cross-
planner duplicates are not even looked for, so the figure flatters the design. Printed
next to the real, single-process ``cbtool members import`` and ``sqlite-utils insert`` of
the same file, each into a fresh copy of the same database.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path


def probe(db: Path, members_csv: Path, work: Path, planners: int = 2) -> float:
    """Seconds for the two-planner import, measured from a fresh interpreter like a command."""
    code = f"""
import os, time
start = time.perf_counter()
import cbtool.cli  # what the command itself imports
from cbtool import importing
from cbtool.store import open_store
from cbtool.tabular import open_source
stages = [{str(work)!r} + f"/stage{{k}}.db" for k in range({planners})]
for path in stages:
    if os.path.exists(path):
        os.unlink(path)
children = []
for k, stage in enumerate(stages):
    pid = os.fork()
    if pid == 0:
        try:
            store = open_store({str(db)!r})
            with store.db.atomic(), open_source({str(members_csv)!r}) as source:
                every = source.cells
                source.cells = lambda k=k, every=every: (
                    row for i, row in enumerate(every())
                    if (i // importing.CHUNK) % {planners} == k)
                importing.plan_import(store, "members", source)
            store.execute(f"ATTACH '{{stage}}' AS out")
            store.execute("PRAGMA out.journal_mode = OFF")
            store.execute(f"CREATE TABLE out.rows AS SELECT * FROM temp.{{importing.STAGE}}")
            store.close()
        finally:
            os._exit(0)
    children.append(pid)
store = open_store({str(db)!r})
for pid in children:
    os.waitpid(pid, 0)
cols = ", ".join(importing.MemberImporter(store).columns)
with store.transaction():
    for k, stage in enumerate(stages):
        store.execute(f"ATTACH '{{stage}}' AS s{{k}}")
    union = " UNION ALL ".join(f"SELECT * FROM s{{k}}.rows" for k in range(len(stages)))
    store.execute(f"INSERT INTO members ({{cols}}, created_at, updated_at) "
                  f"SELECT {{cols}}, 'x', 'x' FROM ({{union}}) WHERE action = 'insert' "
                  "ORDER BY line")
inserted = store.execute("SELECT count(*) FROM members").fetchone()[0]
store.close()
assert inserted > 0, "nothing was inserted: is empty.db empty?"
for path in stages:
    os.unlink(path)
"""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - start


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, default=Path("/tmp/cbtool-bench-import"))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    work: Path = args.dir
    empty, members_csv = work / "empty.db", work / "data" / "members.csv"
    if not (empty.exists() and members_csv.exists()):
        sys.exit("run benchmarks/import_members.py first (it writes the data and empty.db)")
    copy = work / "probe.db"
    if not hasattr(os, "fork"):
        sys.exit("needs fork (Linux, macOS)")

    def fresh() -> Path:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)
        shutil.copy(empty, copy)
        return copy

    print("| run | cbtool members import | two planners (probe) | sqlite-utils insert |")
    print("|---|---|---|---|")
    for run in range(1, args.runs + 1):
        ours = timed([sys.executable, "-m", "cbtool", "--db", str(fresh()), "members",
                      "import", str(members_csv)])
        two = probe(fresh(), members_csv, work)
        theirs_db = work / "probe-sqlite-utils.db"
        theirs_db.unlink(missing_ok=True)
        theirs = timed([sys.executable, "-m", "sqlite_utils", "insert", str(theirs_db),
                        "members", str(members_csv), "--csv", "--no-detect-types"])
        print(f"| {run} | {ours:.2f} s ({ours / theirs:.2f}×) | {two:.2f} s "
              f"({two / theirs:.2f}×) | {theirs:.2f} s |")


if __name__ == "__main__":
    main()
