"""The config file: strict, and every error names the key or path and the fix."""

from __future__ import annotations

import pytest
import yaml

from c360.config import ConfigError, load_config
from connectors.registry import load_night_config
from connectors.sales.source import database_url
from connectors.service.source import retry_seconds
from demo.generate import demo_config


def write(tmp_path, raw: dict):
    (tmp_path / "logistics").mkdir(exist_ok=True)
    (tmp_path / "call_center").mkdir(exist_ok=True)
    (tmp_path / "crm").mkdir(exist_ok=True)
    (tmp_path / "crm" / "crm.sqlite").write_bytes(b"")
    path = tmp_path / "c360.yml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    return path


def base():
    from datetime import date

    return demo_config(date(2026, 1, 31), 8765)


def test_the_demo_config_loads_and_resolves_paths_next_to_the_file(tmp_path):
    config = load_night_config(write(tmp_path, base()))
    assert database_url(config, config.source("sales")) == f"sqlite:///{tmp_path / 'crm' / 'crm.sqlite'}"
    assert config.warehouse_dir == tmp_path / "warehouse"
    assert config.time_zone == "Asia/Shanghai"


def test_an_unknown_key_is_an_error_naming_it(tmp_path):
    raw = base()
    raw["sources"]["logistics"]["encodig"] = "utf-8"
    with pytest.raises(ConfigError, match=r"unknown key 'sources\.logistics\.encodig'"):
        load_night_config(write(tmp_path, raw))


def test_a_source_no_connector_declares_is_refused_naming_the_ones_there_are(tmp_path):
    raw = base()
    raw["sources"]["warranty"] = {"landing_dir": "logistics"}
    known = r"\(known: call_center, logistics, sales, service\)"
    with pytest.raises(ConfigError, match=r"unknown source 'sources\.warranty' " + known):
        load_night_config(write(tmp_path, raw))
    # a reader of the published warehouse (the dashboard) does not need the source declarations
    assert load_config(write(tmp_path, raw)).source("warranty") == {"landing_dir": "logistics"}


def test_a_missing_landing_folder_is_an_error_naming_the_key_and_path(tmp_path):
    raw = base()
    raw["sources"]["call_center"]["landing_dir"] = "nowhere"
    with pytest.raises(ConfigError, match=r"sources\.call_center\.landing_dir.*nowhere"):
        load_night_config(write(tmp_path, raw))


def test_a_missing_required_key_is_named(tmp_path):
    raw = base()
    del raw["company"]["time_zone"]
    with pytest.raises(ConfigError, match=r"missing key 'company\.time_zone'"):
        load_night_config(write(tmp_path, raw))


def test_a_time_zone_that_does_not_exist_is_refused(tmp_path):
    raw = base()
    raw["sources"]["call_center"]["pbx_time_zone"] = "Mars/Olympus"
    with pytest.raises(ConfigError, match="not an IANA time zone"):
        load_night_config(write(tmp_path, raw))


def test_no_config_file_says_how_to_get_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("C360_CONFIG", raising=False)
    with pytest.raises(ConfigError, match="c360 demo"):
        load_config()


@pytest.mark.parametrize("source", ["logistics", "call_center"])
@pytest.mark.parametrize("encoding", ["latin-9", "no-such-codec", "rot13", "base64"])
def test_an_encoding_python_cannot_decode_text_with_fails_at_load_naming_the_key(tmp_path, source, encoding):
    raw = base()
    raw["sources"][source]["encoding"] = encoding
    with pytest.raises(ConfigError, match=rf"'sources\.{source}\.encoding'.*{encoding!r}.*gb18030") as error:
        load_night_config(write(tmp_path, raw))
    assert "\n" not in str(error.value)


@pytest.mark.parametrize("encoding", ["utf-8", "UTF8", "gb18030", "GB18030", "latin-1", "iso8859-15"])
def test_an_encoding_in_pythons_codec_registry_is_accepted(tmp_path, encoding):
    raw = base()
    raw["sources"]["logistics"]["encoding"] = encoding
    assert load_night_config(write(tmp_path, raw)).source("logistics")["encoding"] == encoding


@pytest.mark.parametrize("keep", [0, -1, True])
def test_keep_publishes_below_one_is_refused_naming_the_key(tmp_path, keep):
    raw = base()
    raw["warehouse"]["keep_publishes"] = keep
    with pytest.raises(ConfigError, match=r"'warehouse\.keep_publishes' must be"):
        load_night_config(write(tmp_path, raw))


def test_keep_publishes_of_one_is_accepted(tmp_path):
    raw = base()
    raw["warehouse"]["keep_publishes"] = 1
    assert load_night_config(write(tmp_path, raw)).keep_publishes == 1


def test_the_service_desk_is_retried_for_15_seconds_unless_the_config_says_otherwise(tmp_path):
    raw = base()
    assert retry_seconds(load_night_config(write(tmp_path, raw)).source("service")) == 15
    raw["sources"]["service"]["retry_seconds"] = 2.5
    assert retry_seconds(load_night_config(write(tmp_path, raw)).source("service")) == 2.5
    raw["sources"]["service"]["retry_seconds"] = 120
    assert retry_seconds(load_night_config(write(tmp_path, raw)).source("service")) == 120


@pytest.mark.parametrize("seconds", [0, -5, "15", True])
def test_a_retry_time_that_is_not_a_positive_number_is_refused_naming_the_key(tmp_path, seconds):
    raw = base()
    raw["sources"]["service"]["retry_seconds"] = seconds
    with pytest.raises(ConfigError, match=r"'sources\.service\.retry_seconds' must be"):
        load_night_config(write(tmp_path, raw))


def test_a_state_or_province_of_the_calendar_country_is_accepted(tmp_path):
    raw = base()
    raw["company"].update(calendar_country="US", calendar_subdivision="TX")
    assert load_night_config(write(tmp_path, raw)).company["calendar_subdivision"] == "TX"


def test_a_subdivision_the_country_does_not_have_is_refused_listing_the_ones_it_has(tmp_path):
    raw = base()
    raw["company"].update(calendar_country="AU", calendar_subdivision="XX")
    with pytest.raises(ConfigError, match=r"'company\.calendar_subdivision' is not a subdivision of AU.*NSW"):
        load_night_config(write(tmp_path, raw))


def test_a_calendar_country_the_holidays_library_does_not_know_is_refused(tmp_path):
    raw = base()
    raw["company"]["calendar_country"] = "ZZ"
    with pytest.raises(ConfigError, match=r"'company\.calendar_country' is not a country"):
        load_night_config(write(tmp_path, raw))


def test_the_overviews_targets_are_read_and_a_rate_past_100_is_refused_naming_the_key(tmp_path):
    raw = base()
    raw["targets"] = {"csat": 85, "nps": -20, "abandonment": 4.5}
    assert load_config(write(tmp_path, raw)).targets == {"csat": 85.0, "nps": -20.0, "abandonment": 4.5}
    raw["targets"] = {"otif": 120}
    with pytest.raises(ConfigError, match=r"'targets\.otif' must be between 0 and 100, got 120"):
        load_config(write(tmp_path, raw))
    raw["targets"] = {"nps": -101}
    with pytest.raises(ConfigError, match=r"'targets\.nps' must be between -100 and 100"):
        load_config(write(tmp_path, raw))
    raw["targets"] = {"churn": 5}
    with pytest.raises(ConfigError, match=r"unknown key 'targets\.churn'"):
        load_config(write(tmp_path, raw))


def test_money_is_in_the_configured_currency_else_the_calendar_countrys_and_an_unknown_code_is_refused(tmp_path):
    raw = base()
    raw["company"]["calendar_country"] = "DE"
    assert load_config(write(tmp_path, raw)).currency == "EUR"
    raw["company"]["currency"] = "CHF"
    assert load_config(write(tmp_path, raw)).currency == "CHF"
    raw["company"]["currency"] = "EURO"
    with pytest.raises(ConfigError, match=r"'company\.currency' is not an ISO 4217 currency code: 'EURO'"):
        load_config(write(tmp_path, raw))
