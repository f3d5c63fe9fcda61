"""Batch import: validate every row of a file of areas, members, logs or checks, then write
it all in the caller's transaction — or nothing.

``plan_import(store, kind, source)`` reads a ``cbtool.tabular`` source once, parses each
cell with the domain's own validators (``members.field_parsers`` …), finds rows that
repeat a key inside the file and classifies every valid row against the database as
insert, update or unchanged. Every problem of every row is kept with its line, the column
as written in the file and the ``FieldError``. ``apply(store, plan)`` then writes the
inserts in bulk and the updates one by one (audited, category changes recorded).

Memory does not grow with the file: rows are validated in chunks and parked in a TEMP
table (SQLite's temporary file, not the database), which ``apply`` reads back. Only the
first ``KEEP`` problems and warnings are kept in Python; every rejected row (for
``--errors``) is parked in a second TEMP table.

Semantics of a file, whatever its format:

* headers are English keys or the usual Chinese headings (``HEADINGS``), compared after
  NFKC (full-width brackets, letters), case and spacing are normalised; an unknown
  column is reported (``Plan.unknown``) and ignored;
* a column present in the file is the truth for the records it touches (an empty cell
  clears an optional field); a column absent leaves that field of a stored record as
  it is;
* a CSV/TSV cell the export neutralised for spreadsheets (``'=SUM(1)``, ``''=x``) is read
  without that one ``'``; other formats are read as they are.

The package, one module per concern:

* ``headings`` — the headings a file may use per kind; ``messages`` — what an import says;
* ``cells`` — one cell parsed with the domain's validator (an error is a value);
* ``plan`` — ``Plan``, ``Problem``, ``RowWarning``, the tally line;
* ``stage`` — the TEMP tables rows are parked in, and the memory knobs;
* ``base`` — ``Importer``, what each kind fills in; ``areas``, ``members``, ``logs``,
  ``checks``, ``points`` … — one importer per kind (``aid_ledgers``: aid given and fund
  income, which share a base); ``kinds`` — the registry of them;
* ``planner`` — ``plan_import``; ``sharing`` — a big file checked by two processes at
  once (the same plan); ``writing`` — ``apply``; ``auditing`` — the batch and the
  per-record audit written in bulk; ``workflow`` — ``run_import(store, ImportRequest(…), ImportHooks(…))``, the whole import
  as one call (plan, confirm, write what was checked), over ``import_file``;
  ``rejects`` — the errors file.

A new kind of record: an ``Importer`` subclass in its own module, its headings in
``headings.HEADINGS``, its entry in ``kinds.IMPORTERS``.
"""

from cbtool.importing.base import Importer, Row
from cbtool.importing.headings import (
    HEADINGS,
    IGNORED,
    heading_candidates,
    heading_map,
    heading_test,
    normalise_heading,
)
from cbtool.importing.kinds import IMPORTERS, KINDS
from cbtool.importing.members import MemberImporter
from cbtool.importing.plan import Plan, Problem, RowWarning, tally
from cbtool.importing.planner import plan_import
from cbtool.importing.stage import CHUNK, KEEP, STAGE
from cbtool.importing.workflow import (
    PLAN_ATTEMPTS,
    ImportHooks,
    ImportRequest,
    import_file,
    run_import,
)
from cbtool.importing.writing import apply

__all__ = [
    "CHUNK", "HEADINGS", "IGNORED", "IMPORTERS", "KEEP", "KINDS", "PLAN_ATTEMPTS", "STAGE",
    "ImportHooks", "ImportRequest", "Importer", "MemberImporter", "Plan", "Problem", "Row", "RowWarning", "apply",
    "heading_candidates", "heading_map", "heading_test", "import_file", "normalise_heading",
    "plan_import", "run_import", "tally",
]
