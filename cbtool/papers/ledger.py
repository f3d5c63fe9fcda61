"""The 服务点工作台账: one point's logs of a period in date order — date, kind, title,
the participants by name, residents served, hours, note — with totals and the point's
five-haves status as of the period's end (or today). ``all``: one sheet per point."""

from __future__ import annotations

from typing import Any

from cbtool import checklist, logs
from cbtool.areas import get_point, list_points
from cbtool.fields import Period
from cbtool.papers.model import Paper, Sheet, zh_day
from cbtool.store import Store
from cbtool.vocab import check_mark, haves

COLUMNS = ["序号", "日期", "类型", "活动内容", "参加党员", "服务人数", "志愿时长（小时）", "备注"]
TEXT_COLUMNS = frozenset({"日期", "类型", "活动内容", "参加党员", "备注"})
# Kept whole: a name of 参加党员 is never broken, only the list at its 、.
NOWRAP = {"序号", "日期", "类型", "参加党员", "服务人数", "志愿时长（小时）"}
# Printed widths (em): a 7-figure count or hours fit; 活动内容 and 参加党员 share the rest
# of the A4 width (10 em each).
WIDTHS = {"序号": 2.8, "日期": 6, "类型": 4.8, "服务人数": 4.8, "志愿时长（小时）": 4.8, "备注": 7}
_QUARTERS = "一二三四"


def period_words(period: Period) -> str:
    """2026-11 -> 2026年11月; 2026-Q4 -> 2026年第四季度; 2026 -> 2026年; else the dates."""
    label, start, end = period.label, period.start, period.end
    if "-Q" in label:
        return f"{start.year}年第{_QUARTERS[(start.month - 1) // 3]}季度"
    if len(label) == 7 and label[4] == "-":
        return f"{start.year}年{start.month}月"
    if len(label) == 4:
        return f"{start.year}年"
    return f"{zh_day(start)}至{zh_day(end)}"


def _hours(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 2)


def point_sheet(store: Store, point: dict[str, Any], period: Period) -> Sheet:
    rows, totals = logs.list_logs(store, point=point["code"], period=period)
    found = sorted(rows, key=lambda r: (r["date"], r["id"]))
    names = logs.member_names(store, sorted({n for r in found for n in r["participants"]}))
    kinds = store.config.kinds()
    body: list[list[object]] = []
    took_part = 0
    for i, log in enumerate(found, 1):
        people = [names.get(n, n) for n in log["participants"]]
        took_part += len(people)
        body.append([i, log["date"], kinds.label(log["kind"]), log["title"], "、".join(people),
                     log["served"], _hours(log["hours"]), log["note"]])
    total = ["合计", None, None, f"{totals['total']} 条", f"{took_part} 人次",
             totals["served"], _hours(totals["hours"]), None]
    office = store.config.office_name
    area = ""
    if point.get("area"):
        row = store.one("SELECT name FROM areas WHERE code = ?", (point["area"],))
        area = f"　所属居民区：{row['name'] if row else point['area']}"
    heading = [
        " ".join(p for p in (office, f"{point['name']}工作台账") if p),
        f"服务点：{point['code']} {point['name']}{area}",
        f"期间：{period_words(period)}（{period.start.isoformat()} 至 {period.end.isoformat()}）"
        f"　制表日期：{zh_day(store.today)}",
    ]
    tail = [] if found else ["本期无台账记录。"]
    tail += five_haves(store, point["code"], period)
    return Sheet(name=f"{point['code']} {point['name']}", heading=heading, columns=COLUMNS,
                 rows=list(body), total=total, tail=tail, text_columns=TEXT_COLUMNS,
                 widths=WIDTHS)


def five_haves(store: Store, code: str, period: Period) -> list[str]:
    """The point's latest check of each item on or before the as-of day, in words."""
    day = period.as_of(store.today)
    items = store.config.items()
    status = checklist.current(store, code, as_of=day)
    name = haves(len(items.keys), "zh")
    lines = [f"{name}情况（截至 {zh_day(day)} 的最近一次检查）："]
    missing = []
    for key in items.keys:
        got = status[key]
        if got["ok"] is None:
            word = f"{check_mark(None)} 未检查"  # the one set of marks (vocab.check_mark)
        else:
            word = f"{check_mark(got['ok'])} {'具备' if got['ok'] else '不具备'}（{got['date']} 检查）"
        if got["ok"] is not True:
            missing.append(items.label(key))
        lines.append(f"{items.label(key)}：{word}")
    lines.append(f"{name}全部具备。" if not missing else f"未具备或未检查：{'、'.join(missing)}。")
    return lines


def build(store: Store, point: str, period: Period) -> Paper:
    """The ledger of ``point`` (a code or exact name; ``all``: every active point)."""
    every = point.strip().lower() == "all"
    points = list(list_points(store, include_inactive=False)) if every \
        else [get_point(store, point)]
    sheets = [point_sheet(store, p, period) for p in points]
    office = store.config.office_name
    title = (" ".join(p for p in (office, f"服务点工作台账 {period_words(period)}") if p)
             if every else sheets[0].heading[0])
    return Paper(title=title, sheets=sheets, office=office, made_on=store.today,
                 key="all" if every else points[0]["code"])


def default_name(paper: Paper, period: Period, fmt: str) -> str:
    from cbtool.report.writer import safe_label

    return f"cbtool-ledger-{safe_label(paper.key)}-{safe_label(period.label)}.{fmt}"
