"""Before the suite: make sure a Chromium is there, or say how to get one.

Order: $CHROMIUM, the system's chromium/chromium-browser, then Playwright's own
download (tried only when nothing else is found; it needs the network).
"""
from __future__ import annotations

import subprocess
import sys

from tests.conftest import find_chromium


def main() -> int:
    found = find_chromium()
    if found:
        print(f"preflight: Chromium found at {found}")
        return 0
    print("preflight: no system Chromium; trying Playwright's own download...", flush=True)
    result = subprocess.run([sys.executable, "-m", "playwright", "install", "chromium"], check=False)
    if result.returncode == 0 and find_chromium():
        print(f"preflight: using Playwright's Chromium at {find_chromium()}")
        return 0
    print(
        "preflight: no Chromium available. Install your system's package (Debian/Ubuntu: "
        "'sudo apt-get install chromium') or set CHROMIUM=/path/to/chromium, then run "
        "'make test' again.",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
