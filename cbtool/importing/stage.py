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


def drop_stage(store: Store) -> None:
    store.execute(f"DROP TABLE IF EXISTS temp.{IDS}")
    store.execute(f"DROP TABLE IF EXISTS temp.{STAGE}")
    store.execute(f"DROP TABLE IF EXISTS temp.{REJECTS}")
