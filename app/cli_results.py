"""``shenguan results …`` and ``shenguan overdue``: the Art. 17 loop from the command line."""

from __future__ import annotations

import dataclasses
from datetime import date

from sqlalchemy import select

from app import clock
from app.cli_common import (
    Context,
    count_arg,
    date_arg,
    find_result,
    fmt_time,
    out,
    out_json,
    table,
)
from app.cli_results_view import detail_lines, row_dict, rows_table
from app.models import Office
from app.services import dispatch as engine
from app.services import offices, queries, rules
from app.services import results as results_service
from app.services.detail import result_detail
from app.services.results import ResultInput

VIEWS = (queries.TO_PUSH, queries.TO_SIGN, queries.DUE_SOON, queries.OVERDUE, queries.ALL)
CHANNELS = (rules.EXCHANGE, *rules.PAPER_CHANNELS)
OVERDUE_CAP = 1000


def _as(p) -> None:
    p.add_argument("--as", dest="acting", metavar="CODE",
                   help="以哪个本机单位办理（本机只有一个单位时可省略；演示模式必填）")


def _id(p) -> None:
    p.add_argument("result_id", metavar="ID", help="审批结果编号（完整编号，或前至少 8 位）")


def register(sub, parents) -> None:
    p = sub.add_parser("results", parents=parents, help="审批结果：登记、推送、签收、退回、启动监管、查询",
                       description="审批结果信息推送（第十七条）：审批局推送，主管部门签收并启动监管。")
    rsub = p.add_subparsers(dest="results_command", metavar="子命令", required=True)

    q = rsub.add_parser("record", parents=parents, help="登记审批结果（开始计算推送期限）",
                        description="登记一条审批结果（审批结果信息推送清单的各项），开始计算2个工作日的推送期限。")
    q.add_argument("--item", required=True, metavar="CODE", help="许可事项编码，如 SJ-001")
    q.add_argument("--applicant", required=True, metavar="NAME", help="申请人名称")
    q.add_argument("--applicant-id", required=True, metavar="ID", help="统一社会信用代码或居民身份证号码")
    q.add_argument("--contact", required=True, metavar="NAME", help="联系人")
    q.add_argument("--phone", required=True, metavar="PHONE", help="联系电话（手机或带区号的固定电话）")
    q.add_argument("--result", required=True, metavar="TEXT", help="审批结果，如 准予许可")
    q.add_argument("--decided", required=True, type=date_arg, metavar="DATE", help="审批决定日期")
    q.add_argument("--licence-number", default="", metavar="X", help="证照编号")
    q.add_argument("--issued", type=date_arg, metavar="DATE", help="证照颁发日期（推送期限由此起算）")
    q.add_argument("--materials", default="", metavar="TEXT", help="申请材料")
    _as(q)
    q.set_defaults(func=cmd_record)

    q = rsub.add_parser("push", parents=parents, help="推送审批结果（责任随之转移）",
                        description="把审批结果推送给主管部门（第十七条）；推送后由主管部门承担监管责任。"
                                    "纸质方式（现场查阅、复印、传真）须填写商定时限。")
    _id(q)
    q.add_argument("--channel", choices=CHANNELS, default=rules.EXCHANGE,
                   help="推送方式：exchange 审管平台（默认）、onsite 现场查阅、photocopy 复印、fax 传真")
    q.add_argument("--agreed-due", type=date_arg, metavar="DATE", help="与对方商定的完成时限（纸质方式必填）")
    q.add_argument("--to", metavar="CODE", help="接收单位代码（被退回后重新推送时必填）")
    _as(q)
    q.set_defaults(func=cmd_push)

    for name, action, text in (("sign-off", "sign_off", "签收推送来的审批结果"),
                               ("supervise", "start_supervision", "签收后启动监管")):
        q = rsub.add_parser(name, parents=parents, help=text, description=f"{text}（第十七条）。")
        _id(q)
        _as(q)
        q.set_defaults(func=cmd_act, action=action)
    q = rsub.add_parser("return", parents=parents, help="退回推送错的审批结果（须写明理由）",
                        description="不属于本部门监管的，退回审批局并写明理由；责任回到审批局。")
    _id(q)
    q.add_argument("--reason", required=True, metavar="TEXT", help="退回理由")
    _as(q)
    q.set_defaults(func=cmd_act, action="return")

    q = rsub.add_parser("show", parents=parents, help="查看一条审批结果的详情和时间线",
                        description="详情、推送状态、期限、责任单位（自何时起）和全部办理记录。")
    _id(q)
    q.add_argument("--json", action="store_true", help="以 JSON 输出")
    q.set_defaults(func=cmd_show)

    q = rsub.add_parser("list", parents=parents, help="列出审批结果",
                        description="to_push 待推送、to_sign 待签收、due_soon 即将到期、overdue 已逾期、all 全部（默认）。")
    q.add_argument("--view", choices=VIEWS, default=queries.ALL, help="视图（默认 all）")
    q.add_argument("--filter", default="", metavar="TEXT", help="按申请人、证照编号、事项或接收单位筛选")
    q.add_argument("--limit", type=count_arg, default=50, metavar="N", help="最多显示多少条（默认 50）")
    q.add_argument("--json", action="store_true", help="以 JSON 输出")
    _as(q)
    q.set_defaults(func=cmd_list)

    q = sub.add_parser("overdue", parents=parents, help="本单位逾期未办的推送和签收",
                       description="列出轮到本单位办理、已超过期限的审批结果（第十七条、第二十一条）。")
    q.add_argument("--json", action="store_true", help="以 JSON 输出")
    _as(q)
    q.set_defaults(func=cmd_overdue)


def cmd_record(ctx: Context) -> int:
    a = ctx.args
    data = ResultInput(
        item_code=a.item, applicant_name=a.applicant, applicant_id=a.applicant_id, contact_name=a.contact,
        contact_phone=a.phone, result=a.result, decided_on=a.decided, licence_number=a.licence_number,
        licence_issued_on=a.issued, materials=a.materials,
    )
    with ctx.session() as s:
        office = ctx.acting_office(s)
        result = results_service.record(s, data, office=office, operator=ctx.operator(s),
                                        calendar=ctx.calendar(s))
        d = results_service.current_push(s, result)
        s.commit()
        out(f"已登记审批结果：{result.id}")
        out(f"  {result.item.code} {result.item.name}；申请人：{result.applicant_name}")
        out(f"  应于 {_due(d.send_due, d.send_due_provisional)} 前推送至 {d.addressee.name}"
            f"（第十七条：{rules.APPROVAL_PUSH.send_within.text}）；推送前由 {office.name} 承担责任。")
    return 0


def cmd_push(ctx: Context) -> int:
    a = ctx.args
    with ctx.session() as s:
        office = ctx.acting_office(s)
        result = ctx_result(ctx, s)
        to = offices.office_by_code(s, a.to) if a.to else None
        d = results_service.push(s, result, office=office, operator=ctx.operator(s), channel=a.channel,
                                 agreed_due=a.agreed_due, addressee=to, calendar=ctx.calendar(s))
        s.commit()
        addressee = s.get(Office, d.addressee_office_id)
        out(f"已推送至 {addressee.name}（{rules.CHANNEL_LABELS[d.channel]}）。")
        limit = "商定时限" if d.channel in rules.PAPER_CHANNELS else "签收期限"
        out(f"  {limit}：{_due(d.reply_due, d.reply_due_provisional)}")
        out(f"  自 {fmt_time(result.responsible_since)} 起由 {addressee.name} 承担监管责任（第十七条）。")
        if engine.is_late(d):
            out(f"  注意：推送期限为 {d.send_due}，本次推送已超过期限。")
    return 0


def cmd_act(ctx: Context) -> int:
    a = ctx.args
    with ctx.session() as s:
        office = ctx.acting_office(s)
        result = ctx_result(ctx, s)
        d = results_service.act(s, result, a.action, office=office, operator=ctx.operator(s),
                                reason=getattr(a, "reason", "") or "")
        s.commit()
        short = str(result.id)[:8]
        if a.action == "sign_off":
            out(f"已签收（{office.name}）。请及时启动监管：shenguan results supervise {short}")
            if d.reply_due and d.replied_at and d.replied_at.date() > d.reply_due:
                out(f"  注意：签收期限为 {d.reply_due}，本次签收已超过期限。")
        elif a.action == "return":
            sender = s.get(Office, d.sender_office_id)
            out(f"已退回 {sender.name}，理由：{a.reason.strip()}")
            out(f"  自 {fmt_time(result.responsible_since)} 起责任回到 {sender.name}，"
                f"待其重新推送至正确的主管部门（shenguan results push {short} --to 单位代码）。")
        else:
            out(f"已启动监管（{office.name}）。")
    return 0


def ctx_result(ctx: Context, s):
    return find_result(s, ctx.args.result_id)


def cmd_show(ctx: Context) -> int:
    with ctx.session() as s:
        result = ctx_result(ctx, s)
        detail = result_detail(s, result.id, ctx.calendar(s))
        names = {str(o.id): (o.name, o.code) for o in s.scalars(select(Office))}
    if ctx.args.json:
        data = dataclasses.asdict(detail)
        data["actions"] = [{"action": act, "label": label, "office": names[oid][1]}
                           for act, label, oid in detail.actions]
        out_json(data)
        return 0
    out("\n".join(detail_lines(detail, names)))
    return 0


def cmd_list(ctx: Context) -> int:
    a = ctx.args
    with ctx.session() as s:
        office = ctx.acting_office(s)
        cal = ctx.calendar(s)
        today = clock.today()
        rows = queries.list_results(s, office, cal, view=a.view, text=a.filter, limit=a.limit, today=today)
        total = queries.count_results(s, office, cal, view=a.view, text=a.filter, today=today)
        data = [row_dict(r, cal, today) for r in rows]
    if a.json:
        out_json(data)
        return 0
    title = f"{office.name} · {queries.VIEW_LABELS[a.view]}"
    if not total:
        out(f"{title}：没有符合条件的审批结果。")
        return 0
    if rows:
        out(rows_table(data))
    shown = f"，显示前 {len(rows)} 条（用 --limit 显示更多）" if total > len(rows) else ""
    out(f"{title}：共 {total} 条{shown}。期限后带 * 的为暂定期限。")
    return 0


def cmd_overdue(ctx: Context) -> int:
    with ctx.session() as s:
        office = ctx.acting_office(s)
        cal = ctx.calendar(s)
        today = clock.today()
        rows = queries.list_results(s, office, cal, view=queries.OVERDUE, sort="due", descending=False,
                                    limit=OVERDUE_CAP, today=today)
        total = queries.count_results(s, office, cal, view=queries.OVERDUE, today=today)
        data = [row_dict(r, cal, today) | {"overdue_workdays": _late_by(r.current_due, today, cal)}
                for r in rows]
    if ctx.args.json:
        out_json(data)
        return 0
    if not rows:
        out(f"{office.name}：没有逾期未办的审批结果。")
        return 0
    out(table(["编号", "待办", "期限", "逾期", "事项", "申请人", "对方单位"],
              [[d["id"][:8], "推送" if d["status"] == rules.PENDING else "签收",
                d["due"] + ("*" if d["due_provisional"] else ""), f"{d['overdue_workdays']}个工作日",
                d["item"], d["applicant"], d["addressee"] if d["status"] == rules.PENDING else d["sender"]]
               for d in data],
              [8, 4, 11, 12, 24, 30, 26]))
    more = f"（显示前 {len(rows)} 条）" if total > len(rows) else ""
    out(f"{office.name}：逾期未办 {total} 条{more}。逾期情况可由营商环境建设主管部门通报（第二十一条）。")
    return 0


def _late_by(due: date | None, today: date, cal) -> int:
    """Working days elapsed since the due day ended."""
    if due is None or due >= today:
        return 0
    n, day = 0, due
    while day < today:
        day = cal.next_workday(day)
        if day <= today:
            n += 1
    return n


def _due(due: date | None, provisional: bool) -> str:
    if due is None:
        return "—"
    return f"{due.isoformat()}（暂定）" if provisional else due.isoformat()
