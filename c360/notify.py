"""Tell someone when a nightly run fails: the log always, a webhook and e-mail over SMTP when
the config's `notify` section names them. Called by `c360 run` and, under Dagster's daemon, by
the run-failure sensor (pipelines/sensors.py). A notifier that fails is logged, never raised:
it must not hide the run's own failure."""

from __future__ import annotations

import logging
import os
import smtplib
import socket
from email.message import EmailMessage

import requests

from c360.config import Config

log = logging.getLogger("c360.notify")


def failure_message(config: Config, run_id: str, failure: str | None) -> dict:
    return {
        "event": "c360_run_failed",
        "company": config.company["name"],
        "warehouse": str(config.warehouse_dir),
        "run_id": run_id,
        "failure": failure or "unknown",
        "host": socket.gethostname(),
        "published": "nothing; the previous publish stays current",
    }


def notify_failure(config: Config, run_id: str, failure: str | None) -> list[str]:
    """Send the failure everywhere the config says; returns where it was delivered."""
    settings = config.raw.get("notify") or {}
    message = failure_message(config, run_id, failure)
    delivered = []
    log.error("c360 run %s failed: %s", run_id, message["failure"])
    delivered.append("log")
    if settings.get("webhook"):
        try:
            response = requests.post(settings["webhook"], json=message, timeout=10)
            response.raise_for_status()
            delivered.append("webhook")
        except requests.RequestException as e:
            log.error("notify: the webhook %s did not take the failure: %s", settings["webhook"], e)
    email = settings.get("email")
    if email:
        try:
            _send_email(email, message)
            delivered.append("email")
        except (OSError, smtplib.SMTPException) as e:
            log.error("notify: no e-mail through %s:%s: %s", email["smtp_host"], email.get("smtp_port", 25), e)
    return delivered


def _send_email(email: dict, message: dict) -> None:
    mail = EmailMessage()
    mail["Subject"] = f"c360: the nightly run of {message['company']} failed"
    mail["From"] = email["from"]
    mail["To"] = ", ".join(email["to"]) if isinstance(email["to"], list) else email["to"]
    mail.set_content("\n".join(f"{key}: {value}" for key, value in message.items()))
    with smtplib.SMTP(email["smtp_host"], int(email.get("smtp_port", 25)), timeout=10) as smtp:
        if email.get("starttls"):
            smtp.starttls()
        password_env = email.get("password_env")
        if password_env:  # the secret only from the environment, never from the file
            smtp.login(email.get("user", email["from"]), os.environ[password_env])
        smtp.send_message(mail)
