import Foundation
import Sampler

/// Sampler samples built from their JSON form (the public shape of results),
/// so planner and report tests can describe a host's load without /proc.
public enum SyntheticSample {
    /// The broker's and the generator's pids in every sample.
    public static let brokerPID: Int32 = 10
    public static let generatorPID: Int32 = 20

    /// One 1-second sample at Unix time `time`: host CPU `busy` %, the broker and
    /// generator at `brokerCPU`/`generatorCPU` % of one core, the store disk `vda`
    /// (and an unrelated busy `vdb`), loopback plus a 1 Gb/s `eth0`, and `cached` page cache.
    public static func make(time: Double, busy: Double = 50, brokerCPU: Double, generatorCPU: Double = 30,
                            write: Double, util: Double = 40, loopback: Double = 5e6, cached: Double = 1e9,
                            brokerRSS: Double = 300 * 1_048_576) -> Sample {
        let cpu: [String: Any] = ["user": busy * 0.6, "nice": 0, "system": busy * 0.3, "iowait": 2, "irq": 0, "softirq": busy * 0.1,
                                  "steal": 0, "guest": 0, "guestNice": 0, "idle": 98 - busy, "busy": busy, "anomalies": [Any]()]
        func disk(_ name: String, store: Bool, write: Double, util: Double) -> [String: Any] {
            ["name": name, "kind": "disk", "holdsStore": store, "readsPerSecond": 0, "writesPerSecond": 100, "readBytesPerSecond": 0,
             "writeBytesPerSecond": write, "readMergesPerSecond": 0, "writeMergesPerSecond": 0, "writeAwaitMilliseconds": 0.5,
             "averageQueueSize": 0.1, "utilisation": util, "inFlight": 0, "anomalies": [Any]()]
        }
        func nic(_ name: String, rx: Double, tx: Double, speed: Int?) -> [String: Any] {
            var n: [String: Any] = ["name": name, "rxBytesPerSecond": rx, "txBytesPerSecond": tx, "rxPacketsPerSecond": 0,
                                    "txPacketsPerSecond": 0, "rxErrorsPerSecond": 0, "txErrorsPerSecond": 0, "rxDropsPerSecond": 0,
                                    "txDropsPerSecond": 0, "anomalies": [Any]()]
            if let speed { n["speedMbps"] = speed; n["utilisation"] = max(rx, tx) * 8 * 100 / (Double(speed) * 1e6) }
            return n
        }
        func process(_ pid: Int32, cpu: Double, rss: Double) -> [String: Any] {
            ["pid": pid, "rates": ["pid": pid, "command": "p\(pid)", "cpuPercent": cpu, "userPercent": cpu, "systemPercent": 0,
                                   "rssBytes": UInt64(rss), "threads": 4, "minorFaultsPerSecond": 0, "majorFaultsPerSecond": 0,
                                   "voluntarySwitchesPerSecond": 0, "nonvoluntarySwitchesPerSecond": 0, "readBytesPerSecond": 0,
                                   "writeBytesPerSecond": 0, "openFiles": 10, "anomalies": [Any]()] as [String: Any]]
        }
        let unavailable = ["unavailable": "not sampled"]
        let object: [String: Any] = [
            "index": Int(time) % 100_000, "time": time, "seconds": 1, "cpu": cpu, "perCPU": unavailable,
            "contextSwitchesPerSecond": 1000, "interruptsPerSecond": 500, "load": unavailable,
            "memory": ["total": 24e9, "cached": cached, "dirty": 1e6], "paging": unavailable,
            "disks": [disk("vda", store: true, write: write, util: util), disk("vdb", store: false, write: 9e9, util: 99)],
            "network": [nic("lo", rx: loopback, tx: loopback, speed: nil), nic("eth0", rx: 1e6, tx: 2.5e6, speed: 1000)],
            "cpuPressure": unavailable, "ioPressure": unavailable, "memoryPressure": unavailable,
            "processes": [process(brokerPID, cpu: brokerCPU, rss: brokerRSS), process(generatorPID, cpu: generatorCPU, rss: 100 * 1_048_576)],
            "changes": [Any](), "samplerCPUSeconds": 0.001,
        ]
        let data = try! JSONSerialization.data(withJSONObject: object)
        return try! JSONDecoder().decode(Sample.self, from: data)
    }
}
