"""Numbers and dates printed as NĐ 30/2020/NĐ-CP, Phụ lục I, II.3–4 requires."""

import datetime

import pytest

from decisions import numbering
from decisions.models import Register


@pytest.mark.parametrize(
    ("value", "printed"),
    [
        (1, "01"),
        (2, "02"),
        (9, "09"),
        (10, "10"),
        (11, "11"),
        (12, "12"),
        (93, "93"),
        (1234, "1234"),
    ],
)
def test_numbers_below_ten_take_a_leading_zero(value, printed):
    assert numbering.format_number(value) == printed


def test_there_is_no_number_zero():
    with pytest.raises(ValueError, match="starts at 1"):
        numbering.format_number(0)


def test_the_reference_has_the_year_only_for_legal_normative_registers():
    plain = numbering.format_reference(
        number=1, symbol="QĐ-UBND", year=2026, number_format=Register.NumberFormat.PLAIN
    )
    with_year = numbering.format_reference(
        number=17, symbol="QĐ-UBND", year=2016, number_format=Register.NumberFormat.WITH_YEAR
    )
    assert (plain, with_year) == ("01/QĐ-UBND", "17/2016/QĐ-UBND")


@pytest.mark.parametrize(
    ("month", "printed"),
    [
        (1, "01"),
        (2, "02"),
        (3, "3"),
        (4, "4"),
        (5, "5"),
        (6, "6"),
        (7, "7"),
        (8, "8"),
        (9, "9"),
        (10, "10"),
        (11, "11"),
        (12, "12"),
    ],
)
def test_only_january_and_february_take_a_leading_zero_in_the_date(month, printed):
    line = numbering.format_date_line("Giồng Riềng", datetime.date(2019, month, 2))
    assert line == f"Giồng Riềng, ngày 02 tháng {printed} năm 2019"


def test_two_digit_days_are_printed_as_they_are():
    assert numbering.format_date_line("An Giang", datetime.date(2026, 11, 23)) == (
        "An Giang, ngày 23 tháng 11 năm 2026"
    )
