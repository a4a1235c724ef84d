// swift-tools-version:6.0
// s2s: a neural machine translation toolkit (GRU encoder–decoder with attention) in Swift.
import PackageDescription

let package = Package(
    name: "s2s",
    products: [
        // MARK: - Public products
        .executable(name: "s2s", targets: ["s2s"]),
        .library(name: "S2SText", targets: ["S2SText"]),
        .library(name: "S2SNet", targets: ["S2SNet"]),
        .library(name: "S2SDecode", targets: ["S2SDecode"]),
        .library(name: "S2SEval", targets: ["S2SEval"]),
        .library(name: "S2STrain", targets: ["S2STrain"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
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
        // Open MPI, for training over several processes (Communicator.swift is its only user).
        .systemLibrary(
            name: "CMPI",
            pkgConfig: "ompi-c",
            providers: [.apt(["libopenmpi-dev"])]
        ),

        // MARK: - Internals
        .target(name: "S2SText", dependencies: ["CICUShim"]),
        .target(name: "S2SNet", dependencies: ["COpenBLAS"]),
        .target(name: "S2SDecode", dependencies: ["S2SNet", "S2SText"]),
        .target(name: "S2SEval"),
        .target(name: "S2STrain", dependencies: ["S2SNet", "S2SText", "S2SDecode", "S2SEval", "CMPI"]),
        .executableTarget(name: "s2s-bench", dependencies: ["S2SNet", "S2STrain"]),
        .executableTarget(
            name: "s2s",
            dependencies: [
                "S2SText", "S2SNet", "S2SDecode", "S2SEval", "S2STrain",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: - Tests
        .testTarget(name: "S2STextTests", dependencies: ["S2SText"]),
        .testTarget(name: "S2SNetTests", dependencies: ["S2SNet"]),
        .testTarget(name: "S2SDecodeTests", dependencies: ["S2SDecode", "S2SNet", "S2SText"]),
        .testTarget(name: "S2SEvalTests", dependencies: ["S2SEval"]),
        .testTarget(name: "S2STrainTests", dependencies: ["S2STrain", "S2SNet"]),
        .testTarget(name: "CLITests", dependencies: ["s2s", "S2SNet"]),
    ]
)
