"""Blank files to fill in and import: ``cbtool template areas|members|logs|checklist``.

A template is the importer's own view of a kind, so a filled one imports with no edits:

* the headings are the first Chinese heading ``importing.HEADINGS`` reads for each field;
  a column is marked required when its validator (the importer's) refuses an empty cell;
* .xlsx: the data sheet comes first and its row 1 is the header (nothing above it). The
  columns Excel would damage (``exporting.TEXT_COLUMNS``: member numbers, ID numbers,
  phones, codes, month-precision dates, participant lists) are formatted as text ``@``;
  categories, areas, points, log kinds, checklist items, gender and yes/no get drop-down
  lists whose values the validators accept (areas and points by name where the name
  finds exactly that record, else by code). Every list lives on a hidden sheet and is
  referenced by range, so no list meets Excel's 255-character limit on inline lists;
* a ``填表说明`` sheet after the data sheet says, for each column, whether it is required,
  what to type and an example value. The example is there, not on the data sheet, so
  no importer (this one, an older one, another tool) can take it for a record;
* .csv: the header row only, UTF-8 with the BOM Excel needs for Chinese, written by the
  one CSV writer (``formats.write_delimited``, ``\\n`` line ends as in exports).

Files are written atomically and owner-only (``files.atomic_write``); an existing file is
kept unless ``force``.

Why one module of ~420 lines: every kind's template columns, hints and drop-downs in one
table, read from the importer's own headings, so the two cannot drift.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cbtool.errors import Conflict, FieldError
from cbtool.store import Store
from cbtool.text import Msg

ROWS = 1000  # data rows formatted cell by cell (the column's own style covers the rest)
LAST_ROW = 1_048_576  # Excel's last row: drop-downs apply to the whole column
NOTES_TITLE = "填表说明"
LISTS_TITLE = "下拉选项"

EXISTS = Msg("{file} 已存在，未覆盖（要覆盖请加 {opt_force}）",
             "{file} exists; not overwritten (add {opt_force} to overwrite)")
CSV_PLAIN = Msg(
    "CSV 模板只有表头：没有文本格式和下拉列表，Excel 打开后会去掉党员编号的前导零、"
    "把长数字改成科学计数法；在 Excel/WPS 中填写请用 .xlsx 模板",
    "a CSV template has the header only: no text formats or drop-down lists, and Excel "
    "drops leading zeros and turns long numbers into 1.2E+17; use the .xlsx template in "
    "Excel/WPS",
)
NO_CHOICES = Msg("数据库中还没有{what}，“{heading}”列没有下拉列表（先添加{what}再生成模板）",
                 "no {what_en} in the database yet: the column '{heading}' has no drop-down "
                 "list (add {what_en} first, then make the template again)")

# The columns of each template, in order: what a new record is made of (archive fields,
# voiding and last-contact dates belong to other commands, not to a blank form).
FIELDS: dict[str, tuple[str, ...]] = {
    "areas": ("code", "name"),
    "members": ("member_no", "name", "gender", "born_on", "id_card", "phone", "category",
                "area", "joined_on", "employer", "whereabouts", "left_on", "note"),
    "logs": ("point", "date", "kind", "title", "participants", "served", "hours", "note",
             "ref", "pairing", "heading", "brand"),
    "checklist": ("point", "item", "ok", "date", "inspector", "note"),
    "teams": ("code", "name", "field", "point", "unit", "leader", "founded_on", "note"),
    "volunteers": ("volunteer_no", "name", "gender", "id_card", "phone", "area",
                   "registered_on", "member_no", "teams", "note"),
    "pairings": ("point", "unit", "branch", "contact", "phone", "since", "until", "headings",
                 "note"),
    "aid": ("name", "household", "id_card", "phone", "address", "area", "kind", "member_no",
            "helpers", "opened_on", "note"),
    "brands": ("area", "name", "description", "since", "status", "note"),
    "aid-given": ("case", "date", "form", "amount", "fund", "note"),
    "aid-income": ("fund", "date", "amount", "source", "note"),
}

# field -> (what to type, example value); the example of a drop-down column is its first
# choice, so it always exists in this database.
HINTS: dict[str, dict[str, tuple[str, str]]] = {
    "areas": {
        "code": ("居民区编号，如 A01；也是该居民区服务点的编号，不可重复", "A01"),
        "name": ("居民区名称，不可重复", "石化一村居民区"),
    },
    "members": {
        "member_no": ("党员编号（文本，前导零保留），每名党员一个，不可重复", "00104"),
        "name": ("姓名", "张建国"),
        "gender": ("男/女；留空则按身份证号推算", "男"),
        "born_on": ("如 1950-03-12，只知年月填 1950-03；留空则按身份证号推算", "1950-03-12"),
        "id_card": ("18 位公民身份号码（文本格式，勿改为数值）", "310116195003124319"),
        "phone": ("11 位手机号，或带区号的固定电话（021-57941234）", "13800138000"),
        "category": ("从下拉列表选择", ""),
        "area": ("从下拉列表选择本库的居民区（也可填编号）", ""),
        "joined_on": ("如 1975-07-01，只知年月填 1975-07", "1975-07"),
        "employer": ("工作单位或原工作单位", "上海石化股份有限公司"),
        "whereabouts": ("流动党员填写外出流向，如 江苏省苏州市", ""),
        "left_on": ("流动党员填写外出时间，如 2024-03-01", ""),
        "note": ("备注", ""),
    },
    "logs": {
        "point": ("从下拉列表选择本库的服务点（也可填编号）", ""),
        "date": ("活动日期，如 2025-11-05", "2025-11-05"),
        "kind": ("从下拉列表选择", ""),
        "title": ("活动内容", "走访慰问困难老党员"),
        "participants": ("参加党员的编号或姓名，多人用顿号或逗号分隔", "00104、00105"),
        "served": ("服务群众人数（整数）", "12"),
        "hours": ("志愿服务时长（小时，可含小数）", "1.5"),
        "note": ("备注", ""),
        "ref": ("其他系统的台账编号，可留空；填写后按它去重", ""),
        "pairing": ("结对共建的活动：结对编号，或本服务点结对单位的名称；否则留空", ""),
        "heading": ("结对共建的活动：从下拉列表选择它属于哪一项共建内容", ""),
        "brand": ("一居一品的活动：品牌编号或名称（本居民区的品牌）；否则留空", ""),
    },
    "checklist": {
        "point": ("从下拉列表选择本库的服务点（也可填编号）", ""),
        "item": ("从下拉列表选择", ""),
        "ok": ("是/否", "是"),
        "date": ("检查日期，如 2025-11-20", "2025-11-20"),
        "inspector": ("检查人", "王芳"),
        "note": ("备注", ""),
    },
}

HINTS["teams"] = {
    "code": ("队伍编号，如 T01，不可重复", "T01"),
    "name": ("队伍名称", "银发巡逻队"),
    "field": ("从下拉列表选择服务领域", ""),
    "point": ("由服务点组建的：从下拉列表选择服务点（与驻区单位二选一）", ""),
    "unit": ("由驻区单位组建的：单位名称（与服务点二选一）", ""),
    "leader": ("队伍负责人", "王芳"),
    "founded_on": ("成立日期，如 2020-05-01", "2020-05-01"),
    "note": ("备注", ""),
}
HINTS["volunteers"] = {
    "volunteer_no": ("志愿者编号（文本），每人一个，不可重复", "V001"),
    "name": ("姓名；党员志愿者可留空（取党员名册）", "赵敏"),
    "gender": ("男/女；留空则按身份证号推算", "女"),
    "id_card": ("18 位公民身份号码（文本格式，勿改为数值）", ""),
    "phone": ("11 位手机号，或带区号的固定电话", "13900001111"),
    "area": ("从下拉列表选择本库的居民区（也可填编号）", ""),
    "registered_on": ("注册日期，如 2025-03-01；留空为导入当天", "2025-03-01"),
    "member_no": ("是党员的填党员编号（同一人），否则留空", ""),
    "teams": ("所在队伍的编号，多支用顿号或逗号分隔", "T01"),
    "note": ("备注", ""),
}

HINTS["pairings"] = {
    "point": ("从下拉列表选择本库的服务点（也可填编号）", ""),
    "unit": ("共建单位名称（机关、驻区单位）", "区税务局"),
    "branch": ("对方党组织名称", "区税务局第一党支部"),
    "contact": ("对方联系人", "李强"),
    "phone": ("联系人电话：11 位手机号，或带区号的固定电话", "13900002222"),
    "since": ("结对开始日期，如 2025-03-01", "2025-03-01"),
    "until": ("约定的结束日期，可留空", ""),
    "headings": ("共建内容，多项用顿号分隔：党员教育联搞、思想工作联做、社区治安联防、"
                 "公益事业联办、贫困对象联帮、文明小区联建", "党员教育联搞、公益事业联办"),
    "note": ("备注", ""),
}
HINTS["aid"] = {
    "name": ("困难对象姓名（按户的填户主）", "周桂英"),
    "household": ("是/否：按户建档填“是”", "是"),
    "id_card": ("18 位公民身份号码（文本格式，勿改为数值），可留空", ""),
    "phone": ("联系电话，可留空", ""),
    "address": ("住址", ""),
    "area": ("从下拉列表选择本库的居民区（也可填编号）", ""),
    "kind": ("从下拉列表选择困难类型", ""),
    "member_no": ("本人是党员的填党员编号（就业援助等），否则留空", ""),
    "helpers": ("结对帮扶党员的编号或姓名，多人用顿号分隔", ""),
    "opened_on": ("建档日期，如 2025-03-01；留空为导入当天", "2025-03-01"),
    "note": ("备注", ""),
}
HINTS["brands"] = {
    "area": ("从下拉列表选择本库的居民区（也可填编号）", ""),
    "name": ("品牌名称", "银龄互助坊"),
    "description": ("品牌简介：做什么、为谁做", "老党员结对帮扶独居老人"),
    "since": ("创建时间，如 2023-05 或 2023-05-01", "2023-05"),
    "status": ("从下拉列表选择", ""),
    "note": ("备注", ""),
}

HINTS["aid-given"] = {
    "case": ("困难对象编号（cbtool aid list 中的编号，如 5）", "1"),
    "date": ("帮扶日期，如 2025-11-05", "2025-11-05"),
    "form": ("从下拉列表选择帮扶形式", ""),
    "amount": ("金额（元，最多两位小数，如 500 或 1,200.00）；救助金和从资金支出的必填", "500.00"),
    "fund": ("从下拉列表选择支出的资金；不花钱的帮扶留空", ""),
    "note": ("备注", ""),
}
HINTS["aid-income"] = {
    "fund": ("从下拉列表选择收入的资金", ""),
    "date": ("收入（到账）日期，如 2025-01-10", "2025-01-10"),
    "amount": ("金额（元，最多两位小数，如 20000 或 20,000.00）", "20000.00"),
    "source": ("来源，如 街道拨款、党员捐款", "街道拨款"),
    "note": ("备注", ""),
}

# Lists from the database, by field: (table, what is missing when it is empty).
_DB_LISTS = {"area": ("areas", ("居民区", "areas")), "point": ("points", ("服务点", "points"))}
_DATE_FORMAT = "yyyy-mm-dd"  # full dates stay Excel dates, shown the way the importer reads
_DATES = frozenset({"date", "left_on", "registered_on"})


@dataclass
class Column:
    field: str
    heading: str
    required: bool
    text: bool  # formatted as text (@)
    hint: str
    example: str
    choices: list[str] | None = None  # a drop-down list; [] = one was due but is empty
    strict: bool = True  # Excel refuses a value not in the list (else: warns)


@dataclass
class Template:
    kind: str
    path: Path
    format: str
    title: str
    columns: list[Column]
    notes: list[tuple[Msg, dict[str, Any]]] = field(default_factory=list)

    @property
    def headings(self) -> list[str]:
        return [c.heading for c in self.columns]


def format_for(path: str | Path) -> str | None:
    """``xlsx`` or ``csv`` from the file's extension; None for anything else."""
    from cbtool.formats import TEMPLATE, format_of

    return format_of(path, TEMPLATE)


def columns(store: Store, kind: str) -> list[Column]:
    """The template's columns for ``kind``, with the drop-down choices of this database
    and config."""
    from cbtool.exporting import TEXT_COLUMNS
    from cbtool.importing import HEADINGS, IMPORTERS

    parsers = IMPORTERS[kind](store).raw_parsers
    cols = []
    for name in FIELDS[kind]:
        hint, example = HINTS[kind][name]
        col = Column(name, HEADINGS[kind][name][0], _refuses_empty(parsers[name]),
                     name in TEXT_COLUMNS, hint, example)
        col.choices, col.strict = _choices(store, name, parsers[name], kind)
        if col.choices:
            col.example = col.example or col.choices[0]
        cols.append(col)
    return cols


def _refuses_empty(parse: Callable[[object], object]) -> bool:
    try:
        parse(None)
    except FieldError:
        return True
    return False


def _choices(store: Store, name: str, parse: Callable[[object], object], kind: str = ""
             ) -> tuple[list[str] | None, bool]:
    """The drop-down values of a field of ``kind`` (None: free text) and whether they are
    strict."""
    from cbtool.vocab import AID_FORMS, AID_KINDS, BRAND_STATUSES, CATEGORIES, PAIRING_HEADINGS

    fixed = {"gender": ["男", "女"], "ok": ["是", "否"], "household": ["是", "否"]}.get(name)
    if fixed:
        return fixed, True
    if name == "fund":  # every fund of this database, by name (an added one too)
        from cbtool.funds import funds

        return [fd["name"] for fd in funds(store)], False
    own = {("aid", "kind"): lambda: AID_KINDS, ("brands", "status"): lambda: BRAND_STATUSES,
           ("aid-given", "form"): lambda: AID_FORMS, ("logs", "heading"): lambda: PAIRING_HEADINGS}
    vocab = own.get((kind, name)) or {
        "category": lambda: CATEGORIES, "kind": store.config.kinds,
        "item": store.config.items, "field": store.config.fields}.get(name)
    if vocab is not None:
        words = vocab()
        return [words.label(k, "zh") for k in words.keys], True
    if name in _DB_LISTS:
        table = _DB_LISTS[name][0]
        active = " WHERE active = 1" if table == "points" else ""
        rows = store.execute(f"SELECT code, name FROM {table}{active} ORDER BY code")
        # Not strict: a code typed instead, or a record added after the template was made.
        return [_by_name(parse, code, label) for code, label in rows], False
    return None, True


def _by_name(parse: Callable[[object], object], code: str, name: str) -> str:
    """The record's name if the validator reads it as this record, else its code."""
    try:
        return name if parse(name) == code else code
    except FieldError:  # a name shared by several records
        return code


def build(store: Store, kind: str, path: str | Path) -> Template:
    """What the template of ``kind`` holds (nothing written)."""
    from cbtool.exporting import SHEET_TITLES

    fmt = format_for(path)
    if fmt is None:
        raise ValueError(f"not a template file name: {path}")
    made = Template(kind, Path(path), fmt, SHEET_TITLES[kind], columns(store, kind))
    if fmt == "csv":
        made.notes.append((CSV_PLAIN, {}))
    for col in made.columns:
        if col.choices == []:
            what, what_en = _DB_LISTS[col.field][1]
            made.notes.append((NO_CHOICES, {"what": what, "what_en": what_en,
                                            "heading": col.heading}))
    return made


def write_template(store: Store, kind: str, path: str | Path, *, force: bool = False
                   ) -> Template:
    """Write the blank template of ``kind`` to ``path`` (.xlsx or .csv). An existing file
    is a conflict unless ``force``. Returns what was written, with notes for the user."""
    from cbtool.files import atomic_write

    if Path(path).exists() and not force:
        raise Conflict(EXISTS, file=str(path))
    made = build(store, kind, path)
    if made.format == "csv":
        from cbtool.formats import write_delimited

        with atomic_write(made.path, "w", encoding="utf-8", newline="") as handle:
            write_delimited([], handle, keys=made.headings, bom=True)
    else:
        with atomic_write(made.path, "wb") as handle:
            _workbook(made).save(handle)
    return made


# --- the workbook ---------------------------------------------------------------------


def _workbook(made: Template) -> Any:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    from cbtool.formats import text_width as _width

    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FCE4D6")  # light orange
    wb = Workbook()
    ws = wb.active
    ws.title = made.title
    notes = wb.create_sheet(NOTES_TITLE)
    lists = wb.create_sheet(LISTS_TITLE)
    lists.sheet_state = "hidden"
    listed = 0
    for i, col in enumerate(made.columns, 1):
        letter = get_column_letter(i)
        head = _text(ws.cell(1, i), col.heading)
        head.font = bold
        if col.required:
            head.fill = required_fill
        fmt = "@" if col.text else _DATE_FORMAT if col.field in _DATES else None
        if fmt:
            ws.column_dimensions[letter].number_format = fmt
            for row in range(2, ROWS + 1):
                ws.cell(row, i).number_format = fmt
        widths = [_width(col.heading), _width(col.example), *map(_width, col.choices or [])]
        ws.column_dimensions[letter].width = min(max(max(widths) + 2, 10), 40)
        if col.choices:
            listed += 1
            where = get_column_letter(listed)
            for row, value in enumerate(col.choices, 1):
                _text(lists.cell(row, listed), value).number_format = "@"
            dv = DataValidation(
                type="list", allow_blank=True, showErrorMessage=True, showInputMessage=True,
                formula1=f"{quote_sheetname(LISTS_TITLE)}!${where}$1:${where}${len(col.choices)}",
                errorStyle="stop" if col.strict else "warning",
                errorTitle=col.heading, error="请从下拉列表中选择",
                promptTitle=col.heading, prompt=col.hint[:255])
            dv.add(f"{letter}2:{letter}{LAST_ROW}")
            ws.add_data_validation(dv)
    ws.freeze_panes = "A2"

    from cbtool.importing.kinds import import_command

    import_hint = f"cbtool {import_command(made.kind)} 文件名.xlsx"
    lines = [
        f"1. 在“{made.title}”表中从第 2 行起填写，一行一条记录；不要修改第 1 行的表头。",
        "2. 表头为橙色的列必须填写，其他列可以留空；再次导入已有记录时，留空的单元格会清空该项，"
        "不想改动的列可整列删除。",
        "3. 编号、身份证号、电话等列已设为文本格式，前导零（如 00104）会保留，请勿改为数值格式。",
        "4. 带下拉箭头的列请从列表中选择；居民区、服务点取自生成模板时的数据库。",
        f"5. 填好后保存为 .xlsx，运行：{import_hint}（可先加 --dry-run 只检查不写入）。",
        f"6. 本说明表和隐藏的“{LISTS_TITLE}”表不会被导入；下表的示例只作参考，不会被导入。",
    ]
    title = _text(notes.cell(1, 1), NOTES_TITLE)
    title.font = Font(bold=True, size=14)
    for row, line in enumerate(lines, 2):
        _text(notes.cell(row, 1), line)
    start = len(lines) + 3
    table = [("列名", "是否必填", "填写说明", "示例")] + [
        (c.heading, "必填" if c.required else "", c.hint, c.example) for c in made.columns]
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, values in enumerate(table, start):
        for c, value in enumerate(values, 1):
            cell = _text(notes.cell(r, c), value or None)
            cell.number_format = "@"
            cell.alignment = wrap
            if r == start:
                cell.font = bold
    for c in range(1, 5):
        width = max(_width(values[c - 1]) for values in table)
        notes.column_dimensions[get_column_letter(c)].width = min(max(width + 2, 10), 50)
    return wb


def _text(cell: Any, value: str | None) -> Any:
    """Put text in a cell as text: never a formula (an area named ``=1+1`` stays a name)."""
    cell.value = value
    if value is not None:
        cell.data_type = "s"
    return cell
