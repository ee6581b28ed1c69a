/// The CommitLog record layout (RocketMQ v1 magic, reference §1.2). The same
/// bytes travel on the wire in pull responses, so clients decode them too.
///
/// ```
/// 0  TOTALSIZE i32   4  MAGIC i32      8  BODYCRC i32   12 QUEUEID i32
/// 16 FLAG i32        20 QUEUEOFFSET i64               28 PHYSICALOFFSET i64
/// 36 SYSFLAG i32     40 BORNTIMESTAMP i64             48 BORNHOST 8|20
///    STORETIMESTAMP i64, STOREHOST 8|20, RECONSUMETIMES i32,
///    PREPARED_TX_OFFSET i64, BODYLEN i32 + body, TOPICLEN u8 + topic,
///    PROPLEN i16 + properties
/// ```
public enum RecordLayout {
    /// MESSAGE_MAGIC_CODE v1 (0xDAA320A7).
    public static let magicV1: Int32 = Int32(bitPattern: 0xDAA3_20A7)
    /// BLANK_MAGIC_CODE (0xCBD43194): the end-of-segment filler.
    public static let blankMagic: Int32 = Int32(bitPattern: 0xCBD4_3194)
    /// A blank filler is `[int32 remaining][int32 blankMagic]`, so a record must
    /// leave at least this much room at the end of a segment.
    public static let endOfFileMinBlankLength = 8

    public static let totalSizeOffset = 0
    public static let magicOffset = 4
    public static let bodyCRCOffset = 8
    public static let queueIdOffset = 12
    public static let flagOffset = 16
    public static let queueOffsetOffset = 20
    public static let physicalOffsetOffset = 28
    public static let sysFlagOffset = 36
    public static let bornTimestampOffset = 40
    public static let bornHostOffset = 48

    /// Fixed bytes with IPv4 hosts: 91.
    public static let fixedLengthIPv4 = 91
    /// v1 stores the topic length in one byte (Byte.MAX_VALUE in RocketMQ 4.x).
    public static let maxTopicLength = 127

    /// The whole record length for the given variable parts.
    @inlinable
    public static func recordLength(
        bodyLength: Int, topicLength: Int, propertiesLength: Int,
        bornHostIPv6: Bool = false, storeHostIPv6: Bool = false
    ) -> Int {
        fixedLengthIPv4 + (bornHostIPv6 ? 12 : 0) + (storeHostIPv6 ? 12 : 0)
            + bodyLength + topicLength + propertiesLength
    }

    /// Offset of STORETIMESTAMP given the born host's width.
    @inlinable
    public static func storeTimestampOffset(bornHostIPv6: Bool) -> Int {
        bornHostOffset + (bornHostIPv6 ? 20 : 8)
    }
}
