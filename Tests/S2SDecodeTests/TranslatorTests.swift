// The Translator's text side: an output <unk> takes the source piece it attends to most (BPE continuation
// marks removed), empty input lines give empty output lines without running the model, and the quantized
// output layer a Translator keeps follows the weights once its buffers are released (as validation does).
import XCTest
@testable import S2SNet
import S2SText
@testable import S2SDecode

final class TranslatorTests: XCTestCase {
    func makeTranslator() throws -> Translator {
        let source = try Vocabulary(counts: ["a": 3, "b": 2, "c": 1])
        let target = try Vocabulary(counts: ["x": 3, "y": 2, "z": 1, "￭.": 1])
        let vocabularies = VocabularySet(
            source: source, target: target, bpe: nil,
            sourceOptions: TokenizerOptions(language: "en"), targetOptions: TokenizerOptions(language: "fr"))
        let model = try Seq2Seq(config: ModelConfig(
            sourceVocabSize: source.count, targetVocabSize: target.count, embed: 4, hidden: 4, attention: 4, readout: 4))
        model.initialize(seed: 1)
        return try Translator(model: model, vocabularies: vocabularies)
    }

    func testUnknownOutputCopiesTheMostAttendedSourcePiece() throws {
        let t = try makeTranslator()
        let x = t.target.vocabulary.id("x"), y = t.target.vocabulary.id("y")
        let weights: [[Float]] = [[0.7, 0.2, 0.1, 0], [0.1, 0.1, 0.8, 0], [0.2, 0.6, 0.2, 0], [0, 0, 0, 1]]
        let pieces = t.targetPieces([x, SpecialIds.unk, y], weights: weights, sourcePieces: ["Le", "Zorg@@", "lub"])
        XCTAssertEqual(pieces, ["x", "lub", "y"])
        let other = t.targetPieces([SpecialIds.unk, SpecialIds.unk], weights: [[0.1, 0.9, 0], [0.9, 0.05, 0.05]],
                                   sourcePieces: ["Le", "Zorg@@"])
        XCTAssertEqual(other, ["Zorg", "Le"])
    }

    func testReleasedBuffersRequantizeChangedWeights() throws {
        try XCTSkipUnless(Int8Products.available, "no VNNI: int8 search is off on this CPU")
        let t = try makeTranslator()
        var int8 = TranslationOptions(), float = TranslationOptions()
        int8.precision = .int8
        float.precision = .float32
        let lines = ["a b c", "b a", "c"]
        _ = t.translate(lines, options: int8)
        // Training moves the weights: make "z" win every step (its bias far above the others).
        let z = Int(t.target.vocabulary.id("z"))
        t.model.params.value(t.model.layout.outB)[z] += 50
        t.releaseBuffers()
        let after = t.translate(lines, options: int8), reference = t.translate(lines, options: float)
        XCTAssertEqual(after.map(\.text), reference.map(\.text))
        XCTAssertTrue(after.allSatisfy { $0.text.hasPrefix("z") }, "\(after.map(\.text))")
    }

    func testEmptyLinesStayEmptyAndAligned() throws {
        let t = try makeTranslator()
        let out = t.translate(["", "a b", "   ", "c"])
        XCTAssertEqual(out.count, 4)
        XCTAssertEqual(out[0].text, "")
        XCTAssertEqual(out[2].text, "")
        XCTAssertEqual(t.render(["x", "y", "￭."]), "x y.")
    }
}
