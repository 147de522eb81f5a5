"""Annotated screenshots of the sandbox for the course: ``make screenshots``.

Starts the sandbox exactly as ``insideout sandbox run`` does, on a fresh data folder
with a seeded workshop (the college scenario, a small room of learners who posted
and stated thresholds), drives Chromium (Playwright, the system's chromium) at a
fixed window size, draws numbered callouts on the page, and saves small PNGs into
``course/assets/screenshots/`` with ``manifest.json``: what each shot shows (its
alt text, description and callouts, which the course pages print) and a
fingerprint of the files the shots depend on.

``tests/site/test_screenshots.py`` fails when the fingerprint no longer matches
those files, and names this one command to run.
"""
from __future__ import annotations

import argparse
import hashlib
import io
import json
import random
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "course" / "assets" / "screenshots"
MANIFEST = OUT / "manifest.json"
VIEWPORT = {"width": 1200, "height": 1180}
COMMAND = "make screenshots"
COLOURS = 48  # PNG palette size: enough for Streamlit's flat colours, keeps files small

# What the shots show: if any of these change, the screenshots may be out of date.
INPUTS = (
    "tests/support/screenshots.py",
    "sandbox/scenarios/college.yaml",
    "sandbox/app.py",
    "sandbox/ui/navigation.py",
    "sandbox/ui/feed_view.py",
    "sandbox/ui/pages/feed.py",
    "sandbox/ui/pages/console_dashboard.py",
    "sandbox/ui/pages/console_threshold.py",
    "sandbox/ui/pages/missions.py",
    "sandbox/ui/components/charts.py",
    "sandbox/ui/components/posts.py",
    "sandbox/ui/components/sidebar.py",
    "sandbox/ui/components/network.py",  # the network's bar at the top of the feed
)


@dataclass(frozen=True)
class Callout:
    text: str
    """What the numbered marker points at, in plain words (printed under the picture)."""
    role: str
    name: str
    exact: bool = False


@dataclass(frozen=True)
class Shot:
    name: str
    title: str
    """The alt text: what the screenshot shows, briefly."""
    description: str
    callouts: tuple[Callout, ...]


SHOTS = (
    Shot(
        "sandbox-feed",
        "The sandbox's feed, seen by a learner, with numbered callouts",
        "The Feed page of the sandbox as a learner, Dana Patel, sees it after joining the workshop: "
        "the navigation on the left, the organisation's bar and the next mission at the top, the "
        "'Start a conversation' box opened to write a post, and colleagues' posts below.",
        (
            Callout("The pages of the sandbox: Feed, Wiki, Bookmarks, Ideas, Events, Missions and more.",
                    "link", "Missions"),
            Callout("Write a post here. A #tag files it under a topic; an @mention tells a colleague.",
                    "textbox", "Your post"),
            Callout("Each post shows who wrote it, their department and when; #tags and @mentions "
                    "are links. React or reply with the buttons under it.",
                    "article", "Post by Jordan Lee"),
        ),
    ),
    Shot(
        "sandbox-dashboard",
        "The trainer's live dashboard in the sandbox, with numbered callouts",
        "The trainer console's Live dashboard during a workshop: a sentence, a chart and a table "
        "for each measure, starting with adopters over time.",
        (
            Callout("The console's pages: the live dashboard, the threshold game, the debrief and more.",
                    "link", "Threshold game"),
            Callout("Every chart starts with one plain sentence that says what it shows.",
                    "heading", "Adopters over time"),
        ),
    ),
    Shot(
        "sandbox-threshold-game",
        "The threshold game in the trainer console, with numbered callouts",
        "The trainer console's Threshold game: the thresholds the room stated on their Missions "
        "page, the cascade they predict, round by round, and a control to change one person's "
        "threshold.",
        (
            Callout("The cascade the room's thresholds predict: who joins in each round.",
                    "heading", "What the room's thresholds predict"),
            Callout("Change one person's threshold with this slider and watch the outcome change.",
                    "slider", "New threshold"),
        ),
    ),
)


def fingerprint(root: Path = ROOT, inputs: tuple[str, ...] = INPUTS) -> str:
    """A hash of the files the screenshots depend on (path and bytes of each)."""
    digest = hashlib.sha256()
    for relative in inputs:
        digest.update(relative.encode() + b"\0")
        digest.update((root / relative).read_bytes().replace(b"\r\n", b"\n"))
        digest.update(b"\0")
    return digest.hexdigest()


def _seed(data_dir: Path):
    """A workshop on the college scenario with a small room that has been busy."""
    from sandbox.services import feed, workshops
    from sandbox.store import create_schema, make_engine, write_session

    engine = make_engine(f"sqlite:///{data_dir / 'sandbox.db'}")
    create_schema(engine)
    now = datetime.now(timezone.utc) - timedelta(minutes=40)
    rng = random.Random(16)
    room = [("Ben Jones", "Finance"), ("Amira Khan", "Student Services"), ("Carla Mendes", "Library"),
            ("Dev Patel", "IT Services"), ("Ella Wright", "Estates"), ("Femi Adeyemi", "Exams"),
            ("Grace Liu", "Curriculum"), ("Harry Brown", "Catering")]
    with write_session(engine) as session:
        created = workshops.create_workshop(session, "Staff development day", now=now, scenario="college")
        code = created.workshop.code
        members = []
        for index, (name, department) in enumerate(room):
            at = now + timedelta(minutes=index)
            member = workshops.join(session, code, name, department, accept_policy=True,
                                    client_key=f"seed-{index}", now=at).member
            members.append(member)
            workshops.set_threshold(session, member, rng.choice([0, 10, 20, 25, 30, 40, 50]), now=at)
        posts = [
            "Where is the latest bursary form? I found three on the share. #bursary",
            "The open day rota is now one wiki page: edit it there, not by email. #openday",
            "Car park closed on Saturday morning; the side gate opens at 8:30. #estates",
            "Thanks @amira-khan for the enrolment checklist, it saved us an hour. #enrolment",
        ]
        for index, body in enumerate(posts):
            feed.create_post(session, members[index], body, now=now + timedelta(minutes=10 + 3 * index))
    return engine, code, created.trainer_key


ANNOTATE = """
([boxes, colour]) => {
  document.querySelectorAll('.io-callout').forEach((node) => node.remove());
  boxes.forEach(([x, y, w, h], index) => {
    const frame = document.createElement('div');
    frame.className = 'io-callout';
    Object.assign(frame.style, {position: 'fixed', left: `${x - 4}px`, top: `${y - 4}px`,
      width: `${w + 8}px`, height: `${h + 8}px`, border: `3px solid ${colour}`, borderRadius: '6px',
      zIndex: 999999, pointerEvents: 'none'});
    const badge = document.createElement('div');
    badge.className = 'io-callout';
    badge.textContent = String(index + 1);
    Object.assign(badge.style, {position: 'fixed', left: `${Math.max(2, x - 18)}px`,
      top: `${Math.max(2, y - 18)}px`, width: '28px', height: '28px', borderRadius: '50%',
      background: colour, color: '#ffffff', font: 'bold 17px/28px system-ui, sans-serif',
      textAlign: 'center', zIndex: 1000000, pointerEvents: 'none',
      boxShadow: '0 0 0 2px #ffffff'});
    document.body.append(frame, badge);
  });
}
"""
CALLOUT_COLOUR = "#c2185b"  # 5.9:1 on white, and distinct from Streamlit's own colours


def _locate(page, callout: Callout):
    locator = page.get_by_role(callout.role, name=callout.name, exact=callout.exact).first
    locator.wait_for(timeout=30_000)
    return locator


def _wait_for_charts(page) -> None:
    """Altair charts draw after the page's run: wait until no placeholder is left and
    each chart has its canvas (the dashboard writes its sentences first, charts after)."""
    page.wait_for_function(
        """() => !document.querySelector('[data-testid="stSkeleton"]')
                 && (!document.querySelector('h2') || !document.querySelector('h2').textContent.includes('Adopters')
                     || document.querySelector('[data-testid="stVegaLiteChart"]'))
                 && [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
                 .every((chart) => chart.querySelector('canvas, svg.marks'))
                 && [...document.querySelectorAll('[data-testid="stDataFrame"]')]
                 .every((table) => table.querySelector('canvas, table'))""",
        timeout=30_000,
    )
    page.wait_for_timeout(500)  # the charts' own entry transition


def _shoot(page, shot: Shot) -> bytes:
    from PIL import Image

    _wait_for_charts(page)
    boxes = []
    for callout in shot.callouts:
        box = _locate(page, callout).bounding_box()
        if box is None or box["y"] < 0 or box["y"] + 10 > VIEWPORT["height"]:
            raise RuntimeError(f"{shot.name}: '{callout.name}' is not on screen at {VIEWPORT}")
        boxes.append([box["x"], box["y"], min(box["width"], VIEWPORT["width"] - box["x"] - 8),
                      min(box["height"], VIEWPORT["height"] - box["y"] - 8)])
    page.evaluate(ANNOTATE, [boxes, CALLOUT_COLOUR])
    raw = page.screenshot(animations="disabled", caret="hide")
    image = Image.open(io.BytesIO(raw)).convert("RGB")
    small = image.quantize(colors=COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    small.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _capture(url: str, code: str, trainer_key: str, chromium: str) -> dict[str, bytes]:
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT / "tests" / "sandbox" / "browser"))
    from sandbox_browser import SandboxServer, go_to, join, open_composer, sign_in_as_trainer, wait_for_app

    from tests.conftest import CHROMIUM_ARGS

    server = SandboxServer(url=url, engine=None, code=code, trainer_key=trainer_key, log=Path())
    shots = {shot.name: shot for shot in SHOTS}
    images = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        try:
            learner = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
            page = learner.new_page()
            join(page, server, "Dana Patel", "Library")
            page.get_by_role("article").first.wait_for()
            open_composer(page)  # the callout points at the box for a post
            images["sandbox-feed"] = _shoot(page, shots["sandbox-feed"])
            learner.close()

            trainer = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
            page = trainer.new_page()
            sign_in_as_trainer(page, server)
            go_to(page, "Live dashboard")
            page.get_by_role("heading", name="Adopters over time").wait_for(timeout=30_000)
            wait_for_app(page)
            images["sandbox-dashboard"] = _shoot(page, shots["sandbox-dashboard"])
            go_to(page, "Threshold game")
            page.get_by_role("heading", name="Change one threshold").wait_for(timeout=30_000)
            wait_for_app(page)
            images["sandbox-threshold-game"] = _shoot(page, shots["sandbox-threshold-game"])
            trainer.close()
        finally:
            browser.close()
    return images


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.support.screenshots",
                                     description="Make the course's annotated screenshots of the sandbox.")
    parser.add_argument("--out", type=Path, default=OUT,
                        help="folder for the PNGs and manifest.json (default: course/assets/screenshots)")
    out = parser.parse_args(argv).out
    sys.path.insert(0, str(ROOT))
    from tests.conftest import find_chromium

    chromium = find_chromium()
    if chromium is None:
        print("screenshots: no Chromium found; install Debian's 'chromium' or set CHROMIUM.", file=sys.stderr)
        return 1
    # The course's own pictures need an emoji font (reaction icons); a scratch run does not.
    if out.resolve() == OUT and shutil.which("fc-list") and "emoji" not in subprocess.run(
            ["fc-list"], capture_output=True, text=True, check=False).stdout.lower():
        print("screenshots: no colour emoji font, so reaction icons would show as boxes; install "
              "Debian's 'fonts-noto-color-emoji' first.", file=sys.stderr)
        return 1
    sys.path.insert(0, str(ROOT / "tests" / "sandbox" / "browser"))
    from sandbox_browser import start_server, stop_server

    with tempfile.TemporaryDirectory(prefix="insideout-screenshots-") as folder:
        data_dir = Path(folder)
        engine, code, trainer_key = _seed(data_dir)
        engine.dispose()
        process, url, _ = start_server(data_dir)
        try:
            images = _capture(url, code, trainer_key, chromium)
        finally:
            stop_server(process)
    out.mkdir(parents=True, exist_ok=True)
    manifest = {
        "about": f"Made by '{COMMAND}' (tests/support/screenshots.py); do not edit by hand.",
        "command": COMMAND,
        "viewport": VIEWPORT,
        "inputs": list(INPUTS),
        "fingerprint": fingerprint(),
        "screenshots": {},
    }
    for shot in SHOTS:
        data = images[shot.name]
        (out / f"{shot.name}.png").write_bytes(data)
        manifest["screenshots"][shot.name] = {
            "file": f"{shot.name}.png",
            "title": shot.title,
            "description": shot.description,
            "callouts": [callout.text for callout in shot.callouts],
            "sha256": hashlib.sha256(data).hexdigest(),
            "bytes": len(data),
        }
        print(f"screenshots: {shot.name}.png, {len(data) / 1024:.0f} KB")
    (out / MANIFEST.name).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    print(f"screenshots: wrote {len(SHOTS)} screenshots and {out / MANIFEST.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
