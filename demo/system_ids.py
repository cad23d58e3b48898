"""Ids the demo company's systems are set up with: the service desk's custom fields (the order
number and the category a ticket carries) and the call center's agents. The story (demo.history)
and the service desk's records (demo.service_desk_records) both use them."""

ORDER_NUMBER_FIELD_ID = 360001
CATEGORY_FIELD_ID = 360002
AGENTS = [f"Agent/{8000 + i}" for i in range(1, 13)]
