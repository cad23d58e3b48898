"""The service desk's records (Zendesk-style API, SOURCES.md §2)."""

from data_quality.contract import Contract, Time, in_set, not_null

CONTRACTS = [
    Contract(
        "service",
        "tickets",
        ["id", "created_at", "updated_at", "status", "requester_id"],
        [
            not_null("id"),
            in_set("status", ["new", "open", "pending", "hold", "solved", "closed", "deleted"]),
        ],
        times=[
            Time("created_at", required=True, future=True, check="_check_created"),
            Time("updated_at"),
            Time("due_at"),
        ],
    ),
    Contract(
        "service",
        "users",
        ["id", "name", "role"],
        [not_null("id"), in_set("role", ["end-user", "agent", "admin"])],
        times=[Time("created_at"), Time("updated_at")],
    ),
    Contract(
        "service",
        "organizations",
        ["id", "name"],
        [not_null("id")],
        times=[Time("created_at"), Time("updated_at")],
    ),
    Contract(
        "service",
        "ticket_events",
        ["id", "ticket_id", "created_at", "child_events"],
        [not_null("id"), not_null("ticket_id")],
        times=[Time("created_at", required=True, future=True, check="_check_created")],
    ),
    Contract(
        "service",
        "satisfaction_ratings",
        ["id", "ticket_id", "score", "created_at"],
        [not_null("id"), in_set("score", ["good", "bad", "offered", "unoffered"])],
        times=[Time("created_at"), Time("updated_at")],
    ),
]
