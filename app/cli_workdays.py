"""``shenguan workdays add|check`` and ``shenguan calendar import``."""

from __future__ import annotations

from pathlib import Path

from app.cli_common import Context, date_arg, days_arg, out, out_json
from app.services.calendar_import import import_calendar
from app.services.workdays import WEEKDAY_NAMES

PROVISIONAL_NOTE = ("暂定：{year} 年的节假日安排尚未导入，按法定节假日（含补休）推算；"
                    "国务院安排发布后请用 shenguan calendar import 导入，期限将自动重算。")


def register(sub, parents) -> None:
    p = sub.add_parser("workdays", parents=parents, help="工作日与期限计算",
                       description="按法定工作日计算期限（周末、法定节假日休息，调休上班日上班）。")
    wsub = p.add_subparsers(dest="workdays_command", metavar="子命令", required=True)
    q = wsub.add_parser("add", parents=parents, help="DATE 之后第 N 个工作日的截止日期",
                        description="输出 DATE 之后第 N 个工作日（该日结束时截止）的日期。"
                                    "事件当天不计入（民法典第二百零一条）。")
    q.add_argument("start", metavar="DATE", type=date_arg, help="起算事件的日期，如 2026-02-13")
    q.add_argument("days", metavar="N", type=days_arg, help="工作日天数，如 2")
    q.add_argument("--json", action="store_true",
                   help='以 JSON 输出：{"start", "days", "due", "provisional"}')
    q.set_defaults(func=cmd_add)
    q = wsub.add_parser("check", parents=parents, help="某天是否为工作日及原因",
                        description="说明某天是否为工作日、原因，以及是否为暂定（该年安排尚未导入）。")
    q.add_argument("day", metavar="DATE", type=date_arg, help="日期，如 2026-02-14")
    q.add_argument("--json", action="store_true",
                   help='以 JSON 输出：{"date", "workday", "reason", "provisional"}')
    q.set_defaults(func=cmd_check)

    p = sub.add_parser("calendar", parents=parents, help="节假日安排",
                       description="导入国务院办公厅公布的年度节假日安排（格式见 docs/calendar-format.md）。")
    csub = p.add_subparsers(dest="calendar_command", metavar="子命令", required=True)
    q = csub.add_parser("import", parents=parents, help="导入一年的节假日安排文件",
                        description="导入一年的放假和调休上班日，并重算该年的暂定期限。文件有误时不做任何更改。")
    q.add_argument("file", metavar="FILE", help="节假日安排文件（JSON，UTF-8）")
    q.set_defaults(func=cmd_import)


def cmd_add(ctx: Context) -> int:
    a = ctx.args
    with ctx.session() as s:
        calendar = ctx.calendar(s)
        due = calendar.add(a.start, a.days)
    if a.json:
        out_json({"start": a.start, "days": a.days, "due": due.due, "provisional": due.provisional})
        return 0
    out(due.due.isoformat())
    if due.provisional:
        years = [str(y) for y in range(a.start.year, due.due.year + 1) if not calendar.is_known_year(y)]
        out(PROVISIONAL_NOTE.format(year="、".join(years)))
    return 0


def cmd_check(ctx: Context) -> int:
    a = ctx.args
    with ctx.session() as s:
        status = ctx.calendar(s).day_status(a.day)
    if a.json:
        out_json({"date": a.day, "workday": status.workday, "reason": status.reason,
                  "provisional": status.provisional})
        return 0
    weekday = WEEKDAY_NAMES[a.day.weekday()]
    reason = status.reason.removeprefix(f"{weekday}，")
    verdict = "是工作日" if status.workday else "不是工作日（休息日）"
    out(f"{a.day.isoformat()}（{weekday}）{verdict}：{reason}")
    if status.provisional:
        out(PROVISIONAL_NOTE.format(year=a.day.year))
    return 0


def cmd_import(ctx: Context) -> int:
    path = Path(ctx.args.file)
    with ctx.session() as s:
        report = import_calendar(s, path)
        s.commit()
    replaced = "（已替换原有的该年安排）" if report.replaced else ""
    out(f"已导入 {report.year} 年节假日安排{replaced}：放假 {report.holidays} 天，调休上班 {report.workdays} 天。")
    out(f"已重新计算暂定期限 {report.recomputed} 条。")
    return 0
