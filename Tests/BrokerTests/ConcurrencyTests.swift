import Broker
import Foundation
import NIOCore
import Protocol
import Remoting
import TestSupport
import Testing

@Suite struct ConcurrencyTests {
    /// Many concurrent sends on one connection (pipelined) and a long-polling
    /// consumer per queue: every message arrives once, in queue order.
    @Test func concurrentSendsAndLongPollingConsumers() async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let f = try await Fixture.start(testConfig(dir.path))
        let queues: Int32 = 4, perQueue = 150
        try await withThrowingTaskGroup(of: [String].self) { group in
            for q in 0..<queues {
                group.addTask {
                    var got: [String] = []
                    var offset: Int64 = 0
                    while got.count < perQueue {
                        let r = try await f.pull(topic: "C", queueId: q, offset: offset, sysFlag: [.suspend], suspendMillis: 10_000)
                        if r.responseCode == .success {
                            let msgs = try PulledMessages.decode(r.body ?? ByteBuffer())
                            got += msgs.map { String(decoding: $0.body, as: UTF8.self) }
                            offset = try PullMessageResponseHeader(extFields: r.extFields).nextBeginOffset
                        } else if r.responseCode == .topicNotExist {
                            // The topic is auto-created by the first send.
                            try await waitUntil(timeout: .seconds(30), every: .milliseconds(5)) { f.broker.topics.topic("C") != nil }
                        } else {
                            #expect(r.responseCode == .pullNotFound, "\(r)")
                        }
                    }
                    return got
                }
            }
            for q in 0..<queues {
                group.addTask {
                    for i in 0..<perQueue {
                        let r = try await f.send(topic: "C", queueId: q, body: Array("\(q)-\(i)".utf8))
                        #expect(r.responseCode == .success)
                    }
                    return []
                }
            }
            var all: [[String]] = []
            for try await r in group where !r.isEmpty { all.append(r) }
            #expect(all.count == Int(queues))
            for list in all {
                let q = list.first?.split(separator: "-").first.map(String.init) ?? "?"
                #expect(list == (0..<perQueue).map { "\(q)-\($0)" })
            }
        }
        await f.stop()
    }
}
