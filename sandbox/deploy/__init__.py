"""The deployment recipe: nginx in front of several sandbox servers and the course site.

``nginx.conf`` beside this file is the one source; the README points to it, the tests run
nginx from it, and :func:`nginx_config` only fills in its ports and paths.
"""
from __future__ import annotations

from pathlib import Path

from sandbox.errors import InsideOutError

NGINX_TEMPLATE = Path(__file__).with_name("nginx.conf")
DEBIAN_MIME_TYPES = "/etc/nginx/mime.types"


def nginx_config(listen: str, sandboxes: list[str], site: Path, mime_types: str = DEBIAN_MIME_TYPES) -> str:
    """The nginx configuration for learners at ``listen`` and sandboxes at ``HOST:PORT`` each.

    Failure cases: no sandbox, or a sandbox not written HOST:PORT -> InsideOutError.
    """
    if not sandboxes:
        raise InsideOutError("name at least one sandbox server, as HOST:PORT")
    for address in sandboxes:
        host, _, port = address.rpartition(":")
        if not host or not port.isdigit():
            raise InsideOutError(f"'{address}' is not HOST:PORT (for example 127.0.0.1:8501)")
    servers = "\n        ".join(f"server {address} max_fails=1 fail_timeout=10s;" for address in sandboxes)
    text = NGINX_TEMPLATE.read_text(encoding="utf-8")
    for name, value in (("@LISTEN@", listen), ("@SANDBOXES@", servers),
                        ("@SITE@", str(Path(site).resolve())), ("@MIME_TYPES@", mime_types)):
        text = text.replace(name, value)
    return text
