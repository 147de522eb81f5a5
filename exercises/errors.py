"""Errors that carry a message meant for the trainer or learner."""


class ExercisesError(Exception):
    """Base for exercise and grading errors shown as they are: one clear line."""
