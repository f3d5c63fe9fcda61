"""The one vocabulary table (statuses, reasons, channels, point kinds, audit actions
beside categories, kinds and items), the one text table of the summary's renderers, and
the one checklist mark — shared by every command and report."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from cbtool import vocab
from cbtool.areas import parse_kind
from cbtool.contacts import parse_channel
from cbtool.errors import FieldError
from cbtool.members import parse_archive_reason, parse_status
from cbtool.report.model import check_mark as report_mark
from cbtool.report.texts import TEXTS, t

OLD = (date.today() - timedelta(days=700)).isoformat()  # stale at 365 days, and at 400
NEW = (date.today() - timedelta(days=12)).isoformat()


@pytest.mark.parametrize("typed, key", [
    ("在册", "active"), ("正常", "active"), ("ARCHIVED", "archived"), ("归档", "archived"),
    ("已归档", "archived"),
])
def test_status_words(typed, key):
    assert parse_status(typed) == key
    assert vocab.STATUSES.lookup(typed) == key


@pytest.mark.parametrize("typed, key", [
    ("组织关系转出", "transferred"), ("转出", "transferred"), ("病故", "deceased"),
    ("Deceased", "deceased"), ("其他", "other"),
])
def test_reason_words(typed, key):
    assert parse_archive_reason(typed) == key


@pytest.mark.parametrize("typed, key", [
    ("微信", "wechat"), ("WeChat", "wechat"), ("tel", "phone"), ("上门", "visit"),
    ("面谈", "visit"), ("其它", "other"), (None, "phone"),
])
def test_channel_words(typed, key):
    assert parse_channel(typed) == key


@pytest.mark.parametrize("typed, key", [
    ("中心", "centre"), ("center", "centre"), ("党员服务中心", "centre"), ("服务点", "point"),
    (None, "point"),
])
def test_point_kind_words(typed, key):
    assert parse_kind(typed) == key


def test_unknown_words_keep_their_messages():
    with pytest.raises(FieldError, match="channel must be"):
        parse_channel("短信")
    with pytest.raises(FieldError, match="reason must be"):
        parse_archive_reason("调走")
    with pytest.raises(FieldError, match="status must be"):
        parse_status("暂停")
    with pytest.raises(FieldError, match="kind must be"):
        parse_kind("站")


def test_labels_in_both_languages():
    assert vocab.STATUSES.label("archived") == "已归档"
    assert vocab.ARCHIVE_REASONS.label("deceased", "en") == "deceased"
    assert vocab.CHANNELS.label("wechat", "en") == "WeChat"
    assert vocab.POINT_KINDS.label("centre") == "党员服务中心"
    assert vocab.AUDIT_ACTIONS.label("renumber") == "改编号"
    assert vocab.AUDIT_ACTIONS.label("import", "en") == "import"
    assert vocab.AUDIT_ACTIONS.label("something-new") == "something-new"  # unknown: the key


def test_audit_actions_are_one_list_to_extend():
    keys = [e[0] for e in vocab.AUDIT_ACTION_ENTRIES]
    assert keys == list(vocab.AUDIT_ACTIONS.keys)
    assert {"insert", "update", "void", "replace", "import", "delete"} <= set(keys)


def test_one_mark():
    assert vocab.check_mark(None) == vocab.check_mark(None, None, True) == "·"
    assert vocab.check_mark(True, NEW) == f"✓ {NEW}"
    assert vocab.check_mark(True, "2024-01-02", stale=True) == "✓* 2024-01-02"
    assert vocab.check_mark(False, NEW, stale=True) == f"✗ {NEW}"
    # the reports use the same function
    assert report_mark({"ok": None, "date": None}, "zh") == "·"
    assert report_mark({"ok": True, "date": NEW}, "en") == f"✓ {NEW}"
    assert report_mark({"ok": True, "date": "2024-01-02", "stale": True}, "zh").startswith("✓*")
    legend = vocab.mark_legend("zh", 365)
    assert "· 从未检查" in legend and "✓* 检查已超过 365 天" in legend
    assert "✓*" not in vocab.mark_legend("en")


def test_one_text_table():
    # the dashboard's and the html report's shared headings are one entry
    assert t("s_members", "zh") == "党员队伍"
    assert t("of_points", "en", n=2, m=4) == "2 of 4 points"
    assert all(isinstance(zh, str) and isinstance(en, str) for zh, en in TEXTS.values())
    from cbtool.cli import dashboard
    from cbtool.report import html, model

    for module in (dashboard, html, model):
        assert not hasattr(module, "D") and not hasattr(module, "H")
    assert not hasattr(model, "T") or model.T is TEXTS


def test_cli_labels_follow_the_vocabularies(seeded):
    out = seeded.ok("points", "list").stdout
    assert "党员服务中心" in out and "服务点" in out
    out = seeded.ok("--lang", "en", "points", "show", "C00").stdout
    assert "centre" in out
    seeded.ok("members", "archive", "0003", "--reason", "组织关系转出", "--on", "2026-11-01")
    out = seeded.ok("members", "list", "--status", "archived").stdout
    assert "已归档" in out or "转出" in out
    out = seeded.ok("audit", "--table", "members").stdout
    assert "归档" in out and "新增" in out


# --- stale checks in the matrix, gaps by point ---------------------------------------


def test_stale_mark_in_show_json_and_reports(seeded):
    seeded.ok("checklist", "record", "A01", "--ok", "all", "--on", OLD)
    seeded.ok("checklist", "record", "A02", "--ok", "all", "--missing", "电教", "--on", NEW)
    out = seeded.ok("checklist", "show").stdout
    lines = out.splitlines()
    a01 = next(line for line in lines if line.startswith("A01"))
    assert a01.count(f"✓* {OLD}") == 5
    a02 = next(line for line in lines if line.startswith("A02"))
    assert "✓*" not in a02 and f"✗ {NEW}" in a02
    assert any("✓* 检查已超过 365 天（过期）" in line for line in lines)  # the legend
    assert lines[-1].startswith("五有全部具备")
    data = {r["point"]: r for r in json.loads(seeded.ok("checklist", "show", "-f", "json").stdout)}
    # JSON keeps its shape, {"ok", "date"} per item; scripts find stale checks in gaps
    assert data["A01"]["venue"] == {"ok": True, "date": OLD}
    assert data["A02"]["av"] == {"ok": False, "date": NEW}
    assert data["C00"]["venue"] == {"ok": None, "date": None}
    gaps = json.loads(seeded.ok("checklist", "gaps", "-f", "json").stdout)
    assert {(g["point"], g["item"]) for g in gaps if g["problem"] == "stale"} >= {("A01", "venue")}
    md = seeded.ok("checklist", "show", "-f", "md").stdout
    assert f"✓* {OLD}" in md and "✓* 检查已超过" in md
    # a longer stale time: no longer stale
    config = seeded.db_path.parent / "long.toml"
    config.write_text("[checklist]\nstale_days = 5000\n", encoding="utf-8")
    assert "✓*" not in seeded.ok("--config", str(config), "checklist", "show").stdout.split(
        "✓ 具备")[0]
    # the reports mark it the same way
    report = seeded.ok("report", "--period", "this-month", "--format", "md", "--out", "-").stdout
    assert f"✓* {OLD}" in report
    html = seeded.ok("report", "--period", "this-month", "--format", "html", "--out", "-").stdout
    assert 'class="mk ok stale">✓*<' in html and "✓* 检查已超过 365 天" in html


def test_gaps_one_line_per_point(seeded):
    seeded.ok("checklist", "record", "A01", "--ok", "all", "--on", OLD)
    seeded.ok("checklist", "record", "A02", "--ok", "场所,制度", "--missing", "电教",
              "--on", NEW)
    out = seeded.ok("checklist", "gaps", "--stale-days", "400").stdout
    rows = [line for line in out.splitlines() if line[:3] in ("A01", "A02", "C00")]
    assert len(rows) == 3  # one line per point
    assert rows[0].split() == ["A02", "石化二村居民区党员服务点", "电教", NEW, "园地、台帐"]
    assert rows[-1].split()[:2] == ["A01", "石化一村居民区党员服务点"]
    assert "场所、制度、园地、电教、台帐" in rows[-1] and rows[-1].endswith("天")
    assert out.splitlines()[-1].startswith("需关注 13 项")
    en = seeded.ok("--lang", "en", "checklist", "gaps").stdout
    assert "Venue, Rules, Party board, AV equipment, Work ledger" in en
    # machine formats: one record per point and item, as before
    data = json.loads(seeded.ok("checklist", "gaps", "-f", "json").stdout)
    assert len(data) == 13 and set(data[0]) == {"point", "name", "item", "problem", "date",
                                                 "days"}
    md = seeded.ok("checklist", "gaps", "-f", "md").stdout
    assert f"| A02 | 石化二村居民区党员服务点 | 电教 {NEW} | 园地、台帐 |  |" in md
