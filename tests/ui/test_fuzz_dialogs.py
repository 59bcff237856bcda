"""Fuzz every FormDialog: fill its fields with hypothesis data, press OK.

Either the dialog is accepted, or an error text is shown in the dialog with the offending field
focused; no exception ever escapes (pytest-qt captures exceptions raised in Qt slots).
Flow dialogs are opened by their real action over the real main window (``exec`` is replaced by
the filler); the steps on a work row of the 办件 page by the page's own action on a row prepared
through the services, with the database checked afterwards; the list dialogs are built directly
with the services behind their OK button.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QSpinBox,
)
from pytestqt.exceptions import capture_exceptions
from sqlalchemy import func, select

from app.models import Base, LicenceChange
from app.models.cooperation import Consultation
from app.models.enforcement import MEASURES, PenaltyDecision, Referral
from app.services import liaison, pools, results, rules, textinput, worklist
from app.services.catalogue import versions
from app.services.sheets import notices
from app.services.worklist import ActionChoice
from app.ui import (
    actions,
    dispatch_actions,
    dispatch_dialogs,
    forms_actions,
    lists_dialogs,
    lists_forms,
    oversight_dialogs,
    receipt_box,
)
from app.ui.dialogs import base, simple
from app.ui.dialogs.push import PushDialog
from app.ui.first_run import FirstRunDialog
from app.ui.workspace import Workspace
from tests.conftest import a_result_input
from tests.fuzzing import fuzz_settings
from tests.test_fuzz_validators import TRICKY

TEXT = st.one_of(st.text(alphabet=TRICKY, max_size=30), st.text(max_size=30),
                 st.builds(lambda c, n: c * n, st.sampled_from(["长", "𠮷", " "]), st.integers(60, 5000)),
                 st.sampled_from(["", "张伟", "13904171234", "YK-ZJJ", "ZJ-001"]))
DATES = st.dates(date(1995, 1, 1), date(2031, 12, 31))
# Around the frozen today (Wed 2026-11-25): the window in which a step on a row may be dated.
NEAR_DATES = st.one_of(st.dates(date(2026, 11, 16), date(2026, 11, 27)), DATES)


def fill(dlg: base.FormDialog, data, dates=DATES, texts: dict | None = None) -> None:
    """Put drawn values into every visible field of the dialog. ``texts`` gives a line field its
    own strategy by name; a drawn callable is called with the dialog (e.g. "type it again")."""
    for name, w in dlg.fields.items():
        if isinstance(w, QLineEdit) and not w.isReadOnly():
            value = data.draw((texts or {}).get(name, TEXT), label=name)
            w.setText(value(dlg) if callable(value) else value)
        elif isinstance(w, QPlainTextEdit) and not w.isReadOnly():
            w.setPlainText(data.draw(TEXT, label=name))
        elif isinstance(w, base.OptionalDateEdit):
            w.set_value(data.draw(st.none() | dates, label=name))
        elif isinstance(w, QDateEdit):
            d = data.draw(dates, label=name)
            w.setDate(QDate(d.year, d.month, d.day))
        elif isinstance(w, QComboBox) and w.count():
            w.setCurrentIndex(data.draw(st.integers(0, w.count() - 1), label=name))
            if w.isEditable():
                w.setEditText(data.draw(TEXT, label=name))
        elif isinstance(w, QCheckBox):
            w.setChecked(data.draw(st.booleans(), label=name))
        elif isinstance(w, QSpinBox):
            w.setValue(data.draw(st.integers(w.minimum(), w.maximum()), label=name))
        elif isinstance(w, QListWidget):
            for i in range(w.count()):
                state = Qt.CheckState.Checked if data.draw(st.booleans()) else Qt.CheckState.Unchecked
                w.item(i).setCheckState(state)


def press_ok_and_check(dlg: base.FormDialog, data, dates=DATES, texts: dict | None = None) -> int:
    shown: list = []
    original = dlg.show_error

    def show_error(message, field=None):
        shown.append((message, field))
        original(message, field)

    dlg.show_error = show_error
    fill(dlg, data, dates, texts)
    if not dlg.ok_button.isEnabled():  # the dialog refuses by keeping OK disabled (e.g. 回执)
        return QDialog.DialogCode.Rejected
    with capture_exceptions() as errors:
        dlg.ok_button.click()
    assert not errors, errors
    if QDialog.result(dlg) == QDialog.DialogCode.Accepted:
        return QDialog.DialogCode.Accepted
    assert shown, "OK did nothing: neither accepted nor an error shown"
    message, field = shown[-1]
    assert dlg.error_text() == message and any("\u4e00" <= c <= "\u9fff" for c in message), message
    if field is not None:
        assert field in dlg.fields, f"the message names field {field!r}, not on the form: {message}"
        widget = dlg.fields[field]
        focus = dlg.focusWidget()
        assert focus is widget or widget.isAncestorOf(focus), (field, message)
    return QDialog.DialogCode.Rejected


# -- flows opened through their real actions (name, run(ws)) ------------------------------------

FLOWS = [
    ("登记审批结果", lambda ws: actions.record_result(ws)),
    ("行政处罚", lambda ws: dispatch_dialogs.new_penalty(ws)),
    ("移送", lambda ws: dispatch_dialogs.new_referral(ws)),
    ("会商", lambda ws: dispatch_dialogs.new_consultation(ws)),
    ("商请", lambda ws: dispatch_dialogs.new_support("training", "training_request")(ws)),
    ("操作员", lambda ws: actions.change_operator(ws, None)),
]


@pytest.mark.parametrize("flow", FLOWS, ids=[f[0] for f in FLOWS])
def test_flow_dialog_fuzz(window, monkeypatch, flow):
    name, run = flow
    ws = window.ws

    @fuzz_settings(6)
    @given(data=st.data())
    def one(data):
        monkeypatch.setattr(base.FormDialog, "exec", lambda dlg: press_ok_and_check(dlg, data))
        with capture_exceptions() as errors:
            run(ws)
        assert not errors, errors

    one()


# -- steps on a work row of the 办件 page (name, office acting, prepare, action, check) ---------
# Each example prepares a fresh row in the right state through the services (dated a week back,
# so the dialog's dates have a window), opens the step the page offers on it, and checks the
# database: a refusal leaves every table as it was; an acceptance stored values the policy
# keeps as they are (cleaning them again changes nothing), dated within the flow's window.

SETUP_AT = datetime(2026, 11, 18, 9, 0)  # a week before the frozen today


def _clean(value: str, limit: int, *, required: bool = True, keep_lines: bool = False) -> bool:
    return textinput.clean_text(value, "f", "字段", limit, required=required, keep_lines=keep_lines) == value


def _penalty(session, city, n, data):
    from app.services.enforcement import penalties
    from tests.services.enforcement.test_flows import a_penalty

    r = results.record(session, a_result_input(decided=date(2026, 11, 17), licence_number=f"FZ-{n:06d}"),
                       office=city.approval, operator="王芳")
    pd = penalties.record(session, a_penalty(r.licence_number, decision_number=f"营住建罚〔2026〕{n}号",
                                             decided_on=SETUP_AT.date()), office=city.housing, operator="赵强")
    return "penalty_notice", pd.id


def _decided(session, pd_id, today) -> None:
    pd = session.get(PenaltyDecision, pd_id)
    lc = session.scalar(select(LicenceChange).where(LicenceChange.penalty_decision_id == pd_id))
    assert lc is not None and pd.licence_decided_at is not None
    assert lc.kind in MEASURES and pd.decided_on <= lc.decided_on <= today, (lc.kind, lc.decided_on)
    assert _clean(lc.decision_number, 64) and _clean(lc.content, 4000, keep_lines=True), lc.decision_number


def _accepted_referral(session, city, n, data):
    from app.services.enforcement import referrals
    from tests.services.enforcement.test_flows import refer

    ref = refer(session, city, found_on=date(2026, 11, 17), party_name=f"营口市某食品店{n}")
    referrals.accept(session, ref, office=city.market, operator="孙丽")
    return "referral", ref.id


def _filed(session, ref_id, today) -> None:
    ref = session.get(Referral, ref_id)
    assert ref.case_filed_on is not None and ref.decided_on <= ref.case_filed_on <= today, ref.case_filed_on
    assert _clean(ref.case_number, 64, required=False), ref.case_number


def _filed_referral(session, city, n, data):
    from app.services.enforcement import referrals

    kind, ref_id = _accepted_referral(session, city, n, data)
    referrals.file_case(session, session.get(Referral, ref_id), office=city.market, operator="孙丽",
                        filed_on=SETUP_AT.date(), case_number=f"营市监立〔2026〕{n}号")
    return kind, ref_id


def _result(session, ref_id, today) -> None:
    ref = session.get(Referral, ref_id)
    assert ref.result_on is not None and ref.case_filed_on <= ref.result_on <= today, ref.result_on
    assert _clean(ref.result_text, 4000, keep_lines=True), ref.result_text


def _consultation(session, city, n, data):
    from app.services.cooperation import requests

    mode = data.draw(st.sampled_from(["meeting", "letter"]), label="会商形式")
    c = requests.send_consultation(session, office=city.approval, operator="王芳", mode=mode, topic=f"联合踏勘{n}",
                                   to=[city.housing, city.market], agenda="现场踏勘安排。",
                                   meeting_on=date(2026, 11, 20) if mode == "meeting" else None)
    return "consultation", c.id


def _minuted(session, c_id, today) -> None:
    c = session.get(Consultation, c_id)
    assert c.minutes_at is not None
    if c.mode == "meeting":
        assert c.held_on is not None and c.minutes, (c.held_on, c.minutes)
    assert c.held_on is None or c.requested_on <= c.held_on <= today, (c.requested_on, c.held_on)
    assert _clean(c.minutes, 20000, required=False, keep_lines=True), c.minutes
    assert _clean(c.outcome, 4000, keep_lines=True), c.outcome


ROW_FLOWS = [
    ("许可决定", "YK-SPJ", _penalty, "decide", PenaltyDecision, _decided),
    ("立案", "YK-SJJ", _accepted_referral, "file_case", Referral, _filed),
    ("查处结果", "YK-SJJ", _filed_referral, "case_result", Referral, _result),
    ("会商纪要", "YK-SPJ", _consultation, "minutes", Consultation, _minuted),
]


def _snapshot(session, model, subject_id) -> tuple:
    """Rows in every table, and the subject's own columns."""
    counts = tuple(session.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables)
    subject = session.get(model, subject_id)
    return counts, {c.key: getattr(subject, c.key) for c in model.__table__.columns}


def _open_step(ws, kind: str, subject_id, action: str) -> bool:
    """The row as the 办件 page lists it, and the dialog the page opens for ``action`` on it."""
    with ws.session() as s:
        rows = worklist.list_rows(s, ws.acting_office(s), ws.calendar, worklist.Filter(kind=kind))
    row = next(r for r in rows if r.subject_id == subject_id and r.direction in (worklist.IN, worklist.OUT))
    if action in {a.action for a in row.actions}:
        return dispatch_actions.run_action(ws, row, action)
    offered = {key: fn for key, _text, fn in dispatch_actions.extra_actions(ws, row)}
    assert action in offered, (action, list(offered))
    return offered[action](ws, row)


@pytest.mark.parametrize("flow", ROW_FLOWS, ids=[f[0] for f in ROW_FLOWS])
def test_row_step_dialog_fuzz(qtbot, db, session, ui_city, frozen, monkeypatch, flow):
    name, code, prepare, action, model, stored = flow
    pytest.importorskip("app.services.enforcement.referrals")
    pytest.importorskip("app.services.cooperation.requests")
    ws = Workspace(db)
    ws.set_office(next(o.id for o in ws.local_offices if o.code == code))
    counter = iter(range(1, 10**6))

    @fuzz_settings(10)
    @given(data=st.data())
    def one(data):
        frozen(SETUP_AT)
        kind, subject_id = prepare(session, ui_city, next(counter), data)
        session.commit()
        today = frozen(datetime(2026, 11, 25, 10, 0)).date()
        before = _snapshot(session, model, subject_id)
        session.rollback()
        outcome: list = []
        monkeypatch.setattr(base.FormDialog, "exec",
                            lambda dlg: outcome.append(press_ok_and_check(dlg, data, NEAR_DATES)) or outcome[-1])
        with capture_exceptions() as errors:
            done = _open_step(ws, kind, subject_id, action)
        assert not errors, errors
        assert outcome, "no dialog was opened"
        session.expire_all()
        if done:
            stored(session, subject_id, today)
        else:
            assert _snapshot(session, model, subject_id) == before, "refused, but the database changed"
        session.rollback()

    one()


# -- dialogs built directly (name, make(city) -> dialog, submit(session, city, values) or None) ------

def _offices(city):
    return [(o.code, o.name) for o in (city.housing, city.market)]


DIRECT = [
    ("专家", lambda c, db: lists_forms.PoolDialog(pools.EXPERT, _offices(c)),
     lambda s, c, v: pools.add(s, pools.EXPERT, v)),
    ("中介机构", lambda c, db: lists_forms.PoolDialog(pools.AGENCY, _offices(c)),
     lambda s, c, v: pools.add(s, pools.AGENCY, v)),
    ("联络员", lambda c, db: lists_forms.LiaisonDialog(_offices(c), office=c.housing.code),
     lambda s, c, v: liaison.add(s, v["office"] or c.housing.code, v["name"], v["phone"], v["duties"],
                                 current=v["current"], since=v["since"])),
    ("清单事项", lambda c, db: lists_dialogs.EntryDialog(_offices(c)),
     lambda s, c, v: versions.add_entry(s, versions.create_draft(s, c.oversight, "清单"), **v)),
    ("政策通知", lambda c, db: lists_forms.PolicyDialog(),
     lambda s, c, v: notices.send(s, v.pop("kind"), office=c.housing, operator="张伟", to=c.approval, **v)),
    ("新清单", lambda c, db: lists_dialogs.NewDraftDialog([1]), None),
    ("意见", lambda c, db: lists_dialogs.OpinionDialog(1, _offices(c)), None),
    ("批准", lambda c, db: lists_dialogs.ApproveDialog(1), None),
    ("实施", lambda c, db: lists_dialogs.EnforceDialog(1), None),
    ("备案", lambda c, db: lists_dialogs.FileDialog(1), None),
    ("实施清单字段", lambda c, db: lists_forms.FieldDialog("ZJ-001", {}, None, True), None),
    ("推送要素", lambda c, db: lists_forms.PushDialog("ZJ-001", set()), None),
    ("关键要素", lambda c, db: lists_forms.ProposeDialog("ZJ-001", {}, None), None),
    ("答复", lambda c, db: lists_forms.ReplyDialog("答复", "摘要", "意见：", "答复"), None),
    ("回执", lambda c, db: receipt_box.ReceiptDialog(), None),
    ("批量打印", lambda c, db: forms_actions.BatchDialog([(c.housing.id, c.housing.name)]), None),
    ("通报", lambda c, db: oversight_dialogs.CircularDialog("2026-10", "标题", "正文"), None),
    ("退回", lambda c, db: simple.ReasonDialog("摘要"), None),
    ("确认", lambda c, db: simple.ConfirmDialog("标题", "摘要", "确认？", "确定"), None),
    ("推送", lambda c, db: PushDialog("摘要", "营口市住房和城乡建设局"), None),
    ("步骤", lambda c, db: dispatch_dialogs.StepDialog(
        rules.APPROVAL_PUSH, ActionChoice("return", "退回", True), "摘要", text_label="退回理由"), None),
    ("月度汇总", lambda c, db: oversight_dialogs.SummaryDialog([(c.housing.id, c.housing.name)],
                                                           ["2026-11"], None), None),
    ("打印字体", lambda c, db: forms_actions.FontDialog("", ""), None),
    ("首次使用", lambda c, db: FirstRunDialog(db), None),
]


@pytest.mark.parametrize("entry", DIRECT, ids=[d[0] for d in DIRECT])
def test_direct_dialog_fuzz(qtbot, db, session, ui_city, tmp_path, monkeypatch, entry):
    name, make, submit = entry
    monkeypatch.chdir(tmp_path)

    @fuzz_settings(6)
    @given(data=st.data())
    def one(data):
        dlg = make(ui_city, db)
        qtbot.addWidget(dlg)
        savepoint = session.begin_nested()
        try:
            if submit is not None:
                dlg.submit = lambda v: submit(session, ui_city, v)
            press_ok_and_check(dlg, data)
        finally:
            savepoint.rollback()

    one()


# -- every FormDialog is fuzzed -----------------------------------------------------------------
# Dialog class (module.name) -> the fuzz entries that open it: FLOWS, ROW_FLOWS and DIRECT above,
# ACCOUNT_DIALOGS and the sign-in test in test_fuzz_accounts.py.

COVERAGE = {
    "app.ui.dialogs.record.RecordDialog": ["登记审批结果"],
    "app.ui.dispatch_dialogs.SpecDialog": ["行政处罚", "移送", "会商", "商请", "许可决定", "立案", "查处结果", "会商纪要"],
    "app.ui.dialogs.simple.OperatorDialog": ["操作员"],
    "app.ui.dialogs.simple.ReasonDialog": ["退回"],
    "app.ui.dialogs.simple.ConfirmDialog": ["确认"],
    "app.ui.dialogs.push.PushDialog": ["推送"],
    "app.ui.dispatch_dialogs.StepDialog": ["步骤"],
    "app.ui.first_run.FirstRunDialog": ["首次使用"],
    "app.ui.forms_actions.BatchDialog": ["批量打印"],
    "app.ui.forms_actions.FontDialog": ["打印字体"],
    "app.ui.lists_dialogs.EntryDialog": ["清单事项"],
    "app.ui.lists_dialogs.NewDraftDialog": ["新清单"],
    "app.ui.lists_dialogs.OpinionDialog": ["意见"],
    "app.ui.lists_dialogs.ApproveDialog": ["批准"],
    "app.ui.lists_dialogs.EnforceDialog": ["实施"],
    "app.ui.lists_dialogs.FileDialog": ["备案"],
    "app.ui.lists_forms.PoolDialog": ["专家", "中介机构"],
    "app.ui.lists_forms.LiaisonDialog": ["联络员"],
    "app.ui.lists_forms.PolicyDialog": ["政策通知"],
    "app.ui.lists_forms.FieldDialog": ["实施清单字段"],
    "app.ui.lists_forms.PushDialog": ["推送要素"],
    "app.ui.lists_forms.ProposeDialog": ["关键要素"],
    "app.ui.lists_forms.ReplyDialog": ["答复"],
    "app.ui.oversight_dialogs.CircularDialog": ["通报"],
    "app.ui.oversight_dialogs.SummaryDialog": ["月度汇总"],
    "app.ui.receipt_box.ReceiptDialog": ["回执"],
    "app.ui.accounts.AddOperatorDialog": ["新建操作员"],
    "app.ui.accounts.PasswordDialog": ["修改密码", "重设密码"],
    "app.ui.accounts.RoleDialog": ["设置角色", "唯一管理员角色"],
    "app.ui.sign_in.CreateAdminDialog": ["设置管理员"],
    "app.ui.sign_in.SignInDialog": ["登录"],
}


def test_every_form_dialog_is_fuzzed():
    import importlib
    import pkgutil

    import app.ui
    from tests.ui import test_fuzz_accounts

    for module in pkgutil.walk_packages(app.ui.__path__, "app.ui."):
        importlib.import_module(module.name)
    found, todo = set(), [base.FormDialog]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub.__module__.startswith("app."):  # not the tests' own subclasses
                found.add(f"{sub.__module__}.{sub.__qualname__}")
            todo.append(sub)
    entries = {e[0] for e in (*FLOWS, *ROW_FLOWS, *DIRECT, *test_fuzz_accounts.ACCOUNT_DIALOGS)}
    entries.add(test_fuzz_accounts.SIGN_IN)
    missing = sorted(found - set(COVERAGE))
    assert not missing, (f"FormDialog {', '.join(missing)} is not fuzzed: add it to the fuzz (FLOWS, ROW_FLOWS or "
                         f"DIRECT in tests/ui/test_fuzz_dialogs.py) and to COVERAGE")
    assert not set(COVERAGE) - found, f"COVERAGE names dialogs that are gone: {sorted(set(COVERAGE) - found)}"
    unknown = {cls: names for cls, names in COVERAGE.items() if not names or set(names) - entries}
    assert not unknown, f"COVERAGE names fuzz entries that do not exist: {unknown}"
