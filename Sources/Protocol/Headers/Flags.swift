/// The `sysFlag` bits of a PULL_MESSAGE request (RocketMQ `PullSysFlag`).
public struct PullSysFlag: OptionSet, Hashable, Sendable {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// `commitOffset` carries the consumer's offset to store.
    public static let commitOffset = PullSysFlag(rawValue: 0x1)
    /// Hold the request (long polling) when nothing is found.
    public static let suspend = PullSysFlag(rawValue: 0x2)
    /// `subscription` carries the expression to filter with.
    public static let subscription = PullSysFlag(rawValue: 0x4)
    /// Class filter mode.
    public static let classFilter = PullSysFlag(rawValue: 0x8)
    /// A lite pull consumer.
    public static let litePull = PullSysFlag(rawValue: 0x10)
}

/// Topic permission bits (RocketMQ `PermName`) in `perm` fields.
public struct Perm: OptionSet, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let priority = Perm(rawValue: 8)
    public static let read = Perm(rawValue: 4)
    public static let write = Perm(rawValue: 2)
    public static let inherit = Perm(rawValue: 1)
    /// Read and write: the default of a new topic (6).
    public static let readWrite: Perm = [.read, .write]

    public var isReadable: Bool { contains(.read) }
    public var isWriteable: Bool { contains(.write) }
    public var isInherited: Bool { contains(.inherit) }

    /// "RW-" style, as mqadmin prints it.
    public var description: String {
        (contains(.read) ? "R" : "-") + (contains(.write) ? "W" : "-") + (contains(.inherit) ? "X" : "-")
    }
}
