"""The Streamlit dashboard: `streamlit_app.py` routes, `pages/` render, `data.py` queries."""
