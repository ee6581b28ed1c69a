import Allocator
import Foundation
import Sampler

/// Fills the doctor's `RuntimeFacts` from the linked allocator. Lives in the
/// executable so the Sampler module never depends on jemalloc.
enum RuntimeProbe {
    static func current() -> RuntimeFacts {
        // mallctl answering "version" proves jemalloc is the allocator in use.
        let version = Allocator.version
        let active = version != "unknown"
        return RuntimeFacts(
            allocator: active ? "jemalloc \(version.split(separator: "-").first ?? "")" : "unknown (not jemalloc)",
            jemallocActive: active,
            residentBytes: Allocator.statistic("stats.resident").map { UInt64($0) },
            backgroundThread: Allocator.option("opt.background_thread").map { $0 == "true" },
            narenas: Allocator.option("opt.narenas").flatMap { Int($0) },
            dirtyDecayMilliseconds: Allocator.option("opt.dirty_decay_ms").flatMap { Int($0) },
            muzzyDecayMilliseconds: Allocator.option("opt.muzzy_decay_ms").flatMap { Int($0) },
            mallocConf: ProcessInfo.processInfo.environment["MALLOC_CONF"])
    }
}
