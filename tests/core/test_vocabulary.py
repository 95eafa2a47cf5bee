"""One set of labels: what the GUI shows (the Chinese translation of each source) is what
exports and PDFs print (``core.vocabulary``), for termination reasons and contact results."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from familydoc.core.statistics import TERMINATION_LABELS
from familydoc.core.vocabulary import ALL_TABLES, CONTEXT, zh
from familydoc.core.vocabulary import TERMINATION_LABELS as TERMS

TS = Path(__file__).resolve().parents[2] / "resources" / "translations" / "familydoc_zh_CN.ts"


def _translations(context: str) -> dict[str, str]:
    root = ET.parse(TS).getroot()
    for node in root.iter("context"):
        if node.findtext("name") == context:
            return {
                message.findtext("source") or "": message.findtext("translation") or ""
                for message in node.iter("message")
            }
    return {}


def test_every_label_is_translated_to_its_own_chinese_text() -> None:
    translated = _translations(CONTEXT)
    for table in ALL_TABLES:
        for code, label in table.items():
            assert translated.get(label.source) == label.zh, (code, label)


def test_statistics_and_exports_use_the_same_termination_labels() -> None:
    assert {code: zh(TERMS, code) for code in TERMS} == TERMINATION_LABELS
    assert TERMINATION_LABELS["unreachable"] == "连续一年无法联系"
