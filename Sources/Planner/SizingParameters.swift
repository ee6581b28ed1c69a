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
        /// The configured value, else the measured one, else the default, recording which.
        func pick(_ name: String, _ configured: Double?, measured: Double? = nil, measuredBasis: String = "",
                  _ fallback: Double, _ unit: PlanUnit, _ basis: String) -> Double {
            if let v = configured { list.append(Assumption(name, amount: v, unit, .configured, "given on the command line")); return v }
            if let v = measured { list.append(Assumption(name, amount: v, unit, .measured, measuredBasis)); return v }
            list.append(Assumption(name, amount: fallback, unit, .default, basis))
            return fallback
        }
        func count(_ name: String, _ configured: Int?, measured: Int? = nil, measuredBasis: String = "", _ fallback: Int, _ basis: String) -> Int {
            Int(pick(name, configured.map(Double.init), measured: measured.map(Double.init), measuredBasis: measuredBasis,
                     Double(fallback), .count, basis))
        }
        let w = input.workload
        let body = pick("message body", config.messageBytes.map(Double.init), measured: w.messageBytes > 0 ? w.messageBytes : nil,
                        measuredBasis: "mean body of the measured sends", 1024, .bytes, "typical 1 KiB body")
        let topic = count("topic name (bytes)", config.topicBytes, measured: w.topicBytes > 0 ? w.topicBytes : nil,
                          measuredBasis: "the measured topic", 20, "a 20-character topic")
        let props = count("properties (bytes)", config.propertiesBytes, measured: w.propertiesBytes,
                          measuredBasis: "mean stored properties", 100,
                          "UNIQ_KEY, KEYS, TAGS and a few user properties (benchmarking.md §5.2)")
        let stored = Double(RecordLayout.recordLength(bodyLength: Int(body.rounded()), topicLength: topic, propertiesLength: props))
            + consumeQueueUnit
        list.append(Assumption("stored bytes per message", amount: stored, .bytes, .default,
                               "CommitLog record 91 B + body + topic + properties (STORE-FORMAT.md) + 20 B ConsumeQueue unit"))
        let replicas = count("copies per message", config.replicas, 2, "1 master + 1 slave (RocketMQ 2m-2s)")
        let flush: FlushMode
        if let f = config.flush {
            flush = f; list.append(Assumption("flush", f.rawValue, .configured, "given on the command line"))
        } else if let f = w.flush {
            flush = f; list.append(Assumption("flush", f.rawValue, .measured, "the measured broker's flushDiskType"))
        } else {
            flush = .async; list.append(Assumption("flush", "ASYNC", .default, "RocketMQ's default ASYNC_FLUSH"))
        }
        let retention = pick("retention", config.retentionSeconds, 72 * 3600, .seconds, "RocketMQ fileReservedTime 72 h")
        let peak = pick("peak duration", config.peakSeconds, 2 * 3600, .seconds, "a promotion peak of 2 h within the retention")
        let groups = count("consumer groups", config.consumerGroups, measured: w.consumerGroups > 0 ? w.consumerGroups : nil,
                           measuredBasis: "groups in the measured runs", 1, "one group")
        let headroom = pick("headroom (max utilisation)", config.headroom, 0.6, .share,
                            "M/M/1 residence time 2.5× service at 60 % (benchmarking.md §5.2); MSK/CKafka CPU < 60 %")
        let failover = pick("utilisation ceiling after losing one master", config.failoverCeiling, 0.85, .share,
                            "N+1: the survivors absorb a failed group's load")
        let fill = pick("disk fill limit", nil, 0.75, .share, "RocketMQ diskMaxUsedSpaceRatio 75 %")
        let hot = pick("hot window in page cache", nil, 30, .seconds, "Kafka ops: ≥ 30 s of writes in memory")
        let lag = pick("consumer lag served from memory", config.consumerLagSeconds, 300, .seconds,
                       "catch-up reads within 5 min of production stay in page cache")
        let lagRatio = pick("lag memory ratio", nil, 0.4, .share, "RocketMQ accessMessageInMemoryMaxRatio 40 %")
        let reserve = pick("OS reserve", nil, gib, .bytes, "kernel, sshd, agents")
        let rss = pick("broker resident memory", nil, measured: input.steps.compactMap(\.resources.brokerRSSBytes).max(),
                       measuredBasis: "largest broker RSS over the steps", gib, .bytes, "1 GiB")
        guard let cpu = costs.brokerCPUForSizing, cpu.slope > 0 else {
            throw PlannerError.notEnoughMeasurements("broker CPU against send rate needs at least two steady steps with broker CPU sampled")
        }
        let readWeight = pick("read stream cost / write path cost", nil, 0.5, .count,
                              "not measured separately: a consumer group or slave is assumed to cost half a write")
        let measuredStreams = 1 + readWeight * Double(w.consumerGroups + w.replicas - 1)
        let writeCPU = cpu.slope / measuredStreams
        let fitText = cpu.throughOrigin == true
            ? "broker cores ÷ send rate, \(TextFormat.fixed(cpu.slope * 1e6, 1)) µs/msg averaged over \(cpu.points) steps (its CPU did not rise with the rate: the host was saturated, so idle cost is included)"
            : "regression slope \(TextFormat.fixed(cpu.slope * 1e6, 1)) µs/msg over \(cpu.points) steps (R² \(TextFormat.fixed(cpu.rSquared, 3)))"
        list.append(Assumption("broker CPU per message (write path)", amount: writeCPU * 1e6, .microseconds, .measured,
                               fitText + " ÷ \(TextFormat.fixed(measuredStreams, 2)) streams measured"))
        list.append(Assumption("idle broker CPU", amount: max(0, cpu.intercept), .cores, .measured, "regression intercept"))
        let measuredStored = Double(RecordLayout.recordLength(bodyLength: Int(w.messageBytes.rounded()), topicLength: w.topicBytes,
                                                              propertiesLength: w.propertiesBytes ?? props)) + consumeQueueUnit
        var disk = stored
        if let d = costs.diskWrite, d.slope > 0 {
            // Write amplification (CommitLog + ConsumeQueue + index + file-system metadata) carries over to other sizes.
            let amplification = max(1, d.slope / measuredStored)
            disk = stored * amplification
            list.append(Assumption("disk bytes written per message", amount: disk, .bytes, .measured,
                                   "regression slope \(TextFormat.bytes(d.slope))/msg = \(TextFormat.fixed(amplification, 2))× the stored size, applied to the planned size"))
        } else {
            list.append(Assumption("disk bytes written per message", amount: disk, .bytes, .default, "stored size, no disk measurement"))
        }
        var wire = body + Double(topic + props) + 200
        if let tx = costs.nicTx, tx.slope > 0 {
            // One host over loopback: every stream (produce + each group's delivery) crosses lo once.
            let perStream = tx.slope / Double(1 + w.consumerGroups)
            wire = max(body, perStream + (body - w.messageBytes))
            list.append(Assumption("wire bytes per message per stream", amount: wire, .bytes, .measured,
                                   "NIC tx slope \(TextFormat.bytes(tx.slope))/msg over \(1 + w.consumerGroups) streams, adjusted to the planned body"))
        } else {
            list.append(Assumption("wire bytes per message per stream", amount: wire, .bytes, .default,
                                   "body + topic + properties + 200 B of request header"))
        }
        let cores = count("largest node (cores)", config.maxNodeCores, 64, "a common large instance")
        let memory = pick("largest node (memory)", config.maxNodeMemoryBytes, 256 * gib, .bytes, "a common large instance")
        let diskMax = pick("largest disk per node", config.maxNodeDiskBytes, 16 * 1024 * gib, .bytes, "16 TiB, a common volume limit")
        let nic = pick("NIC per node", config.nicBitsPerSecond, 10e9, .bitsPerSecond, "10 Gb/s")
        let diskBW = pick("disk write bandwidth per node", config.diskBandwidthBytesPerSecond, measured: diskEstimate(input),
                          measuredBasis: "write rate at which the fitted %util reaches 100 % (misleading on NVMe/RAID, see SAMPLER.md)",
                          250 * 1024 * 1024, .bytesPerSecond, "250 MiB/s, a general-purpose SSD volume")
        let minMasters = count("minimum masters", config.minMasters, 2, "writes continue when one broker group is down")
        let nameServers = count("NameServers", config.nameServers, 2, "stateless; two for availability (RocketMQ deployments)")
        list.append(Assumption("NameServer node", "2 cores, 4 GiB", .default,
                               "holds only the route table; RocketMQ's own NameServer runs in a 4 GiB heap (runserver.sh)"))
        return SizingParameters(
            bodyBytes: body, topicBytes: topic, propertiesBytes: props, storedBytesPerMessage: stored, replicas: replicas,
            flush: flush, retentionSeconds: retention, peakSeconds: peak, consumerGroups: groups, headroom: headroom,
            failoverCeiling: failover, diskMaxFill: fill, hotWindowSeconds: hot, consumerLagSeconds: lag, lagMemoryRatio: lagRatio,
            osReserveBytes: reserve, brokerRSSBytes: rss, writeCPUSecondsPerMessage: writeCPU, idleCores: max(0, cpu.intercept),
            readStreamWeight: readWeight, diskBytesPerMessage: disk, wireBytesPerMessage: wire, maxNodeCores: cores,
            maxNodeMemoryBytes: memory, maxNodeDiskBytes: diskMax, nicBitsPerSecond: nic, diskBandwidthBytesPerSecond: diskBW,
            minMasters: minMasters, nameServers: nameServers, assumptions: list)
    }

    /// The write rate at which the store's disk would reach 100 % busy, from a regression of
    /// %util over write bytes/s across the steady steps. Only when the disk got busy (≥ 20 %)
    /// and %util followed the writes closely (R² ≥ 0.8): on a shared or parallel device it does not.
    static func diskEstimate(_ input: PlannerInput) -> Double? {
        let steps = ResourceCosts.steadySteps(input.steps).filter {
            $0.resources.diskUtilisationPercent != nil && $0.resources.diskWriteBytesPerSecond != nil
        }
        guard steps.contains(where: { $0.resources.diskUtilisationPercent! >= 20 }),
              let fit = LinearFit.fit(steps.map { $0.resources.diskWriteBytesPerSecond! }, steps.map { $0.resources.diskUtilisationPercent! }),
              fit.slope > 0, fit.rSquared >= 0.8 else { return nil }
        return (100 - max(0, fit.intercept)) / fit.slope
    }

    static func duration(_ s: Double) -> String {
        s >= 3600 ? TextFormat.fixed(s / 3600, s.truncatingRemainder(dividingBy: 3600) == 0 ? 0 : 1) + " h"
            : s >= 60 ? TextFormat.fixed(s / 60, 0) + " min" : TextFormat.fixed(s, 0) + " s"
    }

    static func percent(_ v: Double) -> String { PlanUnit.share.text(v) }
    static func fixed2(_ v: Double) -> String { TextFormat.fixed(v, 2) }
}
