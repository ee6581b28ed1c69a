import Foundation
import TestSupport
import Testing
@testable import Store

/// ConsumeQueues are flushed every flushIntervalConsumeQueue; the IndexFile
/// only on the thorough pass and at shutdown (its hashed slots make every pass
/// a near-full rewrite of the slot table). The checkpoint must say so: its index
/// offset stays where the index was last made durable, and a restart sees it all.
@Suite struct IndexCheckpointTests {
    @Test func theIndexIsMadeDurableOnTheThoroughPassAndAtShutdownOnly() async throws {
        let dir = TempDir("index-checkpoint"); defer { dir.cleanup() }
        var c = smallConfig(dir.path, segment: 1 << 20)
        c.flushIntervalConsumeQueue = 10
        c.flushConsumeQueueThoroughInterval = 3_600_000
        var s = try openStore(c)
        for i in 0..<50 {
            let r = await s.putMessage(fields(keys: "k-\(i)", uniq: "U\(i)"), body: body(i, size: 200))
            #expect(r.status == .putOK)
        }
        let end = s.commitLogMaxOffset
        let store = s
        try await eventually("ConsumeQueues flushed through \(end)") { store.checkpoint.logicsFlushedOffset == end }
        #expect(s.checkpoint.indexFlushedOffset == 0)
        #expect(s.queryMessages(topic: "T", key: "k-7").count == 1)

        s.shutdown()
        s = try openStore(c)
        defer { s.shutdown() }
        #expect(s.checkpoint.indexFlushedOffset == end)
        #expect(s.checkpoint.logicsFlushedOffset == end)
        #expect(s.queryMessages(topic: "T", key: "k-42").map(\.queueOffset) == [42])
    }
}
