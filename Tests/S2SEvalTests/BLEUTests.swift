// BLEU on small in-memory cases: sacreBLEU's edge cases, hand-derived values, and input errors.
import Foundation
import XCTest
@testable import S2SEval

final class BLEUTests: XCTestCase {
    /// Produced with sacrebleu 2.6.0 (Python 3.11.7), for each (hyps, refs) below:
    ///   python3 -c "import sacrebleu; b=sacrebleu.corpus_bleu(hyps, refs); print(repr(b.score), b.counts, b.totals, b.sys_len, b.ref_len, repr(b.bp), b)"
    /// `refs` is sacreBLEU's list of reference streams, as here.
    static let sacreBLEUCases: [(hyps: [String], refs: [[String]], score: Double, matches: [Int], totals: [Int],
                                 hypLength: Int, refLength: Int, bp: Double, text: String)] = [
        ([""], [[""]], 0.0, [0, 0, 0, 0], [0, 0, 0, 0], 0, 0, 1.0,
         "BLEU = 0.00 0.0/0.0/0.0/0.0 (BP = 1.000 ratio = 0.000 hyp_len = 0 ref_len = 0)"),
        ([""], [["a b c"]], 0.0, [0, 0, 0, 0], [0, 0, 0, 0], 0, 3, 0.0,
         "BLEU = 0.00 0.0/0.0/0.0/0.0 (BP = 0.000 ratio = 0.000 hyp_len = 0 ref_len = 3)"),
        (["the the the the"], [["the cat"]], 15.97357760615681, [1, 0, 0, 0], [4, 3, 2, 1], 4, 2, 1.0,
         "BLEU = 15.97 25.0/16.7/12.5/12.5 (BP = 1.000 ratio = 2.000 hyp_len = 4 ref_len = 2)"),
        (["a dash-\n"], [["a dash-"]], 0.0, [2, 1, 0, 0], [2, 1, 0, 0], 2, 2, 1.0,
         "BLEU = 0.00 100.0/100.0/0.0/0.0 (BP = 1.000 ratio = 1.000 hyp_len = 2 ref_len = 2)"),
        (["a b c d e"], [["a b c d"], ["a b c d e f"]], 100.00000000000004, [5, 4, 3, 2], [5, 4, 3, 2], 5, 4, 1.0,
         "BLEU = 100.00 100.0/100.0/100.0/100.0 (BP = 1.000 ratio = 1.250 hyp_len = 5 ref_len = 4)"),
        (["a b c d"], [["a b c d e"]], 77.88007830714052, [4, 3, 2, 1], [4, 3, 2, 1], 4, 5, 0.7788007830714049,
         "BLEU = 77.88 100.0/100.0/100.0/100.0 (BP = 0.779 ratio = 0.800 hyp_len = 4 ref_len = 5)"),
        (["a b x c"], [["a b y c"]], 35.35533905932737, [3, 1, 0, 0], [4, 3, 2, 1], 4, 4, 1.0,
         "BLEU = 35.36 75.0/33.3/25.0/25.0 (BP = 1.000 ratio = 1.000 hyp_len = 4 ref_len = 4)"),
        (["Le Chat"], [["le chat"]], 0.0, [0, 0, 0, 0], [2, 1, 0, 0], 2, 2, 1.0,
         "BLEU = 0.00 0.0/0.0/0.0/0.0 (BP = 1.000 ratio = 1.000 hyp_len = 2 ref_len = 2)"),
    ]

    func testEdgeCasesMatchSacreBLEU() throws {
        for c in Self.sacreBLEUCases {
            let bleu = try BLEU.corpusScore(hypotheses: c.hyps, referenceStreams: c.refs)
            let label = "\(c.hyps) vs \(c.refs)"
            assertClose(bleu.score, c.score, label)
            XCTAssertEqual(bleu.matches, c.matches, label)
            XCTAssertEqual(bleu.totals, c.totals, label)
            XCTAssertEqual(bleu.hypothesisLength, c.hypLength, label)
            XCTAssertEqual(bleu.referenceLength, c.refLength, label)
            assertClose(bleu.brevityPenalty, c.bp, label)
            XCTAssertEqual(bleu.description, c.text, label)
        }
    }

    /// Values derived by hand from the definition, independent of sacreBLEU's printout.
    func testHandDerivedValues() throws {
        // All n-grams match, 4 tokens against 5: BP = exp(1 - 5/4), precisions 100.
        let short = try BLEU.corpusScore(hypotheses: ["a b c d"], references: ["a b c d e"])
        assertClose(short.brevityPenalty, exp(-0.25))
        assertClose(short.score, 100 * exp(-0.25))

        // "a b x c" vs "a b y c": 3/4 unigrams, 1/3 bigrams; trigrams 0/2 and 4-grams 0/1 are the
        // first and second zero orders, so "exp" smoothing gives 100/(2·2) and 100/(4·1).
        let smoothed = try BLEU.corpusScore(hypotheses: ["a b x c"], references: ["a b y c"])
        let expected = [75.0, 100.0 / 3, 25.0, 25.0]
        for n in 0..<4 { assertClose(smoothed.precisions[n], expected[n]) }
        assertClose(smoothed.score, exp(expected.map(log).reduce(0, +) / 4))
    }

    func testRatioAndBrevityPenaltyFollowTheLengths() throws {
        let long = try BLEU.corpusScore(hypotheses: ["a b c d e f"], references: ["a b c"])
        XCTAssertEqual(long.brevityPenalty, 1)
        XCTAssertEqual(long.ratio, 2)
        let empty = BLEUStatistics().score
        XCTAssertEqual(empty.ratio, 0, "no reference tokens: ratio 0, not a division by zero")
        XCTAssertEqual(empty.score, 0)
    }

    func testScoreIgnoresWhitespaceLayout() throws {
        let tidy = try BLEU.corpusScore(hypotheses: ["le chat dort ici ."], references: ["le chat dort là ."])
        let messy = try BLEU.corpusScore(
            hypotheses: ["  le\tchat   dort\u{A0}ici .  "], references: ["le chat  dort là\u{3000}."])
        XCTAssertEqual(tidy, messy)
        XCTAssertGreaterThan(tidy.score, 0)
    }

    func testCorpusScoreIsNotTheMeanOfSentenceScores() throws {
        // Corpus BLEU pools counts: a perfect long segment outweighs a bad short one.
        let hyps = ["a b c d e f g h", "x"], refs = ["a b c d e f g h", "y"]
        let corpus = try BLEU.corpusScore(hypotheses: hyps, references: refs)
        let stats = try BLEU.corpusStatistics(hypotheses: hyps, referenceStreams: [refs])
        XCTAssertEqual(stats.matches, [8, 7, 6, 5])
        XCTAssertEqual(stats.totals, [9, 7, 6, 5])
        assertClose(corpus.score, 100 * pow(8.0 / 9, 0.25))
    }

    func testEmptyCorpusScoresZero() throws {
        let bleu = try BLEU.corpusScore(hypotheses: [], references: [])
        XCTAssertEqual(bleu.score, 0)
        XCTAssertEqual(bleu.description, "BLEU = 0.00 0.0/0.0/0.0/0.0 (BP = 1.000 ratio = 0.000 hyp_len = 0 ref_len = 0)")
    }

    func testMisalignedInputThrows() {
        XCTAssertThrowsError(try BLEU.corpusScore(hypotheses: ["a", "b"], references: ["a"])) {
            XCTAssertEqual($0 as? EvalError, .referenceCountMismatch(stream: 0, segments: 1, hypotheses: 2))
        }
        XCTAssertThrowsError(try BLEU.corpusScore(hypotheses: ["a"], referenceStreams: [])) {
            XCTAssertEqual($0 as? EvalError, .noReferences)
        }
        XCTAssertThrowsError(try BLEU.corpusScore(hypotheses: ["a"], referenceStreams: [["a"], []])) {
            XCTAssertEqual($0 as? EvalError, .referenceCountMismatch(stream: 1, segments: 0, hypotheses: 1))
        }
    }
}
