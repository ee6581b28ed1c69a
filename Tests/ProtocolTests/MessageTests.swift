import MessageFormat
import NIOCore
import Testing
import TestSupport
@testable import Protocol

@Suite struct MessageTests {
    func entries() -> [BatchEntry] {
        [
            BatchEntry(flag: 0, body: buffer("first"), properties: MessageProperties.encode([("TAGS", "a"), ("KEYS", "k1")])),
            BatchEntry(flag: 5, body: buffer([UInt8]()), properties: ""),
            BatchEntry(flag: -1, body: buffer([UInt8](repeating: 0xAB, count: 5000)), properties: "UNIQ_KEY\u{1}X\u{2}"),
        ]
    }

    @Test func batchRoundTrip() throws {
        let encoded = try BatchCodec.encode(entries())
        #expect(try BatchCodec.decode(encoded) == entries())
    }

    /// One entry written by hand the way the C++ client's BatchMessage::encode does.
    @Test func batchGolden() throws {
        let props = Array("TAGS\u{1}a\u{2}".utf8)
        let hand = be32(UInt32(20 + 2 + 2 + props.count)) + be32(0) + be32(0) + be32(7) + be32(2) + Array("hi".utf8)
            + be16(UInt16(props.count)) + props
        let decoded = try BatchCodec.decode(buffer(hand))
        #expect(decoded == [BatchEntry(flag: 7, body: buffer("hi"), properties: "TAGS\u{1}a\u{2}")])
        #expect(bytes(try BatchCodec.encode(decoded)) == hand)
    }

    @Test func batchDamageIsDetected() throws {
        let good = bytes(try BatchCodec.encode(entries()))
        // Truncation anywhere inside is an error, never a crash or a silent short read.
        for cut in stride(from: 1, to: good.count, by: 97) {
            #expect(throws: ProtocolError.self) { try BatchCodec.decode(buffer(Array(good[0..<cut]))) }
        }
        var wrongTotal = good
        wrongTotal[3] ^= 0x01
        #expect(throws: ProtocolError.self) { try BatchCodec.decode(buffer(wrongTotal)) }
        var negativeBody = good
        negativeBody[16] = 0xFF
        #expect(throws: ProtocolError.self) { try BatchCodec.decode(buffer(negativeBody)) }
        var rng = SplitMix64(seed: 3)
        for _ in 0..<2000 {
            var damaged = good
            let i = Int.random(in: 0..<damaged.count, using: &rng)
            damaged[i] ^= UInt8(1 << Int.random(in: 0..<8, using: &rng))
            do {
                let r = try BatchCodec.decode(buffer(damaged))
                #expect(r.count <= 3)
            } catch {
                guard case .malformedBatch = error else { Issue.record("unexpected \(error)"); return }
            }
        }
    }

    @Test func uniqKeyFormat() throws {
        let gen = MessageClientIDGenerator(ipv4: [192, 168, 0, 1], pid: 0x1234, hash: 0xDEAD_BEEF) {
            1_700_000_000_000  // 2023-11-14T22:13:20Z
        }
        let id = gen.next()
        #expect(id.count == 32)
        #expect(id.hasPrefix("C0A800011234DEADBEEF"))
        #expect(id.allSatisfy { "0123456789ABCDEF".contains($0) })
        let parsed = try #require(MessageClientID(id))
        #expect(parsed.ipString == "192.168.0.1")
        #expect(parsed.pid == 0x1234)
        // 2023-11-01T00:00:00Z is 1698796800000
        #expect(parsed.millisInMonth == UInt32(1_700_000_000_000 - 1_698_796_800_000))
        let next = try #require(MessageClientID(gen.next()))
        #expect(next.counter == parsed.counter &+ 1)
        #expect(MessageClientID("xyz") == nil)
        #expect(MessageClientID(String(repeating: "G", count: 32)) == nil)
    }

    @Test func monthBoundaries() {
        // 2024-02-29T12:00:00Z → [2024-02-01, 2024-03-01); December rolls the year.
        #expect(MessageClientIDGenerator.monthBounds(containing: 1_709_208_000_000) == (1_706_745_600_000, 1_709_251_200_000))
        #expect(MessageClientIDGenerator.monthBounds(containing: 1_703_980_800_000) == (1_701_388_800_000, 1_704_067_200_000))
    }

    @Test func uniqKeysAreUniqueAcrossThreads() async {
        let gen = MessageClientIDGenerator()
        let ids = await withTaskGroup(of: [String].self) { group in
            for _ in 0..<4 { group.addTask { (0..<5000).map { _ in gen.next() } } }
            var all: [String] = []
            for await part in group { all += part }
            return all
        }
        #expect(Set(ids).count == 20_000)
    }

    @Test func compressionRoundTripAndBounds() throws {
        let body = Array(String(repeating: "RocketMQ ", count: 1000).utf8)
        let (small, compressedSmall) = try BodyCompression.compressIfLarge(Array(body[0..<100]))
        #expect(!compressedSmall)
        #expect(small.count == 100)
        let (packed, compressed) = try BodyCompression.compressIfLarge(body)
        #expect(compressed)
        #expect(packed.count < body.count / 10)
        #expect(packed.first == 0x78)  // zlib header, as java.util.zip.Deflater writes
        #expect(try BodyCompression.decompress(packed) == body)
        #expect(throws: ProtocolError.self) { try BodyCompression.decompress(packed, maxSize: 1000) }
        #expect(throws: ProtocolError.self) { try BodyCompression.decompress(Array(packed.dropLast(4))) }
        #expect(throws: ProtocolError.self) { try BodyCompression.decompress([1, 2, 3, 4]) }
        #expect(throws: ProtocolError.self) { try BodyCompression.decompress([]) }
        #expect(try BodyCompression.decompress(try BodyCompression.compress([])) == [])
    }

    func record(body: [UInt8], sysFlag: SysFlag, properties: String) -> [UInt8] {
        let fields = RecordFields(
            topic: "T", queueId: 1, sysFlag: sysFlag, bornTimestamp: 1, bornHost: .loopback,
            storeHost: HostAddress(ipv4: 10, 0, 0, 1, port: 10911), properties: properties)
        var out = [UInt8](repeating: 0, count: fields.recordLength(bodyLength: body.count))
        out.withUnsafeMutableBytes { dst in
            body.withUnsafeBytes { src in _ = RecordEncoder.encode(fields, body: src, into: dst.baseAddress!) }
        }
        return out
    }

    @Test func pulledMessagesAreInflated() throws {
        let original = Array(String(repeating: "x", count: 10_000).utf8)
        let packed = try BodyCompression.compress(original)
        let props = MessageProperties.encode([("TAGS", "t"), ("UNIQ_KEY", "ABC")])
        let body = record(body: packed, sysFlag: .compressed, properties: props) + record(body: Array("plain".utf8), sysFlag: [], properties: "")
        let msgs = try PulledMessages.decode(buffer(body), verifyCRC: true)
        #expect(msgs.count == 2)
        #expect(msgs[0].body == original)
        #expect(!msgs[0].sysFlag.contains(.compressed))
        #expect(msgs[0].tags == "t")
        #expect(msgs[0].uniqueKey == "ABC")
        #expect(msgs[1].body == Array("plain".utf8))
        let raw = try PulledMessages.decode(buffer(body), decompress: false)
        #expect(raw[0].body == packed)
        var damaged = body
        damaged[4] ^= 0xFF  // magic
        #expect(throws: ProtocolError.self) { try PulledMessages.decode(buffer(damaged)) }
    }
}
