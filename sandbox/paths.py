"""Where the kit's own files are: the project folder with mkdocs.yml, course/ and exercises/."""
from __future__ import annotations

import os
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
