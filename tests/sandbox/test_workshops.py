"""Workshops and identity: codes, trainer keys, joining, sessions, rate limits."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from sandbox.services import workshops
from sandbox.services.errors import (
    AlreadyTaken,
    InvalidInput,
    NotAllowed,
    NotFound,
    TooManyTries,
    WrongJoinCode,
)
from sandbox.store import read_session, write_session
from sandbox.store.models import Activity, JoinAttempt, Member, SessionToken, Workshop


def _join(engine, code, name="Dee Khan", department="Estates", *, clock, accept=True,
          client="client-1"):
    with write_session(engine) as session:
        return workshops.join(session, code, name, department, accept_policy=accept,
                              client_key=client, now=clock.now)


def test_create_workshop_gives_code_and_hashed_trainer_key(fresh_db, workshop):
    code = workshop.workshop.code
    assert len(code) == 6 and set(code) <= set(workshops.CODE_ALPHABET)
    assert workshop.trainer_key.startswith("iotk_")
    with read_session(fresh_db) as session:
        stored = session.get(Workshop, workshop.workshop.id)
        assert workshop.trainer_key not in stored.trainer_key_hash
        assert stored.trainer_key_hash.startswith("scrypt$")
        assert workshops.verify_trainer_key(stored, workshop.trainer_key)
        assert not workshops.verify_trainer_key(stored, workshop.trainer_key + "x")
        assert not workshops.verify_trainer_key(stored, "")


@pytest.mark.parametrize("title,mode,message", [
    ("", "live", "empty"),
    ("x" * 121, "live", "too long"),
    ("Fine", "webinar", "mode must be one of"),
])
def test_create_workshop_rejects_bad_input(fresh_db, clock, title, mode, message):
    with pytest.raises(InvalidInput, match=message):
        with write_session(fresh_db) as session:
            workshops.create_workshop(session, title, mode=mode, now=clock.now)
    with read_session(fresh_db) as session:
        assert session.scalars(select(Workshop)).all() == []


def test_list_workshops_counts_learners(fresh_db, workshop, learner, colleague):
    with read_session(fresh_db) as session:
        [summary] = workshops.list_workshops(session)
    assert summary.code == workshop.workshop.code
    assert summary.learners == 2


@pytest.mark.parametrize("typed", ["{code}", "{lower}", " {dashed} "])
def test_join_accepts_code_in_any_case_and_with_dashes(fresh_db, workshop, clock, typed):
    code = workshop.workshop.code
    typed = typed.format(code=code, lower=code.lower(), dashed=f"{code[:3]}-{code[3:]}")
    signed_in = _join(fresh_db, typed, clock=clock)
    assert signed_in.member.handle == "dee-khan"
    assert signed_in.member.kind == "learner"


def test_join_records_activity_and_policy(fresh_db, workshop, learner, clock):
    with read_session(fresh_db) as session:
        member = session.get(Member, learner.id)
        assert member.policy_accepted_at == clock.now
        verbs = session.scalars(select(Activity.verb).where(Activity.actor_id == learner.id)).all()
    assert verbs == ["member.join"]


def test_session_token_keeps_member_signed_in(fresh_db, learner_sign_in):
    token = learner_sign_in.session_token
    with read_session(fresh_db) as session:
        assert workshops.member_for_token(session, token).id == learner_sign_in.member.id
        stored = session.scalars(select(SessionToken.token_hash)).all()
    assert token not in stored  # only the hash is kept
    # The display name is not a credential.
    with read_session(fresh_db) as session:
        assert workshops.member_for_token(session, "Anna Smith") is None
        assert workshops.member_for_token(session, "") is None
        assert workshops.member_for_token(session, None) is None


def test_sign_out_forgets_only_that_token(fresh_db, workshop, learner_sign_in):
    with write_session(fresh_db) as session:
        workshops.sign_out(session, learner_sign_in.session_token)
    with read_session(fresh_db) as session:
        assert workshops.member_for_token(session, learner_sign_in.session_token) is None


def test_sign_out_everywhere_forgets_every_token_of_that_member_only(fresh_db, workshop, learner_sign_in, clock):
    with write_session(fresh_db) as session:
        laptop, phone = (workshops.trainer_sign_in(session, workshop.workshop.code, workshop.trainer_key,
                                                   now=clock.now) for _ in range(2))
        assert workshops.sign_out_everywhere(session, laptop.member) == 2
    with read_session(fresh_db) as session:
        assert workshops.member_for_token(session, laptop.session_token) is None
        assert workshops.member_for_token(session, phone.session_token) is None
        assert workshops.member_for_token(session, learner_sign_in.session_token) is not None


@pytest.mark.parametrize("hours, lasts", [(None, 12), ("2.5", 2.5), ("zero", 12), ("-1", 12)])
def test_trainer_sign_in_expires_after_its_hours(fresh_db, workshop, learner_sign_in, clock,
                                                 monkeypatch, hours, lasts):
    if hours is not None:
        monkeypatch.setenv("INSIDEOUT_TRAINER_SESSION_HOURS", hours)
    with write_session(fresh_db) as session:
        token = workshops.trainer_sign_in(session, workshop.workshop.code, workshop.trainer_key,
                                          now=clock.now).session_token
    just_before = clock.now + timedelta(hours=lasts) - timedelta(seconds=1)
    with read_session(fresh_db) as session:
        assert workshops.member_for_token(session, token, now=just_before).kind == "trainer"
        assert workshops.member_for_token(session, token, now=just_before + timedelta(seconds=1)) is None
        # A learner's sign-in does not expire.
        later = clock.now + timedelta(days=3650)
        assert workshops.member_for_token(session, learner_sign_in.session_token, now=later) is not None


def test_expired_trainer_tokens_are_removed_at_the_next_sign_in(fresh_db, workshop, clock):
    with write_session(fresh_db) as session:
        workshops.trainer_sign_in(session, workshop.workshop.code, workshop.trainer_key, now=clock.now)
        workshops.trainer_sign_in(session, workshop.workshop.code, workshop.trainer_key,
                                  now=clock.now + timedelta(hours=13))
        assert session.scalar(select(func.count(SessionToken.id))) == 1


@pytest.mark.parametrize("code, key, message", [
    ("", "iotk_x", "type the workshop's join code"),
    ("  ", "iotk_x", "type the workshop's join code"),
    ("ANY", "", "type the trainer key"),
])
def test_empty_trainer_sign_in_fields_say_what_to_type_and_are_not_counted(fresh_db, workshop, clock,
                                                                           code, key, message):
    with pytest.raises(InvalidInput, match=message) as refused:
        with write_session(fresh_db) as session:
            workshops.trainer_sign_in(session, code, key, client_key="c", now=clock.now)
    assert "''" not in str(refused.value)
    with read_session(fresh_db) as session:
        assert session.scalar(select(func.count(JoinAttempt.id))) == 0


def test_codes_for_a_sandbox_without_workshops_say_how_to_create_one(fresh_db, clock):
    with pytest.raises(WrongJoinCode, match="no workshop in this sandbox yet") as refused:
        _join(fresh_db, "K7M2QX", clock=clock)
    assert "insideout workshop create" in str(refused.value)
    with pytest.raises(NotFound, match="insideout workshop create"):
        with write_session(fresh_db) as session:
            workshops.trainer_sign_in(session, "K7M2QX", "iotk_x", client_key="c", now=clock.now)


def test_join_with_an_empty_code_says_what_to_type(fresh_db, workshop, clock):
    with pytest.raises(InvalidInput, match="join code your trainer gave you"):
        _join(fresh_db, " - ", clock=clock)


def test_join_requires_policy(fresh_db, workshop, clock):
    with pytest.raises(InvalidInput, match="usage policy"):
        _join(fresh_db, workshop.workshop.code, accept=False, clock=clock)


@pytest.mark.parametrize("name,message", [
    ("", "empty"),
    ("x" * 61, "too long"),
    ("Eve\u202egnp.exe", "direction"),
    ("Bell\x07", "control character"),
])
def test_join_rejects_bad_names(fresh_db, workshop, clock, name, message):
    with pytest.raises(InvalidInput, match=message):
        _join(fresh_db, workshop.workshop.code, name, clock=clock)
    with read_session(fresh_db) as session:
        assert workshops.list_members(session, workshop.workshop.id, kind="learner") == []


@pytest.mark.parametrize("second", ["Anna Smith", "anna smith", "ANNA  SMITH"])
def test_display_names_are_unique_ignoring_case(fresh_db, workshop, learner, clock, second):
    with pytest.raises(AlreadyTaken, match="already called"):
        _join(fresh_db, workshop.workshop.code, second, clock=clock)


def test_similar_names_get_distinct_handles(fresh_db, workshop, learner, clock):
    other = _join(fresh_db, workshop.workshop.code, "Anna-Smith!", clock=clock).member
    assert learner.handle == "anna-smith"
    assert other.handle == "anna-smith-2"


@pytest.mark.parametrize("name,handle", [("Zoë O'Neil", "zoe-oneil"), ("李雷", "member"),
                                         ("Trainer Tom", "trainer-tom")])
def test_handle_from_name(name, handle):
    assert workshops.handle_from_name(name) == handle


def test_nobody_can_take_the_trainer_handle(fresh_db, workshop, clock):
    member = _join(fresh_db, workshop.workshop.code, "Trainer!", clock=clock).member
    assert member.handle == "trainer-2"


def test_wrong_code_is_counted_and_rate_limited(fresh_db, workshop, clock):
    for _ in range(5):
        with pytest.raises(WrongJoinCode, match="not right"):
            _join(fresh_db, "WRONG1", clock=clock)
        clock.advance(1)
    # Even the right code waits now: the client has to slow down.
    with pytest.raises(TooManyTries, match=r"wait 55 seconds") as raised:
        _join(fresh_db, workshop.workshop.code, clock=clock)
    assert raised.value.wait_seconds == 55
    # Another client is not affected.
    assert _join(fresh_db, workshop.workshop.code, clock=clock, client="client-2").member
    # After the window, the first client may try again.
    clock.advance(60)
    assert _join(fresh_db, workshop.workshop.code, "Eli Ward", clock=clock).member


def test_trainer_sign_in(fresh_db, workshop, clock):
    with write_session(fresh_db) as session:
        signed_in = workshops.trainer_sign_in(session, workshop.workshop.code,
                                              workshop.trainer_key, now=clock.now)
    assert signed_in.member.kind == "trainer"
    with read_session(fresh_db) as session:
        assert workshops.member_for_token(session, signed_in.session_token).kind == "trainer"
    with pytest.raises(NotAllowed, match="trainer key"):
        with write_session(fresh_db) as session:
            workshops.trainer_sign_in(session, workshop.workshop.code, "iotk_guess", now=clock.now)


def test_get_workshop_unknown_code(fresh_db):
    with pytest.raises(NotFound, match="no workshop with the code 'NOPE'"):
        with read_session(fresh_db) as session:
            workshops.get_workshop(session, "NOPE")


def test_simulated_member_is_idempotent(fresh_db, workshop, clock):
    for _ in range(2):
        with write_session(fresh_db) as session:
            member = workshops.add_simulated_member(
                session, workshop.workshop, persona="priya", display_name="Priya Patel",
                department="Student Services", champion=True, threshold=10, now=clock.now)
    with read_session(fresh_db) as session:
        simulated = workshops.list_members(session, workshop.workshop.id, kind="simulated")
    assert [m.handle for m in simulated] == ["priya-patel"]
    assert simulated[0].champion and simulated[0].threshold == 10
    assert member.id == simulated[0].id


@pytest.mark.parametrize("value", [-1, 101, 2.5, True, "50"])
def test_threshold_must_be_0_to_100(fresh_db, learner, clock, value):
    with pytest.raises(InvalidInput, match="0 to 100"):
        with write_session(fresh_db) as session:
            workshops.set_threshold(session, learner, value, now=clock.now)


def test_threshold_is_stored_and_logged(fresh_db, learner, clock):
    with write_session(fresh_db) as session:
        workshops.set_threshold(session, learner, 30, now=clock.now)
    with read_session(fresh_db) as session:
        assert session.get(Member, learner.id).threshold == 30
        assert session.scalar(select(Activity.verb).order_by(Activity.id.desc())) == "member.threshold"


def test_set_phase_is_trainer_only(fresh_db, learner, trainer):
    with pytest.raises(NotAllowed):
        with write_session(fresh_db) as session:
            workshops.set_phase(session, learner, "debrief")
    with write_session(fresh_db) as session:
        assert workshops.set_phase(session, trainer, "debrief").phase == "debrief"


def test_wrong_trainer_keys_are_rate_limited_per_client(fresh_db, workshop, clock):
    code = workshop.workshop.code
    for _ in range(5):
        with pytest.raises(NotAllowed, match="trainer key is not right"):
            with write_session(fresh_db) as session:
                workshops.trainer_sign_in(session, code, "iotk_guess", now=clock.now,
                                          client_key="browser-9")
    with pytest.raises(TooManyTries):
        with write_session(fresh_db) as session:
            workshops.trainer_sign_in(session, code, workshop.trainer_key, now=clock.now,
                                      client_key="browser-9")
    clock.advance(61)
    with write_session(fresh_db) as session:
        assert workshops.trainer_sign_in(session, code, workshop.trainer_key, now=clock.now,
                                         client_key="browser-9").member.kind == "trainer"


def test_one_wrong_code_tried_again_and_again_is_limited_whoever_tries_it(fresh_db, workshop, clock):
    """A reload is a new client: the code tried keeps counting all the same."""
    for number in range(5):
        with pytest.raises(WrongJoinCode):
            _join(fresh_db, "WRONG1", clock=clock, client=f"reloaded-{number}")
    with pytest.raises(TooManyTries):
        _join(fresh_db, "wrong-1", clock=clock, client="reloaded-5")
    # The room's own code, from the same kind of fresh client, is not held up.
    assert _join(fresh_db, workshop.workshop.code, clock=clock, client="reloaded-6").member


def test_wrong_trainer_keys_are_limited_per_workshop_from_any_client(fresh_db, workshop, clock):
    code = workshop.workshop.code
    for number in range(5):
        with pytest.raises(NotAllowed, match="trainer key is not right"):
            with write_session(fresh_db) as session:
                workshops.trainer_sign_in(session, code, "iotk_guess", now=clock.now, client_key=f"tab-{number}")
    with pytest.raises(TooManyTries):
        with write_session(fresh_db) as session:
            workshops.trainer_sign_in(session, code, "iotk_guess", now=clock.now, client_key="tab-5")


def test_unknown_codes_at_trainer_sign_in_count_towards_the_limit(fresh_db, workshop, clock):
    """Trainer sign-in must not be a way round the join page's limit to find codes that exist."""
    for number in range(5):
        with pytest.raises(NotFound, match="no workshop with the code"):
            with write_session(fresh_db) as session:
                workshops.trainer_sign_in(session, f"NOPE{number}", "iotk_guess", now=clock.now,
                                          client_key="prober")
    with pytest.raises(TooManyTries):
        _join(fresh_db, workshop.workshop.code, clock=clock, client="prober")


def test_no_module_in_services_or_store_imports_streamlit(project_root):
    import ast

    for folder in ("sandbox/services", "sandbox/store"):
        for path in (project_root / folder).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                         else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
                assert not any(n.split(".")[0] == "streamlit" for n in names), path


def test_join_gives_a_return_code_kept_only_as_a_hash(fresh_db, workshop, clock):
    signed = _join(fresh_db, workshop.workshop.code, clock=clock)
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", signed.return_code)
    with read_session(fresh_db) as session:
        stored = session.get(Member, signed.member.id).return_code_hash
    assert stored.startswith("scrypt$") and signed.return_code.replace("-", "") not in stored


def test_come_back_with_the_return_code(fresh_db, workshop, clock):
    signed = _join(fresh_db, workshop.workshop.code, clock=clock)
    typed = " " + signed.return_code.lower().replace("-", " ") + " "  # read aloud, typed loosely
    with write_session(fresh_db) as session:
        back = workshops.come_back(session, workshop.workshop.code, "DEE KHAN", typed,
                                   client_key="other-laptop", now=clock.now)
    assert back.member.id == signed.member.id and back.session_token != signed.session_token


def test_wrong_return_codes_are_refused_and_counted(fresh_db, workshop, learner, clock):
    for _ in range(5):
        with pytest.raises(NotAllowed, match="do not match"):
            with write_session(fresh_db) as session:
                workshops.come_back(session, workshop.workshop.code, "Anna Smith", "AAAA-2222",
                                    client_key="guesser", now=clock.now)
    with pytest.raises(TooManyTries):
        with write_session(fresh_db) as session:
            workshops.come_back(session, workshop.workshop.code, "Anna Smith", "AAAA-2222",
                                client_key="guesser", now=clock.now)


def test_a_new_return_code_replaces_the_old_one(fresh_db, workshop, trainer, clock):
    signed = _join(fresh_db, workshop.workshop.code, clock=clock)
    with write_session(fresh_db) as session:
        fresh = workshops.new_return_code(session, trainer, signed.member.handle, now=clock.now)
    for code, works in ((signed.return_code, False), (fresh, True)):
        with write_session(fresh_db) as session:
            if works:
                workshops.come_back(session, workshop.workshop.code, "Dee Khan", code, client_key="c", now=clock.now)
            else:
                with pytest.raises(NotAllowed):
                    workshops.come_back(session, workshop.workshop.code, "Dee Khan", code, client_key="c",
                                        now=clock.now)
    with pytest.raises(NotAllowed, match="Only the trainer"):
        with write_session(fresh_db) as session:
            workshops.new_return_code(session, signed.member, signed.member.handle, now=clock.now)


def test_a_taken_name_says_how_to_come_back(fresh_db, workshop, learner, clock):
    with pytest.raises(AlreadyTaken, match="return code"):
        _join(fresh_db, workshop.workshop.code, "anna smith", clock=clock)
