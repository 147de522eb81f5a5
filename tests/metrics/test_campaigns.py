"""Campaign figures on hand-built logs."""
from __future__ import annotations

from sandbox.metrics.campaigns import campaigns
from tests.metrics.logbook import Logbook, minute


def test_a_campaign_counts_tagged_posts_people_and_reactions_in_its_window():
    log = Logbook()
    log.add(0, "ana", "post.create", "p0", tags=["roombooking"])       # before the start: not counted
    log.add(1, "tom", "campaign.start", "roombooking", tag="roombooking", goal=4, minutes=30)
    log.add(2, "ana", "post.create", "p1", tags=["roombooking", "estates"])
    log.add(3, "ben", "post.reply", "r1", thread="p1", tags=["RoomBooking"])  # tags compare as people read them
    log.add(4, "cat", "post.create", "p2", tags=["other"])
    log.add(5, "cat", "post.react", "p1", reaction="like")
    log.add(6, "ben", "post.react", "p2", reaction="like")             # not a campaign post
    log.add(40, "dan", "post.create", "p3", tags=["roombooking"])      # after the end: not counted
    [campaign] = campaigns(log.activities)
    assert (campaign.tag, campaign.goal, campaign.posts, campaign.people, campaign.reactions) == (
        "roombooking", 4, 2, 2, 1)
    assert campaign.progress == 0.5
    assert campaign.open_at(minute(10)) and not campaign.open_at(minute(31))
    assert campaign.summary(minute(10)) == "#roombooking: 2 of 4 posts (50%) by 2 people; 21 minutes left."
    assert campaign.summary(minute(45)) == "#roombooking: 2 of 4 posts (50%) by 2 people. The campaign has ended."


def test_starting_a_tag_again_replaces_its_goal_and_a_reached_goal_says_so():
    log = Logbook()
    log.add(0, "tom", "campaign.start", "wins", tag="wins", goal=5, minutes=60)
    log.add(1, "tom", "campaign.start", "tips", tag="tips", goal=1, minutes=60)
    log.add(2, "tom", "campaign.start", "wins", tag="wins", goal=1, minutes=60)
    log.add(3, "ana", "post.create", "p1", tags=["wins"])
    found = campaigns(log.activities)
    assert [(c.tag, c.goal) for c in found] == [("wins", 1), ("tips", 1)]  # newest first
    assert found[0].summary(minute(4)) == "#wins: 1 of 1 post (100%) by 1 person. Goal reached!"


def test_no_campaign_no_figures():
    assert campaigns([]) == []
