import Foundation
import Testing
@testable import Sampler

@Suite("Block topology")
struct TopologyTests {
    @Test func splitsLinuxDeviceNumbers() {
        #expect(BlockTopology.split(device: 0xfe00) == (254, 0))        // vda
        #expect(BlockTopology.split(device: 0x0801) == (8, 1))          // sda1
        // Large numbers use the high bits: major 259 minor 1048575 (nvme).
        let dev: UInt64 = (259 & 0xfff) << 8 | (0xff) | ((1_048_575 & ~0xff) << 12)
        #expect(BlockTopology.split(device: dev) == (259, 1_048_575))
    }

    @Test func partitionResolvesToItsDisk() throws {
        let root = try FakeRoot()
        try root.blockDevice("sda", major: 8, minor: 0)
        try root.blockDevice("sda1", major: 8, minor: 1, parent: "sda")
        let topo = BlockTopology(fs: root.fs)
        #expect(topo.deviceName(major: 8, minor: 1) == "sda1")
        #expect(topo.isPartition("sda1") == true)
        #expect(topo.isPartition("sda") == false)
        #expect(topo.isPartition("nope") == nil)
        #expect(topo.disks(major: 8, minor: 1) == .available(["sda"]))
        #expect(topo.disks(major: 8, minor: 0) == .available(["sda"]))
    }

    @Test func deviceMapperResolvesThroughSlavesToWholeDisks() throws {
        // LVM volume dm-0 striped over a partition of sda and the whole of nvme0n1.
        let root = try FakeRoot()
        try root.blockDevice("sda", major: 8, minor: 0)
        try root.blockDevice("sda2", major: 8, minor: 2, parent: "sda")
        try root.blockDevice("nvme0n1", major: 259, minor: 0)
        try root.blockDevice("dm-0", major: 253, minor: 0, slaves: ["sda2", "nvme0n1"])
        // md RAID on top of dm: md0 -> dm-0.
        try root.blockDevice("md0", major: 9, minor: 0, slaves: ["dm-0"])
        let topo = BlockTopology(fs: root.fs)
        #expect(topo.disks(major: 253, minor: 0) == .available(["nvme0n1", "sda"]))
        #expect(topo.disks(major: 9, minor: 0) == .available(["nvme0n1", "sda"]))
    }

    @Test func anonymousAndUnknownDevicesAreUnavailable() throws {
        let root = try FakeRoot()
        let topo = BlockTopology(fs: root.fs)
        #expect(topo.disks(major: 0, minor: 45).unavailableReason?.contains("not a block device") == true)
        #expect(topo.disks(major: 8, minor: 0).unavailableReason?.contains("no block device") == true)
    }

    @Test func liveStoreDirectoryResolvesToAWholeDisk() throws {
        // On the real host: whatever holds the temp directory is a disk listed in
        // /proc/diskstats, or the reason it cannot be (tmpfs/overlay) is given.
        let result = BlockTopology().disks(holding: FileManager.default.temporaryDirectory.path)
        switch result {
        case .available(let disks):
            let stats = try String(contentsOfFile: "/proc/diskstats", encoding: .utf8)
            for d in disks { #expect(stats.contains(" \(d) ")) }
            #expect(!disks.isEmpty)
        case .unavailable(let reason):
            #expect(!reason.isEmpty)
        }
    }
}
