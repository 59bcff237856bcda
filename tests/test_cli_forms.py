"""``shenguan forms …`` and ``shenguan receipt scan``: PDFs on disk, the paper loop closed."""

from __future__ import annotations

import re

import pytest

from app.cli import main
from app.services import offices
from tests.services.forms.pdfcheck import qr_codes, text
from tests.test_cli import bureau, cli, home, make_local, ok, record, show, with_db  # noqa: F401


@pytest.fixture
def faxed(bureau, capsys):  # noqa: F811
    rid = record(capsys, bureau, "--applicant", "䶮𠮷科技有限公司")
    ok(capsys, bureau, "results", "push", rid[:8], "--channel", "fax", "--agreed-due", "2026-11-27")
    return rid


def test_transmittal_then_scan_signs_off(bureau, faxed, capsys, tmp_path):  # noqa: F811
    pdf = tmp_path / "推送单.pdf"
    out = ok(capsys, bureau, "forms", "transmittal", faxed[:8], "--out", pdf)
    assert "YK-SPJ推〔2026〕1号" in out and "2 页" in out
    data = pdf.read_bytes()
    assert "䶮𠮷科技有限公司" in text(data, 0).replace(" ", "")
    code = qr_codes(data, 1)[0]
    assert code in out

    checked = ok(capsys, bureau, "receipt", "scan", code, "--check")
    assert "待签收" in checked and "䶮𠮷科技有限公司" in checked
    assert show(capsys, bureau, faxed)["status"] == "sent"
    done = ok(capsys, bureau, "receipt", "scan", code, "--signer", "赵强", "--date", "2026-11-25")
    assert "已登记签收 1 条" in done
    detail = show(capsys, bureau, faxed)
    assert detail["status"] == "signed_off"
    assert detail["timeline"][-1]["operator"] == "赵强"

    rc, _, err = cli(capsys, bureau, "receipt", "scan", code, "--signer", "赵强", "--date", "2026-11-25")
    assert rc == 1 and "无需再登记签收" in err


def test_bad_code_and_missing_signer_are_one_line_errors(bureau, faxed, capsys):  # noqa: F811
    rc, _, err = cli(capsys, bureau, "receipt", "scan", "SG1:nonsense")
    assert rc == 2 and err.startswith("错误：") and "不是审管通的回执码" in err
    rc, out, err = cli(capsys, bureau, "receipt", "scan", "SG1:12345678-1234-1234-1234-123456789ABC:00000000",
                       "--signer", "赵强", "--date", "2026-11-25")
    assert rc == 1 and "没有这张回执对应的推送记录" in err
    rc, _, err = cli(capsys, bureau, "forms", "transmittal", faxed[:8], "--out", "x.txt")
    assert rc == 2 and ".pdf" in err


def test_batch_list_for_one_addressee(bureau, faxed, capsys, tmp_path):  # noqa: F811
    second = record(capsys, bureau, "--applicant", "营口第二建筑有限公司")
    ok(capsys, bureau, "results", "push", second[:8], "--channel", "onsite", "--agreed-due", "2026-11-27")
    pdf = tmp_path / "清单.pdf"
    out = ok(capsys, bureau, "forms", "batch", "--to", "YK-ZJJ", "--out", pdf, "--with-forms")
    assert "2 条" in out
    data = pdf.read_bytes()
    assert "营口第二建筑有限公司" in "".join(text(data, 1).split())
    code = re.search(r"回执码：(\S+)", out).group(1)
    assert qr_codes(data, 0) == [code]
    ok(capsys, bureau, "receipt", "scan", code, "--signer", "赵强", "--date", "2026-11-25")
    assert show(capsys, bureau, second)["status"] == "signed_off"
    rc, _, err = cli(capsys, bureau, "forms", "batch", "--to", "YK-ZJJ", "--out", pdf)
    assert rc == 2 and "无需打印移交清单" in err


def test_keyform_with_the_office_key_or_given_fingerprints(bureau, capsys, tmp_path):  # noqa: F811
    from app.services.exchange.keys import own_key

    pdf = tmp_path / "key.pdf"
    ok(capsys, bureau, "forms", "keyform", "--out", pdf)
    key = with_db(bureau, lambda s: own_key(s, offices.office_by_code(s, "YK-SPJ")))
    page = "".join(text(pdf.read_bytes()).split())
    if key is not None:  # init made the exchange keys: their fingerprint is printed
        assert "".join(key.fingerprint.split()).upper() in page
    else:
        assert "尚未生成密钥" in page
    ok(capsys, bureau, "forms", "keyform", "--out", pdf, "--fingerprint", "签名公钥（Ed25519）=ab12cd34ef56ab12")
    page = text(pdf.read_bytes())
    assert "AB12 CD34 EF56 AB12" in page and "签名公钥" in page
    assert qr_codes(pdf.read_bytes())[0].startswith("SG1K:")
    rc, _, err = cli(capsys, bureau, "forms", "keyform", "--out", pdf, "--fingerprint", "nonsense")
    assert rc == 2 and "名称=指纹" in err


def test_keyform_without_a_key_says_so(session, city, frozen):
    from app.services.forms import keyform

    out = keyform.render(keyform.keyform_data(session, city.approval, []))
    page = "".join(text(out.data).split())
    assert "尚未生成密钥" in page and "营口市行政审批局" in page and "YK-SPJ" in page
    assert qr_codes(out.data)[0].startswith("SG1K:")


def test_font_setting_and_flag(bureau, capsys, tmp_path, faxed):  # noqa: F811
    from tests.services.forms.pdfcheck import fonts

    wqy = "resources/fonts/wqy-microhei.ttc#0"
    assert "已保存" in ok(capsys, bureau, "forms", "fonts", "--body", wqy)
    assert "正文字体" in ok(capsys, bureau, "forms", "fonts")
    pdf = tmp_path / "f.pdf"
    ok(capsys, bureau, "forms", "transmittal", faxed[:8], "--out", pdf)
    assert any("WenQuanYi" in f["base"] for f in fonts(pdf.read_bytes()))
    rc, _, err = cli(capsys, bureau, "forms", "transmittal", faxed[:8], "--out", pdf, "--font", "nope.ttf")
    assert rc == 2 and "找不到字体文件" in err
    rc, _, err = cli(capsys, bureau, "forms", "fonts", "--body", "nope.ttf")
    assert rc == 2 and "找不到字体文件" in err


def test_help_lists_the_form_commands(capsys):
    assert main(["forms", "-h"]) == 0
    assert "transmittal" in capsys.readouterr().out
