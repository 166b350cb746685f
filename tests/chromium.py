"""Debian's Chromium as the tests launch it: the browser tests (tests/browser) and the real in-browser recordings of
the media-intake tests."""

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # A synthetic microphone and camera, granted without a prompt, so in-browser recording can be tested headless.
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
]
