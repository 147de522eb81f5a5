"""Certificates of completion, one PDF per learner, made offline from ``grades.csv``.

The library behind ``insideout certificates``. It reads grades files written by
``insideout grade`` (and an optional names file), decides who completed the course
(:mod:`.eligibility`), lays out each certificate with fpdf2 and a bundled Unicode
font (:mod:`.render`, :mod:`.fonts`) and writes each PDF whole (:mod:`.files`).
It knows nothing of the sandbox.
"""
from exercises.certificates.errors import CertificateError
from exercises.certificates.issue import (
    DEFAULT_ORGANISATION,
    DEFAULT_PASS_MARK,
    DEFAULT_TITLE,
    CertificateOptions,
    CertificateReport,
    LearnerOutcome,
    make_certificates,
)

__all__ = [
    "DEFAULT_ORGANISATION",
    "DEFAULT_PASS_MARK",
    "DEFAULT_TITLE",
    "CertificateError",
    "CertificateOptions",
    "CertificateReport",
    "LearnerOutcome",
    "make_certificates",
]
