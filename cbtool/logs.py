"""Service-point logs (服务点台账): validation of every field, add, get, list with totals,
and void. Logs are voided, never deleted. No terminal code here.

Why one module of ~560 lines: a log's fields, its links (pairing, heading, brand), its
participants and the duplicate rule are checked by add, edit and import alike; split
apart, each part would import the others.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import Any

from cbtool import fields as f
from cbtool.consistency import Departures, Warning_
from cbtool.errors import Conflict, FieldError, InvalidInput, NotFound
from cbtool.fields import Period
from cbtool.lookup import AMBIGUOUS, find_key, resolver
from cbtool.store import Store, now_utc
from cbtool.text import Msg

LOG_FIELDS = [
    "id", "point", "date", "kind", "title", "participants", "served", "hours", "note", "ref",
    "voided", "void_reason", "pairing", "heading", "brand", "created_at", "updated_at",
]
# What a logs export writes: the fields, and the team and volunteers who served with the
# log as a logs file gives them (``crews.with_crews``), so its service travels too.
EXPORT_FIELDS = [*LOG_FIELDS[:LOG_FIELDS.index("note")], "team", "volunteers",
                 *LOG_FIELDS[LOG_FIELDS.index("note"):]]
# What ties a log to a pairing (and the heading it served) or to its area's brand
# (``pairings.check_log``, ``brands.check_log``).
LINK_FIELDS = ["pairing", "heading", "brand"]
# What `add` takes (and import writes); `id` and the stamps are the database's.
WRITABLE = ["point", "date", "kind", "title", "participants", "served", "hours", "note", "ref",
            "voided", "void_reason", *LINK_FIELDS]
REQUIRED = ("point", "kind", "title")
EDITABLE = ["point", "date", "kind", "title", "participants", "served", "hours", "note", "ref",
            *LINK_FIELDS]
CLEARABLE = ("note", "ref", "participants", "pairing", "heading", "brand", "volunteers")
# Columns of the logs table itself (participants live in log_participants).
_COLUMNS = [c for c in LOG_FIELDS if c != "participants"]
# Separator for group_concat: a member number may hold a comma, never a control character.
_SEP = "\x1f"

UNKNOWN_MEMBERS = Msg("{field}：没有这些党员（编号或姓名）：{numbers}{hint_zh}",
                      "{field}: no such member (number or name): {numbers}{hint_en}")
REF_EXISTS = Msg("外部编号 {ref} 已被台账记录 #{id} 使用",
                 "ref {ref} is already used by log #{id}")
SAME_LOG = Msg(
    "{point} {date} 已有同类型、同标题且无外部编号的台账记录 #{id}（{title}）："
    "请用 {opt_ref} 给出外部编号，或换一个能区分的标题",
    "log #{id} has the same point, date, kind and title ({point} {date} '{title}') and no "
    "ref: give {opt_ref} or a distinct title")
VOIDED_NOT_EDITED = Msg("台账记录 #{id} 已作废，不能修改", "log #{id} is voided; it is not edited")
CREW_EDITED = "台账更正"  # why a volunteer no longer named with a log has their service voided
NO_LOG = Msg("找不到台账记录“{value}”", "no log '{value}'")
HEADING_NEEDED = Msg(
    "{field}：结对共建 #{id} 有多项共建内容（{covered}），请用 {opt_heading} 指明这次服务的是哪一项",
    "{field}: pairing #{id} covers several headings ({covered}); name the one served with "
    "{opt_heading}")
ALREADY_VOIDED = Msg("台账记录 #{id} 已于 {at} 作废（{reason}）",
                     "log #{id} was voided already on {at} ({reason})")


# --- validation -----------------------------------------------------------------------


def link_parsers(store: Store) -> dict[str, Callable[[object], object]]:
    """The validators of a log's pairing, heading and brand (``add`` and ``edit``)."""
    from cbtool import brands, pairings

    return {"pairing": pairings.parse_log_pairing, "heading": pairings.parse_log_heading,
            "brand": brands.parse_log_brand(store)}


def check_links(store: Store, record: dict[str, Any]) -> list[FieldError]:
    """The pairing belongs to the log's point and runs on its day, the heading is one it
    covers, the brand is the point's area's (a unit's name becomes the pairing's number)."""
    from cbtool import brands, pairings

    return pairings.check_log(store, record) + brands.check_log(store, record)


class HeadingNeeded(FieldError):
    """A pairing named without the heading it served, where it covers several: a usage
    error (exit 2), as a missing option is."""

    exit_code = 2


def fill_heading(store: Store, record: dict[str, Any], kept: str | None = None) -> None:
    """A log's pairing (its number, ``check_links`` done) named without a heading: the
    heading ``kept`` (an edit's, where the pairing covers it), else the pairing's only one;
    a pairing covering several is ``HeadingNeeded`` (add and edit: ``--heading``)."""
    if record.get("pairing") is None or record.get("heading"):
        return
    from cbtool import pairings
    from cbtool.vocab import PAIRING_HEADINGS

    headings = pairings.get(store, record["pairing"])["headings"]
    if kept in headings:
        record["heading"] = kept
    elif len(headings) == 1:
        record["heading"] = headings[0]
    elif headings:
        raise HeadingNeeded("heading", HEADING_NEEDED, id=record["pairing"], covered="、".join(
            PAIRING_HEADINGS.label(h) for h in headings))


def field_parsers(store: Store) -> dict[str, Callable[[object], object]]:
    """One validator per field, shared by add and import."""
    today = store.today
    point = resolver(store, "points", "point")
    kinds = store.config.kinds()
    known = KnownMembers(store)
    return {
        "point": lambda v: point(f.text_field("point", v, required=True)),
        "date": lambda v: f.parse_date("date", v, required=True, today=today),
        "kind": lambda v: kinds.resolve(f.text_field("kind", v, required=True), "kind"),
        "title": lambda v: f.text_field("title", v, required=True, limit=200),
        "participants": lambda v: parse_participants(store, v, known=known),
        "served": lambda v: f.parse_count("served", f.without_unit(v, f.COUNT_UNITS)),
        "hours": lambda v: f.parse_hours("hours", f.without_unit(v, f.HOUR_UNITS)),
        "note": lambda v: f.text_field("note", v, limit=2000),
        "ref": parse_ref,
        "voided": lambda v: f.parse_bool("voided", v),
        "void_reason": lambda v: f.text_field("void_reason", v, limit=500),
        **link_parsers(store),
    }


class KnownMembers:
    """Which member numbers exist: asked of the database a few at a time for one log, and
    loaded once as a set when a whole file of logs is being checked."""

    BULK_AFTER = 20  # lookups before loading every number at once

    def __init__(self, store: Store) -> None:
        self.store = store
        self.lookups = 0
        self.all: set[str] | None = None

    def missing(self, numbers: list[str]) -> list[str]:
        self.lookups += 1
        if self.all is None and self.lookups > self.BULK_AFTER:
            self.all = {r[0] for r in self.store.execute("SELECT member_no FROM members")}
        if self.all is not None:
            return [n for n in numbers if n not in self.all]
        found: set[str] = set()
        for start in range(0, len(numbers), 500):  # stay under SQLite's parameter limit
            chunk = numbers[start:start + 500]
            found.update(r[0] for r in self.store.execute(
                "SELECT member_no FROM members WHERE member_no IN "
                f"({', '.join('?' * len(chunk))})", chunk))
        return [n for n in numbers if n not in found]

    def by_name(self, names: list[str]) -> dict[str, list[str]]:
        """name -> the numbers of the members of that name (in number order)."""
        matches: dict[str, list[str]] = {}
        for start in range(0, len(names), 500):
            chunk = names[start:start + 500]
            for name, no in self.store.execute(
                    "SELECT name, member_no FROM members WHERE name IN "
                    f"({', '.join('?' * len(chunk))})", chunk):
                matches.setdefault(name, []).append(no)
        return {name: sorted(nos) for name, nos in matches.items()}


_participant = partial(f.parse_code, "participants")


def parse_participants(store: Store, value: object, *, known: KnownMembers | None = None,
                       field: str = "participants") -> list[str]:
    """Member numbers (or names that match exactly one member) separated by , ; 、 ， or
    spaces (or a list of them): every one must exist; duplicates are dropped, order kept.
    ``field`` names the list in messages (an aid case's helpers). A list that does not
    resolve is read once more with spaces inside Chinese names as padding (``沈　佳怡``)."""
    def parts(split: Callable[[object], list[str]]) -> list[str]:
        return ([p for item in value for p in split(item)]
                if isinstance(value, list | tuple) else split(value))

    words = parts(f.split_list)
    try:
        return _participants(store, words, known, field)
    except FieldError:
        names = parts(f.split_names)
        if names == words:
            raise
        try:
            return _participants(store, names, known, field)
        except FieldError:
            pass
        raise


def _participants(store: Store, parts: list[str], known: KnownMembers | None,
                  field: str) -> list[str]:
    code = _participant if field == "participants" else partial(f.parse_code, field)
    numbers = list(dict.fromkeys(map(code, parts)))
    if width := store.config.member_no_width:  # 104 is 00104, as in a members file
        numbers = list(dict.fromkeys(f.pad_number(n, width) for n in numbers))
    if not numbers:
        return []
    known = known or KnownMembers(store)
    unknown = known.missing(numbers)
    if unknown:  # a name that matches exactly one member works too
        named = known.by_name(unknown)
        still = [n for n in unknown if n not in named]
        if still:
            zh, en = _zeros_hints(store, still)
            raise FieldError(field, UNKNOWN_MEMBERS, numbers=", ".join(still),
                             hint_zh=zh, hint_en=en)
        for name, nos in named.items():
            if len(nos) > 1:
                raise FieldError(field, AMBIGUOUS, what="党员", what_en="member",
                                 value=name, codes=", ".join(nos[:6]))
        numbers = list(dict.fromkeys(named[n][0] if n in named else n for n in numbers))
    return numbers


def _zeros_hints(store: Store, unknown: list[str]) -> tuple[str, str]:
    """(zh, en): for each unknown number that is a stored one without its leading zeros
    (Excel's doing: ``12345`` for ``0012345``), the words saying so."""
    zh, en = [], []
    for no in unknown[:5]:
        if not (no.isascii() and no.isdigit()):
            continue
        for (other,) in store.execute("SELECT member_no FROM members WHERE member_no != ? "
                                      "AND ltrim(member_no, '0') = ? LIMIT 1",
                                      (no, no.lstrip("0"))):
            a, b = f.zeros_hint(no, other)
            zh.append(a)
            en.append(b)
    return "".join(zh), "".join(en)


def parse_ref(value: object) -> str | None:
    text = f.text_field("ref", value, limit=100)
    return f.strip_excel_decimal(text) if text else None


def validate(store: Store, raw: dict[str, object],
             parsers: dict[str, Callable[[object], object]] | None = None,
             warnings: list[Warning_] | None = None,
             ) -> tuple[dict[str, Any], list[FieldError]]:
    """A complete record from raw text (None = not given) and every problem found, the
    departures' too (``consistency``: no participant after death, no log at a point
    after it closed); their warnings go to ``warnings``.

    The date defaults to today; served and hours to 0; voided to false."""
    parsers = parsers or field_parsers(store)
    given = {k: v for k, v in raw.items() if v is not None and k in parsers}
    for name in REQUIRED:
        given.setdefault(name, None)
    values, problems = f.parse_fields(parsers, given)
    record = {
        "point": values.get("point"),
        "date": values.get("date") or store.today.isoformat(),
        "kind": values.get("kind"),
        "title": values.get("title"),
        "participants": values.get("participants") or [],
        "served": values.get("served") or 0,
        "hours": values.get("hours") or 0.0,
        "note": values.get("note"),
        "ref": values.get("ref"),
        "voided": bool(values.get("voided")),
        "void_reason": values.get("void_reason") if values.get("voided") else None,
        **{k: values.get(k) for k in LINK_FIELDS},
    }
    if not problems:
        problems += check_links(store, record)
    if not problems:
        found, said = Departures(store).log(record)
        problems += found
        if warnings is not None:
            warnings += said
    return record, problems


# --- reading --------------------------------------------------------------------------

_PARTICIPANTS = (
    f"(SELECT group_concat(p.member_no, char({ord(_SEP)})) FROM log_participants p "
    "WHERE p.log_id = l.id) AS participants"
)
_SELECT = (f"SELECT {', '.join('l.' + c for c in _COLUMNS)}, {_PARTICIPANTS} FROM logs l")


def _record(row: dict[str, Any]) -> dict[str, Any]:
    """A stored row as a log object: participants a list, voided a bool, keys in order."""
    row["participants"] = row["participants"].split(_SEP) if row["participants"] else []
    row["voided"] = bool(row["voided"])
    return {k: row[k] for k in LOG_FIELDS}


def _log_id(value: object) -> int:
    text = (f.clean(value) or "").removeprefix("#")
    if not text.isdigit() or len(text) > 18:
        raise NotFound(NO_LOG, value=f.clean(value) or "")
    return int(text)


def get(store: Store, id: object) -> dict[str, Any]:
    """The log with this id (``12`` or ``#12``), with its participants list."""
    log_id = _log_id(id)
    row = store.one(f"{_SELECT} WHERE l.id = ?", (log_id,))
    if row is None:
        raise NotFound(NO_LOG, value=log_id)
    return _record(row)


def member_names(store: Store, numbers: list[str]) -> dict[str, str]:
    """Member number -> name, for showing participants to people."""
    if not numbers:
        return {}
    marks = ", ".join("?" * len(numbers))
    return dict(store.execute(
        f"SELECT member_no, name FROM members WHERE member_no IN ({marks})", numbers).fetchall())


def _filters(
    store: Store, *, point: object, kind: object, period: object, member: object,
    include_voided: bool, pairing: object = None, brand: object = None,
) -> tuple[str, list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if point is not None:  # an empty value is an error, not 'no filter'
        where.append("l.point = ?")
        params.append(find_key(store, "points", point))
    if kind is not None:  # an empty value is an error, not 'no filter'
        where.append("l.kind = ?")
        params.append(store.config.kinds().resolve(kind, "kind"))
    if period is not None:  # an empty value is an error, not 'no filter'
        span = period if isinstance(period, Period) else f.parse_period(period, today=store.today)
        where.append("l.date BETWEEN ? AND ?")
        params.extend([span.start.isoformat(), span.end.isoformat()])
    if member is not None:  # an empty value is an error, not 'no filter'
        where.append("l.id IN (SELECT log_id FROM log_participants WHERE member_no = ?)")
        params.append(find_key(store, "members", member))
    if pairing is not None:  # a pairing's joint activities, a brand's activities
        from cbtool import pairings

        where.append("l.pairing = ?")
        params.append(pairings.get(store, pairing)["id"])
    if brand is not None:
        from cbtool import brands

        where.append("l.brand = ?")
        params.append(brands.get(store, brand)["id"])
    if not include_voided:
        where.append("l.voided = 0")
    return (f" WHERE {' AND '.join(where)}" if where else ""), params


def list_logs(
    store: Store, *, point: object = None, kind: object = None, period: object = None,
    member: object = None, include_voided: bool = False, limit: int | None = None,
    oldest_first: bool = False, pairing: object = None, brand: object = None,
) -> tuple[Iterator[dict[str, Any]], dict[str, Any]]:
    """Matching logs, newest first, streamed from a cursor; and the totals of the whole
    matching set: ``{"total": logs, "served": residents served, "hours": volunteer hours}``.

    ``point`` and ``member`` take a code/number or an exact name, ``kind`` a key or label,
    ``period`` any period form (or a ``Period``); ``pairing`` a pairing's number, ``brand``
    a brand (number, name or area). Voided logs only with ``include_voided``."""
    clause, params = _filters(store, point=point, kind=kind, period=period, member=member,
                              include_voided=include_voided, pairing=pairing, brand=brand)
    count, served, hours = store.execute(
        f"SELECT count(*), coalesce(sum(l.served), 0), coalesce(sum(l.hours), 0.0) "
        f"FROM logs l{clause}", params).fetchone()
    totals = {"total": count, "served": served, "hours": round(float(hours), 2)}
    order = "l.id" if oldest_first else "l.date DESC, l.id DESC"  # oldest: in id order
    sql = f"{_SELECT}{clause} ORDER BY {order}"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return (_record(row) for row in store.rows(sql, params)), totals


# --- writing --------------------------------------------------------------------------


def add(store: Store, raw: dict[str, object], *, warnings: list[Warning_] | None = None
        ) -> dict[str, Any]:
    """Validate and insert one log. ``raw`` holds text as typed (None = not given);
    ``participants`` may be one string or a list. Returns the stored record; what is to
    be pointed out (a participant transferred out before the day) goes to ``warnings``.
    ``team`` and ``volunteers`` (``V001:2,V002:1.5``) record each volunteer's service with
    the log (``crews.crew_for_log``); the log's hours are then their sum."""
    crew = None
    if raw.get("team") is not None or raw.get("volunteers") is not None:
        from cbtool.crews import crew_for_log

        raw = dict(raw)
        crew = crew_for_log(store, raw.pop("team", None), raw.pop("volunteers", None),
                            raw.get("hours"))
        if crew is not None:
            raw["hours"] = str(crew.hours)
    record, problems = validate(store, raw, warnings=warnings)
    if problems:
        raise problems[0]
    fill_heading(store, record)
    check_ref(store, record.get("ref"))
    check_natural(store, record)
    log_id = insert(store, record)
    if crew is not None:
        from cbtool.crews import record_for_log

        record_for_log(store, log_id, record, crew)
    return get(store, log_id)


def check_ref(store: Store, ref: str | None, *, other_than: int | None = None) -> None:
    """A ref is unique when given: a second log with it is a Conflict naming the first."""
    if not ref:
        return
    row = store.one("SELECT id FROM logs WHERE ref = ? AND id IS NOT ?", (ref, other_than))
    if row:
        raise Conflict(REF_EXISTS, ref=ref, id=row["id"])


def check_natural(store: Store, record: dict[str, Any], *, other_than: int | None = None
                  ) -> None:
    """A log without a ref is told apart by point + date + kind + title — what an import
    matches it by — so a second such log (voided or not) is a Conflict: give it a ref or a
    distinct title, and its export imports back as two logs."""
    if record.get("ref"):
        return
    row = store.one(
        "SELECT id FROM logs WHERE point = ? AND date = ? AND kind = ? AND title = ? "
        "AND ref IS NULL AND id IS NOT ? ORDER BY id LIMIT 1",
        (record["point"], record["date"], record["kind"], record["title"], other_than))
    if row:
        raise Conflict(SAME_LOG, id=row["id"], point=record["point"], date=record["date"],
                       title=record["title"])


def edit(store: Store, id: object, raw: dict[str, object], clear: Iterable[str] = (),
         *, warnings: list[Warning_] | None = None
         ) -> tuple[dict[str, Any], dict[str, Any]]:
    """Change any field of a log (text as typed, None = not given; its pairing, heading
    and brand too) and empty the ``clear`` ones (note, ref, participants, the links),
    validated as ``add`` validates: the same parsers,
    the departures, a unique ref, no second log of the same point, date, kind and title
    without a ref. A voided log is not edited. Audited with before/after.

    ``volunteers`` (``V001:2,V002:1``, the whole list) and ``team`` change who served with
    it, as ``add`` records them (``crews.crew_for_log``): a volunteer's time changed,
    new ones added, those no longer named voided, each service record audited; the log's
    hours become their sum. Without ``team`` the team they served in stays. Clearing
    ``volunteers`` voids every service record of the log (its hours stay as they are)."""
    before = get(store, id)
    if before["voided"]:
        raise InvalidInput(VOIDED_NOT_EDITED, id=before["id"])
    clear = f.clear_keys(clear, CLEARABLE, "logs")
    drop_crew = "volunteers" in clear
    if drop_crew:
        if raw.get("volunteers") is not None or raw.get("team") is not None:
            raise InvalidInput(f.SET_AND_CLEAR, field="volunteers")
        clear.remove("volunteers")
    crew = None
    if raw.get("team") is not None or raw.get("volunteers") is not None:
        from cbtool.crews import crew_for_log

        crew = crew_for_log(store, raw.get("team"), raw.get("volunteers"), raw.get("hours"))
        if crew is not None:
            raw = {**raw, "hours": str(crew.hours)}
            if crew.team is None:  # the team they served in stays theirs
                from cbtool.crews import log_team

                crew.team = log_team(store, before["id"])
    elif raw.get("hours") is not None:  # a log's volunteers' hours are its hours
        from cbtool.crews import check_log_hours

        check_log_hours(store, before["id"], raw["hours"])
    if "pairing" in clear and raw.get("heading") is None and "heading" not in clear:
        clear.append("heading")  # the heading it served goes with its pairing
    values = f.parse_edit(field_parsers(store), raw, clear, editable=EDITABLE, clearable=CLEARABLE, empty={"participants": []})
    merged = {**before, **values}
    kept = None
    if values.get("pairing") is not None and "heading" not in values:  # a pairing alone
        kept, merged["heading"] = merged["heading"], None
        values["heading"] = None
    if links := check_links(store, merged):  # (a unit's name becomes the pairing's number)
        raise links[0]
    fill_heading(store, merged, kept)
    values.update({k: merged[k] for k in LINK_FIELDS if k in values})
    found, said = Departures(store).log(merged)
    if found:
        raise found[0]
    if warnings is not None:
        warnings += said
    check_ref(store, merged["ref"], other_than=before["id"])
    check_natural(store, merged, other_than=before["id"])
    changed = {k: v for k, v in values.items()
               if (sorted(v) != sorted(before[k]) if k == "participants" else before[k] != v)}
    if crew is not None or drop_crew:  # its service first: a closed team is refused
        from cbtool.crews import replace_log_crew

        replace_log_crew(store, before["id"], merged["date"], crew.entries if crew else [],
                         crew.team if crew else None, reason=CREW_EDITED, retag=crew is not None)
    if not changed:
        return before, get(store, before["id"]) if crew is not None or drop_crew else before
    columns = {k: v for k, v in changed.items() if k != "participants"}
    now = now_utc()
    store.execute(f"UPDATE logs SET {', '.join(f'{k} = ?' for k in columns)}"
                  f"{', ' if columns else ''}updated_at = ? WHERE id = ?",
                  [*columns.values(), now, before["id"]])
    if "participants" in changed:
        store.execute("DELETE FROM log_participants WHERE log_id = ?", (before["id"],))
        store.conn.executemany(
            "INSERT INTO log_participants (log_id, member_no) VALUES (?, ?)",
            [(before["id"], no) for no in changed["participants"]])
    store.audit("logs", before["id"], "update", before, {**before, **changed})
    if "date" in changed:  # its volunteers' service moves with it
        from cbtool.crews import follow_log

        follow_log(store, before["id"], date=changed["date"])
    return before, get(store, before["id"])


def insert(store: Store, record: dict[str, Any]) -> int:
    """Write a validated record and its participants, audit it, return its id."""
    now = now_utc()
    row = {k: record.get(k) for k in WRITABLE if k != "participants"}
    row["voided"] = 1 if row.get("voided") else 0
    row.update(created_at=now, updated_at=now)
    cols = list(row)
    cur = store.execute(
        f"INSERT INTO logs ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
        [row[c] for c in cols],
    )
    log_id = cur.lastrowid
    participants = list(record.get("participants") or [])
    store.conn.executemany(
        "INSERT INTO log_participants (log_id, member_no) VALUES (?, ?)",
        [(log_id, no) for no in participants],
    )
    after = {**row, "voided": bool(row["voided"]), "participants": participants}
    store.audit("logs", log_id, "insert", None,
                {k: v for k, v in after.items() if v is not None and v != []})
    return log_id


def void(store: Store, id: object, reason: object) -> dict[str, Any]:
    """Mark a log voided with a reason; it is kept (and audited), never deleted."""
    before = get(store, id)
    if before["voided"]:
        raise InvalidInput(ALREADY_VOIDED, id=before["id"], at=before["updated_at"][:10],
                           reason=before["void_reason"] or "")
    text = f.text_field("reason", reason, required=True, limit=500)
    now = now_utc()
    store.execute("UPDATE logs SET voided = 1, void_reason = ?, updated_at = ? WHERE id = ?",
                  (text, now, before["id"]))
    after = {**before, "voided": True, "void_reason": text, "updated_at": now}
    store.audit("logs", before["id"], "void", before, after)
    from cbtool.crews import follow_log  # its volunteers' service is voided with it

    follow_log(store, before["id"], void_reason=text)
    return after
