"""The warehouse's values in the reader's language.

The warehouse speaks English: `c360 sql` and every CSV download give its values as stored (the
analyst contract). The dashboard shows them in the chosen language, of two kinds:

- a word of a closed list (a value tier, a status, a department, a kind of promise): the
  catalogue's `<vocabulary>.<value>` (dashboards/i18n.py), chosen by the column it is in;
- a sentence the warehouse composes (an action, its reason, a churn reason, why a deal is
  stale): each of its templates as a pattern below, with the sentence it reads as in Chinese.
  The churn reasons' templates are scoring/features.py's own, so a feature added there needs
  its line here (tests/dashboards/test_words.py checks every one).

Anything neither knows is the company's own (a name, a product family, a stage of its CRM, a
role it added to its picklist) and is shown as stored. Hand-written: the warehouse's sentences
are its own, so no translation library knows them, and a sentence has to be read back into its
parts before it can be put in another language.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd

from dashboards.i18n import CATALOGUE, language, t
from scoring.features import FEATURES

# column -> the catalogue's vocabulary its values come from (a page may say otherwise: a
# ticket's status is not an action's), and how a list of them in one cell is separated
COLUMN_VOCABULARY = {
    "value_tier": "tier",
    "from_tier": "tier",
    "to_tier": "tier",
    "lifecycle_stage": "lifecycle",
    "customer_type": "customer_type",
    "level": "customer_type",
    "status": "status",
    "priority": "priority",
    "department": "department",
    "channel": "channel",
    "touchpoint_type": "touchpoint",
    "kind": "kind",
    "theme": "theme",
    "themes": "theme",
    "buying_roles": "role",
    "past_buying_roles": "role",
    "unreachable_reason": "reachability",
    "unreachable_reasons": "reachability",
    "reachability": "reachability",
    # an action's owner is a CRM user, else the department that owns it
    "owner": "department",
    # a chart's series named after the warehouse's columns (otif_pct): the columns' labels
    "measure": "field",
    # the order journey's steps; a CRM's own stages have no entry and are shown as stored
    "stage": "journey",
    "precursor": "precursor",
    "overdue_business_days": "overdue_bucket",
    # a segment is a value tier or a lifecycle stage (segment_movements, satisfaction by segment)
    "segment": ("tier", "lifecycle"),
    "from_segment": ("tier", "lifecycle"),
    "to_segment": ("tier", "lifecycle"),
    "source": "department",
    "source_system": "department",
    "source_table": "source_table",
    "identifier_type": "channel",
    # what became of a touchpoint: the call's disposition, the rating, the ticket's or delivery's state
    "outcome": "outcome",
}
LIST_SEPARATORS = {"themes": ", ", "buying_roles": ", ", "past_buying_roles": ", "}
REASON_SEPARATOR = "; "
# columns holding the warehouse's sentences
SENTENCE_COLUMNS = {"action", "next_best_action", "reason", "churn_reasons", "stale_reason", "summary", "contact_roles"}

# the sentences the warehouse composes (dbt_project/macros/segments/promise_action.sql,
# models/intermediate/actions/int_actions__proposals.sql, marts/customers/customer_360.sql,
# marts/sales/open_opportunities.sql), as patterns, with their Chinese; a group named `sentence`
# is itself a sentence, one named `reach` a reachability reason
SENTENCES_ZH: list[tuple[str, str]] = [
    (r"Resolve the overdue installation", "完成逾期的安装"),
    (r"Answer the compensation claim", "答复赔偿申请"),
    (r"Replace the wrong item", "更换发错的货品"),
    (r"Call back after the bad rating", "差评后回访客户"),
    (r"Chase the late delivery", "催办延迟的交付"),
    (r"Retention call", "挽留电话"),
    (r"Win-back offer", "挽回优惠"),
    (r"Revive or close the opportunity", "重启或关闭商机"),
    (r"Find a way to reach the decision maker", "设法联系到决策人"),
    (r"Cross-sell (?P<family>.+)", "交叉销售：{family}"),
    (
        r"(?P<pct>\d+) % of orders with (?P<family>.+) also have (?P<other>.+)",
        "含 {family} 的订单中 {pct} % 也含 {other}",
    ),
    (r"work order (?P<id>\S+), (?P<sentence>.+)", "安装工单 {id}，{sentence}"),
    (r"ticket #(?P<id>\S+), (?P<sentence>.+)", "工单 #{id}，{sentence}"),
    (r"shipment (?P<id>\S+), (?P<sentence>.+)", "发货 {id}，{sentence}"),
    (r"rating (?P<id>\S+), (?P<sentence>.+)", "评价 {id}，{sentence}"),
    (r"(?P<n>\d+) working day\(s\) overdue", "逾期 {n} 个工作日"),
    (r"due (?P<date>[\d-]+)", "{date} 到期"),
    (r"churn risk (?P<pct>\d+) %: (?P<sentence>.+)", "流失风险 {pct} %：{sentence}"),
    (r"churn risk (?P<pct>\d+) %", "流失风险 {pct} %"),
    (
        r"lapsed, last order (?P<date>[\d-]+), lifetime revenue (?P<amount>-?\d+)",
        "已流失，最近订单 {date}，累计收入 {amount}",
    ),
    (r"phone: (?P<reach>.+); e-mail: (?P<reach2>.+)", "电话：{reach}；邮件：{reach2}"),
    (r"no activity for (?P<n>\d+) working days", "{n} 个工作日没有跟进"),
    (r"past its close date", "已过预计成交日期"),
    # the timeline's summaries (models/intermediate/touchpoints/int_touchpoints__*.sql)
    (r"Call from the company, (?P<n>\d+) s talk", "公司外呼，通话 {n} 秒"),
    (r"Call from the company, not answered after (?P<n>\d+) s", "公司外呼，{n} 秒无人接听"),
    (r"Call to (?P<queue>.+), (?P<n>\d+) s talk", "来电（{queue}），通话 {n} 秒"),
    (r"Call to (?P<queue>.+), hung up after (?P<n>\d+) s", "来电（{queue}），{n} 秒后挂断"),
    (r"IVR CSAT (?P<n>\d+) of 5", "IVR 满意度 {n}/5"),
    (
        r"Shipment (?P<id>\S+) of order (?P<order>\S+) via (?P<carrier>.+)",
        "发货 {id}（订单 {order}），承运商 {carrier}",
    ),
    (r"Shipment (?P<id>[^:\s]+): (?P<event>.+)", "发货 {id}：{event}"),
    (r"Installation (?P<id>\S+) \(promised by (?P<date>[\d-]+)\)", "安装 {id}（承诺 {date} 前完成）"),
    (r"Order (?P<order>\S+), (?P<amount>-?\d+) total", "订单 {order}，总额 {amount}"),
    (r"(?P<survey>\S+) score (?P<n>-?\d+): “(?P<comment>.*)”", "{survey} 评分 {n}：“{comment}”"),
    (r"(?P<survey>\S+) score (?P<n>-?\d+)", "{survey} 评分 {n}"),
    (r"Opportunity (?P<name>.+) opened at (?P<stage>.+)", "商机 {name} 创建，阶段 {stage}"),
    (r"Opportunity (?P<name_and_stage>.+)", "商机 {name_and_stage}"),
    (r"Ticket #(?P<id>\S+): customer wrote", "工单 #{id}：客户留言"),
    (r"Ticket #(?P<id>\S+): agent replied", "工单 #{id}：客服回复"),
    (r"Ticket #(?P<id>\S+): (?P<status>[a-z]+) → (?P<status2>[a-z]+)", "工单 #{id}：{status} → {status2}"),
    (r"Ticket #(?P<id>[^:\s]+): (?P<subject>.*)", "工单 #{id}：{subject}"),
    (r"Rated ticket #(?P<id>\S+) (?P<outcome>\S+): “(?P<comment>.*)”", "评价工单 #{id}：{outcome}：“{comment}”"),
    (r"Rated ticket #(?P<id>\S+) (?P<outcome>\S+)", "评价工单 #{id}：{outcome}"),
    # a CRM activity: its type (Salesforce's standard ones in words) and subject
    (r"(?P<task>[A-Za-z][A-Za-z ]*): (?P<subject>.+)", "{task}：{subject}"),
    # an opportunity's contacts: "name (role, primary)"
    (r"(?P<name>[^;]+) \((?P<role>[^;()]+), primary\)", "{name}（{role}，主要联系人）"),
    (r"(?P<name>[^;]+) \((?P<role>[^;()]+)\)", "{name}（{role}）"),
    # last, being the loosest: a stale deal's reason: its stage (the company's word) and amount, then why
    (r"(?P<stage>.+), (?P<amount>-?\d+): (?P<sentence>.+)", "{stage}，{amount}：{sentence}"),
]

# what a search matched (c360/lookup.py: marts.customer_search's kind, then the value matched)
MATCHES_ZH: list[tuple[str, str]] = [
    (r"similar name \((?P<score>[\d.]+)\)", "名称相近（{score}）"),
    (r"customer id (?P<value>.+)", "客户编号 {value}"),
    (r"order (?P<value>.+)", "订单 {value}"),
    (r"source record (?P<value>.+)", "源记录 {value}"),
    (r"e-mail (?P<value>.+)", "邮箱 {value}"),
    (r"phone (?P<value>.+)", "电话 {value}"),
    (r"name on (?P<table>\S+) (?P<value>.+)", "{table} 记录上的名称 {value}"),
    (r"name (?P<value>.+)", "名称 {value}"),
]

# scoring/features.py's reasons in Chinese, by feature; `{}` is the feature's value as the
# English sentence prints it
FEATURES_ZH = {
    "recency_ratio": "未下单时长已是其平常下单间隔的 {} 倍",
    "revenue_trend_drop": "消费较前半年下降 {}",
    "bad_ratings_180d": "180 天内 {} 次服务差评",
    "complaints_180d": "180 天内 {} 张投诉工单",
    "sla_breaches_180d": "180 天内 {} 次 SLA 违约",
    "late_deliveries_365d": "一年内 {} 次延迟交付",
    "wrong_items_365d": "一年内 {} 次发错货",
    "overdue_installations_365d": "一年内 {} 次安装逾期",
    "unanswered_claims_365d": "{} 项赔偿申请未获答复",
    "abandoned_calls_90d": "90 天内 {} 次来电未接通即放弃",
    "detractor_nps": "最近一次 NPS 回答为贬损者（{}）",
    "few_departments_90d": "90 天内仅 {} 个部门与其有接触",
    "low_order_count": "迄今仅 {} 笔订单",
    "last_order_trouble": "最近一笔订单有 {} 项承诺被打破",
    "next_order_beyond_horizon": "预计 {} 天内不会再下单",
}

_FORMAT_FIELD = re.compile(r"\{[^}]*\}")


def _feature_pattern(template: str) -> str:
    """scoring/features.py's `"{:.0f} late delivery(ies) in a year"` as a pattern whose group
    `value` is what the `{...}` printed."""
    literal, *more = _FORMAT_FIELD.split(template)
    assert len(more) == 1, f"a churn reason has one value: {template!r}"
    return re.escape(literal) + r"(?P<value>-?[\d.,]+%?)" + re.escape(more[0])


def _compiled() -> list[tuple[re.Pattern, str]]:
    features = [(_feature_pattern(FEATURES[name]), FEATURES_ZH[name].replace("{}", "{value}")) for name in FEATURES]
    return [(re.compile(f"^(?:{pattern})$", re.DOTALL), zh) for pattern, zh in [*features, *SENTENCES_ZH]]


SENTENCES = _compiled()
MATCHES = [(re.compile(f"^(?:{pattern})$", re.DOTALL), zh) for pattern, zh in MATCHES_ZH]


def word(vocabulary: str | tuple[str, ...], value):
    """One value of a closed list (or of the first of several that has it) in the chosen
    language; a value no list has as stored."""
    for name in (vocabulary,) if isinstance(vocabulary, str) else vocabulary:
        if isinstance(value, str) and f"{name}.{value}" in CATALOGUE:
            return t(f"{name}.{value}")
    return value


def match(text: str) -> str:
    """What a customer search matched on, in the chosen language."""
    return sentence(text, MATCHES)


def sentence(text, templates: list[tuple[re.Pattern, str]] = SENTENCES):
    """One of the warehouse's sentences in the chosen language: as stored in English, or when no
    template matches (it is then the company's own words)."""
    if not isinstance(text, str) or language() == "en":
        return text
    for pattern, zh in templates:
        found = pattern.match(text)
        if found:
            return zh.format(**{name: _part(name, value) for name, value in found.groupdict().items()})
    if REASON_SEPARATOR in text:  # a list of reasons
        return "；".join(sentence(part, templates) for part in text.split(REASON_SEPARATOR))
    return text


# a group of a sentence's pattern whose value is itself in words: by the start of its name
PART_VOCABULARY = {
    "reach": "reachability",
    "status": "ticket_status",
    "outcome": "outcome",
    "role": "role",
    "task": "task",
}


def _part(group: str, value: str) -> str:
    if group.startswith("sentence"):
        return sentence(value)
    for prefix, vocabulary in PART_VOCABULARY.items():
        if group.startswith(prefix):
            return str(word(vocabulary, value))
    return value


def knows(text: str) -> bool:
    """Whether the text is one of the warehouse's sentences (or a list of them): what a test asks
    of every sentence a published warehouse holds."""
    if any(pattern.match(text) for pattern, _ in SENTENCES):
        return True
    return REASON_SEPARATOR in text and all(knows(part) for part in text.split(REASON_SEPARATOR))


def translator(column: str, vocabulary: dict[str, str] | None = None) -> Callable | None:
    """How a column's values are put in words, or None when they are shown as stored."""
    if column in SENTENCE_COLUMNS:
        return sentence
    name = (vocabulary or {}).get(column) or COLUMN_VOCABULARY.get(column)
    if name is None:
        return None
    separator = LIST_SEPARATORS.get(column, REASON_SEPARATOR if name == "reachability" else None)
    if separator is None:
        return lambda value: word(name, value)
    joiner = "、" if language() == "zh" else separator
    return lambda value: (
        joiner.join(str(word(name, part)) for part in value.split(separator)) if isinstance(value, str) else value
    )


def value_in_words(column: str, value):
    """One value of a column in the chosen language (as stored when the column's values are the
    company's own)."""
    translate = translator(column)
    return translate(value) if translate and value is not None else value


def in_words(frame: pd.DataFrame, vocabulary: dict[str, str] | None = None) -> pd.DataFrame:
    """The frame with each column's values in the chosen language (a copy; the frame itself, as
    the warehouse has it, is what downloads give). `vocabulary` names a column's list where the
    column's name alone does not say it: {"status": "ticket_status"}."""
    shown = frame.copy()
    for column in shown.columns:
        translate = translator(column, vocabulary)
        values = shown[column]
        if translate is not None and (values.dtype == object or pd.api.types.is_string_dtype(values)):
            # each distinct value once: a list of 5,000 rows holds a few statuses, and a word costs
            # a look-up of the reader's language and the catalogue
            try:
                distinct = {value: translate(value) for value in values.dropna().unique()}
            except TypeError:  # values a dict cannot hold (lists): each on its own
                shown[column] = values.map(translate, na_action="ignore")
            else:
                shown[column] = values.map(distinct, na_action="ignore")
    return shown
