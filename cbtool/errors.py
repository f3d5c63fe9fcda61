"""cbtool's own errors. Each kind carries its exit code (1 rejected, 3 environment).

Domain code raises these; the command line turns them into one line on stderr.
"""

from __future__ import annotations

from cbtool.text import Msg


class CbError(Exception):
    """Base of every error a user can cause or fix. ``exit_code``: what the process exits with."""

    exit_code = 1

    def __init__(self, msg: Msg, **params: object) -> None:
        self.msg = msg
        self.params = params
        super().__init__(msg.render("en", **params))

    def message(self, lang: str = "zh") -> str:
        return self.msg.render(lang, **self.params)


class InvalidInput(CbError):
    """The input was rejected (exit 1). ``rows``: for a file rejected as a whole, how many
    of its data rows that covers (as far as the file could be read)."""

    rows = 0


class NotFound(CbError):
    """A record named by the user does not exist (exit 1)."""


class Conflict(CbError):
    """The change conflicts with what is stored, e.g. a duplicate key (exit 1)."""


class EnvError(CbError):
    """Environment problem: config, database file, lock, corruption (exit 3)."""

    exit_code = 3


class FieldError(InvalidInput):
    """A single field's value is invalid; ``field`` names it (used by import reports)."""

    def __init__(self, field: str, msg: Msg, **params: object) -> None:
        self.field = field
        super().__init__(msg, field=field, **params)

    def message(self, lang: str = "zh") -> str:
        from cbtool.text import field_label

        return self.msg.render(lang, **{**self.params, "field": field_label(self.field, lang)})

    def reason(self, lang: str = "zh") -> str:
        """The message without its leading field name (for reports with a column for it)."""
        template = self.msg.en if lang == "en" else self.msg.zh
        for prefix in ("{field}：", "{field}: "):
            template = template.removeprefix(prefix)
        return Msg(template, template).render(lang, **self.params)
