"""What a long run is doing, on one line of a terminal's stderr.

Shown only when stderr is a terminal (a person is watching); in CI logs, pipes
and files nothing is written, so output stays byte-for-byte the same. The
line is rewritten in place and erased when the run ends, before the report.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import TextIO

_ERASE = "\r\x1b[K"


class Progress:
    def __init__(self, stream: TextIO | None = None, *, interval: float = 0.1) -> None:
        self.stream = stream or sys.stderr
        self.enabled = _is_terminal(self.stream)
        self.interval = interval  # seconds between redraws of frequent updates
        self._shown = False
        self._last = 0.0
        self._lock = threading.Lock()

    def show(self, text: str, *, frequent: bool = False) -> None:
        """Replace the line with text; a frequent update is drawn at most every interval."""
        if not self.enabled:
            return
        with self._lock:
            now = time.monotonic()
            if frequent and now - self._last < self.interval:
                return
            self._last = now
            self.stream.write(f"{_ERASE}smguard: {text}")
            self.stream.flush()
            self._shown = True

    def clear(self) -> None:
        """Erase the line (before anything else is printed)."""
        with self._lock:
            if self._shown:
                self.stream.write(_ERASE)
                self.stream.flush()
                self._shown = False


def size(path) -> str:
    """A file's size for people: 7.7 MB, 85 KB."""
    try:
        n = path.stat().st_size
    except OSError:
        return "?"
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{max(1, round(n / 1e3))} KB"


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
