"""Aid and pairings as a clerk meets them: the fund ledger by the funds' names, an import's
dry run in Chinese, an aid recipient's address masked, a pairing begun in a month."""

from __future__ import annotations

import json

import pytest

from cbtool import clock
from cbtool.fields import mask_address, month_first_day

TODAY = "2026-11-30"
ADDRESS = "石化一村12号302室"


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch):
    monkeypatch.setenv(clock.ENV, TODAY)


@pytest.fixture
def funded(seeded):
    seeded.ok("aid", "add", "--name", "赵秀英", "--area", "A01", "--kind", "低保", "--phone",
              "13900001111", "--address", ADDRESS, "--on", "2026-11-01")
    seeded.ok("aid", "income", "--fund", "急难帮困", "--amount", "5000", "--on", "2026-11-02",
              "--source", "街道拨款")
    return seeded


# --- 1. aid funds: names, not codes -----------------------------------------------------


@pytest.mark.parametrize("fmt", ["table", "md"])
def test_funds_table_shows_names_not_codes(funded, fmt):
    out = funded.ok("aid", "funds", "--period", "2026-11", "--format", fmt).stdout
    assert "街道急难帮困专项资金" in out and "党内互助金" in out
    assert "emergency" not in out and "mutual" not in out and "代码" not in out


def test_funds_json_and_csv_keep_the_codes(funded):
    rows = json.loads(funded.ok("aid", "funds", "--period", "2026-11", "--format",
                                "json").stdout)
    assert [(r["fund"], r["name"], r["income"]) for r in rows] == [
        ("emergency", "街道急难帮困专项资金", "5000.00"), ("mutual", "党内互助金", "0.00")]
    assert funded.ok("aid", "funds", "--format", "csv").stdout.startswith("fund,name,")


@pytest.mark.parametrize("fund", ["急难帮困", "街道急难帮困专项资金", "emergency"])
def test_fund_option_takes_the_name_short_name_or_code(funded, fund):
    funded.ok("aid", "give", "1", "--form", "救助金", "--amount", "300", "--fund", fund,
              "--on", "2026-11-05")
    assert funded.rows("SELECT fund, amount_fen FROM aid_given") == [("emergency", 30000)]


# --- 2. an import's dry run reads in Chinese --------------------------------------------


def _given_file(tmp_path):
    path = tmp_path / "帮扶.csv"
    path.write_text("困难对象,日期,帮扶形式,金额,资金来源,备注\n"
                    "1,2026-11-10,救助金,1200,急难帮困,医疗费\n"
                    "1,2026-11-12,慰问,,,上门看望\n"
                    "1,2026-11-12,慰问,,,再次看望\n", encoding="utf-8")
    return path


def test_dry_run_key_of_aid_given_in_chinese(funded, tmp_path):
    err = funded.ok("aid", "given-import", str(_given_file(tmp_path)), "--dry-run").stderr
    lines = err.splitlines()
    assert "第 2 行: 新增 1 2026-11-10 救助金 1,200.00 街道急难帮困专项资金 (" in lines[0]
    assert "第 3 行: 新增 1 2026-11-12 慰问 (" in lines[1]
    assert "第 4 行: 新增 1 2026-11-12 慰问 （第 2 条） (" in lines[2]
    assert "grant" not in err and "emergency" not in err and "visit" not in err
    assert funded.count("aid_given") == 0


def test_dry_run_json_keeps_the_contract_key(funded, tmp_path):
    out = funded.ok("aid", "given-import", str(_given_file(tmp_path)), "--dry-run",
                    "--format", "json").stdout
    keys = [r["key"] for r in json.loads(out)]
    assert keys == ["1 2026-11-10 grant 1200.00 emergency (1)", "1 2026-11-12 visit   (1)",
                    "1 2026-11-12 visit   (2)"]


def test_dry_run_in_english_keeps_the_key(funded, tmp_path):
    err = funded.ok("--lang", "en", "aid", "given-import", str(_given_file(tmp_path)),
                    "--dry-run").stderr
    assert "line 2: insert 1 2026-11-10 grant 1200.00 emergency (1) (" in err


def test_dry_run_key_of_income_and_of_logs_in_chinese(funded, tmp_path):
    income = tmp_path / "收入.csv"
    income.write_text("资金,日期,金额,来源\n互助金,2026-11-20,800,党员捐款\n", encoding="utf-8")
    err = funded.ok("aid", "income-import", str(income), "--dry-run").stderr
    assert "新增 党内互助金 2026-11-20 800.00 党员捐款 (" in err and "mutual" not in err
    logs = tmp_path / "台账.csv"
    logs.write_text("服务点,日期,类型,标题\nA01,2026-11-03,走访慰问,看望老党员\n",
                    encoding="utf-8")
    err = funded.ok("logs", "import", str(logs), "--dry-run").stderr
    assert "新增 A01 2026-11-03 走访慰问 看望老党员 (" in err and " visit " not in err


def test_dry_run_of_aid_cases_masks_name_and_address(funded, tmp_path):
    cases = tmp_path / "困难对象.csv"
    cases.write_text("姓名,居民区,困难类型,建档日期,住址\n钱桂英,A02,因病,2026-11-03,卫零路123弄5号\n",
                     encoding="utf-8")
    err = funded.ok("aid", "import", str(cases), "--dry-run").stderr
    assert "新增 钱** A02 2026-11-03 (" in err
    assert "钱桂英" not in err and "123弄" not in err and "卫零路" in err


# --- 3. the address is masked like the name ----------------------------------------------


def test_mask_address_keeps_the_road_and_hides_the_numbers():
    assert mask_address(ADDRESS) == "石化一村*******"
    assert mask_address("１２号楼") == "****"  # full-width digits too
    assert mask_address("金山区石化街道东楼") == "金山区石*****"  # no number: half shown
    assert mask_address(None) is None and mask_address("") == ""


@pytest.mark.parametrize("fmt", ["table", "md"])
def test_show_masks_the_address(funded, fmt):
    out = funded.ok("aid", "show", "1", "--format", fmt).stdout
    assert ADDRESS not in out and "石化一村*******" in out
    assert ADDRESS in funded.ok("aid", "show", "1", "--format", fmt, "--reveal").stdout


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_show_data_formats_carry_the_address(funded, fmt):
    assert ADDRESS in funded.ok("aid", "show", "1", "--format", fmt).stdout


def test_audit_masks_the_address_unless_revealed(funded):
    out = funded.ok("audit", "--table", "aid_cases").stdout
    assert ADDRESS not in out and "石化一村*******" in out
    assert ADDRESS in funded.ok("audit", "--table", "aid_cases", "--reveal").stdout


# --- 4. a pairing begun in a month -------------------------------------------------------


def test_month_first_day():
    assert month_first_day("2026-03") == "2026-03-01"
    assert month_first_day("2026-03-05") == "2026-03-05" and month_first_day(None) is None


@pytest.mark.parametrize("since", ["2026年3月", "2026-03", "2026/3", "202603"])
def test_pairing_since_a_month_starts_on_its_first_day(seeded, since):
    seeded.ok("pairings", "add", "--point", "A01", "--unit", "金山区税务局", "--headings", "教育",
              "--since", since)
    assert seeded.rows("SELECT since FROM pairings") == [("2026-03-01",)]
    # a log of that month's first day belongs to it
    seeded.ok("logs", "add", "--point", "A01", "--kind", "学习教育", "--title", "共上党课",
              "--on", "2026-03-01", "--pairing", "1", "--heading", "教育")


def test_pairing_edit_and_import_take_a_month(seeded, tmp_path):
    seeded.ok("pairings", "add", "--point", "A01", "--unit", "金山区税务局", "--headings", "教育",
              "--since", "2026-05-10")
    seeded.ok("pairings", "edit", "1", "--since", "2026年4月")
    path = tmp_path / "结对.csv"
    path.write_text("服务点,共建单位,开始日期,共建内容\nA02,金山区民政局,2026年2月,公益\n",
                    encoding="utf-8")
    seeded.ok("pairings", "import", str(path))
    assert "unchanged 1" in seeded.ok("pairings", "import", str(path)).stderr
    assert seeded.rows("SELECT point, since FROM pairings ORDER BY id") == [
        ("A01", "2026-04-01"), ("A02", "2026-02-01")]


@pytest.mark.parametrize("since, why", [("2026年13月", "无法识别"), ("2026年12月", "晚于今天")])
def test_pairing_since_a_bad_or_future_month_is_refused(seeded, since, why):
    result = seeded("pairings", "add", "--point", "A01", "--unit", "金山区税务局",
                    "--headings", "教育", "--since", since)
    assert result.exit_code == 1 and why in result.stderr
    assert seeded.count("pairings") == 0
