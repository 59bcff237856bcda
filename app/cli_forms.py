"""``shenguan forms …`` (printed forms) and ``shenguan receipt scan`` (a signed slip came back)."""

from __future__ import annotations

import sys
from pathlib import Path

from app import clock
from app.cli_common import Context, date_arg, find_result, out
from app.services import offices
from app.services.errors import ValidationError
from app.services.forms import fonts as fonts_service
from app.services.forms.render import Rendered


def _font_options(p) -> None:
    p.add_argument("--font", metavar="PATH",
                   help="正文字体：本机的 TrueType 仿宋/宋体文件（如 C:\\Windows\\Fonts\\simfang.ttf；"
                        ".ttc 可写 文件#序号）。默认取“打印字体”设置，否则用内置字体")
    p.add_argument("--title-font", metavar="PATH", help="标题字体（TrueType），默认同正文字体")


def _out(p) -> None:
    p.add_argument("--out", required=True, metavar="FILE.pdf", help="输出的 PDF 文件")


def _as(p) -> None:
    p.add_argument("--as", dest="acting", metavar="CODE",
                   help="以哪个本机单位办理（本机只有一个单位时可省略；演示模式必填）")


def register(sub, parents) -> None:
    p = sub.add_parser("forms", parents=parents, help="打印纸质单据：推送单、移交清单、密钥登记表",
                       description="按党政机关公文格式（GB/T 9704）生成 A4 PDF，字体嵌入，附二维码。"
                                   "纸质方式推送（第十七条第二款）时，推送单和签收回执即为凭证。")
    fsub = p.add_subparsers(dest="forms_command", metavar="子命令", required=True)

    q = fsub.add_parser("transmittal", parents=parents, help="审批结果信息推送单（附签收回执）",
                        description="打印一条已推送审批结果的推送单和签收回执（两页）。")
    q.add_argument("result_id", metavar="ID", help="审批结果编号（完整编号，或前至少 8 位）")
    _out(q)
    q.add_argument("--no-slip", action="store_true", help="不附签收回执")
    _font_options(q)
    q.set_defaults(func=cmd_transmittal)

    q = fsub.add_parser("batch", parents=parents, help="移交清单：发往一个单位、待签收的全部推送",
                        description="把发往一个接收单位、等待签收的推送列成移交清单（封面即签收回执，"
                                    "扫一次码签收清单上的全部推送）。")
    q.add_argument("--to", required=True, metavar="CODE", help="接收单位代码")
    q.add_argument("--since", type=date_arg, metavar="DATE", help="只列此日期（含）之后推送的")
    q.add_argument("--until", type=date_arg, metavar="DATE", help="只列此日期（含）之前推送的")
    q.add_argument("--with-forms", action="store_true", help="清单后附每条的推送单")
    _out(q)
    _as(q)
    _font_options(q)
    q.set_defaults(func=cmd_batch)

    q = fsub.add_parser("keyform", parents=parents, help="数据交换密钥登记表",
                        description="打印本单位的数据交换密钥登记表，报营商环境建设局登记。")
    q.add_argument("--fingerprint", action="append", default=[], metavar="LABEL=VALUE",
                   help="密钥指纹，可重复，如 签名公钥=AB12…（默认取本单位已生成的交换密钥；没有密钥时表上注明“尚未生成密钥”）")
    _out(q)
    _as(q)
    _font_options(q)
    q.set_defaults(func=cmd_keyform)

    q = fsub.add_parser("fonts", parents=parents, help="查看或设置打印字体",
                        description="设置本单位打印用的 TrueType 字体（保存在数据库中）；不带参数时显示当前设置。")
    q.add_argument("--body", metavar="PATH", help="正文字体文件；写空字符串 \"\" 恢复内置字体")
    q.add_argument("--title", metavar="PATH", help="标题字体文件；写空字符串 \"\" 恢复默认")
    q.set_defaults(func=cmd_fonts)

    p = sub.add_parser("receipt", parents=parents, help="登记交回的纸质签收回执",
                       description="扫描（或输入）签收回执上的二维码，按回执上的签收人和日期登记签收。")
    rsub = p.add_subparsers(dest="receipt_command", metavar="子命令", required=True)
    q = rsub.add_parser("scan", parents=parents, help="按回执码登记签收",
                        description="回执码即回执右上角二维码的内容（也印在回执下方）。")
    q.add_argument("code", metavar="CODE", help="回执码，如 SG1:…:…")
    q.add_argument("--signer", metavar="NAME", help="回执上的签收人")
    q.add_argument("--date", type=date_arg, metavar="DATE", help="回执上的签收日期")
    q.add_argument("--scan", metavar="FILE", help="回执扫描件（可选）")
    q.add_argument("--check", action="store_true", help="只查看回执对应的记录，不登记")
    _as(q)
    q.set_defaults(func=cmd_scan)


def _fonts(ctx: Context, s) -> fonts_service.FontSet:
    return fonts_service.font_set_from_settings(s, ctx.args.font, ctx.args.title_font)


def _done(out_path: str, rendered: Rendered, what: str) -> None:
    out(f"已生成{what}：{out_path}（{rendered.pages} 页）")
    if rendered.missing:
        print(f"警告：{rendered.warning}", file=sys.stderr)


def _target(path: str) -> Path:
    target = Path(path).expanduser()
    if target.suffix.lower() != ".pdf":
        raise ValidationError(f"输出文件应以 .pdf 结尾：{path}", "out")
    if not target.parent.is_dir():
        raise ValidationError(f"输出文件夹不存在：{target.parent}", "out")
    return target


def cmd_transmittal(ctx: Context) -> int:
    from app.services.forms import render, transmittal

    target = _target(ctx.args.out)
    with ctx.session() as s:
        result = find_result(s, ctx.args.result_id)
        data = transmittal.for_result(s, result)
        rendered = render.transmittals([data], target, fonts=_fonts(ctx, s), slips=not ctx.args.no_slip)
    _done(str(target), rendered, f"推送单 {data.serial}")
    out(f"  回执码：{data.code}")
    return 0


def cmd_batch(ctx: Context) -> int:
    from app.services.forms import batch

    a = ctx.args
    target = _target(a.out)
    with ctx.session() as s:
        sender = ctx.acting_office(s)
        addressee = offices.office_by_code(s, a.to)
        ids = batch.candidates(s, sender, addressee, since=a.since, until=a.until)
        made = batch.create(s, sender, addressee, ids, operator=ctx.operator(s))
        data = batch.load(s, made)
        rendered = batch.render(data, target, fonts=_fonts(ctx, s), with_forms=a.with_forms)
        s.commit()  # the list is recorded only once its PDF is written
    _done(str(target), rendered, f"移交清单 {data.serial}（{len(data.forms)} 条）")
    out(f"  回执码：{data.code}")
    return 0


def _fingerprints(items: list[str]):
    from app.services.forms.keyform import Fingerprint

    found = []
    for item in items:
        label, sep, value = item.partition("=")
        if not sep or not label.strip() or not value.strip():
            raise ValidationError(f"密钥指纹应写成 名称=指纹，例如 签名公钥=AB12CD34…，现在是“{item}”。", "fingerprint")
        found.append(Fingerprint(label.strip(), value.strip()))
    return found


def cmd_keyform(ctx: Context) -> int:
    from app.services.forms import keyform

    target = _target(ctx.args.out)
    prints = _fingerprints(ctx.args.fingerprint)
    with ctx.session() as s:
        office = ctx.acting_office(s)
        prints = prints or keyform.own_fingerprints(s, office)
        data = keyform.keyform_data(s, office, prints)
        rendered = keyform.render(data, target, fonts=_fonts(ctx, s))
    _done(str(target), rendered, f"{office.name}的密钥登记表")
    if not prints:
        out(f"  注意：本单位{keyform.NO_KEY}，表上已注明。")
    return 0


def cmd_fonts(ctx: Context) -> int:
    a = ctx.args
    with ctx.session() as s:
        if a.body is not None or a.title is not None:
            fonts_service.save_font_settings(s, a.body, a.title)
            s.commit()
            out("已保存打印字体设置。")
        sources = fonts_service.font_set_from_settings(s).sources
    out("\n".join(sources))
    return 0


def cmd_scan(ctx: Context) -> int:
    from app.services import receipts

    a = ctx.args
    with ctx.session() as s:
        target = receipts.lookup(s, a.code)
        out(f"{target.title}：{target.sender_name} → {target.addressee_name}")
        for i in target.items:
            out(f"  {str(i.result_id or i.dispatch_id)[:8]}  {i.item_name}  {i.applicant_name}  推送于 {i.pushed_on}  {i.status_label}")
        if a.check:
            return 0
        if not a.signer or a.date is None:
            raise ValidationError("登记签收须填写回执上的签收人（--signer）和签收日期（--date）。", "signer")
        done = receipts.record_receipt(s, a.code, signer=a.signer, signed_on=a.date,
                                       office=ctx.acting_office(s), operator=ctx.operator(s),
                                       scan_path=a.scan)
        s.commit()
    out(f"已登记签收 {len(done.signed)} 条（签收人：{a.signer.strip()}，回执日期：{a.date}，"
        f"登记时间：{clock.now():%Y-%m-%d %H:%M}）。")
    if done.skipped:
        out(f"  另有 {len(done.skipped)} 条此前已办理，未改动："
            + "、".join(f"{i.applicant_name}（{i.status_label}）" for i in done.skipped))
    return 0
