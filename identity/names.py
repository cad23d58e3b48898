"""Comparable forms of names and e-mails.

People are written in characters in one system and in pinyin in another, family name first
or last, upper or lower case, full-width or half-width; companies with or without their
legal form (有限公司, Co., Ltd., GmbH). These keys make such spellings equal, or close enough
for a string distance, without pretending to understand the name. Pinyin comes from
pypinyin; the rest is Unicode normalisation (NFKC folds full-width forms)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_NON_LETTERS = re.compile(r"[^a-z]+")
# two-character family names; everything else takes the first character as the family name
_COMPOUND_SURNAMES = {"欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "夏侯", "令狐", "司徒"}
_SALUTATIONS = {"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "madam"}

# legal forms, longest first so "股份有限公司" goes before "有限公司" and "co ltd" before "ltd"
_LEGAL_FORMS_HAN = ["股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "集团", "公司"]
_LEGAL_FORMS_LATIN = [
    "co ltd",
    "company limited",
    "pte ltd",
    "limited",
    "ltd",
    "gmbh",
    "inc",
    "llc",
    "corp",
    "corporation",
    "company",
    "co",
    "ag",
    "plc",
]

# mailboxes no single person owns: never evidence that two records are one person
PLACEHOLDER_MAILBOXES = {
    "noreply",
    "no-reply",
    "donotreply",
    "do-not-reply",
    "info",
    "admin",
    "sales",
    "support",
    "service",
    "office",
    "contact",
    "test",
    "none",
    "unknown",
}


def _ascii_letters(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@lru_cache(maxsize=1_000_000)
def person_name_key(name: str | None) -> str | None:
    """Lower-case pinyin/Latin tokens in sorted order: 张伟芳, "Weifang Zhang", "ZHANG WEIFANG"
    and "Zhang Weifang" all give "weifang zhang". A Chinese given name becomes one token,
    as it is written in pinyin."""
    if not isinstance(name, str) or not name:
        return None
    text = unicodedata.normalize("NFKC", name).strip()
    han = "".join(_HAN.findall(text))
    if len(han) >= 2:
        family_len = 2 if han[:2] in _COMPOUND_SURNAMES and len(han) > 2 else 1
        tokens = [
            "".join(lazy_pinyin(han[:family_len], style=Style.NORMAL)),
            "".join(lazy_pinyin(han[family_len:], style=Style.NORMAL)),
        ]
    else:
        tokens = [t for t in _NON_LETTERS.split(_ascii_letters(text)) if t and t not in _SALUTATIONS]
    tokens = [t for t in tokens if t]
    return " ".join(sorted(tokens)) or None


@lru_cache(maxsize=1_000_000)
def company_name_key(name: str | None) -> str | None:
    """Letters only, legal form removed, characters as pinyin: 南京方博能源有限公司 →
    "nanjingfangbonengyuan"; "Hamburg Weber GmbH" and "ＨＡＭＢＵＲＧ WEBER" → "hamburgweber"."""
    if not isinstance(name, str) or not name:
        return None
    text = unicodedata.normalize("NFKC", name).strip().lower()
    for form in _LEGAL_FORMS_HAN:
        if text.endswith(form):
            text = text[: -len(form)]
            break
    if _HAN.search(text):
        text = "".join(lazy_pinyin(text, style=Style.NORMAL))
    words = [w for w in _NON_LETTERS.split(_ascii_letters(text)) if w]
    while words and " ".join(words[-2:]) in _LEGAL_FORMS_LATIN:
        words = words[:-2]
    while words and words[-1] in _LEGAL_FORMS_LATIN:
        words = words[:-1]
    return "".join(words) or None


def normalise_email(email: str | None) -> str | None:
    if not isinstance(email, str) or not email:
        return None
    email = unicodedata.normalize("NFKC", email).strip().lower()
    return email if "@" in email else None


def is_placeholder_email(email: str | None) -> bool:
    return isinstance(email, str) and email.split("@", 1)[0] in PLACEHOLDER_MAILBOXES


@lru_cache(maxsize=1_000_000)
def address_key(address: str | None) -> str | None:
    """Letters and digits only, lower case, full-width folded: "科技园路12号" and
    "科技园路 12 号" are one address; characters stay characters (no pinyin: street names are
    not spelled across systems, only spaced and punctuated differently)."""
    if not isinstance(address, str) or not address:
        return None
    text = unicodedata.normalize("NFKC", address).lower()
    return "".join(c for c in text if c.isalnum()) or None
