import Foundation
import MessageFormat
import Protocol

/// A parsed tag expression: `*` (or empty) for every message, or `a || b || c`.
public struct TagExpression: Sendable, Hashable {
    /// The expression as given ("*" for all).
    public let expression: String
    /// The tags; empty means every message.
    public let tags: Set<String>

    public init(_ expression: String) {
        let trimmed = expression.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty || trimmed == SubscriptionData.subscribeAll {
            self.expression = SubscriptionData.subscribeAll
            tags = []
        } else {
            self.expression = trimmed
            tags = Set(trimmed.split(separator: "||", omittingEmptySubsequences: true)
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        }
    }

    public var matchesAll: Bool { tags.isEmpty }

    /// Whether a message with `tag` passes (the broker filters by tag hash; this removes collisions).
    public func matches(_ tag: String?) -> Bool { matchesAll || tag.map(tags.contains) == true }

    /// The heartbeat form (tags and their Java hash codes, as RocketMQ's FilterAPI builds it).
    func subscriptionData(topic: String, version: Int64) -> SubscriptionData {
        let sorted = tags.sorted()
        return SubscriptionData(topic: topic, subString: expression, tagsSet: sorted,
                                codeSet: sorted.map(\.javaHashCode), subVersion: version)
    }
}
