"""The printed Art. 19 and Art. 20 forms read back as text, and the receipt slips of Art. 19
pushes scanned back: the sign-off goes through the engine; a stale code is refused."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.models import PaperReceipt
from app.services import rules
from app.services.enforcement import licences, paper, penalties, referrals
from app.services.errors import ValidationError, WorkflowError
from app.services.forms import enforcement_forms as ef
from tests.services.enforcement.test_flows import a_decision, a_penalty, licence, refer  # noqa: F401
from tests.services.forms.pdfcheck import fonts, text


def flat(out) -> str:
    return text(out.data).replace(" ", "").replace("\n", "")


def test_penalty_and_licence_change_forms_with_slips(session, city, licence, frozen):  # noqa: F811
    pd = penalties.record(session, a_penalty(licence.licence_number), office=city.housing, operator="赵强")
    out = ef.render([ef.penalty_form(session, pd)])
    page = flat(out)
    for value in ("行政处罚信息推送单", "营口市行政审批局：", "营住建罚〔2026〕15号", "以欺骗手段取得施工许可证",
                  "撤销", "建筑工程施工许可证核发（ZJ-001）", "210800202611240101", "行政处罚信息签收回执",
                  "营口市住房和城乡建设局（盖章）", "2026年11月25日", "回执码：SG1:"):
        assert value in page, value
    assert licence.applicant_id not in page  # no ID numbers on the notice
    assert out.pages == 2 and all(f["embedded"] for f in fonts(out.data))
    lc = licences.decide(session, pd, a_decision(), office=city.approval, operator="王芳")
    [form] = ef.licence_forms(session, lc)
    page = flat(ef.render([form]))
    for value in ("许可变更信息推送单", "营口市住房和城乡建设局：", "撤销许可", "营审批撤〔2026〕3号",
                  "所涉处罚决定", "许可变更信息签收回执", "签收期限"):
        assert value in page, value


def test_referral_letter_lists_the_evidence_and_acceptance_reply(session, city, frozen):
    ref = refer(session, city)
    page = flat(ef.render([ef.referral_form(session, ref)]))
    for value in ("违法线索移送函", "营口市市场监督管理局：", "5个工作日内", "移送材料清单", "现场检查笔录",
                  "照片12张", "询问笔录", "营口市某食品店"):
        assert value in page, value
    with pytest.raises(ValidationError, match="尚未作出受理决定"):
        ef.acceptance_form(session, ref)
    referrals.decline(session, ref, office=city.market, operator="孙丽", reason="属卫生健康部门职责")
    page = flat(ef.render([ef.acceptance_form(session, ref)]))
    for value in ("受理决定回复函", "营口市住房和城乡建设局：", "不予受理", "属卫生健康部门职责",
                  "营口市市场监督管理局（盖章）"):
        assert value in page, value


def test_signed_licence_change_slip_is_scanned_back(session, city, licence, frozen):  # noqa: F811
    pd = penalties.record(session, a_penalty(licence.licence_number), office=city.housing, operator="赵强")
    lc = licences.decide(session, pd, a_decision(), office=city.approval, operator="王芳")
    [form] = ef.licence_forms(session, lc)
    frozen(datetime(2026, 11, 26, 10, 0))
    d = paper.record_slip(session, form.code.lower(), signer="赵强", signed_on=date(2026, 11, 26),
                          office=city.approval, operator="王芳")
    assert d.status == rules.SIGNED_OFF and d.events[-1].office_id == city.housing.id
    assert session.query(PaperReceipt).one().signer == "赵强"
    with pytest.raises(WorkflowError, match="无需再登记"):
        paper.record_slip(session, form.code, signer="赵强", signed_on=date(2026, 11, 26),
                          office=city.approval, operator="王芳")


def test_stale_penalty_slip_is_refused(session, city, licence, frozen):  # noqa: F811
    pd = penalties.record(session, a_penalty(licence.licence_number), office=city.housing, operator="赵强")
    form = ef.penalty_form(session, pd)
    pd.facts = "改过的事实。"
    with pytest.raises(ValidationError, match="二维码与记录不符"):
        paper.record_slip(session, form.code, signer="王芳", signed_on=date(2026, 11, 25),
                          office=city.housing, operator="赵强")
    assert penalties.notice(session, pd).status == rules.SENT
