import NIOCore
import NIOEmbedded
import NIOTestUtils
import Testing
import TestSupport
@testable import Protocol

/// Feeds valid, truncated, bit-flipped, random and oversize frames through the
/// channel decoder. Every input must end in decoded values (commands or
/// `UndecodableFrame`s) or a thrown `ProtocolError`; nothing may trap, and a
/// huge length prefix must be refused before its bytes are awaited.
@Suite struct FrameDecoderFuzzTests {
    typealias Out = Result<RemotingCommand, UndecodableFrame>
    static let maxFrame = 256 * 1024

    func randomString(_ rng: inout SplitMix64, max: Int) -> String {
        let n = Int.random(in: 0...max, using: &rng)
        return String(decoding: (0..<n).map { _ in UInt8.random(in: 0x20...0x7E, using: &rng) }, as: UTF8.self)
            + (Bool.random(using: &rng) ? "\u{1}é\u{2}" : "")
    }

    func randomCommand(_ rng: inout SplitMix64) -> RemotingCommand {
        var ext = ExtFields()
        for i in 0..<Int.random(in: 0..<12, using: &rng) { ext.append("k\(i)", randomString(&rng, max: 40)) }
        let bodyLength = Int.random(in: 0..<3, using: &rng) == 0 ? 0 : Int.random(in: 1..<2048, using: &rng)
        let body = bodyLength == 0 ? nil : buffer((0..<bodyLength).map { _ in UInt8.random(in: 0...255, using: &rng) })
        return RemotingCommand(
            code: Int32(Int16.random(in: .min ... .max, using: &rng)), language: LanguageCode(rawValue: UInt8.random(in: 0...12, using: &rng)),
            version: Int32(Int16.random(in: .min ... .max, using: &rng)), opaque: Int32.random(in: .min ... .max, using: &rng),
            flag: Int32.random(in: 0...3, using: &rng), remark: Bool.random(using: &rng) ? randomString(&rng, max: 30) : nil,
            extFields: ext, body: body, serializeType: Bool.random(using: &rng) ? .json : .rocketMQ)
    }

    /// Runs `input` through a fresh channel in random chunks; returns what came out.
    func feed(_ input: [UInt8], rng: inout SplitMix64) -> (outputs: [Out], error: (any Error)?) {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(RemotingFrameDecoder(maxFrameLength: Self.maxFrame)))
        var outputs: [Out] = []
        var thrown: (any Error)?
        var pos = 0
        while pos < input.count, thrown == nil {
            let n = min(input.count - pos, Int.random(in: 1...4096, using: &rng))
            do {
                try channel.writeInbound(buffer(Array(input[pos..<pos + n])))
            } catch {
                thrown = error
            }
            pos += n
            while let o = try? channel.readInbound(as: Out.self) { outputs.append(o) }
        }
        if thrown == nil {
            do { _ = try channel.finish() } catch { thrown = error }
        } else {
            _ = try? channel.finish()
        }
        return (outputs, thrown)
    }

    func assertTyped(_ error: (any Error)?) {
        guard let error else { return }
        if error is ProtocolError { return }
        if let e = error as? ByteToMessageDecoderError, case .leftoverDataWhenDone = e { return }
        Issue.record("untyped error \(error)")
    }

    @Test func validFramesInRandomChunksDecodeExactly() throws {
        var rng = SplitMix64(seed: 1)
        var commands: [RemotingCommand] = []
        var stream: [UInt8] = []
        for _ in 0..<500 {
            let c = randomCommand(&rng)
            commands.append(c)
            stream += bytes(try FrameCodec.encode(c))
        }
        let (outputs, error) = feed(stream, rng: &rng)
        #expect(error == nil)
        #expect(outputs.count == commands.count)
        for (o, c) in zip(outputs, commands) { #expect(try o.get() == c) }
    }

    @Test func decoderVerifierAcceptsValidFrames() throws {
        var rng = SplitMix64(seed: 2)
        var pairs: [(ByteBuffer, [Out])] = []
        for _ in 0..<20 {
            let c = randomCommand(&rng)
            pairs.append((try FrameCodec.encode(c), [.success(c)]))
        }
        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: pairs) {
            RemotingFrameDecoder(maxFrameLength: Self.maxFrame)
        }
    }

    @Test func truncatedBitFlippedAndRandomFramesNeverCrash() throws {
        var rng = SplitMix64(seed: 3)
        var decodedCommands = 0
        var undecodable = 0
        var thrownErrors = 0
        for round in 0..<6000 {
            var frame = bytes(try FrameCodec.encode(randomCommand(&rng)))
            switch round % 5 {
            case 0:  // truncated
                frame = Array(frame[0..<Int.random(in: 0..<frame.count, using: &rng)])
            case 1:  // bit flips anywhere
                for _ in 0..<Int.random(in: 1...4, using: &rng) {
                    let i = Int.random(in: 0..<frame.count, using: &rng)
                    frame[i] ^= UInt8(1 << Int.random(in: 0..<8, using: &rng))
                }
            case 2:  // bit flips in the header only, length prefix kept: the stream stays in sync
                let headerLength = Int(frame[5]) << 16 | Int(frame[6]) << 8 | Int(frame[7])
                let i = 8 + Int.random(in: 0..<max(1, headerLength), using: &rng)
                if i < frame.count { frame[i] ^= UInt8(1 << Int.random(in: 0..<8, using: &rng)) }
                if Bool.random(using: &rng) { frame[4] = UInt8.random(in: 0...3, using: &rng) }  // type byte
            case 3:  // random bytes
                frame = (0..<Int.random(in: 0..<300, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            default:  // random header inside a well-formed frame
                let header = (0..<Int.random(in: 0..<200, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
                frame = rawFrame(type: UInt8.random(in: 0...2, using: &rng), header: header, body: [1, 2, 3])
            }
            let (outputs, error) = feed(frame, rng: &rng)
            assertTyped(error)
            if error != nil { thrownErrors += 1 }
            for o in outputs {
                switch o {
                case .success: decodedCommands += 1
                case .failure(let f):
                    undecodable += 1
                    if let r = f.errorResponse() {
                        #expect(r.isResponse && r.opaque == f.opaque)
                        _ = try FrameCodec.encode(r)  // the answer itself is encodable
                    }
                }
            }
        }
        // Every kind of outcome happened, so the test exercises each path.
        #expect(decodedCommands > 0)
        #expect(undecodable > 0)
        #expect(thrownErrors > 0)
    }

    @Test func hugeLengthPrefixIsRefusedImmediately() throws {
        for prefix: UInt32 in [UInt32(Self.maxFrame - 3), 0x00FF_FFFF, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF] {
            let channel = EmbeddedChannel(handler: ByteToMessageHandler(RemotingFrameDecoder(maxFrameLength: Self.maxFrame)))
            // Only the 4 prefix bytes: the decoder must decide without waiting for the rest.
            #expect(throws: ProtocolError.self) { try channel.writeInbound(buffer(be32(prefix))) }
            _ = try? channel.finish()
        }
    }

    @Test func badFrameAmidGoodOnesKeepsTheStreamInSync() throws {
        var rng = SplitMix64(seed: 4)
        let a = RemotingCommand(code: 10, opaque: 1, serializeType: .rocketMQ)
        let b = RemotingCommand(code: 11, opaque: 2, serializeType: .json)
        let bad = rawFrame(type: 0, header: Array(#"{"opaque":5,"code":"#.utf8), body: [9, 9])
        let stream = bytes(try FrameCodec.encode(a)) + bad + bytes(try FrameCodec.encode(b))
        let (outputs, error) = feed(stream, rng: &rng)
        #expect(error == nil)
        #expect(outputs.count == 3)
        #expect(try outputs[0].get() == a)
        guard case .failure(let f) = outputs[1] else { Issue.record("expected failure"); return }
        #expect(f.opaque == 5)
        #expect(try outputs[2].get() == b)
    }

    @Test func encoderWritesFrames() throws {
        let channel = EmbeddedChannel(handler: MessageToByteHandler(RemotingFrameEncoder()))
        let c = RemotingCommand(code: 34, opaque: 8, body: buffer("{}"), serializeType: .rocketMQ)
        try channel.writeOutbound(c)
        var out = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(try #require(try FrameCodec.decode(&out)).get() == c)
        _ = try channel.finish()
    }
}
