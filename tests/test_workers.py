"""No process of a build outlives it: after SIGKILL of ``kg build`` (or the OOM killer), its
parsing workers and multiprocessing's resource tracker end within seconds."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.read import bundled_corpus


def children(pid: int) -> set:
    out = set()
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.add(int(d.name))
    return out


def descendants(pid: int) -> set:
    found, todo = set(), [pid]
    while todo:
        for c in children(todo.pop()):
            if c not in found:
                found.add(c)
                todo.append(c)
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has ended; only its entry is left


@pytest.mark.model
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
def test_no_process_of_a_killed_build_is_alive_five_seconds_later(tmp_path):
    build = subprocess.Popen([sys.executable, "-m", "kg", "build", str(bundled_corpus()), "-o", str(tmp_path / "out"),
                              "--no-cache", "--n-process", "2", "-q"], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    workers = set()
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(workers) < 3:  # two workers and the resource tracker
            time.sleep(0.5)
            workers = descendants(build.pid)
            assert build.poll() is None, "the build ended before its workers started"
        assert len(workers) >= 3, workers
        time.sleep(2)  # workers loading the model, or parsing
        workers |= descendants(build.pid)
        build.send_signal(signal.SIGKILL)
        build.wait()
        time.sleep(5)
        assert [p for p in workers if alive(p)] == []
    finally:
        if build.poll() is None:
            build.kill()
            build.wait()
        for p in workers | descendants(build.pid):  # what a failed run leaves behind
            if alive(p):
                os.kill(p, signal.SIGKILL)
