"""The logistics system's day-folder files (SOURCES.md §3)."""

from data_quality.contract import Contract, Time, between, in_set, not_null, numbers, typed

CONTRACTS = [
    Contract(
        "logistics",
        "shipments",
        ["shipment_id", "order_number", "promised_delivery_date", "status", "updated_at"],
        [not_null("shipment_id")],
        times=[
            Time("updated_at", required=True, future=True, check="_check_updated"),
            Time("promised_delivery_date", "date", required=True, check="_check_promised"),
            Time("ship_date", "date"),
        ],
    ),
    Contract(
        "logistics",
        "packing_list",
        ["shipment_id", "line_no", "sku", "quantity"],
        [not_null("shipment_id"), not_null("sku"), between("_check_quantity", 0, strict_min=True)],
        typed(_check_quantity=("quantity", numbers)),
    ),
    Contract(
        "logistics",
        "tracking_events",
        ["tracking_number", "event_time", "event_code"],
        [
            not_null("tracking_number"),
            in_set("event_code", ["PU", "IT", "OD", "DL", "EX", "RT"]),
        ],
        times=[Time("event_time", required=True, future=True, check="_check_time")],
    ),
    Contract(
        "logistics",
        "installations",
        ["work_order_id", "order_number", "promised_by_date", "status", "updated_at"],
        [
            not_null("work_order_id"),
            in_set("status", ["scheduled", "in_progress", "completed", "cancelled"]),
        ],
        times=[
            Time("updated_at", required=True, future=True, check="_check_updated"),
            Time("scheduled_date", "date"),
            Time("promised_by_date", "date"),  # none: the configured working days after delivery
            Time("completed_at"),
        ],
    ),
]
