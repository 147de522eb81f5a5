"""Trainer console: export and debrief. Downloads made by the same code the CLI uses.

- The debrief report (HTML): the after-action review, the dashboard's figures and what
  each mission showed.
- The export (JSON with members, or CSV of the activities) for the graded
  notebooks, from ``sandbox.services.export`` like ``insideout workshop export``.

Files are made when the button is clicked (Streamlit calls the function on
its own thread), not on every rerun: a long log is read only when wanted.
The buttons do not rerun the page (``on_click="ignore"``): a rerun would
drop the pending file before Streamlit has made it.
"""
from __future__ import annotations

from datetime import datetime, timezone

import streamlit as st

from sandbox.reports import build_debrief
from sandbox.services import export as export_service
from sandbox.services import room_log
from sandbox.store import read_session
from sandbox.ui import state
from sandbox.ui.db import engine, reading, utc_now
from sandbox.ui.pages.console_common import require_console_trainer

PSEUDONYMISE_KEY = state.widget_key("export_pseudonymise")

trainer, workshop = require_console_trainer()
# Captured here: the download functions run outside the script, without Streamlit's caches.
store = engine()
code = workshop.code


def _now() -> datetime:
    return datetime.now(timezone.utc)


def debrief_file() -> bytes:
    with read_session(store) as session:
        return build_debrief(session, code, now=_now()).encode("utf-8")


def export_file(suffix: str, pseudonymise: bool):
    def make() -> bytes:
        with read_session(store) as session:
            data = export_service.build_export(session, code, now=_now(), pseudonymise=pseudonymise)
        return export_service.render_export(data, suffix).encode("utf-8")

    return make


st.title("Export and debrief")
stamp = utc_now().strftime("%Y%m%d-%H%M")
with reading() as session:
    size = room_log.log_fingerprint(session, workshop.id).count

st.header("Debrief report")
st.write("One web page: first the after-action review (each scripted step, what the room did after it, "
         "the observers' notes beside it and what you said as colleagues), then every dashboard figure "
         "(each as a sentence and a table) and what each mission showed. It opens offline and prints well.")
st.download_button("Download the debrief report (HTML)", debrief_file,
                   file_name=f"debrief-{code}-{stamp}.html", mime="text/html",
                   icon=":material/download:", on_click="ignore")

st.header("Activity export")
st.write("The activity log for the graded notebooks (exercise m11, Measuring adoption, reads it). "
         "JSON holds the members too; CSV has one row per action.")
pseudonymise = st.checkbox("Replace learners' names with pseudonyms (the same learner gets the same one "
                           "in every export)", value=True, key=PSEUDONYMISE_KEY)
st.caption(f"{size} actions recorded so far.")
suffix = "-pseudonymised" if pseudonymise else ""
json_column, csv_column = st.columns(2)
with json_column:
    st.download_button("Download JSON", export_file(".json", pseudonymise),
                       file_name=f"insideout-{code}-{stamp}{suffix}.json",
                       mime="application/json", icon=":material/download:", on_click="ignore")
with csv_column:
    st.download_button("Download CSV", export_file(".csv", pseudonymise),
                       file_name=f"insideout-{code}-{stamp}{suffix}.csv",
                       mime="text/csv", icon=":material/download:", on_click="ignore")
