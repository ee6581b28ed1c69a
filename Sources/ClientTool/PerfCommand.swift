import ArgumentParser
import Foundation

/// `mqclient perf`: throughput and latency benchmarks of the broker and this
/// client (docs/PERFORMANCE.md, "Broker and client"; `scripts/broker-bench.sh`
/// runs them against release processes).
struct PerfCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "perf",
        abstract: "Benchmark sends and consumption (throughput, latency percentiles).",
        discussion: """
            Examples:
              mqclient perf produce -n 127.0.0.1:9876 -t Bench --size 1024 --window 1024 --duration 20s
              mqclient perf produce -n 127.0.0.1:9876 -t Bench --size 1024 --batch 32 --window 2048 --duration 20s
              mqclient perf produce -n 127.0.0.1:9876 -t Bench --size 1024 --rate 20000 --duration 20s --json
              mqclient perf consume -n 127.0.0.1:9876 -t Bench -g bench_cg --count 1000000 --pull-batch 256
            """,
        subcommands: [PerfProduceCommand.self, PerfConsumeCommand.self])
}

/// Options every perf subcommand takes.
struct PerfOptions: ParsableArguments {
    @Option(name: .customShort("n"), help: ArgumentHelp("NameServer addresses, ';'-separated.", valueName: "host:port"))
    var namesrvAddr: String

    @Option(name: .customShort("t"), help: ArgumentHelp("The topic.", valueName: "topic"))
    var topic: String

    @Flag(help: "Print the result as one JSON object instead of a table.")
    var json = false

    func validate() throws {
        guard !namesrvAddr.split(separator: ";").isEmpty else { throw ValidationError("-n needs at least one host:port") }
    }
}

/// CPU seconds (user + system) this process has used so far.
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return s(usage.ru_utime) + s(usage.ru_stime)
}

/// Monotonic nanoseconds (latency stamps).
func nowNanos() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
