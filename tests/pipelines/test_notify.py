"""A failed run tells someone: a webhook and an e-mail over SMTP, received here by servers on
127.0.0.1; under Dagster's daemon the run-failure sensor sends the same."""

from __future__ import annotations

import json
import os
import socketserver
import subprocess
import sys
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import yaml

from tests.conftest import TOKEN, TOKEN_ENV


@pytest.fixture
def webhook():
    """A webhook receiver on 127.0.0.1; yields (url, the JSON bodies it received)."""
    received: list[dict] = []

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hooks/c360", received
    server.shutdown()


@pytest.fixture
def smtp():
    """The least SMTP server that takes one message; yields (port, the messages received)."""
    received: list[str] = []

    class Session(socketserver.StreamRequestHandler):
        def handle(self):
            self.wfile.write(b"220 localhost ESMTP test\r\n")
            while line := self.rfile.readline():
                command = line.decode().strip().upper()
                if command.startswith(("EHLO", "HELO")):
                    self.wfile.write(b"250 localhost\r\n")
                elif command == "DATA":
                    self.wfile.write(b"354 end with .\r\n")
                    body = []
                    while (data := self.rfile.readline().decode()) not in (".\r\n", ""):
                        body.append(data)
                    received.append("".join(body))
                    self.wfile.write(b"250 queued\r\n")
                elif command == "QUIT":
                    self.wfile.write(b"221 bye\r\n")
                    return
                else:
                    self.wfile.write(b"250 ok\r\n")

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Session)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1], received
    server.shutdown()
    server.server_close()


def failing_company(tmp_path, notify: dict):
    """A config whose run fails at once: its CRM database holds none of the tables it names."""
    from demo.generate import demo_config

    for folder in ("logistics", "call_center", "crm"):
        (tmp_path / folder).mkdir()
    (tmp_path / "crm" / "crm.sqlite").write_bytes(b"")
    settings = demo_config(date(2026, 1, 1), 9)
    settings["sources"].pop("service")  # no service desk listens here: its retries would only add a minute
    settings["notify"] = notify
    config = tmp_path / "c360.yml"
    config.write_text(yaml.safe_dump(settings), encoding="utf-8")
    return config


@pytest.mark.integration
def test_a_failed_run_posts_to_the_webhook_and_mails_the_failure(tmp_path, webhook, smtp):
    url, posted = webhook
    port, mails = smtp
    config = failing_company(
        tmp_path,
        {"webhook": url, "email": {"smtp_host": "127.0.0.1", "smtp_port": port, "from": "c360@example.com",
                                   "to": ["ops@example.com"]}},
    )  # fmt: skip
    env = {**os.environ, TOKEN_ENV: TOKEN}
    result = subprocess.run(
        [sys.executable, "-m", "c360.cli", "run", "--config", str(config)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert result.returncode == 1
    assert len(posted) == 1
    message = posted[0]
    assert message["event"] == "c360_run_failed" and message["run_id"]
    assert "sources.sales.tables" in message["failure"], "the failure names what to fix"
    assert message["company"] and "previous publish stays current" in message["published"]
    assert len(mails) == 1 and "failed" in mails[0] and message["run_id"] in mails[0]
    assert TOKEN not in json.dumps(message) + mails[0], "no secret travels with the failure"


def test_a_notifier_that_is_down_does_not_hide_the_failure(tmp_path, caplog):
    from c360.config import load_config
    from c360.notify import notify_failure

    config = load_config(failing_company(tmp_path, {"webhook": "http://127.0.0.1:9/nothing-listens"}))
    delivered = notify_failure(config, "run-1", "service: no API token")
    assert delivered == ["log"]
    assert "did not take the failure" in caplog.text


def test_the_run_failure_sensor_sends_the_failure_of_a_dagster_run(tmp_path, webhook, monkeypatch):
    import dagster as dg

    from pipelines.resources import C360Config
    from pipelines.sensors import notify_on_failure

    url, posted = webhook
    config = failing_company(tmp_path, {"webhook": url})

    @dg.op
    def load_sales():
        raise RuntimeError("sales: the CRM database is unreachable")

    @dg.job
    def nightly():
        load_sales()

    instance = dg.DagsterInstance.ephemeral()
    result = nightly.execute_in_process(instance=instance, raise_on_error=False)
    assert not result.success
    # the resource sets up the run's private umask, so its context is entered as the daemon does
    with dg.build_run_status_sensor_context(
        sensor_name="notify_on_failure",
        dagster_instance=instance,
        dagster_run=result.dagster_run,
        dagster_event=result.get_run_failure_event(),
        resources={"c360": C360Config(config_path=str(config))},
    ) as context:
        notify_on_failure(context.for_run_failure())
    assert len(posted) == 1 and posted[0]["run_id"] == result.run_id
    assert TOKEN not in json.dumps(posted[0])
