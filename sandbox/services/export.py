"""The workshop export: the activity log and members, as JSON or CSV.

The shape is defined in ``sandbox/activity.py`` (schema ``insideout.export/1``);
notebooks read these files, never the live store. Writing is atomic: a temporary
file in the same folder is renamed over the target only when complete, so a
crash or a full disk never leaves half a file.

Exports are pseudonymised unless asked otherwise (``pseudonymise=False``, the
CLI's ``--names``): every learner's handle and display name become a stable
pseudonym (``learner-1a2b3c``): the same learner gets the same pseudonym in every
export of that workshop, but it cannot be traced back without the workshop's
secret. A learner whose data was erased already goes by that same pseudonym.
Simulated colleagues and the trainer are fictional or non-personal roles and keep
their handles.
"""
from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import os
import tempfile
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from sandbox.activity import EXPORT_COLUMNS, EXPORT_SCHEMA
from sandbox.services.errors import InvalidInput
from sandbox.services.room_log import load_activities
from sandbox.services.workshops import get_workshop
from sandbox.store.models import Member, Workshop

FORMATS = (".json", ".csv")


def iso(moment: datetime | None) -> str:
    """``2026-11-27T09:14:03Z``: the export's timestamp format."""
    if moment is None:
        return ""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def pseudonym(workshop: Workshop, handle: str) -> str:
    """The stable pseudonym of ``handle`` in ``workshop``."""
    digest = hmac.new(workshop.pseudonym_secret.encode(), handle.encode(), hashlib.sha256)
    return f"learner-{digest.hexdigest()[:8]}"


def build_export(session: Session, code: str, *, now: datetime, pseudonymise: bool = True) -> dict:
    """The export of workshop ``code`` as a dict (see ``sandbox.activity``).

    Fails with NotFound for an unknown code.
    """
    workshop = get_workshop(session, code)
    members = session.scalars(
        select(Member).where(Member.workshop_id == workshop.id).order_by(Member.id)).all()

    # Erased learners already go by their pseudonym (sandbox/services/people.py).
    kinds = {member.handle: "erased" if member.erased_at else member.kind for member in members}

    def name(handle: str) -> str:
        if pseudonymise and kinds.get(handle) == "learner":
            return pseudonym(workshop, handle)
        return handle

    activities = [
        {
            "id": activity.id,
            "workshop": workshop.code,
            "at": iso(activity.at),
            "actor": name(activity.actor),
            "actor_kind": activity.actor_kind,
            "department": activity.department,
            "verb": activity.verb,
            "object_type": activity.object_type,
            "object_id": activity.object_id,
            "target": name(activity.target),
            # The store's driven_by column rides in detail: the export's columns stay
            # those of insideout.export/1, which the notebooks and their readers know.
            "detail": {**activity.detail, "driven_by": activity.driven_by} if activity.driven_by
            else activity.detail,
        }
        for activity in load_activities(session, workshop.id)
    ]
    return {
        "schema": EXPORT_SCHEMA,
        "workshop": {
            "code": workshop.code,
            "title": workshop.title,
            "scenario": workshop.scenario,
            "mode": workshop.mode,
            "created_at": iso(workshop.created_at),
            "exported_at": iso(now),
        },
        "members": [
            {
                "handle": name(m.handle),
                "display_name": name(m.handle) if pseudonymise and kinds[m.handle] == "learner" else m.display_name,
                "department": m.department,
                "kind": m.kind,
                "champion": m.champion,
                "joined_at": iso(m.joined_at),
            }
            for m in members
        ],
        "activities": activities,
    }


def export_format(path: Path) -> str:
    """``.json`` or ``.csv`` from the file name. Fails with InvalidInput otherwise."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise InvalidInput(f"The export file must end in .json or .csv (got '{Path(path).name}').")
    return suffix


def render_export(data: dict, suffix: str) -> str:
    """The file's text: JSON of the whole export, or CSV of the activities."""
    if suffix == ".json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(EXPORT_COLUMNS), lineterminator="\n")
    writer.writeheader()
    for activity in data["activities"]:
        row = dict(activity)
        row["detail"] = json.dumps(row["detail"], sort_keys=True, ensure_ascii=False)
        writer.writerow(row)
    return buffer.getvalue()


def write_export(data: dict, path: Path) -> Path:
    """Write ``data`` to ``path`` (.json or .csv) atomically; returns the path.

    Fails with InvalidInput for another file type or a folder that does not
    exist or cannot be written; the target is then untouched.
    """
    path = Path(path)
    suffix = export_format(path)
    return write_text_atomically(path, render_export(data, suffix))


def write_text_atomically(path: Path, content: str) -> Path:
    """Write ``content`` to ``path``: all of it or, on any failure, nothing (the target untouched).

    Fails with InvalidInput for a folder that does not exist or cannot be written.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InvalidInput(f"The folder '{folder}' does not exist. Create it first.")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    except OSError as error:
        raise InvalidInput(f"Cannot write in '{folder}': {error.strerror}.") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise InvalidInput(f"Could not write '{path}': {error.strerror}.") from None
        raise
    return path
