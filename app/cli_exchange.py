"""``shenguan keys …`` and ``shenguan roster …``: office keys and the office roster.

The bundle commands (``shenguan bundle …``) are in app.cli_bundle.
"""

from __future__ import annotations

from pathlib import Path

from app import cli_bundle
from app.cli_common import Context, out, out_json, table
from app.services import offices as offices_service
from app.services.exchange import keys as keys_service
from app.services.exchange import roster as roster_service
from app.services.exchange.files import atomic_write, read_limited


def _as(p) -> None:
    p.add_argument("--as", dest="acting", metavar="CODE",
                   help="以哪个本机单位办理（本机只有一个单位时可省略；演示模式必填）")


def register(sub, parents) -> None:
    p = sub.add_parser("keys", parents=parents, help="本单位密钥：生成、查看指纹、导出登记文件",
                       description="本单位的签名密钥（Ed25519）和加密密钥（X25519）。私钥只保存在本机数据库中，"
                                   "任何命令都不会显示或导出私钥。")
    ksub = p.add_subparsers(dest="keys_command", metavar="子命令", required=True)
    q = ksub.add_parser("generate", parents=parents, help="为本单位生成密钥（已有则保留）",
                        description="为本单位生成密钥；已有密钥时不变。")
    _as(q)
    q.set_defaults(func=cmd_keys_generate)
    q = ksub.add_parser("show", parents=parents, help="显示单位代码和密钥指纹",
                        description="显示本单位代码和密钥指纹（用于与纸质登记表核对）。")
    q.add_argument("--json", action="store_true", help="以 JSON 输出")
    _as(q)
    q.set_defaults(func=cmd_keys_show)
    q = ksub.add_parser("export", parents=parents, help="导出密钥登记文件（只含公钥）",
                        description="写出本单位的密钥登记文件（公钥和指纹，由本单位签名），"
                                    "连同打印的登记表交营商环境建设主管部门登记。")
    q.add_argument("--out", required=True, metavar="FILE", help="登记文件路径，如 E:\\YK-ZJJ.key.json")
    q.add_argument("--form", metavar="FILE", help="同时写出可打印的登记表（文本）")
    _as(q)
    q.set_defaults(func=cmd_keys_export)

    p = sub.add_parser("roster", parents=parents, help="单位名录：登记、发布、导入",
                       description="单位名录由营商环境建设主管部门登记各单位公钥并签名发布；各单位导入后，"
                                   "只信任名录中的密钥。")
    rsub = p.add_subparsers(dest="roster_command", metavar="子命令", required=True)
    q = rsub.add_parser("add", parents=parents, help="登记一个单位的密钥登记文件（营商局）",
                        description="登记一个单位的密钥。显示指纹，请与该单位的纸质登记表核对；"
                                    "用 --fingerprint 给出纸质表上的指纹时自动核对。")
    q.add_argument("file", metavar="FILE", help="密钥登记文件")
    q.add_argument("--fingerprint", metavar="FP", help="纸质登记表上的指纹（给出时必须一致）")
    _as(q)
    q.set_defaults(func=cmd_roster_add)
    q = rsub.add_parser("publish", parents=parents, help="发布新版单位名录（营商局）",
                        description="写出新一版签名的单位名录文件，分发给各单位导入。")
    q.add_argument("--out", required=True, metavar="FILE", help="名录文件路径")
    _as(q)
    q.set_defaults(func=cmd_roster_publish)
    q = rsub.add_parser("import", parents=parents, help="导入单位名录",
                        description="导入营商环境建设主管部门发布的单位名录。首次导入须用 --fingerprint "
                                    "给出经核对的营商局密钥指纹；之后只接受由该密钥签发的更新版本。")
    q.add_argument("file", metavar="FILE", help="名录文件")
    q.add_argument("--fingerprint", metavar="FP", help="营商局密钥指纹（首次导入必填，须与纸质登记表一致）")
    q.set_defaults(func=cmd_roster_import)
    q = rsub.add_parser("show", parents=parents, help="列出名录中的单位和指纹",
                        description="列出当前名录中的单位及其密钥指纹。")
    q.add_argument("--json", action="store_true", help="以 JSON 输出")
    q.set_defaults(func=cmd_roster_show)

    cli_bundle.register(sub, parents)


def cmd_keys_generate(ctx: Context) -> int:
    with ctx.session() as s:
        office = ctx.acting_office(s)
        key, created = keys_service.generate(s, office)
        s.commit()
        out(f"{'已为' if created else '已有密钥：'}{office.name}{'生成密钥。' if created else ''}")
        out(f"  密钥指纹：{key.fingerprint}")
    return 0


def cmd_keys_show(ctx: Context) -> int:
    with ctx.session() as s:
        office = ctx.acting_office(s)
        key, created = keys_service.generate(s, office)
        s.commit()
        data = {"code": office.code, "name": office.name, "role": office.role,
                "fingerprint": key.fingerprint, "created": key.created_at,
                "sign_key": keys_service.b64(key.sign_public),
                "encrypt_key": keys_service.b64(key.encrypt_public)}
    if ctx.args.json:
        out_json(data)
        return 0
    if created:
        out("（本单位原先没有密钥，已生成。）")
    out(f"单位：{data['name']}（{data['code']}）")
    out(f"密钥指纹：{data['fingerprint']}")
    out(f"签名公钥（Ed25519）：{data['sign_key']}")
    out(f"加密公钥（X25519）：{data['encrypt_key']}")
    return 0


def cmd_keys_export(ctx: Context) -> int:
    a = ctx.args
    with ctx.session() as s:
        office = ctx.acting_office(s)
        keys_service.generate(s, office)
        data = keys_service.registration_bytes(s, office)
        form = keys_service.registration_text(s, office) if a.form else ""
        fp = keys_service.require_key(s, office).fingerprint
        s.commit()
    atomic_write(Path(a.out), data)
    out(f"已写出密钥登记文件：{a.out}")
    if a.form:
        atomic_write(Path(a.form), form.encode("utf-8"))
        out(f"已写出登记表：{a.form}（请打印、签字盖章）")
    out(f"  密钥指纹：{fp}")
    out("  请将登记文件和签字盖章的登记表交营商环境建设主管部门。")
    return 0


def cmd_roster_add(ctx: Context) -> int:
    a = ctx.args
    data = read_limited(Path(a.file), keys_service.MAX_REGISTRATION_BYTES, "密钥登记文件")
    reg = keys_service.read_registration(data)
    if a.fingerprint and keys_service.normalize_fingerprint(a.fingerprint) != reg.fingerprint:
        from app.services.errors import WorkflowError

        raise WorkflowError(f"登记文件的指纹为 {reg.fingerprint}，与纸质登记表上的不一致，未登记。")
    with ctx.session() as s:
        oversight = ctx.acting_office(s)
        office, outcome = roster_service.register(s, oversight, reg)
        s.commit()
        text = {"added": "已登记", "replaced": "已更新密钥", "unchanged": "已登记过（密钥相同）"}[outcome]
        out(f"{text}：{office.name}（{office.code}，{offices_service.ROLE_LABELS[office.role]}）")
    out(f"  密钥指纹：{reg.fingerprint}")
    if not a.fingerprint:
        out("  请与该单位纸质登记表上的指纹逐组核对；不一致时不要发布名录。")
    out("  发布新版名录后各单位导入即生效：shenguan roster publish --out 文件")
    return 0


def cmd_roster_publish(ctx: Context) -> int:
    with ctx.session() as s:
        oversight = ctx.acting_office(s)
        keys_service.generate(s, oversight)
        data, version = roster_service.publish(s, oversight)
        fp = keys_service.require_key(s, oversight).fingerprint
        atomic_write(Path(ctx.args.out), data)
        s.commit()
    out(f"已发布第 {version} 版单位名录：{ctx.args.out}")
    out(f"  发布单位密钥指纹：{fp}（各单位首次导入时核对）")
    return 0


def cmd_roster_import(ctx: Context) -> int:
    a = ctx.args
    data = read_limited(Path(a.file), roster_service.MAX_ROSTER_BYTES, roster_service.WHAT)
    with ctx.session() as s:
        summary = roster_service.import_roster(s, data, a.fingerprint)
        s.commit()
    if summary.already:
        out(f"第 {summary.version} 版单位名录已导入过，未做更改。")
        return 0
    if summary.first:
        out(f"已确认 {summary.publisher_name} 的密钥（指纹 {summary.publisher_fingerprint}），今后只接受其签发的名录。")
    out(f"已导入第 {summary.version} 版单位名录：{summary.count} 个单位"
        f"（新增 {len(summary.added)}，密钥变更 {len(summary.changed)}，移除 {len(summary.removed)}）。")
    for w in summary.warnings:
        out(f"  注意：{w}")
    return 0


def cmd_roster_show(ctx: Context) -> int:
    from sqlalchemy import select

    from app.models import Office, RosterKey

    with ctx.session() as s:
        state = roster_service.status(s)
        rows = [{"code": o.code, "name": o.name, "role": o.role, "fingerprint": k.fingerprint,
                 "local": bool(o.is_local)}
                for k, o in s.execute(select(RosterKey, Office).join(Office, Office.id == RosterKey.office_id)
                                      .order_by(Office.code))]
    if ctx.args.json:
        out_json({**state, "entries": rows})
        return 0
    if not state["version"] and not rows:
        out("尚未导入单位名录。请用 shenguan roster import 文件 --fingerprint 指纹 导入营商局发布的名录。")
        return 0
    out(f"单位名录第 {state['version']} 版（发布单位 {state['publisher'] or '—'}），共 {len(rows)} 个单位：")
    if rows:
        out(table(["代码", "名称", "本机", "指纹"],
                  [[r["code"], r["name"], "是" if r["local"] else "", r["fingerprint"]] for r in rows]))
    return 0
