"""Where certificates go: safe file names, the output folder, whole-file writes."""
from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path

from exercises.certificates.errors import CertificateError

# Names Windows refuses for a file, whatever the extension.
RESERVED_STEMS = {"con", "prn", "aux", "nul"} | {f"{p}{n}" for p in ("com", "lpt") for n in range(1, 10)}
MAX_STEM_LENGTH = 80


def safe_file_stem(learner: str) -> str:
    """A file name (without ``.pdf``) for ``learner`` that is safe on every system.

    Letters and digits of any script are kept; anything else (slashes, spaces,
    dots at the start) becomes ``_``.
    """
    text = unicodedata.normalize("NFC", learner)
    stem = re.sub(r"[^\w.-]", "_", text).strip("._") or "learner"
    stem = stem[:MAX_STEM_LENGTH]
    if stem.lower() in RESERVED_STEMS:
        stem = f"{stem}_"
    return stem


def unique_file_names(learners: list[str]) -> dict[str, str]:
    """``learner -> "<stem>.pdf"``, different for every learner even where two ids
    look alike once made safe, or differ only in upper and lower case (which are one
    file on Windows and macOS)."""
    taken: set[str] = set()
    names: dict[str, str] = {}
    for learner in learners:
        stem = safe_file_stem(learner)
        candidate, number = stem, 2
        while candidate.casefold() in taken:
            candidate, number = f"{stem}-{number}", number + 1
        taken.add(candidate.casefold())
        names[learner] = f"{candidate}.pdf"
    return names


def prepare_folder(folder: Path) -> Path:
    """Make sure ``folder`` exists and we can write files into it.

    Fails with :class:`CertificateError` when it is a file, when it (or a folder
    above it) cannot be created, or when writing into it is refused.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise CertificateError(f"{folder} is a file, not a folder; choose a folder for --out.")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=folder, prefix=".insideout-", delete=True)
        probe.close()
    except OSError as error:
        raise CertificateError(
            f"cannot write certificates into {folder}: {error.strerror or error}."
        ) from None
    return folder


def write_whole(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that ``path`` is either complete or untouched.

    The bytes go to a hidden temporary file in the same folder that is renamed over
    ``path`` only once it is fully on disk. Fails with :class:`CertificateError`
    (and leaves no temporary file) when the disk is full or writing is refused.
    """
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".insideout-", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        # mkstemp makes the file private (0600); a certificate is meant to be shared,
        # so give it the permissions any new file would get.
        os.chmod(temporary, 0o666 & ~_current_umask())
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise CertificateError(f"cannot write {path}: {error.strerror or error}.") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
