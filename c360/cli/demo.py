"""`c360 demo`, `demo-advance`, `demo-api`: the simulated company, its held-back days, its service desk."""

from __future__ import annotations

import os
import signal
import threading
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from c360.cli.options import tcp_port, with_config
from c360.clock import parse_as_of
from c360.config import ConfigError, load_config
from demo.generate import generate as generate_demo
from demo.held_back import advance
from demo.service_desk_api import Faults
from demo.service_desk_api import serve as serve_desk


def cmd_demo(args) -> int:
    generate_demo(
        Path(args.out),
        customers=args.customers,
        seed=args.seed,
        end=date.fromisoformat(args.end_date) if args.end_date else None,
        api_port=args.api_port,
        hold_back_days=args.hold_back_days,
        as_of=parse_as_of(args.as_of, "--as-of") if args.as_of else None,
        profile=args.profile,
    )
    return 0


def cmd_demo_advance(args) -> int:
    config = load_config(args.config)
    day = advance(config.folder, args.days)
    print(f"demo: source data now runs to {day}")
    return 0


def cmd_demo_api(args) -> int:
    config = load_config(args.config)
    service = config.source("service")
    if service is None:
        raise ConfigError(f"{config.path}: no 'sources.service' section to serve")
    token = os.environ.get(service["token_env"])
    if not token:
        raise ConfigError(
            f"demo-api: set ${service['token_env']} (sources.service.token_env) to the token the API should accept"
        )
    url = urlsplit(service["base_url"])
    faults = Faults.parse(args.faults) if args.faults else None
    server = serve_desk(config.folder / "service_desk", url.hostname or "127.0.0.1", url.port or 80, token, faults)
    print(f"demo-api: serving the service desk on {service['base_url']} (Ctrl-C to stop)", flush=True)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()
    server.shutdown()
    return 0


def add_commands(sub) -> None:
    p = sub.add_parser("demo", help="write the demo company's four systems and a ready config")
    p.add_argument("--customers", type=int, default=2000, help="number of customers (default 2000)")
    p.add_argument("--seed", type=int, default=42, help="random seed; the same seed gives the same bytes")
    p.add_argument("--out", default="demo_company", help="output folder (default ./demo_company)")
    p.add_argument("--end-date", help="last day of the two-year history, YYYY-MM-DD (written as at its last second)")
    p.add_argument(
        "--as-of",
        help="the UTC moment the systems are written at, 'YYYY-MM-DD HH:MM:SS'; nothing is stamped later "
        "(default: $C360_AS_OF, else now)",
    )
    p.add_argument("--api-port", type=tcp_port, default=8765, help="port the demo service-desk API will use")
    p.add_argument(
        "--profile",
        choices=["cn", "us"],
        default="cn",
        help="which company: cn, a network-equipment supplier in Shanghai (default); us, an industrial "
        "distributor in Chicago",
    )
    p.add_argument(
        "--hold-back-days",
        type=int,
        default=0,
        help="keep the last N days aside; `c360 demo-advance` releases them one by one",
    )
    p.set_defaults(func=cmd_demo)

    p = with_config(sub.add_parser("demo-advance", help="let the demo's systems gain held-back days"))
    p.add_argument("--days", type=int, default=1)
    p.set_defaults(func=cmd_demo_advance)

    p = with_config(sub.add_parser("demo-api", help="serve the demo's service-desk API until stopped"))
    p.add_argument(
        "--faults",
        help="inject trouble, e.g. 429=5,500=7,slow=9,repeat=3 (every n-th request), limit=10/60 (a rate limit)",
    )
    p.set_defaults(func=cmd_demo_api)
