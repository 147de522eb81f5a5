"""Sandbox services: what people can do, as functions over a database session.

Rules for every service function:

- The first argument is a SQLAlchemy ``Session``; the caller owns the
  transaction (``sandbox.store.write_session`` / ``read_session``), so one user
  action = one transaction with its activity row(s). Services never commit.
- The acting ``Member`` comes next; everything is scoped to its workshop.
- Time that matters is passed in as ``now`` (aware UTC datetime); tests use a fake clock.
- Errors meant for people are ``sandbox.services.errors`` classes (subclasses of
  ``sandbox.errors.InsideOutError``) with a plain message; nothing is stored then.
- Reads return plain dataclasses (``PostView``, ``PageView``...) with learner
  text already rendered to safe HTML. No Streamlit anywhere in here.

Map:

``text``           clean_text, render_markdown, extract_hashtags/mentions, normalise_tag
``workshops``      create_workshop, list_workshops, get_workshop, set_phase,
                   verify_trainer_key, trainer_sign_in, join, member_for_token,
                   sign_out, list_members, get_member, add_simulated_member,
                   set_threshold, reset_workshop, USAGE_POLICY
``feed``           create_post, reply, create_praise, create_poll, vote_poll, react,
                   edit_post, delete_post, mark_answered, pin_post, hide_post,
                   list_feed, pinned_posts, get_post, get_thread, latest_post_id,
                   count_new_posts, REACTIONS
``groups``         create_group, join_group, list_groups, get_group
``wiki``           create_page, edit_page (base_number -> EditConflict), revert_page,
                   list_pages, get_page, list_revisions, diff_revisions (side by
                   side), who_edited
``bookmarks``      save_bookmark, list_bookmarks (tag / saver filters, paged),
                   get_bookmark, saved_count, clean_url
``ideas``          create_idea, vote, unvote, votes_left, vote_budget (the scenario's, or
                   LIMITS), set_status, list_ideas
``events``         create_event, rsvp, list_upcoming, get_event,
                   create_schedule_poll, pick_times, get_schedule_poll,
                   list_schedule_polls
``search``         search (posts, wiki, bookmarks; writes an activity: use a
                   write session)
``notifications``  unread_count, list_notifications, mark_all_read
``tags``           tag_cloud, suggest_tags
``export``         build_export, write_export (atomic), pseudonym
``room``           the trainer console's read model (members and log as metric
                   records; mission.complete rows; released_keys, skipped_injects)
                   - see its own docstring
``assessment``     the before-and-after self-assessment as activity rows: member_rounds,
                   answer_round, skip_round, open_after_round, room_rounds
``activity_log``   record (for services and the simulation)
``errors``         InvalidInput, NotFound, NotAllowed, AlreadyTaken, EditConflict, WrongTrainerKey,
                   WrongJoinCode, TooManyTries
"""
