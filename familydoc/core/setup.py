"""Creating an institution's database (``familydoc init``) and reading who we are."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from familydoc.core import audit
from familydoc.core.auth import UserRow, create_user
from familydoc.core.errors import QT_TRANSLATE_NOOP, RuleViolation
from familydoc.core.models import Institution, ServicePackage, ServicePackageItem

BASIC_PACKAGE_CODE = "basic"
BASIC_PACKAGE_NAME = "基础服务包"
# The items of the national basic public health service, which the free package provides.
BASIC_PACKAGE_ITEMS = (
    ("居民健康档案管理", "每年更新"),
    ("健康教育", "每年不少于1次"),
    ("预防接种", "按免疫程序"),
    ("0-6岁儿童健康管理", "按规范"),
    ("孕产妇健康管理", "按规范"),
    ("65岁及以上老年人健康管理", "每年1次体检"),
    ("高血压患者健康管理", "每年4次随访"),
    ("2型糖尿病患者健康管理", "每年4次随访"),
    ("严重精神障碍患者管理", "每年4次随访"),
    ("肺结核患者健康管理", "按规范"),
    ("中医药健康管理", "每年1次"),
    ("传染病及突发公共卫生事件报告和处理", "按规范"),
)


@dataclass(frozen=True)
class InstitutionInfo:
    id: int
    code: str
    name: str


def home_institution(session: Session) -> InstitutionInfo | None:
    row = session.scalar(select(Institution).where(Institution.is_home.is_(True)))
    return InstitutionInfo(row.id, row.code, row.name) if row else None


def _check_code(code: str) -> str:
    code = code.strip()
    if not code or len(code) > 32 or not all(ch.isalnum() for ch in code) or not code.isascii():
        raise RuleViolation(
            QT_TRANSLATE_NOOP(
                "Errors",
                "The institution code must be 1 to 32 letters or digits (it starts every"
                " contract number).",
            )
        )
    return code


def initialise(
    session: Session,
    *,
    institution_code: str,
    institution_name: str,
    admin_username: str,
    admin_password: str,
    admin_display_name: str = "",
) -> tuple[InstitutionInfo, UserRow]:
    """Create the home institution, its free basic package and the first administrator."""
    if home_institution(session) is not None:
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "This database already belongs to an institution.")
        )
    code = _check_code(institution_code)
    name = institution_name.strip()
    if not name:
        raise RuleViolation(QT_TRANSLATE_NOOP("Errors", "The institution needs a name."))
    admin = create_user(
        session,
        None,
        username=admin_username,
        display_name=admin_display_name or admin_username,
        role="admin",
        password=admin_password,
    )
    institution = Institution(code=code, name=name, kind="township_centre", is_home=True)
    session.add(institution)
    session.flush()
    package = ServicePackage(
        code=BASIC_PACKAGE_CODE,
        name=BASIC_PACKAGE_NAME,
        kind="basic",
        institution_id=institution.id,
        description="国家基本公共卫生服务项目，免费提供。",
        target_populations=[],
        price_fen=0,
        fund_insurance_fen=0,
        fund_public_health_fen=0,
        self_pay_fen=0,
        valid_from=dt.date(2000, 1, 1),
        items=[
            ServicePackageItem(position=index, name=item, frequency=frequency)
            for index, (item, frequency) in enumerate(BASIC_PACKAGE_ITEMS, start=1)
        ],
    )
    session.add(package)
    session.flush()
    for entity_type, entity_id, changes in (
        ("institution", institution.id, {"code": code, "name": name}),
        ("service_package", package.id, {"code": package.code, "name": package.name}),
    ):
        audit.record(
            session,
            user_id=admin.id,
            username=admin.username,
            action=f"{entity_type}.create",
            entity_type=entity_type,
            entity_id=entity_id,
            changes=changes,
        )
    return InstitutionInfo(institution.id, code, name), admin
