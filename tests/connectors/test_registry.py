"""The source registry: one declaration per source system, and a fifth found without a change
to any existing file (README, "Adding a source system")."""

from __future__ import annotations

import textwrap

import pytest

import connectors
from c360.config import ConfigError
from connectors.registry import load_night_config, source_systems
from data_quality.contracts import CONTRACTS


def test_the_four_systems_declare_their_tables_watermark_and_config_and_each_table_has_a_contract():
    systems = source_systems()
    assert list(systems) == ["call_center", "logistics", "sales", "service"]
    for name, system in systems.items():
        assert system.name == name and system.tables
        assert system.watermark[0] in system.tables
        assert system.settings.keys, f"{name} declares its config keys"
        for table in system.tables:
            assert f"{name}.{table}" in CONTRACTS, f"{name}.{table} has no contract"


FIFTH = """
from c360.config import SourceSettings
from connectors.registry import SourceSystem


def plan(context):
    raise NotImplementedError


SOURCE = SourceSystem(
    name="warranty",
    tables=("claims",),
    watermark=("claims", "updated_at"),
    plan=plan,
    settings=SourceSettings({"landing_dir": (True, str)}),
)
"""


@pytest.fixture
def fifth_source(tmp_path, monkeypatch):
    """A `warranty` connector package, in a folder of its own added to the connectors package."""
    package = tmp_path / "plugins" / "warranty"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text('"""A fifth source."""\n', encoding="utf-8")
    (package / "source.py").write_text(textwrap.dedent(FIFTH), encoding="utf-8")
    monkeypatch.setattr(connectors, "__path__", [*connectors.__path__, str(tmp_path / "plugins")])
    source_systems.cache_clear()
    yield
    source_systems.cache_clear()


def test_a_fifth_source_package_is_found_and_its_config_section_checked_by_its_own_keys(fifth_source, tmp_path):
    assert "warranty" in source_systems()
    from tests.c360.test_config import base, write

    raw = base()
    raw["sources"]["warranty"] = {"landing_dir": "claims", "colour": "blue"}
    with pytest.raises(ConfigError, match=r"unknown key 'sources\.warranty\.colour'"):
        load_night_config(write(tmp_path, raw))
    raw["sources"]["warranty"] = {"landing_dir": "claims"}
    config = load_night_config(write(tmp_path, raw))
    assert config.source("warranty") == {"landing_dir": "claims"}
