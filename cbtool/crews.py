"""Who served with a log (the log's crew): ``logs add|edit --team T --volunteers V:H,…``
and a logs file's 志愿者 cells — parsed, checked against the log's hours (their sum), and
kept as the volunteers' service records (``cbtool.service``), each audited. No terminal
code here."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from cbtool import fields as f
from cbtool.errors import FieldError, InvalidInput
from cbtool.lookup import AMBIGUOUS, resolver
from cbtool.service import get_service, insert_service, parse_minutes, team_for, void_record
from cbtool.store import Store, now_utc
from cbtool.teams import hours_of
from cbtool.text import Msg
from cbtool.volunteers import parts

BAD_CREW = Msg("{field}：“{value}”应为 志愿者:时长，如 V001:2 或 张三:1.5",
               "{field}: '{value}' must be volunteer:hours, e.g. V001:2 or 张三:1.5")
TWICE = Msg("{field}：志愿者 {no} 出现了两次", "{field}: volunteer {no} is named twice")
UNKNOWN_VOLUNTEER = Msg("{field}：没有志愿者“{value}”", "{field}: no volunteer '{value}'")
TEAM_ALONE = Msg("{opt_team} 要与 {opt_volunteers} 同用（队伍里哪些志愿者、各服务多久）",
                 "{opt_team} goes with {opt_volunteers} (who of the team served, and how long)")
HOURS_DIFFER = Msg("{field}：志愿者时长合计 {sum} 小时，与填写的 {given} 小时不一致",
                   "{field}: the volunteers' hours add up to {sum}, not {given}")



# --- service with a log ----------------------------------------------------------------


@dataclass
class Crew:
    """Who of the volunteers served with a log and how long: ``(number, minutes)`` in the
    order named, the team (or None), and the hours they add up to."""

    team: str | None
    entries: list[tuple[str, int]]

    @property
    def hours(self) -> float:
        return hours_of(sum(m for _, m in self.entries))


def parse_crew(store: Store, value: object, *, field: str = "volunteers") -> list[tuple[str, int]]:
    """``V001:2,V002:1.5`` or ``张三:2、李四:1.5``: volunteers by number or exact name, each
    with the time served (``:`` or ``：``); a volunteer once."""
    entries: list[tuple[str, int]] = []
    seen: set[str] = set()
    for part in parts(value):
        who, sep, time = f.halfwidth(part).rpartition(":")
        if not sep or not who.strip():
            raise FieldError(field, BAD_CREW, value=part)
        no = _volunteer_no(store, who.strip(), field)
        if no in seen:
            raise FieldError(field, TWICE, no=no)
        seen.add(no)
        entries.append((no, parse_minutes(field, time, required=True)))
    return entries


def _volunteer_no(store: Store, text: str, field: str) -> str:
    row = store.execute("SELECT volunteer_no FROM volunteers WHERE volunteer_no = ?",
                        (text,)).fetchone()
    if row:
        return row[0]
    rows = store.execute("SELECT volunteer_no FROM volunteers WHERE name = ? "
                         "ORDER BY volunteer_no LIMIT 6", (text,)).fetchall()
    if len(rows) == 1:
        return rows[0][0]
    if rows:
        raise FieldError(field, AMBIGUOUS, what="志愿者", what_en="volunteer", value=text,
                         codes=", ".join(r[0] for r in rows))
    raise FieldError(field, UNKNOWN_VOLUNTEER, value=text)


def crew_for_log(store: Store, team: object, volunteers: object, hours: object
                 ) -> Crew | None:
    """What ``logs add --team T --volunteers …`` names, checked: the team, each
    volunteer's time, and the log's hours (their sum; hours given must equal it)."""
    if f.clean(volunteers) is None and not isinstance(volunteers, list | tuple):
        if f.clean(team) is not None:
            raise InvalidInput(TEAM_ALONE)
        return None
    code = resolver(store, "teams", "team")(team) if f.clean(team) else None
    crew = Crew(code, parse_crew(store, volunteers))
    if not crew.entries:
        return None
    given = f.parse_hours("hours", f.without_unit(hours, f.HOUR_UNITS))
    if given is not None and abs(given - crew.hours) > 0.005:
        raise FieldError("hours", HOURS_DIFFER, sum=f"{crew.hours:g}", given=f"{given:g}")
    return crew


def check_log_hours(store: Store, log_id: int, hours: object) -> None:
    """Hours given for a log that carries volunteers must be their sum (``HOURS_DIFFER``)."""
    carried = log_crew(store, [log_id]).get(log_id)
    if not carried:
        return
    total = hours_of(sum(minutes for _no, minutes in carried))
    given = f.parse_hours("hours", f.without_unit(hours, f.HOUR_UNITS))
    if given is not None and abs(given - total) > 0.005:
        raise FieldError("hours", HOURS_DIFFER, sum=f"{total:g}", given=f"{given:g}")


def record_for_log(store: Store, log_id: int, log: dict[str, Any], crew: Crew) -> None:
    """The service records of a log just written: one per volunteer, on the log's day (a
    log written voided, as an import of a voided log does: voided with its reason, as
    ``logs void`` voids them)."""
    voided = bool(log.get("voided"))
    for no, minutes in crew.entries:
        insert_service(store, {"volunteer_no": no, "date": log["date"], "minutes": minutes,
                               "team": team_for(store, no, crew.team, log["date"]),
                               "log_id": log_id, "content": None, "note": None,
                               "voided": voided,
                               "void_reason": log.get("void_reason") if voided else None})


def follow_log(store: Store, log_id: int, *, date: str | None = None,
               void_reason: str | None = None) -> None:
    """A log's service follows the log: its new day, or its voiding (audited each)."""
    rows = list(store.rows("SELECT id FROM service WHERE log_id = ? AND voided = 0",
                           (log_id,)))
    for row in rows:
        before = get_service(store, row["id"])
        if void_reason is not None:
            void_record(store, before, void_reason)
        elif date is not None and before["date"] != date:
            store.execute("UPDATE service SET date = ?, updated_at = ? WHERE id = ?",
                          (date, now_utc(), row["id"]))
            store.audit("service", row["id"], "update", before, {**before, "date": date})


_CARRIED = ("(s.voided = 0 OR (l.voided = 1 AND (s.void_reason IS NULL "
            "OR s.void_reason = l.void_reason)))")


def log_crew(store: Store, log_ids: list[int]) -> dict[int, list[list[Any]]]:
    """log id -> its volunteers' service as sorted ``[number, minutes]`` (what the log
    carries: ``_CARRIED``)."""
    return {log_id: [[no, minutes] for no, minutes, _team in rows]
            for log_id, rows in _crews(store, log_ids).items()}


def _crews(store: Store, log_ids: list[int]) -> dict[int, list[tuple[str, int, str | None]]]:
    crews: dict[int, list[tuple[str, int, str | None]]] = {}
    for start in range(0, len(log_ids), 500):
        chunk = log_ids[start:start + 500]
        for log_id, no, minutes, team in store.execute(
                "SELECT s.log_id, s.volunteer_no, s.minutes, s.team FROM service s "
                f"JOIN logs l ON l.id = s.log_id WHERE {_CARRIED} AND s.log_id "
                f"IN ({', '.join('?' * len(chunk))}) ORDER BY s.log_id, s.volunteer_no",
                chunk):
            crews.setdefault(log_id, []).append((no, minutes, team))
    return crews


def crew_cells(entries: list[tuple[str, int, str | None]]) -> tuple[str | None, list[str]]:
    """A log's team and volunteers as a logs file gives them (``parse_crew`` reads them
    back): ``V001:2``, ``V002:1.5`` by number; the team when every record is that one's
    (records of different teams, or of none, came from each volunteer's only team and
    come back so)."""
    teams = {team for _no, _minutes, team in entries}
    team = teams.pop() if len(teams) == 1 else None
    return team, [f"{no}:{hours_of(minutes):g}" for no, minutes, _team in entries]


def log_team(store: Store, log_id: int) -> str | None:
    """The team a log's volunteers served in (``crew_cells``), or None."""
    return crew_cells(_crews(store, [log_id]).get(log_id, []))[0]


def with_crews(store: Store, logs: Iterable[dict[str, Any]], *, chunk: int = 500
               ) -> Iterator[dict[str, Any]]:
    """Logs (streamed) with their ``team`` and ``volunteers`` (``crew_cells``): what a
    logs export writes and a logs import reads back to the same service."""
    batch: list[dict[str, Any]] = []

    def flush() -> Iterator[dict[str, Any]]:
        crews = _crews(store, [r["id"] for r in batch])
        for row in batch:
            row["team"], row["volunteers"] = crew_cells(crews.get(row["id"], []))
            yield row
        batch.clear()

    for row in logs:
        batch.append(row)
        if len(batch) >= chunk:
            yield from flush()
    yield from flush()


def replace_log_crew(store: Store, log_id: int, day: str, entries: list[tuple[str, int]],
                     team: str | None, *, reason: str = "导入更正", retag: bool = False
                     ) -> None:
    """Make a log's service what ``entries`` say: a volunteer's time changed in place (a
    voided record of theirs back in force), new volunteers added, those no longer named
    voided with ``reason``. ``retag``: the kept records take the team as new ones do
    (``team``, else the volunteer's only team). Each record audited."""
    stored = {r["volunteer_no"]: r for r in store.rows(
        "SELECT id, volunteer_no, minutes, team, voided FROM service WHERE log_id = ?",
        (log_id,))}
    wanted = dict(entries)
    for no, minutes in wanted.items():
        old = stored.get(no)
        if old is None:
            insert_service(store, {"volunteer_no": no, "date": day, "minutes": minutes,
                                   "team": team_for(store, no, team, day), "log_id": log_id,
                                   "content": None, "note": None})
            continue
        code = team_for(store, no, team, day) if retag else old["team"]
        if old["minutes"] != minutes or old["voided"] or code != old["team"]:
            before = get_service(store, old["id"])
            store.execute("UPDATE service SET minutes = ?, team = ?, voided = 0, "
                          "void_reason = NULL, updated_at = ? WHERE id = ?",
                          (minutes, code, now_utc(), old["id"]))
            store.audit("service", old["id"], "update", before, get_service(store, old["id"]))
    for no, old in stored.items():
        if no not in wanted and not old["voided"]:
            void_record(store, get_service(store, old["id"]), reason)


def log_parsers(store: Store) -> dict[str, Callable[[object], object]]:
    """The validators of a log file's 志愿者 (``张三:2、李四:1.5``) and 志愿者队伍 cells."""
    team = resolver(store, "teams", "team")
    return {"volunteers": lambda v: [list(e) for e in parse_crew(store, v)] or None,
            "team": lambda v: team(v) if f.clean(v) else None}


def crew_hours(values: dict[str, Any]) -> FieldError | None:
    """A log row with volunteers: its hours become their sum (a different sum given is the
    row's problem)."""
    total = hours_of(sum(m for _, m in values["volunteers"]))
    given = values.get("hours")
    if given is not None and abs(given - total) > 0.005:
        return FieldError("hours", HOURS_DIFFER, sum=f"{total:g}", given=f"{given:g}")
    values["hours"] = total
    return None
