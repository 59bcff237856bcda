"""The printed form of a dispatch, whatever its kind: one table from dispatch kind to the form
builder of its flow (forms layout, each with its QR code).

``printed(session, dispatch, fonts)`` returns a :class:`Printed` (the PDF, a title for the
preview and a file name) for the 办件 page's 打印 and any other caller; a kind without a
printed form is not in :data:`BUILDERS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.models import Dispatch, Office
from app.services.errors import NotFoundError, ValidationError
from app.services.forms.render import Rendered


@dataclass(frozen=True)
class Printed:
    out: Rendered
    title: str
    file_name: str


Builder = Callable[[Session, Dispatch, object], Printed]


def _subject(session: Session, model, d: Dispatch, what: str):
    obj = session.get(model, d.subject_id)
    if obj is None:
        raise NotFoundError(f"本机没有这件办件的{what}记录，无法打印。")
    return obj


def _safe(text: str, n: int = 20) -> str:
    return "".join(ch for ch in text if ch not in '\\/:*?"<>|').strip()[:n] or "单据"


def _approval_push(session: Session, d: Dispatch, fonts) -> Printed:
    from app.services.forms import render, transmittal

    [t] = transmittal.load(session, [d.id])
    return Printed(render.transmittals([t], fonts=fonts), f"推送单 {t.serial}",
                   f"推送单-{_safe(t.applicant_name)}-{t.pushed_at:%Y%m%d}.pdf")


def _consent_letter(session: Session, d: Dispatch, fonts) -> Printed:
    from app.models import SheetChange
    from app.services.forms.sheetform import render_consent_letter

    change = _subject(session, SheetChange, d, "关键要素调整")
    return Printed(render_consent_letter(session, change, fonts=fonts), "关键要素调整征求意见函",
                   f"征求意见函-{_safe(change.item_code)}.pdf")


def _penalty_notice(session: Session, d: Dispatch, fonts) -> Printed:
    from app.models.enforcement import PenaltyDecision
    from app.services.forms import enforcement_forms as ef

    form = ef.penalty_form(session, _subject(session, PenaltyDecision, d, "行政处罚决定"))
    return Printed(ef.render([form], fonts=fonts), f"{ef.TITLES[form.kind]} {form.serial}",
                   f"行政处罚信息推送单-{_safe(form.serial)}.pdf")


def _licence_change(session: Session, d: Dispatch, fonts) -> Printed:
    from app.models.enforcement import LicenceChange
    from app.services.forms import enforcement_forms as ef

    lc = _subject(session, LicenceChange, d, "许可决定")
    forms = [f for f in ef.licence_forms(session, lc, session.get(Office, d.addressee_office_id))
             if f.dispatch_id == d.id]
    if not forms:
        raise ValidationError("这条许可变更推送尚未发出，不能打印。", "dispatch")
    return Printed(ef.render(forms, fonts=fonts), f"{ef.TITLES[ef.LICENCE]} {lc.decision_number}",
                   f"许可变更信息推送单-{_safe(lc.decision_number)}.pdf")


def _referral(session: Session, d: Dispatch, fonts) -> Printed:
    """违法线索移送函, followed by the 受理决定回复函 once the acceptance is decided."""
    from app.models.enforcement import Referral
    from app.services.forms import enforcement_forms as ef

    ref = _subject(session, Referral, d, "移送")
    forms = [ef.referral_form(session, ref)]
    if ref.decision is not None:
        forms.append(ef.acceptance_form(session, ref))
    title = ef.TITLES[ef.REFERRAL] + ("及受理决定回复函" if len(forms) > 1 else "")
    return Printed(ef.render(forms, fonts=fonts), title, f"违法线索移送函-{_safe(ref.party_name)}.pdf")


def _consultation(session: Session, d: Dispatch, fonts) -> Printed:
    from app.models import Consultation
    from app.services.forms.cooperation_forms import render_consultation

    c = _subject(session, Consultation, d, "会商")
    name = "会商工作会议通知" if c.mode == "meeting" else "会商函"
    return Printed(render_consultation(session, c, fonts=fonts), f"{name} {c.topic}",
                   f"{name}-{_safe(c.topic)}.pdf")


def _support(session: Session, d: Dispatch, fonts) -> Printed:
    from app.models import SupportRequest
    from app.services.forms.cooperation_forms import render_support

    sr = _subject(session, SupportRequest, d, "商请")
    return Printed(render_support(session, sr, fonts=fonts), f"商请函 {sr.title}", f"商请函-{_safe(sr.title)}.pdf")


# dispatch kind -> the builder of its printed form.
BUILDERS: dict[str, Builder] = {
    "approval_push": _approval_push,
    "key_element_consent": _consent_letter,
    "penalty_notice": _penalty_notice,
    "licence_change_push": _licence_change,
    "referral": _referral,
    "case_result": _referral,
    "consultation": _consultation,
    "consultation_minutes": _consultation,
    "technical_support": _support,
    "training_request": _support,
    "field_guidance": _support,
    "certificate_stock": _support,
}


def can_print(kind: str) -> bool:
    return kind in BUILDERS


def printed(session: Session, d: Dispatch | None, fonts=None) -> Printed:
    """The printed form of ``d`` (refuses a dispatch that is gone or has no form)."""
    if d is None:
        raise NotFoundError("这件办件已不存在，请刷新。")
    builder = BUILDERS.get(d.kind)
    if builder is None:
        raise ValidationError("这类办件没有印制的单据。", "kind")
    return builder(session, d, fonts)
