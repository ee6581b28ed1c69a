import NIOCore
@testable import Protocol

func buffer(_ bytes: [UInt8]) -> ByteBuffer {
    var b = ByteBufferAllocator().buffer(capacity: bytes.count)
    b.writeBytes(bytes)
    return b
}

func buffer(_ text: String) -> ByteBuffer { buffer(Array(text.utf8)) }

func bytes(_ b: ByteBuffer) -> [UInt8] { Array(b.readableBytesView) }

func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }
func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xFF)] }

/// A frame around raw header bytes, built by hand (not by the codec under test).
func rawFrame(type: UInt8, header: [UInt8], body: [UInt8] = []) -> [UInt8] {
    be32(UInt32(4 + header.count + body.count)) + be32(UInt32(type) << 24 | UInt32(header.count)) + header + body
}

/// Decodes exactly one frame from `bytes`, failing the caller's expectations otherwise.
func decodeOne(_ bytes: [UInt8]) throws -> Result<RemotingCommand, UndecodableFrame>? {
    var b = buffer(bytes)
    let r = try FrameCodec.decode(&b)
    return r
}

/// The send header used by golden frames.
let goldenSendHeader = SendMessageRequestHeader(
    producerGroup: "pg", topic: "t", defaultTopic: "TBW102", defaultTopicQueueNums: 4, queueId: 1, sysFlag: 0,
    bornTimestamp: 1_700_000_000_000, flag: 0, properties: nil, reconsumeTimes: nil, unitMode: nil, batch: nil,
    maxReconsumeTimes: nil)
