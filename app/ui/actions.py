"""One small function per user action.

Each opens its dialog, and the dialog's ``submit`` opens a session from the one
sessionmaker, calls the service, and commits; a refused input leaves nothing written.
Afterwards the workspace tells every view what changed (``Workspace.changed``).
Dialogs are imported lazily: they are not needed before the first paint.
"""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import QDialog, QWidget

from app.ui.workspace import Workspace


def _results():
    from app.services import results

    return results


def _summary(ws: Workspace, result_id: uuid.UUID):
    d = ws.detail(result_id)
    text = f"许可事项：{d.item_name}\n申请人：{d.applicant_name}"
    if d.licence_number:
        text += f"\n证照编号：{d.licence_number}"
    return d, text


def ensure_operator(ws: Workspace, parent: QWidget | None) -> bool:
    """Every event carries an operator name: ask once if none is set yet (no accounts)."""
    return ws.account is not None or bool(ws.operator) or change_operator(ws, parent)


def change_operator(ws: Workspace, parent: QWidget | None) -> bool:
    from app.ui.dialogs.simple import OperatorDialog

    dlg = OperatorDialog(ws.operator, parent)
    dlg.submit = lambda v: ws.set_operator(v["operator"])
    return dlg.exec() == QDialog.DialogCode.Accepted


def item_choices(ws: Workspace):
    """The active licensing items with the department each is pushed to."""
    from app.services.items import active_items

    with ws.session() as s:
        return active_items(s)


def record_result(ws: Workspace, parent: QWidget | None = None) -> uuid.UUID | None:
    """登记审批结果 (approval bureau)."""
    from app.ui.dialogs.record import RecordDialog

    if not ensure_operator(ws, parent):
        return None
    dlg = RecordDialog(item_choices(ws), parent)

    def submit(data):
        with ws.session() as s:
            r = _results().record(
                s, data, office=ws.acting_office(s), operator=ws.operator, calendar=ws.calendar
            )
            s.commit()
            return r.id

    dlg.submit = submit
    if dlg.exec() != QDialog.DialogCode.Accepted:
        return None
    ws.changed.emit(dlg.result_value)
    return dlg.result_value


def push_result(ws: Workspace, result_id: uuid.UUID, parent: QWidget | None = None) -> bool:
    """推送, or 重新推送 to a corrected addressee after a return."""
    from app.models import Office
    from app.services import offices as offices_service
    from app.services import rules
    from app.ui.dialogs.push import PushDialog

    if not ensure_operator(ws, parent):
        return False
    d, summary = _summary(ws, result_id)
    returned = d.status == rules.RETURNED
    choices = None
    reason = ""
    if returned:
        with ws.session() as s:
            choices = [(o.id, o.name) for o in offices_service.all_offices(s, role="competent")]
        reason = next((e.note for e in reversed(d.timeline) if e.action == "return"), "")
    dlg = PushDialog(summary, d.addressee_name, parent, addressees=choices, returned_reason=reason)

    def submit(v):
        with ws.session() as s:
            result = _results().get(s, result_id)
            addressee = s.get(Office, v["addressee"]) if v["addressee"] else None
            _results().push(
                s, result, office=ws.acting_office(s), operator=ws.operator,
                channel=v["channel"], agreed_due=v["agreed_due"], addressee=addressee,
                calendar=ws.calendar,
            )
            s.commit()

    dlg.submit = submit
    return _finish(ws, dlg, result_id)


def _act(ws: Workspace, result_id: uuid.UUID, action: str, reason: str = "") -> None:
    with ws.session() as s:
        result = _results().get(s, result_id)
        _results().act(
            s, result, action, office=ws.acting_office(s), operator=ws.operator, reason=reason
        )
        s.commit()


def _finish(ws: Workspace, dlg: QDialog, result_id: uuid.UUID) -> bool:
    dlg.on_conflict = lambda: ws.changed.emit(result_id)  # another desk was quicker: refresh
    if dlg.exec() != QDialog.DialogCode.Accepted:
        return False
    ws.changed.emit(result_id)
    return True


def sign_off(ws: Workspace, result_id: uuid.UUID, parent: QWidget | None = None) -> bool:
    """签收 (competent department), confirmed first."""
    from app.ui.dialogs.simple import ConfirmDialog

    if not ensure_operator(ws, parent):
        return False
    _, summary = _summary(ws, result_id)
    dlg = ConfirmDialog(
        "确认签收", summary,
        "确认签收这条审批结果？签收后应及时启动监管程序（第十七条）。", "签收", parent,
    )
    dlg.submit = lambda _v: _act(ws, result_id, "sign_off")
    return _finish(ws, dlg, result_id)


def return_result(ws: Workspace, result_id: uuid.UUID, parent: QWidget | None = None) -> bool:
    """退回 with a reason (the push reached the wrong department)."""
    from app.ui.dialogs.simple import ReasonDialog

    if not ensure_operator(ws, parent):
        return False
    _, summary = _summary(ws, result_id)
    dlg = ReasonDialog(summary, parent)
    dlg.submit = lambda v: _act(ws, result_id, "return", v["reason"])
    return _finish(ws, dlg, result_id)


def start_supervision(ws: Workspace, result_id: uuid.UUID, parent: QWidget | None = None) -> bool:
    """启动监管 after sign-off."""
    from app.ui.dialogs.simple import ConfirmDialog

    if not ensure_operator(ws, parent):
        return False
    _, summary = _summary(ws, result_id)
    dlg = ConfirmDialog(
        "启动监管", summary, "确认对该许可启动事中事后监管程序？", "启动监管", parent,
    )
    dlg.submit = lambda _v: _act(ws, result_id, "start_supervision")
    return _finish(ws, dlg, result_id)


# The detail pane's and toolbar's action names, mapped to the functions above.
RESULT_ACTIONS = {
    "send": push_result,
    "sign_off": sign_off,
    "return": return_result,
    "start_supervision": start_supervision,
}


def run_result_action(ws: Workspace, action: str, result_id: uuid.UUID,
                      parent: QWidget | None = None) -> bool:
    fn = RESULT_ACTIONS.get(action)
    return bool(fn and fn(ws, result_id, parent))


def switch_office(ws: Workspace, office_id: uuid.UUID) -> None:
    """当前单位 (demo mode): act as another local office; the views refresh."""
    ws.set_office(office_id)
