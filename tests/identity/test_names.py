from identity.names import company_name_key, is_placeholder_email, normalise_email, person_name_key


def test_a_chinese_name_and_its_pinyin_in_any_order_and_case_give_one_key():
    spellings = ["张伟芳", "Weifang Zhang", "ZHANG WEIFANG", "Zhang Weifang", "Ｚｈａｎｇ Ｗｅｉｆａｎｇ"]
    assert {person_name_key(s) for s in spellings} == {"weifang zhang"}


def test_a_compound_family_name_stays_one_token():
    assert person_name_key("欧阳娜娜") == person_name_key("Nana Ouyang") == "nana ouyang"


def test_different_people_keep_different_keys():
    assert person_name_key("张伟") != person_name_key("王伟")
    assert person_name_key(None) is None and person_name_key("") is None


def test_legal_forms_full_width_letters_and_characters_are_normalised():
    assert company_name_key("南京方博能源有限公司") == "nanjingfangbonengyuan"
    assert company_name_key("Nanjing Fangbo Energy Co., Ltd.") == company_name_key("Nanjing Fangbo Energy Co. Ltd")
    assert company_name_key("Nanjing Fangbo Energy Limited") == "nanjingfangboenergy"
    assert company_name_key("Hamburg Weber GmbH") == company_name_key("ＨＡＭＢＵＲＧ WEBER") == "hamburgweber"
    assert company_name_key("华腾股份有限公司") == "huateng"


def test_emails_are_compared_lower_case_and_shared_mailboxes_are_known():
    assert normalise_email("  Wei.Zhang@Example.COM ") == "wei.zhang@example.com"
    assert normalise_email("not an address") is None
    assert is_placeholder_email("noreply@example.com") and is_placeholder_email("info@example.com")
    assert not is_placeholder_email("wei.zhang@example.com")


def test_spellings_of_one_person_may_be_one_person_and_other_people_may_not():
    from identity.names import names_may_be_one_person

    def may_be(a: str, b: str) -> bool:
        return names_may_be_one_person(person_name_key(a), person_name_key(b))

    for one, other in [
        ("J. Smith", "John Smith"),  # an initial
        ("SMITH, John", "John Smith"),  # the order of the words
        ("John Smit", "John Smith"),  # cut short by a narrow field
        ("Attn John Smith", "John Smith"),  # a note before the name
        ("Jonathan Smiht", "Jonathan Smith"),  # one typo in a long word
        ("Liz Taylor", "Elizabeth Taylor"),  # a nickname
        # a caller-ID name has 15 characters: a word cut by any number of letters, the other whole
        ("PATRICIA LINDQV", "Patricia Lindqvist"),
        ("LINDQVIST PATRI", "Patricia Lindqvist"),
        ("Katie Rodriguez", "Katherine Rodriguez"),  # a nickname of a nickname (Katie of Katy of Katherine)
    ]:
        assert may_be(one, other), (one, other)
    for one, other in [
        ("Jane Smith", "John Smith"),  # another given name
        ("Mark Smith", "Mary Smith"),  # one letter apart, in a short word: two people of a household
        ("Jose Ruiz", "Josephine Ruiz"),  # a short word is no name cut short of a long one
        ("Patri Lindq", "Patricia Lindqvist"),  # both words cut: nothing written in full
        ("J. Smith", "Jane Jones"),
        ("Albert Smith", "Alfred Smith"),  # two names that only share a nickname (Al)
        ("WASHINGTON PATR", "Patricia Washington"),  # four letters left may be another name (Jose)
    ]:
        assert not may_be(one, other), (one, other)


def test_another_given_name_on_a_persons_number_is_that_person_unless_something_says_otherwise():
    from identity.names import NameOnIdentifier, people_among

    def people(*names_and_evidence):
        names = [person_name_key(name) for name, _ in names_and_evidence]
        return people_among(names, [evidence for _, evidence in names_and_evidence])

    mobile = "phone:+13145553403"
    contact = NameOnIdentifier(on_crm_contact=True, crm_contact_name=True, identifiers=frozenset({mobile}))
    delivery = NameOnIdentifier(identifiers=frozenset({mobile}))
    # a middle name in the logistics system, on the mobile of the contact: one person
    assert len(set(people(("Richard Nowak", contact), ("Ray Nowak", delivery)))) == 1
    # ... and not without the evidence: names alone are two people
    assert len(set(people_among([person_name_key("Richard Nowak"), person_name_key("Ray Nowak")]))) == 2
    # two CRM contacts are two people
    assert len(set(people(("Richard Nowak", contact), ("Ray Nowak", contact)))) == 2
    # a name the CRM knows as a contact of its own is that contact, not a variant
    known = NameOnIdentifier(crm_contact_name=True, identifiers=frozenset({mobile}))
    assert len(set(people(("Priya Perez", contact), ("Susan Perez", known)))) == 2
    # a name with a mailbox or number of its own is somebody else
    own = NameOnIdentifier(identifiers=frozenset({mobile, "email:ataylor@example.com"}))
    assert len(set(people(("Elizabeth Taylor", contact), ("Aisha Taylor", own)))) == 2
    # two words apart is somebody else; so is a name one word apart from two people
    assert len(set(people(("Daniel Smith", contact), ("Attn Thomas Carter", delivery)))) == 2
    assert len(set(people(("Ann Lee", contact), ("Tom Lee", contact), ("Ray Lee", delivery)))) == 3
    # no chains: Ray Kowal is one word from Ray Nowak, two from Richard Nowak
    chained = people(("Richard Nowak", contact), ("Ray Nowak", delivery), ("Ray Kowal", delivery))
    assert chained[2] != chained[0], chained


def test_variants_are_not_judged_on_a_line_with_many_peoples_names():
    from identity.names import MOST_PEOPLE_TO_JUDGE_VARIANTS, NameOnIdentifier, people_among

    line = "phone:+13125550100"
    given = ["Anna", "Boris", "Chen", "Dolores", "Emeka", "Farida", "Gustav", "Hiroshi", "Ines", "Jamal", "Kirsi"]
    family = [
        "Abbott",
        "Brandt",
        "Castro",
        "Dubois",
        "Eriksen",
        "Fontaine",
        "Grasso",
        "Haddad",
        "Ivanova",
        "Jansen",
        "Kowal",
    ]
    staff = [f"{g} {f}" for g, f in zip(given, family, strict=True)][:MOST_PEOPLE_TO_JUDGE_VARIANTS]
    names = [person_name_key(n) for n in [*staff, "Ray Nowak", "Richard Nowak"]]
    evidence = [NameOnIdentifier(on_crm_contact=True, crm_contact_name=True, identifiers=frozenset({line}))] * len(
        staff
    ) + [NameOnIdentifier(identifiers=frozenset({line})), NameOnIdentifier(True, True, frozenset({line}))]
    groups = people_among(names, evidence)
    assert groups[-1] != groups[-2], "a switchboard's Ray and Richard Nowak stay two names"
    assert len(set(people_among(names[-2:], evidence[-2:]))) == 1, "on a person's own number they are one"
