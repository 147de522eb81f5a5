"""Self-assessment: where a learner is before the workshop, and again at the end.

The questions are ``sandbox/assessment/questions.yaml`` (the course page prints
the same file). Answers are activity rows written by
``sandbox.services.assessment``; the trainer's dashboard shows only the room's
totals. The "before" round is offered from joining; the "after" round once the
trainer opens it (or, in self-study, once every mission is complete).
"""
from __future__ import annotations

import streamlit as st

from sandbox.assessment import load_questions
from sandbox.services import assessment
from sandbox.store.models import Member, Workshop
from sandbox.ui import state
from sandbox.ui.actions import run_action, show_error
from sandbox.ui.db import reading
from sandbox.ui.overview import assessment_rounds
from sandbox.ui.pages_common import require_member

FORM = "assessment"
QUESTIONS = load_questions()

member = require_member()

st.title("Self-assessment")
state.show_flash()

if member.kind != "learner":
    st.write("The self-assessment is for learners. Open the 'after' round, and see how many have answered, "
             "on the console's **Self-assessment rounds** page.")
    st.stop()

with reading() as session:
    me = session.get(Member, member.id)
    rounds = assessment_rounds(session, me, session.get(Workshop, me.workshop_id))
due = rounds.due()


def key(round_: str, item: str) -> str:
    return state.widget_key("assessment", round_, item)


def _save(round_: str) -> None:
    answers = {item: st.session_state.get(key(round_, item)) for item in QUESTIONS.item_ids()}
    run_action(FORM, assessment.answer_round, me, round_, answers,
               success="Thank you! Your answers are saved." + (
                   " The same questions come back at the end, so you can see what changed."
                   if round_ == "before" else ""))


def _skip(round_: str) -> None:
    run_action(FORM, assessment.skip_round, me, round_,
               success="No problem: you skipped this round. You can carry on with the workshop.")


if due is None:
    if rounds.after in ("answered", "skipped"):
        st.write("Thank you: you have finished both rounds of the self-assessment.")
    else:
        first = ("Thank you for the first round." if rounds.before == "answered"
                 else "You skipped the first round; that is fine.")
        st.write(f"{first} The 'after' round opens at the end of the workshop: your trainer opens it, "
                 "or, if you are studying on your own, it opens once you have completed every mission.")
    st.stop()

if due == "before":
    st.write("Before you start: where are you now? Five statements about confidence and six quick "
             "questions, about four minutes. It is not a test and nothing is marked: it is fine to guess. "
             "At the end you answer the same questions again, so you and your trainer can see what "
             "changed. The trainer's dashboard shows only the whole room's totals.")
else:
    st.write("The same questions as at the start. Answer as you feel now, without looking back: "
             "the dashboard compares the room's two rounds.")

show_error(FORM)
with st.form(f"assessment_{due}"):
    st.subheader("Part 1: confidence")
    st.write("How confident do you feel about each of these?")
    for statement in QUESTIONS.confidence:
        item = f"confidence.{statement.id}"
        st.radio(f"{QUESTIONS.number(item)}. I can {statement.text.lstrip('.…')}",
                 options=list(range(1, len(QUESTIONS.scale) + 1)), index=None,
                 format_func=lambda value: QUESTIONS.scale[value - 1], key=key(due, item))
    st.subheader("Part 2: quick questions")
    st.write("Choose the one answer you think is best.")
    for question in QUESTIONS.knowledge:
        item = f"knowledge.{question.id}"
        texts = {option.key: f"{option.key}. {option.text}" for option in question.options}
        st.radio(f"{QUESTIONS.number(item)}. {question.question}", options=list(texts), index=None,
                 format_func=texts.get, key=key(due, item))
    st.form_submit_button("Save my answers", type="primary", on_click=_save, args=(due,))
st.button("Skip this round", on_click=_skip, args=(due,), key=state.widget_key("assessment_skip", due),
          help="You won't be asked this round again.")
