"""Streamlit building blocks shared by the pages: data access, filters, URL state, sources."""
