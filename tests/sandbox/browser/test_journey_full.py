"""The whole learner journey in Chromium, with axe-core on every page and state visited.

Join, post with a #tag and an @mention, see a colleague's post arrive live,
reply, react, edit a wiki page and see the diff, bookmark with tags, vote on an
idea, RSVP to an event, pick times, search; then the trainer's pages.
"""
from __future__ import annotations

from datetime import timedelta

import pytest

from sandbox.services import events, feed, ideas, wiki, workshops
from sandbox.store import write_session
from sandbox_browser import choose, click, go_to, join, open_composer, press, sign_in_as_trainer, wait_for_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def colleague(sandbox_server):
    """Ben (Finance) joined earlier and left something on every board."""
    now = sandbox_server.now()
    with write_session(sandbox_server.engine) as session:
        ben = workshops.join(session, sandbox_server.code, "Ben Jones", "Finance", accept_policy=True,
                             client_key="fixture", now=now).member
        wiki.create_page(session, ben, "Booking a room",
                         "1. Open the Word file on the share\n2. Email Estates", now=now)
        ideas.create_idea(session, ben, "Shared team calendar", "One calendar for rooms", now=now)
        events.create_event(session, ben, "Digital drop-in", now + timedelta(days=2),
                            location="Library", now=now)
        start = (now + timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
        events.create_schedule_poll(session, ben, "Team retro", [start, start + timedelta(hours=2)],
                                    now=now)
    return ben


def test_full_learner_journey(page, sandbox_server, colleague, assert_accessible):
    join(page, sandbox_server, "Dana Patel")

    # Feed: a post with a #tag and an @mention.
    open_composer(page)
    page.get_by_role("textbox", name="Your post").fill("Hello from the library #welcome @ben-jones")
    click(page, page.get_by_role("button", name="Post", exact=True))
    page.get_by_text("Posted.").wait_for()
    wait_for_app(page)
    page.get_by_role("article", name="Post by Dana Patel").get_by_role("link", name="@ben-jones").wait_for()

    # A colleague posts; the live fragment offers it without a reload.
    with write_session(sandbox_server.engine) as session:
        feed.create_post(session, colleague, "Welcome Dana! #welcome", now=sandbox_server.now())
    page.get_by_role("button", name="1 new post — show them").wait_for(timeout=20_000)
    assert_accessible(page, "feed with the new-posts notice")
    click(page, page.get_by_role("button", name="1 new post — show them"))
    page.get_by_role("article", name="Post by Ben Jones").wait_for()
    wait_for_app(page)

    # React and reply to Ben.
    ben_card = page.get_by_role("article", name="Post by Ben Jones")
    ben_card.wait_for()
    click(page, page.get_by_role("button", name="Celebrate", exact=False).first)
    page.get_by_role("button", name="Celebrate 1 ✓").first.wait_for()
    click(page, page.get_by_role("button", name="Reply (0 replies)").first)
    page.get_by_role("textbox", name="Your reply").fill("Thanks Ben!")
    click(page, page.get_by_role("button", name="Post reply"))
    page.get_by_text("Reply posted.").wait_for()
    wait_for_app(page)
    assert_accessible(page, "feed with a thread open")

    # The #welcome link filters the feed and keeps Dana signed in.
    page.get_by_role("link", name="#welcome").first.click()
    page.get_by_text("Showing posts tagged #welcome.").wait_for()
    wait_for_app(page)
    page.get_by_text("Dana Patel (Library)").first.wait_for()
    assert_accessible(page, "feed filtered by a tag")

    # Wiki: edit the procedure, see the diff, who edited.
    go_to(page, "Wiki")
    page.get_by_role("heading", name="Booking a room").wait_for()
    assert_accessible(page, "wiki page")
    box = page.get_by_role("textbox", name="Page text (Markdown)", exact=True)
    press(page, page.get_by_text("Edit", exact=True), box)
    box.fill("1. Fill in the online booking form\n2. Email Estates")
    page.get_by_role("textbox", name="What did you change? (a short summary)").fill("Form, not Word")
    assert_accessible(page, "wiki editor")
    click(page, page.get_by_role("button", name="Save a new version"))
    page.get_by_text("Saved as a new version.").wait_for()
    wait_for_app(page)
    press(page, page.get_by_text("History", exact=True), page.get_by_text("1 line differs."))
    diff = page.get_by_role("table")
    assert "Open the Word file on the share" in diff.inner_text()
    assert "Fill in the online booking form" in diff.inner_text()
    assert_accessible(page, "wiki history with a side-by-side diff")
    press(page, page.get_by_text("Who edited", exact=True),
          page.get_by_text("Dana Patel (Library): 1 version", exact=False))
    assert_accessible(page, "wiki: who edited")

    # Bookmarks with tags (one reused, one new).
    go_to(page, "Bookmarks")
    page.get_by_role("textbox", name="Link (web address)").fill("https://example.org/rooms")
    page.get_by_role("textbox", name="Title").fill("Room booking form")
    tags = page.get_by_role("combobox", name="Tags")
    choose(page, tags, "welcome", typed="welcome")
    tags.fill("rooms")
    tags.press("Enter")
    page.keyboard.press("Escape")
    click(page, page.get_by_role("button", name="Save the link"))
    page.get_by_text("Saved to the shared bookmarks.").wait_for()
    wait_for_app(page)
    page.get_by_role("link", name="Room booking form").wait_for()
    assert "#welcome #rooms" in page.get_by_role("article", name="Bookmark Room booking form").inner_text() \
        or "#rooms #welcome" in page.get_by_role("article", name="Bookmark Room booking form").inner_text()
    assert_accessible(page, "bookmarks")

    # Idea board: spend a vote.
    go_to(page, "Idea board")
    page.get_by_text("You have 5 of 5 votes left.").wait_for()
    click(page, page.get_by_role("button", name="Vote for: Shared team calendar"))
    page.get_by_text("You have 4 of 5 votes left.").wait_for()
    wait_for_app(page)
    assert_accessible(page, "idea board after voting")

    # Events: RSVP and pick a time.
    go_to(page, "Events and scheduling")
    press(page, page.get_by_text("Going", exact=True).first, page.get_by_text("Going: Dana Patel"))
    picks = page.get_by_role("combobox", name="Times you can make for Team retro")
    choose(page, picks)
    page.keyboard.press("Escape")
    click(page, page.get_by_role("button", name="Save my times"))
    page.get_by_text("Your times are saved.").wait_for()
    page.get_by_text("★ best so far: Dana Patel").first.wait_for()
    wait_for_app(page)
    assert_accessible(page, "events after RSVP and picking times")

    # Search, groups, notifications.
    go_to(page, "Search")
    page.get_by_role("textbox", name="Search for").fill("booking")
    click(page, page.get_by_role("button", name="Search", exact=True))
    page.get_by_role("heading", name="Wiki pages").wait_for()
    wait_for_app(page)
    assert_accessible(page, "search results")
    go_to(page, "Groups")
    page.get_by_role("textbox", name="Group name").fill("Library pilot")
    click(page, page.get_by_role("button", name="Create the group"))
    page.get_by_role("heading", name="Library pilot").wait_for()
    wait_for_app(page)
    assert_accessible(page, "groups")
    go_to(page, "Notifications")
    page.get_by_role("heading", name="Notifications").wait_for()
    wait_for_app(page)
    assert_accessible(page, "notifications")

    assert page.external_requests == [], page.external_requests


def test_trainer_pages(page, sandbox_server, colleague, assert_accessible):
    sign_in_as_trainer(page, sandbox_server)
    page.get_by_role("heading", name="Feed").wait_for()
    press(page, page.get_by_role("button", name="Pin").first, page.get_by_role("heading", name="Pinned"))
    assert_accessible(page, "trainer feed with a pinned post")
    go_to(page, "Trainer tools")
    page.get_by_text(sandbox_server.code).first.wait_for()
    assert_accessible(page, "trainer tools")
    go_to(page, "Idea board")
    page.get_by_role("combobox", name="Status").first.wait_for()
    assert_accessible(page, "idea board as the trainer")
    assert page.external_requests == [], page.external_requests
