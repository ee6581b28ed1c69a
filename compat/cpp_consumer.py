"""A consumer of the official RocketMQ C++ client (rocketmq 0.4.4) in its own process.

The C++ client allows one consumer per group per process, so tests that need two
members of one group (clustering split, broadcasting) start this script twice.

    cpp_consumer.py push --namesrv ADDR --topic T --group G [--broadcasting]
        Prints {"event": "ready"} once started, then one JSON line per message
        received; shuts the consumer down when stdin closes, then prints
        {"event": "stopped"}.
    cpp_consumer.py pull --namesrv ADDR --topic T --group G --count N [--timeout S]
        Pulls every queue from offset 0 until N messages arrived; one JSON line per
        message, then {"event": "done", "offsets": {queueId: next offset}}.
        Exits 1 if fewer than N arrived within the timeout.

A message line: {"event": "message", "queue", "offset", "tags", "keys", "id",
"body" (base64), "properties" (the names asked for with --property)}.
"""
import argparse
import base64
import json
import sys
import threading
import time

from rocketmq.client import PullConsumer, PushConsumer
from rocketmq.ffi import MessageModel

_out_lock = threading.Lock()


def emit(obj):
    with _out_lock:
        sys.stdout.write(json.dumps(obj) + "\n")
        sys.stdout.flush()


def describe(msg, property_names):
    def text(b):
        return b.decode("utf-8", "replace") if isinstance(b, bytes) else b
    props = {}
    for name in property_names:
        v = msg.get_property(name)
        if v:
            props[name] = text(v)
    return {"event": "message", "queue": msg.queue_id, "offset": msg.queue_offset, "tags": text(msg.tags),
            "keys": text(msg.keys), "id": text(msg.id), "body": base64.b64encode(msg.body or b"").decode(),
            "properties": props}


def run_push(args):
    model = MessageModel.BROADCASTING if args.broadcasting else MessageModel.CLUSTERING
    consumer = PushConsumer(args.group, message_model=model)
    consumer.set_namesrv_addr(args.namesrv)
    consumer.subscribe(args.topic, lambda msg: emit(describe(msg, args.property)))
    consumer.start()
    emit({"event": "ready"})
    sys.stdin.read()  # until the parent closes our stdin
    consumer.shutdown()
    emit({"event": "stopped"})


def run_pull(args):
    consumer = PullConsumer(args.group)
    consumer.set_namesrv_addr(args.namesrv)
    consumer.start()
    got = 0
    deadline = time.time() + args.timeout
    # Each pull() call walks every queue from the offsets it reached last time
    # (the bindings keep them per topic and queue) until the broker says NO_NEW_MSG;
    # messages still being dispatched show up in a later round.
    while got < args.count and time.time() < deadline:
        for msg in consumer.pull(args.topic):
            emit(describe(msg, args.property))
            got += 1
        if got < args.count:
            time.sleep(0.05)
    # The bindings key their offset table "topic@queueId", the topic as it came
    # from C (bytes, so "b'T'@0" on Python 3).
    offsets = {}
    for key, offset in PullConsumer.offset_table.items():
        topic, queue = key.rsplit("@", 1)
        if topic in (args.topic, repr(args.topic.encode())):
            offsets[queue] = offset
    emit({"event": "done", "offsets": offsets})
    consumer.shutdown()
    return 0 if got >= args.count else 1


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("mode", choices=["push", "pull"])
    p.add_argument("--namesrv", required=True)
    p.add_argument("--topic", required=True)
    p.add_argument("--group", required=True)
    p.add_argument("--broadcasting", action="store_true")
    p.add_argument("--count", type=int, default=0)
    p.add_argument("--timeout", type=float, default=30)
    p.add_argument("--property", action="append", default=[], help="user property to report (repeatable)")
    args = p.parse_args()
    sys.exit(run_push(args) if args.mode == "push" else run_pull(args))


if __name__ == "__main__":
    main()
