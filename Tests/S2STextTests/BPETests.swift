// BPE: the incremental learner against a naive one, the tie rule, exact segment/join round
// trips, rare words splitting into known subwords, and the merges file.
import XCTest
@testable import S2SText

final class BPETests: XCTestCase {
    /// The textbook algorithm: recount every pair after every merge. Same tie rule as BPE.learn.
    private func naiveLearn(_ counts: [String: Int], merges: Int, minFrequency: Int = 2) -> [BPE.Merge] {
        var words: [([String], Int)] = counts.map { core, count in
            var symbols = core.map { String($0) }
            symbols[symbols.count - 1] += "</w>"
            return (symbols, count)
        }
        var out: [BPE.Merge] = []
        while out.count < merges {
            var pairs: [BPE.Merge: Int] = [:]
            for (symbols, count) in words where symbols.count > 1 {
                for i in 0..<(symbols.count - 1) { pairs[BPE.Merge(symbols[i], symbols[i + 1]), default: 0] += count }
            }
            guard let best = pairs.max(by: { a, b in
                if a.value != b.value { return a.value < b.value }
                if a.key.left != b.key.left { return !a.key.left.utf8.lexicographicallyPrecedes(b.key.left.utf8) }
                return !a.key.right.utf8.lexicographicallyPrecedes(b.key.right.utf8)
            }), best.value >= minFrequency else { break }
            out.append(best.key)
            words = words.map { symbols, count in
                var merged: [String] = []
                var i = 0
                while i < symbols.count {
                    if i + 1 < symbols.count, symbols[i] == best.key.left, symbols[i + 1] == best.key.right {
                        merged.append(symbols[i] + symbols[i + 1])
                        i += 2
                    } else {
                        merged.append(symbols[i])
                        i += 1
                    }
                }
                return (merged, count)
            }
        }
        return out
    }

    private func randomCounts(seed: UInt64, words: Int) -> [String: Int] {
        var random = SeededGenerator(seed: seed)
        let letters = ["a", "b", "c", "d", "e", "é", "n", "s", "t", "👍"]
        var counts: [String: Int] = [:]
        for _ in 0..<words {
            let word = (0..<Int.random(in: 1...7, using: &random)).map { _ in letters.randomElement(using: &random)! }.joined()
            counts[word, default: 0] += Int.random(in: 1...20, using: &random)
        }
        return counts
    }

    func testIncrementalLearnerMatchesNaiveLearner() {
        for seed in [1, 2, 3] as [UInt64] {
            let counts = randomCounts(seed: seed, words: 300)
            let fast = BPE.learn(pieceCounts: counts, merges: 200).merges
            let naive = naiveLearn(counts, merges: 200)
            XCTAssertGreaterThan(naive.count, 50)
            XCTAssertEqual(fast, naive, "seed \(seed)")
        }
    }

    func testSennrichExampleAndTieRule() {
        // Sennrich et al. (2016), Figure 1: "es" (9) ties with "s t</w>" (9); "e" < "s" wins.
        let bpe = BPE.learn(pieceCounts: ["low": 5, "lower": 2, "newest": 6, "widest": 3], merges: 4)
        XCTAssertEqual(Array(bpe.merges.prefix(2)), [BPE.Merge("e", "s"), BPE.Merge("es", "t</w>")])
        // Equal counts: the pair with the smaller left symbol (code point order) comes first.
        let tie = BPE.learn(pieceCounts: ["cd": 2, "ab": 2], merges: 2)
        XCTAssertEqual(tie.merges, [BPE.Merge("a", "b</w>"), BPE.Merge("c", "d</w>")])
        // Pairs seen fewer than minFrequency times are not merged.
        XCTAssertEqual(BPE.learn(pieceCounts: ["ab": 1, "cd": 1], merges: 10).merges, [])
    }

    func testLearningIsDeterministicAndIgnoresMarkers() {
        let counts = randomCounts(seed: 5, words: 200)
        let first = BPE.learn(pieceCounts: counts, merges: 100)
        // Same counts split between marked and unmarked pieces: markers are stripped before learning.
        var marked: [String: Int] = [:]
        for (word, count) in counts {
            marked["￭" + word, default: 0] += count / 2
            marked[word, default: 0] += count - count / 2
        }
        XCTAssertEqual(BPE.learn(pieceCounts: marked, merges: 100), first)
        XCTAssertEqual(BPE.learn(pieceCounts: counts, merges: 100), first)
    }

    func testSegmentJoinRoundTrip() throws {
        let bpe = BPE.learn(pieceCounts: randomCounts(seed: 9, words: 400), merges: 150)
        let fr = try Tokenizer(language: "fr")
        var pieces = fr.pieces("Qu'est-ce que c'est ? L'été, « aujourd'hui » : 3.14 👨‍👩‍👧‍👦 me@x.org (ok) a \u{301}b 我是学生。")
        pieces += ["abcdés", "￭abc", "abc￭", "￭a￭", "a", "￭", "￭￭", "👍", "e\u{301}", "\u{301}", "￭\u{301}", "x</w>y", "abab@"]
        let subwords = bpe.segment(pieces)
        XCTAssertGreaterThan(subwords.count, pieces.count, "some pieces should split")
        XCTAssertEqual(BPE.join(subwords), pieces)
        for piece in pieces {
            let parts = bpe.segment(piece)
            XCTAssertEqual(BPE.join(parts), [piece])
            XCTAssertTrue(parts.dropLast().allSatisfy { $0.hasSuffix("@@") })
            XCTAssertFalse(parts.last!.hasSuffix("@@"))
        }
        // Markers stay on the outside: first subword keeps the leading one, last the trailing one.
        let marked = bpe.segment("￭abcdés￭")
        XCTAssertTrue(marked.first!.hasPrefix("￭") && marked.last!.hasSuffix("￭"))
        XCTAssertEqual(marked.filter { $0.contains("￭") }.count, marked.count == 1 ? 1 : 2)
    }

    func testJoinIsTotal() {
        XCTAssertEqual(BPE.join([]), [])
        XCTAssertEqual(BPE.join(["ab@@"]), ["ab"])           // dangling continuation
        XCTAssertEqual(BPE.join(["@@", "x"]), ["x"])
        XCTAssertEqual(BPE.join(["a@@", "b@@", "c", "d"]), ["abc", "d"])
    }

    func testRareWordSplitsIntoKnownSubwords() throws {
        // Few merges: prefixes and stems become subwords, whole words do not.
        let training = ["undo": 10, "redo": 10, "untie": 10, "unwrap": 10, "rewrap": 10, "do": 5, "tie": 5, "wrap": 5]
        let bpe = BPE.learn(pieceCounts: training, merges: 8)
        var subwordCounts: [String: Int] = [:]
        for (word, count) in training {
            for subword in bpe.segment(word) { subwordCounts[subword, default: 0] += count }
        }
        let vocabulary = try Vocabulary(counts: subwordCounts)
        XCTAssertFalse(vocabulary.contains("retie"))
        let codec = try TextCodec(options: TokenizerOptions(language: "en"), vocabulary: vocabulary, bpe: bpe)
        let (ids, pieces) = codec.encode("retie unwrap")
        XCTAssertFalse(ids.contains(Vocabulary.unk), "\(pieces)")
        XCTAssertEqual(ids.count, pieces.count)
        XCTAssertGreaterThan(pieces.count, 2)
        XCTAssertEqual(pieces.first, "re@@")
        XCTAssertEqual(codec.decode(ids), "retie unwrap")
    }

    func testUnknownSubwordsAreSplitBackIntoKnownOnes() {
        let bpe = BPE(merges: [BPE.Merge("a", "b"), BPE.Merge("ab", "c</w>"), BPE.Merge("x", "y</w>")])
        XCTAssertEqual(bpe.segment("abc"), ["abc"])
        XCTAssertEqual(bpe.segment("abc", isKnown: { ["ab@@", "c"].contains($0) }), ["ab@@", "c"])
        XCTAssertEqual(bpe.segment("abc", isKnown: { ["a@@", "b@@", "c"].contains($0) }), ["a@@", "b@@", "c"])
        // Single characters are never split further, known or not.
        XCTAssertEqual(bpe.segment("￭xy", isKnown: { _ in false }), ["￭x@@", "y"])
    }

    func testMergesFileRoundTripAndErrors() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let bpe = BPE.learn(pieceCounts: randomCounts(seed: 11, words: 100), merges: 50)
        let path = directory + "/bpe.merges"
        try bpe.write(toFile: path)
        XCTAssertEqual(try BPE(contentsOfFile: path), bpe)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.first, "#s2s-bpe v1")
        XCTAssertEqual(lines.dropFirst().map(String.init), bpe.merges.map { "\($0.left) \($0.right)" })
        XCTAssertEqual(try BPE(fileContents: bpe.fileContents, origin: "x"), bpe)

        let noHeader = try writeFile(directory, "a.merges", "a b\n")
        assertTextError(.badFormat, contains: ["a.merges:1", "#s2s-bpe v1"]) { _ = try BPE(contentsOfFile: noHeader) }
        let threeFields = try writeFile(directory, "b.merges", "#s2s-bpe v1\na b\nc d e\n")
        assertTextError(.badFormat, contains: ["b.merges:3", "c d e"]) { _ = try BPE(contentsOfFile: threeFields) }
        let empty = try writeFile(directory, "c.merges", "")
        assertTextError(.badFormat, contains: ["c.merges"]) { _ = try BPE(contentsOfFile: empty) }
        assertTextError(.io, contains: ["missing.merges"]) { _ = try BPE(contentsOfFile: directory + "/missing.merges") }
    }
}
