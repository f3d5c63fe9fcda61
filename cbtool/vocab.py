"""The controlled vocabularies: member categories, log kinds, fields of service, checklist items, member
statuses, archive reasons, contact channels, point kinds and audit actions — and the one
mark a checklist status is shown with.

A vocabulary maps what people type (key, Chinese label, common synonyms; any case) to
the stored key, and a key to its label in either language. Log kinds and checklist items
come from the config; the others are fixed.
"""

from __future__ import annotations

import unicodedata

from cbtool.errors import FieldError
from cbtool.text import Msg

UNKNOWN_VALUE = Msg(
    "{field}：未知的取值“{value}”（可用：{allowed}）",
    "{field}: unknown value '{value}' (one of: {allowed})",
)


class Vocab:
    """A closed list of values: its keys in order, their (zh, en) labels, and the
    lower-cased aliases (keys, labels, synonyms) that name each. (A plain class, as the
    other records every command builds at start-up: a dataclass costs a command ~0.4 ms to
    define.)"""

    __slots__ = ("name", "keys", "labels", "aliases")

    def __init__(self, name: str, keys: tuple[str, ...], labels: dict[str, tuple[str, str]],
                 aliases: dict[str, str] | None = None) -> None:
        self.name = name
        self.keys = keys
        self.labels = labels  # key -> (zh, en)
        self.aliases = {} if aliases is None else aliases  # lower-cased alias -> key

    def __repr__(self) -> str:
        return f"Vocab({self.name!r}, {self.keys!r})"

    def lookup(self, value: object) -> str | None:
        """The key ``value`` names (key, label or synonym, any case), else None."""
        text = "" if value is None else str(value).strip()
        key = self.aliases.get(text.lower())
        if key is None and not text.isascii():  # full-width （）、spaces of input methods
            key = self.aliases.get(_folded(text))
        return key

    def resolve(self, value: object, field_name: str | None = None) -> str:
        key = self.lookup(value)
        if key is None:
            text = "" if value is None else str(value).strip()
            allowed = ", ".join(f"{k}/{self.labels[k][0]}" for k in self.keys)
            raise FieldError(field_name or self.name, UNKNOWN_VALUE, value=text, allowed=allowed)
        return key

    def label(self, key: str, lang: str = "zh") -> str:
        pair = self.labels.get(key)
        if pair is None:
            return key
        return pair[1] if lang == "en" else pair[0]

    def label_map(self, lang: str = "zh") -> dict[str, str]:
        return {k: self.label(k, lang) for k in self.keys}


def _folded(text: str) -> str:
    """``有党员服务中心（场所）`` → ``有党员服务中心(场所)``: NFKC, no spaces, lower case."""
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


def _build(name: str, entries: list[tuple[str, str, str, tuple[str, ...]]]) -> Vocab:
    keys = tuple(e[0] for e in entries)
    labels = {k: (zh, en) for k, zh, en, _ in entries}
    aliases: dict[str, str] = {}
    for key, zh, en, extra in entries:
        for alias in (key, zh, en, *extra):
            aliases.setdefault(alias.strip().lower(), key)
            aliases.setdefault(_folded(alias), key)
    return Vocab(name, keys, labels, aliases)


CATEGORIES = _build(
    "category",
    [
        ("retired", "离退休", "Retired", ("退休", "离休", "离退休党员")),
        ("laid-off", "下岗", "Laid-off", ("laid_off", "laidoff", "下岗党员", "失业")),
        ("mobile", "流动", "Mobile", ("流动党员",)),
        ("employed", "在职", "Employed", ("在职党员",)),
    ],
)

# Gender as stored (M/F) and its labels (zh, en): what human output shows and a Chinese
# export writes; the gender parser reads both back.
GENDER_LABELS = {"M": ("男", "M"), "F": ("女", "F")}

DEFAULT_KINDS: list[tuple[str, str, str, tuple[str, ...]]] = [
    ("visit", "走访慰问", "Visit", ("走访", "慰问")),
    ("aid", "帮困救助", "Hardship aid", ("帮困", "救助")),
    ("employment", "就业援助", "Employment help", ("就业",)),
    ("volunteer", "志愿服务", "Volunteering", ("志愿",)),
    ("study", "学习教育", "Study", ("学习",)),
    ("meeting", "组织生活", "Meeting", ("组织生活会", "会议")),
    ("other", "其他", "Other", ("其它",)),
]

# Fields of service of volunteer teams (志愿服务领域); ``[teams.fields]`` extends them.
DEFAULT_FIELDS: list[tuple[str, str, str, tuple[str, ...]]] = [
    ("elderly", "敬老助残", "Elderly and disabled", ("敬老", "助残", "为老服务")),
    ("convenience", "便民服务", "Everyday help", ("便民",)),
    ("environment", "环境保护", "Environment", ("环保", "环境整治")),
    ("safety", "平安守护", "Safety patrols", ("平安", "巡逻", "治安巡逻")),
    ("culture", "文化体育", "Culture and sport", ("文体", "文化", "体育")),
    ("theory", "理论宣讲", "Talks on theory", ("宣讲", "理论宣传")),
    ("other", "其他", "Other", ("其它",)),
]

DEFAULT_ITEMS: list[tuple[str, str, str, tuple[str, ...]]] = [
    ("venue", "有党员服务中心(场所)", "Venue", ("场所", "服务中心", "有场所", "有党员服务中心")),
    ("rules", "有制度", "Rules", ("制度", "规章制度", "有规章制度")),
    ("board", "有党建园地", "Party board", ("党建园地", "园地", "有园地", "宣传园地", "有宣传园地",
                                           "党建宣传栏", "宣传栏")),
    ("av", "有电教设备", "AV equipment", ("电教设备", "电教", "有电教")),
    ("ledger", "有工作台帐", "Work ledger", ("工作台帐", "工作台账", "台帐", "台账", "有工作台账",
                                            "有台帐", "有台账")),
]

STATUSES = _build(
    "status",
    [
        ("active", "在册", "active", ("正常",)),
        ("archived", "已归档", "archived", ("归档",)),
    ],
)

ARCHIVE_REASONS = _build(
    "reason",
    [
        ("transferred", "转出", "transferred", ("组织关系转出",)),
        ("deceased", "去世", "deceased", ("死亡", "病故")),
        ("other", "其他", "other", ()),
    ],
)

CHANNELS = _build(
    "channel",
    [
        ("phone", "电话", "phone", ("tel",)),
        ("wechat", "微信", "WeChat", ()),
        ("visit", "走访", "visit", ("上门", "面谈")),
        ("other", "其他", "other", ("其它",)),
    ],
)

POINT_KINDS = _build(
    "point_kind",
    [
        ("point", "服务点", "point", ()),
        ("centre", "党员服务中心", "centre", ("center", "中心", "服务中心")),
    ],
)

# --- pairings, hardship aid and brands (结对共建、结对帮扶、一居一品) ---------------------

# The six headings a pairing (结对共建) works under; a joint activity's log names the one
# it served.
PAIRING_HEADINGS = _build(
    "heading",
    [
        ("education", "党员教育联搞", "Party education", ("党员教育", "教育联搞", "教育")),
        ("ideology", "思想工作联做", "Ideological work", ("思想工作", "思想联做", "思想")),
        ("security", "社区治安联防", "Neighbourhood security", ("社区治安", "治安联防", "治安")),
        ("welfare", "公益事业联办", "Public welfare", ("公益事业", "公益联办", "公益")),
        ("poverty", "贫困对象联帮", "Helping households in hardship",
         ("贫困对象", "联帮", "结对帮困", "帮困", "扶贫")),
        ("civility", "文明小区联建", "Civilised neighbourhood", ("文明小区", "文明联建", "文明")),
    ],
)

# Short Chinese names of the headings, for tables where the full ones are too wide.
SHORT_HEADING_LABELS = {"education": "教育", "ideology": "思想", "security": "治安",
                        "welfare": "公益", "poverty": "帮困", "civility": "文明"}

# What kind of hardship an aid case (困难对象) is in.
AID_KINDS = _build(
    "aid_kind",
    [
        ("subsistence", "低保", "Subsistence allowance", ("低保户", "最低生活保障")),
        ("low-income", "低收入", "Low income", ("low_income", "低收入户", "低收入家庭")),
        ("expenditure", "支出型贫困", "Expenditure poverty", ("支出型", "支出型贫困家庭")),
        ("illness", "因病", "Illness", ("因病致贫", "大病", "疾病")),
        ("unemployment", "失业", "Unemployment", ("下岗", "失业人员", "下岗失业")),
        ("other", "其他", "Other", ("其它",)),
    ],
)

# The form an aid given (帮扶记录) took.
AID_FORMS = _build(
    "aid_form",
    [
        ("visit", "慰问", "Visit", ("走访慰问", "慰问金")),
        ("grant", "救助金", "Grant", ("救助", "补助", "补助金", "帮困金")),
        ("goods", "物资", "Goods", ("实物", "慰问品", "物资救助")),
        ("employment", "就业帮扶", "Employment help", ("就业援助", "就业", "公益性岗位")),
        ("medical", "医疗", "Medical", ("医疗救助", "医疗帮扶")),
        ("schooling", "助学", "Schooling", ("助学金", "教育救助")),
    ],
)

# Whether an aid case is still helped.
AID_STATUSES = _build(
    "aid_status",
    [
        ("open", "帮扶中", "open", ("在帮", "未结案")),
        ("closed", "已结案", "closed", ("结案", "已脱困")),
        ("all", "全部", "all", ()),
    ],
)

# Where an area's brand project (一居一品) stands.
# A pairing's state on a day (``pairings.status_of``): ended from its end day on.
PAIRING_STATUSES = _build(
    "pairing_status",
    [
        ("active", "进行中", "active", ()),
        ("ended", "已结束", "ended", ()),
        ("pending", "未开始", "not started", ()),
    ],
)

BRAND_STATUSES = _build(
    "brand_status",
    [
        ("growing", "培育中", "growing", ("培育", "创建中")),
        ("established", "已成型", "established", ("成熟", "已成熟", "品牌")),
        ("ended", "已停止", "ended", ("停止", "终止")),
    ],
)

# The two funds every office has (a migration adds them; ``aid add-fund`` adds others).
DEFAULT_FUNDS = [
    ("emergency", "街道急难帮困专项资金", ("急难帮困", "急难帮困资金", "专项资金", "急难资金")),
    ("mutual", "党内互助金", ("互助金", "党内互助")),
]

# What the audit log records (``audit.action``); a new kind of change adds its entry here.
AUDIT_ACTION_ENTRIES: list[tuple[str, str, str, tuple[str, ...]]] = [
    ("insert", "新增", "insert", ()),
    ("update", "修改", "update", ()),
    ("recategorize", "类别变更", "recategorize", ()),
    ("archive", "归档", "archive", ()),
    ("restore", "恢复", "restore", ()),
    ("void", "作废", "void", ()),
    ("replace", "替换", "replace", ()),
    ("import", "导入", "import", ()),
    ("delete", "删除", "delete", ()),
    ("renumber", "改编号", "renumber", ()),
    ("undo", "撤销导入", "undo", ()),
    ("end", "结束", "end", ()),
    ("close", "结案", "close", ()),
    ("restore_db", "从备份恢复", "restored from a backup", ()),  # cbtool db restore
]
AUDIT_ACTIONS = _build("action", AUDIT_ACTION_ENTRIES)

# Short Chinese headings for the checklist matrix, where the full label is too wide.
SHORT_ITEM_LABELS = {"venue": "场所", "rules": "制度", "board": "园地", "av": "电教", "ledger": "台帐"}


def _extended(name: str, defaults: list, configured: dict[str, str] | None) -> Vocab:
    """A default vocabulary extended or relabelled by a config table (key = Chinese
    label): a known key gets the new label, its old one kept as an alias."""
    entries = list(defaults)
    for key, zh in (configured or {}).items():
        for i, entry in enumerate(entries):
            if entry[0] == key:
                entries[i] = (key, zh, entry[2], (*entry[3], entry[1]))
                break
        else:
            entries.append((key, zh, key, ()))
    return _build(name, entries)


def log_kinds(configured: dict[str, str] | None = None) -> Vocab:
    """Default kinds, extended or relabelled by ``[logs.kinds]`` (key = Chinese label)."""
    return _extended("kind", DEFAULT_KINDS, configured)


def service_fields(configured: dict[str, str] | None = None) -> Vocab:
    """Default fields of service, extended or relabelled by ``[teams.fields]`` (key =
    Chinese label), as ``log_kinds`` does for kinds."""
    return _extended("field", DEFAULT_FIELDS, configured)


def checklist_items(configured: dict[str, str] | None = None) -> Vocab:
    """The five haves, or the config's ``[checklist.items]`` list replacing them."""
    if not configured:
        return _build("item", DEFAULT_ITEMS)
    defaults = {e[0]: e for e in DEFAULT_ITEMS}
    entries = []
    for key, zh in configured.items():
        base = defaults.get(key)
        extra = (*base[3], base[1]) if base else ()
        short = zh[1:] if zh.startswith("有") and len(zh) > 2 else zh
        entries.append((key, zh, base[2] if base else key, (*extra, short)))
    return _build("item", entries)


_ZH_NUM = "零一二三四五六七八九十"
_EN_NUM = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


def haves(n: int, lang: str) -> str:
    """The checklist's name: 五有 / five-haves for five items, 六有 for six, …"""
    if 1 <= n <= 10:
        return f"{_ZH_NUM[n]}有" if lang != "en" else f"{_EN_NUM[n]}-haves"
    return "阵地建设" if lang != "en" else "checklist"


# --- the checklist's marks: one set for checklist show, points show, the dashboard and
# the reports ---------------------------------------------------------------------------

MARK_OK = "✓"
MARK_MISSING = "✗"
MARK_NEVER = "·"
MARK_STALE = "✓*"  # in place, but the check is older than the stale days


def check_mark(ok: bool | None, date: str | None = None, stale: bool = False) -> str:
    """``✓ 2026-11-20``, ``✓* 2024-05-02`` (stale), ``✗ 2026-11-20``, or ``·`` (never
    checked)."""
    if ok is None:
        return MARK_NEVER
    mark = (MARK_STALE if stale else MARK_OK) if ok else MARK_MISSING
    return f"{mark} {date}" if date else mark


def mark_legend(lang: str, stale_days: int | None = None) -> str:
    """What the marks mean; with ``stale_days`` the stale mark too."""
    if lang == "en":
        text = f"{MARK_OK} present   {MARK_MISSING} missing   {MARK_NEVER} never checked"
        if stale_days is not None:
            text += f"   {MARK_STALE} checked more than {stale_days} days ago (stale)"
        return text + "; dates are the latest check"
    text = f"{MARK_OK} 具备　{MARK_MISSING} 不具备　{MARK_NEVER} 从未检查"
    if stale_days is not None:
        text += f"　{MARK_STALE} 检查已超过 {stale_days} 天（过期）"
    return text + "；日期为最近一次检查"


# The tables changes are recorded for, with the names people give them.
TABLES: dict[str, tuple[str, ...]] = {
    "areas": ("居民区",),
    "points": ("服务点", "服务中心", "党员服务点"),
    "members": ("党员", "党员名册", "花名册"),
    "category_changes": ("类别变更", "党员类别变更"),
    "contacts": ("联系记录", "联系"),
    "logs": ("台账", "服务点台账", "台账记录"),
    "checks": ("检查", "五有检查", "检查记录", "checklist"),
    "teams": ("志愿者队伍", "队伍"),
    "volunteers": ("志愿者",),
    "service": ("志愿服务", "服务时长", "志愿服务记录"),
    "certificates": ("志愿服务证明", "证明"),
    "pairings": ("结对共建", "结对", "共建"),
    "aid_cases": ("困难对象", "帮扶对象", "结对帮扶"),
    "aid_given": ("帮扶记录", "救助记录"),
    "funds": ("资金", "帮困资金"),
    "fund_income": ("资金收入", "资金入账"),
    "brands": ("一居一品", "品牌", "品牌项目"),
    "import_batches": ("导入批次", "批次"),  # a batch undone (``cbtool imports undo``)
    "database": ("数据库",),  # the whole file restored from a backup (``cbtool db restore``)
}
