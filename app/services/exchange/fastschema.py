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
            compiled = self.compile(node)
            slot.append(compiled)
            # Later (non-recursive) users call the compiled check directly, without the slot.
            self.refs[pointer] = compiled
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
        typ = s.get("type")
        # Keywords for strings, objects and arrays are fused into one check per kind; when the
        # schema's "type" is that kind, the type test is fused in too (and not repeated).
        fused = False
        for kind, name, body in ((str, "string", self._string(s)), (dict, "object", self._object(s)),
                                 (list, "array", self._array(s))):
            if body is None:
                continue
            if typ == name:
                fused = True
                checks.append(lambda v, kind=kind, body=body: type(v) is kind and body(v))
            else:
                checks.append(lambda v, kind=kind, body=body: type(v) is not kind or body(v))
        if typ is not None and not fused:
            checks.insert(1 if "$ref" in s else 0, TYPES[typ])
        if "const" in s:
            c = s["const"]
            checks.append(lambda v: _equal(v, c))
        if "enum" in s:
            options = s["enum"]
            checks.append(lambda v: any(_equal(v, o) for o in options))
        checks.extend(self._number(s))
        if "oneOf" in s:
            branches = tuple(self.compile(b) for b in s["oneOf"])
            other = _nullable_other(s["oneOf"], branches)
            if other is not None:  # {"oneOf": [{"type": "null"}, X]} where X refuses null
                checks.append(lambda v: v is None or other(v))
                branches = ()

            def one_of(v: Any) -> bool:
                n = 0
                for b in branches:
                    if b(v):
                        n += 1
                        if n > 1:
                            return False
                return n == 1

            if branches:
                checks.append(one_of)
        if len(checks) == 1:
            return checks[0]
        if len(checks) == 2:
            a, b = checks
            return lambda v: a(v) and b(v)
        if not checks:
            return lambda v: True
        all_checks = tuple(checks)
        return lambda v: all(c(v) for c in all_checks)

    def _string(self, s: dict) -> Check | None:
        """A check of the string keywords for a value known to be a str (None if there are none)."""
        search = _cached_search(s["pattern"]) if "pattern" in s else None
        lo, hi = s.get("minLength"), s.get("maxLength")
        if search is None and lo is None and hi is None:
            return None
        if lo is None and hi is None:
            return search

        def check(v: str) -> bool:
            if lo is not None and len(v) < lo:
                return False
            if hi is not None and len(v) > hi:
                return False
            return search is None or search(v)

        return check

    def _number(self, s: dict) -> list[Check]:
        out: list[Check] = []
        numeric = (int, float)
        if "minimum" in s:
            out.append(lambda v, n=s["minimum"]: type(v) not in numeric or v >= n)
        if "maximum" in s:
            out.append(lambda v, n=s["maximum"]: type(v) not in numeric or v <= n)
        return out

    def _object(self, s: dict) -> Check | None:
        """A check of the object keywords for a value known to be a dict (None if there are none)."""
        req = tuple(s.get("required", ()))
        props = {k: self.compile(sub) for k, sub in s.get("properties", {}).items()}
        closed = "additionalProperties" in s
        if closed and s["additionalProperties"] is not False:
            raise ValueError("only additionalProperties: false is supported")
        if not req and not props and not closed:
            return None
        if closed and set(req) == set(props):  # exactly these keys: one set comparison
            keys, items = frozenset(props), tuple(props.items())

            def exact(v: dict) -> bool:
                if v.keys() != keys:
                    return False
                for k, c in items:  # noqa: SIM110 - a loop is faster than all(genexpr)
                    if not c(v[k]):
                        return False
                return True

            return exact
        get = props.get

        def check(v: dict) -> bool:
            for k in req:
                if k not in v:
                    return False
            for k, x in v.items():
                c = get(k)
                if c is None:
                    if closed:
                        return False
                elif not c(x):
                    return False
            return True

        return check

    def _array(self, s: dict) -> Check | None:
        """A check of the array keywords for a value known to be a list (None if there are none)."""
        item = self.compile(s["items"]) if "items" in s else None
        lo, hi = s.get("minItems"), s.get("maxItems")
        if item is None and lo is None and hi is None:
            return None

        def check(v: list) -> bool:
            if lo is not None and len(v) < lo:
                return False
            if hi is not None and len(v) > hi:
                return False
            if item is not None:
                for x in v:
                    if not item(x):
                        return False
            return True

        return check


def _nullable_other(schemas: list, branches: tuple) -> Check | None:
    """For ``oneOf: [{"type": "null"}, X]`` with X refusing null: X's check, else None."""
    if len(schemas) != 2 or schemas[0] != {"type": "null"}:
        return None
    other = branches[1]
    return None if other(None) else other


_PATTERN_CACHE_LIMIT = 200_000


def _cached_search(pattern: str) -> Callable[[str], bool]:
    """``re.search(pattern, v) is not None`` with the answer remembered per value: office codes,
    kinds, states and dates repeat across thousands of messages."""
    search = re.compile(pattern).search
    seen: dict[str, bool] = {}

    def check(v: str) -> bool:
        hit = seen.get(v)
        if hit is None:
            if len(seen) >= _PATTERN_CACHE_LIMIT:
                seen.clear()
            hit = seen[v] = search(v) is not None
        return hit

    return check


def compile_pointer(root: dict, pointer: str) -> Check:
    """A check for the sub-schema at ``pointer`` (e.g. "#/$defs/payload") of ``root``."""
    return Compiler(root).ref(pointer)
