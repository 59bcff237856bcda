"""Whole files that cannot be read are refused with one clear Chinese message."""

from __future__ import annotations

import io
import os
import zipfile

import pytest

from app.services.errors import FileFormatError
from app.services.spreadsheets import read_xlsx, workbook
from tests.services.spreadsheets.xlsxbuild import EXPERTS, HEADER, xlsx


def refused(source) -> str:
    with pytest.raises(FileFormatError) as e:
        read_xlsx(source, EXPERTS)
    return str(e.value)


def test_missing_file_and_folder(tmp_path):
    assert refused(tmp_path / "无此文件.xlsx").startswith("找不到文件：")
    assert refused(tmp_path).startswith("选择的是文件夹，不是文件")


def test_empty_file(tmp_path):
    (tmp_path / "a.xlsx").write_bytes(b"")
    assert "是空的（0 字节）" in refused(tmp_path / "a.xlsx")


def test_old_xls_or_password_protected(tmp_path):
    path = tmp_path / "专家库.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1000)
    message = refused(path)
    assert "旧版 Excel（.xls）" in message
    assert "打开密码" in message
    assert "「另存为」Excel 工作簿（.xlsx）" in message


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_csv_renamed_to_xlsx(tmp_path, encoding):
    path = tmp_path / "专家库.xlsx"
    path.write_text(",".join(HEADER) + "\nZJ-001,张三,,13800000000\n", encoding=encoding)
    message = refused(path)
    assert "文本文件（如 CSV），不是 Excel .xlsx 文件" in message
    assert "另存为" in message


def test_html_saved_as_xls(tmp_path):
    path = tmp_path / "导出.xlsx"
    path.write_text("<html><body><table><tr><td>姓名</td></tr></table></body></html>")
    assert "网页（HTML/XML）格式" in refused(path)


def test_binary_garbage(tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(bytes(range(256)) * 4)
    assert "无法识别的格式，不是 Excel .xlsx 文件" in refused(path)


def test_truncated_zip(tmp_path):
    good = xlsx(tmp_path / "good.xlsx", [HEADER, ["ZJ-001", "张三", None, "13800000000"]])
    data = good.read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(data[: len(data) // 2])
    assert "已损坏，无法打开（可能没有复制完整）" in refused(cut)


def test_damaged_part_inside_the_zip(tmp_path):
    good = xlsx(tmp_path / "good.xlsx", [HEADER, ["ZJ-001", "张三", None, "13800000000"]])
    buf = io.BytesIO()
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(buf, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]  # cut the sheet's xml
            dst.writestr(info, data)
    assert "无法打开「表格」：文件可能已损坏" in refused(buf.getvalue())


def test_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "资料.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("说明.txt", "hello")
    assert "是一个压缩包（zip），不是 Excel 表格" in refused(path)


def test_word_document_renamed(tmp_path):
    path = tmp_path / "a.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    assert "是 Word 或 PowerPoint 文件" in refused(path)


def test_ods_renamed(tmp_path):
    path = tmp_path / "a.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", "<office:document-content/>")
    assert "ODS 格式" in refused(path)


def test_file_over_the_size_limit(tmp_path, monkeypatch):
    path = xlsx(tmp_path / "a.xlsx", [HEADER, ["ZJ-001", "张三", None, "13800000000"]])
    monkeypatch.setattr(workbook, "MAX_FILE_BYTES", os.path.getsize(path) - 1)
    assert "MB 的上限。请把表格拆分成几个文件分别导入" in refused(path)
    assert "上限" in refused(path.read_bytes())


def test_default_size_limit_is_20_mb(tmp_path, monkeypatch):
    assert workbook.MAX_FILE_BYTES == 20 * 1024 * 1024
    big = tmp_path / "big.xlsx"
    with big.open("wb") as f:  # sparse: 21 MB of nothing
        f.truncate(21 * 1024 * 1024)
    assert refused(big) == "文件太大（21.0 MB），超过 20 MB 的上限。请把表格拆分成几个文件分别导入。"
