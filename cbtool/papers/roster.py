"""The 花名册: members grouped by area (each with its count), numbered (序号) straight
through, under the office's name and the day it was made. Phones and ID numbers are
masked unless revealed; ages and years in the Party are counted as of the as-of day."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from cbtool import members
from cbtool.fields import mask_id_card, mask_phone
from cbtool.papers.model import Group, Paper, Sheet, zh_day
from cbtool.store import Store
from cbtool.vocab import CATEGORIES

COLUMNS = ["序号", "党员编号", "姓名", "性别", "出生日期", "年龄", "党员类别", "入党时间", "党龄",
           "身份证号", "联系电话", "工作单位/流向", "备注"]
STATUS_COLUMN = "状态"
# Everything is text in the workbook: numbers kept as typed, never reformatted by Excel.
TEXT_COLUMNS = frozenset([*COLUMNS, STATUS_COLUMN])
# Kept whole in html (a name is broken only when wider than its cell).
NOWRAP = {"序号", "党员编号", "姓名", "性别", "出生日期", "年龄", "入党时间", "党龄", "身份证号",
          "联系电话", "党员类别"}
# Printed widths (em): each fixed-format value fits on one line (an 18-character ID, a
# landline with its area code), a company's name of ten characters too; 备注 takes the
# rest of the A4 width (about 7 em; 5 em with the 状态 column, for which 工作单位/流向
# gives up 2 em).
WIDTHS = {"序号": 2.8, "党员编号": 5, "姓名": 5.2, "性别": 2.8, "出生日期": 6, "年龄": 2.8,
          "党员类别": 4.8, "入党时间": 6, "党龄": 2.8, "身份证号": 10.8, "联系电话": 7.2,
          "工作单位/流向": 11.4}
WIDTHS_WITH_STATUS = {**WIDTHS, "工作单位/流向": 9.4, STATUS_COLUMN: 3.8}
GENDERS = {"M": "男", "F": "女"}
STATUSES = {"active": "在册", "archived": "已归档"}


def _work(row: dict[str, Any]) -> str | None:
    parts = [row["employer"]] if row.get("employer") else []
    if row.get("whereabouts"):
        parts.append(f"流向：{row['whereabouts']}")
    return "；".join(parts) or None


def build(store: Store, *, area: object = None, category: object = None,
          status: str = "active", reveal: bool = False, as_of: date | None = None,
          **filters: Any) -> Paper:
    """The roster of the members ``members.list_members`` finds with these filters."""
    day = as_of or store.today
    rows, total = members.list_members(store, category=category, area=area, status=status,
                                       as_of=day, **filters)
    names = dict(store.execute("SELECT code, name FROM areas").fetchall())
    with_status = status != "active"
    columns = COLUMNS + ([STATUS_COLUMN] if with_status else [])
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(row["area"], []).append(row)
    body: list[list[object] | Group] = []
    by_category: Counter[str] = Counter()
    n = 0
    for code, people in grouped.items():
        label = f"{code} {names.get(code, '')}".strip()
        body.append(Group(f"{label}（{len(people)} 人）", key=label))
        for m in people:
            n += 1
            by_category[m["category"]] += 1
            line: list[object] = [
                str(n), m["member_no"], m["name"], GENDERS.get(m["gender"] or "", m["gender"]),
                m["born_on"], _str(members.whole_years(m["born_on"], day)),
                CATEGORIES.label(m["category"]), m["joined_on"],
                _str(members.whole_years(m["joined_on"], day)),
                m["id_card"] if reveal else mask_id_card(m["id_card"]),
                m["phone"] if reveal else mask_phone(m["phone"]), _work(m), m["note"],
            ]
            if with_status:
                line.append(STATUSES.get(m["status"], m["status"]))
            body.append(line)
    office = store.config.office_name
    title = f"{office or ''}党员花名册"
    facts = [f"制表日期：{zh_day(store.today)}　共 {total} 人"
             + (f"（{len(grouped)} 个居民区）" if len(grouped) > 1 else "")]
    scope = _scope(store, area=area, category=category, status=status, **filters)
    if scope:
        facts.append("范围：" + "；".join(scope))
    if as_of is not None or any(v is not None for v in filters.values()):
        facts.append(f"年龄、党龄计算至 {zh_day(day)}")
    counts = "，".join(f"{CATEGORIES.label(k)} {by_category[k]} 人" for k in CATEGORIES.keys
                      if by_category[k])
    tail = [f"合计 {total} 人" + (f"：{counts}" if counts else "")]
    if not reveal:
        tail.append("注：联系电话、身份证号已部分隐去。")
    sheet = Sheet(name="花名册", heading=[title, *facts], columns=columns, rows=body, tail=tail,
                  text_columns=TEXT_COLUMNS, group_column="居民区",
                  widths=WIDTHS_WITH_STATUS if with_status else WIDTHS)
    return Paper(title=title, sheets=[sheet], office=office, made_on=store.today, landscape=True)


def _str(value: int | None) -> str | None:
    return None if value is None else str(value)


def _scope(store: Store, *, area: object, category: object, status: str,
           age_min: int | None = None, age_max: int | None = None,
           party_years_min: int | None = None, joined_month: int | None = None,
           born_month: int | None = None) -> list[str]:
    """The filters, said in words for the paper's heading."""
    from cbtool.lookup import find_key

    said = []
    if area is not None:
        code = find_key(store, "areas", area)
        name = store.one("SELECT name FROM areas WHERE code = ?", (code,))
        said.append(f"居民区 {code} {name['name'] if name else ''}".strip())
    if category is not None:
        said.append(f"类别 {CATEGORIES.label(CATEGORIES.resolve(category, 'category'))}")
    if status != "active":
        said.append("含已归档" if status == "all" else "已归档党员")
    if age_min is not None and age_max is not None:
        said.append(f"年龄 {age_min}–{age_max} 岁")
    elif age_min is not None:
        said.append(f"年龄 {age_min} 岁以上")
    elif age_max is not None:
        said.append(f"年龄 {age_max} 岁以下")
    if party_years_min is not None:
        said.append(f"党龄 {party_years_min} 年以上")
    if joined_month is not None:
        said.append(f"{joined_month} 月入党（政治生日）")
    if born_month is not None:
        said.append(f"{born_month} 月出生")
    return said


def default_name(store: Store, fmt: str) -> str:
    return f"cbtool-roster-{store.today.isoformat()}.{fmt}"
