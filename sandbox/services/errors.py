"""What can go wrong in a service, in words meant for the person using the sandbox.

Every class is an :class:`sandbox.errors.InsideOutError`, so the CLI and the UI
show the message as it is. Nothing is stored when one is raised (the caller's
``write_session`` rolls back), except where a class says ``keep_writes``.
"""
from __future__ import annotations

from sandbox.errors import InsideOutError


class InvalidInput(InsideOutError):
    """Text or a choice we cannot accept (empty, too long, unsafe characters...)."""


class NotFound(InsideOutError):
    """The thing asked for does not exist in this workshop (or was deleted)."""


class NotAllowed(InsideOutError):
    """The member may not do this (not theirs, trainer only, not in the group...)."""


class AlreadyTaken(InsideOutError):
    """A name that must be unique in the workshop is already in use."""


class EditConflict(InsideOutError):
    """Someone else saved a newer version while this member was editing."""


class WrongJoinCode(InsideOutError):
    """No workshop has this code. The failed try is kept for the rate limit."""

    keep_writes = True


class UnknownCodeTried(NotFound):
    """No workshop has the code given with a trainer key. Kept for the rate limit."""

    keep_writes = True


class WrongReturnCode(NotAllowed):
    """The display name and return code do not match. Kept for the rate limit."""

    keep_writes = True


class WrongTrainerKey(NotAllowed):
    """The trainer key does not match. The failed try is kept for the rate limit."""

    keep_writes = True


class TooManyTries(InsideOutError):
    """Too many wrong join codes from this client; ``wait_seconds`` says how long."""

    def __init__(self, message: str, wait_seconds: int):
        super().__init__(message)
        self.wait_seconds = wait_seconds
