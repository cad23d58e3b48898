"""What several commands take."""

from __future__ import annotations


def with_config(parser):
    parser.add_argument("--config", help="the c360 YAML config (default: $C360_CONFIG, else ./c360.yml)")
    return parser
