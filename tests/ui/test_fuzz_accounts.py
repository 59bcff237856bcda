"""Fuzz the account dialogs (app/ui/accounts.py, app/ui/sign_in.py) as test_fuzz_dialogs does.

User names, display names (lookalikes, control characters, overlong) and passwords (empty, short,
long, unicode, NUL) typed into each dialog, OK pressed with the real service of
app/services/operators.py behind it. Either the dialog is accepted and the stored account keeps
what the policy keeps (the names clean again to themselves, the password verifies), or a
readable message is shown (naming the field when it names one) and no account changed; never
an exception. The sign-in dialog runs against committed accounts through its own sessions: a
refusal changes nothing but the named account's failure count and lock (docs/operators.md).
"""

from __future__ import annotations

import unicodedata
import uuid
from datetime import datetime, timedelta
from functools import cache

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtWidgets import QDialog
from sqlalchemy import func, select

from app import clock
from app.models import Base, Operator
from app.services import operators, passwords, textinput
from app.ui import accounts, sign_in
from tests.fuzzing import fuzz_settings
from tests.test_fuzz_validators import TRICKY
from tests.ui.test_fuzz_dialogs import TEXT, press_ok_and_check

PW = "geheim12345"


def _either(plausible, hostile):
    """Half the examples from each (a plain one_of would flatten and drown the plausible)."""
    return st.booleans().flatmap(lambda p: plausible if p else hostile)


HUGE = st.builds(lambda c, n: c * n, st.sampled_from(["a", "长", "𠮷", "1a"]), st.integers(33, 3000))
USERNAMES = _either(
    st.one_of(st.from_regex(r"[A-Za-z][A-Za-z0-9_.\-]{0,40}", fullmatch=True),
              st.sampled_from(["zhang", "ZHANG", " Zhang ", "ｚｈａｎｇ", "admin", "li", "wang"])),
    st.one_of(TEXT, HUGE, st.sampled_from(["𝐳𝐡𝐚𝐧𝐠", "zhаng", "zh\x00ang", "zh\u200bang", "x", "1abc", "张三",
                                            "zhang\u202e"])))
DISPLAY_NAMES = _either(  # names a person might type or paste, lookalikes and styled letters among them
    st.sampled_from(["张三", "Li Ming", "ＬＩ　Ｍｉｎｇ", "  张  三  ", "王" * 32, "Ελένη", "Иван", "𠮷野", "张Ѕan",
                     "Аlice", "𝐀lice", "李ⅰ", "王\u3000芳", "ｚｈａｎｇ三"]),
    st.one_of(TEXT, HUGE, st.text(alphabet=TRICKY, max_size=40),
              st.sampled_from(["张\x00三", "张\u202e三", "王" * 33, "张\u200b三"])))
PASSWORDS = _either(
    st.sampled_from([PW, "Another-pass-2026", "密码密码密码密码密码1a", "abcd\x00efgh12", "１２３４５abcdefgh",
                     "a1" * 64, "          a1", "𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷x9"]),
    st.one_of(st.text(max_size=140), st.text(alphabet=TRICKY, max_size=20), HUGE,
              st.from_regex(r"[A-Za-z0-9]{6,14}", fullmatch=True),
              st.sampled_from(["", "short1", "a1" * 65, "abcdefghijk", "12345678901"])))
AGAIN = st.just(lambda dlg: dlg.fields["password"].text())  # the password typed again
PASSWORD_FIELDS = {"password": PASSWORDS, "password2": _either(AGAIN, PASSWORDS)}
NEW_ACCOUNT = {"username": USERNAMES, "display_name": DISPLAY_NAMES, **PASSWORD_FIELDS}


@cache
def _hash() -> str:
    return passwords.hash_password(PW)


def _add(session, username, role, **state) -> Operator:
    op = Operator(id=uuid.uuid4(), username=username, display_name=f"{username}名", role=role,
                  office_id=None, password_hash=_hash(), failed_attempts=0, locked_until=None,
                  active=True, created_at=datetime(2026, 11, 1, 9, 0), **state)
    session.add(op)
    session.flush()
    return op


def _accounts(session) -> None:
    """管理员 admin (signed in), 经办人 zhang."""
    admin = _add(session, "admin", operators.ADMIN)
    _add(session, "zhang", operators.CLERK)
    operators.act_as(session, operators.Account(admin.id, admin.username, admin.display_name,
                                                admin.role, None))


def _operators(session) -> dict:
    session.flush()  # what a refused service changed before refusing would show
    session.expire_all()
    return {op.username: {c.key: getattr(op, c.key) for c in Operator.__table__.columns}
            for op in session.scalars(select(Operator))}


def _readable(message: str) -> None:
    """A message a person can read: short, and not garbled by echoed control or bidi marks."""
    assert len(message) <= 300, f"message of {len(message)} characters: {message[:80]}…"
    assert not any(unicodedata.category(c) in ("Cc", "Cf") for c in message if c != "\n"), repr(message)


def _stored(session, values, _result) -> None:
    """The new account: its names clean again to themselves, its password verifies."""
    op = session.scalar(select(Operator).where(Operator.username == operators.normalize_username(
        values["username"])))
    assert op is not None, values["username"]
    assert operators.validate_username(op.username) == op.username, op.username
    assert textinput.clean_name(op.display_name, "display_name", "姓名", 32) == op.display_name, op.display_name
    assert passwords.verify_password(values["password"], op.password_hash)


def _password_is(username):
    def check(session, values, _result):
        assert passwords.verify_password(values["password"], operators.find(session, username).password_hash)
    return check


def _role_is(username):
    def check(session, values, _result):
        assert operators.find(session, username).role == values["role"]
    return check


# (name, make(db), service(session, values), check(session, values, result), texts, examples,
#  accounts: whether admin and zhang exist, admin signed in)
ACCOUNT_DIALOGS = [
    ("新建操作员", lambda db: accounts.AddOperatorDialog(),
     lambda s, v: operators.create(s, v["username"], v["display_name"], v["password"], v["role"]),
     _stored, NEW_ACCOUNT, 6, True),
    ("设置管理员", lambda db: sign_in.CreateAdminDialog(db), sign_in.create_admin, _stored, NEW_ACCOUNT, 6, False),
    ("修改密码", lambda db: accounts.PasswordDialog(own=True),
     lambda s, v: operators.change_password(s, "zhang", v["old_password"], v["password"]),
     _password_is("zhang"), {"old_password": _either(st.just(PW), PASSWORDS), **PASSWORD_FIELDS}, 3, True),
    ("重设密码", lambda db: accounts.PasswordDialog(own=False, who="zhang名"),
     lambda s, v: operators.reset_password(s, "zhang", v["password"]), _password_is("zhang"),
     PASSWORD_FIELDS, 3, True),
    ("设置角色", lambda db: accounts.RoleDialog("zhang名", operators.CLERK),
     lambda s, v: operators.set_role(s, "zhang", v["role"]), _role_is("zhang"), {}, 6, True),
    ("唯一管理员角色", lambda db: accounts.RoleDialog("admin名", operators.ADMIN),
     lambda s, v: operators.set_role(s, "admin", v["role"]), _role_is("admin"), {}, 6, True),
]


@pytest.mark.parametrize("entry", ACCOUNT_DIALOGS, ids=[d[0] for d in ACCOUNT_DIALOGS])
def test_account_dialog_fuzz(qtbot, db, session, ui_city, entry):
    name, make, service, check, texts, examples, with_accounts = entry
    info = dict(session.info)

    @fuzz_settings(examples)
    @given(data=st.data())
    def one(data):
        dlg = make(db)
        qtbot.addWidget(dlg)
        savepoint = session.begin_nested()
        try:
            if with_accounts:
                _accounts(session)
            before = _operators(session)
            dlg.submit = lambda v: service(session, v)
            if press_ok_and_check(dlg, data, texts=texts) == QDialog.DialogCode.Accepted:
                check(session, dlg.values(), dlg.result_value)
            else:
                _readable(dlg.error_text() or "")
                assert _operators(session) == before, "refused, but an account changed"
        finally:
            savepoint.rollback()
            session.info.clear()  # who acts, and the accounts-exist cache: as before the example
            session.info.update(info)

    one()


# -- sign-in: the real dialog, its own sessions, committed accounts ------------------------------

SIGN_IN = "登录"  # the entry name test_fuzz_dialogs.COVERAGE gives this test
SIGN_IN_NAMES = _either(st.sampled_from(["admin", "zhang", "li", "wang", "ZHANG", " li ", "ｗａｎｇ"]), USERNAMES)


def _reset(session, now: datetime) -> None:
    """admin as new; zhang one failure short of the lock; li locked for 10 more minutes; wang
    deactivated."""
    states = {"admin": (0, None, True), "zhang": (operators.MAX_FAILURES - 1, None, True),
              "li": (2, now + timedelta(minutes=10), True), "wang": (0, None, False)}
    for op in session.scalars(select(Operator)):
        op.failed_attempts, op.locked_until, op.active = states[op.username]
        op.last_sign_in = None
    session.commit()


def _counts(session) -> dict:
    return {t.name: session.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}


def test_sign_in_fuzz(qtbot, db, session, ui_city, frozen, monkeypatch):
    for username, role in (("admin", operators.ADMIN), ("zhang", operators.CLERK),
                           ("li", operators.HEAD), ("wang", operators.CLERK)):
        _add(session, username, role)
    session.commit()
    now = frozen(datetime(2026, 11, 25, 10, 0))

    @fuzz_settings(6)
    @given(data=st.data())
    def one(data):
        _reset(session, now)
        before, counts = _operators(session), _counts(session)
        session.rollback()
        dlg = sign_in.SignInDialog(db)
        qtbot.addWidget(dlg)
        outcome = press_ok_and_check(dlg, data, texts={"username": SIGN_IN_NAMES,
                                                       "password": _either(st.just(PW), PASSWORDS)})
        typed, password = dlg.username.text(), dlg.fields["password"].text()
        after, changed = _operators(session), _counts(session)
        # Every change of an account is in the audit log (one event); nothing else is written.
        events = changed.pop("audit_events") - counts.pop("audit_events")
        assert changed == counts and events == (after != before), (typed, events)
        target = operators.normalize_username(typed) if typed.strip() else None
        op = before.get(target)
        usable = op is not None and op["active"] and not (op["locked_until"] and op["locked_until"] > now)
        if outcome == QDialog.DialogCode.Accepted:
            assert usable and dlg.result_value.username == target, (typed, dlg.result_value)
            op.update(failed_attempts=0, locked_until=None, last_sign_in=clock.now())
        else:
            message = dlg.error_text()
            _readable(message)
            if typed.strip():
                assert password == "", "the refused password stays in the field"
            if usable:  # a wrong password: one more failure, the fifth locks for 15 minutes
                if op["failed_attempts"] + 1 >= operators.MAX_FAILURES:
                    op.update(failed_attempts=0, locked_until=now + timedelta(minutes=operators.LOCK_MINUTES))
                    assert "账户已锁定，请于 10:15 后再试" in message, message
                else:
                    op.update(failed_attempts=op["failed_attempts"] + 1)
                    assert message == "用户名或密码不正确。", message
            elif op is None and typed.strip():  # an unknown user: the same words as a wrong password
                assert message == "用户名或密码不正确。", message
        assert after == before, (typed, outcome)
        session.rollback()

    one()
