import Foundation
import Testing
@testable import Sampler

/// Runs the built `mqbench` executable (a dependency of this test target, so it
/// sits next to the test bundle) against fake trees.
@Suite("mqbench command line")
struct CommandLineTests {
    static var binary: String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("mqbench").path
    }

    func run(_ arguments: [String], withStderr: Bool = true) throws -> (code: Int32?, output: String) {
        let child = try ChildProcess(Self.binary, arguments, environment: ["HOME": NSTemporaryDirectory(), "PATH": "/usr/bin:/bin"],
                                     withStderr: withStderr)
        let output = child.finish()
        return (child.exitCode, output)
    }

    @Test func doctorExitsOneOnACriticalFailureAndWritesAFixScript() throws {
        let host = try FakeHost(good: false)
        let script = host.root.url.appendingPathComponent("fix.sh").path
        let (code, output) = try run(["doctor", "--root", host.root.url.path, "--store", host.store, "--retention", "1P",
                                      "--fix-script", script])
        #expect(code == 1, "\(output)")
        #expect(output.contains("FAIL    critical  store.filesystem"))
        #expect(output.contains("allocator=jemalloc"))
        let text = try String(contentsOfFile: script, encoding: .utf8)
        #expect(text.contains("sysctl -w vm.swappiness=1"))
        // The fake tree is untouched: the script was only written.
        #expect(try String(contentsOfFile: host.root.fs.path("proc/sys/vm/swappiness"), encoding: .utf8) == "60\n")
    }

    @Test func doctorExitsZeroWithoutCriticalFailures() throws {
        let host = try FakeHost(good: true)
        // Client role: no check is critical for a client, whatever this host's limits are.
        let (code, output) = try run(["doctor", "--role", "client", "--root", host.root.url.path, "--json"])
        #expect(code == 0, "\(output)")
        let json = try #require(output.firstIndex(of: "{"))
        let report = try JSONDecoder().decode(DoctorReport.self, from: Data(output[json...].utf8))
        #expect(report.role == .client && report.checks.contains { $0.id == "thp.enabled" && $0.status == .pass })
    }

    @Test func sampleJSONSeriesFromAFakeTree() throws {
        let root = try FakeRoot()
        try Fixtures.install(root)
        // stdout only: logs go to stderr and would interleave with the buffered JSON.
        let (code, output) = try run(["sample", "--root", root.url.path, "--duration", "300ms", "--interval", "100ms", "--json"],
                                     withStderr: false)
        #expect(code == 0, "\(output)")
        let series = try JSONDecoder().decode(SampleSeries.self, from: Data(output.utf8))
        #expect(series.samples.count == 3)
        #expect(series.samples.allSatisfy { $0.memory.value?.total == 24_000_000 * 1024 })
        #expect(series.samplerCost.reads == 4)
    }

    @Test func badDurationIsRejectedClearly() throws {
        let (code, output) = try run(["sample", "--duration", "5 parsecs"])
        #expect(code != 0)
        #expect(output.contains("invalid duration '5 parsecs'; expected e.g. 30s"))
    }
}
