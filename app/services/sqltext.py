"""Text search in SQL that behaves the same on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import Boolean
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class like_any_case(FunctionElement):
    """``like_any_case(column, pattern)``: ``column LIKE pattern`` ignoring the case of Latin
    letters, as SQLite's LIKE does by itself. PostgreSQL's LIKE is case-sensitive, so there it
    is ILIKE (``lower() LIKE lower()`` on SQLite would only cost time)."""

    type = Boolean()
    inherit_cache = True
    name = "like_any_case"


def _operands(element, compiler, kw) -> tuple[str, str]:
    column, pattern = element.clauses
    return compiler.process(column, **kw), compiler.process(pattern, **kw)


@compiles(like_any_case)
def _like(element, compiler, **kw) -> str:
    column, pattern = _operands(element, compiler, kw)
    return f"{column} LIKE {pattern}"


@compiles(like_any_case, "postgresql")
def _ilike(element, compiler, **kw) -> str:
    column, pattern = _operands(element, compiler, kw)
    return f"{column} ILIKE {pattern}"
