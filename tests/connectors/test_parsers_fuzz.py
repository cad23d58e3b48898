"""Every file parser, fed whatever hypothesis can think of: it never raises, and every record
(non-blank line) of the input is either loaded with its text exactly as written or
quarantined with a reason, under its own line number: never dropped, never garbled, never
merged with the lines after it."""

from __future__ import annotations

import csv

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connectors.call_center.asterisk import CDR_COLUMNS, QUEUE_LOG_COLUMNS, parse_cdr, parse_queue_log
from connectors.files import NewPart
from connectors.logistics.drops import FILES, parse_drop
from connectors.service.api import records_table

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# any text a file may hold on one line: every script, quotes, commas, pipes, tabs; no line breaks
line_text = st.text(
    alphabet=st.characters(
        exclude_categories=("Cs", "Zl", "Zp"), exclude_characters="\r\n\x00\x0b\x0c\x1c\x1d\x1e\x85"
    ),
    max_size=15,
)


def whole_file(data: bytes, relative: str = "fuzz/file") -> NewPart:
    return NewPart(relative, data, 0, b"", True, len(data), "", None)


def csv_line(fields: list[str]) -> str:
    """One CSV record as Asterisk and the logistics exports write it: every field quoted."""
    return ",".join('"' + f.replace('"', '""') + '"' for f in fields) + "\n"


@FUZZ
@given(st.lists(st.lists(line_text, min_size=1, max_size=len(CDR_COLUMNS) + 3), min_size=1, max_size=25))
def test_every_cdr_record_is_loaded_exactly_or_quarantined(records):
    text = "".join(csv_line(r) for r in records)
    parsed = parse_cdr(text.encode(), whole_file(text.encode()))
    good = [r for r in records if len(r) == len(CDR_COLUMNS)]
    table = parsed.table
    assert (table.to_pylist() if table is not None else []) == [dict(zip(CDR_COLUMNS, r, strict=True)) for r in good]
    assert len(parsed.quarantined) == len(records) - len(good) and parsed.records == len(records)
    assert all(m["reasons"] and m["row"]["_c360_source"] == "fuzz/file" for m in parsed.quarantined)
    lines = [n + 1 for n, r in enumerate(records) if len(r) != len(CDR_COLUMNS)]
    assert sorted(m["line_number"] for m in parsed.quarantined) == lines


@FUZZ
@given(st.lists(st.lists(line_text, min_size=1, max_size=8), min_size=1, max_size=25), st.sampled_from(["\n", "\r\n"]))
def test_a_line_with_any_quotes_never_takes_the_lines_after_it(records, newline):
    """Fields written raw, quotes and all, as a careless exporter writes them: whatever a line
    holds, it is one record, loaded or quarantined alone under its own line number."""
    lines = [",".join(r) for r in records]
    text = "".join(line + newline for line in lines)
    parsed = parse_cdr(text.encode(), whole_file(text.encode()))
    nonblank = [n + 1 for n, line in enumerate(lines) if line.rstrip("\r")]
    loaded = parsed.table.num_rows if parsed.table is not None else 0
    assert parsed.records == len(nonblank) == loaded + len(parsed.quarantined)
    numbers = (parsed.line_numbers.to_pylist() if loaded else []) + [m["line_number"] for m in parsed.quarantined]
    assert sorted(numbers) == nonblank
    for number, row in zip(numbers, parsed.table.to_pylist() if loaded else [], strict=False):
        assert list(csv.reader([lines[number - 1]]))[0] == [row[c] for c in CDR_COLUMNS]


@FUZZ
@given(st.lists(line_text, min_size=1, max_size=25))
def test_every_queue_log_line_is_loaded_exactly_or_quarantined(lines):
    lines = [line for line in lines if line.strip("\u2028\u2029")]
    text = "".join(line + "\n" for line in lines)
    parsed = parse_queue_log(text.encode(), whole_file(text.encode()))
    table, malformed = parsed.table, parsed.quarantined
    assert table.num_rows + len(malformed) == parsed.records == len([line for line in text.split("\n") if line])
    for row, number in zip(table.to_pylist(), parsed.line_numbers.to_pylist(), strict=True):
        fields = [row[c] for c in QUEUE_LOG_COLUMNS]
        assert "|".join(fields).rstrip("|") == lines[number - 1].rstrip("|")
    assert all("malformed queue_log line" in m["reasons"][0] for m in malformed)


SHIPMENT_COLUMNS = FILES["shipments"]


@FUZZ
@given(
    rows=st.lists(st.lists(line_text, min_size=1, max_size=len(SHIPMENT_COLUMNS) + 2), max_size=20),
    encoding=st.sampled_from(["utf-8", "gb18030"]),
)
def test_every_logistics_row_is_loaded_exactly_or_quarantined(rows, encoding):
    text = csv_line(SHIPMENT_COLUMNS) + "".join(csv_line(r) for r in rows)
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        return  # not a file this encoding can hold
    parsed = parse_drop(whole_file(data), encoding, SHIPMENT_COLUMNS)
    good = [r for r in rows if len(r) == len(SHIPMENT_COLUMNS)]
    table = parsed.table
    assert (table.to_pylist() if table is not None else []) == [
        dict(zip(SHIPMENT_COLUMNS, r, strict=True)) for r in good
    ]
    assert len(parsed.quarantined) == len(rows) - len(good) and parsed.records == len(rows)
    if table is not None:
        assert parsed.line_numbers.to_pylist() == [n + 2 for n, r in enumerate(rows) if len(r) == len(SHIPMENT_COLUMNS)]


@FUZZ
@given(st.binary(max_size=400))
def test_any_bytes_in_a_logistics_file_are_loaded_as_text_or_quarantined_whole(noise):
    data = (",".join(SHIPMENT_COLUMNS) + "\n").encode() + noise
    parsed = parse_drop(whole_file(data), "utf-8", SHIPMENT_COLUMNS)
    table, bad = parsed.table, parsed.quarantined
    # the records are the file's non-blank lines after the header, counted here from its bytes
    assert parsed.records == len([line for line in noise.split(b"\n") if line.rstrip(b"\r")])
    assert parsed.records == (table.num_rows if table is not None else 0) + len(bad)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        assert table is None and all("does not decode as utf-8" in b["reasons"][0] for b in bad)
        return
    if table is not None:  # what loaded is what the file says, character for character, line by line
        lines = text.lstrip("\ufeff").split("\n")
        for row, number in zip(table.to_pylist(), parsed.line_numbers.to_pylist(), strict=True):
            assert list(csv.reader([lines[number - 1].rstrip("\r")]))[0] == [row[c] for c in SHIPMENT_COLUMNS]


json_scalar = st.none() | st.booleans() | st.integers(-(2**53), 2**53) | line_text
json_value = st.recursive(  # what JSON can hold: no NaN, no infinity
    json_scalar | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(line_text, inner, max_size=3),
    max_leaves=8,
)


@FUZZ
@given(st.lists(st.dictionaries(st.sampled_from(["id", "subject", "tags", "via", "score"]), json_value), max_size=8))
def test_any_json_records_of_a_page_become_one_row_each_with_every_value_kept(records):
    columns = ["id", "subject", "tags", "via", "score"]
    table = records_table(records, columns)
    assert table.num_rows == len(records)
    for record, row in zip(records, table.to_pylist(), strict=True):
        for column in columns:
            value, loaded = record.get(column), row[column]
            if isinstance(loaded, str) and not isinstance(value, str):
                assert orjson.loads(loaded) == value  # nested or mixed values kept as their JSON
            else:
                assert loaded == value


@pytest.mark.parametrize("page", [b'{"tickets": [', b"<html>502 Bad Gateway</html>", b"", b'{"tickets": [{"id": 1,}]}'])
def test_a_page_that_is_not_json_is_an_error_naming_the_endpoint(page, tmp_path):
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from connectors.loader import SourceError
    from connectors.service.api import Client

    class Broken(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the standard library's name
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Broken)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        client = Client(base, "token", "C360_SERVICE_DESK_TOKEN")
        with pytest.raises(SourceError, match="tickets/cursor.json returned a page that is not valid JSON"):
            client.get(f"{base}/api/v2/incremental/tickets/cursor.json")
    finally:
        server.shutdown()


def test_a_lone_quote_before_a_blank_line_is_quarantined_not_lost():
    """Found by the fuzz test above: the reader rejected a row made of the quote and the blank
    line after it, which is no line of the file, and the line was neither loaded nor kept."""
    data = b'"\n\n'
    parsed = parse_cdr(data, whole_file(data))
    loaded = parsed.table.num_rows if parsed.table is not None else 0
    assert parsed.records == 1 and loaded + len(parsed.quarantined) == 1
