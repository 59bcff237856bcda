"""Art. 9, 10, 12, 13 between two installations through real bundles: a meeting consultation
(bureau → department → reply → minutes → acknowledgement) and a certificate stock request."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from app.models import Consultation, Dispatch, SupportRequest
from app.services import rules
from app.services.cooperation import requests
from app.services.exchange import importer
from tests.services.exchange.conftest import ship


def test_meeting_consultation_travels_with_reply_and_minutes(world, tmp_path, frozen):
    ap, zj = world.ap, world.zj
    with ap.session() as s:
        c = requests.send_consultation(
            s, office=ap.office(s), operator="王芳", mode="meeting", topic="施工许可联合踏勘安排",
            agenda="一、踏勘范围\n二、分工", participants="王芳（审批局）、赵强（住建局）",
            to=[ap.office(s, "YK-ZJJ")], meeting_on=date(2026, 11, 30))
        s.commit()
        cid = c.id
    report = ship(ap, zj, tmp_path)
    assert report.status == importer.APPLIED, report.message
    assert [(o.kind, o.outcome) for o in report.outcomes] == [("consultation", "created")]
    assert "施工许可联合踏勘安排" in report.outcomes[0].applicant
    with zj.session() as s:
        got = requests.consultation_dict(s, s.get(Consultation, cid))
        assert (got["mode_label"], got["agenda"], got["requester"]) == ("工作会议", "一、踏勘范围\n二、分工", "YK-SPJ")
        requests.reply_consultation(s, s.get(Consultation, cid), "按时参加，派两名技术人员。", office=zj.office(s),
                                    operator="赵强")
        s.commit()
    assert ship(zj, ap, tmp_path).status == importer.APPLIED
    frozen(datetime(2026, 11, 30, 16, 0))
    with ap.session() as s:
        c = s.get(Consultation, cid)
        assert requests.consultation_dict(s, c)["replies"][0]["reply"] == "按时参加，派两名技术人员。"
        requests.record_minutes(s, c, office=ap.office(s), operator="王芳", minutes="会议确定12月3日联合踏勘。",
                                outcome="住建局派员参加踏勘", held_on=date(2026, 11, 30))
        s.commit()
    report = ship(ap, zj, tmp_path)
    assert [(o.kind, o.outcome) for o in report.outcomes] == [("consultation_minutes", "updated")]
    with zj.session() as s:
        c = s.get(Consultation, cid)
        assert (c.minutes, c.outcome, c.held_on) == ("会议确定12月3日联合踏勘。", "住建局派员参加踏勘", date(2026, 11, 30))
        requests.acknowledge_minutes(s, c, office=zj.office(s), operator="赵强")
        s.commit()
    assert ship(zj, ap, tmp_path).status == importer.APPLIED
    with ap.session() as s:
        kinds = {d.kind: d.status for d in s.scalars(select(Dispatch).where(Dispatch.subject_id == cid))}
        assert kinds == {"consultation": rules.CLOSED, "consultation_minutes": rules.ACKNOWLEDGED}


def test_certificate_stock_request_travels_and_the_reply_comes_back(world, tmp_path, frozen):
    ap, zj = world.ap, world.zj
    with ap.session() as s:
        sr = requests.send_support(s, "certificate_stock", office=ap.office(s), operator="王芳",
                                   to=ap.office(s, "YK-ZJJ"), title="申领建筑工程施工许可证",
                                   content="省住建厅统一印制，我局独立申领受阻，请协助。", quantity=500)
        s.commit()
        sid = sr.id
    report = ship(ap, zj, tmp_path)
    assert [(o.kind, o.outcome) for o in report.outcomes] == [("certificate_stock", "created")]
    with zj.session() as s:
        got = requests.support_dict(s, s.get(SupportRequest, sid))
        assert (got["quantity"], got["article"], got["status_label"]) == (500, "第十三条", "待答复")
        requests.reply_support(s, s.get(SupportRequest, sid), "已向省厅申领，12月10日前送达。", office=zj.office(s),
                               operator="赵强")
        s.commit()
    assert ship(zj, ap, tmp_path).status == importer.APPLIED
    with ap.session() as s:
        sr = s.get(SupportRequest, sid)
        assert sr.reply_text == "已向省厅申领，12月10日前送达。"
        assert sr.replied_at == datetime(2026, 11, 25, 10, 0)
        assert requests.support_dict(s, sr)["status"] == rules.CLOSED
