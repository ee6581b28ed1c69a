"""The official RocketMQ C++ client (rocketmq 0.4.4) against PeakMQ's mqnamesrv + mqbroker:
producing in every form the client has, and one push consumer receiving it."""
from cppclient import SIZES, Collector, body_for, message, producer, push_consumer, unique
from conftest import wait_until


def test_send_sync_every_size_and_consume_byte_exact(cluster):
    topic = unique("CompatSync")
    p = producer(cluster)
    sent = {}
    try:
        for i, size in enumerate(SIZES):
            key = "order-%d" % i
            body = body_for(i, size)
            r = p.send_sync(message(topic, body, keys=key, props={"seq": str(i), "user": "u%d" % i}))
            assert r.status == 0, "send %d (%d B) failed: %s" % (i, size, r)
            sent[key.encode()] = body
    finally:
        p.shutdown()
    got = Collector()
    c = push_consumer(cluster, topic, unique("CID"), got)
    try:
        wait_until(lambda: got.count() >= len(SIZES), what="%d messages" % len(SIZES))
    finally:
        c.shutdown()
    received = got.by_key()
    assert set(received) == set(sent)
    for key, body in sent.items():
        g = received[key]
        assert g["body"] == body, "body of %s differs (%d vs %d bytes)" % (key, len(g["body"]), len(body))
        assert g["tags"] == b"tagA"
    assert got.count() == len(SIZES), "duplicates delivered"


def test_send_oneway_and_batch(cluster):
    topic = unique("CompatOneway")
    p = producer(cluster)
    try:
        # The C++ client routes oneway sends only to topics it has a route for
        # (no TBW102 fallback), so the topic is created by a sync send first.
        assert p.send_sync(message(topic, b"create", keys="create")).status == 0
        for i in range(20):
            p.send_oneway(message(topic, b"oneway-%d" % i, keys="ow-%d" % i))
        batch = [message(topic, b"batch-%d" % i, keys="b-%d" % i) for i in range(16)]
        r = p.send_batch(batch)
        assert r.status == 0
    finally:
        p.shutdown()
    got = Collector()
    c = push_consumer(cluster, topic, unique("CID"), got)
    try:
        try:
            wait_until(lambda: got.count() >= 37, what="37 messages")
        except AssertionError:
            raise AssertionError("got %d: %s" % (got.count(), sorted(got.by_key())))
    finally:
        c.shutdown()
    keys = set(got.by_key())
    assert keys == {("ow-%d" % i).encode() for i in range(20)} | {("b-%d" % i).encode() for i in range(16)} | {b"create"}


def test_send_orderly_keeps_each_key_in_one_queue_in_order(cluster):
    topic = unique("CompatOrderly")
    p = producer(cluster)
    try:
        for i in range(60):
            order = i % 5
            r = p.send_orderly(message(topic, b"step-%d" % i, keys="o%d-%d" % (order, i), props={"seq": str(i)}), order)
            assert r.status == 0
    finally:
        p.shutdown()
    got = Collector()
    c = push_consumer(cluster, topic, unique("CID"), got)
    try:
        wait_until(lambda: got.count() >= 60, what="60 messages")
    finally:
        c.shutdown()
    by_order = {}
    for g in got.got:
        order = int(g["keys"].decode().split("-")[0][1:])
        by_order.setdefault(order, []).append(g)
    for order, msgs in by_order.items():
        assert len({m["queue"] for m in msgs}) == 1, "order %d spread over queues" % order
        seqs = [int(m["seq"]) for m in sorted(msgs, key=lambda m: m["offset"])]
        assert seqs == sorted(seqs), "order %d stored out of order" % order
