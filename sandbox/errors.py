"""Errors that carry a message meant for the person using the kit."""


class InsideOutError(Exception):
    """Base for sandbox errors the CLI and the UI show as they are: one clear line."""
