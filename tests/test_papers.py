"""Papers for people: the office in titles, the 花名册 (roster) and the 服务点工作台账
(ledger), each opened as written (openpyxl for xlsx, html.parser for html)."""

from __future__ import annotations

import json

import pytest

from cbtool.config import parse_config
from cbtool.errors import EnvError

OFFICE = '[office]\nname = "石化街道党工委"\ncode = "SH01"\nparent = "金山区委"\n'


def with_office(tmp_path, monkeypatch) -> None:
    path = tmp_path / "cbtool.toml"
    path.write_text(OFFICE, encoding="utf-8")
    monkeypatch.setenv("CBTOOL_CONFIG", str(path))


def test_office_keys_are_read_and_a_wrong_type_is_named(tmp_path):
    cfg = parse_config({"office": {"name": " 石化街道党工委 ", "code": "SH01", "parent": "金山"}},
                       tmp_path / "c.toml")
    assert (cfg.office_name, cfg.office_code, cfg.office_parent) == ("石化街道党工委", "SH01", "金山")
    assert cfg.warnings == []
    with pytest.raises(EnvError) as err:
        parse_config({"office": {"name": 3}}, tmp_path / "c.toml")
    assert "office.name" in err.value.message("en")


def test_the_report_title_carries_the_office(seeded, tmp_path, monkeypatch):
    with_office(tmp_path, monkeypatch)
    doc = json.loads(seeded.ok("summary", "--period", "2026-11", "--format", "json").stdout)
    assert doc["office"] == "石化街道党工委"
    md = seeded.ok("report", "--period", "2026-11", "--format", "md", "--out", "-").stdout
    assert md.splitlines()[0].startswith("# 石化街道党工委 ")
