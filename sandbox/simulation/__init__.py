"""Scenario loading and validation, missions, and (later) the clock-driven tick.

Pure Python over scenario files and activity rows: nothing here imports
Streamlit or writes to the store.
"""
from sandbox.simulation.missions import Mission, MissionProgress, evaluate, evaluate_room
from sandbox.simulation.problems import Problem, ScenarioError
from sandbox.simulation.scenario import Scenario, available_scenarios, load_scenario, parse_scenario

__all__ = [
    "Mission",
    "MissionProgress",
    "Problem",
    "Scenario",
    "ScenarioError",
    "available_scenarios",
    "evaluate",
    "evaluate_room",
    "load_scenario",
    "parse_scenario",
]
