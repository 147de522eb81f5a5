"""Trainer console: the threshold game (Granovetter, 1978).

Learners state "I'll join once X% have" on their missions page. Here the
trainer sees the cascade those thresholds predict, changes one person's
threshold to watch the outcome flip, and compares the prediction with what the
room actually did.
"""
from __future__ import annotations

import streamlit as st

from sandbox.metrics import cascade, find_flip, with_threshold
from sandbox.metrics.wording import percent, plural
from sandbox.ui import state
from sandbox.ui.components import charts
from sandbox.ui.components.text import md_escape
from sandbox.ui.pages.console_common import dashboard, require_console_trainer

PERSON_KEY = state.widget_key("game_person")
VALUE_KEY = state.widget_key("game_value")
SOURCE = ('Mark Granovetter, "Threshold Models of Collective Behavior", '
          "American Journal of Sociology 83(6), 1978")

trainer, workshop = require_console_trainer()

st.title("Threshold game")
st.write("Each learner answers on their Missions page: “I'll join once X% of my colleagues have.” "
         "Starting from the people who would go first, everyone whose threshold is reached joins, "
         "round after round, until nobody else would.")
st.caption(f"Source: {SOURCE}")

metrics, current = dashboard(workshop)
names = current.names()
game = metrics.threshold_game
thresholds = dict(game.predicted.thresholds)


def name(handle: str) -> str:
    """A person's display name, escaped: it goes into Markdown."""
    return md_escape(names.get(handle, handle))


if not thresholds:
    st.info("No one has stated a threshold yet. Ask the room to open Missions and answer the "
            "threshold question.", icon=":material/info:")
    st.stop()

charts.cascade_chart("What the room's thresholds predict", game.predicted)

st.header("Change one threshold")
st.write("Pick one person and give them a different threshold: a small change can flip the whole outcome.")
people = list(thresholds)
# Selectbox options are plain text: the raw name, not the escaped one.
person = st.selectbox("Person", people,
                      format_func=lambda handle: f"{names.get(handle, handle)} (now {percent(thresholds[handle])})",
                      key=PERSON_KEY)
new_value = st.slider("New threshold", min_value=0, max_value=100, step=1, format="%d%%",
                      value=round(thresholds[person] * 100), key=state.widget_key("game_value", person))
changed = cascade(with_threshold(thresholds, person, new_value / 100))
before, after = game.predicted, changed
st.markdown(
    f"With {name(person)} at {new_value}% instead of {percent(thresholds[person])}: "
    f"**{len(after.joined)} of {plural(after.population, 'person', 'people')} ({percent(after.final_share)})** "
    f"would join, against {len(before.joined)} ({percent(before.final_share)}) now."
)
charts.cascade_chart("The outcome with that one change", changed)

flip = find_flip(thresholds)
if flip is None:
    st.write("No single change of one person's threshold moves the outcome across half the room.")
else:
    st.success(
        f"Smallest change that flips the outcome: if {name(flip.person)} waited for {percent(flip.new)} "
        f"instead of {percent(flip.old)}, {len(flip.after.joined)} of "
        f"{plural(flip.after.population, 'person', 'people')} ({percent(flip.after.final_share)}) "
        f"would join instead of {len(flip.before.joined)} ({percent(flip.before.final_share)}).",
        icon=":material/swap_horiz:",
    )

st.header("Prediction against what the room did")
st.write(game.summary())
st.caption("“Actually contributed” is each person's first post, reply, page, bookmark or idea.")
st.table(charts.comparison_table(game, names))
