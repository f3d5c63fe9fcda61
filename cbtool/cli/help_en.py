"""English help (``--lang en``): filled in below."""

COMMANDS: dict[str, str] = {}
OPTIONS: dict[str, str] = {}
