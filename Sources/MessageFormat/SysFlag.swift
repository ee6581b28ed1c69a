/// The record's SYSFLAG bits (RocketMQ `MessageSysFlag`).
public struct SysFlag: OptionSet, Hashable, Sendable {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let compressed = SysFlag(rawValue: 0x1)
    public static let multiTags = SysFlag(rawValue: 0x2)
    public static let bornHostIPv6 = SysFlag(rawValue: 0x10)
    public static let storeHostIPv6 = SysFlag(rawValue: 0x20)
    public static let needUnwrap = SysFlag(rawValue: 0x40)
    public static let innerBatch = SysFlag(rawValue: 0x80)

    /// Bits 2–3 hold the transaction state.
    public static let transactionMask: Int32 = 0xC
    public static let transactionNotType: Int32 = 0x0
    public static let transactionPreparedType: Int32 = 0x4
    public static let transactionCommitType: Int32 = 0x8
    public static let transactionRollbackType: Int32 = 0xC

    public var transactionType: Int32 { rawValue & SysFlag.transactionMask }
}
