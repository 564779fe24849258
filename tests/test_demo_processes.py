"""The demo stops everything it started (issue 23, point 11): its job worker ends with
the server however the demo is stopped, and the demo runs without debug, so that a
missing page is Pilar's own, in Indonesian."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# A stand-in for `pilar demo`: a helper process beside a main that waits to be stopped.
STANDIN = """
import sys, time
from pilar.core.processes import run_beside
helper = [sys.executable, "-c", "import time; time.sleep(600)"]
run_beside(helper, lambda: (print("ready", flush=True), time.sleep(600)))
"""


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A child that ended but was not reaped yet is a zombie: as good as gone.
    status = Path(f"/proc/{pid}/stat")
    return not (status.exists() and status.read_text().split(") ")[1].startswith("Z"))


def helper_of(parent: int) -> int:
    children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
    assert len(children) == 1
    return int(children[0])


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGKILL])
def test_the_job_worker_ends_with_the_demo_however_it_is_stopped(stop: int) -> None:
    demo = subprocess.Popen([sys.executable, "-c", STANDIN], cwd=ROOT, stdout=subprocess.PIPE, text=True)  # noqa: S603
    assert demo.stdout is not None
    assert demo.stdout.readline().strip() == "ready"
    worker = helper_of(demo.pid)

    demo.send_signal(stop)
    demo.wait(timeout=20)

    for _attempt in range(200):  # the worker's end is asynchronous: wait for it, at most 20 s
        if not alive(worker):
            break
        time.sleep(0.1)
    assert not alive(worker)


def test_the_demo_runs_without_debug_and_shows_pilars_own_404(tmp_path: Path) -> None:
    script = (
        "import django; django.setup()\n"
        "from django.conf import settings; from django.test import Client\n"
        "settings.ALLOWED_HOSTS.append('testserver')\n"
        "response = Client().get('/tidak-ada/')\n"
        "print(settings.DEBUG, response.status_code, 'Tidak ditemukan' in response.content.decode())\n"
        "print(Client().get('/static/pilar/pilar.css').status_code)\n"
    )
    env = {**os.environ, "PILAR_DEMO": "true", "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.pop("PILAR_DEBUG", None)
    env.pop("PILAR_SECRET_KEY", None)
    env.pop("DATABASE_URL", None)
    env["PILAR_DATA_DIR"] = str(tmp_path)
    result = subprocess.run(  # noqa: S603 (our own script)
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.stdout.split() == ["False", "404", "True", "200"], result.stderr  # static files served too
    assert (Path(env["PILAR_DATA_DIR"]) / "demo-secret-key").stat().st_mode & 0o777 == 0o600
