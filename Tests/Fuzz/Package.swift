// swift-tools-version:5.10
// s2s's fuzz targets: one libFuzzer executable per parser that reads what strangers send. Built apart
// from the main package because they only link with -sanitize=fuzzer (libFuzzer's runtime). Run them with `make fuzz` (Scripts/fuzz.sh), which builds:
//   swift build -c release --package-path Tests/Fuzz -Xswiftc -sanitize=fuzzer,address
import PackageDescription

let package = Package(
    name: "s2s-fuzz",
    dependencies: [.package(name: "s2s", path: "../..")],
    targets: [
        .target(name: "FuzzDriver"),
        .executableTarget(name: "FuzzModelFile", dependencies: ["FuzzDriver", .product(name: "S2SDecode", package: "s2s"),
                                                                .product(name: "S2SNet", package: "s2s")]),
        .executableTarget(name: "FuzzTokenizer", dependencies: ["FuzzDriver", .product(name: "S2SText", package: "s2s")]),
        .executableTarget(name: "FuzzCorpus", dependencies: ["FuzzDriver", .product(name: "S2SText", package: "s2s")]),
        .executableTarget(name: "FuzzBLEU", dependencies: ["FuzzDriver", .product(name: "S2SEval", package: "s2s")]),
    ]
)
