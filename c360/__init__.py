"""c360: the customer-360 warehouse."""
