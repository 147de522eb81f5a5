"""Missions are recorded where activity is recorded, whatever pages the learner opens.

Anna only ever uses the feed: she never opens Missions. Her post finishes a
mission; she is congratulated on the feed, and ``insideout workshop export``
(a subprocess, as a trainer runs it) has her ``mission.complete`` row.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

from ui_helpers import button, texts


def test_a_learner_who_never_opens_missions_has_their_completions_in_the_cli_export(
        open_app, learner_sign_in, colleague, workshop, db_url, tmp_path):
    at = open_app(token=learner_sign_in.session_token)
    assert at.title[0].value == "Feed"
    at.text_area(key="w_compose_body").input("Working out loud on the open day rota, @ben-jones #openday")
    button(at, "Post").click().run()
    assert not at.exception
    shown = texts(at)
    assert "Posted." in shown
    assert "Mission complete: Work out loud" in shown  # the toast, on the feed

    out = tmp_path / "export.json"
    env = {key: value for key, value in os.environ.items() if key != "INSIDEOUT_SCENARIO_DIR"}
    env.update(INSIDEOUT_DATABASE_URL=db_url, INSIDEOUT_DATA_DIR=str(tmp_path / "data"))
    result = subprocess.run([sys.executable, "-m", "sandbox.cli", "workshop", "export", workshop.workshop.code,
                             "--out", str(out), "--names"], capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = json.loads(out.read_text(encoding="utf-8"))["activities"]
    done = [(row["actor"], row["object_id"]) for row in rows if row["verb"] == "mission.complete"]
    assert done == [("anna-smith", "work-out-loud")]
    posted = next(row for row in rows if row["verb"] == "post.create")
    completed = next(row for row in rows if row["verb"] == "mission.complete")
    assert completed["at"] == posted["at"]  # recorded with the post, in its transaction
