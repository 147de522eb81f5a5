"""The Self-assessment page (learner) and the console's Self-assessment rounds page (trainer)."""
from __future__ import annotations

from sandbox.assessment import load_questions
from sandbox.services import assessment
from sandbox.store import read_session, write_session

from console_helpers import button, texts

QUESTIONS = load_questions()


def fill(at, round_: str, confidence: int, right: bool) -> None:
    for statement in QUESTIONS.confidence:
        at.radio(key=f"w_assessment_{round_}_confidence.{statement.id}").set_value(confidence)
    for question in QUESTIONS.knowledge:
        wrong = next(option.key for option in question.options if not option.right)
        at.radio(key=f"w_assessment_{round_}_knowledge.{question.id}").set_value(question.right if right else wrong)


def test_the_page_asks_the_questions_of_the_shared_file(as_anna):
    at = as_anna("assessment")
    assert not at.exception
    labels = [radio.label for radio in at.radio]
    assert len(labels) == 11
    assert labels[0] == "1. I can turn a shared document into a wiki page and keep it up to date."
    assert labels[7] == f"8. {QUESTIONS.knowledge[2].question}"
    assert at.radio[0].options == list(QUESTIONS.scale)
    assert "Before you start" in texts(at)


def test_a_learner_answers_before_then_after_once_the_trainer_opens_it(as_anna, app_db, learner, trainer, clock):
    at = as_anna("feed")
    assert "Before you start:" in texts(at)  # offered on every page until answered or skipped
    at = as_anna("assessment")
    button(at, "Save my answers").click().run()
    assert "Please answer every question" in texts(at)  # nothing chosen yet: one clear message
    fill(at, "before", 2, right=False)
    button(at, "Save my answers").click().run()
    assert not at.exception
    assert "Thank you! Your answers are saved." in texts(at)
    assert "The 'after' round opens at the end" in texts(at)
    assert "Before you start:" not in texts(as_anna("feed"))

    with write_session(app_db) as session:
        assessment.open_after_round(session, trainer, now=clock.now)
    assert "The 'after' round of the self-assessment is open" in texts(as_anna("feed"))
    at = as_anna("assessment")
    fill(at, "after", 4, right=True)
    button(at, "Save my answers").click().run()
    assert not at.exception
    assert "finished both rounds" in texts(at)
    with read_session(app_db) as session:
        assert assessment.member_rounds(session, learner) == assessment.MemberRounds("answered", "answered")


def test_skipping_stops_the_offer(as_anna, app_db, learner):
    at = as_anna("assessment")
    button(at, "Skip this round").click().run()
    assert not at.exception
    assert "you skipped this round" in texts(at)
    assert "You skipped the first round; that is fine." in texts(at)
    assert "Before you start:" not in texts(as_anna("feed"))


def test_trainer_opens_the_after_round_from_the_console(as_trainer, app_db, learner):
    at = as_trainer("console_assessment")
    assert not at.exception
    assert "1 learner in the room." in texts(at)
    button(at, "Open the 'after' round").click().run()
    assert not at.exception
    assert "The 'after' round is open." in texts(at)
    with read_session(app_db) as session:
        assert assessment.member_rounds(session, learner).after == "due"


def test_the_trainer_has_no_learner_round_and_sees_no_offer(as_trainer):
    at = as_trainer("feed")
    assert not at.exception
    assert "Before you start:" not in texts(at)
    assert "Self-assessment" not in [link.label for link in at.get("page_link")]
