"""``shenguan audit verify|head|list|show``: the hash-chained audit log (docs/audit.md)."""

from __future__ import annotations

from sqlalchemy import select

from app.cli_common import Context, count_arg, date_arg, fmt_time, out, out_json, table
from app.models.audit import AuditEvent
from app.services import audit_log
from app.services.errors import NotFoundError

MIN_PREFIX = 8


def register(sub, parents) -> None:
    p = sub.add_parser("audit", parents=parents, help="审计日志：校验、链头、查看",
                       description="审计日志：每一项数据变更都记为一条带哈希链的审计记录。")
    asub = p.add_subparsers(dest="audit_command", metavar="子命令", required=True)
    q = asub.add_parser("verify", parents=parents, help="校验审计日志的哈希链",
                        description="按序号逐条重新计算哈希值并核对链头；报告第一处断开的链接。"
                                    "日志被改动时退出状态为 1。")
    q.add_argument("--head", metavar="HASH",
                   help="另外核对事先抄下的链头（audit head 输出的“序号:哈希值”或哈希值）")
    q.add_argument("--json", action="store_true", help="以 JSON 输出")
    q.set_defaults(func=cmd_verify)
    q = asub.add_parser("head", parents=parents, help="显示链头（序号和哈希值），供抄录或打印保存",
                        description="显示最后一条审计记录的序号和哈希值。请抄录或打印后另行保存，"
                                    "日后用 audit verify --head 核对，可发现整个日志被重写。")
    q.add_argument("--json", action="store_true", help="以 JSON 输出")
    q.set_defaults(func=cmd_head)
    q = asub.add_parser("list", parents=parents, help="列出最近的审计记录",
                        description="列出最近的审计记录（从旧到新）。")
    q.add_argument("--since", type=date_arg, metavar="DATE", help="只列出该日及以后的记录")
    q.add_argument("--limit", type=count_arg, default=50, metavar="N", help="最多列出条数（默认 50）")
    q.add_argument("--json", action="store_true", help="以 JSON 输出")
    q.set_defaults(func=cmd_list)
    q = asub.add_parser("show", parents=parents, help="列出一条记录的审计记录",
                        description="列出一条记录（及其推送、办理记录）的全部审计记录。")
    q.add_argument("--entity", required=True, metavar="ID",
                   help=f"记录编号（完整编号或前至少 {MIN_PREFIX} 位）")
    q.add_argument("--json", action="store_true", help="以 JSON 输出")
    q.set_defaults(func=cmd_show)


def cmd_verify(ctx: Context) -> int:
    with ctx.session() as s:
        v = audit_log.verify(s, ctx.args.head)
    if ctx.args.json:
        out_json(v.as_dict())
    elif v.ok:
        out(v.message)
        out(f"链头：{v.head_seq}:{v.head_hash}")
    else:
        where = f"第 {v.seq} 条" if v.seq is not None else "—"
        out(f"审计日志已被改动：{audit_log.KIND_LABELS[v.kind]}（位置：{where}）")
        out(v.message)
        out(f"此前的 {v.count} 条记录完好。")
    return 0 if v.ok else 1


def cmd_head(ctx: Context) -> int:
    with ctx.session() as s:
        seq, digest = audit_log.head(s)
    if ctx.args.json:
        out_json({"seq": seq, "hash": digest, "head": f"{seq}:{digest}"})
    else:
        out(f"{seq}:{digest}")
    return 0


def _print(rows: list[audit_log.AuditRow], as_json: bool) -> None:
    if as_json:
        out_json([r.as_dict() for r in rows])
        return
    if not rows:
        out("没有审计记录。")
        return
    out(table(["序号", "时间", "单位", "操作员", "操作", "对象", "编号", "内容"],
              [[str(r.seq), fmt_time(r.at), r.office, r.operator, r.action, r.entity_label,
                r.entity_id[:8], r.what] for r in rows],
              [8, 16, 12, 12, 10, 12, 8, 60]))


def cmd_list(ctx: Context) -> int:
    with ctx.session() as s:
        rows = audit_log.list_events(s, ctx.args.since, ctx.args.limit)
    _print(rows, ctx.args.json)
    return 0


def cmd_show(ctx: Context) -> int:
    text = "".join((ctx.args.entity or "").split()).lower()
    with ctx.session() as s:
        if len(text) < MIN_PREFIX:
            raise NotFoundError(f"记录编号“{ctx.args.entity}”太短：请至少输入前 {MIN_PREFIX} 位。")
        found = list(s.scalars(select(AuditEvent.entity_id).distinct()
                               .where(AuditEvent.entity_id.startswith(text, autoescape=True))
                               .limit(2)))
        if not found:
            raise NotFoundError(f"审计日志中没有编号以 {ctx.args.entity} 开头的记录。")
        if len(found) > 1:
            raise NotFoundError(f"以 {ctx.args.entity} 开头的记录不止一条，请多输入几位。")
        rows = audit_log.record_events(s, found[0])
    _print(rows, ctx.args.json)
    return 0
