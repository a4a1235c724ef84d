// Shared helpers for the S2SText tests: temporary directories and files, and a seeded
// random generator for the property tests (same cases on every run).
import Foundation
import XCTest
@testable import S2SText

/// A fresh directory under the system temp dir, removed by the caller's tearDown.
func makeTemporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "s2s-text-tests-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Writes raw bytes to `directory/name` and returns the path.
@discardableResult
func writeFile(_ directory: String, _ name: String, bytes: [UInt8]) throws -> String {
    let path = directory + "/" + name
    guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
        throw TextError(.io, "test setup could not write \(path)")
    }
    return path
}

@discardableResult
func writeFile(_ directory: String, _ name: String, _ text: String) throws -> String {
    try writeFile(directory, name, bytes: Array(text.utf8))
}

/// SplitMix64: a tiny deterministic generator so property tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Asserts that `body` throws a TextError of `kind` whose message contains every fragment.
func assertTextError(_ kind: TextError.Kind, contains fragments: [String], file: StaticString = #filePath, line: UInt = #line,
                     _ body: () throws -> Void) {
    do {
        try body()
        XCTFail("expected a \(kind) error", file: file, line: line)
    } catch let error as TextError {
        XCTAssertEqual(error.kind, kind, "\(error)", file: file, line: line)
        for fragment in fragments {
            XCTAssertTrue(error.message.contains(fragment), "'\(error.message)' should mention '\(fragment)'", file: file, line: line)
        }
        XCTAssertFalse(error.message.contains("\n"), "error messages are one line", file: file, line: line)
    } catch {
        XCTFail("expected TextError, got \(error)", file: file, line: line)
    }
}
