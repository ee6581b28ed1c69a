import ClusterSupport

extension InProcessCluster {
    /// The load-generator tests' cluster: consume queues for 20,000 messages, a
    /// larger index, and no segment warm-up (fast start).
    static func start() async throws -> InProcessCluster {
        try await start("loadgen") { c in
            c.store.mappedFileSizeConsumeQueue = 20_000 * 20
            c.store.maxIndexNum = 16_384
            c.store.warmMapedFileEnable = false
        }
    }
}
