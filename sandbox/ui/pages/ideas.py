"""Placeholder while the back end's service lands (work in progress, not done)."""
import streamlit as st

st.title("Ideas")
st.write("This part of the sandbox is being built.")
