"""The messages of an import (one catalogue: a file's headings, its rows, its keys)."""

from __future__ import annotations

from cbtool.text import Msg

MISSING_COLUMNS = Msg(
    "{file}{sheet_zh}：缺少必需的列：{names}（表头可用英文键或中文名称，如 {examples}）{at_zh}",
    "{file}{sheet_en}: required columns missing: {names} (headers may be the English keys or "
    "the Chinese headings, e.g. {examples}){at_en}",
)
NOTHING_IN = Msg(
    "{file}{sheet_zh}：是空的，没有表头也没有数据（第一行应是列名，如 {examples}）",
    "{file}{sheet_en}: is empty, with no headings and no rows (the first line names the "
    "columns, e.g. {examples})",
)
SAME_FIELD = Msg("{file}{sheet_zh}：列“{first}”和“{second}”都表示{label}，请只保留一列",
                 "{file}{sheet_en}: the columns '{first}' and '{second}' both mean {label}; "
                 "keep one")
NEW_NEEDS = Msg(
    "{no} 是新党员（库中没有此编号），须填写{label_zh}，而文件中没有这一列：请加上“{label_zh}”列"
    "（只改已有党员的文件可以不带）",
    "{no} is a new member (no such number stored) and needs {label_en}, which the file has no "
    "column for: add a '{label_en}' column (files that only correct stored members need not)",
)
ID_HELD = Msg(
    "{field}：此身份证号已属于党员 {other}（{name}），同一人只能有一个党员编号；请改用编号 {other}"
    "{hint_zh}",
    "{field}: this ID number belongs to member {other} ({name}) already; one person, one "
    "member number: use {other}{hint_en}",
)
ID_IN_FILE = Msg(
    "{field}：与第 {line} 行（党员编号 {other}）的身份证号相同，同一人只能有一个党员编号{hint_zh}",
    "{field}: the same ID number as line {line} (member {other}); one person, one member "
    "number{hint_en}",
)
ZEROS_LOST = Msg(
    "{field}：{twin_zh}，{where_zh}：同一人只能有一个党员编号；请填写完整的编号"
    "（把该列设为文本），或在配置文件 [members] 中设置 member_no_width",
    "{field}: {twin_en}, {where_en}: one person, one member "
    "number; give the full number (format the column as text), or set member_no_width under "
    "[members] in the config",
)
EXTRA_CELLS = Msg("多出的单元格（没有表头）：{value}", "cells beyond the last heading: {value}")
MISSING_FIELD = Msg("{field}：此记录缺少该字段", "{field}: missing from this record")
DUPLICATE = Msg("{field}：与第 {line} 行重复（{value}）",
                "{field}: same as line {line} ({value})")
DUPLICATE_LOG = Msg("与第 {line} 行是同一条台账（{value}）",
                    "the same log as line {line} ({value})")
DUPLICATE_CHECK = Msg("与第 {line} 行是同一次检查（{value}）",
                      "the same check as line {line} ({value})")
DUPLICATE_CASE = Msg("与第 {line} 行是同一个困难对象（{value}）",
                     "the same aid case as line {line} ({value})")
DUPLICATE_BRAND = Msg("与第 {line} 行是同一个一居一品项目（{value}）",
                      "the same brand project as line {line} ({value})")
SECOND_BRAND = Msg("{field}：第 {line} 行已给居民区 {area} 一个在用的一居一品“{name}”，一个居民区只有一个",
                   "{field}: line {line} gives area {area} a current brand already ('{name}'); an "
                   "area has one")
SECOND_OPEN_CASE = Msg("{field}：第 {line} 行已是身份证号 {value} 的帮扶中困难对象，一个身份证号只能有一个",
                       "{field}: line {line} is an open case of ID number {value} already; "
                       "one per ID number")
SECOND_PAIRING = Msg("{field}：第 {line} 行已让 {point} 与“{unit}”在这段时间结对（{since} 起），"
                     "同一时间只能有一个",
                     "{field}: line {line} pairs {point} with '{unit}' over this time already "
                     "(since {since}); one at a time")
DUPLICATE_PAIRING = Msg("与第 {line} 行是同一个结对共建（{value}）",
                        "the same pairing as line {line} ({value})")
BAD_TEXT = Msg("{field}：含有无法保存的字符", "{field}: holds characters that cannot be stored")
BAD_VALUE = Msg("{field}：无法识别的值“{value}”", "{field}: cannot read '{value}'")
VOID_REASON_REQUIRED = Msg("{field}：作废的台账记录须填写作废原因",
                           "{field}: a voided log needs a reason")
CHECK_VOID_REASON = Msg("{field}：作废的检查记录须填写作废原因",
                        "{field}: a voided check needs a reason")
REASON_REQUIRED = Msg(
    "{field}：已归档的党员须填写归档原因（transferred/转出、deceased/去世、other/其他）",
    "{field}: an archived member needs a reason (transferred, deceased or other)",
)
ONLY_ARCHIVED = Msg("{field}：只有已归档（状态为 archived）的党员才填写此项",
                    "{field}: only for archived members (status archived)")
POINT_TAKEN = Msg("{field}：服务点编号 {value} 已被占用（居民区与其服务点同编号）",
                  "{field}: the point code {value} is taken (an area's point has its code)")
AID_VOID_REASON = Msg("{field}：作废的记录须填写作废原因", "{field}: a voided record needs a reason")
OVERDRAWN_ROW = Msg(
    "{field}：资金“{fund}”在 {date} 及以后可用余额只有 {available} 元（已算上本文件中日期更早的行），"
    "不够支出 {amount} 元；先导入或记入该资金的收入（cbtool aid income-import / aid income）",
    "{field}: fund '{fund}' has only {available} yuan available on {date} and after (the "
    "file's earlier-dated rows counted), not the {amount} yuan asked; import or record its "
    "income first (cbtool aid income-import / aid income)")
INCOME_SPENT_ROW = Msg(
    "{field}：作废这笔收入后资金“{fund}”在 {date} 的余额会是 {balance} 元（已支出），不能作废",
    "{field}: voiding this income would leave fund '{fund}' at {balance} yuan on {date} "
    "(spent already); it is not voided")
MONEY_RECORD_CHANGED = Msg(
    "{field}：记录 #{id} 在库中是 {stored}，文件里改成了别的：记账的记录不能用导入修改，"
    "请用 {void} {id} 作废（写明原因）后重记（或改回原样）",
    "{field}: record #{id} is stored as {stored} and the file changes it: money records are "
    "not changed by import; void it ({void} {id}, with a reason) and record it anew "
    "(or put it back as it was)")
NO_CASE_NUMBER = Msg("{field}：找不到困难对象“{value}”（填 cbtool aid list 中的编号，如 5）",
                     "{field}: no aid case '{value}' (give its number from cbtool aid list, "
                     "e.g. 5)")
