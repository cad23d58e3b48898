"""The one config file (YAML): the company, its calendar, where the warehouse lives and the
sections of its source systems. Strict: an unknown key or a missing path is an error that names it."""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import babel.numbers
import holidays
import yaml

DEFAULT_CONFIG = "c360.yml"
CONFIG_ENV = "C360_CONFIG"

# key -> (required, type or nested schema); every key is documented in README.md
SCHEMA = {
    "company": (
        True,
        {
            "name": (True, str),
            "time_zone": (True, str),
            "calendar_country": (True, str),
            "calendar_subdivision": (False, str),
            "working_hours": (False, {"start": (True, str), "end": (True, str)}),
            "phone_region": (False, str),
            "currency": (False, str),
        },
    ),
    # each source system's section is declared with it (connectors/<source>/source.py) and
    # checked by load_config when the caller passes the declarations (connectors.registry)
    "sources": (True, dict),
    "warehouse": (
        True,
        {
            "dir": (True, str),
            "keep_publishes": (False, int),
            "memory_limit": (False, str),
            "build_threads": (False, int),
        },
    ),
    "privacy": (False, {"contacts_owner": (False, str), "contact_roles": (False, list)}),
    "dashboard": (
        False,
        {"login": (False, str), "default_role": (False, str), "roles": (False, dict), "secrets_file": (False, str)},
    ),
    "notify": (
        False,
        {
            "webhook": (False, str),
            "email": (
                False,
                {
                    "smtp_host": (True, str),
                    "smtp_port": (False, int),
                    "from": (True, str),
                    "to": (True, list),
                    "starttls": (False, bool),
                    "user": (False, str),
                    "password_env": (False, str),
                },
            ),
        },
    ),
    "service_levels": (
        False,
        {
            "first_reply_business_minutes": (False, dict),
            "full_resolution_business_minutes": (False, dict),
            "compensation_answer_business_days": (False, int),
            "bad_rating_follow_up_business_days": (False, int),
            "installation_promise_working_days": (False, int),
            "short_abandon_seconds": (False, int),
        },
    ),
    "segments": (False, {"value_tier_shares": (False, list), "value_tier_names": (False, list)}),
    # the overview's targets: rates in percent (abandonment a ceiling), NPS from -100 to 100
    "targets": (False, {kpi: (False, (int, float)) for kpi in ("csat", "nps", "sla", "otif", "abandonment")}),
    "identity": (
        False,
        {
            "person_match_threshold": (False, float),
            "organization_match_threshold": (False, float),
            "max_people_per_identifier": (False, int),
            "survivorship": (False, dict),
        },
    ),
}


class ConfigError(ValueError):
    """A problem with the config file; the message names the file, the key and the fix."""


def _type_name(kind: type | tuple) -> str:
    return "number" if kind == (int, float) else getattr(kind, "__name__", str(kind))


def check_keys(node: dict, schema: dict, where: str, file: Path) -> None:
    """Every key of `node` known to `schema`, every required one there, each of its type."""
    if not isinstance(node, dict):
        raise ConfigError(f"{file}: '{where or 'top level'}' must be a mapping of keys")
    for key in node:
        if key not in schema:
            raise ConfigError(f"{file}: unknown key '{where + key}' (known here: {', '.join(schema)})")
    for key, (required, kind) in schema.items():
        if key not in node or node[key] is None:
            if required:
                raise ConfigError(f"{file}: missing key '{where + key}'")
            continue
        if isinstance(kind, dict):
            check_keys(node[key], kind, f"{where}{key}.", file)
        elif not isinstance(node[key], kind) or (isinstance(node[key], bool) and kind is not bool):
            # YAML's `yes`/`true` is a bool, which Python would also take for the int 1
            raise ConfigError(
                f"{file}: '{where + key}' must be a {_type_name(kind)}, got {type(node[key]).__name__} {node[key]!r}"
            )


def check_encoding(name: str, key: str, file: Path) -> None:
    """A text encoding of Python's codec registry, checked now rather than when the first file is read."""
    try:
        codecs.lookup(name)
        try:  # base64, rot13, ... are in the registry, but bytes.decode refuses them: not text
            b"\0\0\0\0".decode(name)
        except ValueError:
            pass  # a text encoding these bytes are not valid in
    except LookupError:
        raise ConfigError(
            f"{file}: '{key}' is not a text encoding Python knows: {name!r} (e.g. utf-8 or gb18030; "
            "the names are those of Python's codecs module)"
        ) from None


def _calendar(country: str, subdivision: str | None, file: Path) -> None:
    """The country (and state or province) the `holidays` library knows, checked now rather than
    when the night builds the calendar."""
    supported = holidays.list_supported_countries()
    if country not in supported:
        raise ConfigError(
            f"{file}: 'company.calendar_country' is not a country the holidays library knows: {country!r} "
            "(an ISO 3166 code such as CN, US, DE)"
        )
    if subdivision is not None and subdivision not in supported[country]:
        raise ConfigError(
            f"{file}: 'company.calendar_subdivision' is not a subdivision of {country}: {subdivision!r} "
            f"(one of {', '.join(supported[country]) or 'none: leave the key out'})"
        )


def _currency(code: str | None, country: str, file: Path) -> None:
    """A currency Unicode's CLDR (through babel) knows, or a country it knows one of."""
    if code is not None and not babel.numbers.is_currency(code):
        raise ConfigError(f"{file}: 'company.currency' is not an ISO 4217 currency code: {code!r} (e.g. CNY, USD, EUR)")
    if code is None and not babel.numbers.get_territory_currencies(country):
        raise ConfigError(
            f"{file}: no currency is known for the calendar country {country!r}: set 'company.currency' "
            "(an ISO 4217 code such as USD)"
        )


def check_zone(name: str, key: str, file: Path) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{file}: '{key}' is not an IANA time zone: {name!r} (e.g. Asia/Shanghai)") from None


@dataclass(frozen=True)
class SourceSettings:
    """A source system's section of the config (`sources.<name>`): its keys as SCHEMA gives
    them, and the checks of values a type cannot make (a folder that exists, an encoding Python
    knows), called with the config, the section and its place ('sources.<name>')."""

    keys: dict = field(default_factory=dict)
    check: Callable[[Config, dict, str], None] | None = None


def check_folder(config: Config, section: dict, key: str, where: str) -> None:
    folder = config.resolve(section[key])
    if not folder.is_dir():
        raise ConfigError(f"{config.path}: '{where}.{key}' folder does not exist: {folder}")


@dataclass(frozen=True)
class Config:
    path: Path
    raw: dict

    @property
    def folder(self) -> Path:
        return self.path.parent

    def resolve(self, value: str) -> Path:
        p = Path(value).expanduser()
        return p if p.is_absolute() else (self.folder / p).resolve()

    @property
    def company(self) -> dict:
        return self.raw["company"]

    @property
    def time_zone(self) -> str:
        return self.company["time_zone"]

    @property
    def currency(self) -> str:
        """The ISO 4217 code money is shown in: `company.currency`, else the calendar country's."""
        if self.company.get("currency"):
            return self.company["currency"]
        return babel.numbers.get_territory_currencies(self.company["calendar_country"])[0]

    @property
    def phone_region(self) -> str:
        return self.company.get("phone_region") or self.company["calendar_country"]

    def source(self, name: str) -> dict | None:
        return self.raw["sources"].get(name)

    @property
    def working_hours(self) -> tuple[str, str]:
        hours = self.company.get("working_hours") or {}
        return hours.get("start", "09:00"), hours.get("end", "18:00")

    @property
    def service_levels(self) -> dict:
        return self.raw.get("service_levels") or {}

    @property
    def identity(self) -> dict:
        return self.raw.get("identity") or {}

    @property
    def warehouse_dir(self) -> Path:
        return self.resolve(self.raw["warehouse"]["dir"])

    @property
    def keep_publishes(self) -> int:
        return self.raw["warehouse"].get("keep_publishes", 3)

    @property
    def contacts_owner(self) -> str | None:
        """The account that alone may read the published contact details (default: the run's)."""
        return (self.raw.get("privacy") or {}).get("contacts_owner")

    @property
    def contact_roles(self) -> list[str]:
        """Dashboard roles shown real e-mails and phones (default: none)."""
        return list((self.raw.get("privacy") or {}).get("contact_roles") or [])

    @property
    def dashboard(self) -> dict:
        """How people sign in to the dashboard (dashboards/auth.py), with the defaults filled in."""
        given = self.raw.get("dashboard") or {}
        return {
            "login": given.get("login", "none"),
            "default_role": given.get("default_role", "viewer"),
            "roles": given.get("roles") or {},
            "secrets_file": self.resolve(given.get("secrets_file", ".streamlit/secrets.toml")),
        }

    @property
    def targets(self) -> dict[str, float]:
        """The overview's targets (config `targets:`): {kpi: value}, none by default."""
        return {kpi: float(value) for kpi, value in (self.raw.get("targets") or {}).items()}

    @property
    def build_threads(self) -> int:
        """Models dbt builds at once (default 2, one per core here); 1 lets each use the whole
        memory limit, for a machine whose memory is small against its data."""
        return self.raw["warehouse"].get("build_threads", 2)

    @property
    def memory_limit(self) -> str:
        """How much memory the run's DuckDB may hold before it spills to disk (DuckDB's syntax:
        "4GB", "500MB", "50%"); DuckDB's own default is 80% of the machine's memory."""
        return self.raw["warehouse"].get("memory_limit", "80%")


def find_config(explicit: str | os.PathLike | None = None) -> Path:
    """--config, else $C360_CONFIG, else ./c360.yml."""
    candidate = explicit or os.environ.get(CONFIG_ENV) or DEFAULT_CONFIG
    path = Path(candidate).expanduser().resolve()
    if not path.is_file():
        raise ConfigError(
            f"config file not found: {path} (pass --config FILE, set {CONFIG_ENV}, or run `c360 demo` to write one)"
        )
    return path


def load_config(
    explicit: str | os.PathLike | None = None, sources: Mapping[str, SourceSettings] | None = None
) -> Config:
    """The config file, checked; with `sources` (connectors.registry.load_night_config) each
    source section is checked against its system's declaration too, else only its shape."""
    path = find_config(explicit)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as e:
        raise ConfigError(f"{path}: not valid YAML: {e}") from None
    check_keys(raw, SCHEMA, "", path)
    config = Config(path, raw)
    check_zone(config.time_zone, "company.time_zone", path)
    _calendar(config.company["calendar_country"], config.company.get("calendar_subdivision"), path)
    _currency(config.company.get("currency"), config.company["calendar_country"], path)
    for name, section in raw["sources"].items():
        where = f"sources.{name}"
        if not isinstance(section, dict):
            raise ConfigError(f"{path}: '{where}' must be a mapping of keys")
        if sources is None:
            continue
        if name not in sources:
            raise ConfigError(f"{path}: unknown source '{where}' (known: {', '.join(sources)})")
        check_keys(section, sources[name].keys, where + ".", path)
        if sources[name].check:
            sources[name].check(config, section, where)
    if config.build_threads < 1:
        raise ConfigError(f"{path}: 'warehouse.build_threads' must be 1 or more, got {config.build_threads}")
    if config.keep_publishes < 1:
        raise ConfigError(
            f"{path}: 'warehouse.keep_publishes' must be at least 1 (the current publish; 2 or more keep "
            f"one for `c360 rollback`), got {config.keep_publishes}"
        )
    if config.dashboard["login"] not in ("none", "password", "oidc"):
        raise ConfigError(
            f"{path}: 'dashboard.login' must be none, password or oidc, got {config.dashboard['login']!r}"
        )
    start, end = config.working_hours
    for key, value in (("start", start), ("end", end)):
        if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", str(value)):
            raise ConfigError(f"{path}: 'company.working_hours.{key}' must be HH:MM (24 h), got {value!r}")
    if start >= end:
        raise ConfigError(f"{path}: 'company.working_hours' must start before it ends ({start} – {end})")
    for key in ("first_reply_business_minutes", "full_resolution_business_minutes"):
        for priority, minutes in (config.service_levels.get(key) or {}).items():
            if priority not in ("urgent", "high", "normal", "low") or not isinstance(minutes, int) or minutes <= 0:
                raise ConfigError(
                    f"{path}: 'service_levels.{key}.{priority}' must be a positive number of minutes for one of "
                    "urgent, high, normal, low"
                )
    segments = raw.get("segments") or {}
    shares = segments.get("value_tier_shares", [0.05, 0.15, 0.30])
    names = segments.get("value_tier_names", ["platinum", "gold", "silver", "bronze", "standard"][: len(shares) + 1])
    if (
        not 2 <= len(shares) <= 4
        or not all(isinstance(x, (int, float)) and 0 < x < 1 for x in shares)
        or sum(shares) >= 1
    ):
        raise ConfigError(
            f"{path}: 'segments.value_tier_shares' must be 2 to 4 shares between 0 and 1 summing to less "
            f"than 1 (3 to 5 tiers, the last takes the rest), got {shares!r}"
        )
    if len(names) != len(shares) + 1:
        raise ConfigError(
            f"{path}: 'segments.value_tier_names' must name {len(shares) + 1} tiers (one more than "
            f"value_tier_shares), got {names!r}"
        )
    for kpi, value in config.targets.items():
        low = -100 if kpi == "nps" else 0
        if not low <= value <= 100:
            raise ConfigError(f"{path}: 'targets.{kpi}' must be between {low} and 100, got {value:g}")
    for key in ("person_match_threshold", "organization_match_threshold"):
        value = config.identity.get(key)
        if value is not None and not 0 < value < 1:
            raise ConfigError(f"{path}: 'identity.{key}' must be a probability between 0 and 1, got {value}")
    if config.identity.get("max_people_per_identifier", 1) < 1:
        raise ConfigError(f"{path}: 'identity.max_people_per_identifier' must be at least 1")
    return config
