"""Bilingual text: a message is a pair (zh, en) rendered in the session's language.

Domain modules define their own messages next to the code that raises them, so the
catalogue is spread by topic rather than kept in one file everybody edits.
"""

from __future__ import annotations

from typing import NamedTuple

LANGS = ("zh", "en")


class Msg(NamedTuple):
    zh: str
    en: str

    def render(self, lang: str = "zh", **params: object) -> str:
        template = self.en if lang == "en" else self.zh
        try:
            return template.format(**params)
        except (KeyError, IndexError):  # a missing parameter must never hide the error
            return template


def pick(pair: tuple[str, str] | Msg, lang: str) -> str:
    """Choose the language's side of a (zh, en) pair."""
    return pair[1] if lang == "en" else pair[0]
