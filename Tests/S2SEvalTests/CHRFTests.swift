// chrF on small in-memory cases: sacreBLEU's edge cases (empty sides, sentences shorter than the
// n-gram order, several references), hand-derived values, and input errors.
import XCTest
@testable import S2SEval

final class CHRFTests: XCTestCase {
    /// Produced with sacrebleu 2.6.0 (Python 3.11.7), for each (hyps, refs) below:
    ///   python3 -c "import sacrebleu; c=sacrebleu.corpus_chrf(hyps, refs); print(repr(c.score), c)"
    static let sacreBLEUCases: [(hyps: [String], refs: [[String]], score: Double, text: String)] = [
        ([""], [["abc"]], 0.0, "chrF2 = 0.00"),
        (["abc"], [[""]], 0.0, "chrF2 = 0.00"),
        ([""], [[""]], 0.0, "chrF2 = 0.00"),
        (["ab"], [["abcdefgh"]], 23.404255319148938, "chrF2 = 23.40"),
        (["abcdefgh"], [["ab"]], 55.00000000000001, "chrF2 = 55.00"),
        (["a b c"], [["abc"]], 100.0, "chrF2 = 100.00"),
        (["", "chat noir", "x"], [["le chien", "chat noir", ""]], 61.15061771293986, "chrF2 = 61.15"),
        (["Chat"], [["chat"]], 47.91666666666667, "chrF2 = 47.92"),
        (["e\u{301}te\u{301}"], [["\u{E9}t\u{E9}"]], 9.803921568627452, "chrF2 = 9.80"),
        (["aaaa"], [["aa"]], 78.12499999999999, "chrF2 = 78.12"),
        (["le chat dort", "il pleut"], [["le chat dort bien", "il neige"], ["un chat dort", "il pleut"]],
         81.75697940403825, "chrF2 = 81.76"),
    ]

    func testEdgeCasesMatchSacreBLEU() throws {
        for c in Self.sacreBLEUCases {
            let chrf = try CHRF.corpusScore(hypotheses: c.hyps, referenceStreams: c.refs)
            assertClose(chrf.score, c.score, "\(c.hyps) vs \(c.refs)")
            XCTAssertEqual(chrf.description, c.text, "\(c.hyps) vs \(c.refs)")
        }
    }

    /// "ab" against "abcdefgh": only orders 1 and 2 exist on both sides, so only they are averaged.
    /// Precision 1, recall (2/8 + 1/7)/2; F2 = 5·P·R / (4·P + R).
    func testShortHypothesisAveragesOnlyEffectiveOrders() throws {
        let stats = try CHRF.corpusStatistics(hypotheses: ["ab"], referenceStreams: [["abcdefgh"]])
        XCTAssertEqual(stats.hypothesisCounts, [2, 1, 0, 0, 0, 0])
        XCTAssertEqual(stats.referenceCounts, [8, 7, 6, 5, 4, 3])
        XCTAssertEqual(stats.matches, [2, 1, 0, 0, 0, 0])
        let p = 1.0, r = (2.0 / 8 + 1.0 / 7) / 2
        assertClose(stats.fScore, 100 * 5 * p * r / (4 * p + r))
    }

    /// A segment whose reference is empty adds nothing on the hypothesis side either (sacreBLEU
    /// "doesn't count hits if no reference exists"), so it cannot lower the corpus precision.
    func testEmptyReferenceAddsNoHypothesisNgrams() throws {
        let stats = try CHRF.corpusStatistics(hypotheses: ["abc", "xyz"], referenceStreams: [["abc", ""]])
        XCTAssertEqual(stats.hypothesisCounts, [3, 2, 1, 0, 0, 0])
        XCTAssertEqual(stats.referenceCounts, [3, 2, 1, 0, 0, 0])
    }

    func testWhitespaceIsRemovedBeforeCounting() throws {
        let spaced = try CHRF.corpusScore(hypotheses: ["le chat\tdort"], references: ["lechat dort\u{2009}"])
        XCTAssertEqual(spaced.score, 100)
    }

    func testMultipleReferencesKeepTheBestPerSegment() throws {
        let first = try CHRF.corpusScore(hypotheses: ["il pleut"], referenceStreams: [["il neige"]])
        let second = try CHRF.corpusScore(hypotheses: ["il pleut"], referenceStreams: [["il pleut"]])
        let both = try CHRF.corpusScore(hypotheses: ["il pleut"], referenceStreams: [["il neige"], ["il pleut"]])
        XCTAssertLessThan(first.score, 100)
        XCTAssertEqual(second.score, 100)
        XCTAssertEqual(both.score, 100)
    }

    func testMisalignedInputThrows() {
        XCTAssertThrowsError(try CHRF.corpusScore(hypotheses: ["a"], references: ["a", "b"])) {
            XCTAssertEqual($0 as? EvalError, .referenceCountMismatch(stream: 0, segments: 2, hypotheses: 1))
        }
    }
}
