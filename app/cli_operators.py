"""Operator accounts on the command line (issue 7, item 6).

Once a database has accounts, a command that changes it needs ``--user NAME`` (or
``SHENGUAN_USER``) and the password (``SHENGUAN_PASSWORD`` or a prompt); read-only commands do
not. :func:`authorize` is called by :meth:`app.cli_common.Context.session` for every session:
a signed-in operator is put into it (audit log, role rules); without one, a commit that would
write anything is refused with one line.

``shenguan operators add|list|passwd|role|deactivate|unlock`` (管理员).
"""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session

from app.cli_common import Context, fmt_time, out, out_json, table
from app.services import offices, operators
from app.services.errors import ValidationError, WorkflowError

NEED_USER = ("本数据库已启用操作员账户：修改数据的命令须用 --user 用户名（或环境变量 SHENGUAN_USER）登录，"
             "密码取自环境变量 SHENGUAN_PASSWORD 或在终端中输入。")
ROLE_CHOICES = tuple(operators.ROLE_LABELS)
ROLE_HELP = "clerk 经办人、head 负责人、admin 管理员"


# -- who acts ----------------------------------------------------------------------------


def authorize(ctx: Context, session: Session) -> None:
    """Put the signed-in operator into ``session``, or refuse its writes (accounts enabled)."""
    state = getattr(ctx, "_accounts", None)
    if state is None:
        state = ctx._accounts = _sign_in(ctx)
    if state is True:  # accounts, nobody signed in: read only
        _read_only(session)
    elif state:
        operators.act_as(session, state)


def _sign_in(ctx: Context):
    """False (no accounts), True (accounts, no --user) or the signed-in Account."""
    with ctx.db.sessions() as s:
        if not operators.accounts_enabled(s):
            return False
    user = getattr(ctx.args, "user", None) or os.environ.get("SHENGUAN_USER")
    if not user:
        return True
    password = os.environ.get("SHENGUAN_PASSWORD")
    if password is None:
        password = ask_password(f"{user} 的密码：", "请在环境变量 SHENGUAN_PASSWORD 中给出密码，或在终端中运行以输入密码。")
    with ctx.db.sessions() as s:
        try:
            account = operators.sign_in(s, user, password)
        finally:
            s.commit()  # the failure count, also when refused
    return account


def _read_only(session: Session) -> None:
    wrote = []

    def after_flush(sess, _flush_context):
        wrote.append(True)

    def orm_execute(state):
        if state.is_insert or state.is_update or state.is_delete:
            wrote.append(True)

    def before_commit(sess):
        sess.flush()
        if wrote or sess.new or sess.dirty or sess.deleted:
            raise WorkflowError(NEED_USER)

    event.listen(session, "after_flush", after_flush)
    event.listen(session, "do_orm_execute", orm_execute)
    event.listen(session, "before_commit", before_commit)


def ask_password(prompt: str, no_tty: str) -> str:
    if not sys.stdin or not sys.stdin.isatty():
        raise ValidationError(no_tty, "password")
    return getpass.getpass(prompt)


def new_password(path: str | None, what: str) -> str:
    """A new password: the first line of ``path``, or typed twice at a prompt."""
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").splitlines()[0] if Path(path).stat().st_size else ""
        except OSError as exc:
            raise ValidationError(f"无法读取密码文件 {path}：{exc.strerror or exc}", "password") from exc
    no_tty = f"请用 --password-file 文件 给出{what}的密码，或在终端中运行以输入密码。"
    first = ask_password(f"{what}的新密码（至少 {operators.MIN_PASSWORD} 位，含字母和数字）：", no_tty)
    operators.validate_password(first)
    if ask_password("再输入一次：", no_tty) != first:
        raise ValidationError("两次输入的密码不一致。", "password")
    return first


# -- commands ----------------------------------------------------------------------------


def register(sub, parents) -> None:
    p = sub.add_parser("operators", parents=parents, help="操作员账户（管理员）",
                       description="操作员账户：经办人、负责人、管理员（仅管理员可管理）。")
    osub = p.add_subparsers(dest="operators_command", metavar="子命令", required=True)
    q = osub.add_parser("add", parents=parents, help="新建账户", description="新建操作员账户。")
    q.add_argument("username", metavar="USER", help="用户名（英文字母开头，字母、数字、_.-）")
    q.add_argument("--name", required=True, metavar="NAME", help="姓名（记录在每一次操作中）")
    q.add_argument("--role", required=True, choices=ROLE_CHOICES, help=f"角色：{ROLE_HELP}")
    q.add_argument("--office", metavar="CODE", help="所属本机单位代码（默认为唯一的本机单位）")
    q.add_argument("--password-file", metavar="FILE", help="从文件第一行读取密码（默认在终端中输入两次）")
    q.set_defaults(func=cmd_add)
    q = osub.add_parser("list", parents=parents, help="列出账户", description="列出操作员账户。")
    q.add_argument("--json", action="store_true", help="以 JSON 输出")
    q.set_defaults(func=cmd_list)
    q = osub.add_parser("passwd", parents=parents, help="修改密码",
                        description="不给用户名：修改本人（--user）的密码；给出他人用户名：管理员重设其密码。")
    q.add_argument("username", nargs="?", metavar="USER", help="要重设密码的账户（管理员）")
    q.add_argument("--password-file", metavar="FILE", help="从文件第一行读取新密码")
    q.set_defaults(func=cmd_passwd)
    q = osub.add_parser("role", parents=parents, help="设置角色", description="设置操作员的角色。")
    q.add_argument("username", metavar="USER")
    q.add_argument("role", choices=ROLE_CHOICES, help=ROLE_HELP)
    q.set_defaults(func=cmd_role)
    for name, text, fn in (("deactivate", "停用账户", cmd_deactivate), ("unlock", "解除锁定", cmd_unlock)):
        q = osub.add_parser(name, parents=parents, help=text, description=f"{text}。")
        q.add_argument("username", metavar="USER")
        q.set_defaults(func=fn)


def _office_id(ctx: Context, s: Session, code: str | None):
    local = offices.local_offices(s)
    if code:
        for o in local:
            if o.code == code.strip():
                return o.id
        raise ValidationError(f"没有代码为 {code} 的本机单位。", "office")
    return local[0].id if len(local) == 1 else None


def cmd_add(ctx: Context) -> int:
    a = ctx.args
    with ctx.session() as s:
        operators.require_admin(s, "管理操作员账户")  # before asking for a password
        password = new_password(a.password_file, a.username)
        acc = operators.create(s, a.username, a.name, password, a.role, _office_id(ctx, s, a.office))
        s.commit()
    out(f"已新建操作员账户：{acc.username}（{acc.display_name}，{acc.role_label}）")
    return 0


def cmd_list(ctx: Context) -> int:
    with ctx.session() as s:
        operators.require_admin(s, "查看操作员账户")
        rows = operators.list_operators(s)
    if ctx.args.json:
        out_json([r.__dict__ for r in rows])
        return 0
    if not rows:
        out("还没有操作员账户（未启用登录）。新建第一个管理员：shenguan operators add 用户名 --name 姓名 --role admin")
        return 0
    out(table(["用户名", "姓名", "角色", "状态", "最近登录"],
              [[r.username, r.display_name, r.role_label,
                "已停用" if not r.active else (f"锁定至 {fmt_time(r.locked_until)}" if r.locked_until else "正常"),
                fmt_time(r.last_sign_in)] for r in rows]))
    return 0


def cmd_passwd(ctx: Context) -> int:
    a = ctx.args
    with ctx.session() as s:
        me = operators.current(s)
        if a.username and (me is None or operators.normalize_username(a.username) != me.username):
            operators.require_admin(s, "重设他人密码")
            operators.find(s, a.username)
            operators.reset_password(s, a.username, new_password(a.password_file, a.username))
            who = a.username
        else:
            if me is None:
                raise WorkflowError("请用 --user 用户名 登录后修改本人的密码。")
            old = os.environ.get("SHENGUAN_PASSWORD") or ask_password("原密码：", NEED_USER)
            operators.change_password(s, me.username, old, new_password(a.password_file, me.username))
            who = me.username
        s.commit()
    out(f"已修改 {who} 的密码。")
    return 0


def cmd_role(ctx: Context) -> int:
    with ctx.session() as s:
        operators.set_role(s, ctx.args.username, ctx.args.role)
        s.commit()
    out(f"{ctx.args.username} 的角色已设为{operators.ROLE_LABELS[ctx.args.role]}。")
    return 0


def cmd_deactivate(ctx: Context) -> int:
    with ctx.session() as s:
        operators.deactivate(s, ctx.args.username)
        s.commit()
    out(f"已停用账户 {ctx.args.username}。")
    return 0


def cmd_unlock(ctx: Context) -> int:
    with ctx.session() as s:
        operators.unlock(s, ctx.args.username)
        s.commit()
    out(f"已解除 {ctx.args.username} 的锁定。")
    return 0
