"""A fast yes/no check for the JSON Schema subset our schemas use, compiled to Python code.

A bundle holds up to 50,000 messages and jsonschema takes about a millisecond per message.
This compiles the *same schema document* (resources/schemas/bundle-v1.schema.json; nothing is
restated by hand) into the source of plain Python functions — one per ``$ref`` target, with
the checks of simple values written inline — and ``exec``s it once. It answers only "valid or
not"; when it says "not valid", jsonschema runs on the value to find and word the error, so
jsonschema stays the reference, and tests check that both agree on mutated messages.

An unsupported keyword raises at compile time: a schema change cannot be silently ignored.
The generated code only contains names made here and constants passed in the namespace, never
text from the schema, so a schema cannot inject code.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Check = Callable[[Any], bool]
ANNOTATIONS = {"title", "description", "$schema", "$id", "$comment", "$defs"}
KEYWORDS = {"$ref", "type", "const", "enum", "pattern", "minLength", "maxLength", "minimum",
            "maximum", "required", "properties", "additionalProperties", "items", "minItems",
            "maxItems", "oneOf"}
# Keywords that need a function of their own (the rest is written inline as one expression).
STRUCTURAL = {"$ref", "required", "properties", "additionalProperties", "items", "oneOf"}

TYPE_TESTS = {
    "string": "type({v}) is str",
    "integer": "(type({v}) is int or (type({v}) is float and {v}.is_integer()))",
    "number": "type({v}) in (int, float)",
    "boolean": "type({v}) is bool",
    "null": "{v} is None",
    "object": "type({v}) is dict",
    "array": "type({v}) is list",
}
KIND = {"string": "str", "object": "dict", "array": "list"}

_PATTERN_CACHE_LIMIT = 200_000


def _equal(a: Any, b: Any) -> bool:
    if type(a) is bool or type(b) is bool:
        return type(a) is type(b) and a == b
    return a == b


def _pattern_check(pattern: str) -> tuple[dict, Check]:
    """(cache of values known to match, the check that fills it): office codes, kinds, states
    and dates repeat across thousands of messages, so most checks are one dict lookup."""
    search = re.compile(pattern).search
    seen: dict[str, bool] = {}

    def check(v: str) -> bool:
        if search(v) is None:
            return False
        if len(seen) >= _PATTERN_CACHE_LIMIT:
            seen.clear()
        seen[v] = True
        return True

    return seen, check


class _Generator:
    def __init__(self, root: dict):
        self.root = root
        self.namespace: dict[str, Any] = {"_equal": _equal}
        self.functions: list[str] = []
        self.refs: dict[str, str] = {}
        self.count = 0

    def name(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}{self.count}"

    def constant(self, value: Any, prefix: str = "_k") -> str:
        name = self.name(prefix)
        self.namespace[name] = value
        return name

    # -- one function per $ref target and per structural node -----------------------------

    def ref(self, pointer: str) -> str:
        if not pointer.startswith("#/"):
            raise ValueError(f"only local $ref is supported: {pointer}")
        if pointer not in self.refs:
            self.refs[pointer] = name = self.name("_ref")  # set first: allows recursion
            node = self.root
            for part in pointer[2:].split("/"):
                node = node[part]
            self.function(name, node)
        return self.refs[pointer]

    def function(self, name: str, s: dict) -> None:
        lines = [f"def {name}(v):"]
        lines += self.statements(s, "v", "    ")
        lines.append("    return True")
        self.functions.append("\n".join(lines))

    def call(self, s: dict, v: str) -> str:
        """An expression that is true when ``v`` satisfies ``s``."""
        if set(s) & STRUCTURAL:
            if set(s) - ANNOTATIONS == {"$ref"}:
                return f"{self.ref(s['$ref'])}({v})"
            name = self.name("_node")
            self.function(name, s)
            return f"{name}({v})"
        return self.simple(s, v)

    # -- statements ---------------------------------------------------------------------------

    def statements(self, s: dict, v: str, ind: str) -> list[str]:
        unknown = set(s) - ANNOTATIONS - KEYWORDS
        if unknown:
            raise ValueError(f"unsupported schema keywords: {sorted(unknown)}")
        out: list[str] = []
        if "$ref" in s:
            out.append(f"{ind}if not {self.ref(s['$ref'])}({v}): return False")
        simple = self.simple({k: s[k] for k in s if k not in STRUCTURAL}, v)
        if simple != "True":
            out.append(f"{ind}if not ({simple}): return False")
        typ = s.get("type")
        obj = self.object_statements(s, v, ind + ("" if typ == "object" else "    "))
        if obj:
            out += ([] if typ == "object" else [f"{ind}if type({v}) is dict:"]) + obj
        arr = self.array_statements(s, v, ind + ("" if typ == "array" else "    "))
        if arr:
            out += ([] if typ == "array" else [f"{ind}if type({v}) is list:"]) + arr
        if "oneOf" in s:
            out += self.one_of(s["oneOf"], v, ind)
        return out

    def object_statements(self, s: dict, v: str, ind: str) -> list[str]:
        req = list(s.get("required", ()))
        props = s.get("properties", {})
        closed = "additionalProperties" in s
        if closed and s["additionalProperties"] is not False:
            raise ValueError("only additionalProperties: false is supported")
        out: list[str] = []
        if closed and set(req) == set(props):  # exactly these keys: one set comparison
            out.append(f"{ind}if {v}.keys() != {self.constant(frozenset(props))}: return False")
            present = set(props)
        else:
            if req:
                out.append(f"{ind}if not {v}.keys() >= {self.constant(frozenset(req))}: return False")
            if closed:
                out.append(f"{ind}if not {v}.keys() <= {self.constant(frozenset(props))}: return False")
            present = set(req)
        for key, sub in props.items():
            x = self.name("_x")
            test = self.call(sub, x)
            if test == "True":
                continue
            k = self.constant(key)
            if key in present:
                out.append(f"{ind}{x} = {v}[{k}]")
                out.append(f"{ind}if not ({test}): return False")
            else:
                out.append(f"{ind}if {k} in {v}:")
                out.append(f"{ind}    {x} = {v}[{k}]")
                out.append(f"{ind}    if not ({test}): return False")
        return out

    def array_statements(self, s: dict, v: str, ind: str) -> list[str]:
        out: list[str] = []
        if "minItems" in s:
            out.append(f"{ind}if len({v}) < {int(s['minItems'])}: return False")
        if "maxItems" in s:
            out.append(f"{ind}if len({v}) > {int(s['maxItems'])}: return False")
        if "items" in s:
            x = self.name("_x")
            out.append(f"{ind}for {x} in {v}:")
            out.append(f"{ind}    if not ({self.call(s['items'], x)}): return False")
        return out

    def one_of(self, branches: list[dict], v: str, ind: str) -> list[str]:
        if len(branches) == 2 and branches[0] == {"type": "null"} and self._refuses_null(branches[1]):
            return [f"{ind}if {v} is not None and not ({self.call(branches[1], v)}): return False"]
        tests = ", ".join(f"({self.call(b, v)})" for b in branches)
        return [f"{ind}if sum(1 for _t in ({tests},) if _t) != 1: return False"]

    def _refuses_null(self, s: dict) -> bool:
        """Statically: ``s`` cannot accept null (its type is another, or it is a $ref to such)."""
        if s.get("type") not in (None, "null") and isinstance(s["type"], str):
            return True
        if set(s) - ANNOTATIONS == {"$ref"} and s["$ref"].startswith("#/"):
            node = self.root
            for part in s["$ref"][2:].split("/"):
                node = node[part]
            return self._refuses_null(node)
        return False

    # -- one expression for the keywords of simple values -------------------------------------

    def simple(self, s: dict, v: str) -> str:
        unknown = set(s) - ANNOTATIONS - KEYWORDS
        if unknown:
            raise ValueError(f"unsupported schema keywords: {sorted(unknown)}")
        parts: list[str] = []
        typ = s.get("type")
        if typ is not None:
            if typ not in TYPE_TESTS:
                raise ValueError(f"unsupported type: {typ!r}")
            parts.append(TYPE_TESTS[typ].format(v=v))
        string = []
        if "minLength" in s:
            string.append(f"len({v}) >= {int(s['minLength'])}")
        if "maxLength" in s:
            string.append(f"len({v}) <= {int(s['maxLength'])}")
        if "pattern" in s:
            seen, check = _pattern_check(s["pattern"])
            string.append(f"({self.constant(seen, '_seen')}.get({v}) or "
                          f"{self.constant(check, '_pat')}({v}))")
        if string:
            body = " and ".join(string)
            parts.append(body if typ == "string" else f"(type({v}) is not str or ({body}))")
        numeric = []
        if "minimum" in s:
            numeric.append(f"{v} >= {self.constant(s['minimum'])}")
        if "maximum" in s:
            numeric.append(f"{v} <= {self.constant(s['maximum'])}")
        if numeric:
            parts.append(f"(type({v}) not in (int, float) or ({' and '.join(numeric)}))")
        for key in ("const", "enum"):
            if key in s:
                options = [s[key]] if key == "const" else list(s[key])
                if all(type(o) is str for o in options):
                    parts.append(f"(type({v}) is str and {v} in {self.constant(frozenset(options))})")
                else:
                    parts.append(f"any(_equal({v}, _o) for _o in {self.constant(tuple(options))})")
        return " and ".join(parts) or "True"


def compile_pointer(root: dict, pointer: str) -> Check:
    """A check for the sub-schema at ``pointer`` (e.g. "#/$defs/payload") of ``root``."""
    gen = _Generator(root)
    entry = gen.ref(pointer)
    namespace = dict(gen.namespace)
    exec(compile("\n\n".join(gen.functions), f"<fastschema {pointer}>", "exec"), namespace)  # noqa: S102
    return namespace[entry]
