"""The subject records of Art. 19 and Art. 20 dispatches as they travel in bundles: a penalty
decision (``penalty_decision``), the bureau's licence decision (``licence_change``) and a
referral with its acceptance and case result (``referral``, carried by ``referral`` and
``case_result`` dispatches). Each is checked against its ``$defs`` entry of
resources/schemas/bundle-v1.schema.json first; the addressee creates the record under the
sender's id. A record whose id, offices or licence do not match its dispatch or what this
office already holds is refused (the whole bundle is then not applied). No applicant ID
numbers travel here: the licence is named by its number, item and holder.
"""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from app import clock
from app.models import ApprovalResult, Office
from app.models.enforcement import MEASURES, LicenceChange, PenaltyDecision, Referral
from app.services.exchange.messages import parse_date, parse_time
from app.services.exchange.subjects import CodeOf, SubjectCodec, register

LICENCE_FIELDS = ("licence_number", "item_code", "item_name", "holder_name")


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _id(value) -> str | None:
    return str(value) if value is not None else None


def _rejected(text: str):
    from app.services.exchange.apply import Rejected

    return Rejected(text)


def _check(sub: dict, sid: uuid.UUID, ok: bool, what: str) -> None:
    if sub["id"] != str(sid) or not ok:
        raise _rejected(f"{what}消息所附记录与发送记录不符（编号或单位不一致）。")


def _licence(session: Session, sub: dict, what: str) -> dict:
    """The licence fields; a licence id this office holds must be the same licence."""
    rid = uuid.UUID(sub["approval_result_id"]) if sub["approval_result_id"] else None
    if rid is not None:
        r = session.get(ApprovalResult, rid)
        if r is not None and (r.licence_number or "") != sub["licence_number"]:
            raise _rejected(f"{what}所涉许可与本机同编号的审批结果不符（证照编号不一致）。")
    return {"approval_result_id": rid} | {f: sub[f] for f in LICENCE_FIELDS}


# -- penalty_decision -----------------------------------------------------------------------

def _penalty_dict(session: Session, sid: uuid.UUID, code_of: CodeOf) -> dict | None:
    p = session.get(PenaltyDecision, sid)
    if p is None:
        return None
    return {
        "id": str(p.id), "office": code_of(p.deciding_office_id), "decision_number": p.decision_number,
        "decided_on": _iso(p.decided_on), "measure": p.measure, "facts": p.facts,
        "legal_basis": p.legal_basis, "approval_result_id": _id(p.approval_result_id),
        **{f: getattr(p, f) for f in LICENCE_FIELDS},
        "recorded_at": _iso(p.recorded_at), "recorded_by": p.recorded_by,
    }


def _penalty_apply(applier, sub: dict, sender: Office, addressee: Office, sid: uuid.UUID) -> bool:
    _check(sub, sid, sub["office"] == sender.code, "行政处罚信息推送")
    s = applier.session
    licence = _licence(s, sub, "行政处罚信息")
    if s.get(PenaltyDecision, sid) is not None:
        return False
    s.add(PenaltyDecision(
        id=sid, deciding_office_id=sender.id, decision_number=sub["decision_number"],
        decided_on=parse_date(sub["decided_on"]), measure=sub["measure"], facts=sub["facts"],
        legal_basis=sub["legal_basis"], recorded_at=parse_time(sub["recorded_at"]),
        recorded_by=sub["recorded_by"], **licence,
    ))
    return True


# -- licence_change -------------------------------------------------------------------------

def _change_dict(session: Session, sid: uuid.UUID, code_of: CodeOf) -> dict | None:
    c = session.get(LicenceChange, sid)
    if c is None:
        return None
    return {
        "id": str(c.id), "office": code_of(c.deciding_office_id), "kind": c.kind,
        "decision_number": c.decision_number, "decided_on": _iso(c.decided_on), "content": c.content,
        "penalty_decision_id": _id(c.penalty_decision_id), "approval_result_id": _id(c.approval_result_id),
        **{f: getattr(c, f) for f in LICENCE_FIELDS},
        "recorded_at": _iso(c.recorded_at), "recorded_by": c.recorded_by,
    }


def _change_apply(applier, sub: dict, sender: Office, addressee: Office, sid: uuid.UUID) -> bool:
    _check(sub, sid, sub["office"] == sender.code, "许可变更信息推送")
    s = applier.session
    licence = _licence(s, sub, "许可变更信息")
    pid = uuid.UUID(sub["penalty_decision_id"]) if sub["penalty_decision_id"] else None
    pd = s.get(PenaltyDecision, pid) if pid else None
    if pd is not None and pd.licence_number != sub["licence_number"]:
        raise _rejected("许可变更信息所涉许可与本机的行政处罚决定不符（证照编号不一致）。")
    if s.get(LicenceChange, sid) is not None:
        return False
    s.add(LicenceChange(
        id=sid, deciding_office_id=sender.id, kind=sub["kind"], decision_number=sub["decision_number"],
        decided_on=parse_date(sub["decided_on"]), content=sub["content"], penalty_decision_id=pid,
        recorded_at=parse_time(sub["recorded_at"]), recorded_by=sub["recorded_by"], **licence,
    ))
    return True


# -- referral -------------------------------------------------------------------------------

CASE_FIELDS = ("decision", "decision_reason", "case_number", "result_text")
CASE_DATES = ("decided_on", "case_filed_on", "result_on")


def _referral_dict(session: Session, sid: uuid.UUID, code_of: CodeOf) -> dict | None:
    r = session.get(Referral, sid)
    if r is None:
        return None
    return {
        "id": str(r.id), "referring_office": code_of(r.referring_office_id),
        "receiving_office": code_of(r.receiving_office_id), "party_name": r.party_name,
        "licence_number": r.licence_number, "case_summary": r.case_summary,
        "evidence": r.evidence.splitlines(), "found_on": _iso(r.found_on), "referred_on": _iso(r.referred_on),
        **{f: getattr(r, f) or ("" if f != "decision" else None) for f in CASE_FIELDS},
        **{f: _iso(getattr(r, f)) for f in CASE_DATES},
        "recorded_at": _iso(r.recorded_at), "recorded_by": r.recorded_by,
    }


def _referral_apply(applier, sub: dict, sender: Office, addressee: Office, sid: uuid.UUID) -> bool:
    """A referral (referrer → receiving department) or its case result (receiving department →
    referrer or approval bureau): the offices named in the record must be the dispatch's."""
    referral = sub["referring_office"] == sender.code and sub["receiving_office"] == addressee.code
    result = sub["receiving_office"] == sender.code and (
        sub["referring_office"] == addressee.code or addressee.role == "approval")
    _check(sub, sid, referral or result, "违法线索移送或案件处理结果")
    if result and not (sub["result_on"] and sub["result_text"] and sub["decision"] == "accepted"):
        raise _rejected("案件处理结果消息缺少受理决定、办结日期或处理结果。")
    s = applier.session
    held = s.get(Referral, sid)
    case = {f: sub[f] or "" for f in CASE_FIELDS} | {f: parse_date(sub[f]) for f in CASE_DATES}
    case["decision"] = sub["decision"]
    if held is not None:
        if held.receiving_office_id != sender.id and result:
            raise _rejected("案件处理结果与本机的移送记录不符（受理部门不一致）。")
        if result:
            for k, v in case.items():
                setattr(held, k, v)
        return False
    referrer = applier._office(sub["referring_office"])
    receiver = applier._office(sub["receiving_office"])
    s.add(Referral(
        id=sid, referring_office_id=referrer.id, receiving_office_id=receiver.id,
        party_name=sub["party_name"], licence_number=sub["licence_number"], case_summary=sub["case_summary"],
        evidence="\n".join(sub["evidence"]), found_on=parse_date(sub["found_on"]),
        referred_on=parse_date(sub["referred_on"]), recorded_at=parse_time(sub["recorded_at"]),
        recorded_by=sub["recorded_by"], received_on=clock.today() if referral else None,
        **(case if result else {}),
    ))
    return True


register(SubjectCodec(
    subject_type="penalty_decision", schema_pointer="/$defs/penalty_decision", to_dict=_penalty_dict,
    apply=_penalty_apply,
    summary=lambda sub: f"{sub['holder_name']}：{MEASURES[sub['measure']]}许可（{sub['decision_number']}）",
    detail=lambda sub: sub["item_name"],
))
register(SubjectCodec(
    subject_type="licence_change", schema_pointer="/$defs/licence_change", to_dict=_change_dict,
    apply=_change_apply,
    summary=lambda sub: f"{sub['holder_name']}：{MEASURES[sub['kind']]}许可（{sub['decision_number']}）",
    detail=lambda sub: sub["item_name"],
))
register(SubjectCodec(
    subject_type="referral", schema_pointer="/$defs/referral", to_dict=_referral_dict,
    apply=_referral_apply, summary=lambda sub: sub["party_name"],
    detail=lambda sub: (sub["result_text"] or sub["case_summary"])[:60],
))
