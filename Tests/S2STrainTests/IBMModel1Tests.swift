// IBM Model 1 learns the shortlist: on a corpus where each source piece has one translation hidden among
// other words and a piece that occurs in every sentence, EM must rank the true translation first (the
// co-occurrence counts alone would not), keep at most K per source piece, and rank frequent pieces.
import XCTest
import S2SNet
@testable import S2STrain

final class IBMModel1Tests: XCTestCase {
    /// Source pieces 4…13 translate to 14…23, shuffled within the sentence; target piece 30 is in every
    /// sentence (an article, say), 4 appears in most sentences so it co-occurs with everything, and 6 never
    /// comes without 5 (as "de" and "la"), so 6 co-occurs with 15 more often than with its own 16.
    static func corpus() -> [IdPair] {
        var rng = Rng(seed: 9)
        return (0..<400).map { _ in
            var source: [Int32] = (0..<(2 + Int(rng.next() % 4))).map { _ in Int32(5 + rng.next() % 9) }
            if rng.next() % 4 != 0 { source.append(4) }
            if source.contains(6) { source.append(5) }
            var target = source.map { $0 + 10 } + [30]
            for i in target.indices.reversed() { target.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
            return IdPair(source: source, target: target)
        }
    }

    func testTranslationsRankFirst() {
        let pairs = Self.corpus()
        let list = IBMModel1.shortlist(pairs: pairs, sourceVocabSize: 14, targetVocabSize: 32,
                                       settings: IBMModel1.Settings(pieces: 3, frequent: 2, iterations: 5))
        XCTAssertEqual(list.lists.count, 14)
        for f in 4..<14 {
            XCTAssertEqual(list.lists[f].first, Int32(f + 10), "source piece \(f): \(list.lists[f])")
            XCTAssertLessThanOrEqual(list.lists[f].count, 3)
        }
        for f in 0..<4 { XCTAssertEqual(list.lists[f], [], "piece \(f) never occurs") }
        XCTAssertEqual(list.frequent, [30, 14])   // 30 in every sentence, then 14 (from source 4, in most)
        // One iteration from the uniform start is co-occurrence counting: it gets 6 wrong, EM gets it right.
        let once = IBMModel1.shortlist(pairs: pairs, sourceVocabSize: 14, targetVocabSize: 32,
                                       settings: IBMModel1.Settings(pieces: 3, frequent: 2, iterations: 1))
        XCTAssertEqual(once.lists[6].first, 15)
    }

    /// The sparse table finds every co-occurring pair, and nothing else.
    func testTableHoldsExactlyTheCooccurrences() {
        let pairs = Self.corpus()
        let table = IBMModel1.Table(pairs: pairs, rows: 15)
        var expected = Set<[Int32]>()
        for p in pairs { for f in p.source + [14] { for e in p.target { expected.insert([f, e]) } } }
        var found = Set<[Int32]>()
        for row in 0..<15 {
            let cols = Array(table.cols[table.rowStart[row]..<table.rowStart[row + 1]])
            XCTAssertEqual(cols, cols.sorted())
            for e in cols {
                found.insert([Int32(row), e])
                XCTAssertEqual(table.cols[table.position(row: row, column: e)], e)
            }
        }
        XCTAssertEqual(found, expected)
    }
}
