import Foundation
import TestSupport
import Testing

/// The `mqstore` executable as a user runs it.
@Suite struct ToolTests {
    func run(_ args: [String]) throws -> (status: Int32, out: String, err: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: productsDirectory + "/mqstore")
        p.arguments = args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    @Test func benchWritesAReportWithEveryCaseAndTarget() throws {
        let dir = TempDir("bench"); defer { dir.cleanup() }
        let r = try run(["bench", "--quick", "--megabytes", "4", "--sync-seconds", "0.2", "--dispatch-messages", "5000",
                         "--out", dir.path + "/out", "--scratch", dir.path])
        #expect(r.status == 0, "stderr: \(r.err.suffix(2000))")
        #expect(r.err.contains("allocator=jemalloc 5."), "the start-up line names the allocator and its version")
        let data = try Data(contentsOf: URL(fileURLWithPath: dir.path + "/out/report.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let results = try #require(json["results"] as? [[String: Any]])
        let names = Set(results.compactMap { $0["name"] as? String })
        #expect(names == ["raw-write", "append-async", "append-sync", "dispatch", "recovery-scan", "crc32-zlib", "crc32-pclmul"])
        #expect(results.allSatisfy { ($0["messagesPerSecond"] as? Double ?? 0) > 0 })
        #expect(results.filter { $0["name"] as? String == "append-sync" }.count == 3)
        let targets = try #require(json["targets"] as? [[String: Any]])
        #expect(targets.count == 4)
        #expect(FileManager.default.fileExists(atPath: dir.path + "/out/report.md"))
    }

    @Test func executableRunsOnJemalloc() throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/ldd")
        p.arguments = [productsDirectory + "/mqstore"]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(text.contains("libjemalloc.so"), "ldd: \(text)")
        let dir = TempDir(); defer { dir.cleanup() }
        let v = try run(["verify", "--store", dir.path, "--json"])
        #expect(v.status == 0)
        #expect(v.err.contains("allocator=jemalloc"))
        #expect(v.out.contains("\"lastExitOK\""))
    }

    @Test func badConfigurationIsRefusedWithKeyAndReason() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let conf = dir.path + "/broker.conf"
        try "flushDiskType=SOMETIMES\n".write(toFile: conf, atomically: true, encoding: .utf8)
        let r = try run(["verify", "--store", dir.path + "/s", "--config", conf])
        #expect(r.status != 0)
        #expect(r.err.contains("flushDiskType") && r.err.contains("SOMETIMES"))
    }
}
