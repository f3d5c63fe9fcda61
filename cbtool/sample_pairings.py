"""Pairings, hardship aid and brands of the sample: for ``init --sample`` those of the demo
office (first load only), written through the domain functions, the same on every machine
for an as-of day; for ``cbtool sample`` the same kinds as CSV files (``write_ledgers``).

Joint activities and brand activities are sample logs tagged with their pairing, heading
and brand (``logs.edit``), so the demo's counts of logs stay as they were."""

from __future__ import annotations

import datetime

from cbtool.store import Store
from cbtool.vocab import DEFAULT_FUNDS

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


# --- the files of ``cbtool sample`` ---------------------------------------------------
#
# The same kinds of record as a CSV each, drawn from ``random.Random`` of the seed (apart
# from the other files', so they do not change): ``pairings.csv``, ``aid.csv``,
# ``aid_given.csv``, ``aid_income.csv`` and ``brands.csv``, in the import formats of
# ``pairings import``, ``aid import``, ``aid given-import``, ``aid income-import`` and
# ``brands import``, listed in the order a new database imports them: the aid given is
# paid from the income before it, and names its case by number (the n-th row of
# ``aid.csv`` is case n in a database that had none).

PAIRING_HEADER = ("point", "unit", "branch", "since", "headings", "note")
CASE_HEADER = ("name", "household", "area", "kind", "helpers", "opened_on", "closed_on",
               "close_reason", "note")
GIVEN_HEADER = ("case", "date", "form", "amount", "fund", "note")
INCOME_HEADER = ("fund", "date", "amount", "source", "note")
BRAND_HEADER = ("area", "name", "description", "since", "status")
LEDGER_FILES = ("pairings", "aid", "aid_income", "aid_given", "brands")  # import order
# (partner unit, its branch): the demo's five, then more of the district's
UNITS = (*((u, b) for _, u, b, _ in PAIRINGS),
         ("金山区民政局", "机关党支部"), ("上海石化股份有限公司", "炼油部党支部"),
         ("金山区人民法院", "第二党支部"), ("金山区消防救援支队", "石化站党支部"),
         ("国网上海金山供电公司", "营销党支部"), ("金山区人力资源和社会保障局", "就业促进党支部"),
         ("石化街道社区卫生服务中心", "党支部"), ("金山区司法局", "石化司法所党支部"))
HEADING_LABELS = ("党员教育联搞", "思想工作联做", "社区治安联防", "公益事业联办", "贫困对象联帮",
                  "文明小区联建")
# (brand, description, status): the demo's four, then more
BRAND_IDEAS = (*((n, d, s) for _, n, d, s in BRANDS),
               ("睦邻议事会", "党员带头协商小区公共事务", "已成型"),
               ("红色楼道", "楼道党员责任区，事事有人管", "培育中"),
               ("银龄互助社", "低龄老人党员结对高龄老人", "培育中"))
CASE_KINDS = ("低保", "低收入", "支出型贫困", "因病", "其他")
CLOSE_REASONS = ("家庭收入改善", "子女工作后家庭状况好转")
FUND_NAMES = tuple(name for _, name, _ in DEFAULT_FUNDS)  # the standard two, by name
INCOME_SOURCES = dict(zip(FUND_NAMES, (("街道拨款", "街道追加拨款"),
                                       ("党员自愿捐款", "七一党员捐款")), strict=True))
GOODS_NOTES = ("米、油等慰问品", "冬令慰问物资", "节日慰问品")
CASES_PER_SAMPLE = 12


def write_ledgers(out, members_csv, *, seed: int, as_of: datetime.date) -> dict:
    """Write the five files into ``out`` (owner-only, atomically); returns their paths."""
    import csv
    import random
    from pathlib import Path

    from cbtool.files import atomic_write
    from cbtool.sample_tables import AREA_CODES, FEMALE_GIVEN, MALE_GIVEN, SURNAMES

    rng = random.Random(seed * 6007 + 29)
    out = Path(out)
    paths = {name: out / f"{name}.csv" for name in LEDGER_FILES}

    def day(back: int) -> str:
        return (as_of - datetime.timedelta(days=back)).isoformat()

    def write(name: str, header: tuple[str, ...], rows: list[tuple]) -> None:
        with atomic_write(paths[name], "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)

    helpers_of: dict[str, list[str]] = {}  # area -> its first retired or employed members
    with open(members_csv, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        cols = next(reader, [])
        no, area_at, cat = cols.index("member_no"), cols.index("area"), cols.index("category")
        for row in reader:
            if row[cat] in ("retired", "employed"):
                have = helpers_of.setdefault(row[area_at], [])
                if len(have) < 2:
                    have.append(row[no])

    areas = rng.sample(AREA_CODES, len(UNITS))
    write("pairings", PAIRING_HEADER, [
        (area, unit, branch, day(rng.randint(60, 1500)),
         "、".join(sorted(rng.sample(HEADING_LABELS, rng.randint(2, 4)),
                         key=HEADING_LABELS.index)), "")
        for area, (unit, branch) in zip(sorted(areas), UNITS, strict=True)])

    surnames = [s for s, _ in SURNAMES]
    weights = [w for _, w in SURNAMES]
    cases, given = [], []
    spent = dict.fromkeys(FUND_NAMES, 0)
    for n in range(1, CASES_PER_SAMPLE + 1):
        area = rng.choice(AREA_CODES)
        male = rng.random() < 0.5
        name = rng.choices(surnames, weights)[0] + rng.choice(MALE_GIVEN if male
                                                               else FEMALE_GIVEN)
        name += rng.choice(MALE_GIVEN if male else FEMALE_GIVEN)
        opened = rng.randint(40, 400)
        closed = opened - rng.randint(20, opened - 10) if n % 6 == 0 else None
        last = closed if closed is not None else 0  # the latest day aid may have
        cases.append((name, "true" if rng.random() < 0.6 else "false", area,
                      rng.choice(CASE_KINDS), ",".join(helpers_of.get(area, [])), day(opened),
                      day(closed) if closed is not None else "",
                      rng.choice(CLOSE_REASONS) if closed is not None else "", ""))
        backs = sorted({rng.randint(last, opened) for _ in range(rng.randint(2, 4))},
                       reverse=True)
        for i, back in enumerate(backs):
            if i == 0:
                given.append((n, day(back), "慰问", "", "", "结对党员上门慰问"))
                continue
            form = rng.choice(("救助金", "救助金", "物资", "医疗"))
            fund = FUND_NAMES[(n + i) % 2]
            yuan = rng.randint(3, 20) * 100
            spent[fund] += yuan
            given.append((n, day(back), form, str(yuan), fund,
                          rng.choice(GOODS_NOTES) if form == "物资" else ""))
    write("aid", CASE_HEADER, cases)
    given.sort(key=lambda g: (g[1], g[0]))  # by day, as a ledger is kept
    write("aid_given", GIVEN_HEADER, given)

    income = []  # before any aid, each fund what it will spend and more; later, more
    for fund, (first, later) in INCOME_SOURCES.items():
        top = (spent[fund] // 1000 + 1) * 1000
        income.append((fund, day(410), str(top), first, ""))
        income.append((fund, day(rng.randint(1, 200)), str(rng.randint(5, 30) * 100), later,
                       ""))
    write("aid_income", INCOME_HEADER, sorted(income, key=lambda r: (r[1], r[0])))

    brand_areas = sorted(rng.sample(AREA_CODES, len(BRAND_IDEAS)))
    write("brands", BRAND_HEADER, [
        (area, name, description, day(rng.randint(200, 1800))[:7], status)
        for area, (name, description, status) in zip(brand_areas, BRAND_IDEAS, strict=True)])
    return paths
