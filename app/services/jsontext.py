"""Plain-Chinese reasons for the standard JSON parser's error messages.

Shared by every reader of files from outside (calendar files, exchange bundles, rosters),
so a clerk reads the same words for the same mistake whatever the file.
"""

from __future__ import annotations

_REASONS = {
    "Expecting value": "此处缺少值",
    "Expecting property name enclosed in double quotes": "应为英文双引号括起的键名（是否多了逗号？）",
    "Expecting ',' delimiter": "缺少逗号",
    "Expecting ':' delimiter": "缺少冒号",
    "Unterminated string starting at": "字符串缺少结束的双引号",
    "Extra data": "JSON 结束后还有多余内容",
    "Invalid control character at": "字符串中有换行等控制字符",
    "Invalid \\escape": "无效的反斜杠转义",
}


def json_error_reason(msg: str) -> str:
    """``json.JSONDecodeError.msg`` in Chinese (the original text when it is not known)."""
    return _REASONS.get(msg, msg)
