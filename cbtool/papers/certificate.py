"""The 志愿服务证明: for one volunteer (or each active volunteer of a team, one page
each), their name, masked ID number and teams, every service of the period with its date,
content, team and hours, the total, and the issuing office and day, under a certificate
number that is kept: the same volunteer and period again is the same certificate (its
total brought up to date), so it can be reissued."""

from __future__ import annotations

from typing import Any

from cbtool import service, volunteers
from cbtool.errors import InvalidInput
from cbtool.fields import Period, mask_id_card, parse_period
from cbtool.lookup import find_key
from cbtool.papers.ledger import period_words
from cbtool.papers.model import Paper, Sheet, zh_day
from cbtool.store import Store, now_utc
from cbtool.teams import hours_of
from cbtool.text import Msg

COLUMNS = ["序号", "日期", "服务内容", "队伍", "时长（小时）"]
TEXT_COLUMNS = frozenset({"日期", "服务内容", "队伍"})
WIDTHS = {"序号": 3, "日期": 6.5, "队伍": 9, "时长（小时）": 6}
PREFIX = "ZYZM"
NO_ONE = Msg("队伍 {team} 没有在册志愿者，未开具证明",
             "team {team} has no active volunteers; no certificate made")


def issue(store: Store, no: str, period: Period, minutes: int) -> dict[str, Any]:
    """The certificate of ``no`` for ``period``: the one issued before (its total and day
    brought up to date when the service changed since), else a new number
    (``ZYZM-2026-0001``: the year of the period's end, then the next of that year)."""
    start, end = period.start.isoformat(), period.end.isoformat()
    cols = "id, number, volunteer_no, start_on, end_on, minutes, issued_on"
    old = store.one(f"SELECT {cols} FROM certificates WHERE volunteer_no = ? AND start_on = ? "
                    "AND end_on = ?", (no, start, end))
    today = store.today.isoformat()
    if old is not None:
        if old["minutes"] != minutes:
            store.execute("UPDATE certificates SET minutes = ?, issued_on = ?, updated_at = ? "
                          "WHERE id = ?", (minutes, today, now_utc(), old["id"]))
            after = {**old, "minutes": minutes, "issued_on": today}
            store.audit("certificates", old["number"], "update", old, after)
            return after
        return old
    year = period.end.year
    last = store.execute("SELECT max(number) FROM certificates WHERE number LIKE ?",
                         (f"{PREFIX}-{year}-%",)).fetchone()[0]
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    row = {"number": f"{PREFIX}-{year}-{seq:04d}", "volunteer_no": no, "start_on": start,
           "end_on": end, "minutes": minutes, "issued_on": today}
    cur = store.execute("INSERT INTO certificates (number, volunteer_no, start_on, end_on, "
                        "minutes, issued_on) VALUES (?, ?, ?, ?, ?, ?)", tuple(row.values()))
    store.audit("certificates", row["number"], "insert", None, row)
    return {"id": cur.lastrowid, **row}


def volunteer_sheet(store: Store, no: str, period: Period, team_names: dict[str, str]
                    ) -> Sheet:
    person = volunteers.get(store, no)
    rows, totals = service.list_service(store, volunteer=no, period=period,
                                           oldest_first=True)
    found = sorted(rows, key=lambda r: (r["date"], r["id"]))
    minutes = sum(round(r["hours"] * 60) for r in found)
    cert = issue(store, no, period, minutes)
    body: list[list[object]] = [
        [i, r["date"], r["content"] or "", team_names.get(r["team"] or "", r["team"] or ""),
         _hours(r["hours"])] for i, r in enumerate(found, 1)]
    office = store.config.office_name
    teams = "、".join(team_names.get(t, t) for t in person["teams"]) or "（无）"
    who = f"志愿者编号 {person['volunteer_no']}"
    if person["id_card"]:  # always masked: a certificate is handed on
        who += f"，身份证号 {mask_id_card(person['id_card'])}"
    heading = [
        "志愿服务证明",
        f"证明编号：{cert['number']}",
        f"兹证明 {person['name']}（{who}）于{period_words(period)}参加志愿服务 "
        f"{totals['total']} 次，累计服务时长 {_hours(hours_of(minutes))} 小时，具体如下。",
        f"所在队伍：{teams}",
    ]
    tail = ["特此证明。", f"开具单位：{office or ''}（盖章）",
            f"开具日期：{zh_day(store.today)}"]
    total = ["合计", None, f"{totals['total']} 次", None, _hours(hours_of(minutes))]
    return Sheet(name=f"{person['volunteer_no']} {person['name']}"[:31], heading=heading,
                 columns=COLUMNS, rows=body, total=total, tail=tail,
                 text_columns=TEXT_COLUMNS, widths=WIDTHS)


def build(store: Store, *, volunteer: object = None, team: object = None,
          period: object = "this-year") -> Paper:
    """The certificate of one volunteer, or one page per active volunteer of ``team``;
    writes (or brings up to date) their numbers: run it in a transaction."""
    span = period if isinstance(period, Period) else parse_period(period, today=store.today)
    team_names = dict(store.execute("SELECT code, name FROM teams").fetchall())
    if team is not None:
        code = find_key(store, "teams", team)
        rows, _ = volunteers.list_volunteers(store, team=code)
        numbers = [r["volunteer_no"] for r in rows]
        if not numbers:
            raise InvalidInput(NO_ONE, team=code)
        key = code
    else:
        numbers = [find_key(store, "volunteers", volunteer)]
        key = numbers[0]
    sheets = [volunteer_sheet(store, no, span, team_names) for no in numbers]
    office = store.config.office_name
    # No footer line: each certificate names its office and day itself (its tail).
    return Paper(title=f"{office or ''}志愿服务证明", sheets=sheets, key=f"{key}-{span.label}")


def default_name(paper: Paper, fmt: str) -> str:
    from cbtool.report.writer import safe_label

    return f"cbtool-certificate-{safe_label(paper.key)}.{fmt}"


def _hours(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 2)
