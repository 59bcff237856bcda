"""Shared pieces of the command line: the Chinese argparse, argument types, the context
(database, acting office, operator) and output helpers.

Kept apart from :mod:`app.cli` so the ``cli_*`` command modules never import ``app.cli``
(which runs as ``__main__`` under ``python -m app.cli``).
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import re
import sys
import unicodedata
import uuid
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.bootstrap import open_app_database
from app.config import resolve_db_url, resolve_home
from app.db import Database
from app.models import ApprovalResult, Office
from app.services import audit, offices, operators, settings, textinput
from app.services.errors import NotFoundError, ShenGuanError, ValidationError, WorkflowError
from app.services.workdays import WorkCalendar, load_calendar

MAX_DAYS = 3650  # working days; more is certainly a typing error
MIN_PREFIX = 8


class UsageError(Exception):
    """The command line itself is wrong (argparse); exit status 2."""


# argparse's English messages, as (pattern, Chinese template).
_ARGPARSE_MESSAGES = tuple((re.compile(p), t) for p, t in (
    (r"^the following arguments are required: (.*)$", "缺少必填参数：{0}"),
    (r"^unrecognized arguments: (.*)$", "无法识别的参数：{0}"),
    (r"^ambiguous option: (\S+) could match (.*)$", "选项 {0} 不明确，可能是：{1}"),
    (r"^argument (.+?): invalid choice: (.*?) \(choose from (.*)\)$", "参数 {0} 的值 {1} 无效，可选：{2}"),
    (r"^argument (.+?): expected one argument$", "参数 {0} 后面需要填写一个值"),
    (r"^argument (.+?): expected .*$", "参数 {0} 后面缺少值"),
    (r"^argument (.+?): invalid \S+ value: (.*)$", "参数 {0} 的值 {1} 无效"),
    (r"^argument (.+?): not allowed with argument (.*)$", "参数 {0} 不能与 {1} 同时使用"),
    (r"^argument (.+?): ignored explicit argument (.*)$", "参数 {0} 不接受值 {1}"),
    (r"^argument (.+?): (.*)$", "参数 {0}：{1}"),
))


def translate_argparse(message: str) -> str:
    for pattern, template in _ARGPARSE_MESSAGES:
        m = pattern.match(message)
        if m:
            return template.format(*m.groups())
    return message


class ChineseHelpFormatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, prefix if prefix is not None else "用法：")


class CliParser(argparse.ArgumentParser):
    """ArgumentParser with Chinese help and one-line errors raised as :class:`UsageError`."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本帮助并退出")

    def error(self, message: str):
        raise UsageError(f"{translate_argparse(message)}（用法见 {self.prog} -h）")


# -- argument types (messages end up after "参数 X：") --------------------------------------

_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")


def date_arg(text: str) -> date:
    value = unicodedata.normalize("NFKC", text or "").strip()
    for fmt in _DATE_FORMATS:
        try:
            day = datetime.strptime(value, fmt).date()
        except ValueError:
            continue
        if not 1900 <= day.year <= 2200:
            break
        return day
    why = ""
    try:
        textinput.parse_date(value, None, "日期")
    except ValidationError as exc:  # says why, e.g. 2026年2月只有28天
        why = "：" + exc.message.split("不存在：", 1)[1].split("，")[0] if "不存在：" in exc.message else ""
    raise argparse.ArgumentTypeError(f"日期“{textinput.shorten(text, 30)}”无效{why}，请写成 YYYY-MM-DD，例如 2026-11-25")


def days_arg(text: str) -> int:
    try:
        n = int(unicodedata.normalize("NFKC", text).strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是整数，工作日天数请写成数字，例如 2") from None
    if not 1 <= n <= MAX_DAYS:
        raise argparse.ArgumentTypeError(f"工作日天数应在 1 到 {MAX_DAYS} 之间，现在是 {n}")
    return n


def count_arg(text: str) -> int:
    raw = unicodedata.normalize("NFKC", text).strip()
    shown = textinput.shorten(raw)
    if len(raw) > 18:  # beyond any count this program takes (and int() refuses 4,300+ digits)
        raise argparse.ArgumentTypeError(f"“{shown}”过大：请填写不超过18位的整数")
    try:
        n = int(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{shown}”不是整数") from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"不能为负数（{n}）")
    return n


# -- the context of one command -------------------------------------------------------------


def one_line(text: object) -> str:
    return " ".join(str(text).split())


def db_error_text(exc: BaseException) -> str:
    """A short one-line text for a database error, without SQLAlchemy's background link."""
    orig = getattr(exc, "orig", None)
    return one_line(orig if orig is not None else str(exc).split("\n")[0])


class Context:
    """What a command needs: its arguments, the database (opened on first use), who acts."""

    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.home: Path | None = None
        self._db: Database | None = None

    @property
    def db(self) -> Database:
        if self._db is None:
            self.home, self._db = _open(self.args)
        return self._db

    def session(self) -> Session:
        s = self.db.sessions()
        # Who acts, for the audit log; refined by operator() and acting_office().
        audit.set_actor(s, operator=(self.args.operator or os.environ.get("SHENGUAN_OPERATOR") or None))
        # Operator accounts (issue 7): the signed-in operator, or no writes at all.
        from app.cli_operators import authorize

        authorize(self, s)
        return s

    def close(self) -> None:
        if self._db is not None:
            self._db.engine.dispose()

    def operator(self, session: Session) -> str:
        """The signed-in operator's name (accounts enabled); else --operator, else
        SHENGUAN_OPERATOR, else the saved setting, else the OS user."""
        account = operators.current(session)
        if account is not None:
            return account.display_name
        name = self.args.operator or os.environ.get("SHENGUAN_OPERATOR") or settings.get(session, settings.OPERATOR)
        if not name:
            try:
                name = getpass.getuser()
            except Exception:  # no user name in this environment
                name = ""
        audit.set_actor(session, operator=name.strip()[:64] or None)
        return name.strip()[:64]

    def acting_office(self, session: Session) -> Office:
        """--as CODE among this installation's offices, or the only local office."""
        local = offices.local_offices(session)
        code = getattr(self.args, "acting", None)
        if not local:
            raise WorkflowError(
                "本数据库尚未设置本单位，请先运行 shenguan init --code … --name … --role … "
                "--jurisdiction …（或用 shenguan demo 生成演示数据）。"
            )
        if code:
            for office in local:
                if office.code == code.strip():
                    audit.set_actor(session, office=office.code)
                    return office
            known = session.scalar(select(Office).where(Office.code == code.strip()))
            codes = "、".join(o.code for o in local)
            if known is None:
                raise NotFoundError(f"没有代码为 {code} 的单位。本机单位：{codes}。")
            raise WorkflowError(f"{known.name}（{known.code}）不是本机的单位，不能以它的名义办理。本机单位：{codes}。")
        if len(local) == 1:
            audit.set_actor(session, office=local[0].code)
            return local[0]
        codes = "、".join(f"{o.code}（{o.name}）" for o in local)
        raise ValidationError(f"本数据库有多个本机单位（演示模式），请用 --as 指定以哪个单位办理：{codes}。", "as")

    def calendar(self, session: Session) -> WorkCalendar:
        return load_calendar(session)


def _open(args: argparse.Namespace) -> tuple[Path, Database]:
    try:
        home = resolve_home(args.home)
        url = resolve_db_url(args.db, home)
    except (OSError, RuntimeError) as exc:
        raise ShenGuanError(f"无法确定数据目录：{one_line(exc)}") from exc
    shown = shown_url(url)
    try:
        return open_app_database(args.home, args.db)
    except ShenGuanError as exc:
        message = one_line(exc.message)
        if shown not in message:
            message = f"{message}（数据库地址：{shown}）"
        raise ShenGuanError(message) from exc
    except SQLAlchemyError as exc:
        raise ShenGuanError(f"无法打开数据库（{shown}）：{db_error_text(exc)}") from exc
    except OSError as exc:
        raise ShenGuanError(f"无法打开数据库（{shown}）：{one_line(exc.strerror or exc)}") from exc


def shown_url(url: str) -> str:
    """The database URL fit to print: without its password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "（无效的数据库地址）"


def find_result(session: Session, text: str) -> ApprovalResult:
    """A result by its full UUID or by a unique prefix of at least 8 hex digits."""
    raw = (text or "").strip().lower()
    hexes = raw.replace("-", "")
    if not hexes or not re.fullmatch(r"[0-9a-f]+", hexes) or len(hexes) > 32:
        raise NotFoundError(f"“{text}”不是有效的记录编号：应为完整编号或其前至少 {MIN_PREFIX} 位十六进制字符。")
    if len(hexes) == 32:
        result = session.get(ApprovalResult, uuid.UUID(hexes))
        if result is None:
            raise NotFoundError(f"没有编号为 {uuid.UUID(hexes)} 的审批结果。")
        return result
    if len(hexes) < MIN_PREFIX:
        raise NotFoundError(f"记录编号“{text}”太短：请至少输入前 {MIN_PREFIX} 位。")
    # UUIDs sort like their hex text (SQLite) or bytes (PostgreSQL): a prefix is a range.
    low = uuid.UUID(hexes.ljust(32, "0"))
    high = uuid.UUID(hexes.ljust(32, "f"))
    found = list(session.scalars(
        select(ApprovalResult).where(ApprovalResult.id.between(low, high)).order_by(ApprovalResult.id).limit(5)
    ))
    if not found:
        raise NotFoundError(f"没有编号以 {text} 开头的审批结果。")
    if len(found) > 1:
        shown = "、".join(str(r.id) for r in found[:3])
        raise NotFoundError(f"以 {text} 开头的审批结果不止一条（{shown}…），请多输入几位。")
    return found[0]


# -- output ---------------------------------------------------------------------------------


def out(text: str = "") -> None:
    print(text)


def to_jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    return value


def out_json(value: Any) -> None:
    print(json.dumps(to_jsonable(value), ensure_ascii=False, indent=2))


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def clip(text: str, limit: int) -> str:
    if width(text) <= limit:
        return text
    while width(text) > limit - 1:
        text = text[:-1]
    return text + "…"


def table(headers: list[str], rows: list[list[str]], limits: list[int] | None = None) -> str:
    """A plain text table aligned for CJK (full-width characters count twice)."""
    if limits:
        rows = [[clip(c, lim) for c, lim in zip(r, limits, strict=True)] for r in rows]
    widths = [max([width(h)] + [width(r[i]) for r in rows]) for i, h in enumerate(headers)]
    lines = []
    for row in [headers, *rows]:
        cells = [c + " " * (w - width(c)) for c, w in zip(row, widths, strict=True)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def show_rows(ctx: Context, rows: list[dict], *, empty: str, headers: list[str],
              cells: Callable[[dict], list[str]], limits: list[int] | None = None,
              footer: Callable[[list[dict]], str] | None = None) -> int:
    """A list command's output: the rows as JSON (--json), else ``empty`` when there are none,
    else a table of ``cells(row)`` under ``headers`` (and the ``footer(rows)`` line)."""
    if ctx.args.json:
        out_json(rows)
    elif not rows:
        out(empty)
    else:
        out(table(headers, [cells(r) for r in rows], limits))
        if footer is not None:
            out(footer(rows))
    return 0


def fmt_time(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


def stderr_line(text: str) -> None:
    print(f"错误：{one_line(text)}", file=sys.stderr)
