"""Accounts, roles, permissions and logging in.

Permissions are checked here, in the services, so a hidden button is never the
only guard. Failed logins count in the database, so a lock survives a restart.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from familydoc.core import audit
from familydoc.core.errors import (
    QT_TRANSLATE_NOOP,
    AuthenticationFailed,
    NotFound,
    PermissionDenied,
    RuleViolation,
)
from familydoc.core.models import ROLES, User, utcnow

MAX_FAILED_LOGINS = 5
LOCK_DURATION = dt.timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 8

ACCOUNT_DISABLED = QT_TRANSLATE_NOOP(
    "Errors", "This account is locked. Ask the administrator to unlock it."
)
ACCOUNT_DEACTIVATED = QT_TRANSLATE_NOOP(
    "Errors", "This account is no longer in use. Ask the administrator to enable it again."
)

_hasher = PasswordHasher()  # argon2id with the library's defaults (above OWASP's minimum)


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the user name is unknown, so both cases take the same time."""
    return _hasher.hash("familydoc-timing-equaliser")


class Permission(StrEnum):
    VIEW_RESIDENTS = "view_residents"
    EDIT_RESIDENTS = "edit_residents"
    VIEW_UNMASKED = "view_unmasked"
    EXPORT_LISTS = "export_lists"
    EXPORT_UNMASKED = "export_unmasked"
    SIGN_CONTRACT = "sign_contract"
    END_CONTRACT = "end_contract"
    MANAGE_TEAMS = "manage_teams"
    APPROVE_OVER_CAPACITY = "approve_over_capacity"
    VIEW_STATISTICS = "view_statistics"
    RUN_SYNC = "run_sync"
    VIEW_AUDIT = "view_audit"
    MAKE_BACKUP = "make_backup"
    RESTORE_BACKUP = "restore_backup"
    MANAGE_USERS = "manage_users"
    MANAGE_SETTINGS = "manage_settings"
    SET_TARGETS = "set_targets"
    RECORD_CONTACT = "record_contact"  # the result of a call from the outreach list


_EVERYONE = {
    Permission.VIEW_RESIDENTS,
    Permission.EDIT_RESIDENTS,
    Permission.EXPORT_LISTS,
    Permission.VIEW_STATISTICS,
    Permission.MAKE_BACKUP,
}
_CLINICAL = _EVERYONE | {
    Permission.SIGN_CONTRACT,
    Permission.END_CONTRACT,
    Permission.RECORD_CONTACT,
}
_SUPERVISING = _CLINICAL | {
    Permission.VIEW_UNMASKED,
    Permission.EXPORT_UNMASKED,
    Permission.MANAGE_TEAMS,
    Permission.APPROVE_OVER_CAPACITY,
    Permission.RUN_SYNC,
    Permission.VIEW_AUDIT,
    Permission.SET_TARGETS,
}
ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    "clerk": frozenset(_EVERYONE),
    "doctor": frozenset(_CLINICAL),
    "supervisor": frozenset(_SUPERVISING),
    "admin": frozenset(Permission),
}

ROLE_LABELS = {
    "admin": QT_TRANSLATE_NOOP("Roles", "Administrator"),
    "supervisor": QT_TRANSLATE_NOOP("Roles", "Supervisor"),
    "doctor": QT_TRANSLATE_NOOP("Roles", "Family doctor"),
    "clerk": QT_TRANSLATE_NOOP("Roles", "Clerk"),
}

PERMISSION_LABELS = {
    Permission.VIEW_RESIDENTS: QT_TRANSLATE_NOOP("Errors", "view residents"),
    Permission.EDIT_RESIDENTS: QT_TRANSLATE_NOOP("Errors", "register or change residents"),
    Permission.VIEW_UNMASKED: QT_TRANSLATE_NOOP("Errors", "see full ID numbers and phones"),
    Permission.EXPORT_LISTS: QT_TRANSLATE_NOOP("Errors", "export lists"),
    Permission.EXPORT_UNMASKED: QT_TRANSLATE_NOOP("Errors", "export unmasked lists"),
    Permission.SIGN_CONTRACT: QT_TRANSLATE_NOOP("Errors", "sign or renew contracts"),
    Permission.END_CONTRACT: QT_TRANSLATE_NOOP("Errors", "end contracts"),
    Permission.MANAGE_TEAMS: QT_TRANSLATE_NOOP("Errors", "manage teams, doctors and packages"),
    Permission.APPROVE_OVER_CAPACITY: QT_TRANSLATE_NOOP(
        "Errors", "approve signing past a team's capacity"
    ),
    Permission.VIEW_STATISTICS: QT_TRANSLATE_NOOP("Errors", "view statistics"),
    Permission.RUN_SYNC: QT_TRANSLATE_NOOP("Errors", "send reports to the county"),
    Permission.VIEW_AUDIT: QT_TRANSLATE_NOOP("Errors", "view the audit log"),
    Permission.MAKE_BACKUP: QT_TRANSLATE_NOOP("Errors", "make backups"),
    Permission.RESTORE_BACKUP: QT_TRANSLATE_NOOP("Errors", "restore backups"),
    Permission.MANAGE_USERS: QT_TRANSLATE_NOOP("Errors", "manage user accounts"),
    Permission.MANAGE_SETTINGS: QT_TRANSLATE_NOOP("Errors", "change settings"),
    Permission.SET_TARGETS: QT_TRANSLATE_NOOP("Errors", "set signing-rate targets"),
    Permission.RECORD_CONTACT: QT_TRANSLATE_NOOP("Errors", "record the result of a call"),
}


@dataclass(frozen=True)
class Actor:
    """The logged-in user on whose behalf a service acts."""

    user_id: int
    username: str
    display_name: str
    role: str

    def can(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS.get(self.role, frozenset())


def require(actor: Actor, permission: Permission) -> None:
    if not actor.can(permission):
        raise PermissionDenied(
            QT_TRANSLATE_NOOP("Errors", "Your account ({username}) is not allowed to {action}."),
            username=actor.username,
            action=PERMISSION_LABELS[permission],
            translate_params=("action",),
        )


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    display_name: str
    role: str
    disabled: bool
    locked_until: dt.datetime | None
    failed_logins: int
    last_login_at: dt.datetime | None
    must_change_password: bool = False
    deactivated: bool = False


def _to_row(user: User) -> UserRow:
    return UserRow(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        disabled=user.disabled,
        locked_until=user.locked_until,
        failed_logins=user.failed_logins,
        last_login_at=user.last_login_at,
        must_change_password=user.must_change_password,
        deactivated=user.deactivated_at is not None,
    )


def _actor(user: User) -> Actor:
    return Actor(user.id, user.username, user.display_name, user.role)


def _check_username(username: str) -> str:
    name = username.strip()
    if not name or any(ch.isspace() for ch in name) or len(name) > 40:
        raise RuleViolation(
            QT_TRANSLATE_NOOP(
                "Errors", "A user name must be 1 to 40 characters long and contain no spaces."
            )
        )
    return name


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "A password needs at least {count} characters."),
            count=MIN_PASSWORD_LENGTH,
        )


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "Unknown role {role}. Roles: {roles}"),
            role=role,
            roles=", ".join(ROLES),
        )


def _find_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username.strip()))
    if user is None:
        raise NotFound(
            QT_TRANSLATE_NOOP("Errors", "There is no user {username}."), username=username
        )
    return user


def create_user(
    session: Session,
    actor: Actor | None,
    *,
    username: str,
    display_name: str,
    role: str,
    password: str,
    must_change_password: bool = False,
) -> UserRow:
    """Add an account. ``actor`` is None only for the first administrator made by ``init``.

    ``must_change_password``: the administrator chose the first password, so the user
    replaces it at the first login.
    """
    if actor is None:
        if session.scalar(select(func.count()).select_from(User)):
            raise PermissionDenied(
                QT_TRANSLATE_NOOP("Errors", "Only an administrator can add user accounts.")
            )
    else:
        require(actor, Permission.MANAGE_USERS)
    name = _check_username(username)
    _check_role(role)
    _check_password(password)
    if session.scalar(select(User.id).where(User.username == name)) is not None:
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "The user name {username} is taken."), username=name
        )
    user = User(
        username=name,
        display_name=display_name.strip() or name,
        role=role,
        password_hash=_hasher.hash(password),
        failed_logins=0,
        disabled=False,
        password_changed_at=utcnow(),
        must_change_password=must_change_password,
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        user_id=actor.user_id if actor else user.id,
        username=actor.username if actor else name,
        action="user.create",
        entity_type="user",
        entity_id=user.id,
        changes={"username": name, "display_name": user.display_name, "role": role},
    )
    return _to_row(user)


def change_password(
    session: Session,
    actor: Actor,
    *,
    username: str,
    new_password: str,
    old_password: str | None = None,
) -> None:
    """Users change their own password (knowing the old one); administrators anyone's.

    An administrator setting another user's password is a reset: that user must choose
    a new one at the next login. An old password given is always checked.
    """
    user = _find_user(session, username)
    own = user.id == actor.user_id
    if own and (old_password is not None or not actor.can(Permission.MANAGE_USERS)):
        if old_password is None or not _verify(user.password_hash, old_password):
            raise AuthenticationFailed(
                QT_TRANSLATE_NOOP("Errors", "The current password is not correct.")
            )
    elif not own:
        require(actor, Permission.MANAGE_USERS)
    _check_password(new_password)
    user.password_hash = _hasher.hash(new_password)
    user.password_changed_at = utcnow()
    user.failed_logins = 0
    user.locked_until = None
    user.must_change_password = not own
    audit.record(
        session,
        user_id=actor.user_id,
        username=actor.username,
        action="user.password",
        entity_type="user",
        entity_id=user.id,
        changes={"password": "changed" if own else "reset", "must_change_password": not own},
    )


def set_disabled(session: Session, actor: Actor, *, username: str, disabled: bool) -> UserRow:
    """Lock (disable) or unlock an account; unlocking also clears a failed-login lock."""
    require(actor, Permission.MANAGE_USERS)
    user = _find_user(session, username)
    if disabled and user.role == "admin":
        if not other_active_admins(session, user.id):
            raise RuleViolation(
                QT_TRANSLATE_NOOP("Errors", "The last administrator account cannot be locked.")
            )
    before = user.disabled
    user.disabled = disabled
    if not disabled:
        user.failed_logins = 0
        user.locked_until = None
    audit.record(
        session,
        user_id=actor.user_id,
        username=actor.username,
        action="user.lock" if disabled else "user.unlock",
        entity_type="user",
        entity_id=user.id,
        changes={"disabled": (before, disabled)},
    )
    return _to_row(user)


def other_active_admins(session: Session, user_id: int) -> int:
    """Administrators besides ``user_id`` who can log in (the last one must stay)."""
    return (
        session.scalar(
            select(func.count())
            .select_from(User)
            .where(
                User.role == "admin",
                User.disabled.is_(False),
                User.deactivated_at.is_(None),
                User.id != user_id,
            )
        )
        or 0
    )


def list_users(session: Session, actor: Actor) -> list[UserRow]:
    require(actor, Permission.MANAGE_USERS)
    return [_to_row(user) for user in session.scalars(select(User).order_by(User.username))]


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class LoginResult:
    actor: Actor | None
    error: AuthenticationFailed | None = None
    # After an administrator's reset: the window asks for a new password before going on.
    must_change_password: bool = False


def authenticate(
    session: Session, username: str, password: str, now: dt.datetime | None = None
) -> LoginResult:
    """Check a login and record it (failed ones too); the caller commits either way."""
    now = now or utcnow()
    user = session.scalar(select(User).where(User.username == username.strip()))
    if user is None:
        _verify(_dummy_hash(), password)
        audit.record(
            session,
            user_id=None,
            username=username.strip()[:40],
            action="login.failed",
            entity_type="user",
            changes={"reason": "unknown_user"},
        )
        return LoginResult(
            None, AuthenticationFailed(QT_TRANSLATE_NOOP("Errors", "Wrong user name or password."))
        )

    def refuse(reason: str, error: AuthenticationFailed) -> LoginResult:
        audit.record(
            session,
            user_id=user.id,
            username=user.username,
            action="login.failed",
            entity_type="user",
            entity_id=user.id,
            changes={"reason": reason},
        )
        return LoginResult(None, error)

    if user.deactivated_at is not None:
        return refuse("deactivated", AuthenticationFailed(ACCOUNT_DEACTIVATED))
    if user.disabled:
        return refuse(
            "disabled",
            AuthenticationFailed(ACCOUNT_DISABLED),
        )
    if user.locked_until is not None and user.locked_until > now:
        minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
        return refuse(
            "locked",
            AuthenticationFailed(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "Too many wrong passwords: this account is locked for {minutes} more minutes.",
                ),
                minutes=minutes,
            ),
        )
    if not _verify(user.password_hash, password):
        user.failed_logins += 1
        if user.failed_logins >= MAX_FAILED_LOGINS:
            user.locked_until = now + LOCK_DURATION
            user.failed_logins = 0
            audit.record(
                session,
                user_id=user.id,
                username=user.username,
                action="user.auto_lock",
                entity_type="user",
                entity_id=user.id,
                changes={"locked_until": user.locked_until},
            )
            return refuse(
                "wrong_password",
                AuthenticationFailed(
                    QT_TRANSLATE_NOOP(
                        "Errors",
                        "Too many wrong passwords: this account is locked for {minutes} minutes.",
                    ),
                    minutes=int(LOCK_DURATION.total_seconds() // 60),
                ),
            )
        return refuse(
            "wrong_password",
            AuthenticationFailed(QT_TRANSLATE_NOOP("Errors", "Wrong user name or password.")),
        )
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    audit.record(
        session,
        user_id=user.id,
        username=user.username,
        action="login",
        entity_type="user",
        entity_id=user.id,
    )
    return LoginResult(_actor(user), must_change_password=user.must_change_password)


def actor_for(session: Session, username: str) -> Actor:
    """The actor of an account (for re-checks after auto-lock); refuses disabled accounts."""
    user = _find_user(session, username)
    if user.deactivated_at is not None:
        raise AuthenticationFailed(ACCOUNT_DEACTIVATED)
    if user.disabled:
        raise AuthenticationFailed(ACCOUNT_DISABLED)
    return _actor(user)
