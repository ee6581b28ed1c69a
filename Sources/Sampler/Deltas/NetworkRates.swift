/// Per-interface rates over one interval.
///
/// `%ifutil` follows sar (`sa_common.c:compute_ifutil`): full duplex uses the
/// busier direction, max(rx, tx) × 8 / speed; half duplex the sum (rx + tx).
public struct NetworkRates: Sendable, Equatable, Codable {
    public var name: String
    public var rxBytesPerSecond: Double
    public var txBytesPerSecond: Double
    public var rxPacketsPerSecond: Double
    public var txPacketsPerSecond: Double
    public var rxErrorsPerSecond: Double
    public var txErrorsPerSecond: Double
    public var rxDropsPerSecond: Double
    public var txDropsPerSecond: Double
    /// Link speed in Mb/s, `nil` when the driver does not report one.
    public var speedMbps: Int?
    /// Percent of link capacity, `nil` when the speed is unknown (never 0).
    public var utilisation: Double?
    public var anomalies: [CounterAnomaly]

    public static func between(_ old: NetworkCounters, _ new: NetworkCounters, seconds dt: Double) -> NetworkRates {
        var steps = CounterSteps()
        let n = new.name
        let rx = Double(steps.step("\(n).rx_bytes", old.rxBytes, new.rxBytes)) / dt
        let tx = Double(steps.step("\(n).tx_bytes", old.txBytes, new.txBytes)) / dt
        var util: Double?
        if let mbps = new.link?.speedMbps, mbps > 0 {
            let bitsPerSecond = Double(mbps) * 1_000_000
            let carried = (new.link?.fullDuplex ?? true) ? max(rx, tx) : rx + tx
            util = carried * 8 * 100 / bitsPerSecond
        }
        return NetworkRates(
            name: n, rxBytesPerSecond: rx, txBytesPerSecond: tx,
            rxPacketsPerSecond: Double(steps.step("\(n).rx_packets", old.rxPackets, new.rxPackets)) / dt,
            txPacketsPerSecond: Double(steps.step("\(n).tx_packets", old.txPackets, new.txPackets)) / dt,
            rxErrorsPerSecond: Double(steps.step("\(n).rx_errs", old.rxErrors, new.rxErrors)) / dt,
            txErrorsPerSecond: Double(steps.step("\(n).tx_errs", old.txErrors, new.txErrors)) / dt,
            rxDropsPerSecond: Double(steps.step("\(n).rx_drop", old.rxDrops, new.rxDrops)) / dt,
            txDropsPerSecond: Double(steps.step("\(n).tx_drop", old.txDrops, new.txDrops)) / dt,
            speedMbps: new.link?.speedMbps, utilisation: util, anomalies: steps.anomalies)
    }
}
