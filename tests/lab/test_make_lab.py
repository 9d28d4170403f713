"""Check that `make lab`, the README's first command, starts JupyterLab on the course."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "opsfirst-test"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Authorization": f"token {TOKEN}"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


@pytest.mark.skipif(not (ROOT / ".venv" / "bin" / "jupyter").exists(),
                    reason="needs the .venv that `make test` creates")
def test_make_lab_serves_the_course_from_the_repository_root():
    """Check that `make lab` answers HTTP, serves from the repository root, and has the lesson."""
    port = free_port()
    args = f"--no-browser --port={port} --ServerApp.port_retries=0 --IdentityProvider.token={TOKEN}"
    server = subprocess.Popen(
        ["make", "-s", "-C", str(ROOT), "lab", f"LAB_ARGS={args}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
        env={**os.environ},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, body = get(f"{base}/api/status")
                if status == 200:
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            assert server.poll() is None, server.stderr.read().decode()[-2000:]
            assert time.monotonic() < deadline, "JupyterLab did not answer within 60 s"
            time.sleep(0.5)
        status, _ = get(f"{base}/lab/tree/course/README.md")
        assert status == 200
        status, _ = get(f"{base}/lab/tree/course/00-welcome.ipynb")
        assert status == 200
        status, body = get(f"{base}/api/contents/course/00-welcome.ipynb?content=0")
        assert status == 200 and json.loads(body)["type"] == "notebook"
        status, _ = get(f"{base}/api/contents/README.md?content=0")
        assert status == 200, "the server's root is not the repository root"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
