"""Blank forms for pairings, hardship cases and brands: the headings the importers read,
drop-downs from this database and vocabulary, and a filled form imports as typed."""

from __future__ import annotations

import openpyxl
import pytest


def _fill_and_import(seeded, tmp_path, kind, row):
    path = tmp_path / f"{kind}.xlsx"
    seeded.ok("template", kind, "--out", str(path))
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    headings = [c.value for c in sheet[1]]
    for heading, value in row.items():
        cell = sheet.cell(row=2, column=headings.index(heading) + 1, value=value)
        cell.data_type = "s"
    book.save(path)
    return seeded(kind, "import", str(path))


def test_filled_pairings_aid_and_brands_forms_import(seeded, tmp_path):
    for kind, row in (
        ("pairings", {"服务点": "A01", "共建单位": "区税务局", "党组织": "区税务局第一党支部",
                      "联系人": "李强", "联系电话": "13900002222", "开始日期": "2025-03-01",
                      "共建内容": "党员教育联搞、公益事业联办"}),
        ("aid", {"姓名": "周桂英", "按户": "是", "居民区": "A01", "困难类型": "低保",
                 "结对党员": "0001", "建档日期": "2025-03-01"}),
        ("brands", {"居民区": "A01", "品牌名称": "银龄互助坊", "简介": "老党员结对帮扶独居老人",
                    "创建年月": "2023-05", "状态": "培育中"}),
    ):
        result = _fill_and_import(seeded, tmp_path, kind, row)
        assert result.exit_code == 0, (kind, result.stderr)
        assert "inserted 1," in result.stderr
    assert seeded.rows("SELECT point, unit FROM pairings") == [("A01", "区税务局")]
    assert seeded.count("aid_cases") == 1
    assert seeded.rows("SELECT area, name FROM brands") == [("A01", "银龄互助坊")]


@pytest.mark.parametrize(("kind", "word"), [("aid", "低保"), ("brands", "培育中")])
def test_the_drop_downs_are_the_kind_s_own_words(seeded, tmp_path, kind, word):
    path = tmp_path / f"{kind}.xlsx"
    seeded.ok("template", kind, "--out", str(path))
    lists = openpyxl.load_workbook(path)["下拉选项"]
    words = {str(c.value) for row in lists.iter_rows() for c in row if c.value}
    assert word in words
    assert "走访慰问" not in words  # not the log kinds, although the field is called kind
