"""Back up the sandbox's database and restore it, while it serves.

SQLite: :func:`backup` copies the live file with SQLite's online backup API
(``sqlite3.Connection.backup``) in one step, inside one read transaction: the
copy is one consistent moment of the database even while servers write (WAL
mode lets them carry on meanwhile). It is written next to the target and
renamed into place only when complete and checked. :func:`restore` checks the
file (SQLite's integrity check, and that it is an Inside-Out database), keeps a
copy of the current database beside it, then copies the backup into the live
database with the same API (writers wait a moment, then see the restored data),
and upgrades the schema if the backup is older than this version of the kit.

PostgreSQL: the documented path is ``pg_dump --format=custom`` and
``pg_restore --clean --if-exists``; these functions call them (they must be on
PATH, in the server's major version), limited to the schema named in the URL's
``search_path`` if it has one. The password goes through ``PGPASSWORD``, never on
a command line that ``ps`` shows.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from sandbox.errors import InsideOutError


class BackupFailed(InsideOutError):
    """A backup or restore could not be made; the message says why in plain words."""


# Tables every Inside-Out database has (the restore refuses any other file).
_REQUIRED_TABLES = {"alembic_version", "workshops", "members", "activities"}


def backup(url: str, target: Path) -> Path:
    """Copy the database at ``url`` into the file ``target``; returns it.

    Fails with BackupFailed when the target's folder is missing, the target
    exists, or the database cannot be read.
    """
    url_obj = make_url(url)
    target = Path(target)
    if not target.parent.is_dir():
        raise BackupFailed(f"The folder '{target.parent}' does not exist. Create it first.")
    if target.exists():
        raise BackupFailed(f"'{target}' already exists. Pick a new file name; a backup never overwrites one.")
    if url_obj.get_backend_name() == "sqlite":
        _sqlite_copy(_sqlite_path(url_obj), target)
    elif url_obj.get_backend_name() == "postgresql":
        _pg_dump(url_obj, target)
    else:
        raise BackupFailed(f"Backups of a {url_obj.get_backend_name()} database are not supported; "
                           "use that database's own tools.")
    return target


def restore(url: str, source: Path) -> Path | None:
    """Replace the database at ``url`` with the backup ``source``.

    For SQLite, returns the copy kept of the database as it was before
    (``before-restore-<time>.db`` beside it); None for PostgreSQL. Fails with
    BackupFailed for a missing, damaged or foreign file; the database is then
    untouched.
    """
    url_obj = make_url(url)
    source = Path(source)
    if not source.is_file():
        raise BackupFailed(f"There is no backup file '{source}'.")
    if url_obj.get_backend_name() == "sqlite":
        return _sqlite_restore(_sqlite_path(url_obj), source)
    if url_obj.get_backend_name() == "postgresql":
        _pg_restore(url_obj, source)
        return None
    raise BackupFailed(f"Restoring a {url_obj.get_backend_name()} database is not supported.")


# --- SQLite ---------------------------------------------------------------------


def _sqlite_path(url_obj: URL) -> Path:
    database = url_obj.database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise BackupFailed("Only a SQLite database in a file can be backed up.")
    return Path(database).expanduser()


def _sqlite_copy(source: Path, target: Path) -> None:
    if not source.is_file():
        raise BackupFailed(f"There is no sandbox database at '{source}' yet: nothing to back up.")
    partial = target.with_name(f".{target.name}.part")
    try:
        with _closing(sqlite3.connect(source, timeout=30)) as live, \
                _closing(sqlite3.connect(partial)) as copy:
            # One step (pages=-1): one read transaction, so one consistent moment.
            live.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file
        _check_sqlite_file(partial)
        os.replace(partial, target)
    except sqlite3.Error as error:
        raise BackupFailed(f"Could not back up '{source}': {error}.") from None
    finally:
        partial.unlink(missing_ok=True)


def _check_sqlite_file(path: Path) -> None:
    try:
        with _closing(sqlite3.connect(path)) as connection:
            verdict = connection.execute("PRAGMA integrity_check").fetchone()[0]
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError:
        raise BackupFailed(f"'{path.name}' is not a SQLite database.") from None
    if verdict != "ok":
        raise BackupFailed(f"'{path.name}' is damaged (SQLite's integrity check says: {verdict}).")
    if not _REQUIRED_TABLES <= tables:
        raise BackupFailed(f"'{path.name}' is a SQLite database, but not an Inside-Out sandbox backup.")


def _sqlite_restore(live: Path, source: Path) -> Path:
    _check_sqlite_file(source)
    live.parent.mkdir(parents=True, exist_ok=True)
    kept = live.with_name(f"before-restore-{datetime.now():%Y%m%d-%H%M%S}.db")
    if live.is_file():
        _sqlite_copy(live, kept)
    try:
        with _closing(sqlite3.connect(source)) as backup_file, \
                _closing(sqlite3.connect(live, timeout=30)) as target:
            backup_file.backup(target)
    except sqlite3.Error as error:
        raise BackupFailed(f"Could not restore into '{live}': {error}. The database as it was is kept in "
                           f"'{kept}'.") from None
    return kept


class _closing:
    """``with`` for a sqlite3 connection that also closes it (its own ``with`` only commits)."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def __enter__(self) -> sqlite3.Connection:
        return self.connection

    def __exit__(self, *exc) -> None:
        self.connection.close()


# --- PostgreSQL -----------------------------------------------------------------


def pg_tools_present() -> bool:
    return bool(shutil.which("pg_dump") and shutil.which("pg_restore"))


def _libpq(url_obj: URL) -> tuple[str, dict[str, str], list[str]]:
    """(libpq URL without the password, environment, schema options) for pg_dump/pg_restore."""
    env = dict(os.environ)
    if url_obj.password:
        env["PGPASSWORD"] = url_obj.password
    options = url_obj.query.get("options", "")
    schema_options = []
    for part in (options if isinstance(options, str) else " ".join(options)).split():
        if part.startswith("-csearch_path="):
            schema_options = ["--schema", part.split("=", 1)[1].split(",")[0]]
    plain = url_obj.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env, schema_options


def _run_pg(command: list[str], env: dict[str, str], what: str) -> None:
    if not shutil.which(command[0]):
        raise BackupFailed(f"{command[0]} is not installed. Install PostgreSQL's client tools "
                           "(Debian: apt install postgresql-client) in the server's version.")
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        problem = (result.stderr.strip().splitlines() or ["no message"])[-1]
        raise BackupFailed(f"{what} failed: {problem}")


def _pg_dump(url_obj: URL, target: Path) -> None:
    dsn, env, schema = _libpq(url_obj)
    partial = target.with_name(f".{target.name}.part")
    try:
        _run_pg(["pg_dump", "--format=custom", "--no-owner", *schema, "--file", str(partial), dsn], env,
                "pg_dump")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def _pg_restore(url_obj: URL, source: Path) -> None:
    dsn, env, _schema = _libpq(url_obj)
    # One transaction: a restore that fails half-way leaves the database as it was.
    _run_pg(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
             "--exit-on-error", "--dbname", dsn, str(source)], env, "pg_restore")
