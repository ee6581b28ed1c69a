import ArgumentParser
import Foundation
import MessageFormat
import Store
import ToolSupport

extension MQStoreCommand {
    /// Opens (recovering if needed) a store and reports what it holds.
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open a store (running recovery if it crashed) and report its queues and offsets.")

        @OptionGroup var options: StoreOptions

        @Flag(help: "Print JSON instead of a table.")
        var json = false

        func run() async throws {
            startupLog("mqstore verify")
            let store = try MessageStore(config: try options.makeConfig(), logger: makeLogger("mqstore", level: .warning))
            defer { store.shutdown() }
            let queues = store.queueKeys.sorted { ($0.topic, $0.queueId) < ($1.topic, $1.queueId) }
            let rows = queues.map { k in
                VerifyReport.Queue(topic: k.topic, queueId: k.queueId,
                                   minOffset: store.minOffset(topic: k.topic, queueId: k.queueId),
                                   maxOffset: store.maxOffset(topic: k.topic, queueId: k.queueId))
            }
            let r = store.recovery
            let report = VerifyReport(lastExitOK: r.lastExitOK, scanned: r.scanned, commitLogMinOffset: store.commitLogMinOffset,
                                      commitLogMaxOffset: store.commitLogMaxOffset, redispatched: r.redispatchedRecords, queues: rows)
            if json {
                let enc = JSONEncoder()
                enc.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try enc.encode(report), as: UTF8.self))
            } else {
                print("last exit clean: \(r.lastExitOK)   recovery scan: \(r.scanned)   commitlog: [\(store.commitLogMinOffset), \(store.commitLogMaxOffset))   re-dispatched: \(r.redispatchedRecords)")
                print("topic".padding(toLength: 32, withPad: " ", startingAt: 0) + " queue   minOffset   maxOffset")
                for q in rows {
                    print(q.topic.padding(toLength: 32, withPad: " ", startingAt: 0)
                          + String(format: " %5d %11lld %11lld", q.queueId, q.minOffset, q.maxOffset))
                }
            }
        }
    }
}

struct VerifyReport: Codable {
    struct Queue: Codable {
        var topic: String
        var queueId: Int32
        var minOffset: Int64
        var maxOffset: Int64
    }
    var lastExitOK: Bool
    var scanned: Bool
    var commitLogMinOffset: Int64
    var commitLogMaxOffset: Int64
    var redispatched: Int
    var queues: [Queue]
}
