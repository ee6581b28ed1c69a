import Foundation
import NIOCore
import Protocol
import Remoting
import TestSupport
import Testing

/// Raw bytes to the broker's port over a plain socket.
private func sendRaw(_ bytes: [UInt8], port: Int) {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return }
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = in_port_t(UInt16(port).bigEndian)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    let ok = withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard ok == 0 else { return }
    _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
}

@Suite struct FuzzTests {
    /// Random, truncated and oversize frames on their own connections; the
    /// broker keeps answering a well-behaved client throughout.
    @Test func garbageFramesDoNotDisturbTheBroker() async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let f = try await Fixture.start(testConfig(dir.path))
        let port = Int(f.address.split(separator: ":").last!)!
        var rng = SystemRandomNumberGenerator()
        // A valid frame to mutate.
        let h = SendMessageRequestHeader(producerGroup: "pg", topic: "F", queueId: 0, bornTimestamp: 1)
        let valid = RemotingCommand.request(.sendMessageV2, header: h.v2, body: ByteBuffer(string: "x"), opaque: 1,
                                            serializeType: .rocketMQ)
        var buf = ByteBuffer()
        try FrameCodec.encode(valid, into: &buf)
        let frame = Array(buf.readableBytesView)
        for round in 0..<60 {
            var bytes: [UInt8]
            switch round % 4 {
            case 0: bytes = (0..<Int.random(in: 1...512, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            case 1: bytes = Array(frame.prefix(Int.random(in: 1..<frame.count, using: &rng)))
            case 2:
                bytes = frame
                for _ in 0..<4 { bytes[Int.random(in: 4..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng) }
            default: bytes = [0x7F, 0xFF, 0xFF, 0xFF, 0, 0, 0, 1]  // a 2 GiB length
            }
            sendRaw(bytes, port: port)
            if round % 10 == 0 {
                #expect(try await f.send(topic: "F", body: [UInt8(round)]).responseCode == .success)
            }
        }
        #expect(try await f.send(topic: "F", body: [1]).responseCode == .success)
        #expect(try await f.dispatched())
        #expect(try await f.pull(topic: "F", offset: 0).responseCode == .success)
        await f.stop()
    }
}
