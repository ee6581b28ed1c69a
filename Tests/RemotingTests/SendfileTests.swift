import Foundation
import NIOCore
import Protocol
import TestSupport
import Testing

@testable import Remoting

/// Shows that file-region responses leave through `sendfile(2)`: the test
/// binary is started again as a child under `strace -f -e trace=sendfile`, in
/// helper mode (``SendfileHelper``), serving a file region; the test pulls it
/// and reads strace's log. (Attaching strace to the test process itself
/// deadlocks: strace would be a child of its own tracee.) Cancelled (skipped)
/// with the reason when strace is missing or cannot trace.
@Suite(.timeLimit(.minutes(1))) struct SendfileTests {
    @Test func fileRegionsAreWrittenWithSendfile() async throws {
        let strace = ["/usr/bin/strace", "/bin/strace"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let strace else { try Test.cancel("strace is not installed (apt-get install strace)") }
        let exe = try #require(try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        let dir = FileManager.default.temporaryDirectory.path
        let out = "\(dir)/peakmq-strace-\(getpid()).txt"
        let portFile = "\(dir)/peakmq-sendfile-port-\(getpid())"
        defer { unlink(out); unlink(portFile) }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: strace)
        process.arguments = [
            "-f", "-e", "trace=sendfile", "-o", out, exe,
            "--testing-library", "swift-testing", "--filter", "SendfileHelper",
        ]
        process.environment = ProcessInfo.processInfo.environment.merging(["PEAKMQ_SENDFILE_HELPER": portFile]) { $1 }
        let stdin = Pipe()
        process.standardInput = stdin
        process.standardOutput = FileHandle.nullDevice
        let stderr = Pipe()
        process.standardError = stderr
        let errors = StderrCollector(stderr.fileHandleForReading)
        try process.run()
        defer {
            try? stdin.fileHandleForWriting.close()  // the helper exits on EOF
            if process.isRunning { kill(process.processIdentifier, SIGTERM) }
            process.waitUntilExit()
        }
        try await eventually("the helper server reports its port", timeout: .seconds(30)) {
            FileManager.default.fileExists(atPath: portFile) || !process.isRunning
        }
        guard process.isRunning, let port = (try? String(contentsOfFile: portFile, encoding: .utf8)).flatMap({ Int($0) })
        else { try Test.cancel("strace could not run the helper: \(errors.text.prefix(300))") }

        let client = RemotingClient()
        let r = try await client.invoke(RemotingCommand(code: RequestCode.pullMessage.rawValue), to: "127.0.0.1:\(port)")
        #expect(r.body.map { Array($0.readableBytesView) } == Array(SendfileHelper.content[4096..<(4096 + 200_000)]))
        await client.shutdown()
        try stdin.fileHandleForWriting.close()
        process.waitUntilExit()
        let log = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        let calls = log.split(separator: "\n").filter { $0.contains("sendfile(") }
        // e.g. "12345 sendfile(27, 31, [4096] => [204096], 200000) = 200000"
        let sent = calls.compactMap { $0.split(separator: "=").last.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } }
        #expect(sent.reduce(0, +) == 200_000, "sendfile moved the whole region: \(calls)")
        print("observed:\n" + calls.joined(separator: "\n"))
    }
}

/// The server side of ``SendfileTests``, run only in the child process (the
/// environment names the file to write the port to); serves a 200,000-byte
/// region of a 256 KiB file until stdin closes.
@Suite struct SendfileHelper {
    static let content = [UInt8]((0..<(256 * 1024)).map { UInt8(truncatingIfNeeded: $0 &* 31) })

    @Test(.enabled(if: ProcessInfo.processInfo.environment["PEAKMQ_SENDFILE_HELPER"] != nil))
    func serveFileRegionUntilStdinCloses() async throws {
        let portFile = try #require(ProcessInfo.processInfo.environment["PEAKMQ_SENDFILE_HELPER"])
        let path = "\(portFile).data"
        try Data(Self.content).write(to: URL(fileURLWithPath: path))
        defer { unlink(path) }
        let file = try OpenFile(path)
        struct Regions: RemotingInlineProcessor {
            let file: OpenFile
            func process(_ request: RemotingCommand, context: RemotingContext) -> InlineOutcome {
                .response(.fileRegions(
                    header: request.response(.success),
                    regions: [FileRegionSpec(fd: file.fd, offset: 4096, length: 200_000, owner: file)]))
            }
        }
        let (server, address) = try await startServer { $0.register(.pullMessage, inline: Regions(file: file)) }
        let port = String(address.split(separator: ":")[1])
        try Data(port.utf8).write(to: URL(fileURLWithPath: portFile + ".tmp"))
        rename(portFile + ".tmp", portFile)
        // Block a pool thread, not the event loops, until the parent closes our stdin.
        await Task.detached { _ = FileHandle.standardInput.readDataToEndOfFile() }.value
        await server.shutdown()
    }
}

/// Reads a pipe in the background so the child never blocks on it.
final class StderrCollector: Sendable {
    private let buffer = Recorder<String>()

    init(_ handle: FileHandle) {
        let buffer = self.buffer
        handle.readabilityHandler = { h in
            let data = h.availableData
            if data.isEmpty {
                h.readabilityHandler = nil
            } else {
                buffer.append(String(decoding: data, as: UTF8.self))
            }
        }
    }

    var text: String { buffer.all.joined() }
}
