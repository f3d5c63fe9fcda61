"""Pairings (结对共建): a service point paired with a partner unit's Party branch (a district
agency, a stationed unit), working under some of the six headings (``vocab.PAIRING_HEADINGS``).
A log can name the pairing it belongs to and the heading it served (``check_log``).

Pairings are ended, never deleted. No terminal code here."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from cbtool import fields as f
from cbtool.consistency import Departures
from cbtool.errors import Conflict, FieldError, InvalidInput, NotFound
from cbtool.lookup import find_key, record_id, resolver
from cbtool.store import Store, now_utc
from cbtool.text import Msg
from cbtool.vocab import PAIRING_HEADINGS

PAIRING_FIELDS = ["id", "point", "unit", "branch", "contact", "phone", "since", "until",
                  "headings", "note", "end_reason", "created_at", "updated_at"]
WRITABLE = ["point", "unit", "branch", "contact", "phone", "since", "until", "headings",
            "note", "end_reason"]
REQUIRED = ("point", "unit", "headings")

NO_PAIRING = Msg("找不到结对共建记录“{value}”", "no pairing '{value}'")
NO_HEADING = Msg("{field}：至少写一项共建内容（{allowed}）",
                 "{field}: name at least one heading ({allowed})")
UNTIL_BEFORE = Msg("{field}：{until} 早于开始日期 {since}",
                   "{field}: the end {until} is before the start {since}")
SAME_PAIRING = Msg(
    "{point} 与“{unit}”已有结对共建 #{id}（{since} 起），不能重复结对",
    "{point} is paired with '{unit}' already (#{id}, since {since})")
ALREADY_ENDED = Msg("结对共建 #{id} 已于 {until} 结束", "pairing #{id} ended already on {until}")
LOGS_AFTER_END = Msg(
    "结对共建 #{id} 在 {last} 还有台账，结束日期 {on} 不能更早（先修改或作废这些台账）",
    "pairing #{id} has logs dated {last}; it cannot end earlier, on {on} (edit or void them first)")
# A log's pairing and heading
OTHER_POINT = Msg("{field}：结对共建 #{id} 属于服务点 {pairing_point}，不是 {point}",
                  "{field}: pairing #{id} belongs to point {pairing_point}, not {point}")
OUTSIDE = Msg("{field}：结对共建 #{id} 的期间是 {since} 至 {until}，不含 {date}",
              "{field}: pairing #{id} runs {since} to {until}, not on {date}")
HEADING_NOT_COVERED = Msg(
    "{field}：结对共建 #{id} 不含“{heading}”（它的共建内容：{covered}）",
    "{field}: pairing #{id} does not cover '{heading}' (it covers: {covered})")
HEADING_WITHOUT_PAIRING = Msg("{field}：共建内容要和结对单位一起填写",
                              "{field}: a heading goes with its pairing")
NO_UNIT_AT_POINT = Msg("{field}：服务点 {point} 在 {date} 没有与“{unit}”的结对共建",
                       "{field}: point {point} has no pairing with '{unit}' on {date}")
UNIT_AMBIGUOUS = Msg("{field}：服务点 {point} 与“{unit}”有多个结对（{ids}），请写结对编号",
                     "{field}: point {point} has several pairings with '{unit}' ({ids}); "
                     "give the pairing's number")


# --- validation -----------------------------------------------------------------------


def parse_headings(value: object, *, required: bool = False) -> list[str]:
    """Headings by key, label or synonym, separated as a list cell; in the vocabulary's
    order, each once. ``all`` / ``全部`` means all six."""
    parts = ([p for item in value for p in f.split_list(item)]
             if isinstance(value, list | tuple) else f.split_list(value))
    if any(p.lower() in ("all", "全部", "六联") for p in parts):
        return list(PAIRING_HEADINGS.keys)
    keys = {PAIRING_HEADINGS.resolve(p, "headings") for p in parts}
    if required and not keys:
        raise FieldError("headings", NO_HEADING, allowed="、".join(
            PAIRING_HEADINGS.labels[k][0] for k in PAIRING_HEADINGS.keys))
    return [k for k in PAIRING_HEADINGS.keys if k in keys]


def _unit(value: object) -> str:
    """The partner unit (共建单位): its messages name it so, not as a team's 驻区单位."""
    try:
        return f.text_field("unit", value, required=True, limit=100)
    except FieldError as exc:
        exc.kind = "pairings"
        raise


def field_parsers(store: Store) -> dict[str, Callable[[object], object]]:
    """One validator per field, shared by add and import."""
    today = store.today
    point = resolver(store, "points", "point")
    area_code = store.config.area_code
    return {
        "point": lambda v: point(f.text_field("point", v, required=True)),
        "unit": _unit,
        "branch": lambda v: f.text_field("branch", v, limit=100),
        "contact": lambda v: f.person_name("contact", v),
        "phone": lambda v: f.parse_phone_local("phone", v, area_code),
        # a month (2026年3月, 2026-03, 202603) as brands take it, from its first day
        "since": lambda v: f.month_first_day(
            f.parse_date_or_month("since", f.month_digits(v), today=today)),
        # … and an end typed as a month runs to its last day
        "until": lambda v: f.month_last_day(f.parse_date_or_month(
            "until", f.month_digits(v), allow_future=True)),
        "headings": lambda v: parse_headings(v, required=True),
        "note": lambda v: f.text_field("note", v, limit=2000),
        "end_reason": lambda v: f.text_field("end_reason", v, limit=500),
    }


def validate(store: Store, raw: dict[str, object],
             parsers: dict[str, Callable[[object], object]] | None = None,
             ) -> tuple[dict[str, Any], list[FieldError]]:
    """A complete record from raw text (None = not given) and every problem found. The
    start defaults to today; the end is open."""
    parsers = parsers or field_parsers(store)
    given = {k: v for k, v in raw.items() if v is not None and k in parsers}
    for name in REQUIRED:
        given.setdefault(name, None)
    values, problems = f.parse_fields(parsers, given)
    record = {k: values.get(k) for k in WRITABLE}
    record["since"] = record["since"] or store.today.isoformat()
    record["headings"] = record["headings"] or []
    if record["until"] and record["until"] < record["since"]:
        problems.append(FieldError("until", UNTIL_BEFORE, until=record["until"],
                                   since=record["since"]))
    if not problems and (closed := Departures(store).point(record["point"], record["since"])):
        problems.append(closed)
    return record, problems


# --- reading --------------------------------------------------------------------------

_SELECT = f"SELECT {', '.join(PAIRING_FIELDS)} FROM pairings"


def _record(row: dict[str, Any]) -> dict[str, Any]:
    row["headings"] = row["headings"].split(",") if row["headings"] else []
    return row


def get(store: Store, id: object) -> dict[str, Any]:
    """The pairing with this number (``3`` or ``#3``)."""
    row = store.one(f"{_SELECT} WHERE id = ?", (record_id(id, NO_PAIRING),))
    if row is None:
        raise NotFound(NO_PAIRING, value=f.clean(id) or "")
    return _record(row)


def is_active(pairing: dict[str, Any], day: str) -> bool:
    """The pairing runs on ``day``: its start and its end day (``until``, the last day a
    joint activity may be dated) included."""
    return pairing["since"] <= day and (pairing["until"] is None or pairing["until"] >= day)


def status_of(pairing: dict[str, Any], today: str) -> str:
    """``ended`` once its end day has come (``end`` of today reads ended at once, and
    ``end`` refuses it again), ``pending`` before its start, else ``active``: what
    ``list_pairings``'s ``status`` selects."""
    if pairing["until"] is not None and pairing["until"] <= today:
        return "ended"
    return "pending" if pairing["since"] > today else "active"


def list_pairings(store: Store, *, point: object = None, heading: object = None,
                  status: str = "active", limit: int | None = None, oldest_first: bool = False,
                  ) -> tuple[Iterator[dict[str, Any]], int]:
    """Pairings by point and start (``oldest_first``: in number order); ``status`` active
    (today), ended, or all; ``heading`` those covering it. Each carries ``active`` and
    ``logs`` (its joint activities, not voided)."""
    today = store.today.isoformat()
    where, params = [], []
    if point is not None:
        where.append("point = ?")
        params.append(find_key(store, "points", point))
    if heading is not None:
        where.append("(',' || headings || ',') LIKE ?")
        params.append(f"%,{PAIRING_HEADINGS.resolve(heading, 'heading')},%")
    if status == "active":  # as ``status`` reads them
        where.append("since <= ? AND (until IS NULL OR until > ?)")
        params += [today, today]
    elif status == "ended":
        where.append("until <= ?")
        params.append(today)
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    total = store.execute(f"SELECT count(*) FROM pairings{clause}", params).fetchone()[0]
    sql = (f"SELECT {', '.join(PAIRING_FIELDS)}, (SELECT count(*) FROM logs l "
           "WHERE l.pairing = pairings.id AND l.voided = 0) AS logs "
           f"FROM pairings{clause} ORDER BY {'id' if oldest_first else 'point, since, id'}")
    if limit is not None:
        sql += f" LIMIT {int(limit)}"

    def rows() -> Iterator[dict[str, Any]]:
        for row in store.rows(sql, params):
            row = _record(row)
            row["active"] = status_of(row, today) == "active"
            yield row

    return rows(), total


def details(store: Store, id: object) -> dict[str, Any]:
    """A pairing with its joint activities: logs by heading, the latest ones."""
    pairing = get(store, id)
    pairing["status"] = status_of(pairing, store.today.isoformat())
    pairing["active"] = pairing["status"] == "active"
    pairing["logs_by_heading"] = {
        (h or ""): n for h, n in store.execute(
            "SELECT heading, count(*) FROM logs WHERE pairing = ? AND voided = 0 "
            "GROUP BY heading ORDER BY heading", (pairing["id"],))}
    pairing["recent_logs"] = list(store.rows(
        "SELECT id, date, kind, title, heading FROM logs WHERE pairing = ? AND voided = 0 "
        "ORDER BY date DESC, id DESC LIMIT 10", (pairing["id"],)))
    return pairing


# --- writing --------------------------------------------------------------------------


def add(store: Store, raw: dict[str, object]) -> dict[str, Any]:
    """Validate and insert one pairing (text as typed, None = not given)."""
    record, problems = validate(store, raw)
    if problems:
        raise problems[0]
    check_same(store, record)
    return get(store, insert(store, record))


def check_same(store: Store, record: dict[str, Any], *, other_than: int | None = None) -> None:
    """A point is paired with a unit once at a time: a second pairing of the same point
    and unit whose time overlaps is a Conflict naming the first."""
    row = store.one(
        "SELECT id, since FROM pairings WHERE point = ? AND unit = ? AND id IS NOT ? "
        "AND (until IS NULL OR until >= ?) AND (? IS NULL OR since <= ?) ORDER BY id LIMIT 1",
        (record["point"], record["unit"], other_than, record["since"], record["until"],
         record["until"]))
    if row:
        raise Conflict(SAME_PAIRING, point=record["point"], unit=record["unit"], **row)


def insert(store: Store, record: dict[str, Any], number: int | None = None) -> int:
    """Write a validated pairing, audit it, return its number: the one insert path.
    ``number``: the number to take (an import's, known to be free), else the next."""
    now = now_utc()
    row = {k: record.get(k) for k in WRITABLE}
    row["headings"] = ",".join(record.get("headings") or [])
    row.update(created_at=now, updated_at=now)
    pairing_id = store.insert("pairings", row, number)
    store.audit("pairings", pairing_id, "insert", None,
                {k: v for k, v in row.items() if v not in (None, "")})
    return pairing_id


EDITABLE = ("unit", "branch", "contact", "phone", "since", "until", "headings", "note")
CLEARABLE = ("branch", "contact", "phone", "until", "note")
LOGS_OUTSIDE = Msg("{field}：结对共建 #{id} 在 {date} 有共建活动，不能改到 {since} 至 {until}",
                   "{field}: pairing #{id} has a joint activity on {date}; it cannot run "
                   "{since} to {until}")
HEADING_IN_USE = Msg("{field}：结对共建 #{id} 的共建活动用到了“{heading}”，不能去掉",
                     "{field}: joint activities of pairing #{id} served '{heading}'; it stays")


def check_fits(store: Store, record: dict[str, Any], pairing_id: int | None) -> None:
    """A pairing's days and headings fit its joint activities (edit and import alike): it
    ends on or after it starts, its activities lie inside its time and under its headings."""
    if record["until"] and record["until"] < record["since"]:
        raise FieldError("until", UNTIL_BEFORE, until=record["until"], since=record["since"])
    if pairing_id is None:
        return
    first, last = store.execute("SELECT min(date), max(date) FROM logs WHERE pairing = ? AND "
                                "voided = 0", (pairing_id,)).fetchone()
    if first and (first < record["since"] or (record["until"] and last > record["until"])):
        raise FieldError("since" if first < record["since"] else "until", LOGS_OUTSIDE,
                         id=pairing_id, date=first if first < record["since"] else last,
                         since=record["since"], until=record["until"] or "…")
    for (heading,) in store.execute("SELECT DISTINCT heading FROM logs WHERE pairing = ? AND "
                                    "voided = 0 AND heading IS NOT NULL", (pairing_id,)):
        if heading not in (record["headings"] or []):
            raise FieldError("headings", HEADING_IN_USE, id=pairing_id,
                             heading=PAIRING_HEADINGS.label(heading))


def edit(store: Store, id: object, raw: dict[str, object], clear: tuple[str, ...] = ()
         ) -> tuple[dict[str, Any], dict[str, Any]]:
    """Correct a pairing's fields (text as typed, None = not given) and empty the ``clear``
    ones, validated as ``add`` validates; its joint activities stay inside its time and
    under its headings. Audited with before/after."""
    before = get(store, id)
    clear = tuple(f.clear_keys(clear, CLEARABLE, "pairings"))
    values = f.parse_edit(field_parsers(store), raw, clear, editable=EDITABLE, clearable=CLEARABLE)
    merged = {**before, **values}
    check_fits(store, merged, before["id"])
    check_same(store, merged, other_than=before["id"])
    changed = {k: v for k, v in values.items() if before[k] != v}
    if not changed:
        return before, before
    stored = {k: ",".join(v) if k == "headings" else v for k, v in changed.items()}
    store.execute(f"UPDATE pairings SET {', '.join(f'{k} = ?' for k in stored)}, updated_at = ? "
                  "WHERE id = ?", [*stored.values(), now_utc(), before["id"]])
    as_stored = {**before, "headings": ",".join(before["headings"])}
    store.audit("pairings", before["id"], "update", as_stored, {**as_stored, **stored})
    return before, get(store, before["id"])


def end(store: Store, id: object, *, on: object = None, reason: object = None
        ) -> dict[str, Any]:
    """End a pairing on a day (default today): kept, with its joint activities; none of
    them may be dated after it."""
    before = get(store, id)
    today = store.today.isoformat()
    if status_of(before, today) == "ended":
        raise InvalidInput(ALREADY_ENDED, id=before["id"], until=before["until"])
    day = f.parse_date("on", on, today=store.today) or today
    if day < before["since"]:
        raise FieldError("on", UNTIL_BEFORE, until=day, since=before["since"])
    last = store.execute("SELECT max(date) FROM logs WHERE pairing = ? AND voided = 0",
                         (before["id"],)).fetchone()[0]
    if last and last > day:
        raise InvalidInput(LOGS_AFTER_END, id=before["id"], last=last, on=day)
    text = f.text_field("end_reason", reason, limit=500)
    now = now_utc()
    store.execute("UPDATE pairings SET until = ?, end_reason = ?, updated_at = ? WHERE id = ?",
                  (day, text, now, before["id"]))
    after = {**before, "until": day, "end_reason": text, "updated_at": now}
    store.audit("pairings", before["id"], "end", before, after)
    return after


# --- a log's pairing and heading --------------------------------------------------------


def parse_log_pairing(value: object) -> int | str | None:
    """A log's pairing as typed: its number (``3``, ``#3``), or the partner unit's name,
    found at the log's point by ``check_log``."""
    text = f.text_field("pairing", value, limit=100)
    if text is None:
        return None
    digits = f.strip_excel_decimal(f.halfwidth(text)).removeprefix("#")
    return int(digits) if digits.isdigit() and len(digits) <= 18 else text


def parse_log_heading(value: object) -> str | None:
    text = f.text_field("heading", value)
    return PAIRING_HEADINGS.resolve(text, "heading") if text else None


def check_log(store: Store, record: dict[str, Any]) -> list[FieldError]:
    """A log's pairing (a number or a unit's name, replaced by the number) belongs to its
    point and runs on its day; its heading is one the pairing covers."""
    value, heading = record.get("pairing"), record.get("heading")
    if value is None:
        return [FieldError("heading", HEADING_WITHOUT_PAIRING)] if heading else []
    point, day = record.get("point"), record.get("date")
    if isinstance(value, str):
        ids = [r[0] for r in store.execute(
            "SELECT id FROM pairings WHERE point = ? AND unit = ? AND since <= ? "
            "AND (until IS NULL OR until >= ?) ORDER BY id", (point, value, day, day))]
        if not ids:
            return [FieldError("pairing", NO_UNIT_AT_POINT, point=point, date=day, unit=value)]
        if len(ids) > 1:
            return [FieldError("pairing", UNIT_AMBIGUOUS, point=point, unit=value,
                               ids=", ".join(f"#{i}" for i in ids))]
        value = record["pairing"] = ids[0]
    row = store.one(f"{_SELECT} WHERE id = ?", (value,))
    if row is None:
        return [FieldError("pairing", NO_PAIRING, value=value)]
    pairing = _record(row)
    problems = []
    if pairing["point"] != point:
        problems.append(FieldError("pairing", OTHER_POINT, id=value, point=point,
                                   pairing_point=pairing["point"]))
    elif not is_active(pairing, day):
        problems.append(FieldError("pairing", OUTSIDE, id=value, date=day,
                                   since=pairing["since"], until=pairing["until"] or "…"))
    if heading and pairing["headings"] and heading not in pairing["headings"]:
        problems.append(FieldError(
            "heading", HEADING_NOT_COVERED, id=value,
            heading=PAIRING_HEADINGS.label(heading),
            covered="、".join(PAIRING_HEADINGS.label(h) for h in pairing["headings"])))
    return problems
