"""The test harness itself (scripts/testenv.py): what a test that kills a service gets."""

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import testenv  # noqa: E402

# A server that forks a worker, as gunicorn's master does. The worker notes its parent,
# says so, and writes `outlived` the moment it sees that parent gone (it was orphaned).
WORKER = """
import os, sys, time
parent = os.getppid()
open(sys.argv[1] + ".watching", "w").close()
while os.getppid() == parent:
    time.sleep(0.01)
open(sys.argv[1], "w").write("outlived")
"""
SERVER = """
import subprocess, sys, time
subprocess.Popen([sys.executable, "-c", sys.argv[1], sys.argv[2]])
time.sleep(600)
"""


def wait_for(path: Path) -> None:
    deadline = time.monotonic() + 60
    while not path.exists():
        assert time.monotonic() < deadline, f"the worker never started ({path})"
        time.sleep(0.05)


def test_a_killed_service_dies_whole_no_worker_outlives_its_master(tmp_path, monkeypatch):
    marker = tmp_path / "outlived"
    spec = {"name": "web", "kind": "process", "url": "", "port": 0, "user": None}
    spec |= {"argv": [sys.executable, "-c", SERVER, WORKER, str(marker)], "env": {}}
    spec |= {"cwd": str(tmp_path), "log": str(tmp_path / "web.log")}
    spec["pid"] = testenv._spawn(spec)
    services = tmp_path / "services.json"
    services.write_text(json.dumps({"web": spec}))
    monkeypatch.setenv("IDEALOOP_SERVICES_FILE", str(services))
    wait_for(tmp_path / "outlived.watching")

    testenv.kill_service("web")  # returns once no process of the group is left

    assert not testenv._group_alive(spec["pid"])
    assert not marker.exists(), "the worker outlived its killed master, serving on alone"
    assert json.loads(services.read_text())["web"]["pid"] is None
