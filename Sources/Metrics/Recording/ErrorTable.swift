/// Failed sends of one kind.
public struct ErrorCount: Codable, Sendable, Equatable {
    /// The broker's response code, or -1 for a local error or timeout.
    public var code: Int
    public var reason: String
    /// Messages whose send failed this way.
    public var count: Int

    public init(code: Int, reason: String, count: Int) {
        self.code = code; self.reason = reason; self.count = count
    }
}

/// Failed sends counted by (code, reason), with a bounded number of distinct
/// reasons: remarks can carry addresses or ids, and a run must not grow a table
/// without limit. Past `limit` entries, new reasons are counted under their code
/// with the reason `ErrorTable.otherReasons`.
struct ErrorTable: Sendable {
    static let otherReasons = "(other reasons)"

    struct Key: Hashable, Sendable {
        var code: Int
        var reason: String
    }

    let limit: Int
    private(set) var counts: [Key: Int] = [:]

    init(limit: Int) { self.limit = max(1, limit) }

    mutating func add(code: Int, reason: String, count: Int) {
        let key = Key(code: code, reason: reason)
        if counts[key] != nil || counts.count < limit {
            counts[key, default: 0] += count
        } else {
            counts[Key(code: code, reason: Self.otherReasons), default: 0] += count
        }
    }

    /// Most frequent first.
    var entries: [ErrorCount] { Self.sorted(counts.map { ErrorCount(code: $0.key.code, reason: $0.key.reason, count: $0.value) }) }

    static func sorted(_ list: [ErrorCount]) -> [ErrorCount] {
        list.sorted { ($1.count, $0.code, $0.reason) < ($0.count, $1.code, $1.reason) }
    }

    /// Several tables' entries summed by (code, reason).
    static func merge(_ lists: [[ErrorCount]]) -> [ErrorCount] {
        var sum: [Key: Int] = [:]
        for list in lists { for e in list { sum[Key(code: e.code, reason: e.reason), default: 0] += e.count } }
        return sorted(sum.map { ErrorCount(code: $0.key.code, reason: $0.key.reason, count: $0.value) })
    }
}
