"""Phone numbers to E.164 with the `phonenumbers` library (Google's libphonenumber rules),
so `021-5555 1234`, `+86 21 55551234` and `02155551234` become one key."""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers
import pyarrow as pa
import pyarrow.compute as pc


@lru_cache(maxsize=1_000_000)
def to_e164(raw: str | None, region: str) -> str | None:
    """E.164 for a valid number; else for a "possible" one (a range allocated after the
    library's metadata was made, a fictional range: still the same key wherever it is written);
    else None (placeholders such as `0000` or `999-999-9999` are not numbers)."""
    if not raw or not raw.strip():
        return None
    text = raw.strip()
    home = phonenumbers.country_code_for_region(region)
    # Carriers deliver callers as country code + national number without the plus: digits are
    # also read with a "+" in front, but a home number read as written comes before a foreign one
    attempts = [(text, phonenumbers.is_valid_number)]
    if text.isdigit():
        attempts.append(("+" + text, lambda n: n.country_code == home and phonenumbers.is_valid_number(n)))
    attempts.append((text, _is_possible_and_no_placeholder))
    if text.isdigit():
        attempts += [("+" + text, phonenumbers.is_valid_number), ("+" + text, _is_possible_and_no_placeholder)]
    for candidate, accept in attempts:
        number = _parse(candidate, region, accept)
        if number is not None:
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return None


def _parse(text: str, region: str, accept) -> phonenumbers.PhoneNumber | None:
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    return number if accept(number) else None


_RUNS = "01234567890123456789 98765432109876543210"


def _is_possible_and_no_placeholder(number: phonenumbers.PhoneNumber) -> bool:
    """A whole number of its country's length and general shape (not a local-only number that
    needs an area code to mean anything), and not what people type for "no number": one or
    two digits repeated, or a run such as 12345678."""
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason != phonenumbers.ValidationResult.IS_POSSIBLE:
        return False
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(
        phonenumbers.region_code_for_country_code(number.country_code)
    )
    national = phonenumbers.national_significant_number(number)
    if metadata is None or not re.fullmatch(metadata.general_desc.national_number_pattern or "", national):
        return False
    return len(set(national)) >= 3 and national not in _RUNS


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


def _mobiles_in_bulk(compact: pa.Array, region: str) -> pa.Array:
    """E.164 for the commonest case, a mobile number of the region, checked against
    libphonenumber's own mobile pattern for the region in one vectorised pass (RE2); null
    where it does not apply."""
    shapes = _mobile_shapes(region)
    if shapes is None:
        return pa.nulls(len(compact), pa.string())
    cc, shape, mobile = shapes
    nsn = pc.struct_field(pc.extract_regex(compact, pattern=shape), "nsn")
    is_mobile = pc.fill_null(pc.match_substring_regex(nsn, mobile), False)
    return pc.if_else(
        is_mobile, pc.binary_join_element_wise(pa.scalar(f"+{cc}"), nsn, ""), pa.scalar(None, pa.string())
    )


@lru_cache(maxsize=64)
def _landline_rules(region: str) -> dict[str, str] | None:
    """The region's rules for fixed-line numbers as RE2 patterns, when libphonenumber parses its
    numbers by rules the bulk path can follow exactly (a national prefix, no transform rule)."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    fixed = metadata.fixed_line if metadata else None
    if fixed is None or not fixed.national_number_pattern or not fixed.possible_length:
        return None
    if not metadata.national_prefix or metadata.national_prefix_transform_rule or not metadata.international_prefix:
        return None
    cc, prefix = str(metadata.country_code), metadata.national_prefix
    lengths = "|".join(rf"\d{{{n}}}" for n in sorted(fixed.possible_length, reverse=True))
    return {
        "cc": cc,
        "international": rf"^(?:\+|(?:{metadata.international_prefix})){cc}(?P<nsn>\d+)$",
        "national": rf"^{re.escape(prefix)}(?P<nsn>\d+)$",
        "plain": r"^(?P<nsn>\d+)$",
        "stripped_by_parser": f"^(?:{metadata.national_prefix_for_parsing or re.escape(prefix)})",
        "country_code_or_idd": rf"^(?:\+|{cc}|(?:{metadata.international_prefix}))",
        "valid": f"^(?:{fixed.national_number_pattern})$",
        "general": f"^(?:{metadata.general_desc.national_number_pattern})$",
        "length": f"^(?:{lengths})$",
    }


def _landlines_in_bulk(compact: pa.Array, region: str) -> pa.Array:
    """E.164 for fixed-line numbers of the region, the way libphonenumber parses them, in bulk:
    `+86 21 5555 1234` or `0086...` (the national number follows the country code, and nothing
    the parser would strip as a national prefix starts it), `021-5555 1234` (the parser strips
    exactly the national prefix), `2155551234` (nothing to strip, no country code). A number
    the rules do not settle is left to libphonenumber (null here)."""
    rules = _landline_rules(region)
    if rules is None:
        return pa.nulls(len(compact), pa.string())

    def matches(values, pattern):
        return pc.fill_null(pc.match_substring_regex(values, pattern), False)

    def nsn_of(pattern):
        return pc.struct_field(pc.extract_regex(compact, pattern=pattern), "nsn")

    international = nsn_of(rules["international"])
    international = pc.if_else(
        matches(international, rules["stripped_by_parser"]), pa.scalar(None, pa.string()), international
    )
    national = nsn_of(rules["national"])
    # the parser strips its own pattern's match: keep the number only if that is the prefix itself
    stripped = pc.replace_substring_regex(
        compact, pattern=rules["stripped_by_parser"], replacement="", max_replacements=1
    )
    national = pc.if_else(pc.fill_null(pc.equal(stripped, national), False), national, pa.scalar(None, pa.string()))
    plain = nsn_of(rules["plain"])
    plain = pc.if_else(
        pc.or_(matches(compact, rules["stripped_by_parser"]), matches(compact, rules["country_code_or_idd"])),
        pa.scalar(None, pa.string()),
        plain,
    )
    nsn = pc.coalesce(international, national, plain)
    valid = pc.and_(
        pc.and_(matches(nsn, rules["valid"]), matches(nsn, rules["general"])), matches(nsn, rules["length"])
    )
    return pc.if_else(
        valid, pc.binary_join_element_wise(pa.scalar(f"+{rules['cc']}"), nsn, ""), pa.scalar(None, pa.string())
    )


def e164_column(values: pa.ChunkedArray | pa.Array, region: str) -> pa.Array:
    """E.164 for a whole column. Mobile and fixed-line numbers of the default region written as
    digits and separators are checked in bulk against libphonenumber's metadata;
    everything else goes through libphonenumber's parser (~70 us a number), each distinct
    value once (callers call again and again), and the results are spread back."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    values = values.cast(pa.string())
    fast = pa.nulls(len(values), pa.string())
    if len(values):
        # the separators people type (libphonenumber ignores them too): "138 1234 5678", "021-5555 1234"
        compact = pc.replace_substring_regex(values, pattern=r"[ \-.()/]", replacement="")
        fast = pc.coalesce(_mobiles_in_bulk(compact, region), _landlines_in_bulk(compact, region))
    rest = pc.and_(pc.is_null(fast), pc.is_valid(values))
    distinct = pc.unique(pc.filter(values, rest))
    parsed = pa.array([to_e164(v, region) for v in distinct.to_pylist()], pa.string())
    slow = parsed.take(pc.index_in(values, value_set=distinct))
    return pc.coalesce(fast, slow)
