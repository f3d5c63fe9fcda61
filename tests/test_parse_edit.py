"""The one edit check every ledger's ``edit`` uses: clearable fields only, never set and
cleared at once, the given fields parsed, the cleared ones emptied."""

from __future__ import annotations

import pytest

from cbtool import fields as f
from cbtool.errors import FieldError, InvalidInput

PARSERS = {"note": lambda v: f.text_field("note", v), "served": lambda v: f.parse_count("served", v),
           "participants": f.split_list}


def edit(raw, clear=()):
    return f.parse_edit(PARSERS, raw, clear, editable=PARSERS, clearable=("note", "participants"),
                        empty={"participants": []})


def test_given_fields_are_parsed_and_cleared_ones_emptied():
    assert edit({"served": "20", "note": None}, ["note", "participants"]) == {
        "served": 20, "note": None, "participants": []}


def test_a_field_that_cannot_be_cleared_is_named_with_the_ones_that_can():
    with pytest.raises(InvalidInput) as info:
        edit({}, ["served"])
    assert info.value.message("zh") == "没有可清空的字段“served”（可用：note, participants）"


def test_set_and_cleared_at_once_is_refused():
    with pytest.raises(InvalidInput) as info:
        edit({"note": "改"}, ["note"])
    assert info.value.message("en") == "note cannot be both set and cleared"


def test_a_bad_value_raises_its_field_error():
    with pytest.raises(FieldError):
        edit({"served": "许多"})
