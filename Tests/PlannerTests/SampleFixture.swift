@testable import Sampler

extension Fixtures {
    /// One sample at `time` with a broker (pid 10) and a generator (pid 20), the store
    /// disk `vda` and an unrelated disk `vdb`, loopback and a 1 Gb/s NIC.
    static func sample(_ time: Double, brokerCPU: Double, write: Double, cached: UInt64) -> Sample {
        func disk(_ name: String, store: Bool, write: Double, util: Double) -> DiskRates {
            DiskRates(name: name, kind: .disk, holdsStore: store, readsPerSecond: 0, writesPerSecond: 100,
                      readBytesPerSecond: 0, writeBytesPerSecond: write, readMergesPerSecond: 0, writeMergesPerSecond: 0,
                      readAwaitMilliseconds: nil, writeAwaitMilliseconds: 0.5, averageQueueSize: 0.1, utilisation: util,
                      inFlight: 0, anomalies: [])
        }
        func nic(_ name: String, rx: Double, tx: Double, speed: Int?) -> NetworkRates {
            NetworkRates(name: name, rxBytesPerSecond: rx, txBytesPerSecond: tx, rxPacketsPerSecond: 0, txPacketsPerSecond: 0,
                         rxErrorsPerSecond: 0, txErrorsPerSecond: 0, rxDropsPerSecond: 0, txDropsPerSecond: 0,
                         speedMbps: speed, utilisation: speed.map { max(rx, tx) * 8 * 100 / (Double($0) * 1e6) }, anomalies: [])
        }
        func process(_ pid: Int32, cpu: Double, rss: UInt64) -> ProcessSample {
            ProcessSample(pid: pid, rates: .available(ProcessRates(
                pid: pid, command: "p\(pid)", cpuPercent: cpu, userPercent: cpu, systemPercent: 0, rssBytes: rss, threads: 4,
                minorFaultsPerSecond: 0, majorFaultsPerSecond: 0, voluntarySwitchesPerSecond: .available(0),
                nonvoluntarySwitchesPerSecond: .available(0), readBytesPerSecond: .available(0), writeBytesPerSecond: .available(0),
                openFiles: .available(10), anomalies: [])))
        }
        var memory = MemoryInfo()
        memory.cached = cached
        memory.dirty = 1000
        return Sample(index: Int(time), time: time, seconds: 1, cpu: .unavailable("not needed"), perCPU: .unavailable("-"),
                      contextSwitchesPerSecond: .available(0), interruptsPerSecond: .available(0), load: .unavailable("-"),
                      memory: .available(memory), paging: .unavailable("-"),
                      disks: .available([disk("vda", store: true, write: write, util: 40), disk("vdb", store: false, write: 9e9, util: 99)]),
                      network: .available([nic("lo", rx: 5e6, tx: 5e6, speed: nil), nic("eth0", rx: 1e6, tx: 2.5e6, speed: 1000)]),
                      cpuPressure: .unavailable("-"), ioPressure: .unavailable("-"), memoryPressure: .unavailable("-"),
                      processes: [process(10, cpu: brokerCPU, rss: 300 << 20), process(20, cpu: 30, rss: 100 << 20)],
                      changes: [], samplerCPUSeconds: 0.001)
    }
}
