"""Configuration: TOML, first found of --config, CBTOOL_CONFIG, ./cbtool.toml, the user
config directory (``cbtool/config.toml``). Unknown keys warn; wrong types fail (exit 3)."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cbtool.errors import EnvError
from cbtool.text import Msg

NOT_FOUND = Msg("配置文件不存在：{file}", "config file not found: {file}")
UNREADABLE = Msg("无法读取配置文件 {file}：{reason}", "cannot read config file {file}: {reason}")
BAD_TOML = Msg("配置文件 {file} 不是有效的 TOML：{reason}", "config file {file} is not valid TOML: {reason}")
WRONG_TYPE = Msg(
    "配置文件 {file}：{key} 应为{expected_zh}，实际是 {actual!r}",
    "config file {file}: {key} must be {expected}, not {actual!r}",
)
UNKNOWN_KEY = Msg("配置文件 {file}：未知的键 {key}（已忽略）", "config file {file}: unknown key {key} (ignored)")

# key path -> (python type check, expected (en), expected (zh))
_EXPECTED = {
    "int": ("a positive integer", "正整数"),
    "str": ("a string", "字符串"),
    "lang": ('"zh" or "en"', '"zh" 或 "en"'),
    "table": ("a table of key = \"label\" strings", "由 键 = \"名称\" 组成的表"),
    "item_key": ("a key other than point, name, kind, area, compliant, items",
                 "point、name、kind、area、compliant、items 以外的键"),
}
# Keys a checklist item may not take: the matrix and the reports use them for themselves.
RESERVED_ITEM_KEYS = {"point", "name", "kind", "area", "compliant", "items"}


@dataclass
class Config:
    database: str | None = None
    language: str = "zh"
    operator: str | None = None
    contact_overdue_days: int = 90
    stale_days: int = 365
    log_kinds: dict[str, str] = field(default_factory=dict)
    checklist_items: dict[str, str] = field(default_factory=dict)
    office_name: str | None = None  # [office] name: the title of reports and papers
    office_code: str | None = None  # [office] code and parent: for a district roll-up
    office_parent: str | None = None
    source: Path | None = None
    warnings: list[tuple[Msg, dict[str, Any]]] = field(default_factory=list)

    def kinds(self):
        from cbtool.vocab import log_kinds

        return log_kinds(self.log_kinds)

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
    if not path.is_file():
        if required:
            raise EnvError(NOT_FOUND, file=str(path))
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise EnvError(BAD_TOML, file=str(path), reason=str(exc)) from None
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

    def positive_int(key: str, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise wrong(key, "int", value)
        return value

    def string(key: str, value: object) -> str:
        if not isinstance(value, str) or not value.strip():
            raise wrong(key, "str", value)
        return value.strip()

    def labels(key: str, value: object) -> dict[str, str]:
        if not isinstance(value, dict):
            raise wrong(key, "table", value)
        out = {}
        for k, v in value.items():
            if not isinstance(v, str) or not v.strip() or not k.strip():
                raise wrong(f"{key}.{k}", "str", v)
            out[k.strip()] = v.strip()
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
        elif key in ("members", "checklist", "logs", "office"):
            if not isinstance(value, dict):
                raise wrong(key, "table", value)
            for sub, subvalue in value.items():
                dotted = f"{key}.{sub}"
                if dotted == "members.contact_overdue_days":
                    cfg.contact_overdue_days = positive_int(dotted, subvalue)
                elif dotted == "checklist.stale_days":
                    cfg.stale_days = positive_int(dotted, subvalue)
                elif dotted == "checklist.items":
                    cfg.checklist_items = labels(dotted, subvalue)
                    for item in cfg.checklist_items:
                        if item in RESERVED_ITEM_KEYS:
                            raise wrong(f"{dotted}.{item}", "item_key", item)
                elif dotted == "logs.kinds":
                    cfg.log_kinds = labels(dotted, subvalue)
                elif dotted in ("office.name", "office.code", "office.parent"):
                    setattr(cfg, f"office_{sub}", string(dotted, subvalue))
                else:
                    unknown(dotted)
        else:
            unknown(key)
    return cfg
