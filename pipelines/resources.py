"""The one resource every asset shares: the c360 config file and the warehouse it names."""

import os

import dagster as dg
import duckdb
from pydantic import PrivateAttr

from c360.config import Config
from c360.warehouse import PRIVATE_UMASK, WarehousePaths, connect_work
from connectors.registry import load_night_config


class C360Config(dg.ConfigurableResource):
    """Path to the c360 YAML config (defaults to $C360_CONFIG, else ./c360.yml).

    While a run uses it, the process's umask is 077: what the steps write under the warehouse
    (the working database and its WAL, dlt's files, dbt's) is private from the moment it exists,
    also in runs that `c360 run` does not start (the Dagster daemon, `dagster dev`)."""

    config_path: str = ""
    _umask_before: int | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        self._umask_before = os.umask(PRIVATE_UMASK)

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        if self._umask_before is not None:
            os.umask(self._umask_before)

    def load(self) -> Config:
        return load_night_config(self.config_path or None)

    def paths(self) -> WarehousePaths:
        return WarehousePaths(self.load().warehouse_dir)

    def connect_work(self) -> duckdb.DuckDBPyConnection:
        """The working database, with the memory limit the config sets."""
        config = self.load()
        return connect_work(WarehousePaths(config.warehouse_dir), config.memory_limit)
