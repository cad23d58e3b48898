"""Phone numbers as people type them and carriers deliver them become one E.164 key."""

import pytest

from connectors.phones import to_e164


@pytest.mark.parametrize(
    "raw", ["13812345678", "+8613812345678", "8613812345678", "+86 138 1234 5678", "138-1234-5678", "008613812345678"]
)
def test_a_mobile_number_in_any_format_is_one_key(raw):
    assert to_e164(raw, "CN") == "+8613812345678"


@pytest.mark.parametrize("raw", ["02155551234", "021-55551234", "(021) 55551234", "+86 21 5555 1234", "862155551234"])
def test_a_landline_with_trunk_prefix_or_country_code_is_one_key(raw):
    assert to_e164(raw, "CN") == "+862155551234"


@pytest.mark.parametrize("raw", ["0000", "", None, "n/a", "123"])
def test_placeholders_and_junk_are_not_numbers(raw):
    assert to_e164(raw, "CN") is None


def test_a_foreign_number_keeps_its_country():
    assert to_e164("0065 9123 4567", "CN") == "+6591234567"


def test_the_bulk_path_gives_exactly_what_libphonenumber_gives_one_by_one():
    import random

    import pyarrow as pa

    from connectors.phones import e164_column

    rng = random.Random(7)
    prefixes = ["138", "139", "150", "186", "170", "174", "140", "145", "199", "162", "100", "110", "021"]
    raw = []
    for _ in range(20000):
        n = rng.choice(prefixes) + "".join(str(rng.randrange(10)) for _ in range(8))
        spaced, dashed = f"{n[:3]} {n[3:7]} {n[7:]}", f"{n[:3]}-{n[3:7]}-{n[7:]}"
        raw.append(
            rng.choice(
                [n, "86" + n, "+86" + n, "0086" + n, "0" + n, dashed, spaced, "+86 " + spaced, "+86 " + n, n[:6]]
                + [f"({n[:3]}) {n[3:]}", f"{n[:3]}.{n[3:7]}.{n[7:]}", f"+86-{dashed}", f"{n[:3]}/{n[3:]}"]
                + [f"0{spaced}", f"{spaced} x12", f" {n} ", f"+ 86 {n}", f"86-{n}", f"{n[:5]} {n[5:]}"]
            )
        )
    for _ in range(20000):  # landlines: area code (2 to 4 digits, some not in use) and subscriber number
        area = rng.choice(["10", "21", "20", "755", "571", "28", "991", "3", "0", "11", "1179", "852", "99"])
        subscriber = "".join(str(rng.randrange(10)) for _ in range(rng.choice([6, 7, 8, 8, 9])))
        n = area + subscriber
        raw.append(
            rng.choice(
                [n, "0" + n, f"0{area}-{subscriber}", f"(0{area}) {subscriber}", f"+86 {area} {subscriber}"]
                + [f"+86{n}", f"0086{n}", f"86{n}", f"+86 0{area} {subscriber}", f"0{area} {subscriber[:4]} "]
                + [f"1{n}", f"10193{n}", f"00{n}", f"+1 {n}", f"0{area}-{subscriber} ext. 5", f"{area}.{subscriber}"]
            )
        )
    raw += ["0000", None, "", "02155551234", "+6591234567", "0065 91234567", "+14085551234", "4085551234"]
    for region in ("CN", "US"):
        expected = [to_e164(v, region) for v in raw]
        assert e164_column(pa.array(raw), region).to_pylist() == expected, region
