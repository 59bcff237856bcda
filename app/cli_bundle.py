"""``shenguan bundle …``: export, import (with --dry-run), inspect, and the outbox per peer."""

from __future__ import annotations

import contextlib
from pathlib import Path

from app.cli_common import Context, fmt_time, out, out_json, show_rows, table
from app.services import offices as offices_service
from app.services.dispatch import ACTION_LABELS
from app.services.errors import FileFormatError, ShenGuanError
from app.services.exchange import apply as applier
from app.services.exchange import exporter, importer, outbox
from app.services.exchange.importer import ImportReport


def _as(p) -> None:
    p.add_argument("--as", dest="acting", metavar="CODE",
                   help="以哪个本机单位办理（本机只有一个单位时可省略；演示模式必填）")


def register(sub, parents) -> None:
    p = sub.add_parser("bundle", parents=parents, help="数据交换包：导出、导入、查看（U盘交换）",
                       description="与其他单位交换数据（第十五条审管平台，离线经U盘传递）：每个数据包发给一个单位，"
                                   "由本单位签名、为对方加密、按序编号；对方确认收到前，消息每次都会随新数据包重发。")
    bsub = p.add_subparsers(dest="bundle_command", metavar="子命令", required=True)
    q = bsub.add_parser("export", parents=parents, help="导出发给某单位的数据包",
                        description="把发给该单位、尚未被其确认的全部消息写入下一个数据包，并确认已收到对方的数据包。")
    q.add_argument("--to", required=True, metavar="CODE", help="接收单位代码")
    q.add_argument("--out", required=True, metavar="FILE", help="数据包文件或文件夹（如 U 盘 E:\\）")
    _as(q)
    q.set_defaults(func=cmd_export)
    q = bsub.add_parser("import", parents=parents, help="导入数据包（可先 --dry-run 预览）",
                        description="核验签名、接收单位和序号，解密并严格检查后，预览或在一个事务中全部导入。"
                                    "被拒绝的文件复制到数据目录的 quarantine 文件夹并附说明。")
    q.add_argument("file", metavar="FILE", help="数据包文件")
    q.add_argument("--dry-run", action="store_true", help="只预览每条消息的结果，不写入")
    q.add_argument("--json", action="store_true", help="以 JSON 输出报告")
    q.set_defaults(func=cmd_import)
    q = bsub.add_parser("inspect", parents=parents, help="查看数据包的包头（发给本单位时也显示内容）",
                        description="显示数据包包头和签名核验结果；本单位是接收单位时显示其中的消息。不写入任何数据。")
    q.add_argument("file", metavar="FILE", help="数据包文件")
    q.add_argument("--json", action="store_true", help="以 JSON 输出")
    q.set_defaults(func=cmd_inspect)
    q = bsub.add_parser("status", parents=parents, help="各对方单位的待发、未确认消息",
                        description="按对方单位列出发件箱中待发送和已发送未确认的消息数，以及双方数据包序号。")
    q.add_argument("--json", action="store_true", help="以 JSON 输出")
    _as(q)
    q.set_defaults(func=cmd_status)


def cmd_export(ctx: Context) -> int:
    a = ctx.args
    target = Path(a.out)
    with ctx.session() as s:
        office = ctx.acting_office(s)
        peer = offices_service.office_by_code(s, a.to)
        summary = exporter.export_bundle(s, office, peer, target)
        try:
            s.commit()
        except BaseException:
            with contextlib.suppress(OSError):
                summary.path.unlink()
            raise
    out(f"已导出发给 {summary.addressee_name} 的第 {summary.sequence} 号数据包：{summary.path}")
    out(f"  消息 {summary.messages} 条（其中重发 {summary.resent} 条）；确认收到对方数据包至第 {summary.acknowledging} 号。")
    out("  数据包已签名并为对方加密；对方导入并回传数据包确认后，消息才从发件箱移除。")
    return 0


def cmd_import(ctx: Context) -> int:
    a = ctx.args
    path = Path(a.file)
    try:
        data = importer.read_file(path)
    except FileFormatError as exc:
        report = ImportReport(importer.REJECTED, exc.message, file_name=str(path))
        return _finish(ctx, report)
    with ctx.session() as s:
        report = importer.import_bundle(s, data, file_name=str(path), dry_run=a.dry_run)
        if report.status == importer.APPLIED:
            s.commit()
        else:
            s.rollback()
    reports = [report]
    if not a.dry_run:
        if report.status in (importer.REJECTED, importer.HELD):
            importer.keep_file(ctx.home, data, report)
        while report.status == importer.APPLIED:  # held bundles that can follow now
            held = importer.next_held(ctx.home, report)
            if held is None:
                break
            data = importer.read_file(held)
            with ctx.session() as s:
                report = importer.import_bundle(s, data, file_name=str(held))
                if report.status == importer.APPLIED:
                    s.commit()
            if report.status in (importer.APPLIED, importer.ALREADY):
                from app.services.exchange.files import remove_kept

                remove_kept(held)
            reports.append(report)
    return _finish(ctx, *reports)


def _finish(ctx: Context, *reports: ImportReport) -> int:
    if ctx.args.json:
        out_json(reports[0].as_dict() if len(reports) == 1 else [r.as_dict() for r in reports])
    else:
        for r in reports:
            if r.ok:
                out(r.message)
                _outcome_table(r)
    failed = next((r for r in reports if not r.ok), None)
    if failed is None:
        return 0
    text = failed.message
    if failed.kept_as:
        text += f"（文件已{'暂存' if failed.status == importer.HELD else '隔离'}：{failed.kept_as}）"
    if ctx.args.json:
        from app.cli_common import stderr_line

        stderr_line(text)
        return 1
    raise ShenGuanError(text)


def _outcome_table(r: ImportReport) -> None:
    if not r.outcomes:
        return
    shown = r.outcomes[:50]
    out(table(["消息", "办理", "结果", "审批结果", "申请人", "说明"],
              [[o.message_id[:8], ACTION_LABELS.get(o.action, o.action), applier.OUTCOME_LABELS[o.outcome],
                o.subject_id[:8], o.applicant, o.reason] for o in shown], [8, 10, 6, 8, 30, 40]))
    if len(r.outcomes) > len(shown):
        out(f"（共 {len(r.outcomes)} 条，只显示前 {len(shown)} 条；用 --json 查看全部）")


def cmd_inspect(ctx: Context) -> int:
    data = importer.read_file(Path(ctx.args.file))
    with ctx.session() as s:
        info = importer.inspect_bundle(s, data)
    if ctx.args.json:
        out_json(info)
        return 0
    h = info["header"]
    out(f"数据包 {h['bundle_id']}（格式 {h['format']} 第 {h['schema_version']} 版）")
    out(f"  发送单位：{h['sender']} {info.get('sender_name', '')}")
    out(f"  接收单位：{h['addressee']}")
    out(f"  序号：第 {h['sequence']} 号；生成时间：{h['created'].replace('T', ' ')}；消息 {h['message_count']} 条")
    sig = {"valid": "有效（与单位名录中的密钥一致）", "invalid": "无效！文件被改动或不是该单位签发",
           "unknown": "无法核验（发送单位不在本机的单位名录中）"}[info["signature"]]
    out(f"  签名：{sig}")
    if info["messages"] is None:
        out("  内容已加密，只有接收单位能查看。")
        return 0
    out(f"  确认收到本单位数据包至第 {info['ack']['through_sequence']} 号")
    if info["messages"]:
        out(table(["消息", "办理", "审批结果", "申请人", "时间", "经办人"],
                  [[m["id"][:8], ACTION_LABELS.get(m["action"], m["action"]), m["subject_id"][:8],
                    m["applicant"], m["at"].replace("T", " ")[:16], m["operator"]]
                   for m in info["messages"][:100]], [8, 10, 8, 30, 16, 12]))
    return 0


def cmd_status(ctx: Context) -> int:
    with ctx.session() as s:
        office = ctx.acting_office(s)
        states = outbox.peer_states(s, office)
    rows = [dict(st.__dict__) for st in states]
    return show_rows(ctx, rows, empty=f"{office.name}：还没有可交换的单位。请先导入营商环境建设主管部门发布的单位名录。",
                     headers=["代码", "单位", "待发送", "已发未确认", "已发至", "对方确认至", "已收至", "最近导出", "最近导入"],
                     cells=lambda r: [r["code"], r["name"], str(r["waiting"]), str(r["unacknowledged"]),
                                      str(r["last_sent"]), str(r["acked"]), str(r["last_received"]),
                                      fmt_time(r["last_export"]), fmt_time(r["last_import"])])

