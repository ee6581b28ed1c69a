import Sampler

extension StepResources {
    /// Averages the sampler's series over a step's window `[from, to]` (Unix seconds,
    /// sample end times): broker and generator CPU from their PIDs, the store disk(s)
    /// (`holdsStore`, or every disk when none is marked), all interfaces, memory at the end.
    public init(samples: [Sample], from: Double, to: Double, brokerPIDs: Set<Int32>, generatorPIDs: Set<Int32>) {
        let window = samples.filter { $0.time > from && $0.time <= to + 1e-6 }
        self.init()
        guard !window.isEmpty else { return }
        func mean(_ values: [Double?]) -> Double? {
            let v = values.compactMap { $0 }
            return v.isEmpty ? nil : v.reduce(0, +) / Double(v.count)
        }
        func cores(_ pids: Set<Int32>) -> [Double?] {
            window.map { s in
                let rates = s.processes.filter { pids.contains($0.pid) }.compactMap(\.rates.value)
                return rates.isEmpty ? nil : rates.map(\.cpuPercent).reduce(0, +) / 100
            }
        }
        brokerCores = brokerPIDs.isEmpty ? nil : mean(cores(brokerPIDs))
        generatorCores = generatorPIDs.isEmpty ? nil : mean(cores(generatorPIDs))
        hostCPUPercent = mean(window.map { $0.cpu.value?.busy })
        let disks = window.map { s -> [DiskRates]? in
            guard let all = s.disks.value else { return nil }
            let store = all.filter(\.holdsStore)
            return store.isEmpty ? all : store
        }
        diskWriteBytesPerSecond = mean(disks.map { $0.map { $0.map(\.writeBytesPerSecond).reduce(0, +) } })
        diskReadBytesPerSecond = mean(disks.map { $0.map { $0.map(\.readBytesPerSecond).reduce(0, +) } })
        diskUtilisationPercent = mean(disks.map { $0?.map(\.utilisation).max() })
        diskWriteAwaitMs = mean(disks.map { $0?.compactMap(\.writeAwaitMilliseconds).max() })
        let nics = window.map(\.network.value)
        nicRxBytesPerSecond = mean(nics.map { $0.map { $0.map(\.rxBytesPerSecond).reduce(0, +) } })
        nicTxBytesPerSecond = mean(nics.map { $0.map { $0.map(\.txBytesPerSecond).reduce(0, +) } })
        nicUtilisationPercent = mean(nics.map { $0?.compactMap(\.utilisation).max() })
        let last = window.last!
        brokerRSSBytes = last.processes.filter { brokerPIDs.contains($0.pid) }.compactMap(\.rates.value)
            .map { Double($0.rssBytes) }.reduce(nil) { ($0 ?? 0) + $1 }
        pageCacheBytes = last.memory.value?.cached.map(Double.init)
        dirtyBytes = last.memory.value?.dirty.map(Double.init)
        let before = samples.last { $0.time <= from + 1e-6 } ?? window.first!
        if let a = before.memory.value?.cached, let b = last.memory.value?.cached, last.time > before.time {
            pageCacheGrowthBytesPerSecond = (Double(b) - Double(a)) / (last.time - before.time)
        }
    }
}
