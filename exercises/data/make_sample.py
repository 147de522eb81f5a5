"""Make the shipped sample export: a realistic two-hour workshop at Northfield College.

Run ``python -m exercises.data.make_sample`` to rewrite ``sample-export.json`` and
``sample-export.csv`` next to this file. The output is the same on every run
(fixed seed, fixed clock), so tests can compare the shipped files with a fresh
build and notebooks can rely on the numbers.

The shape follows ``sandbox/activity.py`` (schema ``insideout.export/1``). The
story: 22 staff join a morning workshop run by one trainer, with four simulated
colleagues from the scenario keeping the room alive. A few champions post early
and often; most people post a little; a few only read and react.
"""
from __future__ import annotations

import csv
import io
import json
import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20261127
WORKSHOP = "NFC-7Q4K"
START = datetime(2026, 11, 20, 9, 30, tzinfo=timezone.utc)
LENGTH = timedelta(hours=2)

SCHEMA = "insideout.export/1"
COLUMNS = ("id", "workshop", "at", "actor", "actor_kind", "department", "verb",
           "object_type", "object_id", "target", "detail")

# (handle, display name, department, kind, champion, activity level 0..1)
# Level: how busy the person is; lurkers are near 0, champions near 1.
PEOPLE = [
    ("trainer-jo", "Jo Trainer", "Staff Development", "trainer", False, 0.3),
    ("amira.k", "Amira Khan", "Student Services", "learner", True, 1.0),
    ("ben.o", "Ben Okafor", "IT Services", "learner", True, 0.9),
    ("carla.m", "Carla Mendes", "Library", "learner", True, 0.85),
    ("dev.p", "Dev Patel", "Finance", "learner", False, 0.55),
    ("ella.w", "Ella Wright", "Student Services", "learner", False, 0.5),
    ("femi.a", "Femi Adeyemi", "Estates", "learner", False, 0.3),
    ("grace.l", "Grace Liu", "Library", "learner", False, 0.6),
    ("harry.b", "Harry Brown", "Finance", "learner", False, 0.25),
    ("isla.r", "Isla Reid", "Admissions", "learner", False, 0.45),
    ("jamal.h", "Jamal Hussein", "IT Services", "learner", False, 0.5),
    ("kate.s", "Kate Sullivan", "Admissions", "learner", False, 0.35),
    ("liam.d", "Liam Doyle", "Estates", "learner", False, 0.1),
    ("maya.t", "Maya Thompson", "Human Resources", "learner", False, 0.55),
    ("nina.v", "Nina Varga", "Human Resources", "learner", False, 0.2),
    ("omar.f", "Omar Farouk", "Finance", "learner", False, 0.05),
    ("priya.n", "Priya Nair", "Student Services", "learner", False, 0.4),
    ("quinn.e", "Quinn Evans", "Marketing", "learner", False, 0.65),
    ("rosa.g", "Rosa Garcia", "Marketing", "learner", False, 0.3),
    ("sam.y", "Sam Young", "Estates", "learner", False, 0.0),
    ("tom.c", "Tom Clarke", "Admissions", "learner", False, 0.0),
    ("uma.j", "Uma Joshi", "Library", "learner", False, 0.15),
    ("victor.z", "Victor Zhang", "IT Services", "learner", False, 0.0),
    ("sim-helen", "Helen Marsh", "Student Services", "simulated", True, 0.7),
    ("sim-raj", "Raj Singh", "IT Services", "simulated", False, 0.5),
    ("sim-olive", "Olive Grant", "Finance", "simulated", False, 0.4),
    ("sim-peter", "Peter Walsh", "Estates", "simulated", False, 0.35),
]

TAGS = ["timetabling", "enrolment", "open-day", "wellbeing", "it-help", "library",
        "budget", "induction", "question", "accessibility", "sustainability", "ideas"]
REACTIONS = ["👍", "❤️", "🎉", "💡"]
MISSIONS = ["first-post", "work-out-loud", "answer-question", "wiki-from-share",
            "wiki-edit-colleague", "bookmark-three", "idea-reactions", "spend-votes",
            "schedule-rsvp", "search-first", "give-praise", "welcome-newcomer"]


@dataclass
class Person:
    handle: str
    name: str
    department: str
    kind: str
    champion: bool
    level: float
    joined: datetime


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class Workshop:
    """Builds the activity list in time order with increasing ids."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.rows: list[dict] = []
        self.people = [
            Person(h, n, d, k, c, lv, START + timedelta(seconds=rng.randint(0, 420)))
            for h, n, d, k, c, lv in PEOPLE
        ]
        self.posts: list[tuple[str, str, datetime]] = []  # (post id, author, at)
        self.wiki_pages: dict[str, str] = {}  # page id -> last editor
        self.ideas: list[tuple[str, str]] = []  # (idea id, author)
        self.bookmarks: dict[str, str] = {}  # url id -> first saver
        self.counter = {"post": 0, "wiki_page": 0, "idea": 0, "bookmark": 0, "reply": 0}

    def new_id(self, kind: str) -> str:
        self.counter[kind] += 1
        return f"{kind[0]}{self.counter[kind]}"

    def add(self, at, who: Person, verb, object_type="", object_id="", target="", **detail):
        self.rows.append({
            "at": at, "actor": who.handle, "actor_kind": who.kind,
            "department": who.department, "verb": verb, "object_type": object_type,
            "object_id": object_id, "target": target, "detail": detail,
        })

    def pick_other(self, who: Person, pool=None) -> Person:
        pool = [p for p in (pool or self.people) if p.handle != who.handle and p.kind != "trainer"]
        weights = [0.2 + p.level + (1.0 if p.champion else 0) for p in pool]
        return self.rng.choices(pool, weights)[0]

    def person(self, handle: str) -> Person:
        return next(p for p in self.people if p.handle == handle)


def _act(ws: Workshop, who: Person, at: datetime) -> None:
    """One action by someone, chosen to fit how active they are."""
    rng = ws.rng
    options = ["react", "search"]
    weights = [3, 1]
    if who.level > 0.12:
        options += ["post", "reply", "bookmark", "vote_idea", "wiki_edit"]
        weights += [2 + 3 * who.level, 3, 1.2, 1, 0.8]
    if who.level > 0.5:
        options += ["idea", "praise", "wiki_create"]
        weights += [0.5, 0.6, 0.3]
    choice = rng.choices(options, weights)[0]
    if choice == "post" or (choice in ("reply", "react") and not ws.posts):
        post_id = ws.new_id("post")
        tags = rng.sample(TAGS, rng.choice([1, 1, 2]))
        mentioned = [ws.pick_other(who).handle] if rng.random() < 0.35 else []
        ws.add(at, who, "post.create", "post", post_id, tags=tags, mentions=mentioned,
               kind="question" if "question" in tags else "post")
        for handle in mentioned:
            ws.add(at, who, "post.mention", "post", post_id, handle)
        ws.posts.append((post_id, who.handle, at))
    elif choice == "reply":
        # Champions' posts draw more replies: pick recent posts, weighted by author.
        recent = ws.posts[-12:]
        weights = [3 if ws.person(a).champion else 1 for _, a, _ in recent]
        post_id, author, _ = rng.choices(recent, weights)[0]
        if author == who.handle:
            return
        # As the sandbox logs it (sandbox/activity.py): the reply's own id, and the post
        # that started the thread in detail.thread.
        ws.add(at, who, "post.reply", "post", ws.new_id("reply"), author, thread=post_id)
    elif choice == "react":
        post_id, author, _ = rng.choice(ws.posts[-15:])
        if author == who.handle:
            return
        ws.add(at, who, "post.react", "post", post_id, author, reaction=rng.choice(REACTIONS))
    elif choice == "praise":
        other = ws.pick_other(who)
        post_id = ws.new_id("post")
        ws.add(at, who, "post.create", "post", post_id, tags=["thanks"], mentions=[other.handle], kind="praise")
        ws.add(at, who, "post.praise", "member", other.handle, other.handle)
        ws.posts.append((post_id, who.handle, at))
    elif choice == "bookmark":
        url = f"u{rng.randint(1, 14)}"
        first = ws.bookmarks.setdefault(url, who.handle)
        ws.add(at, who, "bookmark.save", "bookmark", url, "" if first == who.handle else first,
               tags=rng.sample(TAGS, 2))
    elif choice == "idea":
        idea_id = ws.new_id("idea")
        ws.add(at, who, "idea.create", "idea", idea_id)
        ws.ideas.append((idea_id, who.handle))
    elif choice == "vote_idea" and ws.ideas:
        idea_id, author = rng.choice(ws.ideas)
        if author != who.handle:
            ws.add(at, who, "idea.vote", "idea", idea_id, author, votes=1)
    elif choice == "wiki_create":
        page_id = ws.new_id("wiki_page")
        ws.add(at, who, "wiki.create", "wiki_page", page_id)
        ws.wiki_pages[page_id] = who.handle
    elif choice == "wiki_edit" and ws.wiki_pages:
        page_id = rng.choice(sorted(ws.wiki_pages))
        previous = ws.wiki_pages[page_id]
        ws.add(at, who, "wiki.edit", "wiki_page", page_id, "" if previous == who.handle else previous)
        ws.wiki_pages[page_id] = who.handle
    elif choice == "search":
        ws.add(at, who, "search.run", results=rng.randint(0, 9))


def build(seed: int = SEED) -> dict:
    """The whole export as a dict (schema insideout.export/1)."""
    rng = random.Random(seed)
    ws = Workshop(rng)
    for person in sorted(ws.people, key=lambda p: p.joined):
        ws.add(person.joined, person, "member.join", "member", person.handle)
    # Seed content from the scenario, so the room is never empty.
    helen, raj = ws.person("sim-helen"), ws.person("sim-raj")
    ws.add(START + timedelta(minutes=1), helen, "wiki.create", "wiki_page", ws.new_id("wiki_page"))
    ws.wiki_pages["w1"] = helen.handle
    ws.add(START + timedelta(minutes=2), raj, "post.create", "post", ws.new_id("post"),
           tags=["welcome"], mentions=[], kind="post")
    ws.posts.append(("p1", raj.handle, START + timedelta(minutes=2)))
    # Everyone acts at their own pace; busy people more often. Activity is
    # higher in the two hands-on blocks (minutes 15-55 and 70-110).
    for person in ws.people:
        moment = person.joined + timedelta(minutes=3)
        while moment < START + LENGTH:
            minutes = (moment - START).total_seconds() / 60
            hands_on = 15 <= minutes <= 55 or 70 <= minutes <= 110
            pace = (0.15 + 0.7 * person.level) * (1.0 if hands_on else 0.35)
            if person.level > 0 and ws.rng.random() < pace:
                _act(ws, person, moment)
            moment += timedelta(seconds=ws.rng.randint(60, 240))
    # Mission ticks: one per mission for most learners who acted in the matching way.
    for person in ws.people:
        if person.kind != "learner" or person.level < 0.12:
            continue
        for mission in MISSIONS[: 2 + int(person.level * 10)]:
            at = START + timedelta(minutes=rng.randint(30, 118))
            ws.add(at, person, "mission.complete", "mission", mission)
    # Threshold game at minute 60: everyone present states a threshold.
    for person in ws.people:
        if person.kind != "trainer":
            ws.add(START + timedelta(minutes=60, seconds=rng.randint(0, 150)), person,
                   "member.threshold", "threshold", "", threshold=rng.choice([0, 1, 2, 3, 4, 5, 6, 8, 10]))
    rows = sorted(ws.rows, key=lambda r: (r["at"], r["actor"], r["verb"]))
    activities = []
    for number, row in enumerate(rows, start=1):
        activities.append({"id": number, "workshop": WORKSHOP, **{**row, "at": _stamp(row["at"])}})
    members = [
        {"handle": p.handle, "display_name": p.name, "department": p.department,
         "kind": p.kind, "champion": p.champion, "joined_at": _stamp(p.joined)}
        for p in ws.people
    ]
    return {
        "schema": SCHEMA,
        "workshop": {"code": WORKSHOP, "title": "Northfield College: going inside-out (morning)",
                     "scenario": "college", "mode": "live", "created_at": _stamp(START - timedelta(days=1)),
                     "exported_at": _stamp(START + LENGTH + timedelta(minutes=5))},
        "members": members,
        "activities": [{key: a[key] for key in COLUMNS} for a in activities],
    }


def to_json(export: dict) -> str:
    return json.dumps(export, indent=1, ensure_ascii=False) + "\n"


def to_csv(export: dict) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for activity in export["activities"]:
        writer.writerow({**activity, "detail": json.dumps(activity["detail"], ensure_ascii=False, sort_keys=True)})
    return buffer.getvalue()


def main(folder: Path = HERE) -> None:
    export = build()
    (folder / "sample-export.json").write_text(to_json(export), encoding="utf-8")
    (folder / "sample-export.csv").write_text(to_csv(export), encoding="utf-8")


if __name__ == "__main__":
    main()
