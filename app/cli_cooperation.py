"""``shenguan consult|support|oversight|circular|summary …``: consultations (Art. 9), requests for
technical support, training, field guidance and certificate stock (Art. 10, 12, 13), oversight
figures, the late list, the metadata report and circulars (Art. 21), and the monthly summary
letter between two offices. See docs/cooperation.md."""

from __future__ import annotations

from pathlib import Path

from app.cli_common import Context, count_arg, date_arg, fmt_time, out, out_json, table
from app.models.cooperation import SUPPORT_KINDS
from app.services import offices
from app.services.cooperation import circular, oversight, reports, requests, summary
from app.services.errors import FileFormatError


def _as(p) -> None:
    p.add_argument("--as", dest="acting", metavar="CODE",
                   help="以哪个本机单位办理（本机只有一个单位时可省略；演示模式必填）")


def register(sub, parents) -> None:
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

    g = group("oversight", "时限督办：按时率、逾期清单、向营商环境建设主管部门报送（第二十一条）")
    q = cmd(g, "figures", cmd_figures, "按单位、按月份的按时率", json=True)
    q.add_argument("--month", metavar="YYYY-MM")
    q.add_argument("--office", metavar="CODE", help="只看一个单位（普通单位默认只看本单位）")
    q.add_argument("--chart", metavar="FILE.png", help="同时把按单位的按时率图写成 PNG")
    q = cmd(g, "late", cmd_late, "逾期清单（逾期办结和逾期未办）", json=True)
    q.add_argument("--month", metavar="YYYY-MM")
    q.add_argument("--office", metavar="CODE")
    q = cmd(g, "report", cmd_report, "把推送、签收、处罚推送和移送的时限数据报送营商环境建设主管部门（不含申请人信息）")
    q.add_argument("--to-oversight", action="store_true", required=True, help="报送营商环境建设主管部门")
    q.add_argument("--to", metavar="CODE", help="接收单位代码（只有一个时可省略）")

    g = group("circular", "通报（第二十一条）")
    q = cmd(g, "draft", cmd_circular_draft, "按月份的逾期事项起草通报，并打印（PDF）")
    q.add_argument("--month", required=True, metavar="YYYY-MM")
    q.add_argument("--number", default="", help="文号")
    q.add_argument("--out", required=True, metavar="FILE.pdf")
    q = cmd(g, "print", cmd_circular_print, "修改后打印通报（PDF）")
    q.add_argument("id", metavar="ID")
    q.add_argument("--body-file", metavar="FILE.txt", help="用这个 UTF-8 文本文件替换正文")
    q.add_argument("--title", help="新标题")
    q.add_argument("--number", help="文号")
    q.add_argument("--out", required=True, metavar="FILE.pdf")
    cmd(g, "list", cmd_circular_list, "列出通报", acting=False, json=True)

    q = sub.add_parser("summary", parents=parents, help="两个单位之间的月度推送签收汇总函（PDF 和 Excel）",
                       description="两个单位之间的月度推送签收汇总函（PDF 和 Excel）")
    _as(q)
    q.add_argument("--with", dest="other", required=True, metavar="CODE", help="对方单位代码")
    q.add_argument("--month", required=True, metavar="YYYY-MM")
    q.add_argument("--pdf", metavar="FILE.pdf")
    q.add_argument("--xlsx", metavar="FILE.xlsx")
    q.set_defaults(func=cmd_summary)


def _short(value) -> str:
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
    out(f"已发出{d['mode_label']}会商“{d['topic']}”（编号 {_short(d['id'])}），发往 {len(to)} 个单位。"
        f"期限：{d['limits']}。")
    return 0


def cmd_consult_reply(ctx: Context) -> int:
    with ctx.session() as s:
        c = requests.get_consultation(s, ctx.args.id)
        requests.reply_consultation(s, c, ctx.args.text, office=ctx.acting_office(s), operator=ctx.operator(s))
        s.commit()
    out(f"已反馈会商意见（{_short(c.id)}）。")
    return 0


def cmd_consult_minutes(ctx: Context) -> int:
    a = ctx.args
    with ctx.session() as s:
        c = requests.get_consultation(s, a.id)
        sent = requests.record_minutes(s, c, office=ctx.acting_office(s), operator=ctx.operator(s),
                                       outcome=a.outcome, minutes=a.minutes, held_on=a.held)
        s.commit()
    out(f"已记录会商结果（{_short(c.id)}），送达 {len(sent)} 个单位。")
    return 0


def cmd_consult_ack(ctx: Context) -> int:
    with ctx.session() as s:
        c = requests.get_consultation(s, ctx.args.id)
        requests.acknowledge_minutes(s, c, office=ctx.acting_office(s), operator=ctx.operator(s))
        s.commit()
    out(f"已确认收到会商纪要（{_short(c.id)}）。")
    return 0


def cmd_consult_list(ctx: Context) -> int:
    with ctx.session() as s:
        rows = requests.list_consultations(s)
    if ctx.args.json:
        out_json(rows)
        return 0
    if not rows:
        out("没有会商。")
        return 0
    out(table(["编号", "形式", "会商事项", "发起单位", "反馈", "会商结果"],
              [[_short(r["id"]), r["mode_label"], r["topic"], r["requester_name"],
                "；".join(f"{x['office']} {x['status_label']}" for x in r["replies"]), r["outcome"]] for r in rows],
              [8, 8, 30, 24, 30, 30]))
    return 0


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
    out(f"已{d['name']}“{d['title']}”（编号 {_short(d['id'])}）。期限：{d['limits']}。")
    return 0


def cmd_support_reply(ctx: Context) -> int:
    with ctx.session() as s:
        sr = requests.get_support(s, ctx.args.id)
        requests.reply_support(s, sr, ctx.args.text, office=ctx.acting_office(s), operator=ctx.operator(s))
        s.commit()
    out(f"已答复（{_short(sr.id)}）。")
    return 0


def cmd_support_list(ctx: Context) -> int:
    with ctx.session() as s:
        rows = requests.list_support(s, ctx.args.kind)
    if ctx.args.json:
        out_json(rows)
        return 0
    if not rows:
        out("没有商请。")
        return 0
    out(table(["编号", "类型", "标题", "商请单位", "答复单位", "状态", "答复"],
              [[_short(r["id"]), r["kind_label"], r["title"], r["requester_name"], r["responder_name"],
                r["status_label"], r["reply_text"]] for r in rows], [8, 12, 24, 20, 20, 8, 30]))
    return 0


def cmd_support_print(ctx: Context) -> int:
    from app.services.forms import cooperation_forms as forms

    with ctx.session() as s:
        sr = requests.get_support(s, ctx.args.id)
        return _print("商请函", lambda p: forms.render_support(s, sr, p), ctx.args.out)


# -- oversight ------------------------------------------------------------------------------

def cmd_figures(ctx: Context) -> int:
    a = ctx.args
    with ctx.session() as s:
        f = oversight.figures(s, ctx.acting_office(s), month=a.month, office=a.office)
    if a.chart:
        from app.services.cooperation import charts

        try:
            Path(a.chart).write_bytes(charts.png(charts.by_office(f)))
        except OSError as exc:
            raise FileFormatError(f"无法写入图片 {a.chart}：{exc.strerror or exc}") from None
    if a.json:
        out_json(f)
        return 0
    if not f["rows"]:
        out("没有应办事项。")
        return 0
    out(table(["单位", "月份", "事项", "按时", "逾期办结", "逾期未办", "未到期", "按时率"],
              [[r["office_name"], r["month"], r["measure_label"], str(r["on_time"]), str(r["late"]),
                str(r["overdue"]), str(r["pending"]), oversight.rate_text(r["rate"])] for r in f["rows"]],
              [24, 7, 12, 4, 8, 8, 6, 7]))
    return 0


def cmd_late(ctx: Context) -> int:
    a = ctx.args
    with ctx.session() as s:
        rows = oversight.late_items(s, ctx.acting_office(s), month=a.month, office=a.office)
    if a.json:
        out_json(rows)
        return 0
    if not rows:
        out("没有逾期事项。")
        return 0
    out(table(["单位", "事项", "对方单位", "期限", "办结时间", "情况"],
              [[r["office_name"], r["measure_label"], r["counterpart_name"], r["due"].isoformat(),
                fmt_time(r["done_at"]), r["state_label"]] for r in rows], [24, 12, 24, 10, 16, 8]))
    return 0


def cmd_report(ctx: Context) -> int:
    with ctx.session() as s:
        to = offices.office_by_code(s, ctx.args.to.strip()) if ctx.args.to else None
        sent = reports.send_report(s, office=ctx.acting_office(s), operator=ctx.operator(s), to=to)
        rows = reports.report_summary(s, ctx.acting_office(s))
        s.commit()
    out(f"已生成报送 {len(sent)} 件（待导出数据包）。本次之后待报送记录：{rows['pending_rows']} 条。")
    return 0


# -- circular -------------------------------------------------------------------------------

def cmd_circular_draft(ctx: Context) -> int:
    from app.services.forms import cooperation_forms as forms

    a = ctx.args
    with ctx.session() as s:
        me = ctx.acting_office(s)
        c = circular.draft(s, me, a.month, number=a.number)
        r = forms.render_circular(s, c, me, Path(a.out))
        s.commit()
    out(f"已起草通报“{c.title}”（编号 {_short(c.id)}），写出 {a.out}（{r.pages} 页）。"
        f"修改正文后用 shenguan circular print {_short(c.id)} --body-file … 重新打印。{r.warning}".rstrip())
    return 0


def cmd_circular_print(ctx: Context) -> int:
    from app.services.forms import cooperation_forms as forms

    a = ctx.args
    body = None
    if a.body_file:
        try:
            body = Path(a.body_file).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise FileFormatError(f"无法读取正文文件 {a.body_file}：{getattr(exc, 'strerror', None) or exc}") from None
    with ctx.session() as s:
        me = ctx.acting_office(s)
        c = circular.get(s, a.id)
        circular.update(s, c, title=a.title, body=body, number=a.number)
        r = forms.render_circular(s, c, me, Path(a.out))
        s.commit()
    out(f"已写出通报 {a.out}（{r.pages} 页）。{r.warning}".rstrip())
    return 0


def cmd_circular_list(ctx: Context) -> int:
    with ctx.session() as s:
        rows = circular.list_circulars(s)
    if ctx.args.json:
        out_json(rows)
        return 0
    if not rows:
        out("没有通报。")
        return 0
    out(table(["编号", "月份", "文号", "标题", "逾期事项", "起草时间"],
              [[_short(r["id"]), r["period"], r["number"], r["title"], str(len(r["items"])),
                fmt_time(r["created_at"])] for r in rows], [8, 7, 16, 40, 8, 16]))
    return 0


# -- summary --------------------------------------------------------------------------------

def cmd_summary(ctx: Context) -> int:
    from app.services.errors import ValidationError
    from app.services.forms import cooperation_forms as forms

    a = ctx.args
    if not (a.pdf or a.xlsx):
        raise ValidationError("请用 --pdf 和/或 --xlsx 指定输出文件。", "out")
    with ctx.session() as s:
        me, other = ctx.acting_office(s), offices.office_by_code(s, a.other.strip())
        n = len(summary.rows(s, me, other, a.month))
        if a.xlsx:
            summary.write_xlsx_file(s, me, other, a.month, a.xlsx)
        if a.pdf:
            forms.render_summary(s, me, other, a.month, Path(a.pdf))
    written = "、".join(p for p in (a.pdf, a.xlsx) if p)
    out(f"已写出{summary.caption(me, other, a.month)}（{n} 条）：{written}。")
    return 0
