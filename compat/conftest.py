"""Starts a real mqnamesrv and mqbroker (PeakMQ's executables) on 127.0.0.1 for the
compatibility tests, which drive them with the official Apache RocketMQ C++ client
(PyPI `rocketmq` 0.4.4, librocketmq.so with Python bindings)."""
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("PEAKMQ_BIN", os.path.join(ROOT, ".build", "debug"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(cmd, log_path, ready_text, timeout=30):
    log = open(log_path, "w")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("%s exited with %s:\n%s" % (cmd[0], proc.returncode, open(log_path).read()))
        if ready_text in open(log_path).read():
            return proc
        time.sleep(0.05)
    proc.kill()
    raise RuntimeError("%s did not become ready:\n%s" % (cmd[0], open(log_path).read()))


def stop(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return proc.returncode


@pytest.fixture(scope="session")
def cluster():
    """A NameServer and a broker registered with it; yields the namesrv address."""
    work = tempfile.mkdtemp(prefix="peakmq-compat-")
    ns_port, br_port = free_port(), free_port()
    with open(os.path.join(work, "namesrv.conf"), "w") as f:
        f.write("listenPort=%d\n" % ns_port)
    with open(os.path.join(work, "broker.conf"), "w") as f:
        f.write("\n".join([
            "brokerClusterName=DefaultCluster", "brokerName=broker-a", "brokerId=0",
            "listenPort=%d" % br_port, "namesrvAddr=127.0.0.1:%d" % ns_port,
            "brokerIP1=127.0.0.1", "bindAddress=127.0.0.1",
            "storePathRootDir=%s" % os.path.join(work, "store"),
            "mappedFileSizeCommitLog=268435456", "defaultTopicQueueNums=8", ""]))
    ns = start([os.path.join(BIN, "mqnamesrv"), "-c", os.path.join(work, "namesrv.conf")],
               os.path.join(work, "namesrv.log"), "boot success")
    br = start([os.path.join(BIN, "mqbroker"), "-c", os.path.join(work, "broker.conf")],
               os.path.join(work, "broker.log"), "mqbroker listening")
    yield {"namesrv": "127.0.0.1:%d" % ns_port, "work": work}
    assert stop(br) == 0, "mqbroker did not stop cleanly:\n" + open(os.path.join(work, "broker.log")).read()[-3000:]
    assert stop(ns) == 0
    # Clean stops: the store (256 MiB segments, written) and logs go. After a
    # failure the asserts above leave them for inspection.
    if not os.environ.get("PEAKMQ_KEEP_WORK"):
        shutil.rmtree(work, ignore_errors=True)


def wait_until(predicate, timeout=60, what="condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError("timed out after %ss waiting for %s" % (timeout, what))
