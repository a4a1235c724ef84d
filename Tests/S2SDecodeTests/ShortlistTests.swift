// The lexical shortlist at translation time: restricted output columns are the full layer's columns (so a
// "shortlist" of the whole vocabulary changes nothing), search never leaves the list, the normaliser is the
// list's own, and the metadata text survives a round trip and refuses what it cannot trust.
import XCTest
import S2SNet
import S2SText
@testable import S2SDecode

final class ShortlistTests: XCTestCase {
    static let model = SearchTests.model

    /// Each restricted logit equals the full step's logit for that id, and logZ is the log-sum-exp over
    /// the restricted set only.
    func testRestrictedStepScoresTheSameColumns() {
        let model = Self.model
        let V = model.config.targetVocabSize
        let encoded = model.encode([[4, 5, 6], [7, 8]])
        let sentence: [Int32] = [0, 1, 1], previous: [Int32] = [SpecialIds.bos, SpecialIds.bos, 9]
        let state = encoded.initialState.gathered([0, 1, 1])
        let full = StepWorkspace(config: model.config), part = StepWorkspace(config: model.config)
        model.decodeStep(encoded, sentence: sentence, previous: previous, state: state, workspace: full)
        let columns = model.outputColumns([12, 3, 7, 3, 20, 99, -1])   // repeats and out-of-range ids dropped
        XCTAssertEqual(columns.ids, [3, 7, 12, 20])
        model.decodeStep(encoded, sentence: sentence, previous: previous, state: state, workspace: part, columns: columns)
        XCTAssertEqual(part.width, 4)
        XCTAssertEqual(full.width, V)
        for row in 0..<3 {
            var lse = -Double.infinity
            for (c, id) in columns.ids.enumerated() {
                XCTAssertEqual(part.token(c), id)
                let x = Double(part.logits[row * 4 + c])
                XCTAssertEqual(x, Double(full.logits[row * V + Int(id)]), accuracy: 1e-4)
                lse = max(lse, x) + log(1 + exp(-abs(lse - x)))
            }
            XCTAssertEqual(Double(part.logZ[row]), lse, accuracy: 1e-4)
            XCTAssertLessThan(part.logZ[row], full.logZ[row])
        }
    }

    /// A shortlist holding every id gives exactly the unrestricted search; a small one keeps every output
    /// token inside it.
    func testSearchStaysInsideTheColumns() {
        let model = Self.model, V = model.config.targetVocabSize
        let sources = SearchTests.sources
        let everything = model.outputColumns((0..<Int32(V)).map { $0 })
        let plain = beamSearch(model: model, sources: sources, options: BeamOptions(beam: 4, nbest: 2))
        let listed = beamSearch(model: model, sources: sources, options: BeamOptions(beam: 4, nbest: 2), columns: everything)
        XCTAssertEqual(plain, listed)
        XCTAssertEqual(greedySearch(model: model, sources: sources), greedySearch(model: model, sources: sources, columns: everything))

        let allowed: Set<Int32> = [SpecialIds.eos, 5, 9, 11, 14]
        let few = model.outputColumns(Array(allowed))
        let restricted = beamSearch(model: model, sources: sources, options: BeamOptions(beam: 3), columns: few)
        let unrestrictedTokens = Set(plain.flatMap { $0.flatMap(\.hypothesis.tokens) })
        XCTAssertFalse(unrestrictedTokens.isSubset(of: allowed), "the test needs a list that excludes tokens the model uses")
        for list in restricted { for h in list { XCTAssertTrue(Set(h.hypothesis.tokens).isSubset(of: allowed), "\(h.hypothesis.tokens)") } }
        for h in greedySearch(model: model, sources: sources, columns: few) {
            XCTAssertTrue(Set(h.tokens).isSubset(of: allowed), "\(h.tokens)")
        }
        // A list narrower than the beam: only its own pieces are candidates, with real log-probabilities.
        let two = model.outputColumns([SpecialIds.eos, 9])
        for list in beamSearch(model: model, sources: sources, options: BeamOptions(beam: 5, nbest: 2), columns: two) {
            for h in list {
                XCTAssertTrue(h.hypothesis.tokens.allSatisfy { $0 == 9 }, "\(h.hypothesis.tokens)")
                XCTAssertLessThanOrEqual(h.hypothesis.logProb, 0)
            }
        }
    }

    /// A batch's targets are its source pieces' lists, the frequent pieces, </s> and <unk> — nothing else.
    func testTargetsOfABatch() {
        let list = Shortlist(lists: [[], [], [], [], [10, 11], [12], [11, 13]], frequent: [20, 21], pieces: 2)
        XCTAssertEqual(Set(list.targets(for: [[4], [6, 6]])), [10, 11, 13, 20, 21, SpecialIds.eos, SpecialIds.unk])
        XCTAssertEqual(Set(list.targets(for: [[5]])), [12, 20, 21, SpecialIds.eos, SpecialIds.unk])
    }

    func testMetadataRoundTripAndRefusals() throws {
        let list = Shortlist(lists: [[], [3], [4, 5], [9, 8, 7]], frequent: [6, 2], pieces: 3)
        let text = list.encoded()
        XCTAssertEqual(try Shortlist(encoded: text, sourceVocabSize: 4, targetVocabSize: 10), list)
        func refused(_ text: String, source: Int = 4, target: Int = 10, _ expected: String, line: UInt = #line) {
            XCTAssertThrowsError(try Shortlist(encoded: text, sourceVocabSize: source, targetVocabSize: target), line: line) {
                XCTAssertTrue("\($0)".contains(expected), "\($0)", line: line)
            }
        }
        refused(text, target: 9, "target id 9… is outside the vocabulary of 9")
        refused(text, source: 5, "4 source lists but the model's source vocabulary has 5")
        refused(text.replacingOccurrences(of: "v1", with: "v9"), "expected \"s2s-shortlist v1")
        refused(String(text.dropLast()), "does not end with a newline")
        refused(text.replacingOccurrences(of: "9 8 7", with: "9 x 7"), "shortlist line 6: unexpected byte")
        refused(text.replacingOccurrences(of: "v1 3 2", with: "v1 2 2"), "shortlist line 6 holds 3 ids, its header allows 2")
    }
}
