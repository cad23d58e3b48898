"""Sales: the CRM database (Salesforce object model) through SQLAlchemy."""
