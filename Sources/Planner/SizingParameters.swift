import MessageFormat
import Sampler

/// Every number the sizing model uses, resolved from the configuration, the
/// measurements or a default, with an `Assumption` recording which.
public struct SizingParameters: Sendable, Codable, Equatable {
    public var bodyBytes: Double
    public var topicBytes: Int
    public var propertiesBytes: Int
    /// CommitLog record (RecordLayout: 91 B + body + topic + properties) + 20 B ConsumeQueue unit.
    public var storedBytesPerMessage: Double
    public var replicas: Int
    public var flush: FlushMode
    public var retentionSeconds: Double
    public var peakSeconds: Double
    public var consumerGroups: Int
    public var headroom: Double
    public var failoverCeiling: Double
    public var diskMaxFill: Double
    public var hotWindowSeconds: Double
    public var consumerLagSeconds: Double
    /// Lag beyond this share of RAM is read from disk (accessMessageInMemoryMaxRatio).
    public var lagMemoryRatio: Double
    public var osReserveBytes: Double
    public var brokerRSSBytes: Double
    /// Broker CPU-seconds per message on the write path alone, and idle cores.
    public var writeCPUSecondsPerMessage: Double
    public var idleCores: Double
    /// Cost of serving one more read stream (a consumer group, a slave) relative to the write path.
    public var readStreamWeight: Double
    public var diskBytesPerMessage: Double
    /// Bytes on the wire per message per stream (produce, each consumer group, replication).
    public var wireBytesPerMessage: Double
    public var maxNodeCores: Int
    public var maxNodeMemoryBytes: Double
    public var maxNodeDiskBytes: Double
    public var nicBitsPerSecond: Double
    public var diskBandwidthBytesPerSecond: Double
    public var minMasters: Int
    public var nameServers: Int
    public var assumptions: [Assumption]

    /// The broker CPU-seconds per message on a master, with its read streams.
    public var masterCPUSecondsPerMessage: Double {
        writeCPUSecondsPerMessage * (1 + readStreamWeight * Double(consumerGroups + replicas - 1))
    }
}

extension SizingParameters {
    static let gib = 1024.0 * 1024 * 1024
    static let consumeQueueUnit = 20.0

    /// Resolves every parameter; throws when the measurements cannot give a CPU cost.
    static func resolve(_ config: SizingConfig, _ input: PlannerInput, costs: ResourceCosts) throws -> SizingParameters {
        var list: [Assumption] = []
        func pick<T>(_ name: String, _ configured: T?, measured: T? = nil, measuredBasis: String = "",
                     _ fallback: T, _ basis: String, _ text: (T) -> String) -> T {
            if let v = configured { list.append(Assumption(name, text(v), .configured, "given on the command line")); return v }
            if let v = measured { list.append(Assumption(name, text(v), .measured, measuredBasis)); return v }
            list.append(Assumption(name, text(fallback), .default, basis))
            return fallback
        }
        let bytes = { (v: Double) in TextFormat.bytes(v) }
        let w = input.workload
        let body = pick("message body", config.messageBytes.map(Double.init), measured: w.messageBytes > 0 ? w.messageBytes : nil,
                        measuredBasis: "mean body of the measured sends", 1024, "typical 1 KiB body", bytes)
        let topic = pick("topic name", config.topicBytes, measured: w.topicBytes > 0 ? w.topicBytes : nil,
                         measuredBasis: "the measured topic", 20, "a 20-character topic", { "\($0) B" })
        let props = pick("properties", config.propertiesBytes, measured: w.propertiesBytes,
                         measuredBasis: "mean stored properties", 100,
                         "UNIQ_KEY, KEYS, TAGS and a few user properties (benchmarking.md §5.2)", { "\($0) B" })
        let stored = Double(RecordLayout.recordLength(bodyLength: Int(body.rounded()), topicLength: topic, propertiesLength: props))
            + consumeQueueUnit
        list.append(Assumption("stored bytes per message", TextFormat.fixed(stored, 0) + " B", .default,
                               "CommitLog record 91 B + body + topic + properties (STORE-FORMAT.md) + 20 B ConsumeQueue unit"))
        let replicas = pick("copies per message", config.replicas, 2, "1 master + 1 slave (RocketMQ 2m-2s)", { "\($0)" })
        let flush = pick("flush", config.flush, measured: w.flush, measuredBasis: "the measured broker's flushDiskType",
                         FlushMode.async, "RocketMQ's default ASYNC_FLUSH", { $0.rawValue })
        let retention = pick("retention", config.retentionSeconds, 72 * 3600, "RocketMQ fileReservedTime 72 h", Self.duration)
        let peak = pick("peak duration", config.peakSeconds, 2 * 3600, "a promotion peak of 2 h within the retention", Self.duration)
        let groups = pick("consumer groups", config.consumerGroups, measured: w.consumerGroups > 0 ? w.consumerGroups : nil,
                          measuredBasis: "groups in the measured runs", 1, "one group", { "\($0)" })
        let headroom = pick("headroom (max utilisation)", config.headroom, 0.6,
                            "M/M/1 residence time 2.5× service at 60 % (benchmarking.md §5.2); MSK/CKafka CPU < 60 %", Self.percent)
        let failover = pick("utilisation ceiling after losing one master", config.failoverCeiling, 0.85,
                            "N+1: the survivors absorb a failed group's load", Self.percent)
        let fill = pick("disk fill limit", nil as Double?, 0.75, "RocketMQ diskMaxUsedSpaceRatio 75 %", Self.percent)
        let hot = pick("hot window in page cache", nil as Double?, 30, "Kafka ops: ≥ 30 s of writes in memory", Self.duration)
        let lag = pick("consumer lag served from memory", config.consumerLagSeconds, 300,
                       "catch-up reads within 5 min of production stay in page cache", Self.duration)
        let lagRatio = pick("lag memory ratio", nil as Double?, 0.4, "RocketMQ accessMessageInMemoryMaxRatio 40 %", Self.percent)
        let reserve = pick("OS reserve", nil as Double?, gib, "kernel, sshd, agents", bytes)
        let rss = pick("broker resident memory", nil as Double?,
                       measured: input.steps.compactMap(\.resources.brokerRSSBytes).max(),
                       measuredBasis: "largest broker RSS over the steps", gib, "1 GiB", bytes)
        guard let cpu = costs.brokerCPU, cpu.slope > 0 else {
            throw PlannerError.notEnoughMeasurements("broker CPU against send rate needs at least two steady steps with broker CPU sampled")
        }
        let readWeight = pick("read stream cost / write path cost", nil as Double?, 0.5,
                              "not measured separately: a consumer group or slave is assumed to cost half a write", Self.fixed2)
        let measuredStreams = 1 + readWeight * Double(w.consumerGroups + w.replicas - 1)
        let writeCPU = cpu.slope / measuredStreams
        list.append(Assumption("broker CPU per message (write path)", TextFormat.fixed(writeCPU * 1e6, 1) + " µs", .measured,
                               "regression slope \(TextFormat.fixed(cpu.slope * 1e6, 1)) µs/msg over \(cpu.points) steps (R² \(TextFormat.fixed(cpu.rSquared, 3))) ÷ \(TextFormat.fixed(measuredStreams, 2)) streams measured"))
        list.append(Assumption("idle broker CPU", TextFormat.fixed(max(0, cpu.intercept), 2) + " cores", .measured, "regression intercept"))
        let measuredStored = Double(RecordLayout.recordLength(bodyLength: Int(w.messageBytes.rounded()), topicLength: w.topicBytes,
                                                              propertiesLength: w.propertiesBytes ?? props)) + consumeQueueUnit
        var disk = stored
        if let d = costs.diskWrite, d.slope > 0 {
            // Write amplification (CommitLog + ConsumeQueue + index + file-system metadata) carries over to other sizes.
            let amplification = max(1, d.slope / measuredStored)
            disk = stored * amplification
            list.append(Assumption("disk bytes written per message", bytes(disk), .measured,
                                   "regression slope \(bytes(d.slope))/msg = \(TextFormat.fixed(amplification, 2))× the stored size, applied to the planned size"))
        } else {
            list.append(Assumption("disk bytes written per message", bytes(disk), .default, "stored size, no disk measurement"))
        }
        var wire = body + Double(topic + props) + 200
        if let tx = costs.nicTx, tx.slope > 0 {
            // One host over loopback: every stream (produce + each group's delivery) crosses lo once.
            let perStream = tx.slope / Double(1 + w.consumerGroups)
            wire = max(body, perStream + (body - w.messageBytes))
            list.append(Assumption("wire bytes per message per stream", bytes(wire), .measured,
                                   "NIC tx slope \(bytes(tx.slope))/msg over \(1 + w.consumerGroups) streams, adjusted to the planned body"))
        } else {
            list.append(Assumption("wire bytes per message per stream", bytes(wire), .default, "body + topic + properties + 200 B of request header"))
        }
        let cores = pick("largest node (cores)", config.maxNodeCores, 64, "a common large instance", { "\($0)" })
        let memory = pick("largest node (memory)", config.maxNodeMemoryBytes, 256 * gib, "a common large instance", bytes)
        let diskMax = pick("largest disk per node", config.maxNodeDiskBytes, 16 * 1024 * gib, "16 TiB, a common volume limit", bytes)
        let nic = pick("NIC per node", config.nicBitsPerSecond, 10e9, "10 Gb/s", { TextFormat.fixed($0 / 1e9, 1) + " Gb/s" })
        let diskBW = pick("disk write bandwidth per node", config.diskBandwidthBytesPerSecond, measured: diskEstimate(input),
                          measuredBasis: "write rate ÷ %util at the busiest step (misleading on NVMe/RAID, see SAMPLER.md)",
                          250 * 1024 * 1024, "250 MiB/s, a general-purpose SSD volume", { bytes($0) + "/s" })
        let minMasters = pick("minimum masters", config.minMasters, 2, "writes continue when one broker group is down", { "\($0)" })
        let nameServers = pick("NameServers", config.nameServers, 2, "stateless; two for availability (RocketMQ deployments)", { "\($0)" })
        return SizingParameters(
            bodyBytes: body, topicBytes: topic, propertiesBytes: props, storedBytesPerMessage: stored, replicas: replicas,
            flush: flush, retentionSeconds: retention, peakSeconds: peak, consumerGroups: groups, headroom: headroom,
            failoverCeiling: failover, diskMaxFill: fill, hotWindowSeconds: hot, consumerLagSeconds: lag, lagMemoryRatio: lagRatio,
            osReserveBytes: reserve, brokerRSSBytes: rss, writeCPUSecondsPerMessage: writeCPU, idleCores: max(0, cpu.intercept),
            readStreamWeight: readWeight, diskBytesPerMessage: disk, wireBytesPerMessage: wire, maxNodeCores: cores,
            maxNodeMemoryBytes: memory, maxNodeDiskBytes: diskMax, nicBitsPerSecond: nic, diskBandwidthBytesPerSecond: diskBW,
            minMasters: minMasters, nameServers: nameServers, assumptions: list)
    }

    /// Write bandwidth implied by the busiest step (bytes/s ÷ %util), when the disk was busy enough to tell.
    static func diskEstimate(_ input: PlannerInput) -> Double? {
        let busiest = input.steps.filter { ($0.resources.diskUtilisationPercent ?? 0) >= 20 }
            .max { ($0.resources.diskUtilisationPercent ?? 0) < ($1.resources.diskUtilisationPercent ?? 0) }
        guard let r = busiest?.resources, let w = r.diskWriteBytesPerSecond, let u = r.diskUtilisationPercent, w > 0 else { return nil }
        return w / (u / 100)
    }

    static func duration(_ s: Double) -> String {
        s >= 3600 ? TextFormat.fixed(s / 3600, s.truncatingRemainder(dividingBy: 3600) == 0 ? 0 : 1) + " h"
            : s >= 60 ? TextFormat.fixed(s / 60, 0) + " min" : TextFormat.fixed(s, 0) + " s"
    }

    static func percent(_ v: Double) -> String { TextFormat.fixed(v * 100, 0) + " %" }
    static func fixed2(_ v: Double) -> String { TextFormat.fixed(v, 2) }
}
