// BLEU and chrF on the fixture files in Tests/Fixtures/eval, against numbers from sacreBLEU itself.
import XCTest
import S2SEval

/// What sacreBLEU says about one fixture.
struct SacreBLEUFixture {
    let name: String
    let hypothesis: String
    let references: [String]
    let bleu: Double
    let matches: [Int]
    let totals: [Int]
    let bp: Double
    let hypLength: Int
    let refLength: Int
    let bleuText: String
    let chrf: Double
    let chrfText: String
}

final class FixtureScoreTests: XCTestCase {
    /// Produced with sacrebleu 2.6.0 (Python 3.11.7), from the repository root, for each fixture:
    ///   python3 -c "import sacrebleu,sys;r=lambda p:[l.rstrip('\n') for l in open(p,encoding='utf-8',newline='\n')];h=r(sys.argv[1]);R=[r(p) for p in sys.argv[2:]];b=sacrebleu.corpus_bleu(h,R);c=sacrebleu.corpus_chrf(h,R);print(repr(b.score),b.counts,b.totals,repr(b.bp),b.sys_len,b.ref_len,b,repr(c.score),c,sep='\n')" Tests/Fixtures/eval/french.hyp Tests/Fixtures/eval/french.ref
    /// i.e. corpus_bleu / corpus_chrf with default arguments, lines split on "\n" as our reader does.
    /// "perfect" scores french.ref against itself; "multiReference" passes two reference files.
    static let fixtures: [SacreBLEUFixture] = [
        .init(
            name: "french", hypothesis: "french.hyp", references: ["french.ref"],
            bleu: 51.333764988513465, matches: [69, 51, 34, 21], totals: [83, 75, 67, 59], bp: 0.9081138323914129,
            hypLength: 83, refLength: 91,
            bleuText: "BLEU = 51.33 83.1/68.0/50.7/35.6 (BP = 0.908 ratio = 0.912 hyp_len = 83 ref_len = 91)",
            chrf: 74.80784883616475, chrfText: "chrF2 = 74.81"),
        .init(
            name: "perfect", hypothesis: "french.ref", references: ["french.ref"],
            bleu: 100.00000000000004, matches: [91, 83, 75, 67], totals: [91, 83, 75, 67], bp: 1.0,
            hypLength: 91, refLength: 91,
            bleuText: "BLEU = 100.00 100.0/100.0/100.0/100.0 (BP = 1.000 ratio = 1.000 hyp_len = 91 ref_len = 91)",
            chrf: 100.0, chrfText: "chrF2 = 100.00"),
        .init(
            name: "english", hypothesis: "english.hyp", references: ["english.ref"],
            bleu: 48.36345071659835, matches: [48, 31, 21, 13], totals: [60, 55, 50, 45], bp: 1.0,
            hypLength: 60, refLength: 60,
            bleuText: "BLEU = 48.36 80.0/56.4/42.0/28.9 (BP = 1.000 ratio = 1.000 hyp_len = 60 ref_len = 60)",
            chrf: 70.87419035784065, chrfText: "chrF2 = 70.87"),
        .init(
            name: "short", hypothesis: "short.hyp", references: ["short.ref"],
            bleu: 0.0, matches: [7, 1, 0, 0], totals: [7, 3, 0, 0], bp: 0.36787944117144233,
            hypLength: 7, refLength: 14,
            bleuText: "BLEU = 0.00 100.0/33.3/0.0/0.0 (BP = 0.368 ratio = 0.500 hyp_len = 7 ref_len = 14)",
            chrf: 40.11908532757594, chrfText: "chrF2 = 40.12"),
        .init(
            name: "emptyLines", hypothesis: "empty.hyp", references: ["empty.ref"],
            bleu: 41.44023479624308, matches: [7, 4, 2, 1], totals: [11, 8, 5, 3], bp: 0.9131007162822624,
            hypLength: 11, refLength: 12,
            bleuText: "BLEU = 41.44 63.6/50.0/40.0/33.3 (BP = 0.913 ratio = 0.917 hyp_len = 11 ref_len = 12)",
            chrf: 51.16376029429832, chrfText: "chrF2 = 51.16"),
        .init(
            name: "noMatch", hypothesis: "nomatch.hyp", references: ["nomatch.ref"],
            bleu: 0.0, matches: [0, 0, 0, 0], totals: [3, 1, 0, 0], bp: 1.0,
            hypLength: 3, refLength: 3,
            bleuText: "BLEU = 0.00 0.0/0.0/0.0/0.0 (BP = 1.000 ratio = 1.000 hyp_len = 3 ref_len = 3)",
            chrf: 0.0, chrfText: "chrF2 = 0.00"),
        .init(
            name: "multiReference", hypothesis: "multiref.hyp", references: ["multiref.ref1", "multiref.ref2"],
            bleu: 59.1746463476372, matches: [22, 16, 9, 6], totals: [23, 20, 17, 14], bp: 0.9167169520254864,
            hypLength: 23, refLength: 25,
            bleuText: "BLEU = 59.17 95.7/80.0/52.9/42.9 (BP = 0.917 ratio = 0.920 hyp_len = 23 ref_len = 25)",
            chrf: 77.37058987686203, chrfText: "chrF2 = 77.37"),
    ]

    private func load(_ fixture: SacreBLEUFixture) throws -> AlignedSegments {
        try AlignedSegments.read(
            hypothesisPath: evalFixture(fixture.hypothesis),
            referencePaths: fixture.references.map { evalFixture($0) })
    }

    func testBLEUMatchesSacreBLEU() throws {
        for fixture in Self.fixtures {
            let input = try load(fixture)
            let bleu = try BLEU.corpusScore(hypotheses: input.hypotheses, referenceStreams: input.referenceStreams)
            assertClose(bleu.score, fixture.bleu, fixture.name)
            XCTAssertEqual(bleu.matches, fixture.matches, fixture.name)
            XCTAssertEqual(bleu.totals, fixture.totals, fixture.name)
            assertClose(bleu.brevityPenalty, fixture.bp, fixture.name)
            XCTAssertEqual(bleu.hypothesisLength, fixture.hypLength, fixture.name)
            XCTAssertEqual(bleu.referenceLength, fixture.refLength, fixture.name)
            XCTAssertEqual(bleu.description, fixture.bleuText, fixture.name)
        }
    }

    func testCHRFMatchesSacreBLEU() throws {
        for fixture in Self.fixtures {
            let input = try load(fixture)
            let chrf = try CHRF.corpusScore(hypotheses: input.hypotheses, referenceStreams: input.referenceStreams)
            assertClose(chrf.score, fixture.chrf, fixture.name)
            XCTAssertEqual(chrf.description, fixture.chrfText, fixture.name)
        }
    }

    /// The fixtures cover what they claim to cover, so the tests above exercise those cases.
    func testFixturesContainTheEdgeCases() throws {
        let empty = try load(Self.fixtures.first { $0.name == "emptyLines" }!)
        XCTAssertTrue(empty.hypotheses.contains(""))
        XCTAssertTrue(empty.referenceStreams[0].contains(""))
        XCTAssertTrue(zip(empty.hypotheses, empty.referenceStreams[0]).contains { $0.isEmpty && $1.isEmpty })
        let short = try load(Self.fixtures.first { $0.name == "short" }!)
        XCTAssertTrue(short.hypotheses.allSatisfy { Tokenizer13a().tokens($0).count < 4 })
        let french = try load(Self.fixtures.first { $0.name == "french" }!)
        XCTAssertTrue(french.hypotheses.joined().unicodeScalars.contains("\u{301}"), "a decomposed accent")
        XCTAssertTrue(french.referenceStreams[0].joined().contains("é"))
    }
}
