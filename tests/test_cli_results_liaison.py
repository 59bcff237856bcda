"""`shenguan results show` names the current liaison of both ends of the push (Art. 16)."""

from __future__ import annotations

from app.services import liaison
from tests.test_cli import bureau, home, ok, record, show, with_db  # noqa: F401 (fixtures)


def test_results_show_names_both_liaisons(bureau, capsys):  # noqa: F811
    rid = record(capsys, bureau, "--as", "YK-SPJ")
    text = ok(capsys, bureau, "results", "show", rid)
    assert "联络员（第十六条）：营口市行政审批局 未指定；营口市住房和城乡建设局 未指定" in text
    with_db(bureau, lambda s: (liaison.add(s, "YK-SPJ", "王芳", "0417-2811234"),
                               liaison.add(s, "YK-ZJJ", "赵强", "0417-2821234")))
    text = ok(capsys, bureau, "results", "show", rid)
    assert "联络员（第十六条）：营口市行政审批局 王芳  0417-2811234；营口市住房和城乡建设局 赵强  0417-2821234" in text
    detail = show(capsys, bureau, rid)
    assert detail["sender_liaison"] == {"name": "王芳", "phone": "0417-2811234"}
    assert detail["addressee_liaison"] == {"name": "赵强", "phone": "0417-2821234"}
