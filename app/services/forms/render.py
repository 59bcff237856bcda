"""Writing forms into one PDF: the entry points the CLI, the GUI and the benchmark call."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from app.services.errors import ShenGuanError
from app.services.exchange.files import atomic_write
from app.services.forms.fonts import FontSet, font_set, missing_text
from app.services.forms.layout import Sheet
from app.services.forms.transmittal import TransmittalData

Progress = Callable[[int, int], None]


@dataclass
class Rendered:
    """What was written: pages, forms, and the characters no font had (drawn as 〓)."""

    pages: int
    forms: int
    missing: frozenset[str] = field(default_factory=frozenset)
    data: bytes | None = None  # the PDF, when written to memory

    @property
    def warning(self) -> str:
        if not self.missing:
            return ""
        return (f"以下字符所有字体中都没有，已印为“〓”，请在纸面上手写补全：{missing_text(set(self.missing))}。"
                "也可在“设置 → 打印字体”中指定包含这些字的 TrueType 字体。")


def open_sheet(target: str | Path | BinaryIO | None, fonts: FontSet | None, title: str,
               author: str = "") -> tuple[Sheet, io.BytesIO | None]:
    # A file is made in memory and then written atomically by finish(): a crash or a full
    # disk midway never leaves a half-written PDF under the final name.
    buffer = io.BytesIO() if target is None or isinstance(target, (str, Path)) else None
    fonts = fonts or font_set()
    fonts.reset_missing()
    out = buffer if buffer is not None else target
    return Sheet(out, fonts, title=title, author=author), buffer


def finish(sheet: Sheet, buffer: io.BytesIO | None, forms: int, target=None) -> Rendered:
    try:
        sheet.save()
    except OSError as exc:
        raise ShenGuanError(f"无法写入 PDF 文件 {target}：{exc.strerror or exc}") from exc
    if isinstance(target, (str, Path)):
        atomic_write(Path(target), buffer.getvalue())  # ShenGuanError naming the file
        buffer = None
    return Rendered(sheet.pages, forms, frozenset(sheet.fonts.missing),
                    buffer.getvalue() if buffer is not None else None)


def transmittals(items: Sequence[TransmittalData], target=None, *, fonts: FontSet | None = None,
                 slips: bool = True, progress: Progress | None = None,
                 title: str = "审批结果信息推送单") -> Rendered:
    """Transmittal forms (each followed by its receipt slip) into one PDF; ``target`` None
    returns the bytes in :attr:`Rendered.data`."""
    from app.services.forms import receipt, transmittal

    sheet, buffer = open_sheet(target, fonts, title, items[0].sender_name if items else "")
    total = len(items)
    for i, t in enumerate(items):
        transmittal.draw(sheet, t)
        if slips:
            receipt.draw(sheet, t)
        if progress is not None:
            progress(i + 1, total)
    return finish(sheet, buffer, total, target)
