"""The PBX's files: Asterisk CDR, queue_log and IVR survey (SOURCES.md §4)."""

import great_expectations.expectations as gxe
from great_expectations.expectations.row_conditions import Column

from data_quality.contract import Contract, Time, between, epoch_seconds, in_set, not_future, not_null, numbers, typed

PBX_TIME = "a PBX time (YYYY-MM-DD HH:MM:SS)"

CONTRACTS = [
    Contract(
        "call_center",
        "cdr",
        ["src", "start", "duration", "billsec", "disposition", "uniqueid"],
        [
            not_null("uniqueid"),
            in_set("disposition", ["ANSWERED", "NO ANSWER", "BUSY", "FAILED"]),
            between("_check_duration", 0),
            between("_check_billsec", 0),
            lambda: gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="_check_duration", column_B="_check_billsec", or_equal=True
            ),
        ],
        typed(
            _check_duration=("duration", numbers),
            _check_billsec=("billsec", numbers),
        ),
        # the connector computes the UTC times: end = start + duration, answer = end - billsec
        times=[
            Time("start_utc", required=True, future=True, check="_check_start", says=f"start is not {PBX_TIME}"),
            Time("end_utc", required=True, check="_check_end", says="no end time: start or duration unreadable"),
            Time(
                "answer_utc",
                check="_check_answer",
                given_by="answer",
                says="answered, but no answer time: start, duration or billsec unreadable",
            ),
        ],
    ),
    Contract(
        "call_center",
        "queue_log",
        ["epoch", "uniqueid", "queuename", "agent", "event"],
        [not_null("_check_time"), not_future("_check_time"), not_null("event")],
        typed(_check_time=("epoch", epoch_seconds)),
    ),
    Contract(
        "call_center",
        "ivr_survey",
        ["uniqueid", "caller_number", "question", "score", "answered_at"],
        [
            not_null("uniqueid"),
            in_set("question", ["csat", "fcr"]),
            between("_check_score", 1, 5, row_condition=Column("question") == "csat"),
            between("_check_score", 0, 1, row_condition=Column("question") == "fcr"),
        ],
        typed(_check_score=("score", numbers)),
        times=[
            Time(
                "answered_at_utc",
                required=True,
                future=True,
                check="_check_answered",
                says=f"answered_at is not {PBX_TIME}",
            )
        ],
    ),
]
