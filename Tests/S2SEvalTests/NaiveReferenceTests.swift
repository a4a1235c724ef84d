// Fast against naive: the hashed, order-by-order n-gram matcher behind BLEU and chrF against a
// plain dictionary-of-n-grams implementation of sacreBLEU's statistics, on random corpora with
// repeated words and characters and up to three references.
import XCTest
@testable import S2SEval

final class NaiveReferenceTests: XCTestCase {
    func testBLEUStatisticsMatchNaiveCounting() throws {
        let words = ["le", "chat", "dort", ".", ",", "l'homme", "été", "e\u{301}te\u{301}", "3,5", "a-t-il", "?"]
        var rng = SplitMix64(seed: 4)
        for trial in 0..<150 {
            let corpus = randomCorpus(&rng, pieces: words, separator: " ", maxPieces: 14)
            let fast = try BLEU.corpusStatistics(hypotheses: corpus.hypotheses, referenceStreams: corpus.references)
            XCTAssertEqual(fast, naiveBLEUStatistics(corpus.hypotheses, corpus.references), "trial \(trial)")
        }
    }

    func testCHRFStatisticsMatchNaiveCounting() throws {
        let characters = ["a", "b", "a", "é", "e\u{301}", " ", "\t", "ab", "ba", "aab"]
        var rng = SplitMix64(seed: 6)
        for trial in 0..<150 {
            let corpus = randomCorpus(&rng, pieces: characters, separator: "", maxPieces: 16)
            let fast = try CHRF.corpusStatistics(hypotheses: corpus.hypotheses, referenceStreams: corpus.references)
            XCTAssertEqual(fast, naiveCHRFStatistics(corpus.hypotheses, corpus.references), "trial \(trial)")
        }
    }

    /// One matcher reused across sentences of very different lengths must not leak counts between them.
    func testMatcherReuseAcrossSentenceLengths() {
        let matcher = NgramMatcher()
        var matches: [Int] = []
        let long = (0..<500).map { UInt32($0 % 7) }
        matcher.countMatches(hypothesis: long, references: long, referenceEnds: [long.count], maxOrder: 4, matches: &matches)
        XCTAssertEqual(matches, [500, 499, 498, 497])
        matcher.countMatches(hypothesis: [1, 2, 3], references: [3, 2, 1], referenceEnds: [3], maxOrder: 4, matches: &matches)
        XCTAssertEqual(matches, [3, 0, 0, 0])
        matcher.countMatches(hypothesis: [1, 1], references: [], referenceEnds: [0], maxOrder: 2, matches: &matches)
        XCTAssertEqual(matches, [0, 0])
    }

    // MARK: - Naive implementations, written straight from sacreBLEU's definitions

    private func naiveBLEUStatistics(_ hyps: [String], _ refs: [[String]]) -> BLEUStatistics {
        var total = BLEUStatistics()
        let tokenizer = Tokenizer13a()
        // Tokens as scalar arrays: Swift's String == would equate "é" with "e\u{301}", Python does not.
        func tokens(_ s: String) -> [[UInt32]] { tokenizer.tokens(pythonRStrip(s)).map { $0.unicodeScalars.map(\.value) } }
        for i in hyps.indices {
            let hyp = tokens(hyps[i])
            let refTokens = refs.map { tokens($0[i]) }
            var clip: [[[UInt32]]: Int] = [:]
            for ref in refTokens {
                for (gram, count) in ngramCounts(ref, maxOrder: 4) { clip[gram] = max(clip[gram] ?? 0, count) }
            }
            for (gram, count) in ngramCounts(hyp, maxOrder: 4) {
                total.matches[gram.count - 1] += min(count, clip[gram] ?? 0)
                total.totals[gram.count - 1] += count
            }
            total.hypothesisLength += hyp.count
            total.referenceLength += refTokens.map(\.count).min {
                (abs($0 - hyp.count), $0) < (abs($1 - hyp.count), $1)
            }!
        }
        return total
    }

    private func naiveCHRFStatistics(_ hyps: [String], _ refs: [[String]]) -> CHRFStatistics {
        var total = CHRFStatistics()
        func chars(_ s: String) -> [UInt32] {
            s.unicodeScalars.map(\.value).filter { !isPythonWhitespace($0) }
        }
        for i in hyps.indices {
            let hyp = ngramCounts(chars(hyps[i]), maxOrder: 6)
            var best: CHRFStatistics?
            for stream in refs {
                let ref = ngramCounts(chars(stream[i]), maxOrder: 6)
                var stats = CHRFStatistics()
                for n in 1...6 {
                    let refOfOrder = ref.filter { $0.key.count == n }
                    let hypOfOrder = hyp.filter { $0.key.count == n }
                    stats.referenceCounts[n - 1] = refOfOrder.values.reduce(0, +)
                    stats.hypothesisCounts[n - 1] = refOfOrder.isEmpty ? 0 : hypOfOrder.values.reduce(0, +)
                    stats.matches[n - 1] = hypOfOrder.map { min($0.value, refOfOrder[$0.key] ?? 0) }.reduce(0, +)
                }
                if best == nil || stats.fScore > best!.fScore { best = stats }
            }
            total += best!
        }
        return total
    }

    private func ngramCounts<Item: Hashable>(_ items: [Item], maxOrder: Int) -> [[Item]: Int] {
        var counts: [[Item]: Int] = [:]
        for n in 1...maxOrder where items.count >= n {
            for i in 0...(items.count - n) { counts[Array(items[i..<(i + n)]), default: 0] += 1 }
        }
        return counts
    }

    private func pythonRStrip(_ s: String) -> String {
        var scalars = Array(s.unicodeScalars)
        while let last = scalars.last, isPythonWhitespace(last.value) { scalars.removeLast() }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    /// 1–12 segments, 1–3 reference streams, each line 0–`maxPieces` random pieces.
    private func randomCorpus(
        _ rng: inout SplitMix64, pieces: [String], separator: String, maxPieces: Int
    ) -> (hypotheses: [String], references: [[String]]) {
        func line() -> String {
            let length = Int(rng.next() % UInt64(maxPieces + 1))
            return (0..<length).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined(separator: separator)
        }
        let segments = 1 + Int(rng.next() % 12)
        let streams = 1 + Int(rng.next() % 3)
        let hyps = (0..<segments).map { _ in line() }
        let refs = (0..<streams).map { _ in (0..<segments).map { _ in line() } }
        return (hyps, refs)
    }
}
