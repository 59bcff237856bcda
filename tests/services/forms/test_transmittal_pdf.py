"""The transmittal form and its receipt slip as a reader sees them: text, fonts, geometry, QR."""

from __future__ import annotations

import pytest

from app.services import receipts
from app.services.forms import render, transmittal
from app.services.forms.fonts import MISSING_MARK, font_set
from tests.services.forms.conftest import CONTACT, RARE
from tests.services.forms.pdfcheck import chars, fonts, page_count, qr_codes, text


@pytest.fixture
def form(session, pushed):
    t = transmittal.for_result(session, pushed)
    out = render.transmittals([t])
    return t, out


def test_text_has_every_field_including_extension_a_and_b(form):
    t, out = form
    assert out.pages == 2 and page_count(out.data) == 2 and out.missing == frozenset()
    page = text(out.data, 0).replace(" ", "")
    for value in ("审批结果信息推送单", "YK-SPJ推〔2026〕1号", "营口市行政审批局", "营口市住房和城乡建设局",
                  "建筑工程施工许可证核发", "ZJ-001", RARE, CONTACT, "13904171234",
                  "施工许可申请表；建设工程规划许可证；施工合同", "准予许可", "210800202611240101",
                  "2026年11月24日", "2026年11月25日", "传真", "2026年11月27日", "王芳",
                  "推送单位（盖章）", "经办人（签字）", t.code):
        assert value in page, value
    slip = text(out.data, 1).replace(" ", "")
    for value in ("审批结果信息签收回执", "YK-SPJ推〔2026〕1号", RARE, "签收人", "签收日期", "盖章", t.code):
        assert value in slip, value


def test_every_font_is_embedded_truetype_and_none_is_base14(form):
    _, out = form
    used = fonts(out.data)
    assert used
    for f in used:
        assert f["subtype"] == "TrueType" and f["embedded"] and not f["cff"], f
        assert f["base"].split("+")[-1] not in {"Helvetica", "Times-Roman", "Courier"}, f
        assert "Helvetica" not in f["base"]
    names = " ".join(f["base"] for f in used)
    assert "UMing" in names and "HanaMinA" in names and "HanaMinB" in names  # the fallbacks were needed


@pytest.mark.parametrize("page", [0, 1])
def test_text_block_sits_on_the_gbt9704_margins(form, page):
    _, out = form
    cs = chars(out.data, page)
    number = [c for c in cs if c[2] > 262]  # below the text block: the page number only
    body = [c for c in cs if c[2] <= 262]
    assert "".join(c[0] for c in number).replace(" ", "") == "—1—"
    assert abs(min(c[1] for c in body) - 28) <= 1.0  # left margin
    assert abs(min(c[2] for c in body) - 37) <= 1.0  # top margin
    assert max(c[3] for c in body) <= 28 + 156 + 1.0  # within the 156 mm width
    assert max(c[4] for c in body) <= 37 + 225 + 1.0  # within the 225 mm height
    assert abs(min(c[2] for c in number) - (37 + 225 + 7)) <= 1.0  # page number 7 mm below
    if page == 0:  # the date is flush right: the block is the full width
        assert abs(max(c[3] for c in body) - 184) <= 1.0


def test_title_is_2hao_and_body_3hao(form):
    _, out = form
    cs = chars(out.data, 0)
    title = [c for c in cs if c[0] in "审批结果信息推送单" and c[2] < 45]
    assert title and all(abs((c[4] - c[2]) - 22 * 25.4 / 72) < 0.3 for c in title)
    addressee = [c for c in cs if c[0] == "：" and 50 < c[2] < 80]
    assert addressee and abs((addressee[0][4] - addressee[0][2]) - 16 * 25.4 / 72) < 0.3


def test_qr_on_form_and_slip_decodes_to_the_record(session, form, pushed):
    t, out = form
    assert qr_codes(out.data, 0) == [t.code]
    assert qr_codes(out.data, 1) == [t.code]
    target = receipts.lookup(session, qr_codes(out.data, 1)[0])
    assert [i.result_id for i in target.items] == [pushed.id]
    assert t.code.isascii() and t.code.startswith("SG1:") and str(t.dispatch_id).upper() in t.code


def test_a_character_no_font_has_is_reported_and_marked(session, city, frozen):
    from datetime import date

    from app.services import results
    from tests.conftest import a_result_input

    ext_g = "\U0003134A"  # Extension G: in none of the bundled fonts
    r = results.record(session, a_result_input(applicant_name=f"营口{ext_g}商贸有限公司"),
                       office=city.approval, operator="王芳")
    results.push(session, r, office=city.approval, operator="王芳", channel="onsite",
                 agreed_due=date(2026, 11, 27))
    out = render.transmittals([transmittal.for_result(session, r)])
    assert out.missing == frozenset({ext_g})
    assert "U+3134A" in out.warning
    assert f"营口{MISSING_MARK}商贸有限公司" in text(out.data, 0).replace(" ", "")

    # The chains remember measured and wrapped strings; a second PDF with the same fonts
    # still reports (and marks) the character.
    fonts = font_set()
    t = transmittal.for_result(session, r)
    for _ in range(2):
        again = render.transmittals([t, t], fonts=fonts)
        assert again.missing == frozenset({ext_g})
        assert text(again.data, 2).replace(" ", "").count(f"营口{MISSING_MARK}商贸有限公司") >= 1


def test_unpushed_result_has_no_form(session, city, frozen):
    from app.services import results
    from app.services.errors import ValidationError
    from tests.conftest import a_result_input

    r = results.record(session, a_result_input(), office=city.approval, operator="王芳")
    with pytest.raises(ValidationError, match="尚未推送"):
        transmittal.for_result(session, r)


def test_long_materials_continue_on_the_next_page_within_the_block(session, city, frozen):
    from datetime import date

    from app.services import results
    from tests.conftest import a_result_input

    r = results.record(session, a_result_input(materials="；".join(["建设工程规划许可证"] * 300)),
                       office=city.approval, operator="王芳")
    results.push(session, r, office=city.approval, operator="王芳", channel="photocopy",
                 agreed_due=date(2026, 11, 27))
    out = render.transmittals([transmittal.for_result(session, r)], slips=False)
    assert out.pages >= 2
    for page in range(out.pages):
        body = [c for c in chars(out.data, page) if c[2] <= 262]
        assert min(c[2] for c in body) >= 36 and max(c[4] for c in body) <= 263
    assert "— 2 —" in text(out.data, 1)
