"""The one clock: what "today" and "now" are, for every module of cbtool.

Instants are kept in UTC (the audit's ``at``, ``created_at``); days and every time shown or
written for people are local, in the zone of the config's ``timezone`` (an IANA name such
as ``Asia/Shanghai``; by default the system's own zone). The command line applies the
config's zone; from Python::

    from cbtool import clock
    clock.set_timezone("Asia/Shanghai")
    clock.set_clock("2026-11-30")        # tests: a fixed day, or an instant
    clock.today()                        # -> date(2026, 11, 30)
    clock.set_clock(None)                # back to the real clock

For a subprocess, the environment variable ``CBTOOL_TODAY`` does what ``set_clock`` does
(``2026-11-30`` or an ISO instant such as ``2026-11-30T08:15:00+08:00``).
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, tzinfo

from cbtool.errors import EnvError
from cbtool.text import Msg

ENV = "CBTOOL_TODAY"
BAD_ENV = Msg("环境变量 CBTOOL_TODAY 应为日期（2026-11-30）或 ISO 时间，实际是 {value!r}",
              "CBTOOL_TODAY must be a date (2026-11-30) or an ISO time, not {value!r}")

_fixed: date | datetime | None = None  # set_clock: the day or the instant "now" is
_zone: tzinfo | None = None  # set_timezone: None is the system's local zone


def parse_zone(name: object) -> tzinfo:
    """An IANA zone name (``Asia/Shanghai``, ``UTC``) as a tzinfo; ValueError if unknown."""
    if not isinstance(name, str) or not name.strip() or "\x00" in name:
        raise ValueError(f"not a time zone name: {name!r}")
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError  # only a configured zone needs it

    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise ValueError(f"unknown time zone: {name!r}") from exc


def set_timezone(zone: str | tzinfo | None) -> None:
    """The local zone from now on: an IANA name, a tzinfo, or None for the system's."""
    global _zone
    _zone = parse_zone(zone) if isinstance(zone, str) else zone


def timezone() -> tzinfo | None:
    """The configured zone, or None when it is the system's."""
    return _zone


def _parse(value: str | date | datetime) -> date | datetime:
    if not isinstance(value, str):
        return value
    text = value.strip()
    try:
        return date.fromisoformat(text) if len(text) <= 10 else \
            datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"not a date or an ISO time: {value!r}") from None


def _instant(value: date | datetime) -> datetime:
    """An instant (naive means local) as it is; a day as that day in the local zone at the
    real time of day (so times still run and stay in order)."""
    if not isinstance(value, datetime):
        real = local(datetime.now(UTC))
        value = datetime.combine(value, real.time().replace(tzinfo=None))
    if value.tzinfo is None:
        value = value.replace(tzinfo=_zone) if _zone else value.astimezone()
    return value


def set_clock(value: str | date | datetime | None) -> None:
    """Fix what "now" is (tests): a day (its date; the time of day still runs), an
    instant, or None for the real clock again."""
    global _fixed
    _fixed = None if value is None else _parse(value)


def now() -> datetime:
    """The current instant, in UTC."""
    if _fixed is not None:
        return _instant(_fixed).astimezone(UTC)
    env = os.environ.get(ENV)
    if env:
        try:
            return _instant(_parse(env)).astimezone(UTC)
        except ValueError:
            raise EnvError(BAD_ENV, value=env) from None
    return datetime.now(UTC)


def local(moment: datetime | None = None) -> datetime:
    """An instant (default now) in the local zone; a naive one is taken as UTC."""
    moment = now() if moment is None else moment
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(_zone) if _zone else moment.astimezone()


def today() -> date:
    """The local day."""
    return local().date()


def utc_stamp() -> str:
    """Now as stored: ``2026-11-30T04:15:00Z``."""
    return now().strftime("%Y-%m-%dT%H:%M:%SZ")


def shown(at: object) -> str:
    """A stored instant (``2026-11-30T04:15:00Z``) as the local ``2026-11-30 12:15`` for
    people. A time without a zone is shown as it is (its zone is not known); text that
    is not an ISO time comes back as it was."""
    text = "" if at is None else str(at)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    if moment.tzinfo is not None:
        moment = local(moment)
    return moment.strftime("%Y-%m-%d %H:%M")
