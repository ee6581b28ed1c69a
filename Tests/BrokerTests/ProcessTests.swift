import Foundation
import NIOCore
import Protocol
import Remoting
import TestSupport
import Testing

@Suite struct ProcessTests {
    /// Starts the mqbroker executable with `args`; stdout and stderr go to pipes.
    func spawn(_ args: [String]) throws -> (Process, out: Pipe, err: Pipe) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: productsDirectory + "/mqbroker")
        p.arguments = args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        return (p, out, err)
    }

    /// Runs mqbroker to completion: exit status, stdout, stderr (small outputs only).
    func run(_ args: [String]) async throws -> (status: Int32, out: String, err: String) {
        try await offPool { try runBlocking(args) }
    }

    func runBlocking(_ args: [String]) throws -> (status: Int32, out: String, err: String) {
        let (p, out, err) = try spawn(args)
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    /// Starts `mqbroker -c conf` and returns the process and its port (read from the startup line).
    func launch(_ conf: String) async throws -> (Process, Int) {
        let r = try await offPool { try launchBlocking(conf) }
        return (r.process, r.port)
    }

    struct Launched: @unchecked Sendable {  // Process is not Sendable; handed over once, then used by one task.
        let process: Process
        let port: Int
    }

    func launchBlocking(_ conf: String) throws -> Launched {
        let (p, out, err) = try spawn(["-c", conf])
        // Drain stderr (the log) so the broker never blocks on a full pipe.
        err.fileHandleForReading.readabilityHandler = { h in
            if h.availableData.isEmpty { h.readabilityHandler = nil }
        }
        var text = ""
        let handle = out.fileHandleForReading
        while !text.contains("\n") {
            let d = handle.availableData
            if d.isEmpty { break }
            text += String(decoding: d, as: UTF8.self)
        }
        let line = text.split(separator: "\n").first { $0.hasPrefix("mqbroker listening on ") } ?? ""
        let port = Int(line.split(separator: ":").last ?? "") ?? 0
        return Launched(process: p, port: port)
    }

    /// SIGTERM, then waits (off the pool) for the exit.
    func terminate(_ p: Process) async throws {
        let l = Launched(process: p, port: 0)
        kill(p.processIdentifier, SIGTERM)
        _ = try await offPool { l.process.waitUntilExit() }
    }

    @Test func realExecutableSendPullSigtermRestart() async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let conf = dir.path + "/broker.conf"
        try """
            brokerName=broker-t
            listenPort=0
            brokerIP1=127.0.0.1
            bindAddress=127.0.0.1
            storePathRootDir=\(dir.path)/store
            mappedFileSizeCommitLog=1048576
            maxMessageSize=65536
            """.write(toFile: conf, atomically: true, encoding: .utf8)
        var (p, port) = try await launch(conf)
        #expect(port > 0)
        let client = RemotingClient()
        let addr = "127.0.0.1:\(port)"
        let h = SendMessageRequestHeader(producerGroup: "pg", topic: "P", queueId: 0, bornTimestamp: 1)
        let s = try await client.invoke(.request(.sendMessageV2, header: h.v2, body: ByteBuffer(string: "hello"), opaque: 0), to: addr, timeout: .seconds(30))
        #expect(s.responseCode == .success)
        let pull = PullMessageRequestHeader(consumerGroup: "g", topic: "P", queueId: 0, queueOffset: 0, maxMsgNums: 32,
                                            sysFlag: PullSysFlag.suspend.rawValue, commitOffset: 0,
                                            suspendTimeoutMillis: 5000, subVersion: 0)
        let r = try await client.invoke(.request(.pullMessage, header: pull, opaque: 0), to: addr, timeout: .seconds(60))
        #expect(r.responseCode == .success)
        await client.closeConnection(to: addr)
        try await terminate(p)
        #expect(p.terminationReason == .exit && p.terminationStatus == 0)

        (p, port) = try await launch(conf)
        let addr2 = "127.0.0.1:\(port)"
        let r2 = try await client.invoke(.request(.pullMessage, header: pull, opaque: 0), to: addr2, timeout: .seconds(60))
        #expect(r2.responseCode == .success)
        #expect(try PulledMessages.decode(r2.body ?? ByteBuffer()).map { String(decoding: $0.body, as: UTF8.self) } == ["hello"])
        await client.shutdown()
        try await terminate(p)
        #expect(p.terminationStatus == 0)
    }

    @Test func invalidConfigFailsWithKeyAndPrintConfigWorks() async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let conf = dir.path + "/bad.conf"
        try "listenPort=notaport\n".write(toFile: conf, atomically: true, encoding: .utf8)
        let bad = try await run(["-c", conf])
        #expect(bad.status != 0)
        #expect(bad.err.contains("listenPort"), "\(bad.err)")

        let good = dir.path + "/good.conf"
        try "brokerName=zed\nstorePathRootDir=\(dir.path)/s\n".write(toFile: good, atomically: true, encoding: .utf8)
        let printed = try await run(["-c", good, "-n", "127.0.0.1:9876", "-p"])
        #expect(printed.status == 0)
        #expect(printed.out.contains("brokerName=zed") && printed.out.contains("namesrvAddr=127.0.0.1:9876"))
    }
}
