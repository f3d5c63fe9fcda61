"""Bilingual text: a message is a pair (zh, en) rendered in the session's language.

Domain modules define their own messages next to the code that raises them, so the
catalogue is spread by topic rather than kept in one file everybody edits.
"""

from __future__ import annotations

from typing import NamedTuple

LANGS = ("zh", "en")


class Msg(NamedTuple):
    zh: str
    en: str

    def render(self, lang: str = "zh", **params: object) -> str:
        template = self.en if lang == "en" else self.zh
        try:
            return template.format(**params)
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
    "area_name": "居民区名称",
}


def field_label(field: str, lang: str) -> str:
    return field if lang == "en" else FIELD_LABELS.get(field, field)
