"""The Simplified Chinese translation ships complete and keeps every placeholder.

A missing entry shows English to a clinic's staff; a translation that drops or
renames a ``{placeholder}`` loses the figure it should show (or raises KeyError in
``str.format``).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

TS_FILE = Path(__file__).resolve().parent.parent / "resources/translations/familydoc_zh_CN.ts"
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")


def _messages() -> list[tuple[str, str, ET.Element]]:
    root = ET.parse(TS_FILE).getroot()
    return [
        (context.findtext("name") or "", message.findtext("source") or "", message)
        for context in root.iter("context")
        for message in context.iter("message")
    ]


def test_every_string_is_translated() -> None:
    missing = [
        (context, source)
        for context, source, message in _messages()
        if (translation := message.find("translation")) is None
        or translation.get("type") == "unfinished"
        or not (translation.text or "").strip()
    ]
    assert missing == []


def test_translations_keep_the_placeholders() -> None:
    broken = [
        (context, source)
        for context, source, message in _messages()
        if message.find("translation") is not None
        and message.find("translation").get("type") != "unfinished"  # type: ignore[union-attr]
        and sorted(PLACEHOLDER.findall(source))
        != sorted(PLACEHOLDER.findall(message.findtext("translation") or ""))
    ]
    assert broken == []
