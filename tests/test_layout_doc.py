"""The README's Development section names every module of the package: a new module
without its line there fails here (docs that cannot drift)."""

from __future__ import annotations

import re
from pathlib import Path

import cbtool

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = Path(cbtool.__file__).parent


def _layout_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("### Layout, one line per module")
    return text[start:text.index("\n## ", start)]


def test_every_module_has_its_line_in_the_readme():
    section = _layout_section()
    named = set(re.findall(r"`([\w/]+\.py|[\w]+/)`", section))
    missing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        if rel.name == "__init__.py" and rel.parent != Path("cli"):
            continue  # a package's face: the package's own line names it
        if rel.name not in named and str(rel) not in named:
            missing.append(str(rel))
    for package in sorted({p.parent for p in PACKAGE.rglob("__init__.py")} - {PACKAGE}):
        if package.name != "cli" and f"{package.name}/" not in named:
            missing.append(f"{package.name}/")
    assert not missing, f"modules without a line in the README's layout: {missing}"


def test_the_layout_names_no_module_that_is_gone():
    section = _layout_section()
    known = {p.name for p in PACKAGE.rglob("*.py")} | {
        f"{p.parent.name}/" for p in PACKAGE.rglob("__init__.py")}
    gone = [name for name in re.findall(r"`([\w]+\.py|[\w]+/)`", section) if name not in known]
    assert not gone, gone
