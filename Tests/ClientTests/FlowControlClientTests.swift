import Client
import Foundation
import Protocol
import TestSupport
import Testing

/// What a producer sees of the broker's flow control.
@Suite struct FlowControlClientTests {
    @Test func systemBusyIsATypedErrorAfterRetries() async throws {
        let gate = StallGate()
        let cluster = try await Cluster.start(configure: { $0.waitTimeMillsInSendQueue = 100 }, gate: gate)
        cluster.createTopic("Busy", queues: 1)
        // A long send timeout: the stalled first send must not time out on a slow machine.
        let p = try await cluster.producer { $0.sendTimeout = .seconds(60) }
        gate.close()
        // The broker's send thread stalls inside the store with this one…
        let first = Task { try await p.send(Message(topic: "Busy", body: [1])) }
        try await waitUntil { gate.entered == 1 }
        // …so this one waits in its send queue and is refused, on each of its three attempts.
        do {
            _ = try await p.send(Message(topic: "Busy", body: [2]))
            Issue.record("expected SYSTEM_BUSY")
        } catch {
            guard case .broker(let code, let remark) = error else { Issue.record("unexpected \(error)"); return }
            #expect(code == .systemBusy)
            #expect(remark?.hasPrefix("[TIMEOUT_CLEAN_QUEUE]broker busy, start flow control for a while") == true)
        }
        #expect(cluster.broker.stats[.busyTimeoutInQueue] == 3, "one send and retryTimesWhenSendFailed (2) retries")
        gate.open()
        #expect(try await first.value.status == .sendOK)
        #expect(try await p.send(Message(topic: "Busy", body: [3])).queueOffset == 1)
        await p.shutdown()
        await cluster.stop()
    }
}
