"""first schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-27

The first schema: workshops and identity, feed, wiki, bookmarks, ideas, events,
scheduling, the activity log and the simulation marks.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('join_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_key', sa.String(length=128), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_join_attempts'))
    )
    with op.batch_alter_table('join_attempts', schema=None) as batch_op:
        batch_op.create_index('ix_join_attempts_client_at', ['client_key', 'at'], unique=False)

    op.create_table('workshops',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('scenario', sa.String(length=100), nullable=False),
    sa.Column('mode', sa.String(length=20), nullable=False),
    sa.Column('phase', sa.String(length=40), nullable=False),
    sa.Column('clock_started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('clock_paused_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('clock_offset_seconds', sa.Integer(), nullable=False),
    sa.Column('trainer_key_hash', sa.String(length=300), nullable=False),
    sa.Column('pseudonym_secret', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshops')),
    sa.UniqueConstraint('code', name=op.f('uq_workshops_code'))
    )
    op.create_table('members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('handle', sa.String(length=80), nullable=False),
    sa.Column('display_name', sa.String(length=120), nullable=False),
    sa.Column('display_name_key', sa.String(length=120), nullable=False),
    sa.Column('department', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('persona', sa.String(length=80), nullable=True),
    sa.Column('champion', sa.Boolean(), nullable=False),
    sa.Column('threshold', sa.Integer(), nullable=True),
    sa.Column('policy_accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_members_workshop_id_workshops')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_members')),
    sa.UniqueConstraint('workshop_id', 'display_name_key', name=op.f('uq_members_workshop_id_display_name_key')),
    sa.UniqueConstraint('workshop_id', 'handle', name=op.f('uq_members_workshop_id_handle'))
    )
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_members_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('simulation_marks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_simulation_marks_workshop_id_workshops')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_simulation_marks')),
    sa.UniqueConstraint('workshop_id', 'key', name=op.f('uq_simulation_marks_workshop_id_key'))
    )
    with op.batch_alter_table('simulation_marks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_simulation_marks_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('tags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_tags_workshop_id_workshops')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tags')),
    sa.UniqueConstraint('workshop_id', 'name', name=op.f('uq_tags_workshop_id_name'))
    )
    with op.batch_alter_table('tags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tags_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_kind', sa.String(length=20), nullable=False),
    sa.Column('department', sa.String(length=120), nullable=False),
    sa.Column('verb', sa.String(length=40), nullable=False),
    sa.Column('object_type', sa.String(length=30), nullable=False),
    sa.Column('object_id', sa.String(length=40), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=True),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['members.id'], name=op.f('fk_activities_actor_id_members')),
    sa.ForeignKeyConstraint(['target_id'], ['members.id'], name=op.f('fk_activities_target_id_members')),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_activities_workshop_id_workshops')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activities'))
    )
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.create_index('ix_activities_workshop_id', ['workshop_id', 'id'], unique=False)

    op.create_table('bookmarks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=2100), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('first_saved_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['first_saved_by_id'], ['members.id'], name=op.f('fk_bookmarks_first_saved_by_id_members')),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_bookmarks_workshop_id_workshops')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bookmarks')),
    sa.UniqueConstraint('workshop_id', 'url', name=op.f('uq_bookmarks_workshop_id_url'))
    )
    with op.batch_alter_table('bookmarks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bookmarks_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('location', sa.String(length=300), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['members.id'], name=op.f('fk_events_created_by_id_members')),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_events_workshop_id_workshops')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_events_starts_at'), ['starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('name_key', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['members.id'], name=op.f('fk_groups_created_by_id_members')),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_groups_workshop_id_workshops')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_groups')),
    sa.UniqueConstraint('workshop_id', 'name_key', name=op.f('uq_groups_workshop_id_name_key'))
    )
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_groups_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('ideas',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['members.id'], name=op.f('fk_ideas_author_id_members')),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_ideas_workshop_id_workshops')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ideas'))
    )
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ideas_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('object_type', sa.String(length=30), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['members.id'], name=op.f('fk_notifications_actor_id_members')),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_notifications_member_id_members')),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_notifications_workshop_id_workshops')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index('ix_notifications_member_read', ['member_id', 'read_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('schedule_polls',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['members.id'], name=op.f('fk_schedule_polls_created_by_id_members')),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_schedule_polls_workshop_id_workshops')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_schedule_polls'))
    )
    with op.batch_alter_table('schedule_polls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_schedule_polls_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('session_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_session_tokens_member_id_members')),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_session_tokens_workshop_id_workshops')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_session_tokens_token_hash'))
    )
    with op.batch_alter_table('session_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_tokens_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_session_tokens_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('wiki_pages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=160), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('current_number', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['members.id'], name=op.f('fk_wiki_pages_created_by_id_members')),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_wiki_pages_workshop_id_workshops')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wiki_pages')),
    sa.UniqueConstraint('workshop_id', 'slug', name=op.f('uq_wiki_pages_workshop_id_slug'))
    )
    with op.batch_alter_table('wiki_pages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wiki_pages_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('bookmark_saves',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('bookmark_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['bookmark_id'], ['bookmarks.id'], name=op.f('fk_bookmark_saves_bookmark_id_bookmarks')),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_bookmark_saves_member_id_members')),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_bookmark_saves_workshop_id_workshops')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bookmark_saves')),
    sa.UniqueConstraint('bookmark_id', 'member_id', name=op.f('uq_bookmark_saves_bookmark_id_member_id'))
    )
    with op.batch_alter_table('bookmark_saves', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bookmark_saves_bookmark_id'), ['bookmark_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bookmark_saves_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bookmark_saves_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('group_memberships',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_group_memberships_group_id_groups')),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_group_memberships_member_id_members')),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_group_memberships_workshop_id_workshops')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_memberships')),
    sa.UniqueConstraint('group_id', 'member_id', name=op.f('uq_group_memberships_group_id_member_id'))
    )
    with op.batch_alter_table('group_memberships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_group_memberships_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_group_memberships_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_group_memberships_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('idea_votes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['idea_id'], ['ideas.id'], name=op.f('fk_idea_votes_idea_id_ideas')),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_idea_votes_member_id_members')),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_idea_votes_workshop_id_workshops')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idea_votes')),
    sa.UniqueConstraint('idea_id', 'member_id', name=op.f('uq_idea_votes_idea_id_member_id'))
    )
    with op.batch_alter_table('idea_votes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_idea_votes_idea_id'), ['idea_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_idea_votes_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_idea_votes_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('posts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('root_id', sa.Integer(), nullable=True),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('praised_member_id', sa.Integer(), nullable=True),
    sa.Column('answered', sa.Boolean(), nullable=False),
    sa.Column('answer_id', sa.Integer(), nullable=True),
    sa.Column('pinned', sa.Boolean(), nullable=False),
    sa.Column('hidden', sa.Boolean(), nullable=False),
    sa.Column('hidden_reason', sa.String(length=300), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('edited_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['answer_id'], ['posts.id'], name=op.f('fk_posts_answer_id_posts')),
    sa.ForeignKeyConstraint(['author_id'], ['members.id'], name=op.f('fk_posts_author_id_members')),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_posts_group_id_groups')),
    sa.ForeignKeyConstraint(['parent_id'], ['posts.id'], name=op.f('fk_posts_parent_id_posts')),
    sa.ForeignKeyConstraint(['praised_member_id'], ['members.id'], name=op.f('fk_posts_praised_member_id_members')),
    sa.ForeignKeyConstraint(['root_id'], ['posts.id'], name=op.f('fk_posts_root_id_posts')),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_posts_workshop_id_workshops')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_posts'))
    )
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_posts_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_posts_group_id'), ['group_id'], unique=False)
        batch_op.create_index('ix_posts_root', ['root_id'], unique=False)
        batch_op.create_index('ix_posts_workshop_id_desc', ['workshop_id', 'id'], unique=False)
        batch_op.create_index('ix_posts_workshop_parent_id', ['workshop_id', 'parent_id', 'id'], unique=False)

    op.create_table('rsvps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('answer', sa.String(length=20), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_rsvps_event_id_events')),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_rsvps_member_id_members')),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_rsvps_workshop_id_workshops')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rsvps')),
    sa.UniqueConstraint('event_id', 'member_id', name=op.f('uq_rsvps_event_id_member_id'))
    )
    with op.batch_alter_table('rsvps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rsvps_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rsvps_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('schedule_slots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['poll_id'], ['schedule_polls.id'], name=op.f('fk_schedule_slots_poll_id_schedule_polls')),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_schedule_slots_workshop_id_workshops')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_schedule_slots'))
    )
    with op.batch_alter_table('schedule_slots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_schedule_slots_poll_id'), ['poll_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_schedule_slots_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('wiki_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('page_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('summary', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('reverted_to', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['members.id'], name=op.f('fk_wiki_revisions_author_id_members')),
    sa.ForeignKeyConstraint(['page_id'], ['wiki_pages.id'], name=op.f('fk_wiki_revisions_page_id_wiki_pages')),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_wiki_revisions_workshop_id_workshops')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wiki_revisions')),
    sa.UniqueConstraint('page_id', 'number', name=op.f('uq_wiki_revisions_page_id_number'))
    )
    with op.batch_alter_table('wiki_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wiki_revisions_page_id'), ['page_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_wiki_revisions_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('bookmark_tags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('save_id', sa.Integer(), nullable=False),
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['save_id'], ['bookmark_saves.id'], name=op.f('fk_bookmark_tags_save_id_bookmark_saves')),
    sa.ForeignKeyConstraint(['tag_id'], ['tags.id'], name=op.f('fk_bookmark_tags_tag_id_tags')),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_bookmark_tags_workshop_id_workshops')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bookmark_tags')),
    sa.UniqueConstraint('save_id', 'tag_id', name=op.f('uq_bookmark_tags_save_id_tag_id'))
    )
    with op.batch_alter_table('bookmark_tags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bookmark_tags_save_id'), ['save_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bookmark_tags_tag_id'), ['tag_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bookmark_tags_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('mentions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_mentions_member_id_members')),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_mentions_post_id_posts')),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_mentions_workshop_id_workshops')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentions')),
    sa.UniqueConstraint('post_id', 'member_id', name=op.f('uq_mentions_post_id_member_id'))
    )
    with op.batch_alter_table('mentions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentions_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentions_post_id'), ['post_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentions_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('poll_options',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_poll_options_post_id_posts')),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_poll_options_workshop_id_workshops')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_poll_options'))
    )
    with op.batch_alter_table('poll_options', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_poll_options_post_id'), ['post_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_poll_options_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('post_tags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_post_tags_post_id_posts')),
    sa.ForeignKeyConstraint(['tag_id'], ['tags.id'], name=op.f('fk_post_tags_tag_id_tags')),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_post_tags_workshop_id_workshops')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_post_tags')),
    sa.UniqueConstraint('post_id', 'tag_id', name=op.f('uq_post_tags_post_id_tag_id'))
    )
    with op.batch_alter_table('post_tags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_post_tags_post_id'), ['post_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_post_tags_tag_id'), ['tag_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_post_tags_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('reactions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('reaction', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_reactions_member_id_members')),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_reactions_post_id_posts')),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_reactions_workshop_id_workshops')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reactions')),
    sa.UniqueConstraint('post_id', 'member_id', 'reaction', name=op.f('uq_reactions_post_id_member_id_reaction'))
    )
    with op.batch_alter_table('reactions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reactions_post_id'), ['post_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reactions_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('schedule_picks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_schedule_picks_member_id_members')),
    sa.ForeignKeyConstraint(['poll_id'], ['schedule_polls.id'], name=op.f('fk_schedule_picks_poll_id_schedule_polls')),
    sa.ForeignKeyConstraint(['slot_id'], ['schedule_slots.id'], name=op.f('fk_schedule_picks_slot_id_schedule_slots')),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_schedule_picks_workshop_id_workshops')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_schedule_picks')),
    sa.UniqueConstraint('slot_id', 'member_id', name=op.f('uq_schedule_picks_slot_id_member_id'))
    )
    with op.batch_alter_table('schedule_picks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_schedule_picks_poll_id'), ['poll_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_schedule_picks_slot_id'), ['slot_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_schedule_picks_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('poll_votes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('option_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_poll_votes_member_id_members')),
    sa.ForeignKeyConstraint(['option_id'], ['poll_options.id'], name=op.f('fk_poll_votes_option_id_poll_options')),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_poll_votes_post_id_posts')),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_poll_votes_workshop_id_workshops')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_poll_votes')),
    sa.UniqueConstraint('post_id', 'member_id', name=op.f('uq_poll_votes_post_id_member_id'))
    )
    with op.batch_alter_table('poll_votes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_poll_votes_option_id'), ['option_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_poll_votes_post_id'), ['post_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_poll_votes_workshop_id'), ['workshop_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('poll_votes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_poll_votes_workshop_id'))
        batch_op.drop_index(batch_op.f('ix_poll_votes_post_id'))
        batch_op.drop_index(batch_op.f('ix_poll_votes_option_id'))

    op.drop_table('poll_votes')
    with op.batch_alter_table('schedule_picks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_schedule_picks_workshop_id'))
        batch_op.drop_index(batch_op.f('ix_schedule_picks_slot_id'))
        batch_op.drop_index(batch_op.f('ix_schedule_picks_poll_id'))

    op.drop_table('schedule_picks')
    with op.batch_alter_table('reactions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reactions_workshop_id'))
        batch_op.drop_index(batch_op.f('ix_reactions_post_id'))

    op.drop_table('reactions')
    with op.batch_alter_table('post_tags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_post_tags_workshop_id'))
        batch_op.drop_index(batch_op.f('ix_post_tags_tag_id'))
        batch_op.drop_index(batch_op.f('ix_post_tags_post_id'))

    op.drop_table('post_tags')
    with op.batch_alter_table('poll_options', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_poll_options_workshop_id'))
        batch_op.drop_index(batch_op.f('ix_poll_options_post_id'))

    op.drop_table('poll_options')
    with op.batch_alter_table('mentions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentions_workshop_id'))
        batch_op.drop_index(batch_op.f('ix_mentions_post_id'))
        batch_op.drop_index(batch_op.f('ix_mentions_member_id'))

    op.drop_table('mentions')
    with op.batch_alter_table('bookmark_tags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bookmark_tags_workshop_id'))
        batch_op.drop_index(batch_op.f('ix_bookmark_tags_tag_id'))
        batch_op.drop_index(batch_op.f('ix_bookmark_tags_save_id'))

    op.drop_table('bookmark_tags')
    with op.batch_alter_table('wiki_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wiki_revisions_workshop_id'))
        batch_op.drop_index(batch_op.f('ix_wiki_revisions_page_id'))

    op.drop_table('wiki_revisions')
    with op.batch_alter_table('schedule_slots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_schedule_slots_workshop_id'))
        batch_op.drop_index(batch_op.f('ix_schedule_slots_poll_id'))

    op.drop_table('schedule_slots')
    with op.batch_alter_table('rsvps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rsvps_workshop_id'))
        batch_op.drop_index(batch_op.f('ix_rsvps_event_id'))

    op.drop_table('rsvps')
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_index('ix_posts_workshop_parent_id')
        batch_op.drop_index('ix_posts_workshop_id_desc')
        batch_op.drop_index('ix_posts_root')
        batch_op.drop_index(batch_op.f('ix_posts_group_id'))
        batch_op.drop_index(batch_op.f('ix_posts_author_id'))

    op.drop_table('posts')
    with op.batch_alter_table('idea_votes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_idea_votes_workshop_id'))
        batch_op.drop_index(batch_op.f('ix_idea_votes_member_id'))
        batch_op.drop_index(batch_op.f('ix_idea_votes_idea_id'))

    op.drop_table('idea_votes')
    with op.batch_alter_table('group_memberships', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_group_memberships_workshop_id'))
        batch_op.drop_index(batch_op.f('ix_group_memberships_member_id'))
        batch_op.drop_index(batch_op.f('ix_group_memberships_group_id'))

    op.drop_table('group_memberships')
    with op.batch_alter_table('bookmark_saves', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bookmark_saves_workshop_id'))
        batch_op.drop_index(batch_op.f('ix_bookmark_saves_member_id'))
        batch_op.drop_index(batch_op.f('ix_bookmark_saves_bookmark_id'))

    op.drop_table('bookmark_saves')
    with op.batch_alter_table('wiki_pages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wiki_pages_workshop_id'))

    op.drop_table('wiki_pages')
    with op.batch_alter_table('session_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_tokens_workshop_id'))
        batch_op.drop_index(batch_op.f('ix_session_tokens_member_id'))

    op.drop_table('session_tokens')
    with op.batch_alter_table('schedule_polls', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_schedule_polls_workshop_id'))

    op.drop_table('schedule_polls')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notifications_workshop_id'))
        batch_op.drop_index('ix_notifications_member_read')

    op.drop_table('notifications')
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ideas_workshop_id'))

    op.drop_table('ideas')
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_groups_workshop_id'))

    op.drop_table('groups')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_workshop_id'))
        batch_op.drop_index(batch_op.f('ix_events_starts_at'))

    op.drop_table('events')
    with op.batch_alter_table('bookmarks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bookmarks_workshop_id'))

    op.drop_table('bookmarks')
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index('ix_activities_workshop_id')

    op.drop_table('activities')
    with op.batch_alter_table('tags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tags_workshop_id'))

    op.drop_table('tags')
    with op.batch_alter_table('simulation_marks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_simulation_marks_workshop_id'))

    op.drop_table('simulation_marks')
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_members_workshop_id'))

    op.drop_table('members')
    op.drop_table('workshops')
    with op.batch_alter_table('join_attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_join_attempts_client_at')

    op.drop_table('join_attempts')

