/// What every generated message carries so consumers can verify delivery and
/// measure end-to-end latency: who sent it, its place in that producer's
/// sequence, its ordering key, and the wall-clock send time.
///
/// Stored big-endian at the start of the body (`encodedSize` bytes, behind a
/// 4-byte magic so foreign messages are told apart); bodies shorter than that
/// carry `text` in the `PMQ_STAMP` user property instead.
public struct MessageStamp: Sendable, Hashable {
    public static let magic: [UInt8] = Array("PMQ1".utf8)
    /// magic 4 + producer 4 + sequence 8 + sent 8 + order key 4.
    public static let encodedSize = 28
    public static let propertyName = "PMQ_STAMP"
    /// `orderKey` value meaning "not sent in order".
    public static let noOrderKey = UInt32.max

    public var producer: UInt32
    public var sequence: UInt64
    public var sentWallNanos: UInt64
    public var orderKey: UInt32

    public init(producer: UInt32, sequence: UInt64, sentWallNanos: UInt64, orderKey: UInt32 = MessageStamp.noOrderKey) {
        self.producer = producer
        self.sequence = sequence
        self.sentWallNanos = sentWallNanos
        self.orderKey = orderKey
    }

    /// Overwrites the first `encodedSize` bytes of `body` (which must be at least that long).
    public func write(into body: inout [UInt8]) {
        precondition(body.count >= Self.encodedSize, "body shorter than a stamp")
        body.withUnsafeMutableBytes { raw in
            raw.copyBytes(from: Self.magic)
            raw.storeBytes(of: producer.bigEndian, toByteOffset: 4, as: UInt32.self)
            raw.storeBytes(of: sequence.bigEndian, toByteOffset: 8, as: UInt64.self)
            raw.storeBytes(of: sentWallNanos.bigEndian, toByteOffset: 16, as: UInt64.self)
            raw.storeBytes(of: orderKey.bigEndian, toByteOffset: 24, as: UInt32.self)
        }
    }

    /// Reads a stamp from the start of a body; nil when the body has none.
    public init?(body: UnsafeRawBufferPointer) {
        guard body.count >= Self.encodedSize, Self.magic.indices.allSatisfy({ body[$0] == Self.magic[$0] }) else { return nil }
        func load<T: FixedWidthInteger>(_ offset: Int, _: T.Type) -> T { T(bigEndian: body.loadUnaligned(fromByteOffset: offset, as: T.self)) }
        self.init(producer: load(4, UInt32.self), sequence: load(8, UInt64.self),
                  sentWallNanos: load(16, UInt64.self), orderKey: load(24, UInt32.self))
    }

    public init?(body: [UInt8]) {
        guard let stamp = body.withUnsafeBytes({ MessageStamp(body: $0) }) else { return nil }
        self = stamp
    }

    /// The property form: `producer.sequence.sent.orderKey` in decimal.
    public var text: String { "\(producer).\(sequence).\(sentWallNanos).\(orderKey)" }

    public init?(text: String) {
        let parts = text.split(separator: ".")
        guard parts.count == 4, let p = UInt32(parts[0]), let s = UInt64(parts[1]),
              let t = UInt64(parts[2]), let k = UInt32(parts[3]) else { return nil }
        self.init(producer: p, sequence: s, sentWallNanos: t, orderKey: k)
    }
}
