import Foundation
import Config

/// How appends become durable (RocketMQ `FlushDiskType`).
public enum FlushDiskType: String, Sendable, CaseIterable {
    /// Acknowledge after the page-cache copy; a background thread flushes.
    case asyncFlush = "ASYNC_FLUSH"
    /// Acknowledge only after an msync that covers the message (group commit).
    case syncFlush = "SYNC_FLUSH"
}

/// The store's settings, named and defaulted as RocketMQ's `MessageStoreConfig`
/// (4.9.7) so a broker.conf written for RocketMQ means the same here.
public struct StoreConfig: Sendable, Equatable {
    public var storePathRootDir = NSHomeDirectory() + "/store"
    /// Empty = `<root>/commitlog`.
    public var storePathCommitLog = ""
    public var mappedFileSizeCommitLog = 1_073_741_824
    /// 300,000 units × 20 B.
    public var mappedFileSizeConsumeQueue = 6_000_000
    public var flushDiskType = FlushDiskType.asyncFlush
    public var flushIntervalCommitLog = 500
    public var flushCommitLogLeastPages = 4
    public var flushCommitLogThoroughInterval = 10_000
    public var flushIntervalConsumeQueue = 1000
    public var flushConsumeQueueLeastPages = 2
    public var flushConsumeQueueThoroughInterval = 60_000
    public var syncFlushTimeout = 5000
    /// Hours a segment is kept after its last write.
    public var fileReservedTime = 72
    /// Hours of the day (`;`-separated) when expired files are deleted.
    public var deleteWhen = "04"
    public var diskMaxUsedSpaceRatio = 75
    public var diskSpaceCleanForciblyRatio = 85
    public var diskSpaceWarningLevelRatio = 90
    public var cleanFileForciblyEnable = true
    public var cleanResourceInterval = 10_000
    public var deleteCommitLogFilesInterval = 100
    public var deleteConsumeQueueFilesInterval = 100
    public var destroyMapedFileIntervalForcibly = 120_000
    /// RocketMQ's default is false; PeakMQ's is true because prefaulting the next
    /// segment in the background (clean, see `MappedFile.warm`) makes appends
    /// several times faster and costs no disk writes (docs/PERFORMANCE.md).
    public var warmMapedFileEnable = true
    public var flushLeastPagesWhenWarmMapedFile = 4096
    /// PeakMQ: with warm-up on, how far past the write position pages are kept
    /// mapped writable by a background thread (0 = off, the default: its gain
    /// was not consistent across runs; docs/PERFORMANCE.md). See `WriteAheadPrefaulter`.
    public var warmWriteAheadBytes = 0
    public var maxMessageSize = 4 * 1024 * 1024
    public var checkCRCOnRecover = true
    public var messageIndexEnable = true
    public var maxHashSlotNum = 5_000_000
    public var maxIndexNum = 20_000_000
    public var maxTransferBytesOnMessageInMemory = 256 * 1024
    public var maxTransferCountOnMessageInMemory = 32
    public var maxTransferBytesOnMessageInDisk = 64 * 1024
    public var maxTransferCountOnMessageInDisk = 8
    public var accessMessageInMemoryMaxRatio = 40
    public var osPageCacheBusyTimeOutMills = 1000
    /// Accepted for compatibility: PeakMQ always uses one blocking mutex (see docs/STORE-FORMAT.md).
    public var useReentrantLockWhenPutMessage = true
    /// Accepted for compatibility; PeakMQ has no transient pool (appends go to the mapping).
    public var transientStorePoolEnable = false
    public var maxTopicLength = 127

    public init() {}

    public var commitLogDir: String { storePathCommitLog.isEmpty ? storePathRootDir + "/commitlog" : storePathCommitLog }
    public var consumeQueueDir: String { storePathRootDir + "/consumequeue" }
    public var indexDir: String { storePathRootDir + "/index" }
    public var checkpointPath: String { storePathRootDir + "/checkpoint" }
    public var abortPath: String { storePathRootDir + "/abort" }
    public var lockPath: String { storePathRootDir + "/lock" }
    public var formatPath: String { storePathRootDir + "/store.format" }

    /// Hours of `deleteWhen`.
    public var deleteHours: Set<Int> { Set(deleteWhen.split(separator: ";").compactMap { Int($0.trimmingCharacters(in: " ")) }) }

    /// Sets one key. - Returns: false when the key is not a store key (the
    /// caller decides whether it belongs to someone else or is unknown).
    /// - Throws: `StoreError.invalidConfig` for a known key with a bad value.
    public mutating func set(_ key: String, _ value: String) throws(StoreError) -> Bool {
        func int(_ range: ClosedRange<Int> = 0...Int.max) throws(StoreError) -> Int {
            guard let v = Int(value) else { throw .invalidConfig(key: key, reason: "'\(value)' is not a whole number") }
            guard range.contains(v) else { throw .invalidConfig(key: key, reason: "\(v) is outside \(range.lowerBound)…\(range.upperBound)") }
            return v
        }
        func bool() throws(StoreError) -> Bool {
            switch value.lowercased() {
            case "true": return true
            case "false": return false
            default: throw .invalidConfig(key: key, reason: "'\(value)' is not true or false")
            }
        }
        switch key {
        case "storePathRootDir":
            guard !value.isEmpty else { throw .invalidConfig(key: key, reason: "empty path") }
            storePathRootDir = (value as NSString).expandingTildeInPath
        case "storePathCommitLog": storePathCommitLog = (value as NSString).expandingTildeInPath
        case "mappedFileSizeCommitLog":
            let v = try int(4096...Int(Int32.max))
            guard v % MappedFile.pageSize == 0 else { throw .invalidConfig(key: key, reason: "\(v) is not a multiple of the page size \(MappedFile.pageSize)") }
            mappedFileSizeCommitLog = v
        case "mappedFileSizeConsumeQueue": mappedFileSizeConsumeQueue = try int(20...Int(Int32.max))
        case "flushDiskType":
            guard let t = FlushDiskType(rawValue: value) else {
                throw .invalidConfig(key: key, reason: "'\(value)' is not ASYNC_FLUSH or SYNC_FLUSH")
            }
            flushDiskType = t
        case "flushIntervalCommitLog": flushIntervalCommitLog = try int(1...3_600_000)
        case "flushCommitLogLeastPages": flushCommitLogLeastPages = try int(0...1_000_000)
        case "flushCommitLogThoroughInterval": flushCommitLogThoroughInterval = try int(0...86_400_000)
        case "flushIntervalConsumeQueue": flushIntervalConsumeQueue = try int(1...3_600_000)
        case "flushConsumeQueueLeastPages": flushConsumeQueueLeastPages = try int(0...1_000_000)
        case "flushConsumeQueueThoroughInterval": flushConsumeQueueThoroughInterval = try int(0...86_400_000)
        case "syncFlushTimeout": syncFlushTimeout = try int(1...600_000)
        case "fileReservedTime": fileReservedTime = try int(0...100_000)
        case "deleteWhen":
            let hours = value.split(separator: ";").map { $0.trimmingCharacters(in: " ") }
            guard !hours.isEmpty, hours.allSatisfy({ Int($0).map { (0...23).contains($0) } ?? false }) else {
                throw .invalidConfig(key: key, reason: "'\(value)' must be hours 00–23 separated by ';'")
            }
            deleteWhen = value
        case "diskMaxUsedSpaceRatio":
            // RocketMQ's getter clamps to 10…95; we reject instead of silently clamping.
            diskMaxUsedSpaceRatio = try int(10...95)
        case "diskSpaceCleanForciblyRatio": diskSpaceCleanForciblyRatio = try int(10...99)
        case "diskSpaceWarningLevelRatio": diskSpaceWarningLevelRatio = try int(10...99)
        case "cleanFileForciblyEnable": cleanFileForciblyEnable = try bool()
        case "cleanResourceInterval": cleanResourceInterval = try int(10...86_400_000)
        case "deleteCommitLogFilesInterval": deleteCommitLogFilesInterval = try int(0...60_000)
        case "deleteConsumeQueueFilesInterval": deleteConsumeQueueFilesInterval = try int(0...60_000)
        case "destroyMapedFileIntervalForcibly": destroyMapedFileIntervalForcibly = try int(0...86_400_000)
        case "warmMapedFileEnable": warmMapedFileEnable = try bool()
        case "flushLeastPagesWhenWarmMapedFile": flushLeastPagesWhenWarmMapedFile = try int(1...Int(Int32.max))
        case "warmWriteAheadBytes": warmWriteAheadBytes = try int(0...(1 << 30))
        case "maxMessageSize": maxMessageSize = try int(1...(64 * 1024 * 1024))
        case "checkCRCOnRecover": checkCRCOnRecover = try bool()
        case "messageIndexEnable": messageIndexEnable = try bool()
        case "maxHashSlotNum": maxHashSlotNum = try int(1...50_000_000)
        case "maxIndexNum": maxIndexNum = try int(2...100_000_000)
        case "maxTransferBytesOnMessageInMemory": maxTransferBytesOnMessageInMemory = try int(1...Int(Int32.max))
        case "maxTransferCountOnMessageInMemory": maxTransferCountOnMessageInMemory = try int(1...100_000)
        case "maxTransferBytesOnMessageInDisk": maxTransferBytesOnMessageInDisk = try int(1...Int(Int32.max))
        case "maxTransferCountOnMessageInDisk": maxTransferCountOnMessageInDisk = try int(1...100_000)
        case "accessMessageInMemoryMaxRatio": accessMessageInMemoryMaxRatio = try int(0...100)
        case "osPageCacheBusyTimeOutMills": osPageCacheBusyTimeOutMills = try int(1...600_000)
        case "useReentrantLockWhenPutMessage": useReentrantLockWhenPutMessage = try bool()
        case "transientStorePoolEnable": transientStorePoolEnable = try bool()
        case "maxTopicLength": maxTopicLength = try int(1...127)
        default: return false
        }
        return true
    }

    /// Checks relations between keys once all are set.
    public func validate() throws(StoreError) {
        if diskSpaceCleanForciblyRatio > diskSpaceWarningLevelRatio {
            throw .invalidConfig(key: "diskSpaceCleanForciblyRatio",
                                 reason: "\(diskSpaceCleanForciblyRatio) is above diskSpaceWarningLevelRatio \(diskSpaceWarningLevelRatio): writes would stop before forced cleaning starts")
        }
        // The largest record: body + IPv6 hosts + longest topic + longest properties + room for the blank.
        let largest = maxMessageSize + 115 + maxTopicLength + Int(Int16.max) + 8
        if largest > mappedFileSizeCommitLog {
            throw .invalidConfig(key: "mappedFileSizeCommitLog",
                                 reason: "\(mappedFileSizeCommitLog) cannot hold the largest record (\(largest) bytes with maxMessageSize \(maxMessageSize))")
        }
    }

    /// Builds a config from a properties file, returning keys that are not store keys.
    public static func load(_ file: PropertiesFile) throws(StoreError) -> (StoreConfig, unknown: [PropertiesFile.Entry]) {
        var c = StoreConfig()
        var unknown: [PropertiesFile.Entry] = []
        for e in file.entries {
            do {
                if try !c.set(e.key, e.value) { unknown.append(e) }
            } catch {
                if case .invalidConfig(let key, let reason) = error {
                    throw .invalidConfig(key: key, reason: "\(file.path):\(e.line): \(reason)")
                }
                throw error
            }
        }
        try c.validate()
        return (c, unknown)
    }
}
