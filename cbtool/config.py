"""Configuration: TOML, first found of --config, CBTOOL_CONFIG, ./cbtool.toml, the user
config directory (``cbtool/config.toml``). Unknown keys warn; wrong types fail (exit 3)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from cbtool.clock import parse_zone
from cbtool.errors import EnvError
from cbtool.fields import MAX_DAYS
from cbtool.text import UNTYPEABLE, Msg

NOT_FOUND = Msg("配置文件不存在：{file}", "config file not found: {file}")
UNREADABLE = Msg("无法读取配置文件 {file}：{reason}", "cannot read config file {file}: {reason}")
IS_DIR = Msg("配置文件 {file} 是一个目录", "config file {file} is a directory")
TOO_BIG = Msg("配置文件 {file} 超过 {limit} KiB，不像是配置文件",
              "config file {file} is over {limit} KiB; not a config file")
TOO_DEEP = "nested too deeply"
MAX_SIZE = 1 << 20  # a config is a few dozen lines
BAD_TOML = Msg("配置文件 {file} 不是有效的 TOML：{reason}", "config file {file} is not valid TOML: {reason}")
WRONG_TYPE = Msg(
    "配置文件 {file}：{key} 应为{expected_zh}，实际是 {actual!r}",
    "config file {file}: {key} must be {expected}, not {actual!r}",
)
UNKNOWN_KEY = Msg("配置文件 {file}：未知的键 {key}（已忽略）", "config file {file}: unknown key {key} (ignored)")

# key path -> (python type check, expected (en), expected (zh))
_EXPECTED = {
    "days": (f"a number of days from 1 to {MAX_DAYS}", f"1 到 {MAX_DAYS} 之间的天数"),
    "str": ("a string", "字符串"),
    "width": ("a number of digits from 1 to 20", "1 到 20 之间的位数"),
    "text": ("text without control characters", "不含控制字符的文字"),
    "lang": ('"zh" or "en"', '"zh" 或 "en"'),
    "timezone": ('an IANA time zone name, e.g. "Asia/Shanghai"', "IANA 时区名，如 \"Asia/Shanghai\""),
    "table": ("a table of key = \"label\" strings", "由 键 = \"名称\" 组成的表"),
    "area_code": ('an area code of digits starting with 0, e.g. "021"',
                  "以 0 开头的区号字符串，如 \"021\""),
    "codes": ("a list of unit codes (strings), e.g. [\"310116007\"]",
              "单位代码（字符串）的列表，如 [\"310116007\"]"),
    "item_key": ("a key other than point, name, kind, area, compliant, items",
                 "point、name、kind、area、compliant、items 以外的键"),
}
# Keys a checklist item may not take: the matrix and the reports use them for themselves.
RESERVED_ITEM_KEYS = {"point", "name", "kind", "area", "compliant", "items"}


class Config:
    """The settings of ``cbtool.toml`` (``load_config``), each with its default. (A plain
    class: every command makes one, and a dataclass costs ~0.8 ms to define.)"""

    def __init__(self, **settings: Any) -> None:
        """The defaults, with ``settings`` (``Config(office_code="3101")``) in their place."""
        self.database: str | None = None
        self.language = "zh"
        self.operator: str | None = None
        self.timezone: str | None = None  # IANA name (checked); None: the system's local zone
        self.contact_overdue_days = 90
        self.area_code: str | None = None  # [members] area_code: of local landlines ("021")
        self.member_no_width: int | None = None  # [members] member_no_width: 104 → 00104
        self.stale_days = 365
        self.log_kinds: dict[str, str] = {}
        self.team_fields: dict[str, str] = {}  # [teams.fields]
        self.checklist_items: dict[str, str] = {}
        self.office_name: str | None = None  # [office] name: the title of reports and papers
        self.office_code: str | None = None  # [office] code and parent: for a district roll-up
        self.office_parent: str | None = None
        self.rollup_expect: list[str] = []  # [rollup] expect: unit codes
        self.source: Path | None = None
        self.warnings: list[tuple[Msg, dict[str, Any]]] = []
        for name, value in settings.items():
            if name not in self.__dict__:
                raise TypeError(f"Config has no setting {name!r}")
            setattr(self, name, value)

    def __repr__(self) -> str:
        return f"Config(source={self.source!r})"

    def kinds(self):
        from cbtool.vocab import log_kinds

        return log_kinds(self.log_kinds)

    def fields(self):
        from cbtool.vocab import service_fields

        return service_fields(self.team_fields)

    def items(self):
        from cbtool.vocab import checklist_items

        return checklist_items(self.checklist_items)


def user_config_path() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir("cbtool", appauthor=False)) / "config.toml"


def find_config(explicit: str | None) -> tuple[Path | None, bool]:
    """The config file to read and whether it was named explicitly (then it must exist)."""
    if explicit:
        return Path(explicit).expanduser(), True
    env = os.environ.get("CBTOOL_CONFIG")
    if env:
        return Path(env).expanduser(), True
    local = Path("cbtool.toml")
    if local.is_file():
        return local, False
    user = user_config_path()
    if user.is_file():
        return user, False
    return None, False


def load_config(explicit: str | None = None) -> Config:
    path, required = find_config(explicit)
    if path is None:
        return Config()
    if path.is_dir():
        raise EnvError(IS_DIR, file=str(path))
    if not path.exists():
        if required:
            raise EnvError(NOT_FOUND, file=str(path))
        return Config()
    # Not only a regular file: /dev/null is an empty config, <(…) a pipe. At most
    # MAX_SIZE is read, so /dev/zero cannot fill the memory.
    import tomllib  # here: most commands find no config file and never need it

    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_SIZE + 1)
        if len(raw) > MAX_SIZE:
            raise EnvError(TOO_BIG, file=str(path), limit=MAX_SIZE >> 10)
        data = tomllib.loads(raw.decode("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise EnvError(BAD_TOML, file=str(path), reason=str(exc)) from None
    except RecursionError:  # arrays or tables nested thousands deep
        raise EnvError(BAD_TOML, file=str(path), reason=TOO_DEEP) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise EnvError(UNREADABLE, file=str(path), reason=str(exc)) from None
    return parse_config(data, path)


def parse_config(data: dict[str, Any], path: Path) -> Config:
    cfg = Config(source=path)
    file = str(path)

    def wrong(key: str, kind: str, actual: object) -> EnvError:
        en, zh = _EXPECTED[kind]
        return EnvError(WRONG_TYPE, file=file, key=key, expected=en, expected_zh=zh, actual=actual)

    def unknown(key: str) -> None:
        cfg.warnings.append((UNKNOWN_KEY, {"file": file, "key": key}))

    def days(key: str, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_DAYS:
            raise wrong(key, "days", value)
        return value

    def string(key: str, value: object) -> str:
        if not isinstance(value, str) or not value.strip():
            raise wrong(key, "str", value)
        if UNTYPEABLE.search(value):  # an escape sequence or bidi override in a label
            raise wrong(key, "text", value)
        return value.strip()

    def labels(key: str, value: object) -> dict[str, str]:
        if not isinstance(value, dict):
            raise wrong(key, "table", value)
        out = {}
        for k, v in value.items():
            if not isinstance(v, str) or not v.strip() or not k.strip():
                raise wrong(f"{key}.{k}", "str", v)
            out[string(f"{key}.{k}", k)] = string(f"{key}.{k}", v)
        return out

    for key, value in data.items():
        if key == "database":
            cfg.database = string(key, value)
        elif key == "language":
            if value not in ("zh", "en"):
                raise wrong(key, "lang", value)
            cfg.language = value
        elif key == "operator":
            cfg.operator = string(key, value)
        elif key == "timezone":
            try:
                parse_zone(value)
            except ValueError:
                raise wrong(key, "timezone", value) from None
            cfg.timezone = value.strip()
        elif key in ("members", "checklist", "logs", "office", "rollup", "teams"):
            if not isinstance(value, dict):
                raise wrong(key, "table", value)
            for sub, subvalue in value.items():
                dotted = f"{key}.{sub}"
                if dotted == "members.contact_overdue_days":
                    cfg.contact_overdue_days = days(dotted, subvalue)
                elif dotted == "members.area_code":
                    code = subvalue.strip() if isinstance(subvalue, str) else ""
                    if not (code.isascii() and code.isdigit() and code[:1] == "0"
                            and 3 <= len(code) <= 4):
                        raise wrong(dotted, "area_code", subvalue)
                    cfg.area_code = code
                elif dotted == "members.member_no_width":
                    if (isinstance(subvalue, bool) or not isinstance(subvalue, int)
                            or not 1 <= subvalue <= 20):
                        raise wrong(dotted, "width", subvalue)
                    cfg.member_no_width = subvalue
                elif dotted == "checklist.stale_days":
                    cfg.stale_days = days(dotted, subvalue)
                elif dotted == "checklist.items":
                    cfg.checklist_items = labels(dotted, subvalue)
                    for item in cfg.checklist_items:
                        if item in RESERVED_ITEM_KEYS:
                            raise wrong(f"{dotted}.{item}", "item_key", item)
                elif dotted == "logs.kinds":
                    cfg.log_kinds = labels(dotted, subvalue)
                elif dotted == "teams.fields":
                    cfg.team_fields = labels(dotted, subvalue)
                elif dotted in ("office.name", "office.code", "office.parent"):
                    setattr(cfg, f"office_{sub}", string(dotted, subvalue))
                elif dotted == "rollup.expect":
                    if not (isinstance(subvalue, list)
                            and all(isinstance(code, str) for code in subvalue)):
                        raise wrong(dotted, "codes", subvalue)
                    # a code listed twice is expected once
                    cfg.rollup_expect = list(dict.fromkeys(string(dotted, c) for c in subvalue))
                else:
                    unknown(dotted)
        else:
            unknown(key)
    return cfg
