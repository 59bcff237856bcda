"""``shenguan init``, ``shenguan offices list`` and ``shenguan demo``."""

from __future__ import annotations

import time

from app import clock
from app.cli_common import Context, count_arg, out, show_rows, shown_url
from app.models import ROLES
from app.services import offices, rules, settings
from app.services.demo import build_demo_city
from app.services.demo_data import APPROVAL
from app.services.exchange import keys as keys_service

ROLE_HELP = "approval 行政审批部门、competent 行政主管部门、enforcement 综合行政执法部门、oversight 营商环境建设主管部门"


def register(sub, parents) -> None:
    p = sub.add_parser("init", parents=parents, help="设置本机单位（首次使用时运行一次）",
                       description="设置本机所代表的单位（每个单位安装一套审管通）。"
                                   "同时给出 --operator 时，将其保存为默认经办人。")
    p.add_argument("--code", required=True, metavar="CODE", help="单位代码，如 YK-SPJ")
    p.add_argument("--name", required=True, metavar="NAME", help="单位全称，如 营口市行政审批局")
    p.add_argument("--role", required=True, choices=ROLES, help=f"单位类型：{ROLE_HELP}")
    p.add_argument("--jurisdiction", required=True, metavar="NAME", help="所属行政区域，如 市本级、鲅鱼圈区")
    p.add_argument("--admin", metavar="USER", help="同时新建第一个管理员账户（启用登录；在终端中输入密码）")
    p.add_argument("--admin-name", metavar="NAME", help="管理员姓名（默认取 --operator，否则为用户名）")
    p.add_argument("--admin-password-file", metavar="FILE", help="从文件第一行读取管理员密码")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("offices", parents=parents, help="单位名录", description="单位名录。")
    osub = p.add_subparsers(dest="offices_command", metavar="子命令", required=True)
    q = osub.add_parser("list", parents=parents, help="列出已知单位及其联络员",
                        description="列出已知单位、本机单位和各单位的信息推送联络员（第十六条）。")
    q.add_argument("--json", action="store_true", help="以 JSON 输出")
    q.set_defaults(func=cmd_offices_list)

    p = sub.add_parser("demo", parents=parents, help="生成演示数据（营口市，一个数据库扮演所有单位）",
                       description="在空数据库中生成营口市演示数据：13 个单位、40 项许可事项和审批结果。"
                                   "请用 --home 指定一个单独的数据目录。")
    p.add_argument("--seed", type=count_arg, default=2026, metavar="N", help="随机种子（默认 2026；同一种子生成相同数据）")
    p.add_argument("--results", type=count_arg, default=2000, metavar="N", help="审批结果条数（默认 2000）")
    p.set_defaults(func=cmd_demo)


def cmd_init(ctx: Context) -> int:
    a = ctx.args
    with ctx.session() as s:
        before = [o.id for o in offices.local_offices(s)]
        office = offices.init_local_office(s, a.code, a.name, a.role, a.jurisdiction)
        key, _ = keys_service.generate(s, office)
        if a.operator:
            settings.put(s, settings.OPERATOR, a.operator.strip())
        admin = None
        if a.admin:  # after the key: the first account switches the role rules on
            from app.cli_operators import new_password
            from app.services import operators

            password = new_password(a.admin_password_file, a.admin)
            name = a.admin_name or (a.operator or "").strip() or a.admin
            admin = operators.create(s, a.admin, name, password, operators.ADMIN, office.id)
        s.commit()
        again = before == [office.id]
        out(f"本机单位{'已是' if again else '已设置为'}：{office.name}")
        out(f"  代码：{office.code}")
        out(f"  类型：{offices.ROLE_LABELS[office.role]}（{office.role}）")
        out(f"  行政区域：{office.jurisdiction.name}")
        out(f"  密钥指纹：{key.fingerprint}")
        if a.operator:
            out(f"  默认经办人：{a.operator.strip()}")
        if admin is not None:
            out(f"  管理员账户：{admin.username}（{admin.display_name}）；此后修改数据的命令须用 --user 登录")
        out(f"  数据库：{shown_url(ctx.db.url)}")
    return 0


def cmd_offices_list(ctx: Context) -> int:
    with ctx.session() as s:
        rows = offices.directory(s)  # the liaison's phone masked (issue 7)
    return show_rows(ctx, rows, empty="还没有任何单位。请先运行 shenguan init 设置本机单位，或用 shenguan demo 生成演示数据。",
                     headers=["代码", "名称", "类型", "行政区域", "本机", "联络员"],
                     cells=lambda r: [r["code"], r["name"], r["role_label"], r["jurisdiction"],
                                      "是" if r["local"] else "", f"{r['liaison']} {r['liaison_phone']}".strip()],
                     footer=lambda rows: f"共 {len(rows)} 个单位，其中本机单位 {sum(r['local'] for r in rows)} 个。")


def cmd_demo(ctx: Context) -> int:
    a = ctx.args
    started = time.monotonic()
    with ctx.session() as s:
        summary = build_demo_city(s, seed=a.seed, results=a.results, today=clock.today())
        s.commit()
    seconds = time.monotonic() - started
    label = rules.APPROVAL_PUSH.status_label
    states = "，".join(f"{label(k)} {v}" for k, v in summary.by_status.items()) or "无"
    out(f"已生成营口市演示数据（随机种子 {a.seed}，用时 {seconds:.1f} 秒）：")
    out(f"  行政区域 {summary.jurisdictions} 个，单位 {summary.offices} 个（均为本机单位，用 --as 代码 选择以哪个单位办理），"
        f"许可事项 {summary.items} 项，联络员 {summary.liaison_officers} 名")
    out(f"  审批结果 {summary.results} 条（{summary.first_day} 至 {summary.today}）；当前状态：{states}")
    out(f"  逾期未推送 {summary.overdue_push} 条，逾期未签收 {summary.overdue_sign_off} 条，即将到期 {summary.due_soon} 条")
    out(f"  历史：迟延推送 {summary.late_pushes} 次，现场查阅/复印/传真推送 {summary.paper_pushes} 次，"
        f"退回 {summary.returned} 次（已重新推送 {summary.repushed} 次）")
    me = f"shenguan --home {a.home}" if a.home else "shenguan"
    out(f"试试：{me} offices list")
    out(f"      {me} results list --as {APPROVAL} --view to_push")
    out(f"      {me} overdue --as YK-ZJJ")
    return 0
