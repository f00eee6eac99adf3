"""Opening a file in a web browser, and knowing whether it opened.

``webbrowser.open`` says True as soon as a browser process starts, even one that fails a
moment later (no display for it, a broken profile), so the window would tell the trainee a
report had opened when nothing did. On Linux and the BSDs this module starts the browser
itself and watches it briefly: a non-zero exit within the wait is a failure and the next
candidate is tried; a clean exit (xdg-open handing the file to the desktop's browser) or a
browser still running when the wait ends counts as opened.

Watching takes up to :data:`WAIT` seconds, so the window does it on a thread (:class:`Opening`)
and keeps drawing meanwhile; it says "opened" or "saved at …" once the answer is in.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import threading
import time
import webbrowser
from collections.abc import Callable

# Tried in this order after $BROWSER: the desktop's own opener first, then common browsers.
CANDIDATES = ("xdg-open", "gio open", "sensible-browser", "x-www-browser", "firefox", "chromium",
              "chromium-browser", "google-chrome")
WAIT = 1.2  # seconds: a browser that cannot start fails within this
# Browsers still running when their wait ended: kept (and reaped once they exit) so none is left a zombie.
_running: list[subprocess.Popen] = []


def commands(url: str) -> list[list[str]]:
    """The commands to try, in order: each ``$BROWSER`` entry (``%s`` is the URL), then the usual openers."""
    found = []
    for entry in [e for e in os.environ.get("BROWSER", "").split(os.pathsep) if e.strip()] + list(CANDIDATES):
        words = shlex.split(entry)
        if not words or shutil.which(words[0]) is None:
            continue
        if any("%s" in w for w in words):
            found.append([w.replace("%s", url) for w in words])
        else:
            found.append([*words, url])
    return found


def started(command: list[str], wait: float = WAIT) -> bool:
    """Start ``command`` and watch it for ``wait`` seconds: whether it is running or finished cleanly."""
    try:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError:
        return False
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        code = process.poll()
        if code is not None:
            return code == 0
        time.sleep(0.05)
    _running[:] = [p for p in _running if p.poll() is None]
    _running.append(process)
    return True  # still running: a browser window is up (the process is the trainee's to close)


def open_in_browser(url: str, wait: float = WAIT) -> bool:
    """Open ``url`` in a browser; True only when one really started (or a desktop opener took it)."""
    if sys.platform in ("win32", "darwin"):
        return bool(webbrowser.open(url))  # the system's own opener reports failure itself
    return any(started(command, wait) for command in commands(url))


class Opening:
    """``opener(url)`` running on a thread: :meth:`result` is None until it has answered."""

    def __init__(self, url: str, opener: Callable[[str], object]) -> None:
        self.url = url
        self._opened = False
        self._done = threading.Event()
        threading.Thread(target=self._watch, args=(opener,), name="open-report", daemon=True).start()

    def _watch(self, opener: Callable[[str], object]) -> None:
        try:
            self._opened = bool(opener(self.url))
        except Exception:  # whatever stopped the browser, the report did not open
            self._opened = False
        finally:
            self._done.set()

    def result(self, wait: float = 0.0) -> bool | None:
        """True: a browser opened the URL; False: none did; None: still watching (after ``wait`` seconds)."""
        if not self._done.wait(wait):
            return None
        return self._opened
