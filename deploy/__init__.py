"""Hosting the dashboard: nginx in front of several Streamlit processes (see deploy/README.md)."""
