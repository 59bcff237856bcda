"""Operator accounts: who works at this installation, in which role (issue 7, item 6).

Roles: 经办人 ``clerk`` (records and pushes), 负责人 ``head`` (the binding answers: sign-off,
return, consent, acceptance, licence decisions — see ``rules.Transition.role``), 管理员
``admin`` (accounts, exchange keys, the calendar import and the office roster).

Who is signed in is put into ``session.info`` with :func:`act_as` (its display name also goes
into the audit log through :func:`app.services.audit.set_actor`). Checks — :func:`check_role`
(the dispatch engine) and :func:`require_admin` (entry points of the admin-only services) —
read it from there and decide with :func:`allows`, which the GUI asks too before it offers
an entry (so the two cannot disagree). A database without any account (older installations,
most tests) has no roles: the checks pass, as before accounts existed.

Functions never commit; :func:`sign_in` changes the failure counter also when it refuses,
so its caller commits in both cases.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import clock
from app.models import Operator
from app.services import audit, passwords, rules, textinput
from app.services.errors import NotFoundError, ValidationError, WorkflowError

CLERK, HEAD, ADMIN = "clerk", "head", "admin"
ROLE_LABELS = {CLERK: "经办人", HEAD: "负责人", ADMIN: "管理员"}
MAX_FAILURES = 5
LOCK_MINUTES = 15
MIN_PASSWORD = 10
MAX_PASSWORD = 128
WRONG = "用户名或密码不正确"
_USERNAME = re.compile(r"[a-z][a-z0-9_.-]{1,31}")
ACCOUNT = "operator_account"  # session.info key: the signed-in Account
_ENABLED = "operator_accounts_enabled"  # session.info cache


@dataclass(frozen=True)
class Account:
    """A signed-in operator as plain values (kept by the GUI and CLI, put into sessions)."""

    id: uuid.UUID
    username: str
    display_name: str
    role: str
    office_id: uuid.UUID | None

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)


@dataclass(frozen=True)
class OperatorRow:
    username: str
    display_name: str
    role: str
    role_label: str
    office_id: uuid.UUID | None
    active: bool
    locked_until: datetime | None
    failed_attempts: int
    last_sign_in: datetime | None


class SignInRefused(WorkflowError):
    """Wrong user name or password, a locked or a deactivated account."""


def _account(op: Operator) -> Account:
    return Account(op.id, op.username, op.display_name, op.role, op.office_id)


# -- who acts ----------------------------------------------------------------------------


def act_as(session: Session, account: Account | None) -> None:
    """Record ``account`` as the operator acting in ``session`` (audit and role checks)."""
    if account is None:
        session.info.pop(ACCOUNT, None)
        return
    session.info[ACCOUNT] = account
    audit.set_actor(session, operator=account.display_name)


def current(session: Session) -> Account | None:
    return session.info.get(ACCOUNT)


def accounts_enabled(session: Session) -> bool:
    """True once any operator account exists in this database."""
    if session.info.get(_ENABLED):
        return True
    enabled = session.scalar(select(Operator.id).limit(1)) is not None
    if enabled:
        session.info[_ENABLED] = True
    return enabled


def allows(who: Account | None, role: str | None, *, enabled: bool) -> bool:
    """May ``who`` do work that needs ``role``? The one answer for the checks below and for
    the GUI, which hides or disables what this refuses. No role needed, or a database without
    accounts (``enabled`` False): anyone may."""
    return role is None or not enabled or (who is not None and who.role == role)


def step_role(kind: str, source: str, action: str) -> str | None:
    """The role the rules table asks for ``action`` from ``source`` (None: any operator)."""
    t = rules.rule(kind).transition(source, action)
    return t.role if t is not None else None


def only_text(role: str) -> str:
    """Why an entry is not offered to this operator: “仅管理员可用”."""
    return f"仅{ROLE_LABELS.get(role, role)}可用"


def check_role(session: Session, role: str, what: str) -> None:
    """Refuse unless the signed-in operator has ``role`` (no accounts: no check)."""
    who = current(session)
    if allows(who, role, enabled=who is not None or accounts_enabled(session)):
        return
    if who is None:
        raise WorkflowError(f"本数据库已启用操作员账户，请先登录，再{what}。")
    if who.role != role:
        raise WorkflowError(f"只有{ROLE_LABELS[role]}可以{what}"
                            f"（当前操作员：{who.display_name}，{who.role_label}）。")


def require_admin(session: Session, what: str) -> None:
    """The guard of everything only 管理员 may do: accounts, keys, calendar, roster."""
    check_role(session, ADMIN, what)


# -- validation --------------------------------------------------------------------------


def normalize_username(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").strip().lower()


def validate_username(text: str) -> str:
    name = normalize_username(text)
    if not name:
        raise ValidationError("请填写用户名。", "username")
    if not _USERNAME.fullmatch(name):
        # Control and invisible characters named by position, never echoed; a long value clipped.
        textinput.check_invisible(text, "username", "用户名")
        raise ValidationError("用户名须为 2–32 位英文字母、数字、下划线、点或连字符，并以字母开头，"
                              f"例如 zhangsan（现在是“{textinput.shorten((text or '').strip(), 32)}”）。",
                              "username")
    return name


def validate_display_name(text: str) -> str:
    """A person's name by the one policy (textinput.clean_name): lookalike Cyrillic/Greek
    letters and styled letters are refused, full-width letters and digits made half-width."""
    return textinput.clean_name(text, "display_name", "姓名", 32)


def validate_password(password: str, field: str = "password") -> str:
    password = password or ""
    if len(password) < MIN_PASSWORD:
        raise ValidationError(f"密码太短：至少 {MIN_PASSWORD} 个字符，现在是 {len(password)} 个。", field)
    if len(password) > MAX_PASSWORD:
        raise ValidationError(f"密码太长：最多 {MAX_PASSWORD} 个字符。", field)
    if not any(c.isascii() and c.isalpha() for c in password) or not any(c in "0123456789" for c in password):
        raise ValidationError("密码须同时包含英文字母和数字（0–9，半角）。", field)
    return password


def validate_role(role: str) -> str:
    if role not in ROLE_LABELS:
        raise ValidationError(f"角色“{role}”无效，可选：经办人 clerk、负责人 head、管理员 admin。", "role")
    return role


# -- accounts ----------------------------------------------------------------------------


def find(session: Session, username: str) -> Operator:
    op = session.scalar(select(Operator).where(Operator.username == normalize_username(username)))
    if op is None:
        raise NotFoundError(f"没有用户名为“{username}”的操作员账户。")
    return op


def create(session: Session, username: str, display_name: str, password: str, role: str,
           office_id: uuid.UUID | None = None) -> Account:
    """A new account. The first account of a database must be a 管理员; later ones are made
    by a signed-in 管理员."""
    first = not accounts_enabled(session)
    if not first:
        require_admin(session, "管理操作员账户")
    name = validate_username(username)
    shown = validate_display_name(display_name)
    validate_password(password)
    validate_role(role)
    if first and role != ADMIN:
        raise ValidationError("第一个操作员账户必须是管理员。", "role")
    if session.scalar(select(Operator.id).where(func.lower(Operator.username) == name)) is not None:
        raise ValidationError(f"用户名“{name}”已被使用，请换一个。", "username")
    op = Operator(id=uuid.uuid4(), username=name, display_name=shown, role=role, office_id=office_id,
                  password_hash=passwords.hash_password(password), failed_attempts=0,
                  locked_until=None, active=True, created_at=clock.now())
    session.add(op)
    session.flush()
    session.info[_ENABLED] = True
    return _account(op)


def list_operators(session: Session) -> list[OperatorRow]:
    ops = session.scalars(select(Operator).order_by(Operator.active.desc(), Operator.username))
    return [OperatorRow(o.username, o.display_name, o.role, ROLE_LABELS.get(o.role, o.role),
                        o.office_id, o.active, o.locked_until if _locked(o) else None,
                        o.failed_attempts, o.last_sign_in) for o in ops]


def change_password(session: Session, username: str, old: str, new: str) -> None:
    """The operator's own password: the old one must be right."""
    op = find(session, username)
    if not passwords.verify_password(old or "", op.password_hash):
        raise ValidationError("原密码不正确。", "old_password")
    if old == new:
        raise ValidationError("新密码不能与原密码相同。", "password")
    op.password_hash = passwords.hash_password(validate_password(new))


def reset_password(session: Session, username: str, new: str) -> None:
    require_admin(session, "重设他人密码")
    op = find(session, username)
    op.password_hash = passwords.hash_password(validate_password(new))
    op.failed_attempts, op.locked_until = 0, None


def _other_admins(session: Session, op: Operator) -> int:
    return session.scalar(select(func.count()).select_from(Operator).where(
        Operator.role == ADMIN, Operator.active.is_(True), Operator.id != op.id)) or 0


def set_role(session: Session, username: str, role: str) -> None:
    require_admin(session, "设置操作员角色")
    op = find(session, username)
    validate_role(role)
    if op.role == ADMIN and role != ADMIN and op.active and not _other_admins(session, op):
        raise WorkflowError(f"{op.display_name}是唯一的管理员，不能改为其他角色：请先设置另一位管理员。")
    op.role = role


def deactivate(session: Session, username: str) -> None:
    require_admin(session, "停用操作员账户")
    op = find(session, username)
    if op.role == ADMIN and op.active and not _other_admins(session, op):
        raise WorkflowError(f"{op.display_name}是唯一的管理员，不能停用：请先设置另一位管理员。")
    op.active = False


def unlock(session: Session, username: str) -> None:
    require_admin(session, "解锁操作员账户")
    op = find(session, username)
    op.failed_attempts, op.locked_until = 0, None


# -- sign-in -----------------------------------------------------------------------------


def _locked(op: Operator, now: datetime | None = None) -> bool:
    return op.locked_until is not None and op.locked_until > (now or clock.now())


def sign_in(session: Session, username: str, password: str) -> Account:
    """The operator named ``username`` if ``password`` is right; else :class:`SignInRefused`.
    Unknown user and wrong password get the same words. After :data:`MAX_FAILURES` failures
    in a row the account is locked for :data:`LOCK_MINUTES` minutes. Commit in both cases."""
    now = clock.now()
    name = normalize_username(username)
    # A name no account can have (e.g. with a NUL, which PostgreSQL refuses in a query) is unknown.
    op = session.scalar(select(Operator).where(Operator.username == name)) if _USERNAME.fullmatch(name) else None
    if op is None:
        passwords.burn_time(password or "")
        raise SignInRefused(f"{WRONG}。")
    if not op.active:  # said only to who knows the password
        right = passwords.verify_password(password or "", op.password_hash)
        raise SignInRefused("此账户已停用，请联系管理员。" if right else f"{WRONG}。")
    if _locked(op, now):
        raise SignInRefused(_locked_text(op.locked_until))
    if not passwords.verify_password(password or "", op.password_hash):
        op.failed_attempts = (op.failed_attempts or 0) + 1
        if op.failed_attempts >= MAX_FAILURES:
            op.failed_attempts, op.locked_until = 0, now + timedelta(minutes=LOCK_MINUTES)
            raise SignInRefused(f"{WRONG}，已连续输错 {MAX_FAILURES} 次。" + _locked_text(op.locked_until))
        raise SignInRefused(f"{WRONG}。")
    op.failed_attempts, op.locked_until, op.last_sign_in = 0, None, now
    if passwords.needs_rehash(op.password_hash):
        op.password_hash = passwords.hash_password(password)
    return _account(op)


def _locked_text(until: datetime) -> str:
    day = "" if until.date() == clock.today() else until.strftime("%Y-%m-%d ")
    return f"账户已锁定，请于 {day}{until:%H:%M} 后再试或请管理员解锁。"
