"""Dagster wiring only: assets for each source's load, the dbt project, publish; the nightly
job and its schedule. The logic lives in `connectors/`, `c360/` and `dbt_project/`."""
