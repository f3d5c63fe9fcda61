"""The sample's words live in ``cbtool.sample_tables``, apart from the generator; the files
a seed gives are pinned byte for byte, so moving a table (or reordering one) cannot
change the demo data unnoticed. A deliberate change to the generator or a table updates
the digests below, and says so in its commit."""

from __future__ import annotations

import ast
import csv
import hashlib
import inspect

import pytest

from cbtool import sample, sample_tables

# `cbtool sample --seed S --members M --logs L --as-of 2026-11-30`, recorded before the
# tables moved out of cbtool/sample.py.
PINNED = {
    (1, 120, 400): {
        "areas": "a388180a4bebf43e2974fba9aba83f486064d5c8c2d0165a87a13cde6db878f8",
        "members": "df0122334c107cc3a523ada50d98683dcf726cbcad558cea0eb7aaced9c3c96b",
        "logs": "911c6d39c3e2df37a8bea1ffec53b0b6d014a9481302348dbc6242763399a8d5",
        "checks": "f084e95607a87a5367c71b1ee0d98e5cabfc0bf00cb5bd6fc308c863f3766ed9",
    },
    (7, 5, 3): {
        "areas": "a388180a4bebf43e2974fba9aba83f486064d5c8c2d0165a87a13cde6db878f8",
        "members": "d598700fcf41e94a8d5138a93b641efeba5002e39c8b402574d9b51b728af5da",
        "logs": "d8397e066cd20b7b3262b89aed586a279ed2ebb596cf01189f7df05234e2b031",
        "checks": "48abbc6c36da9c5ede3a258ea8f222691d4724059472ffb2910cb1db47a2b43e",
    },
}


@pytest.mark.parametrize(("seed", "members", "logs"), list(PINNED))
def test_a_seed_gives_the_files_it_gave_before(cli, tmp_path, seed, members, logs):
    out = tmp_path / "sample"
    cli.ok("sample", "--seed", str(seed), "--members", str(members), "--logs", str(logs),
           "--as-of", "2026-11-30", "--out", out, db=False)
    got = {name: hashlib.sha256((out / f"{name}.csv").read_bytes()).hexdigest()
           for name in PINNED[seed, members, logs]}
    assert got == PINNED[seed, members, logs]


def test_the_tables_module_is_tables_only():
    tree = ast.parse(inspect.getsource(sample_tables))
    kinds = {type(node).__name__ for node in tree.body}
    assert kinds <= {"Expr", "ImportFrom", "Assign", "AnnAssign"}  # no functions, no logic
    imports = [node.module for node in tree.body if isinstance(node, ast.ImportFrom)]
    assert imports == ["__future__"]


def test_the_generator_keeps_no_words_of_its_own():
    tree = ast.parse(inspect.getsource(sample))
    chinese = [node.value for node in ast.walk(tree)
               if isinstance(node, ast.Constant) and isinstance(node.value, str)
               and any("\u4e00" <= ch <= "\u9fff" for ch in node.value)]
    assert chinese == []


def test_the_files_draw_their_words_from_the_tables(tmp_path):
    paths = sample.write_sample(tmp_path, members=300, logs=600, seed=5,
                                as_of=sample.datetime.date(2026, 11, 30))
    with open(paths["members"], encoding="utf-8", newline="") as fh:
        people = list(csv.DictReader(fh))
    surnames = sorted((s for s, _ in sample_tables.SURNAMES), key=len, reverse=True)
    given = {*sample_tables.MALE_GIVEN, *sample_tables.FEMALE_GIVEN}
    old = {*sample_tables.MALE_OLD, *sample_tables.FEMALE_OLD}
    employers = {*sample_tables.EMPLOYERS, *sample_tables.FORMER_EMPLOYERS}
    for person in people:
        surname = next(s for s in surnames if person["name"].startswith(s))
        rest = person["name"][len(surname):]
        assert rest in old or set(rest) <= given, person["name"]
        assert not person["employer"] or person["employer"] in employers
    with open(paths["logs"], encoding="utf-8", newline="") as fh:
        titles = {row["title"] for row in csv.DictReader(fh)}
    known = {t for pool in sample_tables.TITLES.values() for t in pool}
    known |= {t for _, _, pool in sample_tables.SEASONAL for t in pool}
    assert titles <= known
