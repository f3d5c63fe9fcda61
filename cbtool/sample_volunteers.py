"""Deterministic synthetic volunteer teams, volunteers and their service, at the seed's
proportions (about 10 teams and 600 volunteers for the 25 areas of the demo): the
``teams.csv`` and ``volunteers.csv`` of ``cbtool sample`` and ``init --sample``, and the
service hours ``init --sample`` records (``add_service``).

Two in five members of the sample volunteer (linked by their member number);
the others are residents with their own valid ID numbers and phones. Everything comes
from ``random.Random(seed)`` and the as-of day.
"""

from __future__ import annotations

import csv
import datetime
import random
from pathlib import Path

from cbtool.fields import id_check_char
from cbtool.files import atomic_write
from cbtool.sample_tables import AREA_CODES, FEMALE_GIVEN, MALE_GIVEN, MOBILE_PREFIXES, SURNAMES

TEAM_HEADER = ("code", "name", "point", "unit", "field", "leader", "founded_on")
VOLUNTEER_HEADER = ("volunteer_no", "name", "gender", "id_card", "phone", "area",
                    "registered_on", "member_no", "teams")
# (name, field, organised by a stationed unit?) — the order is part of the output
TEAMS = (
    ("银发巡逻队", "safety", False), ("夕阳红助老服务队", "elderly", False),
    ("绿色家园环保队", "environment", False), ("邻里守望平安队", "safety", False),
    ("红色宣讲团", "theory", False), ("便民维修服务队", "convenience", False),
    ("社区文体志愿队", "culture", False), ("爱心帮扶服务队", "elderly", False),
    ("石化共建志愿服务队", "convenience", True), ("消防安全宣传队", "safety", True),
    ("青年突击队", "other", False), ("垃圾分类指导队", "environment", False),
)
UNITS = ("上海石化股份有限公司", "金山区消防救援支队")
CONTENT = {
    "safety": ("夜间治安巡逻", "节假日平安值守", "防范电信诈骗宣传"),
    "elderly": ("高龄老人助餐送餐", "独居老人上门探访", "助老理发"),
    "environment": ("小区环境清洁", "垃圾分类桶边督导", "河道巡查保洁"),
    "theory": ("政策理论宣讲", "党史学习分享会"),
    "convenience": ("家电义务维修", "磨刀补鞋便民服务", "义务量血压"),
    "culture": ("广场舞活动组织", "社区读书会", "少儿暑期托管"),
    "other": ("疫苗接种现场引导", "社区活动现场服务"),
}
MINUTES = (60, 90, 120, 120, 150, 180, 240)


def _weighted_surname(rng: random.Random) -> str:
    names = [s for s, _ in SURNAMES]
    weights = [w for _, w in SURNAMES]
    return rng.choices(names, weights)[0]


def _team_count(volunteers: int) -> int:
    return max(1, min(len(TEAMS), round(volunteers / 60))) if volunteers else 0


def write_volunteers(out: Path, members_csv: Path, *, volunteers: int, seed: int,
                     as_of: datetime.date) -> dict[str, Path]:
    """Write ``teams.csv`` and ``volunteers.csv`` into ``out`` (owner-only, atomically)."""
    rng = random.Random(seed * 7919 + 15)
    paths = {"teams": out / "teams.csv", "volunteers": out / "volunteers.csv"}
    n_teams = _team_count(volunteers)
    codes = [f"T{i:02d}" for i in range(1, n_teams + 1)]
    with atomic_write(paths["teams"], "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(TEAM_HEADER)
        units = iter(UNITS)
        for code, (name, field, by_unit) in zip(codes, TEAMS, strict=False):
            unit = next(units, None) if by_unit else None
            point = None if unit else rng.choice(AREA_CODES)
            founded = as_of - datetime.timedelta(days=rng.randint(60, 3650))
            leader = _weighted_surname(rng) + rng.choice(FEMALE_GIVEN + MALE_GIVEN)
            writer.writerow((code, name, point or "", unit or "", field, leader,
                             founded.isoformat()))
    with members_csv.open(encoding="utf-8", newline="") as handle:
        members = [(r["member_no"], r["area"]) for r in csv.DictReader(handle)]
    linked = rng.sample(members, min(len(members) * 2 // 5, volunteers // 3))
    with atomic_write(paths["volunteers"], "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(VOLUNTEER_HEADER)
        for i in range(volunteers):
            no = f"V{i + 1:05d}"
            teams = sorted(rng.sample(codes, 1 if rng.random() < 0.8 or n_teams < 2 else 2))
            registered = as_of - datetime.timedelta(days=int(rng.triangular(0, 1800, 200)))
            if i < len(linked):  # a member: the identity comes from the members registry
                member_no, area = linked[i]
                writer.writerow((no, "", "", "", "", area, registered.isoformat(), member_no,
                                 ",".join(teams)))
                continue
            male = rng.random() < 0.45
            given = rng.choice(MALE_GIVEN if male else FEMALE_GIVEN)
            born = datetime.date(as_of.year - rng.randint(18, 78), rng.randint(1, 12),
                                 rng.randint(1, 28))
            seq = rng.randint(0, 49) * 2 + (1 if male else 0)
            first17 = f"310116{born:%Y%m%d}{rng.randint(0, 9)}{seq:02d}"
            phone = rng.choice(MOBILE_PREFIXES) + f"{rng.randint(0, 99_999_999):08d}"
            writer.writerow((no, _weighted_surname(rng) + given, "男" if male else "女",
                             first17 + id_check_char(first17), phone, rng.choice(AREA_CODES),
                             registered.isoformat(), "", ",".join(teams)))
    return paths


def add_service(store, *, seed: int, as_of: datetime.date) -> int:
    """Record a year of service without logs for the active volunteers (first load of the
    demo only): most serve a few times, some not at all this year. Returns the count."""
    from cbtool.service import insert_service

    rng = random.Random(seed * 104729 + 3)
    fields = dict(store.execute("SELECT code, field FROM teams").fetchall())
    rows = store.execute(
        "SELECT v.volunteer_no, (SELECT min(team) FROM volunteer_teams t WHERE "
        "t.volunteer_no = v.volunteer_no) FROM volunteers v WHERE v.active = 1 "
        "ORDER BY v.volunteer_no").fetchall()
    count = 0
    seen: set[tuple[str, str, str]] = set()  # a volunteer, day and content once
    for no, team in rows:
        if team is None or rng.random() < 0.25:
            continue
        for _ in range(rng.choice((1, 1, 2, 3, 4, 6))):
            day = as_of - datetime.timedelta(days=int(rng.triangular(0, 360, 20)))
            content = rng.choice(CONTENT.get(fields.get(team), CONTENT["other"]))
            if (no, day.isoformat(), content) in seen:
                continue
            seen.add((no, day.isoformat(), content))
            insert_service(store, {"volunteer_no": no, "date": day.isoformat(),
                                   "minutes": rng.choice(MINUTES), "team": team,
                                   "log_id": None, "content": content, "note": None})
            count += 1
    return count
