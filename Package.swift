// swift-tools-version: 6.1
import PackageDescription

// One direction of dependency (see docs/ARCHITECTURE.md):
//   executables -> feature modules -> Store / Protocol -> system libraries.
// Release: no overflow/bounds traps and no dynamic exclusivity checks (the
// checks cost a runtime call per class-property access on the message path;
// debug builds, which run the tests, keep them all).
let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .unsafeFlags(["-Ounchecked", "-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "PeakMQ",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "mqstore", targets: ["mqstore"]),
        .executable(name: "mqnamesrv", targets: ["mqnamesrv"]),
        .executable(name: "mqbench", targets: ["mqbench"]),
        .executable(name: "mqbroker", targets: ["mqbroker"]),
        .executable(name: "mqadmin", targets: ["mqadmin"]),
        .library(name: "Remoting", targets: ["Remoting"]),
        .library(name: "NameServer", targets: ["NameServer"]),
        .library(name: "Store", targets: ["Store"]),
        .library(name: "MessageFormat", targets: ["MessageFormat"]),
        .library(name: "Protocol", targets: ["Protocol"]),
        .library(name: "Client", targets: ["Client"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-atomics.git", from: "1.3.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
    ],
    targets: [
        // jemalloc, found through pkg-config (Debian: libjemalloc-dev).
        .systemLibrary(
            name: "CJemalloc",
            path: "Sources/CJemalloc",
            pkgConfig: "jemalloc",
            providers: [.apt(["libjemalloc-dev"])]
        ),
        // zlib: CRC32 of bodies, and (de)compression of large bodies as RocketMQ clients do.
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // CRC-32 with carry-less multiplication (zlib for the tail and on other CPUs).
        .target(
            name: "CFastCRC",
            dependencies: ["CZlib"],
            path: "Sources/CFastCRC",
            cSettings: [.unsafeFlags(["-O3"])],
            linkerSettings: [.linkedLibrary("z")]
        ),
        // Linux file calls Swift's Glibc module does not declare (fallocate modes).
        .target(
            name: "CFileOps",
            path: "Sources/CFileOps"
        ),
        // The message record layout shared by the store (on disk) and the protocol (pull bodies).
        .target(
            name: "MessageFormat",
            dependencies: ["CZlib", "CFastCRC"],
            swiftSettings: strict
        ),
        // The RocketMQ remoting wire protocol: frames, codes, headers, bodies. Pure values, no I/O.
        .target(
            name: "Protocol",
            dependencies: [
                "MessageFormat", "CZlib",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // Links jemalloc into an executable and reports which allocator is live.
        .target(
            name: "Allocator",
            dependencies: ["CJemalloc"],
            swiftSettings: strict
        ),
        // Java-style .properties files (broker.conf, namesrv.conf), shared by the
        // store and the servers' configurations.
        .target(
            name: "Config",
            swiftSettings: strict
        ),
        // What every PeakMQ executable's command does the same way: run as root
        // command, log the allocator line, wait for SIGTERM/SIGINT.
        .target(
            name: "ToolSupport",
            dependencies: [
                "Allocator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // SwiftNIO server and client channels for the remoting protocol.
        .target(
            name: "Remoting",
            dependencies: [
                "Protocol",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // The NameServer: route table, broker liveness, KV config, on Remoting.
        .target(
            name: "NameServer",
            dependencies: [
                "Remoting", "Protocol", "Config", "MessageFormat",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // The mqnamesrv command's implementation; the executable stays a one-line main.
        .target(
            name: "NameServerTool",
            dependencies: [
                "NameServer", "Config", "ToolSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "mqnamesrv",
            dependencies: ["NameServerTool", "ToolSupport"],
            swiftSettings: strict
        ),
        .target(
            name: "Store",
            dependencies: [
                "MessageFormat", "Config", "CFileOps",
                .product(name: "Atomics", package: "swift-atomics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strict
        ),
        // The mqstore command's implementation; the executable stays a one-line main.
        .target(
            name: "StoreTool",
            dependencies: [
                "Store", "Allocator", "MessageFormat", "Config", "ToolSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "mqstore",
            dependencies: ["StoreTool", "ToolSupport"],
            swiftSettings: strict
        ),
        // Helpers shared by the test targets (temp dirs, polling, the products directory).
        .target(
            name: "TestSupport",
            path: "Tests/TestSupport",
            swiftSettings: strict
        ),
        // The in-process NameServer + broker that tool and load-generator tests run against.
        .target(
            name: "ClusterSupport",
            dependencies: ["TestSupport", "Broker", "NameServer", "Client",
                           .product(name: "Logging", package: "swift-log")],
            path: "Tests/ClusterSupport",
            swiftSettings: strict
        ),
        .testTarget(
            name: "MessageFormatTests",
            dependencies: ["MessageFormat"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ProtocolTests",
            dependencies: [
                "TestSupport", "Protocol", "MessageFormat",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "StoreTests",
            dependencies: [
                "TestSupport","Store", "Config", "MessageFormat", "mqstore"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "RemotingTests",
            dependencies: [
                "TestSupport",
                "Remoting", "Protocol",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "NameServerTests",
            dependencies: [
                "TestSupport",
                "NameServer", "NameServerTool", "Remoting", "Protocol", "mqnamesrv",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // The broker: topics, send/pull processors, consumer offsets, clients, on Store and Remoting.
        .target(
            name: "Broker",
            dependencies: [
                "Store", "Remoting", "Protocol", "MessageFormat", "Config",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // The mqbroker command's implementation; the executable stays a one-line main.
        .target(
            name: "BrokerTool",
            dependencies: [
                "Broker", "Config", "ToolSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "mqbroker",
            dependencies: ["BrokerTool", "ToolSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "BrokerTests",
            dependencies: [
                "TestSupport",
                "Broker", "Remoting", "Protocol", "MessageFormat", "Store", "mqbroker",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // The client library: producer, pull and push consumers (async/await), on Remoting.
        .target(
            name: "Client",
            dependencies: [
                "Remoting", "Protocol", "MessageFormat",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // The mqclient command (produce and consume from the command line, for
        // interoperability checks and scripts); the executable stays a one-line main.
        // Not a product: a tool for tests and operators, documented in docs/CLIENT.md.
        .target(
            name: "ClientTool",
            dependencies: [
                "Client", "MessageFormat", "Metrics", "Protocol", "Sampler", "ToolSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "mqclient",
            dependencies: ["ClientTool", "ToolSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ClientToolTests",
            dependencies: ["TestSupport", "ClusterSupport", "ClientTool", "Client", "Broker", "NameServer", "mqclient"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ClientTests",
            dependencies: [
                "TestSupport",
                "Client", "Broker", "Remoting", "Protocol", "MessageFormat", "Store",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // The mqadmin commands (tables and JSON) on the Client library's AdminClient.
        .target(
            name: "AdminTool",
            dependencies: [
                "Client", "Protocol", "MessageFormat", "ToolSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "mqadmin",
            dependencies: ["AdminTool", "ToolSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "AdminToolTests",
            dependencies: [
                "TestSupport", "ClusterSupport",
                "AdminTool", "Client", "Broker", "NameServer", "Protocol", "MessageFormat", "mqadmin",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // /proc and /sys readers, the resource sampler and the `doctor` rules.
        // Depends on nothing but the C library so every executable can embed it.
        .target(
            name: "Sampler",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "mqbench",
            dependencies: [
                "Sampler", "Profiles", "Metrics", "LoadGen", "Planner", "Report", "Sweep", "Allocator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // What a run measures and keeps: latency histograms (HdrHistogram), interval
        // series, delivery verification, SLO outcomes, the results.json schema and merging.
        .target(
            name: "Metrics",
            dependencies: ["Profiles", "Sampler", .product(name: "Histogram", package: "hdrhistogram-swift")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "MetricsTests",
            dependencies: ["TestSupport", "Metrics", "Profiles", "Sampler", "mqbench"],
            swiftSettings: strict
        ),
        // Load profiles: the YAML schema of a run, parsed and validated.
        .target(
            name: "Profiles",
            dependencies: ["Sampler", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ProfilesTests",
            dependencies: ["TestSupport", "Profiles", "mqbench"],
            swiftSettings: strict
        ),
        // The load generator proper: rate schedules, producer and consumer fleets,
        // the embedded cluster, the fault timeline.
        .target(
            name: "LoadGen",
            dependencies: [
                "Profiles", "Metrics", "Sampler", "Client", "MessageFormat", "Protocol", "Remoting",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "LoadGenTests",
            dependencies: [
                "TestSupport", "ClusterSupport", "LoadGen", "Profiles", "Metrics", "Client", "Broker", "NameServer", "MessageFormat",
                "mqbench", "mqbroker", "mqnamesrv",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Capacity planning from measured steps: the USL fit, per-message resource
        // costs by regression, and the cluster sizing for target rates.
        .target(
            name: "Planner",
            dependencies: ["Metrics", "Profiles", "Sampler", "MessageFormat"],
            swiftSettings: strict
        ),
        // Synthetic run results and sampler series for the planner's and the reports' tests.
        .target(
            name: "BenchFixtures",
            dependencies: ["Metrics", "Profiles", "Sampler"],
            path: "Tests/BenchFixtures",
            swiftSettings: strict
        ),
        .testTarget(
            name: "PlannerTests",
            dependencies: ["TestSupport", "BenchFixtures", "Planner", "Sampler", "Metrics", "Profiles", "mqbench"],
            swiftSettings: strict
        ),
        // Reports: the document model, hand-written SVG charts, and the Markdown,
        // HTML and JSON writers that run, sweep and plan reports go through.
        .target(
            name: "Report",
            dependencies: ["Planner", "Metrics", "Sampler"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ReportTests",
            dependencies: ["TestSupport", "BenchFixtures", "Report", "Planner", "Metrics", "Profiles", "Sampler", "CZlib"],
            swiftSettings: strict
        ),
        // `mqbench sweep`: steps a profile's offered rate up to the host's knee, one
        // LoadGen run per step, analysed by the Planner and written by Report.
        .target(
            name: "Sweep",
            dependencies: [
                "LoadGen", "Planner", "Report", "Metrics", "Profiles", "Sampler",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SweepTests",
            dependencies: ["TestSupport", "Sweep", "Planner", "Profiles", "Metrics", "mqbench", "mqbroker", "mqnamesrv"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SamplerTests",
            dependencies: ["Sampler", "mqbench"],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "StoreBenchmarks",
            dependencies: [
                "Store", "StoreTool", "MessageFormat", "Allocator",
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/StoreBenchmarks",
            swiftSettings: strict,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
