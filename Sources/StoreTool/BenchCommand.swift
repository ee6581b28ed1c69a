import ArgumentParser
import Foundation
import Store
import ToolSupport

extension MQStoreCommand {
    /// The store benchmark: the main job until the load generator exists.
    struct Bench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Benchmark the append path (async and group-commit sync flush), dispatch and recovery against a raw write() baseline.",
            discussion: """
                Each async case writes --megabytes of records into a fresh store; the raw
                baseline writes the same bytes with plain write() just before it, so the
                two are measured under the same conditions. Results go to OUT/report.json
                and OUT/report.md.
                """)

        @Option(help: "Where to write report.json and report.md.")
        var out = "reports/store-bench-" + timestampForPath()

        @Option(help: "Directory for the scratch stores (on the disk you want to measure).")
        var scratch = FileManager.default.temporaryDirectory.path

        @Option(help: "Megabytes of records per async append case.")
        var megabytes = 512

        @Option(help: "Seconds per sync-flush case.")
        var syncSeconds = 3.0

        @Option(help: "Messages for the dispatch/recovery case.")
        var dispatchMessages = 1_000_000

        @Flag(help: "A short run (CI smoke): fewer bytes and seconds.")
        var quick = false

        func run() async throws {
            startupLog(makeLogger("mqstore"), "mqstore bench")
            let mb = quick ? 32 : megabytes
            let syncS = quick ? 0.5 : syncSeconds
            let dispatchN = quick ? 50_000 : dispatchMessages
            var results: [StoreWorkloads.Result] = []
            let base = scratch + "/peakmq-bench-\(getpid())"
            try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: base) }
            var caseNo = 0
            func fresh() -> String {
                caseNo += 1
                let d = base + "/case\(caseNo)"
                try? FileManager.default.removeItem(atPath: d)
                return d
            }
            func report(_ r: StoreWorkloads.Result) {
                results.append(r)
                Progress.line(String(format: "%-14@ body %6d B  writers %3d  %9.0f msg/s  %8.1f MB/s  (%@)",
                                     r.name, r.bodyBytes, r.writers, r.messagesPerSecond, r.megabytesPerSecond, r.notes))
            }
            let asyncCases: [(Int, Int, Bool)] = [
                (128, 1, true), (128, 4, true), (1024, 1, true), (1024, 4, true), (16384, 1, true), (16384, 4, true),
                (128, 1, false), (1024, 1, false), (16384, 1, false),
            ]
            for (size, writers, warm) in asyncCases {
                let record = StoreWorkloads.recordLength(bodyBytes: size)
                let n = mb * 1_000_000 / record
                let dir = fresh()
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                report(try StoreWorkloads.rawWrite(directory: dir, bytes: n * record))
                report(try StoreWorkloads.asyncAppend(root: dir, bodyBytes: size, writers: writers, messages: n, warm: warm))
                try? FileManager.default.removeItem(atPath: dir)
            }
            for writers in [1, 16, 256] {
                report(try await StoreWorkloads.syncAppend(root: fresh(), bodyBytes: 1024, writers: writers, seconds: syncS))
            }
            for r in try StoreWorkloads.dispatchAndRecovery(root: fresh(), bodyBytes: 1024, messages: dispatchN) { report(r) }
            let doc = StoreBenchReport(results: results, command: CommandLine.arguments.joined(separator: " "))
            try doc.write(to: out)
            Progress.line("wrote \(out)/report.json and \(out)/report.md")
            print(doc.markdown)
        }
    }
}

/// Progress lines on stderr, so stdout stays the result.
enum Progress {
    static func line(_ s: String) {
        FileHandle.standardError.write(Data((s + "\n").utf8))
    }
}

func timestampForPath() -> String {
    let f = DateFormatter()
    f.dateFormat = "yyyyMMdd-HHmmss"
    f.locale = Locale(identifier: "en_US_POSIX")
    return f.string(from: Date())
}
