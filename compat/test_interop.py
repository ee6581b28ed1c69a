"""PeakMQ's Swift client (the mqclient tool) and the official RocketMQ C++ client
reading each other's messages through mqnamesrv + mqbroker: bodies byte-exact
(compressed or not), tags, keys and user properties."""
import base64
import json
import os
import subprocess

from cppclient import ConsumerProcess, body_for, message, producer, unique
from conftest import BIN, wait_until

PROPS = ("origin", "n")


def mqclient(*args, timeout=90):
    r = subprocess.run([os.path.join(BIN, "mqclient")] + list(args), capture_output=True, text=True, timeout=timeout)
    assert r.returncode == 0, "mqclient %s failed (%d):\n%s" % (args[0], r.returncode, r.stderr[-3000:])
    return [json.loads(line) for line in r.stdout.splitlines()]


def test_swift_client_consumes_what_the_cpp_client_produced(cluster):
    topic = unique("InteropCpp")
    p = producer(cluster)
    sent = {}
    try:
        for i, size in enumerate([1, 300, 4096, 4097, 70000, 1 << 20]):
            key = "cpp-%d" % i
            body = body_for(i, size)
            props = {"origin": "cpp", "n": str(i)}
            r = p.send_sync(message(topic, body, tags="t%d" % (i % 2), keys=key, props=props))
            assert r.status == 0
            sent[key] = (body, "t%d" % (i % 2), props, r)
    finally:
        p.shutdown()
    records = mqclient("consume", "-n", cluster["namesrv"], "-t", topic, "-g", unique("SwiftCG"),
                       "--count", str(len(sent)), "--timeout", "60s", "--json")
    assert sorted(r["keys"][0] for r in records) == sorted(sent) and all(len(r["keys"]) == 1 for r in records)
    for r in records:
        body, tags, props, result = sent[r["keys"][0]]
        got = base64.b64decode(r["body"])
        assert got == body, "body of %s differs (%d vs %d bytes)" % (r["keys"], len(got), len(body))
        assert r["tags"] == tags
        assert r["properties"] == props, "user properties of %s: %s" % (r["keys"], r["properties"])
        assert r["msgId"] == result.msg_id
        assert r["queueOffset"] == result.offset


def test_cpp_client_consumes_what_the_swift_client_produced(cluster):
    topic = unique("InteropSwift")
    sent = []
    for size, tag in (("6000", "big"), ("100", "small")):
        sent += mqclient("produce", "-n", cluster["namesrv"], "-t", topic, "--count", "10", "--body-size", size,
                         "--tag", tag, "--key-prefix", "sw-%s-" % tag, "--property", "origin=swift",
                         "--property", "n=%s" % size, "--json")
    assert len(sent) == 20 and all(s["status"] == "SEND_OK" for s in sent)
    c = ConsumerProcess(cluster, "push", topic, unique("CppCG"), *[a for n in PROPS for a in ("--property", n)])
    try:
        c.wait_ready()
        wait_until(lambda: len(c.messages()) >= len(sent), 60, "every message at the C++ consumer")
    finally:
        assert c.stop() == 0, c.stderr()
    got = {m["keys"]: m for m in c.messages()}
    assert len(got) == len(c.messages()) == len(sent), "duplicates or missing: %d received" % len(c.messages())
    for s in sent:
        m = got[s["keys"][0]]
        assert m["body"] == base64.b64decode(s["body"]), "body of %s differs" % s["keys"]
        assert m["tags"] == s["tags"]
        assert m["properties"] == s["properties"]
        assert m["id"] == s["msgId"]
        assert (m["queue"], m["offset"]) == (s["queueId"], s["queueOffset"])
