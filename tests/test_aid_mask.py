"""Aid recipients' personal data in ``aid show``, and the example day picking its own cases."""

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import ID_LI

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


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


def test_example_day_gives_to_the_cases_it_added(seeded, tmp_path):
    # A case already open in a later area: the list (by area) ends with it, not the new ones.
    seeded.ok("aid", "add", "--name", "陈阿姨", "--area", "A02", "--kind", "因病")
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    result = subprocess.run(["bash", str(EXAMPLES / "pairings-aid-day.sh")], capture_output=True,
                            text=True, timeout=180,
                            env={**os.environ, "PATH": path, "CBTOOL_DB": str(seeded.db_path)})
    assert result.returncode == 0, result.stderr
    rows = seeded.rows("SELECT c.name, g.form FROM aid_given g JOIN aid_cases c "
                       "ON c.id = g.case_id ORDER BY g.id")
    assert rows == [("赵秀英", "grant"), ("赵秀英", "visit"), ("王强", "employment")], rows


def test_audit_masks_an_aid_recipients_name_unless_revealed(seeded):
    seeded.ok("aid", "add", "--name", "赵秀英", "--area", "A01", "--kind", "低保",
              "--phone", "13900001111")
    shown = seeded.ok("audit", "--table", "aid_cases").stdout
    assert "赵秀英" not in shown and "139****1111" in shown
    assert "赵秀英" in seeded.ok("audit", "--table", "aid_cases", "--reveal").stdout
