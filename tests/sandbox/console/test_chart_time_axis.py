"""The adoption chart's time axis tells its ticks apart: seconds when the room is minutes old."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from sandbox.services import feed
from sandbox.store import write_session
from sandbox.ui.components.charts import time_axis_format

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=timezone.utc)


def test_short_span_shows_seconds_long_span_minutes():
    assert time_axis_format(T0, T0 + timedelta(seconds=50)) == "%H:%M:%S"
    assert time_axis_format(T0, T0) == "%H:%M:%S"
    assert time_axis_format(T0, T0 + timedelta(minutes=90)) == "%H:%M"


def test_dashboard_adoption_axis_of_a_young_room_has_seconds(as_trainer, app_db, learner, colleague, clock):
    with write_session(app_db) as session:
        feed.create_post(session, learner, "First #welcome", now=clock.advance(5))
        feed.create_post(session, colleague, "Second #welcome", now=clock.advance(20))
    at = as_trainer("console_dashboard")
    assert not at.exception
    specs = [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]
    formats = [layer["encoding"]["x"]["axis"]["format"] for spec in specs for layer in spec.get("layer", [])
               if layer.get("encoding", {}).get("x", {}).get("type") == "temporal"]
    assert formats == ["%H:%M:%S"], formats
