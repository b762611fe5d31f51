"""The floor of the framework: one Plotly chart and one sidebar multiselect, same Streamlit.

With ``REFERENCE_BOUND=1`` in its environment the multiselect is bound to the URL
(``bind="query-params"``), as every filter of the dashboard is (``python -m bench.ab --bound-reference``)."""

import os

import plotly.graph_objects as go
import streamlit as st

bound = {"bind": "query-params"} if os.environ.get("REFERENCE_BOUND") == "1" else {}
choice = st.sidebar.multiselect("Series", ["a", "b", "c"], key="series", **bound)
keep = choice or ["a", "b", "c"]
fig = go.Figure([go.Scatter(x=list(range(50)), y=[i * (k + 1) for i in range(50)], name=s) for k, s in enumerate(keep)])
fig.update_layout(title="Reference chart", height=420)
st.plotly_chart(fig)
