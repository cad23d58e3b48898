"""The Streamlit dashboard: `streamlit_app.py` routes, `views/` render, `data.py` queries."""
