"""Volunteer service (志愿服务记录): the time a volunteer gives, in whole minutes, on its own
(``serve``) or with a log (``logs add --volunteers``, the log's crew), voided as logs are,
never deleted; each record audited. The volunteers themselves: ``cbtool.volunteers``; the
summary's figures: ``cbtool.summary_volunteers``. No terminal code here."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cbtool import fields as f
from cbtool.errors import Conflict, FieldError, InvalidInput, NotFound
from cbtool.fields import Period
from cbtool.lazyre import lazy
from cbtool.lookup import find_key, resolver
from cbtool.store import Store, now_utc
from cbtool.teams import hours_of
from cbtool.text import Msg
from cbtool.volunteers import get

SERVICE_FIELDS = ["id", "volunteer_no", "date", "hours", "team", "log_id", "content", "note",
                  "voided", "void_reason", "created_at", "updated_at"]
# What `service export` writes (service without a log; a log's comes with the log).
SERVICE_EXPORT = [k for k in SERVICE_FIELDS if k != "log_id"]
BAD_MINUTES = Msg("{field}：“{value}”应为大于 0 的时长，如 2、1.5、1.5小时、90分钟",
                  "{field}: '{value}' must be a time above 0, e.g. 2, 1.5, 1.5h, 90分钟")
CLOSED_TEAM = Msg("{field}：队伍 {team} 已于 {on} 撤销", "{field}: team {team} closed on {on}")
LEFT = Msg("{no} 已于 {on} 退出，请先 {opt_active} 恢复", "{no} left on {on}; bring them back "
           "with {opt_active} first")
SAME_SERVICE = Msg("{no} 在 {date} 已有同样内容的志愿服务记录 #{id}（{content}）",
                   "{no} has service #{id} on {date} with the same content already ({content})")
NO_SERVICE = Msg("找不到志愿服务记录“{value}”", "no service record '{value}'")
ALREADY_VOIDED = Msg("志愿服务记录 #{id} 已作废（{reason}）",
                     "service record #{id} was voided already ({reason})")


Warning_ = tuple[Msg, dict[str, Any]]


# --- values ---------------------------------------------------------------------------

_MINUTES = lazy(r"(\d+(?:\.\d+)?)\s*(?:分钟|分|min|mins|minutes)")
_HOURS_MINUTES = lazy(r"(\d+)\s*(?:小时|个小时|h)\s*(\d+)\s*(?:分钟|分|min)?")


def parse_minutes(field: str, value: object, *, required: bool = False) -> int | None:
    """A service time as whole minutes, from hours (``2``, ``1.5``, ``1.5小时``), minutes
    (``90分钟``) or both (``1小时30分``); above 0, rounded to the minute."""
    text = f.clean(value)
    if text is None:
        if required:
            raise FieldError(field, f.REQUIRED)
        return None
    compact = f.halfwidth(text).replace(" ", "")
    if m := _MINUTES.fullmatch(compact):
        minutes = round(float(m.group(1)))
    elif m := _HOURS_MINUTES.fullmatch(compact):
        minutes = int(m.group(1)) * 60 + int(m.group(2))
    else:
        try:
            hours = f.parse_hours(field, f.without_unit(compact, f.HOUR_UNITS))
        except FieldError:
            raise FieldError(field, BAD_MINUTES, value=text) from None
        minutes = round((hours or 0) * 60)
    if minutes <= 0 or minutes > 24 * 60 * 366:
        raise FieldError(field, BAD_MINUTES, value=text)
    return minutes




# --- service ----------------------------------------------------------------------------

_SERVICE_SELECT = (
    "SELECT s.id, s.volunteer_no, s.date, s.minutes, s.team, s.log_id, "
    "coalesce(s.content, l.title) AS content, s.note, s.voided, s.void_reason, "
    "s.created_at, s.updated_at FROM service s LEFT JOIN logs l ON l.id = s.log_id")


def _service(row: dict[str, Any]) -> dict[str, Any]:
    row["hours"] = hours_of(row.pop("minutes"))
    row["voided"] = bool(row["voided"])
    return {k: row[k] for k in SERVICE_FIELDS}


def _service_id(value: object) -> int:
    text = (f.clean(value) or "").removeprefix("#")
    if not text.isdigit() or len(text) > 18:
        raise NotFound(NO_SERVICE, value=f.clean(value) or "")
    return int(text)


def get_service(store: Store, id: object) -> dict[str, Any]:
    service_id = _service_id(id)
    row = store.one(f"{_SERVICE_SELECT} WHERE s.id = ?", (service_id,))
    if row is None:
        raise NotFound(NO_SERVICE, value=service_id)
    return _service(row)


def list_service(store: Store, *, volunteer: object = None, team: object = None,
                 period: object = None, include_voided: bool = False,
                 limit: int | None = None, oldest_first: bool = False,
                 log_id: int | None = None, standalone: bool = False,
                 ) -> tuple[Iterator[dict[str, Any]], dict[str, Any]]:
    """Service records, newest first, and the totals of all that match:
    ``{"total": records, "hours": hours}``. ``log_id``: the service given with that log;
    ``standalone``: only service given without a log."""
    where: list[str] = ["s.log_id IS NULL"] if standalone else []
    params: list[Any] = []
    if log_id is not None:
        where.append("s.log_id = ?")
        params.append(log_id)
    if volunteer is not None:
        where.append("s.volunteer_no = ?")
        params.append(find_key(store, "volunteers", volunteer))
    if team is not None:
        where.append("s.team = ?")
        params.append(find_key(store, "teams", team))
    if period is not None:
        span = period if isinstance(period, Period) else f.parse_period(period, today=store.today)
        where.append("s.date BETWEEN ? AND ?")
        params.extend([span.start.isoformat(), span.end.isoformat()])
    if not include_voided:
        where.append("s.voided = 0")
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    n, minutes = store.execute(f"SELECT count(*), coalesce(sum(s.minutes), 0) FROM service s"
                               f"{clause}", params).fetchone()
    order = "s.id" if oldest_first else "s.date DESC, s.id DESC"
    sql = f"{_SERVICE_SELECT}{clause} ORDER BY {order}"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return (_service(r) for r in store.rows(sql, params)), {"total": n, "hours": hours_of(minutes)}


def team_for(store: Store, no: str, team: str | None, day: str) -> str | None:
    """The team a record is for: the one given (open on ``day``), else the volunteer's
    only team when it is open on ``day``, else none."""
    if team is None:
        teams = [r[0] for r in store.execute(
            "SELECT team FROM volunteer_teams WHERE volunteer_no = ?", (no,))]
        if len(teams) != 1:
            return None
        row = store.one("SELECT active, closed_on FROM teams WHERE code = ?", (teams[0],))
        closed = row and not row["active"] and row["closed_on"] and row["closed_on"] < day
        return None if closed else teams[0]
    row = store.one("SELECT active, closed_on FROM teams WHERE code = ?", (team,))
    if row and not row["active"] and row["closed_on"] and row["closed_on"] < day:
        raise FieldError("team", CLOSED_TEAM, team=team, on=row["closed_on"])
    return team


def serve(store: Store, volunteer: object, *, on: object = None, hours: object = None,
          team: object = None, content: object = None, note: object = None
          ) -> dict[str, Any]:
    """Record service given without a log (a patrol shift, a visit on one's own): the
    volunteer, the day (default today), the time, what was done, and the team (default
    the volunteer's only one). The same volunteer, day and content again is refused."""
    no = find_key(store, "volunteers", volunteer)
    person = get(store, no)
    if not person["active"]:
        raise InvalidInput(LEFT, no=no, on=person["left_on"] or "")
    day = f.parse_date("on", on, today=store.today) or store.today.isoformat()
    minutes = parse_minutes("hours", hours, required=True)
    text = f.text_field("content", content, required=True, limit=200)
    code = resolver(store, "teams", "team")(team) if f.clean(team) else None
    row = {"volunteer_no": no, "date": day, "minutes": minutes,
           "team": team_for(store, no, code, day), "log_id": None, "content": text,
           "note": f.text_field("note", note, limit=2000)}
    same = store.one("SELECT id FROM service WHERE volunteer_no = ? AND date = ? AND "
                     "content = ? AND log_id IS NULL AND voided = 0", (no, day, text))
    if same:
        raise Conflict(SAME_SERVICE, no=no, date=day, id=same["id"], content=text)
    return get_service(store, insert_service(store, row))


def insert_service(store: Store, row: dict[str, Any]) -> int:
    """Write one validated service record and audit it: the one way one is added."""
    now = now_utc()
    full = {**row, "voided": 1 if row.get("voided") else 0, "created_at": now,
            "updated_at": now}
    cols = list(full)
    cur = store.execute(
        f"INSERT INTO service ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
        [full[c] for c in cols])
    shown = {k: v for k, v in full.items() if v is not None and k not in ("minutes", "voided")}
    store.audit("service", cur.lastrowid, "insert", None,
                {**shown, "hours": hours_of(full["minutes"])})
    return cur.lastrowid


def void_service(store: Store, id: object, reason: object) -> dict[str, Any]:
    """Mark a service record voided with a reason; kept and audited, never deleted."""
    before = get_service(store, id)
    if before["voided"]:
        raise InvalidInput(ALREADY_VOIDED, id=before["id"], reason=before["void_reason"] or "")
    text = f.text_field("reason", reason, required=True, limit=500)
    void_record(store, before, text)
    if before["log_id"] is not None:
        _log_hours(store, before["log_id"])
    return get_service(store, before["id"])


def _log_hours(store: Store, log_id: int) -> None:
    """A log in force whose service changed: its hours the sum of what it still carries
    (as ``logs add --volunteers`` made them), audited, so its export imports back."""
    row = store.one("SELECT hours, voided FROM logs WHERE id = ?", (log_id,))
    if row is None or row["voided"]:
        return
    minutes = store.execute("SELECT coalesce(sum(minutes), 0) FROM service WHERE log_id = ? "
                            "AND voided = 0", (log_id,)).fetchone()[0]
    hours = hours_of(minutes)
    if abs(row["hours"] - hours) > 0.005:
        store.execute("UPDATE logs SET hours = ?, updated_at = ? WHERE id = ?",
                      (hours, now_utc(), log_id))
        store.audit("logs", log_id, "update", {"hours": row["hours"]}, {"hours": hours})


def void_record(store: Store, before: dict[str, Any], reason: str) -> None:
    store.execute("UPDATE service SET voided = 1, void_reason = ?, updated_at = ? WHERE id = ?",
                  (reason, now_utc(), before["id"]))
    store.audit("service", before["id"], "void", before,
                {**before, "voided": True, "void_reason": reason})


# --- a volunteer's service -------------------------------------------------------------


def show(store: Store, value: object, *, recent: int = 10) -> dict[str, Any]:
    """The volunteer, their service this year (records, hours) and the latest records."""
    record = get(store, value)
    record["service"] = totals(store, record["volunteer_no"])
    rows, _ = list_service(store, volunteer=record["volunteer_no"], limit=recent)
    record["recent"] = list(rows)
    return record


def totals(store: Store, no: str, period: Period | None = None) -> dict[str, Any]:
    """A volunteer's records and hours (not voided) in ``period`` (default this year)."""
    if period is None:
        year = store.today.year
        start, end = f"{year}-01-01", f"{year}-12-31"
        label: object = year
    else:
        start, end, label = period.start.isoformat(), period.end.isoformat(), period.label
    n, minutes = store.execute(
        "SELECT count(*), coalesce(sum(minutes), 0) FROM service WHERE volunteer_no = ? "
        "AND voided = 0 AND date BETWEEN ? AND ?", (no, start, end)).fetchone()
    all_minutes = store.execute(
        "SELECT coalesce(sum(minutes), 0) FROM service WHERE volunteer_no = ? AND voided = 0",
        (no,)).fetchone()[0]
    return {"period": label, "records": n, "hours": hours_of(minutes),
            "hours_all": hours_of(all_minutes)}


def of_member(store: Store, member_no: str) -> dict[str, Any] | None:
    """The volunteer a member is, with their teams and service this year, or None."""
    row = store.one("SELECT volunteer_no FROM volunteers WHERE member_no = ?", (member_no,))
    if row is None:
        return None
    record = get(store, row["volunteer_no"])
    names = dict(store.execute("SELECT code, name FROM teams").fetchall())
    return {"volunteer_no": record["volunteer_no"], "active": record["active"],
            "teams": [{"code": t, "name": names.get(t, "")} for t in record["teams"]],
            **{k: v for k, v in totals(store, record["volunteer_no"]).items()}}
