"""Art. 19 and Art. 20 between installations through real bundles: penalty (department →
bureau), licence change back (bureau → department, signed off there), referral (department A →
department B: accepted, or declined with a reason), case result to the referrer and to the
bureau. Hostile subjects are refused with the database unchanged."""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime

import pytest
from sqlalchemy import select

from app.models import ApprovalResult, Dispatch, LicenceChange, OfficeKey, PenaltyDecision, Referral
from app.services import results, rules
from app.services.enforcement import licences, penalties, referrals
from app.services.exchange import bundle, importer, keys
from tests.conftest import a_result_input
from tests.services.enforcement.test_flows import a_decision, a_penalty
from tests.services.exchange.conftest import export, import_file, logical_dump, ship
from tests.services.exchange.corpus import header_for, seal_raw


def licence_at_department(q, tmp_path) -> uuid.UUID:
    """The bureau records and pushes a licence; the department holds it after the bundle."""
    with q.ap.session() as s:
        r = results.record(s, a_result_input(), office=q.ap.office(s), operator="王芳")
        results.push(s, r, office=q.ap.office(s), operator="王芳")
        s.commit()
        rid = r.id
    assert ship(q.ap, q.zj, tmp_path).status == importer.APPLIED
    return rid


def record_penalty(q, rid, **kw) -> uuid.UUID:
    with q.zj.session() as s:
        pd = penalties.record(s, a_penalty(str(rid), **kw), office=q.zj.office(s), operator="赵强")
        s.commit()
        return pd.id


def test_penalty_and_licence_change_travel_and_are_signed_off(quad, tmp_path, frozen):
    q = quad
    rid = licence_at_department(q, tmp_path)
    pid = record_penalty(q, rid)
    report = ship(q.zj, q.ap, tmp_path)
    assert report.status == importer.APPLIED, report.message
    assert [(o.kind, o.outcome) for o in report.outcomes] == [("penalty_notice", "created")]
    with q.ap.session() as s:
        pd = s.get(PenaltyDecision, pid)
        assert (pd.approval_result_id, pd.measure, pd.decision_number) == (rid, "revoke", "营住建罚〔2026〕15号")
        d = penalties.notice(s, pd)
        assert (d.status, d.send_due) == (rules.SENT, date(2026, 11, 27))
        frozen(datetime(2026, 11, 26, 9, 0))
        lc = licences.decide(s, pd, a_decision(decided_on=date(2026, 11, 26)), office=q.ap.office(s),
                             operator="王芳")
        s.commit()
        lid = lc.id
    report = ship(q.ap, q.zj, tmp_path)
    assert report.status == importer.APPLIED, report.message
    assert sorted((o.kind, o.action, o.outcome) for o in report.outcomes) == [
        ("licence_change_push", "send", "created"), ("penalty_notice", "decide", "updated")]
    with q.zj.session() as s:
        assert penalties.notice(s, s.get(PenaltyDecision, pid)).status == rules.DECIDED
        assert s.get(PenaltyDecision, pid).licence_decided_at == datetime(2026, 11, 26, 9, 0)
        lc = s.get(LicenceChange, lid)
        assert (lc.kind, lc.penalty_decision_id, lc.approval_result_id) == ("revoke", pid, rid)
        [push] = licences.pushes(s, lc)
        assert (push.status, push.send_due, push.reply_due) == (rules.SENT, date(2026, 11, 30), date(2026, 11, 30))
        assert licences.licence_state(s, str(rid))["state_label"] == "已撤销"
        frozen(datetime(2026, 11, 27, 9, 0))
        licences.act(s, lc, "sign_off", office=q.zj.office(s), operator="赵强")
        s.commit()
    assert ship(q.zj, q.ap, tmp_path).status == importer.APPLIED
    with q.ap.session() as s:
        [push] = licences.pushes(s, s.get(LicenceChange, lid))
        assert push.status == rules.SIGNED_OFF and [e.operator for e in push.events][-1] == "赵强"
        state = licences.licence_state(s, "210800202611240101")
        assert (state["state"], state["in_force"]) == ("revoke", False)
        assert "营口市住房和城乡建设局已签收" in state["history"][-1]["status"]


def refer(q, **kw) -> uuid.UUID:
    with q.zj.session() as s:
        ref = referrals.refer(s, office=q.zj.office(s), to=q.zj.office(s, "YK-SJJ"), party_name="营口市某食品店",
                              case_summary="工地食堂无证经营。", evidence=["现场检查笔录", "照片 12 张"],
                              found_on=date(2026, 11, 25), operator="赵强", **kw)
        s.commit()
        return ref.id


def test_referral_accepted_then_case_result_goes_to_referrer_and_bureau(quad, tmp_path, frozen):
    q = quad
    fid = refer(q)
    frozen(datetime(2026, 11, 30, 9, 0))  # received on Monday: 5 working days from then
    report = ship(q.zj, q.sj, tmp_path)
    assert report.status == importer.APPLIED, report.message
    with q.sj.session() as s:
        ref = s.get(Referral, fid)
        d = referrals.referral_dispatch(s, ref)
        assert (ref.received_on, d.reply_due, d.current_due) == (date(2026, 11, 30), date(2026, 12, 7), date(2026, 12, 7))
        assert ref.evidence.splitlines() == ["现场检查笔录", "照片 12 张"]
        referrals.accept(s, ref, office=q.sj.office(s), operator="孙丽")
        referrals.file_case(s, ref, office=q.sj.office(s), operator="孙丽", filed_on=date(2026, 11, 30),
                            case_number="营市监立〔2026〕88号")
        s.commit()
    with q.zj.session() as s:  # the referrer counted from its send (it cannot know the receipt)
        assert referrals.referral_dispatch(s, s.get(Referral, fid)).reply_due == date(2026, 12, 2)
    assert ship(q.sj, q.zj, tmp_path).status == importer.APPLIED
    with q.zj.session() as s:
        ref = s.get(Referral, fid)
        assert (ref.decision, ref.decided_on) == ("accepted", date(2026, 11, 30))
        assert referrals.referral_dispatch(s, ref).status == rules.ACCEPTED
    frozen(datetime(2026, 12, 10, 9, 0))
    with q.sj.session() as s:
        referrals.report_result(s, s.get(Referral, fid), office=q.sj.office(s), operator="孙丽",
                                result_text="责令停止经营，罚款5000元。", result_on=date(2026, 12, 10))
        s.commit()
    report = ship(q.sj, q.zj, tmp_path)  # also re-sends the acceptance, not yet acknowledged
    assert [(o.kind, o.outcome) for o in report.outcomes if o.kind == "case_result"] == [
        ("case_result", "updated")], report.message
    with q.zj.session() as s:
        ref = s.get(Referral, fid)
        assert (ref.case_number, ref.result_text, ref.result_on) == (
            "营市监立〔2026〕88号", "责令停止经营，罚款5000元。", date(2026, 12, 10))
    report = ship(q.sj, q.ap, tmp_path)
    assert [(o.kind, o.outcome) for o in report.outcomes] == [("case_result", "created")], report.message
    with q.ap.session() as s:
        ref = s.get(Referral, fid)
        assert (ref.decision, ref.case_filed_on, ref.received_on) == ("accepted", date(2026, 11, 30), None)
        referrals.acknowledge_result(s, ref, office=q.ap.office(s), operator="王芳")
        s.commit()
    assert ship(q.ap, q.sj, tmp_path).status == importer.APPLIED
    with q.sj.session() as s:
        states = {s.get(type(q.sj.office(s)), d.addressee_office_id).code: d.status
                  for d in s.scalars(select(Dispatch).where(Dispatch.kind == "case_result"))}
        assert states == {"YK-ZJJ": rules.SENT, "YK-SPJ": rules.ACKNOWLEDGED}


def test_referral_declined_with_reason_travels_back(quad, tmp_path, frozen):
    q = quad
    fid = refer(q)
    ship(q.zj, q.sj, tmp_path)
    with q.sj.session() as s:
        referrals.decline(s, s.get(Referral, fid), office=q.sj.office(s), operator="孙丽",
                          reason="属卫生健康部门职责")
        s.commit()
    assert ship(q.sj, q.zj, tmp_path).status == importer.APPLIED
    with q.zj.session() as s:
        ref = s.get(Referral, fid)
        assert (ref.decision, ref.decision_reason) == ("declined", "属卫生健康部门职责")
        assert referrals.referral_dispatch(s, ref).status == rules.DECLINED


def _forge(q, src, dst, folder, change) -> bytes:
    path = export(src, dst.code, folder)
    with dst.session() as s:
        own = keys.decryption_key(s.query(OfficeKey).one())
    payload = bundle.decrypt(bundle.read_envelope(path.read_bytes()), own)
    change([m for m in payload["messages"] if m["subject"] is not None][-1]["subject"])
    sign = {}
    for h in q.homes:
        with h.session() as s:
            k = s.query(OfficeKey).one()
            sign[h.code] = (keys.signing_key(k), k.encrypt_public)
    payload = dict(payload, bundle_id=str(uuid.uuid4()))
    return seal_raw(header_for(payload), json.dumps(payload, ensure_ascii=False).encode(),
                    sign[src.code][0], sign[dst.code][1])


def _refused(dst, folder, data, words):
    before = logical_dump(dst)
    path = folder / "forged.json"
    path.write_bytes(data)
    report = import_file(dst, path)
    assert report.status != importer.APPLIED
    assert words in report.message + " ".join(o.reason for o in report.outcomes)
    assert logical_dump(dst) == before


@pytest.mark.parametrize("change, words", [
    (lambda sub: sub.update(measure="fine"), "不符合格式规范"),
    (lambda sub: sub.update(facts="x" * 4001), "超出上限"),
    (lambda sub: sub.update(applicant_id="210802199003071234"), "未知字段 applicant_id"),
    (lambda sub: sub.update(id=str(uuid.uuid4())), "与发送记录不符"),
    (lambda sub: sub.update(office="YK-SJJ"), "与发送记录不符"),
    (lambda sub: sub.update(licence_number="OTHER-1"), "证照编号不一致"),
])
def test_hostile_penalty_is_refused_and_changes_nothing(quad, tmp_path, change, words):
    rid = licence_at_department(quad, tmp_path)
    record_penalty(quad, rid)
    _refused(quad.ap, tmp_path, _forge(quad, quad.zj, quad.ap, tmp_path, change), words)


@pytest.mark.parametrize("change, words", [
    (lambda sub: sub.update(kind="suspend"), "不符合格式规范"),
    (lambda sub: sub.update(penalty_decision_id="not-a-uuid"), "不符合格式规范"),
    (lambda sub: sub.update(id=str(uuid.uuid4())), "与发送记录不符"),
    (lambda sub: sub.update(licence_number="OTHER-1"), "不一致"),
])
def test_hostile_licence_change_is_refused_and_changes_nothing(quad, tmp_path, frozen, change, words):
    rid = licence_at_department(quad, tmp_path)
    pid = record_penalty(quad, rid)
    ship(quad.zj, quad.ap, tmp_path)
    with quad.ap.session() as s:
        licences.decide(s, s.get(PenaltyDecision, pid), a_decision(), office=quad.ap.office(s), operator="王芳")
        s.commit()
    _refused(quad.zj, tmp_path, _forge(quad, quad.ap, quad.zj, tmp_path, change), words)


@pytest.mark.parametrize("change, words", [
    (lambda sub: sub.update(evidence=[]), "evidence"),
    (lambda sub: sub.update(evidence=["x" * 501]), "超出上限"),
    (lambda sub: sub.update(decision="maybe"), "不符合格式规范"),
    (lambda sub: sub.update(receiving_office="YK-SPJ"), "与发送记录不符"),
    (lambda sub: sub.update(id=str(uuid.uuid4())), "与发送记录不符"),
])
def test_hostile_referral_is_refused_and_changes_nothing(quad, tmp_path, change, words):
    refer(quad)
    _refused(quad.sj, tmp_path, _forge(quad, quad.zj, quad.sj, tmp_path, change), words)


def test_hostile_case_result_for_another_referral_is_refused(quad, tmp_path, frozen):
    fid = refer(quad)
    ship(quad.zj, quad.sj, tmp_path)
    with quad.sj.session() as s:
        ref = s.get(Referral, fid)
        referrals.accept(s, ref, office=quad.sj.office(s), operator="孙丽")
        referrals.file_case(s, ref, office=quad.sj.office(s), operator="孙丽", filed_on=date(2026, 11, 25))
        referrals.report_result(s, ref, office=quad.sj.office(s), operator="孙丽", result_text="罚款。",
                                result_on=date(2026, 11, 25))
        s.commit()
    ship(quad.sj, quad.ap, tmp_path)  # the bureau's copy is not the point here
    _refused(quad.zj, tmp_path, _forge(quad, quad.sj, quad.zj, tmp_path,
                                       lambda sub: sub.update(result_on=None)), "缺少受理决定")
    assert ApprovalResult  # imported for the record types above
