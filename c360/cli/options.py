"""What several commands take."""

from __future__ import annotations

import argparse


def with_config(parser):
    parser.add_argument("--config", help="the c360 YAML config (default: $C360_CONFIG, else ./c360.yml)")
    return parser


def tcp_port(text: str) -> int:
    """An argparse type: a TCP port a server can listen on, else a message saying which are."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is no TCP port: give a number from 1 to 65535")
    return port
