"""The official RocketMQ C++ client's consumers against PeakMQ: a pull consumer, two
push consumers of one group sharing the queues, and broadcasting. Consumers run in
child processes (cpp_consumer.py): the client allows one consumer per group per process."""
import time

from cppclient import ConsumerProcess, body_for, message, producer, unique
from conftest import wait_until

# The C++ producer asks for 4 queues when its first send auto-creates a topic.
QUEUES = 4
SIZES = [1, 200, 4097, 20000]
PROPERTY = "origin"


def produce(p, topic, count, prefix):
    """`count` messages of varied sizes (some compressed) with tags, keys and a user
    property; returns {key: (body, queue offset)}."""
    sent = {}
    for i in range(count):
        key = "%s-%d" % (prefix, i)
        body = body_for(i, SIZES[i % len(SIZES)])
        r = p.send_sync(message(topic, body, tags="tag%d" % (i % 3), keys=key, props={PROPERTY: "cpp-%d" % i}))
        assert r.status == 0, "send of %s failed: %s" % (key, r)
        sent[key] = (body, r.offset)
    return sent


def check_exact(received, sent):
    """Each received message (a cpp_consumer.py message line) is one that was sent, byte-exact."""
    for m in received:
        key = m["keys"]
        i = int(key.rsplit("-", 1)[1])
        body, _ = sent[key]
        assert m["body"] == body, "body of %s differs (%d vs %d bytes)" % (key, len(m["body"]), len(body))
        assert m["tags"] == "tag%d" % (i % 3)
        assert m["properties"] == {PROPERTY: "cpp-%d" % i}


def receivers(consumers, keys):
    """key -> index of each consumer that received it, once per delivery."""
    got = {k: [] for k in keys}
    for n, c in enumerate(consumers):
        for m in c.messages("probe-"):
            if m["keys"] in got:
                got[m["keys"]].append(n)
    return got


def settle(p, topic, consumers, arrived, clean, deadline=60):
    """Sends rounds of probes, one per queue, until the group is quiescent: a round
    that `arrived` and was delivered `clean`. A round is judged once the next round
    has arrived: a consumer pulls a queue in order, so a late duplicate of a probe
    would have come before the next probe on that queue."""
    previous = None
    end = time.time() + deadline
    r = 0
    while time.time() < end:
        keys = []
        for q in range(QUEUES):
            key = "probe-%d-%d" % (r, q)
            assert p.send_orderly(message(topic, b"probe", keys=key), q).status == 0
            keys.append(key)
        try:
            wait_until(lambda: arrived(receivers(consumers, keys)), 5, "probe round %d" % r)
        except AssertionError:
            previous = None
            r += 1
            continue
        if previous and clean(receivers(consumers, previous)):
            return
        previous = keys
        r += 1
    raise AssertionError("the consumers never settled; last round: %s" % receivers(consumers, previous or []))


def test_pull_consumer_pulls_every_message_byte_exact_at_its_offsets(cluster):
    topic = unique("CompatPull")
    p = producer(cluster)
    try:
        sent = produce(p, topic, 24, "pull")
    finally:
        p.shutdown()
    c = ConsumerProcess(cluster, "pull", topic, unique("PCG"), "--count", "24", "--property", PROPERTY)
    assert c.stop(timeout=60) == 0, "pull consumer failed:\n" + c.stderr()
    got = c.messages()
    assert sorted(m["keys"] for m in got) == sorted(sent), "not every message exactly once"
    check_exact(got, sent)
    by_queue = {}
    for m in got:
        assert m["offset"] == sent[m["keys"]][1], "%s pulled at offset %d, stored at %d" % (m["keys"], m["offset"], sent[m["keys"]][1])
        by_queue.setdefault(m["queue"], []).append(m["offset"])
    assert len(by_queue) == QUEUES
    for q, offsets in by_queue.items():
        assert offsets == list(range(len(offsets))), "queue %d pulled out of order: %s" % (q, offsets)
    done = c.events("done")[0]
    assert {int(q): o for q, o in done["offsets"].items()} == {q: len(o) for q, o in by_queue.items()}, \
        "next offsets differ: %s" % done["offsets"]


def test_two_push_consumers_of_one_group_split_the_queues(cluster):
    topic, group = unique("CompatSplit"), unique("CID")
    p = producer(cluster)
    consumers = []
    try:
        assert p.send_sync(message(topic, b"create", keys="create")).status == 0
        for _ in range(2):
            consumers.append(ConsumerProcess(cluster, "push", topic, group, "--property", PROPERTY))
            consumers[-1].wait_ready()
        settle(p, topic, consumers,
               arrived=lambda rx: all(rx.values()),
               clean=lambda rx: all(len(v) == 1 for v in rx.values()) and {v[0] for v in rx.values()} == {0, 1})
        sent = produce(p, topic, 40, "split")
        wait_until(lambda: sum(len(c.messages("split-")) for c in consumers) >= len(sent), 30, "every message")
    finally:
        p.shutdown()
        codes = [c.stop() for c in consumers]
    assert codes == [0, 0], [c.stderr() for c in consumers]
    got = [c.messages("split-") for c in consumers]
    keys = [m["keys"] for g in got for m in g]
    assert sorted(keys) == sorted(sent), "not every message exactly once: %d received" % len(keys)
    check_exact(got[0] + got[1], sent)
    queues = [{m["queue"] for m in g} for g in got]
    assert queues[0] and queues[1], "a consumer got no queue: %s" % queues
    assert not queues[0] & queues[1], "a queue consumed by both: %s" % queues
    assert queues[0] | queues[1] == set(range(QUEUES))


def test_broadcasting_consumers_each_receive_every_message(cluster):
    topic, group = unique("CompatBroadcast"), unique("CID")
    p = producer(cluster)
    consumers = []
    try:
        assert p.send_sync(message(topic, b"create", keys="create")).status == 0
        for _ in range(2):
            consumers.append(ConsumerProcess(cluster, "push", topic, group, "--broadcasting", "--property", PROPERTY))
            consumers[-1].wait_ready()
        # Broadcasting consumers start at the end of each queue: probes show both are pulling.
        settle(p, topic, consumers,
               arrived=lambda rx: all(sorted(v) == [0, 1] for v in rx.values()),
               clean=lambda rx: all(sorted(v) == [0, 1] for v in rx.values()))
        sent = produce(p, topic, 30, "bc")
        wait_until(lambda: all(len(c.messages("bc-")) >= len(sent) for c in consumers), 30, "every message at both")
    finally:
        p.shutdown()
        codes = [c.stop() for c in consumers]
    assert codes == [0, 0], [c.stderr() for c in consumers]
    for c in consumers:
        got = c.messages("bc-")
        assert sorted(m["keys"] for m in got) == sorted(sent), "not every message exactly once at one consumer"
        check_exact(got, sent)
