"""One person, one record: what a member's ID number says about their birth and gender,
and the same person under two numbers (one held by the ID, or the same digits with leading
zeros lost). Used by ``members`` add/edit and by the members import."""

from __future__ import annotations

from typing import Any

from cbtool import fields as f
from cbtool.errors import Conflict, FieldError
from cbtool.store import Store
from cbtool.text import Msg

Warning_ = tuple[Msg, dict[str, Any]]
ID_TAKEN = Msg(
    "{no}：此身份证号已属于党员 {other}（{name}），同一人只能有一个党员编号；请核对，或修改党员 {other}"
    "{hint_zh}",
    "{no}: this ID number belongs to member {other} ({name}) already; one person, one member "
    "number: check it, or edit member {other}{hint_en}",
)
ZERO_TWIN = Msg("{no}：库中已有党员 {other}（{name}）{hint_zh}；同一人只能有一个党员编号，"
                "未保存：是同一人请用编号 {other}，确是另一人请另选编号",
                "{no}: member {other} ({name}) is stored{hint_en}; one person, one member "
                "number; not saved: use {other} if it is the same person, else another number")
ID_BORN_MISMATCH = Msg(
    "{no}：身份证号中的出生日期 {id_birth} 与出生日期 {born_on} 不一致（已保存，请核对）",
    "{no}: the ID number says born {id_birth} but born_on is {born_on} (saved; please check)",
)
ID_GENDER_MISMATCH = Msg(
    "{no}：身份证号显示性别为 {id_gender}，与填写的 {gender} 不一致（已保存，请核对）",
    "{no}: the ID number says gender {id_gender} but gender is {gender} (saved; please check)",
)
# The same warnings where nothing is saved yet (a dry run, a rejected file, before asking).
UNSAVED: dict[Msg, Msg] = {
    ID_BORN_MISMATCH: Msg(
        "{no}：身份证号中的出生日期 {id_birth} 与出生日期 {born_on} 不一致（导入时将按填写的保存，请核对）",
        "{no}: the ID number says born {id_birth} but born_on is {born_on} (would be saved as "
        "given; please check)"),
    ID_GENDER_MISMATCH: Msg(
        "{no}：身份证号显示性别为 {id_gender}，与填写的 {gender} 不一致（导入时将按填写的保存，请核对）",
        "{no}: the ID number says gender {id_gender} but gender is {gender} (would be saved as "
        "given; please check)"),
}
JOINED_BEFORE_BORN = Msg("{field}：{joined} 早于出生日期 {born}",
                         "{field}: {joined} is before the birth date {born}")


def reconcile_id(record: dict[str, Any]) -> list[Warning_]:
    """Fill born_on/gender from the ID number when missing; warn when they disagree."""
    id_card = record.get("id_card")
    if not id_card:
        return []
    warnings: list[Warning_] = []
    id_birth, id_gender = f.id_birth(id_card), f.id_gender(id_card)
    born = record.get("born_on")
    if not born:
        record["born_on"] = id_birth
    elif not id_birth.startswith(born):
        warnings.append((ID_BORN_MISMATCH, {"no": record.get("member_no"),
                                            "id_birth": id_birth, "born_on": born}))
    if not record.get("gender"):
        record["gender"] = id_gender
    elif record["gender"] != id_gender:
        warnings.append((ID_GENDER_MISMATCH, {"no": record.get("member_no"),
                                              "id_gender": id_gender,
                                              "gender": record["gender"]}))
    return warnings


def joined_after_born(record: dict[str, Any]) -> FieldError | None:
    """The joining date cannot come before the birth date (either may be a month alone:
    compared as far as both go). Read after ``reconcile_id`` (the ID gives the birth)."""
    born, joined = record.get("born_on"), record.get("joined_on")
    if not (born and joined):
        return None
    n = min(len(born), len(joined))
    if joined[:n] < born[:n]:
        return FieldError("joined_on", JOINED_BEFORE_BORN, joined=joined, born=born)
    return None


def id_taken(store: Store, record: dict[str, Any]) -> list[Warning_]:
    """One person, one member: another member holding this ID number is a ``Conflict``
    naming that member (and saying so when the numbers differ only by leading zeros)."""
    if not record.get("id_card"):
        return []
    no = record.get("member_no") or ""
    other = store.one("SELECT member_no, name FROM members WHERE id_card = ? AND member_no <> ?",
                      (record["id_card"], no))
    if other:
        zh, en = f.zeros_hint(no, other["member_no"])
        raise Conflict(ID_TAKEN, no=no, other=other["member_no"], name=other["name"],
                       hint_zh=zh, hint_en=en)
    return []


def zero_twin(store: Store, no: str) -> list[Warning_]:
    """A ``Conflict`` when a stored number is this one but for leading zeros (``104`` /
    ``00104``): as the import refuses such a row, so that what is stored always exports
    into a file that imports back."""
    if not (no.isascii() and no.isdigit()):
        return []
    for other in store.rows("SELECT member_no, name FROM members WHERE member_no <> ? AND "
                            "ltrim(member_no, '0') = ? LIMIT 1", (no, no.lstrip("0"))):
        zh, en = f.zeros_hint(no, other["member_no"])
        raise Conflict(ZERO_TWIN, no=no, other=other["member_no"], name=other["name"],
                       hint_zh=zh, hint_en=en)
    return []
