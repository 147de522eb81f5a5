"""Thin Streamlit pages, one script each; sandbox/app.py lists them in st.navigation."""
