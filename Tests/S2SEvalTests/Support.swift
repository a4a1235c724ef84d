// Test support for S2SEval: locating fixture files and comparing floating-point scores.
import Foundation
import XCTest

/// Tests/Fixtures/eval, found from this source file's path (no SwiftPM resources needed).
func evalFixture(_ name: String, filePath: StaticString = #filePath) -> String {
    URL(fileURLWithPath: "\(filePath)")
        .deletingLastPathComponent()  // S2SEvalTests
        .deletingLastPathComponent()  // Tests
        .appendingPathComponent("Fixtures/eval/\(name)").path
}

/// Tolerance for comparing our scores with sacreBLEU's. We do the same float operations in the same
/// order as sacreBLEU, so results agree to the last few bits; 1e-9 (on a 0–100 scale) is far
/// tighter than the ±0.01 we promise, and loose enough for a different libm's exp/log.
let sacreBLEUTolerance = 1e-9

func assertClose(
    _ actual: Double, _ expected: Double, tolerance: Double = sacreBLEUTolerance, _ message: String = "",
    file: StaticString = #filePath, line: UInt = #line
) {
    XCTAssertEqual(actual, expected, accuracy: tolerance, message, file: file, line: line)
}
