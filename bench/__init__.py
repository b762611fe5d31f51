"""Benchmarks of the dashboard against a bare Streamlit page (see bench/README.md)."""
