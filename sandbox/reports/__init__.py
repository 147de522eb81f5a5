"""Reports a trainer downloads after a session (the debrief, as one self-contained HTML file)."""
from sandbox.reports.debrief import MissionOutcome, build_debrief, mission_outcomes, render_debrief

__all__ = ["MissionOutcome", "build_debrief", "mission_outcomes", "render_debrief"]
