"""``shenguan backup create|list|restore|delete``: backups of the SQLite database (docs/backups.md).

These commands work on the file that ``--home`` / ``--db`` name. ``restore`` and ``delete`` are
the 管理员's: when the current database opens and has operator accounts, they need an
administrator signed in (``--user``); a database that no longer opens can still be restored by
whoever may touch its files (that is what a restore is for).
"""

from __future__ import annotations

import sys
from pathlib import Path

from app import config
from app.cli_common import Context, fmt_time, out, out_json, table
from app.services import backups, operators, restore
from app.services.errors import ShenGuanError


def register(sub, parents) -> None:
    p = sub.add_parser("backup", parents=parents, help="数据库备份：创建、列出、恢复、删除",
                       description="备份保存在数据目录的 backups 文件夹。每次导入数据包、单位名录、事项清单、"
                                   "节假日安排、Excel 表格和升级数据库结构前都会自动备份；自动备份每类保留最近 "
                                   f"{backups.KEEP_AUTOMATIC} 份，手动备份一直保留到删除。"
                                   "PostgreSQL 服务器数据库由服务器备份（pg_dump）。")
    bsub = p.add_subparsers(dest="backup_command", metavar="子命令", required=True)
    q = bsub.add_parser("create", parents=parents, help="立即备份数据库",
                        description="把当前数据库一致地复制到备份文件夹（程序运行时也可以备份）。")
    q.add_argument("--label", default="", metavar="TEXT", help="备注（如“年底结账前”）")
    q.set_defaults(func=cmd_create)
    q = bsub.add_parser("list", parents=parents, help="列出备份",
                        description="列出备份文件夹中的备份，最新的在前。")
    q.add_argument("--json", action="store_true", help="以 JSON 输出")
    q.set_defaults(func=cmd_list)
    q = bsub.add_parser("restore", parents=parents, help="用备份替换当前数据库",
                        description="先核验备份（校验值、完整性、结构版本），把当前数据库另存为安全备份，"
                                    "再用备份替换它。备份之后的全部更改都会丢失；与其他单位的数据交换会自动补发。"
                                    "恢复前请关闭所有审管通窗口。")
    q.add_argument("name", metavar="NAME", help="备份名称（backup list 中的文件名）")
    q.add_argument("--yes", action="store_true", help="不询问，直接恢复")
    q.set_defaults(func=cmd_restore)
    q = bsub.add_parser("delete", parents=parents, help="删除一份备份",
                        description="删除备份文件及其校验信息。")
    q.add_argument("name", metavar="NAME", help="备份名称")
    q.set_defaults(func=cmd_delete)


def _where(ctx: Context) -> tuple[Path, Path]:
    """(database file, backup folder); a clear refusal for a server database."""
    try:
        home = config.resolve_home(ctx.args.home)
        url = config.resolve_db_url(ctx.args.db, home)
    except (OSError, RuntimeError) as exc:
        raise ShenGuanError(f"无法确定数据目录：{exc}") from exc
    ctx.home = home
    return backups.sqlite_file(url), home / backups.FOLDER_NAME


def size_text(n: int) -> str:
    for unit, factor in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= factor:
            return f"{n / factor:.1f} {unit}"
    return f"{n} B"


def cmd_create(ctx: Context) -> int:
    db_file, folder = _where(ctx)
    b = backups.create(db_file, folder, backups.MANUAL, ctx.args.label)
    out(f"已备份：{b.name}（{size_text(b.size)}，数据库结构版本 {b.schema_revision}）")
    out(f"  位置：{b.path}")
    return 0


def cmd_list(ctx: Context) -> int:
    _, folder = _where(ctx)
    found = backups.list_backups(folder)
    if ctx.args.json:
        out_json([b.as_dict() for b in found])
        return 0
    if not found:
        out(f"备份文件夹 {folder} 中还没有备份。")
        return 0
    out(table(["名称", "时间", "原因", "大小", "结构版本", "备注"],
              [[b.name, fmt_time(b.created), b.reason_label, size_text(b.size), b.schema_revision or "—",
                b.label] for b in found], [44, 16, 16, 10, 8, 30]))
    out(f"共 {len(found)} 份，位于 {folder}")
    return 0


def _admin_only(ctx: Context, db_file: Path, what: str) -> None:
    """Refuse ``what`` unless a 管理员 is signed in, when the database opens and has accounts."""
    if not db_file.exists():
        return
    try:
        _ = ctx.db  # opens it (and signs in)
    except ShenGuanError:
        return  # damaged or missing: the files are all there is to go by
    try:
        with ctx.session() as s:
            operators.require_admin(s, what)
    finally:
        ctx.close()  # the restore replaces the file: no connection may stay open


def cmd_restore(ctx: Context) -> int:
    db_file, folder = _where(ctx)
    _admin_only(ctx, db_file, "从备份恢复数据库")
    b = restore.verify(folder, ctx.args.name)
    if not ctx.args.yes:
        out(f"将用 {fmt_time(b.created)} 的备份（{b.reason_label}{'，' + b.label if b.label else ''}）替换当前数据库 "
            f"{db_file}。")
        out("该备份之后录入、办理和导入的全部内容都将丢失（当前数据库会先另存为一份安全备份）。")
        sys.stdout.write("确认恢复吗？输入 y 确认：")
        sys.stdout.flush()
        answer = sys.stdin.readline().strip().lower()
        if answer not in ("y", "yes", "是"):
            raise ShenGuanError("已取消恢复，未做任何更改。")
    result = restore.restore(db_file, folder, b.name)
    out(f"已从备份 {b.name} 恢复数据库。")
    if result.safety is not None:
        out(f"  恢复前的数据库已另存为 {result.safety.name}。")
    if result.migrated:
        out("  备份的数据库结构较旧，已升级到本程序的版本。")
    out("  与其他单位的下一次数据交换会自动请对方补发备份之后的消息。")
    return 0


def cmd_delete(ctx: Context) -> int:
    db_file, folder = _where(ctx)
    _admin_only(ctx, db_file, "删除备份")
    b = backups.delete(folder, ctx.args.name)
    out(f"已删除备份 {b.name}。")
    return 0
