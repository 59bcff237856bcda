"""The difference between two catalogue versions: items added, removed and changed (per field)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.models import CatalogueEntry
from app.services.catalogue.versions import get_version

FIELDS = ("name", "category", "competent_office_code", "competent_office_name", "jurisdiction_level")
FIELD_LABELS = {
    "name": "事项名称", "category": "类别", "competent_office_code": "主管部门代码",
    "competent_office_name": "主管部门", "jurisdiction_level": "层级",
}


def _row(e: CatalogueEntry) -> dict:
    return {"code": e.code, **{f: getattr(e, f) for f in FIELDS}}


def diff(session: Session, a: int, b: int) -> dict:
    """What changed from version ``a`` to version ``b``:
    ``{"from": a, "to": b, "added": [row], "removed": [row], "changed": [{"code", "name",
    "fields": {field: [old, new]}}]}``, each list by code."""
    old = {e.code: e for e in get_version(session, a).entries}
    new = {e.code: e for e in get_version(session, b).entries}
    changed = []
    for code in sorted(old.keys() & new.keys()):
        fields = {f: [getattr(old[code], f), getattr(new[code], f)] for f in FIELDS
                  if getattr(old[code], f) != getattr(new[code], f)}
        if fields:
            changed.append({"code": code, "name": new[code].name, "fields": fields})
    return {
        "from": a, "to": b,
        "added": [_row(new[c]) for c in sorted(new.keys() - old.keys())],
        "removed": [_row(old[c]) for c in sorted(old.keys() - new.keys())],
        "changed": changed,
    }


def diff_text(d: dict) -> list[str]:
    """The difference as lines to print."""
    lines = [f"第 {d['from']} 版 → 第 {d['to']} 版：新增 {len(d['added'])} 项，删除 {len(d['removed'])} 项，"
             f"变更 {len(d['changed'])} 项。"]
    lines += [f"+ {r['code']} {r['name']}（{r['competent_office_name']}）" for r in d["added"]]
    lines += [f"- {r['code']} {r['name']}（{r['competent_office_name']}）" for r in d["removed"]]
    for c in d["changed"]:
        parts = "；".join(f"{FIELD_LABELS[f]}：{o or '（空）'} → {n or '（空）'}" for f, (o, n) in c["fields"].items())
        lines.append(f"~ {c['code']} {c['name']}：{parts}")
    return lines
