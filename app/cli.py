"""The command line: ``shenguan …`` — the same services as the desktop program.

Every error the user can cause is one Chinese line on stderr starting with ``错误：`` and a
non-zero exit status (2 for a wrong command line or invalid input, 1 otherwise); a command
either completes and commits, or changes nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys

from sqlalchemy.exc import SQLAlchemyError

from app import (
    cli_admin,
    cli_catalogue,
    cli_exchange,
    cli_forms,
    cli_lists,
    cli_results,
    cli_workdays,
)
from app.cli_common import CliParser, Context, UsageError, db_error_text, stderr_line
from app.services.errors import ShenGuanError, ValidationError

DESCRIPTION = """审管通（ShenGuan）命令行：审批结果推送、签收、监管与工作日期限
（营口市相对集中行政许可权实施办法（试行），营政办发〔2020〕25号）。

示例：
  shenguan init --code YK-SPJ --name 营口市行政审批局 --role approval --jurisdiction 市本级
  shenguan workdays add 2026-02-13 2
  shenguan results list --view overdue
  shenguan --home D:\\审管通演示 demo
"""


def _global_options(parser: argparse.ArgumentParser, default=None) -> None:
    group = parser.add_argument_group("全局选项（写在命令之前或之后均可）")
    group.add_argument("--home", metavar="DIR", default=default,
                       help="数据目录（默认取环境变量 SHENGUAN_HOME，否则为本用户的数据目录）")
    group.add_argument("--db", metavar="URL", default=default,
                       help="数据库地址，如 postgresql://… （默认取 SHENGUAN_DB，否则为数据目录中的 SQLite）")
    group.add_argument("--operator", metavar="NAME", default=default,
                       help="经办人姓名（默认取 SHENGUAN_OPERATOR，否则为设置中的经办人，否则为系统用户名）")
    group.add_argument("--user", metavar="NAME", default=default,
                       help="操作员用户名（已启用账户时修改数据须登录；默认取 SHENGUAN_USER，"
                            "密码取 SHENGUAN_PASSWORD 或在终端中输入）")


def build_parser() -> CliParser:
    parser = CliParser(prog="shenguan", description=DESCRIPTION)
    parser.add_argument("--version", action="version", version="审管通 ShenGuan 0.1.0",
                        help="显示版本号并退出")
    _global_options(parser)
    # The same options after the command too; SUPPRESS keeps a value given before it.
    common = argparse.ArgumentParser(add_help=False)
    _global_options(common, argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="命令", required=True)
    cli_admin.register(sub, [common])
    cli_workdays.register(sub, [common])
    cli_results.register(sub, [common])
    cli_exchange.register(sub, [common])
    cli_forms.register(sub, [common])
    cli_catalogue.register(sub, [common])
    cli_lists.register(sub, [common])  # after catalogue: adds its import-xlsx/export-xlsx
    from app import cli_sheets  # Art. 8 ¶1–4 and Art. 11: sheets, consent, policy, letters

    cli_sheets.register(sub, [common])
    __import__("app.cli_enforcement").cli_enforcement.register(sub, [common])  # Art. 19, 20 (+ forms)
    __import__("app.cli_cooperation").cli_cooperation.register(sub, [common])  # Art. 9–13
    __import__("app.cli_oversight").cli_oversight.register(sub, [common])  # Art. 21, monthly summary
    __import__("app.cli_audit").cli_audit.register(sub, [common])  # the audit log (issue 7)
    __import__("app.cli_operators").cli_operators.register(sub, [common])  # accounts (issue 7)
    __import__("app.cli_backup").cli_backup.register(sub, [common])  # backups (issue 7)
    return parser


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        # A console that cannot show a character must not crash the program.
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="replace")
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else [str(a) for a in argv]
    if any("\x00" in a for a in argv):  # only possible in process: no OS passes one
        stderr_line("命令行参数中含有空字符（U+0000），请删除后重新输入。")
        return 2
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        stderr_line(str(exc))
        return 2
    except SystemExit as exc:  # -h / --version
        return exc.code if isinstance(exc.code, int) else 0
    ctx = Context(args)
    try:
        return int(args.func(ctx) or 0)
    except ValidationError as exc:
        stderr_line(exc.message)
        return 2
    except ShenGuanError as exc:
        stderr_line(exc.message)
        return 1
    except SQLAlchemyError as exc:
        stderr_line(f"数据库操作失败，未做任何更改：{db_error_text(exc)}")
        return 1
    except BrokenPipeError:  # output piped into e.g. `head`, which stopped reading
        with contextlib.suppress(OSError, ValueError, AttributeError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except KeyboardInterrupt:
        stderr_line("已取消，未做任何更改。")
        return 130
    except Exception as exc:  # a bug: still one line, never a traceback
        stderr_line(f"程序内部错误（{type(exc).__name__}：{exc}），未做任何更改。请把这行信息告知技术支持。")
        return 1
    finally:
        ctx.close()


if __name__ == "__main__":
    raise SystemExit(main())
