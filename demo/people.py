"""Names, companies, phones and e-mails of the demo company's customers, with the variants
each source system introduces (pinyin vs characters, name order, typos, phone formats)."""

from __future__ import annotations

import random

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


def typo(rng: random.Random, text: str) -> str:
    """One keyboard slip: a swapped pair, a dropped or a doubled letter."""
    letters = [i for i, c in enumerate(text) if c.isalpha()]
    if len(letters) < 4:
        return text
    i = rng.choice(letters[1:-1])
    kind = rng.randrange(3)
    if kind == 0 and i + 1 < len(text):
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    if kind == 1:
        return text[:i] + text[i + 1 :]
    return text[:i] + text[i] + text[i:]


def registration_number(rng: random.Random) -> str:
    """A unified social credit code: 18 characters."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    return "91" + "".join(rng.choice(alphabet) for _ in range(16))
