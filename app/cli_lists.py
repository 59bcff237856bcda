"""``shenguan experts|agencies|liaison …`` and ``shenguan catalogue import-xlsx|export-xlsx``:
the expert and agency pools (Art. 11), liaison officers (Art. 16) and their Excel round trip
(docs/lists.md)."""

from __future__ import annotations

import argparse
import uuid

from sqlalchemy import select

from app.cli_common import (
    Context,
    count_arg,
    date_arg,
    out,
    out_json,
    show_rows,
    stderr_line,
    table,
)
from app.models import Agency, Expert, LiaisonOfficer
from app.services import liaison, lists_xlsx, pools
from app.services.errors import NotFoundError

_IMPORT_HINT = "先加 --dry-run 预览；有问题的行未改正时不导入任何数据，加 --skip-bad 则只导入没有问题的行。"
_KINDS = {"experts": pools.EXPERT, "agencies": pools.AGENCY}
_MODELS = {"experts": Expert, "agencies": Agency, "liaison": LiaisonOfficer}


def _find(session, model, text: str, label: str) -> uuid.UUID:
    """A record by its full id or a unique prefix of at least 8 hex digits (as listed)."""
    hexes = (text or "").strip().lower().replace("-", "")
    if len(hexes) < 8 or len(hexes) > 32 or any(c not in "0123456789abcdef" for c in hexes):
        raise NotFoundError(f"“{text}”不是有效的{label}编号：请输入列表中显示的编号（至少 8 位）。")
    low, high = uuid.UUID(hexes.ljust(32, "0")), uuid.UUID(hexes.ljust(32, "f"))
    found = list(session.scalars(select(model.id).where(model.id.between(low, high)).limit(2)))
    if not found:
        raise NotFoundError(f"没有编号为 {text} 的{label}。")
    if len(found) > 1:
        raise NotFoundError(f"编号以 {text} 开头的{label}不止一个，请多输入几位。")
    return found[0]


def _xlsx_commands(csub, parents, name: str, what: str) -> None:
    q = csub.add_parser("import-xlsx", parents=parents, help=f"从 Excel 导入{what}",
                        description=f"从 .xlsx 表格导入{what}。{_IMPORT_HINT}")
    if name == "catalogue":
        q.add_argument("number", type=int, metavar="N", help="草案的版本号")
    q.add_argument("file", metavar="FILE")
    q.add_argument("--dry-run", action="store_true", help="只预览，不保存")
    q.add_argument("--skip-bad", action="store_true", help="跳过有问题的行，只导入没有问题的行")
    q.set_defaults(func=cmd_import, list_name=name)
    q = csub.add_parser("export-xlsx", parents=parents, help=f"把{what}导出为 Excel",
                        description=f"把{what}导出为 .xlsx 表格（可改后再导入）。")
    if name == "catalogue":
        q.add_argument("number", type=int, metavar="N", help="版本号")
    q.add_argument("--out", required=True, metavar="FILE", help="表格文件路径（.xlsx）")
    if name != "catalogue":
        q.add_argument("--all", action="store_true", help="包括已停用的")
    q.set_defaults(func=cmd_export, list_name=name)


def _pool_parser(sub, parents, name: str) -> None:
    kind = _KINDS[name]
    p = sub.add_parser(name, parents=parents, help=f"{kind.label}库（第十一条）",
                       description=f"行政审批部门的{kind.label}库，由行政主管部门推荐并函告调整（第十一条）。")
    csub = p.add_subparsers(dest=f"{name}_command", metavar="子命令", required=True)
    q = csub.add_parser("list", parents=parents, help=f"查询{kind.label}", description=f"查询{kind.label}")
    q.add_argument("--search", metavar="TEXT", help="按名称、专业/服务范围、单位等查找")
    q.add_argument("--office", metavar="CODE", help="推荐单位（代码或名称）")
    q.add_argument("--valid-on", type=date_arg, metavar="DATE", help="只列在该日期有效的")
    q.add_argument("--expiring", type=count_arg, metavar="DAYS", help="只列 DAYS 天内到期和已过期的")
    q.add_argument("--all", action="store_true", help="包括已停用的")
    q.add_argument("--json", action="store_true", help="以 JSON 输出")
    q.set_defaults(func=cmd_pool_list, list_name=name)
    q = csub.add_parser("add", parents=parents, help=f"添加{kind.label}", description=f"添加{kind.label}")
    q.add_argument("--name", required=True, help="姓名" if kind is pools.EXPERT else "机构名称")
    if kind is pools.AGENCY:
        q.add_argument("--credit-code", required=True, help="统一社会信用代码（18位）")
        q.add_argument("--scope", help="服务范围")
        q.add_argument("--contact", dest="contact_name", help="联系人")
    else:
        q.add_argument("--specialty", help="专业领域")
        q.add_argument("--title", help="职称")
        q.add_argument("--employer", help="工作单位")
        q.add_argument("--valid-from", type=date_arg, help="有效期起")
    q.add_argument("--qualification", help="资格证书" if kind is pools.EXPERT else "资质")
    q.add_argument("--certificate", dest="certificate_number", help="证书编号")
    q.add_argument("--phone", help="联系电话")
    q.add_argument("--office", metavar="CODE", help="推荐单位（行政主管部门的代码或名称）")
    q.add_argument("--valid-until", type=date_arg, help="有效期至")
    q.add_argument("--note", help="备注")
    q.set_defaults(func=cmd_pool_add, list_name=name)
    q = csub.add_parser("deactivate", parents=parents, help=f"停用{kind.label}（保留记录）",
                        description=f"停用{kind.label}：不再列入库中，记录保留。")
    q.add_argument("id", metavar="ID")
    q.add_argument("--note", help="停用原因")
    q.set_defaults(func=cmd_pool_deactivate, list_name=name)
    _xlsx_commands(csub, parents, name, f"{kind.label}库")


def register(sub, parents) -> None:
    for name in _KINDS:
        _pool_parser(sub, parents, name)
    p = sub.add_parser("liaison", parents=parents, help="审管平台信息推送联络员（第十六条）",
                       description="各单位的信息推送联络员（第十六条）；每个单位有一名当前联络员，"
                                   "推送和打印的表单上署其姓名和电话。")
    csub = p.add_subparsers(dest="liaison_command", metavar="子命令", required=True)
    q = csub.add_parser("list", parents=parents, help="列出联络员", description="列出联络员")
    q.add_argument("--office", metavar="CODE", help="单位代码")
    q.add_argument("--all", action="store_true", help="包括已停用的")
    q.add_argument("--json", action="store_true", help="以 JSON 输出")
    q.set_defaults(func=cmd_liaison_list)
    q = csub.add_parser("add", parents=parents, help="添加联络员", description="添加联络员")
    q.add_argument("--office", required=True, metavar="CODE", help="单位代码")
    q.add_argument("--name", required=True, help="姓名")
    q.add_argument("--phone", required=True, help="联系电话")
    q.add_argument("--duties", default="", help="工作职责")
    q.add_argument("--since", type=date_arg, help="起始日期（默认今天）")
    q.add_argument("--current", action="store_true", help="设为本单位的当前联络员")
    q.set_defaults(func=cmd_liaison_add)
    for name, func, help_ in (("set-current", cmd_liaison_current, "设为当前联络员"),
                              ("deactivate", cmd_liaison_deactivate, "停用联络员（保留记录）")):
        q = csub.add_parser(name, parents=parents, help=help_, description=help_)
        q.add_argument("id", metavar="ID")
        q.set_defaults(func=func)
    _xlsx_commands(csub, parents, "liaison", "联络员名单")
    # Excel import/export of a catalogue version live under ``shenguan catalogue``.
    catalogue = sub.choices["catalogue"]
    csub = next(a for a in catalogue._actions if isinstance(a, argparse._SubParsersAction))
    _xlsx_commands(csub, parents, "catalogue", "清单事项")


def _pool_rows(rows: list[dict], kind: pools.PoolKind) -> str:
    if kind is pools.EXPERT:
        head = ["编号", "姓名", "专业领域", "职称", "工作单位", "电话", "推荐单位", "有效期至", "状态"]
        body = [[str(r["id"])[:8], r["name"], r["specialty"], r["title"], r["employer"], r["phone"],
                 r["office_name"], str(r["valid_until"] or ""), r["status"]] for r in rows]
        return table(head, body, [8, 10, 20, 14, 24, 16, 20, 10, 6])
    head = ["编号", "机构名称", "统一社会信用代码", "服务范围", "联系人", "电话", "有效期至", "状态"]
    body = [[str(r["id"])[:8], r["name"], r["credit_code"], r["scope"], r["contact_name"], r["phone"],
             str(r["valid_until"] or ""), r["status"]] for r in rows]
    return table(head, body, [8, 30, 18, 24, 10, 16, 10, 6])


def cmd_pool_list(ctx: Context) -> int:
    a, kind = ctx.args, _KINDS[ctx.args.list_name]
    with ctx.session() as s:
        if a.expiring is not None:
            rows = pools.expiring(s, kind, a.expiring)
            if a.search or a.office:
                keep = {r["id"] for r in pools.search(s, kind, a.search, office=a.office)}
                rows = [r for r in rows if r["id"] in keep]
        else:
            rows = pools.search(s, kind, a.search, office=a.office, valid_on=a.valid_on, include_inactive=a.all)
    if a.json:
        out_json(rows)
    elif not rows:
        out(f"没有符合条件的{kind.label}。")
    else:
        out(_pool_rows(rows, kind))
        expired = sum(r["expired"] and r["active"] for r in rows)
        out(f"共 {len(rows)} 条" + (f"，其中 {expired} 条已过期" if expired else "") + "。")
    return 0


def cmd_pool_add(ctx: Context) -> int:
    kind = _KINDS[ctx.args.list_name]
    values = {k: getattr(ctx.args, k) for k in kind.keys if getattr(ctx.args, k, None) is not None}
    with ctx.session() as s:
        new_id = pools.add(s, kind, values)
        s.commit()
    out(f"已添加{kind.label} {values['name'].strip()}，编号 {str(new_id)[:8]}。")
    return 0


def cmd_pool_deactivate(ctx: Context) -> int:
    kind = _KINDS[ctx.args.list_name]
    with ctx.session() as s:
        entry_id = _find(s, kind.model, ctx.args.id, kind.label)
        pools.deactivate(s, kind, entry_id, ctx.args.note)
        name = s.get(kind.model, entry_id).name
        s.commit()
    out(f"已停用{kind.label} {name}（记录保留）。")
    return 0


def cmd_liaison_list(ctx: Context) -> int:
    with ctx.session() as s:
        rows = liaison.listing(s, ctx.args.office, include_inactive=ctx.args.all)
    return show_rows(ctx, rows, empty="没有联络员。用 shenguan liaison add --office CODE --name … --phone … 添加。",
                     headers=["编号", "单位", "姓名", "电话", "工作职责", "起始日期", "当前"],
                     cells=lambda r: [str(r["id"])[:8], r["office_name"], r["name"], r["phone"], r["duties"],
                                      str(r["since"] or ""),
                                      "◀ 当前" if r["current"] else ("" if r["active"] else "已停用")],
                     limits=[8, 24, 10, 16, 30, 10, 8])


def cmd_liaison_add(ctx: Context) -> int:
    a = ctx.args
    with ctx.session() as s:
        new_id = liaison.add(s, a.office, a.name, a.phone, a.duties, current=a.current, since=a.since)
        current = liaison.get(s, new_id).is_current
        s.commit()
    out(f"已添加联络员 {a.name.strip()}，编号 {str(new_id)[:8]}" + ("，为本单位当前联络员。" if current else "。"))
    return 0


def cmd_liaison_current(ctx: Context) -> int:
    with ctx.session() as s:
        lo_id = _find(s, LiaisonOfficer, ctx.args.id, "联络员")
        liaison.set_current(s, lo_id)
        lo = liaison.get(s, lo_id)
        text = f"{lo.office.name}的当前联络员为 {lo.name}（{lo.phone}）。"
        s.commit()
    out(text)
    return 0


def cmd_liaison_deactivate(ctx: Context) -> int:
    with ctx.session() as s:
        lo_id = _find(s, LiaisonOfficer, ctx.args.id, "联络员")
        liaison.deactivate(s, lo_id)
        name = liaison.get(s, lo_id).name
        s.commit()
    out(f"已停用联络员 {name}（记录保留）。")
    return 0


def cmd_import(ctx: Context) -> int:
    a = ctx.args
    options = {"dry_run": a.dry_run, "skip_bad": a.skip_bad}
    with ctx.session() as s:
        if a.list_name == "catalogue":
            report = lists_xlsx.import_catalogue(s, a.number, a.file, **options)
        else:
            report = getattr(lists_xlsx, f"import_{a.list_name}")(s, a.file, **options)
        if report.saved:
            s.commit()
    out(f"「{report.list_name}」：工作表「{report.sheet}」，表头在第 {report.header_row} 行。")
    out(f"可以导入 {len(report.accepted)} 行，有问题 {len(report.rejected)} 行。")
    for r, what in report.accepted if a.dry_run else ():
        out(f"  第 {r} 行：{what}")
    for p in report.rejected:
        out(f"  第 {p.row} 行有问题：{p.reason}")
    if report.ignored_columns:
        out(f"未使用的列：{'、'.join(report.ignored_columns)}")
    if report.saved:
        out(f"已导入 {report.added + report.updated} 行（新增 {report.added}，更新 {report.updated}）"
            + (f"，跳过有问题的 {len(report.rejected)} 行。" if report.rejected else "。"))
        return 0
    if a.dry_run:
        out("以上为预览，未保存。去掉 --dry-run 即导入。")
        return 0
    if not report.accepted and not report.rejected:
        stderr_line("表格中没有数据行，未做任何更改。")
        return 2
    stderr_line(f"表格中有 {len(report.rejected)} 行有问题，未导入任何数据。请改正后重新导入，"
                "或加 --skip-bad 只导入没有问题的行。")
    return 2


def cmd_export(ctx: Context) -> int:
    a = ctx.args
    with ctx.session() as s:
        if a.list_name == "catalogue":
            n = lists_xlsx.export_catalogue(s, a.number, a.out)
        else:
            n = getattr(lists_xlsx, f"export_{a.list_name}")(s, a.out, include_inactive=a.all)
    out(f"已导出 {n} 行到 {a.out}。")
    return 0
