"""A post as a card, with the actions its reader may take on it.

Every action is a widget callback that calls one service through
``run_action``; the page then reruns and reads the new state from the store.
"""
from __future__ import annotations

import streamlit as st

from sandbox.services import feed
from sandbox.services.feed import PostView
from sandbox.store.models import Member
from sandbox.ui import state
from sandbox.ui.actions import FAILED, run_action, show_error
from sandbox.ui.components.network import avatar
from sandbox.ui.components.text import badge, learner_block, md_escape, member_label, plain, when

REACTION_NAMES = {"like": "Like", "thanks": "Thanks", "celebrate": "Celebrate", "insightful": "Insightful"}
# Streamlit's Material Symbols font ships with Streamlit itself (served by the sandbox,
# no CDN), so these show on a machine with no emoji font, where emoji were empty boxes.
REACTION_ICONS = {"like": ":material/thumb_up:", "thanks": ":material/volunteer_activism:",
                  "celebrate": ":material/celebration:", "insightful": ":material/lightbulb:"}
KIND_BADGES = {"question": "Question", "praise": "Praise", "poll": "Poll"}
MAX_INDENT = 3


def meta_line(post: PostView) -> str:
    parts = [avatar(post.author_name, post.author_department),
             member_label(post.author_name, post.author_department, post.author_kind)]
    parts.append(f" · {plain(when(post.created_at))}")
    if post.edited_at:
        parts.append(" · edited")
    if post.group_name:
        parts.append(f" · in {plain(post.group_name)}")
    if post.kind in KIND_BADGES:
        parts.append(badge(KIND_BADGES[post.kind]))
    if post.kind == "question":
        parts.append(badge("Answered" if post.answered else "Not answered yet"))
    if post.praised_name:
        parts.append(f" · praise for <strong>{plain(post.praised_name)}</strong>")
    if post.pinned:
        parts.append(badge("Pinned by the trainer"))
    if post.hidden:
        parts.append(badge(f"Hidden by the trainer: {post.hidden_reason}"))
    return "".join(parts)


# --- callbacks (run before the page is drawn) -------------------------------------


def reaction_label(name: str, counts: dict[str, int], mine: list[str]) -> str:
    """':material/thumb_up: Like 3', ticked when the reaction is yours ('... Like 3 ✓': not colour alone).

    Streamlit draws the Material icon (hidden from screen readers), so a button's
    accessible name is its words: "Like 3 ✓".
    """
    count = counts.get(name, 0)
    label = f"{REACTION_ICONS.get(name, '')} {REACTION_NAMES.get(name, name)}".strip() + (f" {count}" if count else "")
    return (label + " ✓") if name in mine else label


def _react_changed(member: Member, post: PostView) -> None:
    chosen = set(st.session_state.get(state.widget_key("react", post.id, *post.my_reactions,
                                                       *sorted(post.reactions.items()))) or [])
    for name in chosen.symmetric_difference(post.my_reactions):
        if run_action(f"post-{post.id}", feed.react, member, post.id, name) is FAILED:
            return


def _toggle(key: str, post_id: int) -> None:
    st.session_state[key] = None if st.session_state.get(key) == post_id else post_id


def _send_reply(member: Member, post_id: int) -> None:
    box = state.widget_key("reply", post_id)
    result = run_action(f"reply-{post_id}", feed.reply, member, post_id,
                        st.session_state.get(box, ""), success="Reply posted.")
    if result is not FAILED:
        st.session_state[box] = ""


def _save_edit(member: Member, post_id: int) -> None:
    box = state.widget_key("edit", post_id)
    result = run_action(f"post-{post_id}", feed.edit_post, member, post_id,
                        st.session_state.get(box, ""), success="Your post was updated.")
    if result is not FAILED:
        st.session_state[state.EDITING_POST] = None


def _delete(member: Member, post_id: int) -> None:
    if run_action(f"post-{post_id}", feed.delete_post, member, post_id,
                  success="Your post was deleted.") is not FAILED:
        st.session_state[state.CONFIRM_DELETE] = None


def _pin(member: Member, post_id: int, pinned: bool) -> None:
    run_action(f"post-{post_id}", feed.pin_post, member, post_id, pinned,
               success="Pinned to the top of the feed." if pinned else "Unpinned.")


def _mark_answer(member: Member, question_id: int, reply_id: int) -> None:
    run_action(f"post-{question_id}", feed.mark_answered, member, question_id, reply_id,
               success="Marked as the answer. Thank you for closing the loop!")


def _vote(member: Member, post_id: int) -> None:
    option_id = st.session_state.get(state.widget_key("poll", post_id))
    if option_id is not None:
        run_action(f"post-{post_id}", feed.vote_poll, member, post_id, option_id,
                   success="Your vote is in.")


# --- drawing -----------------------------------------------------------------------


def post_card(post: PostView, member: Member, *, depth: int = 0, question: PostView | None = None) -> None:
    """Draw one post (or reply, indented by ``depth``) with its actions."""
    css_class = "io-card io-reply" if depth else "io-card"
    label = f"{'Reply' if depth else 'Post'} by {post.author_name}"
    with st.container() if not depth else _indented(depth):
        learner_block(post.html, meta=meta_line(post), css_class=css_class, label=label)
        if post.poll is not None:
            _poll(post, member)
        show_error(f"post-{post.id}")
        if st.session_state.get(state.EDITING_POST) == post.id:
            _edit_form(post, member)
        _action_row(post, member, depth=depth, question=question)


def _indented(depth: int):
    # Columns give a real indent for nested replies without any extra HTML.
    level = min(depth, MAX_INDENT)
    _, body = st.columns([level, 24 - level])
    return body


def _action_row(post: PostView, member: Member, *, depth: int, question: PostView | None) -> None:
    with st.container(horizontal=True, gap="small", vertical_alignment="center"):
        # One widget for the four reactions keeps a page of posts light to rerun.
        st.pills(
            f"React to the {'reply' if depth else 'post'} by {md_escape(post.author_name)}",
            list(feed.REACTIONS), selection_mode="multi", default=post.my_reactions,
            format_func=lambda name, counts=post.reactions, mine=post.my_reactions: reaction_label(name, counts, mine),
            key=state.widget_key("react", post.id, *post.my_reactions, *sorted(post.reactions.items())),
            label_visibility="collapsed", on_change=_react_changed, args=(member, post),
        )
        if depth == 0:
            open_now = st.session_state.get(state.OPEN_THREAD) == post.id
            replies = f"{post.reply_count} {'reply' if post.reply_count == 1 else 'replies'}"
            st.button(
                ("Hide replies" if open_now else f"Reply ({replies})"),
                key=state.widget_key("thread", post.id),
                on_click=_toggle, args=(state.OPEN_THREAD, post.id),
            )
        if post.is_mine:
            st.button("Edit", key=state.widget_key("editbtn", post.id),
                      on_click=_toggle, args=(state.EDITING_POST, post.id))
            st.button("Delete", key=state.widget_key("delbtn", post.id),
                      on_click=_toggle, args=(state.CONFIRM_DELETE, post.id))
        if member.kind == "trainer" and depth == 0:
            st.button("Unpin" if post.pinned else "Pin", key=state.widget_key("pin", post.id),
                      on_click=_pin, args=(member, post.id, not post.pinned))
        if (question is not None and depth > 0 and not post.is_mine
                and (question.is_mine or member.kind == "trainer") and question.answer_id != post.id):
            st.button("Mark as the answer", key=state.widget_key("answer", post.id),
                      on_click=_mark_answer, args=(member, question.id, post.id))
    if question is not None and question.answer_id == post.id:
        st.caption("✓ This reply is the accepted answer.")
    if st.session_state.get(state.CONFIRM_DELETE) == post.id:
        st.warning("Delete this post? Replies to it stay in the thread.")
        with st.container(horizontal=True):
            st.button("Yes, delete it", key=state.widget_key("delyes", post.id),
                      on_click=_delete, args=(member, post.id))
            st.button("No, keep it", key=state.widget_key("delno", post.id),
                      on_click=_toggle, args=(state.CONFIRM_DELETE, post.id))


def _edit_form(post: PostView, member: Member) -> None:
    box = state.widget_key("edit", post.id)
    st.session_state.setdefault(box, post.body)
    with st.form(state.widget_key("editform", post.id), border=False):
        st.text_area("Edit your post", key=box, height=120)
        st.form_submit_button("Save changes", on_click=_save_edit, args=(member, post.id))


def _poll(post: PostView, member: Member) -> None:
    poll = post.poll
    total = poll.total_votes
    for option in poll.options:
        share = option.votes / total if total else 0.0
        mine = " (your vote)" if option.id == poll.my_option_id else ""
        st.progress(share, text=f"{option.label}: {option.votes} vote{'s' if option.votes != 1 else ''}{mine}")
    labels = {option.id: option.label for option in poll.options}
    key = state.widget_key("poll", post.id)
    current = poll.my_option_id
    st.radio(
        "Change your vote" if current else "Your vote",
        options=list(labels), format_func=labels.get, key=key,
        index=list(labels).index(current) if current in labels else None,
        horizontal=True, on_change=_vote, args=(member, post.id),
    )


def reply_form(post_id: int, member: Member) -> None:
    box = state.widget_key("reply", post_id)
    show_error(f"reply-{post_id}")
    with st.form(state.widget_key("replyform", post_id), border=False):
        st.text_area("Your reply", key=box, height=90,
                     help="Markdown works. Use @handle to mention someone and #tag to tag it.")
        st.form_submit_button("Post reply", on_click=_send_reply, args=(member, post_id))


def thread(root: PostView, member: Member, session_thread: feed.Thread) -> None:
    """Replies under ``root``, nested by who replied to whom, then the reply form."""
    depth_of = {root.id: 0}
    for reply in session_thread.replies:
        depth = depth_of.get(reply.parent_id, 0) + 1
        depth_of[reply.id] = depth
        post_card(reply, member, depth=depth, question=root if root.kind == "question" else None)
    if session_thread.more_replies:
        st.caption("This thread is long; only the first replies are shown.")
    reply_form(root.id, member)
