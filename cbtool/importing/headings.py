"""A file's headings: the English keys and the Chinese names offices use, normalised."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

# field -> accepted headings besides the key itself (compared after normalising).
HEADINGS: dict[str, dict[str, tuple[str, ...]]] = {
    "areas": {
        "code": ("编号", "居民区编号", "代码", "area code"),
        "name": ("名称", "居民区", "居民区名称", "area", "area name"),
    },
    "members": {
        "member_no": ("党员编号", "编号", "党员号", "member no", "member number", "no", "number"),
        "name": ("姓名", "党员姓名"),
        "gender": ("性别", "sex"),
        "born_on": ("出生日期", "出生年月", "出生年月日", "born", "birth date", "date of birth"),
        "id_card": ("身份证号", "公民身份号码", "身份证号码", "身份证", "id number", "id no"),
        "phone": ("联系电话", "手机", "手机号", "手机号码", "电话", "电话号码", "联系方式",
                  "mobile", "tel"),
        "category": ("党员类别", "类别", "党员类型"),
        "area": ("居民区", "所在居民区", "所属居民区", "所在社区", "所属社区"),
        "joined_on": ("入党时间", "入党日期", "入党年月", "joined"),
        "employer": ("工作单位", "原工作单位", "单位"),
        "whereabouts": ("流向", "外出流向", "去向"),
        "left_on": ("外出时间", "外出日期", "left"),
        "note": ("备注", "notes", "remark"),
        "status": ("状态",),
        "archived_reason": ("归档原因",),
        "archived_on": ("归档日期", "归档时间"),
        "last_contact_on": ("最近联系时间", "最近联系", "最近联系日期", "last contact"),
        # a category change: its date and reason (else today and 导入)
        "category_on": ("变更日期", "类别变更日期", "变更时间", "category changed on"),
        "category_reason": ("变更原因", "类别变更原因", "category change reason"),
    },
    "logs": {
        "point": ("服务点", "服务点编号"),
        "date": ("日期", "活动日期", "活动时间"),
        "kind": ("类型", "活动类型", "服务类型"),
        "title": ("标题", "活动内容", "活动名称", "活动主题", "内容"),
        "participants": ("参加党员", "参与党员", "参加人员", "members"),
        "served": ("服务人数", "服务群众", "服务群众人数", "受益人数"),
        "hours": ("志愿时长", "志愿服务时长", "时长", "小时数"),
        "note": ("备注", "notes", "remark"),
        "ref": ("外部编号", "台账编号", "参考编号", "reference"),
        "voided": ("作废", "已作废", "是否作废"),
        "void_reason": ("作废原因",),
        # each volunteer's time (张三:2、李四:1.5) and the team that served
        "volunteers": ("志愿者", "参加志愿者", "志愿者及时长"),
        "team": ("志愿者队伍", "服务队伍"),
        # a joint activity of a pairing (its number, or the unit's name at the log's point),
        # the heading it served, the area's brand project
        "pairing": ("结对单位", "结对共建", "共建单位", "结对编号"),
        "heading": ("共建内容", "联建内容"),
        "brand": ("一居一品", "品牌项目", "品牌"),
    },
    "points": {
        "code": ("编号", "服务点编号", "代码", "point code"),
        "name": ("名称", "服务点", "服务点名称", "point name"),
        "kind": ("类型", "服务点类型"),
        "area": ("居民区", "所属居民区", "居民区编号"),
        "address": ("地址", "服务点地址"),
        "note": ("备注", "notes", "remark"),
        "active": ("启用", "是否启用", "状态"),
        "closed_on": ("停用日期", "停用时间"),
    },
    "pairings": {
        "id": ("编号", "结对编号"),  # an export's: the pairing it names (its start may change)
        "point": ("服务点", "服务点编号", "结对服务点", "居民区"),
        "unit": ("共建单位", "结对单位", "驻区单位", "单位名称", "partner unit"),
        "branch": ("党组织", "结对党组织", "党支部", "党组织名称"),
        "contact": ("联系人", "对方联系人"),
        "phone": ("联系电话", "联系人电话", "电话", "手机", "联系方式"),
        "since": ("开始日期", "结对日期", "结对时间", "起始日期"),
        "until": ("结束日期", "截止日期", "到期日期"),
        "headings": ("共建内容", "结对内容", "共建项目", "六联"),
        "note": ("备注", "notes", "remark"),
        "end_reason": ("结束原因",),
    },
    "aid": {
        "id": ("编号", "困难对象编号"),  # an export's: the case it names (its day may change)
        "name": ("姓名", "户主", "户主姓名", "困难对象"),
        "household": ("按户", "是否按户", "按户建档"),
        "id_card": ("身份证号", "公民身份号码", "身份证号码", "身份证"),
        "phone": ("联系电话", "电话", "手机", "手机号", "联系方式"),
        "address": ("住址", "家庭住址", "地址"),
        "area": ("居民区", "所在居民区", "所属居民区"),
        "kind": ("困难类型", "类型", "困难类别", "类别"),
        "member_no": ("党员编号", "本人党员编号"),
        "helpers": ("结对党员", "帮扶党员", "结对帮扶党员"),
        "opened_on": ("建档日期", "建档时间", "开始日期"),
        "closed_on": ("结案日期", "结案时间"),
        "close_reason": ("结案原因",),
        "note": ("备注", "notes", "remark"),
    },
    "aid-given": {
        "id": ("记录号", "编号"),  # an export's: a changed row of it is refused, not added
        "case": ("困难对象编号", "困难对象", "对象编号", "帮扶对象编号", "帮扶对象"),
        "date": ("帮扶日期", "日期", "帮扶时间"),
        "form": ("帮扶形式", "形式", "帮扶方式"),
        "amount": ("金额（元）", "金额", "帮扶金额"),
        "fund": ("资金来源", "资金", "经费来源", "支出资金"),
        "note": ("备注", "notes", "remark"),
        "voided": ("作废", "已作废", "是否作废"),
        "void_reason": ("作废原因",),
    },
    "aid-income": {
        "id": ("记录号", "编号"),
        "fund": ("资金", "资金名称", "资金来源", "收入资金"),
        "date": ("收入日期", "日期", "到账日期"),
        "amount": ("金额（元）", "金额", "收入金额"),
        "source": ("来源", "收入来源", "拨款单位"),
        "note": ("备注", "notes", "remark"),
        "voided": ("作废", "已作废", "是否作废"),
        "void_reason": ("作废原因",),
    },
    "brands": {
        "id": ("id", "品牌编号"),  # an export's: a new brand takes it where it is free
        "area": ("居民区", "所在居民区", "居民区编号"),
        "name": ("品牌名称", "一居一品", "品牌", "项目名称"),
        "description": ("简介", "品牌简介", "主要内容", "内容"),
        "since": ("创建年月", "品牌创建时间", "开始时间", "开始日期"),
        "status": ("状态", "品牌状态"),
        "note": ("备注", "notes", "remark"),
    },
    "checklist": {
        "point": ("服务点", "服务点编号"),
        "item": ("检查项目", "项目"),
        "ok": ("是否具备", "合格", "是否合格", "具备", "结果"),
        "date": ("检查日期", "日期"),
        "inspector": ("检查人", "检查人员"),
        "note": ("备注", "notes", "remark"),
        "voided": ("作废", "已作废", "是否作废"),
        "void_reason": ("作废原因",),
    },
    "teams": {
        "code": ("队伍编号", "编号", "代码", "team code"),
        "name": ("队伍名称", "名称", "志愿者队伍", "team name"),
        "point": ("服务点", "组建服务点", "服务点编号"),
        "unit": ("驻区单位", "组建单位", "共建单位"),
        "field": ("服务领域", "领域", "服务类别"),
        "leader": ("负责人", "队长", "联系人"),
        "founded_on": ("成立日期", "成立时间", "founded"),
        "active": ("活跃", "是否活跃", "状态"),
        "closed_on": ("撤销日期", "撤销时间"),
        "note": ("备注", "notes", "remark"),
    },
    "volunteers": {
        "volunteer_no": ("志愿者编号", "编号", "volunteer no", "number", "no"),
        "name": ("姓名", "志愿者姓名"),
        "gender": ("性别", "sex"),
        "id_card": ("身份证号", "公民身份号码", "身份证号码", "身份证", "id number", "id no"),
        "phone": ("联系电话", "手机", "手机号", "手机号码", "电话", "联系方式", "mobile", "tel"),
        "area": ("居民区", "所在居民区", "所属居民区"),
        "registered_on": ("注册日期", "注册时间", "加入日期", "registered"),
        "member_no": ("党员编号", "member", "member no"),
        "teams": ("所在队伍", "队伍", "所属队伍", "队伍编号"),
        "active": ("在册", "是否在册", "状态"),
        "left_on": ("退出日期", "退出时间"),
        "note": ("备注", "notes", "remark"),
    },
    "service": {
        "volunteer_no": ("志愿者编号", "志愿者", "编号", "姓名"),
        "date": ("日期", "服务日期"),
        "hours": ("时长", "服务时长", "志愿时长", "时长（小时）", "小时数"),
        "content": ("服务内容", "内容"),
        "team": ("队伍", "志愿者队伍", "服务队伍"),
        "note": ("备注", "notes", "remark"),
        "voided": ("作废", "已作废", "是否作废"),
        "void_reason": ("作废原因",),
    },
}
# Columns an export writes that an import does not take (ids and stamps are the tool's).
# A 序号 column (the row's number in the sheet) is the office's, not data.
IGNORED: dict[str, tuple[str, ...]] = {
    "areas": ("created_at", "updated_at", "members", "在册党员", "创建时间", "更新时间", "序号"),
    "members": ("created_at", "updated_at", "创建时间", "更新时间", "序号"),
    "logs": ("id", "created_at", "updated_at", "创建时间", "更新时间", "序号"),
    "checklist": ("id", "created_at", "updated_at", "创建时间", "更新时间", "序号"),
    "points": ("created_at", "updated_at", "创建时间", "更新时间", "序号"),
    "teams": ("created_at", "updated_at", "volunteers", "志愿者（人）", "创建时间", "更新时间",
              "序号"),
    "volunteers": ("created_at", "updated_at", "创建时间", "更新时间", "序号"),
    "service": ("id", "log_id", "created_at", "updated_at", "记录号", "台账", "创建时间",
                "更新时间", "序号"),
    "aid": ("created_at", "updated_at", "创建时间", "更新时间", "序号", "given", "amount",
            "帮扶次数", "金额"),
    "aid-given": ("created_at", "updated_at", "创建时间", "更新时间", "序号"),
    "aid-income": ("created_at", "updated_at", "创建时间", "更新时间", "序号"),
    "brands": ("created_at", "updated_at", "创建时间", "更新时间", "序号", "logs", "编号",
               "品牌活动"),
    "pairings": ("created_at", "updated_at", "创建时间", "更新时间", "序号", "active",
                 "logs", "共建活动"),
}

_PAREN = re.compile(r"\s*\([^()]*\)$")
# White space next to a Chinese character is padding (姓  名, 性 别); between Latin words
# it separates them (member no).
_CJK_SPACE = re.compile(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])")


def normalise_heading(text: str) -> str:
    """``'Member No.'`` → ``member_no``; ``'姓  名'`` → ``姓名``; ``'身份证号码（18位）'``
    keeps its parenthesis (see ``heading_candidates``); full-width forms become ASCII; a
    required mark (``*姓名``, ``姓名*``) is dropped."""
    text = unicodedata.normalize("NFKC", text).strip().lower().strip("*:：※★").strip()
    if not text.isascii():
        text = _CJK_SPACE.sub("", text)
    return re.sub(r"[\s\-.]+", "_", text).strip("_")


def heading_candidates(text: str) -> list[str]:
    """The normalised heading, then without a trailing parenthesised hint."""
    first = normalise_heading(text)
    bare = normalise_heading(_PAREN.sub("", unicodedata.normalize("NFKC", text).strip()))
    return [first, bare] if bare and bare != first else [first]


# The two columns an ``--errors`` file adds to the rejected rows (either language): the
# corrected file imports again without them being reported as unknown.
REJECT_LINE = {"zh": "原行号", "en": "line"}
REJECT_ERROR = {"zh": "错误原因", "en": "error"}
REJECT_COLUMNS = (*REJECT_LINE.values(), *REJECT_ERROR.values())


def heading_test(kind: str) -> Callable[[str], bool]:
    """Whether a cell is a heading of ``kind`` (known or ignored): how the reader finds the
    header row below a title and the sheet that holds the data."""
    mapping = heading_map(kind)
    return lambda text: any(c in mapping for c in heading_candidates(text))


def heading_map(kind: str) -> dict[str, str | None]:
    """normalised heading -> field (None for a known column that is not imported)."""
    mapping: dict[str, str | None] = {}
    for name, aliases in HEADINGS[kind].items():
        for alias in (name, *aliases):
            mapping.setdefault(normalise_heading(alias), name)
    for name in (*IGNORED[kind], *REJECT_COLUMNS):
        mapping.setdefault(normalise_heading(name), None)
    return mapping
