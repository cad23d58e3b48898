"""Every label the dashboard shows, in English and Simplified Chinese, from this one catalogue.

Column names of tables stay the warehouse's own (the analyst contract), so that what a page
shows can be found again with `c360 sql`; values (departments, channels) are shown as stored.
"""

from __future__ import annotations

import streamlit as st

LANGUAGES = {"en": "English", "zh": "中文"}
# the CLDR locale each language formats numbers and money in (babel): 4.2B, 42亿
LOCALES = {"en": "en_US", "zh": "zh_Hans_CN"}
DEFAULT = "en"

CATALOGUE: dict[str, dict[str, str]] = {
    # navigation
    "page.overview": {"en": "Overview", "zh": "总览"},
    "page.customer_360": {"en": "Customer 360", "zh": "客户 360"},
    "page.satisfaction": {"en": "Satisfaction", "zh": "满意度"},
    "page.service_calls": {"en": "Service and call center", "zh": "服务与呼叫中心"},
    "page.delivery": {"en": "Delivery and installation", "zh": "交付与安装"},
    "page.segments_churn": {"en": "Segments and churn", "zh": "客户分群与流失"},
    "page.open_promises": {"en": "Open promises", "zh": "未兑现承诺"},
    "page.pipeline": {"en": "Pipeline", "zh": "销售管道"},
    "page.worklist": {"en": "Worklist", "zh": "待办行动"},
    "page.data_health": {"en": "Data health", "zh": "数据健康"},
    "language": {"en": "Language", "zh": "语言"},
    # shared
    "caption.published": {"en": "Data published {at}", "zh": "数据发布于 {at}"},
    "caption.unknown": {"en": "Publish time unknown", "zh": "发布时间未知"},
    "caption.dates": {"en": "{start} to {end}", "zh": "{start} 至 {end}"},
    "caption.tiers": {"en": "value tiers: {tiers}", "zh": "价值层级：{tiers}"},
    "caption.capped": {
        "en": "Showing the first {rows} rows; `c360 sql` gives them all.",
        "zh": "仅显示前 {rows} 行；用 `c360 sql` 可查询全部。",
    },
    "caption.timeline": {
        "en": "{n} touchpoints from {start} to {end}, newest first, times in UTC",
        "zh": "{start} 至 {end} 共 {n} 次接触，最新在前，时间为 UTC",
    },
    "button.download_csv": {"en": "Download CSV", "zh": "下载 CSV"},
    "link.details": {"en": "Details", "zh": "详情"},
    "value.na": {"en": "n/a", "zh": "无"},
    "value.yes": {"en": "yes", "zh": "是"},
    "value.no": {"en": "no", "zh": "否"},
    "value.bad": {"en": "bad answers", "zh": "差评"},
    "value.other": {"en": "other answers", "zh": "其他评价"},
    "filter.dates": {"en": "Dates (company calendar)", "zh": "日期（公司日历）"},
    "filter.tiers": {"en": "Value tiers", "zh": "价值层级"},
    "filter.all_tiers": {"en": "all", "zh": "全部"},
    "filter.all": {"en": "All", "zh": "全部"},
    "filter.departments": {"en": "Departments", "zh": "部门"},
    "filter.channels": {"en": "Channels", "zh": "渠道"},
    # empty states
    "empty.not_published": {
        "en": "Nothing has been published yet. Run `c360 run` and reload this page.",
        "zh": "尚未发布任何数据。请运行 `c360 run` 后刷新本页。",
    },
    "empty.no_rows": {"en": "Nothing to show for these filters.", "zh": "当前筛选条件下没有数据。"},
    "empty.not_asked": {
        "en": "Not measured: the company's surveys do not ask it.",
        "zh": "未测量：公司的调查没有询问此项。",
    },
    "empty.no_promises": {"en": "No open promises. Well done.", "zh": "没有未兑现的承诺。"},
    "empty.no_opportunities": {
        "en": "No open opportunities in the CRM for these customers.",
        "zh": "CRM 中这些客户没有进行中的商机。",
    },
    "empty.no_stale_deals": {"en": "No stale deals.", "zh": "没有停滞的商机。"},
    "empty.no_actions": {"en": "No actions for these filters.", "zh": "当前筛选条件下没有行动。"},
    "empty.no_people": {"en": "Nobody of this customer is known by name.", "zh": "该客户没有已知姓名的联系人。"},
    "empty.no_customer_verbatims": {"en": "No comments from this customer.", "zh": "该客户没有留言。"},
    "customer.actions": {"en": "Actions on the worklist", "zh": "待办行动"},
    "customer.people": {"en": "Buying centre", "zh": "采购决策团队"},
    "customer.opportunities": {"en": "Open opportunities", "zh": "进行中的商机"},
    "customer.verbatims": {"en": "In their words", "zh": "客户原话"},
    # worklist
    "worklist.help": {
        "en": (
            "What c360 proposes each night (a broken promise to put right, a customer likely to leave to call, a "
            "lapsed one to win back, a stale deal, a decision maker nobody can reach) and what became of it: done "
            "once the company reached the customer, superseded when the reason went away first."
        ),
        "zh": (
            "c360 每晚提出的行动（兑现已违背的承诺、致电可能流失的客户、挽回已流失客户、跟进停滞商机、联系无法触达的"
            "决策者）及其结果：公司联系到客户即为已完成，原因先行消失即为已取代。"
        ),
    },
    "worklist.open": {"en": "To do", "zh": "待办"},
    "worklist.open.help": {
        "en": "Actions not yet due, as the last night left them.",
        "zh": "尚未到期的行动（截至最近一次夜间运行）。",
    },
    "worklist.overdue": {"en": "Overdue", "zh": "已逾期"},
    "worklist.overdue.help": {
        "en": "Actions past their due time with nobody having reached the customer.",
        "zh": "已过期限且尚无人联系客户的行动。",
    },
    "worklist.done": {"en": "Done in the period", "zh": "本期已完成"},
    "worklist.done.help": {
        "en": "Actions whose customer the company reached within the chosen dates.",
        "zh": "在所选日期内已联系到客户的行动。",
    },
    "worklist.superseded": {"en": "No longer needed in the period", "zh": "本期已取代"},
    "worklist.superseded.help": {
        "en": "Actions whose reason went away within the chosen dates before anyone acted.",
        "zh": "在所选日期内、有人行动之前原因已消失的行动。",
    },
    "worklist.by_owner": {"en": "By owner", "zh": "按负责人"},
    "worklist.actions": {"en": "Actions", "zh": "行动数"},
    "worklist.list": {"en": "Actions", "zh": "行动列表"},
    "status.open": {"en": "open", "zh": "待办"},
    "status.overdue": {"en": "overdue", "zh": "已逾期"},
    "status.done": {"en": "done", "zh": "已完成"},
    "status.superseded": {"en": "no longer needed", "zh": "已取代"},
    "department.sales": {"en": "sales", "zh": "销售"},
    "department.service": {"en": "service", "zh": "服务"},
    "department.logistics": {"en": "logistics", "zh": "物流"},
    "department.call_center": {"en": "call center", "zh": "呼叫中心"},
    "filter.everyone": {"en": "Everyone", "zh": "所有人"},
    "filter.every_department": {"en": "Every department", "zh": "所有部门"},
    "empty.no_verbatims": {"en": "No comments in this period.", "zh": "本期没有客户留言。"},
    "satisfaction.verbatims": {"en": "In the customers' own words", "zh": "客户原话"},
    "satisfaction.verbatims.help": {
        "en": "Comments written with ratings and surveys, by theme (the lexicon in "
        "dbt_project/seeds/verbatim_themes.csv), newest first; each row opens the customer.",
        "zh": "评分和调查中的客户留言，按主题归类（词表 dbt_project/seeds/verbatim_themes.csv），"
        "最新在前；每一行可打开该客户。",
    },
    "filter.theme": {"en": "Theme", "zh": "主题"},
    # pipeline
    "pipeline.help": {
        "en": "Open CRM opportunities now: what customers are considering. Weighted = amount × the CRM's probability.",
        "zh": "CRM 中当前进行中的商机：客户正在考虑购买什么。加权金额 = 金额 × CRM 的赢单概率。",
    },
    "pipeline.open_deals": {"en": "Open deals", "zh": "进行中的商机"},
    "pipeline.amount": {"en": "Open pipeline", "zh": "管道金额"},
    "pipeline.weighted": {"en": "Weighted pipeline", "zh": "加权管道金额"},
    "pipeline.weighted.help": {
        "en": "Each deal's amount × its probability ÷ 100, summed.",
        "zh": "每个商机的金额 × 赢单概率 ÷ 100 之和。",
    },
    "pipeline.stale": {"en": "Stale deals", "zh": "停滞商机"},
    "pipeline.stale.help": {
        "en": "No completed activity for more than the configured working days (default 10), or past the close date.",
        "zh": "超过设定的工作日数（默认 10 天）没有已完成的跟进活动，或已过预计成交日期。",
    },
    "pipeline.by_stage": {"en": "By stage", "zh": "按阶段"},
    "pipeline.stale_deals": {"en": "Stale deals to act on", "zh": "需要跟进的停滞商机"},
    "pipeline.stale_deals.help": {
        "en": "The biggest first; each row opens the customer's 360.",
        "zh": "金额大的在前；每一行可打开该客户的 360 视图。",
    },
    "empty.no_answers": {"en": "This customer has not answered a survey yet.", "zh": "该客户尚未参与任何调查。"},
    "empty.no_touchpoints": {"en": "No touchpoints for these filters.", "zh": "当前筛选条件下没有接触记录。"},
    "empty.no_backlog": {"en": "No open tickets.", "zh": "没有未关闭的工单。"},
    "empty.no_movements": {"en": "No customer changed tier in these months.", "zh": "这几个月没有客户变更层级。"},
    "empty.no_runs": {"en": "No run recorded yet.", "zh": "尚无运行记录。"},
    "empty.no_quarantine": {"en": "Nothing quarantined: every row loaded.", "zh": "没有隔离记录：所有行均已加载。"},
    # overview
    "kpi.customers": {"en": "Customers", "zh": "客户数"},
    "kpi.customers.help": {
        "en": "Customers (organisations and people) who had ordered by the end of the period; prospects who "
        "never ordered are not counted.",
        "zh": "截至期末下过订单的客户（企业与个人），从未下单的潜在客户不计入。",
    },
    # not "active customers": that is a lifecycle stage on the Segments page, counted otherwise
    "kpi.active": {"en": "Ordering customers", "zh": "下单客户"},
    "kpi.active.help": {"en": "Customers who ordered in the period.", "zh": "在此期间下过订单的客户。"},
    "health.customers": {"en": "Resolved customers", "zh": "已识别客户"},
    "kpi.revenue_12m": {"en": "Revenue, 12 months", "zh": "近 12 个月收入"},
    "kpi.revenue_12m.help": {
        "en": "Order totals in the 12 months to the end of the period, against the 12 months before.",
        "zh": "截至期末 12 个月的订单总额，与再往前 12 个月对比。",
    },
    "kpi.csat": {"en": "CSAT", "zh": "客户满意度 CSAT"},
    "kpi.csat.help": {
        "en": "Satisfied ÷ rated answers (service-desk ratings and IVR 4–5 of 5) × 100.",
        "zh": "满意评价 ÷ 全部评价（服务台评价与 IVR 4–5 分）× 100。",
    },
    "kpi.nps": {"en": "NPS", "zh": "净推荐值 NPS"},
    "kpi.nps.help": {
        "en": "% promoters (9–10) − % detractors (0–6).",
        "zh": "推荐者（9–10）占比 − 贬损者（0–6）占比。",
    },
    "kpi.sla": {"en": "SLA compliance", "zh": "SLA 达成率"},
    "kpi.sla.help": {
        "en": "Tickets opened in the period that met both first-reply and resolution targets.",
        "zh": "期间新建工单中首次回复与解决时限均达标的比例。",
    },
    "kpi.otif": {"en": "OTIF", "zh": "准时足额 OTIF"},
    "kpi.otif.help": {
        "en": "Orders due in the period delivered on time and in full.",
        "zh": "期间应交付订单中准时且足额交付的比例。",
    },
    "kpi.abandonment": {"en": "Abandonment rate", "zh": "呼损率"},
    "kpi.abandonment.help": {
        "en": "Abandoned ÷ offered calls (short abandons excluded). All customers: queues have no segment.",
        "zh": "放弃呼叫 ÷ 进线呼叫（不含短时放弃）。队列数据不区分客户层级。",
    },
    "kpi.open_promises": {"en": "Open promises", "zh": "未兑现承诺"},
    "kpi.open_promises.help": {
        "en": (
            "Promises past due and not resolved at the end of the period (for a period running to "
            "today: as the last night left them, as on the Open promises page)."
        ),
        "zh": "期末已逾期且未解决的承诺（截至今天的期间：以最近一次夜间运行为准，与“未兑现承诺”页一致）。",
    },
    "kpi.high_churn": {"en": "High churn risk", "zh": "高流失风险客户"},
    "kpi.high_churn.help": {
        "en": "Customers whose churn risk is at or above the configured threshold now (scored nightly, no history).",
        "zh": "当前流失风险不低于设定阈值的客户（每晚评分，无历史对比）。",
    },
    # what a rate is of, and its target (config `targets:`)
    "kpi.csat.sample": {"en": "of {n} rated answers", "zh": "基于 {n} 条评价"},
    "kpi.nps.sample": {"en": "of {n} NPS answers", "zh": "基于 {n} 条 NPS 回答"},
    "kpi.sla.sample": {"en": "of {n} tickets", "zh": "基于 {n} 张工单"},
    "kpi.otif.sample": {"en": "of {n} orders due", "zh": "基于 {n} 笔到期订单"},
    "kpi.abandonment.sample": {"en": "of {n} calls offered", "zh": "基于 {n} 通来电"},
    "kpi.target": {"en": "target {target}", "zh": "目标 {target}"},
    "kpi.target_met": {"en": "target {target}: met", "zh": "目标 {target}：已达成"},
    "kpi.target_missed": {"en": "target {target}: missed", "zh": "目标 {target}：未达成"},
    "overview.worklist": {"en": "Worklist", "zh": "待办行动"},
    "overview.reachability": {"en": "Reachable contacts", "zh": "可联系的联系人"},
    "overview.reachability.help": {
        "en": "The share of the persons known this month the company can reach, against last month "
        "(the data-health page says why not the others).",
        "zh": "本月已知联系人中公司可以联系到的比例，与上月相比（数据健康页列出其余联系人不可达的原因）。",
    },
    "overview.reachable_by_phone": {"en": "Reachable by phone", "zh": "电话可达"},
    "overview.reachable_by_email": {"en": "Reachable by e-mail", "zh": "邮件可达"},
    "overview.worklist.done": {"en": "Actions done", "zh": "已完成行动"},
    "overview.worklist.overdue": {"en": "Actions overdue", "zh": "逾期行动"},
    "overview.worklist.done_share": {"en": "Done on time or late", "zh": "完成比例"},
    "overview.worklist.done_share.help": {
        "en": "Actions done in the period ÷ (done in the period + overdue now).",
        "zh": "本期已完成行动 ÷（本期已完成 + 当前逾期）。",
    },
    "overview.touchpoints": {"en": "Touchpoints by month and department", "zh": "按月份与部门的接触次数"},
    "chart.partial_month": {"en": "to {day} only", "zh": "仅至 {day}"},
    # customer 360
    "search.label": {"en": "Find a customer", "zh": "查找客户"},
    "search.placeholder": {
        "en": "name, phone, e-mail, order number or customer id",
        "zh": "姓名、电话、邮箱、订单号或客户编号",
    },
    "search.hint": {
        "en": "Type a name, phone number (any format), e-mail, order number or customer id.",
        "zh": "输入姓名、电话（任意格式）、邮箱、订单号或客户编号。",
    },
    "search.none": {
        "en": "No customer matches “{query}”. Try part of the name, or the phone number.",
        "zh": "没有客户匹配“{query}”。请尝试姓名的一部分或电话号码。",
    },
    "search.matches": {"en": "{n} matching customers", "zh": "匹配到 {n} 位客户"},
    "customer.golden_record": {"en": "Profile (golden record)", "zh": "客户档案（黄金记录）"},
    "customer.open_promises": {"en": "Open promises", "zh": "未兑现承诺"},
    "customer.satisfaction": {"en": "Satisfaction over time", "zh": "满意度变化"},
    "customer.timeline": {"en": "Timeline across departments", "zh": "跨部门时间线"},
    "customer.whole_history": {"en": "Whole history (ignore the date filter)", "zh": "全部历史（忽略日期筛选）"},
    "column.field": {"en": "field", "zh": "字段"},
    "login.title": {"en": "Sign in to c360", "zh": "登录 c360"},
    "login.user": {"en": "User", "zh": "用户名"},
    "login.password": {"en": "Password", "zh": "密码"},
    "login.submit": {"en": "Sign in", "zh": "登录"},
    "login.failed": {"en": "Unknown user or wrong password.", "zh": "用户名或密码错误。"},
    "login.no_users": {
        "en": "The config asks for a password login, but the secrets file names no users: add [c360_users.<name>] "
        "entries with `c360 dashboard-password` (README, 'Dashboard login').",
        "zh": "配置要求密码登录，但密钥文件中没有用户：请用 `c360 dashboard-password` 添加 "
        "[c360_users.<name>]（见 README“Dashboard login”）。",
    },
    "login.no_provider": {
        "en": "The config asks for an OIDC login, but the secrets file has no [auth] section naming the identity "
        "provider (README, 'Dashboard login').",
        "zh": "配置要求 OIDC 登录，但密钥文件中没有指明身份提供方的 [auth] 部分（见 README“Dashboard login”）。",
    },
    "login.signed_in": {"en": "Signed in as {user} ({role})", "zh": "已登录：{user}（{role}）"},
    "login.sign_out": {"en": "Sign out", "zh": "退出登录"},
    "column.value": {"en": "value", "zh": "值"},
    "column.source": {"en": "source", "zh": "来源"},
    "field.display_name": {"en": "Name", "zh": "名称"},
    "field.primary_email": {"en": "E-mail", "zh": "邮箱"},
    "field.primary_phone": {"en": "Phone", "zh": "电话"},
    "field.city": {"en": "City", "zh": "城市"},
    "field.country": {"en": "Country", "zh": "国家"},
    "field.industry": {"en": "Industry", "zh": "行业"},
    "field.customer_id": {"en": "Customer id", "zh": "客户编号"},
    "field.customer_type": {"en": "Type", "zh": "类型"},
    "field.source_systems": {"en": "Known to", "zh": "来源系统"},
    "field.first_seen_at": {"en": "First seen", "zh": "首次出现"},
    "field.is_contactable": {"en": "Contactable", "zh": "可联系"},
    "field.revenue_12m": {"en": "Revenue, 12 months", "zh": "近 12 个月收入"},
    "field.orders_12m": {"en": "Orders, 12 months", "zh": "近 12 个月订单"},
    "field.last_order_at": {"en": "Last order", "zh": "最近订单"},
    "field.open_tickets": {"en": "Open tickets", "zh": "未关闭工单"},
    "field.csat_pct_90d": {"en": "CSAT, 90 days", "zh": "近 90 天满意度"},
    "field.nps_last": {"en": "Last NPS answer", "zh": "最近 NPS 评分"},
    "field.calls_90d": {"en": "Calls, 90 days", "zh": "近 90 天来电"},
    "field.last_touch_at": {"en": "Last touch", "zh": "最近接触"},
    "field.value_tier": {"en": "Value tier", "zh": "价值层级"},
    "field.lifecycle_stage": {"en": "Lifecycle stage", "zh": "生命周期阶段"},
    "field.churn_risk": {"en": "Churn risk", "zh": "流失风险"},
    "field.churn_reasons": {"en": "Why", "zh": "原因"},
    "field.next_best_action": {"en": "Next best action", "zh": "下一步最佳行动"},
    "field.revenue": {"en": "Revenue in the period", "zh": "本期收入"},
    "field.revenue_before": {"en": "Revenue the period before", "zh": "上期收入"},
    "field.revenue_growth_pct": {"en": "Growth %", "zh": "增长 %"},
    "field.ticket_id": {"en": "Ticket", "zh": "工单"},
    "field.priority": {"en": "Priority", "zh": "优先级"},
    "field.status": {"en": "Status", "zh": "状态"},
    "field.is_complaint": {"en": "Complaint", "zh": "投诉"},
    "field.is_sla_breached": {"en": "SLA breached", "zh": "SLA 违约"},
    "field.backlog_age_days": {"en": "Days open", "zh": "已开天数"},
    "field.created_at": {"en": "Opened", "zh": "创建时间"},
    # what charts and tables are drawn by
    "field.month": {"en": "Month", "zh": "月份"},
    "field.department": {"en": "Department", "zh": "部门"},
    "field.channel": {"en": "Channel", "zh": "渠道"},
    "field.touchpoints": {"en": "Touchpoints", "zh": "接触次数"},
    "field.measure": {"en": "Measure", "zh": "指标"},
    "field.pct": {"en": "%", "zh": "%"},
    "field.otif_pct": {"en": "OTIF %", "zh": "准时足额 %"},
    "field.on_time_pct": {"en": "On time %", "zh": "准时 %"},
    "field.in_full_pct": {"en": "In full %", "zh": "足额 %"},
    "field.perfect_order_pct": {"en": "Perfect orders %", "zh": "完美订单 %"},
    "field.installation_kept_pct": {"en": "Installation promises kept %", "zh": "安装承诺兑现 %"},
    "field.sla_compliance_pct": {"en": "SLA compliance %", "zh": "SLA 达成率 %"},
    "field.one_touch_pct": {"en": "Solved at first reply %", "zh": "一次解决 %"},
    "field.csat_pct": {"en": "CSAT %", "zh": "客户满意度 %"},
    "field.nps": {"en": "NPS", "zh": "NPS"},
    "field.nps_score_avg": {"en": "NPS score (average)", "zh": "NPS 平均分"},
    "field.ces_avg": {"en": "CES (average)", "zh": "CES 平均分"},
    "field.hour_of_day": {"en": "Hour of day", "zh": "时段（小时）"},
    "field.offered": {"en": "Calls offered", "zh": "来电数"},
    "field.queue_name": {"en": "Queue", "zh": "队列"},
    "field.precursor": {"en": "What preceded it", "zh": "之前发生的事"},
    "field.pct_of_answers": {"en": "% of answers", "zh": "占回答的 %"},
    "field.group": {"en": "Answers", "zh": "回答"},
    "field.orders": {"en": "Orders", "zh": "订单数"},
    "field.stage": {"en": "Stage", "zh": "阶段"},
    "field.overdue_business_days": {"en": "Business days overdue", "zh": "逾期工作日"},
    "field.promises": {"en": "Promises", "zh": "承诺数"},
    "field.kind": {"en": "Kind", "zh": "类型"},
    "field.customers": {"en": "Customers", "zh": "客户数"},
    "field.level": {"en": "Level", "zh": "层级"},
    "field.records": {"en": "Records", "zh": "记录数"},
    "field.resolved_into": {"en": "Resolved into", "zh": "归并为"},
    "field.merged_away": {"en": "Merged away", "zh": "被合并"},
    "field.joined_by_rule": {"en": "Joined by a rule", "zh": "按规则关联"},
    "field.joined_by_splink": {"en": "Joined by splink", "zh": "由 splink 关联"},
    "field.alone": {"en": "Alone", "zh": "未关联"},
    "field.pairs_compared": {"en": "Pairs compared", "zh": "比较的配对数"},
    "field.splink_links": {"en": "splink links", "zh": "splink 链接数"},
    "field.threshold": {"en": "Threshold", "zh": "阈值"},
    "field.open_promises": {"en": "Open promises", "zh": "未兑现承诺"},
    "field.days_in_stage": {"en": "Days in stage", "zh": "本阶段天数"},
    "field.median_days_in_stage": {"en": "Median days in stage", "zh": "本阶段天数中位数"},
    "field.theme": {"en": "Theme", "zh": "主题"},
    "field.themes": {"en": "Themes", "zh": "主题"},
    "field.comments": {"en": "Comments", "zh": "留言数"},
    "field.bad_comments": {"en": "With a bad score", "zh": "差评留言数"},
    "field.comment": {"en": "Comment", "zh": "留言"},
    "field.score": {"en": "Score", "zh": "评分"},
    "field.responded_at": {"en": "Answered", "zh": "回答时间"},
    "field.probability": {"en": "Probability %", "zh": "赢单概率 %"},
    "field.deals": {"en": "Deals", "zh": "商机数"},
    "field.amount": {"en": "Amount", "zh": "金额"},
    "field.weighted_amount": {"en": "Weighted amount", "zh": "加权金额"},
    "field.stale_deals": {"en": "Stale deals", "zh": "停滞商机"},
    "field.open_pipeline_amount": {"en": "Pipeline amount", "zh": "管道金额"},
    "field.opportunity_name": {"en": "Opportunity", "zh": "商机"},
    "field.expected_close_date": {"en": "Expected close", "zh": "预计成交日期"},
    "field.owner_name": {"en": "Owner", "zh": "负责人"},
    "field.owner": {"en": "Owner", "zh": "负责人"},
    "field.title": {"en": "Title", "zh": "职务"},
    "field.buying_roles": {"en": "Roles on deals now", "zh": "当前商机角色"},
    "field.past_buying_roles": {"en": "Roles before", "zh": "以往角色"},
    "field.is_primary_contact": {"en": "Primary contact", "zh": "主要联系人"},
    "field.is_reachable_by_phone": {"en": "Reachable by phone", "zh": "电话可达"},
    "field.is_reachable_by_email": {"en": "Reachable by e-mail", "zh": "邮件可达"},
    "field.unreachable_reason": {"en": "Why not", "zh": "不可达原因"},
    "field.action": {"en": "Action", "zh": "行动"},
    "field.reason": {"en": "Why", "zh": "原因"},
    "field.proposed_at": {"en": "Proposed", "zh": "提出时间"},
    "field.due_at": {"en": "Due", "zh": "截止时间"},
    "field.done_at": {"en": "Done", "zh": "完成时间"},
    "field.open": {"en": "To do", "zh": "待办"},
    "field.overdue": {"en": "Overdue", "zh": "已逾期"},
    "field.done": {"en": "Done", "zh": "已完成"},
    "field.last_activity_at": {"en": "Last activity", "zh": "最近跟进"},
    "field.decision_maker": {"en": "Decision maker", "zh": "决策人"},
    "field.stale_reason": {"en": "Why stale", "zh": "停滞原因"},
    # satisfaction
    "satisfaction.over_time": {"en": "Over time by channel", "zh": "各渠道满意度趋势"},
    "satisfaction.measure": {"en": "Measure", "zh": "指标"},
    "measure.csat_pct": {"en": "CSAT %", "zh": "满意度 %"},
    "measure.nps": {"en": "NPS", "zh": "NPS"},
    "measure.ces_avg": {"en": "CES (1–7)", "zh": "费力度 CES（1–7）"},
    "satisfaction.by_segment": {"en": "By value tier", "zh": "按价值层级"},
    "satisfaction.by_family": {"en": "By product family", "zh": "按产品线"},
    "satisfaction.precursors": {"en": "What preceded the bad ratings", "zh": "差评之前发生了什么"},
    "satisfaction.precursors.help": {
        "en": "Share of bad answers (and of the others) that had, in the 30 days before, a late delivery, "
        "an overdue installation, a long wait on the phone or a reopened ticket.",
        "zh": "差评（及其他评价）中，之前 30 天内遇到延迟交付、安装逾期、电话久等或工单重开的比例。",
    },
    # service and call center
    "service.by_month": {"en": "Tickets by month", "zh": "每月工单"},
    "service.backlog": {"en": "Open backlog", "zh": "未关闭积压"},
    "service.open_tickets": {"en": "Open tickets to act on", "zh": "待处理的未关闭工单"},
    "service.open_tickets.help": {
        "en": "Urgent first, then high, normal and low; the oldest first within each. Open a row for the customer.",
        "zh": "按紧急、高、普通、低排列，同级中最久的在前。点击一行查看客户。",
    },
    "column.open": {"en": "Customer 360", "zh": "客户 360"},
    "link.open_customer": {"en": "open", "zh": "打开"},
    "calls.segment_note": {
        "en": "Call-center figures are per queue and agent; the value-tier filter does not apply to them.",
        "zh": "呼叫中心指标按队列与坐席统计，不受价值层级筛选影响。",
    },
    "calls.by_hour": {"en": "Calls by hour of day", "zh": "按小时的来电量"},
    "calls.by_queue": {"en": "By queue", "zh": "按队列"},
    "calls.by_agent": {"en": "By agent", "zh": "按坐席"},
    # delivery
    "delivery.by_month": {"en": "Delivery and installation by month", "zh": "每月交付与安装"},
    "delivery.journey": {"en": "Order journey", "zh": "订单旅程"},
    "delivery.journey.help": {
        "en": "Orders placed in the period: how many reached each stage, and at which stage "
        "(and in which department) a promise broke.",
        "zh": "期间下单的订单：到达各阶段的数量，以及在哪个阶段（哪个部门）承诺被打破。",
    },
    # segments and churn
    "segments.pyramid": {"en": "Value pyramid × lifecycle stage", "zh": "价值金字塔 × 生命周期"},
    "segments.movements": {"en": "Movement between tiers", "zh": "层级迁移"},
    "segments.top_customers": {"en": "Top customers", "zh": "重点客户"},
    "segments.top_customers.help": {
        "en": "Revenue in the period against the period before it, as long; what stands against each "
        "customer: churn risk and open promises. Open a row for the customer's whole story.",
        "zh": "本期收入与等长上一期对比，以及流失风险与未兑现承诺。点击一行查看该客户的完整经历。",
    },
    "segments.rank_by": {"en": "Rank by", "zh": "排序依据"},
    "segments.rank_by.revenue": {"en": "revenue", "zh": "收入"},
    "segments.rank_by.growth": {"en": "growth", "zh": "增长"},
    "segments.churn_list": {"en": "Churn-risk list", "zh": "流失风险名单"},
    "segments.churn_list.help": {
        "en": "Active customers likely to leave, the most revenue at risk (risk × revenue of the last "
        "12 months) first, with the reasons and the next best action.",
        "zh": "可能流失的活跃客户，按风险收入（风险 × 近 12 个月收入）从高到低，附原因与下一步最佳行动。",
    },
    # promises
    "promises.help": {
        "en": "Broken (open) and at-risk promises now, by department and business days overdue.",
        "zh": "当前已违背（未解决）与即将到期的承诺，按部门与逾期工作日统计。",
    },
    "promises.queue": {"en": "Work queue", "zh": "待办队列"},
    "promises.at_risk": {"en": "At risk", "zh": "即将到期"},
    "promises.at_risk.help": {
        "en": "Promises not yet kept that fall due within the next two working days.",
        "zh": "尚未兑现、将在两个工作日内到期的承诺。",
    },
    # data health
    "health.runs": {"en": "Recent runs", "zh": "最近运行"},
    "run.succeeded": {"en": "succeeded", "zh": "成功"},
    "run.succeeded_with_warnings": {"en": "succeeded, {n} check(s) warned", "zh": "成功，{n} 项检查告警"},
    "run.failed": {"en": "failed: {why}", "zh": "失败：{why}"},
    "health.publishes": {"en": "Publishes", "zh": "发布记录"},
    "health.sources": {"en": "Sources: freshness and rows", "zh": "数据源：新鲜度与行数"},
    "health.quality": {"en": "Quality checks", "zh": "质量检查"},
    "health.quarantine": {"en": "Quarantined rows", "zh": "隔离的行"},
    "health.identity_runs.help": {
        "en": "Records = joined by a rule + joined by splink + alone; records − resolved into = merged away. "
        "A record joined by splink is counted once, however many links it has.",
        "zh": "记录数 = 按规则关联 + 由 splink 关联 + 未关联；记录数 − 归并为 = 被合并。"
        "由 splink 关联的记录只计一次，无论其链接有多少条。",
    },
    "health.identity": {"en": "Identity resolution", "zh": "身份识别"},
    "health.source_records": {"en": "Source records", "zh": "源记录"},
    "health.unidentified": {"en": "Unidentified callers", "zh": "未识别来电者"},
    "health.shared_identifiers": {"en": "Shared identifiers excluded", "zh": "排除的共享标识"},
    "health.shared_identifiers.help": {
        "en": "Phone numbers and e-mails used by many unrelated records (switchboards, shared "
        "mailboxes) are not used to match people.",
        "zh": "被许多无关记录共用的电话与邮箱（总机、公共邮箱）不用于匹配个人。",
    },
    "health.contactable": {"en": "Contactable", "zh": "可联系"},
    "health.contactability": {"en": "Contactability", "zh": "可联系性"},
    "health.reachability": {"en": "Reachable contacts, month by month", "zh": "联系人可达率（按月）"},
    "health.reachability.help": {
        "en": "Of the persons known at each month's end, the share the company can reach by phone and by "
        "e-mail, and why not the others. Numbers, addresses and opt-outs count as they stand today; "
        '"unanswered recently" as it stood at each month\'s end.',
        "zh": "每月末已知联系人中，可通过电话和邮件联系的比例，以及其余联系人不可达的原因。"
        "号码、地址和退订按当前状态计；“近期无回应”按当月末状态计。",
    },
    "channel.phone": {"en": "phone", "zh": "电话"},
    "channel.email": {"en": "e-mail", "zh": "邮件"},
    "field.reachability": {"en": "Reachability", "zh": "可达情况"},
    "field.share_pct": {"en": "Share (%)", "zh": "占比（%）"},
    "field.phone_pct": {"en": "Reachable by phone (%)", "zh": "电话可达（%）"},
    "field.email_pct": {"en": "Reachable by e-mail (%)", "zh": "邮件可达（%）"},
    "reachability.reachable": {"en": "reachable", "zh": "可达"},
    "reachability.unidentified caller": {"en": "unidentified caller", "zh": "身份不明的来电"},
    "reachability.do-not-call": {"en": "do-not-call", "zh": "拒绝来电"},
    "reachability.opted out of e-mail": {"en": "opted out of e-mail", "zh": "已退订邮件"},
    "reachability.unanswered recently": {"en": "unanswered recently", "zh": "近期无回应"},
    "reachability.only a shared switchboard or line": {
        "en": "only a shared switchboard or line",
        "zh": "仅有共用总机或线路",
    },
    "reachability.only a shared mailbox": {"en": "only a shared mailbox", "zh": "仅有共用邮箱"},
    "reachability.no valid number": {"en": "no valid number", "zh": "无有效号码"},
    "reachability.no valid address": {"en": "no valid address", "zh": "无有效邮箱"},
    # the warehouse's closed lists, by vocabulary (dashboards/words.py chooses one by column)
    "tier.platinum": {"en": "platinum", "zh": "铂金"},
    "tier.gold": {"en": "gold", "zh": "黄金"},
    "tier.silver": {"en": "silver", "zh": "白银"},
    "tier.bronze": {"en": "bronze", "zh": "青铜"},
    "tier.none": {"en": "no tier", "zh": "无层级"},
    "lifecycle.prospect": {"en": "prospect", "zh": "潜在客户"},
    "lifecycle.new": {"en": "new", "zh": "新客户"},
    "lifecycle.active": {"en": "active", "zh": "活跃"},
    "lifecycle.at_risk": {"en": "at risk", "zh": "有流失风险"},
    "lifecycle.lapsed": {"en": "lapsed", "zh": "已流失"},
    "lifecycle.won_back": {"en": "won back", "zh": "已挽回"},
    "customer_type.organization": {"en": "organization", "zh": "企业"},
    "customer_type.person": {"en": "person", "zh": "个人"},
    "customer_type.unidentified": {"en": "unidentified caller", "zh": "身份不明的来电者"},
    "ticket_status.new": {"en": "new", "zh": "新建"},
    "ticket_status.open": {"en": "open", "zh": "处理中"},
    "ticket_status.pending": {"en": "waiting for the customer", "zh": "等待客户回复"},
    "ticket_status.hold": {"en": "on hold", "zh": "挂起"},
    "ticket_status.solved": {"en": "solved", "zh": "已解决"},
    "ticket_status.closed": {"en": "closed", "zh": "已关闭"},
    "promise_status.open": {"en": "broken", "zh": "已违背"},
    "promise_status.at_risk": {"en": "at risk", "zh": "即将到期"},
    "promise_status.resolved": {"en": "resolved", "zh": "已解决"},
    "priority.urgent": {"en": "urgent", "zh": "紧急"},
    "priority.high": {"en": "high", "zh": "高"},
    "priority.normal": {"en": "normal", "zh": "普通"},
    "priority.low": {"en": "low", "zh": "低"},
    "kind.installation_overdue": {"en": "installation overdue", "zh": "安装逾期"},
    "kind.compensation_unanswered": {"en": "compensation claim unanswered", "zh": "赔偿申请未答复"},
    "kind.wrong_item_shipped": {"en": "wrong item shipped", "zh": "发错货"},
    "kind.bad_rating_no_follow_up": {"en": "bad rating, no follow-up", "zh": "差评未回访"},
    "kind.delivery_late": {"en": "delivery late", "zh": "交付延迟"},
    "kind.open_promise": {"en": "open promise", "zh": "未兑现承诺"},
    "kind.churn_risk": {"en": "churn risk", "zh": "流失风险"},
    "kind.win_back": {"en": "win back", "zh": "挽回"},
    "kind.stale_opportunity": {"en": "stale deal", "zh": "停滞商机"},
    "kind.unreachable_decision_maker": {"en": "unreachable decision maker", "zh": "决策人无法联系"},
    "channel.api": {"en": "API", "zh": "API 接口"},
    "channel.call": {"en": "call", "zh": "电话"},
    "channel.chat": {"en": "chat", "zh": "在线聊天"},
    "channel.delivery": {"en": "delivery", "zh": "送货"},
    "channel.ivr": {"en": "IVR survey", "zh": "IVR 语音调查"},
    "channel.meeting": {"en": "meeting", "zh": "会议"},
    "channel.on_site": {"en": "on site", "zh": "现场"},
    "channel.opportunity": {"en": "opportunity", "zh": "商机"},
    "channel.order": {"en": "order", "zh": "订单"},
    "channel.survey": {"en": "survey", "zh": "调查"},
    "channel.visit": {"en": "visit", "zh": "拜访"},
    "channel.voice": {"en": "voice", "zh": "语音"},
    "channel.web": {"en": "web", "zh": "网页"},
    "channel.nps": {"en": "NPS survey", "zh": "NPS 调查"},
    "channel.service_desk": {"en": "service desk", "zh": "服务台"},
    "touchpoint.call_abandoned": {"en": "call abandoned", "zh": "来电放弃"},
    "touchpoint.call_answered": {"en": "call answered", "zh": "来电接通"},
    "touchpoint.call_outbound_answered": {"en": "outbound call answered", "zh": "外呼接通"},
    "touchpoint.call_outbound_unanswered": {"en": "outbound call unanswered", "zh": "外呼未接通"},
    "touchpoint.complaint_opened": {"en": "complaint opened", "zh": "投诉提交"},
    "touchpoint.crm_activity": {"en": "sales activity", "zh": "销售跟进"},
    "touchpoint.installation_completed": {"en": "installation completed", "zh": "安装完成"},
    "touchpoint.installation_scheduled": {"en": "installation scheduled", "zh": "安装已排期"},
    "touchpoint.ivr_survey": {"en": "IVR survey", "zh": "IVR 调查"},
    "touchpoint.nps_response": {"en": "NPS answer", "zh": "NPS 回答"},
    "touchpoint.opportunity_lost": {"en": "deal lost", "zh": "商机输单"},
    "touchpoint.opportunity_opened": {"en": "deal opened", "zh": "商机创建"},
    "touchpoint.opportunity_won": {"en": "deal won", "zh": "商机赢单"},
    "touchpoint.order_placed": {"en": "order placed", "zh": "下单"},
    "touchpoint.satisfaction_rating": {"en": "satisfaction rating", "zh": "满意度评价"},
    "touchpoint.shipment_delivered": {"en": "shipment delivered", "zh": "已送达"},
    "touchpoint.shipment_dispatched": {"en": "shipment dispatched", "zh": "已发货"},
    "touchpoint.shipment_milestone": {"en": "shipment update", "zh": "物流更新"},
    "touchpoint.ticket_comment": {"en": "ticket comment", "zh": "工单备注"},
    "touchpoint.ticket_opened": {"en": "ticket opened", "zh": "工单创建"},
    "touchpoint.ticket_reply": {"en": "ticket reply", "zh": "工单回复"},
    "touchpoint.ticket_status_changed": {"en": "ticket status changed", "zh": "工单状态变更"},
    "theme.late": {"en": "late", "zh": "延迟"},
    "theme.wrong_item": {"en": "wrong item", "zh": "发错货"},
    "theme.installation": {"en": "installation", "zh": "安装"},
    "theme.claim": {"en": "claim", "zh": "索赔"},
    "theme.no_answer": {"en": "no answer", "zh": "无人答复"},
    "theme.price": {"en": "price", "zh": "价格"},
    "theme.quality": {"en": "quality", "zh": "质量"},
    # Salesforce's standard contact roles; a role the company added is shown as it has it
    "role.Decision Maker": {"en": "Decision Maker", "zh": "决策人"},
    "role.Economic Buyer": {"en": "Economic Buyer", "zh": "经济决策人"},
    "role.Economic Decision Maker": {"en": "Economic Decision Maker", "zh": "经济决策人"},
    "role.Technical Buyer": {"en": "Technical Buyer", "zh": "技术决策人"},
    "role.Evaluator": {"en": "Evaluator", "zh": "评估人"},
    "role.Influencer": {"en": "Influencer", "zh": "影响人"},
    "role.Executive Sponsor": {"en": "Executive Sponsor", "zh": "高管发起人"},
    "role.Business User": {"en": "Business User", "zh": "业务用户"},
    "role.User": {"en": "User", "zh": "用户"},
    "role.Other": {"en": "Other", "zh": "其他"},
    "role.no role": {"en": "no role", "zh": "无角色"},
    # Salesforce's standard activity types
    "task.Call": {"en": "Call", "zh": "电话"},
    "task.Email": {"en": "Email", "zh": "邮件"},
    "task.Meeting": {"en": "Meeting", "zh": "会议"},
    "task.Visit": {"en": "Visit", "zh": "拜访"},
    "task.Send Letter": {"en": "Send Letter", "zh": "寄信"},
    "task.Send Quote": {"en": "Send Quote", "zh": "发送报价"},
    "task.Other": {"en": "Other", "zh": "其他"},
    # what became of a touchpoint, where the source's word is a standard one
    "outcome.ANSWERED": {"en": "answered", "zh": "已接通"},
    "outcome.NO ANSWER": {"en": "no answer", "zh": "无人接听"},
    "outcome.BUSY": {"en": "busy", "zh": "忙线"},
    "outcome.FAILED": {"en": "failed", "zh": "呼叫失败"},
    "outcome.good": {"en": "good", "zh": "好评"},
    "outcome.bad": {"en": "bad", "zh": "差评"},
    "outcome.new": {"en": "new", "zh": "新建"},
    "outcome.open": {"en": "open", "zh": "处理中"},
    "outcome.pending": {"en": "waiting for the customer", "zh": "等待客户回复"},
    "outcome.hold": {"en": "on hold", "zh": "挂起"},
    "outcome.solved": {"en": "solved", "zh": "已解决"},
    "outcome.closed": {"en": "closed", "zh": "已关闭"},
    "outcome.delivered": {"en": "delivered", "zh": "已送达"},
    "outcome.in_transit": {"en": "in transit", "zh": "运输中"},
    "outcome.scheduled": {"en": "scheduled", "zh": "已排期"},
    "outcome.in_progress": {"en": "in progress", "zh": "进行中"},
    "outcome.completed": {"en": "completed", "zh": "已完成"},
    "outcome.cancelled": {"en": "cancelled", "zh": "已取消"},
}


def language() -> str:
    """The session's language, else the link's (`?lang=zh`: a reload or a shared link keeps it)."""
    if "language" not in st.session_state and st.query_params.get("lang") in LANGUAGES:
        st.session_state["language"] = st.query_params["lang"]
    return st.session_state.get("language", DEFAULT)


def locale() -> str:
    return LOCALES[language()]


def _keep_language() -> None:
    # a page switch re-creates the widget and forgets its value; the plain key keeps it
    st.session_state["language"] = st.session_state["widget-language"]


def t(key: str, **values) -> str:
    """The label in the chosen language; a key missing from the catalogue is a bug, shown as
    itself so that a test can find it."""
    entry = CATALOGUE.get(key)
    if entry is None:
        return key
    text = entry.get(language()) or entry[DEFAULT]
    return text.format(**values) if values else text


def language_switch() -> None:
    st.sidebar.radio(
        "Language / 语言",
        list(LANGUAGES),
        index=list(LANGUAGES).index(language()),
        format_func=LANGUAGES.get,
        key="widget-language",
        horizontal=True,
        on_change=_keep_language,
    )
    st.query_params["lang"] = language()
