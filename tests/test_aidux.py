"""Aid and pairings as a clerk meets them: the fund ledger by the funds' names, an import's
dry run in Chinese, an aid recipient's address masked, a pairing begun in a month."""

from __future__ import annotations

import json

import pytest

from cbtool import clock
from cbtool.fields import mask_address

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
