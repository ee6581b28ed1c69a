import ArgumentParser
import Sampler

/// `mqbench sample`: the sampler on its own, like sar/pidstat.
struct SampleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Sample CPU, memory, disks, NICs, pressure and processes from /proc."
    )

    @Option(help: "How long to sample (e.g. 30s, 5m, 1h).", transform: DurationOption.parse)
    var duration = DurationOption(seconds: 30)

    @Option(help: "Time between samples (e.g. 1s, 500ms).", transform: DurationOption.parse)
    var interval = DurationOption(seconds: 1)

    @Option(name: .customLong("pid"), help: "A process to follow (repeatable).")
    var pids: [Int32] = []

    @Option(help: "Directory of the broker store; its disk is marked with *.")
    var store: String?

    @Option(help: "Root holding proc/ and sys/ (for testing against a captured tree).")
    var root = "/"

    @Flag(help: "Print the whole series as JSON at the end instead of a table per interval.")
    var json = false

    func validate() throws {
        guard interval.seconds <= duration.seconds else {
            throw ValidationError("--interval (\(interval.seconds)s) is longer than --duration (\(duration.seconds)s)")
        }
    }

    func run() async throws {
        let logger = Startup.begin("sample")
        let fs = ProcFS(root: root)
        var storeDisks: Set<String> = []
        if let store {
            switch BlockTopology(fs: fs).disks(holding: store) {
            case .available(let disks): storeDisks = Set(disks)
            case .unavailable(let why): logger.warning("store disk unknown: \(why)")
            }
        }
        let reader = SnapshotReader(fs: fs, pids: pids, storeDisks: storeDisks)
        // The epsilon keeps 0.3 s / 0.1 s at 3 samples despite binary fractions.
        let count = max(1, Int((duration.seconds / interval.seconds + 1e-9).rounded(.down)))
        let table = !json
        let sampler = Sampler(reader: reader, interval: interval.seconds, count: count) { sample in
            guard table else { return }
            print(SampleTable.lines(sample).joined(separator: "\n"))
        }
        sampler.start()
        await sampler.finished()
        let cost = sampler.cost
        if json {
            try printJSON(SampleSeries(intervalSeconds: interval.seconds, storeDisks: storeDisks.sorted(),
                                       samples: sampler.series, samplerCost: cost))
        }
        logger.info("sampler cost: \(TextFormat.fixed(cost.cpuSeconds * 1000, 1)) ms CPU over \(TextFormat.fixed(cost.wallSeconds, 1)) s = \(TextFormat.fixed(cost.percentOfCore, 3)) % of one core")
    }
}
