"""The one error the certificates library raises for its users."""
from __future__ import annotations

from exercises.errors import ExercisesError


class CertificateError(ExercisesError):
    """Bad input or an output problem, said in plain words for a trainer."""
