"""``cbtool init --sample``: a small demo data set loaded through the importer.

The files come from ``cbtool.sample`` (120 members, 400 logs, seed 1, as of today) and go
in through ``importing`` like any staff member's files, so the demo also exercises the
import path. Loading twice adds nothing: the second time reuses the first load's as-of
day (kept in the audit, in the name of the files imported), so every row is unchanged.
A database that already holds members of its own is left alone.
"""

from __future__ import annotations

import datetime
import re
import tempfile
from pathlib import Path

from cbtool.errors import InvalidInput
from cbtool.store import Store
from cbtool.text import Msg

MEMBERS = 120
LOGS = 400
SEED = 1
CENTRE = ("C00", "社区党员服务中心")
FILES = (("areas", "areas"), ("members", "members"), ("logs", "logs"), ("checklist", "checks"))
_PREFIX = "cbtool-sample-"
_AS_OF = re.compile(re.escape(_PREFIX) + r"(\d{4}-\d{2}-\d{2})-")

HAS_DATA = Msg(
    "数据库中已有 {n} 名党员，示例数据只载入空数据库（请用新的 --db）",
    "the database holds {n} members already; the sample only goes into an empty database "
    "(use a new --db)",
)
SAMPLE_REJECTED = Msg("示例数据未通过检查（{file} 第 {line} 行：{reason}）",
                      "the sample data was rejected ({file} line {line}: {reason})")


def _earlier_as_of(store: Store) -> datetime.date | None:
    """The as-of day of a sample loaded before, from the file name its audit row keeps."""
    row = store.one("SELECT key FROM audit WHERE table_name = 'members' AND action = 'import' "
                    "AND key LIKE ? ORDER BY id LIMIT 1", (f"%{_PREFIX}%",))
    match = _AS_OF.search(row["key"]) if row else None
    return datetime.date.fromisoformat(match.group(1)) if match else None


def load_sample(store: Store) -> str:
    """Write the sample files to a temporary directory and import them in order (in the
    caller's transaction). Returns the rows per file and the overall tally."""
    from cbtool import areas, importing
    from cbtool.sample import write_sample
    from cbtool.tabular import open_source

    as_of = _earlier_as_of(store)
    if as_of is None:
        count = store.execute("SELECT count(*) FROM members").fetchone()[0]
        if count:
            raise InvalidInput(HAS_DATA, n=count)
        as_of = store.today
    if not store.one("SELECT code FROM points WHERE kind = 'centre' OR code = ?", (CENTRE[0],)):
        areas.add_point(store, CENTRE[0], CENTRE[1], kind="centre")
    totals = {"inserted": 0, "updated": 0, "unchanged": 0, "rejected": 0}
    rows: list[str] = []
    with tempfile.TemporaryDirectory(prefix=f"{_PREFIX}{as_of.isoformat()}-") as tmp:
        paths = write_sample(Path(tmp), members=MEMBERS, logs=LOGS, seed=SEED, as_of=as_of)
        for kind, name in FILES:
            with open_source(str(paths[name])) as source:
                plan = importing.plan_import(store, kind, source)
            try:
                if plan.rejected:
                    first = plan.problems[0]
                    raise InvalidInput(SAMPLE_REJECTED, file=f"{name}.csv", line=first.line,
                                       reason=f"[{first.column}] {first.reason('en')}")
                importing.apply(store, plan)
            finally:
                plan.discard()
            rows.append(f"{name} {plan.rows}")
            for key in totals:
                totals[key] += getattr(plan, key)
    tally = ", ".join(f"{key} {n}" for key, n in totals.items())
    return f"{', '.join(rows)} — {tally}"
