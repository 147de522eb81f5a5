"""Starting a campaign (the trainer only, bad input refused) and its figures from the stored log."""
from __future__ import annotations

import pytest

from sandbox.metrics.campaigns import campaigns
from sandbox.services import campaigns as campaign_service
from sandbox.services import feed, room_log
from sandbox.services.errors import InvalidInput, NotAllowed
from sandbox.store import read_session, write_session


def test_the_trainer_starts_a_campaign_and_tagged_posts_count(fresh_db, workshop, trainer, learner, colleague, clock):
    with write_session(fresh_db) as session:
        tag = campaign_service.start_campaign(session, trainer, "#RoomBooking", 3, 45, now=clock.advance(1))
    assert tag == "roombooking"
    with write_session(fresh_db) as session:
        post = feed.create_post(session, learner, "Book rooms early #roombooking", now=clock.advance(60))
        feed.reply(session, colleague, post.id, "Agreed #roombooking", now=clock.advance(60))
        feed.react(session, colleague, post.id, "like", now=clock.advance(5))
    with read_session(fresh_db) as session:
        activities = room_log.load_activities(session, workshop.workshop.id)
    [campaign] = campaigns(activities)
    assert (campaign.tag, campaign.goal, campaign.posts, campaign.people, campaign.reactions) == (
        "roombooking", 3, 2, 2, 1)


@pytest.mark.parametrize(("tag", "goal", "minutes", "message"), [
    ("", 10, 60, "A tag is empty"),
    ("room booking!", 10, 60, "can only use letters"),
    ("rooms", 0, 60, "The goal is a number of posts from 1 to 1000."),
    ("rooms", 10, 0, "A campaign runs from 1 minute to 8 hours."),
])
def test_bad_campaigns_are_refused_with_one_clear_message(fresh_db, trainer, clock, tag, goal, minutes, message):
    with pytest.raises(InvalidInput, match=message), write_session(fresh_db) as session:
        campaign_service.start_campaign(session, trainer, tag, goal, minutes, now=clock.now)


def test_only_the_trainer_starts_a_campaign(fresh_db, learner, clock):
    with pytest.raises(NotAllowed), write_session(fresh_db) as session:
        campaign_service.start_campaign(session, learner, "rooms", 10, 60, now=clock.now)
