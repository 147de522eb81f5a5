"""Every shipped mission on hand-built logs: not started, partly done (or a near miss), done."""
from __future__ import annotations

import pytest

from sandbox.simulation.missions import Step, evaluate, evaluate_room, parse_check
from sandbox.simulation.scenario import load_scenario
from tests.metrics.logbook import Logbook, minute

ME = "lee"
COLLEGE = load_scenario("college")
SEED_TAGS = COLLEGE.seed_tags()


def progress(mission_id: str, log: Logbook, who: str = ME):
    return evaluate(COLLEGE.mission(mission_id), who, log.activities, seed_tags=SEED_TAGS)


def room_background() -> Logbook:
    """What simulated colleagues did before the learner started."""
    log = Logbook()
    log.add(0, "tom", "post.create", "post-which-form", tags=["question", "room-booking"], kind="question")
    log.add(1, "jordan", "member.join")
    log.add(2, "jordan", "post.create", "post-jordan-hello", tags=["welcome"])
    log.add(3, "jordan", "post.create", "post-jordan-lunch", tags=["welcome"])
    log.add(4, "grace", "idea.create", "idea-live-chat")
    log.add(5, "grace", "group.create", "open-day-crew")
    return log


def test_nothing_done_gives_the_mission_hint():
    for mission in COLLEGE.missions:
        result = evaluate(mission, ME, room_background().activities, seed_tags=SEED_TAGS)
        assert not result.done, mission.id
        assert result.counted == 0, mission.id
        assert result.needed == (mission.check.count if isinstance(mission.check, Step) else mission.check.steps())
        assert result.hint, mission.id


def test_wiki_from_share():
    log = room_background()
    log.add(10, "carla", "wiki.edit", "room-booking", target="carla")  # before the page existed: not mine
    log.add(11, ME, "wiki.create", "room-booking")
    result = progress("wiki-from-share", log)
    assert (result.done, result.counted, result.needed) == (False, 1, 2)
    assert result.hint.startswith("Ask a colleague to improve your page")
    log.add(12, ME, "wiki.edit", "room-booking", target=ME)  # my own second edit does not count
    assert not progress("wiki-from-share", log).done
    log.add(14, "carla", "wiki.edit", "room-booking", target=ME)
    result = progress("wiki-from-share", log)
    assert result.done and result.counted == 2 and result.done_at == minute(14)
    assert result.hint == "Done: Rescue the Word file on the share."


def test_wiki_edit_colleague():
    log = room_background()
    log.add(10, ME, "wiki.create", "my-page")
    log.add(11, ME, "wiki.edit", "my-page", target=ME)
    assert not progress("wiki-edit-colleague", log).done
    log.add(12, ME, "wiki.edit", "claiming-expenses", target="maureen")  # a seed page
    assert progress("wiki-edit-colleague", log).done


def test_first_post():
    log = room_background()
    log.add(10, ME, "post.create", "p-untagged")
    log.add(11, "priya", "post.reply", "p-untagged", target=ME)
    result = progress("first-post", log)
    assert (result.done, result.counted) == (False, 1)
    assert result.hint == "Write a post with a #hashtag, such as #welcome."
    log.add(12, ME, "post.create", "p-tagged", tags=["welcome"])
    assert progress("first-post", log).done


def test_first_post_needs_a_reply_from_someone_else():
    log = room_background()
    log.add(10, ME, "post.create", "p1", tags=["welcome"])
    log.add(11, ME, "post.reply", "p1", target=ME)
    result = progress("first-post", log)
    assert (result.done, result.counted) == (False, 1)
    assert result.hint == "Wait for a reply, or reply to someone else while you wait."


def test_work_out_loud():
    log = room_background()
    log.add(10, ME, "post.create", "p1", tags=["timetable"])
    assert not progress("work-out-loud", log).done
    log.add(11, ME, "post.create", "p2", mentions=["aisha"])
    assert progress("work-out-loud", log).done


def test_work_out_loud_from_a_mention_row():
    log = room_background()
    log.add(10, ME, "post.create", "p1")
    log.add(10, ME, "post.mention", "p1", target="aisha")
    assert progress("work-out-loud", log).done


def test_answer_question():
    log = room_background()
    log.add(10, ME, "post.reply", "post-jordan-hello", target="jordan")  # not a question
    assert not progress("answer-question", log).done
    log.add(11, ME, "post.create", "p-mine", tags=["question"])
    log.add(12, ME, "post.reply", "p-mine", target=ME)  # my own question
    assert not progress("answer-question", log).done
    log.add(13, ME, "post.reply", "post-which-form", target="tom")
    assert progress("answer-question", log).done


def test_bookmark_three():
    log = room_background()
    log.add(10, ME, "bookmark.save", "b1", tags=["referencing"])  # seed tag
    log.add(11, ME, "bookmark.save", "b2", tags=["my-own-thing"])  # new tag
    log.add(12, ME, "bookmark.save", "b3", tags=["wifi"])  # seed tag
    log.add(13, ME, "bookmark.save", "b3", tags=["wifi"])  # the same bookmark again
    result = progress("bookmark-three", log)
    assert (result.done, result.counted, result.summary()) == (False, 2, "2 of 3 bookmarks")
    log.add(14, "ana", "bookmark.save", "b4", tags=["handover"])
    log.add(15, ME, "bookmark.save", "b5", tags=["handover"])  # someone else's tag
    assert progress("bookmark-three", log).done


def test_idea_reactions():
    log = room_background()
    log.add(10, ME, "idea.create", "idea-9")
    log.add(11, "raj", "idea.vote", "idea-9", target=ME)
    log.add(12, "raj", "idea.vote", "idea-9", target=ME)  # same person twice counts once
    log.add(13, "ana", "idea.vote", "idea-9", target=ME)
    log.add(14, "ana", "idea.unvote", "idea-9", target=ME)  # taken back
    log.add(15, "sam", "idea.vote", "idea-live-chat", target="grace")  # someone else's idea
    result = progress("idea-reactions", log)
    assert (result.done, result.counted) == (False, 1)
    assert result.hint == "Share your idea in the feed so two colleagues vote for it. 1 more vote to go."
    log.add(16, "ben", "idea.vote", "idea-9", target=ME)
    assert progress("idea-reactions", log).done


def test_spend_votes():
    log = room_background()
    log.add(10, ME, "idea.vote", "idea-live-chat", target="grace")
    log.add(11, ME, "idea.vote", "idea-quiet-room", target="sam")
    log.add(12, ME, "idea.vote", "idea-shared-calendar", target="grace")
    log.add(13, ME, "idea.unvote", "idea-shared-calendar", target="grace")
    assert not progress("spend-votes", log).done
    log.add(14, ME, "idea.vote", "idea-one-booking-page", target="tom")
    assert progress("spend-votes", log).done


def test_schedule_rsvp():
    log = room_background()
    log.add(10, ME, "event.rsvp", "event-lunch-and-learn", answer="going")
    result = progress("schedule-rsvp", log)
    assert (result.done, result.counted, result.hint) == (False, 1, "Pick your times in a scheduling poll.")
    log.add(11, ME, "schedule.vote", "sched-champions-catch-up")
    assert progress("schedule-rsvp", log).done


def test_search_first_needs_the_search_before():
    log = room_background()
    log.add(10, ME, "bookmark.save", "b1", tags=["wifi"])
    log.add(11, ME, "search.run", results=3)
    result = progress("search-first", log)
    assert (result.done, result.counted, result.hint) == (False, 1, "Bookmark or react to something you found.")
    log.add(12, ME, "post.react", "post-which-form", target="tom", reaction="like")
    result = progress("search-first", log)
    assert result.done and result.done_at == minute(12)


def test_state_threshold():
    log = room_background()
    log.add(10, "sam", "member.threshold", threshold=20)
    assert not progress("state-threshold", log).done
    log.add(11, ME, "member.threshold", threshold=30)
    assert progress("state-threshold", log).done


def test_welcome_newcomer():
    log = room_background()
    log.add(10, ME, "post.reply", "post-jordan-lunch", target="jordan")  # not the first post
    log.add(11, ME, "post.create", "p-mine")
    log.add(12, ME, "post.reply", "p-mine", target=ME)  # my own first post
    assert not progress("welcome-newcomer", log).done
    log.add(13, ME, "post.reply", "post-jordan-hello", target="jordan")
    assert progress("welcome-newcomer", log).done


def test_give_praise():
    log = room_background()
    log.add(10, "helen", "post.praise", "p7", target=ME)  # being praised is not giving praise
    assert not progress("give-praise", log).done
    log.add(11, ME, "post.praise", "p8", target="sam")
    assert progress("give-praise", log).done


def test_run_a_poll():
    log = room_background()
    log.add(10, ME, "poll.create", "poll-1")
    log.add(11, ME, "poll.vote", "poll-1")  # my own vote does not count
    log.add(12, "dev", "poll.vote", "poll-1")
    log.add(13, "tom", "poll.vote", "poll-1")
    log.add(14, "tom", "poll.vote", "poll-staff-quiz")  # someone else's poll
    result = progress("run-a-poll", log)
    assert (result.done, result.counted) == (False, 1)
    log.add(15, "grace", "poll.vote", "poll-1")
    assert progress("run-a-poll", log).done


def test_pilot_group():
    log = room_background()
    log.add(10, ME, "post.create", "p1", group="open-day-crew")  # someone else's group
    log.add(11, ME, "group.create", "pilot-expenses")
    result = progress("pilot-group", log)
    assert (result.done, result.counted, result.hint) == (False, 1, "Post the first message in your new group.")
    log.add(12, ME, "post.create", "p2", group="pilot-expenses")
    assert progress("pilot-group", log).done


def test_ids_are_matched_within_a_feature():
    """A poll and a post with the same id are different things."""
    log = room_background()
    log.add(10, "tom", "poll.create", "7")
    log.add(11, ME, "post.create", "7")
    log.add(12, "dev", "poll.vote", "7")
    log.add(13, "ana", "poll.vote", "7")
    log.add(14, "ben", "poll.vote", "7")
    assert not progress("run-a-poll", log).done


def test_learner_by_mission_matrix():
    log = room_background()
    log.add(10, ME, "post.praise", "p1", target="sam")
    matrix = evaluate_room(COLLEGE.missions, [ME, "sam"], log.activities, seed_tags=SEED_TAGS)
    assert list(matrix) == [ME, "sam"]
    assert list(matrix[ME]) == [mission.id for mission in COLLEGE.missions]
    assert matrix[ME]["give-praise"].done and not matrix["sam"]["give-praise"].done


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"verb": "post.create", "received": "post.reply"}, 'needs exactly one of "verb"'),
        ({"count": 2}, 'needs exactly one of "verb"'),
        ({"verb": "post.create", "count": 0}, "must be a whole number, 1 or more"),
        ({"verb": "post.create", "with_tag": "yes"}, "must be true or false"),
        ({"verb": "post.create", "on_own": True, "on_others": True}, "cannot be both"),
        ({"all_of": []}, "must be a list of at least one step"),
        ({"any_of": [{"verb": "post.create"}], "verb": "post.reply"}, "cannot sit next to any_of"),
        ("post.create", "must be a step"),
    ],
)
def test_check_language_problems(raw, message):
    found = []
    assert parse_check(raw, lambda path, text: found.append(text)) is None
    assert any(message in text for text in found), found


def test_missions_on_rows_shaped_like_the_feed_service():
    """Service rows: replies carry their own id and detail["thread"]; group and thread ids are ints."""
    log = Logbook()
    log.add(0, "tom", "post.create", "1", kind="question", tags=["question"], mentions=0)
    log.add(1, "jordan", "post.create", "2", kind="normal", tags=["welcome"], mentions=0)
    log.add(2, ME, "post.create", "3", kind="normal", tags=["welcome"], mentions=1)
    log.add(2, ME, "post.mention", "3", target="aisha")
    log.add(3, "priya", "post.reply", "4", target=ME, thread=3, kind="normal", tags=[], mentions=0)
    log.add(4, ME, "post.reply", "5", target="tom", thread=1, kind="normal", tags=[], mentions=0)
    log.add(5, ME, "post.reply", "6", target="jordan", thread=2, kind="normal", tags=[], mentions=0)
    log.add(6, ME, "group.create", "9")
    log.add(7, ME, "post.create", "7", kind="normal", tags=[], mentions=0, group=9)
    log.add(8, ME, "poll.create", "8", options=2)
    for minute_, voter in ((9, "dev"), (10, "tom"), (11, "grace")):
        log.add(minute_, voter, "poll.vote", "8", target=ME, changed=False)
    for mission_id in ("first-post", "work-out-loud", "answer-question", "welcome-newcomer", "pilot-group", "run-a-poll"):
        assert progress(mission_id, log).done, mission_id


def test_a_reply_to_my_reply_is_a_reply_to_me():
    log = room_background()
    log.add(10, ME, "post.create", "20", tags=["welcome"])
    log.add(11, "tom", "post.reply", "21", target="tom", thread="post-which-form")
    log.add(12, "sam", "post.reply", "22", target=ME, thread="20")
    assert progress("first-post", log).done
