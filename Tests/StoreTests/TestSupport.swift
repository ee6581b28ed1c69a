import Foundation
import Synchronization
import Logging
import MessageFormat
@testable import Store


/// A config with tiny segments so tests roll over often.
func smallConfig(_ root: String, segment: Int = 64 * 1024, cqUnits: Int = 100,
                 flush: FlushDiskType = .asyncFlush) -> StoreConfig {
    var c = StoreConfig()
    c.storePathRootDir = root
    c.mappedFileSizeCommitLog = segment
    c.mappedFileSizeConsumeQueue = cqUnits * 20
    c.maxMessageSize = segment / 4
    c.flushDiskType = flush
    c.maxHashSlotNum = 1024
    c.maxIndexNum = 4096
    // Retention runs only when a test asks (runCleanPass), not on a timer.
    c.cleanResourceInterval = 3_600_000
    c.deleteCommitLogFilesInterval = 0
    c.flushIntervalConsumeQueue = 50
    return c
}

let quietLogger: Logger = {
    var l = Logger(label: "test.store")
    l.logLevel = .critical
    return l
}()

func openStore(_ c: StoreConfig, diskUsage: (@Sendable (String) -> Double?)? = nil) throws -> MessageStore {
    try MessageStore(config: c, logger: quietLogger, diskUsage: diskUsage)
}

/// A deterministic body for message `seq`: its number, then a pattern.
func body(_ seq: Int, size: Int) -> [UInt8] {
    var b = [UInt8](repeating: 0, count: size)
    for i in 0..<size { b[i] = UInt8(truncatingIfNeeded: seq &* 131 &+ i &* 7) }
    if size >= 8 { withUnsafeBytes(of: Int64(seq).bigEndian) { for i in 0..<8 { b[i] = $0[i] } } }
    return b
}

func fields(_ topic: String = "T", queue: Int32 = 0, keys: String? = nil, tags: String? = nil, uniq: String? = nil) -> RecordFields {
    var props: [(String, String)] = []
    if let keys { props.append((PropertyKey.keys, keys)) }
    if let tags { props.append((PropertyKey.tags, tags)) }
    if let uniq { props.append((PropertyKey.uniqueClientMessageIdKeyIndex, uniq)) }
    return RecordFields(topic: topic, queueId: queue, bornTimestamp: 1_700_000_000_000,
                        bornHost: HostAddress(ipv4: 10, 0, 0, 9, port: 4242),
                        storeHost: HostAddress(ipv4: 127, 0, 0, 1, port: 10911),
                        properties: MessageProperties.encode(props))
}

/// Reads a whole queue through the public read path.
func readAll(_ s: MessageStore, _ topic: String, _ q: Int32) -> [StoredMessage] {
    var out: [StoredMessage] = []
    var off = s.minOffset(topic: topic, queueId: q)
    while true {
        let r = s.getMessage(topic: topic, queueId: q, offset: off, maxMessages: 32)
        guard r.status == .found else { break }
        out += r.messages.map { $0.decode() }
        off = r.nextBeginOffset
    }
    return out
}


/// A counter shared by concurrent tasks.
final class Counter: Sendable {
    let value = Atomic<Int>(0)
}
