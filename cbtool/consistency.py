"""What dates a record may carry given who left and what closed: a member archived as
deceased takes part in nothing after that day (an error), one transferred out or archived
for another reason is pointed out (a warning); a closed point holds no log and no check
dated after it closed (an error).

One ``Departures`` per command (or per import): it reads the archived members and the
closed points once, so checking a whole file costs two small queries.
"""

from __future__ import annotations

from typing import Any

from cbtool.errors import FieldError
from cbtool.store import Store
from cbtool.text import Msg

DECEASED = Msg("{field}：{who} 不能列为 {date} 的参加党员",
               "{field}: {who_en} cannot take part on {date}")
LEFT = Msg("{no} {name} 已于 {on} {how}，仍列为 {date} 台账的参加党员（请核对）",
           "{no} {name} left on {on} ({how_en}) but takes part on {date} (please check)")
POINT_CLOSED = Msg("{field}：{point} 已于 {on} 停用，不能记录 {date} 的{what}",
                   "{field}: {point} closed on {on}; no {what_en} dated {date}")
HOW = {"transferred": ("转出", "transferred"), "other": ("归档", "archived")}
WHAT = {"logs": ("台账", "log"), "checks": ("检查", "check")}

Warning_ = tuple[Msg, dict[str, Any]]


class Departures:
    """Archived members (number -> reason, day, name) and closed points (code -> day)."""

    def __init__(self, store: Store) -> None:
        self.members = {no: (reason, on, name) for no, reason, on, name in store.execute(
            "SELECT member_no, archived_reason, archived_on, name FROM members "
            "WHERE status = 'archived' AND archived_on IS NOT NULL")}
        self.points = dict(store.execute(
            "SELECT code, closed_on FROM points WHERE active = 0 AND closed_on IS NOT NULL"))

    def point(self, point: str | None, day: str | None, table: str = "logs"
              ) -> FieldError | None:
        """The error when ``point`` had closed before ``day``."""
        closed = self.points.get(point) if point else None
        if closed is None or not day or day <= closed:
            return None
        what, what_en = WHAT[table]
        return FieldError("point", POINT_CLOSED, point=point, on=closed, date=day, what=what,
                          what_en=what_en)

    def participants(self, numbers: list[str] | None, day: str | None
                     ) -> tuple[FieldError | None, list[Warning_]]:
        """An error naming every participant who had died before ``day``; a warning for
        each one who had been transferred out (or archived otherwise) before it."""
        dead: list[str] = []
        warnings: list[Warning_] = []
        for no in numbers or ():
            left = self.members.get(no)
            if left is None or not day or day <= left[1]:
                continue
            reason, on, name = left
            if reason == "deceased":
                dead.append((no, name, on))
            else:
                how, how_en = HOW.get(reason or "other", HOW["other"])
                warnings.append((LEFT, {"no": no, "name": name, "on": on, "how": how,
                                        "how_en": how_en, "date": day}))
        error = FieldError(
            "participants", DECEASED, date=day,
            who="、".join(f"{no} {name}（{on} 去世）" for no, name, on in dead),
            who_en=", ".join(f"{no} {name} (died {on})" for no, name, on in dead)) if dead \
            else None
        return error, warnings

    def log(self, record: dict[str, Any]) -> tuple[list[FieldError], list[Warning_]]:
        """Every problem of a log (a voided log is exempt: it counts for nothing)."""
        if record.get("voided"):
            return [], []
        problems = []
        if error := self.point(record.get("point"), record.get("date")):
            problems.append(error)
        error, warnings = self.participants(record.get("participants"), record.get("date"))
        if error:
            problems.append(error)
        return problems, warnings
