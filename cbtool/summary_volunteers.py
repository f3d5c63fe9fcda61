"""The summary's ``volunteers`` section (teams, volunteers, their hours): counts and sums
only, no names. No terminal code here."""

from __future__ import annotations

from typing import Any

from cbtool.fields import Period
from cbtool.store import Store
from cbtool.teams import hours_of


def figures(store: Store, period: Period, area: str | None = None) -> dict[str, Any]:
    """The summary's ``volunteers`` section: counts and hours only, no names. ``area``:
    the volunteers living there, their service, and the teams of its points.

    Fast at 100,000 volunteers and 1,000,000 records: each team's hours are one seek and
    a range scan of ``service_by_team`` (no sort); the volunteers who served, one seek per
    volunteer in ``service_by_volunteer``; team sizes count the memberships, less those of
    the few who left (``volunteers_left``)."""
    start, end = period.start.isoformat(), period.end.isoformat()
    in_area = " AND v.area = ?" if area else ""
    args: tuple = (area,) if area else ()
    total, members, new = store.execute(
        "SELECT count(*), coalesce(sum(v.member_no IS NOT NULL), 0), "
        "coalesce(sum(v.registered_on BETWEEN ? AND ?), 0) FROM volunteers v "
        f"WHERE v.active = 1{in_area}", (start, end, *args)).fetchone()
    team_area = (" AND t.point IN (SELECT code FROM points WHERE area = ? OR code = ?)"
                 if area else "")
    team_args: tuple = (area, area) if area else ()
    teams = {r["team"]: {**r, "volunteers": 0, "records": 0, "hours": 0.0} for r in store.rows(
        f"SELECT t.code AS team, t.name, t.field FROM teams t WHERE t.active = 1{team_area} "
        "ORDER BY t.code", team_args)}
    active_teams = len(teams)
    size = dict(store.execute("SELECT team, count(*) FROM volunteer_teams GROUP BY team"))
    for team, n in store.execute(
            "SELECT vt.team, count(*) FROM volunteers v INDEXED BY volunteers_left "
            "JOIN volunteer_teams vt ON vt.volunteer_no = v.volunteer_no WHERE v.active = 0 "
            "GROUP BY vt.team"):
        size[team] = size.get(team, 0) - n
    for team, entry in teams.items():
        entry["volunteers"] = size.get(team, 0)
    new_teams = store.execute(
        f"SELECT count(*) FROM teams t WHERE t.founded_on BETWEEN ? AND ?{team_area}",
        (start, end, *team_args)).fetchone()[0]
    if area:  # the area's volunteers: their service, by team
        found = store.execute(
            "SELECT s.team, count(*), sum(s.minutes) FROM service s JOIN volunteers v ON "
            "v.volunteer_no = s.volunteer_no WHERE s.date BETWEEN ? AND ? AND s.voided = 0 "
            "AND v.area = ? GROUP BY s.team", (start, end, area)).fetchall()
    else:
        codes = [None, *(r[0] for r in store.execute("SELECT code FROM teams ORDER BY code"))]
        found = [(code, *store.execute(
            "SELECT count(*), coalesce(sum(minutes), 0) FROM service INDEXED BY "
            "service_by_team WHERE team IS ? AND voided = 0 AND date BETWEEN ? AND ?",
            (code, start, end)).fetchone()) for code in codes]
    minutes_no_team = records = 0
    by_team_minutes: dict[str, int] = {}
    for team, n, minutes in found:
        if not n:
            continue
        records += n
        if team is None:
            minutes_no_team += minutes
            continue
        by_team_minutes[team] = minutes
        entry = teams.get(team)
        if entry is None:  # a team closed since, or elsewhere: counted, listed after
            row = store.one("SELECT name, field FROM teams WHERE code = ?", (team,))
            entry = teams[team] = {"team": team, "name": row["name"], "field": row["field"],
                                   "volunteers": size.get(team, 0), "records": 0, "hours": 0.0}
        entry["records"] = n
        entry["hours"] = hours_of(minutes)
    by_field_minutes = dict.fromkeys(store.config.fields().keys, 0)
    for team, minutes in by_team_minutes.items():
        key = teams[team]["field"]
        by_field_minutes[key] = by_field_minutes.get(key, 0) + minutes
    served = store.execute(
        "SELECT count(*) FROM volunteers v WHERE v.active = 1"
        f"{in_area} AND EXISTS (SELECT 1 FROM service s INDEXED BY service_by_volunteer "
        "WHERE s.volunteer_no = v.volunteer_no AND s.voided = 0 AND s.date BETWEEN ? AND ?)",
        (*args, start, end)).fetchone()[0] if records else 0
    return {
        "teams": active_teams,
        "new_teams": new_teams,
        "volunteers": total,
        "members": members,
        "residents": total - members,
        "new": new,
        "records": records,
        "hours": hours_of(sum(by_team_minutes.values()) + minutes_no_team),
        "by_team": list(teams.values()),
        "by_field": {k: hours_of(m) for k, m in by_field_minutes.items()},
        "hours_no_team": hours_of(minutes_no_team),
        "serving": served,
        "idle": total - served,
    }


# The service a log carries: a log in force, its records in force; a voided log, those
# voided with it (by ``logs void``, or written voided by an import: its reason or none).
