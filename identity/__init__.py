"""Identity resolution: which source records are the same person and the same customer.

Plain Python and SQL on the working warehouse (no Dagster imports); `pipelines/` wires it
between the dbt models that prepare the records and the marts that use the result."""
