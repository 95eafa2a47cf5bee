"""The Chinese font of printed documents: a TrueType CJK font, embedded as a subset.

ReportLab's ``TTFont`` embeds only TrueType outlines (OpenType/CFF fonts such as Noto
Sans CJK's .otf/.ttc are refused). We look, in this order, for:

1. the font the setting ``printing.font`` names (a path; ``path#N`` picks the N-th font
   of a .ttc collection);
2. Windows: SimSun (宋体), Microsoft YaHei (微软雅黑), SimHei (黑体), SimKai (楷体);
3. Linux: WenQuanYi Micro Hei / Zen Hei, AR PL UMing / UKai, Noto Sans/Serif SC .ttf,
   Droid Sans Fallback, then whatever ``fc-list`` knows as a TrueType Chinese font;
4. macOS: Songti, STHeiti, Arial Unicode.

If none can be used, documents fall back to ReportLab's built-in ``STSong-Light``
(an Adobe CID font that is *not* embedded: a viewer without Asian fonts may not show
or print it). ``FontChoice.embedded`` tells callers, who then warn the user.
The font is registered once per process (it takes ~0.1 s).
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from familydoc.core.errors import QT_TRANSLATE_NOOP, FamilydocError

log = logging.getLogger(__name__)

FONT_NAME = "FamilydocCJK"
FALLBACK_FONT = "STSong-Light"
# A font must draw these to be used for a contract.
REQUIRED_CHARACTERS = "家庭医生签约服务协议书甲乙方姓名身份证号码０123456789ABCX-（）：，。"

WINDOWS_FONTS = ("simsun.ttc", "msyh.ttc", "simhei.ttf", "simkai.ttf", "msyh.ttf", "simfang.ttf")
LINUX_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/arphic/ukai.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansSC-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSerifSC-Regular.ttf",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)
MACOS_FONTS = (
    "/System/Library/Fonts/Supplemental/Songti.ttc",
    "/System/Library/Fonts/STHeiti Light.ttc",
    "/System/Library/Fonts/STHeiti Medium.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
    "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
)


@dataclass(frozen=True)
class FontChoice:
    """The font documents are set in.

    ``embedded`` is False for the STSong-Light fallback; ``problem`` says why a font the
    settings named could not be used (empty when there was none or it worked).
    """

    name: str
    path: str
    subfont_index: int
    embedded: bool
    problem: str = ""


_lock = threading.Lock()
_chosen: dict[tuple[str, tuple[Path, ...] | None], FontChoice] = {}


def _split_index(setting: str) -> tuple[Path, int]:
    text = setting.strip().strip('"')
    path, sep, index = text.rpartition("#")
    if sep and index.isdigit():
        return Path(path).expanduser(), int(index)
    return Path(text).expanduser(), 0


def _windows_candidates() -> list[Path]:
    folders = [Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"]
    local = os.environ.get("LOCALAPPDATA")
    if local:
        folders.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    return [folder / name for name in WINDOWS_FONTS for folder in folders]


def _fc_list_candidates() -> list[Path]:
    if not shutil.which("fc-list"):
        return []
    try:
        result = subprocess.run(
            ["fc-list", ":lang=zh:fontformat=TrueType", "file"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return []
    files = sorted(
        {line.strip().rstrip(":").strip() for line in result.stdout.splitlines() if line.strip()}
    )
    return [Path(f) for f in files if f.lower().endswith((".ttf", ".ttc"))]


def candidate_fonts() -> list[Path]:
    """Font files worth trying on this machine, best first."""
    if sys.platform == "win32":
        found = _windows_candidates()
    elif sys.platform == "darwin":
        found = [Path(p) for p in MACOS_FONTS]
    else:
        found = [Path(p) for p in LINUX_FONTS] + _fc_list_candidates()
    seen: dict[Path, None] = {}
    for path in found:
        if path.is_file():
            seen.setdefault(path, None)
    return list(seen)


def _try_truetype(path: Path, index: int, name: str = FONT_NAME) -> TTFont | str:
    """The loaded font, or why it cannot be used."""
    try:
        font = TTFont(name, str(path), subfontIndex=index)
    except TTFError as exc:
        return str(exc)
    except (OSError, ValueError, IndexError, KeyError) as exc:
        return f"{type(exc).__name__}: {exc}"
    glyphs = font.face.charToGlyph
    missing = [ch for ch in REQUIRED_CHARACTERS if ord(ch) not in glyphs]
    if missing:
        return "no Chinese glyphs (" + "".join(missing[:8]) + " missing)"
    return font


def _fallback(problem: str = "") -> FontChoice:
    if FALLBACK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
    return FontChoice(FALLBACK_FONT, "", 0, embedded=False, problem=problem)


def choose_font(setting: str = "", candidates: Iterable[Path] | None = None) -> FontChoice:
    """Register and return the document font (once per process and setting)."""
    given = None if candidates is None else tuple(candidates)
    key = (setting.strip(), given)
    with _lock:
        if key in _chosen:
            return _chosen[key]
        choice = _choose(key[0], given)
        _chosen[key] = choice
        return choice


def _choose(setting: str, candidates: Iterable[Path] | None) -> FontChoice:
    problem = ""
    tries: list[tuple[Path, int]] = []
    if setting:
        path, index = _split_index(setting)
        if not path.is_file():
            problem = f"{path}: file not found"
        else:
            tries.append((path, index))
    tries += [(path, 0) for path in (candidate_fonts() if candidates is None else candidates)]
    # One registered name per process and choice (tests may choose with other settings).
    name = FONT_NAME if not _chosen else f"{FONT_NAME}{len(_chosen)}"
    for path, index in tries:
        loaded = _try_truetype(path, index, name)
        if isinstance(loaded, str):
            log.info("font %s#%s not usable: %s", path, index, loaded)
            if setting and not problem and (path, index) == tries[0]:
                problem = f"{path}: {loaded}"
            continue
        pdfmetrics.registerFont(loaded)
        return FontChoice(name, str(path), index, embedded=True, problem=problem)
    return _fallback(problem)


FONT_NOT_EMBEDDED = QT_TRANSLATE_NOOP(
    "Errors",
    "No TrueType Chinese font was found on this computer, so the PDF uses a font that is not"
    " embedded: it may not show or print correctly on other computers. Install a Chinese"
    " TrueType font (SimSun, Microsoft YaHei or WenQuanYi Micro Hei) or name one in the"
    " setting printing.font.",
)
FONT_SETTING_UNUSABLE = QT_TRANSLATE_NOOP(
    "Errors",
    "The font named in the setting printing.font cannot be used ({problem}); the PDF uses"
    " {font} instead.",
)


class FontNotice(FamilydocError):
    """Not raised: a message for the user about the font a document was set in."""


def font_notices(choice: FontChoice) -> list[FontNotice]:
    """What to tell the user about ``choice`` (nothing when all is well)."""
    notices = []
    if choice.problem:
        used = Path(choice.path).name if choice.embedded else choice.name
        notices.append(FontNotice(FONT_SETTING_UNUSABLE, problem=choice.problem, font=used))
    if not choice.embedded:
        notices.append(FontNotice(FONT_NOT_EMBEDDED))
    return notices
