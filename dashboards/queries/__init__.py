"""The dashboard's queries, one module per page (dashboards/pages/<page>.py)."""
