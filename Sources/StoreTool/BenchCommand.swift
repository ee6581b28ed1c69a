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
        var megabytes = 256

        @Option(help: "Seconds per sync-flush case.")
        var syncSeconds = 3.0

        @Option(help: "Messages for the dispatch/recovery case.")
        var dispatchMessages = 1_000_000

        @Option(help: "Seconds to idle after sync before each baseline, so freed memory is cold again (the guest returns it to the host in passes ~2 s apart).")
        var settle = 10.0

        @Option(help: "Rounds for the 1 KiB cases, which carry targets (baseline and append alternate; medians are reported).")
        var rounds = 3

        @Flag(help: "A short run (CI smoke): fewer bytes and seconds, 64 MiB segments, no settling, one round.")
        var quick = false

        func run() async throws {
            startupLog("mqstore bench")
            let mb = quick ? min(32, megabytes) : megabytes
            let syncS = quick ? min(0.5, syncSeconds) : syncSeconds
            let dispatchN = quick ? min(50_000, dispatchMessages) : dispatchMessages
            let settleS = quick ? 0 : settle
            let segment = quick ? 64 << 20 : 1 << 30
            let roundsN = quick ? 1 : max(1, rounds)
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
                var raws: [StoreWorkloads.Result] = []
                var appends: [StoreWorkloads.Result] = []
                for _ in 0..<(size == 1024 ? roundsN : 1) {
                    let dir = fresh()
                    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                    raws.append(try StoreWorkloads.rawWrite(directory: dir, bytes: n * record, settle: settleS, keep: true))
                    appends.append(try StoreWorkloads.asyncAppend(root: dir + "/store", bodyBytes: size, writers: writers,
                                                                  messages: n, warm: warm, segment: segment))
                    try? FileManager.default.removeItem(atPath: dir)
                }
                report(.median(raws))
                report(.median(appends))
            }
            do {
                // Several segments with warming running alongside: the steady state of a busy broker.
                let record = StoreWorkloads.recordLength(bodyBytes: 1024)
                let n = 4 * mb * 1_000_000 / record
                let dir = fresh()
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                report(try StoreWorkloads.rawWrite(directory: dir, bytes: n * record, settle: settleS, keep: true))
                report(try StoreWorkloads.asyncAppend(root: dir + "/store", bodyBytes: 1024, writers: 1, messages: n, warm: true,
                                                      segment: quick ? 32 << 20 : 256 << 20, sustained: true))
                try? FileManager.default.removeItem(atPath: dir)
            }
            do {
                // The optional write-ahead window, same run, against the default warm case above.
                let record = StoreWorkloads.recordLength(bodyBytes: 1024)
                let n = mb * 1_000_000 / record
                let dir = fresh()
                report(try StoreWorkloads.asyncAppend(root: dir, bodyBytes: 1024, writers: 1, messages: n, warm: true,
                                                      segment: segment, writeAhead: 32 << 20))
                try? FileManager.default.removeItem(atPath: dir)
            }
            for size in [128, 1024, 16384] {
                for r in StoreWorkloads.crc(bodyBytes: size, iterations: (quick ? 20 : 200) * 1_000_000 / size) { report(r) }
            }
            for writers in [1, 16, 256] {
                report(try await StoreWorkloads.syncAppend(root: fresh(), bodyBytes: 1024, writers: writers, seconds: syncS,
                                                           settle: settleS / 2))
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
