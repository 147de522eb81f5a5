"""Institutional sign-in at the service level: the identity a provider vouches for joins
once and comes back as the same member from any device; trainers by list or group."""
from __future__ import annotations

import pytest

from sandbox.services import accounts, people, workshops
from sandbox.services.errors import InvalidInput, WrongJoinCode
from sandbox.store import read_session, write_session

ISSUER = "http://127.0.0.1:9400"
ANNA = {"iss": ISSUER, "sub": "staff-0042", "name": "Anna Smith", "email": "anna.smith@northfield.ac.uk",
        "groups": ["staff"]}
NOBODY_TRAINS = accounts.TrainerRule()


def sign_in(engine, code, claims, clock, *, rule=NOBODY_TRAINS, department="Library", accept=True):
    with write_session(engine) as session:
        signed = accounts.sign_in(session, code, accounts.Identity.from_claims(claims), rule=rule,
                                  department=department, accept_policy=accept, client_key="browser", now=clock.now)
        return signed.member.id, signed.member.display_name, signed.member.kind, signed.session_token


def test_a_member_of_staff_joins_without_typing_a_name_and_comes_back_from_any_device(fresh_db, workshop, clock):
    code = workshop.workshop.code
    laptop = sign_in(fresh_db, code, ANNA, clock)
    assert laptop[1:3] == ("Anna Smith", "learner")
    clock.advance(3600)
    # Another device: no department or policy asked again, the same member.
    phone = sign_in(fresh_db, code, ANNA, clock, department="", accept=False)
    assert phone[0] == laptop[0] and phone[3] != laptop[3]
    with read_session(fresh_db) as session:
        assert workshops.member_for_token(session, laptop[3]).id == laptop[0]
        assert workshops.member_for_token(session, phone[3]).id == laptop[0]
        learners = workshops.list_members(session, workshop.workshop.id, kind="learner")
    assert [m.display_name for m in learners] == ["Anna Smith"]


def test_the_same_name_from_another_person_gets_a_number(fresh_db, workshop, clock, learner):
    """Anna Smith already joined with the code; a different Anna Smith signs in."""
    other = sign_in(fresh_db, workshop.workshop.code, ANNA, clock)
    assert other[1] == "Anna Smith (2)" and other[0] != learner.id


def test_the_subject_not_the_name_is_the_identity(fresh_db, workshop, clock):
    first = sign_in(fresh_db, workshop.workshop.code, ANNA, clock)
    renamed = sign_in(fresh_db, workshop.workshop.code, {**ANNA, "name": "Anna Smith-Jones"}, clock)
    stranger = sign_in(fresh_db, workshop.workshop.code, {**ANNA, "iss": "https://elsewhere.example"}, clock)
    assert renamed[0] == first[0] and stranger[0] != first[0]


@pytest.mark.parametrize("rule", [
    accounts.TrainerRule.from_env({accounts.TRAINERS_ENV: "someone@x.org, ANNA.SMITH@northfield.ac.uk"}),
    accounts.TrainerRule.from_env({accounts.TRAINER_GROUP_ENV: "staff"}),
], ids=["listed", "group-claim"])
def test_trainers_come_from_a_list_or_a_group_claim(fresh_db, workshop, clock, rule):
    member_id, _, kind, _ = sign_in(fresh_db, workshop.workshop.code, ANNA, clock, rule=rule, department="",
                                    accept=False)
    assert kind == "trainer"
    not_listed = sign_in(fresh_db, workshop.workshop.code, {**ANNA, "sub": "x", "email": "b@x.org", "groups": []},
                         clock, rule=rule)
    assert not_listed[2] == "learner"


def test_a_first_sign_in_still_accepts_the_policy_and_a_wrong_code_counts(fresh_db, workshop, clock):
    with pytest.raises(InvalidInput, match="accept the usage policy"):
        sign_in(fresh_db, workshop.workshop.code, ANNA, clock, accept=False)
    with pytest.raises(WrongJoinCode):
        sign_in(fresh_db, "NOPE42", ANNA, clock)
    with pytest.raises(InvalidInput, match="did not say who you are"):
        accounts.Identity.from_claims({"iss": ISSUER, "name": "No Subject"})
    with read_session(fresh_db) as session:
        assert workshops.list_members(session, workshop.workshop.id, kind="learner") == []


def test_erasure_forgets_the_account(fresh_db, workshop, clock):
    first = sign_in(fresh_db, workshop.workshop.code, ANNA, clock)
    with write_session(fresh_db) as session:
        people.erase_person(session, workshop.workshop.code, "anna-smith", now=clock.now)
    again = sign_in(fresh_db, workshop.workshop.code, ANNA, clock)
    assert again[0] != first[0] and again[1] == "Anna Smith"
