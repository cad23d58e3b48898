"""The CRM's tables (Salesforce object model, SOURCES.md §1)."""

from great_expectations.expectations.row_conditions import Column

from data_quality.contract import Contract, Time, between, in_set, not_null

SF_COMMON = ["id", "created_date", "last_modified_date", "system_modstamp", "is_deleted"]


def _sales(table: str, extra_required: list[str], rows=None, times=()) -> Contract:
    return Contract(
        "sales",
        table,
        SF_COMMON + extra_required,
        [not_null("id"), *(rows or [])],
        times=[
            Time("system_modstamp", required=True, future=True, check="_check_modstamp"),
            Time("created_date"),
            *times,
        ],
    )


CONTRACTS = [
    _sales("account", ["name"]),
    _sales("contact", ["account_id", "last_name"]),
    _sales("lead", ["last_name", "is_converted"], times=[Time("converted_date", "date")]),
    _sales("opportunity", ["account_id", "stage_name"], times=[Time("close_date", "date")]),
    _sales("opportunity_contact_role", ["opportunity_id", "contact_id"]),
    _sales("product2", ["product_code"]),
    _sales(
        "order",
        ["account_id", "order_number", "total_amount"],
        [between("total_amount", 0)],
        times=[Time("effective_date", "date")],
    ),
    _sales(
        "order_item",
        ["order_id", "product2_id", "quantity"],
        [between("quantity", 0)],
        times=[Time("service_date", "date")],
    ),
    _sales("task", ["subject"], times=[Time("activity_date", "date")]),
    _sales("user", ["name"]),
    _sales(
        "survey_response_c",
        ["survey_type_c", "score_c"],
        [
            in_set("survey_type_c", ["NPS", "CES"]),
            between("score_c", 0, 10, row_condition=Column("survey_type_c") == "NPS"),
            between("score_c", 1, 7, row_condition=Column("survey_type_c") == "CES"),
        ],
        times=[Time("responded_at_c")],  # a custom field: a CRM may not have it
    ),
]
