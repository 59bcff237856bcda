"""Operator accounts: KDF, lock-out, role rules through the engine, admin-only guards."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from app.models import Operator
from app.services import operators, passwords, results, rules
from app.services.errors import ValidationError, WorkflowError
from tests.conftest import a_result_input

PW = "geheim12345"


@pytest.fixture
def admin(session, frozen):
    acc = operators.create(session, "Admin", "系统管理员", PW, operators.ADMIN)
    session.commit()
    operators.act_as(session, acc)
    return acc


def _add(session, name, role, display=None):
    return operators.create(session, name, display or name, PW, role)


def test_password_is_hashed_with_scrypt_and_its_parameters(session, admin):
    stored = session.scalar(select(Operator.password_hash))
    assert PW not in stored
    algorithm, params, salt, key = stored.split("$")
    assert algorithm == "scrypt" and params == "n=16384,r=8,p=1"
    assert len(bytes.fromhex(salt)) == passwords.SALT_BYTES and len(bytes.fromhex(key)) == 32
    again = passwords.hash_password(PW)
    assert again != stored  # a fresh random salt every time
    assert passwords.verify_password(PW, again) and not passwords.verify_password(PW + "x", again)
    assert not passwords.verify_password(PW, "sha256$deadbeef")  # never a plain hash
    assert passwords.needs_rehash("scrypt$n=1024,r=8,p=1$00$00")


def test_a_password_with_undecodable_bytes_is_hashed_not_an_error():
    odd = "pass\udcffword-1"  # what os.environ gives for an undecodable byte
    stored = passwords.hash_password(odd)
    assert passwords.verify_password(odd, stored) and not passwords.verify_password("pass\ufffdword-1", stored)


def test_first_account_must_be_an_admin(session, frozen):
    assert not operators.accounts_enabled(session)
    with pytest.raises(ValidationError, match="第一个操作员账户必须是管理员"):
        operators.create(session, "zhang", "张三", PW, operators.CLERK)


@pytest.mark.parametrize("username, display, password, field", [
    ("1abc", "张三", PW, "username"),
    ("a", "张三", PW, "username"),
    ("zhang san", "张三", PW, "username"),
    ("zhang", "", PW, "display_name"),
    ("zhang", "张" * 33, PW, "display_name"),
    ("zhang", "张三", "short1", "password"),
    ("zhang", "张三", "onlyletters", "password"),
    ("zhang", "张三", "1234567890", "password"),
    ("zhang", "张三", "password①②", "password"),  # a circled digit is not a digit one types
    ("zhang", "张三", "password１２", "password"),  # nor is a full-width one (IME on)
])
def test_create_validates_each_field(session, admin, username, display, password, field):
    with pytest.raises(ValidationError) as err:
        operators.create(session, username, display, password, operators.CLERK)
    assert err.value.field == field


def test_username_is_unique_without_regard_to_case(session, admin):
    with pytest.raises(ValidationError, match="已被使用"):
        _add(session, "ADMIN", operators.CLERK)
    assert operators.sign_in(session, "ＡＤＭＩＮ", PW).username == "admin"  # full-width too


def test_unknown_user_and_wrong_password_get_the_same_words(session, admin):
    with pytest.raises(operators.SignInRefused) as unknown:
        operators.sign_in(session, "nobody", PW)
    with pytest.raises(operators.SignInRefused) as wrong:
        operators.sign_in(session, "admin", "wrong-password-1")
    assert unknown.value.message == wrong.value.message == "用户名或密码不正确。"


def test_five_failures_lock_for_fifteen_minutes(session, admin, frozen):
    frozen(datetime(2026, 11, 25, 10, 0))
    for _ in range(4):
        with pytest.raises(operators.SignInRefused, match="^用户名或密码不正确。$"):
            operators.sign_in(session, "admin", "wrong-password-1")
    with pytest.raises(operators.SignInRefused, match="账户已锁定，请于 10:15 后再试或请管理员解锁"):
        operators.sign_in(session, "admin", "wrong-password-1")
    session.commit()
    frozen(datetime(2026, 11, 25, 10, 14, 59))
    with pytest.raises(operators.SignInRefused, match="账户已锁定，请于 10:15 后再试"):
        operators.sign_in(session, "admin", PW)  # even the right password
    frozen(datetime(2026, 11, 25, 10, 15))
    acc = operators.sign_in(session, "admin", PW)
    assert acc.role == operators.ADMIN
    op = session.scalar(select(Operator))
    assert op.failed_attempts == 0 and op.locked_until is None
    assert op.last_sign_in == datetime(2026, 11, 25, 10, 15)


def test_a_success_resets_the_failure_count(session, admin):
    for _ in range(4):
        with pytest.raises(operators.SignInRefused):
            operators.sign_in(session, "admin", "wrong-password-1")
    operators.sign_in(session, "admin", PW)
    with pytest.raises(operators.SignInRefused, match="^用户名或密码不正确。$"):
        operators.sign_in(session, "admin", "wrong-password-1")


def test_admin_unlocks_and_deactivates(session, admin):
    _add(session, "zhang", operators.CLERK, "张三")
    for _ in range(5):
        with pytest.raises(operators.SignInRefused):
            operators.sign_in(session, "zhang", "wrong-password-1")
    rows = {r.username: r for r in operators.list_operators(session)}
    assert rows["zhang"].locked_until is not None
    operators.unlock(session, "zhang")
    assert operators.sign_in(session, "zhang", PW).display_name == "张三"
    operators.deactivate(session, "zhang")
    with pytest.raises(operators.SignInRefused, match="已停用"):
        operators.sign_in(session, "zhang", PW)
    with pytest.raises(operators.SignInRefused, match="^用户名或密码不正确。$"):
        operators.sign_in(session, "zhang", "wrong-password-1")


def test_the_last_admin_stays(session, admin):
    with pytest.raises(WorkflowError, match="唯一的管理员"):
        operators.deactivate(session, "admin")
    with pytest.raises(WorkflowError, match="唯一的管理员"):
        operators.set_role(session, "admin", operators.HEAD)


def test_change_and_reset_password(session, admin):
    _add(session, "zhang", operators.CLERK)
    with pytest.raises(ValidationError, match="原密码不正确"):
        operators.change_password(session, "zhang", "wrong-password-1", "newpass12345")
    operators.change_password(session, "zhang", PW, "newpass12345")
    assert operators.sign_in(session, "zhang", "newpass12345")
    operators.reset_password(session, "zhang", "another12345")
    assert operators.sign_in(session, "zhang", "another12345")


def test_only_an_admin_manages_accounts_keys_and_calendar(session, city, admin, tmp_path):
    clerk = _add(session, "zhang", operators.CLERK, "张三")
    operators.act_as(session, clerk)
    for call in (lambda: _add(session, "li", operators.CLERK),
                 lambda: operators.unlock(session, "admin"),
                 lambda: operators.set_role(session, "zhang", operators.ADMIN),
                 lambda: operators.reset_password(session, "admin", "another12345")):
        with pytest.raises(WorkflowError, match="只有管理员可以.*（当前操作员：张三，经办人）"):
            call()
    from app.services.calendar_import import import_calendar
    from app.services.exchange import keys, roster

    with pytest.raises(WorkflowError, match="只有管理员可以生成交换密钥"):
        keys.generate(session, city.approval)
    with pytest.raises(WorkflowError, match="只有管理员可以导入节假日安排"):
        import_calendar(session, tmp_path / "2027.json")
    with pytest.raises(WorkflowError, match="只有管理员可以发布单位名录"):
        roster.publish(session, city.oversight)
    operators.act_as(session, admin)
    key, created = keys.generate(session, city.approval)
    assert created
    operators.act_as(session, clerk)
    assert keys.generate(session, city.approval) == (key, False)  # an existing key: anyone


def test_only_the_head_signs_off_or_returns(session, city, admin):
    clerk = _add(session, "zhang", operators.CLERK, "张三")
    head = _add(session, "li", operators.HEAD, "李四")
    operators.act_as(session, clerk)
    r = results.record(session, a_result_input(), office=city.approval, operator="张三")
    results.push(session, r, office=city.approval, operator="张三")  # a clerk pushes
    with pytest.raises(WorkflowError, match="^只有负责人可以签收（当前操作员：张三，经办人）。$"):
        results.act(session, r, "sign_off", office=city.housing, operator="张三")
    with pytest.raises(WorkflowError, match="只有负责人可以退回"):
        results.act(session, r, "return", office=city.housing, operator="张三", reason="错发")
    operators.act_as(session, admin)
    with pytest.raises(WorkflowError, match="当前操作员：系统管理员，管理员"):
        results.act(session, r, "sign_off", office=city.housing, operator="系统管理员")
    operators.act_as(session, head)
    results.act(session, r, "sign_off", office=city.housing, operator="李四")
    operators.act_as(session, clerk)
    results.act(session, r, "start_supervision", office=city.housing, operator="张三")
    assert results.current_push(session, r).status == rules.SUPERVISING


def test_signed_in_session_without_operator_is_refused(session, city, admin):
    r = results.record(session, a_result_input(), office=city.approval, operator="x")
    results.push(session, r, office=city.approval, operator="x")
    operators.act_as(session, None)
    with pytest.raises(WorkflowError, match="请先登录"):
        results.act(session, r, "sign_off", office=city.housing, operator="x")


def test_no_accounts_no_role_check(session, city, frozen):
    r = results.record(session, a_result_input(), office=city.approval, operator="x")
    results.push(session, r, office=city.approval, operator="x")
    results.act(session, r, "sign_off", office=city.housing, operator="x")


def test_role_rules_are_data(session):
    decisive = {(r.kind, t.action) for r in rules.RULES for t in r.transitions if t.role == rules.HEAD}
    assert ("approval_push", "sign_off") in decisive and ("approval_push", "return") in decisive
    assert {("key_element_consent", "consent"), ("referral", "accept"),
            ("penalty_notice", "decide")} <= decisive
    assert not any(t.role for r in rules.RULES for t in r.transitions if t.action == "send")


def test_lock_message_names_the_day_when_not_today(session, admin, frozen):
    frozen(datetime(2026, 11, 25, 23, 50))
    for _ in range(5):
        with pytest.raises(operators.SignInRefused):
            operators.sign_in(session, "admin", "wrong-password-1")
    frozen(datetime(2026, 11, 26, 0, 1))
    with pytest.raises(operators.SignInRefused, match="请于 00:05 后再试"):
        operators.sign_in(session, "admin", PW)
    assert (datetime(2026, 11, 26, 0, 5) - datetime(2026, 11, 25, 23, 50)) == timedelta(minutes=15)
