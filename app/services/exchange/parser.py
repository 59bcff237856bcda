"""Strict JSON for files that come from outside: every refusal is a FileFormatError in Chinese.

Refused: invalid UTF-8 (and a byte-order mark), files above a size limit, nesting deeper than
a limit, duplicate object keys, NaN/Infinity, integers of more than 18 digits, non-finite or
any floats where none are expected, lone UTF-16 surrogates. Then a JSON Schema (jsonschema,
Draft 2020-12) checks the structure; the schemas are in resources/schemas/.

:func:`canonical` is the one serialisation whose bytes get signed: sorted keys, no spaces,
UTF-8. The schemas allow only strings, integers, booleans, null, arrays and objects in signed
parts, so the canonical bytes of a parsed value are unambiguous.
"""

from __future__ import annotations

import functools
import json
import math
import operator
import re
from itertools import accumulate, count
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from app.config import resources_dir
from app.services.errors import FileFormatError
from app.services.jsontext import json_error_reason

MAX_DEPTH = 32
MAX_INT_DIGITS = 18

# Bytes other than quotes and brackets, deleted before the depth count (see _depth).
_NOT_STRUCTURE = bytes(b for b in range(256) if b not in b'"[]{}')
# Opening brackets become 2, closing ones 0: the running sum minus the count is the depth.
_STEP = bytes.maketrans(b"[{]}", b"\x02\x02\x00\x00")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


class _Refused(Exception):
    pass


def canonical(value: Any) -> bytes:
    """The signed form of a value: sorted keys, compact, UTF-8 (no ASCII escaping)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def dumps_pretty(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=1, allow_nan=False).encode("utf-8")


def _pairs(pairs: list[tuple[str, Any]]) -> dict:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _Refused(f"键“{key[:40]}”重复出现")
            seen.add(key)
    return obj


def _constant(name: str):
    raise _Refused(f"含有 JSON 不允许的数值 {name}")


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise _Refused(f"数字过大（{len(text)} 位）")
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value) or len(text) > 40:
        raise _Refused(f"数字超出范围（{text[:20]}）")
    return value


def _depth(data: bytes) -> int:
    """The deepest nesting of brackets outside strings, before parsing.

    Works on bytes with C-speed passes (a bundle is tens of megabytes): escaped backslashes and
    escaped quotes are dropped first, so every remaining quote opens or closes a string; then
    everything but quotes and brackets; then the strings. Text
    that is not valid JSON may be miscounted here, but the parser refuses it anyway.
    """
    if b"\\" in data:  # rare in our files; each replace is a pass over the whole file
        data = data.replace(b"\\\\", b"").replace(b'\\"', b"")
    # Two adjacent quotes enclose nothing (an empty string, or the end of one string and the
    # start of the next), so dropping them keeps every bracket on its side; most strings hold
    # no bracket and vanish here, at C speed.
    skeleton = data.translate(None, _NOT_STRUCTURE).replace(b'""', b"")
    if b'"' in skeleton:
        skeleton = b"".join(skeleton.split(b'"')[::2])  # the pieces between strings
    steps = skeleton.translate(_STEP)
    return max(0, max(map(operator.sub, accumulate(steps), count(1)), default=0))


def _has_lone_surrogate(value: Any) -> bool:
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            try:
                v.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return False


def loads_strict(data: bytes, *, what: str, max_bytes: int, max_depth: int = MAX_DEPTH) -> Any:
    """Parse ``data`` (bytes) strictly; ``what`` names the file in messages (e.g. "数据包")."""
    if len(data) > max_bytes:
        raise FileFormatError(f"{what}过大：{len(data):,} 字节，上限 {max_bytes:,} 字节。")
    if data.startswith(b"\xef\xbb\xbf"):
        raise FileFormatError(f"{what}以字节顺序标记（BOM）开头，不是本程序生成的文件。")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FileFormatError(f"{what}不是有效的 UTF-8 文本（第 {exc.start + 1} 字节处）。") from None
    if not text.strip():
        raise FileFormatError(f"{what}是空文件。")
    depth = _depth(data)
    if depth > max_depth:
        raise FileFormatError(f"{what}的 JSON 嵌套过深（{depth} 层，上限 {max_depth} 层）。")
    try:
        value = json.loads(text, object_pairs_hook=_pairs, parse_constant=_constant,
                           parse_int=_int, parse_float=_float)
    except _Refused as exc:
        raise FileFormatError(f"{what}的 JSON 不合规：{exc}。") from None
    except json.JSONDecodeError as exc:
        raise FileFormatError(
            f"{what}不是完整有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{json_error_reason(exc.msg)}），"
            "文件可能被截断或损坏。"
        ) from None
    except (RecursionError, ValueError) as exc:
        raise FileFormatError(f"{what}的 JSON 无法解析（{type(exc).__name__}）。") from None
    if _SURROGATE_ESCAPE.search(text) and _has_lone_surrogate(value):
        raise FileFormatError(f"{what}的 JSON 不合规：含有不成对的 UTF-16 代理字符。")
    return value




# -- JSON Schema ------------------------------------------------------------------------------

SCHEMA_DIR_NAME = "schemas"


def schema_path(name: str) -> Path:
    return resources_dir() / SCHEMA_DIR_NAME / name


@functools.cache
def _registry() -> Registry:
    resources = []
    for path in sorted((resources_dir() / SCHEMA_DIR_NAME).glob("*.schema.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resources.append((schema["$id"], Resource.from_contents(schema)))
    return Registry().with_resources(resources)


@functools.cache
def validator(schema_id: str, pointer: str = "") -> Draft202012Validator:
    """A validator for the schema ``schema_id`` (or one of its ``$defs`` via ``pointer``)."""
    ref = schema_id + (f"#{pointer}" if pointer else "")
    return Draft202012Validator({"$ref": ref}, registry=_registry())


@functools.cache
def fast_check(schema_id: str, pointer: str):
    """The compiled yes/no check of a schema entry (app.services.exchange.fastschema)."""
    from app.services.exchange.fastschema import compile_pointer

    doc = _registry().contents(schema_id)
    return compile_pointer(doc, "#" + pointer)


def validate_fast(value: Any, schema_id: str, *, what: str, pointer: str) -> None:
    """:func:`validate` for large documents: a compiled yes/no check of the same schema first
    (app.services.exchange.fastschema); jsonschema only to word an error."""
    if fast_check(schema_id, pointer)(value):
        return
    validate(value, schema_id, what=what, pointer=pointer)
    raise FileFormatError(f"{what}的内容不符合格式规范。")


def validate(value: Any, schema_id: str, *, what: str, pointer: str = "") -> None:
    """Raise FileFormatError naming the first place where ``value`` breaks the schema."""
    v = validator(schema_id, pointer)
    error = next(iter(v.iter_errors(value)), None)
    if error is None:
        return
    best = _deepest(error)
    where = "/".join(str(p) for p in best.absolute_path) or "（顶层）"
    raise FileFormatError(f"{what}的内容不符合格式规范（位置 {where}：{_schema_reason(best)}）。")


def _deepest(error):
    while error.context:
        # The deepest error; of equally deep ones (oneOf branches) the one that is not a type clash.
        error = max(error.context, key=lambda e: (len(e.absolute_path), e.validator != "type"))
    return error


def _schema_reason(error) -> str:
    v = error.validator
    if v == "required":
        missing = [k for k in error.validator_value if isinstance(error.instance, dict) and k not in error.instance]
        return f"缺少字段 {', '.join(missing) or error.validator_value}"
    if v == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return f"有未知字段 {', '.join(e[:40] for e in extra)}"
    if v in ("const", "enum"):
        shown = json.dumps(error.instance, ensure_ascii=False)[:60]
        return f"值 {shown} 不被接受"
    if v == "type":
        return f"类型应为 {error.validator_value}"
    if v in ("maxLength", "maxItems", "maximum"):
        return f"超出上限 {error.validator_value}"
    if v in ("minLength", "minItems", "minimum"):
        return f"低于下限 {error.validator_value}"
    if v == "pattern":
        return "格式不对"
    return f"{v} 检查未通过"
