"""Source contracts: a Great Expectations suite per incoming table, checked on every batch."""
