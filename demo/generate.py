"""`c360 demo`: write the demo company's four systems, its ground truth and a ready config."""

from __future__ import annotations

import time
from datetime import date, datetime
from datetime import time as time_of_day
from pathlib import Path

import yaml

from c360.clock import run_now
from demo import writers
from demo.held_back import hold_back
from demo.history import simulate_in_batches
from demo.localtime import LocalClock
from demo.profiles import DEFAULT_PROFILE, PROFILE_NAMES, Profile, load_profile
from demo.story_parts import HISTORY_DAYS
from demo.system_ids import CATEGORY_FIELD_ID, ORDER_NUMBER_FIELD_ID

TOKEN_ENV = "C360_SERVICE_DESK_TOKEN"
CRM_TABLES = list(writers.CRM_COLUMNS)
# customers simulated and written at a time: a batch holds ~100 kB a customer until it is written,
# so a company of any size is made in about 2 GB (a company this small or smaller is one batch)
BATCH_CUSTOMERS = 20_000

__all__ = ["PROFILE_NAMES", "demo_config", "generate", "local_end"]


def demo_config(end: date, api_port: int, profile: str | Profile = DEFAULT_PROFILE) -> dict:
    """The config a company would write for these systems; paths relative to the file."""
    profile = load_profile(profile) if isinstance(profile, str) else profile
    return {
        "company": profile.config(),
        "sources": {
            "sales": {"url": "sqlite:///crm/crm.sqlite", "tables": list(profile.crm_tables)},
            "service": {
                "base_url": f"http://127.0.0.1:{api_port}",
                "token_env": TOKEN_ENV,
                "start_date": date.fromordinal(end.toordinal() - HISTORY_DAYS - 1).isoformat(),
                "custom_fields": {"order_number": ORDER_NUMBER_FIELD_ID, "category": CATEGORY_FIELD_ID},
            },
            "logistics": {"landing_dir": "logistics", "encoding": profile.logistics_encoding},
            "call_center": {
                "landing_dir": "call_center",
                "pbx_time_zone": profile.time_zone,
                "encoding": profile.pbx_encoding,
            },
        },
        "warehouse": {"dir": "warehouse", "keep_publishes": 3},
        # what the overview measures its rates against (percent; NPS from -100 to 100)
        "targets": {"csat": 85, "nps": 30, "sla": 90, "otif": 95, "abandonment": 5},
    }


def local_end(
    end: date | None = None, as_of: datetime | None = None, profile: str | Profile = DEFAULT_PROFILE
) -> datetime:
    """The moment the company is written at, in its local time: `as_of` (naive UTC) when given,
    else the last second of the local day `end`, else the run's clock (`$C360_AS_OF` or now).
    The systems hold nothing stamped after it, as real ones at that moment would not."""
    if as_of is None and end is not None:
        return datetime.combine(end, time_of_day(23, 59, 59))
    zone = (load_profile(profile) if isinstance(profile, str) else profile).time_zone
    return LocalClock(zone).local((as_of or run_now()).replace(microsecond=0))


def generate(
    out: Path,
    customers: int = 2000,
    seed: int = 42,
    end: date | None = None,
    api_port: int = 8765,
    log=print,
    hold_back_days: int = 0,
    batch_customers: int = BATCH_CUSTOMERS,
    as_of: datetime | None = None,
    profile: str = DEFAULT_PROFILE,
) -> Path:
    """Write everything under `out`, `batch_customers` customers at a time; returns the path
    of the config file. The company (`profile`, one of PROFILE_NAMES) is as its systems stand
    at `local_end(end, as_of)`."""
    company = load_profile(profile)
    moment = local_end(end, as_of, company)
    end = moment.date()
    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    log(
        f"demo: simulating {customers:,} customers of {company.company_name} ({company.key}) over {HISTORY_DAYS} "
        f"days up to {moment} local time ({company.time_zone}, seed {seed})"
    )
    writer = writers.CompanyWriter(out, company.logistics_encoding)
    batches = -(-customers // batch_customers)
    for number, history in enumerate(simulate_in_batches(customers, seed, moment, batch_customers, company), 1):
        if batches > 1:
            log(f"demo: batch {number} of {batches} ({time.perf_counter() - started:.0f} s)")
        writer.write(history, log)
    writer.finish()
    config_path = out / "c360.yml"
    header = (
        "# c360 configuration for the demo company; every key is documented in README.md.\n"
        "# Relative paths resolve against this file's folder.\n"
    )
    config_path.write_text(
        header + yaml.safe_dump(demo_config(end, api_port, company), sort_keys=False, allow_unicode=True),
        encoding="utf-8",
    )
    if hold_back_days:
        hold_back(out, end, hold_back_days)
        log(f"demo: the last {hold_back_days} day(s) wait in {out / 'held_back'}; `c360 demo-advance` releases them")
    counts = writer.counts
    log(
        f"demo: done in {time.perf_counter() - started:.1f} s: {counts['accounts']:,} accounts, "
        f"{counts['orders']:,} orders, {counts['tickets']:,} tickets, {counts['calls']:,} calls; "
        f"config at {config_path}"
    )
    return config_path
