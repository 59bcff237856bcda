"""A fast yes/no check for the JSON Schema subset our schemas use, compiled to closures.

A bundle holds up to 50,000 messages and jsonschema takes about a millisecond per message.
This compiles the *same schema document* (resources/schemas/bundle-v1.schema.json; nothing is
restated by hand) into nested Python closures that answer only "valid or not", some twenty
times faster. When it says "not valid", jsonschema runs on the value to find and word the
error, so jsonschema stays the reference; tests check that both agree on mutated messages.

An unsupported keyword raises at compile time: a schema change cannot be silently ignored.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Check = Callable[[Any], bool]
ANNOTATIONS = {"title", "description", "$schema", "$id", "$comment", "$defs"}


def _is_integer(v: Any) -> bool:
    return (type(v) is int) or (type(v) is float and v.is_integer())


TYPES: dict[str, Check] = {
    "string": lambda v: type(v) is str,
    "integer": _is_integer,
    "number": lambda v: type(v) in (int, float),
    "boolean": lambda v: type(v) is bool,
    "null": lambda v: v is None,
    "object": lambda v: type(v) is dict,
    "array": lambda v: type(v) is list,
}


def _equal(a: Any, b: Any) -> bool:
    if type(a) is bool or type(b) is bool:
        return type(a) is type(b) and a == b
    return a == b


class Compiler:
    def __init__(self, root: dict):
        self.root = root
        self.refs: dict[str, Check] = {}

    def ref(self, pointer: str) -> Check:
        if not pointer.startswith("#/"):
            raise ValueError(f"only local $ref is supported: {pointer}")
        if pointer not in self.refs:
            slot: list[Check] = []
            self.refs[pointer] = lambda v: slot[0](v)  # allows recursion
            node = self.root
            for part in pointer[2:].split("/"):
                node = node[part]
            slot.append(self.compile(node))
        return self.refs[pointer]

    def compile(self, s: dict) -> Check:
        checks: list[Check] = []
        unknown = set(s) - ANNOTATIONS - {
            "$ref", "type", "const", "enum", "pattern", "minLength", "maxLength", "minimum", "maximum",
            "required", "properties", "additionalProperties", "items", "minItems", "maxItems", "oneOf"}
        if unknown:
            raise ValueError(f"unsupported schema keywords: {sorted(unknown)}")
        if "$ref" in s:
            checks.append(self.ref(s["$ref"]))
        if "type" in s:
            checks.append(TYPES[s["type"]])
        if "const" in s:
            c = s["const"]
            checks.append(lambda v: _equal(v, c))
        if "enum" in s:
            options = s["enum"]
            checks.append(lambda v: any(_equal(v, o) for o in options))
        checks.extend(self._string(s))
        checks.extend(self._number(s))
        checks.extend(self._object(s))
        checks.extend(self._array(s))
        if "oneOf" in s:
            branches = [self.compile(b) for b in s["oneOf"]]
            checks.append(lambda v: sum(1 for b in branches if b(v)) == 1)
        if len(checks) == 1:
            return checks[0]
        return lambda v: all(c(v) for c in checks)

    def _string(self, s: dict) -> list[Check]:
        out: list[Check] = []
        if "pattern" in s:
            search = re.compile(s["pattern"]).search
            out.append(lambda v: type(v) is not str or search(v) is not None)
        if "minLength" in s:
            out.append(lambda v, n=s["minLength"]: type(v) is not str or len(v) >= n)
        if "maxLength" in s:
            out.append(lambda v, n=s["maxLength"]: type(v) is not str or len(v) <= n)
        return out

    def _number(self, s: dict) -> list[Check]:
        out: list[Check] = []
        numeric = (int, float)
        if "minimum" in s:
            out.append(lambda v, n=s["minimum"]: type(v) not in numeric or v >= n)
        if "maximum" in s:
            out.append(lambda v, n=s["maximum"]: type(v) not in numeric or v <= n)
        return out

    def _object(self, s: dict) -> list[Check]:
        out: list[Check] = []
        if "required" in s:
            req = tuple(s["required"])
            out.append(lambda v: type(v) is not dict or all(k in v for k in req))
        props = {k: self.compile(sub) for k, sub in s.get("properties", {}).items()}
        if props:
            items = tuple(props.items())
            out.append(lambda v: type(v) is not dict or all(k not in v or c(v[k]) for k, c in items))
        if "additionalProperties" in s:
            if s["additionalProperties"] is not False:
                raise ValueError("only additionalProperties: false is supported")
            allowed = frozenset(props)
            out.append(lambda v: type(v) is not dict or allowed.issuperset(v))
        return out

    def _array(self, s: dict) -> list[Check]:
        out: list[Check] = []
        if "items" in s:
            item = self.compile(s["items"])
            out.append(lambda v: type(v) is not list or all(item(x) for x in v))
        if "minItems" in s:
            out.append(lambda v, n=s["minItems"]: type(v) is not list or len(v) >= n)
        if "maxItems" in s:
            out.append(lambda v, n=s["maxItems"]: type(v) is not list or len(v) <= n)
        return out


def compile_pointer(root: dict, pointer: str) -> Check:
    """A check for the sub-schema at ``pointer`` (e.g. "#/$defs/payload") of ``root``."""
    return Compiler(root).ref(pointer)
