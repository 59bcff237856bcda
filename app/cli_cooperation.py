"""``shenguan consult|support …``: consultations (Art. 9) and requests for technical support,
training, field guidance and certificate stock (Art. 10, 12, 13). The oversight figures, circulars
and the monthly summary are in :mod:`app.cli_oversight`. See docs/cooperation.md."""

from __future__ import annotations

from pathlib import Path

from app.cli_common import Context, count_arg, date_arg, out, show_rows
from app.models.cooperation import SUPPORT_KINDS
from app.services import offices
from app.services.cooperation import requests


def _as(p) -> None:
    p.add_argument("--as", dest="acting", metavar="CODE",
                   help="以哪个本机单位办理（本机只有一个单位时可省略；演示模式必填）")


def parsers(sub, parents):
    """``group(name, help)`` and ``cmd(group, name, func, help, acting=, json=)``: how the
    cooperation modules add their commands."""
    def group(name, help_):
        p = sub.add_parser(name, parents=parents, help=help_, description=help_)
        return p.add_subparsers(dest=f"{name}_command", metavar="子命令", required=True)

    def cmd(g, name, func, help_, *, acting=True, json=False):
        q = g.add_parser(name, parents=parents, help=help_, description=help_)
        if acting:
            _as(q)
        if json:
            q.add_argument("--json", action="store_true", help="以 JSON 输出")
        q.set_defaults(func=func)
        return q

    return group, cmd


def register(sub, parents) -> None:
    group, cmd = parsers(sub, parents)
    g = group("consult", "会商：函告或工作会议（第九条）")
    q = cmd(g, "send", cmd_consult_send, "发起会商（函告或工作会议），发往一个或多个单位")
    q.add_argument("--mode", choices=["letter", "meeting"], required=True, help="letter 函告；meeting 工作会议")
    q.add_argument("--topic", required=True, help="会商事项")
    q.add_argument("--agenda", required=True, help="议程（工作会议）或会商内容（函告）")
    q.add_argument("--participants", default="", help="参加人员")
    q.add_argument("--meeting-date", type=date_arg, help="会议日期（工作会议）")
    q.add_argument("--to", required=True, metavar="CODE[,CODE…]", help="会商单位代码，多个以逗号分隔")
    q = cmd(g, "reply", cmd_consult_reply, "会商单位反馈意见")
    q.add_argument("id", metavar="ID")
    q.add_argument("--text", required=True)
    q = cmd(g, "minutes", cmd_consult_minutes, "记录会议纪要和会商结果，并送达其他参加单位")
    q.add_argument("id", metavar="ID")
    q.add_argument("--outcome", required=True, help="会商结果")
    q.add_argument("--minutes", default="", help="会议纪要（工作会议必填）")
    q.add_argument("--held", type=date_arg, help="会议召开日期（工作会议必填）")
    q = cmd(g, "ack", cmd_consult_ack, "确认收到会商纪要")
    q.add_argument("id", metavar="ID")
    cmd(g, "list", cmd_consult_list, "列出会商", acting=False, json=True)
    q = cmd(g, "print", cmd_consult_print, "打印会商函或会议通知（PDF）", acting=False)
    q.add_argument("id", metavar="ID")
    q.add_argument("--out", required=True, metavar="FILE.pdf")

    g = group("support", "商请技术支持、业务培训、现场指导、协助申领制式证照（第十条、第十二条、第十三条）")
    q = cmd(g, "request", cmd_support_request, "审批部门商请主管部门协助")
    q.add_argument("--kind", required=True, choices=list(SUPPORT_KINDS),
                   help="technical_support 技术支持；training 业务培训；field_guidance 现场指导；"
                        "certificate_stock 制式证照申领")
    q.add_argument("--to", required=True, metavar="CODE", help="主管部门代码")
    q.add_argument("--title", required=True)
    q.add_argument("--content", required=True)
    q.add_argument("--quantity", type=count_arg, help="申领数量（制式证照）")
    q.add_argument("--wanted-by", type=date_arg, help="希望完成日期（仅供参考，规则未设期限）")
    q = cmd(g, "reply", cmd_support_reply, "主管部门答复")
    q.add_argument("id", metavar="ID")
    q.add_argument("--text", required=True)
    q = cmd(g, "list", cmd_support_list, "列出商请", acting=False, json=True)
    q.add_argument("--kind", choices=list(SUPPORT_KINDS))
    q = cmd(g, "print", cmd_support_print, "打印商请函（PDF）", acting=False)
    q.add_argument("id", metavar="ID")
    q.add_argument("--out", required=True, metavar="FILE.pdf")


def short_id(value) -> str:
    return str(value)[:8]


# -- consult --------------------------------------------------------------------------------

def cmd_consult_send(ctx: Context) -> int:
    a = ctx.args
    with ctx.session() as s:
        to = [offices.office_by_code(s, code.strip()) for code in a.to.split(",") if code.strip()]
        c = requests.send_consultation(s, office=ctx.acting_office(s), operator=ctx.operator(s), mode=a.mode,
                                       topic=a.topic, to=to, agenda=a.agenda, participants=a.participants,
                                       meeting_on=a.meeting_date)
        d = requests.consultation_dict(s, c)
        s.commit()
    out(f"已发出{d['mode_label']}会商“{d['topic']}”（编号 {short_id(d['id'])}），发往 {len(to)} 个单位。"
        f"期限：{d['limits']}。")
    return 0


def cmd_consult_reply(ctx: Context) -> int:
    with ctx.session() as s:
        c = requests.get_consultation(s, ctx.args.id)
        requests.reply_consultation(s, c, ctx.args.text, office=ctx.acting_office(s), operator=ctx.operator(s))
        s.commit()
    out(f"已反馈会商意见（{short_id(c.id)}）。")
    return 0


def cmd_consult_minutes(ctx: Context) -> int:
    a = ctx.args
    with ctx.session() as s:
        c = requests.get_consultation(s, a.id)
        sent = requests.record_minutes(s, c, office=ctx.acting_office(s), operator=ctx.operator(s),
                                       outcome=a.outcome, minutes=a.minutes, held_on=a.held)
        s.commit()
    out(f"已记录会商结果（{short_id(c.id)}），送达 {len(sent)} 个单位。")
    return 0


def cmd_consult_ack(ctx: Context) -> int:
    with ctx.session() as s:
        c = requests.get_consultation(s, ctx.args.id)
        requests.acknowledge_minutes(s, c, office=ctx.acting_office(s), operator=ctx.operator(s))
        s.commit()
    out(f"已确认收到会商纪要（{short_id(c.id)}）。")
    return 0


def cmd_consult_list(ctx: Context) -> int:
    with ctx.session() as s:
        rows = requests.list_consultations(s)
    return show_rows(ctx, rows, empty="没有会商。", headers=["编号", "形式", "会商事项", "发起单位", "反馈", "会商结果"],
                     cells=lambda r: [short_id(r["id"]), r["mode_label"], r["topic"], r["requester_name"],
                                      "；".join(f"{x['office']} {x['status_label']}" for x in r["replies"]),
                                      r["outcome"]],
                     limits=[8, 8, 30, 24, 30, 30])


def _print(what: str, render, out_path: str) -> int:
    r = render(Path(out_path))
    out(f"已写出{what} {out_path}（{r.pages} 页）。{r.warning}".rstrip())
    return 0


def cmd_consult_print(ctx: Context) -> int:
    from app.services.forms import cooperation_forms as forms

    with ctx.session() as s:
        c = requests.get_consultation(s, ctx.args.id)
        return _print("会商函", lambda p: forms.render_consultation(s, c, p), ctx.args.out)


# -- support --------------------------------------------------------------------------------

def cmd_support_request(ctx: Context) -> int:
    a = ctx.args
    with ctx.session() as s:
        sr = requests.send_support(s, a.kind, office=ctx.acting_office(s), operator=ctx.operator(s),
                                   to=offices.office_by_code(s, a.to.strip()), title=a.title, content=a.content,
                                   quantity=a.quantity, wanted_by=a.wanted_by)
        d = requests.support_dict(s, sr)
        s.commit()
    out(f"已{d['name']}“{d['title']}”（编号 {short_id(d['id'])}）。期限：{d['limits']}。")
    return 0


def cmd_support_reply(ctx: Context) -> int:
    with ctx.session() as s:
        sr = requests.get_support(s, ctx.args.id)
        requests.reply_support(s, sr, ctx.args.text, office=ctx.acting_office(s), operator=ctx.operator(s))
        s.commit()
    out(f"已答复（{short_id(sr.id)}）。")
    return 0


def cmd_support_list(ctx: Context) -> int:
    with ctx.session() as s:
        rows = requests.list_support(s, ctx.args.kind)
    return show_rows(ctx, rows, empty="没有商请。", headers=["编号", "类型", "标题", "商请单位", "答复单位", "状态", "答复"],
                     cells=lambda r: [short_id(r["id"]), r["kind_label"], r["title"], r["requester_name"],
                                      r["responder_name"], r["status_label"], r["reply_text"]],
                     limits=[8, 12, 24, 20, 20, 8, 30])


def cmd_support_print(ctx: Context) -> int:
    from app.services.forms import cooperation_forms as forms

    with ctx.session() as s:
        sr = requests.get_support(s, ctx.args.id)
        return _print("商请函", lambda p: forms.render_support(s, sr, p), ctx.args.out)
