"""Aid recipients' personal data in ``aid show``."""

import json

from conftest import ID_LI


def _laid_off_case(cli):
    cli.ok("aid", "add", "--name", "王强", "--area", "A01", "--kind", "失业", "--member", "0003",
           "--phone", "13900001111", "--id-card", ID_LI)
    return json.loads(cli.ok("aid", "list", "--format", "json").stdout)[-1]["id"]


def test_show_masks_the_linked_members_name(seeded):
    case = _laid_off_case(seeded)
    for fmt in ("table", "md"):
        out = seeded.ok("aid", "show", str(case), "--format", fmt).stdout
        assert "王强" not in out, fmt
        assert "0003 王*" in out and "王*" in out
        assert "13900001111" not in out and ID_LI not in out


def test_show_reveal_and_json_carry_the_name(seeded):
    case = _laid_off_case(seeded)
    assert "0003 王强" in seeded.ok("aid", "show", str(case), "--reveal").stdout
    record = json.loads(seeded.ok("aid", "show", str(case), "--format", "json").stdout)
    assert record["name"] == "王强" and record["phone"] == "13900001111"

