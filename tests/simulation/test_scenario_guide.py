"""The scenario authors' guide (sandbox/scenarios/README.md) names everything a file may hold."""
from __future__ import annotations

import pytest

from sandbox.simulation.actions import ACTIONS
from sandbox.simulation.missions import GROUPS, STEP_FIELDS
from sandbox.simulation.scenario import SCENARIO_DIR
from sandbox.simulation.scenario_schema import PERSONA, RESPONDERS, RULE, SCENARIO, SEED, SETTINGS

GUIDE = (SCENARIO_DIR / "README.md").read_text(encoding="utf-8")


def fields(record) -> list[str]:
    return [*record.required, *record.optional]


@pytest.mark.parametrize(
    "name",
    sorted(
        {*fields(SCENARIO), *fields(SETTINGS), *fields(PERSONA), *fields(SEED), *fields(RULE),
         *fields(RULE.required["when"]), *fields(RULE.required["respond"]), *RESPONDERS, *STEP_FIELDS, *GROUPS}
    ),
)
def test_every_field_is_documented(name):
    assert f"`{name}`" in GUIDE


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_every_action_and_its_payload_is_documented(action):
    row = next((line for line in GUIDE.splitlines() if line.startswith(f"| `{action}` |")), None)
    assert row is not None, action
    for name in ACTIONS[action].fields():
        assert f"`{name}`" in row, (action, name)
