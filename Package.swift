// swift-tools-version: 6.1
// feast: FEAST (Feature Extraction with Adaptive Selection Thresholds) for event streams.
import PackageDescription

/// Release builds of the hot path: bounds checks stay on outside the kernels,
/// which use unsafe buffer pointers and wrapping arithmetic explicitly.
/// `-target-cpu native` (the building machine's instruction set, like the C
/// reference's `-march=native`: AVX-512 on the CI machines) lets the SIMD16
/// kernels use full-width registers. Swift does not contract `a * b + c`
/// into FMA and the kernels reduce lanes in a fixed order, so results are
/// the same bits on every CPU. The binary runs on machines like the one that
/// built it; set FEAST_BASELINE_CPU=1 when building for any x86-64.
#if arch(x86_64)
let baselineCPU = Context.environment["FEAST_BASELINE_CPU"] == "1"
#else
let baselineCPU = true
#endif
let optimise: [SwiftSetting] = [
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
] + (baselineCPU ? [] : [.unsafeFlags(["-target-cpu", "native"], .when(platforms: [.linux], configuration: .release))])

let package = Package(
    name: "feast",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "feast", targets: ["feast"]),
        .library(name: "FeastEvents", targets: ["FeastEvents"]),
        .library(name: "FeastCore", targets: ["FeastCore"]),
        .library(name: "FeastLearning", targets: ["FeastLearning"]),
        .library(name: "FeastAnalysis", targets: ["FeastAnalysis"]),
        .library(name: "FeastSimulator", targets: ["FeastSimulator"]),
        .library(name: "FeastIO", targets: ["FeastIO"]),
        .library(name: "FeastAEDAT4", targets: ["FeastAEDAT4"]),
        .library(name: "FeastBench", targets: ["FeastBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        .systemLibrary(name: "CHDF5", pkgConfig: "hdf5", providers: [.apt(["libhdf5-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CLZ4", pkgConfig: "liblz4", providers: [.apt(["liblz4-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .target(name: "FeastEvents", dependencies: [.product(name: "ZIPFoundation", package: "ZIPFoundation")], swiftSettings: optimise),
        // AEDAT 4 needs LZ4 and zstd: its own module, so FeastEvents stays free of C libraries.
        .target(name: "FeastAEDAT4", dependencies: ["CLZ4", "CZstd", "FeastEvents"], swiftSettings: optimise),
        .target(name: "FeastCore", dependencies: ["FeastEvents"], swiftSettings: optimise),
        .target(name: "FeastLearning", dependencies: ["FeastCore"], swiftSettings: optimise),
        .target(name: "FeastAnalysis", dependencies: ["FeastCore", "FeastLearning"], swiftSettings: optimise),
        .target(name: "FeastSimulator", dependencies: ["FeastEvents"], swiftSettings: optimise),
        .target(name: "FeastIO", dependencies: ["CHDF5", "CPNG", "FeastEvents", "FeastAEDAT4", "FeastCore", "FeastLearning", "FeastAnalysis", "FeastSimulator"], swiftSettings: optimise),
        // Throughput measurements behind `feast bench` (tables through a console).
        .target(name: "FeastBench", dependencies: ["FeastEvents", "FeastCore", "FeastLearning", "FeastAnalysis", "FeastIO"], swiftSettings: optimise),
        .executableTarget(
            name: "feast",
            dependencies: [
                "FeastEvents", "FeastCore", "FeastLearning", "FeastAnalysis", "FeastSimulator", "FeastIO", "FeastBench",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: optimise),
        // Fuzz targets (scripts/fuzz.sh builds them with -sanitize=fuzzer,address
        // in .build-fuzz); a plain build replays the files given as arguments.
        .target(name: "CFuzzDriver", path: "Fuzz/Sources/CFuzzDriver"),
        .target(name: "FuzzSupport", dependencies: ["FeastEvents"], path: "Fuzz/Sources/FuzzSupport"),
        .executableTarget(name: "fuzz-nmnist", dependencies: ["CFuzzDriver", "FuzzSupport", "FeastEvents"], path: "Fuzz/Sources/fuzz-nmnist"),
        .executableTarget(name: "fuzz-csv", dependencies: ["CFuzzDriver", "FuzzSupport", "FeastEvents"], path: "Fuzz/Sources/fuzz-csv"),
        .executableTarget(name: "fuzz-hdf5", dependencies: ["CFuzzDriver", "FuzzSupport", "FeastEvents", "FeastIO"], path: "Fuzz/Sources/fuzz-hdf5"),
        .executableTarget(name: "fuzz-evt2", dependencies: ["CFuzzDriver", "FuzzSupport", "FeastEvents"], path: "Fuzz/Sources/fuzz-evt2"),
        .executableTarget(name: "fuzz-evt3", dependencies: ["CFuzzDriver", "FuzzSupport", "FeastEvents"], path: "Fuzz/Sources/fuzz-evt3"),
        .executableTarget(name: "fuzz-dat", dependencies: ["CFuzzDriver", "FuzzSupport", "FeastEvents"], path: "Fuzz/Sources/fuzz-dat"),
        .executableTarget(name: "fuzz-es", dependencies: ["CFuzzDriver", "FuzzSupport", "FeastEvents"], path: "Fuzz/Sources/fuzz-es"),
        .executableTarget(name: "fuzz-aedat2", dependencies: ["CFuzzDriver", "FuzzSupport", "FeastEvents"], path: "Fuzz/Sources/fuzz-aedat2"),
        .executableTarget(name: "fuzz-aedat3", dependencies: ["CFuzzDriver", "FuzzSupport", "FeastEvents"], path: "Fuzz/Sources/fuzz-aedat3"),
        .executableTarget(name: "fuzz-aedat4", dependencies: ["CFuzzDriver", "FuzzSupport", "FeastEvents", "FeastAEDAT4"], path: "Fuzz/Sources/fuzz-aedat4"),
        .executableTarget(name: "fuzz-network", dependencies: ["CFuzzDriver", "FuzzSupport", "FeastCore", "FeastIO"], path: "Fuzz/Sources/fuzz-network"),
        // Helpers shared by test targets (faery cross-checks).
        .target(name: "FeastTestSupport", dependencies: ["FeastEvents"], path: "Tests/FeastTestSupport"),
        .testTarget(name: "FeastEventsTests", dependencies: ["FeastEvents", "FeastTestSupport"]),
        .testTarget(name: "FeastAEDAT4Tests", dependencies: ["FeastAEDAT4", "FeastTestSupport"]),
        .testTarget(name: "FeastCoreTests", dependencies: ["FeastCore", "FeastTestSupport"]),
        .testTarget(name: "FeastLearningTests", dependencies: ["FeastLearning", "FeastTestSupport"]),
        .testTarget(name: "FeastAnalysisTests", dependencies: ["FeastAnalysis", "FeastSimulator"]),
        .testTarget(name: "FeastSimulatorTests", dependencies: ["FeastSimulator", "FeastTestSupport"]),
        .testTarget(name: "FeastIOTests", dependencies: ["FeastIO"]),
        // Corpus/: malformed inputs and their expected errors (data, not sources).
        .testTarget(name: "FeastCLITests", dependencies: ["feast", "FeastTestSupport"], exclude: ["Corpus"]),
    ]
)
