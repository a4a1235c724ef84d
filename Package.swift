// swift-tools-version:6.0
// s2s: a neural machine translation toolkit (GRU encoder–decoder with attention) in Swift.
import PackageDescription

let package = Package(
    name: "s2s",
    products: [
        // MARK: - Public products
        .executable(name: "s2s", targets: ["s2s"]),
        .executable(name: "s2s-serve", targets: ["s2s-serve"]),
        .library(name: "S2SText", targets: ["S2SText"]),
        .library(name: "S2SNet", targets: ["S2SNet"]),
        .library(name: "S2SDecode", targets: ["S2SDecode"]),
        .library(name: "S2SEval", targets: ["S2SEval"]),
        .library(name: "S2STrain", targets: ["S2STrain"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // The HTTP service (s2s-serve) only: `s2s` itself links none of these, so `make demo` does not
        // wait for SwiftNIO to build.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // MARK: - C shims
        // ICU behind unversioned wrappers: its public header includes no ICU header.
        .target(name: "CICUShim", linkerSettings: [.linkedLibrary("icuuc")]),
        // OpenBLAS as a system library found through pkg-config.
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        // oneDNN, for int8 products in search (Int8Products.swift is its only user). No pkg-config file.
        .systemLibrary(
            name: "CDNNL",
            providers: [.apt(["libdnnl-dev"])]
        ),
        // Open MPI, for training over several processes (Communicator.swift is its only user).
        .systemLibrary(
            name: "CMPI",
            pkgConfig: "ompi-c",
            providers: [.apt(["libopenmpi-dev"])]
        ),

        // MARK: - Internals
        .target(name: "S2SText", dependencies: ["CICUShim"]),
        .target(name: "S2SNet", dependencies: ["COpenBLAS", "CDNNL"]),
        .target(name: "S2SDecode", dependencies: ["S2SNet", "S2SText"]),
        .target(name: "S2SEval"),
        // Standalone SVG pictures: attention heat maps and training curves.
        .target(name: "S2SPictures", dependencies: ["S2SDecode"]),
        // The HTTP service: routes, request types, the batching queue, metrics.
        .target(
            name: "S2SServe",
            dependencies: [
                "S2SDecode", "S2SNet", "S2SText",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(name: "S2STrain", dependencies: ["S2SNet", "S2SText", "S2SDecode", "S2SEval", "CMPI"]),
        .executableTarget(name: "s2s-bench", dependencies: ["S2SNet", "S2STrain"]),
        .executableTarget(
            name: "s2s",
            dependencies: [
                "S2SText", "S2SNet", "S2SDecode", "S2SEval", "S2STrain", "S2SPictures",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // `s2s serve` runs this executable (beside `s2s`), built by `make serve` or on first use.
        .executableTarget(
            name: "s2s-serve",
            dependencies: ["S2SServe", "S2SNet", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),

        // MARK: - Tests
        .testTarget(name: "S2STextTests", dependencies: ["S2SText"]),
        .testTarget(name: "S2SNetTests", dependencies: ["S2SNet"]),
        .testTarget(name: "S2SDecodeTests", dependencies: ["S2SDecode", "S2SNet", "S2SText"]),
        .testTarget(name: "S2SEvalTests", dependencies: ["S2SEval"]),
        .testTarget(name: "S2STrainTests", dependencies: ["S2STrain", "S2SNet"]),
        .testTarget(name: "S2SPicturesTests", dependencies: ["S2SPictures", "S2SDecode"]),
        .testTarget(name: "CLITests", dependencies: ["s2s", "s2s-serve", "S2SNet"]),
    ]
)
