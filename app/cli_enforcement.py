"""``shenguan penalty|licence|referral …`` and ``shenguan forms penalty|licence-change|referral|
acceptance``: Art. 19 penalty notices and licence changes, Art. 20 referrals. See docs/enforcement.md."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli_common import Context, date_arg, fmt_time, out, out_json, show_rows, table
from app.services import offices, rules
from app.services.enforcement import licences, paper, penalties, referrals
from app.services.forms import enforcement_forms as ef


def _d(day) -> str:
    return day.isoformat() if day else "—"


def register(sub, parents) -> None:
    def group(name, help_):
        p = sub.add_parser(name, parents=parents, help=help_, description=help_)
        return p.add_subparsers(dest=f"{name}_command", metavar="子命令", required=True)

    def cmd(g, name, func, help_, acting=True):
        q = g.add_parser(name, parents=parents, help=help_, description=help_)
        if acting:
            q.add_argument("--as", dest="acting", metavar="CODE", help="以哪个本机单位办理（演示模式必填）")
        q.set_defaults(func=func)
        return q

    def json_(q):
        q.add_argument("--json", action="store_true", help="以 JSON 输出")

    g = group("penalty", "行政处罚信息推送（第十九条）")
    q = cmd(g, "record", cmd_penalty_record, "登记涉及许可的行政处罚决定，并推送行政审批部门（2个工作日内）")
    q.add_argument("--licence", required=True, help="许可证号或审批结果编号")
    q.add_argument("--item", default="", help="许可事项编码或名称（许可证不在本系统中时）")
    q.add_argument("--holder", default="", help="持证人名称（许可证不在本系统中时）")
    q.add_argument("--number", required=True, help="处罚决定书文号")
    q.add_argument("--date", required=True, type=date_arg, help="处罚决定日期")
    q.add_argument("--measure", required=True, help="需处理许可：变更/撤回/撤销/注销")
    q.add_argument("--facts", required=True, help="违法事实摘要")
    q.add_argument("--basis", required=True, help="处罚依据")
    q.add_argument("--to", metavar="CODE", help="行政审批部门代码（可省略）")
    q.add_argument("--hold", action="store_true", help="只登记，暂不推送")
    q = cmd(g, "list", cmd_penalty_list, "列出行政处罚信息推送", acting=False)
    json_(q)
    q = cmd(g, "show", cmd_penalty_show, "显示一条处罚决定及其推送", acting=False)
    q.add_argument("id", metavar="ID")
    json_(q)

    g = group("licence", "许可变更、撤回、撤销、注销（第十九条）")
    q = cmd(g, "decide", cmd_licence_decide, "行政审批部门就处罚信息作出许可决定，并推送回去（2个工作日内）")
    q.add_argument("penalty", metavar="PENALTY_ID", help="处罚决定编号")
    q.add_argument("--kind", required=True, help="变更/撤回/撤销/注销")
    q.add_argument("--number", required=True, help="许可决定文号")
    q.add_argument("--date", required=True, type=date_arg, help="许可决定日期")
    q.add_argument("--content", required=True, help="决定内容")
    q = cmd(g, "show", cmd_licence_show, "显示许可的当前状态和历史", acting=False)
    q.add_argument("licence", metavar="LICENCE", help="许可证号或审批结果编号")
    json_(q)
    q = cmd(g, "sign-off", cmd_licence_sign_off, "签收许可变更信息")
    q.add_argument("id", metavar="ID", help="许可决定编号")
    q = cmd(g, "receipt", cmd_receipt, "登记交回的处罚信息或许可变更签收回执（扫码）")
    q.add_argument("code", metavar="CODE")
    q.add_argument("--signer", required=True)
    q.add_argument("--date", required=True, type=date_arg)

    g = group("referral", "违法线索移送（第二十条）")
    q = cmd(g, "send", cmd_referral_send, "立即移送违法线索及调查取证材料清单")
    q.add_argument("--to", required=True, metavar="CODE", help="受理部门代码")
    q.add_argument("--party", required=True, help="当事人名称")
    q.add_argument("--summary", required=True, help="违法线索摘要")
    q.add_argument("--evidence", required=True, action="append", help="材料清单中的一项（可重复）")
    q.add_argument("--found", required=True, type=date_arg, help="发现日期")
    q.add_argument("--licence", default="", help="许可证号（如有）")
    q = cmd(g, "accept", cmd_referral_accept, "受理（收到后5个工作日内）")
    q.add_argument("id", metavar="ID")
    q.add_argument("--note", default="")
    q = cmd(g, "decline", cmd_referral_decline, "不予受理（须写理由）")
    q.add_argument("id", metavar="ID")
    q.add_argument("--reason", required=True)
    q = cmd(g, "file-case", cmd_referral_file, "登记立案")
    q.add_argument("id", metavar="ID")
    q.add_argument("--date", required=True, type=date_arg)
    q.add_argument("--number", default="", help="立案编号")
    q = cmd(g, "result", cmd_referral_result, "反馈案件处理结果（移送部门和行政审批部门）")
    q.add_argument("id", metavar="ID")
    q.add_argument("--text", required=True)
    q.add_argument("--date", required=True, type=date_arg, help="办结日期")
    q.add_argument("--bureau", metavar="CODE", help="行政审批部门代码（可省略）")
    q = cmd(g, "ack", cmd_referral_ack, "确认收到案件处理结果")
    q.add_argument("id", metavar="ID")
    q = cmd(g, "list", cmd_referral_list, "列出移送", acting=False)
    json_(q)
    q = cmd(g, "show", cmd_referral_show, "显示一条移送", acting=False)
    q.add_argument("id", metavar="ID")
    json_(q)

    forms = sub.choices["forms"]
    fsub = next(a for a in forms._actions if isinstance(a, argparse._SubParsersAction))
    for name, help_ in (("penalty", "行政处罚信息推送单（附签收回执）"), ("licence-change", "许可变更信息推送单（附签收回执）"),
                        ("referral", "违法线索移送函（附材料清单）"), ("acceptance", "受理决定回复函")):
        q = fsub.add_parser(name, parents=parents, help=help_, description=help_)
        q.add_argument("--id", required=True, metavar="ID", help="处罚决定、许可决定或移送的编号")
        q.add_argument("--out", required=True, metavar="FILE.pdf")
        q.set_defaults(func=cmd_print, form=name)


def cmd_penalty_record(ctx: Context) -> int:
    a = ctx.args
    with ctx.session() as s:
        to = offices.office_by_code(s, a.to) if a.to else None
        pd = penalties.record(s, penalties.PenaltyInput(a.number, a.date, a.measure, a.facts, a.basis, a.licence,
                                                         a.item, a.holder),
                              office=ctx.acting_office(s), operator=ctx.operator(s), to=to, push=not a.hold,
                              calendar=ctx.calendar(s))
        d = penalties.notice(s, pd)
        s.commit()
        rule = rules.rule(d.kind)
        out(f"已登记处罚决定 {pd.decision_number}（编号 {str(pd.id)[:8]}），{rule.status_label(d.status)}；"
            f"推送期限 {_d(d.send_due)}（{rule.article}：{rule.send_within.text}）。")
    return 0


def cmd_penalty_list(ctx: Context) -> int:
    with ctx.session() as s:
        rows = penalties.list_penalties(s)
    return show_rows(ctx, rows, empty="没有行政处罚信息。",
                     headers=["编号", "文号", "决定日期", "处罚部门", "持证人", "处理", "状态", "期限"],
                     cells=lambda r: [str(r["id"])[:8], r["decision_number"], _d(r["decided_on"]),
                                      r["deciding_office"], r["holder_name"], r["measure_label"], r["status_label"],
                                      _d(r["current_due"])])


def _events(row: dict) -> None:
    out(f"  {row['kind_label']}：{row['sender']} → {row['addressee']}，{row['status_label']}，"
        f"发送期限 {_d(row['send_due'])}，答复期限 {_d(row['reply_due'])}")
    for e in row["events"]:
        note = f"（{e['note']}）" if e["note"] else ""
        out(f"    {fmt_time(e['at'])}  {e['office']} {e['operator']}：{e['action']}{note}")


def cmd_penalty_show(ctx: Context) -> int:
    with ctx.session() as s:
        d = penalties.penalty_dict(s, penalties.get(s, ctx.args.id))
    if ctx.args.json:
        out_json(d)
        return 0
    out(f"处罚决定 {d['decision_number']}（{_d(d['decided_on'])}，{d['deciding_office']}）：需{d['measure_label']}许可")
    out(f"  许可：{d['item_name']}，持证人 {d['holder_name']}，许可证号 {d['licence_number'] or '—'}")
    out(f"  违法事实：{d['facts']}；依据：{d['legal_basis']}")
    _events(d["notice"])
    return 0


def cmd_licence_decide(ctx: Context) -> int:
    a = ctx.args
    with ctx.session() as s:
        lc = licences.decide(s, penalties.get(s, a.penalty),
                             licences.LicenceDecisionInput(a.kind, a.number, a.date, a.content),
                             office=ctx.acting_office(s), operator=ctx.operator(s), calendar=ctx.calendar(s))
        ds = licences.pushes(s, lc)
        s.commit()
        to = "、".join(f"{d.addressee.name}（期限 {_d(d.send_due)}）" for d in ds)
        out(f"已作出许可决定 {lc.decision_number}（编号 {str(lc.id)[:8]}），已推送：{to}。")
    return 0


def cmd_licence_show(ctx: Context) -> int:
    with ctx.session() as s:
        st = licences.licence_state(s, ctx.args.licence)
    if ctx.args.json:
        out_json(st)
        return 0
    out(f"许可证号 {st['licence_number'] or '—'}：{st['item_name']}，持证人 {st['holder_name']}；"
        f"当前状态：{st['state_label']}")
    out(table(["日期", "事项", "文号", "单位", "内容", "推送状态"],
              [[_d(h["on"]), h["event"], h["number"], h["office"], h["detail"], h["status"]] for h in st["history"]],
              [10, 24, 24, 24, 30, 30]))
    return 0


def cmd_licence_sign_off(ctx: Context) -> int:
    with ctx.session() as s:
        lc = licences.get(s, ctx.args.id)
        licences.act(s, lc, "sign_off", office=ctx.acting_office(s), operator=ctx.operator(s))
        s.commit()
    out(f"已签收许可决定 {lc.decision_number}。")
    return 0


def cmd_receipt(ctx: Context) -> int:
    a = ctx.args
    with ctx.session() as s:
        d = paper.record_slip(s, a.code, signer=a.signer, signed_on=a.date, office=ctx.acting_office(s),
                              operator=ctx.operator(s))
        s.commit()
        out(f"已登记签收：{rules.rule(d.kind).name}，{d.addressee.name}，签收人 {a.signer}。")
    return 0


def cmd_referral_send(ctx: Context) -> int:
    a = ctx.args
    with ctx.session() as s:
        ref = referrals.refer(s, office=ctx.acting_office(s), to=offices.office_by_code(s, a.to), party_name=a.party,
                              case_summary=a.summary, evidence=a.evidence, found_on=a.found,
                              licence_number=a.licence, operator=ctx.operator(s), calendar=ctx.calendar(s))
        d = referrals.referral_dispatch(s, ref)
        s.commit()
        out(f"已移送（编号 {str(ref.id)[:8]}）至{d.addressee.name}，材料 {len(a.evidence)} 项；"
            f"受理决定期限（按发送日计）{_d(d.reply_due)}。")
    return 0


def _referral_step(ctx: Context, fn, done: str, **kw) -> int:
    with ctx.session() as s:
        ref = referrals.get(s, ctx.args.id)
        fn(s, ref, office=ctx.acting_office(s), operator=ctx.operator(s), **kw)
        s.commit()
    out(f"{done}（{str(ref.id)[:8]}，当事人 {ref.party_name}）。")
    return 0


def cmd_referral_accept(ctx: Context) -> int:
    return _referral_step(ctx, referrals.accept, "已受理", note=ctx.args.note)


def cmd_referral_decline(ctx: Context) -> int:
    return _referral_step(ctx, referrals.decline, "已决定不予受理", reason=ctx.args.reason)


def cmd_referral_file(ctx: Context) -> int:
    return _referral_step(ctx, referrals.file_case, "已登记立案", filed_on=ctx.args.date,
                          case_number=ctx.args.number)


def cmd_referral_result(ctx: Context) -> int:
    with ctx.session() as s:
        bureau = offices.office_by_code(s, ctx.args.bureau) if ctx.args.bureau else None
        ref = referrals.get(s, ctx.args.id)
        ds = referrals.report_result(s, ref, office=ctx.acting_office(s), operator=ctx.operator(s),
                                     result_text=ctx.args.text, result_on=ctx.args.date, bureau=bureau,
                                     calendar=ctx.calendar(s))
        s.commit()
        out("已反馈案件处理结果：" + "、".join(d.addressee.name for d in ds) + "。")
    return 0


def cmd_referral_ack(ctx: Context) -> int:
    return _referral_step(ctx, referrals.acknowledge_result, "已确认收到案件处理结果")


def cmd_referral_list(ctx: Context) -> int:
    with ctx.session() as s:
        rows = referrals.list_referrals(s)
    return show_rows(ctx, rows, empty="没有移送。",
                     headers=["编号", "当事人", "发现日期", "移送部门", "受理部门", "状态", "期限", "办结"],
                     cells=lambda r: [str(r["id"])[:8], r["party_name"], _d(r["found_on"]), r["referring_office"],
                                      r["receiving_office"], r["status_label"], _d(r["current_due"]),
                                      _d(r["result_on"])])


def cmd_referral_show(ctx: Context) -> int:
    with ctx.session() as s:
        d = referrals.referral_dict(s, referrals.get(s, ctx.args.id))
    if ctx.args.json:
        out_json(d)
        return 0
    out(f"移送 {str(d['id'])[:8]}：{d['referring_office']} → {d['receiving_office']}，当事人 {d['party_name']}")
    out(f"  线索：{d['case_summary']}（发现 {_d(d['found_on'])}，移送 {_d(d['referred_on'])}，"
        f"收到 {_d(d['received_on'])}）")
    for i, e in enumerate(d["evidence"], 1):
        out(f"  材料{i}：{e}")
    out(f"  受理决定：{d['decision_label']} {d['decision_reason']}（{_d(d['decided_on'])}）；"
        f"立案 {_d(d['case_filed_on'])} {d['case_number']}；处理结果：{d['result_text'] or '—'}（{_d(d['result_on'])}）")
    for row in ([d["referral"]] if d["referral"] else []) + d["results"]:
        _events(row)
    return 0


def cmd_print(ctx: Context) -> int:
    a = ctx.args
    with ctx.session() as s:
        if a.form == "penalty":
            forms = [ef.penalty_form(s, penalties.get(s, a.id))]
        elif a.form == "licence-change":
            forms = ef.licence_forms(s, licences.get(s, a.id))
        elif a.form == "referral":
            forms = [ef.referral_form(s, referrals.get(s, a.id))]
        else:
            forms = [ef.acceptance_form(s, referrals.get(s, a.id))]
        r = ef.render(forms, Path(a.out))
    out(f"已写出 {a.out}（{r.pages} 页）。{r.warning}".rstrip())
    return 0
