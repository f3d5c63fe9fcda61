"""Write examples/members.xlsx: a members sheet as staff keep it in Excel.

Run from the repository: ``python examples/make-members-xlsx.py``. The sheet uses other
Chinese headings than members-gbk.csv (出生年月, 公民身份号码, 手机号, 类别, 所在居民区,
入党日期) and the cell types Excel produces: member numbers as text (leading zeros),
phones as numbers, birth dates as date cells.
"""

from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

HEADERS = ["党员编号", "姓名", "性别", "出生年月", "公民身份号码", "手机号", "类别",
           "所在居民区", "入党日期", "工作单位", "备注"]
ROWS = [
    ["000201", "孙德明", "男", datetime(1956, 4, 1), "310228195604011038", 13917726358,
     "离退休", "海棠居民区", "1976年5月", "上海石化股份有限公司", "楼组长"],
    ["000202", "黄丽", "女", datetime(1983, 5, 17), "310116198305172029", 15800913746,
     "在职", "A07", "2005/6/30", "上海市金山区人民医院", None],
    ["000203", "吴强", "男", datetime(1977, 9, 28), "310228197709284517", 13761198024,
     "流动", "A07", "2001/7/1", None, "在外地经商"],
    ["000204", "许燕", "女", datetime(1991, 3, 2), "31011619910302652X", 18717823590,
     "在职", "东礁居民区", "2013/5/20", "上海金山自来水有限公司", None],
    ["000205", "韩秀珍", "女", datetime(1961, 7, 19), "310228196107193648", None,
     "退休", "A08", "1988年12月", "上海石化塑料厂", None],
    ["000206", "杨浩然", "男", datetime(2001, 6, 6), "310116200106061019", 19921068851,
     "在职", "A08", "2023/6/25", "上海化学工业区发展有限公司", "2024年由外区转入"],
]


def main() -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "党员名册"
    ws.append(HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in ROWS:
        ws.append(row)
    for row in ws.iter_rows(min_row=2):
        row[0].number_format = "@"  # member numbers typed as text
        row[4].number_format = "@"
        row[3].number_format = "yyyy/m/d"
    ws.freeze_panes = "A2"
    for col, width in zip("ABCDEFGHIJK", (10, 8, 6, 12, 22, 14, 8, 14, 12, 28, 16), strict=True):
        ws.column_dimensions[col].width = width
    wb.save(Path(__file__).with_name("members.xlsx"))


if __name__ == "__main__":
    main()
