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


@lru_cache(maxsize=64)
def _mobile_shapes(region: str) -> tuple[str, str, str] | None:
    """(country code, digits-only shape of a mobile number with or without the country code,
    libphonenumber's own mobile pattern for the region)."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    if metadata is None or metadata.mobile is None or not metadata.mobile.national_number_pattern:
        return None
    cc = str(metadata.country_code)
    lengths = metadata.mobile.possible_length or ()
    if not lengths:
        return None
    shape = rf"^(?:\+{cc}|00{cc}|{cc})?(?P<nsn>\d{{{min(lengths)},{max(lengths)}}})$"
    return cc, shape, f"^(?:{metadata.mobile.national_number_pattern})$"


def _mobiles_in_bulk(values: pa.Array, region: str) -> pa.Array:
    """E.164 for the commonest case, a mobile number of the region, checked against libphonenumber's own mobile
    pattern for the region in one vectorised pass (RE2); null where it does not apply."""
    shapes = _mobile_shapes(region)
    if shapes is None or len(values) == 0:
        return pa.nulls(len(values), pa.string())
    cc, shape, mobile = shapes
    # the separators people type (libphonenumber ignores them too): "138 1234 5678", "+86 138-1234-5678"
    compact = pc.replace_substring_regex(values, pattern=r"[ \-.()/]", replacement="")
    nsn = pc.struct_field(pc.extract_regex(compact, pattern=shape), "nsn")
    is_mobile = pc.fill_null(pc.match_substring_regex(nsn, mobile), False)
    return pc.if_else(
        is_mobile, pc.binary_join_element_wise(pa.scalar(f"+{cc}"), nsn, ""), pa.scalar(None, pa.string())
    )


def e164_column(values: pa.ChunkedArray | pa.Array, region: str) -> pa.Array:
    """E.164 for a whole column. Mobile numbers of the default region written as digits and
    separators (with or without the country code) are checked in bulk against libphonenumber's metadata;
    everything else goes through libphonenumber's parser (~70 us a number), each distinct
    value once (callers call again and again), and the results are spread back."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    values = values.cast(pa.string())
    fast = _mobiles_in_bulk(values, region)
    rest = pc.and_(pc.is_null(fast), pc.is_valid(values))
    distinct = pc.unique(pc.filter(values, rest))
    parsed = pa.array([to_e164(v, region) for v in distinct.to_pylist()], pa.string())
    slow = parsed.take(pc.index_in(values, value_set=distinct))
    return pc.coalesce(fast, slow)
