// `s2s score` run as a user runs it: numbers, JSON, standard input, and the errors for bad files.
import Foundation
import XCTest

final class ScoreCommandTests: XCTestCase {
    private let hyp = fixturePath("eval/french.hyp")
    private let ref = fixturePath("eval/french.ref")

    /// Expected lines from sacrebleu 2.6.0 (see Tests/S2SEvalTests/FixtureScoreTests.swift for the
    /// command that produced them).
    private let frenchBLEU = "BLEU = 51.33 83.1/68.0/50.7/35.6 (BP = 0.908 ratio = 0.912 hyp_len = 83 ref_len = 91)"
    private let frenchCHRF = "chrF2 = 74.81"

    func testPrintsSacreBLEULines() throws {
        let result = try S2SCommand.run(["score", hyp, ref])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdoutLines, [frenchBLEU, frenchCHRF])
        XCTAssertEqual(result.stderr, "")
    }

    func testJSONParsesAndCarriesTheDetails() throws {
        let result = try S2SCommand.run(["score", hyp, ref, "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(try XCTUnwrap(object["bleu"] as? Double), 51.333764988513465, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(object["chrf"] as? Double), 74.80784883616475, accuracy: 1e-9)
        let details = try XCTUnwrap(object["details"] as? [String: Any])
        XCTAssertEqual(details["segments"] as? Int, 8)
        let bleu = try XCTUnwrap(details["bleu"] as? [String: Any])
        XCTAssertEqual(bleu["text"] as? String, frenchBLEU)
        XCTAssertEqual(bleu["hyp_len"] as? Int, 83)
        XCTAssertEqual(bleu["ref_len"] as? Int, 91)
        XCTAssertEqual(bleu["matches"] as? [Int], [69, 51, 34, 21])
        let chrf = try XCTUnwrap(details["chrf"] as? [String: Any])
        XCTAssertEqual(chrf["text"] as? String, frenchCHRF)
    }

    func testSeveralReferenceFiles() throws {
        let result = try S2SCommand.run([
            "score", fixturePath("eval/multiref.hyp"), fixturePath("eval/multiref.ref1"), fixturePath("eval/multiref.ref2"),
        ])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdoutLines, [
            "BLEU = 59.17 95.7/80.0/52.9/42.9 (BP = 0.917 ratio = 0.920 hyp_len = 23 ref_len = 25)",
            "chrF2 = 77.37",
        ])
    }

    func testReadsHypothesesFromStandardInput() throws {
        let text = try String(contentsOfFile: hyp, encoding: .utf8)
        let result = try S2SCommand.run(["score", "-", ref], stdin: text)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdoutLines, [frenchBLEU, frenchCHRF])
    }

    func testMismatchedLineCountsFailWithOneLineNamingFileAndLine() throws {
        let shortRef = fixturePath("eval/short.ref")  // 4 lines against french.hyp's 8
        let result = try S2SCommand.run(["score", hyp, shortRef])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertEqual(result.stdout, "")
        let message = result.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertFalse(message.contains("\n"), "one line: \(message)")
        XCTAssertTrue(message.contains("\(hyp):5:"), message)
        XCTAssertTrue(message.contains(shortRef), message)
    }

    func testInvalidUTF8FailsNamingFileAndLine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("s2s-score-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let latin1 = dir.appendingPathComponent("latin1.txt")
        try Data([0x6F, 0x6B, 0x0A, 0x63, 0x61, 0x66, 0xE9, 0x0A]).write(to: latin1)  // "ok\ncaf\xE9\n"
        let result = try S2SCommand.run(["score", latin1.path, latin1.path])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("\(latin1.path):2: invalid UTF-8"), result.stderr)
    }

    func testMissingReferenceIsAUsageError() throws {
        let result = try S2SCommand.run(["score", hyp])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("reference"), result.stderr)
    }

    func testHelpExplainsTheNumbers() throws {
        let result = try S2SCommand.run(["score", "--help"])
        XCTAssertEqual(result.status, 0, result.stderr)
        // The help is wrapped to the terminal width, so compare with whitespace runs collapsed.
        let help = result.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for phrase in ["sacreBLEU 2.x", "brevity penalty", "chrF2", "--json", "13a", "line-aligned"] {
            XCTAssertTrue(help.contains(phrase), "help should mention \(phrase)")
        }
    }
}
