"""Masking of personal values for lists, exports and the audit log (DESIGN.md)."""

from __future__ import annotations

PERSONAL_FIELDS = frozenset(
    {"id_number", "guardian_id_number", "phone", "guardian_phone", "address"}
)
SECRET_FIELDS = frozenset({"password", "password_hash", "token", "upstream.token"})


def mask_id_number(value: str | None) -> str:
    """``110105********002X``: the first six and the last four characters stay."""
    if not value:
        return ""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str | None) -> str:
    """``138****5678``: the first three and the last four digits stay."""
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_address(value: str | None) -> str:
    if not value:
        return ""
    keep = min(6, len(value) // 2)
    return value[:keep] + "*" * (len(value) - keep)


def mask_field(field: str, value: object) -> object:
    """Mask ``value`` if ``field`` names personal data; secrets never appear at all."""
    if value is None:
        return None
    if field in SECRET_FIELDS:
        return "********"
    if field not in PERSONAL_FIELDS:
        return value
    text = str(value)
    if field.endswith("id_number"):
        return mask_id_number(text)
    if field.endswith("phone"):
        return mask_phone(text)
    return mask_address(text)
