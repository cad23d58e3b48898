"""The one resource every asset shares: the c360 config file and the warehouse it names."""

import dagster as dg
import duckdb

from c360.config import Config, load_config
from c360.warehouse import WarehousePaths, connect_work


class C360Config(dg.ConfigurableResource):
    """Path to the c360 YAML config (defaults to $C360_CONFIG, else ./c360.yml)."""

    config_path: str = ""

    def load(self) -> Config:
        return load_config(self.config_path or None)

    def paths(self) -> WarehousePaths:
        return WarehousePaths(self.load().warehouse_dir)

    def connect_work(self) -> duckdb.DuckDBPyConnection:
        """The working database, with the memory limit the config sets."""
        config = self.load()
        return connect_work(WarehousePaths(config.warehouse_dir), config.memory_limit)
