import Foundation
import NIOCore
import NIOPosix
import Protocol
import TestSupport
import Testing

@testable import Remoting

/// The channel handler cuts frames itself: frames split across reads, several
/// frames in one read, and a frame completed by a later read all decode.
@Suite(.timeLimit(.minutes(1))) struct InboundFramingTests {
    @Test func framesSplitAndJoinedAcrossReadsAreAllAnswered() async throws {
        let (server, address) = try await startServer { $0.register(.init(9001), inline: EchoProcessor()) }
        let peer = try await RawPeer(address: address, group: MultiThreadedEventLoopGroup.singleton)
        var stream: [UInt8] = []
        for i in 0..<20 {
            var r = request(field: "f\(i)", body: Array(repeating: UInt8(i), count: i * 97))
            r.opaque = Int32(i)
            r.serializeType = i % 2 == 0 ? .rocketMQ : .json
            stream += Array(try FrameCodec.encode(r).readableBytesView)
        }
        // Pieces of 1, 2, 3, ... bytes, each written and flushed on its own,
        // then the rest in one piece holding many frames.
        var at = 0
        var size = 1
        while at < stream.count / 2 {
            try await peer.send(Array(stream[at..<min(at + size, stream.count)]))
            at += size
            size += 1
        }
        try await peer.send(Array(stream[at...]))
        try await eventually("every frame answered", timeout: .seconds(10)) { peer.responses.count == 20 }
        let answers = peer.responses.sorted { $0.opaque < $1.opaque }
        for (i, a) in answers.enumerated() {
            #expect(a.opaque == Int32(i) && a.extFields["k"] == "f\(i)")
            #expect(a.body.map { Array($0.readableBytesView) } ?? [] == Array(repeating: UInt8(i), count: i * 97))
        }
        #expect(peer.isActive)
        await server.shutdown()
    }
}
