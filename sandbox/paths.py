"""Where the kit's own files are: the project folder with mkdocs.yml, course/ and exercises/."""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

PACKAGE_PARENT = Path(__file__).resolve().parent.parent


def project_root() -> Path:
    """The Inside-Out project folder.

    ``INSIDEOUT_PROJECT_DIR`` if set; else the current folder if it holds mkdocs.yml;
    else the folder this package was installed from (an editable install, as `make`
    does). Failure case: none of them holds mkdocs.yml -> the caller reports it.
    """
    explicit = os.environ.get("INSIDEOUT_PROJECT_DIR")
    if explicit:
        return Path(explicit).resolve()
    here = Path.cwd()
    if (here / "mkdocs.yml").is_file():
        return here.resolve()
    return PACKAGE_PARENT


DEFAULT_ORGANISATION_NAME = "Your organisation"


def organisation_name(root: Path | None = None) -> str:
    """The organisation's name, from ``mkdocs.yml`` ``extra.org.name``: one source for the
    course site (``{{ org.name }}``) and the sandbox's top bar.

    Failure cases: no mkdocs.yml, a file that is not YAML, or no ``extra.org.name`` ->
    "Your organisation" (the sandbox still works; the course build reports the file).
    """
    path = (root or project_root()) / "mkdocs.yml"
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return DEFAULT_ORGANISATION_NAME
    return _organisation_name(path, stamp)


@lru_cache(maxsize=4)
def _organisation_name(path: Path, _stamp: int) -> str:
    # _stamp (the file's modification time) is part of the cache key: an edit is seen.
    import yaml

    class _Loader(yaml.SafeLoader):
        """mkdocs.yml may hold tags (``!ENV``, ``!!python/name``) safe_load refuses: read them as text."""

    _Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    try:
        config = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader) or {}
    except (OSError, yaml.YAMLError):
        return DEFAULT_ORGANISATION_NAME
    org = (config.get("extra") or {}).get("org") or {} if isinstance(config, dict) else {}
    name = org.get("name") if isinstance(org, dict) else None
    return str(name).strip() if name and str(name).strip() else DEFAULT_ORGANISATION_NAME
