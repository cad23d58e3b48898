"""The churn model's features and how each reads as a reason. The features themselves, of every
customer with purchase history as they stood at each moment the model looks at, are dbt's
int_scoring__churn_features (models/intermediate/scoring): one feature added there is one line
added here."""

from __future__ import annotations

# feature -> how a strong value reads as a reason (the value is formatted into it)
FEATURES = {
    "recency_ratio": "no order for {:.1f}× their usual interval",
    "revenue_trend_drop": "spending down {:.0%} on the half-year before",
    "bad_ratings_180d": "{:.0f} bad service rating(s) in 180 days",
    "complaints_180d": "{:.0f} complaint ticket(s) in 180 days",
    "sla_breaches_180d": "{:.0f} SLA breach(es) in 180 days",
    "late_deliveries_365d": "{:.0f} late delivery(ies) in a year",
    "wrong_items_365d": "{:.0f} wrong item(s) shipped in a year",
    "overdue_installations_365d": "{:.0f} overdue installation(s) in a year",
    "unanswered_claims_365d": "{:.0f} compensation claim(s) left unanswered",
    "abandoned_calls_90d": "{:.0f} abandoned call(s) in 90 days",
    "detractor_nps": "last NPS answer was a detractor ({:.0f})",
    "few_departments_90d": "only {:.0f} department(s) in touch in 90 days",
    "low_order_count": "only {:.0f} order(s) so far",
    "last_order_trouble": "{:.0f} broken promise(s) on the latest order",
    "next_order_beyond_horizon": "next order not expected for {:.0f} days",
}
