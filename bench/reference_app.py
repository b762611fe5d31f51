"""The floor of the framework: one Plotly chart and one sidebar multiselect, same Streamlit."""

import plotly.graph_objects as go
import streamlit as st

choice = st.sidebar.multiselect("Series", ["a", "b", "c"], key="series")
keep = choice or ["a", "b", "c"]
fig = go.Figure([go.Scatter(x=list(range(50)), y=[i * (k + 1) for i in range(50)], name=s) for k, s in enumerate(keep)])
fig.update_layout(title="Reference chart", height=420)
st.plotly_chart(fig)
