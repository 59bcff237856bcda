"""``shenguan oversight|circular|summary …``: oversight figures, the late list, the metadata
report and circulars (Art. 21), and the monthly summary letter between two offices. The
consultations and requests are in :mod:`app.cli_cooperation`. See docs/cooperation.md."""

from __future__ import annotations

from pathlib import Path

from app.cli_common import Context, fmt_time, out, out_json, show_rows, table
from app.cli_cooperation import parsers, short_id
from app.services import offices
from app.services.cooperation import circular, oversight, reports, summary
from app.services.errors import FileFormatError


def register(sub, parents) -> None:
    group, cmd = parsers(sub, parents)
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

    q = cmd(sub, "summary", cmd_summary, "两个单位之间的月度推送签收汇总函（PDF 和 Excel）")
    q.add_argument("--with", dest="other", required=True, metavar="CODE", help="对方单位代码")
    q.add_argument("--month", required=True, metavar="YYYY-MM")
    q.add_argument("--pdf", metavar="FILE.pdf")
    q.add_argument("--xlsx", metavar="FILE.xlsx")


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
    return show_rows(ctx, rows, empty="没有逾期事项。", headers=["单位", "事项", "对方单位", "期限", "办结时间", "情况"],
                     cells=lambda r: [r["office_name"], r["measure_label"], r["counterpart_name"], r["due"].isoformat(),
                                      fmt_time(r["done_at"]), r["state_label"]],
                     limits=[24, 12, 24, 10, 16, 8])


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
    out(f"已起草通报“{c.title}”（编号 {short_id(c.id)}），写出 {a.out}（{r.pages} 页）。"
        f"修改正文后用 shenguan circular print {short_id(c.id)} --body-file … 重新打印。{r.warning}".rstrip())
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
    return show_rows(ctx, rows, empty="没有通报。", headers=["编号", "月份", "文号", "标题", "逾期事项", "起草时间"],
                     cells=lambda r: [short_id(r["id"]), r["period"], r["number"], r["title"], str(len(r["items"])),
                                      fmt_time(r["created_at"])],
                     limits=[8, 7, 16, 40, 8, 16])


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
