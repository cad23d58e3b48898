"""The one resource every asset shares: the c360 config file and the warehouse it names."""

import dagster as dg

from c360.config import Config, load_config
from c360.warehouse import WarehousePaths


class C360Config(dg.ConfigurableResource):
    """Path to the c360 YAML config (defaults to $C360_CONFIG, else ./c360.yml)."""

    config_path: str = ""

    def load(self) -> Config:
        return load_config(self.config_path or None)

    def paths(self) -> WarehousePaths:
        return WarehousePaths(self.load().warehouse_dir)
