import Benchmark
import Foundation
import MessageFormat
import Store
import StoreTool

// Store micro-benchmarks (ordo-one/benchmark). Run with:
//   swift package --disable-sandbox benchmark --target StoreBenchmarks
// `mqstore bench` runs the same workloads as one report with the raw write()
// baseline measured in the same run (docs/PERFORMANCE.md).

private func scratch(_ name: String) -> String {
    let d = FileManager.default.temporaryDirectory.path + "/peakmq-benchmark-\(name)-\(getpid())"
    try? FileManager.default.removeItem(atPath: d)
    try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
    return d
}

private func appendBenchmark(_ bodyBytes: Int, warm: Bool) -> (Benchmark) -> Void {
    { benchmark in
        let dir = scratch("append-\(bodyBytes)")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var c = StoreConfig()
        c.storePathRootDir = dir
        c.warmMapedFileEnable = warm
        c.messageIndexEnable = false
        guard let store = try? MessageStore(config: c) else { fatalError("cannot open a store in \(dir)") }
        defer { store.shutdown() }
        let body = [UInt8](repeating: 0x5A, count: bodyBytes)
        let f = RecordFields(topic: "BenchTopic", queueId: 0, bornTimestamp: 1)
        body.withUnsafeBytes { b in
            store.putMessage(f, body: b) { _ in }  // creates the first segment, untimed
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                store.putMessage(f, body: b) { r in blackHole(r.wroteOffset) }
            }
            benchmark.stopMeasurement()
        }
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .cpuTotal, .mallocCountTotal],
        scalingFactor: .kilo, maxDuration: .seconds(5), maxIterations: 50)

    Benchmark("append async 128 B", closure: appendBenchmark(128, warm: true))
    Benchmark("append async 1 KiB", closure: appendBenchmark(1024, warm: true))
    Benchmark("append async 16 KiB", configuration: .init(scalingFactor: .one, maxIterations: 20_000),
              closure: appendBenchmark(16384, warm: true))
    Benchmark("append async 1 KiB cold", closure: appendBenchmark(1024, warm: false))

    Benchmark("raw write() baseline 1 MiB chunks", configuration: .init(scalingFactor: .one, maxIterations: 512)) { benchmark in
        let dir = scratch("raw")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fd = open(dir + "/raw", O_CREAT | O_WRONLY | O_TRUNC, 0o644)
        defer { close(fd) }
        let chunk = [UInt8](repeating: 0x5A, count: 1 << 20)
        chunk.withUnsafeBytes { b in
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { blackHole(write(fd, b.baseAddress!, b.count)) }
            benchmark.stopMeasurement()
        }
    }

    Benchmark("record encode 1 KiB", configuration: .init(scalingFactor: .mega)) { benchmark in
        let body = [UInt8](repeating: 0x5A, count: 1024)
        let f = RecordFields(topic: "BenchTopic", queueId: 3, bornTimestamp: 1, properties: "KEYS\u{1}order-1\u{2}")
        let out = UnsafeMutableRawPointer.allocate(byteCount: 2048, alignment: 8)
        defer { out.deallocate() }
        body.withUnsafeBytes { b in
            for _ in benchmark.scaledIterations { blackHole(RecordEncoder.encode(f, body: b, into: out)) }
        }
    }

    Benchmark("sync flush group commit, 256 writers (1 KiB)",
              configuration: .init(metrics: [.wallClock, .throughput], scalingFactor: .one, maxDuration: .seconds(5), maxIterations: 1)) { benchmark in
        let dir = scratch("sync")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // One iteration = 3 s of 256 writers; throughput is reported in the result's notes by mqstore bench.
        let r = try await StoreWorkloads.syncAppend(root: dir, bodyBytes: 1024, writers: 256, seconds: 3)
        blackHole(r.messagesPerSecond)
    }
}
