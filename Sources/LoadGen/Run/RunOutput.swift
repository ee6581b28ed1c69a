import Foundation
import Metrics
import Profiles
import Sampler
import Synchronization

/// The processes a run samples and what each is: the broker (one entry per pid
/// when it was restarted), the NameServer, and this generator.
final class ProcessRoster: Sendable {
    private let roles = Mutex<[ProcessRole]>([])

    func add(_ pid: Int32, _ role: ProcessRole.Role, note: String? = nil) {
        roles.withLock { r in
            if !r.contains(where: { $0.pid == pid }) { r.append(ProcessRole(pid: pid, role: role, note: note)) }
        }
    }

    var all: [ProcessRole] { roles.withLock { $0 } }
}

/// Builds and writes `DIR/results.json` (Metrics' `RunResults`) from what the
/// run recorded, sampled and knows about its environment.
struct RunOutput {
    let options: RunOptions
    let cluster: EmbeddedCluster?

    func results(recorded: RecordedRun, sampler: Sampler, roster: ProcessRoster, generatorCPU: Double,
                 warnings: [String]) -> RunResults {
        let profile = options.profile
        var env = EnvironmentCollector.collect(storeDirectory: cluster?.configuration.storeDirectory)
        env.cluster = options.nameServers ?? "embedded"
        if let cluster { env.brokerConfig = Self.properties(at: cluster.brokerConf) }
        let disks = cluster.flatMap { c -> [String]? in
            if case .available(let d) = BlockTopology(fs: .live).disks(holding: c.configuration.storeDirectory) { return d }
            return nil
        } ?? []
        let resources = ResourceSeries(
            agent: options.agent.index + 1,
            series: SampleSeries(intervalSeconds: profile.sampleInterval, storeDisks: disks, samples: sampler.series,
                                 samplerCost: sampler.cost),
            processes: roster.all)
        let generator = GeneratorCost.assess(cpuSeconds: generatorCPU, wallSeconds: recorded.window.seconds,
                                             messages: recorded.totals.sent + recorded.totals.received, cores: env.cores,
                                             hostBusyPercent: resources.meanHostBusyPercent)
        let agent = AgentInfo(index: options.agent.index + 1, count: options.agent.count, hostname: env.hostname,
                              pid: getpid(), startAt: options.startAt)
        return RunResults(profile: profile, recorded: recorded, agent: agent, environment: env, resources: resources,
                          generator: generator, warnings: warnings)
    }

    /// `key=value` lines of a properties file (comments and blanks skipped).
    static func properties(at path: String) -> [String: String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [:] }
        var r: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let kv = line.split(separator: "=", maxSplits: 1)
            if kv.count == 2 { r[String(kv[0]).trimmingCharacters(in: .whitespaces)] = String(kv[1]).trimmingCharacters(in: .whitespaces) }
        }
        return r
    }
}
