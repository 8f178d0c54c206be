"""Headless Chromium for the browser tests: Debian's /usr/bin/chromium, driven by Playwright.

A test tool's own browser download does not work here; scripts/install-system-deps.sh (run by
`make pytest`) installs Debian's chromium. Tests fail, never skip, when it is missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
# The background-networking flags keep Chromium from reaching out on its own (the network is closed here).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]


@contextmanager
def chromium() -> Iterator[Browser]:
    """A headless Chromium, closed afterwards."""
    assert CHROMIUM.is_file(), f"{CHROMIUM} is missing: run scripts/install-system-deps.sh (make pytest does)"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
                                              timeout=60_000)
        try:
            yield launched
        finally:
            launched.close()
