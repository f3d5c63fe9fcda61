"""Brand projects (一居一品): each area's Party organisation grows one featured work
brand. A log can be tagged with its area's brand (``check_log``); the summary shows each
area's brand and its activities. Brands are ended (status ``ended``), never deleted. No
terminal code here."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from cbtool import fields as f
from cbtool.errors import Conflict, FieldError, NotFound
from cbtool.lookup import find_key, resolver
from cbtool.store import Store, now_utc
from cbtool.text import Msg
from cbtool.vocab import BRAND_STATUSES

BRAND_FIELDS = ["id", "area", "name", "description", "since", "status", "note",
                "created_at", "updated_at"]
WRITABLE = ["area", "name", "description", "since", "status", "note"]
EDITABLE = ["name", "description", "since", "status", "note"]
CLEARABLE = ("description", "since", "note")
REQUIRED = ("area", "name")

NO_BRAND = Msg("找不到一居一品项目“{value}”", "no brand project '{value}'")
ONE_PER_AREA = Msg(
    "居民区 {area} 已有一居一品项目 #{id}“{name}”（{status}）；一个居民区只有一个，"
    "先把它的状态改为已停止",
    "area {area} has a brand project already: #{id} '{name}' ({status}); an area has one "
    "(set that one's status to ended first)")
NAME_TAKEN = Msg("居民区 {area} 已有名为“{name}”的项目 #{id}",
                 "area {area} has a project named '{name}' already (#{id})")
BRAND_ELSEWHERE = Msg("{field}：一居一品 #{id}“{name}”属于居民区 {brand_area}，服务点 {point} 不属于它",
                      "{field}: brand #{id} '{name}' is area {brand_area}'s; point {point} is "
                      "not in that area")
BRAND_NOT_YET = Msg("{field}：一居一品 #{id}“{name}”自 {since} 起，{date} 的活动不能算它的",
                    "{field}: brand #{id} '{name}' runs from {since}, not on {date}")
BRAND_ENDED = Msg("{field}：一居一品 #{id}“{name}”已停止，不再记它的活动",
                  "{field}: brand #{id} '{name}' has ended; it takes no more activities")
SINCE_AFTER_LOGS = Msg("{field}：一居一品 #{id} 在 {date} 已有品牌活动，开始时间不能晚于它",
                       "{field}: brand #{id} has activities from {date}; it cannot start later")
NO_AREA_BRAND = Msg("{field}：居民区“{value}”没有在用的一居一品项目",
                    "{field}: area '{value}' has no current brand project")


def field_parsers(store: Store) -> dict[str, Callable[[object], object]]:
    """One validator per field, shared by add, edit and import."""
    area = resolver(store, "areas", "area")
    return {
        "area": lambda v: area(f.text_field("area", v, required=True)),
        "name": lambda v: f.text_field("name", v, required=True, limit=100),
        "description": lambda v: f.text_field("description", v, limit=2000),
        "since": lambda v: f.parse_date_or_month("since", f.month_digits(v), today=store.today),
        "status": lambda v: BRAND_STATUSES.resolve(f.text_field("status", v), "status")
        if f.clean(v) else None,
        "note": lambda v: f.text_field("note", v, limit=2000),
    }


def validate(store: Store, raw: dict[str, object],
             parsers: dict[str, Callable[[object], object]] | None = None,
             ) -> tuple[dict[str, Any], list[FieldError]]:
    parsers = parsers or field_parsers(store)
    given = {k: v for k, v in raw.items() if v is not None and k in parsers}
    for name in REQUIRED:
        given.setdefault(name, None)
    values, problems = f.parse_fields(parsers, given)
    record = {k: values.get(k) for k in WRITABLE}
    record["status"] = record["status"] or "growing"
    return record, problems


# --- reading --------------------------------------------------------------------------

_SELECT = f"SELECT {', '.join(BRAND_FIELDS)} FROM brands"


def get(store: Store, value: object) -> dict[str, Any]:
    """A brand by its number (``2``, ``#2``), its exact name, or its area (code or name):
    that area's current brand."""
    found = find(store, value)
    if found is None:
        raise NotFound(NO_BRAND, value=f.clean(value) or "")
    return found


def find(store: Store, value: object) -> dict[str, Any] | None:
    text = f.clean(value) or ""
    digits = f.strip_excel_decimal(f.halfwidth(text)).removeprefix("#")
    if digits.isdigit() and len(digits) <= 18:
        row = store.one(f"{_SELECT} WHERE id = ?", (int(digits),))
        if row:
            return row
    rows = list(store.rows(f"{_SELECT} WHERE name = ? ORDER BY status = 'ended', id", (text,)))
    if rows:
        return rows[0]
    area = store.one("SELECT code FROM areas WHERE code = ? COLLATE NOCASE OR name = ?",
                     (text, text))
    if area:
        return current(store, area["code"])
    return None


def current(store: Store, area: str) -> dict[str, Any] | None:
    """The area's brand that has not ended, if any."""
    return store.one(f"{_SELECT} WHERE area = ? AND status != 'ended' ORDER BY id LIMIT 1",
                     (area,))


def list_brands(store: Store, *, area: object = None, status: object = None,
                oldest_first: bool = False) -> Iterator[dict[str, Any]]:
    """Brands by area (``oldest_first``: in number order), each with ``logs`` (its
    activities, not voided)."""
    where, params = [], []
    if area is not None:
        where.append("area = ?")
        params.append(find_key(store, "areas", area))
    if status is not None:
        where.append("status = ?")
        params.append(BRAND_STATUSES.resolve(status, "status"))
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    return store.rows(
        f"SELECT {', '.join(BRAND_FIELDS)}, (SELECT count(*) FROM logs l WHERE l.brand = "
        f"brands.id AND l.voided = 0) AS logs FROM brands{clause} "
        f"ORDER BY {'id' if oldest_first else 'area, id'}", params)


def details(store: Store, value: object) -> dict[str, Any]:
    brand = get(store, value)
    brand["area_name"] = store.execute("SELECT name FROM areas WHERE code = ?",
                                       (brand["area"],)).fetchone()[0]
    brand["logs"], brand["last_log_on"] = store.execute(
        "SELECT count(*), max(date) FROM logs WHERE brand = ? AND voided = 0",
        (brand["id"],)).fetchone()
    brand["recent_logs"] = list(store.rows(
        "SELECT id, date, point, kind, title FROM logs WHERE brand = ? AND voided = 0 "
        "ORDER BY date DESC, id DESC LIMIT 10", (brand["id"],)))
    return brand


# --- writing --------------------------------------------------------------------------


def check(store: Store, record: dict[str, Any], other_than: int | None = None) -> None:
    """An area's brands have distinct names, and one of them at most is current."""
    row = store.one("SELECT id FROM brands WHERE area = ? AND name = ? AND id IS NOT ?",
                    (record["area"], record["name"], other_than))
    if row:
        raise Conflict(NAME_TAKEN, area=record["area"], name=record["name"], id=row["id"])
    if record["status"] != "ended":
        row = store.one("SELECT id, name, status FROM brands WHERE area = ? AND "
                        "status != 'ended' AND id IS NOT ?", (record["area"], other_than))
        if row:
            raise Conflict(ONE_PER_AREA, area=record["area"], id=row["id"], name=row["name"],
                           status=BRAND_STATUSES.label(row["status"]))


def add(store: Store, raw: dict[str, object]) -> dict[str, Any]:
    record, problems = validate(store, raw)
    if problems:
        raise problems[0]
    check(store, record)
    return get(store, insert(store, record))


def insert(store: Store, record: dict[str, Any], number: int | None = None) -> int:
    """Write a validated brand, audit it, return its number: the one insert path.
    ``number``: the number to take (an import's, known to be free), else the next."""
    now = now_utc()
    row = {**{k: record.get(k) for k in WRITABLE}, "created_at": now, "updated_at": now}
    brand_id = store.insert("brands", row, number)
    store.audit("brands", brand_id, "insert", None,
                {k: v for k, v in row.items() if v is not None})
    return brand_id


def edit(store: Store, value: object, raw: dict[str, object], clear: tuple[str, ...] = ()
         ) -> tuple[dict[str, Any], dict[str, Any]]:
    """Change a brand's name, description, since, status or note (audited)."""
    before = get(store, value)
    clear = tuple(f.clear_keys(clear, CLEARABLE, "brands"))
    values = f.parse_edit(field_parsers(store), raw, clear, editable=EDITABLE, clearable=CLEARABLE)
    changed = {k: v for k, v in values.items() if before[k] != v}
    if not changed:
        return before, before
    after = {**before, **changed}
    check(store, after, other_than=before["id"])
    if changed.get("since"):  # its activities stay inside its time (``check_log``)
        first = store.one("SELECT min(date) AS day FROM logs WHERE brand = ? AND voided = 0",
                          (before["id"],))["day"]
        if first and first < changed["since"]:
            raise FieldError("since", SINCE_AFTER_LOGS, id=before["id"], date=first)
    changed["updated_at"] = now_utc()
    store.execute(f"UPDATE brands SET {', '.join(f'{k} = ?' for k in changed)} WHERE id = ?",
                  [*changed.values(), before["id"]])
    store.audit("brands", before["id"], "update", before, after)
    return before, get(store, before["id"])


# --- a log's brand ------------------------------------------------------------------------


def parse_log_brand(store: Store) -> Callable[[object], int | None]:
    """A log's brand as typed (number, name, or the area whose brand it is) → its number."""

    def parse(value: object) -> int | None:
        text = f.text_field("brand", value, limit=100)
        if text is None:
            return None
        found = find(store, text)
        if found is None:
            raise FieldError("brand", NO_AREA_BRAND if store.one(
                "SELECT 1 FROM areas WHERE code = ? OR name = ?", (text, text))
                else NO_BRAND, value=text)
        return found["id"]

    return parse


def check_log(store: Store, record: dict[str, Any]) -> list[FieldError]:
    """A log's brand is its point's area's, and the log lies in the brand's time: not
    before its ``since`` (a month: from its first day), and an ended brand takes no more
    activities — a stored log (``record["id"]``, an edit or an import's update) that
    carries it already keeps it, as the brand has no end day to hold it against."""
    brand_id = record.get("brand")
    if brand_id is None:
        return []
    brand = store.one("SELECT id, name, area, since, status FROM brands WHERE id = ?",
                      (brand_id,))
    if brand is None:
        return [FieldError("brand", NO_BRAND, value=brand_id)]
    point = store.one("SELECT area FROM points WHERE code = ?", (record.get("point"),))
    if point is None or point["area"] != brand["area"]:
        return [FieldError("brand", BRAND_ELSEWHERE, id=brand["id"], name=brand["name"],
                           brand_area=brand["area"], point=record.get("point"))]
    day = record.get("date")
    if brand["since"] and day and day < brand["since"]:  # "2025-03-01" >= "2025-03"
        return [FieldError("brand", BRAND_NOT_YET, id=brand["id"], name=brand["name"],
                           since=brand["since"], date=day)]
    if brand["status"] == "ended":
        stored = store.one("SELECT brand FROM logs WHERE id = ?", (record["id"],)) \
            if record.get("id") is not None else None
        if stored is None or stored["brand"] != brand["id"]:
            return [FieldError("brand", BRAND_ENDED, id=brand["id"], name=brand["name"])]
    return []
