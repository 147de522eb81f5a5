"""Find the learners' notebooks in whatever a trainer was handed.

Three layouts are accepted:

* nbgrader's ``submitted/<learner>/<assignment>/<notebook>.ipynb`` (the folder given
  may be the course root, its ``submitted/`` folder, or any folder laid out like it);
* a flat folder of ``<learner>.ipynb``;
* a bulk-download zip from a learning platform: either of the above inside, or one
  folder per learner (Moodle's ``Jane Doe_123_assignsubmission_file_/``).

Learner ids come from file and folder names, so they are cleaned up to letters,
digits, ``.``, ``_`` and ``-``: safe as file names for the feedback pages.
"""
from __future__ import annotations

import hashlib
import re
import shutil
import stat
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from exercises.errors import ExercisesError

# Zip bombs: a bulk download of notebooks is a few megabytes per learner.
MAX_ZIP_ENTRIES = 20_000
MAX_ZIP_FILE_BYTES = 200 * 1024 * 1024
MAX_ZIP_TOTAL_BYTES = 2 * 1024 * 1024 * 1024
MAX_NOTEBOOK_BYTES = 100 * 1024 * 1024

MOODLE_SUFFIX = re.compile(r"_(assignsubmission|onlinetext)_[a-z]*_?$", re.IGNORECASE)
UNSAFE_CHARACTERS = re.compile(r"[^A-Za-z0-9._-]+")


class SubmissionsError(ExercisesError):
    """The submissions cannot be read at all (missing, empty, an unsafe zip)."""


@dataclass(frozen=True)
class Submission:
    """One learner's work. ``problem`` says, in plain words, why it cannot be graded.

    ``notebook`` is the notebook handed in for a one-notebook assignment (the first
    one otherwise); ``notebooks`` pairs every notebook of the assignment that was
    handed in with its id (its name without .ipynb), in the assignment's order.
    """

    learner: str
    notebook: Path | None
    files_dir: Path | None = None  # other files handed in next to the notebook
    problem: str | None = None
    notebooks: tuple[tuple[str, Path], ...] = ()

    def handed_in(self, notebook_id: str) -> Path | None:
        """The learner's copy of ``notebook_id``, or None when it was not handed in."""
        for handed_id, path in self.notebooks:
            if handed_id == notebook_id:
                return path
        return None

    @property
    def fingerprint(self) -> str:
        """sha256 of the notebook (one-notebook assignments), else of every notebook's
        name and bytes, in order."""
        if len(self.notebooks) <= 1:
            return _file_digest(self.notebook, hashlib.sha256()) if self.notebook else ""
        digest = hashlib.sha256()
        for notebook_id, path in self.notebooks:
            digest.update(notebook_id.encode() + b"\0")
            if not _file_digest(path, digest):
                return ""
        return digest.hexdigest()


def _file_digest(path: Path, digest) -> str:
    if path is None or not path.is_file():
        return ""
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _one(learner: str, notebook: Path, notebook_id: str, files_dir: Path | None = None) -> Submission:
    return Submission(learner, notebook, files_dir, notebooks=((notebook_id, notebook),))


def learner_id(name: str) -> str:
    """A safe learner id from a file or folder name."""
    name = MOODLE_SUFFIX.sub("", name)
    cleaned = UNSAFE_CHARACTERS.sub("-", name).strip(".-_")
    return cleaned[:64] or "learner"


def collect_submissions(path: Path, assignment: str, notebook_ids: str | tuple[str, ...],
                        unpack_dir: Path) -> list[Submission]:
    """Every learner's submission of ``assignment`` (whose notebooks are
    ``notebook_ids``: names without .ipynb, or one name with it) under ``path`` (a folder
    or a ``.zip``). An assignment of several notebooks needs a folder per learner (as
    nbgrader lays them out, or as a learning platform's zip does).

    Fails with :class:`SubmissionsError` when ``path`` does not exist, is a zip that is
    unsafe or too big to unpack, or holds no notebook at all.
    """
    if isinstance(notebook_ids, str):
        notebook_ids = (notebook_ids.removesuffix(".ipynb"),)
    path = Path(path)
    if not path.exists():
        raise SubmissionsError(f"There is nothing at {path}. Check the --submissions path.")
    if path.is_file():
        if not zipfile.is_zipfile(path):
            raise SubmissionsError(
                f"{path} is a file but not a zip. Give a folder of notebooks or a zip download."
            )
        path = unpack_zip(path, unpack_dir)
        path = _skip_wrapper_folders(path)

    if (path / "submitted").is_dir():
        path = path / "submitted"
    if _looks_like_nbgrader_layout(path, assignment):
        found = _from_nbgrader_layout(path, assignment, notebook_ids)
    else:
        found = _from_flat_or_per_learner_folders(path, notebook_ids)
    if not found and len(notebook_ids) > 1 and any(path.glob("*.ipynb")):
        raise SubmissionsError(
            f"{assignment} has {len(notebook_ids)} notebooks ({', '.join(n + '.ipynb' for n in notebook_ids)}), "
            f"so each learner's notebooks must be in a folder of their own: {path}/<learner>/, or nbgrader's "
            f"submitted/<learner>/{assignment}/.")
    if not found:
        raise SubmissionsError(
            f"No notebooks (.ipynb files) found in {path}. Expected a folder of <learner>.ipynb, "
            f"nbgrader's submitted/<learner>/{assignment}/ layout, or a zip of either."
        )
    return _unique_ids(found)


def _looks_like_nbgrader_layout(path: Path, assignment: str) -> bool:
    return any((child / assignment).is_dir() for child in path.iterdir() if child.is_dir())


def _from_nbgrader_layout(path: Path, assignment: str, notebook_ids: tuple[str, ...]) -> list[Submission]:
    found = []
    for learner_dir in sorted(p for p in path.iterdir() if p.is_dir()):
        folder = learner_dir / assignment
        if folder.is_dir():
            found.append(_from_folder(learner_id(learner_dir.name), folder, notebook_ids, folder))
    return found


def _from_folder(learner: str, folder: Path, notebook_ids: tuple[str, ...], files_dir: Path | None) -> Submission:
    """One learner's folder: the assignment's notebooks found by name (anywhere below
    it, for a learning platform's folders); a one-notebook assignment also takes one
    notebook under another name."""
    notebooks = sorted(nb for nb in folder.rglob("*.ipynb") if ".ipynb_checkpoints" not in nb.relative_to(folder).parts)
    by_name: dict[str, Path] = {}
    for notebook in notebooks:
        by_name.setdefault(notebook.stem, notebook)
    if len(notebook_ids) == 1:
        (notebook_id,) = notebook_ids
        expected = f"{notebook_id}.ipynb"
        if notebook_id in by_name:
            return _one(learner, by_name[notebook_id], notebook_id, files_dir)
        if len(notebooks) == 1:
            return _one(learner, notebooks[0], notebook_id, files_dir)
        if notebooks:
            return Submission(learner, None, files_dir, problem=(
                f"Several notebooks were handed in and none is called {expected}; "
                "please hand in just the one notebook."))
        return Submission(learner, None, files_dir, problem=f"No notebook was handed in (expected {expected}).")
    handed = tuple((notebook_id, by_name[notebook_id]) for notebook_id in notebook_ids if notebook_id in by_name)
    if not handed:
        expected = ", ".join(f"{notebook_id}.ipynb" for notebook_id in notebook_ids)
        return Submission(learner, None, files_dir, problem=f"No notebook of this assignment was handed in (expected {expected}).")
    return Submission(learner, handed[0][1], files_dir, notebooks=handed)


def _from_flat_or_per_learner_folders(path: Path, notebook_ids: tuple[str, ...]) -> list[Submission]:
    found = []
    if len(notebook_ids) == 1:
        found = [_one(learner_id(nb.stem), nb, notebook_ids[0]) for nb in sorted(path.glob("*.ipynb")) if nb.is_file()]
    for folder in sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if any(nb for nb in folder.rglob("*.ipynb") if ".ipynb_checkpoints" not in nb.parts):
            found.append(_from_folder(learner_id(folder.name), folder, notebook_ids, None))
    return found


def _unique_ids(found: list[Submission]) -> list[Submission]:
    seen: dict[str, int] = {}
    unique = []
    for submission in found:
        count = seen.get(submission.learner, 0) + 1
        seen[submission.learner] = count
        if count > 1:
            submission = replace(submission, learner=f"{submission.learner}-{count}")
        unique.append(submission)
    return unique


def _skip_wrapper_folders(path: Path) -> Path:
    """A zip often holds one folder around everything: look inside it."""
    while True:
        children = [c for c in path.iterdir() if not c.name.startswith((".", "__MACOSX"))]
        if len(children) == 1 and children[0].is_dir() and not any(children[0].glob("*.ipynb")):
            path = children[0]
        else:
            return path


def unpack_zip(archive: Path, target: Path) -> Path:
    """Unpack ``archive`` into ``target`` safely.

    Entries that would land outside ``target`` (``../``, absolute paths, links) are
    refused, and so is a zip that unpacks to more than the limits above, whatever sizes
    its directory claims. Fails with :class:`SubmissionsError`.
    """
    target.mkdir(parents=True, exist_ok=True)
    root = target.resolve()
    try:
        with zipfile.ZipFile(archive) as bundle:
            entries = bundle.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                raise SubmissionsError(f"{archive.name} holds {len(entries)} files; that is too many to be a class's notebooks.")
            total = 0
            for entry in entries:
                relative = PurePosixPath(entry.filename.replace("\\", "/"))
                if relative.is_absolute() or ".." in relative.parts or (entry.filename[:2].endswith(":")):
                    raise SubmissionsError(
                        f"{archive.name} contains an unsafe path ({entry.filename!r}) that points outside "
                        "the folder it unpacks into. It was not unpacked.")
                if stat.S_ISLNK(entry.external_attr >> 16):
                    continue  # links could point anywhere; notebooks are never links
                destination = (root / relative).resolve()
                if not destination.is_relative_to(root):
                    raise SubmissionsError(f"{archive.name} contains an unsafe path ({entry.filename!r}).")
                if entry.is_dir():
                    destination.mkdir(parents=True, exist_ok=True)
                    continue
                destination.parent.mkdir(parents=True, exist_ok=True)
                total = _copy_bounded(bundle, entry, destination, total, archive.name)
    except zipfile.BadZipFile as error:
        shutil.rmtree(target, ignore_errors=True)
        raise SubmissionsError(f"{archive.name} is a damaged zip file ({error}).") from None
    except SubmissionsError:
        shutil.rmtree(target, ignore_errors=True)
        raise
    return target


def _copy_bounded(bundle: zipfile.ZipFile, entry: zipfile.ZipInfo, destination: Path, total: int, name: str) -> int:
    written = 0
    with bundle.open(entry) as source, destination.open("wb") as out:
        for block in iter(lambda: source.read(1 << 20), b""):
            written += len(block)
            total += len(block)
            if written > MAX_ZIP_FILE_BYTES or total > MAX_ZIP_TOTAL_BYTES:
                raise SubmissionsError(
                    f"{name} unpacks to far more data than a class's notebooks "
                    f"(over {MAX_ZIP_TOTAL_BYTES // 2**30} GB in all or {MAX_ZIP_FILE_BYTES // 2**20} MB "
                    "in one file). It was not unpacked.")
            out.write(block)
    return total
