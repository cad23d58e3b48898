"""A number in a range the phone library does not know yet ("possible", not "valid") is still a
key, in E.164, however it is written; what people type for "no number" is none."""

from __future__ import annotations

import pyarrow as pa
import pytest

from connectors.phones import e164_column, to_e164

# each is "possible" in its country but not "valid" to libphonenumber's metadata
UNALLOCATED = [
    ("CN", ["140 1234 5678", "+86 140 1234 5678", "8614012345678", "14012345678"], "+8614012345678"),
    ("US", ["(999) 555-0182", "999-555-0182", "999.555.0182", "+1 999 555 0182", "19995550182"], "+19995550182"),
]


@pytest.mark.parametrize(("region", "spellings", "key"), UNALLOCATED)
def test_a_possible_number_is_one_key_however_it_is_written(region, spellings, key):
    assert {to_e164(text, region) for text in spellings} == {key}
    assert set(e164_column(pa.array(spellings), region).to_pylist()) == {key}


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("0000", "CN"),
        ("00000000", "CN"),
        ("12345678", "CN"),
        ("999-999-9999", "US"),
        ("000-000-0000", "US"),
        ("1234567890", "US"),
        ("555-1234", "US"),
        ("+86 10 1234", "CN"),
        ("n/a", "US"),
    ],
)
def test_placeholders_and_local_only_numbers_are_no_key(text, region):
    assert to_e164(text, region) is None


def test_a_valid_number_keeps_the_key_it_always_had():
    assert to_e164("021-5555 1234", "CN") == "+862155551234"
    assert to_e164("(312) 555-0142", "US") == "+13125550142"
