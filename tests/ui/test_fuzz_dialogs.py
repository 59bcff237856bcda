"""Fuzz every FormDialog: fill its fields with hypothesis data, press OK.

Either the dialog is accepted, or an error text is shown in the dialog with the offending field
focused; no exception ever escapes (pytest-qt captures exceptions raised in Qt slots).
Flow dialogs are opened by their real action over the real main window (``exec`` is replaced by
the filler); the list dialogs are built directly with the services behind their OK button.
"""

from __future__ import annotations

from datetime import date

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

from app.services import liaison, pools, rules
from app.services.catalogue import versions
from app.services.sheets import notices
from app.services.worklist import ActionChoice
from app.ui import (
    actions,
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
from tests.fuzzing import fuzz_settings
from tests.test_fuzz_validators import TRICKY

TEXT = st.one_of(st.text(alphabet=TRICKY, max_size=30), st.text(max_size=30),
                 st.builds(lambda c, n: c * n, st.sampled_from(["长", "𠮷", " "]), st.integers(60, 5000)),
                 st.sampled_from(["", "张伟", "13904171234", "YK-ZJJ", "ZJ-001"]))
DATES = st.dates(date(1995, 1, 1), date(2031, 12, 31))


def fill(dlg: base.FormDialog, data) -> None:
    """Put drawn values into every visible field of the dialog."""
    for name, w in dlg.fields.items():
        if isinstance(w, QLineEdit) and not w.isReadOnly():
            w.setText(data.draw(TEXT, label=name))
        elif isinstance(w, QPlainTextEdit) and not w.isReadOnly():
            w.setPlainText(data.draw(TEXT, label=name))
        elif isinstance(w, base.OptionalDateEdit):
            w.set_value(data.draw(st.none() | DATES, label=name))
        elif isinstance(w, QDateEdit):
            d = data.draw(DATES, label=name)
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


def press_ok_and_check(dlg: base.FormDialog, data) -> int:
    shown: list = []
    original = dlg.show_error

    def show_error(message, field=None):
        shown.append((message, field))
        original(message, field)

    dlg.show_error = show_error
    fill(dlg, data)
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
