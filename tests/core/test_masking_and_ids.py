"""Masking of personal data and the resident ID number (GB 11643-1999) rules."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from stdnum.cn import ric

from familydoc.core import idnumber
from familydoc.core.audit import masked_changes
from familydoc.core.errors import RuleViolation
from familydoc.core.masking import mask_address, mask_field, mask_id_number, mask_phone

# --- masking ----------------------------------------------------------------------------------


def test_mask_id_number() -> None:
    assert mask_id_number("11010519491231002X") == "110105********002X"
    assert mask_id_number("") == ""
    assert mask_id_number(None) == ""
    assert mask_id_number("1234567") == "*******"  # too short to show any of it


def test_mask_phone() -> None:
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("") == ""
    assert mask_phone(None) == ""
    assert mask_phone("12345") == "*****"


def test_mask_address_keeps_only_the_beginning() -> None:
    masked = mask_address("江苏省徐州市丰县青山镇1组23号")
    assert masked.startswith("江苏省徐州市")
    assert "23号" not in masked
    assert len(masked) == len("江苏省徐州市丰县青山镇1组23号")


def test_masked_changes_masks_personal_values_and_hides_secrets() -> None:
    changes = masked_changes(
        {
            "id_number": "11010519491231002X",
            "phone": ("13812345678", "13987654321"),
            "guardian_id_number": "11010519491231002X",
            "guardian_phone": "13812345678",
            "password": "hunter2-secret",
            "password_hash": "$argon2id$v=19$m=65536,t=3,p=4$abc$def",
            "name": "张三",
            "birth_date": dt.date(1949, 12, 31),
            "moved_in_on": (None, dt.date(2020, 1, 2)),
        }
    )
    assert changes == {
        "id_number": "110105********002X",
        "phone": ["138****5678", "139****4321"],
        "guardian_id_number": "110105********002X",
        "guardian_phone": "138****5678",
        "password": "********",
        "password_hash": "********",
        "name": "张三",
        "birth_date": "1949-12-31",
        "moved_in_on": [None, "2020-01-02"],
    }
    text = repr(changes)
    assert "hunter2-secret" not in text
    assert "13812345678" not in text
    assert "11010519491231002X" not in text


def test_mask_field_leaves_other_fields_alone() -> None:
    assert mask_field("name", "张三") == "张三"
    assert mask_field("phone", None) is None
    assert mask_field("token", "abc") == "********"


# --- ID numbers -------------------------------------------------------------------------------

VALID = "11010519491231002X"  # the standard's own example


def test_valid_number_gives_birth_date_and_sex() -> None:
    info = idnumber.validate(VALID)
    assert info.number == VALID
    assert info.birth_date == dt.date(1949, 12, 31)
    assert info.sex == "F"  # 17th digit 2 is even
    assert info.area_code == "110105"


@pytest.mark.parametrize(
    ("birth", "sequence", "sex"),
    [
        (dt.date(1950, 1, 1), 1, "M"),
        (dt.date(1988, 2, 29), 2, "F"),
        (dt.date(2024, 12, 31), 999, "M"),
        (dt.date(1923, 7, 15), 998, "F"),
    ],
)
def test_built_numbers_validate(birth: dt.date, sequence: int, sex: str) -> None:
    number = idnumber.build("320321", birth, sequence)
    info = idnumber.validate(number)
    assert (info.number, info.birth_date, info.sex) == (number, birth, sex)


def test_full_width_digits_and_lower_case_x_are_normalised() -> None:
    full_width = VALID[:-1].translate(str.maketrans("0123456789", "０１２３４５６７８９")) + "ｘ"
    assert idnumber.validate(full_width).number == VALID
    assert idnumber.validate(VALID.lower()).number == VALID
    assert idnumber.validate(f"  {VALID[:6]} {VALID[6:14]} {VALID[14:]}  ").number == VALID
    assert idnumber.normalise("１１０１０５") == "110105"


@pytest.mark.parametrize("raw", ["1.10105E+17", "1.10105e17", "3.20321195E+17"])
def test_excel_scientific_notation_gets_its_own_message(raw: str) -> None:
    with pytest.raises(RuleViolation, match="Excel") as caught:
        idnumber.validate(raw)
    assert raw in str(caught.value)


def test_number_cut_by_excel_to_zeros_gets_the_excel_message() -> None:
    with pytest.raises(RuleViolation, match="Excel"):
        idnumber.validate(VALID[:15] + "000")


def test_wrong_check_digit_is_refused() -> None:
    wrong = VALID[:-1] + "1"
    with pytest.raises(RuleViolation, match="check digit"):
        idnumber.validate(wrong)


@pytest.mark.parametrize(
    "raw",
    ["", None, "12345", VALID + "1", "11010519491231002Y", "A1010519491231002X"],
)
def test_malformed_numbers_are_refused(raw: object) -> None:
    with pytest.raises(RuleViolation, match="18 characters"):
        idnumber.validate(raw)


def test_impossible_or_future_birth_date_is_refused() -> None:
    body = "110105" + "19490231" + "002"  # 31 February, with a correct check digit
    with pytest.raises(RuleViolation, match="birth date"):
        idnumber.validate(body + ric.calc_check_digit(body + "0"))
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    with pytest.raises(RuleViolation, match="birth date"):
        idnumber.validate(idnumber.build("110105", tomorrow, 3))


def test_unknown_area_code_is_refused() -> None:
    with pytest.raises(RuleViolation, match="area code"):
        idnumber.validate(idnumber.build("999999", dt.date(1980, 1, 1), 1))


def test_area_code_younger_than_the_holder_is_accepted() -> None:
    # 110115 大兴区 exists since 2001; its elderly residents were born long before.
    number = idnumber.build("110115", dt.date(1950, 3, 4), 123)
    info = idnumber.validate(number)
    assert info.birth_date == dt.date(1950, 3, 4)
    assert info.area_code == "110115"


# --- properties -------------------------------------------------------------------------------

AREA_CODES = st.sampled_from(["110105", "320321", "110115", "440305", "510104"])
BIRTH_DATES = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date.today())
SEQUENCES = st.integers(min_value=1, max_value=999)


@settings(max_examples=200, deadline=None)
@given(area=AREA_CODES, birth=BIRTH_DATES, sequence=SEQUENCES)
def test_build_validate_round_trip(area: str, birth: dt.date, sequence: int) -> None:
    number = idnumber.build(area, birth, sequence)
    info = idnumber.validate(number)
    assert info.number == number
    assert info.birth_date == birth
    assert info.sex == ("M" if sequence % 2 else "F")
    assert info.area_code == area


@settings(max_examples=200, deadline=None)
@given(
    area=AREA_CODES,
    birth=BIRTH_DATES,
    sequence=SEQUENCES,
    position=st.integers(min_value=0, max_value=17),
    shift=st.integers(min_value=1, max_value=9),
)
def test_any_single_digit_change_is_refused(
    area: str, birth: dt.date, sequence: int, position: int, shift: int
) -> None:
    number = idnumber.build(area, birth, sequence)
    current = number[position]
    digit = 10 if current == "X" else int(current)
    replacement = str((digit + shift) % 11) if position == 17 else str((digit + shift) % 10)
    replacement = "X" if replacement == "10" else replacement
    changed = number[:position] + replacement + number[position + 1 :]
    assert changed != number
    with pytest.raises(RuleViolation):
        idnumber.validate(changed)


@settings(max_examples=100, deadline=None)
@given(area=AREA_CODES, birth=BIRTH_DATES, sequence=SEQUENCES, lower=st.booleans())
def test_full_width_forms_validate_like_ascii(
    area: str, birth: dt.date, sequence: int, lower: bool
) -> None:
    number = idnumber.build(area, birth, sequence)
    wide = "".join(chr(ord(ch) + 0xFEE0) for ch in (number.lower() if lower else number))
    assert idnumber.validate(wide).number == number


@settings(max_examples=100, deadline=None)
@given(area=AREA_CODES, birth=BIRTH_DATES, sequence=SEQUENCES)
def test_excel_float_of_a_valid_number_is_explained(
    area: str, birth: dt.date, sequence: int
) -> None:
    number = idnumber.build(area, birth, sequence)
    assume(not number.endswith("X"))  # Excel keeps a number with an X as text
    as_float = f"{float(number):.5E}"  # what Excel shows: 1.10105E+17
    with pytest.raises(RuleViolation, match="Excel"):
        idnumber.validate(as_float)
