"""The dashboard's queries, one module per page (dashboards/views/<page>.py)."""
