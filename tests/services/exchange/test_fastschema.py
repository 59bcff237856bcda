"""The compiled schema check agrees with jsonschema (the reference) on valid and mutated payloads."""

from __future__ import annotations

import copy
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from app.services.exchange import bundle
from app.services.exchange.fastschema import compile_pointer
from app.services.exchange.parser import _registry, validator

DOC = _registry().contents(bundle.SCHEMA_ID)
FAST = compile_pointer(DOC, "#/$defs/payload")
SLOW = validator(bundle.SCHEMA_ID, "/$defs/payload")


def u() -> str:
    return str(uuid.UUID(int=0x1234))


def event(seq: int, action: str, frm, to: str) -> dict:
    return {"id": u(), "seq": seq, "action": action, "from_status": frm, "to_status": to,
            "at": "2026-11-25T10:00:00", "operator": "王芳", "office": "YK-SPJ", "note": ""}


VALID = {
    "bundle_id": u(), "sender": "YK-SPJ", "addressee": "YK-ZJJ", "sequence": 2,
    "ack": {"through_sequence": 1}, "covers_from": 1,
    "messages": [{
        "id": u(), "kind": "approval_push", "action": "send",
        "dispatch": {"id": u(), "kind": "approval_push", "sender": "YK-SPJ", "addressee": "YK-ZJJ",
                     "subject_type": "approval_result", "subject_id": u(), "status": "sent",
                     "clock_start": "2026-11-24", "send_due": "2026-11-26", "send_due_provisional": False,
                     "sent_at": "2026-11-25T15:00:00", "channel": "exchange", "agreed_due": None,
                     "reply_due": "2026-11-27", "reply_due_provisional": False, "replied_at": None,
                     "created_at": "2026-11-25T10:00:00", "previous_id": None},
        "events": [event(1, "create", None, "pending"), event(2, "send", "pending", "sent")],
        "subject": {"id": u(), "item_id": u(), "item_code": "ZJ-001", "item_name": "建筑工程施工许可证核发",
                    "approval_office": "YK-SPJ", "applicant_name": "海兴建筑", "applicant_id_type": "uscc",
                    "applicant_id": "91210800MA0TEXT019", "contact_name": "李明", "contact_phone": "13904171234",
                    "materials": "", "result": "准予许可", "licence_number": "", "decided_on": "2026-11-24",
                    "licence_issued_on": None, "recorded_at": "2026-11-25T10:00:00", "recorded_by": "王芳"},
    }],
}


def paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from paths(v, (*prefix, i))


ALL_PATHS = [p for p in paths(VALID) if p]
junk = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3), st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False), st.just(2.0),
    st.text(max_size=5), st.text(min_size=60, max_size=70), st.just("x" * 2001), st.just("x" * 4001),
    st.sampled_from(["exchange", "fax", "uscc", "resident_id", "YK-ZJJ", "坏", "2026-11-25", "2026-11-25T10:00:00",
                     u(), u().upper(), "approval_push"]),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


def test_valid_payload_passes_both():
    assert FAST(VALID) and SLOW.is_valid(VALID)


@settings(max_examples=1500, deadline=None)
@given(st.sampled_from(ALL_PATHS), junk, st.sampled_from(["replace", "delete", "add"]))
def test_fast_check_agrees_with_jsonschema(path, value, how):
    doc = copy.deepcopy(VALID)
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    last = path[-1]
    if how == "replace":
        parent[last] = value
    elif how == "delete":
        del parent[last]
    elif isinstance(parent, dict):
        parent[f"extra_{last}"] = value
    else:
        parent.append(value)
    assert FAST(doc) == SLOW.is_valid(doc)


@pytest.mark.parametrize("schema", [{"type": "string", "format": "email"}, {"additionalProperties": True}])
def test_unsupported_keywords_are_refused_at_compile_time(schema):
    with pytest.raises(ValueError):
        compile_pointer({"$defs": {"x": schema}}, "#/$defs/x")


# A schema using every supported keyword in the shapes the bundle schema does not (optional and
# open properties, typeless nodes, non-string enums, a three-way oneOf, recursion).
MIXED = {
    "$defs": {
        "tree": {"type": "object", "required": ["n"], "properties": {
            "n": {"type": "integer", "minimum": -3, "maximum": 3},
            "kids": {"type": "array", "maxItems": 3, "items": {"$ref": "#/$defs/tree"}}}},
        "root": {
            "type": "object",
            "required": ["a"],
            "additionalProperties": False,
            "properties": {
                "a": {"enum": [1, True, "x", None]},
                "b": {"const": 0},
                "c": {"pattern": "^[a-c]+$", "maxLength": 4},
                "d": {"oneOf": [{"type": "string"}, {"type": "integer"}, {"minimum": 2}]},
                "e": {"type": "number", "minimum": 0.5},
                "f": {"$ref": "#/$defs/tree"},
                "g": {"type": "array", "minItems": 1, "items": {"oneOf": [{"type": "null"}, {"type": "boolean"}]}},
            },
        },
    },
}
MIXED_FAST = compile_pointer(MIXED, "#/$defs/root")
MIXED_SLOW = Draft202012Validator({"$ref": "#/$defs/root", "$defs": MIXED["$defs"]})
leaf = st.none() | st.booleans() | st.integers(-5, 5) | st.floats(-3, 3, allow_nan=False) | st.text("abcx", max_size=6)
json_values = st.recursive(leaf, lambda c: st.lists(c, max_size=3) | st.dictionaries(st.sampled_from("abcdefgnk"), c, max_size=4),
                           max_leaves=12)


trees = st.recursive(st.fixed_dictionaries({"n": st.integers(-4, 4) | leaf}),
                     lambda c: st.fixed_dictionaries({"n": st.integers(-3, 3)}, optional={"kids": st.lists(c, max_size=4)}),
                     max_leaves=6)
# Mostly valid objects with a few wrong parts, so both answers are common.
near_valid = st.fixed_dictionaries(
    {"a": st.sampled_from([1, True, "x", None, 2, False, 1.0]) | json_values},
    optional={"b": st.sampled_from([0, False, 0.0, "0"]) | json_values,
              "c": st.text("abcd", min_size=0, max_size=5) | json_values,
              "d": st.text(max_size=2) | st.integers(-3, 5) | st.floats(0, 4) | json_values,
              "e": st.floats(0, 2) | st.integers(0, 2) | json_values,
              "f": trees, "g": st.lists(st.none() | st.booleans() | leaf, max_size=3) | json_values,
              "z": leaf})


@settings(max_examples=2000, deadline=None)
@given(near_valid | st.dictionaries(st.sampled_from(["a", "b", "c", "d", "e", "f", "g", "z"]), json_values, max_size=5)
       | json_values)
def test_generated_code_agrees_with_jsonschema_on_every_keyword(value):
    assert MIXED_FAST(value) == MIXED_SLOW.is_valid(value)


def test_pattern_answers_are_remembered_only_for_matches():
    check = compile_pointer({"$defs": {"s": {"type": "string", "pattern": "^a+$"}}}, "#/$defs/s")
    assert [check(v) for v in ("aa", "aa", "ab", "ab", "aa")] == [True, True, False, False, True]
