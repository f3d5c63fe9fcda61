"""The TEMP tables an import parks its rows in, and the knobs of its memory use."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from cbtool.store import Store

KEEP = 1000  # problems and warnings kept for the report (all are counted; --errors has all)
CHUNK = 2000  # rows validated, looked up and parked at a time
CACHE_LIMIT = 50_000  # distinct values remembered per field
PAGE_CACHE_KIB = 65_536  # SQLite page cache while importing (the default 2 MiB spills the
# pages of the indexes a bulk insert touches to the WAL again and again)
STAGE = "cbtool_import_rows"
REJECTS = "cbtool_import_rejects"
IDS = "cbtool_import_ids"  # the ID numbers a members file gave (see members._check_ids)


@contextmanager
def page_cache(store: Store) -> Iterator[None]:
    """A larger SQLite page cache for the duration (restored after): pages only, bounded."""
    old = store.execute("PRAGMA cache_size").fetchone()[0]
    if old < 0 and -old >= PAGE_CACHE_KIB:
        yield
        return
    store.execute(f"PRAGMA cache_size = -{PAGE_CACHE_KIB}")
    try:
        yield
    finally:
        store.execute(f"PRAGMA cache_size = {old}")


BULK_FROM = 10_000  # rows added to a table at once from which its indexes are built after


@contextmanager
def indexes_after(store: Store, table: str, adding: int) -> Iterator[None]:
    """Adding ``adding`` rows to ``table`` at once, at least as many as it has: its
    indexes are dropped for the duration and built again after, each sorted once
    (SQLite's own advice for bulk loads), instead of updated row by row. Inside the
    caller's transaction: what fails rolls back with the rest."""
    if adding < BULK_FROM or adding < store.execute(
            f"SELECT coalesce(max(rowid), 0) FROM {table}").fetchone()[0]:
        yield
        return
    kept = store.execute(  # (a UNIQUE index stays: a write may rely on it)
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND "
        "sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%' ORDER BY name", (table,)).fetchall()
    for name, _sql in kept:
        store.execute(f'DROP INDEX "{name}"')
    try:
        yield
    finally:
        for _name, sql in kept:
            store.execute(sql)


def drop_stage(store: Store) -> None:
    store.execute(f"DROP TABLE IF EXISTS temp.{IDS}")
    store.execute(f"DROP TABLE IF EXISTS temp.{STAGE}")
    store.execute(f"DROP TABLE IF EXISTS temp.{REJECTS}")
