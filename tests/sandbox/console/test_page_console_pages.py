"""The console pages other than the dashboard: run the session, missions, threshold game,
moderation, export and debrief. And the lock on every one of them."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sandbox.services import feed, moderation, workshops
from sandbox.simulation.timeline import released_keys
from sandbox.store import read_session, write_session
from sandbox.store.models import Activity, Post, Workshop

from console_helpers import button, texts
from conftest import APP, TIMEOUT

CONSOLE_PAGES = ["console_room", "console_dashboard", "console_missions", "console_threshold",
                 "console_moderation", "console_debrief", "console_gradebook", "console_replay"]


# --- the lock ---------------------------------------------------------------------------


@pytest.mark.parametrize("page", CONSOLE_PAGES)
def test_learner_app_does_not_know_the_console_page(open_app, learner_sign_in, page):
    at = open_app(token=learner_sign_in.session_token)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(f"ui/pages/{page}.py")


@pytest.mark.parametrize("page", CONSOLE_PAGES)
def test_console_script_run_alone_shows_a_learner_nothing(app_db, learner, colleague, clock, page):
    with write_session(app_db) as session:
        feed.create_post(session, colleague, "Secret-ish #rooms", now=clock.now)
    script = Path(APP).parent / "ui" / "pages" / f"{page}.py"
    at = AppTest.from_file(str(script), default_timeout=TIMEOUT)
    at.session_state["io_member"] = learner
    at.run()
    assert not at.exception
    assert "Only the trainer can use this page." in texts(at)
    assert not at.table and not at.get("download_button") and not at.button
    assert "Secret-ish" not in texts(at)


@pytest.mark.parametrize("page", CONSOLE_PAGES)
def test_console_script_run_alone_without_anyone_signed_in(app_db, page):
    script = Path(APP).parent / "ui" / "pages" / f"{page}.py"
    at = AppTest.from_file(str(script), default_timeout=TIMEOUT).run()
    assert not at.exception
    assert "Please join the workshop first." in texts(at)


@pytest.mark.parametrize("page", CONSOLE_PAGES)
def test_every_console_page_opens_for_the_trainer(as_trainer, learner, page):
    at = as_trainer(page)
    assert not at.exception
    assert at.title


# --- run the session ----------------------------------------------------------------------


def test_phase_change_is_stored(as_trainer, app_db, workshop):
    at = as_trainer("console_room")
    at.radio(key="w_console_phase").set_value("debrief").run()
    assert not at.exception
    assert "Phase changed." in texts(at)
    with read_session(app_db) as session:
        assert session.get(Workshop, workshop.workshop.id).phase == "debrief"


def test_clock_start_pause_resume(as_trainer, app_db, workshop):
    at = as_trainer("console_room")
    assert "The clock has not started" in texts(at)
    assert "waiting for the clock" in texts(at)
    button(at, "Start the clock now").click().run()
    assert "Running: minute 0" in texts(at)
    button(at, "Pause the clock").click().run()
    assert "Paused at minute 0" in texts(at)
    with read_session(app_db) as session:
        assert session.get(Workshop, workshop.workshop.id).clock_paused_at is not None
    button(at, "Resume the clock").click().run()
    assert not at.exception
    assert "Running: minute" in texts(at)


def test_timeline_lists_every_inject_with_its_status(as_trainer, workshop):
    from sandbox.simulation import load_scenario

    at = as_trainer("console_room")
    timeline = at.table[0].value
    assert len(timeline) == len(load_scenario("college").injects)
    assert set(timeline.columns) == {"Minute", "Who", "What", "Status"}
    assert "Priya" in " ".join(timeline["Who"])


def test_reset_needs_the_code_then_empties_the_room(as_trainer, app_db, workshop, learner, clock):
    with write_session(app_db) as session:
        feed.create_post(session, learner, "Hello", now=clock.now)
    at = as_trainer("console_room")
    at.text_input(key="w_console_reset_code").input("WRONG")
    button(at, "Reset the workshop").click().run()
    assert "type the join code exactly" in texts(at)
    with read_session(app_db) as session:
        assert session.query(Activity).filter_by(workshop_id=workshop.workshop.id).count() > 0
    at.text_input(key="w_console_reset_code").input(workshop.workshop.code.lower())
    button(at, "Reset the workshop").click().run()
    assert not at.exception
    assert "The workshop is reset: the room is back as new" in texts(at)
    with read_session(app_db) as session:
        assert workshops.list_members(session, workshop.workshop.id, kind="learner") == []
        # The scenario's colleagues and their seed content are back; Anna's post is gone.
        assert workshops.list_members(session, workshop.workshop.id, kind="simulated")
        assert session.query(Activity).filter_by(workshop_id=workshop.workshop.id).count() > 0
        bodies = [post.body for post in session.query(Post).filter_by(workshop_id=workshop.workshop.id)]
        assert bodies and "Hello" not in bodies


# --- learners and missions ----------------------------------------------------------------


def test_matrix_shows_each_learner_and_mission(as_trainer, app_db, learner, colleague, clock):
    with write_session(app_db) as session:
        workshops.set_threshold(session, learner, 20, now=clock.now)
    at = as_trainer("console_missions")
    assert not at.exception
    shown = texts(at)
    assert "2 learners have completed 0.5 of 15 missions on average" in shown
    matrix = "".join(element.proto.body for element in at.get("html"))
    rows = re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', matrix)
    assert [name for name, _ in rows] == ["Anna Smith", "Ben Jones"]
    headings = re.findall(r'<th scope="col">(.*?)</th>', matrix)
    threshold_column = headings.index("9. Name your threshold") - 1  # the first column is the name
    cells = {name: re.findall(r"<td>(.*?)</td>", rest) for name, rest in rows}
    assert cells["Anna Smith"][threshold_column] == "✓ done"
    assert cells["Ben Jones"][threshold_column] == "not yet"
    assert cells["Anna Smith"][0] == "1 of 15"


def test_matrix_escapes_learner_names(as_trainer, join_as):
    join_as("Eve <img src=x onerror=alert(1)>")
    at = as_trainer("console_missions")
    matrix = "".join(element.proto.body for element in at.get("html"))
    assert "<img" not in matrix and "Eve &lt;img src=x onerror=alert(1)&gt;" in matrix


def test_matrix_without_learners(as_trainer):
    at = as_trainer("console_missions")
    assert "No learners have joined yet." in texts(at)


# --- threshold game -------------------------------------------------------------------------


def test_threshold_game_waits_for_answers(as_trainer, learner):
    at = as_trainer("console_threshold")
    assert not at.exception
    assert "No one has stated a threshold yet." in texts(at)


def test_threshold_game_predicts_flips_and_compares(as_trainer, app_db, join_as, clock):
    # Granovetter's riot in small: 0%, 25%, 50%, 75% among four people all join.
    people = [join_as(name) for name in ("Ada", "Bo", "Cy", "Di")]
    with write_session(app_db) as session:
        for person, value in zip(people, (0, 25, 50, 75)):
            workshops.set_threshold(session, person, value, now=clock.now)
        feed.create_post(session, people[0], "I'm in", now=clock.advance(10))
    at = as_trainer("console_threshold")
    assert not at.exception
    shown = texts(at)
    assert "These thresholds predict 4 of 4 people (100%) join, over 4 rounds." in shown
    assert "Smallest change that flips the outcome" in shown
    assert "The thresholds predicted 4 of 4 people would join; 1 did" in shown
    at.selectbox(key="w_game_person").set_value("bo").run()
    at.slider(key="w_game_value_bo").set_value(50).run()
    assert "With Bo at 50% instead of 25%: **1 of 4 people (25%)**" in texts(at)


# --- moderation -------------------------------------------------------------------------------


def test_hide_with_reason_is_logged_and_shown_again(as_trainer, app_db, learner, clock):
    with write_session(app_db) as session:
        post = feed.create_post(session, learner, "**Phone** 0123 456", now=clock.now)
    at = as_trainer("console_moderation")
    at.selectbox(key="w_moderate_post").set_value(post.id)
    at.text_input(key="w_moderate_reason").input("Personal details")
    button(at, "Hide it").click().run()
    assert not at.exception
    assert "Hidden. Learners no longer see it." in texts(at)
    log = at.table[0].value
    assert log.iloc[0]["What"] == "Hidden" and log.iloc[0]["Reason now"] == "Personal details"
    assert log.iloc[0]["Post"] == "**Phone** 0123 456"
    with read_session(app_db) as session:
        assert [e.hidden for e in moderation.moderation_log(session, learner.workshop_id)] == [True]
    button(at, "Show it again").click().run()
    assert "Shown again." in texts(at)
    assert list(at.table[0].value["What"]) == ["Shown again", "Hidden"]


def test_hide_without_reason_is_refused(as_trainer, app_db, learner, clock):
    with write_session(app_db) as session:
        feed.create_post(session, learner, "Fine post", now=clock.now)
    at = as_trainer("console_moderation")
    button(at, "Hide it").click().run()
    assert not at.exception
    assert len(at.error) == 1 and "reason" in at.error[0].value.lower()
    with read_session(app_db) as session:
        assert moderation.moderation_log(session, learner.workshop_id) == []


# --- export and debrief -----------------------------------------------------------------------


def test_debrief_page_offers_report_json_and_csv(as_trainer, app_db, learner, clock):
    with write_session(app_db) as session:
        feed.create_post(session, learner, "Hello #welcome", now=clock.now)
    at = as_trainer("console_debrief")
    assert not at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Download the debrief report (HTML)", "Download JSON", "Download CSV"]
    assert "actions recorded so far." in texts(at)


def test_timeline_shows_released_injects_once_the_clock_has_run(as_trainer, app_db, workshop):
    """The page ticks the simulation (on the real clock) before drawing the timeline."""
    from sandbox.simulation import clock as session_clock
    from sandbox.simulation import load_scenario
    from sandbox.simulation.seed import seed_workshop

    ten_minutes_ago = datetime.now(timezone.utc) - timedelta(minutes=10)
    with write_session(app_db) as session:
        # Priya and Tom must be in the room to post their steps; otherwise they read "skipped".
        seed_workshop(session, session.get(Workshop, workshop.workshop.id), load_scenario("college"),
                      ten_minutes_ago)
        session_clock.start_clock(session, session.get(Workshop, workshop.workshop.id), ten_minutes_ago)
    at = as_trainer("console_room")
    assert not at.exception
    timeline = at.table[0].value
    early = timeline[timeline["Minute"] <= 8]
    assert len(early) >= 1 and set(early["Status"]) == {"done"}, early
    assert "Running: minute 10" in texts(at)
    with read_session(app_db) as session:
        assert released_keys(session, workshop.workshop.id) >= {"inject:welcome-the-room"}


def test_threshold_game_escapes_names_in_sentences(as_trainer, app_db, join_as, clock):
    eve = join_as("Eve **Bold** [x](javascript:alert)")
    with write_session(app_db) as session:
        workshops.set_threshold(session, eve, 0, now=clock.now)
    at = as_trainer("console_threshold")
    assert not at.exception
    sentence = next(m.value for m in at.markdown if m.value.startswith("With "))
    assert "**Bold**" not in sentence and r"\*\*Bold\*\*" in sentence
    assert "](javascript" not in sentence


# --- the trainer's menu --------------------------------------------------------------


def _menu(at: AppTest) -> list[tuple[str, str]]:
    """The sidebar's menu top to bottom: ("heading", text) and ("link", label) pairs."""
    shown = []
    children = at.sidebar.children
    for index in sorted(children):
        node = children[index]
        if node.type == "subheader":
            shown.append(("heading", node.value))
        elif node.type == "page_link":
            shown.append(("link", node.proto.label))
    return shown


def test_trainer_menu_has_two_labelled_sections(open_app, trainer_token):
    """Issue 14, finding 7: 18 pages with nothing separating learner pages from the console."""
    at = open_app(token=trainer_token)
    assert not at.exception
    menu = _menu(at)
    headings = [text for kind, text in menu if kind == "heading"]
    assert headings[:2] == ["Learner pages", "Trainer console"], menu
    console_at = menu.index(("heading", "Trainer console"))
    learner_links = [text for kind, text in menu[:console_at] if kind == "link"]
    console_links = [text for kind, text in menu[console_at:] if kind == "link"]
    assert learner_links[0] == "Feed" and "Missions" in learner_links
    assert "Live dashboard" in console_links and "Moderation" in console_links
    assert not set(learner_links) & set(console_links)


def test_learner_menu_has_no_console_section(open_app, learner_sign_in):
    at = open_app(token=learner_sign_in.session_token)
    assert not at.exception
    assert ("heading", "Trainer console") not in _menu(at)


def test_trainer_gives_a_learner_a_new_return_code(as_trainer, learner_sign_in, app_db, workshop, clock):
    at = as_trainer("console_missions")
    at.selectbox(key="w_return_code_for").select(("anna-smith", "Anna Smith"))
    [b for b in at.get("form_submit_button") if b.label == "Give a new return code"][0].click().run()
    assert not at.exception
    issued = [s.value for s in at.success if "New return code for Anna Smith" in s.value]
    code = issued[0].split("**")[1]
    with write_session(app_db) as session:
        signed = workshops.come_back(session, workshop.workshop.code, "Anna Smith", code,
                                     client_key="t", now=clock.now)
    assert signed.member.handle == "anna-smith"
