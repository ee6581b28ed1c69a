/// How a frame's header is serialised: the top byte of the frame's second word.
public enum SerializeType: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// fastjson / jsoncpp text (what most clients send).
    case json = 0
    /// The compact binary layout of RocketMQ's `RocketMQSerializable`.
    case rocketMQ = 1

    /// The name as RocketMQ spells it in `serializeTypeCurrentRPC`.
    public var description: String {
        switch self {
        case .json: "JSON"
        case .rocketMQ: "ROCKETMQ"
        }
    }

    /// Parses "JSON" / "ROCKETMQ" (case-insensitive).
    public init?(name: String) {
        switch name.uppercased() {
        case "JSON": self = .json
        case "ROCKETMQ": self = .rocketMQ
        default: return nil
        }
    }
}
