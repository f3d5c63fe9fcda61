"""The summary document: every figure of the summary on a known data set, the as-of rules,
the area filter, and the report files for cron."""

import json
import sqlite3
import stat

import pytest

PERIOD = "2025-11"  # ended: the as-of day is 2025-11-30


def add_member(cli, no, name, category, area, *extra):
    cli.ok("members", "add", "--no", no, "--name", name, "--category", category,
           "--area", area, *extra)


def add_log(cli, point, day, kind, title, served=0, hours=0.0, voided=0):
    conn = sqlite3.connect(cli.db_path)
    conn.execute("INSERT INTO logs (point, date, kind, title, served, hours, voided) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?)", (point, day, kind, title, served, hours, voided))
    conn.commit()
    conn.close()


@pytest.fixture
def known(seeded):
    cli = seeded
    add_member(cli, "0005", "赵敏", "在职", "A01", "--joined", "2025-11-05")
    add_member(cli, "0006", "孙丽", "离退休", "A02", "--joined", "2025年11月")
    add_member(cli, "0007", "周杰", "流动", "A01")
    add_member(cli, "0008", "吴刚", "流动", "A02")
    cli.ok("members", "contact", "0007", "--on", "2025-10-01")
    cli.ok("members", "contact", "0008", "--on", "2025-08-01")
    cli.ok("members", "contact", "0008", "--on", "2025-12-20")  # after the as-of day
    cli.ok("members", "archive", "0001", "--reason", "deceased", "--on", "2025-11-20")
    cli.ok("members", "archive", "0004", "--reason", "transferred", "--on", "2025-10-01")
    cli.ok("members", "recategorize", "0003", "--to", "在职", "--on", "2025-11-10")
    cli.ok("members", "recategorize", "0006", "--to", "在职", "--on", "2025-11-15")
    add_log(cli, "A01", "2025-11-03", "visit", "走访慰问高龄党员", 10, 2.5)
    add_log(cli, "A01", "2025-11-28", "volunteer", "社区环境整治", 20, 4)
    add_log(cli, "C00", "2025-11-15", "study", "学习党的二十大精神", 0, 1)
    add_log(cli, "A02", "2025-11-10", "aid", "帮困", 5, 1, voided=1)
    add_log(cli, "A02", "2025-10-31", "visit", "上月走访", 3, 1)
    add_log(cli, "A02", "2025-12-01", "visit", "下月走访", 3, 1)
    cli.ok("checklist", "record", "A01", "--ok", "venue,rules,board,av,ledger", "--on", "2025-06-01")
    cli.ok("checklist", "record", "A01", "--missing", "av", "--on", "2025-12-10")
    cli.ok("checklist", "record", "A02", "--ok", "场所,制度", "--on", "2024-01-01")
    cli.ok("checklist", "record", "A02", "--missing", "电教", "--on", "2025-11-01")
    cli.ok("checklist", "record", "C00", "--ok", "venue,rules,board,av", "--on", "2025-11-01")
    cli.ok("checklist", "record", "C00", "--missing", "台账", "--on", "2025-11-02")
    cli.ok("checklist", "record", "C00", "--ok", "台账", "--on", "2025-12-05")
    return cli


def summary(cli, *args):
    return json.loads(cli.ok("summary", "--period", PERIOD, "--format", "json", *args).stdout)


def test_every_figure(known):
    doc = summary(known)
    assert doc["period"] == {"label": "2025-11", "start": "2025-11-01", "end": "2025-11-30"}
    assert doc["as_of"] == "2025-11-30"
    m = doc["members"]
    assert m["total"] == 6
    assert m["by_category"] == {"retired": 0, "laid-off": 0, "mobile": 3, "employed": 3}
    assert m["by_area"] == [
        {"area": "A01", "name": "石化一村居民区", "retired": 0, "laid-off": 0, "mobile": 1,
         "employed": 2, "total": 3},
        {"area": "A02", "name": "石化二村居民区", "retired": 0, "laid-off": 0, "mobile": 2,
         "employed": 1, "total": 3},
    ]
    assert (m["joined"], m["archived"], m["recategorized"], m["placed"]) == (2, 1, 2, 1)
    assert m["overdue_contact"] == 2  # 0002 never reached, 0008 last reached 2025-08-01
    logs = doc["logs"]
    assert (logs["total"], logs["served"], logs["hours"]) == (3, 30, 7.5)
    assert logs["by_point"] == [
        {"point": "C00", "name": "社区党员服务中心", "logs": 1, "served": 0, "hours": 1.0},
        {"point": "A01", "name": "石化一村居民区党员服务点", "logs": 2, "served": 30, "hours": 6.5},
        {"point": "A02", "name": "石化二村居民区党员服务点", "logs": 0, "served": 0, "hours": 0.0},
    ]
    assert logs["by_kind"] == {"visit": 1, "aid": 0, "employment": 0, "volunteer": 1,
                               "study": 1, "meeting": 0, "other": 0}
    assert logs["idle_points"] == ["A02"]
    c = doc["checklist"]
    assert (c["points"], c["compliant"], c["rate"]) == (3, 1, 0.3333)
    assert c["missing"] == {"venue": 0, "rules": 0, "board": 0, "av": 1, "ledger": 1}
    assert (c["never_checked"], c["stale"]) == (1, 1)


def test_no_personal_data_in_the_document(known):
    known.ok("members", "edit", "0005", "--phone", "13912345678")
    text = known.ok("summary", "--period", PERIOD, "--format", "json").stdout
    for secret in ("13912345678", "13812345678", "310116", "张伟", "赵敏"):
        assert secret not in text


def test_area_filter(known):
    doc = summary(known, "--area", "A01")
    assert doc["members"]["total"] == 3 and len(doc["members"]["by_area"]) == 1
    assert doc["members"]["overdue_contact"] == 0
    assert [p["point"] for p in doc["logs"]["by_point"]] == ["A01"]
    assert doc["logs"]["total"] == 2
    assert (doc["checklist"]["points"], doc["checklist"]["compliant"]) == (1, 1)


def test_a_period_not_yet_ended_is_taken_as_of_today(known):
    doc = json.loads(known.ok("summary", "--period", "this-year", "--format", "json").stdout)
    from datetime import date

    assert doc["as_of"] == date.today().isoformat()
    # the later checks now count: A01's av is missing, C00's ledger is back
    assert doc["checklist"]["missing"]["av"] == 2 and doc["checklist"]["missing"]["ledger"] == 0


def test_bad_period_is_exit_1(known):
    for bad in ("2026-13", "2026-Q5", "2026-11-30..2026-11-01", "next-month"):
        result = known("summary", "--period", bad)
        assert result.exit_code == 1 and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("lang,words", [("zh", ["党员", "合计"]), ("en", ["Members", "Total"])])
def test_dashboard_fits_100_columns(known, lang, words):
    out = known.ok("--lang", lang, "summary", "--period", PERIOD, env={"COLUMNS": "100"}).stdout
    from rich.cells import cell_len

    assert max(cell_len(line) for line in out.splitlines()) <= 100
    for word in words:
        assert word in out


def test_summary_md_and_csv(known):
    md = known.ok("summary", "--period", PERIOD, "--format", "md").stdout
    assert "石化一村居民区" in md and "|" in md
    csv_out = known.ok("summary", "--period", PERIOD, "--format", "csv").stdout
    assert csv_out.startswith("# ") and "石化二村居民区" in csv_out


def test_report_files_for_cron(known, tmp_path):
    out = tmp_path / "reports"
    out.mkdir()
    doc = summary(known)
    for fmt in ("json", "html", "md", "xlsx", "csv"):
        written = known.ok("report", "--period", PERIOD, "--format", fmt, "--out", str(out))
        path = out / (f"cbtool-report-2025-11.{fmt}" if fmt != "csv" else "cbtool-report-2025-11")
        assert written.stdout.strip() == str(path)
        files = sorted(path.iterdir()) if fmt == "csv" else [path]
        assert files and all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    assert json.loads((out / "cbtool-report-2025-11.json").read_text()) == doc
    html = (out / "cbtool-report-2025-11.html").read_text()
    assert "<svg" in html and "http://" not in html and "<script" not in html
    names = sorted(p.name for p in out.iterdir())
    assert names == ["cbtool-report-2025-11", "cbtool-report-2025-11.html",
                     "cbtool-report-2025-11.json", "cbtool-report-2025-11.md",
                     "cbtool-report-2025-11.xlsx"]
    # a rerun overwrites in place and leaves nothing else behind
    known.ok("report", "--period", PERIOD, "--format", "json", "--out", str(out))
    assert sorted(p.name for p in out.iterdir()) == names


def test_report_to_an_explicit_file_and_failures(known, tmp_path):
    target = tmp_path / "monthly.json"
    known.ok("report", "--period", PERIOD, "--format", "json", "--out", str(target))
    assert json.loads(target.read_text())["logs"]["total"] == 3
    missing_dir = tmp_path / "no" / "such" / "dir" / "r.json"
    result = known("report", "--period", PERIOD, "--format", "json", "--out", str(missing_dir))
    assert result.exit_code == 3 and "Traceback" not in result.stderr
    assert known("report", "--period", "2026-13", "--format", "json",
                 "--out", str(target)).exit_code == 1
