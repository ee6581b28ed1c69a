extension Sample {
    /// Computes the interval between `old` and `new`.
    ///
    /// Sources unavailable at either end are unavailable in the sample. Devices
    /// are matched by name (disks also by major:minor, so a re-created device is
    /// a new one); anything present at only one end is listed in `changes`
    /// instead of producing a rate from a missing baseline.
    public static func between(_ old: Snapshot, _ new: Snapshot, index: Int, samplerCPUSeconds: Double = 0) -> Sample {
        // Monotonic Δt; a zero interval (two reads in the same clock tick) would
        // divide by zero, so it is floored at one microsecond.
        let dt = max(new.monotonic - old.monotonic, 1e-6)
        var changes: [DeviceChange] = []

        let cpu = both(old.stat, new.stat).flatMap { a, b -> Reading<CPUUsage> in
            CPUUsage.between(a.total, b.total, cpu: nil).map { .available($0) } ?? .unavailable("no CPU ticks elapsed")
        }
        let perCPU = both(old.stat, new.stat).map { a, b -> [CPUUsage] in
            changes += diff(Set(a.cpus.keys), Set(b.cpus.keys), kind: .cpu) { "cpu\($0)" }
            return b.cpus.keys.sorted().compactMap { id in
                a.cpus[id].flatMap { CPUUsage.between($0, b.cpus[id]!, cpu: id) }
            }
        }
        let ctxt = both(old.stat, new.stat).flatMap { a, b in
            rate(a.contextSwitches, b.contextSwitches, dt, "ctxt")
        }
        let intr = both(old.stat, new.stat).flatMap { a, b in
            rate(a.interrupts, b.interrupts, dt, "intr")
        }
        let paging = both(old.vm, new.vm).map { PagingRates.between($0, $1, seconds: dt) }

        let disks = both(old.disks, new.disks).map { a, b -> [DiskRates] in
            let before = Dictionary(a.map { ("\($0.name)@\($0.major):\($0.minor)", $0) }, uniquingKeysWith: { x, _ in x })
            let keysA = Set(before.keys)
            let keysB = Set(b.map { "\($0.name)@\($0.major):\($0.minor)" })
            changes += diff(keysA, keysB, kind: .disk) { String($0.prefix { $0 != "@" }) }
            return b.compactMap { d in
                before["\(d.name)@\(d.major):\(d.minor)"].map {
                    DiskRates.between($0, d, seconds: dt, holdsStore: new.storeDisks.contains(d.name))
                }
            }
        }
        let network = both(old.network, new.network).map { a, b -> [NetworkRates] in
            let before = Dictionary(a.map { ($0.name, $0) }, uniquingKeysWith: { x, _ in x })
            changes += diff(Set(before.keys), Set(b.map(\.name)), kind: .interface) { $0 }
            return b.compactMap { nic in before[nic.name].map { NetworkRates.between($0, nic, seconds: dt) } }
        }

        var processes: [ProcessSample] = []
        for (pid, current) in new.processes {
            let previous = old.processes.first { $0.pid == pid }?.counters
            let rates: Reading<ProcessRates>
            switch (previous, current) {
            case (.available(let a)?, .available(let b)):
                if a.stat.startTime == b.stat.startTime {
                    rates = .available(ProcessRates.between(a, b, seconds: dt))
                } else {
                    // Same PID, different start time: the PID was reused.
                    changes.append(DeviceChange(kind: .process, name: "\(pid)", event: .appeared))
                    rates = .unavailable("process \(pid) restarted during the interval")
                }
            case (_, .unavailable(let reason)):
                if previous?.value != nil { changes.append(DeviceChange(kind: .process, name: "\(pid)", event: .vanished)) }
                rates = .unavailable(reason)
            case (_, .available):
                if previous != nil { changes.append(DeviceChange(kind: .process, name: "\(pid)", event: .appeared)) }
                rates = .unavailable("process \(pid) has no baseline yet")
            }
            processes.append(ProcessSample(pid: pid, rates: rates))
        }

        return Sample(
            index: index, time: new.wall, seconds: dt, cpu: cpu, perCPU: perCPU,
            contextSwitchesPerSecond: ctxt, interruptsPerSecond: intr, load: new.load, memory: new.memory,
            paging: paging, disks: disks, network: network,
            cpuPressure: both(old.cpuPressure, new.cpuPressure).map { PressureShare.between($0, $1, seconds: dt) },
            ioPressure: both(old.ioPressure, new.ioPressure).map { PressureShare.between($0, $1, seconds: dt) },
            memoryPressure: both(old.memoryPressure, new.memoryPressure).map { PressureShare.between($0, $1, seconds: dt) },
            processes: processes, changes: changes, samplerCPUSeconds: samplerCPUSeconds)
    }

    /// Pairs two readings; unavailable if either end is (the newer reason wins).
    private static func both<T>(_ a: Reading<T>, _ b: Reading<T>) -> Reading<(T, T)> {
        switch (a, b) {
        case (.available(let x), .available(let y)): return .available((x, y))
        case (_, .unavailable(let r)), (.unavailable(let r), _): return .unavailable(r)
        }
    }

    private static func rate(_ a: UInt64?, _ b: UInt64?, _ dt: Double, _ name: String) -> Reading<Double> {
        guard let a, let b else { return .unavailable("/proc/stat has no \(name) line") }
        var steps = CounterSteps()
        return .available(Double(steps.step(name, a, b)) / dt)
    }

    private static func diff<K: Hashable>(_ old: Set<K>, _ new: Set<K>, kind: DeviceChange.Kind,
                                          name: (K) -> String) -> [DeviceChange] {
        new.subtracting(old).map { DeviceChange(kind: kind, name: name($0), event: .appeared) }
            + old.subtracting(new).map { DeviceChange(kind: kind, name: name($0), event: .vanished) }
    }
}
