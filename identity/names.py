"""Comparable forms of names and e-mails.

People are written in characters in one system and in pinyin in another, family name first
or last, upper or lower case, full-width or half-width; companies with or without their
legal form (有限公司, Co., Ltd., GmbH). These keys make such spellings equal, or close enough
for a string distance, without pretending to understand the name. Pinyin comes from
pypinyin; the rest is Unicode normalisation (NFKC folds full-width forms)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from nicknames import NickNamer
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


def _one_edit_apart(a: str, b: str) -> bool:
    """One typo between two words: a letter changed, added, dropped, or two swapped. Written by
    hand: a bounded check on short words needs no distance library."""
    if a == b or abs(len(a) - len(b)) > 1:
        return a == b
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        return len(diff) == 1 or (
            len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = next((i for i, (x, y) in enumerate(zip(short, long, strict=False)) if x != y), len(short))
    return short[i:] == long[i + 1 :]


@lru_cache(maxsize=1)
def _nick_namer() -> NickNamer:
    return NickNamer()


@lru_cache(maxsize=200_000)
def _forms_of(word: str) -> frozenset[str]:
    """The word's nicknames and the names it is a nickname of (English given names, from the
    `nicknames` dataset; a word it does not know, in any language, has none), and a nickname of
    a nickname: the dataset lists Katie under Katy and Katy under Katherine, not Katie under
    Katherine. Two names that only share a nickname (Albert and Alfred, both Al) stay apart."""
    namer = _nick_namer()
    nicknames = set(namer.nicknames_of(word))
    canonicals = set(namer.canonicals_of(word))
    for nickname in list(nicknames):
        nicknames |= namer.nicknames_of(nickname)
    for canonical in list(canonicals):
        canonicals |= namer.canonicals_of(canonical)
    return frozenset(nicknames | canonicals)


def _tokens_may_match(a: str, b: str, cut_anywhere: bool = False) -> bool:
    """Two name words one person may have written: the same; an initial; one typo in a word of
    five letters or more; a word cut short (a field too narrow for it) by up to two letters, or
    by any number when `cut_anywhere` and five letters or more are left; or a nickname of the
    other (Liz, Beth and Betsy for Elizabeth)."""
    if a == b:
        return True
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    short, long = (a, b) if len(a) < len(b) else (b, a)
    if len(short) >= 3 and long.startswith(short) and (len(long) - len(short) <= 2 or cut_anywhere and len(short) >= 5):
        return True
    if len(short) >= 5 and _one_edit_apart(a, b):
        return True
    return b in _forms_of(a) or a in _forms_of(b)


@lru_cache(maxsize=1_000_000)
def names_may_be_one_person(a: str, b: str) -> bool:
    """Whether two name keys (person_name_key) may be one person's: every word of the name with
    fewer words finds a word of its own in the other (the same, its initial, one typo, cut
    short), and at least one of those is more than an initial. Word order does not matter and
    extra words on the longer side (a middle name, a note written before the name) do not count
    against it; a different given name does. So "J. Smith", "SMITH, John", "John Smit" and
    "Attn John Smith" may be John Smith; Jane Smith may not.

    A word may be cut short by any number of letters (five or more left) when another word is
    written in full: a caller-ID name has 15 characters, so "PATRICIA LINDQV" and "LINDQVIST
    PATRI" are Patricia Lindqvist as the carrier delivered her."""
    if a == b:
        return True
    left, right = a.split(), b.split()
    fewer, more = (left, right) if len(left) <= len(right) else (right, left)
    free = list(more)
    unmatched, full = [], False
    for word in fewer:  # the words written the same first
        if word in free:
            free.remove(word)
            full = full or len(word) > 1
        else:
            unmatched.append(word)
    # then the fullest words, so an initial does not take the word a full word needs
    for word in sorted(unmatched, key=len, reverse=True):
        match = next((w for w in free if _tokens_may_match(word, w, cut_anywhere=full)), None)
        if match is None:
            return False
        free.remove(match)
        full = full or (len(word) > 1 and len(match) > 1)
    return full


# a number carrying more people's names than this is a switchboard, no one person's whatever
# the variants: judging them would compare every pair of its names (a firm's main line carries
# hundreds at a million customers)
MOST_PEOPLE_TO_JUDGE_VARIANTS = 10


@dataclass(frozen=True)
class NameOnIdentifier:
    """What the records carrying one name on one phone number or e-mail address say of it."""

    on_crm_contact: bool = False  # a CRM contact gives this identifier under this name
    crm_contact_name: bool = False  # a CRM contact somewhere is called so: a person the CRM knows
    # every phone number and personal e-mail address records of this name carry, anywhere
    identifiers: frozenset[str] = frozenset()


def people_among(names: list[str], evidence: list[NameOnIdentifier] | None = None) -> list[int]:
    """The names (keys) carried by one phone number or e-mail address, grouped into the people
    they may be: each name, fullest first, joins the first group whose first name it may be,
    else starts a group. Returns the group of each name (in the order given), -1 for a name that
    may be more than one group's person (an initial two people share).

    With `evidence` (per name), a person may also go by another given name (a middle name, an
    anglicised one) or a typo too short to judge by its letters (Seaan for Sean): a group that
    no CRM contact gives this identifier under, whose name no CRM contact has, with no number or
    address of its own, and whose name is one word apart from exactly one other group's ("Ray
    Nowak" on the number of the contact Richard Nowak), is that group's person. Two people on
    one identifier are then two CRM contacts, a person the CRM knows by that other name, a name
    with a number or mailbox of its own, or two names more than a word apart."""
    order = sorted(range(len(names)), key=lambda i: (-len(names[i].replace(" ", "")), -len(names[i]), names[i]))
    heads: list[str] = []
    groups = [-1] * len(names)
    for i in order:
        fits = [g for g, head in enumerate(heads) if names_may_be_one_person(names[i], head)]
        if not fits:
            heads.append(names[i])
            groups[i] = len(heads) - 1
        elif len(fits) == 1:
            groups[i] = fits[0]
    if evidence is not None and 1 < len(heads) <= MOST_PEOPLE_TO_JUDGE_VARIANTS:
        groups = _fold_other_given_names(names, groups, evidence)
    return groups


def _one_word_apart(a: str, b: str) -> bool:
    """Two names of as many words (two or more) that match word for word but one, which differs
    whole on both sides: "nowak ray" and "nowak richard", not "attn carter thomas" and "attn
    daniel smith"."""
    left, right = a.split(), b.split()
    if len(left) != len(right) or len(left) < 2:
        return False
    free = list(right)
    unmatched = []
    for word in sorted(left, key=len, reverse=True):
        match = next((w for w in free if _tokens_may_match(word, w)), None)
        if match is None:
            unmatched.append(word)
        else:
            free.remove(match)
    return len(unmatched) == 1 and len(unmatched[0]) > 1 and len(free[0]) > 1


def _fold_other_given_names(names: list[str], groups: list[int], evidence: list[NameOnIdentifier]) -> list[int]:
    members: dict[int, list[int]] = {}
    for i, group in enumerate(groups):
        if group >= 0:
            members.setdefault(group, []).append(i)
    identifiers = {g: frozenset().union(*(evidence[i].identifiers for i in rows)) for g, rows in members.items()}
    known = {
        g
        for g, rows in members.items()
        if any(evidence[i].on_crm_contact or evidence[i].crm_contact_name for i in rows)
    }
    into: dict[int, int] = {}
    # the variants seen on fewest names first: a name on one record joins the person seen on many.
    # No chains: a group that took a variant in gives itself to nobody, and one given to another
    # takes nobody in ("Ray Kowal" is no variant of Richard Nowak through "Ray Nowak")
    took_in: set[int] = set()
    for group in sorted(set(members) - known, key=lambda g: (len(members[g]), g)):
        if group in took_in:
            continue
        partners = {
            other
            for other in members
            if other != group
            and other not in into
            and any(_one_word_apart(names[i], names[j]) for i in members[group] for j in members[other])
        }
        if len(partners) == 1:
            partner = partners.pop()
            if identifiers[group] <= identifiers[partner]:
                into[group] = partner
                took_in.add(partner)
    return [into.get(g, g) for g in groups]
