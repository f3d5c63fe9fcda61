"""``init --sample``: pairings, hardship aid and brands of the demo office (first load
only), written through the domain functions, the same on every machine for an as-of day.

Joint activities and brand activities are sample logs tagged with their pairing, heading
and brand (``logs.edit``), so the demo's counts of logs stay as they were."""

from __future__ import annotations

import datetime

from cbtool.store import Store

# (area, partner unit, its branch, headings)
PAIRINGS = (
    ("A01", "金山区税务局", "第一党支部", "党员教育联搞、社区治安联防"),
    ("A02", "上海石化公安处", "治安党支部", "社区治安联防、文明小区联建"),
    ("A03", "金山区卫生健康委员会", "机关党支部", "公益事业联办、贫困对象联帮"),
    ("A04", "金山区教育局", "第二党支部", "党员教育联搞、思想工作联做"),
    ("A05", "金山区市场监督管理局", "机关第三党支部", "all"),
)
# (area, brand, description, status)
BRANDS = (
    ("A01", "石化红管家", "楼组党员当好居民的管家", "已成型"),
    ("A02", "邻里守望", "党员结对独居老人，每周上门", "培育中"),
    ("A03", "夕阳红课堂", "离退休党员开讲社区党课", "已成型"),
    ("A06", "楼组议事厅", "党员牵头楼组自治", "培育中"),
)
# (area, name, household, kind, days before the as-of day it was opened)
CASES = (
    ("A01", "顾桂英", True, "低保", 200), ("A02", "钱志明", False, "因病", 150),
    ("A03", "蒋美华", True, "支出型贫困", 120), ("A04", "陆建国", False, "低收入", 90),
    ("A05", "沈秀兰", True, "其他", 60),
)


def load(store: Store, as_of: datetime.date) -> None:
    """Pairings with joint activities, brands with theirs, funds, cases and their aid."""
    from cbtool import aid, brands, funds, logs, pairings

    def day(back: int) -> str:
        return (as_of - datetime.timedelta(days=back)).isoformat()

    for area, unit, branch, headings in PAIRINGS:
        pairing = pairings.add(store, {"point": area, "unit": unit, "branch": branch,
                                       "since": day(330), "headings": headings})
        for log in _logs_of(store, area, day(330), 2):
            logs.edit(store, log, {"pairing": str(pairing["id"]),
                                   "heading": pairing["headings"][log % len(
                                       pairing["headings"])]})
    for area, name, description, status in BRANDS:
        brand = brands.add(store, {"area": area, "name": name, "description": description,
                                   "since": day(400)[:7], "status": status})
        for log in _logs_of(store, area, day(400), 1, untagged=True):
            logs.edit(store, log, {"brand": str(brand["id"])})
    funds.add_income(store, {"fund": "emergency", "amount": "20000", "date": day(240),
                           "source": "街道拨款"})
    funds.add_income(store, {"fund": "mutual", "amount": "8600.50", "date": day(240),
                           "source": "党员自愿捐款"})
    for i, (area, name, household, kind, opened) in enumerate(CASES):
        helpers = [r[0] for r in store.execute(
            "SELECT member_no FROM members WHERE area = ? AND status = 'active' "
            "AND category IN ('retired', 'employed') ORDER BY member_no LIMIT 2", (area,))]
        case = aid.add_case(store, {"name": name, "area": area, "household": household,
                                    "kind": kind, "helpers": helpers,
                                    "opened_on": day(opened)})
        aid.give(store, {"case": case["id"], "form": "慰问", "date": day(opened - 5),
                         "note": "结对党员上门慰问"})
        aid.give(store, {"case": case["id"], "form": "救助金", "amount": f"{500 + 150 * i}",
                         "fund": "emergency" if i % 2 == 0 else "mutual",
                         "date": day(opened - 20)})
    laid_off = store.one("SELECT member_no, name, area FROM members WHERE category = "
                         "'laid-off' AND status = 'active' ORDER BY member_no LIMIT 1")
    if laid_off:  # a laid-off member's employment help, not placed yet
        case = aid.add_case(store, {"name": laid_off["name"], "area": laid_off["area"],
                                    "kind": "失业", "member_no": laid_off["member_no"],
                                    "opened_on": day(45)})
        aid.give(store, {"case": case["id"], "form": "就业帮扶", "date": day(30),
                         "note": "推荐公益性岗位"})


def _logs_of(store: Store, point: str, since: str, n: int, *, untagged: bool = False
             ) -> list[int]:
    """The latest ``n`` logs of a point since a day (not voided; ``untagged``: without a
    pairing), by number."""
    extra = " AND pairing IS NULL" if untagged else ""
    return [r[0] for r in store.execute(
        f"SELECT id FROM logs WHERE point = ? AND date >= ? AND voided = 0{extra} "
        "ORDER BY date DESC, id DESC LIMIT ?", (point, since, n))]
