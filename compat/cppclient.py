"""Helpers for driving the official RocketMQ C++ client (rocketmq 0.4.4): producers,
messages, in-process push consumers, and consumers in child processes
(cpp_consumer.py), since the client allows one consumer per group per process."""
import base64
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import uuid

from rocketmq.client import Message, Producer, PushConsumer
from rocketmq.ffi import MessageModel

from conftest import wait_until

HERE = os.path.dirname(os.path.abspath(__file__))

SIZES = [1, 100, 4096, 4097, 65536, 1 << 20, (4 << 20) - 4096]


def body_for(i, size):
    """Random bytes repeated: the client compresses bodies over 4 KiB, so they must
    compress realistically. No NUL bytes: the Python bindings pass bodies as C
    strings in both directions (set_body and RecvMessage.body stop at a NUL)."""
    rnd = random.Random(i)
    chunk = bytes(rnd.randint(1, 255) for _ in range(min(size, 8192)))
    return (chunk * (size // len(chunk) + 1))[:size]


def unique(name):
    return "%s_%s" % (name, uuid.uuid4().hex[:8])


def producer(cluster, group=None):
    p = Producer(group or unique("PID"), max_message_size=4 * 1024 * 1024)
    p.set_namesrv_addr(cluster["namesrv"])
    p.start()
    return p


def message(topic, body, tags="tagA", keys=None, props=None):
    m = Message(topic)
    m.set_body(body)
    if tags:
        m.set_tags(tags)
    if keys:
        m.set_keys(keys)
    for k, v in (props or {}).items():
        m.set_property(k, v)
    return m


class Collector:
    """Push-consumer callback collecting what arrives."""

    def __init__(self):
        self.lock = threading.Lock()
        self.got = []

    def __call__(self, msg):
        with self.lock:
            self.got.append({"keys": msg.keys, "tags": msg.tags, "body": msg.body, "queue": msg.queue_id,
                             "offset": msg.queue_offset, "seq": msg.get_property("seq"), "id": msg.id})

    def count(self):
        with self.lock:
            return len(self.got)

    def by_key(self):
        with self.lock:
            return {g["keys"]: g for g in self.got}


def push_consumer(cluster, topic, group, callback, model=MessageModel.CLUSTERING):
    c = PushConsumer(group, message_model=model)
    c.set_namesrv_addr(cluster["namesrv"])
    c.subscribe(topic, callback)
    c.start()
    return c


class ConsumerProcess:
    """cpp_consumer.py in a child process; collects the JSON lines it prints.

    Each child gets its own HOME: the C++ client keeps its logs and the
    broadcasting offsets (LocalFileOffsetStore) under it."""

    def __init__(self, cluster, mode, topic, group, *options):
        home = tempfile.mkdtemp(prefix="home-", dir=cluster["work"])
        self.stderr_path = os.path.join(home, "stderr.log")
        self._stderr = open(self.stderr_path, "w")
        cmd = [sys.executable, os.path.join(HERE, "cpp_consumer.py"), mode, "--namesrv", cluster["namesrv"],
               "--topic", topic, "--group", group] + list(options)
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr,
                                     env=dict(os.environ, HOME=home), text=True)
        self._lock = threading.Lock()
        self._events = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        for line in self.proc.stdout:
            event = json.loads(line)
            if event.get("event") == "message":
                event["body"] = base64.b64decode(event["body"])
            with self._lock:
                self._events.append(event)

    def events(self, kind):
        with self._lock:
            return [e for e in self._events if e["event"] == kind]

    def messages(self, key_prefix=""):
        return [m for m in self.events("message") if (m["keys"] or "").startswith(key_prefix)]

    def wait_ready(self, timeout=30):
        wait_until(lambda: self.events("ready") or self.proc.poll() is not None, timeout, "the consumer to start")
        assert self.events("ready"), "consumer exited with %s:\n%s" % (self.proc.returncode, self.stderr())

    def stderr(self):
        return open(self.stderr_path).read()[-3000:]

    def stop(self, timeout=30):
        """Closes stdin (a push consumer shuts down then) and waits; returns the exit code."""
        if self.proc.stdin and not self.proc.stdin.closed:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._reader.join(timeout=10)
        self._stderr.close()
        return self.proc.returncode
