"""``cbtool.sample.write_sample``: deterministic synthetic CSVs that the importers accept."""

from __future__ import annotations

import csv
import datetime
import hashlib
import re
import stat
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from cbtool.fields import id_birth, id_gender, parse_date, parse_id_card, parse_phone
from cbtool.sample import write_sample
from cbtool.vocab import CATEGORIES, DEFAULT_ITEMS, DEFAULT_KINDS

AS_OF = datetime.date(2026, 11, 24)
NAMES = ("areas", "members", "logs", "checks")
HEADERS = {
    "areas": ["code", "name"],
    "members": [
        "member_no", "name", "gender", "born_on", "id_card", "phone", "category", "area",
        "joined_on", "employer", "whereabouts", "left_on", "note", "last_contact_on",
    ],
    "logs": ["ref", "point", "date", "kind", "title", "participants", "served", "hours", "note"],
    "checks": ["point", "item", "ok", "date", "inspector", "note"],
}
DATE_COLUMNS = {
    "members": ("born_on", "joined_on", "left_on", "last_contact_on"),
    "logs": ("date",),
    "checks": ("date",),
}
AREA_CODES = [f"A{i:02d}" for i in range(1, 26)]


def read_rows(path: Path, name: str) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        assert header == HEADERS[name], f"{name}.csv header"
        rows = [dict(zip(header, row, strict=True)) for row in reader]
    return rows


def digests(paths: dict[str, Path]) -> dict[str, str]:
    return {name: hashlib.sha256(paths[name].read_bytes()).hexdigest() for name in NAMES}


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, str]]]:
    out = tmp_path_factory.mktemp("sample")
    paths = write_sample(out, members=600, logs=3000, seed=7, as_of=AS_OF)
    assert set(paths) == set(NAMES)
    return {name: read_rows(paths[name], name) for name in NAMES}


def days_before(iso: str) -> int:
    return (AS_OF - datetime.date.fromisoformat(iso)).days


# --- determinism ----------------------------------------------------------------------


def test_same_seed_gives_identical_bytes(tmp_path: Path) -> None:
    a = write_sample(tmp_path / "a", members=300, logs=1000, seed=3, as_of=AS_OF)
    b = write_sample(tmp_path / "b", members=300, logs=1000, seed=3, as_of=AS_OF)
    assert digests(a) == digests(b)
    # and a rerun into the same directory overwrites with the same bytes
    before = digests(a)
    write_sample(tmp_path / "a", members=300, logs=1000, seed=3, as_of=AS_OF)
    assert digests(a) == before


def test_different_seed_gives_different_files(tmp_path: Path) -> None:
    a = digests(write_sample(tmp_path / "a", members=300, logs=1000, seed=3, as_of=AS_OF))
    b = digests(write_sample(tmp_path / "b", members=300, logs=1000, seed=4, as_of=AS_OF))
    for name in ("members", "logs", "checks"):
        assert a[name] != b[name], name
    assert a["areas"] == b["areas"]  # the areas are a fixed list


def test_more_logs_leave_members_unchanged(tmp_path: Path) -> None:
    a = write_sample(tmp_path / "a", members=100, logs=10, seed=5, as_of=AS_OF)
    b = write_sample(tmp_path / "b", members=100, logs=900, seed=5, as_of=AS_OF)
    assert a["members"].read_bytes() == b["members"].read_bytes()
    assert a["checks"].read_bytes() == b["checks"].read_bytes()
    # the first logs are a prefix of the longer run
    assert b["logs"].read_bytes().startswith(a["logs"].read_bytes())


def test_different_as_of_moves_the_dates(tmp_path: Path) -> None:
    later = AS_OF + datetime.timedelta(days=40)
    a = write_sample(tmp_path / "a", members=50, logs=50, seed=1, as_of=AS_OF)
    b = write_sample(tmp_path / "b", members=50, logs=50, seed=1, as_of=later)
    assert a["logs"].read_bytes() != b["logs"].read_bytes()


# --- shape ----------------------------------------------------------------------------


def test_row_counts_and_returned_paths(tmp_path: Path) -> None:
    paths = write_sample(tmp_path / "new" / "dir", members=123, logs=456, seed=2, as_of=AS_OF)
    assert list(paths) == list(NAMES)
    for name in NAMES:
        assert paths[name] == tmp_path / "new" / "dir" / f"{name}.csv"
    assert len(read_rows(paths["areas"], "areas")) == 25
    assert len(read_rows(paths["members"], "members")) == 123
    assert len(read_rows(paths["logs"], "logs")) == 456
    checks = read_rows(paths["checks"], "checks")
    assert 25 * 5 <= len(checks) <= 25 * 5 * 2


def test_files_are_owner_only_utf8_without_stray_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    paths = write_sample(out, members=20, logs=20, seed=1, as_of=AS_OF)
    for name in NAMES:
        assert stat.S_IMODE(paths[name].stat().st_mode) == 0o600, name
        data = paths[name].read_bytes()
        assert not data.startswith(b"\xef\xbb\xbf")
        data.decode("utf-8")
        assert b"\r\n" in data  # csv.writer's line ends, written through newline=""
        assert b"\r\r\n" not in data
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{n}.csv" for n in NAMES)


def test_all_25_areas_even_with_few_members(tmp_path: Path) -> None:
    paths = write_sample(tmp_path, members=3, logs=30, seed=1, as_of=AS_OF)
    areas = read_rows(paths["areas"], "areas")
    assert [a["code"] for a in areas] == AREA_CODES
    assert len(read_rows(paths["members"], "members")) == 3
    checks = read_rows(paths["checks"], "checks")
    assert {c["point"] for c in checks} == set(AREA_CODES)


def test_zero_members_and_logs(tmp_path: Path) -> None:
    paths = write_sample(tmp_path, members=0, logs=0, seed=1, as_of=AS_OF)
    assert read_rows(paths["members"], "members") == []
    assert read_rows(paths["logs"], "logs") == []
    assert len(read_rows(paths["areas"], "areas")) == 25


def test_negative_counts_are_rejected(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        write_sample(tmp_path, members=-1, as_of=AS_OF)
    with pytest.raises(ValueError):
        write_sample(tmp_path, logs=-5, as_of=AS_OF)


def test_default_as_of_is_today(tmp_path: Path) -> None:
    paths = write_sample(tmp_path, members=50, logs=200, seed=1)
    today = datetime.date.today()
    logs = read_rows(paths["logs"], "logs")
    latest = max(datetime.date.fromisoformat(row["date"]) for row in logs)
    assert latest <= today
    assert (today - latest).days < 60


def test_twenty_thousand_logs(tmp_path: Path) -> None:
    paths = write_sample(tmp_path, members=2000, logs=20_000, seed=11, as_of=AS_OF)
    logs = read_rows(paths["logs"], "logs")
    assert len(logs) == 20_000
    assert logs[-1]["ref"] == "S11-0020000"
    assert len({row["ref"] for row in logs}) == 20_000


# --- areas ----------------------------------------------------------------------------


def test_areas(sample) -> None:
    areas = sample["areas"]
    assert [a["code"] for a in areas] == AREA_CODES
    names = [a["name"] for a in areas]
    assert len(set(names)) == 25
    assert all(name.endswith("居民区") for name in names)
    assert "石化一村居民区" in names and "石化十三村居民区" in names


# --- members --------------------------------------------------------------------------


def test_member_numbers_are_unique_zero_padded_text(sample) -> None:
    numbers = [m["member_no"] for m in sample["members"]]
    assert len(set(numbers)) == len(numbers)
    assert all(re.fullmatch(r"\d{7}", no) for no in numbers)
    assert all(no.startswith("0") for no in numbers)


def test_id_cards_are_valid_and_match_birth_and_gender(sample) -> None:
    ids = []
    for m in sample["members"]:
        card = m["id_card"]
        assert parse_id_card("id_card", card, today=AS_OF) == card
        assert len(card) == 18
        assert id_birth(card) == m["born_on"]
        assert id_gender(card) == m["gender"]
        assert (int(card[16]) % 2 == 1) == (m["gender"] == "M")
        ids.append(card)
    assert len(set(ids)) == len(ids)


def test_names_genders_and_ages(sample) -> None:
    members = sample["members"]
    assert {m["gender"] for m in members} == {"M", "F"}
    for m in members:
        assert re.fullmatch(r"[\u4e00-\u9fff]{2,4}", m["name"]), m["name"]
        born = datetime.date.fromisoformat(m["born_on"])
        age = AS_OF.year - born.year - ((AS_OF.month, AS_OF.day) < (born.month, born.day))
        assert 22 <= age <= 95, m
    assert len({m["name"] for m in members}) > len(members) * 0.8


def test_phones(sample) -> None:
    members = sample["members"]
    empty = 0
    for m in members:
        if not m["phone"]:
            empty += 1
            continue
        assert parse_phone("phone", m["phone"]) == m["phone"]
        assert re.fullmatch(r"1[3-9]\d{9}", m["phone"])
    assert 0.04 * len(members) <= empty <= 0.18 * len(members)


def test_categories(sample) -> None:
    counts = Counter(m["category"] for m in sample["members"])
    assert set(counts) == set(CATEGORIES.keys)
    total = sum(counts.values())
    for key, share in (("retired", 0.45), ("employed", 0.30), ("mobile", 0.15),
                       ("laid-off", 0.10)):
        assert abs(counts[key] / total - share) < 0.03, key


def test_all_four_categories_in_a_small_sample(tmp_path: Path) -> None:
    paths = write_sample(tmp_path, members=4, logs=0, seed=9, as_of=AS_OF)
    members = read_rows(paths["members"], "members")
    assert {m["category"] for m in members} == set(CATEGORIES.keys)


def test_member_areas_and_category_fields(sample) -> None:
    members = sample["members"]
    assert {m["area"] for m in members} == set(AREA_CODES)
    for m in members:
        cat = m["category"]
        if cat == "employed":
            assert m["employer"]
        if cat == "mobile":
            assert m["whereabouts"] and m["left_on"]
        else:
            assert not m["whereabouts"] and not m["left_on"] and not m["last_contact_on"]
    retired = [m for m in members if m["category"] == "retired"]
    assert sum(bool(m["employer"]) for m in retired) > len(retired) / 2
    assert any(m["note"] for m in members)
    assert sum(bool(m["note"]) for m in members) < len(members) / 2


def test_mobile_contacts_mostly_recent_some_overdue(sample) -> None:
    mobile = [m for m in sample["members"] if m["category"] == "mobile"]
    backs = [days_before(m["last_contact_on"]) for m in mobile if m["last_contact_on"]]
    recent = sum(back <= 90 for back in backs)
    old = sum(back > 90 for back in backs)
    empty = len(mobile) - len(backs)
    assert recent > len(mobile) / 2
    assert old >= 1 and empty >= 1
    for m in mobile:
        if m["last_contact_on"]:
            assert m["left_on"] <= m["last_contact_on"]


def test_joined_at_eighteen_or_later_and_some_recent(sample) -> None:
    members = sample["members"]
    for m in members:
        born = datetime.date.fromisoformat(m["born_on"])
        joined = datetime.date.fromisoformat(m["joined_on"])
        age = joined.year - born.year - ((joined.month, joined.day) < (born.month, born.day))
        assert age >= 18, m
    this_month = AS_OF.replace(day=1).isoformat()
    this_year = AS_OF.replace(month=1, day=1).isoformat()
    assert any(m["joined_on"] >= this_month for m in members)
    assert sum(m["joined_on"] >= this_year for m in members) >= 3


def test_every_date_parses_and_is_not_after_as_of(sample) -> None:
    for name, columns in DATE_COLUMNS.items():
        for row in sample[name]:
            for col in columns:
                value = row[col]
                if not value:
                    assert name == "members" and col in ("left_on", "last_contact_on")
                    continue
                assert parse_date(col, value, required=True, today=AS_OF) == value
                assert value <= AS_OF.isoformat()


# --- logs -----------------------------------------------------------------------------


def test_log_refs_points_kinds(sample) -> None:
    logs = sample["logs"]
    refs = [row["ref"] for row in logs]
    assert len(set(refs)) == len(refs)
    assert all(re.fullmatch(r"S7-\d{7}", ref) for ref in refs)
    assert {row["point"] for row in logs} <= set(AREA_CODES)
    kinds = {key for key, *_ in DEFAULT_KINDS}
    assert {row["kind"] for row in logs} == kinds
    assert all(re.search(r"[\u4e00-\u9fff]", row["title"]) for row in logs)


def test_log_dates_within_a_year_recent_more_often(sample) -> None:
    backs = [days_before(row["date"]) for row in sample["logs"]]
    assert min(backs) >= 0 and max(backs) <= 364
    first_half = sum(b < 182 for b in backs)
    assert first_half > len(backs) - first_half


def test_participants_exist_and_belong_to_the_logs_area(sample) -> None:
    area_of = {m["member_no"]: m["area"] for m in sample["members"]}
    counts = Counter()
    for row in sample["logs"]:
        participants = row["participants"].split(",") if row["participants"] else []
        assert len(participants) <= 5
        assert len(set(participants)) == len(participants)
        for no in participants:
            assert no in area_of, no
            assert area_of[no] == row["point"], (row["ref"], no)
        counts[len(participants)] += 1
    assert counts[0] and counts[5]


def test_served_and_hours(sample) -> None:
    for row in sample["logs"]:
        assert re.fullmatch(r"\d+", row["served"]) and 0 <= int(row["served"]) <= 120
        assert re.fullmatch(r"\d+\.\d", row["hours"]) and 0 <= float(row["hours"]) <= 40
    assert any(float(row["hours"]) > 0 for row in sample["logs"])
    assert any(row["note"] for row in sample["logs"])


def test_some_points_idle_in_the_last_month(sample) -> None:
    prev_month = (AS_OF.replace(day=1) - datetime.timedelta(days=1)).replace(day=1).isoformat()
    busy = {row["point"] for row in sample["logs"] if row["date"] >= prev_month}
    idle = set(AREA_CODES) - busy
    # 3000 logs over 25 points: only the deliberately quiet ones are idle
    assert len(idle) == 2
    assert {row["point"] for row in sample["logs"]} == set(AREA_CODES)


# --- checks ---------------------------------------------------------------------------


def test_checks(sample) -> None:
    checks = sample["checks"]
    items = [key for key, *_ in DEFAULT_ITEMS]
    per_point_item: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for c in checks:
        assert c["ok"] in ("true", "false")
        assert c["item"] in items
        assert c["inspector"]
        per_point_item[(c["point"], c["item"])].append(c)
    assert set(per_point_item) == {(p, i) for p in AREA_CODES for i in items}
    for rows in per_point_item.values():
        assert 1 <= len(rows) <= 2
        assert len({r["date"] for r in rows}) == len(rows)  # point+item+date is unique
        assert all(days_before(r["date"]) <= 730 for r in rows)

    latest = {key: max(rows, key=lambda r: r["date"]) for key, rows in per_point_item.items()}
    missing = Counter(item for (_, item), row in latest.items() if row["ok"] == "false")
    assert missing["av"] >= 1 and missing["board"] >= 1
    ok_share = sum(row["ok"] == "true" for row in latest.values()) / len(latest)
    assert ok_share > 0.8
    stale = {point for (point, _), row in latest.items() if days_before(row["date"]) > 365}
    assert 1 <= len(stale) <= 5
