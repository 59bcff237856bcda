"""``shenguan catalogue …``: the 相对集中行政许可事项清单 in versions (Art. 7).

The oversight office drafts, evaluates, approves, puts in force, files and publishes versions;
every office imports the published file and works under it (docs/catalogue.md).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli_common import Context, date_arg, fmt_time, out, out_json, table
from app.models.catalogue import ITEM_LEVELS
from app.services.catalogue import diff as diff_service
from app.services.catalogue import publish as publish_service
from app.services.catalogue import versions, working
from app.services.exchange.files import atomic_write, read_limited


def _as(p) -> None:
    p.add_argument("--as", dest="acting", metavar="CODE",
                   help="以哪个本机单位办理（本机只有一个单位时可省略；演示模式必填）")


def _source(text: str) -> int | str:
    value = (text or "").strip()
    if value.lower() in ("items", "事项"):
        return "items"
    if value.isdigit():
        return int(value)
    raise argparse.ArgumentTypeError(f"“{text}”应为版本号，或 items（复制当前事项清单）")


def register(sub, parents) -> None:
    levels = "、".join(f"{code}={label}" for code, label in ITEM_LEVELS.items())
    p = sub.add_parser("catalogue", parents=parents, help="相对集中行政许可事项清单：版本、评估、批准、实施、发布",
                       description="营商环境建设主管部门制作和调整事项清单（第七条）：草案 → 评估论证 → "
                                   "政府批准 → 实施 → 备案；实施中的清单签名发布，各单位导入后按其执行。")
    csub = p.add_subparsers(dest="catalogue_command", metavar="子命令", required=True)

    def cmd(name, func, help_, *, acting=False):
        q = csub.add_parser(name, parents=parents, help=help_, description=help_)
        if acting:
            _as(q)
        q.set_defaults(func=func)
        return q

    q = cmd("versions", cmd_versions, "列出清单的各个版本")
    q.add_argument("--json", action="store_true", help="以 JSON 输出")
    q = cmd("show", cmd_show, "显示一个版本：状态、事项和意见")
    q.add_argument("number", type=int, metavar="N")
    q.add_argument("--json", action="store_true", help="以 JSON 输出")
    q = cmd("new", cmd_new, "新建一版草案（营商局）", acting=True)
    q.add_argument("--title", required=True, help="清单名称，如 营口市相对集中行政许可事项清单（2027年版）")
    q.add_argument("--from", dest="source", type=_source, metavar="N|items",
                   help="复制第 N 版的事项，或 items 复制本机当前事项清单；不给则为空草案")
    q = cmd("add-item", cmd_add_item, "向草案添加事项")
    q.add_argument("number", type=int, metavar="N")
    q.add_argument("--code", required=True, help="事项编码，如 ZJ-001")
    q.add_argument("--name", required=True, help="事项名称")
    q.add_argument("--category", default="", help="事项类别，如 行政许可")
    q.add_argument("--competent", required=True, metavar="CODE", help="主管部门的单位代码")
    q.add_argument("--level", default="city", help=f"层级：{levels}（默认 city）")
    q = cmd("edit-item", cmd_edit_item, "修改草案中的事项")
    q.add_argument("number", type=int, metavar="N")
    q.add_argument("code", metavar="CODE")
    q.add_argument("--name")
    q.add_argument("--category")
    q.add_argument("--competent", metavar="CODE")
    q.add_argument("--level")
    q = cmd("remove-item", cmd_remove_item, "从草案删除事项")
    q.add_argument("number", type=int, metavar="N")
    q.add_argument("code", metavar="CODE")
    q = cmd("opinion", cmd_opinion, "记录行政审批部门或行政主管部门对草案的意见")
    q.add_argument("number", type=int, metavar="N")
    q.add_argument("--office", required=True, metavar="CODE", help="提出意见的单位代码")
    g = q.add_mutually_exclusive_group(required=True)
    g.add_argument("--agree", dest="agrees", action="store_true", help="同意")
    g.add_argument("--disagree", dest="agrees", action="store_false", help="不同意（须写明理由）")
    q.add_argument("--text", default="", help="意见内容")
    cmd("evaluate", cmd_evaluate, "标记草案已评估论证（须有行政审批部门的意见）").add_argument(
        "number", type=int, metavar="N")
    q = cmd("approve", cmd_approve, "登记本级政府批准：文号和日期")
    q.add_argument("number", type=int, metavar="N")
    q.add_argument("--doc-number", required=True, help="批准文号，如 营政发〔2026〕12号")
    q.add_argument("--date", required=True, type=date_arg, help="批准日期")
    q = cmd("enforce", cmd_enforce, "实施：原实施版本被替代，本机事项清单随之更新（营商局）", acting=True)
    q.add_argument("number", type=int, metavar="N")
    q.add_argument("--from", dest="start", required=True, type=date_arg, help="实施日期")
    q = cmd("file", cmd_file, "登记报上级政府备案")
    q.add_argument("number", type=int, metavar="N")
    q.add_argument("--date", required=True, type=date_arg, help="备案日期")
    q.add_argument("--with", dest="filed_with", required=True, help="备案机关，如 辽宁省人民政府")
    q = cmd("diff", cmd_diff, "比较两个版本：新增、删除、变更的事项")
    q.add_argument("a", type=int, metavar="A")
    q.add_argument("b", type=int, metavar="B")
    q.add_argument("--json", action="store_true", help="以 JSON 输出")
    q = cmd("publish", cmd_publish, "写出实施中版本的签名清单文件，分发各单位（营商局）", acting=True)
    q.add_argument("number", type=int, metavar="N")
    q.add_argument("--out", required=True, metavar="FILE", help="清单文件路径")
    q = cmd("import", cmd_import, "导入营商局发布的清单文件")
    q.add_argument("file", metavar="FILE")
    q = cmd("current", cmd_current, "本单位正在执行的清单版本")
    q.add_argument("--json", action="store_true", help="以 JSON 输出")


def cmd_versions(ctx: Context) -> int:
    with ctx.session() as s:
        rows = versions.list_versions(s)
        current = working.working_number(s)
    if ctx.args.json:
        out_json({"current": current, "versions": rows})
        return 0
    if not rows:
        out("还没有事项清单。营商局用 shenguan catalogue new --title … 新建草案；其他单位导入营商局发布的清单文件。")
        return 0
    out(table(["版本", "名称", "状态", "事项数", "文号", "实施日期", "执行"],
              [[str(r["number"]), r["title"], r["status_label"], str(r["entries"]), r["approved_doc_number"] or "",
                r["in_force_from"].isoformat() if r["in_force_from"] else "", "◀" if r["number"] == current else ""]
               for r in rows], [6, 48, 16, 6, 24, 10, 4]))
    return 0


def cmd_show(ctx: Context) -> int:
    with ctx.session() as s:
        d = versions.details(s, ctx.args.number)
    if ctx.args.json:
        out_json(d)
        return 0
    out(f"第 {d['number']} 版：{d['title']}（{d['status_label']}）")
    for label, key in (("批准文号", "approved_doc_number"), ("批准日期", "approved_on"),
                       ("实施日期", "in_force_from"), ("备案日期", "filed_on"), ("备案机关", "filed_with")):
        if d[key]:
            out(f"  {label}：{d[key]}")
    if d["published_at"]:
        out(f"  发布时间：{fmt_time(d['published_at'])}")
    out(f"事项 {len(d['items'])} 项：")
    if d["items"]:
        out(table(["编码", "名称", "类别", "主管部门", "层级"],
                  [[i["code"], i["name"], i["category"], i["competent_office"]["name"], i["level_label"]]
                   for i in d["items"]], [16, 40, 12, 28, 10]))
    for o in d["opinions"]:
        out(f"意见：{o['office_name']}（{o['office_code']}）{'同意' if o['agrees'] else '不同意'}"
            f"{'：' + o['text'] if o['text'] else ''}")
    return 0


def cmd_new(ctx: Context) -> int:
    with ctx.session() as s:
        number = versions.create_draft(s, ctx.acting_office(s), ctx.args.title, ctx.args.source)
        count = len(versions.get_version(s, number).entries)
        s.commit()
    out(f"已新建第 {number} 版清单草案（{count} 项事项）。")
    return 0


def cmd_add_item(ctx: Context) -> int:
    a = ctx.args
    with ctx.session() as s:
        versions.add_entry(s, a.number, a.code, a.name, a.category, a.competent, a.level)
        s.commit()
    out(f"已向第 {a.number} 版草案添加事项 {a.code.strip()}。")
    return 0


def cmd_edit_item(ctx: Context) -> int:
    a = ctx.args
    with ctx.session() as s:
        versions.edit_entry(s, a.number, a.code, name=a.name, category=a.category, competent=a.competent,
                            level=a.level)
        s.commit()
    out(f"已修改第 {a.number} 版草案中的事项 {a.code.strip()}。")
    return 0


def cmd_remove_item(ctx: Context) -> int:
    a = ctx.args
    with ctx.session() as s:
        versions.remove_entry(s, a.number, a.code)
        s.commit()
    out(f"已从第 {a.number} 版草案删除事项 {a.code.strip()}。")
    return 0


def cmd_opinion(ctx: Context) -> int:
    a = ctx.args
    with ctx.session() as s:
        versions.record_opinion(s, a.number, a.office, a.agrees, a.text)
        s.commit()
    out(f"已记录 {a.office.strip()} 对第 {a.number} 版草案的意见（{'同意' if a.agrees else '不同意'}）。")
    return 0


def cmd_evaluate(ctx: Context) -> int:
    with ctx.session() as s:
        silent = versions.evaluate(s, ctx.args.number)
        s.commit()
    out(f"第 {ctx.args.number} 版清单已评估论证，可报本级政府批准。")
    if silent:
        out(f"  注意：以下主管部门未提出意见：{'、'.join(silent)}。")
    return 0


def cmd_approve(ctx: Context) -> int:
    a = ctx.args
    with ctx.session() as s:
        versions.approve(s, a.number, a.doc_number, a.date)
        doc = versions.get_version(s, a.number).approved_doc_number
        s.commit()
    out(f"已登记第 {a.number} 版清单经本级政府批准：{doc}（{a.date:%Y-%m-%d}）。")
    return 0


def _sync_lines(r: working.SyncReport) -> None:
    out(f"  本机事项清单：新增 {len(r.added)}，更新 {len(r.updated)}，停用 {len(r.deactivated)}，"
        f"恢复 {len(r.reactivated)}。")
    if r.deactivated:
        out(f"  已停用（不再列入清单，已有审批结果保留）：{'、'.join(r.deactivated)}")


def cmd_enforce(ctx: Context) -> int:
    a = ctx.args
    with ctx.session() as s:
        report = versions.put_in_force(s, ctx.acting_office(s), a.number, a.start)
        s.commit()
    out(f"第 {a.number} 版清单自 {a.start:%Y-%m-%d} 起实施。")
    _sync_lines(report)
    out(f"  发布给各单位：shenguan catalogue publish {a.number} --out 文件")
    return 0


def cmd_file(ctx: Context) -> int:
    a = ctx.args
    with ctx.session() as s:
        versions.mark_filed(s, a.number, a.date, a.filed_with)
        s.commit()
    out(f"已登记第 {a.number} 版清单报{a.filed_with.strip()}备案（{a.date:%Y-%m-%d}）。")
    return 0


def cmd_diff(ctx: Context) -> int:
    with ctx.session() as s:
        d = diff_service.diff(s, ctx.args.a, ctx.args.b)
    if ctx.args.json:
        out_json(d)
        return 0
    for line in diff_service.diff_text(d):
        out(line)
    return 0


def cmd_publish(ctx: Context) -> int:
    a = ctx.args
    with ctx.session() as s:
        data = publish_service.publish(s, ctx.acting_office(s), a.number)
        atomic_write(Path(a.out), data)
        s.commit()
    out(f"已写出第 {a.number} 版事项清单文件：{a.out}（各单位用 shenguan catalogue import 导入）")
    return 0


def cmd_import(ctx: Context) -> int:
    data = read_limited(Path(ctx.args.file), publish_service.MAX_BYTES, publish_service.WHAT)
    with ctx.session() as s:
        result = publish_service.import_catalogue(s, data)
        s.commit()
    if result.already:
        out(f"已是此版本：本单位已在执行第 {result.number} 版清单，未做更改。")
        return 0
    out(f"已导入第 {result.number} 版清单：{result.title}（{result.entries} 项事项），本单位按此版执行。")
    _sync_lines(result.sync)
    return 0


def cmd_current(ctx: Context) -> int:
    with ctx.session() as s:
        v = working.working_version(s)
        data = versions.summary(v) if v is not None else None
    if ctx.args.json:
        out_json({"current": data})
        return 0
    if data is None:
        out("本单位尚未执行任何版本的事项清单（请导入营商局发布的清单文件）。")
        return 0
    out(f"本单位执行第 {data['number']} 版清单：{data['title']}（{data['status_label']}，{data['entries']} 项事项，"
        f"{data['approved_doc_number']}，自 {data['in_force_from']} 起实施）")
    return 0
