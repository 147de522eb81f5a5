"""The feed: posts, threads, reactions, mentions, hashtags, notifications, paging."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from sandbox.services import feed, groups, notifications, tags
from sandbox.services.errors import InvalidInput, NotAllowed, NotFound
from sandbox.store import read_session, write_session
from sandbox.store.models import Activity, Post


def _activities(engine, verb=None):
    with read_session(engine) as session:
        query = select(Activity).order_by(Activity.id)
        if verb:
            query = query.where(Activity.verb == verb)
        return session.scalars(query).all()


def _post(engine, member, body, clock, **kwargs):
    with write_session(engine) as session:
        post = feed.create_post(session, member, body, now=clock.now, **kwargs)
    clock.advance(1)
    return post


def test_create_post_records_tags_mentions_and_activity(fresh_db, learner, colleague, clock):
    post = _post(fresh_db, learner, "Hello #Welcome, @ben-jones! Also @nobody", clock)
    with read_session(fresh_db) as session:
        view = feed.get_post(session, colleague, post.id)
        assert view.tags == ["welcome"]
        assert view.author_name == "Anna Smith"
        assert 'class="mention"' in view.html
        assert notifications.unread_count(session, colleague) == 1
        [note] = notifications.list_notifications(session, colleague)
    assert note.text == "Anna Smith mentioned you"
    assert (note.object_type, note.object_id) == ("post", post.id)
    create, mention = _activities(fresh_db)[-2:]
    assert (create.verb, create.object_id) == ("post.create", str(post.id))
    assert json.loads(create.detail) == {"kind": "normal", "mentions": 1, "tags": ["welcome"]}
    assert (mention.verb, mention.target_id) == ("post.mention", colleague.id)


@pytest.mark.parametrize("body,message", [
    ("", "empty"), ("x" * 5001, "too long"), ("a\u202eb", "direction"), ("a\x00b", "control"),
    ("x" * 10_000_000, "too long"),
])
def test_bad_post_stores_nothing(fresh_db, learner, clock, body, message):
    with pytest.raises(InvalidInput, match=message):
        _post(fresh_db, learner, body, clock)
    with read_session(fresh_db) as session:
        assert session.scalar(select(func.count(Post.id))) == 0
    assert [a.verb for a in _activities(fresh_db)] == ["member.join"]


def test_replies_nest_and_notify(fresh_db, learner, colleague, clock):
    root = _post(fresh_db, learner, "Where is the room booking form? #question", clock)
    with write_session(fresh_db) as session:
        first = feed.reply(session, colleague, root.id, "On the wiki", now=clock.now)
        nested = feed.reply(session, learner, first.id, "Thanks!", now=clock.now)
    assert (first.root_id, nested.root_id, nested.parent_id) == (root.id, root.id, first.id)
    with read_session(fresh_db) as session:
        thread = feed.get_thread(session, learner, nested.id)
        assert thread.root.id == root.id and thread.root.reply_count == 2
        assert [r.id for r in thread.replies] == [first.id, nested.id]
        assert [n.kind for n in notifications.list_notifications(session, learner)] == ["reply"]
        assert [n.kind for n in notifications.list_notifications(session, colleague)] == ["reply"]
    reply_rows = _activities(fresh_db, "post.reply")
    assert [r.target_id for r in reply_rows] == [learner.id, colleague.id]


def test_reply_to_missing_post(fresh_db, learner, clock):
    with pytest.raises(NotFound):
        with write_session(fresh_db) as session:
            feed.reply(session, learner, 999, "hi", now=clock.now)


def test_react_toggles_and_notifies_once(fresh_db, learner, colleague, clock):
    post = _post(fresh_db, learner, "Hi", clock)
    with write_session(fresh_db) as session:
        assert feed.react(session, colleague, post.id, "like", now=clock.now) is True
    with read_session(fresh_db) as session:
        view = feed.get_post(session, colleague, post.id)
        assert view.reactions == {"like": 1} and view.my_reactions == ["like"]
    with write_session(fresh_db) as session:
        assert feed.react(session, colleague, post.id, "like", now=clock.now) is False
    with read_session(fresh_db) as session:
        assert feed.get_post(session, colleague, post.id).reactions == {}
        assert notifications.unread_count(session, learner) == 1
    [react] = _activities(fresh_db, "post.react")
    assert react.target_id == learner.id and json.loads(react.detail) == {"reaction": "like"}


def test_unknown_reaction(fresh_db, learner, clock):
    post = _post(fresh_db, learner, "Hi", clock)
    with pytest.raises(InvalidInput, match="Unknown reaction"):
        with write_session(fresh_db) as session:
            feed.react(session, learner, post.id, "<script>", now=clock.now)


def test_own_reactions_do_not_notify(fresh_db, learner, clock):
    post = _post(fresh_db, learner, "Hi", clock)
    with write_session(fresh_db) as session:
        feed.react(session, learner, post.id, "celebrate", now=clock.now)
    with read_session(fresh_db) as session:
        assert notifications.unread_count(session, learner) == 0


def test_edit_own_post_only(fresh_db, learner, colleague, clock):
    post = _post(fresh_db, learner, "Draft #one", clock)
    with pytest.raises(NotAllowed, match="own posts"):
        with write_session(fresh_db) as session:
            feed.edit_post(session, colleague, post.id, "hijack", now=clock.now)
    with write_session(fresh_db) as session:
        feed.edit_post(session, learner, post.id, "Final #two @ben-jones", now=clock.now)
    with read_session(fresh_db) as session:
        view = feed.get_post(session, learner, post.id)
        assert view.body == "Final #two @ben-jones" and view.tags == ["two"]
        assert view.edited_at == clock.now
        assert notifications.unread_count(session, colleague) == 1


def test_delete_own_post_erases_text(fresh_db, learner, colleague, clock):
    post = _post(fresh_db, learner, "Oops #typo", clock)
    with pytest.raises(NotAllowed):
        with write_session(fresh_db) as session:
            feed.delete_post(session, colleague, post.id, now=clock.now)
    with write_session(fresh_db) as session:
        feed.delete_post(session, learner, post.id, now=clock.now)
    with read_session(fresh_db) as session:
        assert feed.list_feed(session, learner).items == []
        assert session.get(Post, post.id).body == ""
        assert tags.tag_cloud(session, learner.workshop_id) == []
        with pytest.raises(NotFound):
            feed.get_post(session, learner, post.id)


def test_feed_pages_newest_first_without_gaps(fresh_db, learner, clock):
    ids = [_post(fresh_db, learner, f"Post {n}", clock).id for n in range(45)]
    seen, before = [], None
    with read_session(fresh_db) as session:
        while True:
            page = feed.list_feed(session, learner, before_id=before, limit=20)
            assert len(page.items) <= 20
            seen.extend(item.id for item in page.items)
            if page.next_before_id is None:
                break
            before = page.next_before_id
    assert seen == list(reversed(ids))


def test_feed_page_size_is_capped(fresh_db, learner, clock):
    for n in range(55):
        _post(fresh_db, learner, f"Post {n}", clock)
    with read_session(fresh_db) as session:
        assert len(feed.list_feed(session, learner, limit=10_000).items) == 50


def test_feed_filters_by_tag_author_kind(fresh_db, learner, colleague, clock):
    a = _post(fresh_db, learner, "About the #wiki", clock)
    b = _post(fresh_db, colleague, "Also #Wiki", clock)
    _post(fresh_db, colleague, "Something else", clock)
    q = _post(fresh_db, learner, "Who knows?", clock, question=True)
    with read_session(fresh_db) as session:
        assert [p.id for p in feed.list_feed(session, learner, tag="#WIKI").items] == [b.id, a.id]
        assert [p.id for p in feed.list_feed(session, learner, author_handle="anna-smith").items] == [q.id, a.id]
        assert [p.id for p in feed.list_feed(session, learner, kind="question").items] == [q.id]
        cloud = tags.tag_cloud(session, learner.workshop_id)
        assert [(t.name, t.count) for t in cloud] == [("wiki", 2)]
        assert tags.suggest_tags(session, learner.workshop_id, "wi") == ["wiki"]
        assert tags.suggest_tags(session, learner.workshop_id, "%") == []


def test_latest_post_id_and_new_post_count(fresh_db, learner, colleague, clock):
    with read_session(fresh_db) as session:
        assert feed.latest_post_id(session, learner.workshop_id) is None
    first = _post(fresh_db, learner, "One", clock)
    with read_session(fresh_db) as session:
        assert feed.latest_post_id(session, learner.workshop_id) == first.id
    second = _post(fresh_db, colleague, "Two", clock)
    with write_session(fresh_db) as session:
        answer = feed.reply(session, colleague, first.id, "reply", now=clock.now)
    with read_session(fresh_db) as session:
        assert feed.latest_post_id(session, learner.workshop_id) == answer.id
        assert feed.count_new_posts(session, learner, first.id) == 1
        assert feed.count_new_posts(session, colleague, first.id) == 0
    assert second.id < answer.id


def test_workshops_are_isolated(fresh_db, learner, other_workshop_learner, clock):
    mine = _post(fresh_db, learner, "Inside #news @cara-lee", clock)
    theirs = _post(fresh_db, other_workshop_learner, "Elsewhere #news", clock)
    with read_session(fresh_db) as session:
        assert [p.id for p in feed.list_feed(session, learner).items] == [mine.id]
        assert [p.id for p in feed.list_feed(session, other_workshop_learner).items] == [theirs.id]
        assert feed.latest_post_id(session, learner.workshop_id) == mine.id
        assert notifications.unread_count(session, other_workshop_learner) == 0
        with pytest.raises(NotFound):
            feed.get_post(session, learner, theirs.id)
        assert [t.name for t in tags.tag_cloud(session, learner.workshop_id)] == ["news"]
    for action in (
        lambda s: feed.reply(s, learner, theirs.id, "sneaky", now=clock.now),
        lambda s: feed.react(s, learner, theirs.id, "like", now=clock.now),
        lambda s: feed.get_thread(s, learner, theirs.id),
    ):
        with pytest.raises(NotFound):
            with write_session(fresh_db) as session:
                action(session)


def test_questions_are_marked_answered_by_asker(fresh_db, learner, colleague, clock):
    question = _post(fresh_db, learner, "How do I book a room?", clock, question=True)
    with write_session(fresh_db) as session:
        answer = feed.reply(session, colleague, question.id, "Use the form", now=clock.now)
    with pytest.raises(NotAllowed, match="person who asked"):
        with write_session(fresh_db) as session:
            feed.mark_answered(session, colleague, question.id, answer.id, now=clock.now)
    with write_session(fresh_db) as session:
        feed.mark_answered(session, learner, question.id, answer.id, now=clock.now)
    with read_session(fresh_db) as session:
        view = feed.get_post(session, learner, question.id)
        assert view.answered and view.answer_id == answer.id and view.kind == "question"
    [row] = _activities(fresh_db, "post.answer")
    assert row.target_id == colleague.id


def test_only_questions_can_be_answered(fresh_db, learner, colleague, clock):
    post = _post(fresh_db, learner, "Not a question", clock)
    with write_session(fresh_db) as session:
        answer = feed.reply(session, colleague, post.id, "ok", now=clock.now)
    with pytest.raises(InvalidInput, match="Only a question"):
        with write_session(fresh_db) as session:
            feed.mark_answered(session, learner, post.id, answer.id, now=clock.now)


def test_praise_names_the_colleague(fresh_db, learner, colleague, clock):
    with write_session(fresh_db) as session:
        post = feed.create_praise(session, learner, "ben-jones", "Thanks for the template!",
                                  now=clock.now)
    with read_session(fresh_db) as session:
        view = feed.get_post(session, learner, post.id)
        assert (view.kind, view.praised_name) == ("praise", "Ben Jones")
        assert [n.kind for n in notifications.list_notifications(session, colleague)] == ["praise"]
    [row] = _activities(fresh_db, "post.praise")
    assert row.target_id == colleague.id
    with pytest.raises(InvalidInput, match="other than yourself"):
        with write_session(fresh_db) as session:
            feed.create_praise(session, learner, "anna-smith", "Me!", now=clock.now)
    with pytest.raises(NotFound):
        with write_session(fresh_db) as session:
            feed.create_praise(session, learner, "ghost", "Boo", now=clock.now)


def test_poll_votes_one_each_and_can_change(fresh_db, learner, colleague, join_as, clock):
    with write_session(fresh_db) as session:
        poll = feed.create_poll(session, learner, "Lunch?", ["Pizza", "Salad", " "], now=clock.now)
    with read_session(fresh_db) as session:
        options = feed.get_post(session, learner, poll.id).poll.options
    pizza, salad = options[0].id, options[1].id
    dee = join_as("Dee Khan")
    with write_session(fresh_db) as session:
        feed.vote_poll(session, colleague, poll.id, pizza, now=clock.now)
        feed.vote_poll(session, dee, poll.id, pizza, now=clock.now)
        feed.vote_poll(session, colleague, poll.id, salad, now=clock.now)
    with read_session(fresh_db) as session:
        view = feed.get_post(session, colleague, poll.id).poll
    assert [(o.label, o.votes) for o in view.options] == [("Pizza", 1), ("Salad", 1)]
    assert view.total_votes == 2 and view.my_option_id == salad
    assert len(_activities(fresh_db, "poll.vote")) == 3
    assert len(_activities(fresh_db, "poll.create")) == 1


@pytest.mark.parametrize("options,message", [
    (["Only one"], "2 to 8 options"),
    ([f"o{n}" for n in range(9)], "2 to 8 options"),
    (["Same", "same"], "the same"),
])
def test_bad_polls(fresh_db, learner, clock, options, message):
    with pytest.raises(InvalidInput, match=message):
        with write_session(fresh_db) as session:
            feed.create_poll(session, learner, "Q?", options, now=clock.now)


def test_vote_for_option_of_another_poll(fresh_db, learner, clock):
    with write_session(fresh_db) as session:
        first = feed.create_poll(session, learner, "A?", ["a", "b"], now=clock.now)
        second = feed.create_poll(session, learner, "B?", ["c", "d"], now=clock.now)
    with read_session(fresh_db) as session:
        other_option = feed.get_post(session, learner, second.id).poll.options[0].id
    with pytest.raises(NotFound):
        with write_session(fresh_db) as session:
            feed.vote_poll(session, learner, first.id, other_option, now=clock.now)


def test_pin_and_hide_are_trainer_only(fresh_db, learner, colleague, trainer, clock):
    post = _post(fresh_db, learner, "Important", clock)
    for action in (
        lambda s: feed.pin_post(s, learner, post.id, True, now=clock.now),
        lambda s: feed.hide_post(s, learner, post.id, "spam", now=clock.now),
    ):
        with pytest.raises(NotAllowed, match="Only the trainer"):
            with write_session(fresh_db) as session:
                action(session)
    with write_session(fresh_db) as session:
        feed.pin_post(session, trainer, post.id, True, now=clock.now)
    with read_session(fresh_db) as session:
        assert [p.id for p in feed.pinned_posts(session, colleague)] == [post.id]
    with write_session(fresh_db) as session:
        feed.hide_post(session, trainer, post.id, "Real student data", now=clock.now)
    with read_session(fresh_db) as session:
        assert feed.list_feed(session, colleague).items == []
        assert feed.pinned_posts(session, colleague) == []
        [own] = feed.list_feed(session, learner).items
        assert own.hidden and own.hidden_reason == "Real student data"
        assert feed.list_feed(session, trainer).items[0].hidden
    with pytest.raises(NotAllowed, match="hidden"):
        with write_session(fresh_db) as session:
            feed.reply(session, learner, post.id, "But...", now=clock.now)


def test_group_posts_need_membership(fresh_db, learner, colleague, clock):
    with write_session(fresh_db) as session:
        group = groups.create_group(session, learner, "Library pilot", "Trying the wiki",
                                    now=clock.now)
    with pytest.raises(NotAllowed, match="Join the group"):
        _post(fresh_db, colleague, "Can I?", clock, group_id=group.id)
    with write_session(fresh_db) as session:
        groups.join_group(session, colleague, group.id, now=clock.now)
        groups.join_group(session, colleague, group.id, now=clock.now)
    post = _post(fresh_db, colleague, "Yes!", clock, group_id=group.id)
    _post(fresh_db, learner, "Outside", clock)
    with read_session(fresh_db) as session:
        assert [p.id for p in feed.list_feed(session, learner, group_id=group.id).items] == [post.id]
        assert feed.get_post(session, learner, post.id).group_name == "Library pilot"
        [view] = groups.list_groups(session, colleague)
        assert (view.members, view.is_member) == (2, True)
    assert len(_activities(fresh_db, "group.join")) == 1


def test_group_names_unique(fresh_db, learner, colleague, clock):
    with write_session(fresh_db) as session:
        groups.create_group(session, learner, "Pilot", now=clock.now)
    from sandbox.services.errors import AlreadyTaken

    with pytest.raises(AlreadyTaken):
        with write_session(fresh_db) as session:
            groups.create_group(session, colleague, "PILOT", now=clock.now)


def test_mark_all_read(fresh_db, learner, colleague, clock):
    for n in range(3):
        _post(fresh_db, colleague, f"@anna-smith ping {n}", clock)
    with write_session(fresh_db) as session:
        assert notifications.mark_all_read(session, learner, now=clock.now) == 3
    with read_session(fresh_db) as session:
        assert notifications.unread_count(session, learner) == 0
        assert all(n.read for n in notifications.list_notifications(session, learner))


def test_feed_view_query_count_is_constant(fresh_db, learner, colleague, clock):
    """Rendering a page must not run one query per post (keeps big rooms fast)."""
    from sqlalchemy import event

    for n in range(30):
        post = _post(fresh_db, learner, f"Post {n} #t{n % 3} @ben-jones", clock)
        with write_session(fresh_db) as session:
            feed.react(session, colleague, post.id, "like", now=clock.now)
    statements = []
    event.listen(fresh_db, "before_cursor_execute", lambda *a: statements.append(a[2]))
    with read_session(fresh_db) as session:
        feed.list_feed(session, learner, limit=30)
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) <= 8
