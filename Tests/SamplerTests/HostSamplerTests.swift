import Foundation
import Testing
@testable import Sampler

@Suite("Sampler on the real host")
struct HostSamplerTests {
    @Test func followsNewPIDsFromTheNextTick() async throws {
        let sampler = Sampler(reader: SnapshotReader(pids: []), interval: 0.05)
        sampler.start()
        sampler.follow(pids: [getpid()])
        // Polls (bounded) until a sample carries this process; none did before the call.
        let deadline = Date().addingTimeInterval(10)
        while !sampler.series.contains(where: { $0.processes.contains { $0.pid == getpid() } }) && Date() < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        sampler.stop()
        await sampler.finished()
        let series = sampler.series
        #expect(series.contains { $0.processes.contains { $0.pid == getpid() } })
        // Once followed, every later sample has it; the first ones (before) had nothing.
        let first = try #require(series.firstIndex { !$0.processes.isEmpty })
        #expect(series[first...].allSatisfy { $0.processes.map(\.pid) == [getpid()] })
        #expect(series[..<first].allSatisfy { $0.processes.isEmpty })
    }

    @Test func producesSaneNumbers() async throws {
        let me = getpid()
        let store = BlockTopology().disks(holding: FileManager.default.temporaryDirectory.path).value ?? []
        let sampler = Sampler(reader: SnapshotReader(pids: [me], storeDisks: Set(store)), interval: 0.25, count: 3)
        sampler.start()
        await sampler.finished()
        let series = sampler.series
        #expect(series.count == 3)
        let cores = Double(ProcessInfo.processInfo.activeProcessorCount)
        for s in series {
            #expect(s.seconds > 0.15 && s.seconds < 2)
            let cpu = try #require(s.cpu.value, "\(s.cpu)")
            for v in [cpu.user, cpu.system, cpu.idle, cpu.iowait, cpu.busy] { #expect(v >= 0 && v <= 100.0001) }
            let sum = cpu.user + cpu.nice + cpu.system + cpu.idle + cpu.iowait + cpu.irq + cpu.softirq + cpu.steal + cpu.guest + cpu.guestNice
            #expect(abs(sum - 100) < 0.01)
            #expect((s.perCPU.value?.count ?? 0) >= 1)
            let mem = try #require(s.memory.value)
            #expect((mem.total ?? 0) > 64 << 20 && (mem.available ?? 0) <= (mem.total ?? 0))
            #expect((s.contextSwitchesPerSecond.value ?? 0) > 0)
            #expect(s.network.value?.contains { $0.name == "lo" } == true)
            for d in s.disks.value ?? [] {
                #expect(d.kind == .disk && d.utilisation >= 0 && d.utilisation <= 100)
            }
            if !store.isEmpty { #expect(s.disks.value?.contains { $0.holdsStore } == true) }
            let mine = try #require(s.processes.first?.rates.value)
            #expect(mine.pid == me && mine.threads >= 1 && mine.rssBytes > 1 << 20)
            #expect(mine.cpuPercent >= 0 && mine.cpuPercent <= cores * 100 + 1)
            #expect((mine.openFiles.value ?? 0) >= 3)
            #expect(mine.writeBytesPerSecond.value != nil)   // our own /proc/self/io is readable
        }
        // Negligible cost: far below 1 % of a core per second of sampling.
        let cost = sampler.cost
        #expect(cost.cpuSeconds / Double(cost.reads) < 0.005, "a read cost \(cost.cpuSeconds / Double(cost.reads)) s of CPU")
        // The series encodes to JSON.
        let json = try JSONEncoder().encode(SampleSeries(intervalSeconds: 0.25, storeDisks: store, samples: series, samplerCost: cost))
        #expect(json.count > 500)
    }
}
