"""The demo city's lists and flows beyond Art. 17 (issues 5 and 6), played through the services
after the approval results, with the clock pinned to each step's moment:

- the item catalogue: the 2025 version in force and filed (from the demo's items) and a 2027
  draft with a renamed, an added and a removed item (Art. 7);
- implementation and push sheets handed over for a few items, one key-element change consented
  and one waiting for consent; a policy notice and an opinion request (Art. 8);
- expert and agency pools, one entry of each expiring soon and one expired (Art. 11);
- penalty notices: one answered by a licence decision that was signed off, one waiting (Art. 19);
- referrals: accepted with a case result, declined, one past its decision limit (Art. 20);
- a consultation meeting with minutes, a consultation letter and support requests (Art. 9–13);
- two offices' reports to the oversight office and last month's circular (Art. 21).

Static texts are in :mod:`app.services.demo_texts`.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from app import clock
from app.models import ApprovalResult, Dispatch, LicensingItem
from app.services import demo_texts as t
from app.services import dispatch as engine
from app.services import rules

if TYPE_CHECKING:
    from app.services.demo import _Builder

STEPS = 9  # progress steps of :func:`build_flows`


class _Flows:
    def __init__(self, b: _Builder):
        self.b, self.s, self.r, self.cal = b, b.s, b.recent, b.cal
        self.office = b.office

    def at(self, day: date, hour: int = 10, minute: int | None = None) -> datetime:
        """Pin the clock to ``day`` at office hours (never after the demo's now)."""
        minute = self.b.rng.randint(0, 50) if minute is None else minute
        moment = min(datetime.combine(day, time(hour, minute)), self.b.now)
        clock.pin(moment)
        return moment

    def op(self, code: str) -> str:
        return self.b.operators[code][0]

    # -- Art. 7 -------------------------------------------------------------------------

    def catalogue(self) -> None:
        from app.services.catalogue import versions as cat

        ys = self.office["YK-YSJ"]
        self.at(date(2024, 12, 10))
        n = cat.create_draft(self.s, ys, t.CATALOGUE_V1, "items")
        cat.record_opinion(self.s, n, "YK-SPJ", True, "同意。")
        cat.record_opinion(self.s, n, "YK-ZJJ", True, "")
        cat.record_opinion(self.s, n, "YK-SJJ", True, "建议将食品经营许可纳入“一件事”联办。")
        self.at(date(2024, 12, 16))
        cat.evaluate(self.s, n)
        self.at(date(2024, 12, 23))
        cat.approve(self.s, n, t.CATALOGUE_APPROVAL, date(2024, 12, 20))
        cat.put_in_force(self.s, ys, n, date(2025, 1, 1))
        self.at(date(2025, 1, 16))
        cat.mark_filed(self.s, n, date(2025, 1, 15), t.CATALOGUE_FILED_WITH)
        self.at(self.r[5])
        draft = cat.create_draft(self.s, ys, t.CATALOGUE_V2, n)
        cat.edit_entry(self.s, draft, t.V2_RENAME[0], name=t.V2_RENAME[1])
        code, name, competent, level = t.V2_ADD
        cat.add_entry(self.s, draft, code, name, self.office[competent].name.removeprefix("营口市"), competent, level)
        cat.remove_entry(self.s, draft, t.V2_REMOVE)
        cat.record_opinion(self.s, draft, "YK-SPJ", True, "同意调整，建议同步更新实施清单。")

    # -- Art. 8 -------------------------------------------------------------------------

    def sheets(self) -> None:
        from app.services.sheets import consent, notices, sheets

        approval = self.office["YK-SPJ"]
        for k, code in enumerate(t.SHEET_ITEMS):
            item = self.b.item[code]
            office = item.competent_office
            self.at(date(2025, 1, 8 + k))
            fields = t.sheet_fields(item.name, office.name.removeprefix("营口市"), 7 + k)
            for key, value in fields.items():
                sheets.edit(self.s, code, key, value, office=office)
            sheets.edit(self.s, code, sheets.PUSH_KEY, t.PUSH_FIELDS, office=office)
            sheets.hand_over(self.s, code, office=office)
        code, key, value, reason = t.CONSENT_AGREED
        self.at(self.r[9], 9, 30)
        change = consent.propose(self.s, code, key, value, reason, office=approval, operator=self.op("YK-SPJ"))
        competent = self.b.item[code].competent_office
        self.at(self.r[8], 15)
        consent.answer(self.s, change, True, office=competent, operator=self.op(competent.code))
        code, key, value, reason = t.CONSENT_PENDING
        self.at(self.r[1], 14)
        consent.propose(self.s, code, key, value, reason, office=approval, operator=self.op("YK-SPJ"))
        title, content, basis = t.POLICY_NOTICE
        self.at(self.r[7], 9)
        pc = notices.send(self.s, notices.NOTICE, office=self.office["YK-ZJJ"], operator=self.op("YK-ZJJ"),
                          title=title, content=content, basis=basis, effective_on=date(2026, 12, 1))
        self.at(self.r[6], 11)
        notices.acknowledge(self.s, pc, office=approval, operator=self.op("YK-SPJ"))
        title, content = t.OPINION_REQUEST
        self.at(self.r[2], 10)
        notices.send(self.s, notices.REQUEST, office=self.office["YK-SJJ"], operator=self.op("YK-SJJ"),
                     title=title, content=content, reply_wanted_by=self.cal.add(self.b.today, 8).due)

    # -- Art. 11 ------------------------------------------------------------------------

    def pools(self) -> None:
        from app.services import pools
        from app.services.ids import uscc_check_char

        today = self.b.today
        self.at(self.r[10], 9)
        for k, (name, specialty, title, employer, qualification, office, days) in enumerate(t.EXPERTS, 1):
            pools.add(self.s, pools.EXPERT, {
                "name": name, "specialty": specialty, "title": title, "employer": employer,
                "qualification": qualification, "certificate_number": f"LN2108{2019 + k}{k * 37:04d}",
                "phone": self.b.people.mobile(), "valid_from": date(2024, 1, 1),
                "valid_until": today + timedelta(days=days), "office": office})
        for name, body, scope, qualification, contact, days in t.AGENCIES:
            pools.add(self.s, pools.AGENCY, {
                "name": name, "credit_code": body + uscc_check_char(body), "scope": scope,
                "qualification": qualification, "contact_name": contact, "phone": self.b.people.mobile(),
                "valid_until": today + timedelta(days=days)})

    # -- Art. 19 ------------------------------------------------------------------------

    def _licence(self, prefix: str, before: date) -> ApprovalResult:
        stmt = (select(ApprovalResult).join(LicensingItem, LicensingItem.id == ApprovalResult.item_id)
                .join(Dispatch, Dispatch.id == ApprovalResult.current_dispatch_id)
                .where(LicensingItem.code.like(f"{prefix}%"), Dispatch.status == rules.SUPERVISING,
                       ApprovalResult.decided_on < before)
                .order_by(ApprovalResult.decided_on.desc(), ApprovalResult.licence_number))
        return self.s.scalars(stmt).first()

    def penalties(self) -> None:
        from app.services.enforcement import licences, penalties

        approval = self.office["YK-SPJ"]
        for (code, measure, number, facts, basis), prefix, day in zip(
                t.PENALTIES, ("ZJ-001", "SJ-001"), (self.r[7], self.r[2]), strict=True):
            lic = self._licence(prefix, day)
            if lic is None:  # a tiny demo city has no licence to punish
                continue
            self.at(day, 10)
            data = penalties.PenaltyInput(number, day, measure, facts, basis, lic.licence_number)
            pd = penalties.record(self.s, data, office=self.office[code], operator=self.op(code),
                                  calendar=self.cal)
            if code != "YK-ZJJ":
                continue  # the enforcement bureau's notice waits for the bureau's decision
            self.at(self.r[6], 9, 40)
            penalties.sign_off(self.s, pd, office=approval, operator=self.op("YK-SPJ"))
            self.at(self.r[5], 15)
            number, content = t.LICENCE_DECISION
            lc = licences.decide(self.s, pd, licences.LicenceDecisionInput("revoke", number, self.r[5], content),
                                 office=approval, operator=self.op("YK-SPJ"), calendar=self.cal)
            self.at(self.r[4], 10)
            for d in licences.pushes(self.s, lc):
                to = self.b.by_id[d.addressee_office_id]
                licences.act(self.s, lc, "sign_off", office=to, operator=self.op(to.code))

    # -- Art. 20 ------------------------------------------------------------------------

    def referrals(self) -> None:
        from app.services.enforcement import referrals

        made = []
        for (src, dst, party, summary, evidence), day in zip(t.REFERRALS, (self.r[8], self.r[5], self.r[9]),
                                                            strict=True):
            self.at(day, 14)
            made.append(referrals.refer(self.s, office=self.office[src], to=self.office[dst], party_name=party,
                                        case_summary=summary, evidence=evidence, found_on=day,
                                        operator=self.op(src), calendar=self.cal))
        market, health = self.office["YK-SJJ"], self.office["YK-WJW"]
        self.at(self.r[7], 10)
        referrals.accept(self.s, made[0], office=market, operator=self.op("YK-SJJ"))
        referrals.file_case(self.s, made[0], office=market, operator=self.op("YK-SJJ"), filed_on=self.r[7],
                            case_number=t.CASE_NUMBER)
        self.at(self.r[3], 16)
        referrals.report_result(self.s, made[0], office=market, operator=self.op("YK-SJJ"),
                                result_text=t.CASE_RESULT, result_on=self.r[3], calendar=self.cal)
        self.at(self.r[3], 11)
        referrals.decline(self.s, made[1], office=health, operator=self.op("YK-WJW"), reason=t.DECLINE_REASON)

    # -- Art. 9-13 ----------------------------------------------------------------------

    def requests(self) -> None:
        from app.services.cooperation import requests

        o, approval = self.office, self.office["YK-SPJ"]
        self.at(self.r[6], 9)
        meeting = requests.send_consultation(
            self.s, office=approval, operator=self.op("YK-SPJ"), mode="meeting", topic="建设项目“多测合一”联合踏勘",
            to=[o["YK-ZJJ"], o["YK-ZRJ"]], agenda="一、联合踏勘的范围和分工；二、踏勘意见的出具时限。",
            participants="各单位分管科长、业务骨干各1名", meeting_on=self.r[4])
        self.at(self.r[5], 15)
        for code in ("YK-ZJJ", "YK-ZRJ"):
            requests.reply_consultation(self.s, meeting, "同意，将派员参加。", office=o[code], operator=self.op(code))
        self.at(self.r[3], 10)
        requests.record_minutes(self.s, meeting, office=approval, operator=self.op("YK-SPJ"),
                                outcome="联合踏勘由行政审批局牵头，各单位3个工作日内出具踏勘意见。",
                                minutes="会议研究了联合踏勘的范围、分工和时限，形成一致意见。", held_on=self.r[4])
        self.at(self.r[1], 10)
        requests.send_consultation(self.s, office=approval, operator=self.op("YK-SPJ"), mode="letter",
                                   topic="食品经营与公共场所卫生许可“一件事”联办", to=[o["YK-SJJ"], o["YK-WJW"]],
                                   agenda="拟将两项许可合并受理、同步审查，请函复意见。")
        self.at(self.r[5], 11)
        sr = requests.send_support(self.s, "technical_support", office=approval, operator=self.op("YK-SPJ"),
                                   to=o["YK-ZJJ"], title="商请派员参加施工图审查专家评审",
                                   content="某商业综合体项目需组织专家评审，请派1名结构专业专家参加。")
        self.at(self.r[4], 14)
        requests.reply_support(self.s, sr, "已安排韩立群同志参加评审。", office=o["YK-ZJJ"], operator=self.op("YK-ZJJ"))
        self.at(self.r[2], 9)
        requests.send_support(self.s, "certificate_stock", office=approval, operator=self.op("YK-SPJ"), to=o["YK-JTJ"],
                              title="商请协助申领道路运输经营许可证", content="现有证书余量不足，请协助向省厅申领。",
                              quantity=500, wanted_by=self.cal.add(self.b.today, 10).due)
        self.at(self.r[1], 15)
        requests.send_support(self.s, "training", office=approval, operator=self.op("YK-SPJ"),
                              to=o["YK-WJW"], title="商请开展医疗机构执业登记业务培训",
                              content="请于本月内为审批窗口人员开展一次业务培训。")

    # -- Art. 21 ------------------------------------------------------------------------

    def oversight(self) -> None:
        from app.services.cooperation import circular, reports

        ys = self.office["YK-YSJ"]
        clock.pin(self.b.now - timedelta(minutes=30))
        sent = [d for code in ("YK-ZFJ", "YK-ZJJ")
                for d in reports.send_report(self.s, office=self.office[code], operator=self.op(code))]
        clock.pin(self.b.now - timedelta(minutes=10))
        engine.perform(self.s, sent[0], "acknowledge", office=ys, operator=self.op("YK-YSJ"))
        first = self.b.today.replace(day=1)
        last_month = (first - timedelta(days=1)).strftime("%Y-%m")
        clock.pin(min(datetime.combine(self.cal.next_workday(first), time(10)), self.b.now))
        circular.draft(self.s, ys, last_month, number=f"营营商通〔{last_month[:4]}〕{int(last_month[5:])}号")


def build_flows(b: _Builder, report=None) -> None:
    """Add the issue 5/6 content to a demo city whose results are built (``b``: the builder)."""
    f = _Flows(b)
    for i, step in enumerate((f.catalogue, f.sheets, f.pools, f.penalties, f.referrals, f.requests,
                              f.oversight), 1):
        step()
        b.s.flush()
        if report is not None:
            report(i, STEPS)
