"""Batch export: every kind in every format, files written owner-only and atomically, CSV
formula neutralising, xlsx text cells, and export → import round trips."""

from __future__ import annotations

import csv
import io
import json
import stat

import openpyxl
import pytest
from conftest import Cli
from test_import import snapshot, tally, write

from cbtool.checklist import EXPORT_FIELDS as CHECK_FIELDS
from cbtool.logs import EXPORT_FIELDS as LOG_FIELDS
from cbtool.members import MEMBER_FIELDS

KINDS = ["areas", "members", "logs", "checklist"]
KEYS = {
    "areas": ["code", "name", "created_at", "updated_at"],
    "members": [*MEMBER_FIELDS, "last_contact_on"],
    "logs": LOG_FIELDS,
    "checklist": CHECK_FIELDS,
}
STAMPS = {"created_at", "updated_at"}


@pytest.fixture
def full(seeded, tmp_path) -> Cli:
    """The seeded database plus logs, checks, a contact, an archived member, a voided log
    and text a spreadsheet would take for a formula."""
    seeded.ok("members", "add", "--no", "0005", "--name", "=HYPERLINK(\"x\")", "--category",
              "在职", "--area", "A01", "--note", "+86 在外", "--employer", "@公司")
    seeded.ok("members", "archive", "0003", "--reason", "转出", "--on", "2025-09-01")
    seeded.ok("members", "contact", "0002", "--on", "2025-10-01", "--channel", "微信")
    seeded.ok("members", "edit", "0004", "--note", "-5")
    write(tmp_path / "l.csv", "ref,point,date,kind,title,participants,served,hours,note\n"
                              "R-1,A01,2025-03-01,visit,走访,0001 0002,3,2.5,-早退\n"
                              ",C00,2025-03-02,meeting,\"=1+1\",0004,0,0,\n"
                              "R-3,A02,2025-04-01,volunteer,清扫,,12,6,\n")
    seeded.ok("logs", "import", tmp_path / "l.csv")
    seeded.ok("logs", "void", "3", "--reason", "重复登记")
    write(tmp_path / "c.csv", "point,item,ok,date,inspector,note\n"
                              "A01,venue,是,2025-06-01,王芳,\nA01,av,否,2025-06-01,王芳,坏了\n"
                              "C00,ledger,1,2025-06-02,,\n")
    seeded.ok("checklist", "import", tmp_path / "c.csv")
    return seeded


def test_csv_is_the_default_with_english_keys(full):
    for kind in KINDS:
        out = full.ok(kind, "export").stdout
        rows = list(csv.reader(io.StringIO(out)))
        assert rows[0] == KEYS[kind], kind
        table = "checks" if kind == "checklist" else kind
        assert len(rows) - 1 == full.count(table), kind


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "jsonl", "xlsx"])
def test_every_kind_in_every_format(full, tmp_path, kind, fmt):
    out = tmp_path / f"export.{fmt}"
    result = full.ok(kind, "export", "--format", fmt, "--out", out)
    assert str(out) in result.stderr and result.stdout == ""
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp left
    table = "checks" if kind == "checklist" else kind
    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(out).worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
        from cbtool.exporting import headings  # xlsx: the Chinese headings by default

        assert list(rows[0]) == headings(kind, KEYS[kind], "zh")
        assert len(rows) - 1 == full.count(table)
    elif fmt in ("json", "jsonl"):
        text = out.read_text(encoding="utf-8")
        records = json.loads(text) if fmt == "json" else [json.loads(x) for x in
                                                           text.splitlines()]
        assert len(records) == full.count(table) and list(records[0]) == KEYS[kind]
    else:
        sep = "," if fmt == "csv" else "\t"
        rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8")), delimiter=sep))
        assert rows[0] == KEYS[kind] and len(rows) - 1 == full.count(table)


def test_json_values_are_typed(full):
    logs = json.loads(full.ok("logs", "export", "--format", "json").stdout)
    first = {log["ref"]: log for log in logs}["R-1"]
    assert first["participants"] == ["0001", "0002"] and first["voided"] is False
    assert first["hours"] == 2.5 and first["served"] == 3
    assert {log["ref"]: log for log in logs}["R-3"]["voided"] is True
    checks = [json.loads(x) for x in full.ok("checklist", "export", "--format", "jsonl")
              .stdout.splitlines()]
    assert {c["ok"] for c in checks} == {True, False}
    people = {m["member_no"]: m for m in json.loads(
        full.ok("members", "export", "--format", "json").stdout)}
    assert people["0002"]["last_contact_on"] == "2025-10-01"
    assert people["0001"]["phone"] == "13812345678"  # full values, never masked
    assert people["0003"]["status"] == "archived"


def test_csv_neutralises_formula_like_text_and_leaves_numbers_alone(full):
    out = full.ok("members", "export").stdout
    row = next(r for r in csv.DictReader(io.StringIO(out)) if r["member_no"] == "0005")
    assert row["name"] == "'=HYPERLINK(\"x\")"
    assert row["note"] == "'+86 在外" and row["employer"] == "'@公司"
    other = next(r for r in csv.DictReader(io.StringIO(out)) if r["member_no"] == "0004")
    assert other["note"] == "-5"  # a number is left alone
    logs = list(csv.DictReader(io.StringIO(full.ok("logs", "export").stdout)))
    by_ref = {r["ref"]: r for r in logs}
    assert by_ref["R-1"]["note"] == "'-早退" and by_ref[""]["title"] == "'=1+1"
    assert by_ref["R-1"]["hours"] == "2.5" and by_ref["R-1"]["participants"] == "0001,0002"
    tsv = full.ok("members", "export", "--format", "tsv").stdout
    assert "'=HYPERLINK" in tsv and "\t'+86 在外" in tsv
    # JSON is data, not a spreadsheet: no prefix there.
    assert '"=HYPERLINK' in full.ok("members", "export", "--format", "jsonl").stdout


def test_bom_only_when_asked(full, tmp_path):
    assert not full.ok("members", "export").stdout.startswith("\ufeff")
    assert full.ok("members", "export", "--bom").stdout.startswith("\ufeff")
    out = tmp_path / "m.csv"
    full.ok("members", "export", "--bom", "--out", out)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")


def test_format_follows_the_out_extension_and_a_directory_gets_a_name(full, tmp_path):
    full.ok("members", "export", "--out", tmp_path / "m.jsonl")
    assert json.loads((tmp_path / "m.jsonl").read_text().splitlines()[0])["member_no"]
    full.ok("checklist", "export", "--format", "xlsx", "--out", tmp_path)
    assert (tmp_path / "checks.xlsx").exists()
    full.ok("members", "export", "--out", tmp_path / "m.txt")  # unknown extension: csv
    assert (tmp_path / "m.txt").read_text().startswith("member_no,")


def test_xlsx_keeps_numbers_people_type_as_text(full, tmp_path):
    full.ok("members", "export", "--out", tmp_path / "m.xlsx", "--headings", "en")
    sheet = openpyxl.load_workbook(tmp_path / "m.xlsx").worksheets[0]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "0001")
    for name in ("member_no", "id_card", "phone"):
        cell = row[header.index(name)]
        assert isinstance(cell.value, str) and cell.number_format == "@", name
    assert row[header.index("phone")].value == "13812345678"


def test_xlsx_to_a_pipe(full):
    result = full.ok("members", "export", "--format", "xlsx")
    book = openpyxl.load_workbook(io.BytesIO(result.stdout_bytes))
    assert book.worksheets[0].max_row == full.count("members") + 1


def test_empty_database_exports_headers_only(cli):
    cli.ok("init")
    assert cli.ok("members", "export").stdout == ",".join(KEYS["members"]) + "\n"
    assert cli.ok("logs", "export", "--format", "json").stdout.strip() == "[]"


def _comparable(cli: Cli, kind: str) -> list[dict]:
    records = json.loads(cli.ok(kind, "export", "--format", "json").stdout)
    drop = STAMPS | ({"id"} if kind in ("logs", "checklist") else set())
    rows = [{k: v for k, v in r.items() if k not in drop} for r in records]
    return sorted(rows, key=lambda r: json.dumps(r, ensure_ascii=False, sort_keys=True))


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "xlsx"])
def test_export_then_import_gives_the_same_data(full, tmp_path, fmt):
    files = {}
    for kind in KINDS:
        files[kind] = tmp_path / f"{kind}.{fmt}"
        full.ok(kind, "export", "--out", files[kind])
    # Into the same database: nothing changes.
    before = snapshot(full)
    for kind in KINDS:
        inserted, updated, unchanged, rejected = tally(full.ok(kind, "import", files[kind]))
        assert (inserted, updated, rejected) == (0, 0, 0) and unchanged > 0, kind
    assert snapshot(full) == before
    # Into a fresh database (the centre is a point, not an area: added by hand).
    fresh = Cli(tmp_path / "fresh.db")
    fresh.ok("init")
    fresh.ok("points", "add", "C00", "社区党员服务中心", "--kind", "centre")
    for kind in KINDS:
        result = fresh.ok(kind, "import", files[kind])
        assert tally(result)[3] == 0 and "未识别" not in result.stderr, result.stderr
    for kind in KINDS:
        assert _comparable(fresh, kind) == _comparable(full, kind), kind
