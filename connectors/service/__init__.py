"""Service desk: the Zendesk-shaped HTTP API."""
