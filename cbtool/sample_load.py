"""``cbtool init --sample``: a small demo data set loaded through the importer.

The files come from ``cbtool.sample`` (120 members, 400 logs, seed 1, as of today) and go
in through ``importing`` like any staff member's files, so the demo also exercises the
import path. Loading twice adds nothing: the second time reuses the first load's as-of
day (kept in the audit, in the name of the files imported), so every row is unchanged.
A database that already holds members of its own is left alone.
"""

from __future__ import annotations

import csv
import datetime
import re
import tempfile
from pathlib import Path

from cbtool.errors import InvalidInput
from cbtool.store import Store
from cbtool.text import Msg

MEMBERS = 120
LOGS = 400
VOLUNTEERS = 600  # in about 10 teams: the seed's proportions for 25 areas
SEED = 1
CENTRE = ("C00", "社区党员服务中心")
FILES = (("areas", "areas"), ("members", "members"), ("logs", "logs"), ("checklist", "checks"))
_PREFIX = "cbtool-sample-"
_AS_OF = re.compile(re.escape(_PREFIX) + r"(\d{4}-\d{2}-\d{2})-")

HAS_DATA = Msg(
    "数据库中已有 {n} 名党员，示例数据只载入空数据库（请用新的 {opt_db}）",
    "the database holds {n} members already; the sample only goes into an empty database "
    "(use a new {opt_db})",
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
    first_load = as_of is None
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
        placed = _place_laid_off(paths["members"])
        from cbtool.sample_volunteers import write_volunteers

        paths.update(write_volunteers(Path(tmp), paths["members"], volunteers=VOLUNTEERS,
                                      seed=SEED, as_of=as_of))
        for kind, name in (*FILES, ("teams", "teams"), ("volunteers", "volunteers")):
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
    if first_load:
        _demo_history(store, as_of, placed)
        from cbtool.sample_volunteers import add_service

        add_service(store, seed=SEED, as_of=as_of)
        from cbtool import sample_pairings

        def counts() -> list[int]:
            return [store.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                    for _, table in _DIRECT]

        before = counts()
        sample_pairings.load(store, as_of)
        rows += [f"{name} {n - was}" for (name, _), was, n in zip(_DIRECT, before, counts(),
                                                                  strict=True)]
    tally = ", ".join(f"{key} {n}" for key, n in totals.items())
    return f"{', '.join(rows)} — {tally}"


# What the first load writes directly (not from a file), as the tally names it: the
# ``sample`` files' names and the tables they fill.
_DIRECT = (("pairings", "pairings"), ("brands", "brands"), ("aid", "aid_cases"),
           ("aid_income", "fund_income"), ("aid_given", "aid_given"))


CENTRE_LOGS = (
    (3, "study", "党员冬训：学习党的二十大精神"), (17, "meeting", "社区党委主题党日活动"),
    (40, "study", "入党积极分子培训班"), (65, "meeting", "组织生活会"),
    (100, "volunteer", "党员志愿服务集中行动"),
)


def _place_laid_off(members_csv: Path) -> list[str]:
    """Rewrite the sample's first three laid-off members as placed in work (employed), the
    same way on every load; returns their numbers for the category history."""
    with members_csv.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    placed = sorted(r["member_no"] for r in rows if r["category"] == "laid-off")[:3]
    for row in rows:
        if row["member_no"] in placed:
            row["category"], row["employer"] = "employed", "社区推荐就业岗位"
    with members_csv.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]) if rows else [])
        writer.writeheader()
        writer.writerows(rows)
    return placed


def _demo_history(store: Store, as_of: datetime.date, placed: list[str]) -> None:
    """What a spreadsheet does not carry but a living office has: the category history of
    the members placed in work, and activity at the service centre. First load only."""
    from cbtool import logs, members

    for days, no in zip((2, 9, 40), placed, strict=False):
        on = (as_of - datetime.timedelta(days=days)).isoformat()
        members.record_category_change(store, no, "laid-off", "employed", on,
                                       "社区就业援助，已上岗")
    centre = store.one("SELECT code FROM points WHERE kind = 'centre'")
    if centre:
        for days, kind, title in CENTRE_LOGS:
            day = as_of - datetime.timedelta(days=days)
            logs.add(store, {"point": centre["code"], "kind": kind, "title": title,
                             "date": day.isoformat(), "served": "0", "hours": "2"})
