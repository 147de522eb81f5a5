"""Fixtures for real-browser journeys: a running sandbox server with a workshop."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from sandbox.services import workshops
from sandbox.store import create_schema, make_engine, write_session
from sandbox_browser import SandboxServer, start_server, stop_server


@pytest.fixture(scope="module")
def sandbox_server(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("sandbox-data")
    engine = make_engine(f"sqlite:///{data_dir / 'sandbox.db'}")
    create_schema(engine)
    with write_session(engine) as session:
        created = workshops.create_workshop(session, "Northfield College: going inside-out",
                                            now=datetime.now(timezone.utc))
    process, url, log = start_server(data_dir)
    try:
        yield SandboxServer(url=url, engine=engine, code=created.workshop.code,
                            trainer_key=created.trainer_key, log=log)
    finally:
        stop_server(process)
        engine.dispose()




@pytest.fixture(autouse=True)
def screenshot_on_failure(request, page, tmp_path_factory):
    """Keep a screenshot of the page when a browser test fails (path printed in the report)."""
    yield
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        path = tmp_path_factory.mktemp("failure") / f"{request.node.name}.png"
        page.screenshot(path=str(path), full_page=True)
        print(f"screenshot: {path}")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.rep_call = report
