"""cbtool <areas|members|logs|checklist> import | export: registered on each noun's app."""

from __future__ import annotations

import typer


def register(app: typer.Typer, kind: str) -> None:
    """Add the ``import`` and ``export`` commands for ``kind`` to a noun's sub-app."""
