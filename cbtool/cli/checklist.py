"""cbtool checklist …: thin commands over cbtool.checklist."""

from __future__ import annotations

import typer

app = typer.Typer(help="The five-haves checklist (五有): record, show, history, gaps.",
                  no_args_is_help=True)
