"""`c360 dashboard` and `c360 dashboard-password`: the Streamlit app and its sign-in lines."""

from __future__ import annotations

import getpass
import os
import re
import sys
from pathlib import Path

from c360.cli.options import tcp_port, with_config
from c360.config import load_config
from c360.passwords import secrets_entry
from c360.warehouse import NotPublishedError, WarehousePaths, current_file

DASHBOARD_APP = Path(__file__).resolve().parents[2] / "dashboards" / "streamlit_app.py"


def cmd_dashboard(args) -> int:
    config = load_config(args.config)
    paths = WarehousePaths(config.warehouse_dir)
    try:
        print(f"c360: published warehouse {current_file(paths)}")
    except NotPublishedError as e:
        print(f"c360: {e}; the dashboard will say so")
    print(f"c360: dashboard on http://localhost:{args.port}", flush=True)
    env = dict(os.environ, C360_CONFIG=str(config.path))
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(DASHBOARD_APP),
        "--server.port",
        str(args.port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        # readers see the app, not Streamlit's developer menu ("Deploy", rerun settings)
        "--client.toolbarMode",
        "viewer",
        # dashboard logins and their roles (dashboards/auth.py) live in this file, never in the config
        "--secrets.files",
        str(config.dashboard["secrets_file"]),
    ]
    # streamlit takes this process's place (not a child of it): a stop signal for `c360 dashboard`
    # reaches the server itself, which a child left running on its port when its parent was stopped
    sys.stdout.flush()
    os.execve(sys.executable, command, env)
    return 0  # not reached


def cmd_dashboard_password(args) -> int:
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", args.user):
        print("c360: a user name may hold letters, digits, '_', '.' and '-' only", file=sys.stderr)
        return 2
    # a terminal asks twice without echo; a pipe (scripts, tests) gives it on one line
    password = getpass.getpass("password: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
    if sys.stdin.isatty() and getpass.getpass("again: ") != password:
        print("c360: the passwords differ", file=sys.stderr)
        return 2
    if len(password) < 8:
        print("c360: use a password of at least 8 characters", file=sys.stderr)
        return 2
    print(secrets_entry(args.user, args.role, password), end="")
    return 0


def add_commands(sub) -> None:
    p = with_config(sub.add_parser("dashboard", help="start the Streamlit dashboard"))
    p.add_argument("--port", type=tcp_port, default=8501)
    p.set_defaults(func=cmd_dashboard)

    p = sub.add_parser(
        "dashboard-password", help="print the secrets-file lines that let a user sign in to the dashboard"
    )
    p.add_argument("user")
    p.add_argument("--role", default="viewer", help="the user's role (privacy.contact_roles see contact details)")
    p.set_defaults(func=cmd_dashboard_password)
