"""Is the deployment well? The store answers and is migrated; each sandbox answers.

nginx's ``/healthz`` (in ``nginx.conf``) is Streamlit's own health route, which says the
server process is up but not whether it can reach the database. ``insideout deploy
check`` asks both, for a monitor or a person, and says in one line what is wrong.
"""
from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass

from sandbox.store import make_engine
from sandbox.store.engine import StoreUnavailable, alembic_config, schema_revision

HTTP_TIMEOUT_S = 5


@dataclass(frozen=True)
class Check:
    what: str
    ok: bool
    detail: str


def check_store(url: str | None = None) -> Check:
    """The store can be reached and its schema is the newest this kit knows."""
    from alembic.script import ScriptDirectory
    from sqlalchemy.exc import SQLAlchemyError

    engine = None
    try:
        engine = make_engine(url)
        shown = engine.url.render_as_string(hide_password=True)
        current = schema_revision(engine)
    except (StoreUnavailable, SQLAlchemyError, OSError) as error:
        message = str(getattr(error, "orig", None) or error).strip().splitlines()
        return Check("store", False, f"cannot reach the database: {message[0] if message else error}")
    finally:
        if engine is not None:
            engine.dispose()
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if current != head:
        return Check("store", False, f"{shown} is at schema {current or 'none'}, this kit needs {head}: "
                                     "start one sandbox server (it upgrades the schema) and check again")
    return Check("store", True, f"{shown} answers, schema {current}")


def check_sandbox(base_url: str) -> Check:
    """A sandbox server (or nginx in front of them) answers its health route."""
    base = base_url.rstrip("/")
    for path in ("/_stcore/health", "/healthz"):
        try:
            with urllib.request.urlopen(base + path, timeout=HTTP_TIMEOUT_S) as response:
                if response.status == 200:
                    return Check(base, True, f"{path} answers ok")
        except urllib.error.HTTPError as error:
            if error.code != 404:
                return Check(base, False, f"{path} answered {error.code}")
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            return Check(base, False, f"does not answer ({reason})")
    return Check(base, False, "answers, but has no health route: is it a sandbox or nginx with our file?")
