import Broker
import ClientTool
import Foundation
import Logging
import NameServer
import ClusterSupport
import TestSupport
import Testing

extension InProcessCluster {
    static func start() async throws -> InProcessCluster { try await start("mqclient") }

    func mqclient(_ args: [String]) async throws -> ProcessResult {
        try await runProcess(productsDirectory + "/mqclient", args)
    }

    /// The `--json` lines of a run, decoded.
    static func records(_ run: ProcessResult) throws -> [MessageRecord] {
        try run.stdout.split(separator: "\n").map { try JSONDecoder().decode(MessageRecord.self, from: Data($0.utf8)) }
    }
}

@Suite(.timeLimit(.minutes(2))) struct MQClientTests {
    @Test func consumeReceivesWhatProduceSentFieldForField() async throws {
        let cluster = try await InProcessCluster.start()
        let produced = try await cluster.mqclient([
            "produce", "-n", cluster.nameServerAddress, "-t", "ToolT", "--count", "12", "--body-size", "5K", "--tag", "tg",
            "--key-prefix", "k-", "--property", "a=1", "--property", "b=x=y", "--json"])
        #expect(produced.status == 0, "\(produced.stderr)")
        let sent = try InProcessCluster.records(produced)
        #expect(sent.count == 12)
        #expect(sent.allSatisfy { $0.status == "SEND_OK" && $0.bodySize == 5 * 1024 && $0.tags == "tg" })
        #expect(sent.map(\.keys) == (0..<12).map { ["k-\($0)"] })
        #expect(sent.allSatisfy { $0.properties == ["a": "1", "b": "x=y"] })

        let consumed = try await cluster.mqclient([
            "consume", "-n", cluster.nameServerAddress, "-t", "ToolT", "-g", "G1", "--count", "12", "--timeout", "30s", "--json"])
        #expect(consumed.status == 0, "\(consumed.stderr)")
        let received = try InProcessCluster.records(consumed)
        #expect(received.count == 12)
        let byId = Dictionary(uniqueKeysWithValues: received.map { ($0.msgId ?? "", $0) })
        for s in sent {
            let r = try #require(byId[s.msgId ?? ""], "\(s.msgId ?? "") not received")
            #expect(r.body == s.body && r.tags == s.tags && r.keys == s.keys && r.properties == s.properties)
            #expect(r.queueId == s.queueId && r.queueOffset == s.queueOffset && r.offsetMsgId == s.offsetMsgId)
            #expect(r.storeTimestamp != nil && r.reconsumeTimes == 0)
        }

        // Without --json: a summary a person reads.
        let summary = try await cluster.mqclient([
            "consume", "-n", cluster.nameServerAddress, "-t", "ToolT", "-g", "G2", "--count", "12", "--expression", "tg"])
        #expect(summary.status == 0, "\(summary.stderr)")
        #expect(summary.stdout.contains("received 12 messages from ToolT"), "\(summary.stdout)")
        #expect(summary.stdout.contains("tags tg, keys k-0"), "\(summary.stdout)")
        await cluster.stop()
    }

    /// `perf produce --rate` is an open loop: message i is due at i / rate, so
    /// 2 s at 1500/s are 3000 sends however fast the host is; `perf consume`
    /// then drains exactly those and the uncounted first send (route, connection).
    @Test func perfProduceAtARateKeepsTheScheduleAndPerfConsumeDrainsIt() async throws {
        let cluster = try await InProcessCluster.start()
        let n = cluster.nameServerAddress
        let paced = try await cluster.mqclient([
            "perf", "produce", "-n", n, "-t", "PerfT", "--size", "200", "--rate", "1500", "--duration", "2s",
            "--interval", "500ms", "--json"])
        #expect(paced.status == 0, "\(paced.stderr)")
        let p = try #require(try JSONSerialization.jsonObject(with: Data(paced.stdout.utf8)) as? [String: Any])
        #expect(p["mode"] as? String == "rate" && p["targetRate"] as? Double == 1500)
        #expect(p["messages"] as? Int == 3000 && p["failed"] as? Int == 0, "\(p)")
        let fromSchedule = try #require(p["scheduledLatencyMs"] as? [String: Any])
        let latency = try #require(p["latencyMs"] as? [String: Any])
        #expect(fromSchedule["count"] as? Int == 3000 && latency["count"] as? Int == 3000)
        // Measured from the schedule, a send can only be later than from its hand-over.
        #expect((fromSchedule["p50"] as? Double ?? 0) >= (latency["p50"] as? Double ?? 1))
        // The intervals split the run: together they hold every message, in time order,
        // and each was a progress line on stderr.
        let intervals = try #require(p["intervals"] as? [[String: Any]])
        #expect(intervals.count >= 2, "\(intervals)")
        #expect(intervals.map { $0["messages"] as? Int ?? 0 }.reduce(0, +) == 3000)
        let ends = intervals.map { $0["endSecond"] as? Double ?? 0 }
        #expect(ends == ends.sorted() && ends.first! > 0)
        #expect(intervals.allSatisfy { ($0["scheduledLatencyMs"] as? [String: Any])?["p99"] != nil })
        let lines = paced.stderr.split(separator: "\n").filter { $0.hasPrefix("[") && $0.contains(" msg/s") }
        #expect(lines.count == intervals.count, "\(paced.stderr)")

        let drained = try await cluster.mqclient([
            "perf", "consume", "-n", n, "-t", "PerfT", "-g", "PerfG", "--timeout", "60s", "--json"])
        #expect(drained.status == 0, "\(drained.stderr)")
        let c = try #require(try JSONSerialization.jsonObject(with: Data(drained.stdout.utf8)) as? [String: Any])
        #expect(c["messages"] as? Int == 3001, "\(c)")
        await cluster.stop()
    }

    @Test func badInputAndShortfallsAreClearErrors() async throws {
        let cluster = try await InProcessCluster.start()
        let n = cluster.nameServerAddress
        let cases: [([String], String)] = [
            (["produce", "-n", n, "-t", "T", "--property", "TAGS=x"], "reserved by RocketMQ"),
            (["produce", "-n", n, "-t", "T", "--property", "novalue"], "is not name=value"),
            (["produce", "-n", n, "-t", "T", "--count", "0"], "--count must be at least 1"),
            (["produce", "-n", n, "-t", "T", "--body-size", "5M"], "4 MiB"),
            (["produce", "-n", n, "-t", "bad topic"], "characters outside"),
            (["consume", "-n", n, "-t", "T", "-g", "G", "--timeout", "soon"], "invalid duration"),
            (["consume", "-n", n, "-t", "Nowhere", "-g", "G", "--count", "1"], "no route for topic 'Nowhere'"),
        ]
        for (args, expected) in cases {
            let r = try await cluster.mqclient(args)
            #expect(r.status != 0, "\(args) succeeded")
            #expect(r.stderr.contains(expected), "\(args): \(r.stderr)")
        }
        // A topic with fewer messages than asked for: exit status 1 once the timeout passes.
        let one = try await cluster.mqclient(["produce", "-n", n, "-t", "Short", "--body", "only"])
        #expect(one.status == 0 && one.stdout.contains("sent 1 messages to Short"), "\(one.stderr)")
        let short = try await cluster.mqclient(["consume", "-n", n, "-t", "Short", "-g", "G", "--count", "2", "--timeout", "1s", "--json"])
        #expect(short.status == 1)
        #expect(short.stderr.contains("received 1 of 2 messages within 1.000 s"), "\(short.stderr)")
        #expect(try InProcessCluster.records(short).map { Data(base64Encoded: $0.body) } == [Data("only".utf8)])
        await cluster.stop()
    }
}
