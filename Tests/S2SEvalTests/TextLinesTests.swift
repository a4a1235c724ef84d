// Reading evaluation files: line splitting like sacreBLEU's reader, and errors that name the file
// and line.
import Foundation
import XCTest
@testable import S2SEval

final class TextLinesTests: XCTestCase {
    private func split(_ bytes: [UInt8], path: String = "test.txt") throws -> [String] {
        try bytes.withUnsafeBufferPointer { try TextLines.split($0, path: path) }
    }

    func testSplitsOnNewlineLikePythonFileIteration() throws {
        XCTAssertEqual(try split(Array("a\nb".utf8)), ["a", "b"])
        XCTAssertEqual(try split(Array("a\nb\n".utf8)), ["a", "b"], "a final newline ends the last line")
        XCTAssertEqual(try split([]), [])
        XCTAssertEqual(try split(Array("\n".utf8)), [""])
        XCTAssertEqual(try split(Array("\n\nx".utf8)), ["", "", "x"])
        XCTAssertEqual(try split(Array("a\r\nb".utf8)), ["a\r", "b"], "\\r stays; both metrics treat it as space")
        XCTAssertEqual(try split(Array("\u{FEFF}é\n".utf8)).first?.unicodeScalars.first, "\u{FEFF}",
                       "a byte-order mark is kept, as Python's utf-8 codec keeps it")
    }

    func testInvalidUTF8NamesFileLineAndByte() {
        let bytes: [UInt8] = Array("ok\nfine\n".utf8) + [0x63, 0x61, 0x66, 0xE9, 0x0A]  // "caf\xE9": Latin-1 é
        XCTAssertThrowsError(try split(bytes, path: "hyp.txt")) { error in
            XCTAssertEqual(error as? EvalError, .invalidUTF8(path: "hyp.txt", line: 3, byte: 4))
            XCTAssertTrue("\(error)".hasPrefix("hyp.txt:3: invalid UTF-8"), "\(error)")
        }
    }

    func testReadAlignedFilesAndReportMismatchedLineCounts() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("s2s-eval-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let hyp = dir.appendingPathComponent("hyp.txt").path
        let ref = dir.appendingPathComponent("ref.txt").path
        let longRef = dir.appendingPathComponent("long.txt").path
        try "a\nb\n".write(toFile: hyp, atomically: true, encoding: .utf8)
        try "A\nB".write(toFile: ref, atomically: true, encoding: .utf8)
        try "A\nB\nC\n".write(toFile: longRef, atomically: true, encoding: .utf8)

        let segments = try AlignedSegments.read(hypothesisPath: hyp, referencePaths: [ref])
        XCTAssertEqual(segments, AlignedSegments(hypotheses: ["a", "b"], referenceStreams: [["A", "B"]]))

        XCTAssertThrowsError(try AlignedSegments.read(hypothesisPath: hyp, referencePaths: [longRef])) { error in
            XCTAssertEqual(error as? EvalError, .lineCountMismatch(path: longRef, line: 3, otherPath: hyp, otherLines: 2))
            XCTAssertTrue("\(error)".hasPrefix("\(longRef):3: no matching line in \(hyp)"), "\(error)")
        }
        XCTAssertThrowsError(try AlignedSegments.read(hypothesisPath: longRef, referencePaths: [ref])) { error in
            XCTAssertEqual(error as? EvalError, .lineCountMismatch(path: longRef, line: 3, otherPath: ref, otherLines: 2))
        }
        let missing = dir.appendingPathComponent("missing.txt").path
        XCTAssertThrowsError(try AlignedSegments.read(hypothesisPath: missing, referencePaths: [ref])) { error in
            XCTAssertEqual(error as? EvalError, .cannotRead(path: missing, reason: "no such file"))
        }
        XCTAssertThrowsError(try TextLines.read(path: dir.path)) { error in
            XCTAssertEqual(error as? EvalError, .cannotRead(path: dir.path, reason: "it is a directory"))
        }
    }
}
