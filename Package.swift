// swift-tools-version: 6.1
import PackageDescription

// One direction of dependency (see docs/ARCHITECTURE.md):
//   executables -> feature modules -> Store / Protocol -> system libraries.
let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .unsafeFlags(["-Ounchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "PeakMQ",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "mqstore", targets: ["mqstore"]),
        .executable(name: "mqbench", targets: ["mqbench"]),
        .library(name: "Store", targets: ["Store"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-atomics.git", from: "1.3.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // jemalloc, found through pkg-config (Debian: libjemalloc-dev).
        .systemLibrary(
            name: "CJemalloc",
            path: "Sources/CJemalloc",
            pkgConfig: "jemalloc",
            providers: [.apt(["libjemalloc-dev"])]
        ),
        // Links jemalloc into an executable and reports which allocator is live.
        .target(
            name: "Allocator",
            dependencies: ["CJemalloc"],
            swiftSettings: strict
        ),
        .target(
            name: "Store",
            dependencies: [
                .product(name: "Atomics", package: "swift-atomics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strict,
            linkerSettings: [.linkedLibrary("z")]
        ),
        .executableTarget(
            name: "mqstore",
            dependencies: [
                "Store", "Allocator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "StoreTests",
            dependencies: ["Store", "mqstore"],
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
                "Sampler", "Allocator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
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
                "Store", "Allocator",
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/StoreBenchmarks",
            swiftSettings: strict,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
