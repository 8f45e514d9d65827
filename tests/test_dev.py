"""`pdw dev` behaves as a service: SIGTERM or SIGINT stops it and every process it started within seconds."""
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .conftest import TEST_KEY

STOPPED_WITHIN_SECONDS = 10


def _children() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(stat.parent.name))
    return children


def _descendants(pid: int) -> set[int]:
    children, found, todo = _children(), set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_dev_stops_with_its_children_within_seconds(signum, tmp_path):
    port = _free_port()
    log = (tmp_path / "dev.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "pdw_cli", "dev", "--port", str(port)],
                            env={**os.environ, "PDW_PSEUDONYM_KEY": TEST_KEY}, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    started: set[int] = set()
    try:
        deadline = time.monotonic() + 240
        while not (_answers(port) and len(_descendants(proc.pid)) >= 3):  # dagster dev, webserver, daemon
            assert proc.poll() is None and time.monotonic() < deadline, (tmp_path / "dev.log").read_text()[-3000:]
            time.sleep(1)
        started = _descendants(proc.pid)
        asked = time.monotonic()
        proc.send_signal(signum)
        proc.wait(timeout=60)
        assert time.monotonic() - asked < STOPPED_WITHIN_SECONDS
        time.sleep(0.5)
        assert [pid for pid in started if _alive(pid)] == [], "children outlived pdw dev"
        assert not _answers(port)
    finally:
        for pid in [proc.pid, *started]:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        log.close()
