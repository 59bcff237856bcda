"""The printed implementation sheet, push sheet and consent letter, read back as text."""

from __future__ import annotations

from app.services.forms import sheetform
from app.services.sheets import consent
from tests.services.forms.pdfcheck import fonts, text
from tests.services.sheets.conftest import FIELDS, prepare


def test_sheet_pdf_has_every_field_and_the_push_sheet(session, city, frozen):
    prepare(session, city.housing, push="事项名称,申请人,审批结果")
    out = sheetform.render_sheet(session, "ZJ-001")
    assert out.missing == frozenset()
    page = text(out.data).replace(" ", "").replace("\n", "")
    for value in ("相对集中行政许可事项实施清单", "ZJ-001第1版", "建筑工程施工许可证核发", "许可设定依据",
                  "特殊环节（含中介服务）", "行业规划、发展布局、数量控制", "申请材料（关键要素）",
                  "审批结果信息推送清单", "不推送", "营口市住房和城乡建设局（盖章）", "2026年11月25日"):
        assert value in page, value
    for value in FIELDS.values():
        assert value.replace(" ", "") in page, value
    assert all(f["embedded"] for f in fonts(out.data))


def test_consent_letter_pdf(session, city, frozen):
    prepare(session, city.housing)
    change = consent.propose(session, "ZJ-001", "materials", "施工许可申请表", "规划许可证已共享",
                             office=city.approval, operator="王芳")
    out = sheetform.render_consent_letter(session, change)
    page = text(out.data).replace(" ", "").replace("\n", "")
    for value in ("关键要素调整征求意见函", "营口市住房和城乡建设局：", "第八条第二款", "现行内容",
                  FIELDS["materials"], "拟调整为", "施工许可申请表", "规划许可证已共享", "□同意",
                  "营口市行政审批局（盖章）", str(change.id)):
        assert value in page, value
