"""Account administration beyond creating and logging in: names, roles, deactivation.

The rules of passwords, user names and logging in stay in ``familydoc.core.auth``;
what is here only changes who an account is and whether it may be used, checked and
audited in the caller's unit of work like every other service.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from familydoc.core import audit
from familydoc.core.auth import (
    Actor,
    Permission,
    UserRow,
    _check_role,
    _find_user,
    _to_row,
    other_active_admins,
    require,
)
from familydoc.core.errors import QT_TRANSLATE_NOOP, RuleViolation
from familydoc.core.models import utcnow

LAST_ADMIN = QT_TRANSLATE_NOOP(
    "Errors",
    "{username} is the last administrator who can log in: make another account an"
    " administrator first.",
)


def update_user(
    session: Session, actor: Actor, *, username: str, display_name: str, role: str
) -> UserRow:
    """Change an account's full name and role; the last usable administrator stays one."""
    require(actor, Permission.MANAGE_USERS)
    user = _find_user(session, username)
    _check_role(role)
    name = display_name.strip() or user.username
    if len(name) > 50:
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "A full name can have at most {count} characters."),
            count=50,
        )
    if user.role == "admin" and role != "admin" and not other_active_admins(session, user.id):
        raise RuleViolation(LAST_ADMIN, username=user.username)
    changes: dict[str, object] = {}
    if name != user.display_name:
        changes["display_name"] = (user.display_name, name)
        user.display_name = name
    if role != user.role:
        changes["role"] = (user.role, role)
        user.role = role
    if changes:
        audit.record(
            session,
            user_id=actor.user_id,
            username=actor.username,
            action="user.update",
            entity_type="user",
            entity_id=user.id,
            changes=changes,
        )
    return _to_row(user)


def set_deactivated(session: Session, actor: Actor, *, username: str, deactivated: bool) -> UserRow:
    """Take an account out of use (someone left) or back; it is never deleted (audit log)."""
    require(actor, Permission.MANAGE_USERS)
    user = _find_user(session, username)
    if deactivated == (user.deactivated_at is not None):
        return _to_row(user)
    if deactivated and user.id == actor.user_id:
        raise RuleViolation(QT_TRANSLATE_NOOP("Errors", "You cannot disable your own account."))
    if deactivated and user.role == "admin" and not other_active_admins(session, user.id):
        raise RuleViolation(LAST_ADMIN, username=user.username)
    user.deactivated_at = utcnow() if deactivated else None
    if not deactivated:
        user.failed_logins = 0
        user.locked_until = None
    audit.record(
        session,
        user_id=actor.user_id,
        username=actor.username,
        action="user.deactivate" if deactivated else "user.activate",
        entity_type="user",
        entity_id=user.id,
        changes={"deactivated": (not deactivated, deactivated)},
    )
    return _to_row(user)
