"""Every source system's contracts, by "source.table": one module here per source system
(sales.py, service.py, ...), each listing the suites of its tables in CONTRACTS. A new source's
module is found here without a change to this file (README, "Adding a source system")."""

from __future__ import annotations

import importlib
import pkgutil

from data_quality.contract import Contract


def _suites() -> dict[str, Contract]:
    contracts: dict[str, Contract] = {}
    for module in pkgutil.iter_modules(__path__):
        for contract in importlib.import_module(f"{__name__}.{module.name}").CONTRACTS:
            contracts[contract.name] = contract
    return contracts


CONTRACTS = _suites()
