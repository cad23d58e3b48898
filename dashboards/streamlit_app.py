"""The c360 dashboard: `c360 dashboard` (or `streamlit run dashboards/streamlit_app.py`).
Draws what every page shares (language, filters) and routes to the pages."""

import sys
from pathlib import Path

import streamlit as st

# run as a script by `streamlit run`, which runs it again on every click: added once, as a path added
# on each run made every later import and Streamlit's scan of installed packages slower
_REPOSITORY = str(Path(__file__).resolve().parents[1])
if _REPOSITORY not in sys.path:
    sys.path.insert(0, _REPOSITORY)

from dashboards import auth, data, filters, i18n  # noqa: E402
from dashboards.i18n import t  # noqa: E402

# the icon is a file of the app: an emoji or a named icon would be fetched from the internet,
# which fails offline and behind some national firewalls
FAVICON = Path(__file__).parent / "static" / "favicon.png"
st.set_page_config(page_title="c360", page_icon=str(FAVICON), layout="wide")

# Not "pages/": Streamlit runs a file of a folder named pages/ by itself when a deep link is the
# first request after the server starts, before this script has set up the navigation, so that
# page ran without the sidebar and without the sign-in (require_login below).
PAGES = Path(__file__).parent / "views"
# (file, title key, icon); the file name is the page's URL, the same in every language
LAYOUT = [
    ("overview.py", "page.overview", ":material/dashboard:"),
    ("customer_360.py", "page.customer_360", ":material/person_search:"),
    ("satisfaction.py", "page.satisfaction", ":material/sentiment_satisfied:"),
    ("service_calls.py", "page.service_calls", ":material/support_agent:"),
    ("delivery.py", "page.delivery", ":material/local_shipping:"),
    ("segments_churn.py", "page.segments_churn", ":material/pie_chart:"),
    ("open_promises.py", "page.open_promises", ":material/assignment_late:"),
    ("pipeline.py", "page.pipeline", ":material/filter_alt:"),
    ("worklist.py", "page.worklist", ":material/checklist:"),
    ("data_health.py", "page.data_health", ":material/monitor_heart:"),
]
# opened from a figure (its Details), not from the menu: the list behind one headline figure
HIDDEN = [("figure_details.py", "page.figure_details", ":material/list_alt:")]

i18n.language_switch()
st.session_state["c360_viewer_role"] = auth.require_login()  # stops here until someone signs in
version = data.publish_version()
if version is not None:
    filters.sidebar(version)

pages = [
    st.Page(str(PAGES / file), title=t(title), icon=icon, default=(file == "overview.py"))
    for file, title, icon in LAYOUT
] + [st.Page(str(PAGES / file), title=t(title), icon=icon, visibility="hidden") for file, title, icon in HIDDEN]
st.navigation(pages).run()
