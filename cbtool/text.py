"""Bilingual text: a message is a pair (zh, en) rendered in the session's language.

Domain modules define their own messages next to the code that raises them, so the
catalogue is spread by topic rather than kept in one file everybody edits.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any, NamedTuple

from cbtool.lazyre import lazy

LANGS = ("zh", "en")


# How the surface in use spells a parameter a message names (``{opt_header_row}``): the
# command line registers its flags (``--header-row``); from Python a message names the
# keyword argument itself (``header_row=``). Domain messages never spell a CLI flag.
_OPTION_SPELLING: list[Callable[[str], str]] = [lambda name: f"{name}="]


def spell_options(spelling: Callable[[str], str]) -> None:
    """How messages name parameters from now on (the CLI: ``--header-row``)."""
    _OPTION_SPELLING[0] = spelling


def option(name: str) -> str:
    """A parameter as the surface in use spells it (``option("ok")`` → ``--ok``)."""
    return _OPTION_SPELLING[0](name)


class _Params(dict):
    def __missing__(self, key: str) -> str:
        if key.startswith("opt_"):
            return option(key[4:])
        raise KeyError(key)


class Msg(NamedTuple):
    zh: str
    en: str

    def render(self, lang: str = "zh", **params: object) -> str:
        template = self.en if lang == "en" else self.zh
        if any(isinstance(v, Msg) for v in params.values()):  # a reason in the same language
            params = {k: v.render(lang) if isinstance(v, Msg) else v for k, v in params.items()}
        try:
            return template.format_map(_Params(params))
        except (KeyError, IndexError):  # a missing parameter must never hide the error
            return template


def pick(pair: tuple[str, str] | Msg, lang: str) -> str:
    """Choose the language's side of a (zh, en) pair."""
    return pair[1] if lang == "en" else pair[0]


# Field names as people know them; English keeps the key (what scripts and headers use).
FIELD_LABELS: dict[str, str] = {
    "member_no": "党员编号", "name": "姓名", "gender": "性别", "born_on": "出生日期",
    "id_card": "身份证号", "phone": "联系电话", "category": "党员类别", "area": "居民区",
    "joined_on": "入党时间", "employer": "工作单位", "whereabouts": "流向", "left_on": "外出时间",
    "note": "备注", "status": "状态", "archived_reason": "归档原因", "archived_on": "归档日期",
    "last_contact_on": "最近联系时间", "code": "编号", "kind": "类型", "address": "地址",
    "point": "服务点", "date": "日期", "title": "活动内容", "participants": "参加党员",
    "served": "服务人数", "hours": "志愿时长", "ref": "外部编号", "item": "检查项目",
    "ok": "是否具备", "inspector": "检查人", "on": "日期", "to": "新类别", "reason": "原因",
    "channel": "联系方式", "since": "起始日期", "members": "参加党员",
    "area_name": "居民区名称", "operator": "操作人",
    # volunteer teams, volunteers and their service
    "unit": "驻区单位", "field": "服务领域", "leader": "负责人", "founded_on": "成立日期",
    "closed_on": "撤销日期", "volunteer_no": "志愿者编号", "registered_on": "注册日期",
    "team": "队伍", "teams": "所在队伍", "volunteers": "志愿者", "content": "服务内容",
    "member": "党员编号",
    # pairings, hardship aid, brands
    "branch": "党组织", "contact": "联系人", "until": "结束日期",
    "headings": "共建内容", "heading": "共建内容", "pairing": "结对单位", "end_reason": "结束原因",
    "household": "按户", "opened_on": "建档日期",
    "close_reason": "结案原因", "helpers": "结对党员", "case": "困难对象", "case_id": "困难对象",
    "amount_fen": "金额（元）",
    "form": "帮扶形式", "amount": "金额（元）", "fund": "资金来源", "source": "来源",
    "brand": "一居一品", "description": "简介",
    "voided": "作废", "void_reason": "作废原因", "category_on": "变更日期",
    "category_reason": "变更原因",
}


# Where one kind of record calls a field otherwise: a pairing's unit is its partner (共建单位),
# a volunteer team's the stationed unit that formed it (驻区单位); what is not a person has
# a name, not a 姓名; ``active`` as the importer heads it (启用 是/否).
KIND_LABELS: dict[str, dict[str, str]] = {
    "pairings": {"unit": "共建单位", "since": "开始日期"},
    "areas": {"name": "名称"},
    "points": {"name": "名称", "active": "启用", "closed_on": "停用日期"},
    "teams": {"name": "队伍名称", "active": "活跃"},
    "volunteers": {"active": "在册", "left_on": "退出日期"},
    "brands": {"name": "品牌名称", "since": "创建年月"},
    # as their import and export files head them (the aid kinds under both the import's
    # kind and the audited table's name)
    "aid": {"kind": "困难类型", "closed_on": "结案日期"},
    "aid_cases": {"kind": "困难类型", "closed_on": "结案日期"},
    "aid-given": {"date": "帮扶日期"},
    "aid_given": {"date": "帮扶日期"},
    "aid-income": {"fund": "资金", "date": "收入日期"},
    "fund_income": {"fund": "资金", "date": "收入日期"},
    "funds": {"name": "名称"},
    "contacts": {"id": "编号", "reached": "联系上"},  # as members contacts heads them
    # an import's own audit row and a batch undone, as ``cbtool imports`` heads them
    "import_batches": {"file": "文件", "inserted": "新增", "updated": "更新", "unchanged": "未变",
                       "deleted": "删除", "restored": "改回"},
    "database": {"file": "恢复自", "previous": "原数据库备份在"},  # cbtool db restore
}


def field_label(field: str, lang: str, kind: str | None = None) -> str:
    """A field as people know it (English: its key); ``kind``'s own name for it first."""
    if lang == "en":
        return field
    own = KIND_LABELS.get(kind, {}) if kind else {}
    return own.get(field) or FIELD_LABELS.get(field, field)


# --- text that is safe to show ---------------------------------------------------------

# What nobody types in a name or a note, so stored text never holds it (``fields.text_field``,
# the operator, the config's labels): C0 controls but tab, line feed and CR; DEL; the C1
# controls, among them the 8-bit CSI U+009B and NEL U+0085; the bidirectional marks,
# embeddings, overrides and isolates, which reorder what a terminal shows; the line and
# paragraph separators; lone surrogates (bytes that did not decode).
UNTYPEABLE = lazy(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069"
    r"\ud800-\udfff]"
)
# Shown escaped wherever text meets a terminal or Markdown: every control (Cc), format
# (Cf: bidi controls, zero-width marks), surrogate (Cs) and line or paragraph break (Zl, Zp).
_HIDDEN = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def shown(text: str) -> str:
    """``text`` fit for a terminal, a message or a Markdown cell: each control or format
    character, line break and lone surrogate becomes its visible escape (``\\x1b``,
    ``\\n``, ``\\u202e``), so data can neither drive the terminal (clear it, retitle it,
    reorder a line) nor start a line of its own. Escapes are plain ASCII, readable on any
    terminal (a GBK one too) and say exactly which character is there; all other text,
    Chinese included, is left as it is."""
    if text.isprintable():
        return text
    return "".join(repr(ch)[1:-1] if unicodedata.category(ch) in _HIDDEN else ch
                   for ch in text)


def shown_all(value: Any) -> Any:
    """A document (dicts, lists, strings) with every string, keys included, ``shown``."""
    if isinstance(value, str):
        return shown(value)
    if isinstance(value, dict):
        return {shown_all(k): shown_all(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [shown_all(v) for v in value]
    return value


_MD_SPACE = lazy("\r\n|[\t\n\r\x85\u2028\u2029]")  # a table cell has no line breaks
_MD = str.maketrans({"\\": "\\\\", "|": "\\|", "<": "&lt;", ">": "&gt;", "&": "&amp;"})


def md_text(text: str) -> str:
    """``text`` as a Markdown table cell or heading: a line break or tab reads as a space
    (a row is one line), the rest is ``shown``; then the backslash, the ``|`` that would
    end the cell and the ``<`` ``>`` ``&`` of raw HTML are escaped, so what a name holds
    is shown, never run."""
    return shown(_MD_SPACE.sub(" ", text)).translate(_MD)
