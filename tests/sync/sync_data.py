"""Constants of the sync tests (a module of its own: ``conftest`` names clash across folders)."""

from __future__ import annotations

import datetime as dt

MEASURE = "https://wjw.example-county.gov.cn/fhir/Measure/family-doctor-signing-rate"
TOKEN = "county-token"
TODAY = dt.date(2026, 6, 15)  # signing_world.AS_OF: the open month is 2026-06


MAPPING = """\
# The county's mapping for 测试镇卫生院
org_unit = "TownOU00001"
data_set = "SignDS00001"

[[value]]
figure = "overall"
count = "numerator"
data_element = "SignedDE001"

[[value]]
figure = "overall"
count = "denominator"
data_element = "DenomDE0001"

[[value]]
figure = "village:320321110201"
count = "numerator"
data_element = "SignedDE001"
org_unit = "EastVil0001"

[[value]]
figure = "key_population:elderly_65"
count = "numerator"
data_element = "SignedDE001"
category_option_combo = "Elderly0001"

[[value]]
figure = "key_population:elderly_65"
count = "denominator"
data_element = "DenomDE0001"
category_option_combo = "Elderly0001"
"""


class Waits(list[float]):
    """The backoff sleeps asked for (none is slept: the tests stay fast)."""
