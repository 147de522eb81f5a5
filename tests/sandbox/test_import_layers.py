"""Arrows point one way: every import between sandbox modules follows the layer map.

The map (a package may import packages on a lower line, never one on its own
line or above; inside a package, modules import each other freely as long as
there is no cycle):

    7  sandbox.app, sandbox.cli            entry points: route, parse, print
    6  sandbox.ui                          Streamlit pages and components
    5  sandbox.room                        a workshop's live state (log, tick, missions, timeline)
    5  sandbox.grading_queue               grader processes working the hand-in queue
    5  sandbox.reports, sandbox.publish, sandbox.serving
                                           what the CLI and console produce or run
    4  sandbox.simulation                  scenarios, the tick, missions, the timeline
    3  sandbox.services                    one job each: feed, wiki, ... and the log loader
    2  sandbox.metrics                     pure functions over activity records
    1  sandbox.store                       engine, models, migrations
    0  sandbox (the package), sandbox.activity, sandbox.config, sandbox.errors, sandbox.paths

This is DESIGN.md's "ui -> services/simulation/metrics -> store" with the middle
ordered (simulation performs through services; services read records of metrics)
and the room above it, imported only by ui and the cli. Every import counts,
including those inside functions (a cycle hidden in a function is still a cycle).
Only the ui (and app.py) may import Streamlit.
"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "sandbox"

LAYERS = {
    "sandbox.app": 7,
    "sandbox.cli": 7,
    "sandbox.ui": 6,
    "sandbox.room": 5,
    "sandbox.grading_queue": 5,
    "sandbox.reports": 5,
    "sandbox.publish": 5,
    "sandbox.serving": 5,
    "sandbox.deploy": 5,
    "sandbox.simulation": 4,
    "sandbox.services": 3,
    "sandbox.metrics": 2,
    "sandbox.store": 1,
    "sandbox": 0,
    "sandbox.activity": 0,
    "sandbox.config": 0,
    "sandbox.errors": 0,
    "sandbox.paths": 0,
    "sandbox.logs": 0,
}
STREAMLIT_ALLOWED = ("sandbox.app", "sandbox.ui")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def sandbox_modules() -> dict[str, Path]:
    return {module_name(path): path for path in PACKAGE.rglob("*.py")
            if "migrations/versions" not in path.as_posix()}


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """Every module ``name`` imports (any depth in the file, functions included)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            for alias in node.names:
                # "from sandbox.services import feed" imports the module feed;
                # "from sandbox.simulation import tick" may be a name in the package.
                candidate = f"{base}.{alias.name}"
                found.add(candidate if candidate in modules else base)
    return found


def layer_of(name: str) -> str:
    parts = name.split(".")
    for size in range(len(parts), 0, -1):
        prefix = ".".join(parts[:size])
        if prefix in LAYERS:
            return prefix
    raise AssertionError(f"{name} is in no layer: add it to LAYERS (and to the map above)")


def import_graph() -> dict[str, set[str]]:
    modules = sandbox_modules()
    return {name: {target for target in imports_of(name, path, modules) if target in modules}
            for name, path in modules.items()}


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (or a module importing itself)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1 or node in graph[node]:
                cycles.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


def test_every_sandbox_module_is_in_a_layer():
    for name in sandbox_modules():
        layer_of(name)


def test_no_import_cycles_between_sandbox_modules():
    cycles = find_cycles(import_graph())
    assert not cycles, "Import cycles (break them; an import inside a function still counts):\n" + "\n".join(
        " <-> ".join(cycle) for cycle in cycles)


def test_imports_point_down_the_layers():
    wrong = []
    for name, targets in import_graph().items():
        source = layer_of(name)
        for target in targets:
            goal = layer_of(target)
            if goal != source and LAYERS[goal] >= LAYERS[source]:
                wrong.append(f"{name} -> {target} ({source} is layer {LAYERS[source]}, {goal} layer {LAYERS[goal]})")
    assert not wrong, "Imports against the layer map:\n" + "\n".join(sorted(wrong))


def test_only_the_ui_imports_streamlit():
    modules = sandbox_modules()
    wrong = sorted(name for name, path in modules.items()
                   if not name.startswith(STREAMLIT_ALLOWED)
                   and any(target == "streamlit" or target.startswith("streamlit.")
                           for target in imports_of(name, path, modules)))
    assert not wrong, f"Only sandbox.ui and sandbox.app may import Streamlit; these do too: {wrong}"


def test_the_checker_sees_a_cycle_and_an_arrow_against_the_layers(tmp_path):
    """The checks can fail: a made-up pair of modules importing each other, one upwards."""
    graph = {"sandbox.services.a": {"sandbox.simulation.b"}, "sandbox.simulation.b": {"sandbox.services.a"}}
    assert find_cycles(graph) == [["sandbox.services.a", "sandbox.simulation.b"]]
    module = tmp_path / "m.py"
    module.write_text("def later():\n    from sandbox.simulation.tick import tick\n")
    assert imports_of("sandbox.services.m", module, sandbox_modules()) == {"sandbox.simulation.tick"}
    assert LAYERS[layer_of("sandbox.simulation.tick")] > LAYERS[layer_of("sandbox.services.m")]
