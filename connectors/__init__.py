"""Source connectors: plain Python, no Dagster. One package per source system reads it,
checks each batch, and hands Arrow tables to `connectors.loader`."""
