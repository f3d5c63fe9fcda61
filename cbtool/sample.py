"""Deterministic synthetic data: the CSV files behind ``cbtool sample`` and ``init --sample``.

``write_sample`` writes four UTF-8 CSV files with English-key headers (the import
formats of spec §4): ``areas.csv``, ``members.csv``, ``logs.csv`` and ``checks.csv``.
Everything comes from ``random.Random(seed)`` and the as-of day, so the same seed and
as-of day give byte-identical files. The four files draw from four sub-generators
seeded from the main one, so asking for more logs does not change the members.

Logs are generated and written in chunks, never held in memory as a whole: a million of
them take seconds. Only the member numbers of each area are kept (for participants).
"""

from __future__ import annotations

import csv
import datetime
import random
from bisect import bisect_right
from collections.abc import Callable
from itertools import accumulate
from pathlib import Path

from cbtool.fields import id_check_char
from cbtool.files import atomic_write, make_dirs
from cbtool.vocab import CATEGORIES, DEFAULT_ITEMS, DEFAULT_KINDS

AREA_HEADER = ("code", "name")
MEMBER_HEADER = (
    "member_no", "name", "gender", "born_on", "id_card", "phone", "category", "area",
    "joined_on", "employer", "whereabouts", "left_on", "note", "last_contact_on",
)
LOG_HEADER = ("ref", "point", "date", "kind", "title", "participants", "served", "hours", "note")
CHECK_HEADER = ("point", "item", "ok", "date", "inspector", "note")

_CHUNK = 5000  # rows handed to csv.writer.writerows at a time

# --- areas ----------------------------------------------------------------------------

_NUMERALS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三")
AREA_NAMES: tuple[str, ...] = (
    *(f"石化{n}村居民区" for n in _NUMERALS),
    "山龙居民区", "合浦居民区", "卫清居民区", "梅州居民区", "海棠居民区", "东礁居民区",
    "柳城居民区", "桥园居民区", "辰凯居民区", "紫卫居民区", "金山嘴居民区", "临潮居民区",
)
AREA_CODES: tuple[str, ...] = tuple(f"A{i:02d}" for i in range(1, len(AREA_NAMES) + 1))

# --- people ---------------------------------------------------------------------------

# Common surnames with rough weights (Shanghai-leaning: 沈, 陆, 顾, 钱, 蒋 a little higher).
_SURNAMES: tuple[tuple[str, int], ...] = (
    ("王", 70), ("张", 65), ("陈", 60), ("李", 55), ("徐", 40), ("朱", 35), ("周", 35),
    ("沈", 30), ("陆", 28), ("顾", 25), ("杨", 25), ("吴", 25), ("刘", 25), ("黄", 22),
    ("孙", 20), ("金", 18), ("钱", 15), ("蒋", 15), ("胡", 15), ("姚", 12), ("曹", 12),
    ("赵", 12), ("高", 12), ("郁", 8), ("马", 10), ("许", 10), ("何", 10), ("唐", 10),
    ("林", 10), ("郭", 8), ("施", 8), ("范", 8), ("汤", 6), ("杜", 6), ("韩", 6),
    ("丁", 6), ("倪", 6), ("邱", 5), ("陶", 5), ("叶", 6), ("戴", 6), ("俞", 6),
    ("潘", 6), ("费", 4), ("褚", 3), ("卫", 3), ("蔡", 6), ("袁", 5), ("冯", 5),
    ("邵", 4), ("秦", 4), ("严", 4), ("宋", 5), ("谢", 5), ("程", 4), ("薛", 3),
    ("欧阳", 1), ("诸葛", 1),
)
_MALE_GIVEN = (
    "伟", "强", "军", "国", "建", "明", "华", "平", "德", "志", "勇", "斌", "杰", "涛",
    "海", "林", "东", "兴", "荣", "根", "福", "宝", "龙", "新", "文", "峰", "刚", "俊",
    "磊", "健", "浩", "宇", "鹏", "飞", "超", "亮", "辉", "毅", "昌", "庆", "生", "忠",
    "永", "祥", "金", "发", "正", "成", "卫", "春", "良", "民", "云", "晨", "嘉",
    "振", "立", "光", "洪",
)
_FEMALE_GIVEN = (
    "芳", "娟", "敏", "静", "丽", "艳", "霞", "燕", "红", "英", "玲", "萍", "梅", "琴",
    "兰", "凤", "秀", "珍", "华", "云", "莉", "颖", "婷", "雪", "洁", "慧", "佳", "晶",
    "琳", "倩", "蓉", "菊", "月", "美", "彩", "玉", "惠", "雯", "薇", "怡", "君",
)
# Whole given names typical of the older generations.
_MALE_OLD = ("建国", "国庆", "根宝", "金宝", "国华", "志明", "卫东", "建华", "永林", "德明")
_FEMALE_OLD = ("秀英", "桂英", "凤英", "玉兰", "桂兰", "美华", "秀珍", "月娥", "金妹", "菊芳")

# Region prefixes of resident ID numbers, weighted. "JINSHAN" is 310228 (金山县) for
# people born before 1997 and 310116 (金山区) after.
_REGIONS: tuple[tuple[str, int], ...] = (
    ("JINSHAN", 50), ("310101", 4), ("310104", 4), ("310105", 3), ("310106", 3),
    ("310107", 3), ("310109", 3), ("310110", 3), ("310112", 4), ("310113", 3),
    ("310115", 5), ("310117", 5), ("310120", 3), ("320583", 2), ("330402", 3),
    ("330421", 2), ("340104", 1), ("342201", 1), ("412702", 1), ("511321", 1),
    ("362201", 1), ("430521", 1),
)
_MOBILE_PREFIXES = (
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151",
    "152", "153", "155", "156", "157", "158", "159", "166", "173", "177", "180", "181",
    "182", "183", "185", "186", "187", "188", "189", "199",
)
# Share of the four categories (spec §2 keys, in vocabulary order).
_SHARES = {"retired": 0.45, "laid-off": 0.10, "mobile": 0.15, "employed": 0.30}
_CATEGORY_SHARE: tuple[tuple[str, float], ...] = tuple((k, _SHARES[k]) for k in CATEGORIES.keys)
# (youngest, oldest) age on the as-of day, and share of men, per category.
_AGES = {"retired": (60, 95), "employed": (22, 60), "mobile": (22, 55), "laid-off": (35, 59)}
_MALE_SHARE = {"retired": 0.62, "employed": 0.55, "mobile": 0.6, "laid-off": 0.5}

_EMPLOYERS = (
    "上海石化股份有限公司", "中国石化上海石油化工股份有限公司", "上海金山石化建设工程有限公司",
    "上海石化物业管理有限公司", "上海金山巴士公共交通有限公司", "国网上海市电力公司金山供电公司",
    "上海化学工业区发展有限公司", "上海市金山区人民医院", "上海市金山区教育局",
    "金山区石化街道社区事务受理服务中心", "中国银行上海市金山支行", "上海金山自来水有限公司",
    "上海金山百联购物中心有限公司", "上海石化安贸有限公司", "上海金山区卫生健康委员会",
    "中国工商银行上海市金山支行", "上海金山城市建设投资有限公司", "上海石化实业有限公司",
)
_FORMER_EMPLOYERS = (
    "上海石化股份有限公司", "上海石油化工总厂", "上海石化涤纶厂", "上海石化腈纶厂",
    "上海石化塑料厂", "上海石化化工一厂", "上海石化热电厂", "金山县化工厂",
    "金山县供销合作社", "石化街道办事处", "上海金山石化医院", "金山县第二中学",
    "上海石化运输公司", "金山县粮食局", "上海金山纺织厂",
)
_WHEREABOUTS: tuple[tuple[str, int], ...] = (
    ("江苏省苏州市", 12), ("浙江省嘉兴市", 10), ("浙江省杭州市", 8), ("广东省深圳市", 8),
    ("江苏省南京市", 5), ("浙江省宁波市", 5), ("广东省广州市", 5), ("北京市", 5),
    ("江苏省昆山市", 6), ("浙江省平湖市", 5), ("安徽省合肥市", 3), ("四川省成都市", 3),
    ("湖北省武汉市", 3), ("山东省青岛市", 2), ("福建省厦门市", 2), ("海南省海口市", 2),
    ("天津市", 2), ("新疆维吾尔自治区乌鲁木齐市", 1), ("美国加利福尼亚州", 1),
)
_MEMBER_NOTES = {
    "retired": (
        "老党员，行动不便", "独居老人，需定期走访", "党龄50年以上", "居家养老",
        "楼组长", "社区志愿者骨干", "已联系家属", "住院治疗中", "享受低保", "老干部",
    ),
    "employed": (
        "已到社区报到", "在职党员，双报到", "社区志愿者骨干", "楼组长", "2024年由外区转入",
    ),
    "mobile": (
        "在外务工", "已建立微信联系", "在外地经商", "随子女外出居住", "联系电话已更换",
    ),
    "laid-off": (
        "有就业意愿", "已推荐岗位", "参加技能培训中", "家庭困难，已申请帮扶", "身体原因暂不就业",
    ),
}

# --- logs -----------------------------------------------------------------------------

_KIND_WEIGHTS = {
    "visit": 25, "aid": 10, "employment": 8, "volunteer": 20, "study": 15, "meeting": 15,
    "other": 7,
}
_TITLES = {
    "visit": (
        "走访慰问高龄党员", "走访慰问生病住院党员", "走访独居老党员", "走访慰问困难党员家庭",
        "看望慰问老党员", "走访流动党员家属",
    ),
    "aid": (
        "困难党员帮扶慰问金发放", "为困难家庭送温暖", "协助申请大病救助", "困难群众结对帮扶",
        "助老助残上门服务",
    ),
    "employment": (
        "就业岗位推介会", "下岗党员就业意向登记", "职业技能培训报名", "就业援助个别辅导",
        "社区公益性岗位推荐",
    ),
    "volunteer": (
        "社区环境整治志愿服务", "垃圾分类志愿督导", "党员志愿者义务理发", "文明交通志愿劝导",
        "便民服务进社区", "楼道堆物清理", "防汛防台安全巡查", "为老服务志愿活动",
    ),
    "study": (
        "学习党的二十大精神", "学习二十届三中全会精神", "党史学习教育专题讲座",
        "党章党规学习", "观看党员电化教育片", "学习习近平新时代中国特色社会主义思想",
    ),
    "meeting": (
        "主题党日活动", "支部党员大会", "组织生活会", "党小组会", "民主评议党员", "支委会",
    ),
    "other": ("党员服务点开放日", "居民议事会", "党群联席会议", "社区文体活动", "党建共建签约"),
}
# Titles that fit only some months, added to their kind's list in those months.
_SEASONAL = (
    ("visit", (1, 2), ("春节走访慰问老党员", "春节送温暖")),
    ("visit", (6, 7), ("七一走访慰问老党员", "七一慰问生活困难党员")),
    ("visit", (9, 10), ("中秋走访慰问困难群众", "重阳节慰问困难老党员")),
    ("aid", (12, 1, 2), ("冬令送温暖活动",)),
    ("meeting", (6, 7), ("庆祝建党节主题党日活动",)),
    ("volunteer", (3,), ("学雷锋志愿服务活动",)),
    ("volunteer", (6, 7, 8), ("夏季送清凉志愿服务",)),
)
# Per kind: most participants, residents served (low, high), volunteer hours per person.
_KIND_SHAPE = {
    "visit": (3, (1, 8), 2.0),
    "aid": (3, (1, 10), 2.0),
    "employment": (2, (1, 30), 2.5),
    "volunteer": (5, (10, 120), 3.0),
    "study": (5, (0, 0), 0.0),
    "meeting": (5, (0, 0), 0.0),
    "other": (4, (0, 60), 1.5),
}
_LOG_NOTES = (
    "天气原因延期一天", "街道领导参加", "照片已存档", "居民反映良好", "联合物业开展",
    "与共建单位联合开展", "签到表已归档",
)

# --- checks ---------------------------------------------------------------------------

_INSPECTORS = ("王芳", "李建华", "陈静", "张卫东", "周敏", "沈国强")
_CHECK_FAIL_NOTES = {
    "venue": "场所被临时占用",
    "rules": "制度未上墙",
    "board": "未设置党建园地",
    "av": "电教设备损坏待修",
    "ledger": "台帐记录不全",
}
_CHECK_OK_NOTES = ("", "", "", "", "", "", "台帐记录完整", "园地内容更新及时", "设备运行正常")


# --- helpers --------------------------------------------------------------------------


def _years_before(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` earlier (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _birthday(born: datetime.date, age: int) -> datetime.date:
    """The day one born on ``born`` turns ``age`` (29 February: 1 March)."""
    try:
        return born.replace(year=born.year + age)
    except ValueError:
        return datetime.date(born.year + age, 3, 1)


def _weighted(pairs: tuple[tuple[str, int], ...]) -> tuple[list[str], list[float]]:
    values = [v for v, _ in pairs]
    cum = list(accumulate(float(w) for _, w in pairs))
    return values, cum


def _index(cum: list[float], x: float) -> int:
    """Index of the bucket of ``x`` in cumulative weights (``x`` rounding up stays inside)."""
    i = bisect_right(cum, x)
    return i if i < len(cum) else len(cum) - 1


def _pick(rng_random: Callable[[], float], values: list[str], cum: list[float]) -> str:
    return values[_index(cum, rng_random() * cum[-1])]


def _category_plan(rng: random.Random, members: int) -> list[str]:
    """Exactly the category shares (largest remainder), every category when ≥ 4, shuffled."""
    raw = [members * share for _, share in _CATEGORY_SHARE]
    counts = [int(x) for x in raw]
    order = sorted(range(len(raw)), key=lambda i: (counts[i] - raw[i], i))
    for i in order[: members - sum(counts)]:
        counts[i] += 1
    if members >= len(counts):
        for i, n in enumerate(counts):
            if n == 0:
                counts[counts.index(max(counts))] -= 1
                counts[i] = 1
    plan = [key for (key, _), n in zip(_CATEGORY_SHARE, counts, strict=True) for _ in range(n)]
    rng.shuffle(plan)
    return plan


def _area_plan(rng: random.Random, members: int) -> list[int]:
    """Area index per member: every area once (when there are enough), then weighted."""
    weights = [rng.uniform(0.5, 1.6) for _ in AREA_CODES]
    cum = list(accumulate(weights))
    n_areas = len(AREA_CODES)
    plan = list(range(min(members, n_areas)))
    r = rng.random
    plan.extend(_index(cum, r() * cum[-1]) for _ in range(members - len(plan)))
    rng.shuffle(plan)
    return plan


# --- writers --------------------------------------------------------------------------


def _write_areas(path: Path) -> None:
    with atomic_write(path, "w") as fh:
        writer = csv.writer(fh)
        writer.writerow(AREA_HEADER)
        writer.writerows(zip(AREA_CODES, AREA_NAMES, strict=True))


def _write_members(
    path: Path, rng: random.Random, members: int, as_of: datetime.date
) -> list[list[str]]:
    """Write members.csv; return the member numbers of each area (index = area)."""
    r = rng.random
    by_area: list[list[str]] = [[] for _ in AREA_CODES]
    categories = _category_plan(rng, members)
    areas = _area_plan(rng, members)

    # A few members joined the Party recently, so "joined" shows up in this month's and
    # this year's summaries: never retired members.
    candidates = [i for i, cat in enumerate(categories) if cat != "retired"]
    n_month = min(len(candidates), max(1, members // 200)) if members else 0
    n_year = min(len(candidates) - n_month, max(1, members // 100)) if members else 0
    recent = rng.sample(candidates, n_month + n_year)
    joined_month = set(recent[:n_month])
    joined_year = set(recent[n_month:])

    surnames, surname_cum = _weighted(_SURNAMES)
    regions, region_cum = _weighted(_REGIONS)
    places, place_cum = _weighted(_WHEREABOUTS)
    as_of_ord = as_of.toordinal()
    month_start = as_of.replace(day=1).toordinal()
    year_start = as_of.replace(month=1, day=1).toordinal()
    issued: set[str] = set()
    number = rng.randrange(100, 2000)

    def given_name(male: bool, born_year: int) -> str:
        if born_year < 1960 and r() < 0.25:
            pool = _MALE_OLD if male else _FEMALE_OLD
            return pool[int(r() * len(pool))]
        pool = _MALE_GIVEN if male else _FEMALE_GIVEN
        first = pool[int(r() * len(pool))]
        if r() < 0.3:
            return first
        return first + pool[int(r() * len(pool))]

    def id_card(born: datetime.date, male: bool) -> str:
        region = _pick(r, regions, region_cum)
        if region == "JINSHAN":
            region = "310228" if born.year < 1997 else "310116"
        head = f"{region}{born.year:04d}{born.month:02d}{born.day:02d}"
        seq = int(r() * 500) * 2 + (1 if male else 0)
        for _ in range(500):
            first17 = f"{head}{seq:03d}"
            if first17 not in issued:
                issued.add(first17)
                return first17 + id_check_char(first17)
            seq = (seq + 2) % 1000
        raise RuntimeError("resident ID sequence exhausted")  # 500 people, same place & day

    with atomic_write(path, "w") as fh:
        writer = csv.writer(fh)
        writer.writerow(MEMBER_HEADER)
        rows: list[tuple[str, ...]] = []
        for i in range(members):
            cat = categories[i]
            area = areas[i]
            number += 1 + int(r() * 3)
            member_no = f"{number:07d}"
            by_area[area].append(member_no)
            male = r() < _MALE_SHARE[cat]

            youngest, oldest = _AGES[cat]
            if cat == "retired" and not male:
                youngest = 55
            hi = _years_before(as_of, youngest).toordinal()
            lo = _years_before(as_of, oldest + 1).toordinal() + 1
            u = r()
            if cat == "retired":  # fewer of the very old
                u = min(u, r())
            born = datetime.date.fromordinal(hi - int((hi - lo + 1) * u))

            name = _pick(r, surnames, surname_cum) + given_name(male, born.year)
            phone = "" if r() < 0.1 else (
                _MOBILE_PREFIXES[int(r() * len(_MOBILE_PREFIXES))] + f"{int(r() * 1e8):08d}"
            )

            adult = _birthday(born, 18).toordinal()
            if i in joined_month:
                joined = month_start + int(r() * (as_of_ord - month_start + 1))
            elif i in joined_year:
                joined = year_start + int(r() * (as_of_ord - year_start + 1))
            else:
                span = min(as_of_ord - adult, 40 * 365)
                joined = adult + int(span * r() * r())  # most join young

            employer = whereabouts = left_on = last_contact = ""
            if cat == "employed":
                employer = _EMPLOYERS[int(r() * len(_EMPLOYERS))]
            elif cat == "retired":
                if r() < 0.85:
                    employer = _FORMER_EMPLOYERS[int(r() * len(_FORMER_EMPLOYERS))]
            elif cat == "mobile":
                whereabouts = _pick(r, places, place_cum)
                left_back = min(120 + int(r() * r() * 3500), as_of_ord - adult)
                left_on = datetime.date.fromordinal(as_of_ord - left_back).isoformat()
                u = r()
                if u < 0.05:
                    last_contact = ""
                else:
                    if u < 0.30:  # overdue: older than 90 days, but after leaving
                        back = 91 + int(r() * (min(left_back, 720) - 90))
                    else:
                        back = int(r() * 91)
                    last_contact = datetime.date.fromordinal(as_of_ord - back).isoformat()

            note = ""
            if r() < 0.12:
                notes = _MEMBER_NOTES[cat]
                note = notes[int(r() * len(notes))]

            rows.append((
                member_no, name, "M" if male else "F", born.isoformat(), id_card(born, male),
                phone, cat, AREA_CODES[area], datetime.date.fromordinal(joined).isoformat(),
                employer, whereabouts, left_on, note, last_contact,
            ))
            if len(rows) >= _CHUNK:
                writer.writerows(rows)
                rows.clear()
        writer.writerows(rows)
    return by_area


def _titles_by_month() -> dict[str, list[list[str]]]:
    """kind -> month (1..12, index 0 unused) -> titles fitting that month."""
    table = {kind: [list(titles) for _ in range(13)] for kind, titles in _TITLES.items()}
    for kind, months, titles in _SEASONAL:
        for month in months:
            table[kind][month].extend(titles)
    return table


def _write_logs(
    path: Path, rng: random.Random, logs: int, seed: int, as_of: datetime.date,
    by_area: list[list[str]],
) -> None:
    r = rng.random
    n_points = len(AREA_CODES)
    activity = list(accumulate(rng.uniform(0.4, 1.8) for _ in AREA_CODES))
    total_activity = activity[-1]
    # Two points are quiet since the start of the previous month, so that "idle points"
    # show in this month's and last month's summaries.
    quiet = set(rng.sample(range(n_points), 2))
    prev_month_start = (as_of.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    quiet_back = (as_of - prev_month_start).days  # days_back <= this is in the window

    days = [as_of - datetime.timedelta(days=back) for back in range(365)]
    day_iso = [d.isoformat() for d in days]
    day_month = [d.month for d in days]
    kind_keys = [key for key, *_ in DEFAULT_KINDS]
    kind_pool = [key for key in kind_keys for _ in range(_KIND_WEIGHTS[key])]
    titles = _titles_by_month()
    shapes = _KIND_SHAPE

    with atomic_write(path, "w") as fh:
        writer = csv.writer(fh)
        writer.writerow(LOG_HEADER)
        rows: list[tuple[str, ...]] = []
        for n in range(1, logs + 1):
            point = _index(activity, r() * total_activity)
            u = r()
            if r() < 0.3:  # recent days slightly more often
                u = min(u, r())
            back = int(u * 365)
            if point in quiet and back <= quiet_back:
                back = quiet_back + 1 + int(r() * (364 - quiet_back))
            kind = kind_pool[int(r() * len(kind_pool))]
            pool = titles[kind][day_month[back]]
            title = pool[int(r() * len(pool))]

            most, (served_lo, served_hi), per_person = shapes[kind]
            area_members = by_area[point]
            k = min(int(r() * (most + 1)), len(area_members))
            chosen: list[str] = []
            while len(chosen) < k:
                no = area_members[int(r() * len(area_members))]
                if no not in chosen:
                    chosen.append(no)
            chosen.sort()
            served = served_lo + int(r() * (served_hi - served_lo + 1))
            hours = 0.0
            if per_person:
                hours = min(40.0, max(1, k) * (0.5 + r() * per_person))
            note = _LOG_NOTES[int(r() * len(_LOG_NOTES))] if r() < 0.06 else ""

            rows.append((
                f"S{seed}-{n:07d}", AREA_CODES[point], day_iso[back], kind, title,
                ",".join(chosen), str(served), f"{hours:.1f}", note,
            ))
            if len(rows) >= _CHUNK:
                writer.writerows(rows)
                rows.clear()
        writer.writerows(rows)


def _write_checks(path: Path, rng: random.Random, as_of: datetime.date) -> None:
    items = [key for key, *_ in DEFAULT_ITEMS]
    n_points = len(AREA_CODES)
    order = list(range(n_points))
    rng.shuffle(order)
    stale = set(order[:3])  # checked only more than a year ago
    missing_av = set(rng.sample(range(n_points), 3))
    missing_board = set(rng.sample(range(n_points), 2))

    def day(back: int) -> str:
        return (as_of - datetime.timedelta(days=back)).isoformat()

    with atomic_write(path, "w") as fh:
        writer = csv.writer(fh)
        writer.writerow(CHECK_HEADER)
        for p, point in enumerate(AREA_CODES):
            rounds: list[int] = []  # days back, oldest first
            if p in stale or rng.random() < 0.5:
                rounds.append(380 + rng.randrange(340))
            if p not in stale:
                rounds.append(10 + rng.randrange(290))
            missing = {"av": p in missing_av, "board": p in missing_board}
            failed_before: set[str] = set()
            for n, back in enumerate(rounds):
                latest = n == len(rounds) - 1
                inspector = _INSPECTORS[rng.randrange(len(_INSPECTORS))]
                for item in items:
                    if latest and missing.get(item):
                        ok = False
                    elif missing.get(item):
                        ok = rng.random() < 0.3
                    else:
                        ok = latest or rng.random() < 0.9
                    if not ok:
                        note = _CHECK_FAIL_NOTES[item]
                        failed_before.add(item)
                    elif item in failed_before:
                        note = "已整改"
                    else:
                        note = _CHECK_OK_NOTES[rng.randrange(len(_CHECK_OK_NOTES))]
                    writer.writerow((point, item, "true" if ok else "false", day(back),
                                     inspector, note))


# --- entry point ----------------------------------------------------------------------


def write_sample(
    out_dir: str | Path, *, members: int = 200, logs: int = 500, seed: int = 1,
    as_of: datetime.date | None = None,
) -> dict[str, Path]:
    """Write areas.csv, members.csv, logs.csv and checks.csv into ``out_dir``.

    Deterministic: the same ``seed`` and ``as_of`` (default today) give byte-identical
    files. Every date is on or before ``as_of``. Files are owner-only and written
    atomically. Returns the path of each file by name.
    """
    if members < 0 or logs < 0:
        raise ValueError("members and logs must be >= 0")
    if as_of is None:
        as_of = datetime.date.today()
    elif isinstance(as_of, datetime.datetime):
        as_of = as_of.date()
    if as_of.year < 2000:
        raise ValueError("as_of must be in the year 2000 or later")

    out = Path(out_dir)
    make_dirs(out)  # 0700, whatever the umask; unwritable: one line, exit 3
    paths = {name: out / f"{name}.csv" for name in ("areas", "members", "logs", "checks")}

    master = random.Random(seed)
    member_rng = random.Random(master.getrandbits(64))
    log_rng = random.Random(master.getrandbits(64))
    check_rng = random.Random(master.getrandbits(64))

    _write_areas(paths["areas"])
    by_area = _write_members(paths["members"], member_rng, members, as_of)
    _write_logs(paths["logs"], log_rng, logs, seed, as_of, by_area)
    _write_checks(paths["checks"], check_rng, as_of)
    return paths
