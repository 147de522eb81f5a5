"""Trainer console: export and debrief. Downloads made by the same code the CLI uses.

- The debrief report (HTML): the dashboard's figures and what each mission showed.
- The export (JSON with members, or CSV of the activities) for the graded
  notebooks, from ``sandbox.services.export`` like ``insideout workshop export``.
"""
from __future__ import annotations

import streamlit as st

from sandbox.errors import InsideOutError
from sandbox.reports import build_debrief
from sandbox.services import export as export_service
from sandbox.ui import state
from sandbox.ui.db import reading, utc_now
from sandbox.ui.pages.console_common import require_console_trainer

PSEUDONYMISE_KEY = state.widget_key("export_pseudonymise")

trainer, workshop = require_console_trainer()

st.title("Export and debrief")
now = utc_now()
stamp = now.strftime("%Y%m%d-%H%M")

st.header("Debrief report")
st.write("One web page with every dashboard figure (each as a sentence and a table) and what each "
         "mission showed. It opens offline and prints well.")
try:
    with reading() as session:
        report = build_debrief(session, workshop.code, now=now)
except InsideOutError as error:
    st.error(str(error), icon=":material/error:")
else:
    st.download_button("Download the debrief report (HTML)", report.encode("utf-8"),
                       file_name=f"debrief-{workshop.code}-{stamp}.html", mime="text/html",
                       icon=":material/download:")

st.header("Activity export")
st.write("The activity log for the graded notebooks (exercise m11, Measuring adoption, reads it). "
         "JSON holds the members too; CSV has one row per action.")
pseudonymise = st.checkbox("Replace learners' names with pseudonyms (the same learner gets the same one "
                           "in every export)", key=PSEUDONYMISE_KEY)
try:
    with reading() as session:
        data = export_service.build_export(session, workshop.code, now=now, pseudonymise=pseudonymise)
except InsideOutError as error:
    st.error(str(error), icon=":material/error:")
else:
    st.caption(f"{len(data['activities'])} actions by {len(data['members'])} members.")
    suffix = "-pseudonymised" if pseudonymise else ""
    json_column, csv_column = st.columns(2)
    with json_column:
        st.download_button("Download JSON", export_service.render_export(data, ".json").encode("utf-8"),
                           file_name=f"insideout-{workshop.code}-{stamp}{suffix}.json",
                           mime="application/json", icon=":material/download:")
    with csv_column:
        st.download_button("Download CSV", export_service.render_export(data, ".csv").encode("utf-8"),
                           file_name=f"insideout-{workshop.code}-{stamp}{suffix}.csv",
                           mime="text/csv", icon=":material/download:")
