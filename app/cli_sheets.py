"""``shenguan sheets|consent|policy|letters …``: implementation and push sheets (Art. 8 ¶1),
key-element consent (Art. 8 ¶2), policy notices and opinion requests (Art. 8 ¶3–4), pool update
letters (Art. 11). See docs/sheets.md."""

from __future__ import annotations

import json
from pathlib import Path

from app.cli_common import Context, date_arg, fmt_time, out, out_json, show_rows
from app.services import offices
from app.services.errors import FileFormatError
from app.services.sheets import consent, letters, notices, sheets


def _as(p) -> None:
    p.add_argument("--as", dest="acting", metavar="CODE",
                   help="以哪个本机单位办理（本机只有一个单位时可省略；演示模式必填）")


def _json(p) -> None:
    p.add_argument("--json", action="store_true", help="以 JSON 输出")


def _to(p) -> None:
    p.add_argument("--to", metavar="CODE", help="接收的行政审批部门代码（只有一个时可省略）")


def register(sub, parents) -> None:
    def group(name, help_):
        p = sub.add_parser(name, parents=parents, help=help_, description=help_)
        return p.add_subparsers(dest=f"{name}_command", metavar="子命令", required=True)

    def cmd(g, name, func, help_, acting=True):
        q = g.add_parser(name, parents=parents, help=help_, description=help_)
        if acting:
            _as(q)
        q.set_defaults(func=func)
        return q

    g = group("sheets", "实施清单和审批结果信息推送清单（第八条第一款）")
    q = cmd(g, "show", cmd_show, "显示一个事项的实施清单和推送清单", acting=False)
    q.add_argument("item", metavar="ITEM")
    q.add_argument("--version", type=int, metavar="N", help="第 N 版（默认现行版本）")
    _json(q)
    q = cmd(g, "edit", cmd_edit, "修改一项：主管部门改草稿；审批部门改非关键要素（关键要素须 propose）")
    q.add_argument("item", metavar="ITEM")
    q.add_argument("--field", required=True, help="字段（如 materials 或 申请材料；推送清单为 push_fields）")
    q.add_argument("--value", required=True, help="新内容（push_fields 为以逗号分隔的信息要素）")
    q = cmd(g, "hand-over", cmd_hand_over, "主管部门移交实施清单和推送清单草稿")
    q.add_argument("item", metavar="ITEM")
    q = cmd(g, "accept", cmd_accept, "审批部门确认接收通过数据交换移交的实施清单和推送清单")
    q.add_argument("item", metavar="ITEM")
    q = cmd(g, "propose", cmd_propose, "审批部门提出关键要素调整，征求主管部门同意（第八条第二款）")
    q.add_argument("item", metavar="ITEM")
    q.add_argument("--field", required=True)
    q.add_argument("--value", required=True)
    q.add_argument("--reason", required=True, help="调整理由")
    q = cmd(g, "print", cmd_print, "打印实施清单和推送清单（PDF）", acting=False)
    q.add_argument("item", metavar="ITEM")
    q.add_argument("--version", type=int, metavar="N")
    q.add_argument("--out", required=True, metavar="FILE.pdf")

    g = group("consent", "关键要素调整征求同意（第八条第二款）")
    q = cmd(g, "list", cmd_consent_list, "列出关键要素调整", acting=False)
    q.add_argument("--status", choices=["pending", "consented", "refused"])
    _json(q)
    q = cmd(g, "answer", cmd_consent_answer, "主管部门答复：同意或不同意（须写理由）")
    q.add_argument("id", metavar="ID")
    x = q.add_mutually_exclusive_group(required=True)
    x.add_argument("--consent", dest="yes", action="store_true", help="同意")
    x.add_argument("--refuse", dest="yes", action="store_false", help="不同意")
    q.add_argument("--reason", default="", help="理由（不同意时必填）")
    q = cmd(g, "print", cmd_consent_print, "打印征求意见函（PDF）", acting=False)
    q.add_argument("id", metavar="ID")
    q.add_argument("--out", required=True, metavar="FILE.pdf")

    g = group("policy", "法规政策调整告知和征求意见（第八条第三款、第四款）")
    q = cmd(g, "notify", cmd_notify, "主管部门告知法规政策调整")
    for name, req in (("--title", True), ("--content", True), ("--basis", True)):
        q.add_argument(name, required=req)
    q.add_argument("--effective", type=date_arg, help="施行日期")
    _to(q)
    q = cmd(g, "ask", cmd_ask, "主管部门就涉及清单内容的文件征求审批部门意见")
    q.add_argument("--title", required=True)
    q.add_argument("--content", required=True)
    q.add_argument("--basis", default="")
    q.add_argument("--due", type=date_arg, help="希望反馈日期（仅供参考，规则未设期限）")
    _to(q)
    q = cmd(g, "list", cmd_policy_list, "列出告知和征求意见", acting=False)
    _json(q)
    q = cmd(g, "reply", cmd_policy_reply, "审批部门反馈意见")
    q.add_argument("id", metavar="ID")
    q.add_argument("--text", required=True)
    q = cmd(g, "ack", cmd_policy_ack, "审批部门确认收到告知")
    q.add_argument("id", metavar="ID")

    g = group("letters", "专家和中介机构信息调整函告（第十一条）")
    q = cmd(g, "send", cmd_letter_send, "主管部门函告专家、中介机构信息调整（JSON 文件，见 docs/lists.md）")
    q.add_argument("--file", required=True, metavar="letter.json")
    _to(q)
    q = cmd(g, "list", cmd_letter_list, "列出函告", acting=False)
    _json(q)
    q = cmd(g, "ack", cmd_letter_ack, "审批部门确认收到，并更新专家库、中介机构库")
    q.add_argument("id", metavar="ID")


def _to_office(s, ctx):
    code = getattr(ctx.args, "to", None)
    return offices.office_by_code(s, code.strip()) if code else None


def cmd_show(ctx: Context) -> int:
    with ctx.session() as s:
        d = sheets.sheet_dict(s, sheets.get(s, ctx.args.item, ctx.args.version))
    if ctx.args.json:
        out_json(d)
        return 0
    out(f"{d['item_name']}（{d['item_code']}）实施清单 第 {d['version']} 版（{d['status_label']}），"
        f"制作单位：{d['prepared_by']['name']}")
    for f in d["fields"]:
        mark = "［关键要素］" if f["key_element"] else ""
        pending = "［调整待同意］" if f["pending"] else ""
        out(f"  {f['label']}{mark}{pending}：{f['value'] or '—'}")
    push = d["push_sheet"]
    if push is None:
        out("推送清单：尚未制作")
    else:
        pushed = "、".join(f["label"] for f in push["fields"] if f["pushed"]) or "—"
        out(f"推送清单 第 {push['version']} 版（{push['status_label']}）：推送 {pushed}")
    h = d["handover"]
    if h is not None:
        out(f"移交：{h['from']} → {h['to']}（数据交换，{h['status_label']}）")
    return 0


def cmd_edit(ctx: Context) -> int:
    a = ctx.args
    with ctx.session() as s:
        changed = sheets.edit(s, a.item, a.field, a.value, office=ctx.acting_office(s))
        what = "推送清单" if isinstance(changed, sheets.PushSheet) else "实施清单"
        line = f"已修改事项 {changed.item_code} 的{what}（第 {changed.version} 版，{sheets.STATUS_LABELS[changed.status]}）。"
        s.commit()
    out(line)
    return 0


def cmd_hand_over(ctx: Context) -> int:
    with ctx.session() as s:
        sheet, push = sheets.hand_over(s, ctx.args.item, office=ctx.acting_office(s), operator=ctx.operator(s))
        line = sheets.handover_text(s, sheet, push)
        s.commit()
    out(line)
    return 0


def cmd_accept(ctx: Context) -> int:
    with ctx.session() as s:
        d = sheets.acknowledge_handover(s, ctx.args.item, office=ctx.acting_office(s), operator=ctx.operator(s))
        sender = s.get(sheets.Office, d.sender_office_id).name
        s.commit()
    out(f"已确认接收{sender}移交的事项 {ctx.args.item.strip()} 实施清单和推送清单。")
    return 0


def cmd_propose(ctx: Context) -> int:
    a = ctx.args
    with ctx.session() as s:
        c = consent.propose(s, a.item, a.field, a.value, a.reason, office=ctx.acting_office(s),
                            operator=ctx.operator(s))
        d = consent.change_dict(s, c)
        s.commit()
    out(f"已向主管部门征求同意：{d['item_code']} 的“{d['field_label']}”（编号 {str(d['id'])[:8]}）。"
        "同意前清单保持原内容；答复期限：无（第八条第二款未设期限）。")
    return 0


def cmd_print(ctx: Context) -> int:
    a = ctx.args
    from app.services.forms import sheetform

    with ctx.session() as s:
        r = sheetform.render_sheet(s, a.item, a.version, Path(a.out))
    out(f"已写出 {a.out}（{r.pages} 页）。{r.warning}".rstrip())
    return 0


def cmd_consent_list(ctx: Context) -> int:
    with ctx.session() as s:
        rows = consent.list_changes(s, ctx.args.status)
    return show_rows(ctx, rows, empty="没有关键要素调整。",
                     headers=["编号", "事项", "关键要素", "拟调整为", "状态", "提出时间", "不同意理由"],
                     cells=lambda r: [str(r["id"])[:8], r["item_code"], r["field_label"], r["new_value"],
                                      r["status_label"], fmt_time(r["proposed_at"]), r["refusal_reason"]],
                     limits=[8, 12, 16, 30, 8, 16, 30])


def cmd_consent_answer(ctx: Context) -> int:
    a = ctx.args
    with ctx.session() as s:
        c = consent.get(s, a.id)
        consent.answer(s, c, a.yes, office=ctx.acting_office(s), operator=ctx.operator(s), reason=a.reason)
        s.commit()
    out(f"已{'同意' if a.yes else '不同意'}关键要素调整 {str(c.id)[:8]}。")
    return 0


def cmd_consent_print(ctx: Context) -> int:
    from app.services.forms import sheetform

    with ctx.session() as s:
        r = sheetform.render_consent_letter(s, consent.get(s, ctx.args.id), Path(ctx.args.out))
    out(f"已写出 {ctx.args.out}（{r.pages} 页）。{r.warning}".rstrip())
    return 0


def _send_policy(ctx: Context, kind: str, **kw) -> int:
    a = ctx.args
    with ctx.session() as s:
        pc = notices.send(s, kind, office=ctx.acting_office(s), operator=ctx.operator(s), title=a.title,
                          content=a.content, basis=a.basis, to=_to_office(s, ctx), **kw)
        d = notices.policy_dict(s, pc)
        s.commit()
    out(f"已发送{d['kind_label']}“{d['title']}”（编号 {str(d['id'])[:8]}）。期限：{d['limits']}。")
    return 0


def cmd_notify(ctx: Context) -> int:
    return _send_policy(ctx, notices.NOTICE, effective_on=ctx.args.effective)


def cmd_ask(ctx: Context) -> int:
    return _send_policy(ctx, notices.REQUEST, reply_wanted_by=ctx.args.due)


def cmd_policy_list(ctx: Context) -> int:
    with ctx.session() as s:
        rows = notices.list_policies(s)
    return show_rows(ctx, rows, empty="没有法规政策调整告知或征求意见。",
                     headers=["编号", "类型", "标题", "发送单位", "状态", "反馈意见"],
                     cells=lambda r: [str(r["id"])[:8], r["kind_label"], r["title"], r["sender"], r["status_label"],
                                      r["reply_text"]],
                     limits=[8, 12, 30, 24, 8, 30])


def cmd_policy_reply(ctx: Context) -> int:
    with ctx.session() as s:
        pc = notices.get(s, ctx.args.id)
        notices.reply(s, pc, ctx.args.text, office=ctx.acting_office(s), operator=ctx.operator(s))
        s.commit()
    out(f"已反馈意见（{str(pc.id)[:8]}）。")
    return 0


def cmd_policy_ack(ctx: Context) -> int:
    with ctx.session() as s:
        pc = notices.get(s, ctx.args.id)
        notices.acknowledge(s, pc, office=ctx.acting_office(s), operator=ctx.operator(s))
        s.commit()
    out(f"已确认收到“{pc.title}”（{str(pc.id)[:8]}）。")
    return 0


def cmd_letter_send(ctx: Context) -> int:
    path = Path(ctx.args.file)
    try:
        raw = path.read_bytes()
        if len(raw) > 5_000_000:
            raise FileFormatError(f"函告文件 {path} 过大（超过 5 MB）。")
        letter = json.loads(raw.decode("utf-8-sig"))
    except OSError as exc:
        raise FileFormatError(f"无法读取函告文件 {path}：{exc.strerror or exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FileFormatError(f"函告文件 {path} 不是有效的 JSON（{exc}）。") from None
    with ctx.session() as s:
        pl = letters.send(s, letter, office=ctx.acting_office(s), operator=ctx.operator(s), to=_to_office(s, ctx))
        d = letters.letter_dict(s, pl)
        s.commit()
    out(f"已函告行政审批部门：专家 {d['experts']} 条、中介机构 {d['agencies']} 条（编号 {str(d['id'])[:8]}）。"
        f"期限：{d['limits']}。")
    return 0


def cmd_letter_list(ctx: Context) -> int:
    with ctx.session() as s:
        rows = letters.list_letters(s)
    return show_rows(ctx, rows, empty="没有函告。",
                     headers=["编号", "函告单位", "日期", "专家", "中介机构", "状态", "已更新入库"],
                     cells=lambda r: [str(r["id"])[:8], r["sender"], r["letter_date"].isoformat(), str(r["experts"]),
                                      str(r["agencies"]), r["status_label"], fmt_time(r["applied_at"])],
                     limits=[8, 24, 10, 4, 8, 8, 16])


def cmd_letter_ack(ctx: Context) -> int:
    with ctx.session() as s:
        pl = letters.get(s, ctx.args.id)
        letters.acknowledge(s, pl, office=ctx.acting_office(s), operator=ctx.operator(s))
        counts = json.loads(pl.applied_counts or "{}")
        s.commit()
    names = {"experts": "专家", "agencies": "中介机构"}
    parts = [f"{names[part]}{letters.pool_letters.ACTIONS[action]} {n} 条"
             for part in names for action, n in counts.get(part, {}).items() if n]
    out(f"已确认收到函告 {str(pl.id)[:8]}，已更新：{'、'.join(parts) or '无变化'}。")
    return 0
