"""Deterministic synthetic data: the CSV files behind ``cbtool sample`` and ``init --sample``.

``write_sample`` writes four UTF-8 CSV files with English-key headers (the import
formats ``import`` reads): ``areas.csv``, ``members.csv``, ``logs.csv`` and ``checks.csv``.
Everything comes from ``random.Random(seed)`` and the as-of day, so the same seed and
as-of day give byte-identical files. The four files draw from four sub-generators
seeded from the main one, so asking for more logs does not change the members.

The words it draws from (names of areas and people, employers, notes, log titles,
inspectors) are tables in ``cbtool.sample_tables``; this module holds the generator and
the shares and shapes it draws with.

Logs are generated and written in chunks, never held in memory as a whole: a million of
them take seconds. Only the member numbers of each area are kept (for participants).

Why one module of ~460 lines: the generator draws every file from one seeded random
stream; split apart, a seed would no longer give the same files.
"""

from __future__ import annotations

import csv
import datetime
import random
from bisect import bisect_right
from collections.abc import Callable
from itertools import accumulate
from pathlib import Path

from cbtool import clock
from cbtool.fields import id_check_char
from cbtool.files import atomic_write, make_dirs
from cbtool.sample_tables import (
    AREA_CODES,
    AREA_NAMES,
    CHECK_FAIL_NOTES,
    CHECK_FIXED_NOTE,
    CHECK_OK_NOTES,
    EMPLOYERS,
    FEMALE_GIVEN,
    FEMALE_OLD,
    FILE_LABELS,
    FORMER_EMPLOYERS,
    INSPECTORS,
    LOG_NOTES,
    MALE_GIVEN,
    MALE_OLD,
    MEMBER_NOTES,
    MOBILE_PREFIXES,
    REGIONS,
    SEASONAL,
    SURNAMES,
    TITLES,
    WHEREABOUTS,
)
from cbtool.vocab import CATEGORIES, DEFAULT_ITEMS, DEFAULT_KINDS

AREA_HEADER = ("code", "name")
MEMBER_HEADER = (
    "member_no", "name", "gender", "born_on", "id_card", "phone", "category", "area",
    "joined_on", "employer", "whereabouts", "left_on", "note", "last_contact_on",
)
LOG_HEADER = ("ref", "point", "date", "kind", "title", "participants", "served", "hours", "note")
CHECK_HEADER = ("point", "item", "ok", "date", "inspector", "note")

_CHUNK = 5000  # rows handed to csv.writer.writerows at a time

# --- the shape of the data (its words are in sample_tables) ---------------------------

# Share of the four categories (their keys, in vocabulary order).
_SHARES = {"retired": 0.45, "laid-off": 0.10, "mobile": 0.15, "employed": 0.30}
_CATEGORY_SHARE: tuple[tuple[str, float], ...] = tuple((k, _SHARES[k]) for k in CATEGORIES.keys)
# (youngest, oldest) age on the as-of day, and share of men, per category.
_AGES = {"retired": (60, 95), "employed": (22, 60), "mobile": (22, 55), "laid-off": (35, 59)}
_MALE_SHARE = {"retired": 0.62, "employed": 0.55, "mobile": 0.6, "laid-off": 0.5}
# Weights of the kinds of log.
_KIND_WEIGHTS = {
    "visit": 25, "aid": 10, "employment": 8, "volunteer": 20, "study": 15, "meeting": 15,
    "other": 7,
}
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

    surnames, surname_cum = _weighted(SURNAMES)
    regions, region_cum = _weighted(REGIONS)
    places, place_cum = _weighted(WHEREABOUTS)
    as_of_ord = as_of.toordinal()
    month_start = as_of.replace(day=1).toordinal()
    year_start = as_of.replace(month=1, day=1).toordinal()
    issued: set[str] = set()
    number = rng.randrange(100, 2000)

    def given_name(male: bool, born_year: int) -> str:
        if born_year < 1960 and r() < 0.25:
            pool = MALE_OLD if male else FEMALE_OLD
            return pool[int(r() * len(pool))]
        pool = MALE_GIVEN if male else FEMALE_GIVEN
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
                MOBILE_PREFIXES[int(r() * len(MOBILE_PREFIXES))] + f"{int(r() * 1e8):08d}"
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
                employer = EMPLOYERS[int(r() * len(EMPLOYERS))]
            elif cat == "retired":
                if r() < 0.85:
                    employer = FORMER_EMPLOYERS[int(r() * len(FORMER_EMPLOYERS))]
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
                notes = MEMBER_NOTES[cat]
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
    table = {kind: [list(titles) for _ in range(13)] for kind, titles in TITLES.items()}
    for kind, months, titles in SEASONAL:
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
            note = LOG_NOTES[int(r() * len(LOG_NOTES))] if r() < 0.06 else ""

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
                inspector = INSPECTORS[rng.randrange(len(INSPECTORS))]
                for item in items:
                    if latest and missing.get(item):
                        ok = False
                    elif missing.get(item):
                        ok = rng.random() < 0.3
                    else:
                        ok = latest or rng.random() < 0.9
                    if not ok:
                        note = CHECK_FAIL_NOTES[item]
                        failed_before.add(item)
                    elif item in failed_before:
                        note = CHECK_FIXED_NOTE
                    else:
                        note = CHECK_OK_NOTES[rng.randrange(len(CHECK_OK_NOTES))]
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
        as_of = clock.today()
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


def count_rows(path: Path) -> int:
    """The data rows of a sample file (no cell of one holds a line break): its lines but
    the header, read in blocks (a million logs take a moment)."""
    lines = 0
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            lines += block.count(b"\n")
    return max(lines - 1, 0)


def tally(paths: dict[str, Path]) -> tuple[str, str]:
    """Each file's rows by the name of what they are, in Chinese and in English (``areas
    25, members 200, …``)."""
    counts = [(FILE_LABELS[name], count_rows(path)) for name, path in paths.items()]
    return ("、".join(f"{zh} {n}" for (zh, _), n in counts),
            ", ".join(f"{en} {n}" for (_, en), n in counts))
