"""cbtool logs …: thin commands over cbtool.logs."""

from __future__ import annotations

import typer

app = typer.Typer(help="Service-point logs (服务点台账): add, list, show, void.",
                  no_args_is_help=True)
