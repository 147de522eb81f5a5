"""Campaign figures: how far each hashtag campaign is towards its goal, from the log alone.

Viva Engage's campaigns gather conversations under one hashtag and its campaign
analytics count the posts, the people taking part and the reactions (Microsoft
Support, "Track engagement in Viva Engage with analytics"; Microsoft Learn, "View
and manage analytics in Viva Engage": campaign analytics). Here a campaign is a
``campaign.start`` row (tag, goal, minutes); a post counts when it is created
with the tag between the start and the end. Replies with the tag count too: in
Viva Engage a tagged reply joins the campaign's conversations.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sandbox.metrics.records import Activity
from sandbox.metrics.wording import duration, percent, plural, share_of

SOURCE = 'Microsoft Support, "Track engagement in Viva Engage with analytics" (campaign analytics)'


@dataclass(frozen=True)
class Campaign:
    tag: str
    goal: int
    started_at: datetime
    ends_at: datetime
    posts: int
    people: int
    reactions: int

    @property
    def progress(self) -> float:
        return min(1.0, share_of(self.posts, self.goal))

    def open_at(self, now: datetime) -> bool:
        return self.started_at <= now < self.ends_at

    def summary(self, now: datetime) -> str:
        """E.g. ``"#roombooking: 12 of 20 posts (60%) by 7 people; 15 minutes left."``"""
        head = (f"#{self.tag}: {self.posts} of {plural(self.goal, 'post')} ({percent(self.progress)}) "
                f"by {plural(self.people, 'person', 'people')}")
        if self.posts >= self.goal:
            return f"{head}. Goal reached!"
        if now >= self.ends_at:
            return f"{head}. The campaign has ended."
        return f"{head}; {duration((self.ends_at - now).total_seconds())} left."


def campaigns(activities: Sequence[Activity]) -> list[Campaign]:
    """Every campaign in the log (the latest start of each tag), newest first."""
    started: dict[str, Activity] = {}
    for activity in activities:
        if activity.verb == "campaign.start" and activity.object_id:
            started[activity.object_id] = activity
    if not started:
        return []
    windows = {tag: (row.at, row.at + timedelta(minutes=int(row.detail.get("minutes") or 0)))
               for tag, row in started.items()}
    posts: dict[str, set[str]] = {tag: set() for tag in started}
    people: dict[str, set[str]] = {tag: set() for tag in started}
    for activity in activities:
        if activity.verb not in ("post.create", "post.reply") or not activity.detail:
            continue
        for tag in activity.tags():
            window = windows.get(tag)
            if window is not None and window[0] <= activity.at < window[1]:
                posts[tag].add(activity.object_id)
                people[tag].add(activity.actor)
    reactions = dict.fromkeys(started, 0)
    for activity in activities:
        if activity.verb == "post.react":
            for tag, ids in posts.items():
                if activity.object_id in ids:
                    reactions[tag] += 1
    result = [
        Campaign(tag=tag, goal=int(row.detail.get("goal") or 1), started_at=windows[tag][0], ends_at=windows[tag][1],
                 posts=len(posts[tag]), people=len(people[tag]), reactions=reactions[tag])
        for tag, row in started.items()
    ]
    return sorted(result, key=lambda campaign: campaign.started_at, reverse=True)
