"""A process that runs beside another and never outlives it (the demo's job worker)."""

from __future__ import annotations

import contextlib
import ctypes
import signal
import subprocess
import sys
from collections.abc import Callable, Sequence
from typing import Any

PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:  # pragma: no cover - runs in the child, before exec
    """Linux: the child gets SIGTERM when its parent ends, however it ends."""
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def run_beside(helper: Sequence[str], main: Callable[[], Any]) -> None:
    """Start `helper` (a command), run `main`, and stop the helper when `main` ends:
    on a return, an error, Ctrl-C, or a SIGTERM or SIGHUP to this process."""

    def stop(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)

    previous = {number: signal.signal(number, stop) for number in (signal.SIGTERM, signal.SIGHUP)}
    preexec = _die_with_parent if sys.platform.startswith("linux") else None
    child = subprocess.Popen(list(helper), preexec_fn=preexec)  # noqa: S603 (our own command)
    try:
        main()
    finally:
        child.terminate()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        for number, handler in previous.items():
            signal.signal(number, handler)
