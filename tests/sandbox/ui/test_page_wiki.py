"""The wiki page: create, edit with a summary, history, side-by-side diff, revert, who edited."""
from __future__ import annotations

import pytest

from sandbox.services import wiki
from sandbox.store import read_session, write_session

from ui_helpers import button, texts


@pytest.fixture()
def procedure(app_db, colleague, clock):
    """Ben put the 'Word file on the share' procedure into the wiki."""
    with write_session(app_db) as session:
        return wiki.create_page(session, colleague, "Booking a room",
                                "1. Open the Word file\n2. Email Estates", now=clock.now)


def open_wiki(open_app, learner_sign_in):
    return open_app(token=learner_sign_in.session_token, page="wiki")


def test_empty_wiki_offers_to_start_a_page(open_app, learner_sign_in):
    at = open_wiki(open_app, learner_sign_in)
    assert not at.exception
    assert "no pages yet" in texts(at)


def test_create_a_page(open_app, learner_sign_in):
    at = open_wiki(open_app, learner_sign_in)
    at.text_input(key="w_wiki_new_title").input("Printing in colour")
    at.text_area(key="w_wiki_new_body").input("Use the **library** printer.")
    button(at, "Create the page").click().run()
    assert not at.exception
    assert "Page created" in texts(at)
    assert "<strong>library</strong>" in texts(at)


def test_edit_history_diff_revert_and_who_edited(open_app, learner_sign_in, procedure, app_db, learner):
    at = open_wiki(open_app, learner_sign_in)
    assert "Open the Word file" in texts(at)
    at.radio(key="io_wiki_view").set_value("Edit").run()
    at.text_area(key=f"w_wiki_body_{procedure.id}").input("1. Open the booking form\n2. Email Estates")
    at.text_input(key=f"w_wiki_summary_{procedure.id}").input("Form instead of Word")
    button(at, "Save a new version").click().run()
    assert not at.exception
    assert "Saved as a new version." in texts(at)

    at.radio(key="io_wiki_view").set_value("History").run()
    shown = texts(at)
    assert "Version 2 · Anna Smith" in shown and "Form instead of Word" in shown
    assert "Open the Word file" in shown and "Open the booking form" in shown
    assert "changed" in shown and "1 line differs." in shown

    at.selectbox(key=f"w_wiki_revert_{procedure.id}").set_value(1)
    button(at, "Restore this version").click().run()
    assert not at.exception
    with read_session(app_db) as session:
        assert wiki.get_page(session, learner, procedure.id).number == 3

    at.radio(key="io_wiki_view").set_value("Who edited").run()
    shown = texts(at)
    assert "Anna Smith (Library): 2 versions" in shown and "Ben Jones (Finance): 1 version" in shown


def test_edit_conflict_keeps_the_draft(open_app, learner_sign_in, procedure, app_db, colleague, clock):
    at = open_wiki(open_app, learner_sign_in)
    at.radio(key="io_wiki_view").set_value("Edit").run()
    with write_session(app_db) as session:
        wiki.edit_page(session, colleague, procedure.id, "Ben's newer text", base_number=1, now=clock.now)
    at.text_area(key=f"w_wiki_body_{procedure.id}").input("Anna's draft")
    button(at, "Save a new version").click().run()
    assert not at.exception
    assert "saved a newer version" in at.error[0].value
    assert at.text_area(key=f"w_wiki_body_{procedure.id}").value == "Anna's draft"


def test_empty_page_text_is_refused(open_app, learner_sign_in, procedure):
    at = open_wiki(open_app, learner_sign_in)
    at.radio(key="io_wiki_view").set_value("Edit").run()
    at.text_area(key=f"w_wiki_body_{procedure.id}").input("   ")
    button(at, "Save a new version").click().run()
    assert len(at.error) == 1
