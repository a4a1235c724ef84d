// A model file written before cells were a choice (format 1: a GRU whose attention query and recurrent
// weights were stored fused as "dec.state") still loads as a GRU and translates exactly as it did. The
// fixture (Tests/Fixtures/legacy-gru-v1) was written by s2s at commit 1a3ebe8, with the translations that
// s2s printed then: `s2s translate --model model.s2s --beam 3 --nbest 2 < source.en` and `--beam 1`.
import Foundation
import XCTest
import S2SNet
@testable import S2SDecode

final class LegacyModelTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/legacy-gru-v1")

    func lines(_ name: String) throws -> [String] {
        try String(contentsOf: Self.fixtures.appendingPathComponent(name), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty }
    }

    func testFormatOneModelLoadsAsGRUAndTranslatesAsBefore() throws {
        let path = Self.fixtures.appendingPathComponent("model.s2s").path
        let header = try SafeTensorsHeader.read(from: path)
        XCTAssertEqual(header.metadata[ModelFile.Key.format], "1")
        XCTAssertNotNil(header["dec.state"], "the fixture must be a format-1 file")
        let translator = try Translator(modelPath: path)
        XCTAssertEqual(translator.model.config.cell, .gru)
        let source = try lines("source.en")

        // float32, as then: int8 products (the default where the CPU has VNNI) move scores in the third decimal.
        var beam = TranslationOptions()
        beam.precision = .float32
        beam.beam = 3
        beam.nbest = 2
        var expected = try lines("beam3-nbest2.txt").makeIterator()
        for (i, t) in translator.translate(source, options: beam).enumerated() {
            for candidate in t.candidates {
                // "N ||| text ||| score" as `s2s translate --nbest` printed it (scores to 4 decimals).
                let fields = expected.next()!.components(separatedBy: " ||| ")
                XCTAssertEqual(fields[0], String(i + 1))
                XCTAssertEqual(candidate.text, fields[1])
                XCTAssertEqual(Double(candidate.score), Double(fields[2])!, accuracy: 5e-5)
            }
        }
        var greedy = TranslationOptions()
        greedy.precision = .float32
        greedy.beam = 1
        XCTAssertEqual(translator.translate(source, options: greedy).map(\.text), try lines("greedy.txt"))
    }
}
