"""A new user's trial of pairings, hardship aid and brands: the audit and an import's
dry run name each field as that kind's own files and guide head it (a case's 结案日期,
not a volunteer team's 撤销日期; a fund's 名称, not a person's 姓名)."""

from __future__ import annotations

from conftest import ID_LI


def said(result) -> str:
    return result.stdout + result.stderr


def test_a_closed_case_is_audited_with_its_closing_day_as_such(seeded):
    seeded.ok("aid", "add", "--name", "赵秀英", "--area", "A01", "--kind", "低保",
              "--on", "2026-11-02")
    seeded.ok("aid", "close", "1", "--on", "2026-11-30", "--reason", "脱困", "--yes")
    out = said(seeded.ok("audit", "--table", "aid_cases"))
    assert "结案日期：∅ → 2026-11-30" in out
    assert "撤销日期" not in out
    assert "困难类型：低保" in out  # a record added: its values alone


def test_a_fund_added_is_audited_with_its_name_not_a_persons(seeded):
    seeded.ok("aid", "fund-add", "charity", "慈善帮困基金")
    out = said(seeded.ok("audit", "--table", "funds"))
    assert "名称：慈善帮困基金" in out
    assert "姓名" not in out


def test_dry_runs_name_the_fields_as_the_files_head_them(seeded, tmp_path):
    pairings = tmp_path / "结对.csv"
    pairings.write_text("服务点,共建单位,开始日期,共建内容\nA01,金山区税务局,2026-01-01,治安\n",
                        encoding="gbk")
    out = said(seeded.ok("pairings", "import", str(pairings), "--dry-run"))
    assert "开始日期=2026-01-01" in out
    brands = tmp_path / "一居一品.csv"
    brands.write_text("居民区,品牌名称,创建年月\nA01,石化红管家,2025年3月\n", encoding="gbk")
    out = said(seeded.ok("brands", "import", str(brands), "--dry-run"))
    assert "创建年月=2025-03" in out
    income = tmp_path / "资金收入.csv"
    income.write_text("资金,收入日期,金额（元）,来源\n急难帮困,2026-11-01,\"1,200.00\",街道拨款\n",
                      encoding="gbk")
    out = said(seeded.ok("aid", "income-import", str(income), "--dry-run"))
    assert "资金=街道急难帮困专项资金" in out and "收入日期=2026-11-01" in out
    assert "金额（元）=1,200.00" in out


def test_a_brands_since_is_headed_as_its_file_heads_it_not_as_a_records_timestamp(seeded):
    # an export's 创建时间 is when the record was entered; the brand's own start is 创建年月
    seeded.ok("brands", "add", "--area", "A01", "--name", "石化红管家", "--since", "2025-03")
    for args in (("brands", "list"), ("brands", "show", "1")):
        out = seeded.ok(*args).stdout
        assert "创建年月" in out and "创建时间" not in out
    assert "创建年月" in seeded.ok("brands", "export", "--headings", "zh").stdout


def test_the_summary_names_the_points_without_a_pairing(seeded):
    seeded.ok("pairings", "add", "--point", "A01", "--unit", "金山区税务局", "--headings", "治安",
              "--since", "2026-01-01")
    out = seeded.ok("summary", "--period", "this-year", env={"COLUMNS": "80"}).stdout
    assert "未结对服务点 1 个" in out
    assert "未结对：A02 石化二村居民区" in out
    assert "A01 石化一村居民区、" not in out.split("未结对：")[1].splitlines()[0]


def _open_case_with_id(seeded) -> str:
    seeded.ok("aid", "add", "--name", "李娜", "--area", "A02", "--kind", "低保",
              "--id-card", ID_LI, "--on", "2026-11-02")
    return ID_LI


def test_a_second_open_case_for_an_id_number_is_refused_in_chinese(seeded):
    id_card = _open_case_with_id(seeded)
    result = seeded("aid", "add", "--name", "李娜", "--area", "A02", "--kind", "因病",
                    "--id-card", id_card)
    assert result.exit_code == 1
    assert "身份证号：310***********2024 已是帮扶中的困难对象 #1" in result.stderr
    assert "id_card" not in result.stderr
    assert seeded.count("aid_cases") == 1


def test_a_file_naming_an_open_cases_id_number_is_rejected_not_a_crash(seeded, tmp_path):
    id_card = _open_case_with_id(seeded)
    sheet = tmp_path / "困难对象.csv"
    sheet.write_text(f"姓名,居民区,困难类型,身份证号,建档日期\n李娜,A02,因病,{id_card},2026-11-20\n",
                     encoding="gbk")
    result = seeded("aid", "import", str(sheet))
    assert result.exit_code == 1
    assert "第 2 行 [身份证号]: 310***********2024 已是帮扶中的困难对象 #1" in result.stderr
    assert seeded.count("aid_cases") == 1


def test_a_file_cannot_pair_a_point_with_a_unit_twice_at_once(seeded, tmp_path):
    sheet = tmp_path / "结对.csv"
    sheet.write_text("服务点,共建单位,开始日期,结束日期,共建内容\n"
                     "A01,区消防救援支队,2026-05-01,,治安\n"
                     "A01,区消防救援支队,2026-06-01,,治安\n"
                     "A02,区消防救援支队,2026-01-01,2026-04-30,教育\n"
                     "A02,区消防救援支队,2026-05-01,,治安\n", encoding="gbk")
    result = seeded("pairings", "import", str(sheet))
    assert result.exit_code == 1
    assert ("第 3 行 [共建单位]: 第 2 行已让 A01 与“区消防救援支队”在这段时间结对（2026-05-01 起）"
            in result.stderr)
    assert "第 5 行" not in result.stderr  # one after the other is fine
    assert seeded.count("pairings") == 0
    seeded.ok("pairings", "import", str(sheet), "--skip-invalid")
    assert seeded.count("pairings") == 3
    again = seeded("pairings", "import", str(sheet), "--skip-invalid")
    assert "inserted 0, updated 0, unchanged 3, rejected 1" in said(again)


def test_a_file_cannot_open_two_cases_for_one_id_number(seeded, tmp_path):
    sheet = tmp_path / "困难对象.csv"
    sheet.write_text("姓名,居民区,困难类型,身份证号,建档日期,结案日期\n"
                     f"李娜,A02,低保,{ID_LI},2026-11-20,\n"
                     f"李娜,A02,因病,{ID_LI},2026-11-21,\n"
                     f"李娜,A02,因病,{ID_LI},2026-01-05,2026-03-01\n", encoding="gbk")
    result = seeded("aid", "import", str(sheet))
    assert result.exit_code == 1
    assert ("第 3 行 [身份证号]: 第 2 行已是身份证号 310***********2024 的帮扶中困难对象"
            in result.stderr)
    assert "第 4 行" not in result.stderr  # a closed case of the same person is history
    assert seeded.count("aid_cases") == 0


def test_init_sample_says_it_loaded_the_pairings_aid_and_brands_too(cli):
    out = said(cli.ok("init", "--sample"))
    for name, table in (("pairings", "pairings"), ("brands", "brands"), ("aid", "aid_cases"),
                        ("aid_income", "fund_income"), ("aid_given", "aid_given")):
        n = cli.count(table)
        assert n and f"{name} {n}" in out


def test_an_areas_summary_says_its_fund_spending_in_yuan(seeded):
    seeded.ok("aid", "add", "--name", "赵秀英", "--area", "A01", "--kind", "低保",
              "--on", "2026-11-02")
    seeded.ok("aid", "income", "--fund", "急难帮困", "--amount", "5000", "--on", "2026-11-01")
    seeded.ok("aid", "give", "1", "--form", "救助金", "--amount", "800", "--fund", "急难帮困",
              "--on", "2026-11-25")
    out = seeded.ok("summary", "--period", "2026-11", "--area", "A01").stdout
    assert "按资金：街道急难帮困专项资金 800.00 元" in out  # (no balance: the fund is the street's)
    out = seeded.ok("summary", "--period", "2026-11").stdout
    assert "按资金：街道急难帮困专项资金 800.00 元（余额 4,200.00）" in out
