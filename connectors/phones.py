"""Phone numbers to E.164 with the `phonenumbers` library (Google's libphonenumber rules),
so `021-5555 1234`, `+86 21 55551234` and `02155551234` become one key."""

from __future__ import annotations

from functools import lru_cache

import phonenumbers
import pyarrow as pa
import pyarrow.compute as pc


@lru_cache(maxsize=1_000_000)
def to_e164(raw: str | None, region: str) -> str | None:
    """E.164 for a valid number, else None (placeholders such as `0000` are not numbers)."""
    if not raw or not raw.strip():
        return None
    text = raw.strip()
    number = _parse(text, region)
    if number is None and text.isdigit():
        # Carriers deliver callers as country code + national number without the plus.
        number = _parse("+" + text, region)
    if number is None:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _parse(text: str, region: str) -> phonenumbers.PhoneNumber | None:
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def e164_column(values: pa.ChunkedArray | pa.Array, region: str) -> pa.Array:
    """E.164 for a whole column. libphonenumber costs ~70 us a number, so each distinct value
    is parsed once (callers call again and again) and the results are spread back."""
    distinct = pc.unique(values)
    normalised = pa.array([to_e164(v, region) for v in distinct.to_pylist()], pa.string())
    return normalised.take(pc.index_in(values, value_set=distinct))
