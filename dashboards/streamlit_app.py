"""The c360 dashboard: `c360 dashboard` (or `streamlit run dashboards/streamlit_app.py`)."""

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script by `streamlit run`

st.set_page_config(page_title="c360 - customer 360", layout="wide")

pages = [
    st.Page(
        str(Path(__file__).parent / "pages" / "overview.py"),
        title="Overview",
        icon=":material/dashboard:",
        default=True,
    ),
]
st.navigation(pages).run()
