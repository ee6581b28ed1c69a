/// Which PeakMQ process the host is being prepared for.
public enum Role: String, Sendable, Codable, CaseIterable {
    case broker, namesrv, client
}

/// What the doctor needs to know about the intended deployment. Defaults follow
/// RocketMQ's (`MessageStoreConfig`, `NettyServerConfig`).
public struct DoctorConfig: Sendable, Codable {
    public var role: Role
    /// The store root (RocketMQ default `$HOME/store`). Need not exist yet.
    public var storeDirectory: String
    /// Bytes the store is expected to hold at its retention limit; `nil` = not given,
    /// in which case free-space checks are `unknown` and the map count estimate
    /// assumes the store may fill its file system up to the cleanup threshold.
    public var retentionBytes: UInt64?
    /// CommitLog segment size (mappedFileSizeCommitLog, 1 GiB).
    public var commitLogSegmentBytes: UInt64 = 1 << 30
    /// ConsumeQueue file size (300 000 units × 20 bytes).
    public var consumeQueueFileBytes: UInt64 = 300_000 * 20
    /// Topic-queues hosted by the broker (each has at least one ConsumeQueue file).
    public var queueCount: Int = 1024
    /// Average stored message size, for the ConsumeQueue/index estimate.
    public var averageMessageBytes: UInt64 = 1024
    /// The broker's listen backlog (serverSocketBacklog, 1024).
    public var listenBacklog: Int = 1024
    /// Disk usage above which the store deletes old files (diskMaxUsedSpaceRatio, 75 %).
    public var maxDiskUsedRatio: Double = 0.75
    /// Event-loop and store (flush/dispatch) threads the broker is configured with;
    /// `nil` until a broker configuration exists.
    public var eventLoopThreads: Int?
    public var storeThreads: Int?
    /// Whether mapped segments are pre-touched at creation (warmMapedFileEnable,
    /// the equivalent of -XX:+AlwaysPreTouch); `nil` = not configured yet.
    public var warmMappedFiles: Bool?
    /// Bytes the broker will mlock (transient store pool, warmed segments).
    public var lockedMemoryBytes: UInt64 = 0

    public init(role: Role = .broker, storeDirectory: String, retentionBytes: UInt64? = nil) {
        self.role = role
        self.storeDirectory = storeDirectory
        self.retentionBytes = retentionBytes
    }
}

/// Allocator and process facts that only the executable can supply (it links
/// jemalloc; this module must not), filled from the `Allocator` module.
public struct RuntimeFacts: Sendable, Codable {
    /// e.g. `jemalloc 5.3.0`, or `glibc malloc`.
    public var allocator: String
    /// True when mallctl answered (jemalloc is the live allocator).
    public var jemallocActive: Bool
    public var residentBytes: UInt64?
    /// `opt.background_thread`, `opt.narenas`, `opt.dirty_decay_ms`, `opt.muzzy_decay_ms`.
    public var backgroundThread: Bool?
    public var narenas: Int?
    public var dirtyDecayMilliseconds: Int?
    public var muzzyDecayMilliseconds: Int?
    /// The `MALLOC_CONF` environment variable as seen by the process.
    public var mallocConf: String?

    public init(allocator: String, jemallocActive: Bool, residentBytes: UInt64? = nil, backgroundThread: Bool? = nil,
                narenas: Int? = nil, dirtyDecayMilliseconds: Int? = nil, muzzyDecayMilliseconds: Int? = nil,
                mallocConf: String? = nil) {
        self.allocator = allocator; self.jemallocActive = jemallocActive; self.residentBytes = residentBytes
        self.backgroundThread = backgroundThread; self.narenas = narenas
        self.dirtyDecayMilliseconds = dirtyDecayMilliseconds; self.muzzyDecayMilliseconds = muzzyDecayMilliseconds
        self.mallocConf = mallocConf
    }
}
