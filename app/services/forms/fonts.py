"""The fonts embedded in printed forms: a chain per style, with fallbacks for rare characters.

Bundled (``resources/fonts``, TrueType outlines, so reportlab embeds a subset in every PDF):

- AR PL UMing CN (``uming.ttc``, 明体/宋体 style) for body and title;
- Hanazono Mincho subsets for what UMing lacks: CJK Extension A and more
  (``hanamin-a-subset.ttf``) and Extensions B–D (``hanamin-b-subset.ttf``).

An office may put its own installed TrueType 仿宋/宋体 (e.g. ``C:\\Windows\\Fonts\\simfang.ttf``)
in front of the chain: setting ``forms_body_font`` / ``forms_title_font`` or the CLI's
``--font`` / ``--title-font``. Each character is drawn with the first font of the chain that
has it; a character no font has is collected in :attr:`FontChain.missing`, drawn as 〓 and
reported by every caller — never silently dropped.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from app.config import resources_dir
from app.services.errors import ValidationError

BODY_SETTING = "forms_body_font"
TITLE_SETTING = "forms_title_font"
MISSING_MARK = "〓"  # the typesetter's mark for a character that has no type (缺字)

BUNDLED = (  # (registered name, file, subfont index)
    ("SG-UMing", "uming.ttc", 0),
    ("SG-HanaMinA", "hanamin-a-subset.ttf", None),
    ("SG-HanaMinB", "hanamin-b-subset.ttf", None),
)

_lock = threading.Lock()
_CACHE_MAX = 20_000  # strings per chain whose width and runs are remembered
_loaded: dict[str, TTFont] = {}


def _to_unicode_cmap(fontname: str, subset) -> str:
    """reportlab's ToUnicode CMap, but with characters beyond U+FFFF written as UTF-16
    surrogate pairs (reportlab writes ``<20BB7>``, which extractors and screen readers
    truncate: 𠮷 would come out as ₻)."""
    def utf16(cp: int) -> str:
        if cp <= 0xFFFF:
            return f"{cp:04X}"
        cp -= 0x10000
        return f"{0xD800 + (cp >> 10):04X}{0xDC00 + (cp & 0x3FF):04X}"

    lines = [
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
        "/CIDSystemInfo", f"<< /Registry ({fontname})", f"/Ordering ({fontname})",
        "/Supplement 0", ">> def", f"/CMapName /{fontname} def", "/CMapType 2 def",
        "1 begincodespacerange", f"<00> <{len(subset) - 1:02X}>", "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *(f"<{i:02X}> <{utf16(v)}>" for i, v in enumerate(subset)),
        "endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end",
    ]
    return "\n".join(lines)


ttfonts.makeToUnicodeCMap = _to_unicode_cmap


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


def load_font(path: str | Path, subfont: int | None = None, name: str | None = None) -> TTFont:
    """Register a TrueType font with reportlab once; a clear error for anything else."""
    path = Path(path)
    key = name or f"SG-{path.stem}-{subfont or 0}-{abs(hash(str(path.resolve()))) % 10**8}"
    with _lock:
        font = _loaded.get(key)
        if font is not None:
            return font
        if not path.is_file():
            raise ValidationError(f"找不到字体文件：{path}", "font")
        try:
            font = TTFont(key, str(path), subfontIndex=subfont or 0)
        except TTFError as exc:
            if "postscript" in str(exc).lower() or "cff" in str(exc).lower():
                raise ValidationError(
                    f"字体 {path.name} 是 OpenType/CFF 轮廓，无法嵌入 PDF；"
                    "请选择 TrueType 字体（.ttf，或 .ttc 中的 TrueType 字体），如 simfang.ttf、simsun.ttc。",
                    "font",
                ) from exc
            raise ValidationError(f"无法读取字体 {path.name}：{exc}", "font") from exc
        except (OSError, ValueError, KeyError, IndexError) as exc:
            raise ValidationError(f"无法读取字体 {path.name}：{exc}", "font") from exc
        pdfmetrics.registerFont(font)
        _loaded[key] = font
        return font


def _bundled(index: int) -> TTFont:
    name, file, sub = BUNDLED[index]
    return load_font(fonts_dir() / file, sub, name)


class FontChain:
    """Fonts tried in order for each character; remembers the choice and what nothing has."""

    def __init__(self, first: list[TTFont], *, fake_bold: bool = False):
        self._first = first
        self._fallbacks: list[TTFont] | None = None  # bundled fallbacks load on first need
        self.fake_bold = fake_bold
        self._choice: dict[str, tuple[str, float]] = {}  # char -> (font name, width per pt)
        self._nochar: set[str] = set()
        self.missing: set[str] = set()  # reported since the last reset_missing()
        self.primary = first[0].fontName
        # Strings measured and split once: a batch repeats its labels and sentences on
        # every form. Keyed by the text; cleared when they grow past _CACHE_MAX entries.
        self._widths: dict[str, float] = {}  # text -> width at 1 pt
        self._runs: dict[str, tuple[list[tuple[str, str]], frozenset[str]]] = {}
        self.wraps: dict[tuple, list[str]] = {}  # for layout.wrap: (text, width, size) -> lines

    def _fonts(self):
        yield from self._first
        if self._fallbacks is None:
            self._fallbacks = [_bundled(i) for i in range(len(BUNDLED))]
        yield from (f for f in self._fallbacks if f not in self._first)

    def choose(self, ch: str) -> tuple[str, float]:
        """(font name, advance width at 1 pt) for one character; 〓's for one no font has."""
        hit = self._choice.get(ch)
        if hit is None:
            hit = self._choice[ch] = self._find(ch)
        if ch in self._nochar:
            self.missing.add(ch)
        return hit

    def _find(self, ch: str) -> tuple[str, float]:
        cp = ord(ch)
        for font in self._fonts():
            if font.face.charToGlyph.get(cp):
                return font.fontName, font.face.getCharWidth(cp) / 1000.0
        if ch == MISSING_MARK:
            raise ValidationError("内置字体文件不完整，请重新安装审管通。", "font")
        self._nochar.add(ch)
        return self.choose(MISSING_MARK)

    def width(self, text: str, size: float) -> float:
        per_pt = self._widths.get(text)
        if per_pt is None:
            choose = self.choose
            per_pt = sum(choose(c)[1] for c in text)
            if len(self._widths) >= _CACHE_MAX:
                self._widths.clear()
            self._widths[text] = per_pt
        elif self._nochar:
            self.missing.update(c for c in text if c in self._nochar)
        return per_pt * size

    def runs(self, text: str) -> list[tuple[str, str]]:
        """Split ``text`` into (font name, text) runs; missing characters become 〓."""
        hit = self._runs.get(text)
        if hit is not None:
            if hit[1]:
                self.missing.update(hit[1])
            return hit[0]
        out = self._split(text)
        if len(self._runs) >= _CACHE_MAX:
            self._runs.clear()
        self._runs[text] = (out, frozenset(c for c in text if c in self._nochar))
        return out

    def _split(self, text: str) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        name, buf = None, []
        nochar = self._nochar
        for ch in text:
            font = self.choose(ch)[0]
            if ch in nochar:
                ch = MISSING_MARK
            if font != name and buf:
                out.append((name, "".join(buf)))
                buf = []
            name = font
            buf.append(ch)
        if buf:
            out.append((name, "".join(buf)))
        return out


@dataclass
class FontSet:
    """The chains a form uses: body text and title; ``missing`` gathers both."""

    body: FontChain
    title: FontChain
    sources: list[str] = field(default_factory=list)  # for people: which files are used

    @property
    def missing(self) -> set[str]:
        return self.body.missing | self.title.missing

    def reset_missing(self) -> None:
        self.body.missing.clear()
        self.title.missing.clear()


def _user_font(path: str) -> TTFont:
    path = path.strip()
    sub = None
    if "#" in path:  # "simsun.ttc#0": a face of a collection
        path, _, index = path.rpartition("#")
        sub = int(index) if index.isdigit() else None
    return load_font(path, sub)


def font_set(body: str | None = None, title: str | None = None) -> FontSet:
    """The bundled chains, with an office's own TrueType files (paths) in front if given."""
    main = _bundled(0)
    sources = []
    body_first = [main]
    if body:
        body_first = [_user_font(body), main]
        sources.append(f"正文字体：{body}")
    title_first = [_user_font(title), main] if title else list(body_first)
    if title:
        sources.append(f"标题字体：{title}")
    sources.append("内置字体：AR PL UMing（文鼎）、花园明朝（生僻字）")
    # No bold face ships: the bundled title is drawn filled and stroked (a 小标宋-like weight).
    return FontSet(FontChain(body_first), FontChain(title_first, fake_bold=not title), sources)


def font_set_from_settings(session, body: str | None = None, title: str | None = None) -> FontSet:
    """Fonts for this installation: explicit paths, else the saved settings, else bundled."""
    from app.services import settings

    body = body or settings.get(session, BODY_SETTING) or None
    title = title or settings.get(session, TITLE_SETTING) or None
    return font_set(body, title)


def save_font_settings(session, body: str | None, title: str | None) -> None:
    """Check and remember the office's own fonts ('' clears one)."""
    from app.services import settings

    for value in (body, title):
        if value:
            _user_font(value)  # refuses a missing or CFF file before anything is saved
    if body is not None:
        settings.put(session, BODY_SETTING, body.strip())
    if title is not None:
        settings.put(session, TITLE_SETTING, title.strip())


def missing_text(chars: set[str]) -> str:
    """'𠀀（U+20000）、…' for a message."""
    return "、".join(f"{c}（U+{ord(c):04X}）" for c in sorted(chars))
