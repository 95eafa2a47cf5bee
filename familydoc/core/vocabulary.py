"""The labels of stored codes that appear on screen, on paper and in files: one table each.

Each label has its English source (marked for Qt's translation under the context
``Terms``, what the GUI shows through ``QCoreApplication.translate("Terms", source)``)
and its Chinese text (what exports, PDFs and the command line print). The Chinese
translation of each source in the .ts file is this same Chinese text — a test checks it —
so the dialog, the statistics page, the exports and the PDFs say the same words.
"""

from __future__ import annotations

from dataclasses import dataclass

from familydoc.core.errors import QT_TRANSLATE_NOOP
from familydoc.core.models import CONTACT_RESULTS, DECLINE_REASONS, TERMINATION_REASONS

CONTEXT = "Terms"


@dataclass(frozen=True)
class Label:
    source: str  # English, translated by Qt in the GUI
    zh: str  # printed, exported, and the Chinese translation of ``source``


# Why a contract ended; "expired" (到期未续约) is no stored reason: a contract that reached its
# end date without a renewal, as the statistics count it.
TERMINATION_LABELS: dict[str, Label] = {
    "moved_out": Label(QT_TRANSLATE_NOOP("Terms", "Moved out"), "迁出"),
    "deceased": Label(QT_TRANSLATE_NOOP("Terms", "Deceased"), "死亡"),
    "resident_request": Label(
        QT_TRANSLATE_NOOP("Terms", "At the resident's request"), "居民申请解约"
    ),
    "unreachable": Label(QT_TRANSLATE_NOOP("Terms", "Unreachable for a year"), "连续一年无法联系"),
    "refused_service": Label(
        QT_TRANSLATE_NOOP("Terms", "Refused service for a year"), "连续一年拒绝服务"
    ),
    "changed_team": Label(QT_TRANSLATE_NOOP("Terms", "Changed team"), "更换团队"),
    "other": Label(QT_TRANSLATE_NOOP("Terms", "Other"), "其他"),
    "expired": Label(QT_TRANSLATE_NOOP("Terms", "Reached its end, not renewed"), "到期未续约"),
}

# The result of a call from the outreach list, and why a resident declines for now.
CONTACT_RESULT_LABELS: dict[str, Label] = {
    "agreed": Label(QT_TRANSLATE_NOOP("Terms", "Agrees to sign"), "同意签约"),
    "declined": Label(QT_TRANSLATE_NOOP("Terms", "Not signing for now"), "暂不签约"),
    "unreachable": Label(QT_TRANSLATE_NOOP("Terms", "Could not be reached"), "无法联系"),
}
DECLINE_REASON_LABELS: dict[str, Label] = {
    "away_long": Label(QT_TRANSLATE_NOOP("Terms", "Away for a long time"), "长期外出"),
    "refused": Label(QT_TRANSLATE_NOOP("Terms", "Refuses to sign"), "本人拒签"),
    "signed_elsewhere": Label(
        QT_TRANSLATE_NOOP("Terms", "Already signed elsewhere"), "已在他处签约"
    ),
    "moved_unrecorded": Label(QT_TRANSLATE_NOOP("Terms", "Moved out, not recorded"), "迁出未登记"),
    "deceased_unrecorded": Label(
        QT_TRANSLATE_NOOP("Terms", "Deceased, not recorded"), "死亡未登记"
    ),
    "wrong_contact": Label(QT_TRANSLATE_NOOP("Terms", "Wrong contact details"), "联系方式错误"),
    "other": Label(QT_TRANSLATE_NOOP("Terms", "Other"), "其他"),
}

assert set(TERMINATION_LABELS) == {*TERMINATION_REASONS, "expired"}
assert tuple(CONTACT_RESULT_LABELS) == CONTACT_RESULTS
assert tuple(DECLINE_REASON_LABELS) == DECLINE_REASONS

ALL_TABLES = (TERMINATION_LABELS, CONTACT_RESULT_LABELS, DECLINE_REASON_LABELS)


def zh(table: dict[str, Label], code: str | None) -> str:
    """The Chinese label of ``code`` (the code itself when unknown, empty for None)."""
    if not code:
        return ""
    label = table.get(code)
    return label.zh if label else code


def contact_text(result: str | None, reason: str | None, note: str | None = None) -> str:
    """暂不签约（长期外出）, 其他 with its note: 暂不签约（其他：……）."""
    if not result:
        return ""
    text = zh(CONTACT_RESULT_LABELS, result)
    if result == "declined" and reason:
        why = zh(DECLINE_REASON_LABELS, reason)
        if reason == "other" and note:
            why = f"{why}：{note}"
        text += f"（{why}）"
    return text
