"""The `cn` demo company: Quntex Networks, a network-equipment supplier in Shanghai
(Asia/Shanghai, Chinese public holidays and their make-up working days), whose customers are
Chinese companies and people written in characters and in pinyin, with a few abroad; its
warehouse exports GB18030.

Every hook draws from the random generator exactly as the company always has: the same
arguments give the same bytes as before there were profiles.
"""

from __future__ import annotations

import random

from demo.company import CustomerFactory, Organization, Person
from demo.profiles import Profile

SURNAMES = [
    ("张", "Zhang"),
    ("王", "Wang"),
    ("李", "Li"),
    ("刘", "Liu"),
    ("陈", "Chen"),
    ("杨", "Yang"),
    ("黄", "Huang"),
    ("赵", "Zhao"),
    ("吴", "Wu"),
    ("周", "Zhou"),
    ("徐", "Xu"),
    ("孙", "Sun"),
    ("马", "Ma"),
    ("朱", "Zhu"),
    ("胡", "Hu"),
    ("郭", "Guo"),
    ("何", "He"),
    ("高", "Gao"),
    ("林", "Lin"),
    ("罗", "Luo"),
    ("郑", "Zheng"),
    ("梁", "Liang"),
    ("谢", "Xie"),
    ("宋", "Song"),
    ("唐", "Tang"),
]
GIVEN_CHARS = [
    ("伟", "wei"),
    ("芳", "fang"),
    ("娜", "na"),
    ("敏", "min"),
    ("静", "jing"),
    ("丽", "li"),
    ("强", "qiang"),
    ("磊", "lei"),
    ("军", "jun"),
    ("洋", "yang"),
    ("勇", "yong"),
    ("艳", "yan"),
    ("杰", "jie"),
    ("涛", "tao"),
    ("明", "ming"),
    ("超", "chao"),
    ("秀", "xiu"),
    ("霞", "xia"),
    ("平", "ping"),
    ("刚", "gang"),
    ("桂", "gui"),
    ("英", "ying"),
    ("华", "hua"),
    ("文", "wen"),
    ("建", "jian"),
    ("国", "guo"),
    ("海", "hai"),
    ("晓", "xiao"),
    ("玉", "yu"),
    ("兰", "lan"),
    ("志", "zhi"),
    ("春", "chun"),
    ("峰", "feng"),
    ("宇", "yu"),
    ("鹏", "peng"),
]
WESTERN_FIRST = [
    "Anna",
    "Lukas",
    "Sophie",
    "Daniel",
    "Priya",
    "Marcus",
    "Elena",
    "Tom",
    "Grace",
    "Ravi",
    "Julia",
    "Felix",
    "Hannah",
    "Kevin",
    "Mei",
    "Arjun",
]
WESTERN_LAST = [
    "Schmidt",
    "Tan",
    "Miller",
    "Lim",
    "Weber",
    "Ng",
    "Fischer",
    "Johnson",
    "Wong",
    "Becker",
    "Lee",
    "Novak",
    "Koch",
    "Garcia",
    "Kumar",
    "Brown",
]

BRAND_CHARS = [
    ("华", "Hua"),
    ("腾", "teng"),
    ("中", "Zhong"),
    ("科", "ke"),
    ("新", "Xin"),
    ("创", "chuang"),
    ("恒", "Heng"),
    ("达", "da"),
    ("天", "Tian"),
    ("宇", "yu"),
    ("金", "Jin"),
    ("盛", "sheng"),
    ("博", "Bo"),
    ("远", "yuan"),
    ("鼎", "Ding"),
    ("信", "xin"),
    ("瑞", "Rui"),
    ("丰", "feng"),
    ("安", "An"),
    ("泰", "tai"),
    ("海", "Hai"),
    ("纳", "na"),
    ("联", "Lian"),
    ("智", "zhi"),
    ("云", "yun"),
    ("宏", "Hong"),
    ("图", "tu"),
    ("东", "Dong"),
    ("方", "fang"),
    ("龙", "Long"),
]
# (characters, English, Salesforce Industry picklist value)
INDUSTRIES = [
    ("信息技术", "Information Technology", "Technology"),
    ("网络科技", "Network Technology", "Technology"),
    ("数据服务", "Data Services", "Technology"),
    ("电子商务", "E-Commerce", "Retail"),
    ("医疗器械", "Medical Equipment", "Healthcare"),
    ("物流", "Logistics", "Transportation"),
    ("制造", "Manufacturing", "Manufacturing"),
    ("能源", "Energy", "Energy"),
    ("教育科技", "Education Technology", "Education"),
    ("金融服务", "Financial Services", "Finance"),
]
# (characters, pinyin, country, national area code or None for mobile-only countries)
CITIES_CN = [
    ("北京", "Beijing", "10"),
    ("上海", "Shanghai", "21"),
    ("广州", "Guangzhou", "20"),
    ("深圳", "Shenzhen", "755"),
    ("杭州", "Hangzhou", "571"),
    ("南京", "Nanjing", "25"),
    ("成都", "Chengdu", "28"),
    ("武汉", "Wuhan", "27"),
    ("西安", "Xi'an", "29"),
    ("苏州", "Suzhou", "512"),
]
CITIES_ABROAD = [
    # (city, country, E.164 prefix, digits after the prefix, legal suffix)
    ("Singapore", "Singapore", "+656", 7, "Pte. Ltd."),
    ("Hamburg", "Germany", "+4940", 8, "GmbH"),
    ("San Jose", "United States", "+1408", 7, "Inc."),
]
STREETS_CN = ["中山路", "人民路", "建设路", "解放路", "科技园路", "创业大道", "滨江大道", "长江路"]
MOBILE_PREFIXES = [
    "134",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "157",
    "158",
    "159",
    "182",
    "183",
    "187",
    "188",
    "130",
    "131",
    "132",
    "155",
    "156",
    "186",
    "133",
    "153",
    "180",
    "189",
]
EN_SUFFIX_VARIANTS = ["Co., Ltd.", "Co. Ltd", "Ltd", "Limited"]


def mobile_number(rng: random.Random) -> str:
    """A Chinese mobile number in E.164."""
    return "+86" + rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def landline_number(rng: random.Random, area_code: str) -> str:
    """A fixed line of one of the big cities: eight digits after the area code (libphonenumber
    rejects seven there), starting 5–7 (8 would often be a service number)."""
    first = str(rng.randint(5, 7))
    rest = "".join(str(rng.randrange(10)) for _ in range(7))
    return "+86" + area_code + first + rest


def phone_as_dialled(rng: random.Random, e164: str) -> str:
    """How a number shows up in a system typed by people or delivered by a carrier:
    with or without the country code, with trunk prefix 0, with separators."""
    if not e164.startswith("+86"):
        national = e164
        return rng.choice([national, national.replace("+", "00"), national[:3] + " " + national[3:]])
    national = e164[3:]
    is_mobile = national.startswith("1") and len(national) == 11
    choices = [national, "+86" + national, "86" + national, "+86 " + national]
    if is_mobile:
        choices += [f"{national[:3]}-{national[3:7]}-{national[7:]}", f"{national[:3]} {national[3:7]} {national[7:]}"]
    else:
        area = national[:2] if national[:2] in ("10", "20", "21", "25", "27", "28", "29") else national[:3]
        choices += ["0" + national, f"0{area}-{national[len(area) :]}", f"(0{area}) {national[len(area) :]}"]
    return rng.choice(choices)


def caller_id(rng: random.Random, e164: str) -> str:
    """The `src` a carrier delivers: digits only, with or without country code or trunk 0."""
    if not e164.startswith("+86"):
        return e164.replace("+", "00")
    national = e164[3:]
    is_mobile = national.startswith("1") and len(national) == 11
    if is_mobile:
        return rng.choice([national, national, "86" + national, "+86" + national])
    return rng.choice(["0" + national, "0" + national, national, "86" + national])


def registration_number(rng: random.Random) -> str:
    """A unified social credit code: 18 characters."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    return "91" + "".join(rng.choice(alphabet) for _ in range(16))


# (ProductCode, Name, Family, UnitPrice, needs installation)
PRODUCTS = [
    ("QS-5000", "QS-5000 Disk Array 48TB", "Storage", 182000, True),
    ("QS-5100", "QS-5100 Disk Array 96TB", "Storage", 265000, True),
    ("QS-7000", "QS-7000 Disk Array 192TB", "Storage", 418000, True),
    ("QS-9000", "QS-9000 All-Flash Array", "Storage", 560000, True),
    ("QX-R540", "QX-R540 Rack Server", "Servers", 68000, True),
    ("QX-R740", "QX-R740 Rack Server", "Servers", 96000, True),
    ("QX-T340", "QX-T340 Tower Server", "Servers", 32000, False),
    ("QF-200", "QF-200 Firewall", "Security", 24000, False),
    ("QF-800", "QF-800 Next-Gen Firewall", "Security", 88000, True),
    ("QN-24", "QN-24 Access Switch", "Networking", 9800, False),
    ("QN-48", "QN-48 Access Switch", "Networking", 16800, False),
    ("QN-C9", "QN-C9 Core Switch", "Networking", 138000, True),
    ("SV-3Y", "3-Year Support Contract", "Services", 36000, False),
]
SIBLING_MODEL = {
    "QS-5000": "QS-5100",
    "QS-5100": "QS-5000",
    "QS-7000": "QS-5100",
    "QS-9000": "QS-7000",
    "QX-R540": "QX-R740",
    "QX-R740": "QX-R540",
    "QX-T340": "QX-R540",
    "QF-200": "QF-800",
    "QF-800": "QF-200",
    "QN-24": "QN-48",
    "QN-48": "QN-24",
    "QN-C9": "QN-48",
}
CARRIERS = [("SF Express", "SF"), ("JD Logistics", "JDL"), ("ZTO Express", "ZTO")]
TITLES = [
    "IT Manager",
    "CIO",
    "Procurement Manager",
    "Network Engineer",
    "Operations Director",
    "System Administrator",
    "CEO",
    "Finance Manager",
]


def _org_name(rng: random.Random, used: set[str]) -> tuple[str, str, str]:
    """(brand characters, brand pinyin, slug), unique so distinct companies stay distinct;
    two-character brands first, longer ones as the shorter run short (30 characters give
    870 two-character brands, 24,360 of three, 657,720 of four, 17 million of five)."""
    for attempt in range(200):
        parts = rng.sample(BRAND_CHARS, 2 if attempt < 20 else 3 if attempt < 60 else 4 if attempt < 120 else 5)
        brand_zh = "".join(p[0] for p in parts)
        if brand_zh not in used:
            used.add(brand_zh)
            brand_py = "".join(p[1] for p in parts).capitalize()
            return brand_zh, brand_py, brand_py.lower()
    raise RuntimeError("demo: ran out of company names; add characters to BRAND_CHARS")


def _person(rng, person_id, city, country, domain, desk_phone, abroad) -> Person:
    if abroad:
        given, family = rng.choice(WESTERN_FIRST), rng.choice(WESTERN_LAST)
        family_zh = given_zh = None
        local = f"{given}.{family}".lower()
        mobile = (
            "+659" + f"{rng.randrange(9)}{rng.randrange(10**6):06d}"  # 99xx xxxx is not allocated
            if country == "Singapore"
            else (
                "+49151" + f"{rng.randrange(10**8):08d}"
                if country == "Germany"
                else "+1408" + f"{rng.randrange(2, 10)}{rng.randrange(10**6):06d}"
            )
        )
    else:
        family_zh, family = rng.choice(SURNAMES)
        chars = rng.sample(GIVEN_CHARS, rng.choice([1, 2, 2]))
        given_zh = "".join(c[0] for c in chars)
        given = "".join(c[1] for c in chars).capitalize()
        local = rng.choice([f"{given}.{family}", f"{family}{given}", f"{given[0]}{family}"]).lower()
        mobile = mobile_number(rng)
    title = rng.choice(TITLES)
    return Person(
        person_id, family_zh, given_zh, family, given, f"{local}@{domain}", mobile, desk_phone, title, city, country
    )


class ChinaProfile(Profile):
    key = "cn"
    company_name = "Quntex Networks"
    company_domain = "quntex.com"
    time_zone = "Asia/Shanghai"
    calendar_country = "CN"
    phone_region = "CN"
    working_hours = (9, 18)
    logistics_encoding = "gb18030"  # Chinese warehouse systems export GB18030; the connector must honour it
    hotline = "4008208820"
    desk_time_zone = "Beijing"
    desk_locale = "zh-cn"
    products = PRODUCTS
    bulk_families = frozenset({"Networking"})
    sibling_model = SIBLING_MODEL
    carriers = CARRIERS
    warehouse_location = "苏州"
    task_subjects = {
        "Call": "Account check-in call",
        "Email": "Quarterly update",
        "Meeting": "Capacity planning meeting",
        "Visit": "On-site visit",
    }
    words = {
        "wrong_item_subject": "Wrong model delivered",
        "wrong_item_text": "We ordered {product} but received a different model.",
        "late_subject": "Delivery was late",
        "late_text": "The shipment arrived days after the promised date.",
        "installation_subject": "Installation overdue",
        "installation_text": "The installation promised within 15 working days has not happened.",
        "claim_text": " We claim compensation for the delay and the extra cost.",
        "picked_up": "Shipped from Suzhou warehouse",
        "in_transit": "In transit",
        "out_for_delivery": "Out for delivery",
        "delivered": "Delivered",
        "agent_reply": "We are looking into it and will come back to you.",
        "customer_reply": "The problem is back.",
    }

    # ---------- customers ----------
    def new_organization(self, factory: CustomerFactory) -> Organization:
        """85 % of customers; 5 % of them abroad; a few brands twice, in different cities."""
        rng = factory.rng
        factory.org_no += 1
        abroad = rng.random() < 0.05
        industry_zh, industry_en, industry = rng.choice(INDUSTRIES)
        if abroad:
            city, country, prefix, digits, suffix = rng.choice(CITIES_ABROAD)
            brand_zh, brand_py, slug = _org_name(rng, factory.used_names)
            name_zh = None
            name_en = f"{brand_py} {industry_en} {suffix}"
            # a subscriber number never starts with 0 or 1 (libphonenumber rejects those)
            switchboard = prefix + f"{rng.randrange(2 * 10 ** (digits - 1), 10**digits)}"
            city_latin, street, postal = city, f"{rng.randint(1, 200)} Harbour Road", f"{rng.randint(10000, 99999)}"
            tld = {"Singapore": "sg", "Germany": "de", "United States": "com"}[country]
        else:
            city, city_latin, area = rng.choice(CITIES_CN)
            country = "China"
            # Some brands exist twice in different cities: same name, different company.
            if factory.twins and rng.random() < 0.03:
                brand_zh, brand_py, slug, twin_city = factory.twins.pop()
                if twin_city == city:
                    city, city_latin, area = next(c for c in CITIES_CN if c[0] != twin_city)
            else:
                brand_zh, brand_py, slug = _org_name(rng, factory.used_names)
                factory.twins.append((brand_zh, brand_py, slug, city))
            name_zh = f"{city}{brand_zh}{industry_zh}有限公司"
            name_en = f"{city_latin} {brand_py} {industry_en} Co., Ltd."
            switchboard = landline_number(rng, area)
            street = f"{rng.choice(STREETS_CN)}{rng.randint(1, 999)}号"
            postal = f"{rng.randint(100000, 799999)}"
            tld = "com.cn"
        domain = f"{slug}{factory.org_no}.{tld}"
        org = Organization(
            organization_id=f"O{factory.org_no:06d}",
            name_native=name_zh,
            name_latin=name_en,
            city=city,
            city_latin=city_latin,
            country=country,
            industry=industry,
            registration_number=(registration_number(rng) if not abroad and rng.random() < 0.7 else None),
            switchboard=switchboard,
            domain=domain,
            street=street,
            postal_code=postal,
            employees=rng.choice([20, 50, 120, 300, 800, 2500, 10000]),
        )
        for _ in range(rng.choice([1, 2, 2, 3, 3, 4])):
            desk = switchboard if rng.random() < 0.5 else None
            p = _person(rng, factory.next_person_id(), city, country, domain, desk, abroad)
            factory.make_email_unique(p)
            p.organization = org
            org.people.append(p)
        return org

    def new_individual(self, factory: CustomerFactory) -> Person:
        rng = factory.rng
        person_id = factory.next_person_id()
        city, city_latin, _ = rng.choice(CITIES_CN)
        mail = rng.choice(["163.com", "qq.com", "126.com", "sina.com"])
        p = _person(rng, person_id, city, "China", mail, None, False)
        factory.make_email_unique(p)
        return p

    def unconverted_lead_person(self, rng: random.Random, number: int) -> Person:
        family_zh, family = rng.choice(SURNAMES)
        given_zh, given = rng.choice(GIVEN_CHARS)
        return Person(
            f"L{number:06d}",
            family_zh,
            given_zh,
            family,
            given.capitalize(),
            f"{given}{family}{rng.randint(100, 999)}@qq.com".lower(),
            mobile_number(rng),
            None,
            "",
            "",
            "China",
        )

    def unconverted_lead_fields(self, rng: random.Random, person: Person) -> dict:
        return dict(
            FirstName=person.given_native,
            LastName=person.family_native,
            Company=f"{rng.choice(CITIES_CN)[0]}{rng.choice(BRAND_CHARS)[0]}科技",
        )

    def staff_user(self, rng: random.Random, number: int) -> tuple[str, str]:
        family_zh, family = rng.choice(SURNAMES)
        given_zh, given = rng.choice(GIVEN_CHARS)
        return f"{family_zh}{given_zh}", f"{given}.{family}{number}@quntex.com".lower()

    # ---------- numbers ----------
    def phone_as_dialled(self, rng: random.Random, e164: str) -> str:
        return phone_as_dialled(rng, e164)

    def caller_id(self, rng: random.Random, e164: str) -> str:
        return caller_id(rng, e164)

    def unknown_caller_number(self, rng: random.Random) -> str:
        return mobile_number(rng)

    # ---------- names ----------
    def account_name(self, rng: random.Random, org: Organization) -> str:
        return org.name_native if org.name_native and rng.random() < 0.9 else org.name_latin

    def street(self, rng: random.Random, person: Person) -> str:
        return f"{rng.choice(STREETS_CN)}{rng.randint(1, 999)}号"

    def postal_code(self, rng: random.Random, person: Person) -> str:
        return f"{rng.randint(100000, 799999)}"

    def contact_name(self, rng: random.Random, person: Person) -> tuple[str, str]:
        if person.family_native and rng.random() < 0.8:
            return person.given_native, person.family_native
        return person.given_latin, person.family_latin

    def contact_details(self, rng: random.Random, person: Person) -> dict:
        return dict(
            Salutation=rng.choice(["Mr.", "Ms.", None]),
            Title=person.title,
            Email=person.email if rng.random() < 0.9 else None,
            Phone=phone_as_dialled(rng, person.desk_phone) if person.desk_phone else None,
            MobilePhone=phone_as_dialled(rng, person.mobile) if rng.random() < 0.85 else None,
            MailingStreet=None,
            MailingCity=person.city,
            MailingState=None,
            MailingPostalCode=None,
            MailingCountry=person.country,
            Birthdate=None,
            HasOptedOutOfEmail=int(rng.random() < 0.05),
            DoNotCall=int(rng.random() < 0.03),
        )

    def recipient_name(self, rng: random.Random, person: Person) -> str:
        if rng.random() < 0.8:
            return person.name_native
        return rng.choice([person.name_latin, f"{person.family_latin} {person.given_latin}"])

    def site_name(self, rng: random.Random, org: Organization) -> str:
        if org.name_native and rng.random() < 0.6:
            return org.name_native
        return org.name_latin.replace("Co., Ltd.", rng.choice(EN_SUFFIX_VARIANTS))

    def site_address(self, org: Organization) -> str:
        return f"{org.city}{org.street}" if org.name_native else org.street

    def site_contact_name(self, rng: random.Random, person: Person) -> str:
        return person.name_native if rng.random() < 0.7 else person.name_latin

    def desk_org_name(self, rng: random.Random, org: Organization) -> str:
        return rng.choice(
            [
                org.name_latin,
                org.name_native or org.name_latin,
                org.name_latin.replace("Co., Ltd.", rng.choice(EN_SUFFIX_VARIANTS)),
            ]
        )

    def desk_user_name(self, rng: random.Random, person: Person) -> str:
        if person.family_native:
            return rng.choice(
                [
                    f"{person.family_latin} {person.given_latin}",
                    f"{person.given_latin} {person.family_latin}",
                    person.family_native + person.given_native,
                    f"{person.given_latin} {person.family_latin}".upper(),
                ]
            )
        return person.name_latin

    # ---------- words ----------
    def question(self, rng: random.Random) -> tuple[str, str]:
        return "How to configure RAID levels", "Please advise how to configure the array."

    def rating_comment(self, rng: random.Random, bad: bool) -> str:
        if bad:
            return rng.choice(["Too slow.", "Nobody called me back.", "Problem not solved."])
        return rng.choice(["Thanks!", "Quick and helpful.", ""])

    def follow_up_subject(self, rng: random.Random) -> str:
        return "Follow-up on support rating"


PROFILE = ChinaProfile
